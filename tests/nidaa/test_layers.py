"""The packages' layers, read from the code's own imports.

``helpdesk`` is the core: it imports no edge (``chat``, ``social``, ``bots``), not the
demo organisation and not the project (``nidaa``), which wires them all together.
No module imports itself back through others: every import counts, also one inside a
function or under ``TYPE_CHECKING`` — a lazy import that dodges a cycle is still one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCT = ("nidaa", "helpdesk", "chat", "social", "bots", "demo")
CORE = "helpdesk"
# What each package may import from the others (the standard library and installed
# packages are always allowed).
ALLOWED = {
    "helpdesk": set(),
    "chat": {"helpdesk"},
    "social": {"helpdesk"},
    "bots": {"helpdesk"},
    "demo": {"helpdesk", "bots", "social", "chat"},
    "nidaa": {"helpdesk", "chat", "social", "bots", "demo"},
}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """The project modules ``name`` imports, with the line, wherever the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # "from pkg import module" imports the module; "from module import name" the module
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target, node.lineno


def _graph() -> tuple[dict[str, set[str]], dict[tuple[str, str], int]]:
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    lines: dict[tuple[str, str], int] = {}
    for name, path in modules.items():
        for target, line in _imports(name, path, known):
            graph[name].add(target)
            lines.setdefault((name, target), line)
    return graph, lines


def _top(module: str) -> str:
    return module.split(".")[0]


def test_the_core_imports_no_edge_and_edges_only_what_they_may() -> None:
    graph, lines = _graph()
    wrong = sorted(
        f"{_path(name)}:{lines[name, target]} imports {target}"
        for name, targets in graph.items()
        for target in targets
        if _top(target) != _top(name) and _top(target) not in ALLOWED[_top(name)]
    )
    assert not wrong, "imports that run against the layers:\n" + "\n".join(wrong)


def test_no_module_imports_itself_back() -> None:
    graph, lines = _graph()
    cycles = _cycles(graph)
    described = [
        " -> ".join([*cycle, cycle[0]])
        + "  ("
        + ", ".join(
            f"{_path(a)}:{lines[a, b]}" for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True)
        )
        + ")"
        for cycle in cycles
    ]
    assert not cycles, "import cycles:\n" + "\n".join(described)


def _path(module: str) -> str:
    return str(_modules()[module].relative_to(ROOT))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_one_cycle(graph, set(component)) for component in components]


def _one_cycle(graph: dict[str, set[str]], members: set[str]) -> list[str]:
    """A shortest path back to the start inside the component, to name in the failure."""
    start = min(members)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & members):
                if target == start:
                    return paths[node]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    return sorted(members)
