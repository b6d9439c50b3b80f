"""The journal window: opens the journal in the background and hands it to the screens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.worker import get_current_worker

from reconnect_journal.core.errors import JournalError
from reconnect_journal.tui.messages import JournalOpened, JournalOpenFailed
from reconnect_journal.tui.screens.confirm import ConfirmScreen
from reconnect_journal.tui.screens.editor import EntryEditorScreen
from reconnect_journal.tui.screens.journal import JournalScreen

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService


class JournalApp(App[None]):
    # Global, not scoped: one file per area so each stays small.
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "styles/app.tcss",
        "styles/journal.tcss",
        "styles/editor.tcss",
    ]
    TITLE = "Reconnect Journal"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        db_path: Path,
        default_location: bool = False,
        open_journal: Callable[[], JournalService] | None = None,
        *,
        cursor_blink: bool = True,
    ) -> None:
        """`open_journal` is called in a worker thread; by default it opens `db_path`.

        `cursor_blink=False` keeps the text cursors still (for screenshots).
        """
        super().__init__()
        self.db_path = db_path
        self.default_location = default_location
        self._open_journal = open_journal or self._open_journal_file
        self.cursor_blink = cursor_blink
        self.journal: JournalService | None = None
        self._journal_screen: JournalScreen | None = None

    def get_default_screen(self) -> JournalScreen:
        self._journal_screen = JournalScreen(cursor_blink=self.cursor_blink)
        return self._journal_screen

    @property
    def journal_screen(self) -> JournalScreen:
        assert self._journal_screen is not None, "the default screen is made at start"
        return self._journal_screen

    def on_ready(self) -> None:
        # After the first frame ("Opening your journal…"), so the screen is there to update.
        self._open_in_background()

    def _open_journal_file(self) -> JournalService:
        # Imported here: SQLAlchemy takes a moment to load, and the first frame must not wait.
        from reconnect_journal.core.entries import JournalService

        return JournalService.open(self.db_path, default_location=self.default_location)

    @work(thread=True, exclusive=True, group="open-journal")
    def _open_in_background(self) -> None:
        try:
            journal = self._open_journal()
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
        for notice in message.notices:
            self.notify(notice, timeout=10, markup=False)
        self.journal_screen.show_journal(message.journal)

    @on(JournalOpenFailed)
    def _journal_open_failed(self, message: JournalOpenFailed) -> None:
        self.journal_screen.show_open_failure(message.reason)

    async def action_quit(self) -> None:
        unsaved = any(
            isinstance(screen, EntryEditorScreen) and screen.has_changes
            for screen in self.screen_stack
        )
        # Already answering a question (e.g. "Discard this entry?"): quitting is the answer.
        if unsaved and not isinstance(self.screen, ConfirmScreen):
            question = ConfirmScreen(
                "Quit without saving?",
                detail="What you wrote in this entry will not be kept.",
                confirm_label="Quit",
            )
            self.push_screen(question, self._quit_answered)
            return
        self.exit()

    def _quit_answered(self, quit_anyway: bool | None) -> None:
        if quit_anyway:
            self.exit()

    def on_unmount(self) -> None:
        if self.journal is not None:
            self.journal.close()
            self.journal = None
