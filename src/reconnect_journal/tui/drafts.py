"""Drafts: keeping what is being written, and offering what was left behind.

`DraftKeeper` writes one editor's draft from the UI thread or from worker threads,
and makes sure an older snapshot never lands on top of a newer one.

`offer_pending_drafts` runs once the journal is open: drafts left behind (the app was
killed, the terminal closed, the power went) are offered one after another, newest
first, to continue writing or to discard.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import WorkerCancelled, WorkerFailed

from reconnect_journal.core.errors import JournalError, NotFoundError
from reconnect_journal.core.model import Draft, Entry

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.tui.app import JournalApp


class DraftKeeper:
    """Keeps one editor's draft in the journal, in order, from any thread.

    Each snapshot of the form gets a generation number on the UI thread. A write whose
    generation is not newer than the last one written is skipped, so a slow worker can
    never put older words over newer ones. Once closed (the entry was saved, or the
    draft was discarded on purpose) nothing more is written.
    """

    def __init__(self, journal: JournalService, key: str) -> None:
        self.journal = journal
        self.key = key
        self._lock = threading.Lock()
        self._issued = 0
        self._written = 0
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def next_generation(self) -> int:
        """A number for the snapshot about to be written (call on the UI thread)."""
        self._issued += 1
        return self._issued

    def write(self, draft: Draft | None, generation: int) -> bool:
        """Store `draft` (None: remove the stored one). False when it was out of date."""
        with self._lock:
            if self._closed or generation <= self._written:
                return False
            if draft is None:
                self.journal.discard_draft(self.key)
            else:
                self.journal.save_draft(draft)
            self._written = generation
            return True

    def close(self, *, discard: bool = True) -> None:
        """Write nothing more; with `discard`, first remove the stored draft.

        If removing fails, the keeper stays open (the words are still only a draft).
        """
        with self._lock:
            if discard:
                self.journal.discard_draft(self.key)
            self._closed = True


def write_unsaved_words(
    journal_path: Path, text: str, now: dt.datetime, path: Path | None = None
) -> Path:
    """Words that cannot go into a damaged journal, in a private (0600) file beside it:
    `<journal>.unsaved-<time>.md`, or `path` again when given. Returns where they are."""
    from reconnect_journal.paths import PRIVATE_FILE_MODE

    if path is None:
        stamp = now.astimezone().strftime("%Y%m%d-%H%M%S")
        path = journal_path.with_name(f"{journal_path.name}.unsaved-{stamp}.md")
        count = 1
        while path.exists():
            count += 1
            path = journal_path.with_name(f"{journal_path.name}.unsaved-{stamp}-{count}.md")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        if hasattr(os, "fchmod"):
            os.fchmod(handle.fileno(), PRIVATE_FILE_MODE)
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return path


# -- drafts left behind ----------------------------------------------------------------


@dataclass(frozen=True)
class PendingDraft:
    draft: Draft
    # The entry the changes are for, while it is still in the journal (not in the trash).
    entry: Entry | None

    @property
    def entry_is_gone(self) -> bool:
        """Changes to an entry that has since been deleted: they can become a new entry."""
        return not self.draft.for_new_entry and self.entry is None


def load_pending(journal: JournalService, window: str | None = None) -> list[PendingDraft]:
    """Every draft left behind, newest first, with the entry it belongs to (runs in a thread).

    A new entry's draft that another open window is writing is not left behind: it is
    that window's, and not offered here (`window` is this one's token)."""
    from reconnect_journal.tui.windows import window_is_open

    take_back_leftovers(journal, window)
    pending = []
    for draft in journal.pending_drafts():
        owner = draft.window
        if owner is not None and owner != window and window_is_open(journal.store.path, owner):
            continue
        entry = None
        if draft.entry_id is not None:
            try:
                entry = journal.get(draft.entry_id)
            except NotFoundError:
                entry = None
        pending.append(PendingDraft(draft, entry))
    return pending


def take_back_leftovers(journal: JournalService, window: str | None = None) -> int:
    """Files the other editor (ctrl+o) was working on in a window that was killed: their
    words become the draft they belonged to (or a draft of their own, if that draft
    changed since), and the file, an unencrypted copy, is removed. Files of windows that
    are still open are left alone. Returns how many were taken back."""
    from reconnect_journal.tui.external_editor import TMP_FOLDER, leftovers
    from reconnect_journal.tui.windows import new_token, window_is_open

    path = journal.store.path
    taken = 0
    for left in leftovers(path.parent / TMP_FOLDER / path.stem):
        if left.window is not None and (left.window == window or window_is_open(path, left.window)):
            continue  # still being written in an open window
        try:
            text = left.path.read_text(encoding="utf-8", errors="replace")
            written = dt.datetime.fromtimestamp(left.path.stat().st_mtime, dt.UTC)
        except OSError:
            continue
        text = text.removesuffix("\n")
        drafts = {draft.key: draft for draft in journal.pending_drafts()}
        before = drafts.get(left.draft_key) if left.draft_key else None
        if before is not None and before.body.rstrip("\n") == text.rstrip("\n"):
            draft = None  # nothing was written in the other editor
        elif before is not None and _not_after(before.updated_at, written):
            draft = replace(before, body=text)  # its newest words
        elif before is None and left.draft_key is not None:
            draft = Draft(left.draft_key, text, entry_id=_entry_of(left.draft_key))
        else:
            # Its draft changed since (or is not known): the words become a draft of
            # their own, offered beside it.
            draft = Draft(f"new:.{new_token()}", text)
        try:
            if draft is not None and not draft.is_blank():
                journal.save_draft(draft)
        except JournalError:
            continue  # kept for the next start
        left.path.unlink(missing_ok=True)
        taken += 1
    return taken


def _not_after(moment: dt.datetime | None, then: dt.datetime) -> bool:
    if moment is None:
        return True
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment <= then


def _entry_of(key: str | None) -> int | None:
    if key and key.startswith("entry:") and key[len("entry:") :].isdigit():
        return int(key[len("entry:") :])
    return None


def offer_pending_drafts(app: JournalApp, journal: JournalService) -> None:
    """After opening: if drafts were left behind, offer to continue or discard them."""

    async def load_then_offer() -> None:
        loader = app.run_worker(
            partial(load_pending, journal, app.window_token),
            name="load pending drafts",
            group="pending-drafts-load",
            thread=True,
            exit_on_error=False,
        )
        try:
            pending = await loader.wait()
        except WorkerCancelled:
            return
        except WorkerFailed as failed:
            app.notify(
                "Unsaved drafts could not be looked for just now "
                f"({failed.error}); they are still kept, and will be offered next time.",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        if pending:
            DraftOffers(app, journal, pending).offer_next()

    app.run_worker(load_then_offer(), name="offer pending drafts", group="pending-drafts")


def _being_written(app: JournalApp, key: str) -> bool:
    """True when an editor with this draft is already open (it took the draft over)."""
    from reconnect_journal.tui.screens.editor import EntryEditorScreen

    return any(
        isinstance(screen, EntryEditorScreen) and screen.draft_key == key
        for screen in app.screen_stack
    )


class DraftOffers:
    """Offers drafts one at a time; the next one comes once the last is dealt with."""

    def __init__(self, app: JournalApp, journal: JournalService, pending: list[PendingDraft]):
        self.app = app
        self.journal = journal
        self.queue = list(pending)
        self.total = len(pending)

    def offer_next(self) -> None:
        from reconnect_journal.tui.screens.draft_recovery import DraftRecoveryScreen

        while self.queue:
            pending = self.queue.pop(0)
            if _being_written(self.app, pending.draft.key):
                continue
            position = self.total - len(self.queue)
            screen = DraftRecoveryScreen(self.journal, pending, position=position, total=self.total)
            self.app.push_screen(screen, partial(self._answered, pending))
            return

    def _answered(self, pending: PendingDraft, answer: str | None) -> None:
        if answer == "continue":
            self._continue(pending)
        elif answer == "discarded":
            self.offer_next()
        else:  # "later", or the dialog went away
            self.queue.clear()

    def _continue(self, pending: PendingDraft) -> None:
        self.app.open_editor(pending.entry, draft=pending.draft, then=self.offer_next)
