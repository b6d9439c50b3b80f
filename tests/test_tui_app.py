"""App-wide parts of the journal window: screens by number, help, settings, palette, themes."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from reconnect_journal import config as config_module
from reconnect_journal.config import Config, load_config
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.screens.help import HelpScreen
from reconnect_journal.tui.screens.open_failed import OpenFailedScreen
from reconnect_journal.tui.screens.settings import SettingsScreen

from .tui_support import journal_at, make_app, notifications, run_app, settle


@pytest.fixture
def config_file(private_home: Path) -> Path:
    return private_home / "config" / "reconnect-journal" / "config.toml"


def test_number_keys_move_between_screens(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert app.current_mode == "today"
        for key, mode in [("2", "journal"), ("4", "trash"), ("5", "settings"), ("1", "today")]:
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode

    run_app(make_app(journal_path), scenario)


def test_number_keys_belong_to_the_editor_while_writing(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        app.open_editor()
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.current_mode == "today"
        assert type(app.screen).__name__ == "EntryEditorScreen"

    run_app(make_app(journal_path), scenario)


def test_help_lists_the_keys_of_every_screen(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        for words in ("Today", "Journal", "Trash", "Settings", "New entry", "Save", "Quit"):
            assert words in text
        assert "Focus Next" not in text  # Textual's own inherited keys are not ours to list
        assert "[/b]" not in text  # markup is not shown as text...
        assert re.search(r"\[ +Day before", text)  # ...and the "[" key shows as itself
        assert "Answer prompt" in text and "Opener" in text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)

    run_app(make_app(journal_path), scenario)


def test_palette_reaches_screens(journal_path: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"trash")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "trash"

    run_app(make_app(journal_path), scenario)


def test_weeks_start_on_sunday_when_the_settings_say_so(
    journal_path: Path, config_file: Path
) -> None:
    from reconnect_journal.core.model import NewEntry
    from reconnect_journal.core.trends import first_weekday
    from reconnect_journal.tui.widgets.trend_charts import YearCalendar

    with journal_at(journal_path) as journal:
        journal.add(NewEntry(body="A walk after dinner."))

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("3")
        await settle(pilot)
        calendar = app.screen.query_one(YearCalendar)
        assert calendar.days[0].start.weekday() == 0  # Monday
        await pilot.press("5")
        await settle(pilot)
        app.screen.query_one("#week-start", Select).value = "sunday"
        await settle(pilot)
        assert first_weekday() == 6
        await pilot.press("3")
        await settle(pilot)
        calendar = app.screen.query_one(YearCalendar)
        assert calendar.days[0].start.weekday() == 6  # the figures were worked out again
        assert calendar.render().plain.splitlines()[1].startswith("Sun")
        await pilot.pause(0.8)  # the settings file is written shortly after a change

    run_app(make_app(journal_path), scenario)
    assert load_config(config_file)[0].week_start == "sunday"


def test_settings_speak_plainly_follow_the_theme_and_let_go_of_a_field(
    journal_path: Path,
) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("5")
        await settle(pilot)
        field = app.screen.query_one("#idle-lock", Input)
        field.value = "-5"
        await settle(pilot)
        problem = str(app.screen.query_one("#settings-problem", Static).render())
        assert problem.startswith("Lock after idle minutes must be a whole number")
        app.theme = "nord"  # as the palette's Theme command does
        # Not settle(): a theme change restarts the views' own workers, cancelling some.
        await pilot.pause()
        assert app.screen.query_one("#theme", Select).value == "nord"
        field.focus()
        await pilot.press("escape")
        assert app.screen.focused is None
        await pilot.press("1")  # the screens' keys work again
        await pilot.pause()
        assert app.current_mode == "today"

    run_app(make_app(journal_path), scenario)


def test_palette_offers_no_screenshot_of_the_journal(journal_path: Path) -> None:
    """Textual's own Screenshot command would write journal text to a readable file."""

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles
        # Nor Textual's generic keys panel, which escape did not close: "Help: keys" is ours.
        assert "Keys" not in titles
        assert "Theme" in titles  # the rest of Textual's commands stay

    run_app(make_app(journal_path), scenario)


def test_theme_choice_is_remembered_with_comments_kept(
    journal_path: Path, config_file: Path
) -> None:
    config_file.parent.mkdir(parents=True)
    config_file.write_text('# chosen after a long day\ntheme = "reconnect-calm"\n')

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert app.theme == "reconnect-calm"
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#theme", Select).value = "nord"
        await settle(pilot)
        assert app.theme == "nord"

    run_app(make_app(journal_path), scenario)
    assert load_config(config_file)[0].theme == "nord"
    assert "# chosen after a long day" in config_file.read_text()
    assert JournalApp(db_path=journal_path).theme == "nord"


def test_settings_refuse_nonsense_and_keep_good_values(
    journal_path: Path, config_file: Path
) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("5")
        await settle(pilot)
        idle = app.screen.query_one("#idle-lock", Input)
        idle.value = "99999"
        await pilot.pause(1)
        problem = str(app.screen.query_one("#settings-problem", Static).render())
        assert "0 to 10000" in problem
        assert app.config.idle_lock_minutes == 10
        idle.value = "15"
        await pilot.pause(1)
        await settle(pilot)
        assert app.config.idle_lock_minutes == 15

    run_app(make_app(journal_path), scenario)
    assert load_config(config_file)[0].idle_lock_minutes == 15


def test_the_newest_settings_win_when_two_saves_overlap(
    journal_path: Path, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The theme is written slowly (a busy disk, say) while a second change is saved:
    # the file must end up with both changes, not with the older write on top.
    save_config = config_module.save_config
    second_written = threading.Event()
    started: list[Config] = []
    finished: list[Config] = []

    def slow_first_save(config: Config, path: Path | None = None) -> config_module.SavedConfig:
        started.append(config)
        try:
            if len(started) == 1:
                second_written.wait(1.0)  # however long the newer save takes, if it can
                return save_config(config, path)
            written = save_config(config, path)
            second_written.set()
            return written
        finally:
            finished.append(config)

    monkeypatch.setattr(config_module, "save_config", slow_first_save)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("5")
        await settle(pilot)
        app.screen.query_one("#theme", Select).value = "nord"
        await pilot.pause()
        app.screen.query_one("#week-start", Select).value = "sunday"
        for _ in range(50):
            await pilot.pause(0.1)
            if len(finished) == 2:
                break

    run_app(make_app(journal_path), scenario)
    assert len(finished) == 2
    saved = load_config(config_file)[0]
    assert (saved.theme, saved.week_start) == ("nord", "sunday")


def test_a_settings_file_that_cannot_be_read_is_kept_when_a_setting_changes(
    journal_path: Path, config_file: Path
) -> None:
    # QA: changing one setting replaced such a file with the defaults, comments and all.
    config_file.parent.mkdir(parents=True)
    broken = '# my careful notes\nweek_start = "sunday"\n[broken\n'
    config_file.write_text(broken)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("5")
        await settle(pilot)
        app.screen.query_one("#theme", Select).value = "nord"
        for _ in range(50):
            await pilot.pause(0.1)
            if any("could not be read" in n for n in notifications(app)):
                break
        [said] = [n for n in notifications(app) if "could not be read" in n]
        [kept] = config_file.parent.glob("config.toml.unreadable-*")
        assert f"kept as {kept.name}" in said

    run_app(make_app(journal_path), scenario)
    [kept] = config_file.parent.glob("config.toml.unreadable-*")
    assert kept.read_text() == broken and kept.stat().st_mode & 0o777 == 0o600
    assert load_config(config_file)[0].theme == "nord"


def test_opening_settings_writes_nothing(journal_path: Path, config_file: Path) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("5")
        await settle(pilot)
        await pilot.pause(1.5)  # longer than any save waits
        await pilot.press("1")
        await settle(pilot)
        assert not config_file.exists()

    run_app(make_app(journal_path), scenario)
    assert not config_file.exists()


def test_a_number_is_kept_only_once_it_is_typed_in_full_and_valid(
    journal_path: Path, config_file: Path
) -> None:
    def idle_lock_in_file() -> int:
        return load_config(config_file)[0].idle_lock_minutes

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("5")
        await settle(pilot)
        idle = app.screen.query_one("#idle-lock", Input)
        idle.focus()
        await pilot.press("end", "backspace", "backspace")
        for key in "99999999999":  # 9999 on the way is valid, but not what is meant
            await pilot.press(key)
            await pilot.pause(0.1)
        await pilot.pause(1.5)
        assert idle_lock_in_file() == 10  # no file, or the value it already held
        assert app.config.idle_lock_minutes == 10
        problem = str(app.screen.query_one("#settings-problem", Static).render())
        assert problem == (
            "Lock after idle minutes must be a whole number from 0 to 10000, "
            "not 99999999999. It stays at 10."
        )
        await pilot.press("tab")  # leaving the field keeps nothing invalid either
        await pilot.pause(1.5)
        assert idle_lock_in_file() == 10
        assert "It stays at 10" in str(app.screen.query_one("#settings-problem", Static).render())

        idle.focus()
        await pilot.press("end", *["backspace"] * 11, "3", "0", "enter")  # kept at once
        await pilot.pause(0.3)
        assert app.config.idle_lock_minutes == 30
        assert idle_lock_in_file() == 30
        assert str(app.screen.query_one("#settings-problem", Static).render()) == ""

        await pilot.press("backspace", "5")  # typed, then straight away somewhere else
        await pilot.press("escape", "1")
        await pilot.pause(0.3)
        assert app.config.idle_lock_minutes == 35
        assert idle_lock_in_file() == 35

    run_app(make_app(journal_path), scenario)


def test_a_valid_number_typed_just_before_quitting_is_kept(
    journal_path: Path, config_file: Path
) -> None:
    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.press("5")
        await settle(pilot)
        app.screen.query_one("#idle-lock", Input).focus()
        await pilot.press("end", "backspace", "backspace", "4", "5", "ctrl+q")
        await pilot.pause()

    run_app(make_app(journal_path), scenario)
    assert load_config(config_file)[0].idle_lock_minutes == 45


@pytest.mark.parametrize("has_own_settings", [True, False], ids=["own-settings", "none-yet"])
def test_the_demo_leaves_your_own_settings_alone(
    monkeypatch: pytest.MonkeyPatch, config_file: Path, has_own_settings: bool
) -> None:
    from reconnect_journal import launch

    if has_own_settings:
        config_file.parent.mkdir(parents=True)
        config_file.write_text('# mine\ntheme = "nord"\nweek_start = "monday"\n')
    before = config_file.read_text() if has_own_settings else None
    demo_settings: list[Path] = []

    def run_in_test(app: JournalApp) -> None:
        async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
            assert app.theme == ("nord" if has_own_settings else "reconnect-calm")
            await pilot.press("5")
            await settle(pilot)
            app.screen.query_one("#week-start", Select).value = "sunday"
            await pilot.pause(0.5)  # not settle(): the views start their workers again
            assert app.config_path is not None
            assert load_config(app.config_path)[0].week_start == "sunday"
            demo_settings.append(app.config_path)

        run_app(app, scenario)

    monkeypatch.setattr(launch, "require_terminal", lambda: None)
    monkeypatch.setattr(JournalApp, "run", run_in_test)
    launch.open_demo_window()

    [settings] = demo_settings
    assert settings != config_file
    assert not settings.exists()  # gone with the demo
    if before is None:
        assert not config_file.exists()
    else:
        assert config_file.read_text() == before


def test_a_file_that_is_not_a_journal_gets_a_calm_screen(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list")

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, OpenFailedScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "not a Reconnect Journal file" in text
        assert "Nothing was changed" in text
        await pilot.press("q")
        await pilot.pause()

    run_app(JournalApp(db_path=notes, cursor_blink=False), scenario)
    assert notes.read_text() == "shopping list"


def test_no_color_is_honoured(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert make_app(journal_path).no_color


def test_long_lived_objects_are_frozen_while_open_and_released_on_close(
    journal_path: Path,
) -> None:
    import gc

    frozen: list[int] = []

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await pilot.pause(1.3)  # the freeze comes a moment after the journal opened
        frozen.append(gc.get_freeze_count())

    gc.unfreeze()
    run_app(make_app(journal_path), scenario)
    assert frozen[0] > 10_000  # Textual, SQLAlchemy and the screens: left out of collections
    assert gc.get_freeze_count() == 0  # and collectable again once the window closed
