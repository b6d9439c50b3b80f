"""The list of entries, newest first, filled one page at a time."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reconnect_journal.core.model import Entry
from reconnect_journal.tui.formatting import ACCENT, BARRIER_MARKERS, short_day

# Ask for the next page when the cursor is this close to the last loaded entry.
NEAR_END = 20


def entry_prompt(entry: Entry, today: dt.date) -> Content:
    """Two lines: the day with small barrier markers, then the headline."""
    markers = " ".join(BARRIER_MARKERS[tag.barrier] for tag in entry.barriers)
    first_line = Content.assemble(
        (short_day(entry.date, today), "bold"),
        ("  " + markers if markers else "", ACCENT),
    )
    # The headline keeps the option's own colour so it stays readable under the cursor.
    return Content.assemble(first_line, "\n", entry.headline or "…")


class EntryList(OptionList):
    """Entries as two-line options. Knows nothing of the journal: the screen feeds it pages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Older", key_display="j/↓", id="entry_list.older"),
        Binding("k", "cursor_up", "Newer", key_display="k/↑", id="entry_list.newer"),
    ]

    class EntryHighlighted(Message):
        """The cursor moved to `entry`."""

        def __init__(self, entry_list: EntryList, entry: Entry) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.entry = entry

        @property
        def control(self) -> EntryList:
            return self.entry_list

    class MoreWanted(Message):
        """The cursor is near the end of what is loaded; load from `offset`."""

        def __init__(self, entry_list: EntryList, offset: int) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.offset = offset

        @property
        def control(self) -> EntryList:
            return self.entry_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.entries: list[Entry] = []
        self.total = 0
        self.today = dt.date.today()  # the journal's own today, once it is open
        self._more_requested = False

    @property
    def has_more(self) -> bool:
        return len(self.entries) < self.total

    @property
    def highlighted_entry(self) -> Entry | None:
        if self.highlighted is None or self.highlighted >= len(self.entries):
            return None
        return self.entries[self.highlighted]

    def show_page(
        self, entries: list[Entry], offset: int, total: int, select_id: int | None = None
    ) -> None:
        """Show a page: offset 0 replaces the list, a later offset adds to it."""
        self.total = total
        self._more_requested = False
        if offset == 0:
            keep_id = select_id
            if keep_id is None and self.highlighted_entry is not None:
                keep_id = self.highlighted_entry.id
            self.entries = list(entries)
            self.set_options(self._options_for(self.entries))
            self._highlight_id(keep_id)
        else:
            # Offsets shift if entries were added meanwhile; never show one twice.
            known = {entry.id for entry in self.entries}
            fresh = [entry for entry in entries if entry.id not in known]
            self.entries.extend(fresh)
            self.add_options(self._options_for(fresh))
            if select_id is not None:
                self._highlight_id(select_id)
        self._update_border_title()
        self._want_more_if_near_end()

    def _options_for(self, entries: list[Entry]) -> list[Option]:
        return [Option(entry_prompt(entry, self.today), id=str(entry.id)) for entry in entries]

    def _highlight_id(self, entry_id: int | None) -> None:
        index = next(
            (i for i, entry in enumerate(self.entries) if entry.id == entry_id),
            0 if self.entries else None,
        )
        unchanged = index == self.highlighted
        self.highlighted = index
        if index is not None and unchanged:
            # Assigning the same index posts nothing, but the entry itself may have changed.
            self.post_message(self.EntryHighlighted(self, self.entries[index]))

    def _update_border_title(self) -> None:
        self.border_title = "1 entry" if self.total == 1 else f"{self.total} entries"

    def action_cursor_down(self) -> None:
        # No wrapping to the top: the bottom is where older pages arrive.
        if self.highlighted is None:
            self.action_first()
        elif self.highlighted < self.option_count - 1:
            self.highlighted += 1

    def action_cursor_up(self) -> None:
        if self.highlighted is None:
            self.action_first()
        elif self.highlighted > 0:
            self.highlighted -= 1

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is None or highlighted >= len(self.entries):
            return
        self.post_message(self.EntryHighlighted(self, self.entries[highlighted]))
        self._want_more_if_near_end()

    def _want_more_if_near_end(self) -> None:
        if self.highlighted is None or self._more_requested or not self.has_more:
            return
        if self.highlighted >= len(self.entries) - NEAR_END:
            self._more_requested = True
            self.post_message(self.MoreWanted(self, len(self.entries)))
