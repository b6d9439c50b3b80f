"""The schema is versioned with Alembic from the first release."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.model import EntryQuery
from reconnect_journal.store import engine as store_engine
from reconnect_journal.store.engine import (
    KNOWN_REVISIONS,
    MIGRATIONS_DIR,
    SCHEMA_HEAD,
    make_engine,
    open_store,
    run_migrations,
)


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def test_one_linear_chain_whose_head_the_code_expects() -> None:
    scripts = _scripts()
    assert scripts.get_heads() == [SCHEMA_HEAD]
    chain = [rev.revision for rev in scripts.walk_revisions()]
    assert list(reversed(chain)) == list(KNOWN_REVISIONS)


def test_upgrading_from_the_first_release_schema(journal_path: Path) -> None:
    engine = make_engine(journal_path)
    run_migrations(engine, KNOWN_REVISIONS[0])
    engine.dispose()
    svc = JournalService.open(journal_path)
    svc.close()
    assert svc.store.migrated_from == KNOWN_REVISIONS[0]


def test_migrating_an_empty_file(journal_path: Path) -> None:
    journal_path.touch()
    store = open_store(journal_path)
    store.close()
    conn = sqlite3.connect(journal_path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    conn.close()
    assert {"entry", "entry_barrier", "entry_tag"} <= tables
    assert version == SCHEMA_HEAD
    assert store.migration_backup is None


def test_models_and_migrations_agree(journal_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from reconnect_journal.store.search_index import include_object

    open_store(journal_path).close()
    engine = make_engine(journal_path)
    with engine.connect() as conn:
        # The FTS5 index and its shadow tables are made by hand (migration 0007).
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == []


PREVIOUS = KNOWN_REVISIONS[-2]


def _journal_at_previous_revision(path: Path) -> None:
    engine = make_engine(path)
    run_migrations(engine, PREVIOUS)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO entry (uuid, date, created_at, updated_at, title, body, "
            "emotional_closeness) VALUES ('u-1', '2026-01-02', '2026-01-02 20:00:00.000000', "
            "'2026-01-02 20:00:00.000000', 'Before', 'Written before the upgrade', 3)"
        )
        conn.exec_driver_sql("INSERT INTO entry_barrier VALUES (1, 'grief', 2, 'user')")
    engine.dispose()


def test_upgrading_from_the_previous_revision_keeps_entries_and_a_backup(
    journal_path: Path,
) -> None:
    _journal_at_previous_revision(journal_path)
    svc = JournalService.open(journal_path)
    try:
        assert svc.store.migrated_from == PREVIOUS
        [entry] = svc.list(EntryQuery())
        assert entry.body == "Written before the upgrade"
        assert entry.barrier_map == {"grief": 2}
        assert entry.starred is False
    finally:
        svc.close()
    backup = svc.store.migration_backup
    assert backup is not None and backup.parent == journal_path.parent
    assert backup.stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == PREVIOUS
    assert conn.execute("SELECT body FROM entry").fetchone()[0] == "Written before the upgrade"
    conn.close()


def test_a_newer_schema_is_refused(journal_path: Path) -> None:
    open_store(journal_path).close()
    conn = sqlite3.connect(journal_path)
    conn.execute("UPDATE alembic_version SET version_num = '0999'")
    conn.commit()
    conn.close()
    with pytest.raises(Exception, match="newer Reconnect Journal"):
        open_store(journal_path)


def test_opening_a_current_journal_does_not_import_alembic(journal_path: Path) -> None:
    open_store(journal_path).close()
    code = (
        "import sys; from pathlib import Path;"
        "from reconnect_journal.core.entries import JournalService;"
        f"s = JournalService.open(Path({str(journal_path)!r})); s.list(); s.close();"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    # ...while the module that upgrades does use it.
    assert "alembic" in Path(store_engine.__file__).read_text()
