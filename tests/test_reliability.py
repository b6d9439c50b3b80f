"""Backups, restore, corruption, two writers at once, kill -9, bad input, a full disk."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.errors import JournalError
from reconnect_journal.core.model import EntryChanges, EntryQuery, NewEntry
from reconnect_journal.core.search_service import SearchService
from reconnect_journal.store.backups import (
    daily_backup,
    list_backups,
    make_backup,
    newest_good_backup,
    restore,
    rotate,
)
from reconnect_journal.store.crypto import encrypt_file, file_kind

PASS = "correct horse battery"
SRC = str(Path(__file__).resolve().parents[1] / "src")


def run_cli(
    *args: str, db: Path, stdin: bytes = b"", passphrase: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECONNECT_JOURNAL")}
    env["RECONNECT_JOURNAL_DB"] = str(db)
    if passphrase:
        env["RECONNECT_JOURNAL_PASSPHRASE"] = passphrase
    return subprocess.run(
        [sys.executable, "-c", "from reconnect_journal.launch import main; main()", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
    )


def add_many(path: Path, count: int, prefix: str = "entry") -> None:
    journal = JournalService.open(path)
    try:
        for i in range(count):
            journal.add(NewEntry(body=f"{prefix} {i} #tag{i % 7}", emotional_closeness=1 + i % 5))
    finally:
        journal.close()


def all_bodies(path: Path, passphrase: str | None = None) -> list[str]:
    journal = JournalService.open(path, passphrase=passphrase)
    try:
        return sorted(e.body for e in journal.list(EntryQuery(limit=None)))
    finally:
        journal.close()


def integrity(path: Path, passphrase: str | None = None) -> list[str]:
    from reconnect_journal.store.crypto import keyed

    key = passphrase if file_kind(path) == "encrypted" else None
    with keyed(path, key) as conn:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]


# -- backups ----------------------------------------------------------------------------


def test_a_daily_backup_keeps_the_windows_hold_on_the_journal(journal_path: Path) -> None:
    """POSIX locks belong to the process, and closing any descriptor of the file drops them
    all: reading the journal's header with a plain open() while the window has it open
    once let a command in another terminal take the window's WAL away, and with it what
    was saved there (a QA pass lost an entry this way)."""
    add_many(journal_path, 1)
    window = JournalService.open(journal_path)
    try:
        window.add(NewEntry(body="saved in the window"))  # in the WAL, not checkpointed
        wal = Path(f"{journal_path}-wal")
        assert wal.exists()
        assert file_kind(journal_path) == "plain"
        make_backup(journal_path)  # the first window of the day makes one
        listed = run_cli("list", "--json", db=journal_path)
        assert listed.returncode == 0, listed.stderr
        assert len(json.loads(listed.stdout)) == 2
        assert wal.exists(), "another process took the window's WAL away"
        window.add(NewEntry(body="saved after the command"))
        added = run_cli("add", "added from the command line", db=journal_path)
        assert added.returncode == 0, added.stderr
        assert len(window.list(EntryQuery(limit=None))) == 4
    finally:
        window.close()
    assert len(all_bodies(journal_path)) == 4
    assert integrity(journal_path) == ["ok"]


def test_backup_and_restore_while_another_window_writes(journal_path: Path) -> None:
    add_many(journal_path, 50)
    writer = JournalService.open(journal_path)
    try:
        writer.add(NewEntry(body="not yet checkpointed"))  # sits in the WAL
        backup = make_backup(journal_path)
        writer.add(NewEntry(body="after the backup"))
    finally:
        writer.close()
    assert backup.parent == journal_path.parent / "backups"
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert "not yet checkpointed" in all_bodies(backup)
    kept = restore(journal_path, backup)
    assert kept is not None and "after the backup" in all_bodies(kept)
    assert "after the backup" not in all_bodies(journal_path)
    assert len(all_bodies(journal_path)) == 51
    assert integrity(journal_path) == ["ok"]


def test_reading_neither_waits_for_nor_holds_up_another_window_saving(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long read (an export, all-time trends, a search) takes no write lock: it sees
    what was saved last, and a save in another window goes ahead while it runs."""
    from reconnect_journal.core.search import Search
    from reconnect_journal.core.trend_service import TrendsService
    from reconnect_journal.store import engine

    add_many(journal_path, 30)
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 50)  # a read that waited would fail fast
    monkeypatch.setattr(engine, "BUSY_RETRIES", 0)
    journal = JournalService.open(journal_path)
    other = sqlite3.connect(journal_path, isolation_level=None, timeout=0.05)
    try:
        other.execute("BEGIN IMMEDIATE")  # another window, half-way through a save
        other.execute("UPDATE entry SET body = 'half-saved' WHERE id = 1")
        assert len(journal.list(EntryQuery(limit=None))) == 30
        assert journal.get(1).body == "entry 0 #tag0"
        assert journal.count() == 30
        found = SearchService(journal.store).find(Search("entry"), limit=None)
        assert len(found) == 30
        trends = TrendsService(journal.store, today=dt.date.today)
        assert trends.totals(None, None).entries == 30
        with pytest.raises(JournalError, match="busy"):
            journal.add(NewEntry(body="waits its turn"))  # writing still takes turns
        other.execute("COMMIT")

        stream = journal.iter_entries(EntryQuery(), page_size=5)  # an export under way
        first = next(stream)
        other.execute("BEGIN IMMEDIATE")  # would time out if the export held the lock
        other.execute("UPDATE entry SET body = 'saved meanwhile' WHERE id = 30")
        other.execute("COMMIT")
        rest = list(stream)
        # The export keeps the picture it started with.
        assert [first.id] + [e.id for e in rest] == list(range(1, 31))
        assert rest[-1].body == "entry 29 #tag1"
        assert journal.get(30).body == "saved meanwhile"
    finally:
        other.close()
        journal.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(journal_path: Path) -> None:
    add_many(journal_path, 5)
    bad = journal_path.parent / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    before = journal_path.read_bytes()
    with pytest.raises(JournalError, match="nothing was changed"):
        restore(journal_path, bad)
    assert journal_path.read_bytes() == before
    assert list_backups(journal_path) == []


def test_encrypted_backups_stay_encrypted(journal_path: Path) -> None:
    add_many(journal_path, 3)
    encrypt_file(journal_path, PASS)
    made = make_backup(journal_path, passphrase=PASS)
    assert file_kind(made) == "encrypted"
    assert len(all_bodies(made, PASS)) == 3


def test_daily_backups_keep_seven_days_and_four_weeks(journal_path: Path) -> None:
    add_many(journal_path, 1)
    start = dt.date(2026, 1, 1)
    for offset in range(60):
        made = daily_backup(journal_path, start + dt.timedelta(days=offset))
        assert made is not None
    assert daily_backup(journal_path, start + dt.timedelta(days=59)) is None  # once a day
    days = sorted(p.name for p in list_backups(journal_path))
    assert len(days) <= 7 + 4 and len(days) >= 7
    newest = [f"journal.db-daily-{start + dt.timedelta(days=59 - i)}.db" for i in range(7)]
    assert set(newest) <= set(days)
    weeks = {dt.date.fromisoformat(name[17:27]).isocalendar()[:2] for name in days}
    assert len(weeks) >= 4
    assert (
        rotate(journal_path, keep_daily=1, keep_weekly=0) and len(list_backups(journal_path)) == 1
    )


def test_a_journal_named_like_another_with_more_keeps_its_own_backups(tmp_path: Path) -> None:
    """'journal-old.db' beside 'journal.db': its backups ('journal-old-….db') once counted
    as journal.db's, so erasing journal.db removed them, and encrypting it encrypted them
    with the wrong passphrase."""
    main, other = tmp_path / "journal.db", tmp_path / "journal-old.db"
    add_many(main, 1)
    add_many(other, 1, prefix="old")
    theirs = [
        make_backup(other),
        daily_backup(other, dt.date(2026, 1, 1)),
        daily_backup(other, dt.date(2026, 1, 2)),
    ]
    assert all(theirs)
    ours = make_backup(main)
    assert list_backups(main) == [ours]
    assert sorted(list_backups(other)) == sorted(p for p in theirs if p)
    rotate(main, keep_daily=0, keep_weekly=0)
    encrypted = run_cli("encrypt", db=main, passphrase=PASS)
    assert encrypted.returncode == 0, encrypted.stderr
    assert all(file_kind(p) == "plain" for p in theirs if p)
    erased = run_cli("erase", "--yes", db=main)
    assert erased.returncode == 0, erased.stderr
    assert not ours.exists() and all(p.exists() for p in theirs if p)
    assert all_bodies(other) == ["old 0 #tag0"]


def test_erase_removes_journal_backups_and_temp_files(journal_path: Path) -> None:
    add_many(journal_path, 2)
    make_backup(journal_path)
    from reconnect_journal.tui.external_editor import private_tmp_dir

    (private_tmp_dir(journal_path) / "entry-left-by-a-crash.md").write_text("x")
    # Words kept beside the journal when it was found damaged are its drafts too.
    unsaved = journal_path.with_name(f"{journal_path.name}.unsaved-20261124-193000.md")
    unsaved.write_text("unsaved words")
    other = journal_path.parent / "notes.txt"
    other.write_text("not ours")
    # Another journal in the same folder keeps its own temp files.
    neighbour = journal_path.parent / "neighbour.db"
    (private_tmp_dir(neighbour) / "entry-1.md").write_text("the neighbour's")
    assert run_cli("erase", db=journal_path).returncode == 2  # needs --yes without a terminal
    assert journal_path.exists()
    result = run_cli("erase", "--yes", db=journal_path)
    assert result.returncode == 0, result.stderr
    assert not journal_path.exists()
    assert list_backups(journal_path) == []
    assert not (journal_path.parent / "tmp" / journal_path.stem).exists()
    assert not unsaved.exists()
    assert other.read_text() == "not ours"
    assert (journal_path.parent / "tmp" / "neighbour" / "entry-1.md").read_text() == (
        "the neighbour's"
    )


def test_erase_refuses_while_a_window_has_the_journal_open(journal_path: Path) -> None:
    """QA: `erase --yes` under an open window removed every file, and the window went on
    saying "Saved." for words written into a journal that no longer existed."""
    add_many(journal_path, 2)
    make_backup(journal_path)
    window = JournalService.open(journal_path)
    try:
        result = run_cli("erase", "--yes", db=journal_path)
        assert result.returncode == 1, result
        assert b"open in another window" in result.stderr and b"nothing was changed" in (
            result.stderr
        )
        assert result.stderr.count(b"\n") == 1
        window.add(NewEntry(body="written after the refusal"))
    finally:
        window.close()
    assert len(all_bodies(journal_path)) == 3 and list_backups(journal_path)
    assert run_cli("erase", "--yes", db=journal_path).returncode == 0  # once it is closed
    assert not journal_path.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.db", b"hello, I am a text file"),  # a mistyped --db
        ("other-app.db", None),  # some other program's SQLite database
    ],
)
def test_erase_never_removes_a_file_that_is_not_a_journal(
    tmp_path: Path, name: str, content: bytes | None
) -> None:
    target = tmp_path / name
    if content is None:
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
        conn.close()
    else:
        target.write_bytes(content)
    before = target.read_bytes()
    result = run_cli("erase", "--yes", db=target)
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (
        f"reconnect-journal: {target} is not a Reconnect Journal file; nothing was erased"
    )
    assert target.read_bytes() == before


# -- corruption -------------------------------------------------------------------------


def test_a_suggested_command_acts_on_the_journal_named_with_db(tmp_path: Path) -> None:
    """Copying a hint given for `--db PATH` must not act on the default journal."""
    import shlex

    journal = tmp_path / "elsewhere" / "mine.db"
    journal.parent.mkdir()
    add_many(journal, 50)
    backup = make_backup(journal)
    journal.write_bytes(journal.read_bytes()[: journal.stat().st_size // 2 + 100])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECONNECT_JOURNAL", "XDG_"))}
    env["HOME"] = str(tmp_path / "home")  # the default journal is somewhere else

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        code = "from reconnect_journal.launch import main; main()"
        return subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
        )

    damaged = cli("--db", str(journal), "list")
    assert damaged.returncode == 1
    hint = damaged.stderr.split("restore it with '")[1].split("'")[0]
    assert hint == f"reconnect-journal --db {journal} restore {backup}"
    restored = cli(*shlex.split(hint)[1:])
    assert restored.returncode == 0, restored.stderr
    assert len(all_bodies(journal)) == 50
    assert not (tmp_path / "home" / ".local").exists()  # the default journal was never made
    trashed = cli("--db", str(journal), "delete", "3")
    assert f"'reconnect-journal --db {journal} undelete 3' brings it back" in trashed.stdout


def test_restore_onto_a_new_computer_makes_the_private_data_folder(tmp_path: Path) -> None:
    source = tmp_path / "old" / "journal.db"
    source.parent.mkdir()
    add_many(source, 3)
    backup = make_backup(source)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECONNECT_JOURNAL", "XDG_"))}
    env["HOME"] = str(tmp_path / "new-home")  # nothing of the journal's there yet
    code = "from reconnect_journal.launch import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "restore", str(backup)], capture_output=True, env=env
    )
    assert done.returncode == 0, done.stderr
    restored = tmp_path / "new-home" / ".local" / "share" / "reconnect-journal" / "journal.db"
    assert len(all_bodies(restored)) == 3
    assert oct(restored.parent.stat().st_mode & 0o777) == "0o700"


def test_damaged_files_name_the_newest_good_backup(journal_path: Path) -> None:
    add_many(journal_path, 200)
    backup = make_backup(journal_path)
    assert newest_good_backup(journal_path) == backup
    data = bytearray(journal_path.read_bytes())
    # Truncated: half the file.
    truncated = journal_path.parent / "journal.db"
    truncated.write_bytes(bytes(data[: len(data) // 2 + 100]))
    for args in (["list"], ["check"], ["add", "x"]):
        before = truncated.read_bytes()
        result = run_cli(*args, db=truncated)
        err = result.stderr.decode()
        assert result.returncode == 1, err
        assert str(truncated) in err and str(backup) in err and "restore" in err, err
        assert "Traceback" not in err and err.count("\n") == 1
        assert truncated.read_bytes() == before
    # A page overwritten (the header intact), one that adding an entry does not touch:
    # the check finds it.
    damaged = bytearray(data)
    assert len(damaged) > 40960 + 4096
    damaged[40960 : 40960 + 4096] = b"\xde\xad" * 2048
    journal_path.write_bytes(bytes(damaged))
    result = run_cli("check", db=journal_path)
    assert result.returncode == 1
    out = (result.stdout + result.stderr).decode()
    assert "damaged" in out.lower() or "fail" in out.lower()
    assert journal_path.read_bytes() == bytes(damaged)
    # Once a check found it damaged, no command writes to it (adding an entry once did,
    # where the damage lay in pages the write did not touch); reading still works.
    jrnl = journal_path.parent / "some.journal"
    jrnl.write_text("[2025-01-01 09:00] From jrnl.\nText.\n", encoding="utf-8")
    for args in (["add", "x"], ["delete", "1"], ["import", str(jrnl)]):
        result = run_cli(*args, db=journal_path)
        err = result.stderr.decode()
        assert result.returncode == 1 and f"{journal_path} is damaged" in err, (args, err)
        assert str(backup) in err and err.count("\n") == 1
        assert journal_path.read_bytes() == bytes(damaged)
    # Restoring the named backup brings everything back, and it can be written again.
    assert run_cli("restore", str(backup), db=journal_path).returncode == 0
    assert len(all_bodies(journal_path)) == 200
    assert run_cli("add", "after the restore", db=journal_path).returncode == 0
    assert len(all_bodies(journal_path)) == 201


def test_not_a_journal_is_never_written(journal_path: Path) -> None:
    journal_path.write_text("my shopping list\n")
    result = run_cli("list", db=journal_path)
    assert result.returncode == 1
    assert b"not a Reconnect Journal file" in result.stderr
    assert journal_path.read_text() == "my shopping list\n"


# -- two windows at once ----------------------------------------------------------------

WRITER = """
import sys
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.model import NewEntry
path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
journal = JournalService.open(__import__("pathlib").Path(path))
for i in range(count):
    journal.add(NewEntry(body=f"{name} {i}", tags=[name]))
    if i % 50 == 0:
        journal.list()
journal.close()
print("done")
"""


@pytest.mark.slow
def test_two_processes_write_a_thousand_entries_each(journal_path: Path) -> None:
    JournalService.open(journal_path).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(journal_path), name, "1000"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("left", "right")
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        assert b"locked" not in err
    found = all_bodies(journal_path)
    assert len(found) == 2000
    assert {f"left {i}" for i in range(1000)} | {f"right {i}" for i in range(1000)} == set(found)


def test_second_save_of_the_same_entry_keeps_both(journal_path: Path) -> None:
    first = JournalService.open(journal_path)
    second = JournalService.open(journal_path)
    try:
        entry = first.add(NewEntry(body="original"))
        stale = second.get(entry.id)
        first.edit(entry.id, EntryChanges(body="from window one"))
        saved, kept_both = second.edit_or_keep_both(
            stale, EntryChanges(body="from window two"), NewEntry(body="from window two")
        )
        assert kept_both and saved.id != entry.id
        assert first.get(entry.id).body == "from window one"
        fresh = second.get(entry.id)
        again, kept = second.edit_or_keep_both(
            fresh, EntryChanges(body="calm edit"), NewEntry(body="calm edit")
        )
        assert not kept and again.id == entry.id and again.version == fresh.version + 1
    finally:
        first.close()
        second.close()
    assert all_bodies(journal_path) == ["calm edit", "from window two"]


# -- kill -9 ----------------------------------------------------------------------------


def _kill_at_random(args: list[str], delay: tuple[float, float], seed: int) -> bool:
    """Start the child, wait until it says "ready" (its imports done, the work about to
    start), then kill -9 it after a random delay. True if it was still working."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    time.sleep(random.Random(seed).uniform(*delay))
    running = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return running


SAVER = """
import sys, pathlib
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.model import NewEntry, EntryChanges
from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.model import BarrierTag
journal = JournalService.open(pathlib.Path(sys.argv[1]))
print("ready", flush=True)
i = 0
while True:
    grief = [BarrierTag(Barrier.GRIEF, 2, "user")]
    e = journal.add(NewEntry(body=f"saved {i} #kept", barriers=grief))
    journal.edit(e.id, EntryChanges(body=f"saved {i} edited #kept"))
    i += 1
"""


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_during_saves_leaves_whole_entries(journal_path: Path, seed: int) -> None:
    JournalService.open(journal_path).close()
    assert _kill_at_random([sys.executable, "-c", SAVER, str(journal_path)], (0.2, 1.0), seed)
    assert integrity(journal_path) == ["ok"]
    journal = JournalService.open(journal_path)
    try:
        entries = journal.list(EntryQuery(limit=None))
        assert entries, "the saver never got going"
        for entry in entries:
            # each entry is either as added or as edited, never in between
            assert entry.body.endswith((" #kept", " edited #kept"))
            assert entry.tags == ("kept",) and entry.barrier_map == {"grief": 2}
    finally:
        journal.close()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_during_import_is_all_or_nothing(
    journal_path: Path, tmp_path: Path, seed: int
) -> None:
    add_many(journal_path, 3, "mine")
    export = {
        "version": 1,
        "entries": [
            {
                "date": "2026-01-02",
                "created_at": "2026-01-02T20:00:00+00:00",
                "body": f"imported {i} " + "words " * 50,
                "tags": ["a", "b"],
                "barriers": {"trust": 1},
            }
            for i in range(3000)
        ],
    }
    source = tmp_path / "big.json"
    source.write_text(json.dumps(export))
    _kill_at_random(
        [sys.executable, "-c", IMPORTER, str(journal_path), str(source)], (0.0, 0.7), seed
    )
    assert integrity(journal_path) == ["ok"]
    count = len(all_bodies(journal_path))
    assert count in (3, 3003)


IMPORTER = """
import sys, pathlib
from reconnect_journal.core.entries import JournalService
from reconnect_journal.io.importing import parse_kind, run_import
journal = JournalService.open(pathlib.Path(sys.argv[1]))
print("ready", flush=True)
run_import(journal, pathlib.Path(sys.argv[2]), parse_kind("auto"), skip_unreadable=False)
"""

ENCRYPTER = """
import sys, pathlib
from reconnect_journal.store.crypto import encrypt_file
import sqlcipher3
print("ready", flush=True)
encrypt_file(pathlib.Path(sys.argv[1]), "correct horse battery")
"""


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_during_encrypt_leaves_old_or_new(journal_path: Path, seed: int) -> None:
    add_many(journal_path, 400)
    _kill_at_random([sys.executable, "-c", ENCRYPTER, str(journal_path)], (0.0, 0.8), seed)
    kind = file_kind(journal_path)
    assert kind in ("plain", "encrypted")
    passphrase = PASS if kind == "encrypted" else None
    assert integrity(journal_path, passphrase) == ["ok"]
    assert len(all_bodies(journal_path, passphrase)) == 400


MIGRATOR = """
import sys, pathlib
from reconnect_journal.store.engine import open_store
import alembic.command, reconnect_journal.store.tables
print("ready", flush=True)
open_store(pathlib.Path(sys.argv[1])).close()
"""


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_during_migration_leaves_old_or_new(journal_path: Path, seed: int) -> None:
    from reconnect_journal.store.engine import (
        KNOWN_REVISIONS,
        SCHEMA_HEAD,
        make_engine,
        run_migrations,
    )

    engine = make_engine(journal_path)
    run_migrations(engine, KNOWN_REVISIONS[0])
    with engine.begin() as conn:
        for i in range(2000):
            conn.exec_driver_sql(
                "INSERT INTO entry (uuid, date, created_at, updated_at, title, body) VALUES "
                f"('u-{i}', '2026-01-02', '2026-01-02 20:00:00.000000', "
                f"'2026-01-02 20:00:00.000000', 'T', 'old words {i}')"
            )
    engine.dispose()
    _kill_at_random([sys.executable, "-c", MIGRATOR, str(journal_path)], (0.0, 0.15), seed)
    assert integrity(journal_path) == ["ok"]
    conn = sqlite3.connect(journal_path)
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    count = conn.execute("SELECT count(*) FROM entry").fetchone()[0]
    conn.close()
    assert revision in (KNOWN_REVISIONS[0], SCHEMA_HEAD)
    assert count == 2000
    assert len(all_bodies(journal_path)) == 2000  # and it opens (upgrading if needed)


# -- bad input --------------------------------------------------------------------------


def test_huge_odd_and_right_to_left_text_stays_intact(journal_path: Path) -> None:
    texts = [
        "שלום, אני כותב מימין לשמאל 🌙 and then English 👩‍❤️‍👨",
        "control \x01\x02\x1b[31m chars\ttab\r\nline",
        ("ten megabytes " * 750_000)[:10_000_000],
    ]
    for text in texts:
        result = run_cli("add", "--json", "-", db=journal_path, stdin=text.encode())
        assert result.returncode == 0, result.stderr
    shown = json.loads(run_cli("list", "--json", "--all", db=journal_path).stdout)
    assert sorted(e["body"] for e in shown) == sorted(texts)


def test_invalid_utf8_on_stdin_is_refused_and_changes_nothing(journal_path: Path) -> None:
    add_many(journal_path, 1)
    before = all_bodies(journal_path)
    result = run_cli("add", "-", db=journal_path, stdin=b"caf\xe9 \xff\xfe")
    assert result.returncode == 2
    assert b"UTF-8" in result.stderr and b"Traceback" not in result.stderr
    assert all_bodies(journal_path) == before


def test_a_full_disk_gives_a_clear_message_and_loses_nothing(journal_path: Path) -> None:
    from sqlalchemy import event

    add_many(journal_path, 20)
    journal = JournalService.open(journal_path)
    try:
        journal.store.engine.dispose()

        def tiny(dbapi_connection: object, _record: object) -> None:
            # No room for more pages: SQLite answers SQLITE_FULL, as on a full disk.
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")  # type: ignore[attr-defined]

        event.listen(journal.store.engine, "connect", tiny)
        with pytest.raises(JournalError, match="disk is full"):
            journal.add(NewEntry(body="x" * 2_000_000))
    finally:
        journal.close()
    assert len(all_bodies(journal_path)) == 20
    assert integrity(journal_path) == ["ok"]


COMMANDS = [
    "add",
    "list",
    "show",
    "edit",
    "delete",
    "trash",
    "undelete",
    "purge",
    "paths",
    "stats",
    "export",
    "import",
    "backup",
    "restore",
    "check",
    "encrypt",
    "decrypt",
    "passwd",
    "prompt",
    "suggest",
    "search",
]
OPTIONS = [
    "--json",
    "--all",
    "-n",
    "--limit",
    "--from",
    "--to",
    "--barrier",
    "--tag",
    "-e",
    "-p",
    "--date",
    "--title",
    "--format",
    "--layout",
    "--by",
    "--yes",
    "--star",
    "--db",
    "-",
]


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.one_of(
            st.sampled_from(COMMANDS),
            st.sampled_from(OPTIONS),
            st.text(max_size=20),
            st.sampled_from(["0", "-1", "99999999999999999999", "today", "grief:9", "2026-02-30"]),
        ),
        max_size=6,
    )
)
def test_fuzzed_command_lines_never_crash(args: list[str]) -> None:
    import typer

    from reconnect_journal.cli import app

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "journal.db"
        add_many(db, 2)
        os.environ["RECONNECT_JOURNAL_DB"] = str(db)
        stdin, stderr = sys.stdin, sys.stderr
        sys.stdin = io.TextIOWrapper(io.BytesIO(b"from stdin"))
        sys.stderr = io.StringIO()
        try:
            # A relative path among the arguments (--db x, --out x) lands here, not in the
            # working tree.
            with contextlib.chdir(folder):
                typer.main.get_command(app)(args, standalone_mode=False)
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        finally:
            message = sys.stderr.getvalue()
            sys.stdin, sys.stderr = stdin, stderr
            del os.environ["RECONNECT_JOURNAL_DB"]
        assert code in (0, 1, 2), (args, code, message)
        assert "unexpected error" not in message, (args, message)
        assert "Traceback" not in message
        if db.exists() and file_kind(db) == "plain":
            assert integrity(db) == ["ok"]


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_fuzzed_import_files_change_nothing_or_import_cleanly(data: bytes) -> None:
    from reconnect_journal.io.importing import parse_kind, run_import

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "journal.db"
        add_many(db, 2)
        source = Path(folder) / "input.txt"
        source.write_bytes(data)
        journal = JournalService.open(db)
        try:
            try:
                run_import(journal, source, parse_kind("auto"), skip_unreadable=False)
            except JournalError:
                assert len(journal.list(EntryQuery(limit=None))) == 2
        finally:
            journal.close()
        assert integrity(db) == ["ok"]


def _overwrite_pages(path: Path, name: str, count: int, *, skip: int = 0) -> int:
    """Overwrite `count` leaf pages of table or index `name` with noise, as a failing disk
    might; returns how many rows they held."""
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute(
            "SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY 1",
            (name,),
        ).fetchall()[skip : skip + count]
    conn.close()
    assert len(pages) == count, pages
    with path.open("r+b") as handle:
        for page, _ in pages:
            handle.seek((page - 1) * page_size)
            handle.write(random.Random(page).randbytes(page_size))
    return sum(rows for _, rows in pages)


def test_a_damaged_journal_exports_every_entry_it_can_still_read(tmp_path: Path) -> None:
    journal_path = tmp_path / "journal.db"
    add_many(journal_path, 300)
    journal = JournalService.open(journal_path)
    try:
        original = {e.uuid: e for e in journal.iter_entries()}
    finally:
        journal.close()
    lost = _overwrite_pages(journal_path, "entry", 2, skip=3)
    damaged = journal_path.read_bytes()

    out = tmp_path / "out.json"
    result = run_cli("export", "--format", "json", "--out", str(out), db=journal_path)
    said = result.stdout.decode()
    # Not complete, so not a success for a script; but what could be read is kept.
    assert result.returncode == 1, result.stderr
    exported = json.loads(out.read_text(encoding="utf-8"))["entries"]
    missing = len(original) - len(exported)
    assert missing == lost, (missing, lost)  # those on the damaged pages, and no more
    assert f"Exported {len(exported)} entries to {out}." in said
    assert f"The journal is damaged: {missing} entries could not be read" in said
    for item in exported:  # each one whole and unchanged
        entry = original[item["uuid"]]
        assert item["body"] == entry.body and item["tags"] == list(entry.tags)
        assert item["emotional_closeness"] == entry.emotional_closeness
    assert [item["created_at"] for item in exported] == sorted(i["created_at"] for i in exported)
    assert journal_path.read_bytes() == damaged  # nothing written to it

    # Now that the journal is known to be damaged, an export to stdout saves what it can too.
    result = run_cli("export", db=journal_path)
    assert result.returncode == 1
    assert result.stdout.decode().count("<!-- reconnect-journal:entry ") == len(exported)
    assert f"{missing} entries could not be read" in result.stderr.decode()
    # And the damaged-journal message says so.
    result = run_cli("add", "more", db=journal_path)
    assert "export --out FILE' saves what can still be read" in result.stderr.decode()


def test_damage_only_to_barriers_and_tags_keeps_every_entry_and_says_so(tmp_path: Path) -> None:
    journal_path = tmp_path / "journal.db"
    add_many(journal_path, 300)
    # The index that each entry's tags are read through (each entry has one tag).
    damaged = _overwrite_pages(journal_path, "sqlite_autoindex_entry_tag_1", 1)
    out = tmp_path / "out.md"
    result = run_cli("export", "--out", str(out), db=journal_path)
    said = result.stdout.decode()
    assert result.returncode == 1
    text = out.read_text(encoding="utf-8")
    assert text.count("<!-- reconnect-journal:entry ") == 300
    untagged = text.count('"tags":[]')
    # Those whose tags were on the damaged page (and at most one beside it).
    assert damaged <= untagged <= damaged + 1, (damaged, untagged)
    assert f"every entry could be read. {untagged} entries came without their" in said, said
    assert "The newest good backup" in said or "keep the file" in said


def test_a_damaged_journal_read_whole_says_how_to_carry_on(tmp_path: Path) -> None:
    journal_path = tmp_path / "journal.db"
    add_many(journal_path, 300)
    # An index that an export never reads: `check` finds it, the export loses nothing.
    _overwrite_pages(journal_path, "ix_entry_tag_tag", 1)
    assert run_cli("check", db=journal_path).returncode == 1
    out = tmp_path / "out.md"
    result = run_cli("export", "--out", str(out), db=journal_path)
    said = result.stdout.decode()
    assert result.returncode == 0, said
    assert out.read_text(encoding="utf-8").count("<!-- reconnect-journal:entry ") == 300
    assert "The journal is damaged, but every entry could be read. Importing this" in said


# -- found by QA: backup, restore, encrypt, decrypt -------------------------------------


def test_restore_refuses_while_a_window_has_the_journal_open(journal_path: Path) -> None:
    """A restore under an open window replaced the file the window kept writing to: it
    said "Saved." and everything written after the restore was lost."""
    add_many(journal_path, 2)
    backup = make_backup(journal_path)
    window = JournalService.open(journal_path)
    try:
        window.add(NewEntry(body="written in the window"))
        result = run_cli("restore", str(backup), db=journal_path)
        assert result.returncode == 1, result
        assert b"open in another window" in result.stderr, result.stderr
        assert b"close it there" in result.stderr
        assert result.stderr.count(b"\n") == 1
        window.add(NewEntry(body="written after the refusal"))
    finally:
        window.close()
    assert len(all_bodies(journal_path)) == 4
    assert [p for p in list_backups(journal_path) if "before-restore" in p.name] == []
    done = run_cli("restore", str(backup), db=journal_path)  # once the window is closed
    assert done.returncode == 0, done.stderr
    assert len(all_bodies(journal_path)) == 2


def test_restore_refuses_while_open_even_without_the_journals_passphrase(
    journal_path: Path,
) -> None:
    add_many(journal_path, 2)
    plain_backup = make_backup(journal_path)
    encrypt_file(journal_path, PASS)
    window = JournalService.open(journal_path, passphrase=PASS)
    try:
        window.add(NewEntry(body="written in the window"))
        result = run_cli("restore", str(plain_backup), db=journal_path)
        assert result.returncode == 1, result
        assert b"open in another window" in result.stderr, result.stderr
        window.add(NewEntry(body="written after the refusal"))
    finally:
        window.close()
    assert file_kind(journal_path) == "encrypted"
    assert len(all_bodies(journal_path, PASS)) == 4


def test_journals_differing_only_in_extension_keep_their_own_backups(tmp_path: Path) -> None:
    """'j.db' and 'j.sqlite' in one folder once shared backup names: erasing j.db removed
    j.sqlite's backups, and a damaged-file message could name the other journal's."""
    first, second = tmp_path / "j.db", tmp_path / "j.sqlite"
    add_many(first, 1, prefix="first")
    add_many(second, 1, prefix="second")
    theirs = [make_backup(second), daily_backup(second, dt.date(2026, 1, 1))]
    ours = [make_backup(first), daily_backup(first, dt.date(2026, 1, 1))]
    assert all(theirs) and all(ours)
    assert sorted(list_backups(first)) == sorted(p for p in ours if p)
    assert sorted(list_backups(second)) == sorted(p for p in theirs if p)
    assert all(all_bodies(p) == ["first 0 #tag0"] for p in list_backups(first))
    erased = run_cli("erase", "--yes", db=first)
    assert erased.returncode == 0, erased.stderr
    assert all(p.exists() for p in theirs if p)
    assert all(not p.exists() for p in ours if p)
    assert newest_good_backup(second) in theirs


def test_backups_named_the_old_way_still_belong_to_their_journal(journal_path: Path) -> None:
    """Backups made before names carried the journal's whole file name ('journal-….db')
    are still listed, rotated, found for a damaged file and restored."""
    add_many(journal_path, 2)
    folder = journal_path.parent / "backups"
    old_daily = [
        make_backup(journal_path, folder / f"journal-daily-2026-01-0{day}.db")
        for day in range(1, 10)
        if folder.mkdir(mode=0o700, exist_ok=True) is None
    ]
    old_manual = make_backup(journal_path, folder / "journal-20260101-101010.db")
    old_kept = make_backup(journal_path, folder / "journal-before-restore-20260101-101011.db")
    listed = list_backups(journal_path)
    assert set(old_daily) | {old_manual, old_kept} == set(listed)
    assert newest_good_backup(journal_path) in listed
    rotate(journal_path, keep_daily=2, keep_weekly=0)
    assert {p.name for p in list_backups(journal_path) if "daily" in p.name} == {
        "journal-daily-2026-01-09.db",
        "journal-daily-2026-01-08.db",
    }
    # The first launch of a day that already has an old-style daily backup makes no other.
    assert daily_backup(journal_path, dt.date(2026, 1, 9)) is None
    add_many(journal_path, 1, prefix="later")
    restored = run_cli("restore", str(old_manual), db=journal_path)
    assert restored.returncode == 0, restored.stderr
    assert len(all_bodies(journal_path)) == 2
    new = make_backup(journal_path)
    assert new in list_backups(journal_path) and new.name.startswith("journal.db-")


def test_erase_leaves_old_style_backups_another_journal_may_own(tmp_path: Path) -> None:
    first, second = tmp_path / "j.db", tmp_path / "j.sqlite"
    add_many(first, 1)
    add_many(second, 1, prefix="second")
    (tmp_path / "backups").mkdir(mode=0o700)
    old = make_backup(second, tmp_path / "backups" / "j-20260101-101010.db")  # before
    erased = run_cli("erase", "--yes", db=first)
    assert erased.returncode == 0, erased.stderr
    assert old.exists() and b"may be its" in erased.stderr
    assert not first.exists() and second.exists()


def test_check_on_a_badly_damaged_file_gives_a_short_summary(journal_path: Path) -> None:
    """SQLite's integrity_check answers with one row of ~100 lines; check once printed
    every one of them."""
    add_many(journal_path, 400)
    journal = JournalService.open(journal_path)
    try:
        for i in range(300):
            journal.add(NewEntry(body=f"long entry {i} " + "words " * 400))
    finally:
        journal.close()
    backup = make_backup(journal_path)
    with journal_path.open("r+b") as handle:
        for page in range(60, 160):
            handle.seek(page * 4096)
            handle.write(b"\xde\xad" * 50)
    result = run_cli("check", db=journal_path)
    out = result.stdout.decode()
    assert result.returncode == 1
    assert out.count("\n") == 1, out
    assert "btreeInitPage" in out or "Page" in out
    assert "more problems" in out and "*** in database" not in out
    assert str(backup) in out
    mark = journal_path.with_name(f".{journal_path.name}.damaged").read_text()
    assert mark.count("\n") == 1, mark
    listed = run_cli("list", db=journal_path)
    assert listed.stderr.count(b"\n") == 1


def test_restore_of_something_that_is_not_a_file_says_so(journal_path: Path) -> None:
    add_many(journal_path, 1)
    result = run_cli("restore", "/dev/null", db=journal_path)
    assert result.returncode == 1
    assert b"/dev/null is not a journal backup file" in result.stderr, result.stderr
    assert b"does not exist" not in result.stderr


def test_a_disk_io_error_says_the_disk_may_be_full(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    from collections import namedtuple

    from reconnect_journal.store.engine import _message_for

    error = sqlite3.OperationalError("disk I/O error")
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(10**9, 10**9, 0))
    assert "the disk is full" in _message_for(error, journal_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(10**9, 10**8, 9 * 10**8))
    message = _message_for(error, journal_path)
    assert "disk I/O error" in message and "full" in message and str(journal_path) in message


def test_a_full_disk_during_encrypt_says_so_and_changes_nothing(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import contextmanager

    from reconnect_journal.store import crypto

    add_many(journal_path, 20)
    before = all_bodies(journal_path)
    real_keyed = crypto.keyed

    class Full:
        def __init__(self, conn: object) -> None:
            self.conn = conn

        def execute(self, sql: str, *args: object) -> object:
            if "sqlcipher_export" in sql:
                raise crypto.dbapi().OperationalError("database or disk is full")
            return self.conn.execute(sql, *args)  # type: ignore[attr-defined]

    @contextmanager
    def keyed(path: Path, passphrase: str | None):  # type: ignore[no-untyped-def]
        with real_keyed(path, passphrase) as conn:
            yield Full(conn)

    monkeypatch.setattr(crypto, "keyed", keyed)
    with pytest.raises(JournalError) as caught:
        encrypt_file(journal_path, PASS)
    message = str(caught.value)
    assert "disk is full" in message and "not encrypted" in message, message
    assert "unexpected" not in message
    assert file_kind(journal_path) == "plain" and all_bodies(journal_path) == before
    assert [p.name for p in journal_path.parent.iterdir() if p.name.startswith(".")] == []


def test_an_unreadable_search_index_is_called_damage(tmp_path: Path) -> None:
    # FTS5 says "vtable constructor failed" when it cannot read its own tables; in a file
    # that fails the quick check too, that is damage (in a sound one, the index is only out
    # of step: see test_search).
    from reconnect_journal.store.engine import _message_for

    journal_path = tmp_path / "journal.db"
    add_many(journal_path, 300)
    _overwrite_pages(journal_path, "entry_fts_data", 1)
    said = _message_for(Exception("vtable constructor failed: entry_fts"), journal_path)
    assert said.startswith(f"{journal_path} is damaged"), said
