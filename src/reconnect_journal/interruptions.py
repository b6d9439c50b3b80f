"""Stopping half-way without leaving anything half-written behind."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def stopped_cleanly() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the work as ctrl+c does (KeyboardInterrupt), so that the
    `finally` blocks remove what was half-written; Python's default ends the process on the
    spot. (Only the main thread can handle signals; kill -9 cannot be handled at all.)"""
    import signal
    import threading

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():

        def interrupt(_signum: int, _frame: Any) -> None:
            raise KeyboardInterrupt

        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is not None:
                with contextlib.suppress(ValueError, OSError):
                    previous[signum] = signal.signal(signum, interrupt)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signum, handler)
