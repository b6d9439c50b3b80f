"""Writing an entry's words in the person's own editor ($VISUAL, then $EDITOR, else vi).

The words go to a temporary file readable only by the user (0600), inside a private
folder beside the journal (`tmp/`, 0700), never in the shared system temp folder. The
file is removed afterwards, whatever happened; if the window is killed outright (so
nothing can remove it), the next start brings its words back as a draft and removes it.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconnect_journal.paths import PRIVATE_FILE_MODE, ensure_private_dir

DEFAULT_EDITOR = "vi"
EDITOR_VARIABLES = ("VISUAL", "EDITOR")
TMP_FOLDER = "tmp"

Runner = Callable[[list[str]], int]


class ExternalEditorError(Exception):
    """The other editor could not be used; the message is one calm sentence to show."""


def editor_command(environ: Mapping[str, str] | None = None) -> list[str]:
    """The editor to run, as a command line: $VISUAL, then $EDITOR, else vi.

    Raises ExternalEditorError when the chosen program cannot be found.
    """
    environ = os.environ if environ is None else environ
    for name in EDITOR_VARIABLES:
        value = environ.get(name, "").strip()
        if not value:
            continue
        try:
            command = shlex.split(value)
        except ValueError:
            raise ExternalEditorError(
                f"${name} ({value}) could not be understood as a command; "
                "your words are as they were"
            ) from None
        if command:
            if shutil.which(command[0]) is None:
                raise ExternalEditorError(
                    f"The editor in ${name} ({command[0]}) was not found; "
                    "your words are as they were"
                )
            return command
    if shutil.which(DEFAULT_EDITOR) is None:
        raise ExternalEditorError(
            "No editor was found. Set $VISUAL or $EDITOR to the one you like "
            "(for example nano), or keep writing here"
        )
    return [DEFAULT_EDITOR]


def private_tmp_dir(journal_path: Path) -> Path:
    """`tmp/<journal name>/` beside the journal, readable only by the user: one folder per
    journal, so erasing one journal never touches another's files."""
    ensure_private_dir(journal_path.parent / TMP_FOLDER)
    return ensure_private_dir(journal_path.parent / TMP_FOLDER / journal_path.stem)


def _run(command: list[str]) -> int:
    return subprocess.run(command, check=False).returncode


def temp_file_prefix(window: str, draft_key: str) -> str:
    """How the file is named: by the window and the draft it belongs to, so that one left
    by a window that was killed can be brought back into that draft (see `leftovers`)."""
    return f"entry-{window}-{draft_key.replace(':', '_')}-"


@dataclass(frozen=True)
class Leftover:
    """A file the other editor was given by a window that never came back for it."""

    path: Path
    window: str | None  # None: named before files carried their window
    draft_key: str | None


def leftovers(folder: Path) -> list[Leftover]:
    """The other editor's files in `folder` (any window's, open or gone)."""
    found = []
    for path in sorted(folder.glob("entry-*.md")) if folder.is_dir() else []:
        parts = path.name.split("-")
        if len(parts) == 4 and parts[1] and parts[2]:
            found.append(Leftover(path, parts[1], parts[2].replace("_", ":", 1)))
        else:
            found.append(Leftover(path, None, None))
    return found


def _as_written(edited: str, text: str) -> str:
    # Most editors end the file with a newline; do not add one the text did not have.
    if edited.endswith("\n") and not text.endswith("\n"):
        edited = edited[:-1]
    return edited


@contextmanager
def _hearing_closing_signals(on_closing: Callable[[], None] | None) -> Iterator[list[int]]:
    """While the other editor runs the app's event loop waits, and so would its handling
    of the terminal closing (SIGHUP, SIGTERM) until the file is gone: `on_closing` runs
    on the signal instead. The app still gets it afterwards (through the loop's wakeup
    descriptor), and closes as usual."""
    heard: list[int] = []
    if on_closing is None or threading.current_thread() is not threading.main_thread():
        yield heard
        return
    previous: dict[int, Any] = {}

    def closing(signum: int, frame: Any) -> None:
        heard.append(signum)
        on_closing()
        if callable(earlier := previous.get(signum)):
            earlier(signum, frame)  # e.g. asyncio's, which only marks it for the loop

    for name in ("SIGHUP", "SIGTERM"):
        signum = getattr(signal, name, None)
        if signum is not None:
            previous[signum] = signal.signal(signum, closing)
    try:
        yield heard
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def edit_text(
    text: str,
    command: Sequence[str],
    folder: Path,
    *,
    run: Runner = _run,
    prefix: str = "entry-",
    on_closing: Callable[[str], None] | None = None,
) -> str:
    """Let `command` edit `text` in a private temporary file and return what it saved.

    Raises ExternalEditorError (and the text should stay as it was) when the editor
    could not start or ended with an error. The temporary file never outlives this call.
    If the window is closed from outside meanwhile (SIGHUP, SIGTERM), `on_closing` gets
    what the file holds then, and what it holds at the end is returned whatever the
    editor's exit status: it is what the person last saved there.
    """
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".md", dir=folder)
    path = Path(name)

    def saved_so_far() -> str:
        # An unreadable byte must not cost the rest of the words: it becomes "�".
        return _as_written(path.read_text(encoding="utf-8", errors="replace"), text)

    def closing() -> None:
        if on_closing is not None:
            with contextlib.suppress(OSError):
                on_closing(saved_so_far())

    try:
        if hasattr(os, "fchmod"):  # mkstemp already makes it 0600; said outright
            os.fchmod(fd, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        with _hearing_closing_signals(closing if on_closing else None) as heard:
            try:
                status = run([*command, str(path)])
            except OSError as error:
                raise ExternalEditorError(
                    f"The editor ({command[0]}) could not be started "
                    f"({error.strerror or error}); your words are as they were"
                ) from None
        if status != 0 and not heard:
            raise ExternalEditorError(
                f"The editor closed with an error (exit status {status}), "
                "so your words are as they were before"
            )
        edited = saved_so_far()
    finally:
        path.unlink(missing_ok=True)
    return edited
