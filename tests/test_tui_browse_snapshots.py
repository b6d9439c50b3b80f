"""Screenshots of Today, the Journal, the Trash and the Go-to-a-day dialog.

Compared with the accepted ones in __snapshots__/. After a deliberate change of look:
run with --snapshot-update, then look at the new SVGs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.model import BarrierTag, NewEntry
from reconnect_journal.tui.app import JournalApp

from .tui_support import FIXED_TODAY, journal_at, open_fixed, settle

pytestmark = pytest.mark.usefixtures("utc_clock")


SnapCompare = Callable[..., bool]
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

JOURNAL = [
    NewEntry(
        title="Coffee in bed",
        date=FIXED_TODAY,
        body="She brought me coffee before I woke up. I didn't say much, but I noticed.",
        barriers=[BarrierTag(Barrier.UNSEEN, 1)],
        emotional_closeness=3,
    ),
    NewEntry(
        title="A slow walk by the river",
        date=FIXED_TODAY,
        body=(
            "We walked by the river after lunch and talked about the weekend.\n\n"
            "It felt easy for once. She laughed at my story about the bus, "
            "and for a while nothing else needed saying."
        ),
        barriers=[BarrierTag(Barrier.TRUST, 2)],
        emotional_closeness=4,
        physical_intimacy=3,
        tags=["walk", "weekend"],
    ),
    NewEntry(
        date=dt.date(2026, 11, 22),
        body="We argued about the dishes again. It was not really about the dishes.",
        barriers=[BarrierTag(Barrier.RESENTMENT, 2), BarrierTag(Barrier.UNSEEN, 1)],
        emotional_closeness=2,
    ),
    NewEntry(
        title="Her mother's birthday",
        date=dt.date(2026, 11, 19),
        body="The first one without her. We lit a candle and did not say much.",
        barriers=[BarrierTag(Barrier.GRIEF, 3)],
        emotional_closeness=3,
    ),
    NewEntry(
        title="Holding hands at the cinema",
        date=dt.date(2026, 11, 15),
        body="Small, but it mattered.",
        emotional_closeness=5,
        physical_intimacy=4,
    ),
    NewEntry(
        title="I did not say what I wanted",
        date=dt.date(2026, 11, 10),
        body="I wanted to ask for more time together and said nothing.",
        barriers=[BarrierTag(Barrier.SHAME, 2), BarrierTag(Barrier.TRUST, 1)],
    ),
    NewEntry(
        title="New year's eve",
        date=dt.date(2025, 12, 31),
        body="Fireworks from the balcony.",
        emotional_closeness=4,
    ),
]


def filled(path: Path, entries: list[NewEntry], trash: int = 0) -> Path:
    """A journal with `entries`; the last `trash` of them moved to the trash."""
    with journal_at(path) as journal:
        added = [journal.add(entry) for entry in entries]
        for entry in added[len(added) - trash :] if trash else []:
            journal.delete(entry.id)
    return path


def make_app(path: Path) -> JournalApp:
    app = JournalApp(db_path=path, open_journal=lambda: open_fixed(path), cursor_blink=False)
    app.theme = "textual-dark"  # pinned: a TEXTUAL_THEME in someone's shell must not matter
    return app


def after_keys(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await pilot.pause()

    return run_before


@SIZES
def test_today(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL))
    assert snap_compare(app, terminal_size=size, run_before=after_keys())


@SIZES
def test_today_empty(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL[2:]))
    assert snap_compare(app, terminal_size=size, run_before=after_keys())


@SIZES
def test_journal(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL))
    assert snap_compare(app, terminal_size=size, run_before=after_keys("2"))


@SIZES
def test_journal_after_a_delete(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL))
    assert snap_compare(app, terminal_size=size, run_before=after_keys("2", "j", "d"))


@SIZES
def test_trash(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL, trash=2))
    assert snap_compare(app, terminal_size=size, run_before=after_keys("4"))


def test_trash_empty(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL))
    assert snap_compare(app, terminal_size=(80, 24), run_before=after_keys("4"))


@SIZES
def test_go_to_date(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL))
    keys = ("2", "g", *"last", "space", *"thursday")
    assert snap_compare(app, terminal_size=size, run_before=after_keys(*keys))


def test_go_to_date_not_understood(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL))
    keys = ("2", "g", *"someday", "enter")
    assert snap_compare(app, terminal_size=(80, 24), run_before=after_keys(*keys))


def test_journal_search(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(filled(tmp_path / "j.db", JOURNAL))

    async def run_before(pilot: Pilot[None]) -> None:
        await after_keys("2", "slash", *"said")(pilot)
        await pilot.pause(0.4)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
