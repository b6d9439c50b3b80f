"""Shown when the journal cannot be opened: the reason, calmly, and a way out."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from reconnect_journal.tui.formatting import as_sentence


class OpenFailedScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape", "app.exit", "Quit", id="open_failed.quit", show=False),
    ]

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="open-failed"):
            yield Static("Your journal could not be opened.", classes="state-heading")
            yield Static(as_sentence(self.reason), classes="state-detail", markup=False)
            yield Static(
                "Nothing was changed in it.", classes="state-detail", id="open-failed-safe"
            )
            with Center():
                yield Button("Quit", id="quit-button", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#quit-button").focus()

    @on(Button.Pressed, "#quit-button")
    def _quit(self) -> None:
        self.app.exit()
