"""The journal window, driven with Textual's Pilot on a temporary journal.

The editor's own tests are in test_tui_editor.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.errors import JournalError
from reconnect_journal.core.model import Entry, EntryQuery, NewEntry
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.screens.editor import EntryEditorScreen
from reconnect_journal.tui.screens.journal import JournalScreen
from reconnect_journal.tui.widgets.entry_list import EntryList

from .tui_support import FIXED_NOW, FIXED_TODAY, journal_at, make_app, run_app, settle, type_text

# -- fixtures and helpers (TUI only; tests/conftest.py is shared) ----------------------


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


async def journal_screen(pilot: Pilot[None]) -> JournalScreen:
    """Show the Journal (key 2) and return it."""
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, JournalScreen)
    return screen


def listed(screen: JournalScreen) -> list[Entry]:
    return screen.query_one(EntryList).entries


def seed(path: Path, *entries: NewEntry) -> list[Entry]:
    with journal_at(path) as journal:
        return [journal.add(entry) for entry in entries]


# -- tests --------------------------------------------------------------------------


def test_the_entry_is_listed_again_after_quitting_and_reopening(journal_path: Path) -> None:
    async def write_and_quit(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await type_text(pilot, "Before the trip.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()

    first = make_app(journal_path)
    run_app(first, write_and_quit)
    assert first.return_code == 0
    assert first.journal is None  # closed on the way out

    async def look(app: JournalApp, pilot: Pilot[None]) -> None:
        # Written today: on Today, and in the Journal.
        assert str(app.screen.query_one("#reader-body", Static).render()) == "Before the trip."
        screen = await journal_screen(pilot)
        assert [entry.body for entry in listed(screen)] == ["Before the trip."]
        reader_body = screen.query_one("#reader-body", Static)
        assert str(reader_body.render()) == "Before the trip."

    run_app(make_app(journal_path), look)


class BusyJournal(JournalService):
    """A journal locked by another window: listing always fails, saving fails once."""

    busy = "the journal is busy in another window; nothing was changed, try again in a moment"
    failed_adds = 0

    def list(self, query: EntryQuery | None = None) -> list[Entry]:
        raise JournalError(self.busy)

    def add(self, new: NewEntry) -> Entry:
        if self.failed_adds == 0:
            self.failed_adds += 1
            raise JournalError(self.busy)
        return super().add(new)


def test_a_busy_journal_is_reported_calmly_and_the_words_are_kept(journal_path: Path) -> None:
    def open_busy() -> JournalService:
        return BusyJournal.open(journal_path, clock=lambda: FIXED_NOW, today=lambda: FIXED_TODAY)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await journal_screen(pilot)
        reason = str(screen.query_one("#journal-failed-reason", Static).render())
        assert reason.startswith("The journal is busy in another window")
        await pilot.press("n")  # the journal is open, so writing may still work
        await type_text(pilot, "Still here")
        await pilot.press("ctrl+s")
        await settle(pilot)

        editor = app.screen
        assert isinstance(editor, EntryEditorScreen)
        error_text = str(editor.query_one("#editor-error", Static).render())
        assert error_text.startswith("The journal is busy in another window")
        assert editor.query_one("#body", TextArea).text == "Still here"
        await pilot.press("ctrl+s")  # trying again works once the journal is free
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)

    app = JournalApp(db_path=journal_path, open_journal=open_busy, cursor_blink=False)
    run_app(app, scenario)
    with journal_at(journal_path) as journal:
        assert [entry.body for entry in journal.list(EntryQuery())] == ["Still here"]


def test_opening_the_window_does_not_import_the_database_layer() -> None:
    code = (
        "import sys; import reconnect_journal.tui.app; "
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
