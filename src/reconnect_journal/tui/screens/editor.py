"""Writing a new entry, or changing one.

What is typed is never only on the screen: it is kept as a draft a moment after the
typing stops, and on every way out (back, quit, the window closing). Saving the entry
removes its draft. Opening the editor again for the same thing brings the draft back.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, Static, TextArea
from textual.widgets.text_area import LanguageDoesNotExist

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.care import (
    REFRAME_ALTERNATIVE_LEAD,
    REFRAME_NOTE,
    REFRAME_TITLE,
    SUPPORT_TITLE,
    WritingSession,
    support_note,
)
from reconnect_journal.core.dates import parse_journal_day
from reconnect_journal.core.errors import InputError, JournalError
from reconnect_journal.core.model import BarrierTag, Draft, Entry, EntryChanges, NewEntry
from reconnect_journal.core.tags import merge_tags, split_tags
from reconnect_journal.core.tags import parse_tags as parse_tag_line
from reconnect_journal.tui.drafts import DraftKeeper, write_unsaved_words
from reconnect_journal.tui.elsewhere import kept_both_note
from reconnect_journal.tui.formatting import as_sentence, short_day
from reconnect_journal.tui.messages import EntrySaved, EntrySaveFailed
from reconnect_journal.tui.screens.confirm import ConfirmScreen
from reconnect_journal.tui.widgets.barrier_picker import BarrierPicker, BarrierToggle
from reconnect_journal.tui.widgets.editor_status import (
    NOT_SAVED,
    SAVED,
    EditorStatus,
    count_words,
    draft_saved_label,
)
from reconnect_journal.tui.widgets.gentle_note import GentleNote
from reconnect_journal.tui.widgets.keys_footer import KeysFooter
from reconnect_journal.tui.widgets.rating import RatingSelect
from reconnect_journal.tui.widgets.suggestion_chips import SuggestionChip, SuggestionChips
from reconnect_journal.tui.windows import new_token

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.core.suggestions import BarrierSuggestion, SuggestionReport

TAGS_PLACEHOLDER = "spaces or commas between tags"
TAGS_HELP = (
    "Tags are single words, with spaces or commas between them: walk, talk. "
    "For a tag of two words, join them with '-': late-night. "
    "#words in your text become tags too."
)
EMPTY_BODY = "Nothing to save yet: write a few words first."
KEPT_AS_DRAFT = "Kept as a draft."
WORDS_ARE_BACK = "Your unsaved words are back, just as you left them."

# Drafts are written this long after the last change (the timer restarts on each one)...
AUTOSAVE_DELAY = 0.75
# ...or at the latest this long after the first unsaved change, for someone who never pauses.
AUTOSAVE_MAX_WAIT = 10.0
# Suggestions are looked for this long after the typing pauses.
SUGGEST_DELAY = 0.8

_BARRIER_ORDER = {barrier: index for index, barrier in enumerate(Barrier)}


def _in_barrier_order(tags: Iterable[BarrierTag]) -> tuple[BarrierTag, ...]:
    return tuple(sorted(tags, key=lambda tag: _BARRIER_ORDER[tag.barrier]))


@dataclass(frozen=True)
class EntryForm:
    """Everything the form holds, as typed. Equal forms mean nothing was changed."""

    title: str
    day: str
    body: str
    barriers: tuple[BarrierTag, ...]
    emotional_closeness: int | None
    physical_intimacy: int | None
    tags: str

    @classmethod
    def blank(cls, day: dt.date) -> EntryForm:
        return cls("", day.isoformat(), "", (), None, None, "")

    @classmethod
    def of_entry(cls, entry: Entry) -> EntryForm:
        return cls(
            title=entry.title or "",
            day=entry.date.isoformat(),
            body=entry.body,
            barriers=_in_barrier_order(entry.barriers),
            emotional_closeness=entry.emotional_closeness,
            physical_intimacy=entry.physical_intimacy,
            tags=" ".join(entry.tags),
        )

    @classmethod
    def of_draft(cls, draft: Draft, default_day: dt.date) -> EntryForm:
        return cls(
            title=draft.title or "",
            day=(draft.date or default_day).isoformat(),
            body=draft.body,
            barriers=_in_barrier_order(draft.barriers),
            emotional_closeness=draft.emotional_closeness,
            physical_intimacy=draft.physical_intimacy,
            tags=" ".join(draft.tags),
        )


@dataclass(frozen=True)
class CheckedEntry:
    """The form once checked: ready to become a new entry or changes to one."""

    title: str
    day: dt.date
    body: str
    barriers: list[BarrierTag]
    tags: list[str]
    emotional_closeness: int | None
    physical_intimacy: int | None
    prompt_id: str | None = None
    reframe_shown: bool = False

    def as_new_entry(self) -> NewEntry:
        return NewEntry(
            body=self.body,
            date=self.day,
            title=self.title,
            barriers=self.barriers,
            tags=self.tags,
            emotional_closeness=self.emotional_closeness,
            physical_intimacy=self.physical_intimacy,
            prompt_id=self.prompt_id,
            reframe_shown=self.reframe_shown,
        )

    def as_changes(self) -> EntryChanges:
        return EntryChanges(
            body=self.body,
            date=self.day,
            title=self.title,
            barriers=self.barriers,
            tags=self.tags,
            emotional_closeness=self.emotional_closeness,
            physical_intimacy=self.physical_intimacy,
            reframe_shown=self.reframe_shown,
        )


class FormError(InputError):
    """An input the form can point at: `field_id` is the widget to focus."""

    def __init__(self, message: str, field_id: str) -> None:
        super().__init__(message)
        self.field_id = field_id


def check_body(body: str) -> None:
    if not body.strip():
        # Core checks this too, but its message is worded for the command line.
        raise FormError(EMPTY_BODY, "body")


def parse_tags(text: str) -> list[str]:
    """Tags as typed, separated by spaces or commas (the rule of core.tags)."""
    try:
        return parse_tag_line(text)
    except InputError as error:
        raise FormError(str(error), "tags") from None


def tags_hint(text: str, body: str = "") -> str:
    """Under the Tags box: the tags as they will be saved (the #words of the text too),
    or '?' while one is unusable."""
    try:
        tags = merge_tags(parse_tags(text), body)
    except (FormError, InputError):
        return "?"
    return " ".join(f"#{tag}" for tag in tags)


def body_text_area(text: str, *, id: str) -> TextArea:
    """The body: soft-wrapped, with Markdown highlighting where tree-sitter is installed."""
    placeholder = "Write freely. Take your time."
    try:
        # Without tree-sitter at all, TextArea quietly shows plain text.
        return TextArea(
            text,
            language="markdown",
            id=id,
            soft_wrap=True,
            highlight_cursor_line=False,
            placeholder=placeholder,
        )
    except LanguageDoesNotExist:  # tree-sitter without its Markdown grammar
        return TextArea(
            text, id=id, soft_wrap=True, highlight_cursor_line=False, placeholder=placeholder
        )


def _local_time(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


class DraftKept(Message):
    """The draft now matches the form of `generation` (`saved_at` None: none is needed)."""

    bubble = False

    def __init__(self, generation: int, saved_at: dt.datetime | None) -> None:
        super().__init__()
        self.generation = generation
        self.saved_at = saved_at


class SuggestionsFound(Message):
    """What the words of `generation` suggest (the newest request wins)."""

    bubble = False

    def __init__(self, report: SuggestionReport, generation: int) -> None:
        super().__init__()
        self.report = report
        self.generation = generation


class DraftKeepFailed(Message):
    bubble = False

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class EntryEditorScreen(Screen[Entry | None]):
    """Dismisses with the saved entry, or None when the person goes back without saving.

    `entry` is the entry to change (None: a new one). `draft` is unsaved work to carry
    on with; without one, a draft kept earlier for the same entry is picked up.
    """

    AUTO_FOCUS = "#body"
    suggest_delay = SUGGEST_DELAY  # (tests shorten it)

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so these work whichever field has the focus.
        Binding("ctrl+s", "save", "Save", id="editor.save", priority=True),
        Binding("escape", "back", "Back", id="editor.back"),
        Binding(
            "ctrl+b",
            "toggle_side_panel",
            "Side panel",
            id="editor.side_panel",
            tooltip="Hide or show the barriers, ratings and tags, so the words get the room",
            priority=True,
        ),
        Binding(
            "ctrl+o",
            "external_editor",
            "Your editor",
            id="editor.external_editor",
            tooltip="Write the words in $VISUAL or $EDITOR, then come back here",
            priority=True,
        ),
        Binding(
            "f2",
            "accept_suggestion",
            "Add suggested",
            id="editor.accept_suggestion",
            tooltip="Mark the first suggested barrier (you can change it after)",
            priority=True,
        ),
        Binding(
            "f3",
            "dismiss_suggestion",
            "Not this one",
            id="editor.dismiss_suggestion",
            tooltip="Set the first suggestion aside; it is not suggested again here",
            priority=True,
        ),
        Binding("f4", "hide_notes", "Hide note", id="editor.hide_notes", priority=True),
        # `?` is a character here, so Help is on F1 alone (as it is everywhere else too).
        Binding("f1", "open_help", "Help", id="editor.help", priority=True),
        Binding(
            "ctrl+delete",
            "discard_draft",
            "Discard draft",
            key_display="ctrl+del",
            id="editor.discard_draft",
            show=False,
        ),
    ]
    # Shown in the footer when they fit, in this order (see widgets/keys_footer.py): Save,
    # Back and Quit always are. The suggestion and the note name their keys too.
    FOOTER_WHEN_ROOM: ClassVar[tuple[str, ...]] = (
        "accept_suggestion",
        "dismiss_suggestion",
        "hide_notes",
        "toggle_side_panel",
        "external_editor",
        "open_help",
    )

    def __init__(
        self,
        journal: JournalService,
        entry: Entry | None = None,
        *,
        draft: Draft | None = None,
        prompt_id: str | None = None,
        cursor_blink: bool = True,
        reframe_notes: bool = True,
        window: str | None = None,
    ) -> None:
        super().__init__()
        self.journal = journal
        self.entry = entry
        self.cursor_blink = cursor_blink
        # The token of this window: a new entry's draft is its own, never another's.
        self.window = window or new_token()
        if draft is not None:
            self.draft_key = draft.key
        elif entry is not None:
            self.draft_key = Draft.key_for(entry.id)
        else:
            self.draft_key = self._fresh_key()
        self._given_draft = draft
        self._resumed: Draft | None = None  # the draft the form started from, if any
        self._prompt_id = prompt_id
        self._keeper = DraftKeeper(journal, self.draft_key)
        self._baseline = EntryForm.of_entry(entry) if entry else EntryForm.blank(journal.today())
        self._kept_form: EntryForm | None = self._baseline  # what the journal holds now
        self._latest_form: EntryForm | None = None
        self._draft_saved_at: dt.datetime | None = None
        self._dirty_since: float | None = None
        self._autosave_timer: Timer | None = None
        self._last_problem: str | None = None
        self.draft_problem: str | None = None  # why the last draft could not be kept
        # What the other editor's file held when the window was closed from outside.
        self._body_from_editor: str | None = None
        # Where the words went when the journal was found damaged (never written to).
        self.kept_beside: Path | None = None
        self._kept_beside_form: EntryForm | None = None
        self._saving = False
        self._error_field: str | None = None
        # Suggestions and the gentle notes.
        self.reframe_notes = reframe_notes
        self.reframe_shown = entry.reframe_shown if entry else False
        self.support_note_shown = False
        self._dismissed: set[Barrier] = set()
        self._support_hidden_for: tuple[str, ...] | None = None
        self._suggest_timer: Timer | None = None
        self._suggest_generation = 0
        self._report: SuggestionReport | None = None
        self._opened_at = time.monotonic()
        self._words_at_start = 0

    @property
    def prompt_id(self) -> str | None:
        if self._resumed is not None and self._resumed.prompt_id:
            return self._resumed.prompt_id
        if self.entry is not None:
            return self.entry.prompt_id
        return self._prompt_id

    def _fresh_key(self) -> str:
        return Draft.new_entry_key(self.window, new_token())

    def _starting_draft(self) -> Draft | None:
        """The draft given, or one kept earlier for the same thing (read once, it is small).

        A new entry picks up this window's own draft, or one left by a window that is
        gone; never one that another open window is writing."""
        if self._given_draft is not None:
            given = self._given_draft
            if given.for_new_entry and given.window != self.window:
                self._take_over(given)
            return given
        try:
            stored = self.journal.pending_drafts()
        except JournalError:
            return None
        if self.entry is not None:
            return next((draft for draft in stored if draft.key == self.draft_key), None)
        for draft in stored:  # newest first
            if not draft.for_new_entry or self._open_elsewhere(draft):
                continue
            if draft.window == self.window:
                self._use_key(draft.key)
                return draft
            if self._take_over(draft):
                return draft
        return None

    def _open_elsewhere(self, draft: Draft) -> bool:
        """True when another editor (here, or in another open window) writes `draft`."""
        from reconnect_journal.tui.windows import window_is_open

        if draft.window == self.window:
            return any(
                isinstance(screen, EntryEditorScreen)
                and screen is not self
                and screen.draft_key == draft.key
                for screen in self.app.screen_stack
            )
        return draft.window is not None and window_is_open(self.journal.store.path, draft.window)

    def _take_over(self, draft: Draft) -> bool:
        """Make a new entry's draft left by another window this editor's own, so no one
        else writes it. False when another window took it first (its words are then
        written here under a key of this window's own: a copy, never a loss)."""
        key = self._fresh_key()
        self._use_key(key)
        try:
            return self.journal.take_draft(draft.key, key)
        except JournalError:
            return False

    def _use_key(self, key: str) -> None:
        self.draft_key = key
        self._keeper.key = key

    def compose(self) -> ComposeResult:
        self._resumed = self._starting_draft()
        start = self._baseline
        if self._resumed is not None:
            start = EntryForm.of_draft(self._resumed, self._baseline_day())
            self._kept_form = start
            self._draft_saved_at = self._resumed.updated_at
            self.reframe_shown = self.reframe_shown or self._resumed.reframe_shown
        yield Header()
        with Horizontal(id="editor-columns"):
            with Vertical(id="editor-main"):
                with Horizontal(id="editor-meta"):
                    yield Input(start.title, placeholder="A title, if you like", id="title")
                    yield Input(start.day, id="day")
                yield Static(id="editor-prompt", markup=False)
                yield body_text_area(start.body, id="body")
                yield SuggestionChips(id="suggestions")
                yield Static(id="editor-error", markup=False)
                yield EditorStatus(id="editor-status")
            with Vertical(id="editor-side"):
                yield BarrierPicker(start.barriers, id="barriers")
                with Vertical(id="ratings"):
                    yield RatingSelect(
                        "Emotional closeness", start.emotional_closeness, id="emotional-closeness"
                    )
                    yield RatingSelect(
                        "Physical intimacy", start.physical_intimacy, id="physical-intimacy"
                    )
                yield Input(start.tags, placeholder=TAGS_PLACEHOLDER, tooltip=TAGS_HELP, id="tags")
        # Below both columns, across the whole width: the support note must be readable
        # whole even on an 80x24 terminal.
        yield GentleNote(SUPPORT_TITLE, id="support-note")
        yield GentleNote(REFRAME_TITLE, id="reframe-note")
        yield KeysFooter()

    def _baseline_day(self) -> dt.date:
        return self.entry.date if self.entry else self.journal.today()

    def on_mount(self) -> None:
        if self.entry is None:
            self.sub_title = "New entry"
        else:
            self.sub_title = (
                f"Changing the entry of {short_day(self.entry.date, self.journal.today())}"
            )
        titles = {
            "#title": "Title",
            "#day": "Day",
            "#body": "Your words",
            "#barriers": "Barriers to closeness",
            "#ratings": "Ratings, if you like",
            "#tags": "Tags",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        for text_input in self.query(Input):
            text_input.cursor_blink = self.cursor_blink
        body = self.query_one("#body", TextArea)
        body.cursor_blink = self.cursor_blink
        if self.entry is not None or self._resumed is not None:
            # Carrying on usually means adding to the end.
            body.move_cursor(body.document.end)
        self._show_day_hint()
        self._show_tags_hint()
        self._latest_form = self.read_form()
        self._words_at_start = count_words(self._latest_form.body)
        self._update_status(self._latest_form)
        self._show_prompt()
        if self._latest_form.body.strip():
            self._look_for_suggestions()
        if self._resumed is not None and self._given_draft is None:
            self.notify(WORDS_ARE_BACK)

    # -- reading the form ------------------------------------------------------------

    def read_form(self) -> EntryForm:
        return EntryForm(
            title=self.query_one("#title", Input).value,
            day=self.query_one("#day", Input).value,
            body=self.query_one("#body", TextArea).text,
            barriers=_in_barrier_order(self.query_one(BarrierPicker).tags),
            emotional_closeness=self.query_one("#emotional-closeness", RatingSelect).value,
            physical_intimacy=self.query_one("#physical-intimacy", RatingSelect).value,
            tags=self.query_one("#tags", Input).value,
        )

    def _current_form(self) -> EntryForm | None:
        """The form as it is, or as it last was if its widgets are already gone.

        While the other editor (ctrl+o) is being closed from outside, the words are what
        its file holds."""
        try:
            form: EntryForm | None = self.read_form()
        except NoMatches:
            form = self._latest_form
        if form is not None and self._body_from_editor is not None:
            form = replace(form, body=self._body_from_editor)
        return form

    @property
    def has_changes(self) -> bool:
        """True when the form differs from the saved entry (or, when new, is not blank)."""
        form = self._current_form()
        return form is not None and form != self._baseline

    def _checked(self, form: EntryForm) -> CheckedEntry:
        """The form ready to save, or FormError pointing at the field to fix."""
        check_body(form.body)
        return CheckedEntry(
            title=form.title,
            day=self._parse_day(form.day),
            body=form.body,
            barriers=list(form.barriers),
            tags=parse_tags(form.tags),
            emotional_closeness=form.emotional_closeness,
            physical_intimacy=form.physical_intimacy,
            prompt_id=self.prompt_id,
            reframe_shown=self.reframe_shown,
        )

    def _parse_day(self, text: str) -> dt.date:
        try:
            return parse_journal_day(text, self.journal.today())
        except InputError as error:
            raise FormError(str(error), "day") from None

    def _draft_of(self, form: EntryForm) -> Draft:
        """The form as a draft: nothing checked, everything kept as typed."""
        try:
            day: dt.date | None = self._parse_day(form.day)
        except FormError:
            day = None
        return Draft(
            key=self.draft_key,
            body=form.body,
            entry_id=self.entry.id if self.entry else None,
            date=day,
            title=form.title or None,
            barriers=list(form.barriers),
            tags=split_tags(form.tags),
            emotional_closeness=form.emotional_closeness,
            physical_intimacy=form.physical_intimacy,
            prompt_id=self.prompt_id,
            reframe_shown=self.reframe_shown,
        )

    # -- feedback --------------------------------------------------------------------

    def _show_error(self, error: FormError | None) -> None:
        """Show one line under the body; it stays until its field is put right."""
        self._error_field = error.field_id if error else None
        error_line = self.query_one("#editor-error", Static)
        error_line.update(as_sentence(str(error)) if error else "")
        error_line.display = error is not None

    def _recheck(self, field_id: str, check: Callable[[], object]) -> None:
        """Once the field an error is about is valid again, the error goes."""
        if self._error_field != field_id:
            return
        try:
            check()
        except FormError:
            return
        self._show_error(None)

    def _update_status(self, form: EntryForm) -> None:
        status = self.query_one(EditorStatus)
        status.words = count_words(form.body)
        if form == self._baseline and self._kept_form == form:
            status.state = SAVED if self.entry is not None else NOT_SAVED
        elif self._draft_saved_at is not None and self._kept_form is not None:
            status.state = draft_saved_label(_local_time(self._draft_saved_at))
        else:
            status.state = NOT_SAVED

    @on(Input.Changed, "#day")
    def _show_day_hint(self) -> None:
        """Under the day field: the day it means, or '?' while it means none yet."""
        day_input = self.query_one("#day", Input)
        try:
            day = self._parse_day(day_input.value)
        except FormError:
            day_input.border_subtitle = "?"
        else:
            day_input.border_subtitle = short_day(day, self.journal.today())
            self._recheck("day", lambda: day)

    @on(Input.Blurred, "#day")
    def _day_left(self, event: Input.Blurred) -> None:
        try:
            self._parse_day(event.input.value)
        except FormError as error:
            self._show_error(error)

    @on(TextArea.Changed, "#body")
    def _body_changed(self, event: TextArea.Changed) -> None:
        self._recheck("body", lambda: check_body(event.text_area.text))
        if self._suggest_timer is not None:
            self._suggest_timer.stop()
        self._suggest_timer = self.set_timer(
            self.suggest_delay, self._look_for_suggestions, name="suggest"
        )

    # -- the prompt, suggestions and gentle notes -------------------------------------

    def _show_prompt(self) -> None:
        """The prompt this entry answers, above the words (if it is still in the library)."""
        from reconnect_journal.core.prompts import find_prompt

        line = self.query_one("#editor-prompt", Static)
        prompt = find_prompt(self.prompt_id) if self.prompt_id else None
        if prompt is not None:
            text = prompt.text if not prompt.follow_up else f"{prompt.text}\n{prompt.follow_up}"
            line.update(text)
        line.display = prompt is not None

    def _look_for_suggestions(self) -> None:
        self._suggest_timer = None
        self._show_tags_hint()  # the text's #words are tags too, once typing pauses
        self._suggest_generation += 1
        body = self.query_one("#body", TextArea).text
        self._suggest_in_background(body, self._suggest_generation)

    @work(thread=True, exclusive=True, group="suggest")
    def _suggest_in_background(self, text: str, generation: int) -> None:
        # Off the UI thread: the lexicon is read on first use, and long entries take a moment.
        from reconnect_journal.core.suggestions import suggest_barriers

        try:
            report = suggest_barriers(text)
        except Exception:
            return  # suggestions are a help, never a reason to interrupt the writing
        self.post_message(SuggestionsFound(report, generation))

    @on(SuggestionsFound)
    def _suggestions_found(self, message: SuggestionsFound) -> None:
        if message.generation != self._suggest_generation:
            return  # the words have changed since; a newer answer is on its way
        self._report = message.report
        self._show_suggestions()
        self._show_notes(message.report)

    def _open_suggestions(self) -> list[BarrierSuggestion]:
        """Suggestions not yet answered: not set aside, and not already marked."""
        if self._report is None:
            return []
        marked = {tag.barrier for tag in self.query_one(BarrierPicker).tags}
        return [
            s
            for s in self._report.barriers
            if s.barrier not in marked and s.barrier not in self._dismissed
        ]

    def _show_suggestions(self) -> None:
        self.query_one(SuggestionChips).show(self._open_suggestions())
        self.refresh_bindings()

    def _show_notes(self, report: SuggestionReport) -> None:
        support = self.query_one("#support-note", GentleNote)
        evidence = tuple(e.phrase.lower() for e in report.support_evidence)
        if not report.support_note:
            support.hide()
        elif support.shown:
            # Still shown: it follows what the words are about now.
            support.show_note(support_note(report.support_kinds))
        elif evidence != self._support_hidden_for:
            # Hidden notes come back only when the words say something new.
            support.show_note(support_note(report.support_kinds))
            self.support_note_shown = True
        reframe = self.query_one("#reframe-note", GentleNote)
        if report.support_note:
            # Someone may not be safe: a note about trying new things has no place beside it.
            reframe.hide()
        elif report.novelty_focus and self.reframe_notes and not self.reframe_shown:
            alternative = self.journal.reframe_alternative()
            extra = f"{REFRAME_ALTERNATIVE_LEAD} {alternative.text}" if alternative else None
            reframe.show_note(REFRAME_NOTE, extra)
            self.reframe_shown = True  # at most once per entry: kept with the entry
            self._note_change(force=True)
        self.refresh_bindings()

    @on(SuggestionChip.Accepted)
    def _suggestion_accepted(self, event: SuggestionChip.Accepted) -> None:
        self.query_one(BarrierPicker).accept_suggestion(event.suggestion.barrier)
        self._show_suggestions()
        self._refocus_after_chip()

    @on(SuggestionChip.Dismissed)
    def _suggestion_dismissed(self, event: SuggestionChip.Dismissed) -> None:
        self._dismissed.add(event.suggestion.barrier)
        self._show_suggestions()
        self._refocus_after_chip()

    def _refocus_after_chip(self) -> None:
        if self.focused is None:
            chips = self.query_one(SuggestionChips).chips
            (chips[0] if chips else self.query_one("#body")).focus()

    def action_accept_suggestion(self) -> None:
        first = self.query_one(SuggestionChips).first
        if first is not None:
            self.query_one(BarrierPicker).accept_suggestion(first.barrier)
            self.notify(f"Marked: {first.barrier.display_name}. You can change it at any time.")
            self._show_suggestions()

    def action_dismiss_suggestion(self) -> None:
        first = self.query_one(SuggestionChips).first
        if first is not None:
            self._dismissed.add(first.barrier)
            self._show_suggestions()

    def action_open_help(self) -> None:
        from reconnect_journal.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_hide_notes(self) -> None:
        for note in self.query(GentleNote):
            if note.id == "support-note" and note.shown and self._report is not None:
                self._support_hidden_for = tuple(
                    e.phrase.lower() for e in self._report.support_evidence
                )
            note.hide()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept_suggestion", "dismiss_suggestion"):
            return self.query_one(SuggestionChips).first is not None
        if action == "hide_notes":
            return any(note.shown for note in self.query(GentleNote))
        return True

    def writing_session(self) -> WritingSession:
        """What was written in this sitting, for the grounding pause on the way out."""
        form = self._current_form()
        words = count_words(form.body) if form else 0
        return WritingSession(
            minutes=(time.monotonic() - self._opened_at) / 60,
            words_written=max(0, words - self._words_at_start),
            support_note_shown=self.support_note_shown,
            barriers=form.barriers if form else (),
        )

    def _show_tags_hint(self) -> None:
        tags_input = self.query_one("#tags", Input)
        body = self.query_one("#body", TextArea).text
        tags_input.border_subtitle = tags_hint(tags_input.value, body)

    @on(Input.Changed, "#tags")
    def _tags_changed(self, event: Input.Changed) -> None:
        self._show_tags_hint()
        self._recheck("tags", lambda: parse_tags(event.value))

    @on(Input.Blurred, "#tags")
    def _tags_left(self, event: Input.Blurred) -> None:
        try:
            parse_tags(event.input.value)
        except FormError as error:
            self._show_error(error)

    # -- keeping a draft -------------------------------------------------------------

    @on(BarrierToggle.Changed)
    def _barriers_changed(self) -> None:
        self._show_suggestions()  # a barrier marked by hand needs no suggestion

    @on(TextArea.Changed)
    @on(Input.Changed)
    @on(BarrierToggle.Changed)
    @on(RatingSelect.Changed)
    def _form_changed(self) -> None:
        self._note_change()

    def _note_change(self, *, force: bool = False) -> None:
        """Keep a draft of what changed; `force` when only what the form doesn't show
        changed (the reframe note was shown)."""
        form = self._current_form()
        if form is None or (form == self._latest_form and not force):
            return
        if force:
            self._kept_form = None  # what the journal holds is now out of date
        self._latest_form = form
        self._update_status(form)
        self._schedule_autosave()

    def _schedule_autosave(self) -> None:
        """Keep a draft once the typing pauses (or at least every AUTOSAVE_MAX_WAIT)."""
        now = time.monotonic()
        if self._dirty_since is None:
            self._dirty_since = now
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        if now - self._dirty_since >= AUTOSAVE_MAX_WAIT:
            self._autosave()
        else:
            self._autosave_timer = self.set_timer(AUTOSAVE_DELAY, self._autosave, name="keep draft")

    def _autosave(self) -> None:
        self._autosave_timer = None
        self._dirty_since = None
        job = self._draft_job()
        if job is not None:
            self._keep_draft_in_background(*job)

    def _draft_job(self) -> tuple[Draft | None, int] | None:
        """What to write so the journal holds the form: a draft, or None to remove it.

        None overall when the journal already holds it (or the entry was saved).
        """
        form = self._current_form()
        if form is None or self._keeper.closed or form == self._kept_form:
            return None
        self._kept_form = form
        draft = None if form == self._baseline else self._draft_of(form)
        return draft, self._keeper.next_generation()

    @work(thread=True, exclusive=True, group="draft")
    def _keep_draft_in_background(self, draft: Draft | None, generation: int) -> None:
        try:
            written = self._keeper.write(draft, generation)
        except Exception as error:
            self.post_message(DraftKeepFailed(_problem(error)))
        else:
            if written:
                saved_at = self.journal.clock() if draft is not None else None
                self.post_message(DraftKept(generation, saved_at))

    @on(DraftKept)
    def _draft_kept(self, message: DraftKept) -> None:
        self._draft_saved_at = message.saved_at
        self._last_problem = None
        if self._latest_form is not None:
            self._update_status(self._latest_form)

    @on(DraftKeepFailed)
    def _draft_keep_failed(self, message: DraftKeepFailed) -> None:
        self._kept_form = None  # not known: the next change (or way out) tries again
        if not self._keep_beside_if_damaged():
            self._say_draft_problem(message.reason)
        if self._latest_form is not None:
            self._update_status(self._latest_form)

    def _say_draft_problem(self, reason: str) -> None:
        if reason == self._last_problem:
            return  # said once is enough; it is tried again at every pause
        self._last_problem = reason
        self.notify(
            f"Your words could not be kept as a draft just now ({reason}). "
            "They are still here; saving the entry may still work.",
            severity="warning",
            timeout=10,
            markup=False,
        )

    def _keep_draft_now(self, *, quiet: bool = False) -> bool:
        """Bring the journal's draft in line with the form, on this thread.

        Small and quick; used on the ways out, where a worker might not get to run.
        False when the draft could not be written (`draft_problem` says why).
        """
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        self._dirty_since = None
        self.draft_problem = None
        if self._keep_beside_if_damaged():
            return True  # never written into a damaged journal: kept beside it instead
        job = self._draft_job()
        if job is None:
            return True
        try:
            self._keeper.write(*job)
        except Exception as error:
            self._kept_form = None
            self.draft_problem = _problem(error)
            if not quiet:
                self._say_draft_problem(self.draft_problem)
            return False
        return True

    def _keep_beside_if_damaged(self) -> bool:
        """When the journal is damaged, nothing goes into it: the unsaved words are
        written to a private file beside it instead (and said where, once). True when
        the journal is damaged and the words are safe there."""
        try:
            damaged = self.journal.damaged()
        except Exception:
            damaged = False
        form = self._current_form()
        if not damaged or form is None:
            return False
        if form == self._baseline or form == self._kept_beside_form:
            return True  # nothing unsaved, or already kept beside it as it is
        try:
            path = write_unsaved_words(
                self.journal.store.path, _as_markdown(form), self.journal.clock(), self.kept_beside
            )
        except OSError as error:
            self.draft_problem = (
                "your journal file is damaged, and a file for your words could not be "
                f"written beside it ({error.strerror or error})"
            )
            return False
        first = self.kept_beside is None
        self.kept_beside, self._kept_beside_form = path, form
        keep = getattr(self.app, "words_kept_beside", None)
        if callable(keep):
            keep(path)
        if first:
            plain = ", not encrypted" if self.journal.store.encrypted else ""
            self.notify(
                "Your journal file is damaged, so your words were not written into it. "
                f"They are safe in {path} (readable only by you{plain}), and kept up to "
                "date there while you write.",
                severity="warning",
                timeout=30,
                markup=False,
            )
        return True

    def keep_draft_before_exit(self) -> str | None:
        """Called by the app just before it exits: nothing typed may be lost.

        Returns why the words could not be kept, or None when they are safe."""
        if self._keep_draft_now(quiet=True):
            return None
        return self.draft_problem

    def on_unmount(self) -> None:
        # The last safety net (e.g. the app closed some other way); usually nothing to do.
        if not self._keeper.closed:
            self._keep_draft_now()

    # -- saving ----------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return  # one save at a time: a second one would write the entry twice
        try:
            checked = self._checked(self.read_form())
        except FormError as error:
            self._show_error(error)
            self.query_one(f"#{error.field_id}", Widget).focus()
            return
        self._saving = True
        self._save_in_background(checked)

    @work(thread=True, exclusive=True, group="save-entry")
    def _save_in_background(self, checked: CheckedEntry) -> None:
        try:
            if self.entry is None:
                saved = self.journal.add(checked.as_new_entry())
            else:
                # Saved (or trashed, or removed) somewhere else since it was opened here:
                # what was written here becomes a new entry, and nothing is lost.
                saved, why = self.journal.edit_or_keep_both(
                    self.entry, checked.as_changes(), checked.as_new_entry()
                )
                if why is not None:
                    self.app.call_from_thread(
                        self.app.notify, kept_both_note(why, saved.id), timeout=15
                    )
        except JournalError as error:
            self.post_message(EntrySaveFailed(str(error)))
            return
        except Exception as error:
            # Unexpected, but what was typed must survive it: say so and keep the form.
            self.post_message(
                EntrySaveFailed(
                    f"something went wrong while saving ({type(error).__name__}: {error}); "
                    "your words are still here"
                )
            )
            return
        try:
            self._keeper.close()  # the entry holds the words now: the draft can go
        except Exception:
            # The entry is safe; the stale draft is offered later and can be discarded.
            self._keeper.close(discard=False)
        self.post_message(EntrySaved(saved))

    @on(EntrySaved)
    def _saved(self, message: EntrySaved) -> None:
        self.dismiss(message.entry)

    @on(EntrySaveFailed)
    def _save_failed(self, message: EntrySaveFailed) -> None:
        self._saving = False
        # Not about one field (e.g. the file is busy): it goes once the words are edited.
        self._show_error(FormError(message.reason, "body"))
        self._keep_beside_if_damaged()

    # -- leaving ---------------------------------------------------------------------

    def action_back(self) -> None:
        """Go back; whatever was written stays as a draft. Never a question."""
        if self._saving:
            return
        changed = self.has_changes
        if not self._keep_draft_now():
            return  # the words could not be kept, so they stay on the screen
        if changed:
            self.notify(KEPT_AS_DRAFT)
        self.dismiss(None)

    def action_discard_draft(self) -> None:
        if self._saving:
            return
        if not self.has_changes:
            self.notify("There is nothing unsaved to discard.")
            return
        if self.entry is None:
            confirm = ConfirmScreen(
                "Discard this draft?", detail="It can't be brought back.", cancel_label="Keep it"
            )
        else:
            confirm = ConfirmScreen(
                "Discard your changes?",
                detail="The entry stays as it was before. The changes can't be brought back.",
                cancel_label="Keep them",
            )
        self.app.push_screen(confirm, self._discard_answered)

    def _discard_answered(self, discard: bool | None) -> None:
        if not discard:
            return
        try:
            self._keeper.close()
        except Exception as error:
            self.notify(
                f"The draft could not be discarded just now ({_problem(error)}).",
                severity="warning",
                markup=False,
            )
            return
        self.notify("Draft discarded.")
        self.dismiss(None)

    # -- the side panel and another editor -------------------------------------------

    def action_toggle_side_panel(self) -> None:
        side = self.query_one("#editor-side")
        side.display = not side.display
        focused = self.focused
        if not side.display and focused is not None and side in focused.ancestors_with_self:
            self.query_one("#body").focus()

    def action_external_editor(self) -> None:
        """Write the body in $VISUAL / $EDITOR; the text comes back here when it closes."""
        from reconnect_journal.tui.external_editor import (
            ExternalEditorError,
            edit_text,
            editor_command,
            private_tmp_dir,
            temp_file_prefix,
        )

        if self._saving:
            return
        body = self.query_one("#body", TextArea)
        try:
            command = editor_command()
            folder = private_tmp_dir(self.journal.store.path)
        except ExternalEditorError as error:
            self.notify(as_sentence(str(error)), severity="warning", markup=False)
            return
        except OSError as error:
            self.notify(
                f"A private folder for the other editor could not be made "
                f"({error.strerror or error}); your words are as they were.",
                severity="warning",
                markup=False,
            )
            return
        # Kept first, in case the terminal closes while the other editor is open.
        self._keep_draft_now()
        before = body.text
        edited: str | None = None
        problem: str | None = None
        try:
            with self.app.suspend():
                # Nothing may escape this block: the app only resumes when it ends normally.
                try:
                    edited = edit_text(
                        before,
                        command,
                        folder,
                        prefix=temp_file_prefix(self.window, self.draft_key),
                        on_closing=self._closing_in_other_editor,
                    )
                except ExternalEditorError as error:
                    problem = str(error)
                except Exception as error:
                    problem = (
                        f"The other editor could not be used ({_problem(error)}); "
                        "your words are as they were"
                    )
        except SuspendNotSupported:
            problem = "Another editor cannot be opened from here; your words are as they were"
        if problem is not None:
            self.notify(as_sentence(problem), severity="warning", timeout=8, markup=False)
        elif edited is not None and edited != before:
            # An edit like any other: ctrl+z brings back what was there before.
            body.replace(edited, (0, 0), body.document.end)
            body.move_cursor(body.document.end)
        self._body_from_editor = None  # the body holds the words again
        # Noted now, not when the text box says so: the window may be closing (the
        # terminal went while the other editor was open), and its last draft reads this.
        self._note_change()
        body.focus()

    def _closing_in_other_editor(self, saved: str) -> None:
        """The window is closed from outside while the other editor runs (called from the
        signal, on this thread, while the app waits for the editor): what the person
        saved there is kept as the draft at once, before its file is removed."""
        self._body_from_editor = saved
        self._keep_draft_now(quiet=True)


def _as_markdown(form: EntryForm) -> str:
    """The form as a small Markdown file a person can read (or paste back) later."""
    lines = [f"# {form.title.strip() or 'Unsaved words'}", "", f"Day: {form.day}"]
    if form.barriers:
        names = ", ".join(tag.barrier.display_name for tag in form.barriers)
        lines.append(f"Barriers: {names}")
    if form.tags.strip():
        lines.append(f"Tags: {form.tags.strip()}")
    return "\n".join([*lines, "", form.body.rstrip("\n"), ""])


def _problem(error: BaseException) -> str:
    if isinstance(error, JournalError):
        return str(error)
    return f"{type(error).__name__}: {error}"
