"""Where the journal, its config and its backups live.

Every location can be moved with an environment variable (or `--db`), so tests
and scripts can point everything at a private folder.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "reconnect-journal"
DB_ENV = "RECONNECT_JOURNAL_DB"
CONFIG_ENV = "RECONNECT_JOURNAL_CONFIG"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def data_dir() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def state_dir() -> Path:
    """Small notes the app keeps for itself (never entries), such as which journals were
    already warned about being in a synced folder."""
    import platformdirs

    return platformdirs.user_state_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """The journal used when no `--db` is given: $RECONNECT_JOURNAL_DB or the data dir."""
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return data_dir() / "journal.db"


def journal_command(db_path: Path, args: str) -> str:
    """'reconnect-journal ARGS' as a hint to type, acting on `db_path`: with `--db PATH`
    when that is not the journal used without one, so that copying it never acts on
    another journal."""
    import shlex

    try:
        default = db_path.resolve() == default_db_path().resolve()
    except OSError:
        default = False
    where = "" if default else f"--db {shlex.quote(str(db_path))} "
    return f"reconnect-journal {where}{args}"


def choose_journal(db_path: Path, what: str) -> str:
    """How to name another journal, for messages: 'give --db WHAT', or 'set
    RECONNECT_JOURNAL_DB to WHAT' when that variable is what named `db_path`."""
    from_env = os.environ.get(DB_ENV)
    if from_env and Path(from_env).expanduser().absolute() == db_path.absolute():
        return f"set {DB_ENV} to {what}"
    return f"give --db {what}"


def config_path() -> Path:
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def backup_dir(db_path: Path) -> Path:
    """Backups sit in a private folder beside the journal they belong to."""
    return db_path.parent / "backups"


def ensure_private_dir(path: Path) -> Path:
    """Create a folder (and its parents) readable only by the user."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    # mkdir's mode is filtered by the umask; set it outright.
    if path.stat().st_mode & 0o777 != PRIVATE_DIR_MODE:
        path.chmod(PRIVATE_DIR_MODE)
    return path
