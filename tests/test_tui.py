"""The journal window, driven with Textual's Pilot on a temporary journal."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.errors import JournalError
from reconnect_journal.core.model import BarrierTag, Entry, EntryQuery, NewEntry
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.screens.confirm import ConfirmScreen
from reconnect_journal.tui.screens.editor import EMPTY_BODY, EntryEditorScreen
from reconnect_journal.tui.screens.journal import PAGE_SIZE, JournalScreen
from reconnect_journal.tui.widgets.entry_list import EntryList
from reconnect_journal.tui.widgets.entry_reader import EntryReader

FIXED_NOW = dt.datetime(2026, 11, 24, 19, 30, tzinfo=dt.UTC)
FIXED_TODAY = dt.date(2026, 11, 24)

Scenario = Callable[[JournalApp, Pilot[None]], Awaitable[None]]


# -- fixtures and helpers (TUI only; tests/conftest.py is shared) ----------------------


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


def open_fixed(path: Path) -> JournalService:
    return JournalService.open(path, clock=lambda: FIXED_NOW, today=lambda: FIXED_TODAY)


@contextmanager
def journal_at(path: Path) -> Iterator[JournalService]:
    journal = open_fixed(path)
    try:
        yield journal
    finally:
        journal.close()


def make_app(path: Path) -> JournalApp:
    return JournalApp(db_path=path, open_journal=lambda: open_fixed(path), cursor_blink=False)


def run_app(app: JournalApp, scenario: Scenario, size: tuple[int, int] = (100, 30)) -> None:
    """Run `scenario` against the app (no pytest-asyncio here: each test runs its own loop)."""

    async def main() -> None:
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())


async def settle(pilot: Pilot[None]) -> None:
    """Wait until workers, and the workers their messages started, are done."""
    for _ in range(10):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(not worker.is_finished for worker in pilot.app.workers):
            return
    raise AssertionError("workers kept running")


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


def listed(app: JournalApp) -> list[Entry]:
    return app.journal_screen.query_one(EntryList).entries


def notifications(app: JournalApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def seed(path: Path, *entries: NewEntry) -> list[Entry]:
    with journal_at(path) as journal:
        return [journal.add(entry) for entry in entries]


# -- tests --------------------------------------------------------------------------


def test_the_first_frame_says_the_journal_is_opening(journal_path: Path) -> None:
    may_open = threading.Event()

    def slow_open() -> JournalService:
        assert may_open.wait(timeout=10)
        return open_fixed(journal_path)

    async def main() -> None:
        app = JournalApp(db_path=journal_path, open_journal=slow_open, cursor_blink=False)
        async with app.run_test() as pilot:
            await pilot.pause()
            screen = app.journal_screen
            opening = screen.query_one("#journal-opening", Static)
            assert opening.display
            assert str(opening.render()) == "Opening your journal…"
            may_open.set()
            await settle(pilot)
            assert not opening.display
            assert screen.query_one("#journal-empty").display

    asyncio.run(main())


def test_a_new_entry_is_saved_with_its_barrier_intensity_and_rating(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EntryEditorScreen)
        assert app.screen.focused is app.screen.query_one("#body", TextArea)
        await type_text(pilot, "We cooked together and laughed.")
        # By mouse: mark "trust", then its second intensity dot; rate closeness 4 of 5.
        await pilot.click("#barrier-trust", offset=(4, 0))
        # The three dots end one cell before the right edge (padding): the 2nd is at width - 3.
        toggle_width = app.screen.query_one("#barrier-trust").outer_size.width
        await pilot.click("#barrier-trust", offset=(toggle_width - 3, 0))
        await pilot.click("#emotional-closeness", offset=(1 + 2 * 3, 1))  # dot 4: "● ● ● ●"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, JournalScreen)
        [entry] = listed(app)
        assert entry.body == "We cooked together and laughed."
        assert app.journal_screen.query_one(EntryList).highlighted_entry == entry
        assert "Saved." in notifications(app)

    run_app(make_app(journal_path), scenario)

    with journal_at(journal_path) as journal:
        [stored] = journal.list(EntryQuery())
    assert stored.body == "We cooked together and laughed."
    assert stored.date == FIXED_TODAY
    assert stored.barriers == (BarrierTag(Barrier.TRUST, intensity=2, source="user"),)
    assert stored.emotional_closeness == 4
    assert stored.physical_intimacy is None


def test_keys_alone_can_fill_in_the_side_panel(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await type_text(pilot, "Quiet day.")
        await pilot.press("tab", "space", "3")  # first barrier, strongly
        await pilot.press("tab", "tab", "tab", "tab", "tab", "2")  # emotional closeness
        await pilot.press("tab", "5", "0")  # physical intimacy: rated, then unrated again
        await pilot.press("tab")
        await type_text(pilot, "home, Evening")
        await pilot.press("ctrl+s")
        await settle(pilot)

    run_app(make_app(journal_path), scenario)

    with journal_at(journal_path) as journal:
        [stored] = journal.list(EntryQuery())
    first_barrier = next(iter(Barrier))
    assert stored.barriers == (BarrierTag(first_barrier, intensity=3, source="user"),)
    assert stored.emotional_closeness == 2
    assert stored.physical_intimacy is None
    assert stored.tags == ("evening", "home")


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
        assert [entry.body for entry in listed(app)] == ["Before the trip."]
        reader_body = app.journal_screen.query_one("#reader-body", Static)
        assert str(reader_body.render()) == "Before the trip."

    run_app(make_app(journal_path), look)


def test_an_empty_body_is_not_saved_and_the_form_is_kept(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await pilot.click("#title")
        await type_text(pilot, "Later")
        await pilot.press("ctrl+s")
        await settle(pilot)

        editor = app.screen
        assert isinstance(editor, EntryEditorScreen)
        error_line = editor.query_one("#editor-error", Static)
        assert error_line.display
        assert str(error_line.render()) == EMPTY_BODY
        assert editor.query_one("#title", Input).value == "Later"
        assert editor.focused is editor.query_one("#body", TextArea)

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert journal.count() == 0


def test_a_day_that_is_not_understood_shows_the_core_message(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await type_text(pilot, "Some words.")
        day = app.screen.query_one("#day", Input)
        day.value = "someday"
        await pilot.pause()
        assert day.border_subtitle == "?"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, EntryEditorScreen)
        error_text = str(app.screen.query_one("#editor-error", Static).render())
        assert error_text.startswith("'someday' is not a date I understand")
        assert app.screen.focused is day

        day.value = "2 days ago"  # put right: the hint shows the day and the error goes
        await pilot.pause()
        assert day.border_subtitle == "Sun 22 Nov"
        assert not app.screen.query_one("#editor-error", Static).display

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert journal.count() == 0


def test_editing_an_entry_changes_it(journal_path: Path) -> None:
    [original] = seed(
        journal_path,
        NewEntry(
            body="We argued about money.",
            title="Money",
            barriers=[BarrierTag(Barrier.RESENTMENT, 2, source="suggestion")],
            emotional_closeness=2,
        ),
    )

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EntryEditorScreen)
        assert editor.query_one("#title", Input).value == "Money"
        await type_text(pilot, " Later we talked it through.")  # the cursor starts at the end
        editor.query_one("#day", Input).value = "yesterday"
        await pilot.click("#emotional-closeness", offset=(1 + 2 * 3, 1))
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, JournalScreen)
        [shown] = listed(app)
        assert shown.body.endswith("Later we talked it through.")
        reader_body = app.journal_screen.query_one(EntryReader).query_one("#reader-body", Static)
        assert str(reader_body.render()) == "We argued about money. Later we talked it through."

    run_app(make_app(journal_path), scenario)

    with journal_at(journal_path) as journal:
        stored = journal.get(original.id)
    assert stored.body == "We argued about money. Later we talked it through."
    assert stored.date == FIXED_TODAY - dt.timedelta(days=1)
    assert stored.emotional_closeness == 4
    # The barrier was not touched, so it keeps where it came from.
    assert stored.barriers == (BarrierTag(Barrier.RESENTMENT, 2, source="suggestion"),)


def test_going_back_with_words_typed_asks_before_discarding(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await type_text(pilot, "Half a thought")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)

        await pilot.press("enter")  # the focused, safe choice: keep writing
        await pilot.pause()
        assert isinstance(app.screen, EntryEditorScreen)
        assert app.screen.query_one("#body", TextArea).text == "Half a thought"

        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#confirm-go")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert journal.count() == 0


def test_going_back_from_an_untouched_form_asks_nothing(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)

    run_app(make_app(journal_path), scenario)


def test_quitting_with_unsaved_words_asks_first(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await type_text(pilot, "Unsaved")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EntryEditorScreen)
        assert app.is_running

        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#confirm-go")
        await pilot.pause()
        assert not app.is_running

    run_app(make_app(journal_path), scenario)


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
        reason = str(app.journal_screen.query_one("#journal-failed-reason", Static).render())
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


def test_a_file_that_is_not_a_journal_shows_the_reason(journal_path: Path) -> None:
    journal_path.write_text("my shopping list\n")

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = app.journal_screen
        reason = str(screen.query_one("#journal-failed-reason", Static).render())
        assert "is not a Reconnect Journal file" in reason
        assert screen.query_one("#journal-failed").display
        assert app.journal is None
        await pilot.press("n")  # nothing to write into: ignored
        await pilot.pause()
        assert app.screen is screen
        await pilot.click("#quit-button")
        await pilot.pause()
        assert not app.is_running

    app = JournalApp(db_path=journal_path)  # the default opener, as the CLI uses it
    run_app(app, scenario)
    assert journal_path.read_text() == "my shopping list\n"


def test_an_empty_journal_says_how_to_begin(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = app.journal_screen
        assert screen.query_one("#journal-empty").display
        heading = screen.query_one("#journal-empty .state-heading", Static)
        assert "Press n to write your first entry" in str(heading.render())
        await pilot.click("#write-first")
        await pilot.pause()
        assert isinstance(app.screen, EntryEditorScreen)

    run_app(make_app(journal_path), scenario)


def test_the_list_loads_in_pages_as_the_cursor_nears_the_end(journal_path: Path) -> None:
    total = PAGE_SIZE + 30
    with journal_at(journal_path) as journal:
        for n in range(total):
            journal.add(NewEntry(body=f"Entry {n}", date=FIXED_TODAY - dt.timedelta(days=n)))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        entry_list = app.journal_screen.query_one(EntryList)
        assert len(entry_list.entries) == PAGE_SIZE
        assert entry_list.entries[0].body == "Entry 0"  # newest first
        await pilot.press("end")
        await settle(pilot)
        assert len(entry_list.entries) == total
        assert len({entry.id for entry in entry_list.entries}) == total
        assert entry_list.entries[-1].body == f"Entry {total - 1}"

    run_app(make_app(journal_path), scenario)


def test_a_backdated_entry_is_selected_even_beyond_the_first_page(journal_path: Path) -> None:
    with journal_at(journal_path) as journal:
        for n in range(PAGE_SIZE + 10):
            journal.add(NewEntry(body=f"Entry {n}", date=FIXED_TODAY - dt.timedelta(days=n)))
    old_day = FIXED_TODAY - dt.timedelta(days=PAGE_SIZE + 5)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await type_text(pilot, "Remembered late.")
        app.screen.query_one("#day", Input).value = old_day.isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot)
        highlighted = app.journal_screen.query_one(EntryList).highlighted_entry
        assert highlighted is not None
        assert highlighted.body == "Remembered late."

    run_app(make_app(journal_path), scenario)


def test_entry_text_is_shown_literally_not_as_markup(journal_path: Path) -> None:
    seed(journal_path, NewEntry(body="I said [bold]no[/bold] and meant it.", title="[b]x"))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = app.journal_screen
        body = str(screen.query_one("#reader-body", Static).render())
        title = str(screen.query_one("#reader-title", Static).render())
        assert body == "I said [bold]no[/bold] and meant it."
        assert title == "[b]x"

    run_app(make_app(journal_path), scenario)


def test_opening_the_window_does_not_import_the_database_layer() -> None:
    code = (
        "import sys; import reconnect_journal.tui.app; "
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
