"""A journal kept in a synced folder (Dropbox, OneDrive, Google Drive, iCloud Drive,
Syncthing) is warned about once: sync tools copy a SQLite file while it is being written,
and two computers can overwrite each other's copy.

The folder is told from the journal's path alone (no network, no sync tool asked). Which
journals were already warned about is kept in a small private file in the user state
folder, never in the journal itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from reconnect_journal.paths import PRIVATE_FILE_MODE, ensure_private_dir, state_dir

STATE_FILE = "synced-folder-notes.json"
SYNCTHING_MARKER = ".stfolder"  # Syncthing puts it at the top of every folder it shares


def _service_named(folder: str) -> str | None:
    name = folder.casefold()
    if name.startswith("dropbox"):  # Dropbox, "Dropbox (Personal)", Dropbox-Team
        return "Dropbox"
    if name.startswith("onedrive"):  # OneDrive, "OneDrive - Company", OneDrive-Personal
        return "OneDrive"
    if name in ("google drive", "my drive") or name.startswith("googledrive"):
        return "Google Drive"
    if name in ("icloud drive", "iclouddrive", "com~apple~clouddocs"):
        return "iCloud Drive"
    return None


def synced_service(journal: Path) -> str | None:
    """The sync service whose folder holds `journal` ('Dropbox', 'Syncthing', …), or None."""
    journal = Path(os.path.normpath(journal.expanduser().absolute()))  # "a/../b" is b
    places = [journal.parent]
    with contextlib.suppress(OSError, RuntimeError):
        real = journal.resolve().parent  # a link into a synced folder counts too
        if real != journal.parent:
            places.append(real)
    for folder in places:
        for part in folder.parts:
            if service := _service_named(part):
                return service
    for folder in places:
        for ancestor in (folder, *folder.parents):
            with contextlib.suppress(OSError):
                if (ancestor / SYNCTHING_MARKER).exists():
                    return "Syncthing"
    return None


def synced_folder_message(journal: Path, service: str) -> str:
    return (
        f"{journal} is in a folder that {service} keeps in sync. Sync tools and SQLite "
        "files don't mix well: "
        "a copy taken in the middle of a save can be damaged, and two computers can "
        "overwrite each other's words. Your journal is safest in a folder that is not "
        "synced; to keep copies elsewhere, use backups ('reconnect-journal backup') or "
        "exports instead. (This note is shown once.)"
    )


def _state_path() -> Path:
    return state_dir() / STATE_FILE


def _already_noted() -> list[str]:
    try:
        data = json.loads(_state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    noted = data.get("noted") if isinstance(data, dict) else None
    return [p for p in noted if isinstance(p, str)] if isinstance(noted, list) else []


def _remember(noted: list[str]) -> None:
    """Write the list privately (0600) and whole: a crash never leaves half a file."""
    path = _state_path()
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".notes-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"noted": noted}, handle, ensure_ascii=False, indent=1)
        os.chmod(tmp, PRIVATE_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def synced_folder_notice(journal: Path) -> str | None:
    """The note about a synced folder the first time this journal is opened from one;
    None when it is not in one, or was already noted. Never stops the journal opening:
    if the note cannot be remembered, it is simply shown again next time."""
    service = synced_service(journal)
    if service is None:
        return None
    key = str(journal.expanduser().absolute())
    noted = _already_noted()
    if key in noted:
        return None
    with contextlib.suppress(OSError):
        _remember([*noted, key])
    return synced_folder_message(journal, service)
