"""One quiet line under the editor: how many words, and whether they are kept."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from reconnect_journal.tui.formatting import MUTED

NOT_SAVED = "Not saved yet"
SAVED = "Saved"


def count_words(text: str) -> int:
    return len(text.split())


def words_label(count: int) -> str:
    return "1 word" if count == 1 else f"{count:,} words"


def draft_saved_label(hour_minute: str) -> str:
    return f"Draft saved {hour_minute}"


class EditorStatus(Widget):
    """'42 words · Draft saved 21:40'. Nothing here asks for attention."""

    DEFAULT_CSS = """
    EditorStatus {
        height: 1;
        padding: 0 1;
    }
    """

    words: reactive[int] = reactive(0)
    state: reactive[str] = reactive(NOT_SAVED)

    def render(self) -> Content:
        return Content.assemble(words_label(self.words), (" · ", MUTED), (self.state, MUTED))
