"""Make a journal of N entries quickly (bulk SQL), for benchmarks."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import uuid
from pathlib import Path

from reconnect_journal.core.barriers import BARRIER_KEYS
from reconnect_journal.store.engine import open_store

NEWEST_TITLE = "The newest entry"
PHRASES = [
    "We talked for a while after dinner and it felt easy.",
    "I wanted to say something about last week but the moment passed.",
    "They were on their phone while I was telling them about my day.",
    "It would have been my dad's birthday today and I felt far away from everyone.",
    "I felt embarrassed asking for what I wanted, so I said nothing.",
    "We laughed at the same thing at the same time, which has not happened in a while.",
    "I am still carrying the argument about money from Sunday.",
    "I am not sure I believe the promise about coming home earlier.",
]


def make_journal(path: Path, count: int, seed: int = 7) -> Path:
    """A journal with `count` entries spread over the days before today."""
    open_store(path).close()  # creates the schema through the real migrations
    rng = random.Random(seed)
    today = dt.date.today()
    rows = []
    barriers = []
    for i in range(1, count + 1):
        day = today - dt.timedelta(days=(count - i) // 3)
        created = dt.datetime.combine(day, dt.time(21, i % 60))
        body = " ".join(rng.choice(PHRASES) for _ in range(rng.randint(1, 6)))
        rows.append(
            (
                i,
                str(uuid.UUID(int=rng.getrandbits(128))),
                day.isoformat(),
                created.isoformat(sep=" "),
                created.isoformat(sep=" "),
                NEWEST_TITLE if i == count else (None if i % 3 else f"Entry {i}"),
                body,
                rng.choice([None, 1, 2, 3, 4, 5]),
                rng.choice([None, 1, 2, 3, 4, 5]),
            )
        )
        for key in rng.sample(BARRIER_KEYS, rng.randint(0, 2)):
            barriers.append((i, key, rng.randint(1, 3), "user"))
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO entry (id, uuid, date, created_at, updated_at, title, body, "
            "emotional_closeness, physical_intimacy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany("INSERT INTO entry_barrier VALUES (?, ?, ?, ?)", barriers)
    conn.close()
    return path
