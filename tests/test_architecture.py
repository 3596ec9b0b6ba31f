"""The shape issue 17 gave the code, kept: no import cycle, small modules, short functions
and views. The demo's seed data (`convene.demo`) is data, not rules, and is left out."""

import ast
import inspect
import textwrap
from pathlib import Path

from convene import ROOT

PACKAGE = ROOT / "convene"
MODULE_LINES = 450
FUNCTION_LINES = 60
VIEW_LINES = 25
EXEMPT = "convene.demo"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def measured(name: str) -> bool:
    return not (name == EXEMPT or name.startswith(EXEMPT + "."))


def imported_module(importer: str, node: ast.ImportFrom, alias: ast.alias) -> str | None:
    """The convene module an import loads: `from a import b` loads a.b where that is a module."""
    if node.level:
        package = importer.split(".")
        if MODULES[importer].name != "__init__.py":
            package.pop()
        package = package[: len(package) - node.level + 1]
        base = ".".join(package + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    for candidate in (f"{base}.{alias.name}", base):
        if candidate in MODULES:
            return candidate
    return None


def import_graph() -> dict[str, set[str]]:
    """Every convene module's imports of other convene modules, those inside functions too."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    target = imported_module(name, node, alias)
                    if target and target != name:
                        graph[name].add(target)
            elif isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names if a.name in MODULES)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    assert cycles(import_graph()) == []


def test_imports_inside_functions_are_seen():
    # The graph must count an import written inside a function, or a cycle could hide there.
    tree = ast.parse("def f():\n    from convene.services import outbox\n")
    TREES["convene.cli"], saved = tree, TREES["convene.cli"]
    try:
        assert "convene.services.outbox" in import_graph()["convene.cli"]
    finally:
        TREES["convene.cli"] = saved


def test_modules_are_small():
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()
    }
    large = {name: size for name, size in sizes.items() if measured(name) and size > MODULE_LINES}
    assert large == {}


def test_functions_are_short():
    long = {
        f"{name}:{node.lineno} {node.name}": node.end_lineno - node.lineno + 1
        for name, tree in TREES.items()
        if measured(name)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > FUNCTION_LINES
    }
    assert long == {}


def view_bodies(app):
    """Each function the URL map routes to (a MethodView's methods for the API), unwrapped."""
    for endpoint, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        if view_class is not None:
            for method in view_class.methods or ():
                yield f"{endpoint}.{method.lower()}", getattr(view_class, method.lower())
        else:
            yield endpoint, view


def test_views_are_short(app):
    long = {}
    seen = 0
    for endpoint, view in view_bodies(app):
        function = inspect.unwrap(view)
        module = getattr(function, "__module__", "") or ""
        if not module.startswith("convene") or not measured(module):
            continue
        seen += 1
        definition = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
        length = definition.end_lineno - definition.lineno + 1  # from `def`, decorators aside
        if length > VIEW_LINES:
            long[endpoint] = length
    assert seen > 100  # the URL map really was read
    assert long == {}
