"""Textual's footer, fitted to the window so the keys that matter are never cut off.

A screen names the keys its footer shows only when there is room, most wanted first:

    FOOTER_WHEN_ROOM = ("toggle_star", "toggle_share")  # actions, as in the bindings

Every other shown key is always drawn. The keys named there join them in that order while
they fit, and the command palette's hint (ctrl+p, which Help names too) takes what room is
left. Wider windows show more; `?` lists every key whatever the width.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from textual.app import ComposeResult
from textual.events import Resize
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PALETTE = "-command-palette"
# Wide enough that no footer item is squeezed while it is measured.
ROOMY = Size(1000, 1)


def _width(widget: Widget) -> int:
    """Columns `widget` takes without its margins."""
    return widget.get_content_width(ROOMY, ROOMY) + widget.styles.gutter.width


def row_width(widgets: Iterable[Widget]) -> int:
    """Columns a row of widgets takes, margins collapsing between neighbours as Textual's
    horizontal layout collapses them."""
    row = list(widgets)
    if not row:
        return 0
    margins = [widget.styles.margin for widget in row]
    between = sum(max(left.right, right.left) for left, right in pairwise(margins))
    return sum(_width(widget) for widget in row) + between + margins[0].left + margins[-1].right


class KeysFooter(Footer):
    """A footer that leaves out the screen's optional keys, then the palette hint, first."""

    def _when_room(self) -> tuple[str, ...]:
        return tuple(getattr(self.screen, "FOOTER_WHEN_ROOM", ()))

    def compose(self) -> ComposeResult:
        when_room = self._when_room()
        for widget in super().compose():
            # Hidden until they are known to fit, so they never flash past.
            if isinstance(widget, FooterKey) and widget.action in when_room:
                widget.display = False
            yield widget

    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def on_resize(self, event: Resize) -> None:
        self.fit()

    def fit(self) -> None:
        """Show the optional keys that fit, in the screen's order, then the palette hint."""
        if not self.is_attached:  # the screen closed while the footer was being redrawn
            return
        when_room = self._when_room()
        palette: Widget | None = None
        items: list[Widget] = []
        optional: dict[Widget, int] = {}
        for child in self.children:
            if child.has_class(PALETTE):
                palette = child
                continue
            items.append(child)
            if isinstance(child, FooterKey) and child.action in when_room:
                optional[child] = when_room.index(child.action)
        room = self.size.width
        shown = {child for child in items if child not in optional}
        for child in sorted(optional, key=optional.__getitem__):
            if row_width(item for item in items if item in shown or item is child) <= room:
                shown.add(child)
        for child in optional:
            child.display = child in shown
        if palette is not None:
            used = row_width(item for item in items if item in shown)
            palette.display = used + row_width([palette]) <= room
