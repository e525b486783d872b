"""No import circle in ``workflow/`` and ``cli/`` (issue 10, item 6).

The modules are read as Python (nothing is imported) and each one's imports are resolved to the
modules of the two packages: those at module level (a ``try:`` block included, ``if TYPE_CHECKING:``
left out: it is not run), which Python runs on import, and where a circle would fail or depend on
the order of imports. Imports inside functions are how the CLI stays lazy and are allowed to go
back up the layers, except in the store: ``workflow/store`` opens, migrates and tells its failures
without any of its modules needing another that needs it (``database`` → ``schema`` →
``failures``; the developer's ``autogenerate`` apart), imports inside functions included.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("workflow", "cli")


def _modules(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, ast.Name | ast.Attribute) and "TYPE_CHECKING" in ast.unparse(test)


def _imports(tree: ast.Module, *, everywhere: bool) -> list[ast.Import | ast.ImportFrom]:
    """The import statements run on import (``everywhere``: those inside functions too); never
    those under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If) and _type_checking(node):
            continue
        elif everywhere:
            pending += list(ast.iter_child_nodes(node))
        elif isinstance(node, ast.Try):
            pending += [*node.body, *node.orelse, *node.finalbody, *(s for h in node.handlers for s in h.body)]
        elif isinstance(node, ast.If) and not _type_checking(node):
            pending += [*node.body, *node.orelse]
    return found


def import_graph(root: Path, packages: Iterable[str], *, everywhere: bool = False) -> dict[str, set[str]]:
    """Each module of ``packages`` → the modules of ``packages`` it imports."""
    modules = _modules(root, packages)

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")), everywhere=everywhere):
            if isinstance(node, ast.Import):
                deps.update(r for a in node.names if (r := resolve(a.name)))
                continue
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            for alias in node.names:
                target = f"{base}.{alias.name}"
                resolved = target if target in modules else resolve(base)
                if resolved:
                    deps.add(resolved)
        deps.discard(name)
        graph[name] = deps
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _shown(graph: dict[str, set[str]], found: list[list[str]]) -> str:
    return "\n".join(
        f"circle: {', '.join(c)}\n" + "\n".join(f"  {m} imports {sorted(graph[m] & set(c))}" for m in c) for c in found
    )


def test_no_import_circle_at_module_level():
    graph = import_graph(ROOT, PACKAGES)
    assert len(graph) > 100  # the packages were read
    found = circles(graph)
    assert found == [], _shown(graph, found)


def test_no_import_circle_in_the_store_even_inside_functions():
    graph = import_graph(ROOT, ("workflow/store",), everywhere=True)
    store = {m: {d for d in deps if d.startswith("workflow.store")} for m, deps in graph.items()}
    assert "workflow.store.failures" in store["workflow.store.schema"]
    found = circles(store)
    assert found == [], _shown(store, found)


def test_a_circle_is_found_and_a_lazy_or_type_only_import_is_not(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.b import x\n")
    (pkg / "b.py").write_text("try:\n    from . import c\nexcept ImportError:\n    pass\nx = 1\n")
    (pkg / "c.py").write_text("import pkg.a\n")
    (pkg / "d.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import e\n")
    (pkg / "e.py").write_text("def f():\n    from pkg import d\n    if TYPE_CHECKING:\n        from pkg import a\n")
    graph = import_graph(tmp_path, ("pkg",))
    assert circles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert graph["pkg.d"] == set() and graph["pkg.e"] == set()
    everywhere = import_graph(tmp_path, ("pkg",), everywhere=True)
    assert everywhere["pkg.e"] == {"pkg.d"}
