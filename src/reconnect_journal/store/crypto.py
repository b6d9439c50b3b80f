"""Encryption at rest with SQLCipher: telling files apart, keys, encrypt/decrypt/passwd.

An encrypted journal is an SQLCipher 4 file: every page, the first included, is
encrypted, so it starts with a random salt instead of `SQLite format 3\\0`. SQLCipher
reports a wrong key and a file that is not a database with the same error; the header
tells a plain journal apart, and what remains is said as "wrong passphrase, or not a
journal file".

`sqlcipher3` is imported only when an encrypted journal is opened or made.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Literal

from reconnect_journal.core.errors import JournalError
from reconnect_journal.interruptions import stopped_cleanly
from reconnect_journal.paths import PRIVATE_FILE_MODE

SQLITE_HEADER = b"SQLite format 3\x00"
PASSPHRASE_ENV = "RECONNECT_JOURNAL_PASSPHRASE"
BUSY_TIMEOUT_MS = 5000
# SQLCipher files are whole pages (SQLCipher's default page is 4096 bytes; 512 is the
# smallest SQLite page): a file of any other length is not an encrypted journal.
_MIN_PAGE = 512

FileKind = Literal["missing", "empty", "plain", "encrypted", "foreign"]

LOST_PASSPHRASE_WARNING = (
    "There is no way to recover the journal without its passphrase: if you forget it, "
    "every entry is lost. Keep it somewhere safe."
)


class PassphraseError(JournalError):
    """The passphrase is wrong, missing or unusable (exit status 1)."""


def read_start(path: Path, size: int = len(SQLITE_HEADER)) -> bytes:
    """The first `size` bytes of `path`, without ever closing a descriptor of a journal
    that SQLite has open in this process.

    POSIX record locks belong to the process, and closing *any* descriptor of a file
    drops all of them. A plain open() and close() of the journal while the window has it
    open would silently take away SQLite's locks: a command in another terminal would
    then believe itself the journal's last user and checkpoint and delete the live WAL,
    and with it what the window saves there. So when a descriptor of this file is already
    open here, it is read in place (pread leaves its position alone) and nothing closed.
    """
    stat = os.stat(path)
    fd = _descriptor_of(stat)
    if fd is not None:
        data = os.pread(fd, size, 0)
        if _same_file(os.fstat(fd), stat):  # still the same file after the read
            return data
    with path.open("rb") as handle:
        return handle.read(size)


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _descriptor_of(stat: os.stat_result) -> int | None:
    """A descriptor this process has open on the file of `stat` (from /dev/fd, which
    Linux and macOS both list), or None."""
    try:
        names = os.listdir("/dev/fd")
    except OSError:
        return None
    for name in names:
        try:
            fd = int(name)
            if _same_file(os.fstat(fd), stat):
                return fd
        except (ValueError, OSError):  # the listing's own descriptor, gone by now
            continue
    return None


def file_kind(path: Path) -> FileKind:
    """What a file looks like from its first bytes and its length."""
    try:
        header = read_start(path)
        size = path.stat().st_size
    except FileNotFoundError:
        return "missing"
    if not header:
        return "empty"
    if header == SQLITE_HEADER:
        return "plain"
    if size >= _MIN_PAGE and size % _MIN_PAGE == 0:
        return "encrypted"
    return "foreign"


def check_passphrase_text(passphrase: str) -> str:
    if not passphrase:
        raise PassphraseError("the passphrase is empty; choose one of at least 8 characters")
    if "\x00" in passphrase:
        raise PassphraseError("the passphrase contains a NUL character; choose another")
    return passphrase


def new_passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase is not accepted, or None."""
    if len(passphrase) < 8:
        return "a passphrase needs at least 8 characters"
    if "\x00" in passphrase:
        return "a passphrase cannot contain a NUL character"
    return None


def key_pragma(passphrase: str, *, schema: str | None = None) -> str:
    """`PRAGMA key` as SQL, with the passphrase quoted (it never reaches a log)."""
    quoted = check_passphrase_text(passphrase).replace("'", "''")
    where = f"{schema}." if schema else ""
    return f"PRAGMA {where}key = '{quoted}'"


def quoted_key(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def dbapi() -> Any:
    try:
        import sqlcipher3.dbapi2 as module
    except ImportError as exc:  # pragma: no cover - a broken install
        raise JournalError(
            "encrypted journals need the sqlcipher3 package; reinstall reconnect-journal"
        ) from exc
    return module


def apply_key(dbapi_connection: Any, passphrase: str) -> None:
    """Silence SQLCipher's log (else a wrong key prints "ERROR CORE" lines), then key."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA cipher_log_level = NONE")
    cursor.execute(key_pragma(passphrase))
    cursor.close()


def connect(path: Path, passphrase: str | None) -> Any:
    """A raw SQLCipher connection (autocommit); keyed when a passphrase is given."""
    module = dbapi()
    conn = module.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    if passphrase is None:
        conn.execute("PRAGMA cipher_log_level = NONE")
    else:
        apply_key(conn, passphrase)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


class WrongPassphrase(PassphraseError):
    """The passphrase did not open the file (or the file is not a journal)."""


def wrong_passphrase(path: Path) -> PassphraseError:
    # Where the passphrase came from decides what to do next.
    again = (
        f"check {PASSPHRASE_ENV}, which holds a different one"
        if os.environ.get(PASSPHRASE_ENV)
        else f"type it again, or set {PASSPHRASE_ENV}"
    )
    return WrongPassphrase(
        f"wrong passphrase, or not a journal file: {path}; nothing was changed. "
        f"{again[0].upper()}{again[1:]}"
    )


def is_not_a_database(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "not a database" in text or "file is encrypted" in text


@contextmanager
def keyed(path: Path, passphrase: str | None) -> Iterator[Any]:
    """A connection whose key is proven by reading the schema; closed afterwards."""
    conn = connect(path, passphrase)
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except dbapi().DatabaseError as exc:
            if is_not_a_database(exc):
                raise wrong_passphrase(path) from None
            raise
        yield conn
    finally:
        conn.close()


def verify_passphrase(path: Path, passphrase: str) -> None:
    """Raise PassphraseError unless `passphrase` opens the encrypted journal at `path`."""
    with keyed(path, passphrase):
        pass


# -- converting -------------------------------------------------------------------------


def _table_counts(conn: Any) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def open_elsewhere_message(path: Path) -> str:
    return (
        f"{path} is open in another window or command; close it there and try again "
        "(nothing was changed)"
    )


def _take_sole_use(conn: Any, path: Path) -> None:
    """Leave WAL mode (SQLite allows it only when no other connection has the file open)."""
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except dbapi().OperationalError as exc:
        text = str(exc).lower()
        if "locked" not in text and "busy" not in text:
            raise  # a full disk, say: not another window
        mode = "wal"
    if str(mode).lower() != "delete":
        raise JournalError(open_elsewhere_message(path))


# In WAL mode every connection, in any process, holds a shared lock on this byte of the
# journal's `-shm` file for as long as it is open (SQLite's unix VFS: UNIX_SHM_DMS).
_SHM_DMS_BYTE = 128


def open_elsewhere(path: Path) -> bool:
    """Whether another process (a window, a command) has the journal open.

    The same test SQLite makes before it leaves WAL mode (see _take_sole_use), but without
    a key or a readable file: an encrypted journal whose passphrase we do not have, or a
    damaged one, can be asked too, and nothing is written to it. Call it before this
    process opens the journal itself: closing the descriptor drops this process's locks
    on the `-shm` file."""
    import fcntl

    shm = Path(f"{path}-shm")
    try:
        fd = os.open(shm, os.O_RDWR)
    except OSError:
        return False  # no WAL index: nobody has it open in WAL mode
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE)
        except OSError:
            return True
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE)
        return False
    finally:
        os.close(fd)


def refuse_if_open_elsewhere(path: Path) -> None:
    """JournalError (nothing changed) while another window or command has `path` open."""
    if open_elsewhere(path):
        raise JournalError(open_elsewhere_message(path))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with suppress(OSError):
        _fsync(path)


# The files encrypt and decrypt write beside the journal (`.NAME.encrypting`,
# `.NAME.decrypting`). While one is being written, its writer holds an flock on it (flock,
# not SQLite's POSIX locks: the two never meet, and closing another descriptor does not
# drop it); one that nobody holds is a leftover of a process that was killed.
WORK_KINDS = ("encrypting", "decrypting")
# Work files this process is writing now (never opened by remove_stale_work_files: closing
# a descriptor would drop SQLite's locks on them).
_writing: set[Path] = set()


def _work_files(work: Path) -> list[Path]:
    return [work, *(Path(f"{work}{suffix}") for suffix in ("-journal", "-wal", "-shm"))]


def _discard(work: Path) -> None:
    """Remove a work file and its SQLite side files; a decrypted one is overwritten with
    zeros first (it holds readable entries)."""
    if work.name.endswith(".decrypting"):
        with suppress(OSError):
            _overwrite_and_close(os.open(work, os.O_RDWR))
    for leftover in _work_files(work):
        with suppress(FileNotFoundError):
            leftover.unlink()


def _held_elsewhere(work: Path) -> bool:
    """Whether another process (or another conversion here) is writing `work` now."""
    import fcntl

    if work in _writing:
        return True
    try:
        fd = os.open(work, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # and with it our flock
    return False


def remove_stale_work_files(path: Path) -> list[Path]:
    """Remove what a killed `encrypt` or `decrypt` left beside the journal (a decrypted
    copy holds readable entries); a file another process is still writing is left alone.
    Returns what was removed."""
    removed = []
    for what in WORK_KINDS:
        work = path.with_name(f".{path.name}.{what}")
        if any(p.exists() for p in _work_files(work)) and not _held_elsewhere(work):
            _discard(work)
            removed.append(work)
    return removed


def _work_path(path: Path, what: str) -> tuple[Path, int]:
    """A new, empty work file beside the journal, and a descriptor holding its flock."""
    import fcntl

    work = path.with_name(f".{path.name}.{what}")
    for kind in WORK_KINDS:
        if _held_elsewhere(path.with_name(f".{path.name}.{kind}")):
            raise JournalError(
                f"another command is encrypting or decrypting {path} right now; "
                "let it finish, then try again (nothing was changed)"
            )
    remove_stale_work_files(path)
    fd = os.open(work, os.O_CREAT | os.O_EXCL | os.O_RDWR, PRIVATE_FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.fchmod(fd, PRIVATE_FILE_MODE)
    except BaseException:
        os.close(fd)
        work.unlink(missing_ok=True)
        raise
    _writing.add(work)
    return work, fd


def _overwrite_and_close(fd: int) -> None:
    """Write zeros over a file we hold open (its name already points elsewhere)."""
    try:
        size = os.fstat(fd).st_size
        chunk = b"\x00" * (1 << 20)
        os.lseek(fd, 0, os.SEEK_SET)
        written = 0
        while written < size:
            written += os.write(fd, chunk[: min(len(chunk), size - written)])
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _convert(path: Path, old: str | None, new: str | None, what: str) -> None:
    """Copy the journal with sqlcipher_export into a new file keyed with `new`, verify
    the copy, then swap it in with one rename. The old file is never written to (apart
    from leaving WAL mode); after the swap its content is overwritten with zeros. Stopped
    half-way (ctrl+c, SIGTERM), the half-written copy is removed; killed, the next command
    on the journal removes it."""
    with stopped_cleanly():  # what kill -9 leaves: see remove_stale_work_files
        work, lock_fd = _work_path(path, what)
        held = [lock_fd]  # emptied once closed: a descriptor number is never closed twice

        def release() -> None:
            _writing.discard(work)
            while held:
                os.close(held.pop())

        swapped = False
        try:
            with keyed(path, old) as source:
                _take_sole_use(source, path)
                before = _table_counts(source)
                target_key = quoted_key(new) if new is not None else "''"
                source.execute(f"ATTACH DATABASE ? AS converted KEY {target_key}", (str(work),))
                source.execute("SELECT sqlcipher_export('converted')")
                version = source.execute("PRAGMA user_version").fetchone()[0]
                source.execute(f"PRAGMA converted.user_version = {int(version)}")
                source.execute("DETACH DATABASE converted")
            _fsync(work)
            with keyed(work, new) as copy:
                result = copy.execute("PRAGMA integrity_check").fetchall()
                if result != [("ok",)] or _table_counts(copy) != before:
                    raise JournalError(
                        f"the converted copy of {path} did not match it; nothing was changed"
                    )
                copy.execute("PRAGMA journal_mode = WAL")
            old_fd = os.open(path, os.O_RDWR)
            try:
                os.replace(work, path)
            except BaseException:
                os.close(old_fd)
                raise
            swapped = True
            release()  # the lock's descriptor is the journal's now: closed before any use
            _fsync_dir(path.parent)
            path.chmod(PRIVATE_FILE_MODE)
            _overwrite_and_close(old_fd)
        except KeyboardInterrupt:  # ctrl+c, or SIGTERM/SIGHUP (see stopped_cleanly)
            if swapped:
                raise
            raise JournalError(
                f"stopped before {path} was {what[:-3]}ed; nothing was changed"
            ) from None
        except (OSError, dbapi().Error) as exc:
            if swapped:
                raise
            from reconnect_journal.store.engine import _message_for, is_disk_full

            if is_disk_full(exc, path):
                state = "still not encrypted" if what == "encrypting" else "still encrypted"
                raise JournalError(
                    f"the disk is full, so {path} was not {what[:-3]}ed; it is unchanged "
                    f"({state}). This needs room for a second copy of the journal: make "
                    "some room, then try again"
                ) from exc
            if isinstance(exc, OSError):
                raise JournalError(
                    f"could not {what[:-3]} {path} ({exc.strerror or exc}); nothing was changed"
                ) from exc
            raise JournalError(_message_for(exc, path, old)) from exc
        finally:
            release()
            if any(p.exists() for p in _work_files(work)):
                _discard(work)


def encrypt_file(path: Path, passphrase: str) -> None:
    """Turn a plain journal into an encrypted one (the plain file is then overwritten)."""
    kind = file_kind(path)
    if kind == "encrypted":
        raise JournalError(f"{path} is already encrypted; 'passwd' changes its passphrase")
    if kind != "plain":
        raise JournalError(f"{path} is not a Reconnect Journal file; nothing was changed")
    problem = new_passphrase_problem(passphrase)
    if problem:
        raise PassphraseError(f"{problem}; nothing was changed")
    _convert(path, None, passphrase, "encrypting")


def decrypt_file(path: Path, passphrase: str) -> None:
    """Turn an encrypted journal back into a plain SQLite file."""
    if file_kind(path) != "encrypted":
        raise JournalError(f"{path} is not encrypted; nothing to decrypt")
    _convert(path, passphrase, None, "decrypting")


def change_passphrase(path: Path, old: str, new: str) -> None:
    """A new passphrase for an encrypted journal (PRAGMA rekey, in one transaction)."""
    if file_kind(path) != "encrypted":
        raise JournalError(f"{path} is not encrypted; 'encrypt' sets a passphrase")
    problem = new_passphrase_problem(new)
    if problem:
        raise PassphraseError(f"{problem}; nothing was changed")
    with keyed(path, old) as conn:
        _take_sole_use(conn, path)
        try:
            conn.execute(f"PRAGMA rekey = {quoted_key(new)}")
        finally:
            conn.execute("PRAGMA journal_mode = WAL")
    with keyed(path, new) as conn:
        if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            raise JournalError(f"{path} did not check out after the change of passphrase")
