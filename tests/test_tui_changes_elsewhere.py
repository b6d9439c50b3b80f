"""The journal changed somewhere else (another window, a command in another terminal)
while the window is open: the screens show it as last saved, and the keys that act on an
entry say, in the window's own words, when it was trashed or changed meanwhile."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reconnect_journal.core.model import EntryChanges, NewEntry
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.screens import base
from reconnect_journal.tui.screens.editor import EntryEditorScreen
from reconnect_journal.tui.screens.journal import JournalScreen
from reconnect_journal.tui.screens.today import TodayScreen
from reconnect_journal.tui.screens.trash import TrashScreen
from reconnect_journal.tui.screens.trends import TrendsScreen
from reconnect_journal.tui.widgets.entry_list import EntryList

from .test_tui_browse import highlighted, open_journal_screen, press, seed, text_of, titles
from .tui_support import FIXED_TODAY, journal_at, make_app, notifications, run_app, settle

pytestmark = pytest.mark.usefixtures("utc_clock")

IN_THE_TRASH = "This entry was moved to the Trash from somewhere else; press 4 to see the Trash."


def no_commands_quoted(app: JournalApp) -> None:
    for note in notifications(app):
        assert "reconnect-journal" not in note, note
        assert "another window meanwhile" not in note, note


def test_screens_shown_again_show_what_was_saved_elsewhere(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        journal_screen = await open_journal_screen(pilot)
        journal_list = journal_screen.query_one(EntryList)
        assert journal_list.border_title == "5 entries"
        await press(pilot, "3")
        trends = app.screen
        assert isinstance(trends, TrendsScreen) and trends.view is not None
        assert trends.view.report.totals.entries == 4  # the last three months
        await press(pilot, "4")
        trash = app.screen
        assert isinstance(trash, TrashScreen)
        assert trash.query_one("#trash-empty").display
        await press(pilot, "1")

        with journal_at(journal_path) as elsewhere:
            elsewhere.add(NewEntry(title="From outside", body="Written in another terminal."))
            [dishes] = [e for e in elsewhere.list() if e.title == "The dishes"]
            elsewhere.delete(dishes.id)
        await asyncio.sleep(0)  # no key pressed: only showing a screen again reloads it

        await press(pilot, "2")
        assert journal_list.border_title == "5 entries"
        assert "From outside" in titles(journal_list)
        assert "The dishes" not in titles(journal_list)
        await press(pilot, "1")
        today = app.screen
        assert isinstance(today, TodayScreen)
        assert text_of(today, "#today-line") == "You've written 3 entries today."
        assert titles(today.query_one(EntryList))[0] == "From outside"
        await press(pilot, "3")
        assert trends.view is not None and trends.view.report.totals.entries == 4
        assert any(day.entries == 3 for day in trends.view.calendar)  # today's three
        await press(pilot, "4")
        assert titles(trash.query_one(EntryList)) == ["The dishes"]
        assert trash.query_one(EntryList).border_title == "1 entry in the trash"

    run_app(make_app(journal_path), scenario)


def test_the_highlighted_entry_stays_when_the_list_is_reloaded(journal_path: Path) -> None:
    seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        await press(pilot, "j", "j")
        assert highlighted(app).title == "The dishes"  # type: ignore[union-attr]
        with journal_at(journal_path) as elsewhere:
            elsewhere.add(NewEntry(title="Newer", body="Above the others."))
        await press(pilot, "1")
        await press(pilot, "2")
        assert titles(app.screen.query_one(EntryList))[0] == "Newer"
        assert highlighted(app).title == "The dishes"  # type: ignore[union-attr]

    run_app(make_app(journal_path), scenario)


def test_a_list_left_alone_shows_changes_within_a_few_seconds(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(journal_path)
    monkeypatch.setattr(JournalScreen, "WATCH_SECONDS", 0.1, raising=False)
    monkeypatch.setattr(base, "QUIET_SECONDS", 0.2, raising=False)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        entry_list = screen.query_one(EntryList)
        await press(pilot, "j")
        with journal_at(journal_path) as elsewhere:
            elsewhere.add(NewEntry(title="From outside", body="Written in another terminal."))
        for _ in range(40):
            await asyncio.sleep(0.1)
            if "From outside" in titles(entry_list):
                break
        await settle(pilot)
        assert "From outside" in titles(entry_list)
        assert entry_list.border_title == "6 entries"
        assert highlighted(app).title == "Coffee in bed"  # type: ignore[union-attr]

    run_app(make_app(journal_path), scenario)


def test_starring_an_entry_trashed_elsewhere_says_so_and_shows_the_list_as_it_is(
    journal_path: Path,
) -> None:
    entries = seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        assert highlighted(app).title == "A slow walk by the river"  # type: ignore[union-attr]
        with journal_at(journal_path) as elsewhere:
            elsewhere.delete(entries[1].id)
        await press(pilot, "asterisk")
        assert notifications(app)[-1] == IN_THE_TRASH
        no_commands_quoted(app)
        entry_list = screen.query_one(EntryList)
        assert "A slow walk by the river" not in titles(entry_list)
        assert entry_list.border_title == "4 entries"
        assert highlighted(app).title == "Coffee in bed"  # type: ignore[union-attr]

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert not journal.get(entries[1].id, include_deleted=True).starred


def test_deleting_an_entry_trashed_elsewhere_says_so(journal_path: Path) -> None:
    entries = seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        with journal_at(journal_path) as elsewhere:
            elsewhere.delete(entries[1].id)
        await press(pilot, "d")
        assert notifications(app)[-1] == IN_THE_TRASH
        no_commands_quoted(app)
        assert "A slow walk by the river" not in titles(app.screen.query_one(EntryList))

    run_app(make_app(journal_path), scenario)


def test_marking_an_entry_changed_elsewhere_says_so_and_changes_nothing(
    journal_path: Path,
) -> None:
    entries = seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await open_journal_screen(pilot)
        with journal_at(journal_path) as elsewhere:
            elsewhere.edit(entries[1].id, EntryChanges(starred=True))
        # The list still shows it unstarred: * would take the star off what it cannot see.
        await press(pilot, "asterisk")
        assert "changed somewhere else" in notifications(app)[-1]
        no_commands_quoted(app)
        assert text_of(screen, "#reader-marks") == "★ Starred"

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert journal.get(entries[1].id).starred


def test_saving_an_entry_trashed_elsewhere_keeps_the_words_and_says_where_it_went(
    journal_path: Path,
) -> None:
    entries = seed(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_journal_screen(pilot)
        await press(pilot, "e")
        assert isinstance(app.screen, EntryEditorScreen)
        with journal_at(journal_path) as elsewhere:
            elsewhere.delete(entries[1].id)
        await press(pilot, "end", "exclamation_mark", "ctrl+s")
        note = notifications(app)[-2]
        assert note.startswith("This entry was moved to the Trash from somewhere else meanwhile")
        assert "press 4 to see it" in note
        no_commands_quoted(app)

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert [e.title for e in journal.trash()] == ["A slow walk by the river"]
        assert journal.count() == 5  # the words were kept as a new entry


def test_restoring_an_entry_brought_back_elsewhere_says_so(journal_path: Path) -> None:
    entries = seed(journal_path)
    with journal_at(journal_path) as journal:
        journal.delete(entries[2].id)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await press(pilot, "4")
        trash = app.screen
        assert isinstance(trash, TrashScreen)
        with journal_at(journal_path) as elsewhere:
            elsewhere.undelete(entries[2].id)
        await press(pilot, "r")
        assert "brought back somewhere else" in notifications(app)[-1]
        no_commands_quoted(app)
        assert trash.query_one("#trash-empty").display

    run_app(make_app(journal_path), scenario)


def test_the_change_marker_moves_only_when_something_is_saved(journal_path: Path) -> None:
    seed(journal_path)
    with journal_at(journal_path) as watching, journal_at(journal_path) as elsewhere:
        first = watching.change_marker()
        watching.list()
        assert watching.change_marker() == first
        elsewhere.add(NewEntry(body="From another window.", date=FIXED_TODAY))
        second = watching.change_marker()
        assert second != first
        watching.add(NewEntry(body="From this one."))  # on one of its pooled connections
        assert watching.change_marker() != second
