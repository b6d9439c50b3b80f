"""The therapy summary: one Markdown page for a window of days.

Counts and ratings only, the prompts answered, and the full text of just the entries the
person marked to share. Nothing else from the journal goes in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.errors import InputError
from reconnect_journal.core.model import Entry
from reconnect_journal.core.trends import (
    average_text,
    days_in_window,
    first_weekday,
    is_part_period,
    period_start,
    period_starts,
)
from reconnect_journal.io.export import _prompt_texts, entry_heading
from reconnect_journal.io.markdown_body import encode_body

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

DEFAULT_WEEKS = 4


def default_window(today: dt.date, weeks: int = DEFAULT_WEEKS) -> tuple[dt.date, dt.date]:
    """The last `weeks` weeks, ending today."""
    return today - dt.timedelta(days=7 * weeks - 1), today


# Entries sit under "## Entries marked to share", one level down; their own headings
# move below them (see io/markdown_body.py).
ENTRY_LEVEL = 3


@dataclass
class _Week:
    start: dt.date  # the week's first day (Monday, or Sunday with week_start = "sunday")…
    first: dt.date  # …and its days inside the window
    last: dt.date
    part: bool  # the window cuts it short
    entries: int = 0
    emotional: list[int] = field(default_factory=list)
    physical: list[int] = field(default_factory=list)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _number(value: float | None) -> str:
    return average_text(value)


def trend_words(first: float | None, second: float | None, *, what: str) -> str:
    """How a rating moved between the two halves of the window, in plain words."""
    if first is None or second is None:
        return f"{what}: not enough ratings in both halves of these weeks to compare."
    change = second - first
    if abs(change) < 0.25:
        words = "about the same"
    elif change > 0:
        words = "a little higher" if change < 1 else "higher"
    else:
        words = "a little lower" if change > -1 else "lower"
    return (
        f"{what}: {average_text(first)} in the first half, "
        f"{average_text(second)} in the second: {words}."
    )


def _long(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _weeks(date_from: dt.date, date_to: dt.date) -> list[_Week]:
    """The weeks holding the window, starting on the configured day as in `stats` and
    Trends, each cut to the days inside the window."""
    return [
        _Week(
            start,
            *days_in_window(start, "week", date_from, date_to),
            part=is_part_period(start, "week", date_from, date_to),
        )
        for start in period_starts(date_from, date_to, "week")
    ]


def _week_label(week: _Week) -> str:
    """`2026-03-02 to 2026-03-08`; a week the window cuts short says so."""
    if week.first == week.last:
        days = f"{week.first.isoformat()} only"
    else:
        days = f"{week.first.isoformat()} to {week.last.isoformat()}"
    return f"{days} (part of the week)" if week.part else days


def write_summary(
    entries: Iterable[Entry], out: TextIO, *, date_from: dt.date, date_to: dt.date
) -> int:
    """Write the summary; returns how many entries were in the window."""
    weeks = _weeks(date_from, date_to)
    middle = date_from + (date_to - date_from) / 2
    halves: dict[str, dict[int, list[int]]] = {"e": {0: [], 1: []}, "p": {0: [], 1: []}}
    barrier_counts = dict.fromkeys(Barrier, 0)
    days: set[dt.date] = set()
    prompts: list[tuple[dt.date, str]] = []
    shared: list[Entry] = []
    total = 0
    for entry in entries:
        total += 1
        days.add(entry.date)
        week = weeks[(period_start(entry.date, "week") - weeks[0].start).days // 7]
        week.entries += 1
        half = 0 if entry.date <= middle else 1
        if entry.emotional_closeness is not None:
            week.emotional.append(entry.emotional_closeness)
            halves["e"][half].append(entry.emotional_closeness)
        if entry.physical_intimacy is not None:
            week.physical.append(entry.physical_intimacy)
            halves["p"][half].append(entry.physical_intimacy)
        for tag in entry.barriers:
            barrier_counts[tag.barrier] += 1
        if entry.prompt_id:
            prompts.append((entry.date, entry.prompt_id))
        if entry.share:
            shared.append(entry)

    write = out.write
    write(f"# Reflection summary: {_long(date_from)} to {_long(date_to)}\n\n")
    write(
        "Prepared from a private journal to bring to a conversation, for example with a "
        "therapist or counsellor. It holds counts and ratings for these weeks, the prompts "
        "answered, and only the entries marked to share.\n\n"
    )
    entry_noun = "entry" if total == 1 else "entries"
    day_noun = "day" if len(days) == 1 else "days"
    write(f"{total} {entry_noun} written on {len(days)} {day_noun}.\n\n")

    write("## Barriers\n\nHow many entries touched each barrier.\n\n")
    write("| Barrier | Entries |\n|---|---:|\n")
    for barrier, count in barrier_counts.items():
        write(f"| {barrier.display_name} | {count} |\n")

    week_start = "Sunday" if first_weekday() == 6 else "Monday"
    write(
        "\n## Closeness\n\nAverage ratings from 1 to 5, week by week "
        f"(weeks start on {week_start}).\n\n"
    )
    write("| Week | Entries | Emotional closeness | Physical intimacy |\n|---|---:|---:|---:|\n")
    for week in weeks:
        write(
            f"| {_week_label(week)} | {week.entries} | {_number(_mean(week.emotional))} "
            f"| {_number(_mean(week.physical))} |\n"
        )
    write("\n")
    for key, what in (("e", "Emotional closeness"), ("p", "Physical intimacy")):
        first, second = _mean(halves[key][0]), _mean(halves[key][1])
        write(f"- {trend_words(first, second, what=what)}\n")

    write("\n## Prompts answered\n\n")
    if prompts:
        text_of = _prompt_texts()
        for day, prompt_id in prompts:
            text = " ".join((text_of(prompt_id) or prompt_id).split())
            write(f"- {day.isoformat()}: {text}\n")
    else:
        write("None in these weeks.\n")

    write("\n## Entries marked to share\n")
    if not shared:
        write(
            "\nNone in these weeks. An entry is marked to share with `m` on the Journal "
            "screen, or with `reconnect-journal edit ID --share`.\n"
        )
    for entry in shared:
        lines, _ = encode_body(entry.body, ENTRY_LEVEL)
        heading = "#" * ENTRY_LEVEL + entry_heading(entry).lstrip("#")
        write(f"\n{heading}\n\n" + "\n".join(lines).rstrip("\n") + "\n")
    return total


def summary_written(
    count: int, first: dt.date, last: dt.date, path: Path, *, path_on_own_line: bool = False
) -> str:
    """What the command line and the window say once a summary is written, with the full
    path (as `export` gives it). The window puts the path on a line of its own, rather
    than letting the sentence's wrapping split it after a few characters."""
    noun = "entry" if count == 1 else "entries"
    said = f"Wrote a summary of {count} {noun} ({first} to {last}) to"
    where = path.expanduser().absolute()
    return f"{said}\n{where}" if path_on_own_line else f"{said} {where}."


def run_summary(
    journal: JournalService,
    date_from: dt.date | None,
    date_to: dt.date | None,
    *,
    out: Path | None,
    force: bool,
    stdout: TextIO,
) -> tuple[int, dt.date, dt.date]:
    """Write the summary for a window (default: the last four weeks) to `out` or stdout.
    Returns the number of entries in it and the window."""
    from reconnect_journal.core.model import EntryQuery
    from reconnect_journal.io.files import atomic_text_file, check_target

    first, last = default_window(journal.today())
    if date_to is not None:
        last = date_to
        first = date_from or default_window(date_to)[0]
    elif date_from is not None:
        first = date_from
    if first > last:
        raise InputError(f"--from {first} is after --to {last}; give the earlier day first")
    if out is not None:
        out = out.expanduser().absolute()
        check_target(out, force=force)
    entries = journal.iter_entries(EntryQuery(date_from=first, date_to=last, limit=None))
    if out is None:
        return write_summary(entries, stdout, date_from=first, date_to=last), first, last
    with atomic_text_file(out) as handle:
        count = write_summary(entries, handle, date_from=first, date_to=last)
    return count, first, last
