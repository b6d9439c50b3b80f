"""Go to a day: a small dialog that takes the same words as the command line."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from reconnect_journal.core.dates import parse_day
from reconnect_journal.core.errors import InputError
from reconnect_journal.tui.formatting import MUTED, as_sentence, long_day

EXAMPLES = "2026-03-01, yesterday, last friday, 3 weeks ago, 1 march"
STILL_TO_COME = "that day is still to come; the journal goes up to today."


class GoToDateScreen(ModalScreen[dt.date | None]):
    """Dismisses with the day asked for, or None to stay where the list was."""

    AUTO_FOCUS = "#go-to-date-input"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="go_to_date.cancel"),
    ]

    def __init__(self, today: dt.date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="go-to-date-dialog") as dialog:
            dialog.border_title = "Go to a day"
            yield Static("Which day would you like to see?", id="go-to-date-question")
            yield Input(placeholder="e.g. last friday", id="go-to-date-input")
            yield Static(id="go-to-date-hint")
            with Horizontal(id="go-to-date-buttons"):
                yield Button("Cancel", id="go-to-date-cancel")
                yield Button("Go", id="go-to-date-go", variant="primary")

    def on_mount(self) -> None:
        # The app can keep cursors still (for screenshots).
        still = getattr(self.app, "cursor_blink", True) is False
        self.query_one("#go-to-date-input", Input).cursor_blink = not still
        self._show_hint(Content.styled(f"Try {EXAMPLES}.", MUTED))

    def _show_hint(self, hint: Content, *, problem: bool = False) -> None:
        static = self.query_one("#go-to-date-hint", Static)
        static.update(hint)
        static.set_class(problem, "-problem")

    @on(Input.Changed, "#go-to-date-input")
    def _typed(self, event: Input.Changed) -> None:
        # While typing, show the day it would go to; complaints wait for Enter.
        try:
            day = parse_day(event.value, self.today)
        except InputError:
            self._show_hint(Content.styled(f"Try {EXAMPLES}.", MUTED))
            return
        if day > self.today:
            self._show_hint(Content.styled(f"{long_day(day)}: {STILL_TO_COME}", MUTED))
            return
        self._show_hint(Content.styled(long_day(day), MUTED))

    @on(Input.Submitted, "#go-to-date-input")
    @on(Button.Pressed, "#go-to-date-go")
    def action_go(self) -> None:
        text = self.query_one("#go-to-date-input", Input).value
        try:
            day = parse_day(text, self.today)
        except InputError as error:
            self._show_hint(Content(as_sentence(str(error))), problem=True)
            self.query_one("#go-to-date-input", Input).focus()
            return
        if day > self.today:
            self._show_hint(Content(f"{long_day(day)}: {STILL_TO_COME}"), problem=True)
            return
        self.dismiss(day)

    @on(Button.Pressed, "#go-to-date-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
