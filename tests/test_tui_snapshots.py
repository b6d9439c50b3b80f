"""Screenshots of the journal window, compared with the accepted ones in __snapshots__/.

After a deliberate change of look: run with --snapshot-update, then look at the new SVGs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.model import BarrierTag, NewEntry
from reconnect_journal.tui.app import JournalApp

from .tui_support import open_fixed, settle

SnapCompare = Callable[..., bool]

JOURNAL = [
    NewEntry(
        title="A slow walk by the river",
        date=dt.date(2026, 11, 24),
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


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    journal = open_fixed(path)
    try:
        for entry in JOURNAL:
            journal.add(entry)
    finally:
        journal.close()
    return path


def make_app(path: Path) -> JournalApp:
    app = JournalApp(db_path=path, open_journal=lambda: open_fixed(path), cursor_blink=False)
    app.theme = "textual-dark"  # pinned: a TEXTUAL_THEME in someone's shell must not matter
    return app


async def show_journal(pilot: Pilot[None]) -> None:
    """The Journal (key 2), once its entries are loaded."""
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_journal_screen(snap_compare: SnapCompare, journal_path: Path, size: tuple[int, int]):
    assert snap_compare(make_app(journal_path), terminal_size=size, run_before=show_journal)


def test_empty_journal(snap_compare: SnapCompare, tmp_path: Path):
    app = make_app(tmp_path / "new.db")
    assert snap_compare(app, terminal_size=(80, 24), run_before=show_journal)
