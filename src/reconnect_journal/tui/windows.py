"""Which journal windows are open: so one window never takes another's unsaved words.

Each window has a token, and while it runs it holds a lock on `window-<token>.lock` in
the journal's private tmp folder (0700, beside the journal). The operating system drops
the lock when the process ends, however it ends (kill -9 too), so another window can
tell a window that is still open from one that is gone: what a gone window left
behind (a new entry's draft, a file of the other editor) is offered again; what an open
one holds is left alone.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from reconnect_journal.paths import PRIVATE_FILE_MODE

try:
    import fcntl
except ImportError:  # Windows: no open window can be seen; each acts as the only one
    fcntl = None  # type: ignore[assignment]


def _mark_path(folder: Path, token: str) -> Path:
    return folder / f"window-{token}.lock"


def new_token() -> str:
    return uuid.uuid4().hex[:12]


class WindowMark:
    """This window's token, and its lock while the window is open."""

    def __init__(self, token: str, fd: int | None = None, path: Path | None = None) -> None:
        self.token = token
        self._fd = fd
        self._path = path

    @classmethod
    def take(cls, journal_path: Path, token: str) -> WindowMark:
        """`token`, locked in the journal's tmp folder (when that folder can be made)."""
        from reconnect_journal.tui.external_editor import private_tmp_dir

        if fcntl is None:
            return cls(token)
        try:
            path = _mark_path(private_tmp_dir(journal_path), token)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError:
            return cls(token)  # a read-only folder: seen by others as closed
        try:
            os.fchmod(fd, PRIVATE_FILE_MODE)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return cls(token)
        return cls(token, fd, path)

    def release(self) -> None:
        """The window is closing: its lock and mark go."""
        if self._fd is None:
            return
        if self._path is not None:
            with contextlib.suppress(OSError):
                self._path.unlink()
        with contextlib.suppress(OSError):
            os.close(self._fd)  # closing drops the lock
        self._fd = None


def window_is_open(journal_path: Path, token: str) -> bool:
    """True while the window with `token` runs (in this process or another)."""
    from reconnect_journal.tui.external_editor import TMP_FOLDER

    if fcntl is None:
        return False
    path = _mark_path(journal_path.parent / TMP_FOLDER / journal_path.stem, token)
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False  # no mark: the window is gone (or never could leave one)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    else:
        with contextlib.suppress(OSError):
            path.unlink()  # left by a window that was killed
        return False
    finally:
        os.close(fd)
