"""Plain domain objects for entries, and the one JSON shape of an entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, TypeAlias

from reconnect_journal.core.barriers import Barrier, validate_intensity
from reconnect_journal.core.dates import format_timestamp
from reconnect_journal.core.errors import InputError
from reconnect_journal.core.openers import ConversationOpener, ImportedOpener, opener_to_json

TagSource: TypeAlias = Literal["user", "suggestion"]
RATING_RANGE = range(1, 6)
# SQLite's largest integer: no id can be larger, and no count or limit needs to be.
MAX_INTEGER = 2**63 - 1


@dataclass(frozen=True)
class BarrierTag:
    barrier: Barrier
    intensity: int = 1
    source: TagSource = "user"


@dataclass(frozen=True)
class Entry:
    id: int
    uuid: str
    date: dt.date
    created_at: dt.datetime  # aware, UTC
    updated_at: dt.datetime  # aware, UTC
    title: str | None
    body: str
    emotional_closeness: int | None = None
    physical_intimacy: int | None = None
    barriers: tuple[BarrierTag, ...] = ()
    tags: tuple[str, ...] = ()
    starred: bool = False
    share: bool = False
    prompt_id: str | None = None
    deleted_at: dt.datetime | None = None
    reframe_shown: bool = False  # the "spice it up" note was shown for it (at most once)
    version: int = 1  # bumped on every save: a second window can tell its copy is stale
    # Conversation openers kept beside it, oldest first (they travel with it in exports).
    openers: tuple[ConversationOpener, ...] = ()

    @property
    def headline(self) -> str:
        """The title, or the body's first line, for lists."""
        if self.title:
            return self.title
        for line in self.body.splitlines():
            line = line.strip().lstrip("#").strip()
            if line:
                return line
        return ""

    @property
    def barrier_map(self) -> dict[str, int]:
        return {tag.barrier.value: tag.intensity for tag in self.barriers}


@dataclass
class NewEntry:
    body: str
    date: dt.date | None = None
    title: str | None = None
    barriers: list[BarrierTag] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    emotional_closeness: int | None = None
    physical_intimacy: int | None = None
    starred: bool = False
    share: bool = False
    prompt_id: str | None = None
    reframe_shown: bool = False


@dataclass
class ImportedEntry:
    """An entry brought in from a file: it keeps its own id and timestamps."""

    body: str
    date: dt.date
    created_at: dt.datetime  # aware
    updated_at: dt.datetime | None = None  # aware; None means created_at
    uuid: str | None = None  # None gets a new one
    title: str | None = None
    barriers: list[BarrierTag] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    emotional_closeness: int | None = None
    physical_intimacy: int | None = None
    starred: bool = False
    share: bool = False
    prompt_id: str | None = None
    in_trash: bool = False  # it was in the trash where it came from (`trash --json`)
    openers: list[ImportedOpener] = field(default_factory=list)  # from our own exports


class _Keep(Enum):
    KEEP = "keep"


KEEP: Literal[_Keep.KEEP] = _Keep.KEEP


@dataclass
class EntryChanges:
    """Fields to change on edit; anything left at KEEP stays as it is."""

    body: str | Literal[_Keep.KEEP] = KEEP
    date: dt.date | Literal[_Keep.KEEP] = KEEP
    title: str | Literal[_Keep.KEEP] | None = KEEP
    barriers: list[BarrierTag] | Literal[_Keep.KEEP] = KEEP
    tags: list[str] | Literal[_Keep.KEEP] = KEEP
    emotional_closeness: int | Literal[_Keep.KEEP] | None = KEEP
    physical_intimacy: int | Literal[_Keep.KEEP] | None = KEEP
    starred: bool | Literal[_Keep.KEEP] = KEEP
    share: bool | Literal[_Keep.KEEP] = KEEP
    reframe_shown: bool | Literal[_Keep.KEEP] = KEEP

    def is_empty(self) -> bool:
        return all(value is KEEP for value in vars(self).values())


@dataclass(frozen=True)
class EntryQuery:
    """Which entries to list: newest first (journal day, then creation time)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    barriers: tuple[Barrier, ...] = ()  # any of them
    tags: tuple[str, ...] = ()  # any of them
    text: str | None = None  # words that must all appear in the title, body or tags
    limit: int | None = 20
    offset: int = 0
    deleted: bool = False  # True lists the trash instead


@dataclass
class Draft:
    """What is in the editor and not yet saved. Not validated: half-written is fine."""

    # "entry:<id>" when editing an existing entry. A new entry's: "new:<window>.<n>", its
    # window's token and a number, so two windows never write over each other's (plain
    # "new" from before windows had tokens).
    key: str
    body: str
    entry_id: int | None = None
    date: dt.date | None = None
    title: str | None = None
    barriers: list[BarrierTag] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    emotional_closeness: int | None = None
    physical_intimacy: int | None = None
    prompt_id: str | None = None
    updated_at: dt.datetime | None = None
    reframe_shown: bool = False

    @staticmethod
    def key_for(entry_id: int | None) -> str:
        return "new" if entry_id is None else f"entry:{entry_id}"

    @staticmethod
    def new_entry_key(window: str, number: str) -> str:
        """The key of a new entry's draft written by the window with this token."""
        return f"new:{window}.{number}"

    @property
    def for_new_entry(self) -> bool:
        return self.key == "new" or self.key.startswith("new:")

    @property
    def window(self) -> str | None:
        """The token of the window that wrote this new entry's draft, if known."""
        if not self.key.startswith("new:"):
            return None
        return self.key[len("new:") :].split(".", 1)[0] or None

    def is_blank(self) -> bool:
        return not self.body.strip() and not (self.title or "").strip()


def validate_rating(value: int | None, what: str) -> int | None:
    if value is not None and value not in RATING_RANGE:
        raise InputError(f"{what} {value} is out of range; use a whole number from 1 to 5")
    return value


def parse_rating(text: str, what: str) -> int:
    """A 1-5 rating as typed by a person."""
    try:
        value = int(text.strip())
    except ValueError:
        raise InputError(
            f"{what} '{text}' is not a whole number from 1 to 5; use 1, 2, 3, 4 or 5"
        ) from None
    result = validate_rating(value, what)
    assert result is not None
    return result


def parse_entry_id(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(f"'{text}' is not an entry id; ids are whole numbers shown by 'list'")
    return value


def validate_body(body: str) -> str:
    if not body.strip():
        raise InputError("the entry is empty; write some text (or pass '-' to read it from stdin)")
    _refuse_nul(body, "text")
    return body


def _refuse_nul(text: str, what: str) -> None:
    # No tool reads a NUL back as text: an export holding one would not import again.
    if "\x00" in text:
        raise InputError(
            f"the {what} holds a NUL character (\\0), as a binary file does; "
            "an entry can hold any other text"
        )


def clean_title(title: str | None) -> str | None:
    if title is None:
        return None
    _refuse_nul(title, "title")
    title = " ".join(title.split())
    return title or None


def validate_barrier_tags(tags: list[BarrierTag]) -> list[BarrierTag]:
    """One tag per barrier (the last one given wins), intensities 1-3."""
    by_key: dict[Barrier, BarrierTag] = {}
    for tag in tags:
        validate_intensity(tag.intensity)
        by_key[tag.barrier] = tag
    return [by_key[b] for b in Barrier if b in by_key]


def entry_to_json(entry: Entry) -> dict[str, Any]:
    """The JSON object of an entry, shared by `show --json`, `list --json` and exports.
    "openers" is there only for an entry that has some, so that entries without any look
    as they always have."""
    data: dict[str, Any] = {
        "id": entry.id,
        "uuid": entry.uuid,
        "date": entry.date.isoformat(),
        "created_at": format_timestamp(entry.created_at),
        "updated_at": format_timestamp(entry.updated_at),
        "title": entry.title,
        "body": entry.body,
        "barriers": entry.barrier_map,
        "barrier_sources": {tag.barrier.value: tag.source for tag in entry.barriers},
        "tags": list(entry.tags),
        "emotional_closeness": entry.emotional_closeness,
        "physical_intimacy": entry.physical_intimacy,
        "starred": entry.starred,
        "share": entry.share,
        "prompt_id": entry.prompt_id,
        "deleted": entry.deleted_at is not None,
    }
    if entry.openers:
        data["openers"] = [opener_to_json(opener) for opener in entry.openers]
    return data
