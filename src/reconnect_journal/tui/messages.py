"""Messages that thread workers post back to the screens and the app.

Workers never touch widgets: they call the journal and post one of these; the
handler (on the UI thread) updates the screen.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual.message import Message

from reconnect_journal.core.model import Entry

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.core.prompts import Prompt


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


class EntryWindowLoaded(Message):
    """A stretch of the list, `entries` from position `start` of `total`, to show in place.

    `generation` is the request it answers: an answer to an older request is dropped.
    """

    bubble = False

    def __init__(
        self,
        entries: list[Entry],
        start: int,
        total: int,
        generation: int,
        *,
        highlight_id: int | None = None,
        position: int | None = None,
        to_top: bool = False,
        notice: str | None = None,
    ) -> None:
        super().__init__()
        self.entries = entries
        self.start = start
        self.total = total
        self.generation = generation
        self.highlight_id = highlight_id  # the entry to highlight, if it is among them
        self.position = position  # otherwise the position to highlight
        self.to_top = to_top  # scroll so the highlighted day starts at the top
        self.notice = notice  # a short line to tell the person (e.g. "nothing on that day")


class EntryPageLoaded(Message):
    """A page for the list's window: `limit` asked for at `offset`, newer ones if `before`."""

    bubble = False

    def __init__(
        self, entries: list[Entry], offset: int, limit: int, before: bool, generation: int
    ) -> None:
        super().__init__()
        self.entries = entries
        self.offset = offset
        self.limit = limit
        self.before = before
        self.generation = generation


class EntryTrashed(Message):
    """An entry was moved to the trash (and can be brought back)."""

    bubble = False

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry


class EntryRestored(Message):
    """An entry came back from the trash."""

    bubble = False

    def __init__(self, entry: Entry, *, undo: bool = False) -> None:
        super().__init__()
        self.entry = entry
        self.undo = undo  # brought back with Undo, right after deleting it


class EntryMarked(Message):
    """An entry was starred or marked to share, or the mark was taken off."""

    bubble = False

    def __init__(self, entry: Entry, note: str) -> None:
        super().__init__()
        self.entry = entry
        self.note = note  # what to tell the person


class EntryPurged(Message):
    """An entry was removed for good."""

    bubble = False

    def __init__(self, entry_id: int) -> None:
        super().__init__()
        self.entry_id = entry_id


class EntryActionFailed(Message):
    """Deleting, restoring or removing did not happen; `reason` is one line fit to show."""

    bubble = False

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class TodayLoaded(Message):
    """What the Today screen shows: the journal's today, the time, and today's entries."""

    bubble = False

    def __init__(
        self, day: dt.date, now: dt.datetime, entries: list[Entry], prompt: Prompt | None = None
    ) -> None:
        super().__init__()
        self.day = day
        self.now = now  # local time, for the greeting
        self.entries = entries
        self.prompt = prompt  # today's prompt (None if the library could not be read)


class PromptLoaded(Message):
    """Another of today's prompts: the `skip`-th in the day's order."""

    bubble = False

    def __init__(self, prompt: Prompt | None, skip: int) -> None:
        super().__init__()
        self.prompt = prompt
        self.skip = skip


class EntryChangedElsewhere(Message):
    """An entry action found its entry changed, trashed or removed somewhere else (another
    window, a command): `note` says so in the window's words; the lists are reloaded."""

    bubble = False

    def __init__(self, note: str) -> None:
        super().__init__()
        self.note = note


class JournalLookedAt(Message):
    """Whether the journal was saved to since a view loaded what it shows (`seen`, the
    view's change marker then): see JournalView.look_for_changes."""

    bubble = False

    def __init__(self, seen: object, changed: bool) -> None:
        super().__init__()
        self.seen = seen
        self.changed = changed
