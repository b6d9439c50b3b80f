"""Settings (key 5): edits the config file, which keeps any comments the user wrote in it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Select, Static, Switch

from reconnect_journal.config import WEEK_STARTS, Config
from reconnect_journal.core.errors import InputError
from reconnect_journal.core.trends import set_week_start
from reconnect_journal.paths import config_path
from reconnect_journal.tui.formatting import as_sentence
from reconnect_journal.tui.screens.base import JournalView

# Whole-number settings: widget id -> (config field, label, explanation)
NUMBER_SETTINGS = {
    "idle-lock": (
        "idle_lock_minutes",
        "Lock after idle minutes",
        "How long the journal may sit untouched before it locks (0 never locks).",
    ),
    "keep-daily": ("backup_keep_daily", "Daily backups kept", "How many daily backups to keep."),
    "keep-weekly": (
        "backup_keep_weekly",
        "Weekly backups kept",
        "How many weekly backups to keep.",
    ),
}
SAVE_DELAY = 0.6


class SettingsScreen(JournalView):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave_field", "Leave the field", id="settings.leave_field", show=False)
    ]

    def compose(self) -> ComposeResult:
        config = self.journal_app.config
        yield Header()
        with VerticalScroll(id="settings"):
            yield Static("Changes are kept as you make them.", id="settings-intro")
            with Horizontal(classes="setting"):
                yield Label("Theme", classes="setting-label")
                yield Select(
                    [(name, name) for name in sorted(self.app.available_themes)],
                    value=self.app.theme,
                    allow_blank=False,
                    id="theme",
                )
            for widget_id, (field, label, explanation) in NUMBER_SETTINGS.items():
                with Horizontal(classes="setting"):
                    yield Label(label, classes="setting-label")
                    yield Input(
                        str(getattr(config, field)),
                        type="integer",
                        id=widget_id,
                        tooltip=explanation,
                    )
            with Horizontal(classes="setting"):
                yield Label("Gentle notes on 'spice it up' ideas", classes="setting-label")
                yield Switch(config.reframe_notes, id="reframe-notes")
            with Horizontal(classes="setting"):
                yield Label("Weeks start on", classes="setting-label")
                yield Select(
                    [(day.capitalize(), day) for day in WEEK_STARTS],
                    value=config.week_start,
                    allow_blank=False,
                    id="week-start",
                )
            yield Static(id="settings-problem")
            yield Static(
                f"Settings file: {self.journal_app.config_path or config_path()}\n"
                f"Journal file: {self.journal_app.db_path}",
                id="settings-paths",
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "Settings"
        # A theme chosen from the palette shows here too.
        self.watch(self.app, "theme", self._show_theme, init=False)

    def _show_theme(self, theme: str) -> None:
        select = self.query_one("#theme", Select)
        if select.value != theme:
            select.value = theme

    def action_leave_field(self) -> None:
        """escape: out of the field, so 1-5 move between screens again."""
        self.set_focus(None)

    def _apply(self, **changes: object) -> None:
        app = self.journal_app
        candidate = dataclasses.replace(app.config, **changes)  # type: ignore[arg-type]
        problem = self.query_one("#settings-problem", Static)
        try:
            candidate.validated()
        except InputError as error:
            message = str(error)
            for field, label, _ in NUMBER_SETTINGS.values():  # the label shown, not the key
                if message.startswith(field):
                    message = label + message[len(field) :]
            problem.update(as_sentence(message))
            return
        problem.update("")
        app.config = candidate
        # Typing "15" should not write the file twice.
        self.set_timer(SAVE_DELAY, self._save_if_current(candidate), name="save-settings")

    def _save_if_current(self, candidate: Config) -> Callable[[], None]:
        def save() -> None:
            if self.journal_app.config is candidate:
                self.journal_app.save_config()

        return save

    @on(Select.Changed, "#theme")
    def _theme_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.app.theme:
            self.app.theme = event.value  # the app writes the choice to the config file

    @on(Select.Changed, "#week-start")
    def _week_start_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.journal_app.config.week_start:
            self._apply(week_start=event.value)
            set_week_start(self.journal_app.config.week_start)
            self.journal_app.entries_changed()  # weekly figures and the calendar again

    @on(Switch.Changed, "#reframe-notes")
    def _reframe_changed(self, event: Switch.Changed) -> None:
        self._apply(reframe_notes=event.value)

    @on(Input.Changed)
    def _number_changed(self, event: Input.Changed) -> None:
        if event.input.id not in NUMBER_SETTINGS:
            return
        field, label, _ = NUMBER_SETTINGS[event.input.id]
        try:
            value = int(event.value)
        except ValueError:
            self.query_one("#settings-problem", Static).update(
                f"{label}: use a whole number from 0 to 10000."
            )
            return
        self._apply(**{field: value})
