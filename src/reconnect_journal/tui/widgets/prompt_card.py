"""Today's prompt in a quiet box: the question, its follow-up, and how to answer it."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from reconnect_journal.core.prompts import Prompt
from reconnect_journal.tui.formatting import MUTED

LOADING = "…"
NO_PROMPT = "No prompt today; write about whatever is on your mind."


class PromptCard(Static):
    """Shows one prompt; the screen that holds it decides what answering means."""

    DEFAULT_CSS = """
    PromptCard {
        height: auto;
        padding: 0 1;
        border: round $border-blurred;
        border-title-color: $text-muted;
        border-subtitle-color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(LOADING, id=id, markup=False)
        self.prompt: Prompt | None = None
        self.border_title = "A prompt for today"

    def show_prompt(self, prompt: Prompt | None, *, hint: str = "") -> None:
        self.prompt = prompt
        self.border_subtitle = hint if prompt is not None else ""
        if prompt is None:
            self.update(Content.styled(NO_PROMPT, MUTED))
            return
        parts = [Content(prompt.text)]
        if prompt.follow_up:
            parts += [Content("\n"), Content.styled(prompt.follow_up, MUTED)]
        self.update(Content.assemble(*parts))
