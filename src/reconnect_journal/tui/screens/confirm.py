"""A small yes/no question over the current screen, e.g. "Discard this entry?"."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True to go ahead, False to stay. The safe choice has the focus."""

    AUTO_FOCUS = "#confirm-cancel"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stay", "Stay", id="confirm.stay"),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(
        self,
        question: str,
        *,
        detail: str = "",
        confirm_label: str = "Discard",
        cancel_label: str = "Keep writing",
    ) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            if self.detail:
                yield Static(self.detail, id="confirm-detail", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(self.cancel_label, id="confirm-cancel", variant="primary")
                yield Button(self.confirm_label, id="confirm-go")

    @on(Button.Pressed, "#confirm-go")
    def go_ahead(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-cancel")
    def stay(self) -> None:
        self.dismiss(False)

    def action_stay(self) -> None:
        self.dismiss(False)
