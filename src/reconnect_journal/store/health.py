"""Is the journal sound? Quick and full checks, and the message for a damaged file.

Opening reads only the header and the schema version; `quick_check` runs in the
background (TUI) or in `check`. A damaged file is never written to: the message names
the file, the newest good backup and the command that restores it. A failed check is
remembered beside the journal (`.NAME.damaged`), so that no later command writes to the
file either, until `restore` replaces it or `check` finds it sound.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from reconnect_journal.core.errors import JournalError
from reconnect_journal.paths import choose_journal, journal_command


class DamagedJournal(JournalError):
    """The journal failed a check (exit status 1); nothing was written to it."""


def restore_hint(path: Path, passphrase: str | None = None) -> str:
    from reconnect_journal.store.backups import newest_good_backup

    try:
        backup = newest_good_backup(path, passphrase)
    except OSError:
        backup = None
    if backup is None:
        return (
            "There is no backup of it in "
            f"{path.parent / 'backups'}; keep the file, it may still be readable by other tools"
        )
    restore = journal_command(path, f"restore {shlex.quote(str(backup))}")
    return f"The newest good backup is {backup}; restore it with '{restore}'"


def damaged_message(path: Path, detail: str = "", passphrase: str | None = None) -> str:
    what = f" ({detail})" if detail else ""
    salvage = journal_command(path, "export --out FILE")
    return (
        f"{path} is damaged{what}; nothing was written to it. '{salvage}' saves what can "
        f"still be read. {restore_hint(path, passphrase)}"
    )


def not_a_journal_message(path: Path) -> str:
    return (
        f"{path} is not a Reconnect Journal file, or it is damaged (truncated?); "
        f"nothing was written to it. {restore_hint(path)}. "
        f"Or {choose_journal(path, 'a journal file or a new file name')}"
    )


SHOWN_PROBLEMS = 3


def problem_lines(rows: list[str]) -> list[str]:
    """SQLite's integrity_check answers in rows that may hold many lines each (one row of
    a hundred "Page N: …" lines); one problem a line, without its "*** in database" heads."""
    lines = [line.strip() for row in rows for line in str(row).splitlines()]
    return [line for line in lines if line and not line.startswith("*** in database")]


def problems_summary(rows: list[str]) -> str:
    """The first few problems, and how many more there are, on one line."""
    lines = problem_lines(rows) or [str(row) for row in rows]
    shown = "; ".join(lines[:SHOWN_PROBLEMS])
    more = len(lines) - SHOWN_PROBLEMS
    if more > 0:
        shown += f"; … and {more} more problem{'s' if more != 1 else ''}"
    return shown


def damage_mark_path(path: Path) -> Path:
    """Where a failed check is remembered: a hidden file beside the journal (erase removes
    it with the journal's other files; restore and a passing check remove it)."""
    return path.with_name(f".{path.name}.damaged")


def mark_damaged(path: Path, detail: str) -> None:
    """Remember that `path` failed a check, so that no later command writes to it."""
    import os

    from reconnect_journal.paths import PRIVATE_FILE_MODE

    mark = damage_mark_path(path)
    try:
        fd = os.open(mark, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(" ".join(detail.split()) + "\n")  # one line, read back as the detail
    except OSError:
        pass  # a read-only folder: nothing is written there by us either


def damage_found(path: Path) -> str | None:
    """What a check found wrong with `path`, if one did and it was not put right since."""
    try:
        return damage_mark_path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def clear_damage_mark(path: Path) -> None:
    damage_mark_path(path).unlink(missing_ok=True)


def index_alone_at_fault(exc: BaseException, path: Path, passphrase: str | None = None) -> bool:
    """Whether a 'database disk image is malformed' came from the search index alone: FTS5
    says so (search_index.is_index_error) and the file passes a quick check, whose rows
    about the index do not count. A file that cannot be checked (an encrypted one without
    its passphrase) is taken for damaged."""
    from reconnect_journal.store.crypto import file_kind, keyed
    from reconnect_journal.store.search_index import is_index_error, names_the_index

    if not is_index_error(exc):
        return False
    try:
        encrypted = file_kind(path) == "encrypted"
        if encrypted and passphrase is None:
            return False
        with keyed(path, passphrase if encrypted else None) as conn:
            rows = [str(row[0]) for row in conn.execute("PRAGMA quick_check").fetchmany(5)]
    except Exception:
        return False
    return rows == ["ok"] or all(names_the_index(row) for row in rows)


def quick_check(store: Any) -> None:
    """Raise DamagedJournal (with the restore hint) unless `PRAGMA quick_check` passes.

    The full `integrity_check` and the search index's check are `reconnect-journal check`
    (core/checks.py).
    """
    from sqlalchemy.exc import DBAPIError

    store.refuse_if_damaged()  # found by an earlier check, and not put right since
    try:
        with store.engine.connect() as conn:
            rows = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA quick_check").fetchmany(5)]
    except DBAPIError as exc:
        rows = [str(getattr(exc, "orig", exc))]
    from reconnect_journal.store.search_index import names_the_index

    if rows != ["ok"] and not all(names_the_index(row) for row in rows):
        store.found_damaged((problem_lines(rows) or rows or [""])[0])
        store.refuse_if_damaged()
