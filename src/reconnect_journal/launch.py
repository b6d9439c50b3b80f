"""The `reconnect-journal` program's entry point.

A plain `reconnect-journal [--db PATH]` opens the journal window without loading the
command-line machinery: Typer's option handling imports pydantic (~75 ms) before
anything could be drawn. Everything else, including every mistake, goes to the CLI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from reconnect_journal.core.errors import JournalError

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

PROG = "reconnect-journal"


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on stderr and exit: no traceback, no box."""
    sys.stderr.write(f"{PROG}: {message}\n")
    sys.stderr.flush()
    raise SystemExit(code)


def journal_location(db: Path | None) -> tuple[Path, bool]:
    """The journal path and whether it is the default location (whose folder we may create)."""
    if db is not None:
        return db.expanduser(), False
    from reconnect_journal.paths import DB_ENV, default_db_path

    return default_db_path(), not os.environ.get(DB_ENV)


def require_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail(
            "the journal window needs a terminal; from scripts use a command such as "
            f"'{PROG} add' or '{PROG} list' (see '{PROG} --help')",
            2,
        )


def open_window(db: Path | None) -> None:
    require_terminal()
    path, default_location = journal_location(db)
    from reconnect_journal.tui.app import JournalApp

    app = JournalApp(db_path=path, default_location=default_location)
    app.run()
    _exit_as(app.return_code)


def open_demo_window() -> None:
    """A throwaway journal with example entries, removed however the app ends."""
    import tempfile

    require_terminal()
    from reconnect_journal.tui.app import JournalApp

    with tempfile.TemporaryDirectory(prefix="reconnect-journal-demo-") as folder:
        path = Path(folder) / "demo.db"
        settings = demo_config(Path(folder))

        def open_demo() -> JournalService:
            from reconnect_journal.core.dates import local_today
            from reconnect_journal.core.demo import fill_demo_journal
            from reconnect_journal.core.entries import JournalService

            service = JournalService.open(path)
            fill_demo_journal(service, local_today())
            return service

        app = JournalApp(db_path=path, open_journal=open_demo, config_path=settings)
        app.run()
    _exit_as(app.return_code)


def _exit_as(code: int | None) -> None:
    """The window's own exit status: 0 when closed by the person; 128 + the signal when it
    was closed from outside (SIGHUP, SIGTERM), as a shell reports a process it stopped."""
    if code:
        raise SystemExit(code)


def demo_config(folder: Path) -> Path:
    """A settings file of the demo's own in `folder`: it starts as a copy of the person's
    (same theme and week), and what is changed in the demo goes nowhere else."""
    import contextlib
    import shutil

    from reconnect_journal.paths import config_path

    settings = folder / "config.toml"
    with contextlib.suppress(OSError):  # none yet (or unreadable): the defaults, then
        shutil.copyfile(config_path(), settings)
    return settings


def _window_only(argv: list[str]) -> Path | bool | None:
    """The journal path when the arguments only ask for the journal window, else False.

    Typer's option handling imports pydantic (~75 ms) before anything is drawn; the
    plain `reconnect-journal [--db PATH]` launch skips it so the first frame comes sooner.
    Anything else, including every mistake, goes through Typer.
    """
    if not argv:
        return None
    if len(argv) == 2 and argv[0] == "--db" and argv[1] and not argv[1].startswith("-"):
        return Path(argv[1])
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > len("--db="):
        return Path(argv[0].removeprefix("--db="))
    return False


def _closed_streams() -> None:
    """A standard stream closed by the caller (`>&-`, `<&-`, `2>&-`) is None in Python.

    Without stdout nothing could be shown (not even that an entry was saved), so nothing
    is done; a closed stdin reads as empty, and a closed stderr drops the messages (the
    exit status still tells)."""
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (kept while the process lives)
    if sys.stdin is None:
        sys.stdin = open(os.devnull)  # noqa: SIM115
    if sys.stdout is None:
        fail(
            "standard output is closed, so nothing could be shown and nothing was done; "
            "send the output to a file or to /dev/null instead",
            1,
        )


def main() -> None:
    _closed_streams()
    window = _window_only(sys.argv[1:])
    if window is False:
        from reconnect_journal.cli import run

        run()
        return
    try:
        open_window(window if isinstance(window, Path) else None)
    except JournalError as exc:
        fail(str(exc), exc.exit_code)
