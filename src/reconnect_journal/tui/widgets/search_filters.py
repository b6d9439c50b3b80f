"""The filters of a search, shown as small chips that can be taken away.

Each chip is a button labelled with the filter ("barrier: grief ✕"); pressing it (click,
or enter when focused) or `backspace`/`delete` on it removes that filter, and so does
`backspace` at the start of the search box (the last chip in the row goes first). The screen owns
the filters: it hands them in with `show` and hears back through `Removed`.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalGroup
from textual.message import Message
from textual.widgets import Button, Input, Static

from reconnect_journal.core.search import Chip, SearchFilters


class FilterChip(Button):
    """One filter; pressing it removes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("backspace,delete,x", "press", "Remove filter", show=False),
    ]

    def __init__(self, chip: Chip) -> None:
        super().__init__(f"{chip.label} ✕", compact=True, classes="filter-chip")
        self.chip = chip
        self.tooltip = f"Remove this filter ({chip.token})"


class SearchBox(Input):
    """The words of a search. `backspace` with nothing before the cursor asks for the
    last filter chip to go, as in mail apps that turn typed filters into chips."""

    class BackspaceAtStart(Message):
        pass

    def action_delete_left(self) -> None:
        if self.cursor_position == 0 and self.selection.is_empty:
            self.post_message(self.BackspaceAtStart())
            return
        super().action_delete_left()


class SearchFilterChips(HorizontalGroup):
    """A row of chips for the filters beside the words of a search (hidden when none)."""

    DEFAULT_CSS = """
    SearchFilterChips {
        height: auto;
        padding: 0 1;
        display: none;
    }
    SearchFilterChips.-has-chips {
        display: block;
    }
    SearchFilterChips #chips-label {
        width: auto;
        color: $foreground-muted;
        margin-right: 1;
    }
    SearchFilterChips .filter-chip {
        margin-right: 1;
        min-width: 0;
    }
    """

    class Removed(Message):
        """The filter typed as `token` was taken away."""

        def __init__(self, chips: SearchFilterChips, token: str) -> None:
            super().__init__()
            self.chips = chips
            self.token = token

        @property
        def control(self) -> SearchFilterChips:
            return self.chips

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filters = SearchFilters()

    def compose(self) -> ComposeResult:
        yield Static("Only:", id="chips-label")

    @property
    def tokens(self) -> list[str]:
        return [chip.chip.token for chip in self.query(FilterChip)]

    def show(self, filters: SearchFilters) -> None:
        """Show a chip for each of `filters`."""
        if filters == self.filters and len(self.tokens) == len(filters.chips()):
            return
        self.filters = filters
        self.query(FilterChip).remove()
        chips = filters.chips()
        if chips:
            self.mount_all(FilterChip(chip) for chip in chips)
        self.set_class(bool(chips), "-has-chips")

    def remove_last(self) -> bool:
        """Take away the last filter in the row (as if its chip were pressed); False when
        there is none."""
        tokens = self.tokens
        if not tokens:
            return False
        self.post_message(self.Removed(self, tokens[-1]))
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, FilterChip):
            event.stop()
            self.post_message(self.Removed(self, event.button.chip.token))
