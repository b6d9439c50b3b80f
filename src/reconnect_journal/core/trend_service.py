"""The one way the CLI and the Trends screen ask for trends: SQL counts in, figures out.

The counting is done by SQLite (store.queries.TrendsRepository); the shaping by
core.trends. Deleted entries never count.
"""

from __future__ import annotations

import datetime as dt
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
    add_counts,
    barrier_mix,
    barrier_pairs,
    build_report,
    calendar_range,
    days_before_label,
    fill_periods,
    lagged_correlation,
    previous_range,
    what_changed,
)
from reconnect_journal.store.engine import Store
from reconnect_journal.store.queries import TrendsRepository


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
    def __init__(self, store: Store, today: Callable[[], dt.date]) -> None:
        self.repo = TrendsRepository(store)
        self.today = today

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
        rows = self.repo.periods("month", date_from, date_to)
        return add_counts(date_from or dt.date.min, rows)

    def weeks(self, date_from: dt.date | None, date_to: dt.date | None) -> list[PeriodCounts]:
        return fill_periods(self.repo.periods("week", date_from, date_to), "week")

    def correlation(self, date_from: dt.date | None, date_to: dt.date | None) -> Correlation | None:
        return lagged_correlation(self.weeks(date_from, date_to))

    def pairs(self, date_from: dt.date | None, date_to: dt.date | None) -> list[Pair]:
        return barrier_pairs(self.repo.pairs(date_from, date_to))

    def changes(
        self, date_from: dt.date, date_to: dt.date, current: PeriodCounts, before: str = ""
    ) -> list[str]:
        """What changed against the same number of days before `date_from`."""
        prev_from, prev_to = previous_range(date_from, date_to)
        previous = self.totals(prev_from, prev_to)
        return what_changed(current, previous, before or days_before_label(date_from, date_to))

    def view(self, window: Window, by: Bucket) -> TrendsView:
        today = self.today()
        date_from, date_to = window.bounds(today)
        report = self.report(by, date_from, date_to, fill_window=not window.all_time)
        weeks = self.weeks(date_from, date_to)
        changes: list[str] = []
        previous = window.previous(today)
        if previous is not None:
            changes = what_changed(report.totals, self.totals(*previous), window.before)
        cal_from, cal_to = calendar_range(today)
        calendar = fill_periods(self.repo.periods("day", cal_from, cal_to), "day", cal_from, cal_to)
        return TrendsView(
            window=window,
            by=by,
            today=today,
            date_from=date_from,
            date_to=date_to,
            report=report,
            mix=barrier_mix(report.totals),
            pairs=self.pairs(date_from, date_to),
            correlation=lagged_correlation(weeks),
            rated_weeks=sum(1 for w in weeks if w.emotional_n and w.physical_n),
            changes=changes,
            calendar=calendar,
            on_this_day=self.repo.on_this_day(today),
        )
