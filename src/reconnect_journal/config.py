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
        for name in _NAMES:
            problem = _setting_problem(name, getattr(self, name))
            if problem:
                raise InputError(problem)
        return self


_NAMES = tuple(f.name for f in fields(Config))


def _setting_problem(name: str, value: Any) -> str | None:
    """What is wrong with one setting's value, or None when it can be used."""
    if name == "theme":
        if not isinstance(value, str) or not value:
            return "theme must be the name of a theme, e.g. 'reconnect-calm'"
    elif name in ("idle_lock_minutes", "backup_keep_daily", "backup_keep_weekly"):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
            return f"{name} must be a whole number from 0 to 10000, not {value!r}"
    elif name == "reframe_notes":
        if not isinstance(value, bool):
            return f"reframe_notes must be true or false, not {value!r}"
    elif name == "week_start" and value not in WEEK_STARTS:
        return f"week_start must be 'monday' or 'sunday', not {value!r}"
    return None


def load_config(path: Path | None = None) -> tuple[Config, str | None]:
    """The config, and a one-line problem if some of it could not be used.

    A file that cannot be read at all gives the default settings; a setting that cannot be
    used gives its own default, and the others are kept."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config(), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(), f"could not read {path} ({exc}); using the default settings"
    config = Config()
    problems = []
    for name in _NAMES:
        if name not in data:
            continue
        value = data[name]
        if name == "week_start" and isinstance(value, str):
            value = value.strip().lower()  # "Sunday" is Sunday
        problem = _setting_problem(name, value)
        if problem:
            default = getattr(config, name)
            shown = str(default).lower() if isinstance(default, bool) else repr(default)
            problems.append(f"{problem} (the default, {shown}, is used for now)")
        else:
            setattr(config, name, value)
    if problems:
        return config, f"{path}: " + "; ".join(problems)
    return config, None


@dataclass(frozen=True)
class SavedConfig:
    path: Path
    # Where a file that could not be read was kept before a new one took its place.
    kept: Path | None = None


def save_config(config: Config, path: Path | None = None) -> SavedConfig:
    """Write the settings back, keeping the user's comments and any keys we do not know.

    A file that cannot be read as settings is never simply overwritten: it is first kept
    beside the new one, as NAME.unreadable-DATE-TIME, with what the person wrote in it."""
    import tomlkit

    path = path or config_path()
    config.validated()
    kept = None
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        document = _new_document()
    except (tomlkit.exceptions.ParseError, UnicodeDecodeError):
        kept = _keep_unreadable(path)
        document = _new_document()
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
    return SavedConfig(path, kept)


def _new_document() -> Any:
    import tomlkit

    document = tomlkit.document()
    document.add(tomlkit.comment("Reconnect Journal settings. Comments here are kept."))
    return document


def _keep_unreadable(path: Path) -> Path:
    """A private copy of the file as it is, under a name no other file has."""
    import datetime as dt

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    content = path.read_bytes()
    for number in range(1, 100):
        suffix = "" if number == 1 else f"-{number}"
        copy = path.with_name(f"{path.name}.unreadable-{stamp}{suffix}")
        try:
            fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        return copy
    raise OSError(f"could not keep a copy of {path} before replacing it")
