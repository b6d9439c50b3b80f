"""What the Journal and the Trash share: a list that pages through entries, and a reader.

The list holds a window of the entries (see widgets/entry_list.py); this view loads
windows and pages in thread workers and hands them to it. Subclasses say which
entries (`entries_query`) and add their own keys.

Keys that act on the highlighted entry (delete, restore, star…) run the journal call in
a worker. A key pressed while one is under way waits until the list shows its result,
and then acts on what is highlighted: never on an entry that has already left the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.widgets import ContentSwitcher, Static
from textual.worker import get_current_worker

from reconnect_journal.core.errors import JournalError
from reconnect_journal.core.model import Entry, EntryQuery
from reconnect_journal.tui.elsewhere import ElsewhereNotes, changed_elsewhere
from reconnect_journal.tui.formatting import as_sentence, long_day
from reconnect_journal.tui.messages import (
    EntriesLoadFailed,
    EntryActionFailed,
    EntryChangedElsewhere,
    EntryPageLoaded,
    EntryWindowLoaded,
)
from reconnect_journal.tui.screens.base import JournalView
from reconnect_journal.tui.widgets.entry_list import MAX_HELD, PAGE_SIZE, EntryList
from reconnect_journal.tui.widgets.entry_reader import EntryReader

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

# Entries loaded when the list is (re)placed: a page either side of where it lands.
WINDOW = 2 * PAGE_SIZE
ONE_DAY = dt.timedelta(days=1)

OPENING = "opening"
FAILED = "failed"
EMPTY = "empty"
ENTRIES = "entries"


@dataclass(frozen=True)
class WindowRequest:
    """Where the list should land once loaded. With nothing set: at the top."""

    highlight_id: int | None = None  # this entry, when it is among those loaded
    position: int | None = None  # else this position in the list
    near_day: dt.date | None = None  # load around this day (where a saved entry went)
    day: dt.date | None = None  # go to the first entry on or before this day
    step: int = 0  # with `day`: -1 the day before it, +1 the day after it
    keep_start: int | None = None  # a reload: keep the window starting here if it fits
    to_top: bool = False  # scroll so the highlighted day starts at the top


class EntryPagesView(JournalView):
    """A screen with a ContentSwitcher of states (ids "<prefix>-opening", "-failed",
    "-empty", "-entries"), an EntryList and an EntryReader."""

    STATE_PREFIX: ClassVar[str] = "journal"
    # Changes saved elsewhere show up within a few seconds while the list is left alone.
    WATCH_SECONDS: ClassVar[float | None] = 3.0
    # The actions that act on the highlighted entry (see "entry actions" below).
    ENTRY_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    # What an entry action says when its entry was changed somewhere else.
    ELSEWHERE_NOTES: ClassVar[ElsewhereNotes] = ElsewhereNotes()

    def __init__(self) -> None:
        super().__init__()
        self.state = OPENING
        self._generation = 0
        # While an entry action runs: the keys pressed meanwhile, and once it is done,
        # the list load that will show its result.
        self._acting = False
        self._shown_after: int | None = None
        self._waiting: list[str] = []

    # -- what subclasses provide ----------------------------------------------------------

    def entries_query(self) -> EntryQuery:
        """The entries this view lists (offset and limit are set here)."""
        return EntryQuery(limit=None)

    def is_filtered(self) -> bool:
        return False

    def window_size(self, query: EntryQuery) -> int:
        """How many entries to load when the list is (re)placed."""
        return WINDOW

    def fetch_entries(self, journal: JournalService, query: EntryQuery) -> list[Entry]:
        """Runs in a worker: the page of entries `query` asks for (its offset and limit)."""
        return journal.list(query)

    def count_entries(self, journal: JournalService, query: EntryQuery) -> int:
        """Runs in a worker: how many entries `query` lists in all."""
        return journal.count(query)

    def position_of_day(self, journal: JournalService, query: EntryQuery, day: dt.date) -> int:
        """Runs in a worker: the list position of the first entry on or before `day`."""
        if day >= dt.date.max - ONE_DAY:
            return 0
        return journal.count(replace(query, date_from=day + ONE_DAY, limit=None, offset=0))

    def neighbour_day(
        self, journal: JournalService, query: EntryQuery, day: dt.date, later: bool
    ) -> dt.date | None:
        """Runs in a worker: the nearest day with entries after (or before) `day`."""
        if later:
            newer = self.position_of_day(journal, query, day)
            if newer == 0:
                return None
            # The oldest of the entries after `day` is on the nearest later day.
            [entry] = journal.list(replace(query, offset=newer - 1, limit=1))
            return entry.date
        found = journal.list(replace(query, date_to=day - ONE_DAY, offset=0, limit=1))
        return found[0].date if found else None

    # -- parts --------------------------------------------------------------------------

    @property
    def entry_list(self) -> EntryList:
        return self.query_one(EntryList)

    @property
    def reader(self) -> EntryReader:
        return self.query_one(EntryReader)

    @property
    def highlighted_entry(self) -> Entry | None:
        if self.state != ENTRIES:
            return None
        return self.entry_list.highlighted_entry

    def quiet(self) -> bool:
        # Not while an entry action runs: its own reload is on the way.
        return super().quiet() and not self._acting

    def switch_to(self, state: str) -> None:
        self.state = state
        self.query_one(ContentSwitcher).current = f"{self.STATE_PREFIX}-{state}"
        self.refresh_bindings()

    # -- called by the app ----------------------------------------------------------------

    def journal_ready(self, journal: JournalService) -> None:
        self.entry_list.today = journal.today()
        self.load_window(WindowRequest())

    def journal_changed(self, saved: Entry | None = None) -> None:
        if saved is not None and saved.deleted_at is None and not self.entries_query().deleted:
            self.load_window(WindowRequest(highlight_id=saved.id, near_day=saved.date))
        else:
            self.reload()

    def reload(self) -> None:
        """Load again where the list is, keeping the highlighted entry (or its place)."""
        entry_list = self.entry_list
        highlighted = entry_list.highlighted_entry
        self.load_window(
            WindowRequest(
                highlight_id=highlighted.id if highlighted else None,
                position=entry_list.highlighted_position,
                keep_start=entry_list.window_start,
            )
        )

    # -- loading ------------------------------------------------------------------------

    def load_window(self, request: WindowRequest) -> None:
        journal = self.journal
        if journal is None:
            return
        self._generation += 1
        held = len(self.entry_list.entries)
        number = self.loading_journal()
        self._load_window(journal, self.entries_query(), request, self._generation, held, number)

    @work(thread=True, exclusive=True, group="entry-window")
    def _load_window(
        self,
        journal: JournalService,
        query: EntryQuery,
        request: WindowRequest,
        generation: int,
        held: int,
        number: int,
    ) -> None:
        self.note_journal_seen(journal, number)
        try:
            message = self._window_for(journal, query, request, generation, held)
        except JournalError as error:
            self.post_message(EntriesLoadFailed(str(error)))
            return
        if message is not None and not get_current_worker().is_cancelled:
            self.post_message(message)

    def _window_for(
        self,
        journal: JournalService,
        query: EntryQuery,
        request: WindowRequest,
        generation: int,
        held: int,
    ) -> EntryWindowLoaded | None:
        """Runs in a worker: what to show for `request`."""
        day = request.day
        if day is not None and request.step:
            later = request.step > 0
            day = self.neighbour_day(journal, query, day, later)
            if day is None:
                edge = "most recent" if later else "earliest"
                self.app.call_from_thread(self.notify, f"This is the {edge} day in your journal.")
                return None
        total = self.count_entries(journal, replace(query, limit=None, offset=0))
        position = request.position
        if day is not None:
            position = self.position_of_day(journal, query, day)
        elif request.near_day is not None:
            position = self.position_of_day(journal, query, request.near_day)
        position = min(max(position or 0, 0), max(total - 1, 0))
        size = self.window_size(query)
        start, limit = max(0, min(position - PAGE_SIZE, total - size)), size
        if request.keep_start is not None:
            kept = max(held, WINDOW)
            if request.keep_start <= position < request.keep_start + kept:
                start, limit = request.keep_start, min(kept, MAX_HELD)
        entries = self.fetch_entries(journal, replace(query, offset=start, limit=limit))
        notice = None
        if day is not None and not request.step and entries:
            landed = entries[min(position - start, len(entries) - 1)]
            asked = long_day(day)
            if landed.date > day:
                notice = f"Nothing written on or before {asked}; this is the earliest entry."
            elif landed.date != day:
                notice = f"Nothing written on {asked}; here is the nearest day before it."
        return EntryWindowLoaded(
            entries,
            start,
            total,
            generation,
            highlight_id=request.highlight_id,
            position=position,
            to_top=request.to_top,
            notice=notice,
        )

    @on(EntryWindowLoaded)
    def _window_loaded(self, message: EntryWindowLoaded) -> None:
        if message.generation != self._generation:
            return
        entry_list = self.entry_list
        entry_list.show_window(
            message.entries,
            message.start,
            message.total,
            highlight_id=message.highlight_id,
            position=message.position,
            to_top=message.to_top,
        )
        if message.total == 0 and not self.is_filtered():
            if self.state != EMPTY:
                self.switch_to(EMPTY)
                self.focus_empty_state()
        elif self.state != ENTRIES:
            self.switch_to(ENTRIES)
            entry_list.focus()
        if message.total == 0:
            self.reader.show_message(self.nothing_found())
        if message.notice:
            self.notify(message.notice, markup=False)
        self.refresh_bindings()
        self.window_shown(message.generation)

    def window_shown(self, generation: int) -> None:
        """The list now shows the window loaded for `generation` (a load or reload)."""
        if self._shown_after is not None and generation >= self._shown_after:
            self._go_on()

    def window_failed(self) -> None:
        """A window or page could not be loaded; the list shows what it did before."""
        if self._shown_after is not None:
            # The list may still show the entry as it was: the keys that waited are dropped.
            self._waiting.clear()
            self._go_on()

    def focus_empty_state(self) -> None:
        """Where the focus goes when there is nothing to list."""
        self.set_focus(None)

    def nothing_found(self) -> str:
        return "Nothing here."

    @on(EntriesLoadFailed)
    def _load_failed(self, message: EntriesLoadFailed) -> None:
        self.window_failed()
        if self.state == OPENING:  # nothing to show yet: say why on the screen itself
            self.query_one(f"#{self.STATE_PREFIX}-failed-reason", Static).update(
                as_sentence(message.reason)
            )
            self.switch_to(FAILED)
        else:
            self.notify(as_sentence(message.reason), severity="error", markup=False)

    @on(EntryList.PageWanted)
    def _page_wanted(self, message: EntryList.PageWanted) -> None:
        journal = self.journal
        if journal is None:
            return
        query = replace(self.entries_query(), offset=message.offset, limit=message.limit)
        self._load_page(journal, query, message.before, message.generation)

    @work(thread=True, group="entry-page")
    def _load_page(
        self, journal: JournalService, query: EntryQuery, before: bool, generation: int
    ) -> None:
        try:
            entries = self.fetch_entries(journal, query)
        except JournalError as error:
            self.post_message(EntriesLoadFailed(str(error)))
            return
        assert query.limit is not None
        self.post_message(EntryPageLoaded(entries, query.offset, query.limit, before, generation))

    @on(EntryPageLoaded)
    def _page_loaded(self, message: EntryPageLoaded) -> None:
        self.entry_list.add_page(
            message.entries, message.offset, message.limit, message.before, message.generation
        )

    @on(EntryList.JumpWanted)
    def _jump_wanted(self, message: EntryList.JumpWanted) -> None:
        self.load_window(WindowRequest(position=message.position))

    @on(EntryList.EntryHighlighted)
    def _entry_highlighted(self, message: EntryList.EntryHighlighted) -> None:
        self.reader.show_entry(message.entry)

    # -- entry actions: keys pressed while one runs wait for it --------------------------
    #
    # Each action in ENTRY_ACTIONS starts with `if self.wait_for_entry_action(name): return`,
    # calls `entry_action_started()` as it hands the journal call to a worker, and the
    # handler of the worker's result calls `entry_action_done()` (on a failure the worker
    # calls `entry_action_failed(error)`, and the rest is handled here).

    def wait_for_entry_action(self, action: str) -> bool:
        """True when `action` has to wait for the entry action under way (it is kept)."""
        assert action in self.ENTRY_ACTIONS, action
        if not self._acting:
            return False
        self._waiting.append(action)
        return True

    def entry_action_started(self) -> None:
        self._acting = True

    def entry_action_done(self, saved: Entry | None = None) -> None:
        """The action is done: reload the lists, and go on once this one shows the result."""
        before = self._generation
        self.journal_app.entries_changed(saved)
        if self._generation == before:  # nothing to load (the journal is locked, say)
            self._go_on()
        else:
            self._shown_after = self._generation

    def entry_action_failed(self, error: JournalError) -> None:
        """Runs in an entry action's worker: say why it did not happen. An entry changed,
        trashed or removed somewhere else is said so in the window's words, and the lists
        are loaded again to show it as it is now."""
        note = changed_elsewhere(error, self.ELSEWHERE_NOTES)
        if note is not None:
            self.post_message(EntryChangedElsewhere(note))
        else:
            self.post_message(EntryActionFailed(str(error)))

    @on(EntryChangedElsewhere)
    def _changed_elsewhere(self, message: EntryChangedElsewhere) -> None:
        self.notify(message.note, markup=False)
        self.entry_action_done()

    @on(EntryActionFailed)
    def _action_failed(self, message: EntryActionFailed) -> None:
        self.notify(as_sentence(message.reason), severity="error", markup=False)
        # Nothing changed: the keys that waited act on the entry as it is.
        self._go_on()

    def _go_on(self) -> None:
        """Run the keys that waited, one by one (each may start another action)."""
        self._acting = False
        self._shown_after = None
        while self._waiting and not self._acting:
            if not self.is_current:
                # A key opened another screen (the editor, a question): the rest were
                # meant for it.
                self._waiting.clear()
                return
            action = self._waiting.pop(0)
            if self.check_action(action, ()):
                getattr(self, f"action_{action}")()
