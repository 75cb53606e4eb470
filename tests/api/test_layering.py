"""The package's layers: services/ is the only layer that queries the database (resources and
the dashboard call it), and no module imports another that imports it back."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "companion_api"
# Layers that may query: the services, the models and database plumbing, the migrations.
QUERYING = ("services/", "database.py", "models/", "migrations/")
QUERY_NAMES = {"select", "delete", "insert", "update", "text", "func", "tuple_"}


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("migrations/") or rel.endswith("gunicorn.conf.py"):
            continue
        name = "companion_api." + rel[:-3].replace("/", ".").removesuffix(".__init__")
        yield name, rel, ast.parse(path.read_text())


def imports(name, tree, is_package, known):
    """The companion_api modules this one imports, at import time or later inside a function
    (a late import only hides a cycle, it does not break it)."""
    base = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parent = base[:len(base) - node.level + 1]
                target = ".".join(parent + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:  # `from . import x` imports the module x
                yield f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def test_no_import_cycles():
    known = {name: (rel, tree) for name, rel, tree in modules()}
    graph = {name: {t for t in imports(name, tree, rel.endswith("__init__.py"), known)
                    if t in known and t != name}
             for name, (rel, tree) in known.items()}
    # A package's __init__ importing its own submodules is how packages work: not a cycle.
    for name in graph:
        graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    cycles, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("name, rel, tree", [m for m in modules()
                                             if not m[1].startswith(QUERYING)],
                         ids=lambda v: v if isinstance(v, str) and v.endswith(".py") else "")
def test_only_services_query(name, rel, tree):
    source = ast.unparse(tree)
    assert "db.session" not in source, f"{rel} uses the session: call a service instead"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names = {a.name for a in node.names} & QUERY_NAMES
            assert not names, f"{rel} builds queries ({names}): call a service instead"
