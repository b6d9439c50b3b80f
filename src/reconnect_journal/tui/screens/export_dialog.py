"""Export from the journal window: a small dialog (what, where, replace or not). The files
are written in a worker thread; the dialog closes with a sentence saying where they went
(the full path, on a line of its own)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static
from textual.worker import Worker, WorkerState

from reconnect_journal.core.errors import JournalError
from reconnect_journal.io.files import TargetExists
from reconnect_journal.tui.formatting import as_sentence

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

# (value, label, file suffix)
REPLACE_LABEL = "Replace what is already there"
CHOICES = (
    ("md-single", "Markdown, one file", ".md"),
    ("md-folder", "Markdown, a folder with a file per entry (Obsidian)", ""),
    ("json", "JSON", ".json"),
    ("summary", "Summary of the last 4 weeks, to share", "-summary.md"),
)
_SUFFIX = {value: suffix for value, _, suffix in CHOICES}


def default_path(what: str, today: dt.date) -> Path:
    return Path.home() / f"reconnect-journal-{today.isoformat()}{_SUFFIX[what]}"


def export_now(journal: JournalService, what: str, path: Path, *, force: bool) -> str:
    """Do the export (in a worker thread) and say in a sentence what was written."""
    import io

    from reconnect_journal.core.model import EntryQuery

    if what == "summary":
        from reconnect_journal.io.summary import run_summary, summary_written

        count, first, last = run_summary(
            journal, None, None, out=path, force=force, stdout=io.StringIO()
        )
        return summary_written(count, first, last, path, path_on_own_line=True)
    from reconnect_journal.io.export import Format, Layout, run_export

    fmt: Format = "json" if what == "json" else "md"
    layout: Layout = "folder" if what == "md-folder" else "single"
    result = run_export(
        journal,
        EntryQuery(limit=None),
        fmt=fmt,
        layout=layout,
        out=path,
        force=force,
        stdout=io.StringIO(),
    )
    return result.summary(path_on_own_line=True)


class ExportDialog(ModalScreen[str | None]):
    """Dismisses with what was written, or None when cancelled."""

    AUTO_FOCUS = "#export-what"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, journal: JournalService, what: str = "md-single") -> None:
        super().__init__()
        self.journal = journal
        self.what = what
        self._suggested = default_path(what, journal.today())

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = "Export"
            yield Static("What would you like to export?", classes="export-label")
            yield Select(
                [(label, value) for value, label, _ in CHOICES],
                value=self.what,
                allow_blank=False,
                id="export-what",
            )
            yield Static("Where should it go?", classes="export-label")
            yield Input(str(self._suggested), id="export-path")
            yield Checkbox(REPLACE_LABEL, id="export-force")
            yield Static(id="export-hint")
            with Horizontal(id="export-buttons"):
                yield Button("Cancel", id="export-cancel")
                yield Button("Export", id="export-go", variant="primary")

    def on_mount(self) -> None:
        still = getattr(self.app, "cursor_blink", True) is False
        self.query_one("#export-path", Input).cursor_blink = not still

    def _hint(self, text: str, *, problem: bool = False) -> None:
        hint = self.query_one("#export-hint", Static)
        hint.update(text)
        hint.set_class(problem, "-problem")

    @on(Select.Changed, "#export-what")
    def _chosen(self, event: Select.Changed) -> None:
        self.what = str(event.value)
        path_input = self.query_one("#export-path", Input)
        if path_input.value == str(self._suggested):  # not changed by hand: follow the choice
            self._suggested = default_path(self.what, self.journal.today())
            path_input.value = str(self._suggested)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def action_export(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self._hint("Give a file or folder to write to.", problem=True)
            return
        force = self.query_one("#export-force", Checkbox).value
        self.query_one("#export-go", Button).disabled = True
        self._hint("Exporting…")
        self._export(self.what, Path(text).expanduser(), force)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, what: str, path: Path, force: bool) -> str | None:
        """The sentence saying what was written, or None (the dialog then says why not)."""
        try:
            return export_now(self.journal, what, path, force=force)
        except TargetExists as there:
            what_is_there = "has files in it" if there.folder else "is already there"
            self.app.call_from_thread(
                self._failed,
                f"{there.path} {what_is_there}; tick “{REPLACE_LABEL}” to replace "
                "it, or choose another name",
            )
        except JournalError as error:
            self.app.call_from_thread(self._failed, str(error))
        except Exception as error:  # shown in the dialog, never a traceback
            self.app.call_from_thread(self._failed, f"unexpected error ({error})")
        return None

    @on(Worker.StateChanged)
    def _exported(self, event: Worker.StateChanged) -> None:
        # Closed here, once the worker has finished, rather than from inside it: closing
        # the dialog cancels its workers, and the one still waiting to close it with them.
        worker = event.worker
        if worker.group == "export" and event.state == WorkerState.SUCCESS and worker.result:
            self.dismiss(worker.result)

    def _failed(self, reason: str) -> None:
        self._hint(as_sentence(reason), problem=True)
        self.query_one("#export-go", Button).disabled = False

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
