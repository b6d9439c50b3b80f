"""The domain and the store never import Textual; headless commands never load the TUI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import reconnect_journal

PACKAGE = Path(reconnect_journal.__file__).parent
FORBIDDEN_FOR_CORE = ("textual", "reconnect_journal.tui", "rich", "typer")


def _imports(path: Path) -> list[tuple[int, str]]:
    """Module names imported anywhere in a file (top level or inside functions)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _files(*parts: str) -> list[Path]:
    files: list[Path] = []
    for part in parts:
        target = PACKAGE / part
        files.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target])
    return [f for f in files if f.exists()]


def _offenders(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE)}:{line} imports {name}"
        for path in files
        for line, name in _imports(path)
        if any(name == bad or name.startswith(bad + ".") for bad in forbidden)
    ]


def test_core_and_store_never_import_textual_or_the_cli() -> None:
    files = _files("core", "store")
    assert len(files) >= 8  # the walk really found the package
    assert _offenders(files, FORBIDDEN_FOR_CORE) == []


def test_the_checker_would_notice_an_offender(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def f():\n    from textual.app import App\n")
    assert _imports(sneaky) == [(2, "textual.app")]


def test_headless_modules_import_without_textual_at_run_time() -> None:
    modules = [
        "reconnect_journal.cli",
        "reconnect_journal.core.entries",
        "reconnect_journal.core.barriers",
        "reconnect_journal.core.dates",
        "reconnect_journal.core.model",
        "reconnect_journal.store.engine",
        "reconnect_journal.store.queries",
        "reconnect_journal.store.tables",
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n    importlib.import_module(m)\n"
        "tui = [m for m in sys.modules if m.startswith(('textual', 'reconnect_journal.tui'))]\n"
        "print(sorted(tui))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
