"""Alembic environment: runs on the connection the app hands over.

New revisions: see tests/test_migrations.py for the checks they must pass.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from reconnect_journal.store import tables  # noqa: F401  (registers the tables)

# The FTS5 index and its shadow tables are made by hand-written migrations (0007):
# autogenerate leaves them out (tests/test_migrations.py uses the same filter).
from reconnect_journal.store.search_index import include_object


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
