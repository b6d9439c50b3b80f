"""Opening a journal file: checks, pragmas, schema version and migrations.

Opening a journal that is already current reads the file header and one row of
`alembic_version`; Alembic is imported only when a migration is due.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from reconnect_journal.core.errors import JournalError
from reconnect_journal.paths import PRIVATE_FILE_MODE, choose_journal, ensure_private_dir

if TYPE_CHECKING:
    from reconnect_journal.store.backups import CopiesEncrypted

# The newest schema this code knows, and every older one it can upgrade from.
# tests/test_migrations.py checks these against the migration scripts.
SCHEMA_HEAD = "0007"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
BUSY_RETRIES = 5
# An execution option: the transaction only reads (see Store.reading and _on_begin).
READ_ONLY = "reconnect_journal_read_only"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class PassphraseNeeded(JournalError):
    """The journal is encrypted and no passphrase was given."""


@dataclass
class Store:
    """An open journal: the engine plus what happened while opening it."""

    path: Path
    engine: Engine
    migrated_from: str | None = None
    migration_backup: Path | None = None
    notices: list[str] = field(default_factory=list)
    encrypted: bool = False
    created: bool = False  # the file was new (or empty) when opened
    # Kept while unlocked, for backups of an encrypted journal; dropped by lock().
    passphrase: str | None = field(default=None, repr=False)
    # What a check found wrong with the file (here or in an earlier run): it is read,
    # for exports and backups, but never written to until restored or checked sound.
    damage: str | None = None
    # The connection `change_marker` asks, kept open (see there), and how many times it
    # was opened: a marker read on another connection never equals one read on this.
    _watch: Any = field(default=None, repr=False, compare=False)
    _watch_opened: int = field(default=0, repr=False, compare=False)
    _watch_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all.

        It starts with BEGIN IMMEDIATE, which waits (busy timeout) while another window
        writes; if that window is still writing, starting is retried a few times, so
        "database is locked" does not reach the person.
        """
        self.refuse_if_damaged()
        with translate_errors(self.path, self.passphrase):
            for attempt in range(BUSY_RETRIES + 1):
                session = self.session()
                try:
                    begun = session.begin()
                    session.connection()  # runs BEGIN IMMEDIATE now
                    break
                except OperationalError as exc:
                    session.close()
                    if attempt == BUSY_RETRIES or not _is_busy(exc):
                        raise
                    time.sleep(0.05 * (attempt + 1))
            with session, begun:
                yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session that only reads: one consistent picture of the journal (WAL keeps it
        while others write), without taking the write lock, so a long read such as an
        export or all-time trends never makes another window's save wait."""
        with translate_errors(self.path, self.passphrase):
            session = self.session()
            with session, session.begin():
                session.connection(execution_options={READ_ONLY: True})  # a plain BEGIN
                yield session

    def refuse_if_damaged(self) -> None:
        """DamagedJournal, naming the backup to restore, when a check found the file
        damaged: nothing may be written to it."""
        if self.damage is None:
            # Found by this window's own failed write, or by a command in another
            # terminal ('check') since this journal was opened.
            from reconnect_journal.store.health import damage_found

            self.damage = damage_found(self.path)
        if self.damage is not None:
            from reconnect_journal.store.health import DamagedJournal, damaged_message

            raise DamagedJournal(damaged_message(self.path, self.damage, self.passphrase))

    def found_damaged(self, detail: str) -> None:
        """A check found the file damaged: remembered here, and beside the file for later
        commands."""
        from reconnect_journal.store.health import mark_damaged

        mark_damaged(self.path, detail)
        self.damage = detail

    def change_marker(self) -> tuple[int, int]:
        """A value that differs once anything was committed to the journal since it was
        last read: by this process on its other connections, by another window, or by a
        command. Cheap (no table is read), so a screen can ask whenever it is shown.

        SQLite's `PRAGMA data_version` changes when *another* connection commits, and
        only means something when asked on the same connection each time. The pool hands
        out any of its connections, so this one is kept aside, open and idle (never inside
        a transaction), until the engine is closed or replaced (lock, unlock, encrypt).
        """
        with self._watch_lock, translate_errors(self.path, self.passphrase):
            if self._watch is None:
                pooled = self.engine.raw_connection()  # made as the pool makes them
                watch = pooled.driver_connection
                pooled.detach()  # out of the pool for good: closed by _close_watch
                self._watch = watch
                self._watch_opened += 1
            cursor = self._watch.cursor()
            try:
                # fetchall: the statement ends here, so no read is left open on the file.
                [(version,)] = cursor.execute("PRAGMA data_version").fetchall()
            finally:
                cursor.close()
            return self._watch_opened, int(version)

    def _close_watch(self) -> None:
        with self._watch_lock:
            watch, self._watch = self._watch, None
            if watch is not None:
                with suppress(Exception):
                    watch.close()

    def close(self) -> None:
        # Closes every pooled connection: an encrypted journal's key leaves SQLCipher's memory.
        self._close_watch()
        self.engine.dispose()

    @property
    def locked(self) -> bool:
        return self.encrypted and self.passphrase is None

    def lock(self) -> None:
        """Close every connection and forget the key (an encrypted journal only); until
        `unlock`, any use fails instead of reading the file."""
        if not self.encrypted:
            return
        self._close_watch()
        self.engine.dispose()
        self.passphrase = None
        self.engine = create_engine("sqlite://")  # empty: nothing to read while locked

    def unlock(self, passphrase: str) -> None:
        """Open the encrypted journal again; PassphraseError when the passphrase is wrong."""
        from reconnect_journal.store.crypto import verify_passphrase

        verify_passphrase(self.path, passphrase)
        self._close_watch()
        self.engine.dispose()
        self.engine = make_engine(self.path, passphrase)
        self.passphrase = passphrase

    def reopen_if_decrypted(self) -> bool:
        """True when this encrypted journal's file is now plain (decrypted elsewhere while
        locked): it is then opened again as the plain file it is, ready to use."""
        if not self.encrypted or not self._looks_plain():
            return False
        self._close_watch()
        self.engine.dispose()
        self.engine = make_engine(self.path, None)
        self.encrypted = False
        self.passphrase = None
        return True

    def encrypt(self, passphrase: str) -> CopiesEncrypted:
        """Encrypt this (plain) journal in place, and its plain backups, and go on using it.
        Returns what was done with the backups."""
        from reconnect_journal.store.backups import CopiesEncrypted, encrypt_copies
        from reconnect_journal.store.crypto import encrypt_file

        if self.encrypted:
            return CopiesEncrypted()
        self._close_watch()
        self.engine.dispose()
        try:
            encrypt_file(self.path, passphrase)
        finally:
            encrypted = not self._looks_plain()
            self.engine = make_engine(self.path, passphrase if encrypted else None)
        self.encrypted = True
        self.passphrase = passphrase
        return encrypt_copies(self.path, passphrase)

    def _looks_plain(self) -> bool:
        return read_header(self.path) == SQLITE_HEADER


def is_damage(exc: BaseException) -> bool:
    """Whether SQLite failed because (part of) the file is damaged.

    "vtable constructor failed" is the search index (FTS5) failing to read its own
    tables as it starts: its settings or shadow tables are unreadable or gone, which
    SQLite reports this way instead of as "malformed"."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "malformed" in text or "corrupt" in text or "vtable constructor failed" in text


def _disk_full(path: Path) -> bool:
    """Whether the disk holding `path` has (next to) no room left: SQLite may say only
    "disk I/O error" when a write finds the disk full."""
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 1 << 20
    except OSError:
        return False


def is_disk_full(exc: BaseException, path: Path) -> bool:
    """Whether a failure came from a full disk (said outright, or as an I/O error or a
    failed open on a disk with no room left)."""
    import errno

    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    text = str(getattr(exc, "orig", exc)).lower()
    if "disk is full" in text:
        return True
    return ("disk i/o error" in text or "unable to open" in text) and _disk_full(path)


def _message_for(exc: BaseException, path: Path, passphrase: str | None = None) -> str:
    text = str(getattr(exc, "orig", exc)).lower()
    if "file is not a database" in text or "not a database" in text:
        return (
            f"{path} is not a Reconnect Journal file (or it is damaged); "
            f"{choose_journal(path, 'a journal file or a new file name')}"
        )
    if is_damage(exc):
        from reconnect_journal.store.health import (
            damaged_message,
            index_alone_at_fault,
            mark_damaged,
        )

        if index_alone_at_fault(exc, path, passphrase):  # no damage mark: the file is sound
            from reconnect_journal.store.search_index import out_of_step_message

            return out_of_step_message(path)

        if path.is_file():
            mark_damaged(path, text)  # no later command writes to it either
        return damaged_message(path)
    if "locked" in text or "busy" in text:
        return "the journal is busy in another window; nothing was changed, try again in a moment"
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only; make it writable or {choose_journal(path, 'another path')}"
    if is_disk_full(exc, path):
        return "the disk is full; nothing new was saved, and what was saved before is intact"
    if "disk i/o error" in text:
        return (
            f"a disk I/O error stopped the work on {path}: the disk may be full or failing; "
            "make some room or check the disk, then try again (nothing more was changed)"
        )
    if "unable to open" in text:
        return f"cannot open {path}; check that its folder exists and that you can write to it"
    return f"the journal at {path} could not be used: {text}"


@contextmanager
def translate_errors(path: Path, passphrase: str | None = None) -> Iterator[None]:
    """Turn SQLite failures into one-line messages a person can act on (`passphrase`: an
    encrypted journal's, to tell a damaged file from a search index out of step)."""
    try:
        yield
    except JournalError:
        raise
    except (DBAPIError, sqlite3.Error) as exc:
        raise JournalError(_message_for(exc, path, passphrase)) from exc
    except PermissionError as exc:
        raise JournalError(
            f"permission denied for {exc.filename or path}; choose a path you can write to"
        ) from exc


def read_header(path: Path) -> bytes:
    from reconnect_journal.store.crypto import read_start

    return read_start(path, len(SQLITE_HEADER))


def _check_location(path: Path, *, create_dir: bool) -> None:
    parent = path.parent
    if create_dir:
        try:
            ensure_private_dir(parent)
        except OSError as exc:
            raise JournalError(
                f"cannot create the journal folder {parent}: {exc.strerror}"
            ) from exc
    if path.is_dir():
        raise JournalError(
            f"{path} is a folder; {choose_journal(path, 'the path of a journal file')}"
        )
    if not parent.is_dir():
        raise JournalError(
            f"the folder {parent} does not exist; create it first or "
            f"{choose_journal(path, 'a path in an existing folder')}"
        )
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise JournalError(
                f"cannot read and write {path}; check its permissions or "
                f"{choose_journal(path, 'another path')}"
            )
    elif not os.access(parent, os.W_OK | os.X_OK):
        raise JournalError(
            f"cannot create a journal in {parent}: the folder is not writable; "
            f"{choose_journal(path, 'another path')}"
        )


def _prepare_file(path: Path, notices: list[str]) -> str:
    """Make sure the file is ours to open. Returns "new" (or empty), "plain" or "encrypted"."""
    from reconnect_journal.store.crypto import file_kind

    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE)
        os.close(fd)
        path.chmod(PRIVATE_FILE_MODE)
        return "new"
    if not path.is_file():
        raise JournalError(
            f"{path} is not a regular file; {choose_journal(path, 'the path of a journal file')}"
        )
    kind = file_kind(path)
    if kind == "foreign":
        # Never hand a foreign file to SQLite: it might write to it.
        from reconnect_journal.store.health import not_a_journal_message

        raise JournalError(not_a_journal_message(path))
    mode = path.stat().st_mode & 0o777
    if mode != PRIVATE_FILE_MODE:
        path.chmod(PRIVATE_FILE_MODE)
        notices.append(
            f"{path} could be read by others (mode {mode:o}); it is now private to you (600)"
        )
    return "new" if kind == "empty" else kind


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Hand transactions to SQLAlchemy (see _on_begin): pysqlite's own handling would
    # run DDL outside any transaction, so a crash mid-migration could leave half of it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _on_begin(conn: Any) -> None:
    # IMMEDIATE: take the write lock at the start (waiting for another writer within the
    # busy timeout), so a transaction that reads and then writes never fails half-way
    # because another window wrote in between. Reads (Store.reading) need no lock.
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _is_busy(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "locked" in text or "busy" in text


def _outside_transaction(engine: Engine, sql: str) -> Any:
    """Run a PRAGMA that SQLite ignores or refuses inside a transaction."""
    raw = engine.raw_connection()
    try:
        return raw.driver_connection.execute(sql).fetchone()  # type: ignore[union-attr]
    finally:
        raw.close()


def make_engine(path: Path, passphrase: str | None = None) -> Engine:
    """An engine on the journal; with a passphrase, through SQLCipher.

    Connections are pooled and reused across threads: each new SQLCipher connection
    derives the key again (about a third of a second).
    """
    options: dict[str, Any] = {}
    if passphrase is not None:
        from reconnect_journal.store.crypto import dbapi

        options["module"] = dbapi()
    engine = create_engine(
        f"sqlite:///{path}",
        # The TUI uses the journal from worker threads; SQLite serialises access itself.
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        # An error's message never repeats the values it was given: they are entries'
        # words, and messages end up on screen, in scrollback and in bug reports.
        hide_parameters=True,
        **options,
    )
    if passphrase is not None:
        from reconnect_journal.store.crypto import apply_key

        def _key(dbapi_connection: Any, _record: Any) -> None:
            apply_key(dbapi_connection, passphrase)

        # First: the key must be the connection's first statement.
        event.listen(engine, "connect", _key)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _use_wal(engine: Engine) -> None:
    """WAL lets a reader and a writer work at once; the setting is kept in the file.

    Set only after the file passed its checks: changing the mode writes to the file.
    """
    mode = _outside_transaction(engine, "PRAGMA journal_mode")
    if str(mode[0]).lower() != "wal":
        _outside_transaction(engine, "PRAGMA journal_mode = WAL")


def _schema_state(engine: Engine) -> tuple[set[str], str | None]:
    with engine.connect() as conn:
        tables = {
            row[0]
            for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        revision = None
        if "alembic_version" in tables:
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
            revision = row[0] if row else None
    return tables, revision


def backup_to(source: Path, target: Path, passphrase: str | None = None) -> Path:
    """Copy a journal with SQLite's online backup API (a file copy would miss the WAL).

    An encrypted journal (given its passphrase) gives an encrypted copy with the same key.
    The copy is written beside `target` and renamed into place once complete, so a crash
    never leaves half a backup under a backup's name; an existing `target` is an error.
    """
    if target.exists():
        raise FileExistsError(target)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE)
    os.close(fd)
    partial.chmod(PRIVATE_FILE_MODE)
    try:
        if passphrase is None:
            src: Any = sqlite3.connect(source)
            dst: Any = sqlite3.connect(partial)
        else:
            from reconnect_journal.store.crypto import connect

            src = connect(source, passphrase)
            dst = connect(partial, passphrase)
        try:
            src.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            src.backup(dst)
            # A backup is a single file: no WAL beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
            src.close()
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        try:
            os.link(partial, target)  # never replaces what is already there
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
    return target


def _migration_backup_path(path: Path, revision: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.before-schema-{revision}-{stamp}{path.suffix}")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(
            f"{path.stem}.before-schema-{revision}-{stamp}-{counter}{path.suffix}"
        )
    return candidate


def run_migrations(engine: Engine, target: str = "head") -> None:
    """Upgrade the schema with the migration scripts shipped in the package."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        # SQLite alters a table by copying it and dropping the old one; with foreign keys on,
        # that drop would cascade and delete every barrier and tag. (Only settable outside
        # a transaction, so on the driver's connection before SQLAlchemy begins one.)
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, target)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise JournalError(
                        "the journal upgrade left entries out of step; nothing was changed"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def open_store(
    path: Path, *, default_location: bool = False, passphrase: str | None = None
) -> Store:
    """Open (creating if needed) the journal at `path`, upgrading its schema if it is older.

    `default_location` allows creating the private data folder; an explicit path must be
    in an existing folder. An encrypted journal needs its `passphrase` (a plain one
    ignores it); without one, PassphraseNeeded is raised. A journal in a synced folder
    gets a notice the first time it is opened there (store/synced.py).
    """
    store = _open_store(path, default_location=default_location, passphrase=passphrase)
    from reconnect_journal.store.synced import synced_folder_notice

    if notice := synced_folder_notice(store.path):
        store.notices.append(notice)
    return store


def _remove_leftovers(path: Path) -> None:
    """What a killed encrypt or decrypt left beside the journal (a decrypted copy holds
    readable entries): removed by the next command that opens it."""
    from reconnect_journal.store.crypto import remove_stale_work_files

    # A read-only folder: nothing can be removed, and nothing is written there either.
    with suppress(OSError):
        remove_stale_work_files(path)


def _open_store(path: Path, *, default_location: bool, passphrase: str | None) -> Store:
    path = path.expanduser().absolute()
    _check_location(path, create_dir=default_location)
    _remove_leftovers(path)
    notices: list[str] = []
    with translate_errors(path):
        kind = _prepare_file(path, notices)
        is_new = kind == "new"
        encrypted = kind == "encrypted"
        if encrypted and passphrase is None:
            from reconnect_journal.store.crypto import PASSPHRASE_ENV

            raise PassphraseNeeded(
                f"{path} is encrypted; type its passphrase, or set {PASSPHRASE_ENV}"
            )
        engine = make_engine(path, passphrase if encrypted else None)
        from reconnect_journal.store.health import clear_damage_mark, damage_found

        if is_new:
            clear_damage_mark(path)  # left by a file of the same name that is gone now
        store = Store(
            path=path,
            engine=engine,
            notices=notices,
            encrypted=encrypted,
            created=is_new,
            passphrase=passphrase if encrypted else None,
            damage=None if is_new else damage_found(path),
        )
        try:
            try:
                tables, revision = _schema_state(engine)
            except DBAPIError as exc:
                from reconnect_journal.store.crypto import is_not_a_database, wrong_passphrase

                if encrypted and is_not_a_database(exc):
                    raise wrong_passphrase(path) from None
                raise
            if revision == SCHEMA_HEAD:
                _use_wal(engine)
                return store
            if revision is None and tables - {"alembic_version"}:
                raise JournalError(
                    f"{path} is a SQLite database but not a Reconnect Journal; "
                    f"{choose_journal(path, 'a journal file or a new file name')}"
                )
            if revision is not None and revision not in KNOWN_REVISIONS:
                raise JournalError(
                    f"{path} was written by a newer Reconnect Journal (schema {revision}); "
                    "update the app to open it"
                )
            store.refuse_if_damaged()  # an upgrade writes: never to a damaged file
            if revision is not None and not is_new:
                store.migration_backup = backup_to(
                    path,
                    _migration_backup_path(path, revision),
                    passphrase if encrypted else None,
                )
                store.migrated_from = revision
            _use_wal(engine)
            run_migrations(engine)
        except BaseException:
            engine.dispose()
            raise
    return store
