"""The house rules a linter does not hold.

Imports live at the top of modules, where a reader and the linters see them. The
only exceptions are the heavy libraries kept out of start-up (`ehtool --help` and
quick look-ups must not pay for them); each has a test that keeps it unimported
(see test_help.py, test_agenda_workbook.py, test_plan_documents.py).

No function is longer than a screen and a half (80 lines as formatted): split
the long ones. Migrations are exempt: each is its DDL, read top to bottom."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ehtool"

# Imported inside the functions that need them, for start-up speed.
LAZY = {
    "openpyxl",
    "docxtpl",
    "docx",
    "jinja2",
    "markupsafe",
    "questionary",
    "prompt_toolkit",
    "rich",
    "sqlite_utils",
    "yaml",
    "platformdirs",
    "defusedxml",
    # stdlib used only on a rare path (an error being shown, a debug traceback)
    "traceback",
    "difflib",
    "resource",
}


def _function_imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []

    def visit(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = inside or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if inside and isinstance(child, ast.Import):
                found.extend((child.lineno, a.name) for a in child.names)
            elif inside and isinstance(child, ast.ImportFrom):
                found.append((child.lineno, "." * child.level + (child.module or "")))
            visit(child, nested)

    visit(tree, False)
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_imports_are_at_the_top(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner = [(line, name) for line, name in _function_imports(tree) if name.split(".")[0] not in LAZY]
    assert not inner, "imports inside functions (move them to the top of the module): " + ", ".join(
        f"line {line}: {name}" for line, name in inner
    )


def test_the_heavy_libraries_are_not_imported_at_module_level():
    offenders = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            offenders += [
                f"{path.relative_to(PACKAGE.parent)}: {n}"
                for n in names
                if n.split(".")[0] in LAZY - {"traceback", "difflib", "resource"}
            ]
    assert not offenders


MAX_FUNCTION_LINES = 80


def test_no_function_is_longer_than_80_lines():
    long = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if path.name.startswith("migrations") and node.name.startswith("m0"):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                long.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} ({length} lines)")
    assert not long, "split these: " + "; ".join(long)
