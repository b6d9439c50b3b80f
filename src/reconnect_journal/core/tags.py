"""Free tags: stored lowercase without '#'/'@'; '#words' in a body are picked up."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reconnect_journal.core.errors import InputError

# A '#' that starts a word (not '# Heading', not 'page#anchor') followed by a letter.
_HASHTAG = re.compile(r"(?<![\w#&/])#([^\W\d_][\w-]*)")
_VALID = re.compile(r"^[^\W_][\w-]*$")


def normalize_tag(raw: str) -> str:
    tag = raw.strip().lstrip("#@").lower()
    if not _VALID.match(tag):
        raise InputError(
            f"'{raw}' is not a usable tag; a tag is one word of letters, digits, '-' or '_'"
        )
    return tag


def extract_hashtags(body: str) -> list[str]:
    """The '#words' written in a body, lowercased, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in _HASHTAG.finditer(body):
        seen.setdefault(match.group(1).rstrip("-").lower(), None)
    return list(seen)


def merge_tags(explicit: Iterable[str], body: str) -> list[str]:
    """Explicit tags plus the body's hashtags, without duplicates, sorted."""
    tags = {normalize_tag(t) for t in explicit}
    tags.update(extract_hashtags(body))
    return sorted(tags)
