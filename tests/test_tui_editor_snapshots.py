"""Screenshots of the editor (with its suggestions and gentle notes), the grounding
pause, the conversation opener and the offer to continue unsaved writing.

Compared with the accepted ones in __snapshots__/. After a deliberate change of look:
run with --snapshot-update, then look at the new SVGs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path, PurePath
from typing import ClassVar

import pytest
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Header, Input, TextArea

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.model import BarrierTag, Draft, NewEntry
from reconnect_journal.tui import app as app_module
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.screens.base import JournalView
from reconnect_journal.tui.screens.editor import EntryEditorScreen

from .tui_support import FIXED_NOW, open_fixed, settle

pytestmark = pytest.mark.usefixtures("utc_clock")


SnapCompare = Callable[..., bool]

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

WORDS = (
    "We cooked together tonight. I noticed I was waiting for her to ask first, "
    "the way I always do.\n\n"
    "Maybe next time I will ask."
)


class QuietScreen(JournalView):
    """Stands in for Today behind the dialogs, so these pictures show only our part."""

    def compose(self) -> ComposeResult:
        yield Header()


class StillApp(JournalApp):
    # A subclass looks for its CSS beside its own module: point it at the app's.
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        Path(app_module.__file__).parent / path for path in JournalApp.CSS_PATH
    ]
    MODES: ClassVar[dict[str, Callable[[], Screen[None]]]] = {
        **JournalApp.MODES,
        "today": QuietScreen,
    }


def make_app(path: Path) -> JournalApp:
    app = StillApp(db_path=path, open_journal=lambda: open_fixed(path), cursor_blink=False)
    app.theme = "textual-dark"  # pinned: a TEXTUAL_THEME in someone's shell must not matter
    return app


async def editor_with_words(pilot: Pilot[None]) -> None:
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, JournalApp)
    app.open_editor()
    await settle(pilot)
    body = app.screen.query_one("#body", TextArea)
    body.insert(WORDS)
    await pilot.press("tab", "tab", "space", "2")  # second barrier, quite a lot
    await pilot.click("#emotional-closeness", offset=(1 + 2 * 3, 1))  # 4 of 5
    body.focus()
    await pilot.pause(2)  # the draft is kept: the status line says so
    await settle(pilot)


async def editor_without_side_panel(pilot: Pilot[None]) -> None:
    await editor_with_words(pilot)
    await pilot.press("ctrl+b")
    await pilot.pause()


@SIZES
def test_editor(snap_compare: SnapCompare, journal_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(journal_path), terminal_size=size, run_before=editor_with_words)


@SIZES
def test_editor_without_side_panel(
    snap_compare: SnapCompare, journal_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(
        make_app(journal_path), terminal_size=size, run_before=editor_without_side_panel
    )


@SIZES
def test_draft_recovery(
    snap_compare: SnapCompare, journal_path: Path, size: tuple[int, int]
) -> None:
    journal = open_fixed(journal_path)
    try:
        entry = journal.add(NewEntry(body="The dishes again.", date=dt.date(2026, 11, 22)))
    finally:
        journal.close()
    older = open_fixed(journal_path, FIXED_NOW - dt.timedelta(days=1))
    try:
        older.save_draft(Draft(Draft.key_for(entry.id), "The dishes again. And", entry_id=entry.id))
    finally:
        older.close()
    newer = open_fixed(journal_path, FIXED_NOW - dt.timedelta(hours=2))
    try:
        newer.save_draft(
            Draft(
                "new",
                "We sat in the car outside the house and did not go in for a long time.\n"
                "Neither of us said what we were thinking.\n\n"
                "I wanted to say sorry.\nI wanted her to say it first.\nI still do.",
                title="In the car",
            )
        )
    finally:
        newer.close()
    assert snap_compare(make_app(journal_path), terminal_size=size, run_before=settle)


# -- suggestions, notes, the grounding pause and openers -----------------------------

NOVELTY_AND_UNSEEN = (
    "He was on his phone the whole time I was talking about my day. I felt invisible.\n\n"
    "Anyway, what we need is a weekend away and some new lingerie to spice things up."
)
HARM = "He grabbed my arm so hard it bruised, and I'm scared to go home tonight."


def editor_saying(text: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, JournalApp)
        app.open_editor()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EntryEditorScreen)
        screen.query_one("#body", TextArea).insert(text)
        await pilot.pause(EntryEditorScreen.suggest_delay + 0.3)  # suggestions, then a draft
        await pilot.pause(2)
        await settle(pilot)

    return run_before


@SIZES
def test_editor_with_suggestions_and_the_reframe_note(
    snap_compare: SnapCompare, journal_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(
        make_app(journal_path), terminal_size=size, run_before=editor_saying(NOVELTY_AND_UNSEEN)
    )


@SIZES
def test_editor_with_the_support_note(
    snap_compare: SnapCompare, journal_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(journal_path), terminal_size=size, run_before=editor_saying(HARM))


def test_grounding_pause(snap_compare: SnapCompare, journal_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await editor_saying(HARM)(pilot)
        await pilot.press("escape")
        await settle(pilot)

    assert snap_compare(make_app(journal_path), terminal_size=(80, 24), run_before=run_before)


@SIZES
def test_conversation_opener(
    snap_compare: SnapCompare, journal_path: Path, size: tuple[int, int]
) -> None:
    journal = open_fixed(journal_path)
    try:
        entry = journal.add(
            NewEntry(
                body="He didn't ask about the interview at all.",
                title="The interview",
                barriers=[BarrierTag(Barrier.UNSEEN, 2)],
            )
        )
    finally:
        journal.close()

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, JournalApp)
        app.open_conversation_opener(entry)
        await settle(pilot)
        for field, value in (
            ("#opener-feeling", "unnoticed"),
            ("#opener-about", "the interview"),
            ("#opener-need", "for you to ask how it went"),
        ):
            app.screen.query_one(field, Input).value = value
        await pilot.pause()
        await settle(pilot)

    assert snap_compare(make_app(journal_path), terminal_size=size, run_before=run_before)
