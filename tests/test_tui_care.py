"""The journal helping, not just storing: suggestions as chips, the gentle notes, the
grounding pause, today's prompt, and conversation openers. Driven with Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Collapsible, Input, Static, TextArea

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.care import GROUNDING_LEAD, REFRAME_NOTE, SUPPORT_NOTE, support_note
from reconnect_journal.core.model import BarrierTag, NewEntry
from reconnect_journal.core.prompts import find_prompt
from reconnect_journal.core.suggestions import suggest_barriers
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.screens.conversation_opener import ConversationOpenerScreen
from reconnect_journal.tui.screens.editor import EntryEditorScreen
from reconnect_journal.tui.screens.grounding import GroundingScreen
from reconnect_journal.tui.screens.today import TodayScreen
from reconnect_journal.tui.widgets.gentle_note import GentleNote
from reconnect_journal.tui.widgets.prompt_card import PromptCard
from reconnect_journal.tui.widgets.suggestion_chips import SuggestionChip, SuggestionChips

from .tui_support import journal_at, make_app, notifications, run_app, settle

pytestmark = pytest.mark.usefixtures("utc_clock")

UNSEEN_TEXT = (
    "Sam looked at his phone the whole time I was talking about my week. "
    "I felt invisible at my own kitchen table."
)
NOVELTY_TEXT = (
    "What we need is a weekend away and some new toys to spice things up again. "
    "Date night every Friday from now on."
)
HARM_TEXT = "He grabbed my arm so hard it bruised and I'm scared to go home tonight."
CALM_TEXT = "We walked to the bakery and shared a cinnamon bun on the bench."


@pytest.fixture(autouse=True)
def quick_suggestions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EntryEditorScreen, "suggest_delay", 0.01)


def editor(app: JournalApp) -> EntryEditorScreen:
    screen = app.screen
    assert isinstance(screen, EntryEditorScreen)
    return screen


async def write(pilot: Pilot[None], text: str) -> EntryEditorScreen:
    """Put `text` in the body (as typing would) and wait for the suggestions."""
    screen = editor(pilot.app)  # type: ignore[arg-type]
    body = screen.query_one("#body", TextArea)
    body.insert(text)
    await pilot.pause(0.05)
    await settle(pilot)
    return screen


async def new_entry(app: JournalApp, pilot: Pilot[None], text: str) -> EntryEditorScreen:
    app.open_editor()
    await settle(pilot)
    return await write(pilot, text)


def chip_barriers(screen: EntryEditorScreen) -> list[Barrier]:
    return [chip.suggestion.barrier for chip in screen.query(SuggestionChip)]


def note(screen: EntryEditorScreen, note_id: str) -> GentleNote:
    return screen.query_one(f"#{note_id}", GentleNote)


# -- suggestions -----------------------------------------------------------------------


def test_suggestions_appear_as_chips_with_their_evidence(journal_path: Path) -> None:
    expected = suggest_barriers(UNSEEN_TEXT)
    assert expected.barriers, "the sample text should suggest a barrier"

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, UNSEEN_TEXT)
        chips = screen.query_one(SuggestionChips)
        assert chips.display
        assert chip_barriers(screen) == [s.barrier for s in expected.barriers]
        first = screen.query(SuggestionChip).first()
        shown = first.render().plain
        assert first.suggestion.barrier.display_name in shown
        # The phrase that led to it is on the chip (cut short only when it is long).
        phrase = expected.barriers[0].evidence[0].phrase
        assert phrase[:20] in shown
        # Nothing is marked until the person says so.
        assert screen.read_form().barriers == ()

    run_app(make_app(journal_path), scenario)


def test_f2_accepts_a_suggestion_and_it_is_saved_as_an_accepted_suggestion(
    journal_path: Path,
) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, UNSEEN_TEXT)
        accepted = chip_barriers(screen)[0]
        await pilot.press("f2")
        await settle(pilot)
        assert screen.read_form().barriers == (BarrierTag(accepted, 1, "suggestion"),)
        assert accepted not in chip_barriers(screen)  # answered: the chip has gone
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EntryEditorScreen)

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        (entry,) = journal.list()
    assert [(t.barrier, t.source) for t in entry.barriers] == [(Barrier.UNSEEN, "suggestion")]


TWO_BARRIERS_TEXT = "I felt unseen when he looked at his phone. I was ashamed to ask."


def test_answering_one_of_two_chips_keeps_the_other_without_a_hitch(journal_path: Path) -> None:
    """The second chip is put back at once while the first one is still being removed."""

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, TWO_BARRIERS_TEXT)
        assert chip_barriers(screen) == [Barrier.UNSEEN, Barrier.SHAME]
        await pilot.press("f2")
        await settle(pilot)
        assert chip_barriers(screen) == [Barrier.SHAME]
        await pilot.press("f3")
        await settle(pilot)
        assert chip_barriers(screen) == []
        assert screen.read_form().barriers == (BarrierTag(Barrier.UNSEEN, 1, "suggestion"),)

    run_app(make_app(journal_path), scenario)


def test_new_evidence_for_a_chip_already_shown_replaces_it(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, "I felt ashamed. I hide my body from him.")
        assert chip_barriers(screen) == [Barrier.SHAME]
        await write(pilot, " I feel so much shame about it.")
        (chip,) = screen.query(SuggestionChip)
        assert "“shame”" in chip.render().plain  # the new phrase is on the chip
        assert isinstance(app.screen, EntryEditorScreen)

    run_app(make_app(journal_path), scenario)


def test_f3_sets_a_suggestion_aside_for_good_in_this_entry(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, UNSEEN_TEXT)
        dismissed = chip_barriers(screen)[0]
        await pilot.press("f3")
        await settle(pilot)
        assert dismissed not in chip_barriers(screen)
        # More words that point the same way do not bring it back.
        await write(pilot, " Nobody noticed me all evening.")
        assert dismissed not in chip_barriers(screen)
        assert screen.read_form().barriers == ()

    run_app(make_app(journal_path), scenario)


def test_a_focused_chip_takes_enter_and_x(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, UNSEEN_TEXT)
        chip = screen.query(SuggestionChip).first()
        chip.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert [t.barrier for t in screen.read_form().barriers] == [chip.suggestion.barrier]
        assert chip.suggestion.barrier not in chip_barriers(screen)

    run_app(make_app(journal_path), scenario)


def test_a_barrier_marked_by_hand_is_not_suggested(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, UNSEEN_TEXT)
        barrier = chip_barriers(screen)[0]
        toggle = screen.query_one(f"#barrier-{barrier.value}")
        toggle.focus()
        await pilot.press("space")
        await settle(pilot)
        assert barrier not in chip_barriers(screen)
        assert screen.read_form().barriers == (BarrierTag(barrier, 1, "user"),)

    run_app(make_app(journal_path), scenario)


def test_no_chips_for_a_calm_entry(journal_path: Path) -> None:
    assert not suggest_barriers(CALM_TEXT).barriers

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, CALM_TEXT)
        assert not screen.query_one(SuggestionChips).display
        assert not screen.query(SuggestionChip)
        assert not note(screen, "reframe-note").shown
        assert not note(screen, "support-note").shown

    run_app(make_app(journal_path), scenario)


# -- the reframe note ------------------------------------------------------------------


def test_the_reframe_note_shows_once_per_entry(journal_path: Path) -> None:
    assert suggest_barriers(NOVELTY_TEXT).novelty_focus

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, NOVELTY_TEXT)
        reframe = note(screen, "reframe-note")
        assert reframe.shown
        text = str(reframe.render())
        assert REFRAME_NOTE[:40] in text
        assert "another way in" in text  # with a connection prompt to try instead
        await pilot.press("f4")
        assert not reframe.shown
        # More novelty talk in the same entry: it is not shown a second time.
        await write(pilot, " Maybe role play too.")
        assert not reframe.shown
        await pilot.press("ctrl+s")
        await settle(pilot)

        with journal_at(journal_path) as journal:
            (entry,) = journal.list()
        assert entry.reframe_shown
        app.open_editor(entry)
        await settle(pilot)
        await write(pilot, " And lingerie.")
        assert not note(editor(app), "reframe-note").shown

    run_app(make_app(journal_path), scenario)


def test_the_reframe_note_can_be_switched_off(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        app.config.reframe_notes = False
        screen = await new_entry(app, pilot, NOVELTY_TEXT)
        assert not note(screen, "reframe-note").shown

    run_app(make_app(journal_path), scenario)


# -- the support note and the grounding pause -------------------------------------------


def test_the_support_note_shows_even_with_reframe_notes_off(journal_path: Path) -> None:
    assert suggest_barriers(HARM_TEXT).support_note

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        app.config.reframe_notes = False
        screen = await new_entry(app, pilot, HARM_TEXT)
        support = note(screen, "support-note")
        assert support.shown
        assert SUPPORT_NOTE[:40] in str(support.render())
        assert not any(ch.isdigit() for ch in SUPPORT_NOTE)  # no phone numbers
        # Not in the way: the words can still be written and saved.
        assert isinstance(app.screen, EntryEditorScreen)
        await pilot.press("f4")
        assert not support.shown
        await write(pilot, " I'll write more tomorrow.")
        assert not support.shown  # hidden stays hidden until the words say something new

    run_app(make_app(journal_path), scenario)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Sometimes I think about hurting myself.", True),
        ("He controls all our money and checks my phone.", True),
        ("He pushed me to try harder, and I hit the gym after. Dead tired now.", False),
    ],
)
def test_the_support_note_follows_common_phrasings(
    journal_path: Path, text: str, shown: bool
) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, text)
        assert note(screen, "support-note").shown is shown

    run_app(make_app(journal_path), scenario)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (HARM_TEXT, ("harm",)),
        ("Sometimes I think about hurting myself.", ("self_harm",)),
    ],
)
def test_the_window_s_support_note_speaks_to_what_the_entry_is_about(
    journal_path: Path, text: str, kinds: tuple[str, ...]
) -> None:
    expected = support_note(kinds)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, text)
        shown = " ".join(str(note(screen, "support-note").render()).split())
        assert " ".join(expected.split()) in shown
        assert ("hurting yourself" in shown) is ("self_harm" in kinds)

    run_app(make_app(journal_path), scenario)


def test_no_reframe_note_beside_the_support_note(journal_path: Path) -> None:
    both = f"{NOVELTY_TEXT} {HARM_TEXT}"
    report = suggest_barriers(both)
    assert report.novelty_focus and report.support_note

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await new_entry(app, pilot, NOVELTY_TEXT)
        assert note(screen, "reframe-note").shown
        await write(pilot, f" {HARM_TEXT}")
        assert note(screen, "support-note").shown
        assert not note(screen, "reframe-note").shown

    run_app(make_app(journal_path), scenario)


def test_a_heavy_sitting_is_followed_by_a_grounding_pause(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await new_entry(app, pilot, HARM_TEXT)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GroundingScreen)
        lead = str(app.screen.query_one("#grounding-lead", Static).render())
        assert lead == GROUNDING_LEAD  # a short entry: not "a lot to put into words"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)

    run_app(make_app(journal_path), scenario)


def test_a_short_light_sitting_gets_no_pause(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await new_entry(app, pilot, CALM_TEXT)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)

    run_app(make_app(journal_path), scenario)


def test_quitting_after_a_heavy_sitting_pauses_first_and_keeps_the_words(
    journal_path: Path,
) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await new_entry(app, pilot, HARM_TEXT)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, GroundingScreen)
        with journal_at(journal_path) as journal:
            (draft,) = journal.pending_drafts()
        assert draft.body == HARM_TEXT
        await pilot.press("enter")
        await pilot.pause()
        assert app.return_code == 0  # the pause over, the window closes

    run_app(make_app(journal_path), scenario)


# -- today's prompt --------------------------------------------------------------------


def test_today_shows_the_prompt_and_p_shows_another(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        card = app.screen.query_one(PromptCard)
        first = card.prompt
        assert first is not None
        assert str(card.render()).startswith(first.text)
        await pilot.press("p")
        await settle(pilot)
        second = card.prompt
        assert second is not None and second.id != first.id
        with journal_at(journal_path) as journal:
            assert journal.todays_prompt(skip=1) == second

    run_app(make_app(journal_path), scenario)


def test_answering_the_prompt_links_the_entry_to_it(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        prompt = app.screen.query_one(PromptCard).prompt
        assert prompt is not None
        await pilot.press("a")
        await settle(pilot)
        screen = editor(app)
        assert prompt.text in str(screen.query_one("#editor-prompt", Static).render())
        await write(pilot, CALM_TEXT)
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The reader says which prompt it answers.
        reader_prompt = app.screen.query_one("#reader-prompt", Static)
        assert prompt.text in str(reader_prompt.render())

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        (entry,) = journal.list()
    assert entry.prompt_id is not None
    found = find_prompt(entry.prompt_id)
    assert found is not None


# -- conversation openers --------------------------------------------------------------


def test_an_entry_becomes_a_conversation_opener_kept_beside_it(journal_path: Path) -> None:
    with journal_at(journal_path) as journal:
        entry = journal.add(NewEntry(body=UNSEEN_TEXT, barriers=[BarrierTag(Barrier.UNSEEN, 2)]))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConversationOpenerScreen)
        assert "lonely" in str(screen.query_one("#opener-feelings", Static).render())
        screen.query_one("#opener-feeling", Input).value = "I feel lonely"
        screen.query_one("#opener-about", Input).value = "our evenings lately"
        screen.query_one("#opener-need", Input).value = "ten minutes to talk after dinner."
        await pilot.pause()
        preview = str(screen.query_one("#opener-preview", Static).render())
        expected = (
            "I feel lonely about our evenings lately. "
            "What I need is ten minutes to talk after dinner."
        )
        assert preview == expected
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert "Kept with the entry. Nothing was sent." in notifications(app)
        # Opening it again shows what was kept.
        await pilot.press("o")
        await settle(pilot)
        kept = str(app.screen.query_one("#opener-kept", Static).render())
        assert expected in kept

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        (opener,) = journal.openers_for(entry.id)
    assert (opener.feeling, opener.about, opener.need) == (
        "lonely",
        "our evenings lately",
        "ten minutes to talk after dinner",
    )


PUSHED_TEXT = "He pushed me against the counter and hit me. I didn't know what to do."


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
def test_no_opener_for_an_entry_that_calls_for_the_support_note(
    journal_path: Path, size: tuple[int, int]
) -> None:
    """An entry about being hurt gets the support note, not coaching for a talk."""
    with journal_at(journal_path) as journal:
        entry = journal.add(NewEntry(body=PUSHED_TEXT))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConversationOpenerScreen)
        assert not screen.query(Input)  # no form: nothing to fill in
        words = " ".join(" ".join(str(widget.render()).split()) for widget in screen.query(Static))
        assert "hopeful" not in words and "ten minutes together" not in words
        assert " ".join(support_note(("harm",)).split()) in words
        assert "feel safe" in words  # a short word on why there is no opener
        close = screen.query_one("#opener-close", Button)
        dialog = screen.query_one("#opener-dialog")
        assert close.region.bottom <= dialog.content_region.bottom  # in view
        await pilot.press("ctrl+s")  # nothing to keep
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)

    run_app(make_app(journal_path), scenario, size=size)
    with journal_at(journal_path) as journal:
        assert journal.openers_for(entry.id) == []


@pytest.mark.parametrize(("size", "tips_folded"), [((80, 24), True), ((120, 40), False)])
def test_the_opener_buttons_are_in_view_without_scrolling(
    journal_path: Path, size: tuple[int, int], tips_folded: bool
) -> None:
    with journal_at(journal_path) as journal:
        journal.add(NewEntry(body=UNSEEN_TEXT * 3, barriers=[BarrierTag(Barrier.UNSEEN, 2)]))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConversationOpenerScreen)
        dialog = screen.query_one("#opener-dialog")
        assert dialog.scroll_y == 0  # the intro is in view…
        keep = screen.query_one("#opener-keep", Button)
        assert keep.region.bottom <= dialog.content_region.bottom  # …and so are the buttons
        tips = screen.query_one("#opener-tips", Collapsible)
        assert tips.collapsed is tips_folded
        if tips_folded:  # one key opens them
            tips.query_one("CollapsibleTitle").focus()
            await pilot.press("enter")
            await settle(pilot)
            assert not tips.collapsed

    run_app(make_app(journal_path), scenario, size=size)


def test_an_opener_needs_a_feeling_and_a_need(journal_path: Path) -> None:
    with journal_at(journal_path) as journal:
        entry = journal.add(NewEntry(body=CALM_TEXT))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConversationOpenerScreen)
        screen.query_one("#opener-feeling", Input).value = "hopeful"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # still open, saying what is missing
        problem = str(screen.query_one("#opener-problem", Static).render())
        assert "need" in problem

    run_app(make_app(journal_path), scenario)
    with journal_at(journal_path) as journal:
        assert journal.openers_for(entry.id) == []
