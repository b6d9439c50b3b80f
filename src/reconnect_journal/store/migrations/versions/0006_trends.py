"""Trends: a per-day summary of live entries, kept in step by triggers.

`stats` and the Trends screen add up `day_summary` rows (one per journal day with
entries) instead of every entry, so their cost follows the number of days, not of
entries. Triggers on `entry` and `entry_barrier` keep it exact on every insert, edit,
move to the trash, restore and purge; the upgrade fills it from the entries already
there.

Note for later migrations: a batch operation that copies `entry` or `entry_barrier`
drops their triggers; create them again with `create_triggers()` from this file.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BARRIERS = ("shame", "resentment", "trust", "unseen", "grief")
TRIGGERS = (
    "day_summary_entry_insert",
    "day_summary_entry_update",
    "day_summary_entry_delete",
    "day_summary_barrier_insert",
    "day_summary_barrier_delete",
    "day_summary_barrier_update",
)


def _own(row: str, sign: str) -> str:
    """SET items adding (sign '+') or taking away (sign '-') an entry's own numbers."""
    return (
        f"entries = entries {sign} 1, "
        f"emotional_sum = emotional_sum {sign} coalesce({row}.emotional_closeness, 0), "
        f"emotional_n = emotional_n {sign} ({row}.emotional_closeness IS NOT NULL), "
        f"physical_sum = physical_sum {sign} coalesce({row}.physical_intimacy, 0), "
        f"physical_n = physical_n {sign} ({row}.physical_intimacy IS NOT NULL)"
    )


def _tag(row: str, sign: str) -> str:
    """SET items for one entry_barrier row."""
    return ", ".join(
        f"{b} = {b} {sign} ({row}.barrier = '{b}'), "
        f"{b}_intensity = {b}_intensity {sign} ({row}.barrier = '{b}') * {row}.intensity"
        for b in BARRIERS
    )


def _all_tags(entry: str, sign: str) -> str:
    """SET items for every barrier row an entry has."""
    return ", ".join(
        f"{b} = {b} {sign} (SELECT count(*) FROM entry_barrier "
        f"WHERE entry_id = {entry}.id AND barrier = '{b}'), "
        f"{b}_intensity = {b}_intensity {sign} (SELECT coalesce(sum(intensity), 0) "
        f"FROM entry_barrier WHERE entry_id = {entry}.id AND barrier = '{b}')"
        for b in BARRIERS
    )


def _add_entry(row: str) -> str:
    """Statements counting a live entry (and its barriers) on its day."""
    columns = ", ".join(f"{b}, {b}_intensity" for b in BARRIERS)
    zeros = ", ".join("0, 0" for _ in BARRIERS)
    return (
        "INSERT INTO day_summary (date, entries, emotional_sum, emotional_n, physical_sum, "
        f"physical_n, {columns}) VALUES ({row}.date, 0, 0, 0, 0, 0, {zeros}) "
        "ON CONFLICT (date) DO NOTHING;\n"
        f"UPDATE day_summary SET {_own(row, '+')}, {_all_tags(row, '+')} "
        f"WHERE date = {row}.date;\n"
    )


def _remove_entry(row: str) -> str:
    return (
        f"UPDATE day_summary SET {_own(row, '-')}, {_all_tags(row, '-')} "
        f"WHERE date = {row}.date;\n"
        f"DELETE FROM day_summary WHERE date = {row}.date AND entries <= 0;\n"
    )


def _live_day(row: str) -> str:
    return f"(SELECT date FROM entry WHERE id = {row}.entry_id AND deleted_at IS NULL)"


def create_triggers() -> None:
    op.execute(
        "CREATE TRIGGER day_summary_entry_insert AFTER INSERT ON entry "
        "WHEN new.deleted_at IS NULL BEGIN\n" + _add_entry("new") + "END"
    )
    # Barrier rows change in their own statements, so here they are the same before and
    # after: take the old day's numbers away, then count the new day's.
    op.execute(
        "CREATE TRIGGER day_summary_entry_update AFTER UPDATE OF "
        "date, deleted_at, emotional_closeness, physical_intimacy ON entry BEGIN\n"
        f"UPDATE day_summary SET {_own('old', '-')}, {_all_tags('old', '-')} "
        "WHERE old.deleted_at IS NULL AND date = old.date;\n"
        "INSERT INTO day_summary (date, entries, emotional_sum, emotional_n, physical_sum, "
        "physical_n, " + ", ".join(f"{b}, {b}_intensity" for b in BARRIERS) + ") "
        "SELECT new.date, 0, 0, 0, 0, 0, " + ", ".join("0, 0" for _ in BARRIERS) + " "
        "WHERE new.deleted_at IS NULL ON CONFLICT (date) DO NOTHING;\n"
        f"UPDATE day_summary SET {_own('new', '+')}, {_all_tags('new', '+')} "
        "WHERE new.deleted_at IS NULL AND date = new.date;\n"
        "DELETE FROM day_summary WHERE date = old.date AND entries <= 0;\n"
        "END"
    )
    # Before the row goes: its barrier rows are still there to be taken away.
    op.execute(
        "CREATE TRIGGER day_summary_entry_delete BEFORE DELETE ON entry "
        "WHEN old.deleted_at IS NULL BEGIN\n" + _remove_entry("old") + "END"
    )
    op.execute(
        "CREATE TRIGGER day_summary_barrier_insert AFTER INSERT ON entry_barrier BEGIN\n"
        f"UPDATE day_summary SET {_tag('new', '+')} WHERE date = {_live_day('new')};\n"
        "END"
    )
    op.execute(
        "CREATE TRIGGER day_summary_barrier_delete AFTER DELETE ON entry_barrier BEGIN\n"
        f"UPDATE day_summary SET {_tag('old', '-')} WHERE date = {_live_day('old')};\n"
        "END"
    )
    op.execute(
        "CREATE TRIGGER day_summary_barrier_update AFTER UPDATE ON entry_barrier BEGIN\n"
        f"UPDATE day_summary SET {_tag('old', '-')} WHERE date = {_live_day('old')};\n"
        f"UPDATE day_summary SET {_tag('new', '+')} WHERE date = {_live_day('new')};\n"
        "END"
    )


def fill() -> None:
    """Count every live entry already in the journal."""
    tag_sums = ", ".join(
        f"coalesce(sum(b.barrier = '{b}'), 0), coalesce(sum((b.barrier = '{b}') * b.intensity), 0)"
        for b in BARRIERS
    )
    columns = ", ".join(f"{b}, {b}_intensity" for b in BARRIERS)
    op.execute(
        "INSERT INTO day_summary (date, entries, emotional_sum, emotional_n, physical_sum, "
        "physical_n) SELECT date, count(*), coalesce(sum(emotional_closeness), 0), "
        "count(emotional_closeness), coalesce(sum(physical_intimacy), 0), "
        "count(physical_intimacy) FROM entry WHERE deleted_at IS NULL GROUP BY date"
    )
    op.execute(
        f"UPDATE day_summary SET ({columns}) = (SELECT {tag_sums} FROM entry e "
        "JOIN entry_barrier b ON b.entry_id = e.id "
        "WHERE e.deleted_at IS NULL AND e.date = day_summary.date)"
    )


def upgrade() -> None:
    int_column = [
        sa.Column(name, sa.Integer(), nullable=False, server_default="0")
        for name in (
            "entries",
            "emotional_sum",
            "emotional_n",
            "physical_sum",
            "physical_n",
            *(f"{b}{suffix}" for b in BARRIERS for suffix in ("", "_intensity")),
        )
    ]
    op.create_table(
        "day_summary",
        sa.Column("date", sa.Date(), nullable=False),
        *int_column,
        sa.PrimaryKeyConstraint("date"),
        sqlite_with_rowid=False,
    )
    fill()
    create_triggers()


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("day_summary")
