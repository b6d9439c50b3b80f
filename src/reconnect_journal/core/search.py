"""Search: what a person types, turned into an SQLite FTS5 query and a set of filters.

Accepted in the words of a search:

- `word`: entries with that word (in the title, the text or the tags); every word must
  appear. Case and accents do not matter.
- `"exact phrase"`: those words together, in that order (a lone `"` runs to the end).
- `walk*`: words starting with "walk".
- `-word`, `NOT word`, `-"a phrase"`: leave out entries that have it.
- `title:word`, `body:word`, `tags:word`: that word in one place only.
- filters, which become chips in the journal window: `barrier:grief`, `barriers:all`
  (an entry must carry every barrier asked for, not any), `tag:walk`, `from:DAY`,
  `to:DAY` (a DAY with spaces in quotes: `from:"3 weeks ago"`), `emotional:2-4`,
  `physical:1-3`, `has:prompt`, `is:starred`, `is:shared`.

Every word is handed to FTS5 inside quotes, so nothing typed is read as FTS5 syntax:
`AND`, `OR`, `NEAR`, parentheses, `^`, `:` and stray `*` are plain text (or dropped when
they hold no letters or digits). What cannot be understood is one clear InputError.
Never imports Textual or the store.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from typing import Any

from reconnect_journal.core.barriers import Barrier, parse_barrier
from reconnect_journal.core.dates import parse_day, parse_range_end
from reconnect_journal.core.errors import InputError
from reconnect_journal.core.model import Entry, EntryQuery, entry_to_json
from reconnect_journal.core.tags import normalize_tag

# The longest name a saved search may have.
NAME_CHARS = 60

# How the store marks the matched words in a snippet (characters no one types).
MARK_START = "\x02"
MARK_END = "\x03"
SNIPPET_WORDS = 16

COLUMNS = ("title", "body", "tags")
FILTER_KEYS = (
    "barrier",
    "barriers",
    "tag",
    "from",
    "to",
    "emotional",
    "physical",
    "has",
    "is",
)
SYNTAX_HELP = (
    'words, "an exact phrase", the start of a word followed by *, or -word to leave one out'
)
FILTER_HELP = (
    "barrier:KEY, barriers:all, tag:TAG, from:DAY, to:DAY, emotional:MIN-MAX, "
    "physical:MIN-MAX, has:prompt, is:starred, is:shared"
)


# -- filters ---------------------------------------------------------------------------


def parse_range(text: str, what: str) -> tuple[int, int]:
    """A 1-5 rating range as typed: `2-4`, or `3` for exactly 3."""
    raw = text.strip()
    low, sep, high = raw.partition("-")
    try:
        first = int(low)
        last = int(high) if sep else first
    except ValueError:
        raise InputError(
            f"{what} '{text}' is not a range; give MIN-MAX with whole numbers from 1 to 5 "
            "(for example 2-4), or one number"
        ) from None
    if not (1 <= first <= 5 and 1 <= last <= 5):
        raise InputError(f"{what} '{text}' is out of range; use whole numbers from 1 to 5")
    if first > last:
        raise InputError(f"{what} '{text}' goes downwards; give the lower number first")
    return first, last


def _range_text(span: tuple[int, int]) -> str:
    return str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}"


@dataclass(frozen=True)
class Chip:
    """One filter as shown (and removed) in the journal window: `token` is how it is typed."""

    token: str
    label: str


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search besides its words. Empty means every live entry."""

    barriers: tuple[Barrier, ...] = ()
    all_barriers: bool = False  # every barrier listed, not any of them
    tags: tuple[str, ...] = ()  # any of them
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    emotional: tuple[int, int] | None = None
    physical: tuple[int, int] | None = None
    has_prompt: bool = False
    starred: bool = False
    shared: bool = False

    def is_empty(self) -> bool:
        return self == SearchFilters()

    def check(self) -> SearchFilters:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError(
                f"from {self.date_from} is after to {self.date_to}; give the earlier day first"
            )
        return self

    # -- typed tokens ------------------------------------------------------------------

    def with_token(self, key: str, value: str, today: dt.date | None = None) -> SearchFilters:
        """These filters with one more, typed as `key:value` (InputError if not understood)."""
        key = key.lower()
        value = value.strip()
        if key == "barrier":
            barrier = parse_barrier(value)
            if barrier in self.barriers:
                return self
            return replace(self, barriers=(*self.barriers, barrier))
        if key == "barriers":
            if value.lower() not in ("all", "any"):
                raise InputError(f"barriers:{value} is not understood; use barriers:all or any")
            return replace(self, all_barriers=value.lower() == "all")
        if key == "tag":
            tag = normalize_tag(value)
            return self if tag in self.tags else replace(self, tags=(*self.tags, tag))
        if key == "from":
            return replace(self, date_from=parse_day(value, today))
        if key == "to":
            return replace(self, date_to=parse_range_end(value, self.date_from, today))
        if key == "emotional":
            return replace(self, emotional=parse_range(value, "emotional closeness"))
        if key == "physical":
            return replace(self, physical=parse_range(value, "physical intimacy"))
        flag = (key, value.lower())
        if flag == ("has", "prompt"):
            return replace(self, has_prompt=True)
        if flag == ("is", "starred"):
            return replace(self, starred=True)
        if flag == ("is", "shared"):
            return replace(self, shared=True)
        raise InputError(f"'{key}:{value}' is not a filter; use one of: {FILTER_HELP}")

    def chips(self) -> list[Chip]:
        chips = [Chip(f"barrier:{b.value}", f"barrier: {b.value}") for b in self.barriers]
        if self.all_barriers:
            chips.append(Chip("barriers:all", "all of these barriers"))
        chips.extend(Chip(f"tag:{t}", f"#{t}") for t in self.tags)
        if self.date_from:
            chips.append(Chip(f"from:{self.date_from}", f"from {self.date_from}"))
        if self.date_to:
            chips.append(Chip(f"to:{self.date_to}", f"to {self.date_to}"))
        if self.emotional:
            text = _range_text(self.emotional)
            chips.append(Chip(f"emotional:{text}", f"emotional {text}"))
        if self.physical:
            text = _range_text(self.physical)
            chips.append(Chip(f"physical:{text}", f"physical {text}"))
        if self.has_prompt:
            chips.append(Chip("has:prompt", "answers a prompt"))
        if self.starred:
            chips.append(Chip("is:starred", "starred"))
        if self.shared:
            chips.append(Chip("is:shared", "shared"))
        return chips

    def without(self, token: str) -> SearchFilters:
        """These filters with the one typed as `token` taken away."""
        key, _, value = token.partition(":")
        if key == "barrier":
            return replace(self, barriers=tuple(b for b in self.barriers if b.value != value))
        if key == "barriers":
            return replace(self, all_barriers=False)
        if key == "tag":
            return replace(self, tags=tuple(t for t in self.tags if t != value))
        if key == "from":
            return replace(self, date_from=None)
        if key == "to":
            return replace(self, date_to=None)
        if key == "emotional":
            return replace(self, emotional=None)
        if key == "physical":
            return replace(self, physical=None)
        if key == "has":
            return replace(self, has_prompt=False)
        if key == "is" and value == "starred":
            return replace(self, starred=False)
        if key == "is" and value == "shared":
            return replace(self, shared=False)
        return self

    # -- saved searches ------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "barriers": [b.value for b in self.barriers],
            "all_barriers": self.all_barriers,
            "tags": list(self.tags),
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "emotional": list(self.emotional) if self.emotional else None,
            "physical": list(self.physical) if self.physical else None,
            "has_prompt": self.has_prompt,
            "starred": self.starred,
            "shared": self.shared,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SearchFilters:
        def span(value: Any) -> tuple[int, int] | None:
            return (int(value[0]), int(value[1])) if value else None

        def day(value: Any) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        return cls(
            barriers=tuple(Barrier(b) for b in data.get("barriers", ())),
            all_barriers=bool(data.get("all_barriers", False)),
            tags=tuple(data.get("tags", ())),
            date_from=day(data.get("from")),
            date_to=day(data.get("to")),
            emotional=span(data.get("emotional")),
            physical=span(data.get("physical")),
            has_prompt=bool(data.get("has_prompt", False)),
            starred=bool(data.get("starred", False)),
            shared=bool(data.get("shared", False)),
        )


# -- the words -------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str  # as typed, without quotes, `*` or `-`
    phrase: bool = False
    prefix: bool = False
    negated: bool = False
    column: str | None = None

    def to_fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        if self.prefix:
            quoted += "*"
        return f"{self.column} : {quoted}" if self.column else quoted


@dataclass(frozen=True)
class ParsedSearch:
    terms: tuple[Term, ...] = ()
    filters: SearchFilters = field(default_factory=SearchFilters)

    @property
    def has_words(self) -> bool:
        return any(not term.negated for term in self.terms)

    def match(self) -> str | None:
        """The FTS5 MATCH expression, or None when there are no words to look for."""
        wanted = [term.to_fts() for term in self.terms if not term.negated]
        unwanted = [term.to_fts() for term in self.terms if term.negated]
        if not wanted:
            return None
        expression = "(" + " AND ".join(wanted) + ")"
        return expression + "".join(f" NOT {term}" for term in unwanted)

    def marks(self, text: str, column: str) -> list[tuple[int, int]]:
        """Where the words looked for are in `text`, one of an entry's COLUMNS, as
        (start, end) offsets in order: each positive term wherever FTS5 would match it
        there (case and accents aside, `walk*` as a word's start, a phrase as its words in
        a row, `title:` only in the title). Words left out (`-rain`) are never marked."""
        tokens = _word_tokens(text)
        spans: list[tuple[int, int]] = []
        for term in self.terms:
            if term.negated or (term.column is not None and term.column != column):
                continue
            wanted = [word for _, _, word in _word_tokens(term.text)]
            if not wanted:
                continue
            *whole, last = wanted
            size = len(wanted)
            for i in range(len(tokens) - size + 1):
                found = tokens[i + size - 1][2]
                if not (found.startswith(last) if term.prefix else found == last):
                    continue
                if all(tokens[i + k][2] == word for k, word in enumerate(whole)):
                    spans.append((tokens[i][0], tokens[i + size - 1][1]))
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged


def _is_word_char(char: str) -> bool:
    """A character FTS5's unicode61 tokenizer keeps in a word: letters, digits, private
    use (its "L* N* Co"), and combining marks, which `remove_diacritics` then drops."""
    category = unicodedata.category(char)
    return category[0] in "LN" or category in ("Co", "Mn")


def _fold(word: str) -> str:
    """A word as unicode61 with `remove_diacritics 2` indexes it: accents off, lower case."""
    bare = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
    return bare.lower()


def _word_tokens(text: str) -> list[tuple[int, int, str]]:
    """The words of `text` as FTS5 reads them: (start, end, folded word)."""
    tokens: list[tuple[int, int, str]] = []
    start = None
    for i, char in enumerate(text):
        if _is_word_char(char):
            if start is None:
                start = i
        elif start is not None:
            tokens.append((start, i, _fold(text[start:i])))
            start = None
    if start is not None:
        tokens.append((start, len(text), _fold(text[start:])))
    return tokens


def _has_text(token: str) -> bool:
    return any(char.isalnum() for char in token)


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The text after the quote at `start` up to the closing one (or the end)."""
    end = text.find('"', start + 1)
    if end == -1:
        return text[start + 1 :], len(text)
    return text[start + 1 : end], end + 1


def _tokens(text: str) -> list[tuple[str, bool, bool]]:
    """(token, was_quoted, ends_the_text) in order; `key:"quoted value"` stays one token."""
    tokens: list[tuple[str, bool, bool]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        if text[i] == '"' or (text[i] == "-" and i + 1 < n and text[i + 1] == '"'):
            negate = "-" if text[i] == "-" else ""
            value, i = _read_quoted(text, i + len(negate))
            star = ""
            if i < n and text[i] == "*":
                star, i = "*", i + 1
            tokens.append((negate + '"' + value + '"' + star, True, i >= n))
            continue
        while i < n and not text[i].isspace():
            if text[i] == '"':
                if text[start:i].endswith(":"):  # key:"a value with spaces"
                    value, i = _read_quoted(text, i)
                    tokens.append((text[start:i].split('"', 1)[0] + value, False, i >= n))
                    start = -1
                break
            i += 1
        if start != -1:
            tokens.append((text[start:i], False, i >= n))
    return tokens


def parse_search(
    text: str,
    *,
    filters: SearchFilters | None = None,
    today: dt.date | None = None,
    as_you_type: bool = False,
) -> ParsedSearch:
    """Words and filters from what was typed (filters typed in it join `filters`).

    `as_you_type`: the last word, still being typed, also matches longer words (`riv`
    finds "river"), once it has two letters.
    """
    found = filters or SearchFilters()
    terms: list[Term] = []
    negate_next = False
    for token, quoted, at_end in _tokens(text):
        negated = negate_next
        negate_next = False
        if quoted:
            if token.startswith("-"):
                negated, token = True, token[1:]
            prefix = token.endswith("*")
            words = token.rstrip("*")[1:-1]
            if _has_text(words):
                terms.append(Term(words, phrase=True, prefix=prefix, negated=negated))
            continue
        if token == "NOT":
            negate_next = True
            continue
        if token == "AND":  # every word must appear anyway
            continue
        if token.startswith("-") and len(token) > 1:
            negated, token = True, token[1:]
        column = None
        key, colon, value = token.partition(":")
        if colon and key.isalpha() and value:
            lowered = key.lower()
            if lowered in COLUMNS:
                column, token = lowered, value
            elif lowered in FILTER_KEYS:
                if negated:
                    raise InputError(
                        f"'-{key}:{value}': a filter cannot be negated; use it without the '-'"
                    )
                found = found.with_token(lowered, value, today)
                continue
            else:
                raise InputError(
                    f"'{key}:' is not a filter; use one of: {FILTER_HELP} "
                    f'(or put it in quotes, "{token}", to look for the words)'
                )
        token = token.lstrip("#@")
        prefix = token.endswith("*")
        word = token.rstrip("*")
        if not _has_text(word):
            continue
        if as_you_type and at_end and not prefix and not negated and len(word) >= 2:
            prefix = True
        terms.append(Term(word, prefix=prefix, negated=negated, column=column))
    return ParsedSearch(tuple(terms), found.check())


def check_words(parsed: ParsedSearch, text: str) -> ParsedSearch:
    """InputError when the words only say what to leave out (`-dishes`, with or without
    filters): there is nothing to look for, and the words left out would be ignored.

    The one rule for the command line, the journal window and saved searches."""
    if parsed.terms and not parsed.has_words:
        raise InputError(f"'{text}' only says what to leave out; add at least one word to look for")
    return parsed


def require_words(parsed: ParsedSearch, text: str) -> ParsedSearch:
    """For a search that must have words (the command line without filters)."""
    check_words(parsed, text)
    if not parsed.has_words:
        raise InputError(f"nothing to search for in '{text}'; give {SYNTAX_HELP}")
    return parsed


# -- what is asked and what is found ---------------------------------------------------


@dataclass(frozen=True)
class Search:
    """A search as kept (and saved): the words typed, and the filters beside them."""

    text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)

    def is_empty(self) -> bool:
        return not self.text.strip() and self.filters.is_empty()

    def filters_json(self) -> str:
        return json.dumps(self.filters.to_json(), sort_keys=True)


@dataclass(frozen=True)
class SearchQuery(EntryQuery):
    """An EntryQuery for a search (the journal window pages through it like a list)."""

    search: Search = field(default_factory=Search)
    as_you_type: bool = False


@dataclass(frozen=True)
class FoundEntry(Entry):
    """An entry found by a search: its best snippet (matches between MARK_START and
    MARK_END) and its bm25 rank (lower is a better match; None when only filtered)."""

    snippet: str = ""
    rank: float | None = None

    @classmethod
    def of(cls, entry: Entry, snippet: str, rank: float | None) -> FoundEntry:
        values = {f.name: getattr(entry, f.name) for f in fields(Entry)}
        return cls(**values, snippet=snippet, rank=rank)


@dataclass(frozen=True)
class SavedSearch:
    name: str
    search: Search


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """The snippet as (text, is_a_match) pieces, on one line."""
    parts: list[tuple[str, bool]] = []
    text = " ".join(snippet.split())
    while text:
        start = text.find(MARK_START)
        if start == -1:
            parts.append((text, False))
            break
        if start:
            parts.append((text[:start], False))
        end = text.find(MARK_END, start)
        if end == -1:
            end = len(text)
        parts.append((text[start + 1 : end], True))
        text = text[end + 1 :]
    return [(piece, match) for piece, match in parts if piece]


# A search result's row starts this many characters (whole words) before the first
# matched word at most, so a narrow list still shows the word.
SNIPPET_LEAD = 12


def lead_to_first_match(
    parts: list[tuple[str, bool]], lead: int = SNIPPET_LEAD
) -> list[tuple[str, bool]]:
    """`parts` (from snippet_parts) starting at most `lead` characters before the first
    match, at a word's start; what is cut off becomes "…"."""
    first = next((i for i, (_, match) in enumerate(parts) if match), None)
    if first is None:
        return parts
    before = "".join(text for text, _ in parts[:first])
    if len(before) <= lead:
        return parts
    cut = len(before) - lead
    if not before[cut - 1].isspace():
        space = before.find(" ", cut)
        cut = len(before) if space == -1 else space + 1
    kept = before[cut:].lstrip()
    return [("…" + kept, False), *parts[first:]]


def plain_snippet(snippet: str, start: str = "**", end: str = "**") -> str:
    """The snippet with the matched words between `start` and `end` (Markdown bold)."""
    return "".join(
        f"{start}{text}{end}" if match else text for text, match in snippet_parts(snippet)
    )


def found_to_json(found: FoundEntry) -> dict[str, Any]:
    """An entry as in `list --json`, plus its "snippet" (matches in **bold**) and "rank"."""
    data = entry_to_json(found)
    data["snippet"] = plain_snippet(found.snippet)
    data["rank"] = None if found.rank is None else round(found.rank, 6)
    return data


_FILTER_TOKEN = re.compile(
    r"(?<!\S)(" + "|".join(FILTER_KEYS) + r'):("[^"]*"|[^\s"]+)', re.IGNORECASE
)


def lift_filters(
    text: str, filters: SearchFilters, *, today: dt.date | None = None, final: bool = False
) -> tuple[str, SearchFilters]:
    """Move filters typed among the words (`tag:walk `) into `filters`.

    Only finished ones move: followed by a space, or anywhere when `final` (Enter was
    pressed). Returns the words left and the filters; InputError for a filter that is not
    understood (nothing moves then)."""
    pieces: list[str] = []
    last = 0
    for found in _FILTER_TOKEN.finditer(text):
        end = found.end()
        finished = end < len(text) and text[end].isspace()
        if not (finished or (final and end == len(text))):
            continue
        filters = filters.with_token(found.group(1), found.group(2).strip('"'), today)
        pieces.append(text[last : found.start()])
        last = end
    if not pieces:
        return text, filters
    pieces.append(text[last:])
    words = " ".join("".join(pieces).split())
    if words and text[-1:].isspace():
        words += " "
    return words, filters
