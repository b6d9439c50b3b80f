"""Messages that thread workers post back to the screens and the app.

Workers never touch widgets: they call the journal and post one of these; the
handler (on the UI thread) updates the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from reconnect_journal.core.model import Entry

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService


class JournalOpened(Message):
    """The journal file is open and ready to read."""

    bubble = False

    def __init__(self, journal: JournalService, notices: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.journal = journal
        # Things the store noticed while opening (a permission fix, a schema upgrade).
        self.notices = notices


class JournalOpenFailed(Message):
    """The journal could not be opened; `reason` is one line fit to show."""

    bubble = False

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class EntriesLoaded(Message):
    """A page of entries, newest first, starting at `offset` of `total`."""

    bubble = False

    def __init__(
        self, entries: list[Entry], offset: int, total: int, select_id: int | None = None
    ) -> None:
        super().__init__()
        self.entries = entries
        self.offset = offset
        self.total = total
        # The entry to highlight once shown (the one just saved), if any.
        self.select_id = select_id


class EntriesLoadFailed(Message):
    bubble = False

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class EntrySaved(Message):
    bubble = False

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry


class EntrySaveFailed(Message):
    """Saving did not happen; everything typed is still in the form."""

    bubble = False

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason
