"""What python -m interplay prints when its output is piped: no progress-bar escapes unless asked
for, and the image job's evaluation counts per estimate (--budget is each estimate's)."""

import json
import os
import subprocess
import sys

import pytest
import torch

from interplay.app import cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.*deprecated:DeprecationWarning")


@pytest.fixture
def model_files(tmp_path):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3, padding=1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(2),
                              torch.nn.Flatten(), torch.nn.Linear(12, 4)).eval()
    x = torch.randn(2, 6, 6)
    ts, inp = str(tmp_path / "model.ts"), str(tmp_path / "x.pt")
    torch.jit.save(torch.jit.trace(net, x[None]), ts)
    torch.save(x, inp)
    return ts, inp


def _interplay(args, tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [os.path.join(ROOT, "python"),
                                                                     os.environ.get("PYTHONPATH")])))
    env.pop("INTERPLAY_TRACEBACK", None)
    done = subprocess.run([sys.executable, "-m", "interplay", *args], capture_output=True, env=env,
                          cwd=str(tmp_path), timeout=300)  # bytes: text mode would turn '\r' into '\n'
    done.stdout, done.stderr = done.stdout.decode(), done.stderr.decode()
    return done


def _image_args(model_files, out, *extra):
    ts, inp = model_files
    return ["image", ts, "--input", inp, "--cells", "3", "3", "--method", "permutation", "--budget", "200",
            "--seed", "1", "--batch-size", "4", "--out", out, *extra]


def test_piped_output_has_no_progress_escapes(model_files, tmp_path):
    done = _interplay(_image_args(model_files, str(tmp_path / "plain")), tmp_path)
    assert done.returncode == 0, done.stderr
    for stream in (done.stdout, done.stderr):
        assert "\r" not in stream and "\x1b[" not in stream, repr(stream[-500:])
    forced = _interplay(_image_args(model_files, str(tmp_path / "bars"), "--progress"), tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "\r" in forced.stderr or "\x1b[" in forced.stderr  # --progress shows the bars even on a pipe
    assert "\r" not in forced.stdout and "\x1b[" not in forced.stdout


def test_progress_options():
    parser = cli.build_parser()
    parse = lambda *a: parser.parse_args(["toy", *a]).progress  # noqa: E731
    assert (parse(), parse("--progress"), parse("--no-progress")) == (None, True, False)
    with pytest.raises(SystemExit):
        parser.parse_args(["toy", "--progress", "--no-progress"])


def test_image_reports_evaluations_per_estimate(model_files, tmp_path):
    out = str(tmp_path / "budget")
    done = _interplay(_image_args(model_files, out), tmp_path)
    assert done.returncode == 0, done.stderr
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)
    n, m = s["evaluations_values"], s["evaluations_pairs"]
    assert 0 < n <= 200 and 0 < m <= 200 and s["evaluations"] == n + m
    assert s["budget"] == 200 and s["budget_applies_to"] == "each"
    assert f"evaluations: values {n:,}, pairs {m:,}, total {n + m:,} (budget 200 each)" in done.stdout
    text = _interplay(["image", "--help"], tmp_path).stdout
    assert "EACH" in " ".join(text.split()) and "2 x BUDGET" in " ".join(text.split())
