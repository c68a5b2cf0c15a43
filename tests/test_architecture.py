"""Imports run one way (DESIGN.md): the core imports no app, the checks import only the core, the apps
never import each other, and no module of the project imports itself back through others.

The import graph is read from the source (every `import`, at module level or inside a function), so a
cycle hidden in a function body counts like any other.
"""
from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Top-level folder -> its import name.
PACKAGES = {"mail_lint": "mail_lint", "rules": "rules", "api": "api", "imap_watcher": "imap_watcher"}
CLI = ("mail_lint.cli", "mail_lint.commands", "mail_lint.__main__")  # the CLI is an app
APPS = ("api", "imap_watcher") + CLI
# The CLI's verbs import their work when they run, so `mail-lint --help` does not load the whole project.
LAZY_IMPORTS_ALLOWED = ("mail_lint.commands.", "api.serve", "imap_watcher.watch")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    parts[0] = PACKAGES[parts[0]]
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


def _imports(module: str, path: Path) -> list[tuple[str, bool]]:
    """(imported project module, imported inside a function) for each import statement of the module."""
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
            target = _resolve(name)
            # A module's own packages are always imported before it: no edge to follow there.
            if target and target != module and not module.startswith(target + "."):
                found.append((target, id(node) in nested))
    return found


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _is(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _layer(module: str) -> str:
    if _is(module, CLI):
        return "cli"
    return module.split(".")[0]  # mail_lint (the core), rules, api, imap_watcher


def test_the_graph_is_read():
    assert "mail_lint.engine" in MODULES and "api.app" in MODULES and "rules.cta" in MODULES
    assert ("mail_lint.checks", False) in GRAPH["mail_lint.engine"]


def test_the_core_imports_no_app_and_no_check():
    wrong = [(m, t) for m, edges in GRAPH.items() if _layer(m) == "mail_lint"
             for t, _ in edges if _layer(t) != "mail_lint"]
    assert not wrong, f"core modules importing apps or checks: {wrong}"


def test_the_checks_import_only_the_core():
    wrong = [(m, t) for m, edges in GRAPH.items() if _layer(m) == "rules"
             for t, _ in edges if _layer(t) not in ("mail_lint", "rules")]
    assert not wrong, f"checks importing apps: {wrong}"


def test_the_apps_do_not_import_each_other():
    wrong = [(m, t) for m, edges in GRAPH.items() if _layer(m) in ("api", "imap_watcher", "cli")
             for t, _ in edges if _layer(t) in ("api", "imap_watcher", "cli") and _layer(t) != _layer(m)]
    assert not wrong, f"apps importing each other: {wrong}"


def test_no_import_inside_a_function_outside_the_cli_verbs():
    lazy = [(m, t) for m, edges in GRAPH.items() if not m.startswith(LAZY_IMPORTS_ALLOWED)
            for t, inside in edges if inside]
    assert not lazy, f"project imports inside functions (move them to the top, or break the cycle): {lazy}"


def _cycle() -> list[str] | None:
    """One import cycle among the project's modules, or None (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target, _ in GRAPH.get(module, []):
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
