"""Free tags: stored lowercase without '#'/'@'; '#words' in a body are picked up.

One rule everywhere: a tag is one word of letters, digits, '-' or '_' (`normalize_tag`).
Where several are typed on one line (the editor's Tags box), spaces or commas separate them,
so "late night" is two tags and "late-night" one (`parse_tags`); the command line takes one
tag per `--tag` and refuses "late night" with the same explanation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from reconnect_journal.core.errors import InputError

# A '#' that starts a word (not '# Heading', not 'page#anchor') followed by a letter.
# The '#' comes before the look back, so the search jumps from '#' to '#' instead of
# looking back at every character (30x faster over a long journal).
_HASHTAG = re.compile(r"#(?<![\w#&/]#)([^\W\d_][\w-]*)")
_VALID = re.compile(r"^[^\W_][\w-]*$")
# Between tags typed on one line.
TAG_SEPARATORS = re.compile(r"[\s,]+")


def normalize_tag(raw: str) -> str:
    tag = raw.strip().lstrip("#@").lower()
    usable = _lowered(tag)
    if usable is None:
        accepted = "a tag is one word of letters, digits, '-' or '_'"
        joined = "-".join(tag.split())
        if joined != tag and _VALID.match(joined):
            accepted += f" (such as {joined})"
        raise InputError(f"'{raw}' is not a usable tag; {accepted}")
    return usable


def split_tags(text: str) -> list[str]:
    """The tags typed on one line, as typed: spaces or commas separate them."""
    return [word for word in TAG_SEPARATORS.split(text) if word]


def parse_tags(text: str) -> list[str]:
    """The tags typed on one line, each normalised; InputError names the first unusable one."""
    return [normalize_tag(word) for word in split_tags(text)]


def extract_hashtags(body: str) -> list[str]:
    """The '#words' written in a body, lowercased, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in _HASHTAG.finditer(body):
        tag = _lowered(match.group(1).rstrip("-"))
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def _lowered(word: str) -> str | None:
    """`word` in lower case, as a usable tag. Lowercasing can add a combining mark ('İ'
    becomes 'i' and a dot above), which a tag cannot hold: such marks are left out."""
    tag = word.lower()
    if _VALID.match(tag):
        return tag
    tag = "".join(c for c in unicodedata.normalize("NFC", tag) if unicodedata.category(c)[0] != "M")
    return tag if _VALID.match(tag) else None


def merge_tags(explicit: Iterable[str], body: str) -> list[str]:
    """Explicit tags plus the body's hashtags, without duplicates, sorted."""
    tags = {normalize_tag(t) for t in explicit}
    tags.update(extract_hashtags(body))
    return sorted(tags)
