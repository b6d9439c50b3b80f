"""The five barriers as toggles, each with how strongly it was felt (1-3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from reconnect_journal.core.barriers import INTENSITY_RANGE, Barrier
from reconnect_journal.core.model import BarrierTag, TagSource
from reconnect_journal.tui.formatting import ACCENT, EMPTY, FAINT, FILLED, MUTED, with_click_value

MARK = "✓"
DOTS_WIDTH = len(INTENSITY_RANGE)


class BarrierToggle(Widget, can_focus=True):
    """One barrier on one line: a mark, its name, and with_click_value intensity dots."""

    DEFAULT_CSS = """
    BarrierToggle {
        height: 1;
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
        Binding("space,enter", "toggle_mark", "Mark", id="barrier_picker.toggle"),
        Binding(
            "1", "set_intensity(1)", "How strong", key_display="1-3", id="barrier_picker.intensity1"
        ),
        Binding("2", "set_intensity(2)", show=False, id="barrier_picker.intensity2"),
        Binding("3", "set_intensity(3)", show=False, id="barrier_picker.intensity3"),
        Binding("right", "change_intensity(1)", show=False),
        Binding("left", "change_intensity(-1)", show=False),
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    selected: reactive[bool] = reactive(False)
    intensity: reactive[int] = reactive(INTENSITY_RANGE.start)

    class Changed(Message):
        def __init__(self, toggle: BarrierToggle) -> None:
            super().__init__()
            self.toggle = toggle

        @property
        def control(self) -> BarrierToggle:
            return self.toggle

    def __init__(self, barrier: Barrier, tag: BarrierTag | None = None, *, id: str | None = None):
        super().__init__(id=id)
        self.barrier = barrier
        # A tag the user has not touched keeps where it came from (e.g. a suggestion).
        self.source: TagSource = tag.source if tag else "user"
        self.set_reactive(BarrierToggle.selected, tag is not None)
        self.set_reactive(BarrierToggle.intensity, tag.intensity if tag else INTENSITY_RANGE.start)
        self.tooltip = barrier.description

    @property
    def tag(self) -> BarrierTag | None:
        if not self.selected:
            return None
        return BarrierTag(self.barrier, self.intensity, self.source)

    def render(self) -> Content:
        name = self.barrier.display_name
        room = self.content_size.width - 2 - DOTS_WIDTH - 1
        if room > 0 and len(name) > room:
            name = name[: room - 1] + "…"
        gap = " " * max(1, room - len(name) + 1)
        filled = self.intensity if self.selected else 0
        dots_style = ACCENT if self.selected else FAINT
        dots = [
            with_click_value(FILLED if level <= filled else EMPTY, "intensity", level, dots_style)
            for level in INTENSITY_RANGE
        ]
        mark = Content.styled(MARK if self.selected else " ", ACCENT)
        label = Content.styled(f" {name}{gap}", "" if self.selected else MUTED)
        return Content.assemble(mark, label, *dots)

    def on_click(self, event: events.Click) -> None:
        """A dot sets how strong; anywhere else on the line marks or unmarks."""
        level = event.style.meta.get("intensity")
        if isinstance(level, int):
            self.action_set_intensity(level)
        else:
            self.action_toggle_mark()

    def action_toggle_mark(self) -> None:
        self.selected = not self.selected
        self._changed()

    def action_set_intensity(self, level: int) -> None:
        if level in INTENSITY_RANGE:
            self.intensity = level
            self.selected = True
            self._changed()

    def action_change_intensity(self, step: int) -> None:
        if not self.selected:
            self.action_set_intensity(INTENSITY_RANGE.start)
        else:
            self.action_set_intensity(min(max(self.intensity + step, 1), INTENSITY_RANGE[-1]))

    def _changed(self) -> None:
        self.source = "user"
        self.post_message(self.Changed(self))

    def mark_suggested(self) -> None:
        """Mark it because the person accepted a suggestion (kept as such until touched)."""
        if not self.selected:
            self.selected = True
            self.source = "suggestion"
            self.post_message(self.Changed(self))


class BarrierPicker(Vertical):
    """All barriers, in the order core defines them."""

    DEFAULT_CSS = """
    BarrierPicker {
        height: auto;
    }
    """

    def __init__(
        self, tags: Iterable[BarrierTag] = (), *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._initial = {tag.barrier: tag for tag in tags}

    def compose(self) -> ComposeResult:
        for barrier in Barrier:
            yield BarrierToggle(barrier, self._initial.get(barrier), id=f"barrier-{barrier.value}")

    def accept_suggestion(self, barrier: Barrier) -> None:
        self.query_one(f"#barrier-{barrier.value}", BarrierToggle).mark_suggested()

    @property
    def tags(self) -> list[BarrierTag]:
        """The marked barriers, in core's order."""
        return [tag for toggle in self.query(BarrierToggle) if (tag := toggle.tag) is not None]
