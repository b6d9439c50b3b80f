"""Today (key 1, the first screen): the day, a kind hello, today's entries and a place to start."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.lazy import Lazy
from textual.widgets import Button, ContentSwitcher, Footer, Header, Static
from textual.worker import get_current_worker

from reconnect_journal.core.dates import to_local
from reconnect_journal.core.errors import JournalError
from reconnect_journal.core.model import Entry
from reconnect_journal.tui.formatting import as_sentence, greeting, long_day, today_line
from reconnect_journal.tui.messages import EntriesLoadFailed, PromptLoaded, TodayLoaded
from reconnect_journal.tui.screens.base import JournalView
from reconnect_journal.tui.widgets.entry_list import EntryList, timed_row
from reconnect_journal.tui.widgets.entry_reader import EntryReader
from reconnect_journal.tui.widgets.prompt_card import PromptCard

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.core.prompts import Prompt

PROMPT_HINT = "a  answer it · p  another"
EMPTY_HEADING = "Nothing written today yet."
EMPTY_DETAIL = "Whenever you're ready, press n to begin. A few words are enough."
# How often the date and greeting are looked at again (the app may stay open overnight).
REFRESH_SECONDS = 60.0


class TodayScreen(JournalView):
    SUB_TITLE = "Today"
    # Entries written elsewhere today show up within a few seconds.
    WATCH_SECONDS: ClassVar[float | None] = 3.0
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_entry", "New entry", id="today.new_entry"),
        Binding("e", "edit_entry", "Edit", id="today.edit_entry"),
        Binding(
            "o",
            "conversation_opener",
            "Opener",
            tooltip="Turn this entry into a gentle way to start a conversation",
            id="today.conversation_opener",
        ),
        # Named on the prompt card itself.
        Binding("a", "answer_prompt", "Answer prompt", id="today.answer_prompt", show=False),
        Binding("p", "another_prompt", "Another prompt", id="today.another_prompt", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self._select_id: int | None = None
        # "Another prompt" walks today's order; a new day starts again at its first prompt.
        self._prompt_skip = 0
        self._prompt_day: dt.date | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="today-opening", id="today-states"):
            yield Static("Opening your journal…", id="today-opening", classes="journal-state")
            with Vertical(id="today-failed", classes="journal-state"):
                yield Static("Today's entries could not be read.", classes="state-heading")
                yield Static(id="today-failed-reason", classes="state-detail", markup=False)
            # Mounted just after the first frame: the greeting's frame must not wait for it.
            with Lazy(Vertical(id="today-main")):
                with Horizontal(id="today-top"):
                    with Vertical(id="today-hello"):
                        yield Static(id="today-date")
                        yield Static(id="today-greeting")
                        yield Static(id="today-line")
                    yield Button("Start writing", id="today-write", variant="primary")
                yield PromptCard(id="today-prompt")
                with ContentSwitcher(initial="today-empty", id="today-content"):
                    with Vertical(id="today-empty", classes="journal-state"):
                        yield Static(EMPTY_HEADING, classes="state-heading")
                        yield Static(EMPTY_DETAIL, classes="state-detail")
                    with Horizontal(id="today-entries", classes="entries-pane"):
                        with Vertical(id="today-side", classes="list-side"):
                            entry_list = EntryList(row=timed_row, id="entry-list")
                            entry_list.count_label = lambda count: "Written today"
                            yield entry_list
                        yield EntryReader(id="entry-reader")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(REFRESH_SECONDS, self._refresh)

    # -- loading --------------------------------------------------------------------------

    def journal_ready(self, journal: JournalService) -> None:
        self._start_load(journal)

    def journal_changed(self, saved: Entry | None = None) -> None:
        if self.journal is not None:
            self._select_id = saved.id if saved is not None else None
            self._start_load(self.journal)

    def _refresh(self) -> None:
        if self.journal is not None:
            self._start_load(self.journal)

    def _start_load(self, journal: JournalService) -> None:
        self._load(journal, self.loading_journal())

    @work(thread=True, exclusive=True, group="today")
    def _load(self, journal: JournalService, number: int) -> None:
        self.note_journal_seen(journal, number)
        try:
            day = journal.today()
            now = to_local(journal.clock())
            entries = journal.entries_on(day)
        except JournalError as error:
            self.post_message(EntriesLoadFailed(str(error)))
            return
        if day != self._prompt_day:
            self._prompt_skip = 0
        prompt = self._todays_prompt(journal, self._prompt_skip)
        if not get_current_worker().is_cancelled:
            self.post_message(TodayLoaded(day, now, entries, prompt))

    @staticmethod
    def _todays_prompt(journal: JournalService, skip: int) -> Prompt | None:
        """The prompt, or None when it cannot be had: the day's entries still show."""
        try:
            return journal.todays_prompt(skip=skip)
        except (JournalError, RuntimeError, ValueError):
            return None

    @work(thread=True, exclusive=True, group="today-prompt")
    def _load_prompt(self, journal: JournalService, skip: int) -> None:
        prompt = self._todays_prompt(journal, skip)
        if not get_current_worker().is_cancelled:
            self.post_message(PromptLoaded(prompt, skip))

    @on(PromptLoaded)
    def _prompt_loaded(self, message: PromptLoaded) -> None:
        self._prompt_skip = message.skip
        self.query_one(PromptCard).show_prompt(message.prompt, hint=PROMPT_HINT)
        self.refresh_bindings()

    @on(TodayLoaded)
    def _loaded(self, message: TodayLoaded) -> None:
        self.entries = message.entries
        self._prompt_day = message.day
        self.query_one(PromptCard).show_prompt(message.prompt, hint=PROMPT_HINT)
        self.query_one("#today-date", Static).update(long_day(message.day))
        self.query_one("#today-greeting", Static).update(greeting(message.now))
        line = today_line(len(message.entries), message.now.hour)
        self.query_one("#today-line", Static).update(line)
        entry_list = self.query_one(EntryList)
        entry_list.today = message.day
        content = self.query_one("#today-content", ContentSwitcher)
        first_time = self.query_one("#today-states", ContentSwitcher).current != "today-main"
        self.query_one("#today-states", ContentSwitcher).current = "today-main"
        entry_list.show_window(
            message.entries, 0, len(message.entries), highlight_id=self._select_id
        )
        self._select_id = None
        if message.entries:
            if content.current != "today-entries" or first_time:
                content.current = "today-entries"
                entry_list.focus()
        else:
            content.current = "today-empty"
            if first_time or self.focused is None:
                self.query_one("#today-write").focus()
        self.refresh_bindings()

    @on(EntriesLoadFailed)
    def _load_failed(self, message: EntriesLoadFailed) -> None:
        states = self.query_one("#today-states", ContentSwitcher)
        if states.current == "today-main":
            self.notify(as_sentence(message.reason), severity="error", markup=False)
            return
        self.query_one("#today-failed-reason", Static).update(as_sentence(message.reason))
        states.current = "today-failed"

    @on(EntryList.EntryHighlighted)
    def _entry_highlighted(self, message: EntryList.EntryHighlighted) -> None:
        self.query_one(EntryReader).show_entry(message.entry)

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_entry":
            return self.journal is not None
        if action in ("edit_entry", "conversation_opener"):
            return self._highlighted_entry() is not None
        if action in ("answer_prompt", "another_prompt"):
            return self.journal is not None and self._shown_prompt() is not None
        return True

    def _shown_prompt(self) -> Prompt | None:
        try:
            return self.query_one(PromptCard).prompt
        except NoMatches:  # not mounted yet (it comes just after the first frame)
            return None

    def _highlighted_entry(self) -> Entry | None:
        if not self.entries:
            return None
        return self.query_one(EntryList).highlighted_entry

    def action_new_entry(self) -> None:
        self.journal_app.open_editor()

    def action_conversation_opener(self) -> None:
        entry = self._highlighted_entry()
        if entry is not None:
            self.journal_app.open_conversation_opener(entry)

    def action_edit_entry(self) -> None:
        entry = self._highlighted_entry()
        if entry is not None:
            self.journal_app.open_editor(entry)

    def action_answer_prompt(self) -> None:
        prompt = self._shown_prompt()
        if prompt is not None:
            self.journal_app.open_editor(prompt_id=prompt.id)

    def action_another_prompt(self) -> None:
        if self.journal is not None:
            self._load_prompt(self.journal, self._prompt_skip + 1)

    @on(Button.Pressed, "#today-write")
    def _write_pressed(self) -> None:
        self.action_new_entry()
