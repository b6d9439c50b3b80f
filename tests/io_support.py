"""What the export/import tests share: a small fixed journal and a way to compare entries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.model import BarrierTag, ImportedEntry, entry_to_json
from reconnect_journal.core.openers import ImportedOpener

FIXED_TODAY = dt.date(2026, 3, 14)
FIXED_NOW = dt.datetime(2026, 3, 14, 20, 30, tzinfo=dt.UTC)
GOLDEN = Path(__file__).parent / "data" / "golden"
FIXTURES = Path(__file__).parents[2] / "shared" / "fixtures" / "jrnl"


def open_journal(path: Path) -> JournalService:
    return JournalService.open(path, clock=lambda: FIXED_NOW, today=lambda: FIXED_TODAY)


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=dt.UTC)


FIXED_ENTRIES = [
    ImportedEntry(
        uuid="00000000-0000-4000-8000-000000000001",
        date=dt.date(2026, 3, 1),
        created_at=_at(1, 21, 40),
        title="After the walk",
        body="We talked on the way home. #evening\n\nIt felt easy, for once.",
        barriers=[BarrierTag(Barrier.UNSEEN, 2, "user")],
        emotional_closeness=4,
        starred=True,
        share=True,
        openers=[
            ImportedOpener(
                feeling="hopeful",
                about="how we talked on the way home",
                need="another evening like it soon",
                text="I feel hopeful about how we talked on the way home. "
                "What I need is another evening like it soon.",
                created_at=_at(1, 21, 55),
                updated_at=_at(2, 8, 30),
            )
        ],
    ),
    ImportedEntry(
        uuid="00000000-0000-4000-8000-000000000002",
        date=dt.date(2026, 3, 2),
        created_at=_at(2, 7, 5),
        updated_at=_at(3, 8, 0),
        title=None,
        body="# What I noticed\n\nThe old argument came back.\n\n## Later\n\nWe let it go.",
        barriers=[
            BarrierTag(Barrier.RESENTMENT, 3, "suggestion"),
            BarrierTag(Barrier.GRIEF, 1, "user"),
        ],
        tags=["Morning"],
        physical_intimacy=2,
        prompt_id="not-in-the-library",
    ),
    ImportedEntry(
        uuid="00000000-0000-4000-8000-000000000003",
        date=dt.date(2026, 3, 2),
        created_at=_at(2, 22, 15),
        title="Café — naïve 💛",
        body="---\ntitle: not front matter\n---\nJust words.",
    ),
]


def fill(journal: JournalService) -> None:
    journal.add_imported([journal.check_imported(item) for item in FIXED_ENTRIES])


def comparable(journal: JournalService) -> list[dict[str, Any]]:
    """Every live entry, oldest first, field for field (this journal's own ids aside)."""
    return [
        {k: v for k, v in entry_to_json(e).items() if k != "id"} for e in journal.iter_entries()
    ]
