"""A journal in a synced folder is warned about once, on the command line and in the window."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from typer.testing import CliRunner

from reconnect_journal.cli import app
from reconnect_journal.core.entries import JournalService
from reconnect_journal.store.synced import (
    synced_folder_message,
    synced_folder_notice,
    synced_service,
)
from reconnect_journal.tui.app import JournalApp

from .tui_support import make_app, notifications, run_app


@pytest.mark.parametrize(
    ("folder", "service"),
    [
        ("Dropbox/journal", "Dropbox"),
        ("Dropbox (Personal)", "Dropbox"),
        ("OneDrive - Example Ltd/Documents", "OneDrive"),
        ("Library/CloudStorage/OneDrive-Personal", "OneDrive"),
        ("Google Drive/My Drive", "Google Drive"),
        ("Library/CloudStorage/GoogleDrive-me@example.org/My Drive", "Google Drive"),
        ("Library/Mobile Documents/com~apple~CloudDocs/notes", "iCloud Drive"),
        ("iCloudDrive", "iCloud Drive"),
        ("notes", None),
        ("dropbox-free/../notes", None),  # only the folders the journal is really in
    ],
)
def test_synced_folders_are_told_from_the_path(
    tmp_path: Path, folder: str, service: str | None
) -> None:
    assert synced_service(tmp_path / folder / "journal.db") == service
    assert synced_service(tmp_path / "Dropbox.db") is None  # the file's own name is no folder


def test_a_syncthing_folder_is_told_by_its_marker(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    (shared / "deep" / "er").mkdir(parents=True)
    assert synced_service(shared / "deep" / "er" / "journal.db") is None
    (shared / ".stfolder").mkdir()
    assert synced_service(shared / "deep" / "er" / "journal.db") == "Syncthing"
    assert synced_service(tmp_path / "journal.db") is None


def test_a_link_into_a_synced_folder_counts(tmp_path: Path) -> None:
    (tmp_path / "Dropbox").mkdir()
    (tmp_path / "journal.db").symlink_to(tmp_path / "Dropbox" / "journal.db")
    assert synced_service(tmp_path / "journal.db") == "Dropbox"


def test_the_note_comes_once_per_journal_and_is_kept_privately(
    tmp_path: Path, private_home: Path
) -> None:
    first = tmp_path / "Dropbox" / "journal.db"
    second = tmp_path / "Dropbox" / "other.db"
    note = synced_folder_notice(first)
    assert note is not None and note.startswith(f"{first} is in a folder that Dropbox keeps")
    assert "backups" in note and "exports" in note and "\n" not in note
    assert synced_folder_notice(first) is None
    assert synced_folder_notice(second) is not None  # another journal: its own note
    assert synced_folder_notice(tmp_path / "journal.db") is None
    state = private_home / "state" / "reconnect-journal" / "synced-folder-notes.json"
    assert json.loads(state.read_text()) == {"noted": [str(first), str(second)]}
    assert state.stat().st_mode & 0o777 == 0o600
    assert state.parent.stat().st_mode & 0o777 == 0o700


def test_a_note_that_cannot_be_remembered_is_shown_again(
    tmp_path: Path, private_home: Path
) -> None:
    (private_home / "state").write_text("a file where the folder would go")
    journal = tmp_path / "OneDrive" / "journal.db"
    assert synced_folder_notice(journal) is not None
    assert synced_folder_notice(journal) is not None


def test_commands_say_it_once_on_stderr(tmp_path: Path) -> None:
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    db = str(folder / "journal.db")
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db, "add", "written in a synced folder"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Saved entry 1")
    assert result.stderr == (
        f"reconnect-journal: {db} is in a folder that Dropbox keeps in sync. Sync tools and "
        "SQLite files don't mix well: a copy taken in the middle of a save can be damaged, "
        "and two computers can overwrite each other's words. Your journal is safest in a "
        "folder that is not synced; to keep copies elsewhere, use backups "
        "('reconnect-journal backup') or exports instead. (This note is shown once.)\n"
    )
    result = runner.invoke(app, ["--db", db, "list", "--json"])
    assert result.exit_code == 0 and result.stderr == ""
    assert len(json.loads(result.stdout)) == 1


@pytest.mark.parametrize("command", ["backup", "encrypt", "restore"])
def test_backup_encrypt_and_restore_say_it_too_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """A journal moved into a synced folder, then backed up, encrypted or restored there:
    the note comes the same way as from other commands, once per journal."""
    monkeypatch.setenv("RECONNECT_JOURNAL_PASSPHRASE", "a long enough passphrase")
    runner = CliRunner()
    outside = tmp_path / "journal.db"
    assert runner.invoke(app, ["--db", str(outside), "add", "written before moving"]).exit_code == 0
    made = runner.invoke(app, ["--db", str(outside), "backup", str(tmp_path / "copy.db")])
    assert made.exit_code == 0 and made.stderr == "", made.stderr
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    db = folder / "journal.db"
    outside.rename(db)
    args = {"backup": ["backup"], "encrypt": ["encrypt"]}.get(
        command, ["restore", str(tmp_path / "copy.db")]
    )
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.stderr
    note = f"reconnect-journal: {synced_folder_message(db, 'Dropbox')}\n"
    assert result.stderr.startswith(note) and result.stderr.count(note) == 1
    # Once: the next command on this journal says nothing about it.
    again = runner.invoke(app, ["--db", str(db), "backup"])
    assert again.exit_code == 0 and again.stderr == ""


def test_the_window_shows_it_as_a_notification(tmp_path: Path) -> None:
    folder = tmp_path / "Library" / "Mobile Documents" / "com~apple~CloudDocs"
    folder.mkdir(parents=True)
    path = folder / "journal.db"

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        shown = [n for n in notifications(app) if "keeps in sync" in n]
        assert shown == [synced_folder_message(path, "iCloud Drive")]

    run_app(make_app(path, lambda: JournalService.open(path)), scenario)
    # Once: the next time the window opens, the journal opens without it.
    again: list[str] = []

    async def reopened(app: JournalApp, pilot: Pilot[None]) -> None:
        again.extend(notifications(app))

    run_app(make_app(path, lambda: JournalService.open(path)), reopened)
    assert not any("keeps in sync" in n for n in again)
