"""The demo journal: every sample entry is valid and the set brings every screen to life."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.demo import DEMO_ENTRIES, demo_entries, fill_demo_journal
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.model import EntryQuery

from .conftest import FIXED_NOW, FIXED_TODAY


def test_every_demo_entry_is_accepted_by_the_service(service: JournalService) -> None:
    added = fill_demo_journal(service, FIXED_TODAY)

    assert added == len(DEMO_ENTRIES) >= 25
    assert service.count(EntryQuery(limit=None)) == added
    stored = service.list(EntryQuery(limit=None))
    assert {entry.date for entry in stored} == {
        FIXED_TODAY - dt.timedelta(days=item.days_ago) for item in DEMO_ENTRIES
    }
    assert all(tag.source == "user" for entry in stored for tag in entry.barriers)


def test_a_fresh_journal_at_any_path_takes_the_demo(tmp_path: Path) -> None:
    today = dt.date(2025, 1, 3)  # the demo must work whatever day it is
    svc = JournalService.open(tmp_path / "j.db", today=lambda: today, clock=lambda: FIXED_NOW)
    try:
        assert fill_demo_journal(svc, today) == len(DEMO_ENTRIES)
        assert max(e.date for e in svc.list(EntryQuery(limit=None))) <= today
    finally:
        svc.close()


def test_entries_are_oldest_first_and_never_in_the_future() -> None:
    entries = demo_entries(FIXED_TODAY)
    dates = [entry.date for entry in entries]
    assert all(d is not None for d in dates)
    days = [d for d in dates if d is not None]
    assert days == sorted(days)
    assert max(days) <= FIXED_TODAY
    assert (max(days) - min(days)).days >= 28
    assert all(0 <= item.days_ago <= 42 for item in DEMO_ENTRIES)


def test_some_days_have_two_entries_and_some_have_none() -> None:
    per_day = Counter(item.days_ago for item in DEMO_ENTRIES)
    assert max(per_day.values()) >= 2
    assert len(per_day) < 43  # gaps are part of a real journal


def test_all_five_barriers_appear_and_some_entries_have_none() -> None:
    seen = {barrier for item in DEMO_ENTRIES for barrier in item.barriers}
    assert seen == set(Barrier)
    assert any(not item.barriers for item in DEMO_ENTRIES)
    assert all(len(item.barriers) <= 2 for item in DEMO_ENTRIES)


def test_ratings_stars_and_tags() -> None:
    assert any(item.emotional_closeness is None for item in DEMO_ENTRIES)
    assert any(item.physical_intimacy is None for item in DEMO_ENTRIES)
    assert any(
        item.emotional_closeness is None and item.physical_intimacy is None for item in DEMO_ENTRIES
    )
    assert sum(item.starred for item in DEMO_ENTRIES) >= 3
    assert any("#" in item.body and "## " not in item.body for item in DEMO_ENTRIES)
    assert any(item.body.startswith("## ") for item in DEMO_ENTRIES)


def test_the_arc_moves_toward_closeness() -> None:
    def mean(values: list[int]) -> float:
        return sum(values) / len(values)

    early = [i for i in DEMO_ENTRIES if i.days_ago >= 28]
    late = [i for i in DEMO_ENTRIES if i.days_ago <= 14]
    for field in ("emotional_closeness", "physical_intimacy"):
        before = [v for i in early if (v := getattr(i, field)) is not None]
        after = [v for i in late if (v := getattr(i, field)) is not None]
        assert mean(after) > mean(before)


def test_bodies_are_journal_sized_and_written_kindly() -> None:
    for item in DEMO_ENTRIES:
        words = len(item.body.split())
        assert 40 <= words <= 180, (item.days_ago, item.title, words)
        assert "streak" not in item.body.lower()


def test_the_demo_module_imports_without_the_tui() -> None:
    code = (
        "import sys, reconnect_journal.core.demo\n"
        "print(sorted(m for m in sys.modules"
        " if m == 'textual' or m.startswith(('textual.', 'reconnect_journal.tui'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
