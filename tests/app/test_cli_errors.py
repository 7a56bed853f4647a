"""The command line never shows a traceback for bad input (one line on stderr, a non-zero
exit) and writes its outputs atomically (a complete set of files, or none)."""
import os

import numpy as np
import pytest
import torch
from torch import nn

from interplay import Result
from interplay.app import cli
from interplay.app.errors import CliError
from interplay.app.jobs.loading import load_tensor, select_example


@pytest.fixture
def d(tmp_path, monkeypatch):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 6 * 6, 3)).eval()
    torch.jit.script(net).save(str(tmp_path / "m.ts"))
    torch.save(net.state_dict(), tmp_path / "state.pt")
    torch.save(torch.rand(1, 6, 6), tmp_path / "x.pt")
    nan = torch.rand(1, 6, 6)
    nan[0, 1, 2] = float("nan")
    torch.save(nan, tmp_path / "nan.pt")
    ref = torch.rand(4, 1, 6, 6)
    ref[2, 0, 0, 0] = float("inf")
    torch.save(ref, tmp_path / "infref.pt")
    torch.save(torch.rand(1, 6, 6).to(torch.complex64), tmp_path / "complex.pt")
    torch.save({"a": 1}, tmp_path / "dict.pt")
    torch.save(torch.rand(0), tmp_path / "zero.pt")
    (tmp_path / "empty.pt").write_bytes(b"")
    (tmp_path / "corrupt.pt").write_bytes(b"PK\x03\x04" + b"junk" * 20)
    (tmp_path / "text.pt").write_text("hello")
    (tmp_path / "bad.npy").write_bytes(b"\x93NUMPY junk")
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "afile").write_text("")
    (tmp_path / "blocked" / "values.json").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(argv, capsys):
    try:
        code = cli.main(argv)
    except SystemExit as e:  # argparse
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


IMG = ["image", "m.ts", "--input", "x.pt", "--no-progress"]
BAD = [
    (["image", "m.ts", "--input", "corrupt.pt"], "cannot read input corrupt.pt: PytorchStreamReader"),
    (["image", "m.ts", "--input", "empty.pt"], "cannot read input empty.pt: the file is empty"),
    (["image", "m.ts", "--input", "text.pt"], "cannot read input text.pt: not a file written by torch.save"),
    (["image", "m.ts", "--input", "dict.pt"], "must hold one tensor"),
    (["image", "m.ts", "--input", "zero.pt"], "at least 2 dimensions"),
    (["image", "m.ts", "--input", "nan.pt"], "x has a non-finite value (nan) at index [0, 1, 2]"),
    (["image", "m.ts", "--input", "complex.pt"], "holds complex numbers"),
    (["image", "m.ts", "--input", "bad.npy"], "cannot read input bad.npy"),
    (["image", "m.ts", "--input", "obj.npy"], "cannot read input obj.npy"),
    (["image", "m.ts", "--input", "nope.pt"], "input file not found"),
    (["image", "m.ts", "--input", "afile"], "unknown file type"),
    (["image", "corrupt.pt", "--input", "x.pt"], "not a TorchScript file"),
    (["image", "empty.pt", "--input", "x.pt"], "not a TorchScript file"),
    (["image", "empty.pt", "--arch", "torch.nn:Identity", "--input", "x.pt"], "the file is empty"),
    (["image", "text.pt", "--arch", "torch.nn:Identity", "--input", "x.pt"], "not a file written by torch.save"),
    (["image", "state.pt", "--arch", "torch.nn:Identity", "--input", "x.pt"], "does not fit torch.nn:Identity"),
    (["image", "state.pt", "--arch", "nope:Nope", "--input", "x.pt"], "cannot import module 'nope'"),
    (IMG + ["--budget", "0"], "--budget must be positive, got 0"),
    (IMG + ["--budget", "-3"], "--budget must be positive, got -3"),
    (IMG + ["--samples", "0"], "unrecognized arguments: --samples 0"),
    (IMG + ["--seed", "-1"], "--seed must be in [0, 2**64), got -1"),
    (IMG + ["--seed", str(2 ** 64)], "--seed must be in [0, 2**64)"),
    (IMG + ["--seed", "1.5"], "invalid int value: '1.5'"),
    (IMG + ["--target", "99"], "target 99 is out of range for a model with 3 classes"),
    (IMG + ["--target", "-1"], "--target must be a class index >= 0, got -1"),
    (IMG + ["--out", "afile"], "--out afile is a file, not a folder"),
    (IMG + ["--cells", "0", "2"], "--cells must be two positive numbers"),
    (IMG + ["--cells", "7", "7"], "cells (7, 7) must lie in 1..6"),
    (IMG + ["--cells", "6", "6"], "exact needs 2^36"),
    (IMG + ["--batch-size", "0"], "--batch-size must be positive"),
    (IMG + ["--method", "permutation", "--budget", "3"], "too small for 'permutation'"),
    # 6x6 cells: 36 players, beyond the exact limit (30), so the sampler's own plan is what is refused; on the
    # default 4x4 grid the budget covers all 2^16 coalitions: exact values (test_a_covering_sampler_budget_is_exact)
    (IMG + ["--cells", "6", "6", "--method", "permutation", "--budget", str(10 ** 22)], "more than max_memory"),
    (IMG + ["--baseline", "mean", "--reference", "infref.pt"], "the reference batch has a non-finite value (inf)"),
    (IMG + ["--reward", "loss"], "--target"),
    (IMG + ["--device", "nowhere"], "not a torch device"),
    (IMG + ["--method", "magic"], "invalid choice: 'magic'"),
    (["--threads", "0"] + IMG, "--threads must be positive"),
    (["sentence", ""], "the sentence is empty"),
    (["sentence", "   "], "the sentence is empty"),
    (["sentence", "hello world", "--A", "0", "0"], "--A repeats words"),
    (["sentence", "hello world", "--budget", "0"], "--budget must be positive"),
    (["sentence", "hello world", "--seed", "-1"], "--seed must be in [0, 2**64)"),
    (["sentence", "hello world", "--updates", "0"], "--updates must be positive"),
    (["sentence", "hello world", "--out", "afile"], "is a file, not a folder"),
    (["toy", "--models", "0"], "--models must be positive"),
    (["toy", "--seed", "-1"], "--seed must be in [0, 2**64)"),
    (["toy", "--contexts", "0"], "--contexts must be positive"),
    (["toy", "--models", "1", "--methods", "exact", "--updates", "3"], "taken by none of the methods"),
    (["demo", "--epochs", "0"], "--epochs must be positive, got 0"),
    (["demo", "--epochs", "-2"], "--epochs must be positive"),
    (["demo", "--out", "afile"], "is a file, not a folder"),
    (["nonsense"], "invalid choice: 'nonsense'"),
    (["image"], "the following arguments are required"),
]


@pytest.mark.parametrize("argv, message", BAD, ids=[" ".join(a)[:60] for a, _ in BAD])
def test_bad_input_is_one_line_and_a_non_zero_exit(d, capsys, argv, message):
    code, _, err = run(argv, capsys)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code not in (0, None), err
    assert "Traceback" not in err and len(lines) == 1, err
    assert "error:" in lines[0] and message in lines[0], lines[0]
    assert not os.path.exists(d / "out") or not os.listdir(d / "out")  # nothing written


def test_a_covering_sampler_budget_is_exact(d, capsys):
    """A sampler whose budget covers all 2^16 coalitions of the default 4x4 grid (--budget 10^22, no plan
    drawn): the exact values, a zero stderr, the sampler as estimator, the 2^16 rows of the table."""
    code, _, err = run(IMG + ["--method", "exact", "--out", "exact"], capsys)
    assert code == 0, err
    code, _, err = run(IMG + ["--method", "permutation", "--budget", str(10 ** 22), "--out", "covered"], capsys)
    assert code == 0, err
    exact, r = (Result.load(os.path.join(d, out, "values.json")) for out in ("exact", "covered"))
    torch.testing.assert_close(r.values, exact.values, rtol=0, atol=0)
    assert torch.equal(r.stderr, torch.zeros(16, dtype=torch.float64))
    assert r.method == "permutation" and r.estimator.budget == 10 ** 22 and r.evaluations == 1 << 16


def outputs(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


FIVE = ["interactions.json", "interactions.png", "summary.json", "values.json", "values.png"]


def test_a_good_run_writes_the_whole_set_and_no_staging_folder(d, capsys):
    code, out, err = run(IMG + ["--cells", "2", "2", "--out", "good"], capsys)
    assert code == 0, err
    assert outputs(d / "good") == FIVE


def test_a_directory_named_like_an_output_fails_before_anything_is_written(d, capsys):
    code, _, err = run(IMG + ["--cells", "2", "2", "--out", "blocked"], capsys)
    assert code == 2 and "blocked/values.json: a directory of that name is in the way" in err
    assert outputs(d / "blocked") == ["values.json"]  # only the directory that was there
    assert os.path.isdir(d / "blocked" / "values.json")


def test_a_failure_while_writing_leaves_no_files(d, capsys, monkeypatch):
    from interplay import plots

    def broken(*args, **kwargs):
        raise ValueError("the picture failed")

    monkeypatch.setattr(plots, "image_interactions", broken)
    code, _, err = run(IMG + ["--cells", "2", "2", "--out", "half"], capsys)
    assert code == 2 and "the picture failed" in err
    assert outputs(d / "half") == []  # values.json was staged, never renamed into place


def test_a_rerun_replaces_a_complete_set(d, capsys):
    assert run(IMG + ["--cells", "2", "2", "--out", "again"], capsys)[0] == 0
    first = (d / "again" / "summary.json").read_text()
    assert run(IMG + ["--cells", "2", "2", "--out", "again", "--target", "1"], capsys)[0] == 0
    assert outputs(d / "again") == FIVE and (d / "again" / "summary.json").read_text() != first


# -- a garbage tensor file, a negative index -------------------------------------------------------
def test_cli_garbage_input_and_negative_index(tmp_path):
    garbage = tmp_path / "garbage.pt"
    garbage.write_bytes(bytes(range(256)) * 2)
    with pytest.raises(CliError) as info:
        load_tensor(str(garbage), "input")
    message = str(info.value)
    assert "not a tensor file torch.load can read safely (weights_only)" in message
    assert "\n" not in message and "PyTorch 2.6" not in message
    with pytest.raises(CliError, match="--index must be >= 0"):
        select_example(torch.zeros(3, 2), -1)
    assert torch.equal(select_example(torch.arange(6).view(3, 2), 2), torch.tensor([4, 5]))
