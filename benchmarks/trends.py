"""Trends with a big journal, against the stack's floor, measured side by side in one run.

    python benchmarks/trends.py [--runs 7] [--entries 100000]

Measured:
- `stats --by month --json` against `reconnect-journal --version` and against
  `python -c "import sqlmodel, typer"` (the floor of any command that opens the journal;
  see DECISIONS.md "Speed targets and the stack's floor"). Runs alternate; medians.
- The Trends screen (Pilot, 120x40), for each window and bucket: time from pressing `w`
  (the next window) until the new figures are on screen and the screen has nothing left
  to lay out or repaint (the screen notes it: `drawn_at`; this includes the follow-up
  layout Textual does when sizes changed, one or two frames later), and, as before, until
  the app is idle again (Pilot's idle wait, which costs some tens of ms by itself: the
  same wait after a key that does nothing is printed as "harness floor"). Figures are
  kept per window and the other windows are worked out after the first, so a window
  change is usually drawn from what is kept; the first visit of each window and bucket
  (the first time its rows are drawn) is printed on its own. Each window and bucket is
  visited at least 3 times, so that a median is not one sample.
- "Nothing kept": the same window change right after the kept figures were dropped (as
  when the journal has just changed), so the window is worked out in SQL first, while
  the other windows are worked out behind it. Shown for information; the target is the
  window change above.
Targets (issue 5, DECISIONS.md): stats within 1.25x of the import floor; a window change
redrawn within 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.journal_maker import make_journal  # noqa: E402

BIN = Path(sys.executable).parent


def _seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure_cli(db: Path, runs: int) -> dict[str, float]:
    programs = {
        "stats --by month --json": [
            str(BIN / "reconnect-journal"),
            "--db",
            str(db),
            "stats",
            "--by",
            "month",
            "--json",
        ],
        "--version": [str(BIN / "reconnect-journal"), "--version"],
        "import sqlmodel, typer": [sys.executable, "-c", "import sqlmodel, typer"],
    }
    times: dict[str, list[float]] = {name: [] for name in programs}
    for argv in programs.values():  # warm the file cache once
        _seconds(argv)
    for _ in range(runs):
        for name, argv in programs.items():
            times[name].append(_seconds(argv))
    return {name: statistics.median(values) for name, values in times.items()}


async def measure_redraw(
    db: Path, rounds: int
) -> tuple[list[tuple[str, str, float, float]], float, list[tuple[str, float]]]:
    from reconnect_journal.tui.app import JournalApp
    from reconnect_journal.tui.screens.trends import TrendsScreen

    app = JournalApp(db_path=db, cursor_blink=False)
    results: list[tuple[str, str, float, float]] = []

    async def settle() -> None:
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if all(worker.is_finished for worker in app.workers):
                return

    async with app.run_test(size=(120, 40)) as pilot:
        await settle()
        await pilot.press("3")
        await settle()
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        idle: list[float] = []
        for _ in range(6):  # a key bound to nothing: what the idle wait costs by itself
            start = time.perf_counter()
            await pilot.press("x")
            await settle()
            idle.append(time.perf_counter() - start)
        for bucket_round in range(3):
            for _ in range(4 * rounds):
                drawn = screen.drawn_generation
                start = time.perf_counter()
                await pilot.press("w")
                await settle()
                elapsed = time.perf_counter() - start
                assert screen.drawn_generation > drawn
                view = screen.view
                assert view is not None
                results.append((view.window.key, view.by, screen.drawn_at - start, elapsed))
            if bucket_round < 2:
                await pilot.press("b")
                await settle()
        trends = screen._trends
        assert trends is not None
        cold: list[tuple[str, float]] = []
        for _ in range(4):  # by day (the bucket left from above)
            trends.forget()
            drawn = screen.drawn_generation
            start = time.perf_counter()
            await pilot.press("w")
            await settle()
            assert screen.drawn_generation > drawn and screen.view is not None
            cold.append((screen.view.window.key, screen.drawn_at - start))
    return results, statistics.median(idle), cold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "journal.db"
        print(f"Making a journal of {args.entries:,} entries…", flush=True)
        make_journal(db, args.entries)
        cli = measure_cli(db, args.runs)
        floor, version = cli["import sqlmodel, typer"], cli["--version"]
        stats = cli["stats --by month --json"]
        print(f"\nCommand line (median of {args.runs}):")
        for name, value in cli.items():
            print(f"  {name:<26} {value * 1000:7.0f} ms")
        print(f"  stats / --version          {stats / version:7.2f}x  (issue: 1.5x)")
        print(f"  stats / import floor       {stats / floor:7.2f}x  (target: 1.25x)")

        redraws, idle, cold = asyncio.run(measure_redraw(db, max(3, args.runs // 3)))
        print("\nTrends screen, window change (median; first visit, then the slowest):")
        print("                 drawn   idle again   first visit drawn / idle")
        worst = worst_idle = 0.0
        for by in ("week", "month", "day"):
            for key in ("4w", "3m", "12m", "all"):
                values = [(d, t) for k, b, d, t in redraws if k == key and b == by]
                if values:
                    drawn = statistics.median(d for d, _ in values)
                    until_idle = statistics.median(t for _, t in values)
                    worst, worst_idle = max(worst, drawn), max(worst_idle, until_idle)
                    first_d, first_t = values[0]
                    print(
                        f"  {key:>4} by {by:<5} {drawn * 1000:7.0f} ms {until_idle * 1000:7.0f} ms"
                        f"   {first_d * 1000:7.0f} / {first_t * 1000:.0f} ms"
                    )
        print(f"  slowest drawn          {worst * 1000:7.0f} ms  (target: 150 ms)")
        print(f"  slowest until idle     {worst_idle * 1000:7.0f} ms")
        print(f"  harness floor          {idle * 1000:7.0f} ms  (a key doing nothing, until idle)")
        print("  nothing kept, by day:  " + "   ".join(f"{k} {d * 1000:.0f} ms" for k, d in cold))


if __name__ == "__main__":
    main()
