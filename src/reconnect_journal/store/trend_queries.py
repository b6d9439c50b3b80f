"""Counts for the Trends screen and `stats`, done by SQLite with GROUP BY.

Only live entries count. Periods are added up from `day_summary` (one row per journal day
with entries, kept in step by triggers; see migration 0006), so the cost follows the
number of days, not of entries. `date` is the journal day, a local date, stored as
'YYYY-MM-DD'.

The queries are plain SQL on the store's own connection, inside one transaction for
everything a screen needs (`TrendsRepository.reading`). No ORM classes are needed, so
`stats` does not load them; only "on this day" (whole entries) does, when asked.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from reconnect_journal.core.barriers import BARRIER_KEYS
from reconnect_journal.core.trends import PeriodCounts, first_weekday

if TYPE_CHECKING:
    from sqlmodel import Session

    from reconnect_journal.core.model import Entry
    from reconnect_journal.store.engine import Store

_SUMMED = (
    "entries",
    "emotional_sum",
    "emotional_n",
    "physical_sum",
    "physical_n",
    *(f"{key}{suffix}" for key in BARRIER_KEYS for suffix in ("", "_intensity")),
)
_SUMS = ", ".join(f"coalesce(sum({name}), 0)" for name in _SUMMED)


def _period_of(by: str) -> str:
    """SQL for the first day of a day's period, as 'YYYY-MM-DD'. A week: the week's last
    day on or after it (SQLite counts weekdays from Sunday, 0), then back six days."""
    if by == "week":
        # The last day's number in SQLite's count equals the first day's in Python's
        # (Monday 0): a Monday start ends on Sunday (0), a Sunday start on Saturday (6).
        return f"date(date, 'weekday {first_weekday()}', '-6 days')"
    return "date" if by == "day" else "substr(date, 1, 8) || '01'"


def _where(date_from: dt.date | None, date_to: dt.date | None, column: str = "date") -> str:
    where = []
    if date_from is not None:
        where.append(f"{column} >= '{date_from.isoformat()}'")
    if date_to is not None:
        where.append(f"{column} <= '{date_to.isoformat()}'")
    return (" WHERE " + " AND ".join(where)) if where else ""


def _counts(start: dt.date, sums: Any, days: int) -> PeriodCounts:
    n, e_sum, e_n, p_sum, p_n, *tags = sums
    return PeriodCounts(
        start=start,
        entries=n,
        days_written=days,
        emotional_sum=e_sum,
        emotional_n=e_n,
        physical_sum=p_sum,
        physical_n=p_n,
        barriers=dict(zip(BARRIER_KEYS, tags[0::2], strict=True)),
        intensity=dict(zip(BARRIER_KEYS, tags[1::2], strict=True)),
    )


class TrendsReader:
    """The queries, inside one open transaction (see TrendsRepository.reading)."""

    def __init__(self, store: Store, session: Session) -> None:
        self.store = store
        self.session = session
        self.connection = session.connection()

    def _rows(self, sql: str) -> builtins.list[Any]:
        return list(self.connection.exec_driver_sql(sql).fetchall())

    def periods(
        self, by: str, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> builtins.list[PeriodCounts]:
        """One PeriodCounts per period that has entries, oldest first."""
        period = _period_of(by)
        rows = self._rows(
            f"SELECT {period} AS period, count(*), {_SUMS} FROM day_summary"
            f"{_where(date_from, date_to)} GROUP BY period ORDER BY period"
        )
        fromiso = dt.date.fromisoformat
        return [_counts(fromiso(row[0]), row[2:], row[1]) for row in rows]

    def totals(
        self, start: dt.date, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> PeriodCounts:
        """Every live entry's numbers in the days given, as one PeriodCounts."""
        (row,) = self._rows(
            f"SELECT count(*), {_SUMS} FROM day_summary{_where(date_from, date_to)}"
        )
        return _counts(start, row[1:], row[0])

    def week_ratings(
        self, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> builtins.list[PeriodCounts]:
        """Per week with entries, only the closeness sums (for the lagged correlation)."""
        rows = self._rows(
            f"SELECT {_period_of('week')} AS period, sum(emotional_sum), sum(emotional_n), "
            f"sum(physical_sum), sum(physical_n) FROM day_summary{_where(date_from, date_to)} "
            "GROUP BY period ORDER BY period"
        )
        fromiso = dt.date.fromisoformat
        return [
            PeriodCounts(
                start=fromiso(start),
                emotional_sum=e_sum,
                emotional_n=e_n,
                physical_sum=p_sum,
                physical_n=p_n,
            )
            for start, e_sum, e_n, p_sum, p_n in rows
        ]

    def bounds(
        self, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> tuple[dt.date, dt.date] | None:
        """The first and the last day with entries in the days given (None: no entries)."""
        (row,) = self._rows(
            f"SELECT min(date), max(date) FROM day_summary{_where(date_from, date_to)}"
        )
        if row[0] is None:
            return None
        return dt.date.fromisoformat(row[0]), dt.date.fromisoformat(row[1])

    def pairs(
        self, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> dict[tuple[str, str], int]:
        """(barrier, barrier) -> how many live entries carry both.

        Read entry by entry from the live-day index (`ix_entry_live_day`) for the days
        given: CROSS JOIN keeps SQLite from starting at the barrier index instead."""
        where = _where(date_from, date_to, "e.date")
        where = (where + " AND" if where else " WHERE") + " e.deleted_at IS NULL"
        rows = self._rows(
            "SELECT a.barrier, b.barrier, count(*) FROM entry AS e "
            "CROSS JOIN entry_barrier AS a ON a.entry_id = e.id "
            "CROSS JOIN entry_barrier AS b ON b.entry_id = e.id AND a.barrier < b.barrier"
            f"{where} GROUP BY a.barrier, b.barrier"
        )
        return {(a, b): int(n) for a, b, n in rows}

    def on_this_day(self, today: dt.date, limit: int = 24) -> builtins.list[Entry]:
        """Entries from the same day of the month in earlier months and years, newest first.

        The candidate days are listed here (one a month back to the first entry), so SQLite
        looks them up in the day index instead of reading every entry."""
        from sqlmodel import col, select

        from reconnect_journal.store.queries import EntryRepository
        from reconnect_journal.store.tables import EntryRow

        span = self.bounds()
        if span is None:
            return []
        first = span[0]
        days = []
        year, month = today.year, today.month
        while (year, month) >= (first.year, first.month):
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
            try:
                days.append(dt.date(year, month, today.day))
            except ValueError:  # no 31st (or 29th February) that month
                continue
        days = [day for day in days if day >= first]
        if not days:
            return []
        stmt = (
            select(EntryRow)
            .where(col(EntryRow.deleted_at).is_(None))
            .where(col(EntryRow.date).in_(days))
            .order_by(col(EntryRow.date).desc(), col(EntryRow.created_at).desc())
            .limit(limit)
        )
        rows = list(self.session.exec(stmt))
        return EntryRepository(self.store)._hydrate(self.session, rows)


class TrendsRepository:
    """Counts for the Trends screen and `stats`: see the module's notes."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def reading(self) -> Iterator[TrendsReader]:
        """One transaction for several queries: one connection, one consistent picture."""
        with self.store.reading() as session:
            yield TrendsReader(self.store, session)

    def periods(
        self, by: str, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> builtins.list[PeriodCounts]:
        with self.reading() as reader:
            return reader.periods(by, date_from, date_to)

    def pairs(
        self, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> dict[tuple[str, str], int]:
        with self.reading() as reader:
            return reader.pairs(date_from, date_to)

    def on_this_day(self, today: dt.date, limit: int = 24) -> builtins.list[Entry]:
        with self.reading() as reader:
            return reader.on_this_day(today, limit)
