"""Trends: periods, every figure, the `stats` command and its JSON, and the day summary
that the triggers keep in step (checked against a brute-force count)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reconnect_journal.cli import app
from reconnect_journal.core.barriers import BARRIER_KEYS, Barrier
from reconnect_journal.core.dates import to_local
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.errors import InputError
from reconnect_journal.core.model import BarrierTag, EntryChanges, EntryQuery, NewEntry
from reconnect_journal.core.trend_service import TrendsService
from reconnect_journal.core.trends import (
    CORRELATION_CAUTION,
    WINDOWS,
    PeriodCounts,
    add_counts,
    average_text,
    barrier_mix,
    barrier_pairs,
    calendar_range,
    days_in_window,
    days_written_line,
    fill_periods,
    how_long_ago,
    is_part_period,
    lagged_correlation,
    next_period,
    parse_bucket,
    period_start,
    period_starts,
    report_to_json,
    round_half_up,
    set_week_start,
    shift_months,
    sparkline,
    what_changed,
    window_named,
    window_period_label,
)
from reconnect_journal.store.engine import open_store

from .conftest import FIXED_NOW, FIXED_TODAY

runner = CliRunner()
D = dt.date


def stats_json(db: Path, *args: str) -> dict[str, object]:
    result = runner.invoke(app, ["--db", str(db), "stats", "--json", *args])
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def add(
    service: JournalService,
    day: dt.date,
    barriers: dict[Barrier, int] | None = None,
    e: int | None = None,
    p: int | None = None,
) -> int:
    tags = [BarrierTag(b, i) for b, i in (barriers or {}).items()]
    entry = service.add(
        NewEntry(body="words", date=day, barriers=tags, emotional_closeness=e, physical_intimacy=p)
    )
    return entry.id


def trends(service: JournalService) -> TrendsService:
    return TrendsService(service.store, service.today)


# -- periods -------------------------------------------------------------------------------


def test_weeks_start_on_monday_and_months_on_the_first() -> None:
    sunday = D(2026, 3, 15)
    assert period_start(sunday, "week") == D(2026, 3, 9)
    assert period_start(D(2026, 3, 9), "week") == D(2026, 3, 9)
    assert period_start(sunday, "month") == D(2026, 3, 1)
    assert period_start(sunday, "day") == sunday
    assert next_period(D(2026, 12, 1), "month") == D(2027, 1, 1)
    assert next_period(D(2026, 3, 9), "week") == D(2026, 3, 16)
    assert period_starts(D(2025, 12, 31), D(2026, 2, 1), "month") == [
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]


def test_a_period_the_window_cuts_short_is_a_part_period() -> None:
    # Sun 1 Nov 2026: a Monday week week of 26 Oct holds it and six days before it.
    week = D(2026, 10, 26)
    assert days_in_window(week, "week", D(2026, 11, 1), None) == (D(2026, 11, 1), D(2026, 11, 1))
    assert is_part_period(week, "week", D(2026, 11, 1), None)
    assert window_period_label(week, "week", D(2026, 11, 1), None) == "week of 26 Oct 2026 (part)"
    assert not is_part_period(week, "week", D(2026, 10, 26), D(2026, 11, 1))
    assert not is_part_period(week, "week", None, None)
    assert window_period_label(week, "week", D(2026, 10, 26), None) == "week of 26 Oct 2026"
    # Cut at the end too, when the window has an end.
    assert is_part_period(week, "week", None, D(2026, 10, 31))
    assert days_in_window(week, "week", None, D(2026, 10, 31)) == (week, D(2026, 10, 31))
    assert is_part_period(D(2026, 9, 1), "month", D(2026, 9, 4), None)
    assert window_period_label(D(2026, 9, 1), "month", D(2026, 9, 4), None) == "Sep 2026 (part)"
    assert not is_part_period(D(2026, 9, 4), "day", D(2026, 9, 4), D(2026, 9, 4))
    # Sunday weeks: week of 1 Nov 2026 is whole from the 1st.
    set_week_start("sunday")
    assert not is_part_period(D(2026, 11, 1), "week", D(2026, 11, 1), None)
    assert is_part_period(D(2026, 11, 1), "week", D(2026, 11, 2), None)


def test_stats_marks_the_periods_its_days_cut_short(small_journal: JournalService) -> None:
    small_journal.close()
    db = str(small_journal.store.path)
    result = runner.invoke(
        app, ["--db", db, "stats", "--by", "week", "--from", "2026-01-06", "--to", "2026-03-02"]
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("week of 5 Jan 2026 (part)" in line and " 2 " in line for line in lines)
    assert any("week of 2 Mar 2026 (part)" in line for line in lines)
    assert any("week of 12 Jan 2026" in line and "(part)" not in line for line in lines)
    assert "(part): the window holds only some of this week's days." in lines
    whole = runner.invoke(
        app, ["--db", db, "stats", "--by", "week", "--from", "2026-01-05", "--to", "2026-03-08"]
    )
    assert "(part)" not in whole.stdout and "week of 5 Jan 2026" in whole.stdout


def test_shift_months_clamps_to_the_months_last_day() -> None:
    assert shift_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert shift_months(D(2026, 1, 15), -3) == D(2025, 10, 15)
    assert shift_months(D(2024, 2, 29), 12) == D(2025, 2, 28)


def test_parse_bucket() -> None:
    assert parse_bucket(" Week ") == "week"
    with pytest.raises(InputError, match="use day, week or month"):
        parse_bucket("year")


def test_empty_periods_between_the_first_and_last_are_zero() -> None:
    rows = [PeriodCounts(D(2026, 1, 1), entries=2), PeriodCounts(D(2026, 4, 1), entries=1)]
    filled = fill_periods(rows, "month")
    assert [p.start for p in filled] == [D(2026, m, 1) for m in (1, 2, 3, 4)]
    assert [p.entries for p in filled] == [2, 0, 0, 1]
    assert filled[1].barriers == dict.fromkeys(BARRIER_KEYS, 0)
    assert filled[1].emotional_avg is None
    assert fill_periods([], "month") == []
    # With a window, it is filled from end to end.
    assert len(fill_periods(rows, "month", D(2025, 11, 3), D(2026, 5, 2))) == 7


def test_windows_and_the_window_before() -> None:
    today = D(2026, 3, 14)
    four = window_named("4w")
    assert four.bounds(today) == (D(2026, 2, 15), today)
    assert four.previous(today) == (D(2026, 1, 18), D(2026, 2, 14))
    three = window_named("3m")
    assert three.bounds(today) == (D(2025, 12, 15), today)
    assert three.previous(today) == (D(2025, 9, 15), D(2025, 12, 14))
    everything = window_named("all")
    assert everything.bounds(today) == (None, today)
    assert everything.previous(today) is None
    assert [w.key for w in WINDOWS] == ["4w", "3m", "12m", "all"]


# -- figures from a journal ----------------------------------------------------------------


@pytest.fixture
def small_journal(service: JournalService) -> JournalService:
    add(service, D(2026, 1, 5), {Barrier.SHAME: 2, Barrier.GRIEF: 1}, e=4, p=2)
    add(service, D(2026, 1, 6), {Barrier.SHAME: 3}, e=2)
    add(service, D(2026, 1, 6), {Barrier.GRIEF: 3, Barrier.SHAME: 1})
    add(service, D(2026, 3, 2), {Barrier.RESENTMENT: 1}, p=5)
    gone = add(service, D(2026, 3, 3), {Barrier.TRUST: 3}, e=1, p=1)
    service.delete(gone)  # in the trash: never counts
    return service


def test_report_counts_every_figure(small_journal: JournalService) -> None:
    report = trends(small_journal).report("month")
    assert [p.start for p in report.periods] == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    jan, feb, mar = report.periods
    assert (jan.entries, jan.days_written) == (3, 2)
    assert jan.barriers == {"shame": 3, "resentment": 0, "trust": 0, "unseen": 0, "grief": 2}
    assert jan.mean_intensity("shame") == 2.0  # (2 + 3 + 1) / 3
    assert jan.mean_intensity("grief") == 2.0
    assert jan.emotional_avg == 3.0 and jan.physical_avg == 2.0
    assert feb.entries == 0 and feb.emotional_avg is None
    assert mar.barriers["trust"] == 0 and mar.entries == 1 and mar.physical_avg == 5.0
    assert report.totals.entries == 4
    assert report.totals.barriers["shame"] == 3


def test_weekly_and_daily_periods(small_journal: JournalService) -> None:
    weeks = trends(small_journal).report("week", D(2026, 1, 1), D(2026, 1, 31)).periods
    assert [(p.start, p.entries) for p in weeks] == [(D(2026, 1, 5), 3)]
    days = trends(small_journal).report("day", D(2026, 1, 1), D(2026, 1, 31)).periods
    assert [(p.start, p.entries) for p in days] == [(D(2026, 1, 5), 1), (D(2026, 1, 6), 2)]


def test_weeks_can_start_on_sunday_in_sql_and_in_python_alike(
    small_journal: JournalService, private_home: Path
) -> None:
    config_file = private_home / "config" / "reconnect-journal" / "config.toml"
    add(small_journal, D(2026, 1, 4), {Barrier.UNSEEN: 1})  # a Sunday
    set_week_start("sunday")
    assert period_start(D(2026, 1, 6), "week") == D(2026, 1, 4)  # Tuesday's week: Sunday
    assert period_start(D(2026, 1, 10), "week") == D(2026, 1, 4)  # Saturday ends it
    assert calendar_range(D(2026, 1, 7), weeks=1) == (D(2026, 1, 4), D(2026, 1, 7))
    weeks = trends(small_journal).report("week", D(2026, 1, 1), D(2026, 1, 31)).periods
    assert [(p.start, p.entries) for p in weeks] == [(D(2026, 1, 4), 4)]
    set_week_start("monday")  # the same entries, Monday weeks: Sunday the 4th goes before
    weeks = trends(small_journal).report("week", D(2026, 1, 1), D(2026, 1, 31)).periods
    assert [(p.start, p.entries) for p in weeks] == [(D(2025, 12, 29), 1), (D(2026, 1, 5), 3)]
    # `stats --by week` follows the settings file.
    small_journal.close()
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text('week_start = "sunday"\n', encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["--db", str(small_journal.store.path), "stats", "--by", "week", "--json",
         "--from", "2026-01-01", "--to", "2026-01-31"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert [p["start"] for p in json.loads(result.stdout)["periods"]] == ["2026-01-04"]


def test_trash_edits_and_purge_keep_the_counts_right(small_journal: JournalService) -> None:
    service = small_journal
    (trashed,) = service.trash()
    service.undelete(trashed.id)
    assert trends(service).report("month").totals.barriers["trust"] == 1
    service.edit(trashed.id, EntryChanges(date=D(2026, 1, 7), emotional_closeness=5))
    jan = trends(service).report("month").periods[0]
    assert jan.entries == 4 and jan.barriers["trust"] == 1 and jan.emotional_avg == 11 / 3
    service.edit(trashed.id, EntryChanges(barriers=[BarrierTag(Barrier.UNSEEN, 2)]))
    jan = trends(service).report("month").periods[0]
    assert jan.barriers["trust"] == 0 and jan.barriers["unseen"] == 1
    service.delete(trashed.id)
    service.purge(trashed.id)
    assert trends(service).report("month").totals.entries == 4


def test_averages_round_halves_up() -> None:
    assert average_text((1 + 2 + 4 + 2) / 4) == "2.3"  # 2.25; Python's round() gives 2.2
    assert average_text(7 / 20) == "0.4"  # 0.35 is a float just below it
    assert average_text(2.249) == "2.2" and average_text(3.95) == "4.0"
    assert average_text(3) == "3.0" and average_text(None) == "–"
    assert round_half_up(17 / 8, 2) == 2.13  # 2.125
    assert round_half_up(337 / 150, 2) == 2.25 and average_text(337 / 150) == "2.2"
    assert round_half_up(2.5, 0) == 3.0 and round_half_up(3.5, 0) == 4.0


def test_every_average_shown_rounds_halves_up(service: JournalService) -> None:
    # Physical intimacy 1, 2, 4, 2 in the week of 2 March: 2.25, shown as 2.3.
    for day, p in zip(range(2, 6), (1, 2, 4, 2), strict=True):
        add(service, D(2026, 3, day), e=3, p=p)
    add(service, D(2026, 2, 23), e=3, p=1)  # the week before, for "what changed"
    week = trends(service).report("week", D(2026, 3, 2), D(2026, 3, 8)).periods[0]
    assert week.physical_avg == 2.25
    changed = what_changed(week, trends(service).totals(D(2026, 2, 23), D(2026, 3, 1)), "before")
    assert "Physical intimacy was rated higher on average: 2.3 vs 1.0." in changed

    from reconnect_journal.io.summary import write_summary

    summary = io.StringIO()
    first, last = D(2026, 3, 2), D(2026, 3, 8)
    in_window = service.list(EntryQuery(date_from=first, date_to=last, limit=None))
    write_summary(in_window, summary, date_from=first, date_to=last)
    assert "| 2026-03-02 to 2026-03-08 | 4 | 3.0 | 2.3 |" in summary.getvalue()
    service.close()
    db = service.store.path
    text = runner.invoke(app, ["--db", str(db), "stats", "--by", "week", "--from", "2026-03-02"])
    assert text.exit_code == 0, text.stderr
    [row] = [line for line in text.stdout.splitlines() if "week of 2 Mar 2026" in line]
    assert row.split("│")[-2].strip() == "2.3"
    assert "average 2.3 of 5" in text.stdout
    data = stats_json(db, "--by", "week", "--from", "2026-03-02")
    assert data["periods"][0]["physical_intimacy_avg"] == 2.25  # type: ignore[index]


def test_json_has_exactly_the_documented_shape(small_journal: JournalService) -> None:
    small_journal.close()
    data = stats_json(small_journal.store.path)
    assert list(data) == ["by", "from", "to", "periods", "totals"]
    assert data["by"] == "month" and data["from"] is None and data["to"] is None
    periods = data["periods"]
    assert isinstance(periods, list)
    assert periods[1] == {
        "start": "2026-02-01",
        "entries": 0,
        "barriers": dict.fromkeys(BARRIER_KEYS, 0),
        "emotional_closeness_avg": None,
        "physical_intimacy_avg": None,
    }
    assert periods[0]["emotional_closeness_avg"] == 3.0
    assert list(periods[0]["barriers"]) == list(BARRIER_KEYS)
    assert data["totals"] == {
        "entries": 4,
        "barriers": {"shame": 3, "resentment": 1, "trust": 0, "unseen": 0, "grief": 2},
    }


def test_json_with_a_range_and_by_week(small_journal: JournalService) -> None:
    small_journal.close()
    data = stats_json(
        small_journal.store.path, "--from", "2026-01-06", "--to", "2026-03-01", "--by", "week"
    )
    assert data["from"] == "2026-01-06" and data["to"] == "2026-03-01"
    periods = data["periods"]
    assert isinstance(periods, list)
    assert [p["start"] for p in periods] == ["2026-01-05"]
    assert periods[0]["entries"] == 2  # the 5th is before --from


def test_empty_journal_is_calm(journal_path: Path) -> None:
    data = stats_json(journal_path)
    assert data["periods"] == []
    assert data["totals"] == {"entries": 0, "barriers": dict.fromkeys(BARRIER_KEYS, 0)}
    result = runner.invoke(app, ["--db", str(journal_path), "stats"])
    assert result.exit_code == 0
    assert "Nothing written in these days yet" in result.stdout


def test_journal_without_ratings(service: JournalService) -> None:
    for day in (D(2026, 1, 5), D(2026, 1, 20), D(2026, 2, 2)):
        add(service, day, {Barrier.UNSEEN: 1})
    report = trends(service).report("month")
    assert all(p.emotional_avg is None and p.physical_avg is None for p in report.periods)
    assert lagged_correlation(trends(service).weeks(None, None)) is None
    as_json = report_to_json(report)
    assert as_json["periods"][0]["emotional_closeness_avg"] is None
    service.close()
    result = runner.invoke(app, ["--db", str(service.store.path), "stats"])
    assert result.exit_code == 0
    assert "at least 8" in result.stdout


def test_text_output_has_tables_and_sparklines(small_journal: JournalService) -> None:
    small_journal.close()
    result = runner.invoke(
        app, ["--db", str(small_journal.store.path), "stats", "--from", "2026-01-01"]
    )
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Trends by month" in out
    assert "Jan 2026" in out and "Feb 2026" in out  # the empty month is listed
    everything = runner.invoke(app, ["--db", str(small_journal.store.path), "stats"]).stdout
    # The span ends with the last period's last day, not its first.
    assert "Trends by month, all time (2026-01-01 to 2026-03-31)" in everything
    assert any(block in out for block in "▁▂▃▄▅▆▇█")
    assert "Barrier mix" in out and "What changed" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "year"], "cannot group by 'year'; use day, week or month"),
        (["--from", "someday"], "is not a date I understand"),
        (["--from", "2026-03-01", "--to", "2026-02-01"], "is after --to"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    journal_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["--db", str(journal_path), "stats", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not journal_path.exists()  # nothing was opened or created


@pytest.fixture
def auckland() -> Iterator[None]:
    mp = pytest.MonkeyPatch()
    mp.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    yield
    mp.undo()
    time.tzset()


def test_an_entry_at_half_past_midnight_belongs_to_that_local_day(
    journal_path: Path, auckland: None
) -> None:
    # 11:30 UTC on 13 March is 00:30 on 14 March in Auckland (UTC+13).
    moment = dt.datetime(2026, 3, 13, 11, 30, tzinfo=dt.UTC)
    local_day = to_local(moment).date()
    assert local_day == D(2026, 3, 14)
    service = JournalService.open(journal_path, clock=lambda: moment, today=lambda: local_day)
    try:
        service.add(NewEntry(body="Late words", emotional_closeness=4))
        days = trends(service).report("day").periods
        weeks = trends(service).report("week").periods
    finally:
        service.close()
    assert [(p.start, p.entries) for p in days] == [(D(2026, 3, 14), 1)]
    assert weeks[0].start == D(2026, 3, 9)  # Saturday the 14th is in the week of Monday 9th


# -- mix, pairs, correlation, what changed --------------------------------------------------


def test_barrier_mix_and_pairs(small_journal: JournalService) -> None:
    svc = trends(small_journal)
    totals = svc.report("month").totals
    mix = {m.barrier: (m.count, round(m.share, 3)) for m in barrier_mix(totals)}
    assert mix[Barrier.SHAME] == (3, 0.5)
    assert mix[Barrier.GRIEF] == (2, 0.333)
    assert mix[Barrier.TRUST] == (0, 0.0)
    pairs = svc.pairs(None, None)
    assert [(p.first, p.second, p.together) for p in pairs] == [(Barrier.SHAME, Barrier.GRIEF, 2)]
    assert barrier_mix(PeriodCounts(D(2026, 1, 1)))[0].share == 0.0


def test_pairs_are_ordered_and_merged() -> None:
    pairs = barrier_pairs({("unseen", "shame"): 2, ("grief", "resentment"): 5, ("a", "a"): 9})
    assert [(p.first.value, p.second.value, p.together) for p in pairs] == [
        ("resentment", "grief", 5),
        ("shame", "unseen", 2),
    ]


def _week(start: dt.date, e: int | None, p: int | None) -> PeriodCounts:
    return PeriodCounts(
        start,
        entries=1,
        emotional_sum=e or 0,
        emotional_n=int(e is not None),
        physical_sum=p or 0,
        physical_n=int(p is not None),
    )


def test_lagged_correlation_needs_eight_pairs_of_weeks() -> None:
    monday = D(2026, 1, 5)
    # Emotional closeness in week i is i; physical intimacy in week i+1 is 2*i: r = 1.
    weeks = [
        _week(monday + dt.timedelta(weeks=i), i % 5 + 1, 2 * ((i - 1) % 5 + 1)) for i in range(9)
    ]
    result = lagged_correlation(weeks)
    assert result is not None and result.n == 8 and result.r == 1.0
    assert "together" in result.words
    assert lagged_correlation(weeks[:8]) is None  # only 7 pairs
    # A gap week breaks the pair: no "next week" to compare with.
    gap = weeks[:4] + weeks[5:]
    assert lagged_correlation(gap) is None
    flat = [_week(monday + dt.timedelta(weeks=i), 3, 3) for i in range(12)]
    still = lagged_correlation(flat)
    assert still is not None and still.r is None and still.n == 11
    assert "not a verdict" in CORRELATION_CAUTION


def test_lagged_correlation_against_a_hand_worked_value() -> None:
    monday = D(2026, 1, 5)
    e = [1, 2, 3, 4, 5, 1, 2, 3, 4]
    p = [None, 2, 1, 4, 3, 5, 2, 1, 5]  # p[i+1] follows e[i]
    weeks = [_week(monday + dt.timedelta(weeks=i), e[i], p[i]) for i in range(9)]
    result = lagged_correlation(weeks)
    xs, ys = e[:8], p[1:]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n  # type: ignore[arg-type]
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))  # type: ignore[operator]
    sx = sum((x - mx) ** 2 for x in xs) ** 0.5
    sy = sum((y - my) ** 2 for y in ys) ** 0.5  # type: ignore[operator]
    assert result is not None and result.n == 8
    assert result.r == round(cov / (sx * sy), 2)


def test_what_changed_in_words() -> None:
    now = PeriodCounts(
        D(2026, 1, 1),
        entries=10,
        emotional_sum=35,
        emotional_n=10,
        barriers={"shame": 2, "resentment": 4, "trust": 0, "unseen": 3, "grief": 1},
    )
    then = PeriodCounts(
        D(2025, 10, 1),
        entries=12,
        emotional_sum=30,
        emotional_n=10,
        barriers={"shame": 2, "resentment": 11, "trust": 2, "unseen": 0, "grief": 1},
    )
    lines = what_changed(now, then, "the 3 months before")
    # How much was written comes last, plainly (never "fewer"): writing less is no failing.
    assert lines == [
        "Resentment came up less often than in the 3 months before: 4 vs 11 entries.",
        "Feeling unseen or unheard came up in 3 entries, and not in the 3 months before.",
        "Loss of trust did not come up (2 entries in the 3 months before).",
        "Emotional closeness was rated higher on average: 3.5 vs 3.0.",
        "10 entries, and 12 in the 3 months before.",
    ]
    assert what_changed(PeriodCounts(D(2026, 1, 1)), PeriodCounts(D(2025, 1, 1)), "x") == []


def test_near_equal_counts_read_as_about_as_often() -> None:
    now = PeriodCounts(
        D(2026, 1, 1),
        entries=201,
        barriers={"shame": 201, "resentment": 10, "trust": 5, "unseen": 0, "grief": 0},
    )
    then = PeriodCounts(
        D(2025, 10, 1),
        entries=199,
        barriers={"shame": 199, "resentment": 11, "trust": 4, "unseen": 0, "grief": 0},
    )
    assert what_changed(now, then, "the 3 months before") == [
        "Shame came up about as often as in the 3 months before: 201 vs 199 entries.",
        "Resentment came up about as often as in the 3 months before: 10 vs 11 entries.",
        "Loss of trust came up more often than in the 3 months before: 5 vs 4 entries.",
        "You wrote about as often as in the 3 months before: 201 vs 199 entries.",
    ]
    # Small counts still read as a change when one is clearly more.
    few = what_changed(PeriodCounts(D(2026, 1, 1), entries=5), PeriodCounts(D(2025, 1, 1), 4), "x")
    assert few == ["5 entries, and 4 in x."]


def test_what_changed_when_the_journal_began_inside_the_window() -> None:
    now = PeriodCounts(D(2026, 1, 1), entries=10)
    empty = PeriodCounts(D(2025, 10, 1))
    assert what_changed(now, empty, "the 3 months before", began=D(2026, 1, 5)) == [
        "Your journal began on 5 January 2026, so there is nothing from the 3 months before "
        "to compare with."
    ]
    # Without `began` (there were entries before, then a quiet spell) it is compared.
    assert what_changed(now, empty, "the 3 months before") == [
        "10 entries, and none in the 3 months before."
    ]


def test_changes_know_where_the_journal_began(service: JournalService) -> None:
    add(service, D(2026, 2, 2), {Barrier.SHAME: 1})
    add(service, D(2026, 3, 9))
    figures = trends(service)
    assert figures.view(window_named("3m"), "week").changes == [
        "Your journal began on 2 February 2026, so there is nothing from the 3 months before "
        "to compare with."
    ]
    # The 4 weeks before the last 4 weeks hold the first entry: compared as usual.
    four_weeks = figures.view(window_named("4w"), "week").changes
    assert four_weeks[-1] == "You wrote as often as in the 4 weeks before: 1 entry each."
    # `stats --from` compares with as many days before.
    since = D(2026, 2, 1)
    current = figures.totals(since, FIXED_TODAY)
    assert figures.changes(since, FIXED_TODAY, current) == [
        "Your journal began on 2 February 2026, so there is nothing from the 42 days before "
        "to compare with."
    ]
    # With an entry long before, an empty window before is a real quiet spell: compared.
    add(service, D(2025, 1, 10))
    figures = trends(service)
    assert figures.view(window_named("3m"), "week").changes[-1] == (
        "2 entries, and none in the 3 months before."
    )
    assert figures.changes(since, FIXED_TODAY, current)[-1] == (
        "2 entries, and none in the 42 days before."
    )


def test_view_puts_it_all_together(small_journal: JournalService) -> None:
    view = trends(small_journal).view(window_named("3m"), "month")
    assert view.date_from == D(2025, 12, 15) and view.date_to == FIXED_TODAY
    assert [p.start for p in view.report.periods] == [
        D(2025, 12, 1),
        *(D(2026, m, 1) for m in (1, 2, 3)),
    ]
    # The journal began inside the window: nothing to compare with, rather than "4 vs 0".
    assert view.changes == [
        "Your journal began on 5 January 2026, so there is nothing from the 3 months before "
        "to compare with."
    ]
    assert len(view.calendar) == 53 * 7 - (6 - FIXED_TODAY.weekday())
    assert view.calendar[-1].start == FIXED_TODAY
    assert sum(day.entries for day in view.calendar) == 4
    assert view.rated_weeks == 1 and view.correlation is None  # the week of 5 January


def test_on_this_day(service: JournalService) -> None:
    add(service, D(2026, 2, 14))
    add(service, D(2025, 3, 14))
    add(service, D(2026, 2, 13))
    gone = add(service, D(2026, 1, 14))
    service.delete(gone)
    add(service, FIXED_TODAY)  # today itself is not "on this day"
    found = trends(service).view(window_named("4w"), "week").on_this_day
    assert [e.date for e in found] == [D(2026, 2, 14), D(2025, 3, 14)]
    assert how_long_ago(D(2026, 2, 14), FIXED_TODAY) == "a month ago"
    assert how_long_ago(D(2025, 3, 14), FIXED_TODAY) == "a year ago"
    assert how_long_ago(D(2024, 1, 14), FIXED_TODAY) == "2 years and 2 months ago"


def test_gentle_counts_and_sparklines() -> None:
    assert days_written_line(14, "this month") == "Written on 14 days this month."
    assert days_written_line(1, "this month") == "Written on 1 day this month."
    assert days_written_line(0, "this month") == "Nothing written this month yet."
    assert sparkline([0, 1, 2, 4, None]) == "▁▃▅█ "
    assert sparkline([1.0, 5.0], 5.0) == "▂█"
    assert calendar_range(FIXED_TODAY)[0] == D(2025, 3, 10)  # a Monday, 52 weeks back


# -- properties ----------------------------------------------------------------------------

DAYS = st.dates(min_value=D(2024, 1, 1), max_value=FIXED_TODAY)
ENTRY = st.tuples(
    DAYS,
    st.dictionaries(st.sampled_from(list(Barrier)), st.integers(1, 3), max_size=5),
    st.none() | st.integers(1, 5),
    st.none() | st.integers(1, 5),
)
ACTION = st.tuples(
    st.sampled_from(["delete", "move", "rerate", "retag", "purge"]), st.integers(0, 99), DAYS
)


_TEMPLATE: list[Path] = []


def _template(factory: pytest.TempPathFactory) -> Path:
    """One migrated, empty journal to copy: migrating a new file for every example is slow."""
    if not _TEMPLATE:
        path = factory.mktemp("template") / "journal.db"
        open_store(path).close()
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    entries=st.lists(ENTRY, max_size=25),
    actions=st.lists(ACTION, max_size=8),
    by=st.sampled_from(["day", "week", "month"]),
)
def test_periods_add_up_and_match_a_brute_force_count(
    tmp_path_factory: pytest.TempPathFactory,
    entries: list[tuple[dt.date, dict[Barrier, int], int | None, int | None]],
    actions: list[tuple[str, int, dt.date]],
    by: str,
) -> None:
    path = tmp_path_factory.mktemp("prop") / "journal.db"
    shutil.copyfile(_template(tmp_path_factory), path)
    service = JournalService.open(path, clock=lambda: FIXED_NOW, today=lambda: FIXED_TODAY)
    try:
        ids = [add(service, day, tags, e, p) for day, tags, e, p in entries]
        trashed: list[int] = []
        for action, index, day in actions:
            if action == "purge":
                if trashed:
                    service.purge(trashed.pop(index % len(trashed)))
                continue
            if not ids:
                continue
            entry_id = ids[index % len(ids)]
            if action == "delete":
                service.delete(entry_id)
                ids.remove(entry_id)
                trashed.append(entry_id)
            elif action == "move":
                service.edit(entry_id, EntryChanges(date=day))
            elif action == "rerate":
                service.edit(entry_id, EntryChanges(emotional_closeness=day.day % 5 + 1))
            else:
                service.edit(entry_id, EntryChanges(barriers=[BarrierTag(Barrier.TRUST, 2)]))
        live = service.list(EntryQuery(limit=None))
        report = TrendsService(service.store, service.today).report(by)  # type: ignore[arg-type]
    finally:
        service.close()

    # Brute force, in Python, from the entries themselves.
    expected_entries: Counter[dt.date] = Counter()
    expected_tags: dict[dt.date, Counter[str]] = {}
    emotional: dict[dt.date, list[int]] = {}
    for entry in live:
        start = period_start(entry.date, by)  # type: ignore[arg-type]
        expected_entries[start] += 1
        expected_tags.setdefault(start, Counter()).update(t.barrier.value for t in entry.barriers)
        if entry.emotional_closeness is not None:
            emotional.setdefault(start, []).append(entry.emotional_closeness)
    for period in report.periods:
        assert period.entries == expected_entries.get(period.start, 0)
        tags = expected_tags.get(period.start, Counter())
        assert dict(period.barriers) == {key: tags.get(key, 0) for key in BARRIER_KEYS}
        ratings = emotional.get(period.start)
        assert period.emotional_avg == (sum(ratings) / len(ratings) if ratings else None)
    assert {p.start for p in report.periods if p.entries} == set(expected_entries)
    # Per-period counts add up to the totals, and the periods leave no gaps.
    assert report.totals == add_counts(report.totals.start, report.periods)
    assert report.totals.entries == len(live) == sum(p.entries for p in report.periods)
    for key in BARRIER_KEYS:
        assert report.totals.barriers[key] == sum(p.barriers[key] for p in report.periods)
    starts = [p.start for p in report.periods]
    assert all(next_period(a, by) == b for a, b in itertools.pairwise(starts))  # type: ignore[arg-type]


def test_the_summary_is_filled_when_an_older_journal_is_upgraded(journal_path: Path) -> None:
    from reconnect_journal.store.engine import make_engine, open_store, run_migrations

    engine = make_engine(journal_path)
    run_migrations(engine, "0005")
    engine.dispose()
    conn = sqlite3.connect(journal_path)
    with conn:
        conn.execute(
            "INSERT INTO entry (id, uuid, date, created_at, updated_at, body, emotional_closeness,"
            " physical_intimacy, starred, share, version, reframe_shown) VALUES "
            "(1, 'a', '2026-01-05', '2026-01-05 10:00:00', '2026-01-05 10:00:00', 'x', 4, NULL,"
            " 0, 0, 1, 0), "
            "(2, 'b', '2026-01-05', '2026-01-05 11:00:00', '2026-01-05 11:00:00', 'y', 2, 3,"
            " 0, 0, 1, 0)"
        )
        conn.execute(
            "INSERT INTO entry_barrier VALUES (1, 'grief', 3, 'user'), (2, 'grief', 1, 'user')"
        )
    conn.close()
    store = open_store(journal_path)
    try:
        svc = TrendsService(store, lambda: FIXED_TODAY)
        (period,) = svc.report("day").periods
    finally:
        store.close()
    assert (period.entries, period.emotional_avg, period.physical_avg) == (2, 3.0, 3.0)
    assert period.barriers["grief"] == 2 and period.intensity["grief"] == 4
