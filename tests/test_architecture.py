"""The dependency graph of the project, read from every production module's imports.

Bottom to top: common (imports no project package), outbox, parties, cases, consent,
meetings, plans, groups (the Samverk group's own work), areaplans (the area's
handlingsplan), followup (statistics, Spindeln, avvikelser: reads the others); an app may
import the apps below it, never one above. samverk is the project shell (settings, root
URLs, dashboard, the commands that span apps): it may import every app, and nothing outside
it imports it. bench may import anything; nothing outside it (but the tests) imports it. No
two modules import each other, not even through a chain of other modules, nor lazily inside
a function.

Only real import statements count (module level, inside functions and classes, `import x.y`
and `from x import y`, relative ones resolved); a dotted path in a string, as settings and
URL confs hold, is not an import. Migrations and tests are left out.
"""

import ast
from collections import deque
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Bottom to top: each may import those before it.
LAYERS = [
    "common",
    "outbox",
    "parties",
    "cases",
    "consent",
    "meetings",
    "plans",
    "groups",
    "areaplans",
    "followup",
]
SHELL = "samverk"
BENCH = "bench"
# An app not made yet is left out until it is.
LAYERS = [layer for layer in LAYERS if (ROOT / layer / "__init__.py").is_file()]
PACKAGES = [*LAYERS, SHELL] + ([BENCH] if (ROOT / BENCH / "__init__.py").is_file() else [])
LEFT_OUT = {"migrations", "tests", "__pycache__"}


def module_files():
    """{module name: path} of every production module of PACKAGES."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if LEFT_OUT & set(parts):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imports_of(source, module, *, is_package, known=frozenset()):
    """[(imported module, line)] for every import statement anywhere in ``source``.

    ``from x import y`` names the module x.y when that is one of the ``known`` modules (a
    submodule), else x (y is a name defined in x)."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.append((submodule if submodule in known else target, node.lineno))
    return sorted(found, key=lambda item: item[1])


def first_party(name):
    return name.split(".")[0] in PACKAGES


@pytest.fixture(scope="module")
def graph():
    """{module: {imported first-party module: first line}}."""
    files = module_files()
    known = frozenset(files)
    edges = {}
    for module, path in files.items():
        edges[module] = {}
        imported = imports_of(
            path.read_text(encoding="utf-8"),
            module,
            is_package=path.name == "__init__.py",
            known=known,
        )
        for target, line in imported:
            if first_party(target) and target != module:
                edges[module].setdefault(target, line)
    return edges


def listing(lines):
    return "\n  " + "\n  ".join(lines)


def test_the_walker_sees_every_kind_of_import():
    source = (
        "import os.path\n"
        "from django.db import models\n"
        "from . import access\n"
        "from ..cases import services as case_services\n"
        "from .models import Meeting\n"
        "\n"
        "\n"
        "def later():\n"
        "    from outbox.services import queue_message\n"
        "    import samverk.settings\n"
        "\n"
        "\n"
        "class View:\n"
        "    def get(self):\n"
        "        from .services.booking import book\n"
    )
    known = {"meetings.access", "meetings.models", "cases.services", "meetings.services.booking"}
    # As meetings/views.py, a module of the package meetings.
    found = imports_of(source, "meetings.views", is_package=False, known=known)
    assert found == [
        ("os.path", 1),
        ("django.db", 2),
        ("meetings.access", 3),
        ("cases.services", 4),
        ("meetings.models", 5),
        ("outbox.services", 9),
        ("samverk.settings", 10),
        ("meetings.services.booking", 15),
    ]
    # As meetings/views/__init__.py: the package itself is where "." starts.
    found = imports_of(
        "from . import run, mixins\n",
        "meetings.views",
        is_package=True,
        known={"meetings.views.run"},
    )
    assert found == [("meetings.views.run", 1), ("meetings.views", 1)]


def test_the_walk_reads_every_package():
    modules = module_files()
    for package in PACKAGES:
        assert package in modules, package
        assert any(name.startswith(f"{package}.") for name in modules), package
    assert not [name for name in modules if ".migrations" in name]


def allowed(module, target):
    source, imported = module.split(".")[0], target.split(".")[0]
    if source in (imported, BENCH):
        return True
    if imported == BENCH:
        return True  # reported by test_no_production_module_imports_the_bench
    if source == SHELL:
        return True
    if imported == SHELL:
        return False
    return LAYERS.index(imported) < LAYERS.index(source)


def test_imports_follow_the_layers(graph):
    wrong = [
        f"{module} -> {target} ({line})"
        for module, targets in sorted(graph.items())
        for target, line in sorted(targets.items())
        if not allowed(module, target)
    ]
    assert not wrong, (
        "Imports against the dependency graph (bottom to top: "
        + " <- ".join(LAYERS)
        + f"; {SHELL} is imported by no app):"
        + listing(wrong)
    )


def test_no_production_module_imports_the_bench(graph):
    wrong = [
        f"{module} -> {target} ({line})"
        for module, targets in sorted(graph.items())
        for target, line in sorted(targets.items())
        if target.split(".")[0] == BENCH and module.split(".")[0] != BENCH
    ]
    assert not wrong, "Production modules that import the bench:" + listing(wrong)


def strongly_connected(graph):
    """Tarjan's components of the module graph, those of more than one module."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in graph:
                continue  # a name that is no module of ours (reported elsewhere if wrong)
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def shortest_cycle(graph, start, within):
    """The shortest path start -> ... -> start inside one component."""
    came_from = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(graph[node]):
            if target == start:
                path = [node]
                while came_from[path[-1]] is not None:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if target in within and target not in came_from:
                came_from[target] = node
                queue.append(target)
    return None


def test_no_import_cycles(graph):
    cycles = set()
    for component in strongly_connected(graph):
        for start in component:
            path = shortest_cycle(graph, start, component)
            # One cycle reached from several of its modules is reported once.
            ring = path[:-1]
            first = ring.index(min(ring))
            cycles.add(tuple(ring[first:] + ring[:first] + [ring[first]]))
    described = sorted(
        " -> ".join(
            [path[0]] + [f"{b} ({graph[a][b]})" for a, b in zip(path, path[1:], strict=False)]
        )
        for path in cycles
    )
    assert not described, (
        "Import cycles (each step: imported module (line of the import in the module before "
        "it)):" + listing(described)
    )
