"""Getting a passphrase: from $RECONNECT_JOURNAL_PASSPHRASE or a hidden prompt.

Never from a command-line argument (it would be in the shell history and in `ps`), never
written anywhere. No prompt when stdin is not a terminal: the message names the variable.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from reconnect_journal.store.crypto import (
    PASSPHRASE_ENV,
    PassphraseError,
    new_passphrase_problem,
)

NEW_PASSPHRASE_ENV = "RECONNECT_JOURNAL_NEW_PASSPHRASE"


def _at_terminal() -> bool:
    return sys.stdin.isatty()


def _hidden(prompt: str) -> str:
    import getpass

    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\n")
        raise PassphraseError("no passphrase given; nothing was changed") from None


def existing_passphrase(path: Path, *, env: str = PASSPHRASE_ENV) -> str:
    """The passphrase of the encrypted journal at `path`."""
    from_env = os.environ.get(env)
    if from_env:
        return from_env
    if not _at_terminal():
        raise PassphraseError(
            f"{path} is encrypted; set {env} to its passphrase (it is never taken as an argument)"
        )
    return _hidden(f"Passphrase for {path.name}: ")


def new_passphrase(*, env: str = PASSPHRASE_ENV, what: str = "New passphrase") -> str:
    """A new passphrase: from `env`, or typed twice at a hidden prompt."""
    from_env = os.environ.get(env)
    if from_env:
        problem = new_passphrase_problem(from_env)
        if problem:
            raise PassphraseError(f"{env}: {problem}; nothing was changed")
        return from_env
    if not _at_terminal():
        raise PassphraseError(
            f"set {env} to the passphrase to use (it is never taken as an argument); "
            "nothing was changed"
        )
    for _ in range(3):
        first = _hidden(f"{what} (at least 8 characters): ")
        problem = new_passphrase_problem(first)
        if problem:
            sys.stderr.write(f"{problem}; try again\n")
            continue
        if _hidden("The same again, to be sure: ") == first:
            return first
        sys.stderr.write("the two did not match; try again\n")
    raise PassphraseError("no passphrase was settled on; nothing was changed")
