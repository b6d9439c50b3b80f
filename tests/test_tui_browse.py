"""Today, the Journal and the Trash, driven with Textual's Pilot on a temporary journal."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from pathlib import Path

import pytest
from benchmarks.journal_maker import make_journal
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.model import BarrierTag, Entry, EntryQuery, NewEntry
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.screens.confirm import ConfirmScreen
from reconnect_journal.tui.screens.editor import EntryEditorScreen
from reconnect_journal.tui.screens.entry_pages import WINDOW
from reconnect_journal.tui.screens.go_to_date import GoToDateScreen
from reconnect_journal.tui.screens.journal import NOTHING_TO_UNDO, JournalScreen
from reconnect_journal.tui.screens.today import TodayScreen
from reconnect_journal.tui.screens.trash import PURGE_QUESTION, TrashScreen
from reconnect_journal.tui.widgets.entry_list import MAX_HELD, EntryList
from reconnect_journal.tui.widgets.undo_bar import UndoBar

from .tui_support import (
    FIXED_TODAY,
    footer_keys_in_view,
    journal_at,
    make_app,
    notifications,
    open_fixed,
    run_app,
    settle,
    type_text,
)

pytestmark = pytest.mark.usefixtures("utc_clock")


# A small journal over four days; two entries today.
JOURNAL = [
    NewEntry(
        title="Coffee in bed",
        date=FIXED_TODAY,
        body="She brought me coffee before I woke up.",
        barriers=[BarrierTag(Barrier.UNSEEN, 1)],
    ),
    NewEntry(
        title="A slow walk by the river",
        date=FIXED_TODAY,
        body="We walked by the river after lunch and talked about the weekend.",
        barriers=[BarrierTag(Barrier.TRUST, 2)],
        emotional_closeness=4,
    ),
    NewEntry(
        title="The dishes",
        date=dt.date(2026, 11, 22),
        body="We argued about the dishes again. It was not really about the dishes.",
        barriers=[BarrierTag(Barrier.RESENTMENT, 2)],
    ),
    NewEntry(
        title="Her mother's birthday",
        date=dt.date(2026, 11, 19),
        body="The first one without her. We lit a candle by the river.",
        barriers=[BarrierTag(Barrier.GRIEF, 3)],
    ),
    NewEntry(
        title="New year's eve",
        date=dt.date(2025, 12, 31),
        body="Fireworks from the balcony.",
    ),
]


# -- helpers --------------------------------------------------------------------------


def seed(path: Path, entries: list[NewEntry] = JOURNAL) -> list[Entry]:
    with journal_at(path) as journal:
        return [journal.add(entry) for entry in entries]


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def text_of(screen: object, selector: str) -> str:
    from textual.screen import Screen

    assert isinstance(screen, Screen)
    return str(screen.query_one(selector, Static).render())


def titles(entry_list: EntryList) -> list[str | None]:
    return [entry.title for entry in entry_list.entries]


def highlighted(app: JournalApp) -> Entry | None:
    return app.screen.query_one(EntryList).highlighted_entry


async def open_journal_screen(pilot: Pilot[None]) -> JournalScreen:
    await press(pilot, "2")
    screen = pilot.app.screen
    assert isinstance(screen, JournalScreen)
    return screen


# -- Today ----------------------------------------------------------------------------


def test_a_long_untitled_first_line_is_not_repeated_as_its_preview() -> None:
    import datetime as dt

    from reconnect_journal.tui.widgets.entry_list import PREVIEW_CHARS, day_row

    first_line = "A long hug in the kitchen while the kettle boiled " * 8  # > PREVIEW_CHARS
    assert len(first_line) > PREVIEW_CHARS + 100
    entry = Entry(
        id=1,
        uuid="00000000-0000-4000-8000-000000000001",
        date=FIXED_TODAY,
        created_at=dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC),
        updated_at=dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC),
        title=None,
        body=first_line.strip() + "\nThen we went back to what we were doing.",
        barriers=(BarrierTag(Barrier.SHAME, 1),),
    )
    headline, second = day_row(entry, FIXED_TODAY).plain.split("\n")
    assert headline.startswith("A long hug in the kitchen")
    assert second == "S  Then we went back to what we were doing."


def test_today_shows_todays_entries_and_n_opens_the_editor(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        assert text_of(screen, "#today-date") == "Tuesday 24 November 2026"
        assert text_of(screen, "#today-greeting") == "Good evening."
        assert text_of(screen, "#today-line") == "You've written 2 entries today."
        with journal_at(journal_path) as journal:
            expected = journal.todays_prompt()  # the same all day
        assert text_of(screen, "#today-prompt").startswith(expected.text)
        entry_list = screen.query_one(EntryList)
        # Only today's, newest first.
        assert titles(entry_list) == ["A slow walk by the river", "Coffee in bed"]
        assert text_of(screen, "#reader-title") == "A slow walk by the river"
        await press(pilot, "j")
        assert text_of(screen, "#reader-title") == "Coffee in bed"

        await press(pilot, "n")
        assert isinstance(app.screen, EntryEditorScreen)

    run_app(make_app(journal_path), scenario)


def test_today_without_entries_is_kind_and_the_button_starts_writing(
    journal_path: Path,
) -> None:
    seed(journal_path, JOURNAL[2:])  # nothing today

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        assert screen.query_one("#today-empty").display
        assert not screen.query_one("#today-entries").display
        words = " ".join(str(s.render()) for s in screen.query(Static)).lower()
        assert "nothing written today yet" in words
        for unkind in ("missed", "streak", "days since", "behind"):
            assert unkind not in words
        await pilot.click("#today-write")
        await settle(pilot)
        assert isinstance(app.screen, EntryEditorScreen)

    run_app(make_app(journal_path), scenario)


def test_today_shows_an_entry_saved_elsewhere(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        assert screen.query_one("#today-empty").display
        [saved] = seed(journal_path, JOURNAL[:1])
        app.entries_changed(saved)
        await settle(pilot)
        assert screen.query_one("#today-entries").display
        assert highlighted(app) == saved
        assert text_of(screen, "#today-line") == "You've written one entry today."

    run_app(make_app(journal_path), scenario)


# -- Journal --------------------------------------------------------------------------


def test_journal_groups_entries_by_day_newest_first(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        entry_list = app.screen.query_one(EntryList)
        rows = [
            (option.disabled, str(option.prompt).strip().splitlines()[0])
            for option in entry_list.options
        ]
        assert rows == [
            (True, "Tuesday 24 November 2026"),
            (False, "A slow walk by the river"),
            (False, "Coffee in bed"),
            (True, "Sunday 22 November 2026"),
            (False, "The dishes"),
            (True, "Thursday 19 November 2026"),
            (False, "Her mother's birthday"),
            (True, "Wednesday 31 December 2025"),
            (False, "New year's eve"),
        ]
        assert entry_list.border_title == "5 entries"
        # The cursor steps over the day headings.
        assert highlighted(app) is not None
        await press(pilot, "j", "j")
        assert highlighted(app).title == "The dishes"  # type: ignore[union-attr]
        await press(pilot, "k")
        assert highlighted(app).title == "Coffee in bed"  # type: ignore[union-attr]
        # Rows can be clicked (the list has a border: its first line is at y=1).
        row = entry_list.options.index(
            next(o for o in entry_list.options if "Her mother's birthday" in str(o.prompt))
        )
        line = entry_list._index_to_line[row] - round(entry_list.scroll_y)
        assert await pilot.click(entry_list, offset=(4, 1 + line))
        await settle(pilot)
        assert text_of(app.screen, "#reader-title") == "Her mother's birthday"
        # Clicking a day heading chooses nothing.
        assert await pilot.click(entry_list, offset=(4, 1 + line - 1))
        await settle(pilot)
        assert text_of(app.screen, "#reader-title") == "Her mother's birthday"

    run_app(make_app(journal_path), scenario)


def test_e_edits_the_highlighted_entry(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        await press(pilot, "j", "j", "e")
        editor = app.screen
        assert isinstance(editor, EntryEditorScreen)
        assert editor.query_one("#title", Input).value == "The dishes"

    run_app(make_app(journal_path), scenario)


def test_a_saved_entry_is_selected_in_the_journal(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        [saved] = seed(journal_path, [NewEntry(body="Remembered late.", date=dt.date(2026, 1, 3))])
        app.entries_changed(saved)
        await settle(pilot)
        assert highlighted(app) == saved
        assert text_of(app.screen, "#reader-body") == "Remembered late."

    run_app(make_app(journal_path), scenario)


def test_delete_then_undo_within_the_time_brings_it_back(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        entry_list = screen.query_one(EntryList)
        await press(pilot, "j")
        assert highlighted(app).title == "Coffee in bed"  # type: ignore[union-attr]
        await press(pilot, "d")
        bar = screen.query_one(UndoBar)
        assert bar.display
        assert text_of(screen, "#undo-message") == "“Coffee in bed” moved to the trash."
        assert "Coffee in bed" not in titles(entry_list)
        # The next entry takes its place under the cursor.
        assert highlighted(app).title == "The dishes"  # type: ignore[union-attr]
        with journal_at(journal_path) as journal:
            assert [e.title for e in journal.trash()] == ["Coffee in bed"]

        await press(pilot, "u")
        assert not bar.display
        assert "Coffee in bed" in titles(entry_list)
        assert highlighted(app).title == "Coffee in bed"  # type: ignore[union-attr]
        with journal_at(journal_path) as journal:
            assert journal.trash() == []

    run_app(make_app(journal_path), scenario)


def hold(journal: JournalService, method: str) -> threading.Event:
    """Make `journal.<method>` wait until the returned event is set (a slow disk, say)."""
    may_go = threading.Event()
    act = getattr(journal, method)

    def slow(entry_id: int) -> object:
        assert may_go.wait(10)
        return act(entry_id)

    setattr(journal, method, slow)
    return may_go


def hold_deletes(journal: JournalService) -> threading.Event:
    return hold(journal, "delete")


def test_keys_pressed_while_an_entry_goes_to_the_trash_act_on_the_next_one(
    journal_path: Path,
) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        assert app.journal is not None
        may_delete = hold_deletes(app.journal)
        await press(pilot, "j")
        assert highlighted(app).title == "Coffee in bed"  # type: ignore[union-attr]
        # `e` straight after `d`, before the entry has gone from the list.
        await pilot.press("d", "e")
        assert app.screen is screen  # the key waits for the delete
        may_delete.set()
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EntryEditorScreen)
        assert editor.query_one("#title", Input).value == "The dishes"
        await press(pilot, "escape")
        assert app.screen is screen
        with journal_at(journal_path) as journal:
            assert [e.title for e in journal.trash()] == ["Coffee in bed"]

        # `u` straight after `d` brings back what `d` took, instead of "nothing to undo".
        may_delete.clear()
        await pilot.press("d", "u")
        may_delete.set()
        await settle(pilot)
        assert NOTHING_TO_UNDO not in notifications(app)
        assert highlighted(app).title == "The dishes"  # type: ignore[union-attr]
        with journal_at(journal_path) as journal:
            assert [e.title for e in journal.trash()] == ["Coffee in bed"]

    run_app(make_app(journal_path), scenario)


def test_star_and_mark_to_share_from_the_journal(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        entry = highlighted(app)
        assert entry is not None and not entry.starred and not entry.share
        assert text_of(screen, "#reader-marks") == ""
        await press(pilot, "asterisk")
        assert text_of(screen, "#reader-marks") == "★ Starred"
        row = screen.entry_list.get_option_at_index(screen.entry_list.highlighted or 0)
        assert str(row.prompt).count("★") == 1  # the list shows the star too
        await press(pilot, "m")
        assert text_of(screen, "#reader-marks") == "★ Starred · ↗ Marked to share"
        row = screen.entry_list.get_option_at_index(screen.entry_list.highlighted or 0)
        assert "★ ↗" in str(row.prompt)  # the list shows the mark to share beside the star
        assert "Marked to share" in notifications(app)[-1]
        with journal_at(journal_path) as journal:
            stored = journal.get(entry.id)
            assert (stored.starred, stored.share) == (True, True)
            assert (stored.body, stored.barriers) == (entry.body, entry.barriers)
        await press(pilot, "asterisk")  # and off again
        assert text_of(screen, "#reader-marks") == "↗ Marked to share"
        with journal_at(journal_path) as journal:
            assert not journal.get(entry.id).starred

    run_app(make_app(journal_path), scenario)


def test_the_undo_button_can_be_clicked(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        await press(pilot, "d")
        await pilot.click("#undo-button")
        await settle(pilot)
        assert not screen.query_one(UndoBar).display
        assert len(screen.query_one(EntryList).entries) == len(JOURNAL)

    run_app(make_app(journal_path), scenario)


def test_help_stays_in_the_footer_at_80_columns_while_undo_is_offered(
    journal_path: Path,
) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        await press(pilot, "d")
        assert screen.query_one(UndoBar).display
        await pilot.pause()
        keys = {key.description: key for key in app.screen.query(FooterKey)}
        # Drawn whole, not hidden under the command palette's hint docked at the right.
        assert "?" in footer_keys_in_view(app)
        # The bar's button names the key, so the footer does not repeat it; `u` still works.
        assert "Undo" not in keys
        await press(pilot, "u")
        assert not screen.query_one(UndoBar).display

    run_app(make_app(journal_path), scenario, size=(80, 24))


JOURNAL_KEYS = ["n", "e", "d", "/", "^q", "?"]  # the footer never leaves these out


def test_the_journal_footer_shows_the_screens_own_keys_when_there_is_room(
    journal_path: Path,
) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        await pilot.pause()
        shown = footer_keys_in_view(app)
        assert set(JOURNAL_KEYS) <= set(shown), shown
        assert {"*", "m", "g"} <= set(shown), shown
        # While a search is shown, saving it is the key that matters; Help stays in view.
        await press(pilot, "slash")
        await type_text(pilot, "river")
        await press(pilot, "enter")
        await pilot.pause()
        shown = footer_keys_in_view(app)
        assert {"s", "esc", "?", "^q"} <= set(shown), shown
        # A wider window has room for every one of them.
        await pilot.resize_terminal(120, 30)
        await press(pilot, "escape")
        await pilot.pause()
        shown = footer_keys_in_view(app)
        assert {*JOURNAL_KEYS, "*", "m", "g", "o"} <= set(shown), shown

    run_app(make_app(journal_path), scenario, size=(100, 30))


def test_at_80_columns_the_journal_footer_keeps_its_main_keys(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        await pilot.pause()
        assert set(JOURNAL_KEYS) <= set(footer_keys_in_view(app))
        await press(pilot, "slash")
        await type_text(pilot, "river")
        await press(pilot, "enter")
        await pilot.pause()
        assert {"esc", "?", "^q"} <= set(footer_keys_in_view(app))

    run_app(make_app(journal_path), scenario, size=(80, 24))


def test_the_undo_offer_goes_away_after_its_time(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(journal_path)
    monkeypatch.setattr(UndoBar, "SECONDS", 1.5)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        await press(pilot, "d")
        bar = screen.query_one(UndoBar)
        assert bar.display
        assert "u" in screen.active_bindings
        for _ in range(50):  # a busy machine may be slow to fire the timer
            await pilot.pause(0.1)
            if not bar.display:
                break
        assert not bar.display
        await press(pilot, "u")  # nothing left to undo, and it says where the entry is
        assert len(screen.query_one(EntryList).entries) == len(JOURNAL) - 1
        assert NOTHING_TO_UNDO in notifications(app)

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert [entry.title for entry in journal.trash()] == ["A slow walk by the river"]


# -- Trash ----------------------------------------------------------------------------


def test_a_deleted_entry_waits_in_the_trash(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        await press(pilot, "d", "j", "j", "d")  # the river walk, then the birthday
        await press(pilot, "4")
        screen = app.screen
        assert isinstance(screen, TrashScreen)
        entry_list = screen.query_one(EntryList)
        # Most recently deleted first.
        assert titles(entry_list) == ["Her mother's birthday", "A slow walk by the river"]
        assert entry_list.border_title == "2 entries in the trash"
        assert text_of(screen, "#reader-note").startswith("In the trash since")

    run_app(make_app(journal_path), scenario)


def test_the_trash_says_when_it_is_empty(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await press(pilot, "4")
        screen = app.screen
        assert isinstance(screen, TrashScreen)
        assert screen.query_one("#trash-empty").display
        assert "The trash is empty." in text_of(screen, "#trash-empty .state-heading")
        assert "r" not in screen.active_bindings

    run_app(make_app(journal_path), scenario)


def test_restoring_from_the_trash(journal_path: Path) -> None:
    entries = seed(journal_path)
    with journal_at(journal_path) as journal:
        journal.delete(entries[2].id)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        journal_screen = await open_journal_screen(pilot)
        assert "The dishes" not in titles(journal_screen.query_one(EntryList))
        await press(pilot, "4")
        trash = app.screen
        assert isinstance(trash, TrashScreen)
        await press(pilot, "r")
        assert trash.query_one("#trash-empty").display
        assert "Back in your journal." in notifications(app)
        await press(pilot, "2")
        assert "The dishes" in titles(journal_screen.query_one(EntryList))
        assert highlighted(app).title == "The dishes"  # type: ignore[union-attr]

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert journal.trash() == []
        assert journal.count() == len(JOURNAL)


def test_keys_pressed_while_an_entry_leaves_the_trash_act_on_the_next_one(
    journal_path: Path,
) -> None:
    entries = seed(journal_path)
    with journal_at(journal_path) as journal:
        for entry in entries[:3]:
            journal.delete(entry.id)
    # Most recently deleted first: The dishes, A slow walk by the river, Coffee in bed.

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await press(pilot, "4")
        trash = app.screen
        assert isinstance(trash, TrashScreen)
        assert app.journal is not None
        may_restore = hold(app.journal, "undelete")
        # `r` twice, the second before the first entry has left the list.
        await pilot.press("r", "r")
        may_restore.set()
        await settle(pilot)
        assert [n for n in notifications(app) if "trash" in n.lower()] == []
        assert titles(trash.query_one(EntryList)) == ["Coffee in bed"]

        # `p` straight after `r` asks about the entry left, not the one going back.
        app.journal.delete(entries[1].id)  # A slow walk by the river, back in the trash
        app.entries_changed()
        await settle(pilot)
        await press(pilot, "home")
        assert highlighted(app).title == "A slow walk by the river"  # type: ignore[union-attr]
        may_restore.clear()
        await pilot.press("r", "p")
        assert app.screen is trash  # the key waits for the restore
        may_restore.set()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert text_of(dialog, "#confirm-detail") == "“Coffee in bed”"
        await press(pilot, "escape")

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert [entry.title for entry in journal.trash()] == ["Coffee in bed"]
        assert journal.count() == len(JOURNAL) - 1


def test_purging_asks_once_then_removes_for_good(journal_path: Path) -> None:
    entries = seed(journal_path)
    with journal_at(journal_path) as journal:
        journal.delete(entries[0].id)
        journal.delete(entries[1].id)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await press(pilot, "4")
        trash = app.screen
        assert isinstance(trash, TrashScreen)
        await press(pilot, "p")
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert text_of(dialog, "#confirm-question") == PURGE_QUESTION
        await press(pilot, "escape")  # changed my mind
        assert app.screen is trash
        assert len(trash.query_one(EntryList).entries) == 2

        await press(pilot, "p")
        await pilot.click("#confirm-go")
        await settle(pilot)
        assert app.screen is trash  # asked once, not twice
        assert len(trash.query_one(EntryList).entries) == 1
        assert "Removed for good." in notifications(app)

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert len(journal.trash()) == 1
        assert journal.entries.get(entries[1].id) is None  # deleted last, shown first


def test_the_purge_question_quotes_enough_of_a_long_untitled_entry_to_know_it(
    journal_path: Path,
) -> None:
    paragraph = "We sat in the car outside the house for a long time " * 8
    with journal_at(journal_path) as journal:
        entry = journal.add(NewEntry(body=paragraph.strip() + "\n\nA second paragraph."))
        journal.delete(entry.id)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await press(pilot, "4")
        await press(pilot, "p")
        detail = text_of(app.screen, "#confirm-detail")
        # One line's worth, cut at a word's end, not the whole paragraph.
        assert detail.startswith("“We sat in the car outside the house")
        assert detail.endswith("…”") and len(detail) <= 62 and "\n" not in detail
        assert set(detail[1:-2].split()) <= set(paragraph.split())

    run_app(make_app(journal_path), scenario)


# -- moving about ---------------------------------------------------------------------


async def go_to(pilot: Pilot[None], words: str) -> None:
    await press(pilot, "g")
    assert isinstance(pilot.app.screen, GoToDateScreen)
    await type_text(pilot, words)
    await press(pilot, "enter")


def test_go_to_a_day_in_words_or_as_a_date(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        await go_to(pilot, "last thursday")  # 19 November
        assert app.screen is screen
        assert highlighted(app).title == "Her mother's birthday"  # type: ignore[union-attr]

        await go_to(pilot, "2026-11-22")
        assert highlighted(app).title == "The dishes"  # type: ignore[union-attr]

        # A day without entries lands on the nearest day before it, and says so.
        await go_to(pilot, "3 weeks ago")  # 3 November
        assert highlighted(app).title == "New year's eve"  # type: ignore[union-attr]
        assert any("Nothing written on Tuesday 3 November 2026" in n for n in notifications(app))

    run_app(make_app(journal_path), scenario)


def test_go_to_a_day_that_is_not_understood_says_why(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        await go_to(pilot, "someday")
        dialog = app.screen
        assert isinstance(dialog, GoToDateScreen)  # still open, to put it right
        hint = dialog.query_one("#go-to-date-hint", Static)
        assert str(hint.render()).startswith("'someday' is not a date I understand")
        assert hint.has_class("-problem")
        await press(pilot, "escape")
        assert isinstance(app.screen, JournalScreen)

    run_app(make_app(journal_path), scenario)


def test_go_to_a_day_still_to_come_stays_open_and_says_so(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        before = highlighted(app)
        await go_to(pilot, "2027-01-05")
        dialog = app.screen
        assert isinstance(dialog, GoToDateScreen)
        hint = dialog.query_one("#go-to-date-hint", Static)
        assert "that day is still to come" in str(hint.render())
        assert hint.has_class("-problem")
        await press(pilot, "escape")
        assert highlighted(app) == before

    run_app(make_app(journal_path), scenario)


def test_brackets_move_between_days(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        assert highlighted(app).date == FIXED_TODAY  # type: ignore[union-attr]
        await press(pilot, "left_square_bracket")
        assert highlighted(app).date == dt.date(2026, 11, 22)  # type: ignore[union-attr]
        await press(pilot, "left_square_bracket")
        assert highlighted(app).date == dt.date(2026, 11, 19)  # type: ignore[union-attr]
        await press(pilot, "right_square_bracket")
        assert highlighted(app).date == dt.date(2026, 11, 22)  # type: ignore[union-attr]
        await press(pilot, "right_square_bracket")
        # The first entry of the day: the newest one.
        assert highlighted(app).title == "A slow walk by the river"  # type: ignore[union-attr]
        await press(pilot, "right_square_bracket")  # nothing after today
        assert highlighted(app).date == FIXED_TODAY  # type: ignore[union-attr]
        assert "This is the most recent day in your journal." in notifications(app)

    run_app(make_app(journal_path), scenario)


def test_search_narrows_the_list_as_you_type(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        entry_list = screen.query_one(EntryList)
        await press(pilot, "slash")
        search = screen.query_one("#journal-search", Input)
        assert search.display and search.has_focus
        await type_text(pilot, "river")
        await pilot.pause(0.4)  # typing settles before the journal is asked
        await settle(pilot)
        assert titles(entry_list) == ["A slow walk by the river", "Her mother's birthday"]
        assert entry_list.border_title == "2 entries match"
        # Every word must appear.
        await type_text(pilot, " candle")
        await pilot.pause(0.4)
        await settle(pilot)
        assert titles(entry_list) == ["Her mother's birthday"]
        await type_text(pilot, " zebra")
        await pilot.pause(0.4)
        await settle(pilot)
        assert titles(entry_list) == []
        assert "Nothing matches" in text_of(screen, "#reader-day")

        await press(pilot, "escape")
        assert not search.display
        assert len(entry_list.entries) == len(JOURNAL)
        assert entry_list.has_focus

    run_app(make_app(journal_path), scenario)


def test_days_do_not_apply_to_ranked_search_results(journal_path: Path) -> None:
    # Search results are in order of how well they match (issue 7), not by day: `[`, `]`
    # and `g` are off while a search is shown, and work again once it is cleared.
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        await press(pilot, "slash")
        await type_text(pilot, "river")
        await press(pilot, "enter")
        assert screen.query_one(EntryList).has_focus
        before = highlighted(app)
        assert before is not None and before.title == "A slow walk by the river"
        assert screen.check_action("go_to_date", ()) is False
        assert screen.check_action("day_before", ()) is False
        await press(pilot, "left_square_bracket")
        await press(pilot, "g")
        assert highlighted(app) == before
        assert not isinstance(app.screen, GoToDateScreen)

        await press(pilot, "escape")
        await press(pilot, "left_square_bracket")
        assert highlighted(app).date == dt.date(2026, 11, 22)  # type: ignore[union-attr]

    run_app(make_app(journal_path), scenario)


# -- a big journal ----------------------------------------------------------------------


def test_a_big_journal_pages_in_and_holds_a_bounded_window(journal_path: Path) -> None:
    total = 1_000
    make_journal(journal_path, total)
    with journal_at(journal_path) as journal:
        everything = journal.list(EntryQuery(limit=None))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        entry_list = screen.query_one(EntryList)
        assert entry_list.total == total
        assert entry_list.window_start == 0
        assert len(entry_list.entries) < total
        most_held = 0
        # Scroll down the list (as a mouse wheel would) until the end of the journal.
        for _ in range(60):
            entry_list.scroll_end(animate=False, immediate=True)
            await settle(pilot)
            most_held = max(most_held, len(entry_list.entries))
            if not entry_list.has_more_after:
                break
        assert not entry_list.has_more_after
        assert most_held <= MAX_HELD
        assert entry_list.option_count <= 2 * MAX_HELD  # entries and their day headings
        assert entry_list.window_start > 0  # the top of the journal was let go
        # What is held is exactly the stretch of the journal it claims to be.
        start = entry_list.window_start
        assert entry_list.entries == everything[start : start + len(entry_list.entries)]

        # Keys page too: up from the bottom, newer pages arrive above.
        await press(pilot, "end")
        assert entry_list.highlighted_position == total - 1
        start_before = entry_list.window_start
        for _ in range(40):
            await press(pilot, "pageup")
        assert entry_list.window_start < start_before
        position = entry_list.highlighted_position
        assert position is not None
        assert entry_list.highlighted_entry == everything[position]
        assert len(entry_list.entries) <= MAX_HELD

        await press(pilot, "home")  # all the way back to the newest
        assert entry_list.window_start == 0
        assert entry_list.highlighted_position == 0
        assert entry_list.highlighted_entry == everything[0]

        # Going to a day far back loads just around it.
        day = everything[800].date
        await go_to(pilot, day.isoformat())
        highlighted_entry = entry_list.highlighted_entry
        assert highlighted_entry is not None and highlighted_entry.date == day
        assert len(entry_list.entries) <= MAX_HELD

    run_app(make_app(journal_path), scenario, size=(100, 30))


# -- first frames, empty journals, and what entries contain -----------------------------


def test_the_first_frame_says_the_journal_is_opening(journal_path: Path) -> None:
    may_open = threading.Event()

    def slow_open() -> JournalService:
        assert may_open.wait(timeout=10)
        return open_fixed(journal_path)

    async def main() -> None:
        app = JournalApp(db_path=journal_path, open_journal=slow_open, cursor_blink=False)
        async with app.run_test() as pilot:
            await pilot.pause()
            today = app.screen
            assert isinstance(today, TodayScreen)
            opening = today.query_one("#today-opening", Static)
            assert opening.display
            assert str(opening.render()) == "Opening your journal…"
            await pilot.press("2")  # other screens wait quietly too
            await pilot.pause()
            journal_screen = app.screen
            assert isinstance(journal_screen, JournalScreen)
            assert journal_screen.query_one("#journal-opening").display
            await pilot.press("n")  # nothing to write into yet: ignored
            await pilot.pause()
            assert app.screen is journal_screen

            may_open.set()
            await settle(pilot)
            assert journal_screen.query_one("#journal-empty").display
            await pilot.press("1")
            await settle(pilot)
            assert not opening.display
            assert today.query_one("#today-empty").display

    asyncio.run(main())


def test_an_empty_journal_says_how_to_begin(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        assert screen.query_one("#journal-empty").display
        heading = screen.query_one("#journal-empty .state-heading", Static)
        assert "Press n to write your first entry" in str(heading.render())
        for key in ("e", "d", "g", "slash"):
            assert key not in screen.active_bindings
        await pilot.click("#write-first")
        await pilot.pause()
        assert isinstance(app.screen, EntryEditorScreen)

    run_app(make_app(journal_path), scenario)


def test_the_list_loads_in_pages_as_the_cursor_nears_the_end(journal_path: Path) -> None:
    total = WINDOW + 30
    seed(
        journal_path,
        [
            NewEntry(body=f"Entry {n}", date=FIXED_TODAY - dt.timedelta(days=n))
            for n in range(total)
        ],
    )

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        entry_list = screen.query_one(EntryList)
        assert len(entry_list.entries) == WINDOW
        assert entry_list.entries[0].body == "Entry 0"  # newest first
        for _ in range(80):
            await press(pilot, "pagedown")
            if len(entry_list.entries) == total:
                break
        assert len(entry_list.entries) == total
        position = entry_list.highlighted_position
        assert position is not None and position < WINDOW  # it came before the end
        assert len({entry.id for entry in entry_list.entries}) == total
        await press(pilot, "end")
        assert highlighted(app).body == f"Entry {total - 1}"  # type: ignore[union-attr]

    run_app(make_app(journal_path), scenario)


def test_an_entry_saved_far_back_is_selected(journal_path: Path) -> None:
    seed(
        journal_path,
        [
            NewEntry(body=f"Entry {n}", date=FIXED_TODAY - dt.timedelta(days=n))
            for n in range(WINDOW + 50)
        ],
    )
    old_day = FIXED_TODAY - dt.timedelta(days=WINDOW + 40)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        [saved] = seed(journal_path, [NewEntry(body="Remembered late.", date=old_day)])
        app.entries_changed(saved)
        await settle(pilot)
        assert highlighted(app) == saved

    run_app(make_app(journal_path), scenario)


def test_entry_text_is_shown_literally_not_as_markup(journal_path: Path) -> None:
    seed(journal_path, [NewEntry(body="I said [bold]no[/bold] and meant it.", title="[b]x")])

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        for key in ("1", "2"):
            await press(pilot, key)
            assert text_of(app.screen, "#reader-body") == "I said [bold]no[/bold] and meant it."
            assert text_of(app.screen, "#reader-title") == "[b]x"

    run_app(make_app(journal_path), scenario)
