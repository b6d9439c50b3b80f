"""Shared fixtures: every test gets private folders and no network."""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reconnect_journal.core.entries import JournalService

FIXED_TODAY = dt.date(2026, 3, 14)
FIXED_NOW = dt.datetime(2026, 3, 14, 20, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every location the app knows at a temporary folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("RECONNECT_JOURNAL_DB", raising=False)
    monkeypatch.delenv("RECONNECT_JOURNAL_CONFIG", raising=False)
    return home


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """A private journal never talks to the network (asyncio's local socketpair still works)."""
    real_socket = socket.socket

    class GuardedSocket(real_socket):
        def __init__(self, family: int = -1, *args: object, **kwargs: object) -> None:
            if family in (-1, socket.AF_INET, socket.AF_INET6):
                raise AssertionError("the journal tried to open a network socket")
            super().__init__(family, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "socket", GuardedSocket)


@pytest.fixture(autouse=True)
def weeks_start_on_monday() -> Iterator[None]:
    """The week start is one setting for the whole process: each test starts from Monday."""
    from reconnect_journal.core.trends import set_week_start

    set_week_start("monday")
    yield
    set_week_start("monday")


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


@pytest.fixture
def service(journal_path: Path) -> Iterator[JournalService]:
    svc = JournalService.open(journal_path, clock=lambda: FIXED_NOW, today=lambda: FIXED_TODAY)
    yield svc
    svc.close()


@pytest.fixture
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so greetings and times shown never depend on the machine.

    A test module opts in with `pytestmark = pytest.mark.usefixtures("utc_clock")`.
    """
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
