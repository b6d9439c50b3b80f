"""Journal days and timestamps: the one place dates are parsed and printed.

A journal day is a local calendar date. Timestamps are stored in UTC and shown
with the local offset.
"""

from __future__ import annotations

import datetime as dt
import re

from reconnect_journal.core.errors import InputError

ACCEPTED_DATES = (
    "a date like 2026-03-01, 'today', 'yesterday', 'N days ago', "
    "a weekday like 'monday' or 'last friday', or '1 march' / 'march 1 2026'"
)

# The first day an entry can belong to, and a filter can name.
EARLIEST_DAY = dt.date(1900, 1, 1)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_AGO = re.compile(r"^(\d+|a|an|one)\s+(day|week|month|year)s?\s+ago$")
# 2026/03/01, 2026.3.1, 2026-3-1; and 2026-02-30 (refused by fromisoformat), so that it is
# called "not a real date" like '29 february 2025', not "not a date I understand".
_SLASHED = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?(?:\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")


def local_today() -> dt.date:
    return dt.date.today()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _month(name: str) -> int | None:
    name = name.lower()
    if len(name) < 3:
        return None
    for number, full in enumerate(_MONTHS, start=1):
        if full.startswith(name):
            return number
    return None


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month0 = divmod(index, 12)
    if year < dt.MINYEAR:
        raise OverflowError("before year 1")
    # Clamp to the month's last day (31 March minus a month is 28/29 February).
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month0 + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputError(f"'{text}' is not a real date; use {ACCEPTED_DATES}") from None


def parse_day(
    text: str, today: dt.date | None = None, *, on_or_after: dt.date | None = None
) -> dt.date:
    """Parse a journal day as typed by a person. Raises InputError with the accepted forms.

    A day and month without a year is the most recent such day, never one in the future;
    with `on_or_after` (the last day of a range, see parse_range_end), the first such day
    on or after it. Days before EARLIEST_DAY are refused: such a day is a slip of the keys,
    and as a filter it would have `stats` list every month since."""
    day = _parse_day(text, today or local_today(), on_or_after)
    if day < EARLIEST_DAY:
        raise InputError(_too_early(text, day))
    return day


def _too_early(text: str, day: dt.date | None = None) -> str:
    shown = f"'{text}'" if day is None or text.strip() == day.isoformat() else f"'{text}' ({day})"
    return f"{shown} is before {EARLIEST_DAY}; journal days go from {EARLIEST_DAY} on"


def parse_range_end(text: str, start: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The last day of a range (`--to`, `to:`) as typed. Without a year, the first such day
    on or after the range's `start` (this year's without one), so that
    `--from "1 december" --to "31 december"` is one December whatever the day today."""
    today = today or local_today()
    return parse_day(text, today, on_or_after=start or dt.date(today.year, 1, 1))


def _without_year(
    month: int, day: int, raw: str, today: dt.date, on_or_after: dt.date | None
) -> dt.date:
    # Nine years always hold a 29 February (1896 to 1904 is the longest wait).
    if on_or_after is None:  # the most recent, never in the future
        years = range(today.year, today.year - 9, -1)
    else:  # the first on or after the range's start
        years = range(on_or_after.year, on_or_after.year + 9)
    for year in years:
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # 29 February in a common year, 31 April, a year out of range
            continue
        if candidate <= today if on_or_after is None else candidate >= on_or_after:
            return candidate
    raise InputError(f"'{raw}' is not a real date; use {ACCEPTED_DATES}")


def _parse_day(text: str, today: dt.date, on_or_after: dt.date | None = None) -> dt.date:
    raw = text
    text = " ".join(text.strip().lower().split())
    if not text:
        raise InputError(f"the date is empty; use {ACCEPTED_DATES}")
    if text == "today":
        return today
    if text == "yesterday":
        return today - dt.timedelta(days=1)
    if text == "tomorrow":
        return today + dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if m := _SLASHED.match(text):
        return _make_date(int(m[1]), int(m[3]), int(m[4]), raw)
    if m := _AGO.match(text):
        count = 1 if m[1] in ("a", "an", "one") else int(m[1])
        unit = m[2]
        try:
            if unit == "day":
                return today - dt.timedelta(days=count)
            if unit == "week":
                return today - dt.timedelta(weeks=count)
            return _shift_months(today, count * (12 if unit == "year" else 1))
        except (OverflowError, ValueError):  # before the calendar's year 1
            raise InputError(_too_early(raw)) from None
    words = text.split()
    if words[0] == "last" and len(words) == 2 and words[1] == "week":
        return today - dt.timedelta(weeks=1)
    weekday = words[-1] if len(words) <= 2 and words[0] in ("last", words[-1]) else None
    if weekday in _WEEKDAYS:
        # The most recent such day before today: "monday" on a Monday means a week ago.
        back = (today.weekday() - _WEEKDAYS.index(weekday)) % 7 or 7
        return today - dt.timedelta(days=back)
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        if (m := pattern.match(text)) and (month := _month(m[month_group])):
            day = int(m[day_group])
            if m[3]:
                return _make_date(int(m[3]), month, day, raw)
            return _without_year(month, day, raw, today, on_or_after)
    raise InputError(f"'{raw}' is not a date I understand; use {ACCEPTED_DATES}")


def parse_journal_day(text: str, today: dt.date | None = None) -> dt.date:
    """A day an entry can belong to: today or earlier."""
    today = today or local_today()
    day = parse_day(text, today)
    if day > today:
        raise InputError(
            f"{day.isoformat()} is in the future; an entry belongs to today or an earlier day"
        )
    return day


def to_local(moment: dt.datetime) -> dt.datetime:
    """A stored UTC timestamp (naive or aware) in the local time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone()


def format_timestamp(moment: dt.datetime) -> str:
    """ISO 8601 with the local offset, e.g. 2026-03-01T21:40:00+01:00."""
    return to_local(moment).isoformat(timespec="seconds")
