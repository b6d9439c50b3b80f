"""The editor: writing, keeping drafts, bringing them back, and writing in your own editor.

Driven with Textual's Pilot on a temporary journal with a fixed clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea
from typer.testing import CliRunner

from reconnect_journal.cli import app as cli_app
from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.errors import JournalError
from reconnect_journal.core.model import BarrierTag, Draft, Entry, EntryQuery, NewEntry
from reconnect_journal.tui import app as app_module
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.drafts import DraftKeeper
from reconnect_journal.tui.external_editor import (
    ExternalEditorError,
    edit_text,
    editor_command,
)
from reconnect_journal.tui.screens.confirm import ConfirmScreen
from reconnect_journal.tui.screens.draft_recovery import (
    DISCARD_DETAIL,
    DISCARD_QUESTION,
    DraftRecoveryScreen,
    preview,
)
from reconnect_journal.tui.screens.editor import (
    EMPTY_BODY,
    KEPT_AS_DRAFT,
    WORDS_ARE_BACK,
    EntryEditorScreen,
)
from reconnect_journal.tui.widgets.editor_status import EditorStatus
from reconnect_journal.tui.widgets.rating import RatingSelect

from .tui_support import (
    FIXED_NOW,
    FIXED_TODAY,
    footer_keys_in_view,
    journal_at,
    make_app,
    notifications,
    run_app,
    settle,
    type_text,
)

pytestmark = pytest.mark.usefixtures("utc_clock")


# -- helpers --------------------------------------------------------------------------


async def open_editor(app: JournalApp, pilot: Pilot[None], entry: Entry | None = None) -> None:
    app.open_editor(entry)
    await settle(pilot)
    assert isinstance(app.screen, EntryEditorScreen)


def editor(app: JournalApp) -> EntryEditorScreen:
    screen = app.screen
    assert isinstance(screen, EntryEditorScreen)
    return screen


def body_of(app: JournalApp) -> TextArea:
    return editor(app).query_one("#body", TextArea)


def status_of(app: JournalApp) -> str:
    return str(editor(app).query_one(EditorStatus).render())


def seed(path: Path, *entries: NewEntry) -> list[Entry]:
    with journal_at(path) as journal:
        return [journal.add(entry) for entry in entries]


def stored_drafts(path: Path) -> list[Draft]:
    with journal_at(path) as journal:
        return journal.pending_drafts()


def leave_draft(path: Path, draft: Draft, when: dt.datetime = FIXED_NOW) -> None:
    with journal_at(path, when) as journal:
        journal.save_draft(draft)


def stored_bodies(path: Path) -> list[str]:
    with journal_at(path) as journal:
        return [entry.body for entry in journal.list(EntryQuery(limit=None))]


def dialog_text(app: JournalApp) -> str:
    return "\n".join(str(static.render()) for static in app.screen.query(Static))


# -- writing and saving ----------------------------------------------------------------


def test_a_new_entry_is_saved_with_its_barrier_intensity_and_rating(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        assert editor(app).focused is body_of(app)
        await type_text(pilot, "We cooked together and laughed.")
        # By mouse: mark "trust", then its second intensity dot; rate closeness 4 of 5.
        await pilot.click("#barrier-trust", offset=(4, 0))
        # The three dots end one cell before the right edge (padding): the 2nd is at width - 3.
        toggle_width = app.screen.query_one("#barrier-trust").outer_size.width
        await pilot.click("#barrier-trust", offset=(toggle_width - 3, 0))
        await pilot.click("#emotional-closeness", offset=(1 + 2 * 3, 1))  # dot 4: "● ● ● ●"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EntryEditorScreen)
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
        await open_editor(app, pilot)
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


def test_a_rating_offers_to_clear_it_as_an_action(journal_path: Path) -> None:
    # "4 of 5 · clear" read like a description of the rating; the way back to "not
    # rated" says what it does, fits the side panel at 80 columns, and can be clicked.
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        rating = editor(app).query_one("#emotional-closeness", RatingSelect)
        rating.focus()
        await pilot.press("4")
        label, line = str(rating.render()).split("\n")
        assert label == "Emotional closeness"
        assert line == "● ● ● ● ○  4 of 5 · clear it"
        assert len(line) <= rating.content_region.width
        await pilot.click(rating, offset=(1 + line.index("clear it") + 3, 1))
        await settle(pilot)
        assert rating.value is None
        assert str(rating.render()).split("\n")[1].endswith("not rated")

    run_app(make_app(journal_path), scenario, size=(80, 24))


def test_an_empty_body_is_not_saved_and_the_form_is_kept(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await pilot.click("#title")
        await type_text(pilot, "Later")
        await pilot.press("ctrl+s")
        await settle(pilot)

        error_line = editor(app).query_one("#editor-error", Static)
        assert error_line.display
        assert str(error_line.render()) == EMPTY_BODY
        assert editor(app).query_one("#title", Input).value == "Later"
        assert editor(app).focused is body_of(app)

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert journal.count() == 0


def test_a_day_that_is_not_understood_shows_the_core_message(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Some words.")
        day = editor(app).query_one("#day", Input)
        day.value = "someday"
        await pilot.pause()
        assert day.border_subtitle == "?"
        await pilot.press("ctrl+s")
        await settle(pilot)

        error_text = str(editor(app).query_one("#editor-error", Static).render())
        assert error_text.startswith("'someday' is not a date I understand")
        assert editor(app).focused is day

        day.value = "2 days ago"  # put right: the hint shows the day and the error goes
        await pilot.pause()
        assert day.border_subtitle == "Sun 22 Nov"
        assert not editor(app).query_one("#editor-error", Static).display

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert journal.count() == 0


def test_the_tags_box_says_how_to_separate_tags_and_shows_what_will_be_saved(
    journal_path: Path,
) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Up late talking. #evening")
        tags = editor(app).query_one("#tags", Input)
        assert "spaces or commas" in tags.placeholder
        assert "late-night" in str(tags.tooltip)
        await pilot.pause(EntryEditorScreen.suggest_delay + 0.3)  # once typing pauses
        assert tags.border_subtitle == "#evening"  # the text's #words are saved as tags too

        await pilot.click("#tags")
        await type_text(pilot, "late night, ça-va, #hash, UPPER")
        await pilot.pause()
        # Two words are two tags, as the placeholder says, and the box shows it before saving.
        assert tags.border_subtitle == "#evening #hash #late #night #upper #ça-va"

        tags.value = "late-night, ça-va"
        await pilot.pause()
        assert tags.border_subtitle == "#evening #late-night #ça-va"
        await pilot.press("ctrl+s")
        await settle(pilot)

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        [stored] = journal.list(EntryQuery())
    assert stored.tags == ("evening", "late-night", "ça-va")


def test_an_unusable_tag_is_refused_with_the_command_lines_message(
    journal_path: Path, tmp_path: Path
) -> None:
    cli = CliRunner().invoke(
        cli_app, ["--db", str(tmp_path / "cli.db"), "add", "x", "--tag", "c++"]
    )
    assert cli.exit_code == 2
    cli_message = cli.stderr.removeprefix("reconnect-journal: ").strip()

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Some words.")
        await pilot.click("#tags")
        await type_text(pilot, "walk c++")
        await pilot.pause()
        tags = editor(app).query_one("#tags", Input)
        assert tags.border_subtitle == "?"
        await pilot.press("ctrl+s")
        await settle(pilot)

        error_line = editor(app).query_one("#editor-error", Static)
        assert error_line.display
        assert str(error_line.render()).rstrip(".") == cli_message.rstrip(".")
        assert editor(app).focused is tags

        tags.value = "walk cplusplus"  # put right: the error goes, the box shows the tags
        await pilot.pause()
        assert not error_line.display
        assert tags.border_subtitle == "#cplusplus #walk"

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
        await open_editor(app, pilot, original)
        assert editor(app).query_one("#title", Input).value == "Money"
        assert "Saved" in status_of(app)
        await type_text(pilot, " Later we talked it through.")  # the cursor starts at the end
        editor(app).query_one("#day", Input).value = "yesterday"
        await pilot.click("#emotional-closeness", offset=(1 + 2 * 3, 1))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EntryEditorScreen)

    run_app(make_app(journal_path), scenario)

    with journal_at(journal_path) as journal:
        stored = journal.get(original.id)
        assert journal.pending_drafts() == []
    assert stored.body == "We argued about money. Later we talked it through."
    assert stored.date == FIXED_TODAY - dt.timedelta(days=1)
    assert stored.emotional_closeness == 4
    # The barrier was not touched, so it keeps where it came from.
    assert stored.barriers == (BarrierTag(Barrier.RESENTMENT, 2, source="suggestion"),)


class SavesFailOnce(JournalService):
    """A journal busy in another window: the first save fails, the next one works."""

    busy = "the journal is busy in another window; nothing was changed, try again in a moment"
    failed_adds = 0

    def add(self, new: NewEntry) -> Entry:
        if self.failed_adds == 0:
            self.failed_adds += 1
            raise JournalError(self.busy)
        return super().add(new)


def test_a_busy_journal_is_reported_calmly_and_the_words_are_kept(journal_path: Path) -> None:
    def open_busy() -> JournalService:
        return SavesFailOnce.open(journal_path, clock=lambda: FIXED_NOW, today=lambda: FIXED_TODAY)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Still here")
        await pilot.press("ctrl+s")
        await settle(pilot)

        error_text = str(editor(app).query_one("#editor-error", Static).render())
        assert error_text.startswith("The journal is busy in another window")
        assert body_of(app).text == "Still here"
        await pilot.press("ctrl+s")  # trying again works once the journal is free
        await settle(pilot)
        assert not isinstance(app.screen, EntryEditorScreen)

    run_app(make_app(journal_path, open_busy), scenario)
    assert stored_bodies(journal_path) == ["Still here"]
    assert stored_drafts(journal_path) == []


def test_the_word_count_follows_the_text(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        assert status_of(app) == "0 words · Not saved yet"
        await type_text(pilot, "One")
        assert status_of(app).startswith("1 word ·")
        await type_text(pilot, "  two,")
        body_of(app).insert("\tthree\nfour")
        await pilot.pause()
        assert status_of(app).startswith("4 words ·")

    run_app(make_app(journal_path), scenario)


def test_f1_opens_help_over_the_words_and_closing_it_goes_back_to_them(
    journal_path: Path,
) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        from reconnect_journal.tui.screens.help import HelpScreen

        await open_editor(app, pilot)
        await type_text(pilot, "What?")  # `?` is typed, not Help
        assert body_of(app).text == "What?" and not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is editor(app) and editor(app).focused is body_of(app)
        assert body_of(app).text == "What?"

    run_app(make_app(journal_path), scenario)


def test_the_side_panel_hides_and_shows_and_the_words_get_the_room(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        side = editor(app).query_one("#editor-side")
        narrow = body_of(app).size.width
        assert side.display
        footer_keys = {active.binding.id for active in app.screen.active_bindings.values()}
        assert {"editor.side_panel", "editor.external_editor"} <= footer_keys

        await pilot.press("tab")  # into the side panel
        assert side in (editor(app).focused or side).ancestors_with_self
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not side.display
        assert body_of(app).size.width > narrow
        assert editor(app).focused is body_of(app)  # the focus left the hidden panel

        await pilot.press("ctrl+b")
        await pilot.pause()
        assert side.display
        assert body_of(app).size.width == narrow

    run_app(make_app(journal_path), scenario)


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
def test_save_back_and_quit_stay_in_the_footer_while_a_suggestion_shows(
    journal_path: Path, size: tuple[int, int]
) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        body_of(app).insert(
            "He was on his phone the whole time I was talking about my day. I felt invisible."
        )
        await pilot.pause(EntryEditorScreen.suggest_delay + 0.3)
        await settle(pilot)
        assert editor(app).check_action("accept_suggestion", ())
        shown = footer_keys_in_view(app)
        assert {"^s", "esc", "^q"} <= set(shown), shown  # (`?` types itself here)
        if size[0] >= 100:
            assert {"f2", "f3"} <= set(shown), shown
        # The note on "spice it up" ideas adds its own key (f4): still no room is stolen.
        body_of(app).insert(" What we need is a weekend away to spice things up.")
        await pilot.pause(EntryEditorScreen.suggest_delay + 0.3)
        await settle(pilot)
        assert editor(app).check_action("hide_notes", ())
        shown = footer_keys_in_view(app)
        assert {"^s", "esc", "^q"} <= set(shown), shown

    run_app(make_app(journal_path), scenario, size=size)


def test_at_80x24_the_whole_form_fits(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        screen = editor(app)
        height = screen.size.height
        for selector in ("#title", "#day", "#body", "#editor-status", "#barriers", "#tags"):
            region = screen.query_one(selector).region
            assert region.height > 0, selector
            assert region.bottom <= height - 1, selector  # above the footer
        assert body_of(app).size.width >= 40

    run_app(make_app(journal_path), scenario, size=(80, 24))


# -- drafts: kept as it is written -----------------------------------------------------


def test_words_are_kept_as_a_draft_once_the_typing_pauses(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        body_of(app).insert("A hard evening. I said less than I meant.")
        await pilot.pause()
        assert status_of(app).endswith("Not saved yet")
        await pilot.pause(2)
        await settle(pilot)
        [draft] = stored_drafts(journal_path)
        assert draft.for_new_entry and draft.window == app.window_token  # this window's own
        assert draft.body == "A hard evening. I said less than I meant."
        assert draft.date == FIXED_TODAY
        assert status_of(app) == "9 words · Draft saved 19:30"

        await pilot.press("tab", "space")  # a barrier is kept too
        await pilot.pause(2)
        await settle(pilot)
        [draft] = stored_drafts(journal_path)
        assert draft.barriers == [BarrierTag(next(iter(Barrier)), 1)]

    run_app(make_app(journal_path), scenario)


def test_going_back_keeps_a_draft_without_asking(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Half a thought")
        await pilot.press("escape")  # straight away: no waiting for the pause
        await pilot.pause()
        assert not isinstance(app.screen, EntryEditorScreen | ConfirmScreen)
        assert KEPT_AS_DRAFT in notifications(app)
        [draft] = stored_drafts(journal_path)
        assert draft.body == "Half a thought"

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert journal.count() == 0


def test_going_back_from_an_untouched_form_keeps_nothing(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EntryEditorScreen)
        assert KEPT_AS_DRAFT not in notifications(app)

    run_app(make_app(journal_path), scenario)
    assert stored_drafts(journal_path) == []


def test_quitting_keeps_a_draft_without_asking(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Unsaved")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running

    app = make_app(journal_path)
    run_app(app, scenario)
    assert app.return_code == 0
    [draft] = stored_drafts(journal_path)
    assert draft.body == "Unsaved"


def test_keys_typed_just_before_quitting_are_in_the_draft(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Unsaved")
        # As from a fast typist: the keys and ctrl+q arrive together, with no pause for
        # the text box to take each key in before the app sees ctrl+q.
        for key in [" ", "t", "a", "n", "g", "o", "6", "ctrl+q"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(50):
            await pilot.pause(0.05)
            if not app.is_running:
                break

    run_app(make_app(journal_path), scenario)
    [draft] = stored_drafts(journal_path)
    assert draft.body == "Unsaved tango6"


def test_the_window_closing_any_other_way_keeps_a_draft(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Closed mid-sentence")
        app.exit()  # not through ctrl+q: nobody asked the editor first
        await pilot.pause()

    run_app(make_app(journal_path), scenario)
    [draft] = stored_drafts(journal_path)
    assert draft.body == "Closed mid-sentence"


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_the_terminal_closing_keeps_the_words_typed_a_moment_before(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    from reconnect_journal.tui.screens import editor as editor_module

    ended: list[int] = []
    monkeypatch.setattr(app_module, "_end_process", ended.append)  # never the test's process
    # No pause in the typing may keep the draft first, however slowly a busy machine types.
    monkeypatch.setattr(editor_module, "AUTOSAVE_DELAY", 600.0)
    monkeypatch.setattr(editor_module, "AUTOSAVE_MAX_WAIT", 600.0)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Typed just before the terminal died")
        assert stored_drafts(journal_path) == []  # the pause has not come yet
        app.closed_from_outside(signum)  # what the signal handler runs
        # Written there and then, before anything else happens.
        [draft] = stored_drafts(journal_path)
        assert draft.body == "Typed just before the terminal died"
        await pilot.pause()
        assert not app.is_running

    app = make_app(journal_path)
    run_app(app, scenario)
    assert app.return_code == 128 + signum
    assert app._last_resort is not None
    app._last_resort.cancel()
    assert ended == []


def test_words_are_kept_as_a_draft_within_a_second_of_the_last_key(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Still here")
        await pilot.pause(1.0)
        await settle(pilot)
        [draft] = stored_drafts(journal_path)
        assert draft.body == "Still here"
        assert app.is_running  # nobody quit: the pause alone kept them

    run_app(make_app(journal_path), scenario)


def test_saving_the_entry_removes_its_draft(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Written and kept")
        await pilot.pause(2)
        await settle(pilot)
        assert len(stored_drafts(journal_path)) == 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EntryEditorScreen)

    run_app(make_app(journal_path), scenario)
    assert stored_drafts(journal_path) == []
    assert stored_bodies(journal_path) == ["Written and kept"]


def test_opening_the_editor_again_brings_back_the_kept_words(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Not finished")
        await pilot.press("escape")
        await settle(pilot)
        await open_editor(app, pilot)  # a second new entry must not write over the first
        assert body_of(app).text == "Not finished"
        assert WORDS_ARE_BACK in notifications(app)
        assert status_of(app) == "2 words · Draft saved 19:30"
        await type_text(pilot, ", now it is.")
        await pilot.press("ctrl+s")
        await settle(pilot)

    run_app(make_app(journal_path), scenario)
    assert stored_bodies(journal_path) == ["Not finished, now it is."]
    assert stored_drafts(journal_path) == []


def test_changes_to_an_entry_are_kept_under_its_own_key(journal_path: Path) -> None:
    [entry] = seed(journal_path, NewEntry(body="We walked.", title="Sunday"))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot, entry)
        await type_text(pilot, " It rained.")
        await pilot.press("escape")
        await settle(pilot)

    run_app(make_app(journal_path), scenario)
    [draft] = stored_drafts(journal_path)
    assert draft.key == Draft.key_for(entry.id)
    assert draft.entry_id == entry.id
    assert draft.body == "We walked. It rained."
    assert draft.title == "Sunday"
    assert stored_bodies(journal_path) == ["We walked."]  # the entry is as it was


def test_undoing_every_change_to_an_entry_needs_no_draft(journal_path: Path) -> None:
    [entry] = seed(journal_path, NewEntry(body="As it was."))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot, entry)
        await type_text(pilot, "!")
        await pilot.pause(2)
        await settle(pilot)
        assert len(stored_drafts(journal_path)) == 1
        await pilot.press("backspace")
        await pilot.pause(2)
        await settle(pilot)
        assert stored_drafts(journal_path) == []
        assert status_of(app).endswith("· Saved")

    run_app(make_app(journal_path), scenario)


def test_discarding_in_the_editor_asks_once_then_the_draft_is_gone(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Never mind")
        await pilot.pause(2)
        await settle(pilot)
        await pilot.press("ctrl+delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == "Discard this draft?"
        await pilot.press("enter")  # the focused, safe choice: keep it
        await pilot.pause()
        assert body_of(app).text == "Never mind"
        await pilot.press("ctrl+delete")
        await pilot.pause()
        await pilot.click("#confirm-go")
        await settle(pilot)
        assert not isinstance(app.screen, EntryEditorScreen)
        assert "Draft discarded." in notifications(app)

    run_app(make_app(journal_path), scenario)
    assert stored_drafts(journal_path) == []


class DraftsFail(JournalService):
    """A journal on a full disk: drafts cannot be written."""

    def save_draft(self, draft: Draft) -> None:
        raise JournalError("the disk is full; nothing new was saved")


def test_words_that_cannot_be_kept_stay_on_the_screen(journal_path: Path) -> None:
    def open_full() -> JournalService:
        return DraftsFail.open(journal_path, clock=lambda: FIXED_NOW, today=lambda: FIXED_TODAY)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Precious")
        await pilot.pause(2)
        await settle(pilot)
        [warning] = [text for text in notifications(app) if "could not be kept" in text]
        assert "the disk is full" in warning
        assert status_of(app).endswith("Not saved yet")
        await pilot.press("escape")  # going back would lose them: the editor stays
        await pilot.pause()
        assert body_of(app).text == "Precious"

    run_app(make_app(journal_path, open_full), scenario)


def test_quitting_when_the_words_cannot_be_kept_asks_for_a_second_ctrl_q(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconnect_journal.store.engine import _message_for

    def disk_full(self: JournalService, draft: Draft) -> None:
        raise JournalError(_message_for(Exception("database or disk is full"), journal_path))

    monkeypatch.setattr(JournalService, "save_draft", disk_full)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Precious")
        await pilot.press("ctrl+q")  # the words cannot be kept: not yet
        await pilot.pause()
        assert app.is_running
        assert body_of(app).text == "Precious"
        [refusal] = [text for text in notifications(app) if "ctrl+q again" in text]
        assert "disk is full" in refusal
        await pilot.press("ctrl+q")  # asked twice: a choice, so the window closes
        await pilot.pause()
        assert not app.is_running

    app = make_app(journal_path)
    run_app(app, scenario)
    assert app.return_code == 0


def _damage_the_search_index(path: Path) -> None:
    """Zero the page of the search index's settings, as a failing disk might."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        [root] = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'entry_fts_config'"
        ).fetchone()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\0" * page_size)


def test_words_written_as_the_journal_turns_out_damaged_are_kept_beside_it(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconnect_journal.store import health

    seed(journal_path, NewEntry(body="Before the disk failed."))
    _damage_the_search_index(journal_path)
    monkeypatch.setattr(health, "quick_check", lambda store: None)  # damaged after the check

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Words I need to keep")
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(editor(app).query_one("#editor-error", Static).render())
        assert f"{journal_path} is damaged" in error, error
        assert "vtable" not in error
        [said] = [text for text in notifications(app) if "unsaved-" in text]
        assert "damaged" in said
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running

    app = make_app(journal_path)
    run_app(app, scenario)
    assert app.return_code == 0
    [kept] = journal_path.parent.glob(f"{journal_path.name}.unsaved-*.md")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert "Words I need to keep" in kept.read_text(encoding="utf-8")


def test_words_being_written_when_the_check_finds_damage_are_kept_beside_it(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconnect_journal.store import health
    from reconnect_journal.tui.screens.open_failed import OpenFailedScreen

    seed(journal_path, NewEntry(body="Before the disk failed."))
    found: list[str] = []

    def check(store: object) -> None:
        if found:
            store.found_damaged(found[0])  # type: ignore[attr-defined]
            store.refuse_if_damaged()  # type: ignore[attr-defined]

    monkeypatch.setattr(health, "quick_check", check)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Half a thought")
        await pilot.pause(1.5)  # kept as a draft, in the file that turns out damaged
        await settle(pilot)
        assert [d.body for d in stored_drafts(journal_path)] == ["Half a thought"]
        found.append("database disk image is malformed")
        assert app.journal is not None
        app._check_and_back_up(app.journal)  # as the check at the start finds it, later
        await settle(pilot)
        assert isinstance(app.screen, OpenFailedScreen)
        await pilot.press("q")
        await pilot.pause()

    app = make_app(journal_path)
    run_app(app, scenario)
    [kept] = journal_path.parent.glob(f"{journal_path.name}.unsaved-*.md")
    assert "Half a thought" in kept.read_text(encoding="utf-8")


def test_an_older_draft_never_lands_on_a_newer_one(journal_path: Path) -> None:
    with journal_at(journal_path) as journal:
        keeper = DraftKeeper(journal, "new")
        older, newer = keeper.next_generation(), keeper.next_generation()
        assert keeper.write(Draft("new", "newer words"), newer)
        assert not keeper.write(Draft("new", "older words"), older)
        [kept] = journal.pending_drafts()
        assert kept.body == "newer words"
        keeper.close()
        assert not keeper.write(Draft("new", "after saving"), keeper.next_generation())
        assert journal.pending_drafts() == []


def test_drafts_written_from_many_threads_end_with_the_newest(journal_path: Path) -> None:
    with journal_at(journal_path) as journal:
        keeper = DraftKeeper(journal, "new")
        jobs = [(Draft("new", f"version {n}"), keeper.next_generation()) for n in range(20)]
        threads = [threading.Thread(target=keeper.write, args=job) for job in reversed(jobs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        [kept] = journal.pending_drafts()
        assert kept.body == "version 19"


# -- drafts left behind ----------------------------------------------------------------


def test_a_draft_left_behind_is_offered_and_can_be_continued(journal_path: Path) -> None:
    leave_draft(
        journal_path,
        Draft("new", "We sat in the car and did not go in.\nI wanted to say sorry.", title="Car"),
        when=FIXED_NOW - dt.timedelta(hours=2),
    )

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, DraftRecoveryScreen)
        text = dialog_text(app)
        # Warm, and true however the app closed: no "closed before they were saved".
        assert "These words are kept as a draft, just as you left them." in text
        assert "closed" not in text
        assert "A new entry, last written today at 17:30." in text
        assert "Car\nWe sat in the car and did not go in.\nI wanted to say sorry." in text
        assert app.screen.focused is app.screen.query_one("#draft-continue")

        await pilot.press("enter")  # Continue writing
        await settle(pilot)
        assert body_of(app).text == "We sat in the car and did not go in.\nI wanted to say sorry."
        assert editor(app).query_one("#title", Input).value == "Car"
        assert status_of(app).endswith("Draft saved 17:30")
        await type_text(pilot, " Tomorrow.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EntryEditorScreen | DraftRecoveryScreen)

    run_app(make_app(journal_path), scenario)
    assert stored_bodies(journal_path) == [
        "We sat in the car and did not go in.\nI wanted to say sorry. Tomorrow."
    ]
    assert stored_drafts(journal_path) == []


def test_discarding_a_left_behind_draft_asks_once_then_it_is_gone(journal_path: Path) -> None:
    leave_draft(journal_path, Draft("new", "Something I regret writing"))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, DraftRecoveryScreen)
        await pilot.click("#draft-discard")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == DISCARD_QUESTION
        assert app.screen.detail == DISCARD_DETAIL
        await pilot.press("escape")  # changed my mind: still offered, still kept
        await pilot.pause()
        assert isinstance(app.screen, DraftRecoveryScreen)
        assert len(stored_drafts(journal_path)) == 1

        await pilot.click("#draft-discard")
        await pilot.pause()
        await pilot.click("#confirm-go")
        await settle(pilot)
        assert not isinstance(app.screen, DraftRecoveryScreen | ConfirmScreen)
        assert "Draft discarded." in notifications(app)

    run_app(make_app(journal_path), scenario)
    assert stored_drafts(journal_path) == []
    assert stored_bodies(journal_path) == []


def test_not_now_keeps_the_draft_and_the_editor_picks_it_up(journal_path: Path) -> None:
    leave_draft(journal_path, Draft("new", "Not ready to look at this"))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, DraftRecoveryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DraftRecoveryScreen)
        assert any(text.startswith("Kept for later") for text in notifications(app))
        await open_editor(app, pilot)
        assert body_of(app).text == "Not ready to look at this"

    run_app(make_app(journal_path), scenario)
    assert [draft.body for draft in stored_drafts(journal_path)] == ["Not ready to look at this"]


def test_several_drafts_are_offered_one_after_another_newest_first(journal_path: Path) -> None:
    [entry] = seed(journal_path, NewEntry(body="The original words.", date=dt.date(2026, 11, 22)))
    leave_draft(
        journal_path,
        Draft(Draft.key_for(entry.id), "The original words, and more.", entry_id=entry.id),
        when=FIXED_NOW - dt.timedelta(days=1),
    )
    leave_draft(journal_path, Draft("new", "The newest words"), when=FIXED_NOW)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, DraftRecoveryScreen)
        assert app.screen.query_one("#draft-recovery-dialog").border_subtitle == "1 of 2"
        assert "The newest words" in dialog_text(app)
        await pilot.click("#draft-discard")
        await pilot.pause()
        await pilot.click("#confirm-go")
        await settle(pilot)

        assert isinstance(app.screen, DraftRecoveryScreen)
        assert app.screen.query_one("#draft-recovery-dialog").border_subtitle == "2 of 2"
        text = dialog_text(app)
        assert "Changes to your entry of Sun 22 Nov, last written yesterday at 19:30." in text
        await pilot.click("#draft-continue")
        await settle(pilot)
        assert editor(app).entry == entry
        assert body_of(app).text == "The original words, and more."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EntryEditorScreen | DraftRecoveryScreen)

    run_app(make_app(journal_path), scenario)
    assert stored_bodies(journal_path) == ["The original words, and more."]
    assert stored_drafts(journal_path) == []


def test_two_windows_never_write_over_each_others_new_entry(journal_path: Path) -> None:
    import asyncio

    seed(journal_path, NewEntry(body="An entry, so the journal exists."))
    a_has_written, b_has_written, a_has_added, b_done = (threading.Event() for _ in range(4))
    failures: list[BaseException] = []

    async def wait(event: threading.Event) -> None:
        assert await asyncio.to_thread(event.wait, 60)

    async def window_a(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Words from A")
        await pilot.pause(1.5)
        await settle(pilot)
        a_has_written.set()
        await wait(b_has_written)
        await type_text(pilot, " and more")
        await pilot.pause(1.5)
        await settle(pilot)
        a_has_added.set()
        await wait(b_done)
        await pilot.press("ctrl+q")
        await pilot.pause()

    def run_a() -> None:
        try:
            run_app(make_app(journal_path), window_a)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
            for event in (a_has_written, a_has_added):
                event.set()

    thread = threading.Thread(target=run_a)
    thread.start()
    try:
        assert a_has_written.wait(60)

        async def window_b(app: JournalApp, pilot: Pilot[None]) -> None:
            if isinstance(app.screen, DraftRecoveryScreen):
                await pilot.press("escape")  # Not now
                await pilot.pause()
            await open_editor(app, pilot)
            assert body_of(app).text == ""  # not A's words
            await type_text(pilot, "Words from B")
            await pilot.pause(1.5)
            await settle(pilot)
            b_has_written.set()
            await wait(a_has_added)
            await settle(pilot)
            # B is killed here: only what its autosave kept is left of it.
            bodies = sorted(draft.body for draft in stored_drafts(journal_path))
            assert bodies == ["Words from A and more", "Words from B"]
            editor(app)._keeper.close(discard=False)  # as if killed: nothing more written
            b_done.set()

        run_app(make_app(journal_path), window_b)
    finally:
        for event in (b_has_written, b_done):
            event.set()
        thread.join(60)
    assert not failures, failures
    drafts = stored_drafts(journal_path)
    assert [draft.body for draft in drafts] == ["Words from A and more", "Words from B"]

    # The next start offers both, newest first; continuing one leaves the other alone.
    async def next_start(app: JournalApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, DraftRecoveryScreen)
        assert app.screen.query_one("#draft-recovery-dialog").border_subtitle == "1 of 2"
        await pilot.press("enter")  # Continue writing
        await settle(pilot)
        assert body_of(app).text == "Words from A and more"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DraftRecoveryScreen)
        assert "Words from B" in dialog_text(app)

    run_app(make_app(journal_path), next_start)
    assert [draft.body for draft in stored_drafts(journal_path)] == ["Words from B"]


def test_changes_to_an_entry_now_in_the_trash_can_become_a_new_entry(journal_path: Path) -> None:
    [entry] = seed(journal_path, NewEntry(body="Deleted since."))
    leave_draft(
        journal_path, Draft(Draft.key_for(entry.id), "Deleted since. But kept.", entry_id=entry.id)
    )
    with journal_at(journal_path) as journal:
        journal.delete(entry.id)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, DraftRecoveryScreen)
        assert "no longer in your journal" in dialog_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert editor(app).entry is None
        await pilot.press("ctrl+s")
        await settle(pilot)

    run_app(make_app(journal_path), scenario)
    assert stored_bodies(journal_path) == ["Deleted since. But kept."]
    assert stored_drafts(journal_path) == []


def test_the_preview_shows_the_first_lines_literally() -> None:
    body = "\n".join(f"line {n} [b]not markup[/b]" for n in range(1, 8))
    assert preview(body) == "\n".join(f"line {n} [b]not markup[/b]" for n in range(1, 5)) + " …"
    assert preview("short", "Title") == "Title\nshort"


# -- your own editor -------------------------------------------------------------------


@pytest.fixture
def suspend_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test driver cannot hand the terminal over; here nothing needs handing over."""

    @contextlib.contextmanager
    def suspend(self: JournalApp) -> Iterator[None]:
        yield

    monkeypatch.setattr(JournalApp, "suspend", suspend)


def fake_editor(folder: Path, script: str) -> Path:
    """An executable 'editor' in Python that gets the file's path as its last argument."""
    path = folder / "fake-editor"
    path.write_text(f"#!{sys.executable}\nimport os, stat, sys\npath = sys.argv[-1]\n{script}\n")
    path.chmod(0o700)
    return path


def test_words_can_be_written_in_your_own_editor(
    journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suspend_allowed: None
) -> None:
    seen = tmp_path / "seen.txt"
    script = fake_editor(
        tmp_path,
        f"""
with open({str(seen)!r}, "w") as out:
    out.write(path + "\\n" + oct(stat.S_IMODE(os.stat(path).st_mode)) + "\\n")
    out.write(oct(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode)) + "\\n")
    out.write(open(path, encoding="utf-8").read())
with open(path, "a", encoding="utf-8") as f:
    f.write("\\nAnd then, in my own editor, the rest.\\n")
""",
    )
    monkeypatch.setenv("VISUAL", f"{script} --wait")
    monkeypatch.setenv("EDITOR", "something-else")

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Started here.")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert body_of(app).text == "Started here.\nAnd then, in my own editor, the rest."
        await pilot.press("ctrl+z")  # an edit like any other
        assert body_of(app).text == "Started here."
        await pilot.press("ctrl+y")
        await pilot.press("ctrl+s")
        await settle(pilot)

    run_app(make_app(journal_path), scenario)
    temp_file, file_mode, folder_mode, content = seen.read_text().split("\n", 3)
    # tmp/<journal name>/ beside the journal: one folder per journal (see erase).
    assert Path(temp_file).parent == journal_path.parent / "tmp" / journal_path.stem
    assert file_mode == "0o600"
    assert folder_mode == "0o700"
    assert oct((journal_path.parent / "tmp").stat().st_mode & 0o777) == "0o700"
    assert content == "Started here."
    assert not Path(temp_file).exists()
    assert list((journal_path.parent / "tmp" / journal_path.stem).iterdir()) == []
    assert stored_bodies(journal_path) == ["Started here.\nAnd then, in my own editor, the rest."]


def test_the_terminal_closing_while_in_your_own_editor_keeps_what_it_saved(
    journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suspend_allowed: None
) -> None:
    ended: list[int] = []
    monkeypatch.setattr(app_module, "_end_process", ended.append)  # never the test's process
    # The terminal goes: the editor has saved, then both it and the app get SIGHUP.
    script = fake_editor(
        tmp_path,
        """
import signal
with open(path, "a", encoding="utf-8") as f:
    f.write(" And what I wrote in my own editor.")
os.kill(os.getppid(), signal.SIGHUP)
os.kill(os.getpid(), signal.SIGHUP)
""",
    )
    monkeypatch.setenv("VISUAL", str(script))
    caught: list[int] = []
    # Stands in for the event loop's own handler, which runs once the app resumes.
    previous = signal.signal(signal.SIGHUP, lambda signum, frame: caught.append(signum))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Started here.")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert caught == [signal.SIGHUP]  # the app still hears it
        app.closed_from_outside(signal.SIGHUP)
        await pilot.pause()

    try:
        app = make_app(journal_path)
        run_app(app, scenario)
    finally:
        signal.signal(signal.SIGHUP, previous)
    if app._last_resort is not None:
        app._last_resort.cancel()
    [draft] = stored_drafts(journal_path)
    assert draft.body == "Started here. And what I wrote in my own editor."
    assert list((journal_path.parent / "tmp" / journal_path.stem).glob("entry-*")) == []


def test_a_file_left_by_your_own_editor_in_a_killed_window_is_offered(
    journal_path: Path,
) -> None:
    from reconnect_journal.tui.external_editor import private_tmp_dir
    from reconnect_journal.tui.windows import WindowMark

    seed(journal_path, NewEntry(body="An entry, so the journal exists."))
    key = Draft.new_entry_key("deadbeef0000", "1")
    leave_draft(
        journal_path, Draft(key, "Before my editor."), when=FIXED_NOW - dt.timedelta(hours=1)
    )
    folder = private_tmp_dir(journal_path)
    left = folder / f"entry-deadbeef0000-{key.replace(':', '_')}-x1y2.md"
    left.write_text("Before my editor. And after, in it.\n", encoding="utf-8")
    # One in use by a window that is still open is left alone.
    alive = WindowMark.take(journal_path, "a11ve0000000")
    in_use = folder / "entry-a11ve0000000-new_a11ve0000000.1-z9.md"
    in_use.write_text("Still being written elsewhere", encoding="utf-8")

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, DraftRecoveryScreen)
        assert "Before my editor. And after, in it." in dialog_text(app)
        assert app.screen.query_one("#draft-recovery-dialog").border_subtitle is None or (
            "of 1" in str(app.screen.query_one("#draft-recovery-dialog").border_subtitle)
        )

    try:
        run_app(make_app(journal_path), scenario)
    finally:
        alive.release()
    assert not left.exists()
    assert in_use.read_text(encoding="utf-8") == "Still being written elsewhere"
    [draft] = stored_drafts(journal_path)
    assert draft.body == "Before my editor. And after, in it."


def test_an_editor_that_fails_leaves_the_words_as_they_were(
    journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suspend_allowed: None
) -> None:
    script = fake_editor(tmp_path, 'open(path, "w").write("scrambled")\nsys.exit(3)')
    monkeypatch.setenv("VISUAL", str(script))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Mine")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert body_of(app).text == "Mine"
        assert any("exit status 3" in text for text in notifications(app))
        assert "as they were" in notifications(app)[-1]

    run_app(make_app(journal_path), scenario)
    assert list((journal_path.parent / "tmp" / journal_path.stem).iterdir()) == []


def test_an_editor_that_is_not_there_is_said_calmly(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch, suspend_allowed: None
) -> None:
    monkeypatch.setenv("VISUAL", "no-such-editor-anywhere --flag")

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, "Mine")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert body_of(app).text == "Mine"
        assert "no-such-editor-anywhere" in notifications(app)[-1]

    run_app(make_app(journal_path), scenario)


def test_the_editor_comes_from_visual_then_editor_then_vi(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("vi", "my editor", "nano"):
        program = bin_dir / name
        program.write_text("#!/bin/sh\n")
        program.chmod(0o700)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert editor_command({"VISUAL": "'my editor' -w", "EDITOR": "nano"}) == ["my editor", "-w"]
    assert editor_command({"VISUAL": " ", "EDITOR": "nano"}) == ["nano"]
    assert editor_command({}) == ["vi"]
    with pytest.raises(ExternalEditorError, match="could not be understood"):
        editor_command({"VISUAL": "'unclosed"})
    (bin_dir / "vi").unlink()
    with pytest.raises(ExternalEditorError, match="No editor was found"):
        editor_command({})


def test_the_temporary_file_goes_even_when_the_editor_cannot_start(tmp_path: Path) -> None:
    def cannot_start(command: list[str]) -> int:
        assert stat.S_IMODE(os.stat(command[-1]).st_mode) == 0o600
        raise PermissionError(13, "Permission denied")

    folder = tmp_path / "private"
    folder.mkdir()
    with pytest.raises(ExternalEditorError, match="could not be started"):
        edit_text("words", ["editor"], folder, run=cannot_start)
    assert list(folder.iterdir()) == []


def test_the_newline_an_editor_adds_is_not_kept(tmp_path: Path) -> None:
    def adds_newline(command: list[str]) -> int:
        with open(command[-1], "a", encoding="utf-8") as handle:
            handle.write("\n")
        return 0

    assert edit_text("no newline", ["ed"], tmp_path, run=adds_newline) == "no newline"
    assert edit_text("one\n", ["ed"], tmp_path, run=adds_newline) == "one\n\n"


def test_the_body_is_plain_text_when_markdown_cannot_be_highlighted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textual.widgets.text_area import LanguageDoesNotExist

    from reconnect_journal.tui.screens import editor as editor_module

    class NoGrammar(TextArea):
        def __init__(self, text: str = "", *, language: str | None = None, **kwargs: object):
            if language is not None:
                raise LanguageDoesNotExist(language)
            super().__init__(text, **kwargs)  # type: ignore[arg-type]

    assert editor_module.body_text_area("x", id="body").language == "markdown"
    monkeypatch.setattr(editor_module, "TextArea", NoGrammar)
    plain = editor_module.body_text_area("# words", id="body")
    assert plain.language is None
    assert plain.text == "# words"
    assert plain.soft_wrap


def test_an_unexpected_error_keeps_the_draft_and_reports_no_words_or_passphrase(
    journal_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Textual's own crash report lists every local variable of every frame: the words
    # being written, a passphrase. Ours is the same report without them.
    typed = "Unsaved and private"
    passphrase = "correct horse battery"

    def fail(app: JournalApp) -> None:
        words = editor(app).query_one("#body", TextArea).text
        secret = passphrase
        raise RuntimeError(f"something broke ({len(words + secret)})")

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await open_editor(app, pilot)
        await type_text(pilot, typed)
        app.call_later(fail, app)
        await pilot.pause()

    app = make_app(journal_path)
    with pytest.raises(RuntimeError, match="something broke"):
        run_app(app, scenario)
    assert app.return_code == 1
    shown = capsys.readouterr().err  # the report, as printed once the window has closed
    assert "RuntimeError" in shown and "something broke" in shown
    assert passphrase not in shown and typed not in shown
    [draft] = stored_drafts(journal_path)
    assert draft.body == typed


def test_long_evidence_is_shortened_at_a_word_end() -> None:
    from reconnect_journal.tui.widgets.suggestion_chips import MAX_PHRASE, shown_phrase

    long = "It has been three months since my mum died and I still cannot say it"
    shown = shown_phrase(long)
    assert shown == "It has been three months since my mum…"
    assert len(shown) <= MAX_PHRASE and long.startswith(shown[:-1])
    assert shown_phrase("short  and\nplain") == "short and plain"
    one_word = "x" * 60  # nowhere to cut between words: cut where it must
    assert shown_phrase(one_word) == "x" * (MAX_PHRASE - 1) + "…"
