"""Every key in one place (? or F1). Read from the screens' own bindings, so it stays true."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

_PRETTY_KEYS = {
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "slash": "/",
    "escape": "esc",
}


def _key_label(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    keys = [_PRETTY_KEYS.get(k.strip(), k.strip()) for k in binding.key.split(",")]
    return " / ".join(k.replace("ctrl+", "ctrl+") for k in keys)


def _rows(owner: type) -> list[tuple[str, str]]:
    """The described bindings a class declares itself (not Textual's inherited ones)."""
    rows = []
    bindings: list[BindingType] = owner.__dict__.get("BINDINGS", [])
    for item in bindings:
        if isinstance(item, Binding) and item.description:
            rows.append((_key_label(item), item.description))
    return rows


def help_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    # Imported here: the help screen is rarely opened, the editor is heavy-ish.
    from reconnect_journal.tui.app import JournalApp
    from reconnect_journal.tui.screens.editor import EntryEditorScreen
    from reconnect_journal.tui.screens.journal import JournalScreen
    from reconnect_journal.tui.screens.today import TodayScreen
    from reconnect_journal.tui.screens.trash import TrashScreen
    from reconnect_journal.tui.screens.trends import TrendsScreen

    anywhere = [*_rows(JournalApp), ("ctrl+p", "Find any command")]
    return [
        ("Anywhere", anywhere),
        ("Today", _rows(TodayScreen)),
        ("Journal", [*_rows(JournalScreen), ("↑ ↓  j k", "Move through entries")]),
        ("Trends", [*_rows(TrendsScreen), ("enter", "The entries behind a bar, row or day")]),
        ("Trash", _rows(TrashScreen)),
        ("Writing", _rows(EntryEditorScreen)),
    ]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "dismiss", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog") as dialog:
            dialog.border_title = "Keys"
            for title, rows in help_sections():
                if not rows:
                    continue
                yield Static(title, classes="help-section")
                for key, description in rows:
                    # Content, not markup: keys such as "[" must show as themselves.
                    row = Content.assemble((f"{key:<14}", "bold"), f"  {description}")
                    yield Static(row, classes="help-row")
            yield Static(
                "Everything here is also in the command palette (ctrl+p), and can be "
                "clicked with the mouse.",
                id="help-footnote",
            )
