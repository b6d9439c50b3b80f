"""The main screen: the entry list on the left, the highlighted entry on the right."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Footer, Header, Static
from textual.worker import get_current_worker

from reconnect_journal.core.errors import JournalError
from reconnect_journal.core.model import Entry, EntryQuery
from reconnect_journal.tui.formatting import as_sentence
from reconnect_journal.tui.messages import EntriesLoaded, EntriesLoadFailed
from reconnect_journal.tui.screens.editor import EntryEditorScreen
from reconnect_journal.tui.widgets.entry_list import EntryList
from reconnect_journal.tui.widgets.entry_reader import EntryReader

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

PAGE_SIZE = 100

OPENING = "journal-opening"
FAILED = "journal-failed"
EMPTY = "journal-empty"
ENTRIES = "journal-entries"


class JournalScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_entry", "New entry", id="journal.new_entry"),
        Binding("e", "edit_entry", "Edit", id="journal.edit_entry"),
    ]

    def __init__(self, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.journal: JournalService | None = None
        self.cursor_blink = cursor_blink
        self._state = OPENING
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial=OPENING, id="journal-states"):
            yield Static("Opening your journal…", id=OPENING, classes="journal-state")
            with Vertical(id=FAILED, classes="journal-state"):
                yield Static(id="journal-failed-heading", classes="state-heading")
                yield Static(id="journal-failed-reason", classes="state-detail", markup=False)
                with Center():
                    yield Button("Quit", id="quit-button")
            with Vertical(id=EMPTY, classes="journal-state"):
                yield Static(
                    "Nothing written yet. Press n to write your first entry.",
                    classes="state-heading",
                )
                with Center():
                    yield Button("Write your first entry", id="write-first", variant="primary")
            with Horizontal(id=ENTRIES):
                yield EntryList(id="entry-list")
                yield EntryReader(id="entry-reader")
        yield Footer()

    # -- called by the app -----------------------------------------------------------

    def show_journal(self, journal: JournalService) -> None:
        self.journal = journal
        self.query_one(EntryList).today = journal.today()
        self._load_entries(offset=0, limit=PAGE_SIZE)

    def show_open_failure(self, reason: str) -> None:
        self._show_failure("Your journal could not be opened.", reason)

    def _show_failure(self, heading: str, reason: str) -> None:
        self.query_one("#journal-failed-heading", Static).update(heading)
        self.query_one("#journal-failed-reason", Static).update(as_sentence(reason))
        self._switch_to(FAILED)
        self.query_one("#quit-button").focus()

    # -- loading ---------------------------------------------------------------------

    def _load_entries(self, offset: int, limit: int, select: Entry | None = None) -> None:
        self._loading = True
        loaded = len(self.query_one(EntryList).entries)
        self._load_in_background(offset, limit, select, loaded)

    @work(thread=True, exclusive=True, group="load-entries")
    def _load_in_background(
        self, offset: int, limit: int, select: Entry | None, loaded: int
    ) -> None:
        journal = self.journal
        assert journal is not None
        try:
            if select is not None:
                # Reload enough pages to reach `select`: everything on or after its day.
                newer = journal.count(EntryQuery(date_from=select.date, limit=None))
                pages = max(1, math.ceil(newer / PAGE_SIZE), math.ceil(loaded / PAGE_SIZE))
                limit = pages * PAGE_SIZE
            total = journal.count()
            entries = journal.list(EntryQuery(limit=limit, offset=offset))
        except JournalError as error:
            self.post_message(EntriesLoadFailed(str(error)))
            return
        if not get_current_worker().is_cancelled:
            select_id = select.id if select is not None else None
            self.post_message(EntriesLoaded(entries, offset, total, select_id))

    @on(EntriesLoaded)
    def _entries_loaded(self, message: EntriesLoaded) -> None:
        self._loading = False
        entry_list = self.query_one(EntryList)
        entry_list.show_page(message.entries, message.offset, message.total, message.select_id)
        # Focus moves only when what is shown changes, never while paging.
        if message.total == 0 and self._state != EMPTY:
            self._switch_to(EMPTY)
            self.query_one("#write-first").focus()
        elif message.total > 0 and self._state != ENTRIES:
            self._switch_to(ENTRIES)
            entry_list.focus()
        self.refresh_bindings()

    @on(EntriesLoadFailed)
    def _entries_load_failed(self, message: EntriesLoadFailed) -> None:
        self._loading = False
        if self._state == OPENING:  # nothing to show yet: say why on the screen itself
            self._show_failure("Your journal could not be read.", message.reason)
        else:
            self.notify(as_sentence(message.reason), severity="error", markup=False)

    @on(EntryList.MoreWanted)
    def _more_wanted(self, message: EntryList.MoreWanted) -> None:
        # While a reload runs, the list asks again once it has shown the reload.
        if not self._loading:
            self._load_entries(offset=message.offset, limit=PAGE_SIZE)

    @on(EntryList.EntryHighlighted)
    def _entry_highlighted(self, message: EntryList.EntryHighlighted) -> None:
        self.query_one(EntryReader).show_entry(message.entry)
        self.refresh_bindings()

    def _switch_to(self, state: str) -> None:
        self._state = state
        self.query_one(ContentSwitcher).current = state

    # -- actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_entry":
            return self.journal is not None
        if action == "edit_entry":
            return self.journal is not None and self._highlighted_entry() is not None
        return True

    def _highlighted_entry(self) -> Entry | None:
        if self._state != ENTRIES:
            return None
        return self.query_one(EntryList).highlighted_entry

    def action_new_entry(self) -> None:
        self._open_editor(None)

    def action_edit_entry(self) -> None:
        entry = self._highlighted_entry()
        if entry is not None:
            self._open_editor(entry)

    def _open_editor(self, entry: Entry | None) -> None:
        if self.journal is None:
            return
        editor = EntryEditorScreen(self.journal, entry, cursor_blink=self.cursor_blink)
        self.app.push_screen(editor, self._editor_closed)

    def _editor_closed(self, saved: Entry | None) -> None:
        if saved is None:
            return
        self.notify("Saved.")
        self._load_entries(offset=0, limit=PAGE_SIZE, select=saved)

    @on(Button.Pressed, "#write-first")
    def _write_first_pressed(self) -> None:
        self.action_new_entry()

    @on(Button.Pressed, "#quit-button")
    def _quit_pressed(self) -> None:
        self.app.exit()
