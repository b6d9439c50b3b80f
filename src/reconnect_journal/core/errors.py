"""Errors the user can act on. Their text is shown as-is, on one line."""


class JournalError(Exception):
    """Something went wrong at run time (not found, damaged file, I/O). Exit status 1."""

    exit_code = 1


class InputError(JournalError):
    """What the user gave was not understood. Exit status 2.

    The message says what was wrong and what is accepted.
    """

    exit_code = 2


class NotFoundError(JournalError):
    """No entry with that id."""


class EntryInTrash(NotFoundError):
    """The entry asked for is in the trash (moved there here or somewhere else)."""


class NotInTrash(JournalError):
    """The entry exists but is not in the trash (undelete, purge). Exit status 1."""


class EditConflict(JournalError):
    """The entry was changed elsewhere (another window) since it was read."""
