"""The Journal (key 2): every entry, day by day, newest first, with a reader beside it.

Paged from the database (see screens/entry_pages.py), so a journal of any size opens
and scrolls at the same speed. Deleting moves an entry to the trash and offers Undo.

`/` searches as you type (full-text, best matches first, with the matched words shown
in context; see core/search.py for what can be typed). Filters typed among the words
(`barrier:grief `, `tag:walk `, `from:2026-01-01 `, `is:starred `…) become chips above
the list, removed with a click or enter. `s` saves the search under a name; saved
searches open again from the command palette.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, ContentSwitcher, Header, Input, Static

from reconnect_journal.core.errors import InputError, JournalError
from reconnect_journal.core.model import KEEP, Entry, EntryChanges, EntryQuery
from reconnect_journal.core.search import (
    ParsedSearch,
    Search,
    SearchQuery,
    check_words,
    lift_filters,
    parse_search,
)
from reconnect_journal.tui.formatting import as_sentence, count_entries, quoted_headline
from reconnect_journal.tui.messages import (
    EntryActionFailed,
    EntryMarked,
    EntryRestored,
    EntryTrashed,
)
from reconnect_journal.tui.screens.entry_pages import (
    ENTRIES,
    EntryPagesView,
    WindowRequest,
)
from reconnect_journal.tui.screens.go_to_date import GoToDateScreen
from reconnect_journal.tui.screens.save_search import SaveSearchScreen
from reconnect_journal.tui.widgets.entry_list import PAGE_SIZE, EntryList, day_row, found_row
from reconnect_journal.tui.widgets.entry_reader import EntryReader
from reconnect_journal.tui.widgets.keys_footer import KeysFooter
from reconnect_journal.tui.widgets.search_filters import SearchBox, SearchFilterChips
from reconnect_journal.tui.widgets.undo_bar import UndoBar

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

__all__ = ["PAGE_SIZE", "JournalScreen"]

# How long typing in the search box waits before it looks.
SEARCH_DELAY = 0.25
# Results loaded at once for a search (more page in as the list scrolls).
SEARCH_WINDOW = 40
STARRED_NOTE = "Starred. Search for is:starred to see every starred entry."
SHARE_NOTE = (
    "Marked to share: it will be in a summary to share (ctrl+p, “Summary to share…”). "
    "Nothing else from your journal is."
)
SEARCH_HINT = 'words, "a phrase", walk*, -word · barrier:grief tag:walk from:DAY is:starred'

# How much of a headline the undo bar quotes.
HEADLINE_CHARS = 32

DAYS = Binding.Group("Day", compact=True)

NOTHING_TO_UNDO = "Nothing to undo just now. Deleted entries wait in the Trash (4)."


def trashed_line(entry: Entry) -> str:
    """'“Coffee in bed” moved to the trash.', the headline cut short if it is long."""
    quoted = quoted_headline(entry, HEADLINE_CHARS)
    return f"{quoted} moved to the trash." if quoted else "Moved to the trash."


def describe_search(search: Search) -> str:
    """One line: the words in quotes, then the filters."""
    parts = [f"“{search.text}”"] if search.text else []
    parts.extend(chip.label for chip in search.filters.chips())
    return " · ".join(parts)


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
        Binding(
            "asterisk",
            "toggle_star",
            "Star",
            key_display="*",
            tooltip="Star this entry as important to you, or take the star off",
            id="journal.star",
        ),
        Binding(
            "m",
            "toggle_share",
            "Mark to share",
            tooltip="Include this entry in a summary to share, or leave it out again",
            id="journal.share",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Bring back what was deleted",
            id="journal.undo",
            show=False,  # the undo bar's own button names the key; Help stays in the footer
        ),
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
        Binding(
            "s",
            "save_search",
            "Save search",
            tooltip="Keep this search under a name, to open from the command palette",
            id="journal.save_search",
        ),
        Binding("escape", "clear_search", "Clear search", id="journal.clear_search"),
    ]
    ENTRY_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"edit_entry", "conversation_opener", "delete_entry", "toggle_star", "toggle_share", "undo"}
    )
    # Shown in the footer when they fit, in this order (see widgets/keys_footer.py); Help
    # and the palette list them at any width.
    FOOTER_WHEN_ROOM: ClassVar[tuple[str, ...]] = (
        "save_search",
        "toggle_star",
        "toggle_share",
        "go_to_date",
        "conversation_opener",  # Today's footer shows it too
    )

    def __init__(self) -> None:
        super().__init__()
        self.search = Search()  # the words and filters the list is narrowed to
        self._search_timer: Timer | None = None

    @property
    def search_text(self) -> str:
        return self.search.text

    @property
    def searching(self) -> bool:
        return not self.search.is_empty()

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
                    search = SearchBox(placeholder=SEARCH_HINT, id="journal-search")
                    search.border_title = "Search"
                    search.display = False
                    search.cursor_blink = self.journal_app.cursor_blink
                    yield search
                    # What was not understood, in full (a border line would cut it short).
                    yield Static(id="search-problem", markup=False)
                    yield SearchFilterChips(id="journal-filters")
                    yield EntryList(row=day_row, group_by_day=True, id="entry-list")
                yield EntryReader(id="entry-reader")
        yield UndoBar(id="undo-bar")
        yield KeysFooter(compact=True)

    # -- what is listed -------------------------------------------------------------------

    def entries_query(self) -> EntryQuery:
        if self.searching:
            # Best matches first; the last word also finds longer words as it is typed.
            return SearchQuery(search=self.search, as_you_type=True, limit=None)
        return EntryQuery(limit=None)

    def is_filtered(self) -> bool:
        return self.searching

    def fetch_entries(self, journal: JournalService, query: EntryQuery) -> list[Entry]:
        if isinstance(query, SearchQuery):
            from reconnect_journal.core.search_service import SearchService

            service = SearchService(journal.store, today=journal.today)
            found = service.find(
                query.search, query.limit, query.offset, as_you_type=query.as_you_type
            )
            return list(found)
        return super().fetch_entries(journal, query)

    def count_entries(self, journal: JournalService, query: EntryQuery) -> int:
        if isinstance(query, SearchQuery):
            from reconnect_journal.core.search_service import SearchService

            service = SearchService(journal.store, today=journal.today)
            return service.count(query.search, as_you_type=query.as_you_type)
        return super().count_entries(journal, query)

    def window_size(self, query: EntryQuery) -> int:
        # Search results land at the top: a screenful or two is enough to show at once
        # (the rest pages in as the list scrolls), which keeps each keystroke quick.
        return SEARCH_WINDOW if isinstance(query, SearchQuery) else super().window_size(query)

    def position_of_day(self, journal: JournalService, query: EntryQuery, day: dt.date) -> int:
        if isinstance(query, SearchQuery):
            return 0  # results are in order of how well they match, not by day
        return journal.position_of_day(day)

    def neighbour_day(
        self, journal: JournalService, query: EntryQuery, day: dt.date, later: bool
    ) -> dt.date | None:
        if isinstance(query, SearchQuery):
            return None
        return journal.day_after(day) if later else journal.day_before(day)

    def nothing_found(self) -> str:
        return "Nothing matches this search. Press escape to see every entry again."

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
            "toggle_star",
            "toggle_share",
        ):
            return self.highlighted_entry is not None
        if action in ("day_before", "day_after"):
            # Search results are in order of how well they match: days do not apply.
            return self.highlighted_entry is not None and not self.searching
        if action == "go_to_date":
            return self.state == ENTRIES and not self.searching
        if action == "search":
            return self.state == ENTRIES
        if action == "save_search":
            return self.searching and self.journal is not None
        if action == "clear_search":
            return self.searching or self.query_one("#journal-search").display
        return True

    def action_new_entry(self) -> None:
        self.journal_app.open_editor()

    def action_conversation_opener(self) -> None:
        if self.wait_for_entry_action("conversation_opener"):
            return
        entry = self.highlighted_entry
        if entry is not None:
            self.journal_app.open_conversation_opener(entry)

    def action_edit_entry(self) -> None:
        if self.wait_for_entry_action("edit_entry"):
            return
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

    def _show_search_problem(self, problem: str | None) -> None:
        search_input = self.query_one("#journal-search", Input)
        search_input.set_class(problem is not None, "-problem")
        shown = self.query_one("#search-problem", Static)
        shown.update(as_sentence(problem) if problem else "")
        shown.display = problem is not None

    @on(Input.Changed, "#journal-search")
    def _search_typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._search_now)

    def _search_now(self, *, final: bool = False) -> None:
        """Look for what is typed (filters typed among the words become chips)."""
        self._search_timer = None
        search_input = self.query_one("#journal-search", Input)
        today = self.journal.today() if self.journal is not None else None
        try:
            words, filters = lift_filters(
                search_input.value, self.search.filters, today=today, final=final
            )
            parsed = parse_search(words, filters=filters, today=today, as_you_type=True)
            check_words(parsed, " ".join(words.split()))
        except InputError as problem:
            self._show_search_problem(str(problem))
            return
        self._show_search_problem(None)
        if words != search_input.value:
            with search_input.prevent(Input.Changed):
                search_input.value = words
        self._apply_search(Search(" ".join(words.split()), filters))

    def _apply_search(self, search: Search) -> None:
        self.query_one(SearchFilterChips).show(search.filters)
        if search == self.search:
            return
        was_searching = self.searching
        self.search = search
        self.reader.mark_search(self._parsed_search())
        entry_list = self.entry_list
        if self.searching != was_searching:
            if self.searching:
                entry_list.set_row(found_row, group_by_day=False)
            else:
                entry_list.set_row(day_row, group_by_day=True)
        entry_list.count_label = matches if self.searching else count_entries
        self.load_window(WindowRequest())
        self.refresh_bindings()

    def _parsed_search(self) -> ParsedSearch | None:
        """The search shown, parsed as the list's query is (the last word as a prefix),
        for the reader to mark the words it looks for."""
        if not self.search.text.strip():
            return None
        today = self.journal.today() if self.journal is not None else None
        try:
            return parse_search(
                self.search.text, filters=self.search.filters, today=today, as_you_type=True
            )
        except InputError:
            return None

    def apply_search(self, search: Search) -> None:
        """Show `search` (a saved one, say): its words in the box, its filters as chips."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        search_input = self.query_one("#journal-search", Input)
        search_input.display = True
        with search_input.prevent(Input.Changed):
            search_input.value = search.text
        today = self.journal.today() if self.journal is not None else None
        try:
            check_words(parse_search(search.text, filters=search.filters, today=today), search.text)
        except InputError as problem:
            # Kept before this was checked: its filters apply, its words wait to be fixed.
            self._show_search_problem(str(problem))
            self._apply_search(Search("", search.filters))
            search_input.focus()
            return
        self._show_search_problem(None)
        self._apply_search(search)
        if self.state == ENTRIES:
            self.entry_list.focus()

    @on(Input.Submitted, "#journal-search")
    def _search_submitted(self) -> None:
        self._search_now(final=True)
        if not self.query_one("#journal-search", Input).has_class("-problem"):
            self.entry_list.focus()

    @on(SearchBox.BackspaceAtStart)
    def _backspace_at_start(self) -> None:
        self.query_one(SearchFilterChips).remove_last()

    @on(SearchFilterChips.Removed)
    def _filter_removed(self, message: SearchFilterChips.Removed) -> None:
        self._apply_search(Search(self.search.text, self.search.filters.without(message.token)))
        search_input = self.query_one("#journal-search", Input)
        if search_input.display:
            search_input.focus()

    def action_clear_search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        search = self.query_one("#journal-search", Input)
        had_search = self.searching
        with search.prevent(Input.Changed):
            search.value = ""
        self._show_search_problem(None)
        search.display = False
        self.query_one(SearchFilterChips).show(Search().filters)
        self.search = Search()
        self.reader.mark_search(None)
        entry_list = self.entry_list
        entry_list.set_row(day_row, group_by_day=True)
        entry_list.count_label = count_entries
        if self.state == ENTRIES:
            entry_list.focus()
        if had_search:
            # Back to every entry, staying on the one that was being read.
            highlighted = entry_list.highlighted_entry
            if highlighted is not None:
                self.load_window(
                    WindowRequest(highlight_id=highlighted.id, near_day=highlighted.date)
                )
            else:
                self.load_window(WindowRequest())
        self.refresh_bindings()

    # -- saved searches ---------------------------------------------------------------------

    def action_save_search(self) -> None:
        if not self.searching:
            return
        search = self.search
        described = describe_search(search)
        self.app.push_screen(
            SaveSearchScreen(described, suggestion=search.text),
            lambda name: self._save_search_named(name, search),
        )

    def _save_search_named(self, name: str | None, search: Search) -> None:
        journal = self.journal
        if name and journal is not None:
            self._save_search(journal, name, search)

    @work(thread=True, group="save-search")
    def _save_search(self, journal: JournalService, name: str, search: Search) -> None:
        from reconnect_journal.core.search_service import SearchService

        try:
            SearchService(journal.store, clock=journal.clock, today=journal.today).save(
                name, search
            )
        except JournalError as error:
            self.post_message(EntryActionFailed(str(error)))
            return
        self.app.call_from_thread(
            self.notify,
            f"Saved the search “{name}”. Open it again from the command palette (ctrl+p).",
            markup=False,
        )

    # -- star and share ---------------------------------------------------------------------

    def action_toggle_star(self) -> None:
        if self.wait_for_entry_action("toggle_star"):
            return
        entry = self.highlighted_entry
        if entry is not None and self.journal is not None:
            self.entry_action_started()
            self._mark(self.journal, entry, EntryChanges(starred=not entry.starred))

    def action_toggle_share(self) -> None:
        if self.wait_for_entry_action("toggle_share"):
            return
        entry = self.highlighted_entry
        if entry is not None and self.journal is not None:
            self.entry_action_started()
            self._mark(self.journal, entry, EntryChanges(share=not entry.share))

    @work(thread=True, group="entry-action")
    def _mark(self, journal: JournalService, entry: Entry, changes: EntryChanges) -> None:
        try:
            # As it was when * or m was pressed: changed elsewhere since, it is shown
            # again as it is now rather than marked on what was on screen.
            marked = journal.edit(entry.id, changes, expected_version=entry.version)
        except JournalError as error:
            self.entry_action_failed(error)
            return
        if changes.starred is not KEEP:
            note = STARRED_NOTE if marked.starred else "The star is off."
        else:
            note = SHARE_NOTE if marked.share else "No longer marked to share."
        self.post_message(EntryMarked(marked, note))

    @on(EntryMarked)
    def _marked(self, message: EntryMarked) -> None:
        self.notify(message.note, markup=False)
        self.entry_action_done(message.entry)

    # -- delete and undo --------------------------------------------------------------------

    def action_delete_entry(self) -> None:
        if self.wait_for_entry_action("delete_entry"):
            return
        entry = self.highlighted_entry
        journal = self.journal
        if entry is not None and journal is not None:
            self.entry_action_started()
            self._delete(journal, entry)

    @work(thread=True, group="entry-action")
    def _delete(self, journal: JournalService, entry: Entry) -> None:
        try:
            deleted = journal.delete(entry.id)
        except JournalError as error:
            self.entry_action_failed(error)
            return
        self.post_message(EntryTrashed(deleted))

    @on(EntryTrashed)
    def _trashed(self, message: EntryTrashed) -> None:
        self.query_one(UndoBar).offer(message.entry, trashed_line(message.entry))
        self.refresh_bindings()
        self.entry_action_done()

    def action_undo(self) -> None:
        if self.wait_for_entry_action("undo"):
            return
        entry = self.query_one(UndoBar).take()
        journal = self.journal
        if entry is None:
            # The undo bar has gone: say where deleted entries are rather than nothing.
            self.notify(NOTHING_TO_UNDO, markup=False)
        elif journal is not None:
            self.entry_action_started()
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
            self.entry_action_failed(error)
            return
        self.post_message(EntryRestored(restored, undo=True))

    @on(EntryRestored)
    def _restored(self, message: EntryRestored) -> None:
        self.notify("Brought back.", markup=False)
        self.entry_action_done(message.entry)
        if self.state == ENTRIES:
            self.entry_list.focus()
