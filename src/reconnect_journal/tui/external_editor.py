"""Writing an entry's words in the person's own editor ($VISUAL, then $EDITOR, else vi).

The words go to a temporary file readable only by the user (0600), inside a private
folder beside the journal (`tmp/`, 0700), never in the shared system temp folder. The
file is always removed afterwards, whatever happened.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

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


def edit_text(
    text: str,
    command: Sequence[str],
    folder: Path,
    *,
    run: Runner = _run,
) -> str:
    """Let `command` edit `text` in a private temporary file and return what it saved.

    Raises ExternalEditorError (and the text should stay as it was) when the editor
    could not start or ended with an error. The temporary file never outlives this call.
    """
    fd, name = tempfile.mkstemp(prefix="entry-", suffix=".md", dir=folder)
    path = Path(name)
    try:
        if hasattr(os, "fchmod"):  # mkstemp already makes it 0600; said outright
            os.fchmod(fd, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        try:
            status = run([*command, str(path)])
        except OSError as error:
            raise ExternalEditorError(
                f"The editor ({command[0]}) could not be started ({error.strerror or error}); "
                "your words are as they were"
            ) from None
        if status != 0:
            raise ExternalEditorError(
                f"The editor closed with an error (exit status {status}), "
                "so your words are as they were before"
            )
        # An unreadable byte must not cost the rest of the words: it becomes "�".
        edited = path.read_text(encoding="utf-8", errors="replace")
    finally:
        path.unlink(missing_ok=True)
    # Most editors end the file with a newline; do not add one the text did not have.
    if edited.endswith("\n") and not text.endswith("\n"):
        edited = edited[:-1]
    return edited
