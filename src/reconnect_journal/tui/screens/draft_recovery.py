"""Offered after the journal opens when writing was left unsaved (a crash, a closed terminal).

Calm, and never in a hurry: the words are safe whatever is chosen here, except for
Discard, which asks once more.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from reconnect_journal.core.errors import JournalError
from reconnect_journal.tui.formatting import MUTED, as_sentence, short_day
from reconnect_journal.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.tui.drafts import PendingDraft

PREVIEW_LINES = 4
PREVIEW_LINE_CHARS = 300

HEADING = "A draft is waiting for you"
INTRO = "These words are kept as a draft, just as you left them. They are here for you."
DISCARD_QUESTION = "Discard this draft?"
DISCARD_DETAIL = "It can't be brought back."


def preview(body: str, title: str | None = None) -> str:
    """The first few lines of what was written, with '…' when there is more."""
    lines = [line.rstrip() for line in body.strip("\n").splitlines()]
    shown = lines[:PREVIEW_LINES]
    more = len(lines) > PREVIEW_LINES
    clipped = []
    for line in shown:
        if len(line) > PREVIEW_LINE_CHARS:
            line, more = line[:PREVIEW_LINE_CHARS].rstrip(), True
        clipped.append(line)
    text = "\n".join(clipped).rstrip()
    if more:
        text += " …"
    if title and title.strip():
        text = f"{title.strip()}\n{text}" if text else title.strip()
    return text


def when_written(moment: dt.datetime | None, today: dt.date) -> str:
    """'today at 21:40', 'yesterday at 08:05', 'Sun 22 Nov at 23:10' (local time)."""
    if moment is None:
        return ""
    local = moment.astimezone()
    day = local.date()
    if day == today:
        day_words = "today"
    elif day == today - dt.timedelta(days=1):
        day_words = "yesterday"
    else:
        day_words = f"on {short_day(day, today)}"
    return f"{day_words} at {local:%H:%M}"


def what_it_is(pending: PendingDraft, today: dt.date) -> str:
    if pending.entry is not None:
        return f"Changes to your entry of {short_day(pending.entry.date, today)}"
    if pending.entry_is_gone:
        return (
            "Changes to an entry that is no longer in your journal (it may be in the trash); "
            "if you continue, they become a new entry"
        )
    return "A new entry"


class DraftDiscarded(Message):
    bubble = False


class DraftDiscardFailed(Message):
    bubble = False

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class DraftRecoveryScreen(ModalScreen[str]):
    """Dismisses with "continue", "discarded" (already done) or "later"."""

    AUTO_FOCUS = "#draft-continue"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "later", "Not now", id="draft_recovery.later"),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(
        self, journal: JournalService, pending: PendingDraft, *, position: int = 1, total: int = 1
    ) -> None:
        super().__init__()
        self.journal = journal
        self.pending = pending
        self.position = position
        self.total = total
        self._discarding = False

    def compose(self) -> ComposeResult:
        draft = self.pending.draft
        today = self.journal.today()
        written = when_written(draft.updated_at, today)
        about = what_it_is(self.pending, today)
        with Vertical(id="draft-recovery-dialog") as dialog:
            dialog.border_title = HEADING
            if self.total > 1:
                dialog.border_subtitle = f"{self.position} of {self.total}"
            yield Static(INTRO, id="draft-intro")
            yield Static(
                Content.assemble(
                    (as_sentence(f"{about}, last written {written}" if written else about), MUTED)
                ),
                id="draft-about",
            )
            yield Static(preview(draft.body, draft.title), id="draft-preview", markup=False)
            yield Static(id="draft-problem", markup=False)
            with Horizontal(id="draft-buttons"):
                yield Button("Continue writing", id="draft-continue", variant="primary")
                yield Button("Discard", id="draft-discard")
                yield Button("Not now", id="draft-later")

    def on_mount(self) -> None:
        self.query_one("#draft-problem").display = False

    @on(Button.Pressed, "#draft-continue")
    def action_continue(self) -> None:
        if not self._discarding:
            self.dismiss("continue")

    @on(Button.Pressed, "#draft-later")
    def action_later(self) -> None:
        if self._discarding:
            return
        self.notify("Kept for later. It will be offered again the next time you open the journal.")
        self.dismiss("later")

    @on(Button.Pressed, "#draft-discard")
    def action_discard(self) -> None:
        if self._discarding:
            return
        confirm = ConfirmScreen(
            DISCARD_QUESTION, detail=DISCARD_DETAIL, confirm_label="Discard", cancel_label="Keep it"
        )
        self.app.push_screen(confirm, self._discard_answered)

    def _discard_answered(self, discard: bool | None) -> None:
        if discard:
            self._discarding = True
            self._discard_in_background(self.pending.draft.key)

    @work(thread=True, exclusive=True, group="discard-draft")
    def _discard_in_background(self, key: str) -> None:
        try:
            self.journal.discard_draft(key)
        except JournalError as error:
            self.post_message(DraftDiscardFailed(str(error)))
        except Exception as error:
            self.post_message(DraftDiscardFailed(f"{type(error).__name__}: {error}"))
        else:
            self.post_message(DraftDiscarded())

    @on(DraftDiscarded)
    def _discarded(self) -> None:
        self.notify("Draft discarded.")
        self.dismiss("discarded")

    @on(DraftDiscardFailed)
    def _discard_failed(self, message: DraftDiscardFailed) -> None:
        self._discarding = False
        problem = self.query_one("#draft-problem", Static)
        problem.update(
            as_sentence(f"The draft could not be discarded just now: {message.reason}")
            + " It is still kept."
        )
        problem.display = True
