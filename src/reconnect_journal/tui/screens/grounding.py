"""A short grounding pause, offered on the way out of a long or heavy writing session."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from reconnect_journal.core.care import GROUNDING_LEAD, GROUNDING_TITLE, grounding_prompt


class GroundingScreen(ModalScreen[None]):
    """One gentle suggestion and a way on; any of enter, escape or the button closes it."""

    AUTO_FOCUS = "#grounding-done"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="grounding.close"),
    ]

    def __init__(self, moment: dt.datetime, lead: str = GROUNDING_LEAD) -> None:
        super().__init__()
        self.moment = moment
        self.lead = lead

    def compose(self) -> ComposeResult:
        with Vertical(id="grounding-dialog"):
            yield Static(GROUNDING_TITLE, id="grounding-title")
            yield Static(self.lead, id="grounding-lead", markup=False)
            yield Static(grounding_prompt(self.moment), id="grounding-prompt", markup=False)
            yield Button("Thank you", id="grounding-done", variant="primary")

    @on(Button.Pressed, "#grounding-done")
    def action_close(self) -> None:
        self.dismiss(None)
