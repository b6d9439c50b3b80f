"""Full-text search: an FTS5 index over live entries' titles, texts and tags, kept in
step by triggers; and saved searches.

`entry_fts` is an external-content FTS5 table: it holds only the index, and reads the
words back (for snippets) from the view `entry_fts_source`, which lists every live entry
(not in the trash) with its tags joined by spaces. Triggers on `entry` and `entry_tag`
update the index in the same transaction as the change: an entry written, edited, moved
to the trash (it leaves the index), restored (it comes back) or purged. The upgrade
builds the index for the entries already there; `reconnect-journal check --reindex`
builds it again from the entries.

An external-content index must be told the old words to take out, so every trigger
hands FTS5 the row exactly as the view showed it before the change.

Note for later migrations: a batch operation that copies `entry` or `entry_tag` drops
their triggers; create them again with `create_triggers()` from this file (and 0006's).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Titles weigh most in the ranking, then tags, then the text.
RANK = "bm25(4.0, 1.0, 2.0)"
TRIGGERS = (
    "entry_fts_entry_insert",
    "entry_fts_entry_update",
    "entry_fts_entry_delete",
    "entry_fts_tag_insert",
    "entry_fts_tag_delete",
    "entry_fts_tag_update",
)


def _tags(where: str, extra: str = "") -> str:
    """An entry's tags as the view shows them: sorted, joined by spaces (NULL for none)."""
    return (
        "(SELECT group_concat(tag, ' ') FROM "
        f"(SELECT tag FROM entry_tag WHERE {where}{extra} ORDER BY 1))"
    )


def _delete(entry_id: str, tags: str, when: str = "") -> str:
    """Take a live entry's words (with `tags` as they were) out of the index."""
    return (
        "INSERT INTO entry_fts (entry_fts, rowid, title, body, tags) "
        f"SELECT 'delete', id, title, body, {tags} FROM entry "
        f"WHERE id = {entry_id} AND deleted_at IS NULL{when};\n"
    )


def _insert(entry_id: str, when: str = "") -> str:
    """Index a live entry as it is now."""
    return (
        "INSERT INTO entry_fts (rowid, title, body, tags) "
        f"SELECT id, title, body, {_tags('entry_id = entry.id')} FROM entry "
        f"WHERE id = {entry_id} AND deleted_at IS NULL{when};\n"
    )


def create_view() -> None:
    op.execute(
        "CREATE VIEW entry_fts_source AS SELECT id, title, body, "
        f"{_tags('entry_id = entry.id')} AS tags FROM entry WHERE deleted_at IS NULL"
    )


def create_triggers() -> None:
    now = _tags("entry_id = {row}.id")
    op.execute(
        "CREATE TRIGGER entry_fts_entry_insert AFTER INSERT ON entry "
        "WHEN new.deleted_at IS NULL BEGIN\n"
        "INSERT INTO entry_fts (rowid, title, body, tags) "
        f"VALUES (new.id, new.title, new.body, {now.format(row='new')});\n"
        "END"
    )
    # Tags change in their own statements, so here they are the same before and after.
    op.execute(
        "CREATE TRIGGER entry_fts_entry_update AFTER UPDATE OF title, body, deleted_at "
        "ON entry BEGIN\n"
        "INSERT INTO entry_fts (entry_fts, rowid, title, body, tags) "
        f"SELECT 'delete', old.id, old.title, old.body, {now.format(row='old')} "
        "WHERE old.deleted_at IS NULL;\n"
        "INSERT INTO entry_fts (rowid, title, body, tags) "
        f"SELECT new.id, new.title, new.body, {now.format(row='new')} "
        "WHERE new.deleted_at IS NULL;\n"
        "END"
    )
    # Before the row goes, while its tags are still there.
    op.execute(
        "CREATE TRIGGER entry_fts_entry_delete BEFORE DELETE ON entry "
        "WHEN old.deleted_at IS NULL BEGIN\n"
        "INSERT INTO entry_fts (entry_fts, rowid, title, body, tags) "
        f"VALUES ('delete', old.id, old.title, old.body, {now.format(row='old')});\n"
        "END"
    )
    # A tag row changed: take the entry out with its tags as they were, put it back in.
    op.execute(
        "CREATE TRIGGER entry_fts_tag_insert AFTER INSERT ON entry_tag BEGIN\n"
        + _delete("new.entry_id", _tags("entry_id = entry.id", " AND tag <> new.tag"))
        + _insert("new.entry_id")
        + "END"
    )
    op.execute(
        "CREATE TRIGGER entry_fts_tag_delete AFTER DELETE ON entry_tag BEGIN\n"
        + _delete("old.entry_id", _tags("entry_id = entry.id", " UNION ALL SELECT old.tag"))
        + _insert("old.entry_id")
        + "END"
    )
    # Rare (the app replaces tags by deleting and inserting), but kept exact all the same.
    moved = " AND new.entry_id <> old.entry_id"
    op.execute(
        "CREATE TRIGGER entry_fts_tag_update AFTER UPDATE ON entry_tag BEGIN\n"
        + _delete(
            "old.entry_id",
            _tags(
                "entry_id = entry.id",
                " AND NOT (entry_id = new.entry_id AND tag = new.tag) UNION ALL SELECT old.tag",
            ),
        )
        + _delete("new.entry_id", _tags("entry_id = entry.id", " AND tag <> new.tag"), moved)
        + _insert("old.entry_id")
        + _insert("new.entry_id", moved)
        + "END"
    )


def rebuild() -> None:
    """Build the index from the entries (what `check --reindex` does too)."""
    op.execute("INSERT INTO entry_fts (entry_fts) VALUES ('rebuild')")


def upgrade() -> None:
    create_view()
    op.execute(
        "CREATE VIRTUAL TABLE entry_fts USING fts5(title, body, tags, "
        "content='entry_fts_source', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    op.execute(f"INSERT INTO entry_fts (entry_fts, rank) VALUES ('rank', '{RANK}')")
    rebuild()
    create_triggers()
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("query", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("filters", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("saved_search")
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS entry_fts")
    op.execute("DROP VIEW IF EXISTS entry_fts_source")
