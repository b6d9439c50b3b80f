"""Settings: defaults, bad files, and writing back without losing comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconnect_journal.config import Config, load_config, save_config


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    config, problem = load_config(tmp_path / "none.toml")
    assert config == Config()
    assert problem is None


def test_round_trip_keeps_comments_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "config.toml"
    path.parent.mkdir()
    path.write_text('# my note about themes\ntheme = "nord"\nfuture_setting = 3\n')
    config, problem = load_config(path)
    assert problem is None and config.theme == "nord"
    config.theme = "gruvbox"
    config.idle_lock_minutes = 5
    save_config(config, path)
    text = path.read_text()
    assert "# my note about themes" in text
    assert "future_setting = 3" in text
    assert load_config(path)[0] == Config(theme="gruvbox", idle_lock_minutes=5)
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_file_that_cannot_be_read_is_kept_before_new_settings_are_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    broken = b'# my notes\ntheme = "nord"\n[broken\n'
    path.write_bytes(broken)
    first = save_config(Config(theme="gruvbox"), path)
    assert first.kept is not None and first.kept.read_bytes() == broken
    assert first.kept.stat().st_mode & 0o777 == 0o600
    assert load_config(path) == (Config(theme="gruvbox"), None)
    # A readable file keeps its comments as before, with no copy.
    assert save_config(Config(theme="nord"), path).kept is None
    # Another unreadable file the same second gets a name of its own.
    path.write_bytes(b"\xff\xfe not text")
    second = save_config(Config(), path)
    assert second.kept is not None and second.kept != first.kept
    assert second.kept.read_bytes() == b"\xff\xfe not text"


def test_new_config_folder_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    save_config(Config(), path)
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "content",
    [
        "theme = ",
        'idle_lock_minutes = "ten"',
        'week_start = "friday"',
        b"\xff\xfe".decode("latin-1"),
    ],
)
def test_bad_files_fall_back_to_defaults_with_a_reason(tmp_path: Path, content: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content, encoding="latin-1")
    config, problem = load_config(path)
    assert config == Config()
    assert problem is not None and str(path) in problem and "\n" not in problem


def test_env_var_moves_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "elsewhere.toml"
    monkeypatch.setenv("RECONNECT_JOURNAL_CONFIG", str(target))
    save_config(Config(theme="nord"))
    assert load_config()[0].theme == "nord"
    assert target.exists()


def test_an_existing_folder_keeps_its_permissions(tmp_path: Path) -> None:
    shared = tmp_path / "dotfiles"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    save_config(Config(), shared / "rj.toml")
    assert shared.stat().st_mode & 0o777 == 0o755
    assert (shared / "rj.toml").stat().st_mode & 0o777 == 0o600


def test_one_bad_setting_falls_back_alone_and_is_named(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'week_start = "sunday"\nbackup_keep_daily = 20000\ntheme = "nord"\nreframe_notes = 3\n'
    )
    config, problem = load_config(path)
    assert config == Config(week_start="sunday", theme="nord")  # the rest still counts
    assert problem is not None and "\n" not in problem and str(path) in problem
    assert "backup_keep_daily must be a whole number from 0 to 10000, not 20000" in problem
    assert "(the default, 7, is used for now)" in problem
    assert "reframe_notes must be true or false, not 3 (the default, true," in problem
    assert "week_start" not in problem and "theme" not in problem


@pytest.mark.parametrize("written", ["Sunday", "SUNDAY", " sunday "])
def test_week_start_is_read_whatever_its_case(tmp_path: Path, written: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'week_start = "{written}"\n')
    assert load_config(path) == (Config(week_start="sunday"), None)
