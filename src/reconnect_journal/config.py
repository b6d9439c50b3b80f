"""The config file: read fast with tomllib, written back with tomlkit so comments survive."""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from reconnect_journal.core.errors import InputError
from reconnect_journal.paths import PRIVATE_FILE_MODE, config_path, ensure_private_dir

DEFAULT_THEME = "reconnect-calm"
WEEK_STARTS = ("monday", "sunday")


@dataclass
class Config:
    theme: str = DEFAULT_THEME
    idle_lock_minutes: int = 10
    reframe_notes: bool = True
    backup_keep_daily: int = 7
    backup_keep_weekly: int = 4
    week_start: str = "monday"

    def validated(self) -> Config:
        """Raise InputError naming the first setting that is out of range."""
        if not isinstance(self.theme, str) or not self.theme:
            raise InputError("theme must be the name of a theme, e.g. 'reconnect-calm'")
        for name in ("idle_lock_minutes", "backup_keep_daily", "backup_keep_weekly"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
                raise InputError(f"{name} must be a whole number from 0 to 10000, not {value!r}")
        if not isinstance(self.reframe_notes, bool):
            raise InputError(f"reframe_notes must be true or false, not {self.reframe_notes!r}")
        if self.week_start not in WEEK_STARTS:
            raise InputError(f"week_start must be 'monday' or 'sunday', not {self.week_start!r}")
        return self


def load_config(path: Path | None = None) -> tuple[Config, str | None]:
    """The config, and a one-line problem if the file could not be used (then defaults)."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config(), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(), f"could not read {path} ({exc}); using the default settings"
    known = {f.name for f in fields(Config)}
    try:
        config = Config(**{k: v for k, v in data.items() if k in known}).validated()
    except InputError as exc:
        return Config(), f"{path}: {exc}; using the default settings"
    return config, None


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write the settings back, keeping the user's comments and any keys we do not know."""
    import tomlkit

    path = path or config_path()
    config.validated()
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, tomlkit.exceptions.ParseError, UnicodeDecodeError):
        document = tomlkit.document()
        document.add(tomlkit.comment("Reconnect Journal settings. Comments here are kept."))
    values: dict[str, Any] = asdict(config)
    for key, value in values.items():
        document[key] = value
    if not path.parent.exists():
        # A folder we create is private; an existing one (maybe shared) is left as it is.
        ensure_private_dir(path.parent)
    # Write a private temp file and rename it: a crash never leaves half a config.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(tomlkit.dumps(document))
        os.chmod(tmp, PRIVATE_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
