"""Trends: what the journal shows over weeks, months and years.

Pure domain: periods, windows, filling the gaps, totals, the barrier mix, the lagged
correlation and the "what changed" sentences. The counting itself happens in SQL
(store.trend_queries.TrendsRepository); this module only shapes what comes back.

Every day here is a journal day (a local date). Weeks start on Monday (ISO).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, TypeAlias

from reconnect_journal.core.barriers import BARRIER_KEYS, Barrier
from reconnect_journal.core.errors import InputError

Bucket: TypeAlias = Literal["day", "week", "month"]
BUCKETS: tuple[Bucket, ...] = ("day", "week", "month")
# At least this many pairs of weeks before a correlation is shown at all.
MIN_CORRELATION_WEEKS = 8
CORRELATION_CAUTION = (
    "A pattern in your own notes, not a verdict: things can move together "
    "without one causing the other."
)
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


def parse_bucket(text: str) -> Bucket:
    """'day', 'week' or 'month' (case-insensitive)."""
    value = text.strip().lower()
    for bucket in BUCKETS:
        if value == bucket:
            return bucket
    raise InputError(f"cannot group by '{text}'; use day, week or month")


# -- periods -----------------------------------------------------------------------------


# The day weeks start on, as date.weekday() numbers it (0 Monday, 6 Sunday). One setting
# for the whole program, like the calendar module's firstweekday: every weekly figure
# (SQL buckets, filled periods, the calendar) must agree on it.
_first_weekday = 0


def set_week_start(name: str) -> None:
    """'monday' or 'sunday' (the `week_start` setting)."""
    global _first_weekday
    _first_weekday = 6 if name == "sunday" else 0


def first_weekday() -> int:
    return _first_weekday


def period_start(day: dt.date, by: Bucket) -> dt.date:
    """The first day of the period holding `day`: itself, its week's first day, or the 1st."""
    if by == "day":
        return day
    if by == "week":
        return day - dt.timedelta(days=(day.weekday() - _first_weekday) % 7)
    return day.replace(day=1)


def next_period(start: dt.date, by: Bucket) -> dt.date:
    if by == "day":
        return start + dt.timedelta(days=1)
    if by == "week":
        return start + dt.timedelta(days=7)
    return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)


def previous_period(start: dt.date, by: Bucket) -> dt.date:
    """The start of the period before the one starting at `start`."""
    return period_start(start - dt.timedelta(days=1), by)


def period_end(start: dt.date, by: Bucket) -> dt.date:
    """The last day of the period starting at `start`."""
    return next_period(start, by) - dt.timedelta(days=1)


def period_starts(first: dt.date, last: dt.date, by: Bucket) -> list[dt.date]:
    """Every period from the one holding `first` to the one holding `last`."""
    starts = []
    current, stop = period_start(first, by), period_start(last, by)
    while current <= stop:
        starts.append(current)
        current = next_period(current, by)
    return starts


def period_label(start: dt.date, by: Bucket) -> str:
    """'Mar 2026', 'week of 9 Mar 2026' or 'Mon 9 Mar 2026'."""
    if by == "month":
        return f"{start:%b %Y}"
    if by == "week":
        return f"week of {start.day} {start:%b %Y}"
    return f"{start:%a} {start.day} {start:%b %Y}"


# Beside a period the window holds only some days of (see `is_part_period`).
PART_MARK = "(part)"


def part_note(by: Bucket) -> str:
    """What PART_MARK means, said once under a list of periods."""
    return f"{PART_MARK}: the window holds only some of this {by}'s days."


def days_in_window(
    start: dt.date, by: Bucket, date_from: dt.date | None, date_to: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The first and last day of the period starting at `start` that lie inside
    `date_from`..`date_to` (None: that end is open)."""
    end = period_end(start, by)
    first = start if date_from is None else max(start, date_from)
    last = end if date_to is None else min(end, date_to)
    return first, last


def is_part_period(
    start: dt.date, by: Bucket, date_from: dt.date | None, date_to: dt.date | None
) -> bool:
    """Whether the window `date_from`..`date_to` cuts the period starting at `start` short
    (a first or last week or month), so that its figures count only some of its days.

    The one notion of a part period: the summary to share, `stats` and Trends use it.
    Windows that end today pass `date_to=None`: nothing is written after today, so the
    period still going on is not cut short, only not over yet."""
    return days_in_window(start, by, date_from, date_to) != (start, period_end(start, by))


def window_period_label(
    start: dt.date, by: Bucket, date_from: dt.date | None, date_to: dt.date | None
) -> str:
    """`period_label`, with PART_MARK when the window cuts the period short."""
    label = period_label(start, by)
    return f"{label} {PART_MARK}" if is_part_period(start, by, date_from, date_to) else label


def shift_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months (negative: back), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    first = dt.date(year, month0 + 1, 1)
    return min(first + dt.timedelta(days=day.day - 1), period_end(first, "month"))


# -- what the store hands back -------------------------------------------------------------


def _zero_barriers() -> dict[str, int]:
    return dict.fromkeys(BARRIER_KEYS, 0)


@dataclass(frozen=True)
class PeriodCounts:
    """Sums for one period, as counted in SQL. Ratings are kept as sums and counts so
    that periods add up exactly; averages are worked out when shown."""

    start: dt.date
    entries: int = 0
    days_written: int = 0
    emotional_sum: int = 0
    emotional_n: int = 0
    physical_sum: int = 0
    physical_n: int = 0
    barriers: Mapping[str, int] = field(default_factory=_zero_barriers)
    # Sum of intensities per barrier (1-3 each), for "at what intensity".
    intensity: Mapping[str, int] = field(default_factory=_zero_barriers)

    @property
    def emotional_avg(self) -> float | None:
        return _avg(self.emotional_sum, self.emotional_n)

    @property
    def physical_avg(self) -> float | None:
        return _avg(self.physical_sum, self.physical_n)

    def mean_intensity(self, key: str) -> float | None:
        return _avg(self.intensity[key], self.barriers[key])


def _avg(total: int, n: int) -> float | None:
    # Not rounded here: a figure rounded twice (to 2.25, then to 2.3) can come out wrong.
    return total / n if n else None


def round_half_up(value: float, places: int = 1) -> float:
    """`value` to `places` decimals, a half going up: 2.25 gives 2.3 (`round()` gives 2.2).

    Rounds the shortest decimal that stands for the float (its repr), so 7 / 20, a float
    a hair below 0.35, is taken as the 0.35 it is and gives 0.4."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def average_text(value: float | None, missing: str = "–") -> str:
    """An average rating or intensity as every screen and command shows it: one decimal,
    a half going up (2.25 is "2.3"); `missing` when nothing was rated."""
    if value is None:
        return missing
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def add_counts(start: dt.date, parts: Iterable[PeriodCounts]) -> PeriodCounts:
    """Several periods' sums as one (for totals and coarser buckets)."""
    entries = days = e_sum = e_n = p_sum = p_n = 0
    barriers, intensity = _zero_barriers(), _zero_barriers()
    for part in parts:
        entries += part.entries
        days += part.days_written
        e_sum += part.emotional_sum
        e_n += part.emotional_n
        p_sum += part.physical_sum
        p_n += part.physical_n
        for key in BARRIER_KEYS:
            barriers[key] += part.barriers[key]
            intensity[key] += part.intensity[key]
    return PeriodCounts(start, entries, days, e_sum, e_n, p_sum, p_n, barriers, intensity)


def fill_periods(
    rows: Sequence[PeriodCounts],
    by: Bucket,
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> list[PeriodCounts]:
    """Every period from `first` (default: the first row) to `last` (default: the last
    row), the ones without entries as zero counts. Periods come out oldest first."""
    by_start = {row.start: row for row in rows}
    if not by_start and (first is None or last is None):
        return []
    lo = first if first is not None else min(by_start)
    hi = last if last is not None else max(by_start)
    if lo > hi:
        return []
    return [by_start.get(start) or PeriodCounts(start) for start in period_starts(lo, hi, by)]


# -- the summary that `stats` prints -------------------------------------------------------


@dataclass(frozen=True)
class TrendReport:
    by: Bucket
    date_from: dt.date | None
    date_to: dt.date | None
    periods: list[PeriodCounts]
    totals: PeriodCounts

    @property
    def is_empty(self) -> bool:
        return self.totals.entries == 0


def build_report(
    rows: Sequence[PeriodCounts],
    by: Bucket,
    date_from: dt.date | None,
    date_to: dt.date | None,
    *,
    fill_window: bool = False,
) -> TrendReport:
    """Periods (gaps filled) and totals. Without `fill_window`, periods run from the first
    to the last period with entries; with it, across the whole `date_from`..`date_to`."""
    if fill_window and date_from is not None and date_to is not None:
        periods = fill_periods(rows, by, date_from, date_to)
    else:
        periods = fill_periods(rows, by)
    start = periods[0].start if periods else (date_from or dt.date.min)
    return TrendReport(by, date_from, date_to, periods, add_counts(start, periods))


def report_to_json(report: TrendReport) -> dict[str, Any]:
    """The `stats --json` shape (see README)."""

    def two_places(value: float | None) -> float | None:
        return None if value is None else round_half_up(value, 2)

    def period(p: PeriodCounts) -> dict[str, Any]:
        return {
            "start": p.start.isoformat(),
            "entries": p.entries,
            "barriers": {key: p.barriers[key] for key in BARRIER_KEYS},
            "emotional_closeness_avg": two_places(p.emotional_avg),
            "physical_intimacy_avg": two_places(p.physical_avg),
        }

    return {
        "by": report.by,
        "from": report.date_from.isoformat() if report.date_from else None,
        "to": report.date_to.isoformat() if report.date_to else None,
        "periods": [period(p) for p in report.periods],
        "totals": {
            "entries": report.totals.entries,
            "barriers": {key: report.totals.barriers[key] for key in BARRIER_KEYS},
        },
    }


def report_json_text(report: TrendReport) -> str:
    """`report_to_json` printed with one period per line: readable, and quick to write
    for thousands of periods (the indenting encoder is many times slower)."""
    data = report_to_json(report)
    lines = ["{"]
    lines.extend(f"  {json.dumps(key)}: {json.dumps(data[key])}," for key in ("by", "from", "to"))
    periods = [f"    {json.dumps(p, ensure_ascii=False)}" for p in data["periods"]]
    if periods:
        lines.append('  "periods": [')
        lines.append(",\n".join(periods))
        lines.append("  ],")
    else:
        lines.append('  "periods": [],')
    lines.append(f'  "totals": {json.dumps(data["totals"])}')
    lines.append("}")
    return "\n".join(lines)


# -- windows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    key: str
    label: str  # "last 4 weeks"
    before: str  # "the 4 weeks before"
    days: int = 0  # a window of whole days…
    months: int = 0  # …or of whole months; neither: all time

    @property
    def all_time(self) -> bool:
        return not (self.days or self.months)

    def bounds(self, today: dt.date) -> tuple[dt.date | None, dt.date]:
        """First and last day of the window ending today (first is None for all time)."""
        if self.days:
            return today - dt.timedelta(days=self.days - 1), today
        if self.months:
            return shift_months(today, -self.months) + dt.timedelta(days=1), today
        return None, today

    def previous(self, today: dt.date) -> tuple[dt.date, dt.date] | None:
        """The window of the same length just before this one (None for all time)."""
        first, _ = self.bounds(today)
        if first is None:
            return None
        last = first - dt.timedelta(days=1)
        if self.days:
            return first - dt.timedelta(days=self.days), last
        return shift_months(first, -self.months), last


WINDOWS: tuple[Window, ...] = (
    Window("4w", "last 4 weeks", "the 4 weeks before", days=28),
    Window("3m", "last 3 months", "the 3 months before", months=3),
    Window("12m", "last 12 months", "the 12 months before", months=12),
    Window("all", "all time", ""),
)


def window_named(key: str) -> Window:
    for window in WINDOWS:
        if window.key == key:
            return window
    raise InputError(f"unknown window '{key}'; use one of: {', '.join(w.key for w in WINDOWS)}")


def previous_range(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The days just before `date_from`, as many as from `date_from` to `date_to`."""
    length = (date_to - date_from).days + 1
    return date_from - dt.timedelta(days=length), date_from - dt.timedelta(days=1)


def days_before_label(date_from: dt.date, date_to: dt.date) -> str:
    length = (date_to - date_from).days + 1
    return "the day before" if length == 1 else f"the {length} days before"


# -- barrier mix and co-occurrence ---------------------------------------------------------


@dataclass(frozen=True)
class MixShare:
    barrier: Barrier
    count: int
    share: float  # of all barrier tags in the window, 0-1


def barrier_mix(totals: PeriodCounts) -> list[MixShare]:
    """Each barrier's share of the tags in the window, in the barriers' usual order."""
    tagged = sum(totals.barriers.values())
    return [
        MixShare(b, totals.barriers[b.value], totals.barriers[b.value] / tagged if tagged else 0.0)
        for b in Barrier
    ]


@dataclass(frozen=True)
class Pair:
    first: Barrier
    second: Barrier
    together: int  # entries carrying both


def barrier_pairs(counts: Mapping[tuple[str, str], int]) -> list[Pair]:
    """Pairs of barriers that appeared on the same entry, most often first. Keys may come
    in either order; they are put in the barriers' usual order."""
    order = {key: i for i, key in enumerate(BARRIER_KEYS)}
    merged: dict[tuple[str, str], int] = {}
    for (a, b), n in counts.items():
        if a == b or n <= 0:
            continue
        key = (a, b) if order[a] < order[b] else (b, a)
        merged[key] = merged.get(key, 0) + n
    pairs = [Pair(Barrier(a), Barrier(b), n) for (a, b), n in merged.items()]
    pairs.sort(key=lambda p: (-p.together, order[p.first.value], order[p.second.value]))
    return pairs


# -- closeness: the lagged correlation -----------------------------------------------------


@dataclass(frozen=True)
class Correlation:
    r: float | None  # None when one side never varies
    n: int  # pairs of weeks used

    @property
    def words(self) -> str:
        if self.r is None:
            return "one of the two stayed the same every week, so there is nothing to compare"
        if self.r >= 0.5:
            return "they tend to rise and fall together"
        if self.r >= 0.2:
            return "they rise and fall together a little"
        if self.r > -0.2:
            return "no clear pattern between them"
        if self.r > -0.5:
            return "they move a little in opposite directions"
        return "they tend to move in opposite directions"


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2 or n != len(ys):
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def lagged_correlation(weeks: Sequence[PeriodCounts]) -> Correlation | None:
    """A week's emotional closeness against the next week's physical intimacy.

    Only weeks where the first has an emotional rating and the week after a physical one
    count; with fewer than MIN_CORRELATION_WEEKS such pairs, None.
    """
    by_start = {w.start: w for w in weeks}
    xs: list[float] = []
    ys: list[float] = []
    for start, week in sorted(by_start.items()):
        after = by_start.get(start + dt.timedelta(days=7))
        if after is None or week.emotional_n == 0 or after.physical_n == 0:
            continue
        xs.append(week.emotional_sum / week.emotional_n)
        ys.append(after.physical_sum / after.physical_n)
    if len(xs) < MIN_CORRELATION_WEEKS:
        return None
    r = pearson(xs, ys)
    return Correlation(None if r is None else round(r, 2), len(xs))


# -- what changed --------------------------------------------------------------------------


def _entries(n: int) -> str:
    return "1 entry" if n == 1 else f"{n} entries"


def _barrier_phrase(barrier: Barrier) -> str:
    name = barrier.display_name
    return name[0].lower() + name[1:]


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


# Counts this close (the difference at most this share of the larger) read as "about as
# often": 201 against 199 is not a change worth a sentence of its own.
ABOUT_THE_SAME = 0.1


def about_the_same(now: int, then: int) -> bool:
    """Whether two counts are near enough to call them the same."""
    return abs(now - then) <= ABOUT_THE_SAME * max(now, then)


def journal_began_line(first_day: dt.date, before: str) -> str:
    """Said instead of a comparison when the journal began inside the window."""
    return (
        f"Your journal began on {first_day.day} {first_day:%B %Y}, so there is nothing "
        f"from {before} to compare with."
    )


def what_changed(
    current: PeriodCounts,
    previous: PeriodCounts,
    before: str,
    *,
    began: dt.date | None = None,
) -> list[str]:
    """Plain sentences comparing a window with the one before it ("the 3 months before").

    Barriers with the biggest difference come first; ones that did not change are left
    out, and counts within ABOUT_THE_SAME of each other read as "about as often". Nothing
    is said when neither window has entries. `began`: the journal's first day, when it
    falls inside the window; then nothing before it could have been written, and one line
    says so instead of comparing with an empty window.
    """
    if current.entries == 0 and previous.entries == 0:
        return []
    if began is not None and previous.entries == 0:
        return [journal_began_line(began, before)]
    lines: list[str] = []
    changes = []
    for barrier in Barrier:
        now, then = current.barriers[barrier.value], previous.barriers[barrier.value]
        if now == then:
            continue
        if then == 0:
            text = f"{_barrier_phrase(barrier)} came up in {_entries(now)}, and not in {before}."
        elif now == 0:
            text = f"{_barrier_phrase(barrier)} did not come up ({_entries(then)} in {before})."
        else:
            if about_the_same(now, then):
                how = "about as often as"
            else:
                how = "more often than" if now > then else "less often than"
            text = (
                f"{_barrier_phrase(barrier)} came up {how} in {before}: {now} vs {_entries(then)}."
            )
        changes.append((abs(now - then), _sentence(text)))
    changes.sort(key=lambda change: -change[0])
    lines.extend(text for _, text in changes)
    for name, now_avg, then_avg in (
        ("emotional closeness", current.emotional_avg, previous.emotional_avg),
        ("physical intimacy", current.physical_avg, previous.physical_avg),
    ):
        if now_avg is None or then_avg is None or abs(now_avg - then_avg) < 0.05:
            continue
        now_text, then_text = average_text(now_avg), average_text(then_avg)
        if now_text == then_text:
            continue  # "higher: 2.2 vs 2.2" would say nothing
        how = "higher" if now_avg > then_avg else "lower"
        lines.append(_sentence(f"{name} was rated {how} on average: {now_text} vs {then_text}."))
    # How much was written comes last, and plainly: writing less is never a failing.
    now_n, then_n = current.entries, previous.entries
    if now_n == then_n:
        lines.append(f"You wrote as often as in {before}: {_entries(now_n)} each.")
    elif about_the_same(now_n, then_n):
        lines.append(f"You wrote about as often as in {before}: {now_n} vs {_entries(then_n)}.")
    else:
        lines.append(_sentence(f"{_entries(now_n)}, and {then_n or 'none'} in {before}."))
    return lines


# -- calendar and on this day --------------------------------------------------------------


def calendar_range(today: dt.date, weeks: int = 53) -> tuple[dt.date, dt.date]:
    """The first day of the week `weeks - 1` weeks before this one, and today."""
    return period_start(today, "week") - dt.timedelta(weeks=weeks - 1), today


def days_written_line(days: int, where: str) -> str:
    """'Written on 14 days this month', gently; never a streak."""
    if days == 0:
        return f"Nothing written {where} yet."
    return f"Written on {'1 day' if days == 1 else f'{days} days'} {where}."


def how_long_ago(day: dt.date, today: dt.date) -> str:
    """'a month ago', '3 months ago', 'a year ago', '2 years and 1 month ago'."""
    months = (today.year - day.year) * 12 + today.month - day.month
    years, rest = divmod(months, 12)

    def unit(n: int, word: str) -> str:
        return f"a {word}" if n == 1 else f"{n} {word}s"

    if months <= 0:
        return "earlier this month"
    if years == 0:
        return unit(rest, "month") + " ago"
    if rest == 0:
        return unit(years, "year") + " ago"
    return f"{unit(years, 'year')} and {unit(rest, 'month')} ago"


# -- sparklines ----------------------------------------------------------------------------


def sparkline(values: Sequence[float | None], top: float | None = None) -> str:
    """One block per value, scaled to `top` (default: the largest); None is a space."""
    known = [v for v in values if v is not None]
    peak = top if top is not None else max(known, default=0)
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        elif peak <= 0 or value <= 0:
            out.append(SPARK_BLOCKS[0])
        else:
            level = min(len(SPARK_BLOCKS) - 1, round(value / peak * (len(SPARK_BLOCKS) - 1)))
            out.append(SPARK_BLOCKS[level])
    return "".join(out)
