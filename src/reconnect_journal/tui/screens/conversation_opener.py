"""Turn an entry into a conversation opener: a guided, gentle first sentence or two.

Kept beside the entry, never sent anywhere. The three parts follow a soft start-up:
a feeling, the situation it is about, and what would help.

An entry that calls for the support note (someone may be hurting the writer, or the
writer may be thinking of hurting themselves) gets no coaching for a talk: the dialog
says why, kindly, and shows the support note instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Collapsible, Input, Static

from reconnect_journal.core.care import SUPPORT_TITLE, support_note
from reconnect_journal.core.errors import InputError, JournalError
from reconnect_journal.core.model import Entry
from reconnect_journal.core.openers import (
    GUIDANCE,
    ConversationOpener,
    OpenerParts,
    clean_parts,
    compose_opener,
    feelings_for,
    tidy_parts,
)
from reconnect_journal.tui.elsewhere import changed_elsewhere
from reconnect_journal.tui.formatting import MUTED, as_sentence

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

INTRO = "Only for you: nothing is sent anywhere. Draft a gentle way to begin, and keep it here."
PREVIEW_EMPTY = "Your opener will appear here as you fill in the parts."
# Instead of the form, for an entry that calls for the support note.
SET_ASIDE = (
    "Openers are for talks that feel safe to start, so this entry doesn't offer one. "
    "What you wrote stays here, just for you."
)


class OpenersLoaded(Message):
    bubble = False

    def __init__(self, openers: list[ConversationOpener]) -> None:
        super().__init__()
        self.openers = openers


class OpenerSaved(Message):
    bubble = False

    def __init__(self, opener: ConversationOpener) -> None:
        super().__init__()
        self.opener = opener


class OpenerFailed(Message):
    bubble = False

    def __init__(self, reason: str, *, whole: bool = False) -> None:
        super().__init__()
        self.reason = reason
        self.whole = whole  # a sentence of its own (the entry changed somewhere else)


# Below this many rows the form drops its spacing and folds the tips away.
ROOMY_HEIGHT = 34


class ConversationOpenerScreen(ModalScreen[ConversationOpener | None]):
    """Dismisses with the opener kept, or None when closed without keeping one."""

    AUTO_FOCUS = "#opener-feeling"

    # Not annotated ClassVar: Screen declares it without, and mypy would object.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (ROOMY_HEIGHT, "-roomy")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", "Keep it", id="opener.keep", priority=True),
        Binding("escape", "close", "Close", id="opener.close"),
    ]

    def __init__(self, journal: JournalService, entry: Entry) -> None:
        super().__init__()
        self.journal = journal
        self.entry = entry
        self._saving = False
        # What a support note for this entry would be about; empty when it calls for none.
        self.support_kinds = _support_kinds(entry.body)

    @property
    def set_aside(self) -> bool:
        """No opener for this entry: the support note is shown instead of the form."""
        return bool(self.support_kinds)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "keep" and self.set_aside)  # nothing to keep

    def compose(self) -> ComposeResult:
        if self.set_aside:
            yield from self._compose_support()
            return
        feelings = feelings_for(tuple(tag.barrier for tag in self.entry.barriers))
        with VerticalScroll(id="opener-dialog") as dialog:
            dialog.border_title = "Turn this into a conversation opener"
            yield Static(Content.styled(INTRO, MUTED), id="opener-intro")
            yield Static(f"From: {self.entry.headline}", id="opener-from", markup=False)
            feeling = Input(placeholder=", ".join(feelings[:3]), id="opener-feeling")
            feeling.border_title = "I feel …"
            yield feeling
            yield Static(
                Content.styled("Words that might fit: " + " · ".join(feelings), MUTED),
                id="opener-feelings",
            )
            about = Input(placeholder="e.g. how our evenings have been lately", id="opener-about")
            about.border_title = "about … (a moment or situation, if you like)"
            yield about
            need = Input(placeholder="e.g. ten minutes together after dinner", id="opener-need")
            need.border_title = "What I need is …"
            yield need
            preview = Static(Content.styled(PREVIEW_EMPTY, MUTED), id="opener-preview")
            preview.border_title = "Your opener"
            yield preview
            yield Static(id="opener-problem", markup=False)
            # Folded away in a short terminal, so the buttons stay in view; one key opens it.
            with Collapsible(
                title="A few tips for starting gently",
                collapsed=self.app.size.height < ROOMY_HEIGHT,
                id="opener-tips",
            ):
                yield Static(
                    Content.styled("\n".join(f"· {tip}" for tip in GUIDANCE), MUTED),
                    id="opener-guidance",
                )
            yield Static(id="opener-kept", markup=False)
            with Horizontal(id="opener-buttons"):
                yield Button("Close", id="opener-close")
                yield Button("Keep it with the entry", id="opener-keep", variant="primary")

    def _compose_support(self) -> ComposeResult:
        with VerticalScroll(id="opener-dialog") as dialog:
            dialog.border_title = SUPPORT_TITLE
            yield Static(f"From: {self.entry.headline}", id="opener-from", markup=False)
            yield Static(Content.styled(SET_ASIDE, MUTED), id="opener-set-aside")
            yield Static(support_note(self.support_kinds), id="opener-support", markup=False)
            with Horizontal(id="opener-buttons"):
                yield Button("Close", id="opener-close", variant="primary")

    def on_mount(self) -> None:
        if self.set_aside:
            self.query_one("#opener-close", Button).focus()
            return
        still = getattr(self.app, "cursor_blink", True) is False
        for field in self.query(Input):
            field.cursor_blink = not still
        self.query_one("#opener-problem").display = False
        self.query_one("#opener-kept").display = False
        self._load_openers()

    # -- the parts and the preview ------------------------------------------------------

    def _parts(self) -> tuple[str, str, str]:
        return (
            self.query_one("#opener-feeling", Input).value,
            self.query_one("#opener-about", Input).value,
            self.query_one("#opener-need", Input).value,
        )

    @on(Input.Changed)
    def _typed(self) -> None:
        parts = tidy_parts(*self._parts())
        preview = self.query_one("#opener-preview", Static)
        self.query_one("#opener-problem").display = False
        if not (parts.feeling or parts.need):
            preview.update(Content.styled(PREVIEW_EMPTY, MUTED))
            return
        # What is still missing shows as "…" until it is filled in.
        shown = OpenerParts(parts.feeling or "…", parts.about, parts.need or "…")
        preview.update(Content(compose_opener(shown)))

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "opener-need":
            self.action_keep()
        else:
            self.focus_next()

    # -- keeping ------------------------------------------------------------------------

    @on(Button.Pressed, "#opener-keep")
    def action_keep(self) -> None:
        if self._saving or self.set_aside:
            return
        try:
            parts = clean_parts(*self._parts())
        except InputError as error:
            problem = self.query_one("#opener-problem", Static)
            problem.update(as_sentence(str(error)))
            problem.display = True
            missing = "#opener-feeling" if "feeling" in str(error) else "#opener-need"
            self.query_one(missing, Input).focus()
            return
        self._saving = True
        self._save(parts)

    @work(thread=True, exclusive=True, group="opener")
    def _save(self, parts: OpenerParts) -> None:
        try:
            opener = self.journal.add_opener(self.entry.id, parts)
        except JournalError as error:
            note = changed_elsewhere(error)
            self.post_message(OpenerFailed(note, whole=True) if note else OpenerFailed(str(error)))
            return
        self.post_message(OpenerSaved(opener))

    @on(OpenerSaved)
    def _saved(self, message: OpenerSaved) -> None:
        self.notify("Kept with the entry. Nothing was sent.")
        self.dismiss(message.opener)

    @on(OpenerFailed)
    def _failed(self, message: OpenerFailed) -> None:
        self._saving = False
        problem = self.query_one("#opener-problem", Static)
        if message.whole:
            problem.update(f"It could not be kept: {message.reason[0].lower()}{message.reason[1:]}")
        else:
            problem.update(as_sentence(f"It could not be kept just now ({message.reason})"))
        problem.display = True

    @on(Button.Pressed, "#opener-close")
    def action_close(self) -> None:
        self.dismiss(None)

    # -- openers kept earlier -----------------------------------------------------------

    @work(thread=True, exclusive=True, group="openers")
    def _load_openers(self) -> None:
        try:
            openers = self.journal.openers_for(self.entry.id)
        except JournalError:
            return  # only a reminder of earlier ones; the form works without it
        self.post_message(OpenersLoaded(openers))

    @on(OpenersLoaded)
    def _openers_loaded(self, message: OpenersLoaded) -> None:
        if not message.openers:
            return
        kept = self.query_one("#opener-kept", Static)
        lines = [Content.styled("Kept earlier with this entry", MUTED)]
        lines += [Content(f"“{opener.text}”") for opener in message.openers]
        kept.update(Content("\n").join(lines))
        kept.display = True


def _support_kinds(body: str) -> tuple[str, ...]:
    from reconnect_journal.core.suggestions import support_kinds

    try:
        return support_kinds(body)
    except Exception:
        return ()  # the lexicon is a help; without it the form is shown as before
