"""Importing a file: read it, check every entry, skip what is already here, and add the
rest in one transaction (everything or nothing)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reconnect_journal.core.errors import InputError, JournalError
from reconnect_journal.core.model import ImportedEntry
from reconnect_journal.io.readers import (
    KIND_NAMES,
    KINDS,
    Kind,
    Parsed,
    Problem,
    detect,
    parse_source,
    read_source,
)
from reconnect_journal.store.queries import import_stamp

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

LISTED_PROBLEMS = 10


@dataclass
class ImportReport:
    kind: Kind
    added: int = 0
    already_there: int = 0
    unreadable: list[Problem] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    older_copies: int = 0  # the same entry twice in what was read: the newest was used
    already_in_trash: int = 0  # of already_there: found in the trash, and left there
    to_trash: int = 0  # added straight to the trash (`trash --json`)

    def summary_lines(self) -> list[str]:
        """What happened, for a person: counts first, then what was left out and where."""
        noun = "entry" if self.added == 1 else "entries"
        lines = [
            f"Imported {KIND_NAMES[self.kind]}: {self.added} {noun} added, "
            f"{self.already_there} already in the journal (skipped), "
            f"{len(self.unreadable)} not understood."
        ]
        for problem in self.unreadable:
            lines.append(f"  not imported: {problem}")
        for attachment in self.attachments:
            lines.append(f"  attachment not imported: {attachment}")
        if self.to_trash:
            was = "it was" if self.to_trash == 1 else "they were"
            lines.append(f"  {self.to_trash} went back to the trash, as {was} in the file")
        if self.older_copies:
            copies = "copy" if self.older_copies == 1 else "copies"
            lines.append(
                f"  {self.older_copies} more {copies} of an entry that is in the file more "
                "than once (skipped): the most recently changed one was used"
            )
        if self.already_in_trash:
            one = self.already_in_trash == 1
            lines.append(
                f"  {self.already_in_trash} of those already in the journal "
                f"{'is' if one else 'are'} in the trash, and stayed there: 'trash' lists "
                f"{'it' if one else 'them'}, 'undelete ID' brings one back"
            )
        for note in self.notes:
            lines.append(f"  note: {note}")
        return lines


def _newest_of_each(
    checked: list[tuple[str, ImportedEntry]], report: ImportReport
) -> list[tuple[str, ImportedEntry]]:
    """One copy of each entry (by uuid): the most recently changed. A folder exported into
    twice may hold an older copy of an entry under its old title."""
    newest: dict[str, int] = {}
    for index, (_where, entry) in enumerate(checked):
        assert entry.uuid is not None and entry.updated_at is not None
        seen = newest.get(entry.uuid)
        if seen is None:
            newest[entry.uuid] = index
            continue
        report.older_copies += 1
        previous = checked[seen][1]
        assert previous.updated_at is not None
        if entry.updated_at > previous.updated_at:
            newest[entry.uuid] = index
    if not report.older_copies:
        return checked
    keep = set(newest.values())
    return [item for index, item in enumerate(checked) if index in keep]


def parse_kind(text: str) -> Kind | None:
    """`--from`: one of the kinds, or 'auto' (None)."""
    value = text.strip().lower()
    if value == "auto":
        return None
    if value not in KINDS:
        raise InputError(f"unknown --from '{text}'; use one of: auto, " + ", ".join(KINDS))
    return value  # type: ignore[return-value]


def _place(problem: Problem) -> tuple[str, int]:
    """Where a problem is, for listing them in file order: 'line 53' before 'line 142'."""
    head, _, number = problem.where.rpartition(" ")
    return (head, int(number)) if number.isdigit() else (problem.where, 0)


def _problem_list(problems: list[Problem]) -> str:
    shown = "; ".join(str(p) for p in problems[:LISTED_PROBLEMS])
    more = len(problems) - LISTED_PROBLEMS
    return shown + (f"; and {more} more" if more > 0 else "")


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """An import keeps every entry of the file until its one transaction ends, and makes no
    reference cycles: Python's cycle collector would only walk those live entries again and
    again (about a fifth of a big import's time). Paused while it runs, then as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class ReadFile:
    """A file read for import, before the journal is opened: a file that cannot be read
    never opens (or creates) the journal."""

    kind: Kind
    path: Path
    parsed: Parsed


def read_import(
    path: Path,
    kind: Kind | None = None,
    *,
    data: bytes | None = None,
    timeformat: str | None = None,
) -> ReadFile:
    """Read the file at `path`, or `data` (what was piped in to `import -`)."""
    with cycle_collection_paused():
        source = read_source(path, data)
        kind = kind or detect(source)
        if timeformat is not None and kind != "jrnl":
            raise InputError(
                f"--timeformat is for jrnl text journals, and {source.path} is "
                f"{KIND_NAMES[kind]}; leave --timeformat out"
            )
        return ReadFile(kind, source.path, parse_source(source, kind, timeformat=timeformat))


def run_import(
    journal: JournalService,
    path: Path,
    kind: Kind | None = None,
    *,
    skip_unreadable: bool = False,
    data: bytes | None = None,
    timeformat: str | None = None,
) -> ImportReport:
    """Import the file at `path`, or `data` (what was piped in to `import -`)."""
    read = read_import(path, kind, data=data, timeformat=timeformat)
    return add_read(journal, read, skip_unreadable=skip_unreadable)


def add_read(
    journal: JournalService, read: ReadFile, *, skip_unreadable: bool = False
) -> ImportReport:
    """Check every entry of a file read for import, and add the new ones (all or none)."""
    with cycle_collection_paused():
        return _add(journal, read, skip_unreadable)


def _add(journal: JournalService, read: ReadFile, skip_unreadable: bool) -> ImportReport:
    path, parsed = read.path, read.parsed
    report = ImportReport(
        read.kind,
        unreadable=list(parsed.problems),
        attachments=parsed.attachments,
        notes=parsed.notes,
    )
    checked: list[tuple[str, ImportedEntry]] = []
    made_up: set[str] = set()  # uuids given here, to entries the file gave none
    for where, entry in parsed.entries:
        try:
            checked.append((where, journal.check_imported(entry)))
            if entry.uuid is None:
                made_up.add(checked[-1][1].uuid or "")
        except InputError as exc:
            report.unreadable.append(Problem(where, str(exc).split(";")[0]))
    report.unreadable.sort(key=_place)
    if report.unreadable and not skip_unreadable:
        count = len(report.unreadable)
        raise JournalError(
            f"{count} {'entry' if count == 1 else 'entries'} in {path} could not be read "
            f"({_problem_list(report.unreadable)}); nothing was imported. "
            f"Fix {'it' if count == 1 else 'them'}, or add --skip-unreadable to import the rest"
        )
    if not checked and not parsed.entries and not report.unreadable:
        raise JournalError(f"{path} has no entries to import; nothing was imported")
    known = journal.import_keys()
    new: list[ImportedEntry] = []
    for _where, entry in _newest_of_each(checked, report):
        assert entry.uuid is not None
        stamp = import_stamp(entry.date, entry.created_at, entry.body)
        trashed = known.uuids.get(entry.uuid)
        if trashed is None:
            trashed = known.stamps.get(stamp)
        if trashed is not None:
            report.already_there += 1
            report.already_in_trash += trashed
            continue
        # Entries of one file that carry uuids of their own are all different entries,
        # even when written in the same second with the same words; one without is the
        # same as an earlier one of the file with the same stamp.
        if entry.uuid in made_up:
            known.stamps[stamp] = False
        new.append(entry)
    report.added = journal.add_imported(new)
    report.to_trash = sum(entry.in_trash for entry in new)
    return report
