"""Entries, newest first, as a window onto the journal that fills in as you scroll.

The list never holds the whole journal: it keeps a window of at most MAX_HELD entries
starting at `window_start`, asks its screen for the next (or previous) page when the
view comes near either edge, and lets go of pages at the far end. It knows nothing of
the journal itself: the screen loads pages in workers and hands them over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reconnect_journal.core.model import Entry
from reconnect_journal.core.search import FoundEntry, lead_to_first_match, snippet_parts
from reconnect_journal.tui.formatting import (
    ACCENT,
    BARRIER_MARKERS,
    MATCH_STYLE,
    MUTED,
    SHARE,
    STAR,
    count_entries,
    long_day,
    short_day,
    time_written,
)

PAGE_SIZE = 100
# Entries kept in the widget at most, whatever the size of the journal.
MAX_HELD = 3 * PAGE_SIZE
# Ask for the next page when the view is this many entries from the edge of the window.
NEAR_EDGE = 20
PREVIEW_CHARS = 200

RowMaker = Callable[[Entry, dt.date], Content]

MOVE = Binding.Group("Move", compact=True)


def _markers(entry: Entry) -> str:
    """A star for a starred entry, an arrow for one marked to share, then a letter for
    each barrier."""
    marks = [STAR] if entry.starred else []
    if entry.share:
        marks.append(SHARE)
    return " ".join(marks + [BARRIER_MARKERS[tag.barrier] for tag in entry.barriers])


def _preview(entry: Entry) -> str:
    """The words after the headline, on one line."""
    text = " ".join(entry.body[: len(entry.headline) + PREVIEW_CHARS + 100].split())
    if not entry.title:
        # The headline is the body's first line: show what follows it.
        headline = " ".join(entry.headline.split())
        start = text.find(headline)
        if start != -1:
            text = text[start + len(headline) :].strip()
    return text[:PREVIEW_CHARS]


def dated_row(entry: Entry, today: dt.date) -> Content:
    """Two lines: the day with small barrier markers, then the headline."""
    markers = _markers(entry)
    first_line = Content.assemble(
        (short_day(entry.date, today), "bold"),
        ("  " + markers if markers else "", ACCENT),
    )
    # The headline keeps the option's own colour so it stays readable under the cursor.
    return Content.assemble(first_line, "\n", entry.headline or "…")


def day_row(entry: Entry, today: dt.date) -> Content:
    """Under a day heading: the headline, then barrier markers and the first words."""
    markers = _markers(entry)
    preview = _preview(entry)
    second_line = Content.assemble(
        (markers, ACCENT), ("  " if markers and preview else "", ""), (preview, MUTED)
    )
    return Content.assemble(entry.headline or "…", "\n", second_line)


def found_row(entry: Entry, today: dt.date) -> Content:
    """A search result: the day and headline, then the words around the match, marked.

    The words start just before the first match, so that it shows in a narrow list."""
    markers = _markers(entry)
    first_line = Content.assemble(
        (short_day(entry.date, today), "bold"),
        ("  " + markers if markers else "", ACCENT),
        "  ",
        entry.headline or "…",
    )
    snippet = entry.snippet if isinstance(entry, FoundEntry) else ""
    parts = lead_to_first_match(snippet_parts(snippet))
    if not any(match for _, match in parts):
        return Content.assemble(first_line, "\n", (_preview(entry), MUTED))
    second_line = Content.assemble(
        *((text, MATCH_STYLE) if match else (text, MUTED) for text, match in parts)
    )
    return Content.assemble(first_line, "\n", second_line)


def timed_row(entry: Entry, today: dt.date) -> Content:
    """For one day's entries: the headline, then when it was written and its markers."""
    markers = _markers(entry)
    second_line = Content.assemble(
        (f"written at {time_written(entry.created_at)}", MUTED),
        ("  " + markers if markers else "", ACCENT),
    )
    return Content.assemble(entry.headline or "…", "\n", second_line)


def day_heading(day: dt.date, *, first: bool) -> Content:
    """'Tuesday 24 November 2026', with a blank line above it unless it starts the list."""
    heading = Content.styled(long_day(day), f"bold {ACCENT}")
    return heading if first else Content.assemble("\n", heading)


class EntryList(OptionList):
    """Entries as options, optionally under day headings. The screen feeds it pages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Older", group=MOVE, show=False, id="entry_list.older"),
        Binding("k", "cursor_up", "Newer", group=MOVE, show=False, id="entry_list.newer"),
    ]

    class EntryHighlighted(Message):
        """The cursor moved to `entry` (or the entry under it changed)."""

        def __init__(self, entry_list: EntryList, entry: Entry) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.entry = entry

        @property
        def control(self) -> EntryList:
            return self.entry_list

    class PageWanted(Message):
        """Load `limit` entries from `offset` (newer ones when `before`) for `generation`."""

        def __init__(
            self, entry_list: EntryList, offset: int, limit: int, before: bool, generation: int
        ) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.offset = offset
            self.limit = limit
            self.before = before
            self.generation = generation

        @property
        def control(self) -> EntryList:
            return self.entry_list

    class JumpWanted(Message):
        """Show the list around `position` (outside the window: the very first or last)."""

        def __init__(self, entry_list: EntryList, position: int) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.position = position

        @property
        def control(self) -> EntryList:
            return self.entry_list

    def __init__(
        self,
        *,
        row: RowMaker = dated_row,
        group_by_day: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.row = row
        self.group_by_day = group_by_day
        self.entries: list[Entry] = []
        self.window_start = 0  # position of entries[0] in the whole list
        self.total = 0
        self.today = dt.date.today()  # the journal's own today, once it is open
        # Changes whenever the window is replaced, so late pages for an old one are dropped.
        self.generation = 0
        self.count_label: Callable[[int], str] = count_entries
        self._made_rows: dict[int, tuple[Entry, Option]] = {}  # entry id -> its row
        self._entry_at: list[int | None] = []  # option index -> entry index (None: heading)
        self._option_of: list[int] = []  # entry index -> option index
        self._wanted_before = False
        self._wanted_after = False
        self._rebuilding = False
        self._shown: Entry | None = None

    # -- what the screen reads ---------------------------------------------------------

    @property
    def has_more_after(self) -> bool:
        return self.window_start + len(self.entries) < self.total

    @property
    def has_more_before(self) -> bool:
        return self.window_start > 0

    @property
    def highlighted_index(self) -> int | None:
        """Index in `entries` of the highlighted entry."""
        if self.highlighted is None or self.highlighted >= len(self._entry_at):
            return None
        return self._entry_at[self.highlighted]

    @property
    def highlighted_entry(self) -> Entry | None:
        index = self.highlighted_index
        return None if index is None else self.entries[index]

    @property
    def highlighted_position(self) -> int | None:
        """Position of the highlighted entry in the whole (filtered) list."""
        index = self.highlighted_index
        return None if index is None else self.window_start + index

    # -- what the screen calls ---------------------------------------------------------

    def set_row(self, row: RowMaker, *, group_by_day: bool) -> None:
        """Draw entries another way from the next window on (rows made before are let go)."""
        self.row = row
        self.group_by_day = group_by_day
        self._made_rows = {}

    def show_window(
        self,
        entries: list[Entry],
        start: int,
        total: int,
        *,
        highlight_id: int | None = None,
        position: int | None = None,
        to_top: bool = False,
    ) -> None:
        """Replace what is shown. Highlights `highlight_id` if loaded, else `position`.

        With neither, the highlighted entry stays where it was, if it is still there.
        `to_top` scrolls so the highlighted entry's day begins at the top.
        """
        self.generation += 1
        self._wanted_before = self._wanted_after = False
        keep = self.highlighted_entry
        anchor = self._view_anchor()
        self.entries = list(entries)
        self.window_start = start
        self.total = total
        index = self._index_of(highlight_id)
        if index is None and position is not None and self.entries:
            index = min(max(position - start, 0), len(self.entries) - 1)
        if index is None and keep is not None:
            index = self._index_of(keep.id)
        if index is None and anchor is not None:
            index = self._index_of(anchor[0])
        if index is None and self.entries:
            index = 0
        self._rebuild(index, anchor, to_top=to_top, reveal=True)

    def add_page(
        self, entries: list[Entry], offset: int, limit: int, before: bool, generation: int
    ) -> None:
        """Add a page next to the window (dropped if the window changed meanwhile)."""
        if generation != self.generation:
            return
        # Read what is in view before the entries change under the options.
        keep = self.highlighted_entry
        anchor = self._view_anchor()
        known = {entry.id for entry in self.entries}
        fresh = [entry for entry in entries if entry.id not in known]
        if before:
            self._wanted_before = False
            if not fresh:
                self.window_start = 0  # entries went away meanwhile: this is the top
                return
            self.entries = fresh + self.entries
            self.window_start = max(0, self.window_start - len(fresh))
            overflow = len(self.entries) - MAX_HELD
            if overflow > 0:
                del self.entries[-overflow:]
        else:
            self._wanted_after = False
            if offset != self.window_start + len(self.entries):
                return
            if len(entries) < limit:
                self.total = offset + len(entries)  # the end is nearer than we thought
            self.entries.extend(fresh)
            self.total = max(self.total, self.window_start + len(self.entries))
            overflow = len(self.entries) - MAX_HELD
            if overflow > 0:
                del self.entries[:overflow]
                self.window_start += overflow
            if not fresh:
                self._update_border_title()
                return
        index = self._index_of(keep.id) if keep is not None else None
        if index is None and anchor is not None:
            index = self._index_of(anchor[0])
        self._rebuild(index, anchor)

    # -- building the options ---------------------------------------------------------

    def _index_of(self, entry_id: int | None) -> int | None:
        if entry_id is None:
            return None
        return next((i for i, entry in enumerate(self.entries) if entry.id == entry_id), None)

    def _view_anchor(self) -> tuple[int, int] | None:
        """The entry at the top of the view, and how many lines it sits below the top."""
        if not self.entries or not self._entry_at:
            return None
        lines = self._lines
        top = round(self.scroll_y)
        if top >= len(lines):
            return None
        option = lines[top][0]
        # A heading at the top: anchor on the entry under it.
        while option < len(self._entry_at) and self._entry_at[option] is None:
            option += 1
        entry_index = self._entry_at[option] if option < len(self._entry_at) else None
        if entry_index is None:
            return None
        line = self._index_to_line.get(option)
        if line is None:
            return None
        return self.entries[entry_index].id, line - top

    def _build_options(self) -> list[Option]:
        options: list[Option] = []
        self._entry_at = []
        self._option_of = []
        # Rows already made are used again: only the page that arrived is new.
        made = self._made_rows
        self._made_rows = {}
        day: dt.date | None = None
        for index, entry in enumerate(self.entries):
            if self.group_by_day and entry.date != day:
                day = entry.date
                options.append(Option(day_heading(day, first=not options), disabled=True))
                self._entry_at.append(None)
            self._option_of.append(len(options))
            known = made.get(entry.id)
            option = known[1] if known is not None and known[0] == entry else None
            if option is None:
                option = Option(self.row(entry, self.today))
            self._made_rows[entry.id] = (entry, option)
            options.append(option)
            self._entry_at.append(index)
        return options

    def _rebuild(
        self,
        index: int | None,
        anchor: tuple[int, int] | None,
        *,
        to_top: bool = False,
        reveal: bool = False,
    ) -> None:
        """Show `entries` again, highlighting entry `index`.

        `anchor` (from `_view_anchor`) keeps the view still; `reveal` then makes sure
        the highlighted entry is in view.
        """
        self._rebuilding = True
        try:
            self.set_options(self._build_options())
            if index is not None:
                self.highlighted = self._option_of[index]
                lines = self._index_to_line  # empty until the list has a size
                if to_top and lines:
                    option = self._option_of[index]
                    line = lines[option]
                    if option > 0 and self._entry_at[option - 1] is None:
                        # Show the day's heading too (not the blank line above it).
                        heading = option - 1
                        line = lines[heading] + (1 if heading > 0 else 0)
                    self.scroll_to(y=line, animate=False, immediate=True)
                elif anchor is not None and lines:
                    # Keep what was in view where it was, even as rows come and go above it.
                    anchor_index = self._index_of(anchor[0])
                    if anchor_index is not None:
                        line = lines[self._option_of[anchor_index]] - anchor[1]
                        self.scroll_to(y=max(line, 0), animate=False, immediate=True)
                    if reveal:
                        self.scroll_to_highlight()
        finally:
            self._rebuilding = False
        self._update_border_title()
        self._announce()
        self.call_after_refresh(self._check_edges)

    def _update_border_title(self) -> None:
        self.border_title = self.count_label(self.total)

    def _announce(self) -> None:
        """Tell the screen which entry is highlighted, when that changed."""
        entry = self.highlighted_entry
        if entry is None:
            self._shown = None  # so the next entry is announced, even if it is the same
        elif entry != self._shown:
            self._shown = entry
            self.post_message(self.EntryHighlighted(self, entry))

    # -- paging -------------------------------------------------------------------------

    def _visible_entries(self) -> tuple[int, int] | None:
        """First and last entry index in view."""
        if not self.entries:
            return None
        lines = self._lines
        if not lines:
            return None
        top = min(round(self.scroll_y), len(lines) - 1)
        bottom = min(top + max(self.scrollable_content_region.height, 1) - 1, len(lines) - 1)
        first = self._entry_near(lines[top][0], 1)
        last = self._entry_near(lines[bottom][0], -1)
        if first is None or last is None:
            return None
        return first, last

    def _entry_near(self, option: int, step: int) -> int | None:
        while 0 <= option < len(self._entry_at):
            entry_index = self._entry_at[option]
            if entry_index is not None:
                return entry_index
            option += step
        return None

    def _check_edges(self) -> None:
        if self._rebuilding or not self.is_mounted:
            return
        visible = self._visible_entries()
        if visible is None:
            return
        first, last = visible
        if self.has_more_after and not self._wanted_after and last >= len(self.entries) - NEAR_EDGE:
            self._wanted_after = True
            offset = self.window_start + len(self.entries)
            self.post_message(self.PageWanted(self, offset, PAGE_SIZE, False, self.generation))
        if self.has_more_before and not self._wanted_before and first < NEAR_EDGE:
            self._wanted_before = True
            offset = max(0, self.window_start - PAGE_SIZE)
            limit = self.window_start - offset
            self.post_message(self.PageWanted(self, offset, limit, True, self.generation))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._check_edges()

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if not self._rebuilding:
            self._announce()
            self._check_edges()

    # -- moving -------------------------------------------------------------------------

    def _step(self, direction: int) -> None:
        if not self._entry_at:
            return
        if self.highlighted is None:
            self.highlighted = self._option_of[0] if self._option_of else None
            return
        option = self.highlighted + direction
        while 0 <= option < len(self._entry_at) and self._entry_at[option] is None:
            option += direction
        if 0 <= option < len(self._entry_at):
            self.highlighted = option
        elif direction < 0 and self.highlighted is not None:
            # Already on the first entry: show its day's heading too.
            self.scroll_to(y=0, animate=False)

    def action_cursor_down(self) -> None:
        # No wrapping to the top: the bottom is where older pages arrive.
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_first(self) -> None:
        if self.has_more_before:
            self.post_message(self.JumpWanted(self, 0))
        elif self._option_of:
            self.highlighted = self._option_of[0]
            self.scroll_to(y=0, animate=False)

    def action_last(self) -> None:
        if self.has_more_after:
            self.post_message(self.JumpWanted(self, self.total - 1))
        elif self._option_of:
            self.highlighted = self._option_of[-1]
