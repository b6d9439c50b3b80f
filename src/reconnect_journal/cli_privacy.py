"""Commands that keep the journal private and safe: encrypt, decrypt, passwd, backup,
restore, erase. They are added to the `reconnect-journal` command group in cli.py.

Passphrases come from $RECONNECT_JOURNAL_PASSPHRASE or a hidden prompt, never from an
argument.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reconnect_journal.cli import (
    DbOption,
    _command,
    _note_synced_folder,
    _passphrase_if_encrypted,
    _resolve_db,
    app,
)
from reconnect_journal.core.errors import InputError, JournalError
from reconnect_journal.launch import PROG, journal_location

YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="Do not ask to confirm (needed without a terminal).")
]


def _journal(ctx: typer.Context, db: Path | None) -> Path:
    path, _ = journal_location(_resolve_db(ctx, db))
    path = path.expanduser().absolute()
    from reconnect_journal.store.engine import _remove_leftovers

    _remove_leftovers(path)  # of a killed encrypt or decrypt
    return path


def _existing_journal(ctx: typer.Context, db: Path | None) -> Path:
    path = _journal(ctx, db)
    if not path.is_file():
        raise JournalError(f"there is no journal at {path}; nothing was changed")
    _note_synced_folder(path)
    return path


def _say(text: str) -> None:
    sys.stderr.write(f"{text}\n")


RemoveDamagedOption = Annotated[
    bool,
    typer.Option(
        "--remove-damaged-backups",
        help="Overwrite and remove plain backups too damaged to be encrypted (or restored).",
    ),
]


def _encrypt_backups(
    ctx: typer.Context, db: Path | None, path: Path, passphrase: str, remove_damaged: bool
) -> tuple[int, bool]:
    """Encrypt the journal's plain backups. Returns how many were encrypted, and whether
    every copy is now unreadable without the passphrase (the rest is said here)."""
    from reconnect_journal.store.backups import encrypt_copies, plain_copies_message

    result = encrypt_copies(path, passphrase, remove_damaged=remove_damaged)
    for removed in result.removed:
        typer.echo(f"Removed the damaged backup {removed}, which could not be encrypted.")
    left = plain_copies_message(result, _command(ctx, db, "encrypt --remove-damaged-backups"))
    if left:
        _say(f"{PROG}: {left}")
    return result.done, not left


def _backups(count: int) -> str:
    return f"{count} backup{'s' if count != 1 else ''}"


@app.command(short_help="Protect the journal and its backups with a passphrase.")
def encrypt(
    ctx: typer.Context, remove_damaged: RemoveDamagedOption = False, db: DbOption = None
) -> None:
    """Encrypt the journal (and its backups) with a passphrase (SQLCipher); on an
    encrypted journal, encrypt the backups that are still plain."""
    from reconnect_journal.passphrase import new_passphrase
    from reconnect_journal.store.backups import plain_copies
    from reconnect_journal.store.crypto import (
        LOST_PASSPHRASE_WARNING,
        encrypt_file,
        file_kind,
        refuse_if_open_elsewhere,
        verify_passphrase,
    )

    path = _existing_journal(ctx, db)
    kind = file_kind(path)
    if kind == "encrypted":
        if not plain_copies(path):
            passwd = _command(ctx, db, "passwd")
            raise JournalError(f"{path} is already encrypted; '{passwd}' changes its passphrase")
        passphrase = _passphrase_if_encrypted(path)
        assert passphrase is not None
        verify_passphrase(path, passphrase)
        done, whole = _encrypt_backups(ctx, db, path, passphrase, remove_damaged)
        if done:
            were = "was" if done == 1 else "were"
            typer.echo(
                f"{path} was already encrypted; encrypted {_backups(done)} that {were} still plain."
            )
        if not whole:
            raise typer.Exit(1)
        return
    if kind != "plain":
        raise JournalError(f"{path} is not a Reconnect Journal file; nothing was changed")
    refuse_if_open_elsewhere(path)
    _say(LOST_PASSPHRASE_WARNING)
    passphrase = new_passphrase()
    _say(f"Encrypting {path}…")
    encrypt_file(path, passphrase)
    done, whole = _encrypt_backups(ctx, db, path, passphrase, remove_damaged)
    also = f" and {_backups(done)}" if done else ""
    typer.echo(
        f"Encrypted {path}{also}. Without the passphrase nobody can open it, you included: "
        "keep it somewhere safe."
    )
    if not whole:
        raise typer.Exit(1)


@app.command(short_help="Store the journal without a passphrase again.")
def decrypt(ctx: typer.Context, yes: YesOption = False, db: DbOption = None) -> None:
    """Store the journal unencrypted again (after a warning); backups stay as they are."""
    from reconnect_journal.store.crypto import decrypt_file, file_kind, verify_passphrase

    path = _existing_journal(ctx, db)
    if file_kind(path) != "encrypted":
        raise JournalError(f"{path} is not encrypted; nothing to decrypt")
    warning = (
        f"After this, anyone who can read {path} can read every entry in it "
        "(backups already made stay encrypted)."
    )
    if not yes:
        if not sys.stdin.isatty():
            raise InputError(
                "decrypting leaves your entries readable; add --yes to confirm "
                f"({_command(ctx, db, 'decrypt --yes')})"
            )
        _say(warning)
        if not typer.confirm("Decrypt the journal?", default=False):
            typer.echo("Left it encrypted.")
            return
    passphrase = _passphrase_if_encrypted(path)
    assert passphrase is not None
    verify_passphrase(path, passphrase)
    decrypt_file(path, passphrase)
    typer.echo(f"Decrypted {path}; it is no longer protected by a passphrase.")


@app.command(short_help="Change the encrypted journal's passphrase.")
def passwd(ctx: typer.Context, db: DbOption = None) -> None:
    """Change the encrypted journal's passphrase (new one from a prompt, or
    $RECONNECT_JOURNAL_NEW_PASSPHRASE)."""
    from reconnect_journal.passphrase import NEW_PASSPHRASE_ENV, new_passphrase
    from reconnect_journal.store.crypto import (
        LOST_PASSPHRASE_WARNING,
        change_passphrase,
        file_kind,
        verify_passphrase,
    )

    path = _existing_journal(ctx, db)
    if file_kind(path) != "encrypted":
        encrypt = _command(ctx, db, "encrypt")
        raise JournalError(f"{path} is not encrypted; '{encrypt}' sets a passphrase")
    old = _passphrase_if_encrypted(path)
    assert old is not None
    verify_passphrase(path, old)
    _say(LOST_PASSPHRASE_WARNING)
    new = new_passphrase(env=NEW_PASSPHRASE_ENV)
    change_passphrase(path, old, new)
    typer.echo(f"Changed the passphrase of {path}. Backups made before keep the old passphrase.")


@app.command(short_help="Back up the journal now.")
def backup(
    ctx: typer.Context,
    target: Annotated[
        Path | None,
        typer.Argument(
            metavar="PATH",
            help="A new file or a folder (default: backups/ beside the journal).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Back up the journal now (safe while it is open elsewhere; an encrypted journal's
    backup is encrypted too)."""
    from reconnect_journal.store.backups import make_backup

    path = _existing_journal(ctx, db)
    passphrase = _passphrase_if_encrypted(path)
    if passphrase is not None:
        from reconnect_journal.store.crypto import verify_passphrase

        verify_passphrase(path, passphrase)
    made = make_backup(path, target.expanduser() if target else None, passphrase)
    typer.echo(f"Backed up the journal to {made}.")


@app.command(short_help="Replace the journal with a backup (checked first).")
def restore(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(metavar="PATH", help="The backup to restore.", show_default=False),
    ],
    db: DbOption = None,
) -> None:
    """Replace the journal with a backup, after checking the backup and keeping the
    journal as it is now in backups/."""
    from reconnect_journal.passphrase import existing_passphrase
    from reconnect_journal.store.backups import restore as restore_backup
    from reconnect_journal.store.crypto import (
        PassphraseError,
        file_kind,
        refuse_if_open_elsewhere,
        verify_passphrase,
    )

    path = _journal(ctx, db)
    source = source.expanduser().absolute()
    if source.is_dir():
        raise JournalError(f"{source} is a folder; give the path of a backup file inside it")
    if source.exists() and not source.is_file():  # /dev/null, a pipe
        raise JournalError(f"{source} is not a journal backup file; give the path of a backup")
    if not source.is_file():
        raise JournalError(f"{source} does not exist; give the path of a backup ('{PROG} paths')")
    if source == path:
        raise InputError(f"{source} is the journal itself; give the path of a backup")
    _note_synced_folder(path)
    refuse_if_open_elsewhere(path)  # before asking for a passphrase
    backup_passphrase = existing_passphrase(source) if file_kind(source) == "encrypted" else None
    current_passphrase: str | None = None
    if path.is_file() and file_kind(path) == "encrypted" and backup_passphrase is not None:
        try:
            verify_passphrase(path, backup_passphrase)
            current_passphrase = backup_passphrase
        except PassphraseError:
            current_passphrase = None  # kept byte for byte instead
    was_encrypted = path.is_file() and file_kind(path) == "encrypted"
    _, default = journal_location(_resolve_db(ctx, db))
    if default:  # restoring onto a new computer: the data folder may not be there yet
        from reconnect_journal.paths import ensure_private_dir

        ensure_private_dir(path.parent)
    kept = restore_backup(
        path,
        source,
        backup_passphrase=backup_passphrase,
        current_passphrase=current_passphrase,
    )
    typer.echo(f"Restored {path} from {source}.")
    if kept is not None:
        typer.echo(f"The journal as it was is kept at {kept}.")
    if was_encrypted and backup_passphrase is None:
        encrypt = _command(ctx, db, "encrypt")
        typer.echo(
            f"The journal is no longer protected by a passphrase (the backup was not); "
            f"'{encrypt}' protects it again."
        )
    elif backup_passphrase is not None and current_passphrase is None:
        # Encrypted with a passphrase other than the journal's until now (or it was plain).
        typer.echo(
            "The restored journal is encrypted: it opens with the passphrase it had when it "
            "was backed up."
        )


@app.command(short_help="Remove the journal, its backups and drafts for good.")
def erase(ctx: typer.Context, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove the journal, its backups and drafts for good (asks you to type 'erase')."""
    from reconnect_journal.store.backups import erase as erase_all
    from reconnect_journal.store.backups import shared_old_backups
    from reconnect_journal.store.crypto import refuse_if_open_elsewhere

    path = _journal(ctx, db)
    refuse_if_open_elsewhere(path)  # before asking anything
    if not yes:
        if not sys.stdin.isatty():
            raise InputError(
                "erasing cannot be undone; add --yes to confirm "
                f"({_command(ctx, db, 'erase --yes')})"
            )
        _say(f"This removes {path}, every backup of it and every draft. It cannot be undone.")
        answer = typer.prompt("Type 'erase' to go on", default="", show_default=False)
        if answer.strip().lower() != "erase":
            typer.echo("Nothing was removed.")
            return
    left = shared_old_backups(path)
    removed = erase_all(path)
    if left:
        _say(
            f"Left {len(left)} older backup{'s' if len(left) != 1 else ''} in {left[0].parent} "
            f"named '{path.stem}-…': another journal named '{path.stem}.…' sits beside it, "
            "and they may be its. Delete them yourself if they were this journal's"
        )
    if not removed:
        typer.echo(f"There was nothing to erase at {path}.")
        return
    things = "file or folder" if len(removed) == 1 else "files and folders"
    typer.echo(f"Erased the journal at {path} ({len(removed)} {things} removed).")
