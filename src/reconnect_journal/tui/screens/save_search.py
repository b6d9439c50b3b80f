"""Save a search: a small dialog asking for its name."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from reconnect_journal.core.search import NAME_CHARS


class SaveSearchScreen(ModalScreen[str | None]):
    """Dismisses with the name typed, or None."""

    AUTO_FOCUS = "#save-search-name"

    DEFAULT_CSS = """
    SaveSearchScreen {
        align: center middle;
    }
    #save-search-dialog {
        width: 60;
        height: auto;
        border: round $accent;
        padding: 1 2;
        background: $surface;
    }
    #save-search-what {
        color: $foreground-muted;
        margin-bottom: 1;
    }
    #save-search-buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    #save-search-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="save_search.cancel"),
    ]

    def __init__(self, what: str, suggestion: str = "") -> None:
        super().__init__()
        self.what = what
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(id="save-search-dialog") as dialog:
            dialog.border_title = "Save this search"
            yield Static(self.what, id="save-search-what", markup=False)
            yield Input(
                value=self.suggestion[:NAME_CHARS],
                placeholder="A name, e.g. walks that helped",
                max_length=NAME_CHARS,
                id="save-search-name",
            )
            with Horizontal(id="save-search-buttons"):
                yield Button("Cancel", id="save-search-cancel")
                yield Button("Save", id="save-search-save", variant="primary")

    def on_mount(self) -> None:
        still = getattr(self.app, "cursor_blink", True) is False
        self.query_one("#save-search-name", Input).cursor_blink = not still

    def _save(self) -> None:
        name = " ".join(self.query_one("#save-search-name", Input).value.split())
        if name:
            self.dismiss(name)
        else:
            self.notify("Give the search a name first.", markup=False)

    @on(Input.Submitted, "#save-search-name")
    def _submitted(self) -> None:
        self._save()

    @on(Button.Pressed, "#save-search-save")
    def _save_pressed(self) -> None:
        self._save()

    @on(Button.Pressed, "#save-search-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
