"""Alembic environment: runs on the connection the app hands over.

New revisions: see tests/test_migrations.py for the checks they must pass.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlmodel import SQLModel

from reconnect_journal.store import tables  # noqa: F401  (registers the tables)

# Virtual FTS tables and their shadow tables are managed by hand-written migrations.
FTS_PREFIX = "entry_fts"


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(FTS_PREFIX))


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("migrations run through reconnect_journal.store.engine only")
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        include_object=include_object,
        render_as_batch=True,  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
