"""The full-text index (FTS5, migration 0007): its names, and rebuilding and checking it.

`entry_fts` indexes live entries' titles, texts and tags; triggers keep it in step.
Alembic's autogenerate must not see it (nor its shadow tables `entry_fts_data`,
`entry_fts_idx`, `entry_fts_docsize`, `entry_fts_config`): `include_object` leaves them out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FTS_TABLE = "entry_fts"
FTS_PREFIX = "entry_fts"  # the table, its shadow tables and its source view
SOURCE_VIEW = "entry_fts_source"
# Titles weigh most in the ranking, then tags, then the text.
RANK = "bm25(4.0, 1.0, 2.0)"
_TAGS = (
    "(SELECT group_concat(tag, ' ') FROM "
    "(SELECT tag FROM entry_tag WHERE entry_id = entry.id ORDER BY 1))"
)
CREATE_VIEW = (
    f"CREATE VIEW {SOURCE_VIEW} AS SELECT id, title, body, {_TAGS} AS tags "
    "FROM entry WHERE deleted_at IS NULL"
)
CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, tags, "
    f"content='{SOURCE_VIEW}', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """For Alembic: everything but the FTS5 table and its shadow tables."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_PREFIX))


def names_the_index(problem: str) -> bool:
    """Whether a problem SQLite reported (a check's row, an error's text) is in the search
    index alone. SQLCipher's newer SQLite has quick_check and integrity_check look into
    FTS5 too, and names the table: 'fts5: corruption found reading blob … from table
    "entry_fts"'."""
    return FTS_TABLE in problem or problem.lower().startswith("fts5:")


def is_index_error(exc: BaseException) -> bool:
    """Whether a 'database disk image is malformed' looks like the search index's: FTS5
    reports an index out of step with the entries so (as SQLITE_CORRUPT_VTAB, or as plain
    SQLITE_CORRUPT from inside bm25() or snippet()). Only a sign: a damaged `entry` table
    fails a search the same way, so health.index_alone_at_fault checks the file too."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlite_errorname", None) == "SQLITE_CORRUPT_VTAB":
        return True
    statement = getattr(exc, "statement", None)  # SQLAlchemy keeps the failing statement
    return (isinstance(statement, str) and FTS_TABLE in statement) or names_the_index(str(orig))


def out_of_step_message(path: Path) -> str:
    from reconnect_journal.paths import journal_command

    reindex = journal_command(path, "check --reindex")
    return (
        f"the search index of {path} is out of step with its entries (a problem in the "
        f"index, not in the entries); nothing was changed. '{reindex}' checks the file and "
        "builds the index again from the entries"
    )


def rebuild(connection: Any) -> None:
    """Build the index again from the entries (a DBAPI or SQLAlchemy connection)."""
    _execute(connection, f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")


def index_is_sound(connection: Any) -> bool:
    """Whether the index matches the entries word for word (FTS5 'integrity-check' with
    the content compared too). SQLite reports a mismatch as a malformed database."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    try:
        _execute(
            connection, f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
        )
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        text = str(getattr(exc, "orig", exc)).lower()
        if "malformed" in text or "corrupt" in text:
            return False
        raise
    return True


def index_exists(connection: Any) -> bool:
    row = _execute(
        connection, f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{FTS_TABLE}'"
    ).fetchone()
    return row is not None


def create_index(connection: Any) -> None:
    """Make the index (and its source view) again after it was dropped; `rebuild` fills it.

    The same definitions as migration 0007 (which keeps its own copy, as migrations do)."""
    exists = _execute(
        connection, f"SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = '{SOURCE_VIEW}'"
    ).fetchone()
    if exists is None:
        _execute(connection, CREATE_VIEW)
    _execute(connection, CREATE_TABLE)
    _execute(connection, f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('rank', '{RANK}')")


def _execute(connection: Any, sql: str) -> Any:
    if hasattr(connection, "exec_driver_sql"):
        return connection.exec_driver_sql(sql)
    return connection.execute(sql)
