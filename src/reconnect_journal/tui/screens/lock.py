"""The lock screen, and the offer to protect a journal with a passphrase.

Locked, nothing of the journal is on screen: this screen is opaque and holds only the
passphrase field. The app closes the encrypted journal's connections while it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static

from reconnect_journal.store.crypto import LOST_PASSPHRASE_WARNING, new_passphrase_problem

if TYPE_CHECKING:
    from reconnect_journal.tui.app import JournalApp


class PassphraseRejected(Message):
    """The passphrase did not open the journal; `reason` is fit to show."""

    bubble = False

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class LockScreen(Screen[None]):
    """Covers everything. With `needs_passphrase`, asks for it; otherwise enter goes on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "app.quit", "Quit", id="lock.quit", show=False),
    ]

    def __init__(self, needs_passphrase: bool, reason: str | None = None) -> None:
        super().__init__(id="lock-screen")
        self.needs_passphrase = needs_passphrase
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="lock"):
            yield Static("Your journal is locked.", classes="state-heading")
            if self.needs_passphrase:
                yield Static(
                    "Type its passphrase and press enter.", classes="state-detail", id="lock-hint"
                )
                yield Input(password=True, id="lock-passphrase", placeholder="passphrase")
            else:
                yield Static(
                    "Press enter to go on. (With a passphrase, set from the command palette, "
                    "it would be asked for here.)",
                    classes="state-detail",
                    id="lock-hint",
                )
                with Center():
                    yield Button("Open the journal", id="lock-open", variant="primary")
            yield Static(self.reason or "", classes="state-detail", id="lock-problem")

    @property
    def journal_app(self) -> JournalApp:
        return cast("JournalApp", self.app)

    def on_mount(self) -> None:
        self.query_one("#lock-passphrase" if self.needs_passphrase else "#lock-open").focus()

    def no_passphrase_needed(self, reason: str) -> None:
        """The journal now opens without a passphrase: say `reason`, and enter goes on."""
        self.needs_passphrase = False
        self.query_one("#lock-passphrase", Input).remove()
        self.query_one("#lock-hint", Static).display = False
        self.query_one("#lock-problem", Static).update(reason)
        button = Button("Open the journal", id="lock-open", variant="primary")
        self.query_one("#lock", Vertical).mount(Center(button), before="#lock-problem")
        button.focus()

    @on(Input.Submitted, "#lock-passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        passphrase = event.value
        event.input.value = ""  # not kept on screen or in the widget
        if not passphrase:
            return
        self.query_one("#lock-problem", Static).update("Opening…")
        event.input.disabled = True
        self.journal_app.unlock(passphrase)

    @on(Button.Pressed, "#lock-open")
    def _open(self) -> None:
        self.journal_app.unlock(None)

    @on(PassphraseRejected)
    def _rejected(self, message: PassphraseRejected) -> None:
        self.query_one("#lock-problem", Static).update(message.reason)
        field = self.query_one("#lock-passphrase", Input)
        field.disabled = False
        field.focus()


class EncryptOfferScreen(ModalScreen[str | None]):
    """Protect the journal with a passphrase: asked twice, with the plain warning."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Not now", id="encrypt.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="encrypt-offer", classes="dialog"):
            yield Static("Protect your journal with a passphrase", classes="state-heading")
            yield Static(
                "The whole file is then encrypted: entries, tags, ratings, drafts and "
                "backups. You type the passphrase when the journal opens or is locked.",
                classes="state-detail",
            )
            yield Static(LOST_PASSPHRASE_WARNING, classes="state-detail", id="encrypt-warning")
            yield Input(password=True, id="encrypt-first", placeholder="passphrase (8 or more)")
            yield Input(password=True, id="encrypt-second", placeholder="the same again")
            yield Static("", classes="state-detail", id="encrypt-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Encrypt", id="encrypt-yes", variant="primary")
                yield Button("Not now", id="encrypt-no")

    def on_mount(self) -> None:
        self.query_one("#encrypt-first").focus()

    @on(Input.Submitted, "#encrypt-first")
    def _next(self) -> None:
        self.query_one("#encrypt-second").focus()

    @on(Input.Submitted, "#encrypt-second")
    @on(Button.Pressed, "#encrypt-yes")
    def _encrypt(self) -> None:
        first = self.query_one("#encrypt-first", Input).value
        second = self.query_one("#encrypt-second", Input).value
        problem = new_passphrase_problem(first)
        if problem is None and first != second:
            problem = "the two passphrases differ"
        if problem:
            text = problem[0].upper() + problem[1:] + "."
            self.query_one("#encrypt-problem", Static).update(text)
            return
        self.dismiss(first)

    @on(Button.Pressed, "#encrypt-no")
    def action_cancel(self) -> None:
        self.dismiss(None)
