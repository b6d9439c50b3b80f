"""A 1-5 rating that may be left unset ("not rated")."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from reconnect_journal.core.model import RATING_RANGE
from reconnect_journal.tui.formatting import ACCENT, EMPTY, FAINT, FILLED, MUTED, with_click_value

LOWEST = RATING_RANGE.start
HIGHEST = RATING_RANGE[-1]


class RatingSelect(Widget, can_focus=True):
    """Its label, then with_click_value dots; keys 1-5 rate and 0 leaves it unrated."""

    DEFAULT_CSS = """
    RatingSelect {
        height: 2;
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
        Binding("1", "rate(1)", "Rate", key_display=f"{LOWEST}-{HIGHEST}", id="rating.rate1"),
        *(
            Binding(str(level), f"rate({level})", show=False, id=f"rating.rate{level}")
            for level in RATING_RANGE
            if level != LOWEST
        ),
        Binding("0,backspace,delete", "clear", "Not rated", key_display="0", id="rating.clear"),
        Binding("right", "step(1)", show=False),
        Binding("left", "step(-1)", show=False),
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    value: reactive[int | None] = reactive(None)

    class Changed(Message):
        def __init__(self, rating: RatingSelect, value: int | None) -> None:
            super().__init__()
            self.rating = rating
            self.value = value

        @property
        def control(self) -> RatingSelect:
            return self.rating

    def __init__(self, label: str, value: int | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.set_reactive(RatingSelect.value, value)

    def render(self) -> Content:
        filled = self.value or 0
        dots_style = ACCENT if self.value else FAINT
        dots = Content(" ").join(
            with_click_value(FILLED if level <= filled else EMPTY, "rating", level, dots_style)
            for level in RATING_RANGE
        )
        if self.value is None:
            status = Content.styled("not rated", MUTED)
        else:
            # Said as an action (underlined, like a link), not read as part of the rating.
            clear = with_click_value("clear it", "rating", "clear", "underline")
            status = Content.assemble((f"{self.value} of {HIGHEST} · ", MUTED), clear)
        return Content.assemble(self.label, "\n", dots, "  ", status)

    def on_click(self, event: events.Click) -> None:
        choice = event.style.meta.get("rating")
        if choice == "clear":
            self.action_clear()
        elif isinstance(choice, int):
            self.action_rate(choice)

    def action_rate(self, level: int) -> None:
        if level in RATING_RANGE:
            self._set(level)

    def action_clear(self) -> None:
        self._set(None)

    def action_step(self, step: int) -> None:
        if self.value is None:
            self._set(LOWEST if step > 0 else None)
        elif self.value + step < LOWEST:
            self._set(None)  # left of the lowest rating is "not rated"
        else:
            self._set(min(self.value + step, HIGHEST))

    def _set(self, value: int | None) -> None:
        if value != self.value:
            self.value = value
            self.post_message(self.Changed(self, value))
