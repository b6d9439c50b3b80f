"""`reconnect-journal stats` as text: Rich tables and sparklines.

Only the presentation lives here; every figure comes from core.trends and
core.trend_service. Imported by the command itself, so Rich loads only when needed.
"""

from __future__ import annotations

import datetime as dt
import shutil

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.trend_service import TrendsService
from reconnect_journal.core.trends import (
    CORRELATION_CAUTION,
    MIN_CORRELATION_WEEKS,
    PeriodCounts,
    TrendReport,
    average_text,
    barrier_mix,
    is_part_period,
    part_note,
    period_end,
    sparkline,
    window_period_label,
)

_UNIT = {"day": "days", "week": "weeks", "month": "months"}


def _avg(value: float | None) -> str:
    return average_text(value)


def _range_line(report: TrendReport, today: dt.date) -> str:
    first = report.date_from or (report.periods[0].start if report.periods else None)
    # The last day shown: the one asked for, else the end of the last period (not after today).
    last = report.date_to or (
        min(period_end(report.periods[-1].start, report.by), max(today, report.periods[-1].start))
        if report.periods
        else None
    )
    where = "all time" if report.date_from is None and report.date_to is None else "chosen days"
    span = f"{first} to {last}" if first and last else ""
    return f"Trends by {report.by}, {where}" + (f" ({span})" if span else "")


def _sparklines(report: TrendReport, width: int) -> Table:
    room = max(8, width - 34)
    periods = report.periods[-room:]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(style="cyan", no_wrap=True)
    grid.add_column(style="dim")

    def line(label: str, values: list[float | None], note: str, top: float | None = None) -> None:
        grid.add_row(label, sparkline(values, top), note)

    line("Entries", [float(p.entries) for p in periods], f"{report.totals.entries} in all")
    for barrier in Barrier:
        line(
            barrier.display_name,
            [float(p.barriers[barrier.value]) for p in periods],
            f"{report.totals.barriers[barrier.value]} in all",
        )
    line(
        "Emotional closeness",
        [p.emotional_avg for p in periods],
        f"average {_avg(report.totals.emotional_avg)} of 5",
        5.0,
    )
    line(
        "Physical intimacy",
        [p.physical_avg for p in periods],
        f"average {_avg(report.totals.physical_avg)} of 5",
        5.0,
    )
    if len(periods) < len(report.periods):
        grid.add_row("", Text(f"(the last {len(periods)} {_UNIT[report.by]})", style="dim"), "")
    return grid


def _table(report: TrendReport) -> Table:
    table = Table(title=None, header_style="bold", show_footer=True)
    table.add_column("period", footer="all", no_wrap=True)
    table.add_column("entries", justify="right", footer=str(report.totals.entries))
    for barrier in Barrier:
        table.add_column(
            barrier.value, justify="right", footer=str(report.totals.barriers[barrier.value])
        )
    table.add_column("emotional", justify="right", footer=_avg(report.totals.emotional_avg))
    table.add_column("physical", justify="right", footer=_avg(report.totals.physical_avg))

    def row(p: PeriodCounts) -> list[str]:
        return [
            window_period_label(p.start, report.by, report.date_from, report.date_to),
            str(p.entries),
            *(str(p.barriers[b.value]) for b in Barrier),
            _avg(p.emotional_avg),
            _avg(p.physical_avg),
        ]

    for p in report.periods:
        table.add_row(*row(p), style="dim" if p.entries == 0 else None)
    return table


def _needed_width(console: Console, table: Table) -> int:
    """Columns the table takes with no heading or figure cut short."""
    return Measurement.get(console, console.options.update_width(1000), table).maximum


def print_stats(trends: TrendsService, report: TrendReport, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    width = console.width or shutil.get_terminal_size((100, 24)).columns
    console.print(Text(_range_line(report, trends.today()), style="bold"))
    if report.is_empty:
        console.print(
            "Nothing written in these days yet. What you write will show up here, "
            "a little at a time."
        )
        return
    console.print()
    console.print(_sparklines(report, width))
    console.print()
    table = _table(report)
    if console.is_terminal:
        if _needed_width(console, table) > console.width:
            # An 80-column terminal: no lines between the columns, so every heading stays
            # whole
            # (and a long period, "week of 30 Nov 2026", on two).
            table.box, table.show_edge, table.pad_edge = box.SIMPLE_HEAD, False, False
            table.padding = 0  # the box's blank divider is the one space between columns
            table.columns[0].no_wrap = False
        console.print(table)
    else:
        # Piped or saved to a file: as wide as the table needs, so no heading is cut short
        # ("entri…") to fit 80 columns that are not there.
        usual = console.width
        console.width = max(usual, _needed_width(console, table))
        console.print(table)
        console.width = usual
    if any(
        is_part_period(p.start, report.by, report.date_from, report.date_to) for p in report.periods
    ):
        console.print(Text(part_note(report.by), style="dim"))

    console.print(Text("Barrier mix", style="bold"))
    mix = barrier_mix(report.totals)
    if not any(share.count for share in mix):
        console.print("No barriers were tagged in these days.")
    else:
        grid = Table.grid(padding=(0, 2))
        for share in mix:
            bar = "█" * round(share.share * 30)
            grid.add_row(
                share.barrier.display_name,
                f"{share.share:>4.0%}",
                Text(bar, style="magenta"),
                Text(f"{share.count}", style="dim"),
            )
        console.print(grid)
        pairs = trends.pairs(report.date_from, report.date_to)[:3]
        if pairs:
            console.print(
                "Often together: "
                + "; ".join(
                    f"{p.first.display_name} and {p.second.display_name.lower()} "
                    f"({p.together} {'entry' if p.together == 1 else 'entries'})"
                    for p in pairs
                )
            )

    console.print()
    console.print(Text("Closeness", style="bold"))
    correlation = trends.correlation(report.date_from, report.date_to)
    if correlation is None:
        console.print(
            "A week's emotional closeness and the next week's physical intimacy can be "
            f"compared once there are at least {MIN_CORRELATION_WEEKS} such pairs of weeks."
        )
    else:
        r = "–" if correlation.r is None else f"{correlation.r:+.2f}"
        console.print(
            f"A week's emotional closeness and the next week's physical intimacy: "
            f"r = {r} over {correlation.n} pairs of weeks; {correlation.words}."
        )
        console.print(Text(CORRELATION_CAUTION, style="dim"))

    if report.date_from is not None:
        end = report.date_to or trends.today()
        changes = trends.changes(report.date_from, end, report.totals)
        if changes:
            console.print()
            console.print(Text("What changed", style="bold"))
            for line in changes:
                console.print(f"• {line}")
