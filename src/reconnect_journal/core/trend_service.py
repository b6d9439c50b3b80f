"""The one way the CLI and the Trends screen ask for trends: SQL counts in, figures out.

The counting is done by SQLite (store.trend_queries.TrendsRepository); the shaping by
core.trends. Deleted entries never count.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

from reconnect_journal.core.errors import InputError
from reconnect_journal.core.model import Entry
from reconnect_journal.core.trends import (
    Bucket,
    Correlation,
    MixShare,
    Pair,
    PeriodCounts,
    TrendReport,
    Window,
    barrier_mix,
    barrier_pairs,
    build_report,
    calendar_range,
    days_before_label,
    fill_periods,
    lagged_correlation,
    period_start,
    previous_period,
    previous_range,
    what_changed,
)
from reconnect_journal.store.engine import Store
from reconnect_journal.store.trend_queries import TrendsReader, TrendsRepository


def check_range(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise InputError(f"--from {date_from} is after --to {date_to}; give the earlier day first")


@dataclass(frozen=True)
class TrendsView:
    """Everything the Trends screen shows for one window and bucket."""

    window: Window
    by: Bucket
    today: dt.date
    date_from: dt.date | None
    date_to: dt.date
    report: TrendReport
    mix: list[MixShare]
    pairs: list[Pair]
    correlation: Correlation | None
    rated_weeks: int  # weeks with both ratings in the window
    changes: list[str]
    calendar: list[PeriodCounts]  # one per day, the last 53 weeks
    on_this_day: list[Entry]

    @property
    def is_empty(self) -> bool:
        return self.report.is_empty


class TrendsService:
    """Figures for `stats` and the Trends screen.

    `view` gathers everything a window needs in one transaction and keeps it: the calendar
    and "on this day" per day, the window's own figures per window, the periods per
    window and bucket. `forget()` drops what was kept (call it when the journal changed).
    """

    def __init__(self, store: Store, today: Callable[[], dt.date]) -> None:
        self.repo = TrendsRepository(store)
        self.today = today
        self._lock = threading.Lock()
        self._views: dict[tuple[dt.date, str, Bucket, int | None], TrendsView] = {}
        self._windows: dict[tuple[dt.date, str], _WindowFigures] = {}
        self._days: dict[dt.date, tuple[list[PeriodCounts], list[Entry]]] = {}

    def forget(self) -> None:
        """Drop every figure kept: the journal changed."""
        with self._lock:
            self._views.clear()
            self._windows.clear()
            self._days.clear()

    def report(
        self,
        by: Bucket,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        *,
        fill_window: bool = False,
    ) -> TrendReport:
        check_range(date_from, date_to)
        rows = self.repo.periods(by, date_from, date_to)
        return build_report(rows, by, date_from, date_to, fill_window=fill_window)

    def totals(self, date_from: dt.date | None, date_to: dt.date | None) -> PeriodCounts:
        with self.repo.reading() as reader:
            return reader.totals(date_from or dt.date.min, date_from, date_to)

    def weeks(self, date_from: dt.date | None, date_to: dt.date | None) -> list[PeriodCounts]:
        with self.repo.reading() as reader:
            return fill_periods(reader.week_ratings(date_from, date_to), "week")

    def correlation(self, date_from: dt.date | None, date_to: dt.date | None) -> Correlation | None:
        return lagged_correlation(self.weeks(date_from, date_to))

    def pairs(self, date_from: dt.date | None, date_to: dt.date | None) -> list[Pair]:
        return barrier_pairs(self.repo.pairs(date_from, date_to))

    def changes(
        self, date_from: dt.date, date_to: dt.date, current: PeriodCounts, before: str = ""
    ) -> list[str]:
        """What changed against the same number of days before `date_from`."""
        prev_from, prev_to = previous_range(date_from, date_to)
        with self.repo.reading() as reader:
            previous = reader.totals(prev_from, prev_from, prev_to)
            began = _began_within(reader, previous, date_from, date_to)
        before = before or days_before_label(date_from, date_to)
        return what_changed(current, previous, before, began=began)

    def kept_view(
        self, window: Window, by: Bucket, max_periods: int | None = None
    ) -> TrendsView | None:
        """The view `view` would give, if it is kept already (None: it must be worked out)."""
        with self._lock:
            return self._views.get((self.today(), window.key, by, max_periods))

    def view(self, window: Window, by: Bucket, max_periods: int | None = None) -> TrendsView:
        """Everything the Trends screen shows for a window and a bucket.

        With `max_periods`, `report.periods` holds only the newest that many periods (what
        a chart can show); the totals are still the whole window's."""
        today = self.today()
        key = (today, window.key, by, max_periods)
        with self._lock:
            kept = self._views.get(key)
        if kept is not None:
            return kept
        date_from, date_to = window.bounds(today)
        with self.repo.reading() as reader:
            report = self._report(reader, window, by, date_from, date_to, max_periods)
            whole_weeks = by == "week" and (not window.all_time or max_periods is None)
            figures = self._window_figures(reader, window, today, report, whole_weeks)
            calendar, on_this_day = self._day_figures(reader, today)
        view = TrendsView(
            window=window,
            by=by,
            today=today,
            date_from=date_from,
            date_to=date_to,
            report=report,
            mix=barrier_mix(report.totals),
            pairs=figures.pairs,
            correlation=figures.correlation,
            rated_weeks=figures.rated_weeks,
            changes=figures.changes,
            calendar=calendar,
            on_this_day=on_this_day,
        )
        with self._lock:
            self._views[key] = view
        return view

    @staticmethod
    def _report(
        reader: TrendsReader,
        window: Window,
        by: Bucket,
        date_from: dt.date | None,
        date_to: dt.date,
        max_periods: int | None,
    ) -> TrendReport:
        if not window.all_time or max_periods is None:
            rows = reader.periods(by, date_from, date_to)
            return build_report(rows, by, date_from, date_to, fill_window=not window.all_time)
        # All time, newest periods only: the same as the full report's last periods.
        span = reader.bounds(None, date_to)
        if span is None:
            return build_report([], by, None, date_to)
        first, last = span
        cut = period_start(last, by)
        for _ in range(max_periods - 1):
            if cut <= first:
                break
            cut = previous_period(cut, by)
        lo = max(cut, period_start(first, by))
        periods = fill_periods(reader.periods(by, lo, date_to), by, lo, last)
        totals = reader.totals(period_start(first, by), None, date_to)
        return TrendReport(by, None, date_to, periods, totals)

    def _window_figures(
        self,
        reader: TrendsReader,
        window: Window,
        today: dt.date,
        report: TrendReport,
        whole_weeks: bool,
    ) -> _WindowFigures:
        """What a window shows whatever the bucket: pairs, the correlation, what changed.
        `whole_weeks`: the report's periods are every week of the window."""
        key = (today, window.key)
        with self._lock:
            kept = self._windows.get(key)
        if kept is not None:
            return kept
        date_from, date_to = window.bounds(today)
        if whole_weeks:
            weeks = report.periods
        else:
            weeks = fill_periods(reader.week_ratings(date_from, date_to), "week")
        changes: list[str] = []
        previous = window.previous(today)
        if previous is not None and date_from is not None:
            prev_totals = reader.totals(previous[0], *previous)
            began = _began_within(reader, prev_totals, date_from, today)
            changes = what_changed(report.totals, prev_totals, window.before, began=began)
        figures = _WindowFigures(
            pairs=barrier_pairs(reader.pairs(date_from, date_to)),
            correlation=lagged_correlation(weeks),
            rated_weeks=sum(1 for w in weeks if w.emotional_n and w.physical_n),
            changes=changes,
        )
        with self._lock:
            self._windows[key] = figures
        return figures

    def _day_figures(
        self, reader: TrendsReader, today: dt.date
    ) -> tuple[list[PeriodCounts], list[Entry]]:
        """The calendar (one count per day, the last 53 weeks) and "on this day"."""
        with self._lock:
            kept = self._days.get(today)
        if kept is not None:
            return kept
        cal_from, cal_to = calendar_range(today)
        calendar = fill_periods(reader.periods("day", cal_from, cal_to), "day", cal_from, cal_to)
        figures = (calendar, reader.on_this_day(today))
        with self._lock:
            self._days[today] = figures
        return figures


def _began_within(
    reader: TrendsReader, previous: PeriodCounts, date_from: dt.date, date_to: dt.date
) -> dt.date | None:
    """The journal's first day, if nothing was written before `date_from` (so the window
    before it is empty because the journal had not begun); else None."""
    if previous.entries:
        return None
    span = reader.bounds(None, date_to)
    if span is None or span[0] < date_from:
        return None
    return span[0]


@dataclass(frozen=True)
class _WindowFigures:
    pairs: list[Pair]
    correlation: Correlation | None
    rated_weeks: int
    changes: list[str]
