"""An entry changed, trashed or removed somewhere else (another window, a command in
another terminal) while this window showed it: said in the window's own words.

The journal's own messages for these cases are written for the command line (they name
commands to type); inside the window, keys and screens are named instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from reconnect_journal.core.errors import (
    EditConflict,
    EntryInTrash,
    JournalError,
    NotFoundError,
    NotInTrash,
)


@dataclass(frozen=True)
class ElsewhereNotes:
    """What to say for each case; a screen may say it its own way."""

    in_trash: str = (
        "This entry was moved to the Trash from somewhere else; press 4 to see the Trash."
    )
    restored: str = (
        "This entry was brought back from the Trash somewhere else; it is in your journal again."
    )
    removed: str = "This entry was removed for good from somewhere else."
    changed: str = (
        "This entry was changed somewhere else meanwhile, so nothing was changed here; "
        "it now shows as it was saved."
    )


def changed_elsewhere(error: JournalError, notes: ElsewhereNotes | None = None) -> str | None:
    """The note for `error` when it means the entry changed somewhere else, else None."""
    notes = notes or ElsewhereNotes()
    if isinstance(error, EntryInTrash):
        return notes.in_trash
    if isinstance(error, NotInTrash):
        return notes.restored
    if isinstance(error, NotFoundError):
        return notes.removed
    if isinstance(error, EditConflict):
        return notes.changed
    return None


def kept_both_note(why: JournalError, new_id: int) -> str:
    """The editor saved its words as a new entry (`new_id`) because the entry it was
    changing was changed, trashed or removed somewhere else (`why`) meanwhile."""
    kept = f"what you wrote here is saved as a new entry ({new_id})"
    if isinstance(why, EntryInTrash):
        return (
            f"This entry was moved to the Trash from somewhere else meanwhile, so {kept}; "
            "the one in the Trash stays there (press 4 to see it)."
        )
    if isinstance(why, NotFoundError):
        return f"This entry was removed for good from somewhere else meanwhile, so {kept}."
    return f"This entry was changed somewhere else meanwhile. Both are kept: {kept} beside it."
