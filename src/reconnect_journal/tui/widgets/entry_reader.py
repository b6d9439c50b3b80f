"""Reads one entry: its day, title, barriers, ratings, tags and words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Rule, Static

from reconnect_journal.core.dates import to_local
from reconnect_journal.core.model import RATING_RANGE, Entry
from reconnect_journal.core.search import ParsedSearch
from reconnect_journal.tui.formatting import (
    ACCENT,
    INTENSITY_WORDS,
    MATCH_STYLE,
    MUTED,
    intensity_dots,
    long_day,
    marks_line,
    rating_dots,
)


def barriers_block(entry: Entry) -> Content:
    """A muted heading, then one line per barrier with its dots lined up."""
    if not entry.barriers:
        return Content.styled("No barriers marked", MUTED)
    width = max(len(tag.barrier.display_name) for tag in entry.barriers)
    lines = [Content.styled("Barriers to closeness", MUTED)]
    for tag in entry.barriers:
        lines.append(
            Content.assemble(
                tag.barrier.display_name.ljust(width + 1),
                (intensity_dots(tag.intensity), ACCENT),
                (f" {INTENSITY_WORDS[tag.intensity]}", MUTED),
            )
        )
    return Content("\n").join(lines)


def ratings_block(entry: Entry) -> Content:
    ratings = [
        ("Emotional closeness", entry.emotional_closeness),
        ("Physical intimacy", entry.physical_intimacy),
    ]
    width = max(len(label) for label, _ in ratings)
    lines = []
    for label, value in ratings:
        if value is None:
            shown = Content.styled("not rated", MUTED)
        else:
            shown = Content.assemble(
                (rating_dots(value), ACCENT), (f" {value} of {RATING_RANGE[-1]}", MUTED)
            )
        lines.append(Content.assemble(label.ljust(width + 1), shown))
    return Content("\n").join(lines)


def prompt_line(entry: Entry) -> Content:
    """'Answering: <the prompt>' when the entry answers one still in the library."""
    from reconnect_journal.core.prompts import find_prompt

    prompt = find_prompt(entry.prompt_id) if entry.prompt_id else None
    if prompt is None:
        return Content()
    return Content.styled(f"Answering: {prompt.text}", f"{MUTED} italic")


def marked(text: str, search: ParsedSearch | None, column: str) -> Content:
    """`text` as it is, with the words `search` looks for in `column` marked."""
    content = Content(text)
    for start, end in search.marks(text, column) if search is not None else ():
        content = content.stylize(MATCH_STYLE, start, end)
    return content


class EntryReader(VerticalScroll):
    """Shows the highlighted entry. All entry text is shown literally, never as markup.

    While a search is shown (`mark_search`), the words it looks for are marked in the
    title, the tags and the text."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.search: ParsedSearch | None = None
        self._entry: Entry | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="reader-note")
        yield Static(id="reader-day")
        yield Static(id="reader-marks")
        yield Static(id="reader-title")
        yield Static(id="reader-prompt")
        yield Static(id="reader-barriers")
        yield Static(id="reader-ratings")
        yield Static(id="reader-tags")
        yield Rule(id="reader-rule")
        yield Static(id="reader-body")

    def on_mount(self) -> None:
        self.show_entry(None)

    def mark_search(self, search: ParsedSearch | None) -> None:
        """Mark the words `search` looks for (None: mark nothing), in the entry shown too."""
        if search == self.search:
            return
        self.search = search
        if self._entry is not None:
            self.show_entry(self._entry)

    def show_entry(self, entry: Entry | None) -> None:
        self._entry = entry
        if entry is None:
            self.show_message(Content.styled("Choose an entry to read it here.", "italic"))
            return
        self.query_one("#reader-rule").display = True
        note = Content()
        if entry.deleted_at is not None:
            moved = long_day(to_local(entry.deleted_at).date())
            note = Content.styled(f"In the trash since {moved}", MUTED)
        self._set("#reader-note", note)
        self._set("#reader-day", Content(long_day(entry.date)))
        self._set("#reader-marks", Content.styled(marks_line(entry), ACCENT))
        self._set("#reader-title", marked(entry.title or "", self.search, "title"))
        self._set("#reader-prompt", prompt_line(entry))
        self._set("#reader-barriers", barriers_block(entry))
        self._set("#reader-ratings", ratings_block(entry))
        tags = " ".join(f"#{tag}" for tag in entry.tags)
        self._set("#reader-tags", marked(tags, self.search, "tags"))
        self._set("#reader-body", marked(entry.body.rstrip(), self.search, "body"))
        self.scroll_home(animate=False)

    def show_message(self, message: Content | str) -> None:
        """No entry to show: a short line in its place."""
        self._entry = None
        self.query_one("#reader-rule").display = False
        text = message if isinstance(message, Content) else Content(message)
        self._set("#reader-day", text)
        for part in ("note", "marks", "title", "prompt", "barriers", "ratings", "tags", "body"):
            self._set(f"#reader-{part}", Content())

    def _set(self, selector: str, content: Content) -> None:
        static = self.query_one(selector, Static)
        static.update(content)
        # Empty parts take no room, so the body sits right under what there is.
        static.display = bool(content.plain)
