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
