"""The journal window: opens the journal in the background and hands it to the screens."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.worker import get_current_worker

from reconnect_journal.config import Config, load_config
from reconnect_journal.core.errors import JournalError
from reconnect_journal.core.trends import set_week_start
from reconnect_journal.tui.commands import JournalCommands
from reconnect_journal.tui.messages import JournalOpened, JournalOpenFailed
from reconnect_journal.tui.screens.base import JournalView
from reconnect_journal.tui.screens.help import HelpScreen
from reconnect_journal.tui.screens.journal import JournalScreen
from reconnect_journal.tui.screens.lock import EncryptOfferScreen, LockScreen, PassphraseRejected
from reconnect_journal.tui.screens.open_failed import OpenFailedScreen
from reconnect_journal.tui.screens.settings import SettingsScreen
from reconnect_journal.tui.screens.today import TodayScreen
from reconnect_journal.tui.screens.trash import TrashScreen
from reconnect_journal.tui.screens.trends import TrendsScreen
from reconnect_journal.tui.themes import OUR_THEMES
from reconnect_journal.tui.windows import WindowMark, new_token

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.core.model import Draft, Entry

# Screens reached with the number keys.
SCREENS = Binding.Group("Screens", compact=True)


def _freeze_long_lived_objects() -> None:
    gc.collect()
    gc.freeze()


# The window closed from outside: the terminal went away (SIGHUP) or the app was asked to
# stop (SIGTERM). Python's default for both ends the process on the spot, words and all.
CLOSING_SIGNALS = ("SIGHUP", "SIGTERM")
# Once the drafts are written, closing may hang on a terminal that is gone: then this ends it.
CLOSING_GRACE_SECONDS = 3.0


def _end_process(code: int) -> None:
    os._exit(code)


# ctrl+q when what is being written could not be kept as a draft.
QUIT_WITHOUT_DRAFT = (
    "The window is still open: your words could not be saved ({reason}). They are "
    "still here. {remedy}, then press ctrl+q again to close (they are kept then if "
    "they can be)."
)


def _quit_refusal(reason: str) -> str:
    remedy = "Copy them somewhere safe, or wait a moment"
    if "disk is full" in reason:
        remedy = "Free some space on the disk, or copy them somewhere safe"
    return QUIT_WITHOUT_DRAFT.format(reason=reason, remedy=remedy)


_LOUD: dict[str, Any] = {"severity": "error", "timeout": 30, "markup": False}

# The lock screen's words for a journal decrypted (e.g. with 'decrypt') while it was locked.
NO_LONGER_ENCRYPTED = (
    "Your journal is no longer protected by a passphrase: it was decrypted outside this "
    "window (with 'decrypt', perhaps), so it opens without one. Press enter to go on."
)

# The lock screen's own words for a passphrase that did not open the journal.
NOT_THAT_PASSPHRASE = "That passphrase did not open the journal. Type it again."


class JournalApp(App[None]):
    TITLE = "Reconnect Journal"
    # Global, not scoped: one file per area so each stays small.
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "styles/app.tcss",
        "styles/journal.tcss",
        "styles/editor.tcss",
        "styles/today.tcss",
        "styles/trash.tcss",
        "styles/drafts.tcss",
        "styles/screens.tcss",
        "styles/export.tcss",
        "styles/trends.tcss",
    ]
    MODES: ClassVar[dict[str, Callable[[], Screen[None]]]] = {  # type: ignore[assignment]
        "today": TodayScreen,
        "journal": JournalScreen,
        "trends": TrendsScreen,
        "trash": TrashScreen,
        "settings": SettingsScreen,
    }
    DEFAULT_MODE = "today"
    COMMANDS = App.COMMANDS | {JournalCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    BINDINGS: ClassVar[list[BindingType]] = [
        # One footer item for all five ("12345 Screens"); Help and the palette name each.
        Binding("1", "show('today')", "Today", id="app.today", group=SCREENS),
        Binding("2", "show('journal')", "Journal", id="app.journal", group=SCREENS),
        Binding("3", "show('trends')", "Trends", id="app.trends", group=SCREENS),
        Binding("4", "show('trash')", "Trash", id="app.trash", group=SCREENS),
        Binding("5", "show('settings')", "Settings", id="app.settings", group=SCREENS),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("ctrl+l", "lock", "Lock the journal", id="app.lock", show=False),
        Binding("f8", "encrypt", "Protect with a passphrase", id="app.encrypt", show=False),
    ]

    def __init__(
        self,
        db_path: Path,
        default_location: bool = False,
        open_journal: Callable[[], JournalService] | None = None,
        *,
        cursor_blink: bool = True,
        config_path: Path | None = None,
    ) -> None:
        """`open_journal` is called in a worker thread; by default it opens `db_path`.

        `cursor_blink=False` keeps the text cursors still (for screenshots).
        """
        super().__init__()
        self.db_path = db_path
        self.default_location = default_location
        self._open_journal = open_journal or self._open_journal_file
        self.cursor_blink = cursor_blink
        self.config_path = config_path
        self.config, self._config_problem = load_config(config_path)
        # Settings saves, numbered in the order they were asked for (see write_config).
        self._config_writing = threading.Lock()
        self._config_asked = 0
        self._config_written = 0
        set_week_start(self.config.week_start)
        self.journal: JournalService | None = None
        self.views: set[JournalView] = set()
        self._passphrase_attempt: str | None = None
        self._last_activity = time.monotonic()
        self._signals_handled: list[int] = []
        self._last_resort: threading.Timer | None = None
        self._quit_without_draft = False  # ctrl+q was refused once for unkept words
        # This window's token, locked while it is open (see tui/windows.py).
        self.window_token = new_token()
        self._window_mark: WindowMark | None = None
        # Files beside a damaged journal that hold words it could not take.
        self.kept_beside: list[Path] = []
        for theme in OUR_THEMES:
            self.register_theme(theme)
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme

    def on_mount(self) -> None:
        self.set_interval(15, self._lock_when_idle)
        if not self.is_headless:
            self._handle_closing_signals()
        if self._config_problem:
            self.notify(self._config_problem, severity="warning", timeout=10, markup=False)

    def on_ready(self) -> None:
        # After the first frame, so nothing on screen waits for the journal.
        self._open_in_background()

    def _open_journal_file(self) -> JournalService:
        # Imported here: SQLAlchemy takes a moment to load, and the first frame must not wait.
        from reconnect_journal.core.entries import JournalService
        from reconnect_journal.store.crypto import PASSPHRASE_ENV

        passphrase = self._passphrase_attempt or os.environ.get(PASSPHRASE_ENV) or None
        self._passphrase_attempt = None
        return JournalService.open(
            self.db_path, default_location=self.default_location, passphrase=passphrase
        )

    @work(thread=True, exclusive=True, group="open-journal")
    def _open_in_background(self) -> None:
        from reconnect_journal.store.crypto import PassphraseError, WrongPassphrase
        from reconnect_journal.store.engine import PassphraseNeeded

        try:
            journal = self._open_journal()
        except PassphraseNeeded:
            self.call_from_thread(self._show_lock, True, None)
            return
        except WrongPassphrase:
            self.call_from_thread(self._show_lock, True, NOT_THAT_PASSPHRASE)
            return
        except PassphraseError as error:
            self.call_from_thread(self._show_lock, True, str(error))
            return
        except JournalError as error:
            self.post_message(JournalOpenFailed(str(error)))
            return
        except Exception as error:
            # Shown on the screen rather than as a traceback; the file was not changed by us.
            self.post_message(
                JournalOpenFailed(f"unexpected error ({type(error).__name__}: {error})")
            )
            return
        notices = tuple(journal.store.notices)
        if journal.store.migration_backup is not None:
            notices += (
                "Your journal was upgraded; a copy from before is at "
                f"{journal.store.migration_backup}",
            )
        opened = JournalOpened(journal, notices)
        if get_current_worker().is_cancelled or not self.post_message(opened):
            journal.close()  # the window closed while the journal was opening

    @on(JournalOpened)
    def _journal_opened(self, message: JournalOpened) -> None:
        self.journal = message.journal
        if isinstance(self.screen, LockScreen):
            self.pop_screen()
        self._check_and_back_up(message.journal)
        if message.journal.store.created and self._open_journal == self._open_journal_file:
            self.notify(
                "Your journal is new. To protect it with a passphrase, press F8 "
                "(or find “Protect with a passphrase” with ctrl+p).",
                timeout=10,
            )
        for notice in message.notices:
            self.notify(notice, timeout=10, markup=False)
        for view in list(self.views):
            view.journal_ready(message.journal)
        from reconnect_journal.tui.drafts import offer_pending_drafts

        if self._window_mark is None:
            self._window_mark = WindowMark.take(message.journal.store.path, self.window_token)
        offer_pending_drafts(self, message.journal)
        # Once the first figures are on screen: tens of thousands of objects made while
        # starting (Textual, SQLAlchemy, the screens) live as long as the app, and every full
        # garbage collection would walk them again, a pause of 50-120 ms in the middle of a
        # key press. Frozen, they are left out of later collections.
        self.set_timer(1.0, _freeze_long_lived_objects)

    @on(JournalOpenFailed)
    def _journal_open_failed(self, message: JournalOpenFailed) -> None:
        self.push_screen(OpenFailedScreen(message.reason))

    # -- what screens ask of the app ---------------------------------------------------

    def entries_changed(self, saved: Entry | None = None) -> None:
        """Tell every view that entries changed (a save, a delete, an undo)."""
        for view in list(self.views):
            view.journal_changed(saved)

    def open_editor(
        self,
        entry: Entry | None = None,
        *,
        prompt_id: str | None = None,
        draft: Draft | None = None,
        then: Callable[[], object] | None = None,
    ) -> None:
        """Write a new entry (or change `entry`, or go on with `draft`) over the current screen.

        `then` runs once the editor has closed, saved or not.
        """
        if self.journal is None:
            return
        from reconnect_journal.tui.screens.editor import EntryEditorScreen

        editor = EntryEditorScreen(
            self.journal,
            entry,
            draft=draft,
            prompt_id=prompt_id,
            cursor_blink=self.cursor_blink,
            reframe_notes=self.config.reframe_notes,
            window=self.window_token,
        )

        def closed(saved: Entry | None) -> None:
            if saved is not None:
                self.notify("Saved.")
                self.entries_changed(saved)
            session = editor.writing_session()
            if session.offer_grounding:
                self.offer_grounding(lead=session.grounding_lead)
            if then is not None:
                then()

        self.push_screen(editor, closed)

    def open_conversation_opener(self, entry: Entry) -> None:
        """Draft a gentle way to start talking about `entry`, kept beside it."""
        if self.journal is None:
            return
        from reconnect_journal.tui.screens.conversation_opener import ConversationOpenerScreen

        self.push_screen(ConversationOpenerScreen(self.journal, entry))

    def offer_grounding(
        self, then: Callable[[], object] | None = None, *, lead: str | None = None
    ) -> None:
        """A short grounding pause after a long or heavy sitting; `then` runs after it."""
        from reconnect_journal.core.dates import utc_now
        from reconnect_journal.tui.screens.grounding import GroundingScreen

        clock = self.journal.clock if self.journal is not None else utc_now

        def closed(_: None) -> None:
            if then is not None:
                then()

        moment = clock().astimezone()
        screen = GroundingScreen(moment) if lead is None else GroundingScreen(moment, lead)
        self.push_screen(screen, closed)

    def save_config(self) -> None:
        """Write the settings back to the config file (in the background)."""
        self._config_asked += 1
        self._save_config_in_background(self.config, self._config_asked)

    # Not exclusive: a thread worker that has begun cannot be stopped; write_config
    # decides which save is written.
    @work(thread=True, group="save-config")
    def _save_config_in_background(self, config: Config, number: int) -> None:
        try:
            self.write_config(config, number)
        except (OSError, JournalError) as error:
            self.call_from_thread(
                self.notify, f"Settings could not be saved: {error}", severity="error"
            )

    def write_config(self, config: Config, number: int | None = None) -> None:
        """Write `config` now, unless newer settings are already written.

        Saves may overlap (a thread worker cannot be stopped half way): one at a time,
        and an older one that comes second writes nothing, so the newest always wins.
        `number` is the save's place in line; without one, it is the newest.
        """
        from reconnect_journal.config import save_config

        with self._config_writing:
            if number is None:
                self._config_asked += 1
                number = self._config_asked
            if number < self._config_written:
                return
            saved = save_config(config, self.config_path)
            self._config_written = number
        if saved.kept is not None:
            # notify is safe from a worker thread (it posts a message).
            self.notify(
                f"Your settings file could not be read, so it was kept as {saved.kept.name} "
                f"beside the new one, which has the settings shown here.",
                title="Settings",
                timeout=20,
                markup=False,
            )

    def watch_theme(self, theme: str) -> None:
        if theme != self.config.theme and self.is_running:
            # A new value rather than a change to the one a save may be writing.
            self.config = dataclasses.replace(self.config, theme=theme)
            self.save_config()

    # -- closed from outside ---------------------------------------------------------------

    def _handle_closing_signals(self) -> None:
        """Catch the terminal closing and polite kills, so what is typed is kept first."""
        loop = asyncio.get_running_loop()
        for name in CLOSING_SIGNALS:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            try:
                # Run by the event loop between callbacks, never in the middle of a write.
                loop.add_signal_handler(signum, self.closed_from_outside, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # not here (Windows, or not the main thread): nothing to undo
            self._signals_handled.append(signum)

    def _stop_handling_closing_signals(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for signum in self._signals_handled:
            loop.remove_signal_handler(signum)
        self._signals_handled.clear()

    def keep_every_draft(self) -> list[str]:
        """Write what every open editor holds as a draft, now and on this thread.

        Returns why some words could not be kept (empty when every word is safe)."""
        problems: list[str] = []
        for mode_stack in self._screen_stacks.values():
            for screen in mode_stack:
                keep = getattr(screen, "keep_draft_before_exit", None)
                if callable(keep) and (problem := keep()):
                    problems.append(str(problem))
        return problems

    def closed_from_outside(self, signum: int) -> None:
        """The terminal closed (SIGHUP) or the app was told to stop (SIGTERM).

        The drafts are written first, synchronously; only then does the app close.
        """
        try:
            self.keep_every_draft()
        finally:
            # A terminal that is gone may never let the app put it back: the words are
            # kept by now, so after a short grace the process ends regardless.
            if self._last_resort is None:
                self._last_resort = threading.Timer(
                    CLOSING_GRACE_SECONDS, lambda: _end_process(128 + signum)
                )
                self._last_resort.daemon = True
                self._last_resort.start()
            self.exit(return_code=128 + signum)

    def _fatal_error(self) -> None:
        """An error nothing handled closes the window. Textual's own report of it lists
        every local variable of every frame, which here means the words being written and
        any passphrase typed: ours is the same report without them. (The editors keep
        their drafts as they close, as on ctrl+q.)"""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        report = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()

    def words_kept_beside(self, path: Path) -> None:
        """An editor kept its words in `path`, beside the damaged journal."""
        if path not in self.kept_beside:
            self.kept_beside.append(path)

    def run(self, *args: Any, **kwargs: Any) -> None:
        try:
            return super().run(*args, **kwargs)
        finally:
            if self._last_resort is not None:
                self._last_resort.cancel()  # closed in time: nothing to cut short
            for path in self.kept_beside:  # said again once the screen is gone
                print(
                    f"reconnect-journal: your journal file is damaged; your unsaved words "
                    f"are in {path}",
                    file=sys.stderr,
                )

    # -- lock, encryption, checks and backups --------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event, events.Key | events.MouseDown | events.MouseScrollDown | events.MouseScrollUp
        ):
            self._last_activity = time.monotonic()
        await super().on_event(event)

    def idle_for(self) -> float:
        """Seconds since the last key, click or scroll."""
        return time.monotonic() - self._last_activity

    def on_app_focus(self, event: events.AppFocus) -> None:
        # Back from another window (where the journal may have been written to), when the
        # terminal says so: the screen shown looks for changes.
        if isinstance(self.screen, JournalView):
            self.screen.look_for_changes()

    def _lock_when_idle(self) -> None:
        minutes = self.config.idle_lock_minutes
        if minutes <= 0 or self.journal is None or isinstance(self.screen, LockScreen):
            return
        if time.monotonic() - self._last_activity >= minutes * 60:
            self.action_lock()

    def _show_lock(self, needs_passphrase: bool, reason: str | None) -> None:
        if isinstance(self.screen, LockScreen):
            if reason:
                self.screen.post_message(PassphraseRejected(reason))
            return
        self.push_screen(LockScreen(needs_passphrase, reason))

    def action_lock(self) -> None:
        """Hide the journal behind the lock screen; an encrypted one also forgets its key
        (what is being written is kept as a draft first)."""
        if self.journal is None or isinstance(self.screen, LockScreen):
            return
        self.keep_every_draft()
        journal = self.journal
        self.push_screen(LockScreen(journal.store.encrypted))
        if journal.store.encrypted:
            self._lock_store(journal)

    @work(thread=True, exclusive=True, group="lock")
    def _lock_store(self, journal: JournalService) -> None:
        journal.store.lock()

    def unlock(self, passphrase: str | None) -> None:
        """From the lock screen: open the journal (first time) or unlock it again."""
        self._last_activity = time.monotonic()
        if self.journal is None:
            self._passphrase_attempt = passphrase
            self._open_in_background()
        elif not self.journal.store.locked:
            if isinstance(self.screen, LockScreen):
                self.pop_screen()
        elif passphrase is not None:
            self._unlock_in_background(self.journal, passphrase)

    @work(thread=True, exclusive=True, group="lock")
    def _unlock_in_background(self, journal: JournalService, passphrase: str) -> None:
        from reconnect_journal.store.crypto import WrongPassphrase

        try:
            if journal.store.reopen_if_decrypted():
                self.call_from_thread(self._no_longer_encrypted)
                return
            journal.store.unlock(passphrase)
        except WrongPassphrase:
            self.call_from_thread(self._show_lock, True, NOT_THAT_PASSPHRASE)
            return
        except JournalError as error:
            self.call_from_thread(self._show_lock, True, str(error))
            return
        self.call_from_thread(self._unlocked)

    def _no_longer_encrypted(self) -> None:
        """The file was decrypted outside this window: no passphrase opens it now, and
        none is needed. Said plainly, and enter goes on."""
        if isinstance(self.screen, LockScreen):
            self.screen.no_passphrase_needed(NO_LONGER_ENCRYPTED)
        else:
            self.push_screen(LockScreen(False, NO_LONGER_ENCRYPTED))

    def _unlocked(self) -> None:
        if isinstance(self.screen, LockScreen):
            self.pop_screen()

    def action_encrypt(self) -> None:
        journal = self.journal
        if journal is None or journal.store.encrypted:
            return

        def chosen(passphrase: str | None) -> None:
            if passphrase:
                self.notify("Encrypting the journal…")
                self._encrypt_in_background(journal, passphrase)

        self.push_screen(EncryptOfferScreen(), chosen)

    @work(thread=True, exclusive=True, group="encrypt")
    def _encrypt_in_background(self, journal: JournalService, passphrase: str) -> None:
        try:
            backups = journal.store.encrypt(passphrase)
        except JournalError as error:
            self.call_from_thread(
                self.notify, f"The journal was not encrypted: {error}", severity="error"
            )
            return
        done = backups.done
        also = f" and its {done} backup{'s' if done != 1 else ''} are" if done else " is"
        self.call_from_thread(
            self.notify,
            f"Your journal{also} encrypted. "
            "Keep the passphrase safe: without it, it cannot be opened.",
            timeout=15,
        )
        from reconnect_journal.paths import journal_command
        from reconnect_journal.store.backups import plain_copies_message

        left = plain_copies_message(
            backups, journal_command(journal.store.path, "encrypt --remove-damaged-backups")
        )
        if left:
            self.call_from_thread(
                self.notify, left[0].upper() + left[1:] + ".", severity="warning", timeout=30
            )

    @work(thread=True, exclusive=True, group="check-journal")
    def _check_and_back_up(self, journal: JournalService) -> None:
        """A quick integrity check off the UI thread; a damaged journal is closed and never
        written to. A sound one gets its daily backup (first launch of the day)."""
        from reconnect_journal.store.backups import daily_backup
        from reconnect_journal.store.health import quick_check

        store = journal.store
        try:
            quick_check(store)
        except JournalError as error:
            self.call_from_thread(self._journal_damaged, journal, str(error))
            return
        if store.created:
            return  # nothing to back up yet
        try:
            daily_backup(
                store.path,
                journal.today(),
                passphrase=store.passphrase,
                keep_daily=self.config.backup_keep_daily,
                keep_weekly=self.config.backup_keep_weekly,
            )
        except (OSError, JournalError) as error:
            self.call_from_thread(
                self.notify,
                f"Today's backup could not be made: {error}",
                severity="warning",
                markup=False,
            )

    def _journal_damaged(self, journal: JournalService, reason: str) -> None:
        # What is being written cannot go into it: the editors keep it beside the file.
        self.keep_every_draft()
        if self.journal is journal:
            self.journal = None
        journal.close()
        self.push_screen(OpenFailedScreen(reason))

    # -- actions -------------------------------------------------------------------------

    def _writing(self) -> bool:
        """True while the editor or a dialog is in front: number keys belong to it."""
        from reconnect_journal.tui.screens.editor import EntryEditorScreen

        # (Also while the journal could not be opened: there is nothing else to show.)
        return isinstance(
            self.screen, EntryEditorScreen | ModalScreen | OpenFailedScreen | LockScreen
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, LockScreen) and action != "quit":
            return False  # locked: nothing of the journal can be reached
        if action == "encrypt":
            return self.journal is not None and not self.journal.store.encrypted
        if action == "lock":
            return self.journal is not None
        if action in ("show", "help", "new_entry") and self._writing():
            return False
        return not (action == "new_entry" and self.journal is None)

    def action_show(self, mode: str) -> None:
        if mode in self.MODES and mode != self.current_mode:
            self.switch_mode(mode)

    def action_new_entry(self) -> None:
        self.open_editor()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Textual's "Screenshot" writes the screen, journal text and all, to a file anyone
        # on the computer can read (in Downloads): not something a private journal offers.
        # Its "Keys" opens a generic panel of widget keys (scroll left, copy text...) that
        # escape does not close; ours, "Help: keys", lists the journal's own.
        for command in super().get_system_commands(screen):
            if command.title not in ("Screenshot", "Keys"):
                yield command

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        # Whatever is being written is kept as a draft, never lost and never asked about.
        from reconnect_journal.tui.screens.editor import EntryEditorScreen
        from reconnect_journal.tui.screens.grounding import GroundingScreen

        await self._let_typing_land()
        problems = self.keep_every_draft()
        if problems and not self._quit_without_draft:
            # As `escape` does: the words stay on the screen. Only a second ctrl+q, a
            # choice made knowing this, closes the window without them.
            self._quit_without_draft = True
            self.notify(_quit_refusal(problems[0]), **_LOUD)
            return
        due = [
            session
            for mode_stack in self._screen_stacks.values()
            for screen in mode_stack
            if isinstance(screen, EntryEditorScreen)
            and (session := screen.writing_session()).offer_grounding
        ]
        if due and not isinstance(self.screen, GroundingScreen):
            # The words are safe as a draft; a second ctrl+q closes straight away.
            longest = next((session for session in due if session.long), due[0])
            self.offer_grounding(then=self.exit, lead=longest.grounding_lead)
            return
        self.exit()

    async def _let_typing_land(self) -> None:
        """ctrl+q is the app's own key, handled as it arrives; keys typed just before it
        may still wait in the text box's queue. Let them land before the draft is kept."""
        focused = self.focused
        if focused is None:
            return
        landed = asyncio.Event()
        focused.call_later(landed.set)  # runs after what is already queued for it
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(landed.wait(), 0.5)

    def on_unmount(self) -> None:
        self._stop_handling_closing_signals()
        gc.unfreeze()  # what was frozen at the start can be collected again once we close
        if self._window_mark is not None:
            self._window_mark.release()
        if self.journal is not None:
            self.journal.close()
            self.journal = None
