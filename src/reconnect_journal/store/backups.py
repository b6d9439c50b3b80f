"""Backups beside the journal: made with SQLite's online backup API, rotated, restored.

Layout, in `backups/` beside the journal (folder 0700, files 0600), named from the
journal's whole file name (`journal.db`), so that `j.db` and `j.sqlite` in one folder
never share a backup:

- `<name>-daily-YYYY-MM-DD.db`: made on the first launch of the day; the newest
  `backup_keep_daily` are kept, plus the newest of each of the last `backup_keep_weekly`
  weeks.
- `<name>-YYYYMMDD-HHMMSS.db`: made by `reconnect-journal backup`; never removed by us.
- `<name>-before-restore-YYYYMMDD-HHMMSS.db`: the journal as it was before a `restore`.

Backups made before were named from the name without its extension (`journal-….db`);
they still belong to their journal (see _prefixes).

An encrypted journal's backups are encrypted with the same passphrase.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import re
import shutil
from dataclasses import dataclass, field
from glob import escape as glob_escape
from pathlib import Path

from reconnect_journal.core.errors import JournalError
from reconnect_journal.paths import PRIVATE_FILE_MODE, backup_dir, ensure_private_dir
from reconnect_journal.store.crypto import file_kind, refuse_if_open_elsewhere
from reconnect_journal.store.engine import backup_to

_DAILY = re.compile(r"-daily-(\d{4}-\d{2}-\d{2})\.db$")
# What follows "<stem>-" in the name of each of a journal's backups (see above). Matched
# whole: "journal-old.db" is another journal, and its backups are not "journal.db"'s.
_BACKUP_NAME = re.compile(
    r"(?:daily-\d{4}-\d{2}-\d{2}|(?:before-restore-)?\d{8}-\d{6}(?:-\d+)?)\.db"
)


def _prefix(db_path: Path) -> str:
    """How the names of the backups made now begin: the journal's whole file name."""
    return f"{db_path.name}-"


def _legacy_prefix(db_path: Path) -> str | None:
    """How the names of backups made by earlier versions begin ("<stem>-"), when they can
    only be this journal's: always for a `.db` journal (the usual case) unless a journal
    named just "<stem>" sits beside it; for another extension only when no "<stem>.db"
    sits beside it (that one's old backups had the same names)."""
    stem = db_path.stem
    if stem == db_path.name or (db_path.parent / stem).is_file():
        return None
    if db_path.suffix != ".db" and (db_path.parent / f"{stem}.db").is_file():
        return None
    return f"{stem}-"


def _is_backup_of(db_path: Path, name: str) -> bool:
    for prefix in (_prefix(db_path), _legacy_prefix(db_path)):
        if (
            prefix is not None
            and name.startswith(prefix)
            and _BACKUP_NAME.fullmatch(name[len(prefix) :]) is not None
        ):
            return True
    return False


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _free_name(folder: Path, stem: str) -> Path:
    candidate = folder / f"{stem}.db"
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = folder / f"{stem}-{counter}.db"
    return candidate


def list_backups(db_path: Path) -> list[Path]:
    """This journal's backups, newest first (by when they were written)."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and _is_backup_of(db_path, p.name)]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def make_backup(db_path: Path, target: Path | None = None, passphrase: str | None = None) -> Path:
    """Back the journal up to `target` (a new file, or into a folder), or into backups/."""
    if not db_path.exists():
        raise JournalError(f"there is no journal at {db_path} to back up")
    if target is None:
        folder = ensure_private_dir(backup_dir(db_path))
        target = _free_name(folder, f"{_prefix(db_path)}{_stamp()}")
    elif target.is_dir():
        target = _free_name(target, f"{_prefix(db_path)}{_stamp()}")
    elif target.exists():
        raise JournalError(f"{target} already exists; give a new file name or a folder")
    elif not target.parent.is_dir():
        raise JournalError(f"the folder {target.parent} does not exist; create it first")
    from reconnect_journal.store.engine import translate_errors

    with translate_errors(db_path):
        try:
            backup_to(db_path, target, passphrase if file_kind(db_path) == "encrypted" else None)
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise JournalError(
                f"could not write the backup {target} ({exc.strerror or exc}); "
                "the journal is unchanged"
            ) from exc
    return target


def daily_backup(
    db_path: Path,
    today: dt.date,
    *,
    passphrase: str | None = None,
    keep_daily: int = 7,
    keep_weekly: int = 4,
) -> Path | None:
    """Today's automatic backup, unless there is one already; then the old ones rotate."""
    if keep_daily == 0 and keep_weekly == 0:
        return None
    folder = ensure_private_dir(backup_dir(db_path))
    target = folder / f"{_prefix(db_path)}daily-{today.isoformat()}.db"
    if target.exists() or any(
        path.name.endswith(f"-daily-{today.isoformat()}.db") for path in list_backups(db_path)
    ):
        return None  # one a day (named the old way, it counts too)
    made = make_backup(db_path, target, passphrase)
    rotate(db_path, keep_daily=keep_daily, keep_weekly=keep_weekly)
    return made


def rotate(db_path: Path, *, keep_daily: int, keep_weekly: int) -> list[Path]:
    """Remove daily backups beyond the newest `keep_daily` days and the newest backup of
    each of the last `keep_weekly` weeks. Other backups are left alone."""
    dailies: list[tuple[dt.date, Path]] = []
    for path in list_backups(db_path):
        match = _DAILY.search(path.name)
        if match:
            try:
                dailies.append((dt.date.fromisoformat(match.group(1)), path))
            except ValueError:
                continue
    dailies.sort(reverse=True)
    keep = {path for _, path in dailies[:keep_daily]}
    weeks_seen: set[tuple[int, int]] = set()
    for day, path in dailies:
        week = day.isocalendar()[:2]
        if week in weeks_seen:
            continue
        if len(weeks_seen) >= keep_weekly:
            break
        weeks_seen.add(week)
        keep.add(path)
    removed = []
    for _, path in dailies:
        if path not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def check_backup(path: Path, passphrase: str | None = None) -> str | None:
    """Why a backup cannot be restored, or None when it passes the full integrity check
    and is a journal this version can open."""
    from reconnect_journal.store.crypto import PassphraseError, keyed
    from reconnect_journal.store.engine import KNOWN_REVISIONS

    kind = file_kind(path)
    if kind in ("missing", "empty", "foreign"):
        return f"{path} is not a journal backup"
    if kind == "encrypted" and passphrase is None:
        return f"{path} is encrypted and needs its passphrase"
    try:
        with keyed(path, passphrase if kind == "encrypted" else None) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                return f"{path} is damaged ({result[0]})"
            try:
                revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            except Exception:
                revision = None
            if revision is None or revision[0] not in KNOWN_REVISIONS:
                return f"{path} is not a Reconnect Journal backup this version can open"
    except PassphraseError:
        return f"the passphrase does not open {path} (or it is not a journal backup)"
    except JournalError as exc:
        return str(exc)
    except Exception as exc:
        return f"{path} could not be read ({exc})"
    return None


def newest_good_backup(
    db_path: Path, passphrase: str | None = None, *, tries: int = 5
) -> Path | None:
    """The newest backup that passes a quick check (an encrypted one is taken on trust
    when there is no passphrase to check it with)."""
    from reconnect_journal.store.crypto import keyed

    for path in list_backups(db_path)[:tries]:
        kind = file_kind(path)
        if kind == "encrypted" and passphrase is None:
            return path
        if kind not in ("plain", "encrypted"):
            continue
        try:
            with keyed(path, passphrase if kind == "encrypted" else None) as conn:
                if conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]:
                    return path
        except Exception:
            continue
    return None


def _copy_damaged(db_path: Path, target: Path) -> None:
    """Keep a damaged journal byte for byte (with its WAL): the online backup cannot read it."""
    for suffix in ("", "-wal"):
        source = Path(f"{db_path}{suffix}")
        if source.exists():
            dest = Path(f"{target}{suffix}")
            fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE)
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                shutil.copyfileobj(src, out)
                out.flush()
                os.fsync(out.fileno())


def restore(
    db_path: Path,
    backup: Path,
    *,
    backup_passphrase: str | None = None,
    current_passphrase: str | None = None,
) -> Path | None:
    """Put `backup` in place of the journal, after checking it and keeping the current
    journal as a backup first. Returns where the current journal was kept (None if there
    was none)."""
    from reconnect_journal.store.crypto import _fsync_dir, keyed, open_elsewhere

    backup = backup.expanduser().absolute()
    # A window with the journal open would go on writing to the replaced file, and all it
    # saved from then on would be lost: as for encrypt, it is closed first.
    refuse_if_open_elsewhere(db_path)
    problem = check_backup(backup, backup_passphrase)
    if problem:
        raise JournalError(f"{problem}; nothing was changed")
    kept: Path | None = None
    if db_path.exists() and file_kind(db_path) != "empty":
        folder = ensure_private_dir(backup_dir(db_path))
        kept = _free_name(folder, f"{_prefix(db_path)}before-restore-{_stamp()}")
        try:
            backup_to(
                db_path,
                kept,
                current_passphrase if file_kind(db_path) == "encrypted" else None,
            )
        except Exception:
            # Damaged, or encrypted without its passphrase: keep it as it is on disk.
            kept.unlink(missing_ok=True)
            _copy_damaged(db_path, kept)
    # Write the restored copy beside the journal, then swap it in with one rename.
    incoming = db_path.with_name(f".{db_path.name}.restoring")
    incoming.unlink(missing_ok=True)
    kind = file_kind(backup)
    backup_to(backup, incoming, backup_passphrase if kind == "encrypted" else None)
    with keyed(incoming, backup_passphrase if kind == "encrypted" else None) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
    if open_elsewhere(db_path):  # opened meanwhile: nothing is replaced
        incoming.unlink(missing_ok=True)
        refuse_if_open_elsewhere(db_path)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    os.replace(incoming, db_path)
    db_path.chmod(PRIVATE_FILE_MODE)
    _fsync_dir(db_path.parent)
    from reconnect_journal.store.health import clear_damage_mark

    clear_damage_mark(db_path)  # a checked backup is in its place now
    return kept


def copies(db_path: Path) -> list[Path]:
    """Every copy of the journal kept beside it: its backups, and the copies made before a
    schema upgrade."""
    upgrades = sorted(db_path.parent.glob(f"{db_path.stem}.before-schema-*{db_path.suffix}"))
    return [*list_backups(db_path), *upgrades]


@dataclass
class CopiesEncrypted:
    """What encrypt_copies did."""

    done: int = 0
    # Plain copies that could not be read to be encrypted (damaged): still plain.
    damaged: list[Path] = field(default_factory=list)
    # Plain copies that could not be encrypted for another reason (a full disk): still plain.
    failed: list[tuple[Path, str]] = field(default_factory=list)
    # Damaged plain copies overwritten and removed (remove_damaged=True).
    removed: list[Path] = field(default_factory=list)

    @property
    def left_plain(self) -> list[Path]:
        return [*self.damaged, *(path for path, _ in self.failed)]


def plain_copies(db_path: Path) -> list[Path]:
    return [copy for copy in copies(db_path) if file_kind(copy) == "plain"]


def _readable(path: Path) -> bool:
    """Whether a plain copy passes a quick check (read-only)."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _shred(path: Path) -> None:
    """Overwrite a file with zeros, then remove it."""
    from reconnect_journal.store.crypto import _overwrite_and_close

    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        fd = None
    if fd is not None:
        _overwrite_and_close(fd)
    path.unlink(missing_ok=True)


def encrypt_copies(
    db_path: Path, passphrase: str, *, remove_damaged: bool = False
) -> CopiesEncrypted:
    """Encrypt every plain copy of an encrypted journal, so that no readable copy is left
    behind. One that cannot be encrypted does not stop the others: a damaged one (which
    cannot be read, so neither encrypted nor restored) is listed in `damaged`, or
    overwritten and removed when `remove_damaged`; any other failure is listed in `failed`.
    """
    from reconnect_journal.store.crypto import encrypt_file

    result = CopiesEncrypted()
    for copy in plain_copies(db_path):
        try:
            encrypt_file(copy, passphrase)
            result.done += 1
            continue
        except Exception as exc:
            if file_kind(copy) != "plain":  # pragma: no cover - encrypted after all
                result.done += 1
                continue
            if _readable(copy):
                from reconnect_journal.store.engine import _message_for

                reason = str(exc) if isinstance(exc, JournalError) else _message_for(exc, copy)
                result.failed.append((copy, reason))
                continue
        if remove_damaged:
            _shred(copy)
            result.removed.append(copy)
        else:
            result.damaged.append(copy)
    return result


def plain_copies_message(result: CopiesEncrypted, remove_command: str) -> str | None:
    """What to tell the person about copies still readable without the passphrase."""
    lines = []
    if result.damaged:
        many = len(result.damaged) != 1
        lines.append(
            f"{len(result.damaged)} backup{'s are' if many else ' is'} damaged, so "
            f"{'they' if many else 'it'} could not be encrypted and cannot be restored, and "
            f"{'are' if many else 'is'} still readable without a passphrase: "
            f"{', '.join(str(p) for p in result.damaged)}. '{remove_command}' overwrites and "
            f"removes {'them' if many else 'it'} (or delete {'them' if many else 'it'} yourself)"
        )
    for path, reason in result.failed:
        lines.append(
            f"the backup {path} could not be encrypted ({reason}) and is still readable "
            "without a passphrase; run the same command again to encrypt it"
        )
    return "; ".join(lines) if lines else None


def shared_old_backups(db_path: Path) -> list[Path]:
    """Backups named the old way ("<stem>-….db") while another file with the same stem
    and another extension sits beside the journal (`j.db` and `j.sqlite`): they may be
    that journal's, so erase leaves them."""
    legacy = _legacy_prefix(db_path)
    if legacy is None:
        return []
    others = [
        path
        for path in db_path.parent.glob(f"{glob_escape(db_path.stem)}.*")
        if path != db_path
        and path.is_file()
        and not path.name.startswith(db_path.name)
        and ".before-schema-" not in path.name
    ]
    if not others:
        return []
    return [path for path in list_backups(db_path) if path.name.startswith(legacy)]


def _is_plain_journal(path: Path) -> bool:
    """Whether a plain SQLite file has our tables (read-only: nothing is written)."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error:
        raise JournalError(
            f"{path} could not be read to check that it is a journal (is it damaged?); "
            "nothing was erased. If you are sure, delete the file yourself"
        ) from None
    return {"alembic_version", "entry"} <= names


def erase(db_path: Path) -> list[Path]:
    """Remove the journal (drafts are inside it), its backups and its temp files.

    Only a journal: a file that is not one (a mistyped --db) is never removed. An encrypted
    file cannot be looked into without its passphrase, which may be the very thing lost."""
    kind = file_kind(db_path)
    if kind == "foreign" or (kind == "plain" and not _is_plain_journal(db_path)):
        raise JournalError(f"{db_path} is not a Reconnect Journal file; nothing was erased")
    # An open window would go on saying "Saved." into a file that is gone.
    refuse_if_open_elsewhere(db_path)
    removed: list[Path] = []
    candidates = [Path(f"{db_path}{s}") for s in ("", "-wal", "-shm", "-journal")]
    candidates += list(db_path.parent.glob(f".{db_path.name}.*"))
    # Words the window kept beside it when it was found damaged (tui/drafts.py).
    candidates += list(db_path.parent.glob(f"{glob.escape(db_path.name)}.unsaved-*.md"))
    shared = set(shared_old_backups(db_path))
    candidates += [path for path in copies(db_path) if path not in shared]
    for path in candidates:
        if path.is_file():
            path.unlink()
            removed.append(path)
    folder = backup_dir(db_path)
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    temp = db_path.parent / "tmp" / db_path.stem  # this journal's own (see external_editor)
    if temp.is_dir():
        shutil.rmtree(temp)
        removed.append(temp)
    with contextlib.suppress(OSError):  # the shared tmp/, once nobody's files are in it
        temp.parent.rmdir()
    return removed
