"""The Trash (key 4): deleted entries, most recently deleted first, to bring back or remove."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, Footer, Header, Static

from reconnect_journal.core.errors import JournalError
from reconnect_journal.core.model import Entry, EntryQuery
from reconnect_journal.tui.elsewhere import ElsewhereNotes
from reconnect_journal.tui.formatting import count_entries, quoted_headline
from reconnect_journal.tui.messages import EntryPurged, EntryRestored
from reconnect_journal.tui.screens.confirm import ConfirmScreen
from reconnect_journal.tui.screens.entry_pages import EntryPagesView
from reconnect_journal.tui.widgets.entry_list import EntryList, dated_row
from reconnect_journal.tui.widgets.entry_reader import EntryReader

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

PURGE_QUESTION = "Remove for good? This can't be undone."
# Enough of the entry to know which it is; the dialog stays small.
PURGE_HEADLINE_CHARS = 60


def in_the_trash(count: int) -> str:
    return f"{count_entries(count)} in the trash"


class TrashScreen(EntryPagesView):
    SUB_TITLE = "Trash"
    STATE_PREFIX = "trash"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "restore", "Restore", tooltip="Back to the journal", id="trash.restore"),
        Binding("p", "purge", "Remove for good", id="trash.purge"),
    ]
    ENTRY_ACTIONS: ClassVar[frozenset[str]] = frozenset({"restore", "purge"})
    ELSEWHERE_NOTES: ClassVar[ElsewhereNotes] = ElsewhereNotes(
        restored=(
            "This entry is no longer in the Trash: it was brought back somewhere else. "
            "Press 2 to see it in the Journal."
        ),
        removed="This entry was already removed for good from somewhere else.",
    )

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="trash-opening", id="trash-states"):
            yield Static("Opening your journal…", id="trash-opening", classes="journal-state")
            with Vertical(id="trash-failed", classes="journal-state"):
                yield Static(
                    "The trash could not be read.",
                    id="trash-failed-heading",
                    classes="state-heading",
                )
                yield Static(id="trash-failed-reason", classes="state-detail", markup=False)
            with Vertical(id="trash-empty", classes="journal-state"):
                yield Static("The trash is empty.", classes="state-heading")
                yield Static(
                    "Deleted entries wait here until you bring them back.",
                    classes="state-detail",
                )
            with Horizontal(id="trash-entries", classes="entries-pane"):
                with Vertical(id="trash-side", classes="list-side"):
                    entry_list = EntryList(row=dated_row, id="entry-list")
                    entry_list.count_label = in_the_trash
                    yield entry_list
                yield EntryReader(id="entry-reader")
        yield Footer(compact=True)

    def entries_query(self) -> EntryQuery:
        return EntryQuery(deleted=True, limit=None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("restore", "purge"):
            return self.highlighted_entry is not None
        return True

    # -- restore ---------------------------------------------------------------------------

    def action_restore(self) -> None:
        if self.wait_for_entry_action("restore"):
            return
        entry = self.highlighted_entry
        journal = self.journal
        if entry is not None and journal is not None:
            self.entry_action_started()
            self._restore(journal, entry)

    @work(thread=True, group="entry-action")
    def _restore(self, journal: JournalService, entry: Entry) -> None:
        try:
            restored = journal.undelete(entry.id)
        except JournalError as error:
            self.entry_action_failed(error)
            return
        self.post_message(EntryRestored(restored))

    @on(EntryRestored)
    def _restored(self, message: EntryRestored) -> None:
        self.notify("Back in your journal.", markup=False)
        self.entry_action_done(message.entry)

    # -- purge -----------------------------------------------------------------------------

    def action_purge(self) -> None:
        if self.wait_for_entry_action("purge"):
            return
        entry = self.highlighted_entry
        if entry is None:
            return

        def answered(go_ahead: bool | None) -> None:
            journal = self.journal
            if go_ahead and journal is not None:
                self.entry_action_started()
                self._purge(journal, entry)

        self.app.push_screen(
            ConfirmScreen(
                PURGE_QUESTION,
                detail=quoted_headline(entry, PURGE_HEADLINE_CHARS),
                confirm_label="Remove",
                cancel_label="Keep it",
            ),
            answered,
        )

    @work(thread=True, group="entry-action")
    def _purge(self, journal: JournalService, entry: Entry) -> None:
        try:
            journal.purge(entry.id)
        except JournalError as error:
            self.entry_action_failed(error)
            return
        self.post_message(EntryPurged(entry.id))

    @on(EntryPurged)
    def _purged(self) -> None:
        self.notify("Removed for good.", markup=False)
        self.entry_action_done()
