"""A calm, dismissible note beside the writing: never a dialog, never in the way."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Static

from reconnect_journal.tui.formatting import MUTED


class GentleNote(Static):
    """A bordered note with a title; hidden until shown, and again once hidden."""

    DEFAULT_CSS = """
    GentleNote {
        display: none;
        height: auto;
        max-height: 8;
        overflow-y: auto;
        padding: 0 1;
        border: round $border-blurred;
        border-title-color: $text-accent;
        border-subtitle-color: $text-muted;
        &.-shown {
            display: block;
        }
    }
    """

    def __init__(self, title: str, *, hide_hint: str = "F4 hide", id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.border_title = title
        self.border_subtitle = hide_hint

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def show_note(self, text: str, extra: str | None = None) -> None:
        content = Content(text)
        if extra:
            content = Content.assemble(content, "\n", Content.styled(extra, MUTED))
        self.update(content)
        self.add_class("-shown")

    def hide(self) -> None:
        self.remove_class("-shown")

    def on_click(self, event: events.Click) -> None:
        self.hide()
