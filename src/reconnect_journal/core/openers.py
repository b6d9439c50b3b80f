"""Conversation openers: from an entry, a soft way to begin talking with a partner.

A gentle start-up names a feeling, the situation it is about (not what the other person
is), and what would help, in that order: "I feel lonely about our evenings lately. What
I need is some time that's just ours." The journal helps draft one and keeps it beside
the entry. Nothing is ever sent anywhere: the words are the writer's to use, or not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.dates import format_timestamp
from reconnect_journal.core.errors import InputError

MAX_PART = 300

# Feeling words to pick from, by the barriers an entry is tagged with. Soft, first-person
# words: they describe the writer's side, never the partner's faults.
FEELINGS: dict[Barrier | None, tuple[str, ...]] = {
    Barrier.SHAME: ("shy", "exposed", "unsure of myself", "nervous"),
    Barrier.RESENTMENT: ("hurt", "tired", "let down", "frustrated"),
    Barrier.TRUST: ("uneasy", "worried", "unsettled", "unsure"),
    Barrier.UNSEEN: ("lonely", "unnoticed", "far from you", "unheard"),
    Barrier.GRIEF: ("sad", "heavy", "raw", "tender"),
    None: ("hopeful", "nervous", "close to you", "a bit lost"),
}

# Shown beside the form: how a gentle start tends to go.
GUIDANCE = (
    "Start with “I” and a feeling, rather than “you always” or “you never”.",
    "Describe one moment or situation, not the kind of person they are.",
    "Say what you need as something they could do, not what they should stop.",
    "Pick a calm moment, and let it be a beginning rather than the whole talk.",
)


@dataclass(frozen=True)
class OpenerParts:
    feeling: str
    about: str
    need: str


@dataclass(frozen=True)
class ConversationOpener:
    id: int
    entry_id: int
    feeling: str
    about: str
    need: str
    text: str
    created_at: dt.datetime  # aware, UTC
    updated_at: dt.datetime  # aware, UTC


@dataclass(frozen=True)
class ImportedOpener:
    """An opener brought in with its entry from an export: it keeps its own words and
    timestamps (the entry it belongs to gives its place)."""

    feeling: str
    about: str
    need: str
    text: str
    created_at: dt.datetime  # aware
    updated_at: dt.datetime | None = None  # aware; None means created_at


# The keys of an opener in every export (JSON, the Markdown marker, front matter).
OPENER_KEYS = ("feeling", "about", "need", "text", "created_at", "updated_at")


def opener_to_json(opener: ConversationOpener) -> dict[str, Any]:
    """An opener as it travels with its entry (`entry_to_json`'s "openers")."""
    return {
        "feeling": opener.feeling,
        "about": opener.about,
        "need": opener.need,
        "text": opener.text,
        "created_at": format_timestamp(opener.created_at),
        "updated_at": format_timestamp(opener.updated_at),
    }


def check_imported_opener(opener: ImportedOpener) -> ImportedOpener:
    """An opener read from a file, as it can be kept; InputError saying why not. Its words
    are kept exactly as they were written here (only a blank opener, or one no export
    could hold, is refused)."""
    if not opener.text.strip():
        raise InputError("its conversation opener has no text")
    if any("\x00" in part for part in (opener.feeling, opener.about, opener.need, opener.text)):
        raise InputError("its conversation opener holds a NUL character (\\0)")
    if opener.created_at.tzinfo is None or (
        opener.updated_at is not None and opener.updated_at.tzinfo is None
    ):
        raise InputError("its conversation opener's time has no time zone")
    return replace(opener, updated_at=opener.updated_at or opener.created_at)


def feelings_for(barriers: tuple[Barrier, ...]) -> tuple[str, ...]:
    """Feeling words that fit the entry's barriers first, then general ones; no repeats."""
    words: list[str] = []
    for key in (*barriers, None):
        for word in FEELINGS[key]:
            if word not in words:
                words.append(word)
    return tuple(words)


def _clause(text: str) -> str:
    """One tidy clause: spaces folded, no trailing full stop (the template adds it)."""
    return " ".join(text.split()).rstrip(" .")


def _strip_lead(text: str, *leads: str) -> str:
    """ "I feel lonely" typed in the feeling box becomes "lonely" (the template says it)."""
    lower = text.lower()
    for lead in leads:
        if lower.startswith(lead + " "):
            return text[len(lead) + 1 :].lstrip()
    return text


def tidy_parts(feeling: str, about: str, need: str) -> OpenerParts:
    """The three parts as typed, tidied (whatever is missing stays empty)."""
    return OpenerParts(
        feeling=_strip_lead(_clause(feeling), "i feel", "i'm feeling", "i am feeling"),
        about=_strip_lead(_clause(about), "about"),
        need=_strip_lead(_clause(need), "what i need is", "i need"),
    )


def clean_parts(feeling: str, about: str, need: str) -> OpenerParts:
    """The three parts tidied; InputError naming what is missing or too long."""
    parts = tidy_parts(feeling, about, need)
    for name, value in (("feeling", parts.feeling), ("need", parts.need)):
        if not value:
            raise InputError(f"the opener needs a {name}; a word or two is enough")
    for name, value in vars(parts).items():
        if len(value) > MAX_PART:
            raise InputError(f"the {name} is {len(value)} characters; keep it under {MAX_PART}")
    return parts


def compose_opener(parts: OpenerParts) -> str:
    """ "I feel … about … . What I need is … ." from the three parts."""
    first = f"I feel {parts.feeling}"
    if parts.about:
        first += f" about {parts.about}"
    return f"{first}. What I need is {parts.need}."
