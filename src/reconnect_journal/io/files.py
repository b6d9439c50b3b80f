"""Writing export files safely: private modes, never half a file, never over one unasked."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from reconnect_journal.core.errors import JournalError
from reconnect_journal.paths import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, ensure_private_dir

# Temporary files and folders being written now. What is still here when the process
# ends (the window closed by SIGHUP while an export ran in its worker thread) is removed
# on the way out: those are plain-text copies of entries, hidden by their leading dot.
_UNFINISHED: set[Path] = set()
_lock = threading.Lock()
_cleanup_registered = False


def _started(temp: Path) -> None:
    global _cleanup_registered
    with _lock:
        _UNFINISHED.add(temp)
        if not _cleanup_registered:
            atexit.register(remove_unfinished)
            _cleanup_registered = True


def _finished(temp: Path) -> None:
    with _lock:
        _UNFINISHED.discard(temp)


def remove_unfinished() -> None:
    """Remove every temporary export file or folder not finished yet."""
    with _lock:
        left = list(_UNFINISHED)
        _UNFINISHED.clear()
    for temp in left:
        if temp.is_dir():
            shutil.rmtree(temp, ignore_errors=True)
        else:
            temp.unlink(missing_ok=True)


def _io_error(exc: OSError, path: Path) -> JournalError:
    reason = exc.strerror or str(exc)
    where = exc.filename or path
    if Path(where).name.startswith(".") and Path(where).name.endswith(".tmp"):
        where = path  # our temporary file beside the target means nothing to the user
    return JournalError(f"cannot write {where}: {reason}; nothing was exported")


def _missing_folder(folder: Path) -> JournalError:
    if folder.exists():
        return JournalError(f"{folder} is a file, not a folder; choose --out inside a folder")
    return JournalError(f"the folder {folder} does not exist; create it first")


class TargetExists(JournalError):
    """The export would replace what is there; the message names --force (the window words
    it its own way, from `path` and `folder`)."""

    def __init__(self, message: str, path: Path, *, folder: bool) -> None:
        super().__init__(message)
        self.path = path
        self.folder = folder


def check_target(path: Path, *, force: bool, folder: bool = False) -> None:
    """Refuse to replace something that is there, unless the user said --force."""
    if folder:
        if path.exists() and not path.is_dir():
            raise JournalError(f"{path} is a file; the folder layout needs a folder path")
        if path.is_dir() and any(path.iterdir()) and not force:
            raise TargetExists(
                f"{path} already has files in it; add --force to write into it "
                "(files with the same names are replaced), or choose another --out",
                path,
                folder=True,
            )
        if not path.exists() and not path.parent.is_dir():
            raise _missing_folder(path.parent)
        return
    if path.is_dir():
        raise JournalError(
            f"{path} is a folder; an export of one file needs a file name, such as "
            f"{path / 'journal.md'}"
        )
    if path.exists() and not path.is_file():
        # A device, a pipe or a socket: an export replaces a file by renaming a new one
        # over it, which would put a plain file in place of the device.
        raise JournalError(
            f"{path} is not a regular file (a device or a pipe); an export writes a file: "
            "choose a file name, or leave --out out for the terminal"
        )
    if path.exists() and not force:
        raise TargetExists(
            f"{path} already exists; add --force to replace it, or choose another",
            path,
            folder=False,
        )
    if not path.parent.is_dir():
        raise _missing_folder(path.parent)


@contextlib.contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Write a text file beside `path` and rename it into place only when complete (0600).

    Newlines are written exactly as given.
    """
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # a folder we may not write in: name the target, not the temp file
        raise _io_error(OSError(exc.errno, exc.strerror), path) from exc
    temp = Path(temp_name)
    _started(temp)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _io_error(exc, path) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        _finished(temp)


@contextlib.contextmanager
def file_batch(*, replace: bool) -> Iterator[Callable[[Path, str], None]]:
    """Write many private files (0600), made durable by one sync at the end rather than one
    per file (which costs seconds for thousands of files). Newlines are written as given.

    Without `replace` every target must be new (a folder built under a temporary name and
    renamed into place afterwards). With it, each file is written beside its target and
    renamed over it only after the sync, so files already there are never left half
    written; if the export fails, the files written so far are removed.
    """
    pending: list[tuple[Path, Path]] = []

    def write(path: Path, text: str) -> None:
        if replace:
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            pending.append((Path(temp), path))
            _started(Path(temp))
        else:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        try:
            os.fchmod(fd, PRIVATE_FILE_MODE)
            data = memoryview(text.encode("utf-8"))
            while data:
                data = data[os.write(fd, data) :]
        finally:
            os.close(fd)

    renamed = 0
    try:
        try:
            yield write
            os.sync()
            for temp, target in pending:
                os.replace(temp, target)
                renamed += 1
        finally:
            for temp, _ in pending[renamed:]:
                temp.unlink(missing_ok=True)
            for temp, _ in pending:
                _finished(temp)
    except OSError as exc:
        raise _io_error(exc, Path(exc.filename or "the export")) from exc


@contextlib.contextmanager
def private_folder(path: Path) -> Iterator[Path]:
    """A folder to write an export into (0700).

    A new folder is built beside `path` under a temporary name and renamed into place only
    when complete; an existing one (allowed by --force) is written into directly.
    """
    if path.is_dir():
        yield path
        return
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
        os.chmod(temp, PRIVATE_DIR_MODE)
    except OSError as exc:  # name the target, not the temporary folder
        raise _io_error(OSError(exc.errno, exc.strerror), path) from exc
    _started(temp)
    try:
        yield temp
        os.replace(temp, path)
    except OSError as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise _io_error(exc, path) from exc
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    finally:
        _finished(temp)


def private_subfolder(path: Path) -> Path:
    try:
        return ensure_private_dir(path)
    except OSError as exc:
        raise _io_error(exc, path) from exc
