"""Imports run one way (DESIGN.md): the core imports no app, the checks import only the core, the apps
never import each other, and no module of the project imports itself back through others.

The import graph is read from the source (every `import`, at module level or inside a function), so a
cycle hidden in a function body counts like any other.
"""
from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Top-level folder -> its import name (pyproject's package-dir installs them all under mail_lint).
PACKAGES = {"mail_lint": "mail_lint", "rules": "mail_lint.rules", "api": "mail_lint.api",
            "imap_watcher": "mail_lint.imap_watcher"}
CHECKS, API, WATCHER = "mail_lint.rules", "mail_lint.api", "mail_lint.imap_watcher"
CLI = ("mail_lint.cli", "mail_lint.commands", "mail_lint.__main__")  # the CLI is an app
# The CLI's verbs import their work when they run, so `mail-lint --help` does not load the whole project.
LAZY_IMPORTS_ALLOWED = ("mail_lint.commands.", "mail_lint.api.serve", "mail_lint.imap_watcher.watch")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    parts[0:1] = PACKAGES[parts[0]].split(".")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for folder in PACKAGES for p in (REPO / folder).rglob("*.py")
            if "migrations" not in p.parts}


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The project module an imported name refers to (a name inside a module resolves to the module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> list[tuple[str, bool, str]]:
    """(imported project module, imported inside a function, the name as written) for each import."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
              for n in ast.walk(f) if n is not f}
    # `if TYPE_CHECKING:` imports never run: they name types, they make no import edge.
    type_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                 and getattr(block.test, "id", None) == "TYPE_CHECKING" for n in ast.walk(block)}
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for name in names:
            if name.split(".")[0] in ("rules", "api", "imap_watcher"):
                found.append((name, id(node) in nested, name))  # the old top-level name: see the test below
                continue
            target = _resolve(name)
            # A module's own packages are always imported before it: no edge to follow there.
            if target and target != module and not module.startswith(target + "."):
                found.append((target, id(node) in nested, name))
    return found


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _is(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _layer(module: str) -> str:
    for prefixes, layer in ((CLI, "cli"), ((CHECKS,), "rules"), ((API,), "api"), ((WATCHER,), "imap_watcher")):
        if _is(module, prefixes):
            return layer
    return "mail_lint"  # the core


def test_the_graph_is_read():
    assert {"mail_lint.engine", "mail_lint.api.app", "mail_lint.rules.cta", "mail_lint.imap_watcher.watcher"} <= set(MODULES)
    assert ("mail_lint.checks", False) in [edge[:2] for edge in GRAPH["mail_lint.engine"]]


def test_every_import_names_the_one_installed_package():
    """`rules`, `api` and `imap_watcher` install as mail_lint.rules/api/imap_watcher: an import by the old
    top-level name would load a second copy of the module from the working directory, or fail when installed."""
    old = [(m, name) for m, edges in GRAPH.items() for _, _, name in edges if name.split(".")[0] != "mail_lint"]
    assert not old, f"imports by a top-level name that is not installed: {old}"


def test_the_core_imports_no_app_and_no_check():
    wrong = [(m, t) for m, edges in GRAPH.items() if _layer(m) == "mail_lint"
             for t, *_ in edges if _layer(t) != "mail_lint"]
    assert not wrong, f"core modules importing apps or checks: {wrong}"


def test_the_checks_import_only_the_core():
    wrong = [(m, t) for m, edges in GRAPH.items() if _layer(m) == "rules"
             for t, *_ in edges if _layer(t) not in ("mail_lint", "rules")]
    assert not wrong, f"checks importing apps: {wrong}"


def test_the_apps_do_not_import_each_other():
    wrong = [(m, t) for m, edges in GRAPH.items() if _layer(m) in ("api", "imap_watcher", "cli")
             for t, *_ in edges if _layer(t) in ("api", "imap_watcher", "cli") and _layer(t) != _layer(m)]
    assert not wrong, f"apps importing each other: {wrong}"


def test_no_import_inside_a_function_outside_the_cli_verbs():
    lazy = [(m, t) for m, edges in GRAPH.items() if not m.startswith(LAZY_IMPORTS_ALLOWED)
            for t, inside, _ in edges if inside]
    assert not lazy, f"project imports inside functions (move them to the top, or break the cycle): {lazy}"


def _cycle() -> list[str] | None:
    """One import cycle among the project's modules, or None (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target, *_ in GRAPH.get(module, []):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_import_cycle():
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle)
