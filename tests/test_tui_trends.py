"""The Trends screen (key 3): loads in a worker, changes window and bucket, opens the
entries behind a bar or a day, and is kind when there is nothing yet. Screenshots at
80x24 and 120x40 with a fixed journal and clock."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, DataTable, OptionList, Static

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.model import BarrierTag, NewEntry
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.screens.journal import JournalScreen
from reconnect_journal.tui.screens.trends import EntriesBehindScreen, TrendsScreen
from reconnect_journal.tui.widgets.trend_charts import PeriodBars, YearCalendar, legend

from .tui_support import FIXED_TODAY, journal_at, make_app, run_app, settle

pytestmark = pytest.mark.usefixtures("utc_clock")
SnapCompare = Callable[..., bool]
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
D = dt.date


def _entries() -> list[NewEntry]:
    """Fourteen weeks of entries before FIXED_TODAY (Tue 24 Nov 2026), some rated."""
    keys = list(Barrier)
    entries = []
    for week in range(14):
        day = FIXED_TODAY - dt.timedelta(days=7 * week + week % 2)
        entries.append(
            NewEntry(
                title=f"Week {week} note",
                date=day,
                body="We talked a little after dinner.",
                barriers=[BarrierTag(keys[week % 5], week % 3 + 1)]
                + ([BarrierTag(Barrier.UNSEEN, 1)] if week % 4 == 0 and week % 5 != 3 else []),
                emotional_closeness=week % 5 + 1,
                physical_intimacy=(week * 2 + 1) % 5 + 1 if week != 5 else None,
            )
        )
    entries.append(NewEntry(title="Same day last month", date=D(2026, 10, 24), body="Rain."))
    return entries


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    with journal_at(path) as service:
        for entry in _entries():
            service.add(entry)
    return path


async def _to_trends(pilot: Pilot[None]) -> TrendsScreen:
    await pilot.press("3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TrendsScreen)
    return screen


def test_trends_shows_every_section(journal: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        assert screen.query_one("#trends-states", ContentSwitcher).current == "trends-body"
        view = screen.view
        assert view is not None and view.window.key == "3m" and view.by == "week"
        bars = screen.query_one("#barrier-bars", PeriodBars)
        assert bars.option_count == len(view.report.periods) == 14
        changes = str(screen.query_one("#trends-changes", Static).render())
        assert changes.endswith("• 14 entries, and 1 in the 3 months before.")
        mix = str(screen.query_one("#trends-mix", Static).render())
        assert "Feeling unseen or unheard" in mix and "Often together" in mix
        correlation = str(screen.query_one("#trends-correlation", Static).render())
        assert "not a verdict" in correlation and "n = " in correlation
        assert "Written on" in str(screen.query_one("#calendar-counts", Static).render())
        on_this_day = screen.query_one("#on-this-day", OptionList)
        assert "a month ago" in str(on_this_day.get_option_at_index(0).prompt)

    run_app(make_app(journal), scenario, size=(120, 40))


def test_window_and_bucket_keys_reload(journal: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        await pilot.press("w")  # 12 months
        await settle(pilot)
        assert screen.view is not None and screen.view.window.key == "12m"
        assert len(screen.view.report.periods) == 53
        await pilot.press("b")  # by month
        await settle(pilot)
        assert screen.view.by == "month"
        by_month = Counter(e.date.replace(day=1) for e in _entries() if e.date)
        assert {p.start: p.entries for p in screen.view.report.periods if p.entries} == by_month
        await pilot.press("w", "w")  # all time, then 4 weeks
        await settle(pilot)
        assert screen.view.window.key == "4w"
        assert "4 weeks before" in str(screen.query_one("#trends-changes", Static).render())

    run_app(make_app(journal), scenario, size=(120, 40))


def test_choosing_a_bar_lists_its_entries_and_opens_one(journal: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        bars = screen.query_one("#barrier-bars", PeriodBars)
        bars.focus()
        bars.highlighted = 0  # this week
        await pilot.press("enter")
        await settle(pilot)
        behind = app.screen
        assert isinstance(behind, EntriesBehindScreen)
        assert [e.title for e in behind.entries] == ["Week 0 note"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        highlighted = app.screen.highlighted_entry
        assert highlighted is not None and highlighted.title == "Week 0 note"

    run_app(make_app(journal), scenario, size=(120, 40))


def test_a_week_the_window_starts_partway_through_is_marked(journal: Path) -> None:
    # 3 months before Tue 24 Nov 2026 starts on Tue 25 Aug: of the week of Mon 24 Aug only
    # six days count, and "Week 13 note" (Mon 24 Aug) is left out of the window.
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        bars = screen.query_one("#barrier-bars", PeriodBars)
        rows = [row for row in _bar_rows(bars) if row]
        assert rows[-1].startswith("week of 24 Aug 2026 (part) ") and rows[-1].endswith("–")
        assert sum("(part)" in row for row in rows) == 1  # this week is not cut short
        closeness = _bar_rows(screen.query_one("#closeness-bars", PeriodBars))
        assert "week of 24 Aug 2026 (part)" in [row for row in closeness if row][-1]
        note = screen.query_one("#trends-part-note", Static)
        assert note.display
        assert str(note.render()) == "(part): the window holds only some of this week's days."
        bars.focus()
        await pilot.press("end", "enter")
        await settle(pilot)
        behind = app.screen
        assert isinstance(behind, EntriesBehindScreen)
        assert behind.label == "week of 24 Aug 2026 (part)"
        assert behind.entries == []  # what the row counts: nothing inside the window
        await pilot.press("escape")
        await pilot.press("t")
        table = screen.query_one("#barrier-table", DataTable)
        assert str(table.get_row_at(table.row_count - 1)[0]) == "week of 24 Aug 2026 (part)"
        assert str(table.get_row_at(0)[0]) == "week of 23 Nov 2026"
        await pilot.press("w", "w")  # all time: nothing is cut short
        await settle(pilot)
        assert not note.display
        assert not any("(part)" in row for row in _bar_rows(bars))

    run_app(make_app(journal), scenario, size=(120, 40))


def test_averages_on_the_trends_screen_round_halves_up(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with journal_at(path) as service:
        for back, physical in enumerate((1, 2, 4, 2)):  # 2.25 this week
            day = FIXED_TODAY - dt.timedelta(days=back % 2)
            service.add(NewEntry(body="A quiet evening.", date=day, physical_intimacy=physical))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        [row, *_] = _bar_rows(screen.query_one("#closeness-bars", PeriodBars))
        assert row.startswith("week of 23 Nov 2026") and " 2.3 " in row and "2.2" not in row
        await pilot.press("t")
        table = screen.query_one("#barrier-table", DataTable)
        assert [str(cell) for cell in table.get_row_at(0)][-2:] == ["–", "2.3"]

    run_app(make_app(path), scenario, size=(120, 40))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_closeness_rows_count_each_rating_on_its_own(tmp_path: Path, size: tuple[int, int]) -> None:
    # This week: three entries rated for emotional closeness, two of them for physical
    # intimacy. One count for both ("n=3") would say three physical ratings made 2.5.
    path = tmp_path / "journal.db"
    with journal_at(path) as service:
        for emotional, physical in ((4, 2), (4, 3), (4, None)):
            service.add(
                NewEntry(
                    body="A walk.",
                    date=FIXED_TODAY,
                    emotional_closeness=emotional,
                    physical_intimacy=physical,
                )
            )
        service.add(NewEntry(body="Tired.", date=FIXED_TODAY - dt.timedelta(days=7)))
        service.add(
            NewEntry(body="Close.", date=FIXED_TODAY - dt.timedelta(days=14), physical_intimacy=5)
        )

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        bars = screen.query_one("#closeness-bars", PeriodBars)
        this_week, unrated, physical_only = _bar_rows(bars)[:3]
        width = bars.scrollable_content_region.width
        words = this_week.replace("█", " ").split()
        assert words[-4:] == ["4.0", "n=3", "2.5", "n=2"], this_week
        assert len(this_week) <= width
        assert unrated.replace("█", " ").split()[-2:] == ["–", "–"], unrated
        assert physical_only.replace("█", " ").split()[-3:] == ["–", "5.0", "n=1"], physical_only
        key = screen.query_one("#closeness-key", Static)
        lines = [strip.text.strip() for strip in key.render_lines(key.region.reset_offset)]
        assert any(
            line.endswith("(averages of 1–5; n = entries with that rating)") for line in lines
        )

    run_app(make_app(path), scenario, size=size)


def test_bars_keys_and_click(journal: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        bars = screen.query_one("#barrier-bars", PeriodBars)
        bars.focus()
        await pilot.press("down", "down")
        assert bars.highlighted == 2
        await pilot.press("end")
        assert bars.highlighted == 13
        await pilot.press("down")  # round to the top, as in a list
        assert bars.highlighted == 0
        await pilot.press("up", "home", "pagedown")
        assert 0 < bars.highlighted <= 13
        await pilot.click("#barrier-bars", offset=(2, 1))  # the week before this one
        await settle(pilot)
        behind = app.screen
        assert isinstance(behind, EntriesBehindScreen)
        assert behind.label == "week of 16 Nov 2026"
        assert [e.title for e in behind.entries] == ["Week 1 note"]
        assert bars.highlighted == 1

    run_app(make_app(journal), scenario, size=(120, 40))


def test_a_year_of_days_draws_only_the_rows_in_view(journal: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        for key in ("w", "b", "b"):  # 12 months, by day
            await pilot.press(key)
            await settle(pilot)
        assert screen.view is not None and screen.view.by == "day"
        bars = screen.query_one("#closeness-bars", PeriodBars)
        assert bars.option_count == len(screen.view.report.periods) > 360
        height = bars.scrollable_content_region.height
        assert 0 < bars.rows_drawn <= height
        bars.focus()
        await pilot.press("end")  # the oldest day: scrolled into view, drawn then
        await settle(pilot)
        assert bars.highlighted == bars.option_count - 1
        assert bars.scroll_offset.y >= bars.option_count - height
        assert bars.rows_drawn <= 2 * height
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EntriesBehindScreen)
        oldest = screen.view.report.periods[0].start
        assert app.screen.label == f"{oldest:%a} {oldest.day} {oldest:%b %Y}"

    run_app(make_app(journal), scenario, size=(120, 40))


def test_table_view_and_calendar_day(journal: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        await pilot.press("t")
        table = screen.query_one("#barrier-table", DataTable)
        assert screen.query_one("#barrier-views", ContentSwitcher).current == "barrier-table"
        assert table.row_count == 14 and table.has_focus
        first_row = [str(cell) for cell in table.get_row_at(0)]
        assert first_row[0] == "week of 23 Nov 2026" and first_row[1] == "1"
        await pilot.press("c")
        calendar = screen.query_one(YearCalendar)
        assert calendar.by_closeness
        calendar.focus()
        await pilot.press("enter")  # today
        await settle(pilot)
        assert isinstance(app.screen, EntriesBehindScreen)
        assert app.screen.label == "Tuesday 24 November 2026"
        await pilot.press("escape")
        assert app.screen is screen

    run_app(make_app(journal), scenario, size=(120, 40))


def test_the_table_keeps_the_period_column_in_view_when_scrolled_right(journal: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        await pilot.press("t")
        table = screen.query_one("#barrier-table", DataTable)
        assert table.has_focus and table.max_scroll_x > 0  # wider than the window
        await pilot.press(*["right"] * 80)
        await pilot.pause(0.5)  # the scroll is animated
        assert table.scroll_x == table.max_scroll_x
        header, first = (table.render_line(y).text for y in range(2))
        assert header.split()[0] == "period" and "physical" in header
        assert first.strip().startswith("week of 23 Nov 2026")

    run_app(make_app(journal), scenario, size=(80, 24))


def test_empty_journal_is_kind(tmp_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        assert screen.query_one("#trends-states", ContentSwitcher).current == "trends-empty"

    run_app(make_app(tmp_path / "journal.db"), scenario)


def _snap(path: Path, keys: tuple[str, ...] = ()) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@SIZES
def test_trends_snapshot(snap_compare: SnapCompare, journal: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(journal), terminal_size=size, run_before=_snap(journal))


def test_trends_calendar_snapshot(snap_compare: SnapCompare, journal: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _snap(journal, ("c",))(pilot)
        pilot.app.screen.query_one(YearCalendar).scroll_visible(animate=False)
        await pilot.pause()

    assert snap_compare(make_app(journal), terminal_size=(120, 40), run_before=run_before)


def test_trends_empty_snapshot(snap_compare: SnapCompare, tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    assert snap_compare(make_app(path), terminal_size=(80, 24), run_before=_snap(path))


@pytest.mark.parametrize(
    ("width", "line_count"), [(100, 1), (91, 1), (90, 2), (60, 2), (40, 3), (30, 4)]
)
def test_legend_keeps_each_swatch_with_its_label(width: int, line_count: int) -> None:
    lines = legend().text(width).plain.split("\n")
    names = [b.display_name for b in Barrier]
    assert [name for line in lines for name in line.removeprefix("█ ").split("   █ ")] == names
    assert all(len(line) <= width for line in lines)
    assert len(lines) == line_count


def _bar_rows(bars: PeriodBars) -> list[str]:
    height = bars.scrollable_content_region.height
    return [bars.render_line(y).text.rstrip() for y in range(height)]


def _whole(row: str) -> bool:
    """A week with barriers: its label, its bar and its count; a week without: a dash."""
    words = row.split()
    return words[:2] == ["week", "of"] and (
        ("█" in row and words[-1].isdigit()) or ("█" not in row and words[-1] == "–")
    )


def test_without_colours_each_barrier_has_its_own_fill(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA, NO_COLOR=1: the bars and the legend used one block in near-identical greys, so
    "Loss of trust" and "Feeling unseen" could not be told apart. Without colours (as
    Textual reads NO_COLOR), each barrier has its own fill, the same in bars and legend."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(journal)
    assert app.no_color

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        shown = screen.query_one("#trends-legend", Static)
        line = " ".join(strip.text for strip in shown.render_lines(shown.region.reset_offset))
        fills = {b: line[line.index(b.display_name) - 2] for b in Barrier}
        assert len(set(fills.values())) == len(Barrier), line
        bars = screen.query_one("#barrier-bars", PeriodBars)
        rows = _bar_rows(bars)
        assert len(rows) == 14
        for row, period in zip(rows, bars._drawn.periods, strict=True):
            counted = {b for b in Barrier if period.barriers[b.value]}
            drawn = {b for b in Barrier if fills[b] in row.split(maxsplit=5)[-1]}
            assert drawn == counted, (row, counted)
        # Weeks with two barriers show both, side by side in their own fills.
        assert any(len({fills[b] for b in Barrier if fills[b] in row}) == 2 for row in rows)
        # The entries behind a bar carry the same fills.
        bars.focus()
        bars.highlighted = 0  # this week: shame, and feeling unseen
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EntriesBehindScreen)
        option = app.screen.query_one("#behind-list", OptionList).get_option_at_index(0)
        assert str(option.prompt).endswith(f" {fills[Barrier.SHAME]} {fills[Barrier.UNSEEN]}")

    run_app(app, scenario, size=(100, 30))


def test_bars_follow_a_resize(journal: Path) -> None:
    """Narrower, then wider again: every row keeps its bar and its count, drawn to the new
    width (the rows once lost both when the terminal got narrower)."""

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        screen = await _to_trends(pilot)
        bars = screen.query_one("#barrier-bars", PeriodBars)
        wide = _bar_rows(bars)
        assert len(wide) == 14 and all(map(_whole, wide))
        assert sum("█" in row for row in wide) == 13
        for size in ((80, 24), (64, 20), (100, 30)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            rows = _bar_rows(bars)
            width = bars.scrollable_content_region.width
            assert width < 96 or size == (100, 30)
            assert rows and all(map(_whole, rows)), (size, rows)
            assert sum("█" in row for row in rows) == 13
            # The longest bar reaches close to the new edge, and no row goes past it.
            assert width - 16 < max(len(row) for row in rows) <= width, (size, rows)
            legend = screen.query_one("#trends-legend", Static)
            lines = [
                strip.text.strip() for strip in legend.render_lines(legend.region.reset_offset)
            ]
            assert all(line.startswith("█ ") and not line.endswith("█") for line in lines)
            assert [label for line in lines for label in line[2:].split("   █ ")] == [
                b.display_name for b in Barrier
            ]
            # The window and bucket choices stay whole: "By ..." moves to a line of its own.
            controls = screen.query_one("#trends-controls", Static)
            shown = [
                strip.text.strip() for strip in controls.render_lines(controls.region.reset_offset)
            ]
            assert " ".join(" ".join(shown).split()) == (
                "Window 4 weeks 3 months 12 months all time By day week month"
            ), (size, shown)
            assert len(shown) == (2 if size == (64, 20) else 1), (size, shown)
            closeness = _bar_rows(screen.query_one("#closeness-bars", PeriodBars))
            for row in closeness:  # each average, whole, with how many had that rating
                words = row.replace("█", " ").split()[5:]  # after "week of 23 Nov 2026"
                averages = [i for i, word in enumerate(words) if word[:1].isdigit()]
                assert len(averages) == row.count(" n=") == 2 - words.count("–"), row
                assert all(words[i + 1].startswith("n=") for i in averages), row
        assert _bar_rows(bars) == wide

    run_app(make_app(journal), scenario, size=(100, 30))
