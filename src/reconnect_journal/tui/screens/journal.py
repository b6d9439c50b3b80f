"""The Journal (key 2): every entry, day by day, newest first, with a reader beside it.

Paged from the database (see screens/entry_pages.py), so a journal of any size opens
and scrolls at the same speed. Deleting moves an entry to the trash and offers Undo.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, ContentSwitcher, Footer, Header, Input, Static

from reconnect_journal.core.errors import JournalError
from reconnect_journal.core.model import Entry, EntryQuery
from reconnect_journal.tui.formatting import as_sentence, count_entries
from reconnect_journal.tui.messages import EntryActionFailed, EntryRestored, EntryTrashed
from reconnect_journal.tui.screens.entry_pages import (
    ENTRIES,
    EntryPagesView,
    WindowRequest,
)
from reconnect_journal.tui.screens.go_to_date import GoToDateScreen
from reconnect_journal.tui.widgets.entry_list import PAGE_SIZE, EntryList, day_row
from reconnect_journal.tui.widgets.entry_reader import EntryReader
from reconnect_journal.tui.widgets.undo_bar import UndoBar

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

__all__ = ["PAGE_SIZE", "JournalScreen"]

# How long typing in the search box waits before it looks.
SEARCH_DELAY = 0.25
# How much of a headline the undo bar quotes.
HEADLINE_CHARS = 32

DAYS = Binding.Group("Day", compact=True)


def trashed_line(entry: Entry) -> str:
    """'“Coffee in bed” is in the trash.', the headline cut short if it is long."""
    headline = " ".join(entry.headline.split())
    if not headline:
        return "Moved to the trash."
    if len(headline) > HEADLINE_CHARS:
        headline = headline[: HEADLINE_CHARS - 1].rstrip() + "…"
    return f"“{headline}” moved to the trash."


def matches(count: int) -> str:
    if count == 0:
        return "No entries match"
    return f"{count_entries(count)} match" if count > 1 else "1 entry matches"


class JournalScreen(EntryPagesView):
    SUB_TITLE = "Journal"
    STATE_PREFIX = "journal"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_entry", "New", tooltip="Write a new entry", id="journal.new_entry"),
        Binding("e", "edit_entry", "Edit", id="journal.edit_entry"),
        Binding(
            "o",
            "conversation_opener",
            "Opener",
            tooltip="Turn this entry into a gentle way to start a conversation",
            id="journal.conversation_opener",
        ),
        Binding("d", "delete_entry", "Delete", tooltip="Move to the trash", id="journal.delete"),
        Binding("u", "undo", "Undo", tooltip="Bring back what was deleted", id="journal.undo"),
        Binding("g", "go_to_date", "Go to", tooltip="Go to a day", id="journal.go_to_date"),
        Binding(
            "left_square_bracket",
            "day_before",
            "Day before",
            key_display="[",
            group=DAYS,
            id="journal.day_before",
        ),
        Binding(
            "right_square_bracket",
            "day_after",
            "Day after",
            key_display="]",
            group=DAYS,
            id="journal.day_after",
        ),
        Binding("slash", "search", "Search", key_display="/", id="journal.search"),
        Binding("escape", "clear_search", "Clear search", id="journal.clear_search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.search_text = ""  # the words the list is narrowed to ("" for every entry)
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="journal-opening", id="journal-states"):
            yield Static("Opening your journal…", id="journal-opening", classes="journal-state")
            with Vertical(id="journal-failed", classes="journal-state"):
                yield Static(
                    "Your journal could not be read.",
                    id="journal-failed-heading",
                    classes="state-heading",
                )
                yield Static(id="journal-failed-reason", classes="state-detail", markup=False)
            with Vertical(id="journal-empty", classes="journal-state"):
                yield Static(
                    "Nothing written yet. Press n to write your first entry.",
                    classes="state-heading",
                )
                with Center():
                    yield Button("Write your first entry", id="write-first", variant="primary")
            with Horizontal(id="journal-entries", classes="entries-pane"):
                with Vertical(id="journal-side", classes="list-side"):
                    search = Input(placeholder="Words to look for", id="journal-search")
                    search.border_title = "Search"
                    search.display = False
                    search.cursor_blink = self.journal_app.cursor_blink
                    yield search
                    yield EntryList(row=day_row, group_by_day=True, id="entry-list")
                yield EntryReader(id="entry-reader")
        yield UndoBar(id="undo-bar")
        yield Footer(compact=True)

    # -- what is listed -------------------------------------------------------------------

    def entries_query(self) -> EntryQuery:
        return EntryQuery(text=self.search_text or None, limit=None)

    def is_filtered(self) -> bool:
        return bool(self.search_text)

    def position_of_day(self, journal: JournalService, query: EntryQuery, day: dt.date) -> int:
        if query.text:
            return super().position_of_day(journal, query, day)
        return journal.position_of_day(day)

    def neighbour_day(
        self, journal: JournalService, query: EntryQuery, day: dt.date, later: bool
    ) -> dt.date | None:
        if query.text:
            return super().neighbour_day(journal, query, day, later)
        return journal.day_after(day) if later else journal.day_before(day)

    def nothing_found(self) -> str:
        return "Nothing matches those words. Press escape to see every entry again."

    def focus_empty_state(self) -> None:
        self.query_one("#write-first").focus()

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_entry":
            return self.journal is not None
        if action in (
            "edit_entry",
            "conversation_opener",
            "delete_entry",
            "day_before",
            "day_after",
        ):
            return self.highlighted_entry is not None
        if action in ("go_to_date", "search"):
            return self.state == ENTRIES
        if action == "clear_search":
            return bool(self.search_text) or self.query_one("#journal-search").display
        if action == "undo":
            return self.query_one(UndoBar).entry is not None
        return True

    def action_new_entry(self) -> None:
        self.journal_app.open_editor()

    def action_conversation_opener(self) -> None:
        entry = self.highlighted_entry
        if entry is not None:
            self.journal_app.open_conversation_opener(entry)

    def action_edit_entry(self) -> None:
        entry = self.highlighted_entry
        if entry is not None:
            self.journal_app.open_editor(entry)

    def action_go_to_date(self) -> None:
        journal = self.journal
        if journal is None:
            return
        self.app.push_screen(GoToDateScreen(journal.today()), self._go_to_date_chosen)

    def _go_to_date_chosen(self, day: dt.date | None) -> None:
        if day is not None:
            self.load_window(WindowRequest(day=day, to_top=True))
            self.entry_list.focus()

    def action_day_before(self) -> None:
        self._step_day(-1)

    def action_day_after(self) -> None:
        self._step_day(1)

    def _step_day(self, step: int) -> None:
        entry = self.highlighted_entry
        if entry is not None:
            self.load_window(WindowRequest(day=entry.date, step=step, to_top=True))

    @on(Button.Pressed, "#write-first")
    def _write_first_pressed(self) -> None:
        self.action_new_entry()

    # -- search -----------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#journal-search", Input)
        search.display = True
        search.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#journal-search")
    def _search_typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._search_now)

    def _search_now(self) -> None:
        self._search_timer = None
        text = " ".join(self.query_one("#journal-search", Input).value.split())
        if text == self.search_text:
            return
        self.search_text = text
        self.entry_list.count_label = matches if text else count_entries
        self.load_window(WindowRequest())

    @on(Input.Submitted, "#journal-search")
    def _search_submitted(self) -> None:
        self._search_now()
        self.entry_list.focus()

    def action_clear_search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        search = self.query_one("#journal-search", Input)
        had_words = bool(self.search_text)
        search.value = ""
        search.display = False
        self.search_text = ""
        self.entry_list.count_label = count_entries
        if self.state == ENTRIES:
            self.entry_list.focus()
        if had_words:
            # Back to every entry, staying on the one that was being read.
            highlighted = self.entry_list.highlighted_entry
            if highlighted is not None:
                self.load_window(
                    WindowRequest(highlight_id=highlighted.id, near_day=highlighted.date)
                )
            else:
                self.load_window(WindowRequest())
        self.refresh_bindings()

    # -- delete and undo --------------------------------------------------------------------

    def action_delete_entry(self) -> None:
        entry = self.highlighted_entry
        journal = self.journal
        if entry is not None and journal is not None:
            self._delete(journal, entry)

    @work(thread=True, group="entry-action")
    def _delete(self, journal: JournalService, entry: Entry) -> None:
        try:
            deleted = journal.delete(entry.id)
        except JournalError as error:
            self.post_message(EntryActionFailed(str(error)))
            return
        self.post_message(EntryTrashed(deleted))

    @on(EntryTrashed)
    def _trashed(self, message: EntryTrashed) -> None:
        self.query_one(UndoBar).offer(message.entry, trashed_line(message.entry))
        self.refresh_bindings()
        self.journal_app.entries_changed()

    def action_undo(self) -> None:
        entry = self.query_one(UndoBar).take()
        journal = self.journal
        if entry is not None and journal is not None:
            self._undelete(journal, entry)

    @on(UndoBar.UndoPressed)
    def _undo_pressed(self) -> None:
        self.action_undo()

    @on(UndoBar.Closed)
    def _undo_closed(self) -> None:
        self.refresh_bindings()

    @work(thread=True, group="entry-action")
    def _undelete(self, journal: JournalService, entry: Entry) -> None:
        try:
            restored = journal.undelete(entry.id)
        except JournalError as error:
            self.post_message(EntryActionFailed(str(error)))
            return
        self.post_message(EntryRestored(restored, undo=True))

    @on(EntryRestored)
    def _restored(self, message: EntryRestored) -> None:
        self.notify("Brought back.", markup=False)
        self.journal_app.entries_changed(message.entry)
        if self.state == ENTRIES:
            self.entry_list.focus()

    @on(EntryActionFailed)
    def _action_failed(self, message: EntryActionFailed) -> None:
        self.notify(as_sentence(message.reason), severity="error", markup=False)
