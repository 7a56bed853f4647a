"""The layout keeps its promises (docs/ARCHITECTURE.md): no import cycles between modules (lazy
imports inside functions included; imports only for type checking aside), no module over 400
lines, and the subsystems depend on each other only in the documented directions; docs/ARCHITECTURE.md
lists exactly the registered estimators, and it or the README names each default sampler."""
import ast
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2] / "python" / "interplay"
MAX_LINES = 400


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in ROOT.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(name: str) -> set:
    """Modules of the package that ``name`` imports anywhere (but under ``if TYPE_CHECKING``)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - child.level + 1]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                for alias in child.names:
                    full = f"{target}.{alias.name}"
                    found.add(full if full in MODULES else target)
            elif isinstance(child, ast.Import):
                found.update(a.name for a in child.names)
            visit(child)

    visit(ast.parse(path.read_text()))
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _parents(name: str) -> list:
    """The packages whose __init__ runs before ``name`` (the package root, which re-exports
    everything, aside)."""
    parts = name.split(".")
    return [".".join(parts[:k]) for k in range(2, len(parts))]


def test_no_import_cycles():
    # importing a module runs its packages' __init__ first: a module depends on its parents too
    graph = {m: set(deps) | {p for d in deps for p in _parents(d)} for m, deps in GRAPH.items()}
    # a package's __init__ re-exporting its own submodules is not a cycle through the package
    for m in graph:
        graph[m] = {d for d in graph[m] if d != m and not m.startswith(d + ".")}
    state: dict = {}
    stack: list = []

    def walk(m: str) -> None:
        state[m] = "open"
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == "open":
                cycle = stack[stack.index(d):] + [d]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if d not in state:
                walk(d)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            walk(m)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name):
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines (at most {MAX_LINES})"


# Which subsystems may import which (besides the private helpers of interplay._internal, the extension
# _C and the package root's own __init__ re-exports).
ALLOWED = {
    "methods": set(),
    "engine": set(),
    "games": {"engine"},
    "results": {"methods", "plots"},
    "plots": set(),
    "estimators": {"methods", "engine", "games", "results"},
    "exact": {"methods", "engine", "games", "results"},
    "indices": {"methods", "engine", "games", "results"},
    "multivariate": {"methods", "engine", "games", "results", "indices"},
    "nn": set(),
    "app": {"methods", "engine", "games", "results", "plots", "estimators", "exact", "indices", "multivariate", "nn"},
}


def test_subsystems_depend_only_as_documented():
    private = {"_internal", "_C"}
    for name, deps in GRAPH.items():
        parts = name.split(".")
        if len(parts) < 2 or parts[1] not in ALLOWED:
            continue
        mine = parts[1]
        for d in deps:
            other = d.split(".")[1] if "." in d else None
            if other is None or other == mine or other in private:
                continue
            assert other in ALLOWED[mine], f"{name} imports {d}: {mine} may not depend on {other}"


# -- docs/ARCHITECTURE.md's estimator table is the registry ------------------------------------------
ARCHITECTURE = ROOT.parents[1] / "docs" / "ARCHITECTURE.md"


def _documented_estimators() -> list:
    """(class, name) of each row of the table under "## The estimators" in docs/ARCHITECTURE.md."""
    import re

    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert "\n## The estimators" in text, "docs/ARCHITECTURE.md has no '## The estimators' section"
    section = text.split("\n## The estimators", 1)[1].split("\n## ", 1)[0]
    return re.findall(r'^\| `(\w+)` \| `"(\w+)"` \|', section, flags=re.M)


def test_architecture_lists_exactly_the_registered_estimators():
    import interplay
    from interplay.methods import registered

    rows = _documented_estimators()
    assert len(rows) == len({name for _, name in rows}), f"a name listed twice: {rows}"
    documented = {name: cls for cls, name in rows}
    estimators = registered()
    assert sorted(documented) == sorted(estimators), "docs/ARCHITECTURE.md's estimator table lists other names"
    for name, cls in estimators.items():
        assert documented[name] == cls.__name__, f"{name!r} is {cls.__name__}, the table says {documented[name]}"
        assert getattr(interplay, cls.__name__, None) is cls, f"interplay.{cls.__name__} is not the registered class"


def test_docs_name_the_default_samplers():
    from interplay.methods import DEFAULT_SAMPLERS

    root = os.path.join(os.path.dirname(__file__), "..", "..")
    text = open(os.path.join(root, "README.md")).read() + open(os.path.join(root, "docs", "ARCHITECTURE.md")).read()
    for quantity, name in DEFAULT_SAMPLERS.items():
        assert f"{quantity} → {name}" in text or f"`{quantity}` → `{name}`" in text, (quantity, name)


def test_the_top_level_shows_the_subsystems():
    """The package's top level is its subsystems, the estimator base (methods) and one folder of
    private helpers (``_internal``): no helper module beside them."""
    entries = sorted(p.name for p in ROOT.iterdir() if p.name != "__pycache__" and not p.name.startswith("_C."))
    assert entries == ["__init__.py", "__main__.py", "_internal", "app", "engine", "estimators", "exact", "games",
                       "indices", "methods.py", "multivariate", "nn", "plots", "results"]
