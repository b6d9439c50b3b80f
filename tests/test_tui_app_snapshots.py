"""Screenshots of Help, Settings, the "could not open" screen, and our calm theme."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconnect_journal.tui.app import JournalApp

from .test_tui_browse_snapshots import JOURNAL, SIZES, SnapCompare, after_keys, filled
from .tui_support import open_fixed

SHOWN_JOURNAL = Path("/home/you/.local/share/reconnect-journal/journal.db")
SHOWN_CONFIG = Path("/home/you/.config/reconnect-journal/config.toml")


def make_app(path: Path, theme: str = "textual-dark") -> JournalApp:
    # Fixed paths on screen (Settings shows them); the journal itself is the temporary one.
    app = JournalApp(
        db_path=SHOWN_JOURNAL,
        open_journal=lambda: open_fixed(path),
        cursor_blink=False,
        config_path=SHOWN_CONFIG,
    )
    app.theme = theme
    return app


@SIZES
def test_help(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL))
    assert snap_compare(app, terminal_size=size, run_before=after_keys("question_mark"))


@SIZES
def test_settings(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL))
    assert snap_compare(app, terminal_size=size, run_before=after_keys("5"))


@SIZES
def test_open_failed(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    def refuse() -> object:
        from reconnect_journal.core.errors import JournalError

        raise JournalError(
            f"{SHOWN_JOURNAL} is not a Reconnect Journal file (it is not a SQLite database)"
        )

    app = make_app(tmp_path / "j.db")
    app._open_journal = refuse  # type: ignore[assignment]
    assert snap_compare(app, terminal_size=size, run_before=after_keys())


@pytest.mark.parametrize("theme", ["reconnect-calm", "reconnect-calm-light"])
def test_calm_themes(snap_compare: SnapCompare, tmp_path: Path, theme: str) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL), theme=theme)
    assert snap_compare(app, terminal_size=(100, 30), run_before=after_keys("2"))
