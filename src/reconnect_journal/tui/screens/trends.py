"""Trends (key 3): what the journal shows over the last weeks, months and years.

One worker asks core.trend_service for everything a window and bucket need (SQL GROUP BY
over the day summary), and posts it back; the widgets only draw. Choosing a bar, a row or
a day lists the entries behind it; choosing one of those opens it in the Journal.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.errors import JournalError
from reconnect_journal.core.model import Entry, EntryQuery
from reconnect_journal.core.trends import (
    BUCKETS,
    CORRELATION_CAUTION,
    MIN_CORRELATION_WEEKS,
    WINDOWS,
    Bucket,
    average_text,
    days_in_window,
    days_written_line,
    how_long_ago,
    is_part_period,
    part_note,
    window_period_label,
)
from reconnect_journal.tui.formatting import short_day
from reconnect_journal.tui.screens.base import JournalView
from reconnect_journal.tui.widgets.trend_charts import (
    BARRIER_COLOURS,
    EMOTIONAL_COLOUR,
    MAX_ROWS,
    PHYSICAL_COLOUR,
    ItemsLine,
    Legend,
    PeriodBars,
    PeriodChosen,
    YearCalendar,
    barrier_fill,
    legend,
)

if TYPE_CHECKING:
    from textual.worker import Worker

    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.core.trend_service import TrendsService, TrendsView

# The most entries the list behind a bar shows (a month rarely has more).
BEHIND_LIMIT = 200


class TrendsLoaded(Message):
    bubble = False

    def __init__(self, view: TrendsView, generation: int) -> None:
        super().__init__()
        self.view = view
        self.generation = generation


class TrendsFailed(Message):
    bubble = False

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class EntriesBehind(Message):
    bubble = False

    def __init__(self, label: str, entries: list[Entry]) -> None:
        super().__init__()
        self.label = label
        self.entries = entries


def open_in_journal(screen: JournalView, entry: Entry) -> None:
    """Switch to the Journal, on this entry."""
    from reconnect_journal.tui.screens.entry_pages import WindowRequest
    from reconnect_journal.tui.screens.journal import JournalScreen

    app = screen.journal_app

    def go() -> None:
        journal = app.screen
        if isinstance(journal, JournalScreen):
            journal.load_window(WindowRequest(highlight_id=entry.id, near_day=entry.date))

    app.action_show("journal")
    app.call_later(go)


class EntriesBehindScreen(ModalScreen[Entry | None]):
    """The entries behind a bar or a day; enter opens one in the Journal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Back", id="trends.behind.back"),
    ]

    def __init__(self, label: str, entries: list[Entry], today: dt.date) -> None:
        super().__init__()
        self.label = label
        self.entries = entries
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="behind-dialog") as dialog:
            dialog.border_title = self.label
            if not self.entries:
                yield Static("Nothing was written here.", id="behind-nothing")
            else:
                options = []
                for entry in self.entries:
                    row = Text(f"{short_day(entry.date, self.today):<16}", style="dim")
                    row.append(entry.headline[:60])
                    for tag in entry.barriers:
                        if self.app.no_color:  # the legend's fill, told apart without colour
                            row.append(f" {barrier_fill(tag.barrier, True)}", style="not dim")
                        else:
                            row.append(" ■", style=BARRIER_COLOURS[tag.barrier])
                    options.append(Option(row))
                yield OptionList(*options, id="behind-list")
            yield Static("enter opens it in the Journal · escape goes back", id="behind-hint")

    @on(OptionList.OptionSelected, "#behind-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.entries[event.option_index])


def _closeness_key() -> Legend:
    return Legend(
        (
            (EMOTIONAL_COLOUR, "emotional closeness"),
            (PHYSICAL_COLOUR, "physical intimacy"),
            (None, "(averages of 1–5; n = entries with that rating)"),
        )
    )


class TrendsScreen(JournalView):
    SUB_TITLE = "Trends"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "w",
            "next_window",
            "Window",
            tooltip="4 weeks, 3 months, 12 months, all time",
            id="trends.window",
        ),
        Binding("b", "next_bucket", "By", tooltip="Day, week or month", id="trends.bucket"),
        Binding(
            "t",
            "toggle_table",
            "Table",
            tooltip="The barrier numbers as a plain table",
            id="trends.table",
        ),
        Binding(
            "c",
            "toggle_colour",
            "Colour",
            tooltip="Colour the calendar by closeness",
            id="trends.colour",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.window_index = 1  # 3 months
        self.bucket: Bucket = "week"
        self._generation = 0
        self.view: TrendsView | None = None
        # Kept between window changes (figures are cached per window; see TrendsService);
        # a new one when the journal changes.
        self._trends: TrendsService | None = None
        self._table_view: TrendsView | None = None  # what the table shows
        self._days_view: TrendsView | None = None  # what the calendar, "on this day" show
        self._drawn_signal = threading.Event()  # set when the last load is drawn
        self.drawn_generation = 0  # the last load drawn on screen…
        self.drawn_at = 0.0  # …and when (time.perf_counter()), for benchmarks

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="trends-controls")
        with ContentSwitcher(initial="trends-opening", id="trends-states"):
            yield Static("Opening your journal…", id="trends-opening", classes="journal-state")
            with Vertical(id="trends-failed", classes="journal-state"):
                yield Static("Trends could not be read.", classes="state-heading")
                yield Static(id="trends-failed-reason", classes="state-detail", markup=False)
            with Vertical(id="trends-empty", classes="journal-state"):
                yield Static("Nothing to show here yet.", classes="state-heading")
                yield Static(
                    "As you write, this is where patterns show up: which barriers come back, "
                    "and how closeness moves. Write from Today (1), or press w for a longer "
                    "window.",
                    classes="state-detail",
                )
            with VerticalScroll(id="trends-body"):
                yield Static("What changed", classes="trends-title")
                yield Static(id="trends-changes")
                yield Static("Barriers over time", classes="trends-title")
                # Without colours (NO_COLOR), the barriers are told apart by their fills.
                no_color = self.app.no_color
                yield Static(legend(no_color), id="trends-legend")
                with ContentSwitcher(initial="barrier-bars", id="barrier-views"):
                    yield PeriodBars("barriers", no_color=no_color, id="barrier-bars")
                    # Wider than the window at 80 columns: the period stays put as it scrolls.
                    yield DataTable(
                        id="barrier-table", cursor_type="row", zebra_stripes=True, fixed_columns=1
                    )
                yield Static(id="trends-part-note")
                yield Static("Closeness", classes="trends-title")
                yield Static(_closeness_key(), id="closeness-key")
                yield PeriodBars("closeness", id="closeness-bars")
                yield Static(id="trends-correlation")
                yield Static("Calendar", classes="trends-title")
                yield Static(id="calendar-counts")
                yield YearCalendar(id="trends-calendar")
                yield Static("Barrier mix", classes="trends-title")
                yield Static(id="trends-mix")
                yield Static("On this day", classes="trends-title")
                yield OptionList(id="on-this-day")
        yield Footer(compact=True)

    # -- loading ---------------------------------------------------------------------------

    def journal_ready(self, journal: JournalService) -> None:
        self._trends = None
        self.reload()

    def journal_changed(self, saved: Entry | None = None) -> None:
        self._trends = None
        self.reload()

    def reload(self) -> None:
        journal = self.journal
        self._show_controls()
        if journal is None:
            return
        if self._trends is None or self._trends.repo.store is not journal.store:
            from reconnect_journal.core.trend_service import TrendsService

            self._trends = TrendsService(journal.store, journal.today)
        self._generation += 1
        self._drawn_signal.set()  # a worker still waiting on the last load may go on
        self._drawn_signal = drawn = threading.Event()
        trends, by = self._trends, self.bucket
        kept = trends.kept_view(WINDOWS[self.window_index], by, MAX_ROWS)
        if kept is not None:
            # Kept from before (or worked out ahead): drawn now, in the same refresh as the
            # window and bucket controls, without waiting for a worker.
            self._show_view(kept, self._generation)
        if any(trends.kept_view(window, by, MAX_ROWS) is None for window in WINDOWS):
            # The marker goes with the view shown: one kept from before keeps its own.
            number = self.loading_journal() if kept is None else None
            self._load(
                journal,
                number,
                trends,
                self.window_index,
                by,
                self._generation,
                kept is None,
                drawn,
            )

    @work(thread=True, exclusive=True, group="trends")
    def _load(
        self,
        journal: JournalService,
        number: int | None,
        trends: TrendsService,
        window_index: int,
        by: Bucket,
        generation: int,
        post: bool,
        drawn: threading.Event,
    ) -> None:
        """The view asked for (posted back, if `post`); then, once it is drawn and while
        nobody asks for another, the other windows of this bucket, so that w shows them at
        once. (Not before it is drawn: the drawing would share the interpreter with them.)
        """
        from textual.worker import get_current_worker

        worker: Worker[None] = get_current_worker()
        if number is not None:
            self.note_journal_seen(journal, number)
        try:
            view = trends.view(WINDOWS[window_index], by, MAX_ROWS)
        except JournalError as error:
            self.post_message(TrendsFailed(str(error)))
            return
        if post:
            self.post_message(TrendsLoaded(view, generation))
        drawn.wait(timeout=1.0)
        for step in range(1, len(WINDOWS)):
            if worker.is_cancelled:
                return
            try:
                trends.view(WINDOWS[(window_index + step) % len(WINDOWS)], by, MAX_ROWS)
            except JournalError:
                return  # said when that window is asked for

    @on(TrendsFailed)
    def _failed(self, message: TrendsFailed) -> None:
        self.query_one("#trends-failed-reason", Static).update(message.reason)
        self.query_one("#trends-states", ContentSwitcher).current = "trends-failed"

    @on(TrendsLoaded)
    def _loaded(self, message: TrendsLoaded) -> None:
        if message.generation == self._generation:
            self._show_view(message.view, message.generation)

    def _show_view(self, view: TrendsView, generation: int) -> None:
        self.view = view
        switcher = self.query_one("#trends-states", ContentSwitcher)
        if view.is_empty and not any(day.entries for day in view.calendar):
            switcher.current = "trends-empty"
            self.call_after_refresh(self._drawn, generation)
            return
        switcher.current = "trends-body"
        width = max(40, self.size.width - 4)
        self._show_changes(view)
        periods, by, date_from = view.report.periods, view.by, view.date_from
        self.query_one("#barrier-bars", PeriodBars).show(periods, by, width, date_from)
        if self.query_one("#barrier-views", ContentSwitcher).current == "barrier-table":
            self._fill_table(view)
        self._show_part_note(view)
        self.query_one("#closeness-bars", PeriodBars).show(periods, by, width, date_from)
        self._show_correlation(view)
        self._show_mix(view)
        days = self._days_view
        if days is None or (days.calendar, days.on_this_day) != (
            view.calendar,
            view.on_this_day,
        ):
            # The calendar and "on this day" follow the day, not the window.
            self._show_calendar(view)
            self._show_on_this_day(view)
            self._days_view = view
        self.call_after_refresh(self._drawn, generation)

    async def _drawn(self, generation: int, tries: int = 0) -> None:
        """Note when the figures of load `generation` are on screen (`drawn_at`, for
        benchmarks), and let the worker go on with the other windows.

        Called after a refresh of the screen; but a widget tells the screen what it needs
        repainted only when it next goes idle, so that refresh may have come before the new
        figures were painted. Let the widgets run, and while any of them (or the screen)
        still has a repaint or a layout waiting, wait for the next refresh (a few at most).
        """
        if generation != self._generation:
            return
        await asyncio.sleep(0)
        waiting: bool = (
            not self._message_queue.empty()
            or self._layout_required
            or self._repaint_required
            or bool(self._dirty_widgets)
            or any(w._repaint_required or w._layout_required for w in self.walk_children(Widget))
        )
        if waiting and tries < 20:
            self.call_after_refresh(self._drawn, generation, tries + 1)
            return
        self.drawn_generation = generation
        self.drawn_at = time.perf_counter()
        self._drawn_signal.set()

    def on_unmount(self) -> None:
        self._drawn_signal.set()  # no worker waits on a screen that is gone

    # -- sections ----------------------------------------------------------------------------

    def _show_controls(self) -> None:
        windows = Text("Window ", style="dim")
        for i, window in enumerate(WINDOWS):
            label = window.label.removeprefix("last ")
            windows.append(f" {label} ", style="reverse bold" if i == self.window_index else "")
        buckets = Text("By ", style="dim")
        for bucket in BUCKETS:
            buckets.append(f" {bucket} ", style="reverse bold" if bucket == self.bucket else "")
        # On a narrow terminal "By ..." goes to a line of its own, whole.
        self.query_one("#trends-controls", Static).update(ItemsLine((windows, buckets), gap=2))

    def _show_changes(self, view: TrendsView) -> None:
        window = view.window
        if window.all_time:
            text = "All time has nothing before it to compare with; choose a window with w."
        elif view.changes:
            text = "\n".join(f"• {line}" for line in view.changes)
        else:
            text = f"Nothing written in the {window.label} or in {window.before}."
        self.query_one("#trends-changes", Static).update(text)

    def _show_part_note(self, view: TrendsView) -> None:
        """Say what "(part)" means, when a period the window starts partway through is shown
        (the window ends today: the period still going on is not cut short)."""
        note = self.query_one("#trends-part-note", Static)
        periods = view.report.periods[-MAX_ROWS:]
        # Only the oldest period can be: the window cuts nothing else short.
        shown = bool(periods) and is_part_period(periods[0].start, view.by, view.date_from, None)
        note.update(Text(part_note(view.by), style="dim") if shown else "")
        note.display = shown

    def _fill_table(self, view: TrendsView) -> None:
        if view is self._table_view:
            return
        self._table_view = view
        table = self.query_one("#barrier-table", DataTable)
        table.clear(columns=True)
        table.add_columns(
            "period", "entries", *(f"{b.value} (avg)" for b in Barrier), "emotional", "physical"
        )

        for p in list(reversed(view.report.periods))[:MAX_ROWS]:
            table.add_row(
                window_period_label(p.start, view.by, view.date_from, None),
                str(p.entries),
                *(
                    f"{p.barriers[b.value]} ({average_text(p.mean_intensity(b.value))})"
                    if p.barriers[b.value]
                    else "0"
                    for b in Barrier
                ),
                average_text(p.emotional_avg),
                average_text(p.physical_avg),
            )

    def _show_correlation(self, view: TrendsView) -> None:
        c = view.correlation
        if c is None:
            text = Text(
                f"With at least {MIN_CORRELATION_WEEKS} weeks rated for both, this shows whether "
                "a close week tends to come before a more intimate one "
                f"({view.rated_weeks} so far in this window).",
                style="dim",
            )
        else:
            r = "–" if c.r is None else f"{c.r:+.2f}"
            text = Text(
                f"A week's emotional closeness and the next week's physical intimacy: "
                f"r = {r}, n = {c.n} pairs of weeks; {c.words}.\n"
            )
            text.append(CORRELATION_CAUTION, style="dim italic")
        self.query_one("#trends-correlation", Static).update(text)

    def _show_calendar(self, view: TrendsView) -> None:
        this_month = (view.today.year, view.today.month)
        month_days = sum(
            1
            for day in view.calendar
            if day.entries and (day.start.year, day.start.month) == this_month
        )
        year_days = sum(1 for day in view.calendar if day.entries)
        line = days_written_line(month_days, "this month")
        line += f" {days_written_line(year_days, 'in the last 12 months')}".replace(
            "Nothing written in the last 12 months yet.", ""
        )
        self.query_one("#calendar-counts", Static).update(line.strip())
        self.query_one(YearCalendar).show(view.calendar)

    def _show_mix(self, view: TrendsView) -> None:
        text = Text()
        if not any(share.count for share in view.mix):
            text.append("No barriers were tagged in this window.", style="dim")
        else:
            for share in view.mix:
                text.append(f"{share.barrier.display_name:<27}")
                text.append(f"{share.share:>4.0%} ")
                text.append("█" * round(share.share * 30), style=BARRIER_COLOURS[share.barrier])
                text.append(f" {share.count}\n", style="dim")
            if view.pairs:
                text.append("Often together: ", style="bold")
                text.append(
                    "; ".join(
                        f"{p.first.display_name} + {p.second.display_name.lower()} ({p.together})"
                        for p in view.pairs[:3]
                    )
                )
        self.query_one("#trends-mix", Static).update(text)

    def _show_on_this_day(self, view: TrendsView) -> None:
        options = self.query_one("#on-this-day", OptionList)
        options.clear_options()
        self._on_this_day = view.on_this_day
        if not view.on_this_day:
            options.add_option(
                Option(
                    Text("Nothing from this day in earlier months yet.", style="dim"),
                    disabled=True,
                )
            )
            return
        for entry in view.on_this_day:
            row = Text(f"{how_long_ago(entry.date, view.today):<24}", style="dim")
            row.append(entry.headline[:60])
            options.add_option(Option(row))

    # -- choosing ----------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#on-this-day")
    def _on_this_day_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entries = getattr(self, "_on_this_day", [])
        if 0 <= event.option_index < len(entries):
            open_in_journal(self, entries[event.option_index])

    @on(PeriodChosen)
    def _period_chosen(self, message: PeriodChosen) -> None:
        journal = self.journal
        if journal is not None:
            self._entries_behind(journal, message.first, message.last, message.label)

    @on(DataTable.RowSelected, "#barrier-table")
    def _table_row_chosen(self, event: DataTable.RowSelected) -> None:
        if self.view is None:
            return
        view = self.view
        periods = list(reversed(view.report.periods))
        if 0 <= event.cursor_row < len(periods):
            p, by = periods[event.cursor_row], view.by
            first, last = days_in_window(p.start, by, view.date_from, None)
            label = window_period_label(p.start, by, view.date_from, None)
            self._period_chosen(PeriodChosen(first, last, label))

    @work(thread=True, group="trends-behind")
    def _entries_behind(
        self, journal: JournalService, first: dt.date, last: dt.date, label: str
    ) -> None:
        try:
            entries = journal.list(EntryQuery(date_from=first, date_to=last, limit=BEHIND_LIMIT))
        except JournalError as error:
            self.post_message(TrendsFailed(str(error)))
            return
        self.post_message(EntriesBehind(label, entries))

    @on(EntriesBehind)
    def _show_entries_behind(self, message: EntriesBehind) -> None:
        journal = self.journal
        today = journal.today() if journal is not None else dt.date.today()

        def chosen(entry: Entry | None) -> None:
            if entry is not None:
                open_in_journal(self, entry)

        self.app.push_screen(EntriesBehindScreen(message.label, message.entries, today), chosen)

    # -- keys ----------------------------------------------------------------------------------

    def action_next_window(self) -> None:
        self.window_index = (self.window_index + 1) % len(WINDOWS)
        self.reload()

    def action_next_bucket(self) -> None:
        self.bucket = BUCKETS[(BUCKETS.index(self.bucket) + 1) % len(BUCKETS)]
        self.reload()

    def action_toggle_table(self) -> None:
        views = self.query_one("#barrier-views", ContentSwitcher)
        views.current = "barrier-table" if views.current == "barrier-bars" else "barrier-bars"
        if views.current == "barrier-table" and self.view is not None:
            self._fill_table(self.view)  # filled when shown, not on every window change
        self.query_one(f"#{views.current}").focus()

    def action_toggle_colour(self) -> None:
        calendar = self.query_one(YearCalendar)
        calendar.by_closeness = not calendar.by_closeness
