"""The layers hold: rules do no I/O (a compact catalog's positions are loaded by the pipeline, not
by a rule), the run state is named records that survive the cache, and compiler/ has no import
of a private name from another module."""
from __future__ import annotations

import ast
import builtins
import pickle
from pathlib import Path

from compiler.pipeline import Options, assemble, gather, read_and_check
from compiler.rules import project_rules
from compiler.runstate import RunState, Seen, Stat

ROOT = Path(__file__).resolve().parent.parent


def _duplicate_id(project: Path) -> None:
    # GK303 marks both files: a cross-catalog finding whose positions come from two catalogs
    path = project / "catalogs" / "341321" / "employment.yaml"
    path.write_text(path.read_text("utf-8").replace('"341321-ee-002"', '"341321-sa-002"', 1), "utf-8")


def test_project_rules_over_compact_catalogs_open_no_file(project, monkeypatch):
    _duplicate_id(project)
    monkeypatch.chdir(project)
    results = [read_and_check(s).compact() for s in gather(Options())]
    compact = assemble(results, project_diagnostics=()).project
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k))
    found = [d for rule in project_rules() for d in rule.fn(compact)]
    assert "GK303" in {d.code for d in found}
    assert opened == []
    assert any(c.needs_positions for c in compact.catalogs)  # the pipeline's cue to load them


def test_findings_over_compact_catalogs_have_the_real_positions(project, monkeypatch):
    _duplicate_id(project)
    monkeypatch.chdir(project)
    sources = gather(Options())
    full = assemble([read_and_check(s) for s in sources])
    compact = assemble([read_and_check(s).compact() for s in sources])
    duplicate = [d for d in full.diagnostics if d.code == "GK303"]
    assert duplicate and all(d.line > 1 for d in duplicate)
    assert compact.diagnostics == full.diagnostics
    assert not any(c.needs_positions for c in compact.project.catalogs)


def test_run_state_survives_pickling_as_named_records():
    state = RunState(5, {"a.yaml": Stat(1, 2, 3, 4, "d")}, {"a.yaml": Seen("d", "s", (), 1, 7)}, (), "t")
    back = pickle.loads(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == state
    assert type(back.stat["a.yaml"]) is Stat and back.stat["a.yaml"].digest == "d"
    assert type(back.files["a.yaml"]) is Seen and back.files["a.yaml"].items == 7


def _private_imports() -> list[str]:
    found = []
    for path in sorted((ROOT / "compiler").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:  # gkml's own modules only
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{path.relative_to(ROOT)} imports {alias.name}")
                    modules.add(alias.asname or alias.name)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                found.append(f"{path.relative_to(ROOT)} reads {node.value.id}.{node.attr}")
    return found


def test_no_module_imports_another_modules_private_names():
    assert _private_imports() == []


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """compiler module -> the compiler modules it imports (at the top or inside a function)."""
    modules = {_module_of(p): p for p in (ROOT / "compiler").rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                for alias in node.names:  # `from . import index` names a module, `from .x import y` a name
                    sub = f"{target}.{alias.name}"
                    graph[name].add(sub if sub in modules else target)
            elif isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names if a.name in modules)
    # a package and its own modules are one room (rules/__init__ lists its families, which import
    # its Rule): the ties between them are not arrows between layers
    def own(a: str, b: str) -> bool:
        return a.rpartition(".")[0] == b or b.rpartition(".")[0] == a

    return {k: {m for m in v if m in modules and m != k and m != "compiler" and not own(k, m)} for k, v in graph.items()}


def _circles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = set()
            while True:
                top = stack.pop()
                part.add(top)
                if top == node:
                    break
            if len(part) > 1:
                found.add(frozenset(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_compiler_has_no_import_circle():
    graph = _imports()
    assert graph["compiler.cli"] >= {"compiler.commands.common", "compiler.reporters"}  # the graph is read
    assert [m for m, deps in graph.items() if "compiler.cli" in deps] == ["compiler.__main__"]  # no arrow back up
    assert _circles(graph) == set()


def test_benchmark_scripts_have_no_import_circle():
    # the scripts import each other by plain name (benchmarks/ is their sys.path[0])
    scripts = {p.stem: p for p in (ROOT / "benchmarks").glob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in scripts}
    for name, path in scripts.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level:
                graph[name].add(node.module)
            elif isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names)
        graph[name] &= scripts.keys() - {name}
    assert "townships" in graph["generate"]   # the graph is read
    assert _circles(graph) == set()
