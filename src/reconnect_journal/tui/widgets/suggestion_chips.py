"""Barrier suggestions as chips under the words: each says which barrier the text may
touch and the phrases that suggest it. Nothing is tagged until the person says so."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from reconnect_journal.core.suggestions import BarrierSuggestion
from reconnect_journal.tui.formatting import ACCENT, MUTED

HEADING = "Your words may touch on… (yours to choose)"
KEYS_HINT = "  F2 add the first · F3 set it aside"
MAX_EVIDENCE = 3
MAX_PHRASE = 40


def shown_phrase(text: str) -> str:
    """Evidence on one line, shortened at a word's end when long ("since my mum…", never
    "since my mum d…")."""
    text = " ".join(text.split())
    if len(text) <= MAX_PHRASE:
        return text
    cut = text[:MAX_PHRASE]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_PHRASE // 2 else cut[: MAX_PHRASE - 1]).rstrip(",;:") + "…"


def chip_content(suggestion: BarrierSuggestion) -> Content:
    """'Feeling unseen or unheard?  “on his phone” · “never asks”'."""
    parts: list[Content] = [Content.styled(f"{suggestion.barrier.display_name}?", "bold")]
    for index, evidence in enumerate(suggestion.evidence[:MAX_EVIDENCE]):
        parts.append(Content.styled(" · " if index else "  ", MUTED))
        parts.append(Content.styled(f"“{shown_phrase(evidence.phrase)}”", f"{ACCENT} underline"))
    return Content.assemble(*parts)


class SuggestionChip(Widget, can_focus=True):
    """One suggested barrier. Enter (or y) adds it; x (or n) sets it aside."""

    DEFAULT_CSS = """
    SuggestionChip {
        height: auto;
        padding: 0 1;
        &:focus {
            background: $block-cursor-blurred-background;
        }
        &:hover {
            background: $block-hover-background;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "accept", "Add barrier", id="suggestion.accept"),
        Binding("x,n,delete", "dismiss", "Not this one", id="suggestion.dismiss"),
    ]

    class Accepted(Message):
        def __init__(self, suggestion: BarrierSuggestion) -> None:
            super().__init__()
            self.suggestion = suggestion

    class Dismissed(Message):
        def __init__(self, suggestion: BarrierSuggestion) -> None:
            super().__init__()
            self.suggestion = suggestion

    def __init__(self, suggestion: BarrierSuggestion) -> None:
        # No id: a new chip for the same barrier may be mounted while the old one is still
        # being removed (new evidence, or another chip answered), and ids must be unique.
        super().__init__()
        self.suggestion = suggestion
        self.tooltip = suggestion.barrier.description

    def render(self) -> Content:
        return chip_content(self.suggestion)

    def on_click(self, event: events.Click) -> None:
        self.focus()

    def action_accept(self) -> None:
        self.post_message(self.Accepted(self.suggestion))

    def action_dismiss(self) -> None:
        self.post_message(self.Dismissed(self.suggestion))


class SuggestionChips(Vertical):
    """The suggestions not yet answered, best first; hidden when there are none."""

    DEFAULT_CSS = """
    SuggestionChips {
        height: auto;
        max-height: 5;
        display: none;
        &.-shown {
            display: block;
        }
        #suggestions-heading {
            padding: 0 1;
            color: $text-muted;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.suggestions: tuple[BarrierSuggestion, ...] = ()
        self._chips: list[SuggestionChip] = []

    @property
    def chips(self) -> list[SuggestionChip]:
        """The chips shown now (not those on their way out)."""
        return list(self._chips)

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(HEADING + KEYS_HINT, MUTED), id="suggestions-heading")

    @property
    def first(self) -> BarrierSuggestion | None:
        return self.suggestions[0] if self.suggestions else None

    def show(self, suggestions: Sequence[BarrierSuggestion]) -> None:
        """Show these (or hide the chips when there are none); unchanged chips stay put."""
        suggestions = tuple(suggestions)
        if suggestions == self.suggestions:
            return
        had_focus = any(chip.has_focus for chip in self._chips)
        self.suggestions = suggestions
        for chip in self._chips:
            chip.remove()
        self._chips = [SuggestionChip(suggestion) for suggestion in suggestions]
        if self._chips:
            self.mount(*self._chips)
            if had_focus:
                self._chips[0].focus()
        self.set_class(bool(self._chips), "-shown")
