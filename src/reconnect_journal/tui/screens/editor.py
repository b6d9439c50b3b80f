"""Writing a new entry, or changing one."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Static, TextArea

from reconnect_journal.core.dates import parse_journal_day
from reconnect_journal.core.errors import InputError, JournalError
from reconnect_journal.core.model import BarrierTag, Entry, EntryChanges, NewEntry
from reconnect_journal.core.tags import normalize_tag
from reconnect_journal.tui.formatting import as_sentence, short_day
from reconnect_journal.tui.messages import EntrySaved, EntrySaveFailed
from reconnect_journal.tui.screens.confirm import ConfirmScreen
from reconnect_journal.tui.widgets.barrier_picker import BarrierPicker
from reconnect_journal.tui.widgets.rating import RatingSelect

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

TAG_SEPARATORS = re.compile(r"[\s,]+")
EMPTY_BODY = "Nothing to save yet: write a few words first."


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

    def as_new_entry(self) -> NewEntry:
        return NewEntry(
            body=self.body,
            date=self.day,
            title=self.title,
            barriers=self.barriers,
            tags=self.tags,
            emotional_closeness=self.emotional_closeness,
            physical_intimacy=self.physical_intimacy,
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
    """Tags as typed, separated by spaces or commas."""
    try:
        return [normalize_tag(word) for word in TAG_SEPARATORS.split(text) if word]
    except InputError as error:
        raise FormError(str(error), "tags") from None


class EntryEditorScreen(Screen[Entry | None]):
    """Dismisses with the saved entry, or None when the person goes back without saving."""

    AUTO_FOCUS = "#body"

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so saving works whichever field has the focus.
        Binding("ctrl+s", "save", "Save", id="editor.save", priority=True),
        Binding("escape", "back", "Back", id="editor.back"),
    ]

    def __init__(
        self, journal: JournalService, entry: Entry | None = None, *, cursor_blink: bool = True
    ) -> None:
        super().__init__()
        self.journal = journal
        self.entry = entry
        self.cursor_blink = cursor_blink
        self._saving = False
        self._initial_form: EntryForm | None = None
        self._error_field: str | None = None

    def compose(self) -> ComposeResult:
        entry = self.entry
        day = entry.date if entry else self.journal.today()
        yield Header()
        with Horizontal(id="editor-columns"):
            with Vertical(id="editor-main"):
                with Horizontal(id="editor-meta"):
                    yield Input(
                        (entry.title or "") if entry else "",
                        placeholder="A title, if you like",
                        id="title",
                    )
                    yield Input(day.isoformat(), id="day")
                yield TextArea(
                    entry.body if entry else "",
                    id="body",
                    soft_wrap=True,
                    highlight_cursor_line=False,
                    placeholder="Write freely. Take your time.",
                )
                yield Static(id="editor-error", markup=False)
            with Vertical(id="editor-side"):
                yield BarrierPicker(entry.barriers if entry else (), id="barriers")
                with Vertical(id="ratings"):
                    yield RatingSelect(
                        "Emotional closeness",
                        entry.emotional_closeness if entry else None,
                        id="emotional-closeness",
                    )
                    yield RatingSelect(
                        "Physical intimacy",
                        entry.physical_intimacy if entry else None,
                        id="physical-intimacy",
                    )
                yield Input(
                    " ".join(entry.tags) if entry else "",
                    placeholder="e.g. weekend, talk",
                    id="tags",
                )
        yield Footer()

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
        self.query_one("#body", TextArea).cursor_blink = self.cursor_blink
        if self.entry is not None:
            # Changing an entry usually means adding to it: start at the end.
            body = self.query_one("#body", TextArea)
            body.move_cursor(body.document.end)
        self._show_day_hint()
        self._initial_form = self.read_form()

    # -- reading the form ------------------------------------------------------------

    def read_form(self) -> EntryForm:
        return EntryForm(
            title=self.query_one("#title", Input).value,
            day=self.query_one("#day", Input).value,
            body=self.query_one("#body", TextArea).text,
            barriers=tuple(self.query_one(BarrierPicker).tags),
            emotional_closeness=self.query_one("#emotional-closeness", RatingSelect).value,
            physical_intimacy=self.query_one("#physical-intimacy", RatingSelect).value,
            tags=self.query_one("#tags", Input).value,
        )

    @property
    def has_changes(self) -> bool:
        """True once anything differs from how the form opened."""
        return self._initial_form is not None and self.read_form() != self._initial_form

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
        )

    def _parse_day(self, text: str) -> dt.date:
        try:
            return parse_journal_day(text, self.journal.today())
        except InputError as error:
            raise FormError(str(error), "day") from None

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

    @on(Input.Changed, "#tags")
    def _tags_changed(self, event: Input.Changed) -> None:
        self._recheck("tags", lambda: parse_tags(event.value))

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
                saved = self.journal.edit(self.entry.id, checked.as_changes())
        except JournalError as error:
            self.post_message(EntrySaveFailed(str(error)))
        except Exception as error:
            # Unexpected, but what was typed must survive it: say so and keep the form.
            self.post_message(
                EntrySaveFailed(
                    f"something went wrong while saving ({type(error).__name__}: {error}); "
                    "your words are still here"
                )
            )
        else:
            self.post_message(EntrySaved(saved))

    @on(EntrySaved)
    def _saved(self, message: EntrySaved) -> None:
        self.dismiss(message.entry)

    @on(EntrySaveFailed)
    def _save_failed(self, message: EntrySaveFailed) -> None:
        self._saving = False
        # Not about one field (e.g. the file is busy): it goes once the words are edited.
        self._show_error(FormError(message.reason, "body"))

    # -- leaving ---------------------------------------------------------------------

    def action_back(self) -> None:
        if self._saving:
            return
        if not self.has_changes:
            self.dismiss(None)
            return
        if self.entry is None:
            confirm = ConfirmScreen(
                "Discard this entry?", detail="What you wrote will not be kept."
            )
        else:
            confirm = ConfirmScreen(
                "Discard your changes?", detail="The entry stays as it was before."
            )
        self.app.push_screen(confirm, self._discard_answered)

    def _discard_answered(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)
