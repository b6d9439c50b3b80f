"""Encryption at rest, the passphrase, the lock, file modes and no network."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.model import EntryQuery, NewEntry
from reconnect_journal.store.crypto import (
    SQLITE_HEADER,
    PassphraseError,
    change_passphrase,
    decrypt_file,
    encrypt_file,
    file_kind,
)
from reconnect_journal.store.engine import PassphraseNeeded
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.screens.lock import LockScreen
from tests.tui_support import open_fixed, run_app, settle

PASS = "correct horse battery"
CLI = [sys.executable, "-m", "reconnect_journal"]


def cli(
    *args: str, db: Path, passphrase: str | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECONNECT_JOURNAL")}
    env["RECONNECT_JOURNAL_DB"] = str(db)
    if passphrase is not None:
        env["RECONNECT_JOURNAL_PASSPHRASE"] = passphrase
    return subprocess.run(
        [sys.executable, "-c", "from reconnect_journal.launch import main; main()", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_journal(path: Path, bodies: list[str]) -> None:
    journal = JournalService.open(path)
    try:
        for body in bodies:
            journal.add(NewEntry(body=body))
    finally:
        journal.close()


def bodies(path: Path, passphrase: str | None = None) -> list[str]:
    journal = JournalService.open(path, passphrase=passphrase)
    try:
        return sorted(e.body for e in journal.list(EntryQuery(limit=None)))
    finally:
        journal.close()


def test_encrypt_round_trip_hides_the_words(journal_path: Path) -> None:
    make_journal(journal_path, ["the quiet after dinner", "שלום 🌙 عربي"])
    encrypt_file(journal_path, PASS)
    raw = journal_path.read_bytes()
    assert not raw.startswith(SQLITE_HEADER)
    assert b"quiet after dinner" not in raw
    assert file_kind(journal_path) == "encrypted"
    assert stat.S_IMODE(journal_path.stat().st_mode) == 0o600
    assert bodies(journal_path, PASS) == sorted(["the quiet after dinner", "שלום 🌙 عربي"])
    with pytest.raises(PassphraseNeeded):
        JournalService.open(journal_path)
    change_passphrase(journal_path, PASS, "another long one")
    assert bodies(journal_path, "another long one") == sorted(
        ["the quiet after dinner", "שלום 🌙 عربي"]
    )
    decrypt_file(journal_path, "another long one")
    assert journal_path.read_bytes().startswith(SQLITE_HEADER)
    assert len(bodies(journal_path)) == 2
    # nothing left beside it
    assert sorted(p.name for p in journal_path.parent.iterdir() if p.name.startswith(".")) == []


def test_wrong_passphrase_changes_nothing_and_prints_one_line(journal_path: Path) -> None:
    make_journal(journal_path, ["kept safe"])
    encrypt_file(journal_path, PASS)
    before = digest(journal_path)
    for args in (["list"], ["add", "more words"], ["backup"], ["passwd"], ["check"]):
        result = cli(*args, db=journal_path, passphrase="not the one at all")
        assert result.returncode == 1, result
        assert result.stderr.count("\n") == 1, result.stderr
        assert "wrong passphrase, or not a journal file" in result.stderr
        # The passphrase came from the variable: that is what to look at, not a prompt.
        assert "Check RECONNECT_JOURNAL_PASSPHRASE" in result.stderr
        assert "ERROR" not in result.stderr and "Traceback" not in result.stderr
        assert digest(journal_path) == before
    with pytest.raises(PassphraseError):
        JournalService.open(journal_path, passphrase="nope nope nope")
    assert digest(journal_path) == before


def test_no_prompt_without_a_terminal_names_the_variable(journal_path: Path) -> None:
    make_journal(journal_path, ["x"])
    encrypt_file(journal_path, PASS)
    result = cli("list", db=journal_path)
    assert result.returncode == 1
    assert "RECONNECT_JOURNAL_PASSPHRASE" in result.stderr
    result = cli("encrypt", db=journal_path)  # already encrypted
    assert result.returncode == 1


def test_cli_encrypt_then_use_and_backups_stay_encrypted(journal_path: Path) -> None:
    make_journal(journal_path, ["before encryption"])
    assert cli("backup", db=journal_path).returncode == 0
    result = cli("encrypt", db=journal_path, passphrase=PASS)
    assert result.returncode == 0, result.stderr
    assert "passphrase" in result.stderr and "lost" in result.stderr
    assert cli("add", "after", db=journal_path, passphrase=PASS).returncode == 0
    listed = cli("list", "--json", db=journal_path, passphrase=PASS)
    assert "before encryption" in listed.stdout and "after" in listed.stdout
    backups = list((journal_path.parent / "backups").iterdir())
    assert backups and all(file_kind(b) == "encrypted" for b in backups)
    assert cli("backup", db=journal_path, passphrase=PASS).returncode == 0
    assert all(file_kind(b) == "encrypted" for b in (journal_path.parent / "backups").iterdir())


def test_encrypt_refuses_while_another_window_has_it_open(journal_path: Path) -> None:
    make_journal(journal_path, ["x"])
    other = JournalService.open(journal_path)
    try:
        other.list()
        before = digest(journal_path)
        result = cli("encrypt", db=journal_path, passphrase=PASS)
        assert result.returncode == 1
        assert "open in another window" in result.stderr
        assert file_kind(journal_path) == "plain"
    finally:
        other.close()
    assert digest(journal_path) == before or file_kind(journal_path) == "plain"


def test_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        data = tmp_path / "home" / "data"
        env_db = data / "reconnect-journal" / "journal.db"
        journal = JournalService.open(env_db, default_location=True)
        journal.add(NewEntry(body="private"))
        journal.close()
        from reconnect_journal.store.backups import make_backup

        made = make_backup(env_db)
        encrypt_file(env_db, PASS)
    finally:
        os.umask(old)
    assert stat.S_IMODE(env_db.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(env_db.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700


def test_no_socket_is_opened_by_the_cli_in_a_subprocess(journal_path: Path) -> None:
    """Socket creation fails for every family but AF_UNIX; any attempt is recorded."""
    code = f"""
import socket, sys
tried = []
real = socket.socket
class Guard(real):
    def __init__(self, family=-1, *a, **k):
        if family != socket.AF_UNIX:
            tried.append(family)
            raise OSError("network disabled in this test")
        super().__init__(family, *a, **k)
socket.socket = Guard
def refuse(*a, **k):
    tried.append("connect")
    raise OSError("network disabled in this test")
socket.create_connection = refuse
from reconnect_journal.cli import app
import typer
cmd = typer.main.get_command(app)
for args in (["add", "hello"], ["list"], ["backup"], ["check"], ["stats"], ["export"]):
    try:
        cmd(["--db", {str(journal_path)!r}, *args], standalone_mode=False)
    except SystemExit:
        pass
import reconnect_journal.tui.app
print("TRIED", tried)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert "TRIED []" in result.stdout, result.stdout + result.stderr


# -- the journal window ---------------------------------------------------------------


def test_window_asks_for_the_passphrase_and_locks(journal_path: Path) -> None:
    make_journal(journal_path, ["a secret evening"])
    encrypt_file(journal_path, PASS)

    def opener() -> JournalService:
        return JournalService.open(journal_path, passphrase=app._passphrase_attempt)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, LockScreen)
        assert app.journal is None
        field = app.screen.query_one("#lock-passphrase", Input)
        field.value = "wrong wrong wrong"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        problem = str(app.screen.query_one("#lock-problem").render())
        assert problem == "That passphrase did not open the journal. Type it again."
        app.screen.query_one("#lock-passphrase", Input).value = PASS
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, LockScreen)
        assert app.journal is not None and not app.journal.store.locked
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert app.journal.store.locked and app.journal.store.passphrase is None
        await pilot.press("2")  # nothing of the journal can be reached
        assert isinstance(app.screen, LockScreen)
        app.screen.query_one("#lock-passphrase", Input).value = PASS
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, LockScreen)
        assert [e.body for e in app.journal.list()] == ["a secret evening"]

    app = JournalApp(db_path=journal_path, cursor_blink=False)
    app._open_journal = opener
    run_app(app, scenario)


def test_a_journal_decrypted_while_the_window_is_locked_opens_again(journal_path: Path) -> None:
    make_journal(journal_path, ["a secret evening"])
    encrypt_file(journal_path, PASS)

    def opener() -> JournalService:
        return JournalService.open(journal_path, passphrase=PASS)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert app.journal is not None
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        decrypt_file(journal_path, PASS)  # 'reconnect-journal decrypt' in another terminal
        app.screen.query_one("#lock-passphrase", Input).value = PASS
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen), (app.screen, app.screen_stack)
        said = str(app.screen.query_one("#lock-problem").render())
        assert "no longer protected by a passphrase" in said
        assert "did not open" not in said
        await pilot.press("enter")  # carry on
        await settle(pilot)
        assert not isinstance(app.screen, LockScreen)
        assert [e.body for e in app.journal.list()] == ["a secret evening"]
        app.journal.add(NewEntry(body="written after"))

    app = JournalApp(db_path=journal_path, open_journal=opener, cursor_blink=False)
    run_app(app, scenario)
    assert file_kind(journal_path) == "plain"


def test_window_locks_when_idle(journal_path: Path) -> None:
    make_journal(journal_path, ["x"])

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        app.config.idle_lock_minutes = 1
        app._last_activity -= 61
        app._lock_when_idle()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.press("enter")  # a plain journal: enter goes on
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)

    run_app(
        JournalApp(
            db_path=journal_path, open_journal=lambda: open_fixed(journal_path), cursor_blink=False
        ),
        scenario,
    )


async def encrypt_with_f8(app: JournalApp, pilot: Pilot[None], passphrase: str) -> None:
    """F8, the passphrase twice, and Encrypt: as a person does it in the window."""
    await pilot.press("f8")
    await pilot.pause()
    app.screen.query_one("#encrypt-first", Input).value = passphrase
    app.screen.query_one("#encrypt-second", Input).value = passphrase
    await pilot.click("#encrypt-yes")
    await settle(pilot)
    assert app.journal is not None and app.journal.store.encrypted


def test_encrypting_in_the_window_leaves_no_readable_backup_behind(journal_path: Path) -> None:
    from reconnect_journal.store.backups import list_backups, make_backup

    journal = JournalService.open(journal_path)
    journal.add(NewEntry(body="in the backup too"))
    journal.close()
    backup = make_backup(journal_path)  # e.g. the day's backup, made before F8
    assert file_kind(backup) == "plain"

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await encrypt_with_f8(app, pilot, "long enough pass")
        # The one made here, and the day's backup made when the window opened.
        assert any("and its 2 backups are encrypted" in n.message for n in app._notifications)

    run_app(JournalApp(db_path=journal_path, cursor_blink=False), scenario)
    assert [file_kind(p) for p in list_backups(journal_path)] == ["encrypted"] * 2
    assert b"in the backup too" not in backup.read_bytes()
    assert bodies(backup, "long enough pass") == ["in the backup too"]


def test_window_offers_encryption_on_a_new_journal(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert any("F8" in n.message for n in app._notifications)
        await encrypt_with_f8(app, pilot, "long enough pass")
        assert app.journal is not None
        app.journal.add(NewEntry(body="written after"))

    run_app(JournalApp(db_path=journal_path, cursor_blink=False), scenario)
    assert file_kind(journal_path) == "encrypted"
    assert bodies(journal_path, "long enough pass") == ["written after"]


def test_a_damaged_backup_neither_stops_encryption_nor_stays_plain_silently(
    journal_path: Path,
) -> None:
    """A truncated plain backup once stopped `encrypt` half-way ('unexpected error'): the
    journal was encrypted, every backup stayed plain, the good one included, and running
    encrypt again said only 'already encrypted'."""
    import time

    from reconnect_journal.store.backups import list_backups, make_backup

    make_journal(journal_path, ["private words"])
    damaged = make_backup(journal_path)
    time.sleep(1.1)
    good = make_backup(journal_path)
    os.truncate(damaged, 8192)
    result = cli("encrypt", db=journal_path, passphrase=PASS)
    assert result.returncode == 1, result
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    assert file_kind(journal_path) == "encrypted"
    assert file_kind(good) == "encrypted"
    assert str(damaged) in result.stderr and "--remove-damaged-backups" in result.stderr
    assert "readable without a passphrase" in result.stderr
    assert file_kind(damaged) == "plain"
    again = cli("encrypt", db=journal_path, passphrase=PASS)  # still says so
    assert again.returncode == 1 and str(damaged) in again.stderr, again
    removed = cli("encrypt", "--remove-damaged-backups", db=journal_path, passphrase=PASS)
    assert removed.returncode == 0, removed
    assert not damaged.exists() and str(damaged) in removed.stdout
    assert [file_kind(p) for p in list_backups(journal_path)] == ["encrypted"]
    assert bodies(good, PASS) == ["private words"]


def test_encrypt_on_an_encrypted_journal_encrypts_its_plain_backups(journal_path: Path) -> None:
    from reconnect_journal.store.backups import make_backup

    make_journal(journal_path, ["private words"])
    plain = make_backup(journal_path)
    encrypt_file(journal_path, PASS)  # its backups left as they were
    assert file_kind(plain) == "plain"
    result = cli("encrypt", db=journal_path, passphrase=PASS)
    assert result.returncode == 0, result
    assert "already encrypted" in result.stdout and "1 backup" in result.stdout
    assert file_kind(plain) == "encrypted" and bodies(plain, PASS) == ["private words"]
    done = cli("encrypt", db=journal_path, passphrase=PASS)  # nothing plain left
    assert done.returncode == 1 and "already encrypted" in done.stderr


def _leave_work_files(journal_path: Path, what: str) -> list[Path]:
    work = journal_path.with_name(f".{journal_path.name}.{what}")
    work.write_bytes(SQLITE_HEADER + b"readable words of a half-made copy" * 100)
    side = Path(f"{work}-journal")
    side.write_bytes(b"more readable words")
    return [work, side]


@pytest.mark.parametrize(
    ("args", "encrypted"),
    [(["list"], False), (["check"], False), (["encrypt"], False), (["decrypt", "--yes"], True)],
)
def test_a_killed_conversion_leaves_nothing_readable_behind(
    journal_path: Path, args: list[str], encrypted: bool
) -> None:
    """decrypt killed half-way left `.journal.db.decrypting`, readable entries beside the
    encrypted journal, and no later command removed it."""
    make_journal(journal_path, ["private words"])
    if encrypted:
        encrypt_file(journal_path, PASS)
    left = [*_leave_work_files(journal_path, "decrypting")]
    left += _leave_work_files(journal_path, "encrypting")
    result = cli(*args, db=journal_path, passphrase=PASS)
    assert result.returncode == 0, result
    assert [p for p in left if p.exists()] == []


def test_a_conversion_under_way_elsewhere_is_left_alone(journal_path: Path) -> None:
    import fcntl

    make_journal(journal_path, ["private words"])
    work, side = _leave_work_files(journal_path, "decrypting")
    fd = os.open(work, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another process, writing it now
        assert cli("list", db=journal_path).returncode == 0
        assert work.exists() and side.exists()
        result = cli("encrypt", db=journal_path, passphrase=PASS)
        assert result.returncode == 1
        assert "another command is encrypting or decrypting" in result.stderr
        assert file_kind(journal_path) == "plain"
    finally:
        os.close(fd)
    assert cli("list", db=journal_path).returncode == 0
    assert not work.exists() and not side.exists()


@pytest.mark.slow
def test_decrypt_stopped_with_sigterm_removes_its_half_made_copy(journal_path: Path) -> None:
    import signal
    import time

    journal = JournalService.open(journal_path)
    try:
        for i in range(1500):
            journal.add(NewEntry(body=f"secret words {i} " + "lorem ipsum " * 300))
    finally:
        journal.close()
    encrypt_file(journal_path, PASS)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECONNECT_JOURNAL")}
    env["RECONNECT_JOURNAL_PASSPHRASE"] = PASS
    work = journal_path.with_name(f".{journal_path.name}.decrypting")
    code = "from reconnect_journal.launch import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "--db", str(journal_path), "decrypt", "--yes"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not work.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert not any(p.exists() for p in (work, Path(f"{work}-journal"))), stderr
    if process.returncode != 0:  # stopped in time (else it had finished)
        assert "stopped" in stderr and "Traceback" not in stderr
    kind = file_kind(journal_path)
    assert len(bodies(journal_path, PASS if kind == "encrypted" else None)) == 1500


def test_restore_says_when_the_journal_loses_or_changes_its_passphrase(
    journal_path: Path,
) -> None:
    """Restoring a plain backup onto an encrypted journal made it plain silently; one made
    before 'passwd' silently brought the old passphrase back."""
    from reconnect_journal.store.backups import make_backup

    make_journal(journal_path, ["private words"])
    plain = make_backup(journal_path)
    encrypt_file(journal_path, PASS)
    old_key = make_backup(journal_path, passphrase=PASS)
    change_passphrase(journal_path, PASS, "a newer passphrase")
    result = cli("restore", str(old_key), db=journal_path, passphrase=PASS)
    assert result.returncode == 0, result
    assert "opens with the passphrase it had when it was backed up" in result.stdout
    assert bodies(journal_path, PASS) == ["private words"]
    same = cli("restore", str(old_key), db=journal_path, passphrase=PASS)
    assert "passphrase it had" not in same.stdout  # nothing changed about it this time
    result = cli("restore", str(plain), db=journal_path, passphrase=PASS)
    assert result.returncode == 0, result
    assert "no longer protected by a passphrase" in result.stdout
    assert "encrypt' protects it again" in result.stdout
    assert file_kind(journal_path) == "plain"


def test_encrypt_refused_says_nothing_of_encrypting(journal_path: Path) -> None:
    make_journal(journal_path, ["x"])
    other = JournalService.open(journal_path)
    try:
        other.list()
        result = cli("encrypt", db=journal_path, passphrase=PASS)
    finally:
        other.close()
    assert result.returncode == 1 and "open in another window" in result.stderr
    assert "Encrypting" not in result.stderr and result.stderr.count("\n") == 1


def test_backup_help_does_not_promise_encryption_to_a_plain_journal(journal_path: Path) -> None:
    result = cli("backup", "--help", db=journal_path)
    assert "stays encrypted" not in result.stdout
    assert "encrypted journal" in " ".join(result.stdout.split())
