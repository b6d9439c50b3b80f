"""Settings (key 5): edits the config file, which keeps any comments the user wrote in it."""

from __future__ import annotations

import contextlib
import dataclasses
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Label, Select, Static, Switch

from reconnect_journal.config import WEEK_STARTS
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
# A whole number is written this long after the typing in its field stops (or at once
# on enter, or on leaving the field): never a half-typed value on the way to another.
NUMBER_SAVE_DELAY = 1.0


class SettingsScreen(JournalView):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave_field", "Leave the field", id="settings.leave_field", show=False)
    ]

    def __init__(self) -> None:
        super().__init__()
        # Fields whose valid value waits for the typing to stop, before it is kept.
        self._waiting: dict[str, tuple[int, Timer]] = {}
        self._problems: dict[str, str] = {}  # fields whose value can't be kept, and why

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
        """Take valid settings on and write the file; a change to nothing writes nothing."""
        app = self.journal_app
        candidate = dataclasses.replace(app.config, **changes)  # type: ignore[arg-type]
        if candidate == app.config:
            return  # e.g. the fields showing their values as the screen opens
        app.config = candidate.validated()
        app.save_config()

    # -- whole numbers: kept once they are valid and the typing is done -------------------

    def _typed_number(self, widget_id: str, text: str) -> int:
        """The value typed in a number field, or InputError saying what is wrong with it."""
        field, label, _ = NUMBER_SETTINGS[widget_id]
        try:
            value = int(text)
        except ValueError:
            raise InputError(f"{label}: use a whole number from 0 to 10000") from None
        try:
            candidate = dataclasses.replace(self.journal_app.config, **{field: value})  # type: ignore[arg-type]
            candidate.validated()
        except InputError as error:
            message = str(error)
            if message.startswith(field):  # the label shown, not the key
                message = label + message[len(field) :]
            raise InputError(message) from None
        return value

    def _show_problems(self) -> None:
        self.query_one("#settings-problem", Static).update("\n".join(self._problems.values()))

    @on(Input.Changed)
    def _number_changed(self, event: Input.Changed) -> None:
        """Checked as it is typed; kept only a moment after the typing stops."""
        widget_id = event.input.id
        if widget_id not in NUMBER_SETTINGS:
            return
        self._stop_waiting(widget_id)
        try:
            value = self._typed_number(widget_id, event.value)
        except InputError as error:
            kept = getattr(self.journal_app.config, NUMBER_SETTINGS[widget_id][0])
            self._problems[widget_id] = f"{as_sentence(str(error))} It stays at {kept}."
            self._show_problems()
            return
        if self._problems.pop(widget_id, None) is not None:
            self._show_problems()
        self._waiting[widget_id] = (
            value,
            self.set_timer(
                NUMBER_SAVE_DELAY, lambda: self._keep_number(widget_id), name="save-settings"
            ),
        )

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _number_done(self, event: Input.Submitted | Input.Blurred) -> None:
        if event.input.id in NUMBER_SETTINGS:
            self._keep_number(event.input.id)

    def _stop_waiting(self, widget_id: str) -> int | None:
        """The valid value waiting to be kept for this field, if any (it waits no more)."""
        value, timer = self._waiting.pop(widget_id, (None, None))
        if timer is not None:
            timer.stop()
        return value

    def _keep_number(self, widget_id: str) -> None:
        """Keep the field's value if it is a valid one (otherwise its problem stays said)."""
        value = self._stop_waiting(widget_id)
        if value is not None:
            self._apply(**{NUMBER_SETTINGS[widget_id][0]: value})

    def on_screen_suspend(self) -> None:
        # Off to another screen straight after typing: a valid value is kept.
        for widget_id in list(self._waiting):
            self._keep_number(widget_id)

    def on_unmount(self) -> None:
        super().on_unmount()
        if not self._waiting:
            return
        # The app is closing and no worker will run any more: a valid value still waiting
        # is written here and now (a small file), after any save still under way.
        app = self.journal_app
        changes = {
            NUMBER_SETTINGS[widget_id][0]: self._stop_waiting(widget_id)
            for widget_id in list(self._waiting)
        }
        candidate = dataclasses.replace(app.config, **changes)  # type: ignore[arg-type]
        if candidate != app.config:
            app.config = candidate
            with contextlib.suppress(OSError, InputError):
                app.write_config(candidate)

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
