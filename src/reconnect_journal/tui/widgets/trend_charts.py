"""Charts for the Trends screen, drawn with Textual's own widgets (no plotting library).

- PeriodBars: one row per period, newest first; each row a bar in the barriers' colours
  (without colours, NO_COLOR, in their own fills: BARRIER_FILLS),
  or the two closeness averages. A row can be chosen (enter or click) to see its entries.
- YearCalendar: a GitHub-style year of days, coloured by how much was written or by
  emotional closeness; a day can be chosen the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual, visualize
from textual.widget import Widget

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.trends import (
    Bucket,
    PeriodCounts,
    average_text,
    days_in_window,
    round_half_up,
    window_period_label,
)

# Told apart by hue and by lightness, on dark and on light backgrounds alike.
BARRIER_COLOURS: dict[Barrier, str] = {
    Barrier.SHAME: "#e07b39",
    Barrier.RESENTMENT: "#c8435a",
    Barrier.TRUST: "#3f7fd0",
    Barrier.UNSEEN: "#9b6ad6",
    Barrier.GRIEF: "#3a9e77",
}
# Without colours (NO_COLOR), each barrier has its own fill in the bars and the legend.
BARRIER_FILLS: dict[Barrier, str] = {
    Barrier.SHAME: "█",
    Barrier.RESENTMENT: "▓",
    Barrier.TRUST: "▒",
    Barrier.UNSEEN: "░",
    Barrier.GRIEF: "▚",
}
SOLID = "█"
EMOTIONAL_COLOUR = "#d4a017"
PHYSICAL_COLOUR = "#2a9fb8"
# Written days, from a little to a lot; and closeness from 1 to 5.
AMOUNT_COLOURS = ("#7fb3a3", "#4f9a84", "#2f7d68", "#1c5e4d")
CLOSENESS_COLOURS = ("#b85c5c", "#c98f57", "#c9b957", "#86b35e", "#3f9a6a")
EMPTY_DAY = "·"
DAY_CELL = "■"
# A chart shows at most this many periods (the newest); the table view shows them all.
MAX_ROWS = 400
# Lists of rows a chart keeps made (4 windows by 3 buckets).
MADE_KEPT = 12
_BAR_STYLES = {barrier: Style(color=colour) for barrier, colour in BARRIER_COLOURS.items()}
_PLAIN_BAR = Style(dim=False)


class ItemsLine:
    """Pieces of text laid out for the width they are given: a line breaks between
    pieces, never inside one (a swatch and its label, a group of choices). (A
    non-breaking space would not do: the wrapping counts it as a space.) A piece wider
    than a whole line still wraps inside itself, at spaces."""

    def __init__(self, items: Iterable[Text], gap: int = 3) -> None:
        self.items = tuple(items)
        self.gap = gap

    def text(self, width: int) -> Text:
        text = Text()
        column = 0
        for item in self.items:
            size = item.cell_len
            if column and column + self.gap + size > width:
                text.append("\n")
                column = 0
            elif column:
                text.append(" " * self.gap)
                column += self.gap
            text.append_text(item)
            column += size
        return text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text(options.max_width)


class Legend(ItemsLine):
    """Colour swatches with their labels."""

    def __init__(
        self, items: Iterable[tuple[str | None, str] | tuple[str | None, str, str]]
    ) -> None:
        # (swatch colour, or None for no swatch; label; the swatch's fill, █ if not given)
        pieces = []
        for colour, label, *fill in items:
            swatch = (fill[0] if fill else SOLID) + " "
            pieces.append(
                Text.assemble((swatch, Style(color=colour)), label) if colour else Text(label)
            )
        super().__init__(pieces)


def barrier_fill(barrier: Barrier, no_color: bool) -> str:
    """How a barrier's part of a bar is drawn: solid in its colour, or in its own fill when
    there are no colours to tell them apart."""
    return BARRIER_FILLS[barrier] if no_color else SOLID


def legend(no_color: bool = False) -> Legend:
    """The barriers' colours (and their fills, without colours)."""
    return Legend(
        (
            "default" if no_color else BARRIER_COLOURS[barrier],
            barrier.display_name,
            barrier_fill(barrier, no_color),
        )
        for barrier in Barrier
    )


class PeriodChosen(Message):
    """A period (or a day) was chosen: show the entries from `first` to `last`."""

    def __init__(self, first: dt.date, last: dt.date, label: str) -> None:
        super().__init__()
        self.first = first
        self.last = last
        self.label = label


class _Rows:
    """The rows of a chart for one list of periods: sizes worked out once, rows drawn as
    they come into view (by index, style and width) and kept."""

    def __init__(
        self,
        source: list[PeriodCounts],
        by: Bucket,
        width: int,
        peak: int,
        date_from: dt.date | None = None,
    ) -> None:
        self.source = source
        self.by = by
        self.date_from = date_from  # where the window starts (None: all time)
        self.periods = list(reversed(source[-MAX_ROWS:]))  # newest first
        # A period the window starts partway through is marked (see core.trends); the
        # window ends today, and nothing is written after today.
        self.labels = [window_period_label(p.start, by, date_from, None) for p in self.periods]
        self.label_width = max((len(label) for label in self.labels), default=8)
        self.width = width
        self.room = max(10, width - self.label_width - 12)
        # Closeness rows: room for the widest " n=N" beside each average.
        most_rated = max((max(p.emotional_n, p.physical_n) for p in self.periods), default=0)
        self.count_width = len(f" n={most_rated}")
        self.peak = peak
        self.strips: dict[tuple[int, VisualStyle, int], Strip] = {}


class PeriodBars(ScrollView, can_focus=True):
    """Periods newest first, as bars, one line each. `kind` is "barriers" or "closeness".

    A Line API widget: only the rows in view are made and drawn, so showing 400 periods
    costs what showing 14 does. Keys as in an OptionList (up, down, page up, page down,
    home, end); enter or a click on a row posts PeriodChosen."""

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
        Binding("home", "first", "First", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("up", "cursor_up", "Up", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "period-bars--row",
        "period-bars--row-highlighted",
        "period-bars--row-hover",
    }
    # The look of an OptionList (what these charts were before), row for row.
    DEFAULT_CSS = """
    PeriodBars {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        background: $surface;
        & > .period-bars--row-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .period-bars--row-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .period-bars--row-hover {
            background: $block-hover-background;
        }
    }
    """

    highlighted: reactive[int | None] = reactive(None)
    _hover: reactive[int | None] = reactive(None)

    def __init__(self, kind: str, *, no_color: bool = False, id: str | None = None) -> None:
        super().__init__(id=id, classes="period-bars")
        self.kind = kind
        # Without colours, each barrier's part of a bar has its own fill (see legend()),
        # in the text's own colour: the greys the colours would turn into are too faint.
        self.fills = {barrier: barrier_fill(barrier, no_color) for barrier in Barrier}
        self.bar_styles = {
            barrier: _PLAIN_BAR if no_color else style for barrier, style in _BAR_STYLES.items()
        }
        self._drawn = _Rows([], "month", 40, 1)
        # Rows made for a list of periods (kept by the Trends service, so the same list
        # comes back when a window is shown again): made once, drawn again at once.
        self._made: dict[tuple[int, Bucket, int, dt.date | None], _Rows] = {}

    @property
    def by(self) -> Bucket:
        """The bucket of the periods shown."""
        return self._drawn.by

    @property
    def _periods(self) -> list[PeriodCounts]:
        return self._drawn.periods

    @property
    def option_count(self) -> int:
        """How many periods (rows) there are."""
        return len(self._periods)

    @property
    def rows_drawn(self) -> int:
        """How many rows of this list of periods have been drawn: only those that came
        into view are."""
        return len({index for index, _, _ in self._drawn.strips})

    def show(
        self,
        periods: list[PeriodCounts],
        by: Bucket,
        width: int,
        date_from: dt.date | None = None,
    ) -> None:
        """Show these periods, of a window starting on `date_from` (None: all time). The
        bars fit the widget's own width once it has one (and are made again when it is
        resized); `width` is for before it is laid out."""
        width = self.size.width or width
        key = (id(periods), by, width, date_from)
        made = self._made.get(key)
        if made is None or made.source is not periods:
            if len(self._made) >= MADE_KEPT:
                self._made.clear()
            made = self._made[key] = _Rows(periods, by, width, self._peak_of(periods), date_from)
        if made is self._drawn:
            return
        count_before = len(self._periods)
        self._drawn = made
        self._hover = None
        count = len(self._periods)
        # No width: the rows are cut to the widget (overflow-x is hidden), so a new width
        # needs no new layout.
        self.virtual_size = Size(0, count)
        if count:
            self.highlighted = min(self.highlighted or 0, count - 1)
        else:
            self.highlighted = None
        self.refresh(layout=count != count_before)
        self.scroll_to_highlight()

    def on_resize(self, event: events.Resize) -> None:
        # Rows are made for one width: a new width needs new bars, or a row too long for
        # the widget would lose its bar (or be cut) until the window changed.
        if event.size.width and event.size.width != self._drawn.width:
            drawn = self._drawn
            self.show(drawn.source, drawn.by, event.size.width, drawn.date_from)

    # -- rows ------------------------------------------------------------------------------

    def _peak_of(self, periods: list[PeriodCounts]) -> int:
        if self.kind != "barriers":
            return 1
        return max((sum(p.barriers.values()) for p in periods[-MAX_ROWS:]), default=0) or 1

    def _row(self, index: int) -> Text:
        made = self._drawn
        p, label = made.periods[index], made.labels[index]
        if self.kind == "barriers":
            return self._barrier_row(p, label, made.label_width, made.room, made.peak)
        return self._closeness_row(p, label, made)

    def _barrier_row(
        self, p: PeriodCounts, label: str, label_width: int, room: int, peak: int
    ) -> Text:
        # Put together as one string and its spans: Text.append per part is much slower.
        plain = f"{label:<{label_width}} "
        spans = []
        for barrier in Barrier:
            n = p.barriers[barrier.value]
            if n:
                cells = max(1, round(n / peak * room))
                spans.append(Span(len(plain), len(plain) + cells, self.bar_styles[barrier]))
                plain += self.fills[barrier] * cells
        tagged = sum(p.barriers.values())
        end = f" {tagged}" if tagged else " –"
        spans.append(Span(len(plain), len(plain) + len(end), "bold" if tagged else "dim"))
        return Text(plain + end, style="dim", spans=spans, no_wrap=True, overflow="crop")

    def _closeness_row(self, p: PeriodCounts, label: str, made: _Rows) -> Text:
        """Each average with how many entries had that rating: the two counts can differ."""
        text = Text(
            f"{label:<{made.label_width}} ",
            style="dim",
            no_wrap=True,
            overflow="crop",
        )
        # Two halves, each a bar, its average (" 3.5") and its count (" n=12"), and a gap.
        half = max(6 + made.count_width, (made.width - made.label_width - 1) // 2)
        bar_room = half - 5 - made.count_width
        for avg, n, colour in (
            (p.emotional_avg, p.emotional_n, EMOTIONAL_COLOUR),
            (p.physical_avg, p.physical_n, PHYSICAL_COLOUR),
        ):
            if avg is None:
                text.append(f"{'–':<{half}}", style="dim")
                continue
            cells = max(1, round(avg / 5 * bar_room))
            text.append("█" * cells, Style(color=colour))
            shown = f" {average_text(avg)}"
            text.append(shown)
            text.append(f" n={n}".ljust(half - cells - len(shown)), style="dim")
        text.rstrip()
        return text

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._periods)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if not 0 <= index < len(self._periods):
            return Strip.blank(width, self.get_visual_style("period-bars--row").rich_style)
        if index == self.highlighted:
            style = self.get_visual_style("period-bars--row", "period-bars--row-highlighted")
        elif index == self._hover:
            style = self.get_visual_style("period-bars--row", "period-bars--row-hover")
        else:
            style = self.get_visual_style("period-bars--row")
        strips = self._drawn.strips
        key = (index, style, width)
        strip = strips.get(key)
        if strip is None:
            if len(strips) > 4 * MAX_ROWS:
                strips.clear()
            visual = visualize(self, self._row(index))
            lines = Visual.to_strips(self, visual, width, None, style)
            strip = lines[0].crop_extend(0, width, style.rich_style)
            strips[key] = strip = strip.apply_meta({"period_row": index})
        return strip

    def notify_style_update(self) -> None:
        for made in self._made.values():
            made.strips.clear()
        self.refresh()
        super().notify_style_update()

    # -- the cursor ----------------------------------------------------------------------------

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self._periods:
            return None
        return max(0, min(len(self._periods) - 1, highlighted))

    def watch_highlighted(self) -> None:
        self.scroll_to_highlight()

    def scroll_to_highlight(self) -> None:
        if self.highlighted is None or not self.is_mounted:
            return
        self.scroll_to_region(
            Region(0, self.highlighted, max(1, self.scrollable_content_region.width), 1),
            force=True,
            animate=False,
            immediate=True,
        )

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def action_cursor_up(self) -> None:
        if self._periods:
            last = len(self._periods) - 1
            self.highlighted = last if not self.highlighted else self.highlighted - 1

    def action_cursor_down(self) -> None:
        if self._periods:
            current = self.highlighted
            last = len(self._periods) - 1
            self.highlighted = 0 if current is None or current >= last else current + 1

    def action_first(self) -> None:
        if self._periods:
            self.highlighted = 0

    def action_last(self) -> None:
        if self._periods:
            self.highlighted = len(self._periods) - 1

    def _move_page(self, direction: int) -> None:
        if self._periods:
            page = max(1, self.scrollable_content_region.height)
            self.highlighted = (self.highlighted or 0) + direction * page

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_select(self) -> None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self._periods):
            return
        made = self._drawn
        start = made.periods[index].start
        # The entries the row counts: a part period's days inside the window only.
        first, last = days_in_window(start, self.by, made.date_from, None)
        self.post_message(PeriodChosen(first, last, made.labels[index]))

    # -- the mouse -----------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("period_row")
        if isinstance(index, int):
            event.stop()
            self.highlighted = index
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        index = event.style.meta.get("period_row")
        self._hover = index if isinstance(index, int) else None

    def _on_leave(self, event: events.Leave) -> None:
        self._hover = None


class YearCalendar(Widget, can_focus=True):
    """A year of days, one column per week (its first day, Monday or Sunday, at the top)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-7)", "Week before", show=False),
        Binding("right", "move(7)", "Week after", show=False),
        Binding("up", "move(-1)", "Day before", show=False),
        Binding("down", "move(1)", "Day after", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]

    by_closeness: reactive[bool] = reactive(False)
    cursor: reactive[int] = reactive(-1)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: list[PeriodCounts] = []

    def show(self, days: list[PeriodCounts]) -> None:
        self.days = days
        self.cursor = len(days) - 1
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 9

    def action_move(self, step: int) -> None:
        if self.days:
            self.cursor = max(0, min(len(self.days) - 1, self.cursor + step))

    def action_choose(self) -> None:
        if 0 <= self.cursor < len(self.days):
            day = self.days[self.cursor].start
            self.post_message(PeriodChosen(day, day, f"{day:%A} {day.day} {day:%B %Y}"))

    def _colour(self, day: PeriodCounts) -> str | None:
        if day.entries == 0:
            return None
        if self.by_closeness:
            avg = day.emotional_avg
            if avg is None:
                return "#8a8a8a"
            return CLOSENESS_COLOURS[min(4, max(0, int(round_half_up(avg, 0)) - 1))]
        return AMOUNT_COLOURS[min(3, day.entries - 1)]

    def render(self) -> Text:
        text = Text(no_wrap=True)
        if not self.days:
            return text
        first = self.days[0].start
        weeks = (len(self.days) + 6) // 7
        months = [" "] * weeks
        last_month = None
        for week in range(weeks):
            start = first + dt.timedelta(weeks=week)
            if start.month != last_month and week < weeks - 2:
                # A month is named over its first week; a first month cut short is not.
                soon = (start + dt.timedelta(weeks=3)).month != start.month
                if not (week == 0 and soon) and all(c == " " for c in months[week : week + 3]):
                    months[week : week + 3] = list(f"{start:%b}")
                last_month = start.month
        text.append("    " + "".join(months[:weeks]) + "\n", style="dim")
        for weekday in range(7):
            # Every other row named, from the week's first day (Monday or Sunday).
            name = "" if weekday % 2 else f"{first + dt.timedelta(days=weekday):%a}"
            text.append(f"{name:<4}", style="dim")
            for week in range(weeks):
                index = week * 7 + weekday
                if index >= len(self.days):
                    text.append(" ")
                    continue
                colour = self._colour(self.days[index])
                style = Style(color=colour) if colour else Style(dim=True)
                if index == self.cursor and self.has_focus:
                    style += Style(reverse=True)
                text.append(DAY_CELL if colour else EMPTY_DAY, style)
            text.append("\n")
        key = self._key_line()
        key.stylize("dim")
        text.append(key)
        return text

    def _key_line(self) -> Text:
        key = Text("distant " if self.by_closeness else "less ")
        colours = CLOSENESS_COLOURS if self.by_closeness else AMOUNT_COLOURS
        for colour in colours:
            key.append(DAY_CELL, Style(color=colour))
        key.append(" closer" if self.by_closeness else " more")
        if 0 <= self.cursor < len(self.days):
            day = self.days[self.cursor]
            written = (
                "nothing written"
                if not day.entries
                else ("1 entry" if day.entries == 1 else f"{day.entries} entries")
            )
            key.append(f"   {day.start:%a} {day.start.day} {day.start:%b}: {written}")
        return key

    def watch_cursor(self) -> None:
        self.refresh()

    def watch_by_closeness(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: object) -> None:
        offset = getattr(event, "offset", None)
        if offset is None or not self.days:
            return
        week, weekday = offset.x - 4, offset.y - 1
        if week >= 0 and 0 <= weekday < 7:
            index = week * 7 + weekday
            if 0 <= index < len(self.days):
                self.cursor = index
                self.action_choose()
