"""interplay.Result: validation, arithmetic, torch / NumPy interop, pickle / torch.save / JSON files
(tampered ones rejected), the notebook HTML and the sentence displays."""
import base64
import copy
import dataclasses
import io
import json
import math
import pickle
import re

import numpy as np
import pytest
import torch

import interplay as ip
from tampering import tampered
from interplay.results import Partitions, PartitionSearch, Result
from interplay.results.display import significance_ansi, significance_html

WORDS = "a truly great and <moving> film".split()


def random_game(n=5, seed=0, **kwargs):
    gen = torch.Generator().manual_seed(seed)
    return ip.TableGame(torch.randint(-9, 10, (2**n,), generator=gen).double(), **kwargs)


def estimate():
    """A sampling estimate: float32 values with stderr, made by the permutation sampler (its own draw:
    400 >= 2^5 would otherwise give the exact values with a zero stderr)."""
    sv = ip.shapley_values(random_game(5), method="permutation", budget=400, seed=7, exact_when_covered=False)
    return Result(index="SV", values=sv.values.float(), n_players=5, estimator=sv.estimator,
                  evaluations=sv.evaluations, stderr=sv.stderr.float(), players=sv.players,
                  labels=("a", "<b>", "c", "d", "e"))


def significance(labels=True, learned=False):
    game = random_game(6, 3, labels=WORDS if labels else None)
    if learned:
        return ip.interaction_significance(game, [1, 2, 3, 4], method="learned_partitions", seed=0)
    return ip.interaction_significance(game, [1, 2, 3, 4])


def same_tensors(a, b):
    """Both None, or of one dtype, device and shape with equal entries (NaN where the other has NaN)."""
    if a is None or b is None:
        return a is None and b is None
    return (a.dtype, a.device, a.shape) == (b.dtype, b.device, b.shape) and torch.equal(a.isnan(), b.isnan()) \
        and torch.equal(a.nan_to_num(nan=0.0), b.nan_to_num(nan=0.0))


def assert_same(a: Result, b: Result):
    """b has every field of a (each field of Result, so a new field is compared too)."""
    assert type(b) is Result
    for field in dataclasses.fields(Result):
        mine, theirs = getattr(a, field.name), getattr(b, field.name)
        if isinstance(mine, torch.Tensor) or isinstance(theirs, torch.Tensor):
            assert same_tensors(mine, theirs), field.name
        else:
            assert mine == theirs, field.name


# -- validation --------------------------------------------------------------------------------
def test_results_carry_what_made_them():
    game = random_game(5, labels=list("abcde"))
    sv = ip.shapley_values(game)
    assert (sv.index, sv.method, sv.n_players, sv.players, sv.labels) == ("SV", "exact", 5, (0, 1, 2, 3, 4),
                                                                          tuple("abcde"))
    pair = ip.shapley_interaction(game, 3, 1)
    assert pair.index == "SII" and pair.players == (3, 1) and pair.values.dim() == 0
    order = ip.multi_order_interaction(game, 0, 4, order=2)
    assert order.sizes == ((2, 2),) and order.players == (0, 4)
    sig = ip.interaction_significance(game, [0, 1, 2], partitions="all")
    assert sig.method == "exact" and sig.partitions.family == "all" and sig.partitions.scored == 5
    assert sig.b_max - sig.b_min == pytest.approx(float(sig))


def base(**changes):
    sv = ip.shapley_values(random_game(4))
    fields = dict(index="SV", values=sv.values, n_players=4, estimator=sv.estimator)
    fields.update(changes)
    return fields


@pytest.mark.parametrize("changes,error,match", [
    (dict(index="Shapley"), ValueError, "unknown index 'Shapley'"),
    (dict(values=[1.0, 2.0, 3.0, 4.0]), TypeError, "values must be a tensor"),
    (dict(values=torch.arange(4)), TypeError, "real floating-point"),
    (dict(values=torch.zeros(4, dtype=torch.complex64)), TypeError, "real floating-point"),
    (dict(values=torch.zeros(5, dtype=torch.float64)), ValueError, r"shape \[5\] do not fit index 'SV'"),
    (dict(values=torch.zeros(4, 4, dtype=torch.float64)), ValueError, "do not fit index 'SV'"),
    (dict(index="T", values=torch.zeros(4, dtype=torch.float64)), ValueError, "do not fit index 'T'"),
    (dict(index="Moebius"), ValueError, "do not fit index 'Moebius'"),
    (dict(n_players=0), ValueError, "n_players"),
    (dict(n_players=True), ValueError, "n_players"),
    (dict(evaluations=-1), ValueError, "evaluations"),
    (dict(evaluations=True), ValueError, "evaluations must be an int"),
    (dict(evaluations=2.0), ValueError, "evaluations must be an int"),
    (dict(evaluations=10**300), ValueError, "evaluations must be in"),
    (dict(estimator="exact"), TypeError, "estimator must be an Estimator"),
    (dict(stderr=torch.zeros(3, dtype=torch.float64)), ValueError, "stderr has shape"),
    (dict(stderr=torch.zeros(4, dtype=torch.int64)), TypeError, "stderr"),
    (dict(players=(0, 4)), ValueError, r"players \[4\] are out of range"),
    (dict(players=(0, 0)), ValueError, "repeats"),
    (dict(players=(0, True)), TypeError, "players must hold ints"),
    (dict(labels=("a", "b")), ValueError, "labels must be 4 strings"),
    (dict(labels=(1, 2, 3, 4)), ValueError, "labels must be 4 strings"),
    (dict(grid=(3, 2)), ValueError, "does not hold 4 players"),
    (dict(pairs=((0, 1),)), ValueError, "pairs belong to pair results"),
    (dict(sizes=((0, 0),)), ValueError, "sizes belong to 'SII-order'"),
    (dict(index="SII", values=torch.zeros(2, dtype=torch.float64)), ValueError, "needs its pairs"),
    (dict(index="SII", values=torch.zeros(2, dtype=torch.float64), pairs=((0, 1),)), ValueError, "1 pairs for 2"),
    (dict(index="SII", values=torch.zeros(1, dtype=torch.float64), pairs=((1, 1),)), ValueError, "two different"),
    (dict(index="SII-order", values=torch.zeros(2, dtype=torch.float64)), ValueError, "needs the sizes"),
    (dict(index="SII-order", values=torch.zeros(1, dtype=torch.float64), sizes=((0, 3),)), ValueError,
     "n - 2 = 2"),
    (dict(index="T", values=torch.tensor(1.0, dtype=torch.float64)), ValueError, "needs its partitions"),
])
def test_validation_rejects_inconsistent_fields(changes, error, match):
    with pytest.raises(error, match=match):
        Result(**base(**changes))


def test_validation_of_partitions_and_search():
    sig = significance()
    other = Partitions(family="contiguous", b_max=1.0, b_min=0.0, max_partition=((1, 2), (3, 5)),
                       min_partition=((1,), (2,), (3,), (4,)))
    with pytest.raises(ValueError, match=r"max_partition .* is not a partition of A = \[1, 2, 3, 4\]"):
        Result(index="T", values=sig.values, n_players=6, estimator=sig.estimator, players=sig.players,
               partitions=other)
    with pytest.raises(ValueError, match="partitions belong to 'T'"):
        Result(**base(partitions=sig.partitions))
    search = PartitionSearch(p_max=(0.5,), p_min=(0.5,), trajectory_max=((0.5,),), trajectory_min=((0.5,),),
                             evaluations_search=1, evaluations_final=1)
    with pytest.raises(ValueError, match="1 probabilities for the 3 gaps"):
        Result(index="T", values=sig.values, n_players=6, estimator=sig.estimator, players=sig.players,
               partitions=sig.partitions, search=search)
    with pytest.raises(ValueError, match="repeats players"):
        Partitions(family="all", b_max=1.0, b_min=0.0, max_partition=((1, 2), (2,)), min_partition=((1,), (2,)))
    with pytest.raises(ValueError, match="player indices"):
        Partitions(family="all", b_max=1.0, b_min=0.0, max_partition=((1.5, 2),), min_partition=((1,), (2,)))
    with pytest.raises(ValueError, match="probabilities in"):
        PartitionSearch(p_max=(1.5,), p_min=(0.5,), trajectory_max=(), trajectory_min=(), evaluations_search=1,
                        evaluations_final=1)


# -- arithmetic and interop --------------------------------------------------------------------
def test_arithmetic_keeps_metadata_where_documented():
    r = estimate()
    for out, values, stderr in ((2 * r, 2 * r.values, 2 * r.stderr), (r * -0.5, -0.5 * r.values, 0.5 * r.stderr),
                                (r / 4, r.values / 4, r.stderr / 4), (-r, -r.values, r.stderr),
                                (r + 1, r.values + 1, r.stderr), (1 - r, 1 - r.values, r.stderr),
                                (r - 1.5, r.values - 1.5, r.stderr)):
        assert type(out) is Result
        assert (out.index, out.estimator, out.evaluations, out.labels) == (r.index, r.estimator, r.evaluations,
                                                                          r.labels)
        torch.testing.assert_close(out.values, values)
        torch.testing.assert_close(out.stderr, stderr)
    both = r + r  # one run with itself: 2 r (its stderr doubles, its evaluations do not)
    assert type(both) is Result and both.evaluations == r.evaluations and both.estimator == r.estimator
    torch.testing.assert_close(both.values, 2 * r.values, rtol=0, atol=0)
    torch.testing.assert_close(both.stderr, 2 * r.stderr, rtol=0, atol=0)
    again = dataclasses.replace(r, values=r.values + 1)  # another run of the estimator (e.g. on another input)
    two = r + again
    assert type(two) is Result and two.evaluations == r.evaluations + again.evaluations
    torch.testing.assert_close(two.stderr, (r.stderr ** 2 + again.stderr ** 2).sqrt())
    diff = r - r
    assert type(diff) is Result and torch.equal(diff.values, torch.zeros_like(r.values))
    # anything else is a plain tensor: different kinds, products of results, tensors, T([A])
    other = ip.shapley_values(random_game(5), method="permutation", budget=400, seed=8, exact_when_covered=False)
    for out in (r + other.values.float(), r * r, r + other, r / r, r.values.float() + r):
        assert type(out) is torch.Tensor
    # results of different kinds are never combined: a ValueError naming the mismatch
    with pytest.raises(ValueError, match="different index"):
        r + ip.banzhaf_values(random_game(5))
    assert type(r + other) is torch.Tensor  # another seed: another estimator
    sig = significance()
    for out in (2 * sig, -sig, sig + 1, sig - sig):
        assert type(out) is torch.Tensor
    assert float(-sig) == -float(sig)


def test_torch_and_numpy_take_results():
    a, b = ip.shapley_values(random_game(5)), ip.shapley_values(random_game(5))
    assert torch.allclose(a, b) and torch.equal(torch.stack([a, b]), torch.stack([a.values, b.values]))
    assert torch.equal(torch.as_tensor(a), a.values)
    array = np.asarray(a)
    assert isinstance(array, np.ndarray) and array.dtype == np.float64 and np.array_equal(array, a.values.numpy())
    assert np.asarray(a, dtype=np.float32).dtype == np.float32
    assert type(a[1:3]) is torch.Tensor and torch.equal(a[1:3], a.values[1:3])
    assert type(a[0]) is torch.Tensor and len(a) == 5 and [float(x) for x in a] == a.values.tolist()
    assert (a.shape, a.dtype, a.dim(), a.numel()) == (a.values.shape, torch.float64, 1, 5)
    assert torch.equal(a > 0, a.values > 0) and torch.equal(abs(a), a.values.abs())
    assert float(significance()) == significance().item()


def every_shape_of_result():
    """A 0-d, a 1-d (float32, with stderr), a 2-d, interaction values and a T([A]) result."""
    game = random_game(5)
    return [ip.shapley_interaction(game, 0, 1), estimate(), ip.shapley_interaction_matrix(game),
            ip.shapley_interaction_matrix(game, pairs=[(0, 1)]), ip.interaction_values(game, index="k-SII", order=2),
            significance()]


def test_torch_and_numpy_constructors_give_the_values_of_every_result():
    for r in every_shape_of_result():
        shared = torch.as_tensor(r)
        assert type(shared) is torch.Tensor and same_tensors(shared, r.values), r.index
        assert shared.data_ptr() == r.values.data_ptr()  # as_tensor shares the memory
        for made in (torch.tensor(r), torch.asarray(r), torch.from_dlpack(r)):
            assert type(made) is torch.Tensor and same_tensors(made, r.values), r.index
        copied = torch.tensor(r)
        assert copied.data_ptr() != r.values.data_ptr()
        assert torch.as_tensor(r, dtype=torch.float16).dtype == torch.float16
        assert same_tensors(torch.tensor(r, dtype=torch.float64), r.values.double())
        for array in (np.asarray(r), np.array(r), np.from_dlpack(r)):
            assert isinstance(array, np.ndarray) and array.shape == tuple(r.shape)
            assert array.dtype == r.values.numpy().dtype
            np.testing.assert_array_equal(array, r.values.numpy())
        assert np.shares_memory(np.asarray(r), r.values.numpy())  # as Tensor.numpy()
        copy_ = np.array(r)
        assert not np.shares_memory(copy_, r.values.numpy())
        copy_.fill(7.0)  # a copy: the result is untouched
        assert not (r.values == 7.0).all()
        assert np.asarray(r, dtype=np.float16).dtype == np.float16
        assert np.asarray(r, copy=False).dtype == r.values.numpy().dtype
        with pytest.raises(ValueError, match="need a copy"):
            np.asarray(r, dtype=np.float16, copy=False)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_torch_constructors_keep_a_cuda_result_on_its_device():
    for r in every_shape_of_result():
        gpu = r.to("cuda")
        shared = torch.as_tensor(gpu)
        assert shared.device == gpu.device and shared.data_ptr() == gpu.values.data_ptr()
        assert same_tensors(torch.tensor(gpu), gpu.values)
        np.testing.assert_array_equal(np.asarray(gpu), r.values.numpy())
        with pytest.raises(ValueError, match="need a copy"):
            np.asarray(gpu, copy=False)


def test_arithmetic_that_breaks_an_invariant_gives_the_plain_tensor():
    game = random_game(5)
    m = ip.shapley_interaction_matrix(game)
    for out, values in ((m + 1, m.values + 1), (1 + m, 1 + m.values), (m - 1, m.values - 1), (1 - m, 1 - m.values),
                        (m + 0.5, m.values + 0.5)):
        assert type(out) is torch.Tensor and torch.equal(out, values)
    estimated = ip.shapley_interaction_matrix(game, method="shared_pairs", budget=400, seed=0,
                                              exact_when_covered=False)  # a sampled matrix (400 >= 2^5)
    for out, values in ((m * estimated, m.values * estimated.values), (m - estimated, m.values - estimated.values)):
        assert type(out) is torch.Tensor and same_tensors(out, values)
    # what keeps the invariant stays a result: scaling, sums of one estimator's matrices
    for out, values in ((2 * m, 2 * m.values), (-m, -m.values), (m / 4, m.values / 4), (m + m, 2 * m.values),
                        (m - m, 0 * m.values)):
        assert type(out) is Result and torch.equal(out.values, values)
    sig = significance()
    for out, values in ((sig + 1, sig.values + 1), (1 - sig, 1 - sig.values), (3 * sig, 3 * sig.values)):
        assert type(out) is torch.Tensor and torch.equal(out, values)
    sv = ip.shapley_values(game)
    assert type(sv + 1) is Result and torch.equal((sv + 1).values, sv.values + 1)
    # results of another kind are a user error, not a broken invariant: still a ValueError
    with pytest.raises(ValueError, match="different index"):
        m + ip.banzhaf_interaction_matrix(game)
    with pytest.raises(ValueError, match="different index"):
        m * ip.banzhaf_interaction_matrix(game)


def test_torch_functions_that_combine_results_refuse_different_kinds():
    """stack, cat and every other combining torch function refuse results that are not about the
    same thing (as r1 + r2 does); comparisons work between any results."""
    game = random_game(5)
    sv, bv = ip.shapley_values(game), ip.banzhaf_values(game)
    pair01, pair14 = ip.pair_interactions(game, [(0, 1)]), ip.pair_interactions(game, [(1, 4)])
    sv4 = ip.shapley_values(random_game(4))
    combining = (lambda a, b: torch.stack([a, b]), lambda a, b: torch.cat((a, b)), lambda a, b: torch.hstack([a, b]),
                 lambda a, b: torch.vstack([a, b]), lambda a, b: torch.dstack([a, b]),
                 lambda a, b: torch.concat([a, b]), lambda a, b: torch.concatenate([a, b]),
                 lambda a, b: torch.cat(tensors=[a, b]), lambda a, b: torch.maximum(a, b),
                 lambda a, b: torch.stack([a.values, a, b]))
    for a, b, name in ((sv, bv, "index"), (pair01, pair14, "pairs"), (sv, sv4, "n_players")):
        for combine in combining:
            with pytest.raises(ValueError, match=f"different {name}"):
                combine(a, b)
        # comparisons are fine between any results of one shape
        if a.shape == b.shape:
            assert torch.allclose(a, a) and isinstance(torch.isclose(a, b), torch.Tensor)
            assert torch.equal(a, b) == torch.equal(a.values, b.values)
    # the same kind still combines
    assert torch.equal(torch.stack([sv, sv]), torch.stack([sv.values, sv.values]))
    assert torch.equal(torch.cat([pair01, ip.pair_interactions(game, [(0, 1)])]), pair01.values.repeat(2))


# -- pickle / copies / torch.save / JSON --------------------------------------------------------
def examples():
    game = random_game(5)
    return [estimate(), ip.shapley_interaction_matrix(game, pairs=[(0, 1), (2, 3)]),
            ip.shapley_interaction(game, 0, 1), ip.multi_order_interaction(game, 0, 2),
            ip.pair_interactions(game, [(0, 1), (1, 4)]), significance(), significance(learned=True),
            ip.coalition_shapley(game, [0, 1], absent=[4]), ip.harsanyi_dividends(game)]


def test_pickle_deepcopy_and_torch_load_at_its_defaults_are_exact(tmp_path):
    for r in examples():
        assert_same(r, pickle.loads(pickle.dumps(r)))
        assert_same(r, copy.deepcopy(r))
        assert_same(r, copy.copy(r))
        buf = io.BytesIO()
        torch.save({"r": r}, buf)
        buf.seek(0)
        assert_same(r, torch.load(buf)["r"])  # at its defaults
        buf.seek(0)
        assert_same(r, torch.load(buf, weights_only=True)["r"])


def test_json_round_trip_is_standard_json(tmp_path):
    for k, r in enumerate(examples()):
        d = r.to_dict()
        text = json.dumps(d, allow_nan=False)

        def reject(token):
            raise ValueError(f"non-standard {token}")

        assert json.loads(text, parse_constant=reject) == d
        assert_same(r, Result.from_dict(json.loads(text)))
        r.save(str(tmp_path / f"r{k}.json"))
        json.loads((tmp_path / f"r{k}.json").read_text(), parse_constant=reject)
        assert_same(r, Result.load(str(tmp_path / f"r{k}.json")))
    m = examples()[1]
    assert torch.isnan(m.values).sum() == 16 and m.to_dict()["values"][0][2] == "NaN"
    inf = Result(**base(values=torch.tensor([math.inf, -math.inf, math.nan, 1.0], dtype=torch.float64)))
    back = Result.from_dict(json.loads(json.dumps(inf.to_dict(), allow_nan=False)))
    assert back.values[0] == math.inf and back.values[1] == -math.inf and math.isnan(back.values[2])
    assert estimate().to_dict()["dtype"] == "float32" and Result.from_dict(estimate().to_dict()).dtype == torch.float32




@pytest.mark.parametrize("which,changes,match", [
    (0, {"values": [True, 0.0, 1.0, 2.0, 3.0]}, "values must hold numbers"),
    (0, {"values": ["1", 0.0, 1.0, 2.0, 3.0]}, "values must hold numbers"),
    (0, {"stderr": [0.1, 0.2]}, "stderr has shape"),
    (0, {"evaluations": int("9" * 301)}, "evaluations must be in"),
    (0, {"evaluations": True}, "evaluations must be an int"),
    (0, {"colour": "red"}, r"unknown fields \['colour'\]"),
    (0, {"estimator.name": "magic"}, "unknown estimator 'magic'"),
    (0, {"estimator.budget": "many"}, "invalid estimator 'permutation'"),
    (0, {"estimator.colour": 1}, "does not take 'colour'"),
    (0, {"dtype": "float7"}, "dtype must be one of"),
    (0, {"format": "other/1"}, "not an interplay result"),
    (0, {"index": "XYZ"}, "unknown index"),
    (0, {"players": [0, 1, 2, 3, 9]}, "out of range"),
    (0, {"values": None}, "needs 'values'"),
    (5, {"partitions.max_partition": [[1, 2], [3, 9]]}, "is not a partition of A"),
    (5, {"partitions.max_partition": [[1, 2], [3, "4"]]}, "player indices"),
    (5, {"partitions.min_partition": [[1, 2, 3, 4], []]}, "empty block"),
    (5, {"partitions.family": "some"}, "family must be one of"),
    (5, {"partitions.b_max": "high"}, "must hold numbers"),
    (5, {"partitions.colour": "red"}, "unexpected keyword"),
    (5, {"partitions": None}, "needs its partitions"),
    (6, {"search.p_max": [0.5]}, "every row of trajectory_max needs 1 probabilities"),
    (6, {"search.p_min": [0.5, 2.0, 0.5]}, "probabilities in"),
    (6, {"search.evaluations_search": -3}, "evaluations_search"),
])
def test_tampered_files_are_rejected_naming_the_problem(tmp_path, which, changes, match):
    r = examples()[which]
    d = tampered(r, **changes)
    with pytest.raises(ValueError, match=match):
        Result.from_dict(d)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(d))
    with pytest.raises(ValueError, match=match):
        Result.load(str(path))


def test_non_standard_json_is_rejected(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(estimate().to_dict()).replace('"stderr": [', '"stderr": [NaN, ', 1))
    with pytest.raises(ValueError, match="NaN is not standard JSON"):
        Result.load(str(path))
    path.write_text("{")
    with pytest.raises(ValueError, match="not valid JSON"):
        Result.load(str(path))
    with pytest.raises(ValueError, match="must be a dict"):
        Result.from_dict([1, 2])


# -- HTML and the sentence displays -------------------------------------------------------------
def png_images(html):
    return [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)]


def test_html_of_a_scalar_values_on_a_grid_and_a_matrix():
    scalar = ip.shapley_interaction(random_game(), 0, 1)
    page = scalar._repr_html_()
    assert "<b>SII</b>" in page and f"{float(scalar):.6g}" in page and "players=[0, 1]" in page
    assert png_images(page) == []
    r = estimate()
    page = r._repr_html_()
    assert "<b>SV</b>" in page and "Permutation(" in page and "evaluations=" in page and "mean stderr" in page
    assert png_images(page) == []  # values without a grid are a table
    grid = ip.shapley_values(random_game(6, grid=(2, 3)))
    (png,) = png_images(grid._repr_html_())
    assert png.startswith(b"\x89PNG")
    m = ip.shapley_interaction_matrix(random_game(6))
    (png,) = png_images(m._repr_html_())
    assert png.startswith(b"\x89PNG")
    big = Result(index="SII", values=torch.zeros(40, 40, dtype=torch.float64), n_players=40,
                 estimator=ip.Exact())
    assert big._repr_html_().count("<tr>") == 17  # 16 rows shown and an ellipsis row


def test_html_and_text_of_t_with_and_without_words():
    bare = significance(labels=False)
    page = bare._repr_html_()
    assert "T([A]) = " in page and "A = [1, 2, 3, 4]" in page and "B<sub>max</sub>" in page
    for partition in (bare.max_partition, bare.min_partition):
        assert " | ".join("{" + ", ".join(map(str, b)) + "}" for b in partition) in page
    with pytest.raises(ValueError, match="words are not known"):
        significance_ansi(bare)
    sig = significance()
    page = sig._repr_html_()
    assert page == significance_html(sig)
    assert "&lt;moving&gt;" in page and "<moving>" not in page  # the words are escaped
    assert f"T([A]) = {float(sig):.4g}" in page
    text = significance_ansi(sig, color=False)
    lines = text.splitlines()
    assert lines[0].startswith(f"T([A]) = {float(sig):.4g}  (exact, ")
    assert lines[1].startswith(f"  max B = {sig.b_max:+.4g}: a [truly") and lines[1].endswith("<moving>] film")
    for line, partition in ((lines[1], sig.max_partition), (lines[2], sig.min_partition)):
        assert line.count("|") == len(partition) - 1
    coloured = significance_ansi(sig)
    assert "\033[" in coloured and "truly" in coloured
    learned = significance(learned=True)
    assert "±" in significance_ansi(learned) and "±" in learned._repr_html_()
    with pytest.raises(ValueError, match="no partitions"):
        significance_ansi(estimate())
    with pytest.raises(ValueError, match="3 words for a game of 6"):
        significance_ansi(sig, words=["x", "y", "z"])


def test_repr_names_index_estimator_and_cost():
    text = repr(estimate())
    assert text.startswith("Result(index='SV', n_players=5, estimator=Permutation(")
    assert "stderr:" in text
    assert "b_max=" in repr(significance()) and "players=[1, 2, 3, 4]" in repr(significance())
