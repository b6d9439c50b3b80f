"""What every top-level screen (Today, Journal, Trash…) shares with the app.

The app opens the journal in a worker; views are told when it is ready and when
entries changed anywhere (a save in the editor, a delete, an undo), so each can
reload what it shows. Views call the journal only from thread workers.

Changes saved somewhere else (another window, a command in another terminal) are
noticed when a view is shown again, when the window gets the focus back, and, for the
views that ask for it (WATCH_SECONDS), every few seconds while nothing is being typed:
each load notes the journal's change marker (`note_journal_seen`, in its worker), and a
view whose marker is out of date loads again, as after a save made here.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.screen import Screen

from reconnect_journal.core.errors import JournalError
from reconnect_journal.tui.messages import JournalLookedAt

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.core.model import Entry
    from reconnect_journal.tui.app import JournalApp

# Nothing typed or clicked for this long: a view's own look for changes may reload it.
QUIET_SECONDS = 2.0


class JournalView(Screen[None]):
    """A screen that shows part of the journal once it is open."""

    # How often the view looks for changes saved elsewhere while it is shown and quiet;
    # None: only when it is shown again or the window gets the focus back.
    WATCH_SECONDS: ClassVar[float | None] = None

    def __init__(self) -> None:
        super().__init__()
        # The journal's change marker when what is shown was loaded; None while a load
        # is on its way (or none was made yet): nothing to compare then.
        self._seen_marker: tuple[int, int] | None = None
        self._looking = False
        # Which load may note the marker: only the latest one started.
        self._load_number = 0
        self._marker_lock = threading.Lock()

    @property
    def journal_app(self) -> JournalApp:
        return cast("JournalApp", self.app)

    @property
    def journal(self) -> JournalService | None:
        return self.journal_app.journal

    def on_mount(self) -> None:
        self.journal_app.views.add(self)
        if self.WATCH_SECONDS is not None:
            self.set_interval(self.WATCH_SECONDS, self._look_when_quiet)
        if self.journal is not None:
            self.journal_ready(self.journal)

    def on_unmount(self) -> None:
        self.journal_app.views.discard(self)

    def journal_ready(self, journal: JournalService) -> None:
        """The journal has just opened (or was already open when this view appeared)."""

    def journal_changed(self, saved: Entry | None = None) -> None:
        """Entries changed somewhere; `saved` is the entry just written, if any."""

    # -- changes saved elsewhere -----------------------------------------------------------

    def loading_journal(self) -> int:
        """Called as a load is started; returns its number, for `note_journal_seen`. Until
        its worker notes the marker, nothing is compared (the load shows what is saved)."""
        with self._marker_lock:
            self._load_number += 1
            self._seen_marker = None
            return self._load_number

    def note_journal_seen(self, journal: JournalService, number: int) -> None:
        """Runs in load `number`'s worker, before it reads: how the journal stood (kept
        only if no other load was started since)."""
        try:
            marker: tuple[int, int] | None = journal.change_marker()
        except JournalError:
            marker = None  # the load says what is wrong, if anything is
        with self._marker_lock:
            if number == self._load_number:
                self._seen_marker = marker

    def look_for_changes(self) -> None:
        """Reload, in the background, if the journal was saved to since this view loaded."""
        journal = self.journal
        seen = self._seen_marker
        if journal is None or seen is None or self._looking or journal.store.locked:
            return
        self._looking = True
        self._look(journal, seen)

    def quiet(self) -> bool:
        """Whether a reload now would be in nobody's way (subclasses add their own)."""
        return self.is_current and self.journal_app.idle_for() >= QUIET_SECONDS

    def _look_when_quiet(self) -> None:
        if self.quiet():
            self.look_for_changes()

    @work(thread=True, group="look-for-changes")
    def _look(self, journal: JournalService, seen: tuple[int, int]) -> None:
        try:
            changed = journal.change_marker() != seen
        except JournalError:
            changed = False  # the next load or save says what is wrong
        self.post_message(JournalLookedAt(seen, changed))

    @on(JournalLookedAt)
    def _looked(self, message: JournalLookedAt) -> None:
        self._looking = False
        # Not when a load began meanwhile (it shows what is saved now) or the journal
        # was closed or locked since.
        journal = self.journal
        if (
            message.changed
            and message.seen == self._seen_marker
            and journal is not None
            and not journal.store.locked
        ):
            self.journal_changed(None)

    def on_screen_resume(self) -> None:
        self.look_for_changes()
