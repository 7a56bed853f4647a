"""The schema of interplay.Result: every field, declared once, survives JSON, pickle, copies and
torch.save / torch.load(weights_only=True); the declarations (encoding, kind, check) drive them."""
import copy
import dataclasses
import io
import json
import pickle
from dataclasses import dataclass
from typing import Optional

import pytest
import torch

import interplay as ip
from interplay.results import Partitions, PartitionSearch, Result
from interplay.results._validate import player_count, real_tensor
from interplay.results.schema import Encoding, kind_names, schema_field, schema_of

WORDS = ("a", "truly", "great", "and", "moving", "film")


def game():
    """Six players with labels and a grid, v(∅) != 0 (a baseline_value to keep)."""
    table = torch.randint(-9, 10, (2**6,), generator=torch.Generator().manual_seed(3)).double()
    table[0] = 2.5
    return ip.TableGame(table, labels=WORDS, grid=(2, 3))


def examples():
    """Results that, together, set every field of Result to something other than its default."""
    g = game()
    # stderr, evaluations (the sampler's own: 300 >= 2^6 would otherwise give a zero stderr, 0 evaluations)
    estimate = ip.shapley_values(g, method="permutation", budget=300, seed=1, exact_when_covered=False)
    return [estimate, estimate.to(torch.float32),
            ip.interaction_significance(g, [1, 2, 3]),  # partitions
            ip.interaction_significance(g, [1, 2, 3], method="learned_partitions", seed=0),  # search
            ip.interaction_values(g, index="k-SII", order=2),  # orders, baseline_value
            ip.multi_order_interaction(g, 0, 2),  # sizes
            ip.coalition_shapley(g, [0, 1], absent=[4]),  # absent
            ip.pair_interactions(g, [(0, 1), (2, 5)]),  # pairs
            ip.shapley_interaction_matrix(g, pairs=[(0, 1), (3, 4)])]  # NaN entries


def is_set(r, field):
    """Whether r holds something other than the field's default (required fields always do)."""
    if field.default is dataclasses.MISSING:
        return True
    value = getattr(r, field.name)
    return isinstance(value, torch.Tensor) or value != field.default


def same(a, b):
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        return isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) \
            and (a.dtype, a.device, a.shape) == (b.dtype, b.device, b.shape) \
            and torch.equal(a.isnan(), b.isnan()) and torch.equal(a.nan_to_num(nan=0.0), b.nan_to_num(nan=0.0))
    return type(a) is type(b) and a == b


def through_json(r):
    text = json.dumps(r.to_dict(), allow_nan=False)
    return Result.from_dict(json.loads(text))


def through_file(r, tmp_path):
    path = tmp_path / "r.json"
    r.save(str(path))
    return Result.load(str(path))


def through_pickle(r):
    return pickle.loads(pickle.dumps(r))


def through_torch_save(r):
    buf = io.BytesIO()
    torch.save({"r": r}, buf)
    buf.seek(0)
    return torch.load(buf, weights_only=True)["r"]


COPIES = {"json": through_json, "pickle": through_pickle, "torch.save": through_torch_save,
          "deepcopy": copy.deepcopy, "copy": copy.copy}


def test_the_examples_set_every_field():
    results = examples()
    unset = [f.name for f in dataclasses.fields(Result) if not any(is_set(r, f) for r in results)]
    assert unset == [], f"no example sets {unset}: add a result that does to examples()"


@pytest.mark.parametrize("how", sorted(COPIES))
def test_every_field_survives(how):
    results = examples()
    for field in dataclasses.fields(Result):
        for r in (r for r in results if is_set(r, field)):
            back = COPIES[how](r)
            assert type(back) is Result
            assert same(getattr(r, field.name), getattr(back, field.name)), (how, field.name, r.index)


def test_every_field_survives_a_file(tmp_path):
    for r in examples():
        back = through_file(r, tmp_path)
        for field in dataclasses.fields(Result):
            assert same(getattr(r, field.name), getattr(back, field.name)), (field.name, r.index)


def test_every_field_declares_its_schema():
    for field in dataclasses.fields(Result):
        schema = schema_of(field)
        assert schema.check is not None, field.name
        assert (schema.encoding is Encoding.NESTED) == (schema.nested is not None), field.name
    assert kind_names(Result) == ("index", "n_players", "players", "pairs", "absent", "sizes", "orders")
    encodings = {f.name: schema_of(f).encoding for f in dataclasses.fields(Result)}
    assert [k for k, e in encodings.items() if e is Encoding.TENSOR] == ["values", "stderr"]
    assert encodings["estimator"] is Encoding.ESTIMATOR and encodings["baseline_value"] is Encoding.NUMBERS
    assert {schema_of(f).nested for f in dataclasses.fields(Result)} == {None, Partitions, PartitionSearch}
    numbers = {cls: [f.name for f in dataclasses.fields(cls) if schema_of(f).encoding is Encoding.NUMBERS]
               for cls in (Partitions, PartitionSearch)}
    assert numbers == {Partitions: ["b_max", "b_min", "b_max_stderr", "b_min_stderr"],
                       PartitionSearch: ["p_max", "p_min", "trajectory_max", "trajectory_min"]}
    with pytest.raises(TypeError, match="NESTED"):
        schema_field(encoding=Encoding.NESTED)


# -- a field added to a result needs no other change ------------------------------------------
def _note(r, name, value):
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string")
    return value


def _weights(r, name, value):
    return None if value is None else real_tensor(r, name, value)


@dataclass(frozen=True, eq=False, repr=False)
class AnnotatedResult(Result):
    """A result with three more fields, declared the way Result declares its own."""

    note: Optional[str] = schema_field(default=None, check=_note)
    weights: Optional[torch.Tensor] = schema_field(default=None, encoding=Encoding.TENSOR, check=_weights)
    cohort: int = schema_field(default=1, kind=True, check=player_count)


def annotated(**changes):
    sv = ip.shapley_values(game())
    fields = dict(index="SV", values=sv.values, n_players=6, estimator=sv.estimator, note="first run",
                  weights=torch.tensor([0.5, float("nan")], dtype=torch.float64), cohort=3)
    fields.update(changes)
    return AnnotatedResult(**fields)


def test_a_new_field_is_saved_pickled_checked_and_compared_without_another_list():
    r = annotated()
    for back in (AnnotatedResult.from_dict(json.loads(json.dumps(r.to_dict(), allow_nan=False))),
                 AnnotatedResult._from_state(r._state())):  # _state / _from_state: what pickles use
        assert type(back) is AnnotatedResult
        for field in dataclasses.fields(AnnotatedResult):
            assert same(getattr(r, field.name), getattr(back, field.name)), field.name
    with pytest.raises(TypeError, match="note must be a string"):
        annotated(note=5)
    with pytest.raises(ValueError, match="cohort must be in"):
        annotated(cohort=0)
    with pytest.raises(ValueError, match="different cohort"):
        annotated() + annotated(cohort=4)
    both = annotated() + annotated()
    assert type(both) is AnnotatedResult and both.cohort == 3 and both.note == "first run"
    with pytest.raises(ValueError, match=r"unknown fields \['cohort', 'note', 'weights'\]"):
        Result._from_state(r._state())  # a Result has no such field


def test_a_field_declared_without_a_check_is_refused():
    @dataclass(frozen=True, eq=False, repr=False)
    class Unchecked(Result):
        note: str = ""

    sv = ip.shapley_values(game())
    with pytest.raises(TypeError, match="'note' of Unchecked declares no check"):
        Unchecked(index="SV", values=sv.values, n_players=6, estimator=sv.estimator)
