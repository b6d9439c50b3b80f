"""The journal changed somewhere else (another window, a command in another terminal)
while the window is open: the screens show it as last saved, and the keys that act on an
entry say, in the window's own words, when it was trashed or changed meanwhile."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reconnect_journal.core.model import NewEntry
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.screens import base
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
