"""What every top-level screen (Today, Journal, Trash…) shares with the app.

The app opens the journal in a worker; views are told when it is ready and when
entries changed anywhere (a save in the editor, a delete, an undo), so each can
reload what it shows. Views call the journal only from thread workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.core.model import Entry
    from reconnect_journal.tui.app import JournalApp


class JournalView(Screen[None]):
    """A screen that shows part of the journal once it is open."""

    @property
    def journal_app(self) -> JournalApp:
        return cast("JournalApp", self.app)

    @property
    def journal(self) -> JournalService | None:
        return self.journal_app.journal

    def on_mount(self) -> None:
        self.journal_app.views.add(self)
        if self.journal is not None:
            self.journal_ready(self.journal)

    def on_unmount(self) -> None:
        self.journal_app.views.discard(self)

    def journal_ready(self, journal: JournalService) -> None:
        """The journal has just opened (or was already open when this view appeared)."""

    def journal_changed(self, saved: Entry | None = None) -> None:
        """Entries changed somewhere; `saved` is the entry just written, if any."""
