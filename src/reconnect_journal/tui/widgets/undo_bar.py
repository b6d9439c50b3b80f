"""A one-line bar offering to undo a delete, for a few seconds."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Static

from reconnect_journal.core.model import Entry


class UndoBar(Horizontal):
    """Hidden until `offer`; goes away by itself after SECONDS."""

    SECONDS: ClassVar[float] = 10.0

    class UndoPressed(Message):
        """The person asked to bring `entry` back."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    class Closed(Message):
        """The offer went away (timed out, used, or replaced by nothing)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entry: Entry | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="undo-message", markup=False)
        yield Button("Undo  u", id="undo-button", compact=True, variant="primary")

    def on_mount(self) -> None:
        self.display = False

    def offer(self, entry: Entry, message: str) -> None:
        """Show `message` with an Undo button for `entry`, for SECONDS."""
        self.entry = entry
        self.query_one("#undo-message", Static).update(message)
        self.display = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.SECONDS, self.withdraw)

    def withdraw(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        was_offered = self.entry is not None
        self.entry = None
        self.display = False
        if was_offered:
            self.post_message(self.Closed())

    def take(self) -> Entry | None:
        """The entry to bring back, once: the offer closes."""
        entry = self.entry
        self.withdraw()
        return entry

    @on(Button.Pressed, "#undo-button")
    def _undo_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.entry is not None:
            self.post_message(self.UndoPressed(self.entry))
