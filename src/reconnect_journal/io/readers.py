"""Reading other journals' files into entries: jrnl (plain text and JSON), Day One (JSON or
its export zip), and our own Markdown (both layouts) and JSON.

Each reader returns what it understood and, with where it was, what it did not. A file that
cannot be read as a whole raises JournalError and nothing is imported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import uuid as uuid_module
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, get_args

from reconnect_journal.core.barriers import BARRIER_KEYS, Barrier
from reconnect_journal.core.errors import InputError, JournalError
from reconnect_journal.core.model import BarrierTag, ImportedEntry, TagSource
from reconnect_journal.core.openers import OPENER_KEYS, ImportedOpener
from reconnect_journal.core.tags import extract_hashtags, normalize_tag
from reconnect_journal.io.export import (
    ENTRY_MARKER,
    EXPORT_MARKER,
    FRONT_MATTER,
    MARKER_END,
    OPENER_LINE,
)
from reconnect_journal.io.markdown_body import decode_body, markdown_parser

Kind = Literal["jrnl", "jrnl-json", "dayone", "markdown", "json"]
KINDS: tuple[str, ...] = get_args(Kind)
KIND_NAMES = {
    "jrnl": "a jrnl journal",
    "jrnl-json": "a jrnl JSON export",
    "dayone": "a Day One export",
    "markdown": "a Reconnect Journal Markdown export",
    "json": "a Reconnect Journal JSON export",
}
# jrnl entries given only a day get jrnl's own default time.
DATE_ONLY_TIME = dt.time(9, 0)
_NAMESPACE = uuid_module.UUID("6f1d7c52-3a0e-4d8e-9a4c-1b2f7e0c9d11")


@dataclass(frozen=True)
class Problem:
    where: str  # "line 12", or "file.md line 1"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Parsed:
    kind: Kind
    entries: list[tuple[str, ImportedEntry]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # skipped, never silently
    notes: list[str] = field(default_factory=list)  # how something unclear was read
    # Tags as written that had to change to be tags here (None: left out), for a note.
    changed_tags: dict[str, str | None] = field(default_factory=dict)


class Unreadable(Exception):
    """One entry could not be understood; the reader records it and goes on."""


# -- the source ---------------------------------------------------------------------


@dataclass
class Source:
    path: Path
    text: str | None = None  # None for a folder
    zip_attachments: list[str] = field(default_factory=list)
    parsed_json: list[Any] = field(default_factory=list)  # the text as JSON, once parsed
    member: str | None = None  # the file in a zip that the text is from
    # A Day One zip of several journals holds one JSON file each: the rest of them.
    other_journals: list[Source] = field(default_factory=list)

    def json(self) -> Any:
        """The text parsed as JSON (once), or JournalError saying where it is not JSON."""
        assert self.text is not None
        if not self.parsed_json:
            name = f"{self.member} in {self.path}" if self.member else str(self.path)
            self.parsed_json.append(_parse_json(self.text, name))
        return self.parsed_json[0]


# How jrnl's encrypted journals begin: a Fernet token (jrnl 2 and 3, base64 text) or its
# own v3 header. Only jrnl can open them (jrnl 1's files are plain binary).
_JRNL_ENCRYPTED = (b"gAAAAA", b"JRNLv3")


ACCEPTED = (
    "import reads a jrnl journal (a file or a folder), a jrnl or Day One JSON export, "
    "a Day One zip, or a Markdown or JSON export of this journal"
)


def _decode(data: bytes, name: str) -> str:
    if data.startswith(_JRNL_ENCRYPTED):
        raise JournalError(
            f"{name} is an encrypted jrnl journal, which only jrnl can open; export it with "
            "`jrnl --format json --file journal.json`, import that file, then delete it. "
            "Nothing was imported"
        )
    if data.startswith(b"PK\x03\x04"):
        raise JournalError(
            f"{name} is a damaged or incomplete zip file; make the export again. "
            "Nothing was imported"
        )
    if b"\x00" in data[:8192]:
        raise JournalError(
            f"{name} looks like a binary file, not a journal; {ACCEPTED}. Nothing was imported"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise JournalError(
            f"{name} is not UTF-8 text (line {line}); save it as UTF-8 and try again. "
            "Nothing was imported"
        ) from None


def _read_zip(path: Path, data: bytes | None = None) -> Source:
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            found = [n for n in names if n.lower().endswith(".json")]
            # At the top, or in the one folder the export was zipped in again
            # ("Export/Journal.json"): the JSON files nearest the top.
            top = min((n.count("/") for n in found), default=0)
            journals = [n for n in found if n.count("/") == top]
            if len({n.rpartition("/")[0] for n in journals}) > 1:
                journals = []  # several folders each with JSON: not a Day One export
            if not journals:
                raise JournalError(
                    f"{path} is a zip file without a Day One Journal.json inside; "
                    "nothing was imported"
                )
            # One JSON file per journal (Journal.json for the first one); each is read.
            journals.sort(key=lambda n: (n.rpartition("/")[2] != "Journal.json", n))
            first, *others = [
                Source(path, _decode(archive.read(name), f"{path.name}:{name}"), member=name)
                for name in journals
            ]
    except zipfile.BadZipFile:
        raise JournalError(f"{path} is a damaged zip file; nothing was imported") from None
    first.zip_attachments = [n for n in names if n not in journals]
    first.other_journals = others
    return first


STDIN = Path("standard input")  # how `import -` names what was piped in


def read_source(path: Path, data: bytes | None = None) -> Source:
    """The file (or folder) at `path`; or, with `data`, what was piped in."""
    if data is not None:
        if zipfile.is_zipfile(io.BytesIO(data)):
            return _read_zip(STDIN, data)
        return Source(STDIN, _decode(data, str(STDIN)))
    path = path.expanduser()
    if path.is_dir():
        return Source(path)
    try:
        if zipfile.is_zipfile(path):
            return _read_zip(path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise JournalError(f"{path} does not exist; give the path of a file to import") from None
    except OSError as exc:
        raise JournalError(f"cannot read {path}: {exc.strerror}") from None
    return Source(path, _decode(data, str(path)))


# -- detecting the kind --------------------------------------------------------------

_JRNL_LINE = re.compile(r"^\[([^\]\n]+)\](?: (.*))?$")


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JournalError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "nothing was imported"
        ) from None


def _json_kind(data: Any) -> Kind | None:
    if isinstance(data, list):
        return "json"
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return None
    first = next((e for e in data["entries"] if isinstance(e, dict)), {})
    if "creationDate" in first or ("metadata" in data and "version" not in data):
        return "dayone"
    if "time" in first or ("tags" in data and isinstance(data["tags"], dict)):
        return "jrnl-json"
    if "version" in data or "created_at" in first:
        return "json"
    return None


def detect(source: Source) -> Kind:
    if source.text is None:
        if jrnl_day_files(source.path):
            return "jrnl"
        if not _markdown_files(source.path):
            raise JournalError(
                f"{source.path} is a folder with neither jrnl day files (YYYY/MM/DD.txt) nor "
                f"the Markdown files of a folder export; {ACCEPTED}. Nothing was imported"
            )
        return "markdown"
    text = source.text.lstrip()
    name = str(source.path)
    for line in text.splitlines()[:5]:
        match = _JRNL_LINE.match(line)
        if match and _timestamp_format(match[1]) is not None:
            return "jrnl"
    if text.startswith(("{", "[")):
        kind = _json_kind(source.json())
        if kind is None:
            raise JournalError(
                f"{name} is JSON, but not an export I know; "
                "use --from with one of: " + ", ".join(KINDS)
            )
        return kind
    if text.startswith(FRONT_MATTER) or EXPORT_MARKER in source.text[:4096]:
        return "markdown"
    raise JournalError(
        f"could not tell what kind of file {name} is; use --from with one of: " + ", ".join(KINDS)
    )


# -- shared mapping ------------------------------------------------------------------


# What a tag here cannot hold: runs of it become one '-' ("a/b" is "a-b").
_NOT_IN_TAG = re.compile(r"[^\w-]+")


def _fitting_tag(raw: str) -> str | None:
    """A foreign tag as a tag here (one word of letters, digits, '-', '_'), or None."""
    word = _NOT_IN_TAG.sub("-", raw.strip().lstrip("#@").lower()).strip("-_")
    try:
        return normalize_tag(word)
    except InputError:
        return None


def tags_and_barriers(
    raw_tags: list[str], changed: dict[str, str | None] | None = None
) -> tuple[list[str], list[BarrierTag]]:
    """Foreign tags: a tag naming a barrier (`@shame`, `#grief`) becomes that barrier tag;
    the rest become free tags, with spaces and other characters a tag cannot hold turned
    into '-' ("evening talks" and "a/b" are "evening-talks" and "a-b"; "c++" is "c"). Tags
    with no letter or digit are left out; the text keeps them. What had to change is
    added to `changed` (as written: as kept, or None), for the import to say."""
    free: list[str] = []
    barriers: list[BarrierTag] = []
    for raw in raw_tags:
        raw = str(raw)
        word = _fitting_tag(raw)
        if word in BARRIER_KEYS:
            barrier = Barrier(word)
            if all(b.barrier != barrier for b in barriers):
                barriers.append(BarrierTag(barrier, 1, "user"))
            continue
        if changed is not None and word != raw.strip().lstrip("#@").lower():
            changed[raw.strip()] = word
        if word is not None:
            free.append(word)
    return free, barriers


def changed_tags_note(changed: dict[str, str | None]) -> str:
    """One note for every tag that came in changed or was left out."""

    def listed(items: list[str]) -> str:
        return ", ".join(items[:8]) + (", …" if len(items) > 8 else "")

    kept = [f"{raw} became {word}" for raw, word in changed.items() if word is not None]
    left = [raw for raw, word in changed.items() if word is None]
    parts = []
    if kept:
        parts.append(f"some tags were changed to fit: {listed(kept)}")
    if left:
        parts.append(f"tags with no letter or digit were left out: {listed(left)}")
    return (
        "; ".join(parts) + " (a tag here is one word of letters, digits, '-' or '_'; "
        "the entries' text is unchanged)"
    )


def _local(moment: dt.datetime) -> dt.datetime:
    """A naive wall-clock time, read in this computer's time zone."""
    return moment.astimezone() if moment.tzinfo is None else moment


def _stable_uuid(kind: str, created: dt.datetime, text: str) -> str:
    """A uuid that is the same each time the same entry is imported: uuid5 in our namespace,
    worked out here without building a UUID object (which costs twice the hash itself)."""
    name = f"{kind}\0{created.isoformat()}\0{text}".encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE.bytes + name, usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _need(entry: dict[str, Any], key: str, kinds: type | tuple[type, ...] = str) -> Any:
    if key not in entry or entry[key] is None:
        raise Unreadable(f"it has no '{key}'")
    value = entry[key]
    if not isinstance(value, kinds) or (isinstance(value, bool) and kinds is not bool):
        raise Unreadable(f"its '{key}' is not {_type_name(kinds)}")
    return value


def _type_name(kinds: type | tuple[type, ...]) -> str:
    first = kinds[0] if isinstance(kinds, tuple) else kinds
    return {str: "text", int: "a number", bool: "true or false", list: "a list", dict: "a mapping"}[
        first
    ]


def _timestamp(value: Any, what: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return _local(value)
    if isinstance(value, dt.date):
        return _local(dt.datetime.combine(value, DATE_ONLY_TIME))
    if not isinstance(value, str):
        raise Unreadable(f"its {what} is missing")
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Unreadable(f"its {what} '{value}' is not a date and time") from None
    if len(value.strip()) == 10:
        moment = dt.datetime.combine(moment.date(), DATE_ONLY_TIME)
    return _local(moment)


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise Unreadable("it has no date")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise Unreadable(f"its date '{value}' is not a date like 2026-03-01") from None


# -- jrnl plain text -----------------------------------------------------------------

# The date and time halves of jrnl's `timeformat` setting as people set it; a journal's
# format is worked out from its own timestamps (see `_choose_format`).
_JRNL_DATES = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%m-%d-%Y",
    "%d-%m-%Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%B %d, %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%a, %b %d, %Y",
    "%a, %b %d %Y",
    "%A, %B %d, %Y",
    "%A, %B %d %Y",
    "%a %b %d %Y",
    "%A %B %d %Y",
    "%a, %d %b %Y",
    "%A, %d %B %Y",
    "%a %d %b %Y",
    "%A %d %B %Y",
)
_JRNL_TIMES = (" %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %I:%M%p", " %I:%M:%S%p", "")
_JRNL_FORMATS = tuple(day + time for day in _JRNL_DATES for time in _JRNL_TIMES)
# A bracketed line that looks like a date (even a broken one), not words such as '[Note 1]'.
_DATE_LIKE = re.compile(
    r"^\s*(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
    r"|(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,? )?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*,? \d)",
    re.IGNORECASE,
)
# A tag is the symbol and the word characters (and '-') at the start of the run after it.
# The look back after the tag sign, so it is only made at '@' and '#' (3x faster).
_JRNL_TAG = re.compile(r"[@#](?<!\S[@#])[-+*#/\w]+")
_SENTENCE = re.compile(
    r"([.!?\u2026\u203C\u203D\u2047\u2048\u2049\u22EF\uFE52\uFE57]['\u2019\"\u201D]?[\])]*\s+)"
    r"|[\uFF01\uFF0E\uFF1F\uFF61\u3002]"
)


def _strptime(blob: str, fmt: str) -> dt.datetime:
    if fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        if len(blob) != {"%Y-%m-%d %H:%M": 16, "%Y-%m-%d %H:%M:%S": 19, "%Y-%m-%d": 10}[fmt]:
            raise ValueError(blob)
        moment = dt.datetime.fromisoformat(blob)  # the fast path for jrnl's default
    else:
        moment = dt.datetime.strptime(blob, fmt)
    if "%H" not in fmt and "%I" not in fmt:
        moment = dt.datetime.combine(moment.date(), DATE_ONLY_TIME)
    return moment


# Where the time begins in a `timeformat` (its date half is what comes before).
_TIME_CODE = re.compile(r"%[HIMSpfXzZ]")
_DATE_HALF_END = re.compile(r"(?:[\s,]+at)?[\s,T]*$")
# A time of day in a bracketed line, as jrnl finds one even where the date is broken.
_HAS_TIME = re.compile(r"\d:\d\d")


@cache
def _date_half(fmt: str) -> str | None:
    """The date half of a `timeformat` with a time ('%Y-%m-%d' of '%Y-%m-%d %H:%M'): a
    day written without a time, in the journal's own format. None for a format without
    a time, or whose date does not come first and whole."""
    found = _TIME_CODE.search(fmt)
    if found is None:
        return None
    half = _DATE_HALF_END.sub("", fmt[: found.start()])
    codes = set(re.findall(r"%(.)", half))
    day = bool(codes & _MONTH_CODES and "d" in codes) or "j" in codes
    return half if codes & _YEAR_CODES and day else None


def _read_stamp(blob: str, fmt: str, *, day_alone: bool = True) -> dt.datetime:
    """A timestamp in the journal's format; or, with `day_alone`, a day in the format's
    date half, at DATE_ONLY_TIME (as jrnl reads '[2026-03-05] ...' among timed entries).
    ValueError when it is neither."""
    try:
        return _strptime(blob, fmt)
    except ValueError:
        half = _date_half(fmt) if day_alone else None
        if half is None:
            raise
        return _strptime(blob, half)


def _parses(blob: str, fmt: str) -> bool:
    try:
        _read_stamp(blob, fmt)
    except ValueError:
        return False
    return True


def _timestamp_format(blob: str) -> str | None:
    return next((fmt for fmt in _JRNL_FORMATS if _parses(blob, fmt)), None)


def _jrnl_would_date(blob: str) -> bool:
    """Whether jrnl would take '[blob] ' as an entry's timestamp: any date and time it can
    read, in any format, and a broken date that still holds a time (jrnl makes up a day
    for '[2024-02-31 09:00]'). What it cannot read at all ('[2026-13-01]', '[Note 1]') it
    keeps as text in the entry above."""
    return _timestamp_format(blob) is not None or bool(
        _DATE_LIKE.match(blob) and _HAS_TIME.search(blob)
    )


def jrnl_timeformat(text: str) -> str:
    """A `timeformat` as jrnl takes it, with the shorthands strptime lacks spelled out."""
    return text.replace("%F", "%Y-%m-%d").replace("%r", "%I:%M:%S %p").replace("%T", "%H:%M:%S")


def _jrnl_setting(journal: Path | None) -> str | None:
    """The `timeformat` jrnl uses on this computer for `journal`: that journal's own, in
    jrnl's settings, or else the settings' general one."""
    import yaml

    home = Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    for path in (config / "jrnl" / "jrnl.yaml", home / ".jrnl_config"):
        try:
            settings = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(settings, dict):
            continue
        found = settings.get("timeformat")
        journals = settings.get("journals")
        if journal is not None and isinstance(journals, dict):
            for item in journals.values():
                if isinstance(item, dict) and _same_path(item.get("journal"), journal):
                    found = item.get("timeformat", found)
        if isinstance(found, str) and found:
            return jrnl_timeformat(found)
    return None


def _same_path(setting: Any, journal: Path) -> bool:
    if not isinstance(setting, str) or not setting:
        return False
    try:
        return Path(setting).expanduser().resolve() == journal.expanduser().resolve()
    except (OSError, RuntimeError):
        return False


@dataclass(frozen=True)
class TimeFormat:
    fmt: str
    note: str | None = None  # how an ambiguous day/month order was settled


def _now() -> dt.datetime:
    return dt.datetime.now()


def _day_first(fmt: str) -> bool:
    return fmt.find("%d") < fmt.find("%m")


def _order_note(example: str, read: dt.datetime, fmt: str, why: str) -> str:
    order = "day" if _day_first(fmt) else "month"
    return (
        f"dates such as {example} could be day or month first; they were read {order} "
        f"first, as {read.day} {read:%B %Y}, {why}"
    )


def _choose_format(
    blobs: list[str], days: list[dt.date] | None = None, journal: Path | None = None
) -> TimeFormat | None:
    """The `timeformat` the journal was written with, from its timestamps.

    The formats that read most of the first timestamps are candidates. When more than
    one reads them all ('03/11/2026' either way), the one that reads the most of the
    whole journal wins, then (in a folder journal, where `days` gives the day of each
    timestamp's file) the one that puts the most entries on their file's day, then the
    one with fewer days still to come, then the one that keeps entries in order (jrnl
    keeps them so), then jrnl's own setting for this journal on this computer. When
    nothing tells, nothing is guessed: JournalError names --timeformat."""
    sample = blobs[:50]
    # Every format that reads the first timestamp that any format reads.
    candidates = next(
        (found for blob in sample if (found := [f for f in _JRNL_FORMATS if _parses(blob, f)])),
        None,
    )
    if candidates is None:
        return None
    scores = {fmt: sum(_parses(blob, fmt) for blob in sample) for fmt in candidates}
    best = max(scores.values())
    tied = [fmt for fmt in candidates if scores[fmt] == best]
    if len(tied) == 1:
        return TimeFormat(tied[0])

    now = _now()
    readings: dict[str, list[dt.datetime | None]] = {}
    for fmt in tied:
        reading: list[dt.datetime | None] = []
        for blob in blobs:
            try:
                reading.append(_read_stamp(blob, fmt))
            except ValueError:
                reading.append(None)
        readings[fmt] = reading

    def fit(fmt: str) -> tuple[int, int, int, int]:
        moments = [moment for moment in readings[fmt] if moment is not None]
        on_their_day = (
            sum(m is not None and m.date() == d for m, d in zip(readings[fmt], days, strict=True))
            if days is not None
            else 0
        )
        backwards = sum(a > b for a, b in pairwise(moments))
        return len(moments), on_their_day, -sum(m > now for m in moments), -backwards

    fits = {fmt: fit(fmt) for fmt in tied}
    top = max(fits.values())
    best_fits = [fmt for fmt in tied if fits[fmt] == top]
    chosen = best_fits[0]
    others = [fmt for fmt in tied if readings[fmt] != readings[chosen]]
    if not others:  # 'May' is %b and %B: the same reading whichever
        return TimeFormat(chosen)

    def first_difference(fmt: str, other: str) -> tuple[str, dt.datetime]:
        return next(
            (blob, moment)
            for blob, moment, theirs in zip(blobs, readings[fmt], readings[other], strict=True)
            if moment is not None and moment != theirs
        )

    if all(readings[fmt] == readings[chosen] for fmt in best_fits):
        runner = max(others, key=lambda fmt: fits[fmt])
        decided_by = next(
            i for i, (a, b) in enumerate(zip(top, fits[runner], strict=True)) if a != b
        )
        if decided_by < 2:  # the other order cannot read them all, or misplaces days
            return TimeFormat(chosen)
        why = (
            "since the other order would put entries in days still to come"
            if decided_by == 2
            else "the only order that keeps the entries in date order"
        )
        return TimeFormat(chosen, _order_note(*first_difference(chosen, runner), chosen, why))
    setting = _jrnl_setting(journal)
    if setting in best_fits:
        other = next(fmt for fmt in best_fits if readings[fmt] != readings[setting])
        why = "as jrnl's timeformat setting on this computer says"
        return TimeFormat(setting, _order_note(*first_difference(setting, other), setting, why))
    example, _ = first_difference(chosen, next(f for f in best_fits if f != chosen))
    day_first = next(fmt for fmt in best_fits if _day_first(fmt))
    month_first = next(fmt for fmt in best_fits if not _day_first(fmt))
    raise JournalError(
        f"dates such as {example} could be day or month first, and nothing in the journal "
        f"tells which; add --timeformat '{day_first}' (day first) or --timeformat "
        f"'{month_first}' (month first). Nothing was imported"
    )


_FORMAT_EXAMPLES = "'%Y-%m-%d %H:%M' or '%d/%m/%Y %H:%M'"
# The codes strptime reads; and those that, together, give a whole date.
_STRPTIME_CODES = frozenset("aAbBcdfGHIjmMpSuUVwWxXyYzZ%")
_YEAR_CODES = frozenset("YyG")
_MONTH_CODES = frozenset("mbB")
_WEEK_CODES = frozenset("UWV")
_WEEKDAY_CODES = frozenset("aAuw")


def check_timeformat(given: str) -> str:
    """`--timeformat` as strptime takes it. InputError when it is empty, holds a code
    strptime does not know, or does not give a whole date (without one, every entry
    would land on a day in 1900)."""
    if not given.strip():
        raise InputError(
            "--timeformat is empty; give jrnl's timeformat for this journal, such as "
            + _FORMAT_EXAMPLES
        )
    fmt = jrnl_timeformat(given)
    codes = re.findall(r"%([-_^#]?.?)", fmt, re.DOTALL)  # '%-d' whole, as it was typed
    unknown = next((code for code in codes if code not in _STRPTIME_CODES), None)
    if unknown is not None:
        what = f"holds %{unknown}" if unknown else "ends in a lone %"
        raise InputError(
            f"--timeformat '{given}' {what}, which is not a date or time code; use codes "
            "such as %Y (year), %m (month), %d (day) and %H:%M (time), as in " + _FORMAT_EXAMPLES
        )
    found = set(codes)
    day = bool(found & _MONTH_CODES and "d" in found) or "j" in found
    week_day = bool(found & _WEEK_CODES and found & _WEEKDAY_CODES)
    if not (found & {"c", "x"} or (found & _YEAR_CODES and (day or week_day))):
        raise InputError(
            f"--timeformat '{given}' does not give a whole date (day, month and year); "
            f"give jrnl's timeformat for this journal, such as {_FORMAT_EXAMPLES}"
        )
    return fmt


def _given_format(fmt: str, blobs: list[str]) -> TimeFormat:
    """`--timeformat`, checked against the journal's first timestamps."""
    fmt = check_timeformat(fmt)
    sample = blobs[:50]
    if sample and not any(_parses(blob, fmt) for blob in sample):
        example = dt.datetime(2020, 8, 29, 21, 40).strftime(fmt)
        raise InputError(
            f"--timeformat '{fmt}' reads none of the journal's timestamps (such as "
            f"[{sample[0]}]; it would read [{example}]); give jrnl's timeformat for this "
            f"journal, such as {_FORMAT_EXAMPLES}"
        )
    return TimeFormat(fmt)


def split_title(text: str) -> tuple[str, str]:
    """jrnl's title: up to the first line break, or else the first sentence."""
    newline = text.lstrip().find("\n")
    if newline >= 0:
        end = text.find("\n") + 1
    else:
        match = _SENTENCE.search(text)
        if not match:
            return text.strip(), ""
        end = match.end()
    return text[:end].strip(), text[end:].strip()


def jrnl_tags(text: str) -> list[str]:
    """The tags as jrnl reads them ('@c++' and '@a/b' whole)."""
    return _JRNL_TAG.findall(text)


def jrnl_entry(
    title: str,
    body: str,
    created: dt.datetime,
    tags: list[str],
    starred: bool,
    changed: dict[str, str | None] | None = None,
) -> ImportedEntry:
    title, body = title.strip(), body.strip()
    if not body:
        title, body = "", title
    if not body:
        raise Unreadable("it has no text")
    free, barriers = tags_and_barriers(tags, changed)
    # The id comes from the time as the journal writes it (wall-clock, no zone), so the
    # same journal imported again after the computer's time zone changed is still known.
    uuid = _stable_uuid("jrnl", created, f"{title}\n{body}")
    created = _local(created)
    return ImportedEntry(
        body=body,
        date=created.date(),
        created_at=created,
        uuid=uuid,
        title=title or None,
        barriers=barriers,
        tags=free,
        starred=starred,
    )


def _jrnl_starts(lines: list[str]) -> list[tuple[int, re.Match[str]]]:
    """The lines that may start an entry ('[timestamp] ...'), with their numbers."""
    return [
        (number, match)
        for number, line in enumerate(lines)
        if line.startswith("[") and (match := _JRNL_LINE.match(line.rstrip("\r")))
    ]


def _no_jrnl_entries(name: str) -> JournalError:
    return JournalError(
        f"{name} has no jrnl entries (lines like '[2020-08-29 11:11] Title.'); nothing was imported"
    )


def read_jrnl(
    text: str,
    name: str = "this file",
    chosen: TimeFormat | None = None,
    *,
    timeformat: str | None = None,
    journal: Path | None = None,
) -> Parsed:
    """A jrnl text journal. Its time format: `chosen` when already worked out (the day
    files of a folder journal share one), else `timeformat` as given, else worked out
    from its timestamps (and jrnl's settings for `journal`)."""
    parsed = Parsed("jrnl")
    lines = text.split("\n")
    starts = _jrnl_starts(lines)
    if chosen is None:
        blobs = [match[1] for _, match in starts]
        if not blobs:
            raise _no_jrnl_entries(name)
        if timeformat is not None:
            chosen = _given_format(timeformat, blobs)
        else:
            chosen = _choose_format(blobs, journal=journal)
        if chosen is None:
            raise _no_jrnl_entries(name)
        if chosen.note:
            parsed.notes.append(chosen.note)
    fmt = chosen.fmt
    # (line index, timestamp or a problem) for every line that starts an entry. As in
    # jrnl, only '[...] ' with a space after it can start one; a whole timestamp in the
    # journal's format does without (an editor may have taken the space off). A bracketed
    # line that jrnl would not read as a date stays in the entry above, as text.
    heads: list[tuple[int, dt.datetime | str, str]] = []
    for number, match in starts:
        spaced = match[2] is not None
        try:
            heads.append((number, _read_stamp(match[1], fmt, day_alone=spaced), match[2] or ""))
        except ValueError:
            if spaced and _jrnl_would_date(match[1]):
                sample = dt.datetime(2020, 8, 29, 21, 40)
                example = sample.strftime(fmt)  # as jrnl writes it
                half = _date_half(fmt)
                if half is not None:
                    example += f", or a day like {sample.strftime(half)}"
                heads.append((number, f"'[{match[1]}]' is not a date and time like {example}", ""))
    first = heads[0][0] if heads else len(lines)
    stray = next((n for n in range(first) if lines[n].strip()), None)
    if stray is not None:
        parsed.problems.append(Problem(f"line {stray + 1}", "text before the first entry"))
    for index, (number, when, first_line) in enumerate(heads):
        end = heads[index + 1][0] if index + 1 < len(heads) else len(lines)
        where = f"line {number + 1}"
        if isinstance(when, str):
            parsed.problems.append(Problem(where, when))
            continue
        raw = "\n".join([first_line, *lines[number + 1 : end]])
        starred = False
        head, _, rest = raw.partition("\n")
        if head.strip().endswith("*"):
            starred = True
            raw = head.strip("\n *") + "\n" + rest
        title, body = split_title(raw)
        try:
            entry = jrnl_entry(title, body, when, jrnl_tags(raw), starred, parsed.changed_tags)
        except Unreadable as exc:
            parsed.problems.append(Problem(where, str(exc)))
            continue
        parsed.entries.append((where, entry))
    return parsed


def jrnl_day_files(folder: Path) -> list[Path]:
    """The files of a jrnl folder journal, YYYY/MM/DD.txt, in date order."""
    return sorted(folder.glob("[0-9][0-9][0-9][0-9]/[01][0-9]/[0-3][0-9].txt"))


def read_jrnl_folder(folder: Path, timeformat: str | None = None) -> Parsed:
    """A jrnl folder journal: each day's file holds that day's entries, written as in a
    jrnl text journal. Problems are placed by file and line."""
    files = jrnl_day_files(folder)
    if not files:
        raise JournalError(f"{folder} has no jrnl day files (YYYY/MM/DD.txt); nothing was imported")
    parsed = Parsed("jrnl")
    texts: list[tuple[str, str]] = []
    blobs: list[str] = []
    days: list[dt.date] = []
    for path in files:
        name = path.relative_to(folder).as_posix()
        try:
            text = _decode(path.read_bytes(), "this file")
        except JournalError as exc:
            parsed.problems.append(Problem(f"{name} line 1", str(exc).split("; ")[0]))
            continue
        except OSError as exc:  # e.g. a day file the user may not read
            parsed.problems.append(Problem(f"{name} line 1", f"it cannot be read ({exc.strerror})"))
            continue
        if not text.strip():
            continue  # a day whose entries were all deleted: nothing to bring in
        texts.append((name, text))
        try:
            day = dt.date(int(name[:4]), int(name[5:7]), int(name[8:10]))
        except ValueError:  # 2024/02/31.txt: no day to go by
            continue
        for _, match in _jrnl_starts(text.split("\n")):
            blobs.append(match[1])
            days.append(day)
    # One format for the whole journal, read from every day's timestamps together, with
    # each file's own day as evidence: a single day's '03/04/2026' could be read either way.
    if timeformat is not None:
        chosen: TimeFormat | None = _given_format(timeformat, blobs)
    else:
        chosen = _choose_format(blobs, days, journal=folder)
    if chosen is not None and chosen.note:
        parsed.notes.append(chosen.note)
    for name, text in texts:
        if chosen is None:
            parsed.problems.append(
                Problem(f"{name} line 1", str(_no_jrnl_entries("this file")).split("; ")[0])
            )
            continue
        read = read_jrnl(text, chosen=chosen)
        parsed.changed_tags.update(read.changed_tags)
        day_parsed = _in_file(read, name)
        parsed.entries += day_parsed.entries
        parsed.problems += day_parsed.problems
    return parsed


def _in_file(parsed: Parsed, name: str | None) -> Parsed:
    """`parsed` with each place ("line 3") given as in file `name` ("2024/03/01.txt line 3")."""
    if name is None:
        return parsed
    return Parsed(
        parsed.kind,
        [(f"{name} {where}", entry) for where, entry in parsed.entries],
        [Problem(f"{name} {p.where}", p.reason) for p in parsed.problems],
        parsed.attachments,
        parsed.notes,
        parsed.changed_tags,
    )


# -- JSON with positions ---------------------------------------------------------------


def json_entries(text: str) -> Iterator[tuple[int, Any]]:
    """(line number, entry) for each item of the top-level "entries" array (or of a
    top-level array). The text has already been checked to be valid JSON."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")

    def skip(pos: int) -> int:
        match = ws.match(text, pos)
        assert match is not None
        return match.end()

    def array(pos: int) -> Iterator[tuple[int, Any]]:
        pos = skip(pos + 1)
        line, counted = 1, 0  # lines are counted once, from where the last count ended
        while text[pos] != "]":
            value, end = decoder.raw_decode(text, pos)
            line += text.count("\n", counted, pos)
            counted = pos
            yield line, value
            pos = skip(end)
            if text[pos] == ",":
                pos = skip(pos + 1)

    pos = skip(1 if text.startswith("\ufeff") else 0)
    if text[pos] == "[":
        yield from array(pos)
        return
    pos = skip(pos + 1)
    while text[pos] != "}":
        key, pos = decoder.raw_decode(text, pos)
        pos = skip(skip(pos) + 1)  # past ':'
        if key == "entries":
            yield from array(pos)
            return
        _, pos = decoder.raw_decode(text, pos)
        pos = skip(pos)
        if text[pos] == ",":
            pos = skip(pos + 1)


def _each_json_entry(text: str, kind: Kind, reader: Any) -> Parsed:
    parsed = Parsed(kind)
    for number, item in json_entries(text):
        where = f"line {number}"
        try:
            if not isinstance(item, dict):
                raise Unreadable("it is not an entry (a JSON object)")
            entry = reader(item, parsed)
        except Unreadable as exc:
            parsed.problems.append(Problem(where, str(exc)))
            continue
        if entry is not None:
            parsed.entries.append((where, entry))
    return parsed


def _check_shape(source: Source, name: str, kind: Kind) -> None:
    data = source.json()
    if not (isinstance(data, list) or (isinstance(data, dict) and "entries" in data)):
        raise JournalError(f"{name} is not {KIND_NAMES[kind]}; it has no list of entries")
    entries = data if isinstance(data, list) else data["entries"]
    if not isinstance(entries, list):
        raise JournalError(f"{name} is not {KIND_NAMES[kind]}; its 'entries' is not a list")
    # --from naming another kind than the entries plainly are would misread every one
    # (jrnl's times ignored, say): name the kind they are instead.
    first = next((e for e in entries if isinstance(e, dict)), {})
    keys = {"creationDate": "dayone", "created_at": "json", "time": "jrnl-json"}
    actual = next((k for key, k in keys.items() if key in first), None)
    if actual is not None and actual != kind:
        raise JournalError(
            f"{name} is {KIND_NAMES[actual]}, not {KIND_NAMES[kind]}; "
            f"use --from {actual}, or leave --from out; nothing was imported"
        )


# -- jrnl JSON -------------------------------------------------------------------------


def _jrnl_json_entry(item: dict[str, Any], parsed: Parsed) -> ImportedEntry:
    day = _day(_need(item, "date"))
    time_text = item.get("time")
    if time_text is None or time_text == "":
        when = DATE_ONLY_TIME
    else:
        try:
            when = dt.time.fromisoformat(str(time_text))
        except ValueError:
            raise Unreadable(f"its time '{time_text}' is not a time like 21:40") from None
    title = item.get("title") or ""
    body = item.get("body") or ""
    if not isinstance(title, str) or not isinstance(body, str):
        raise Unreadable("its title or body is not text")
    tags = item.get("tags") or []
    if not isinstance(tags, list):
        raise Unreadable("its 'tags' is not a list")
    return jrnl_entry(
        title,
        body,
        dt.datetime.combine(day, when),
        [str(t) for t in tags],
        bool(item.get("starred")),
        parsed.changed_tags,
    )


# -- Day One -----------------------------------------------------------------------------

_DAYONE_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_ATTACHMENT_KEYS = ("photos", "videos", "audios", "pdfAttachments")
# (more than one, one) of each, as the import summary names them.
_ATTACHMENT_NAMES = {
    "photos": ("photos", "photo"),
    "videos": ("videos", "video"),
    "audios": ("audio recordings", "audio recording"),
    "pdfAttachments": ("PDFs", "PDF"),
}


_DAYONE_MOMENT = re.compile(r"!\[[^\]\n]*\]\(dayone-moment:[^)\s]*\)")


def unescape_dayone(text: str) -> str:
    """Day One escapes Markdown punctuation (`\\.`, `\\-`, `\\(`): give the plain text."""
    return _DAYONE_ESCAPE.sub(r"\1", text)


def _zone(name: Any) -> dt.tzinfo | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(name, str) or not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _dayone_entry(item: dict[str, Any], parsed: Parsed) -> ImportedEntry | None:
    created = _timestamp(_need(item, "creationDate"), "creationDate")
    attachments = [
        f"{len(item[key])} {_ATTACHMENT_NAMES[key][len(item[key]) == 1]}"
        for key in _ATTACHMENT_KEYS
        if isinstance(item.get(key), list)
    ]
    text = item.get("text")
    label = f"entry of {created.date().isoformat()}"
    # A photo-only entry's text is just the photo's link: that is no text to keep.
    has_text = isinstance(text, str) and bool(_DAYONE_MOMENT.sub("", text).strip())
    if attachments:
        # A photo-only entry is common in Day One: it is listed, and the rest goes in.
        left_out = "" if has_text else " (with no text, so the entry was not imported)"
        parsed.attachments.append(f"{label}: {', '.join(attachments)}{left_out}")
    if not has_text:
        if not attachments:
            parsed.notes.append(f"the {label} has no text; it was left out")
        return None
    assert isinstance(text, str)
    zone = _zone(item.get("timeZone"))
    local = created.astimezone(zone) if zone else created.astimezone()
    modified = item.get("modifiedDate")
    updated = _timestamp(modified, "modifiedDate") if modified else created
    raw_uuid = item.get("uuid")
    try:
        entry_uuid = str(uuid_module.UUID(str(raw_uuid))) if raw_uuid else None
    except ValueError:
        entry_uuid = None
    tags = item.get("tags") or []
    body = unescape_dayone(text).strip("\n")
    # Day One keeps tags in a list, but people also write '#grief' in the text.
    written = [str(t) for t in tags] if isinstance(tags, list) else []
    free, barriers = tags_and_barriers(
        written + [f"#{t}" for t in extract_hashtags(body)], parsed.changed_tags
    )
    return ImportedEntry(
        body=body,
        date=local.date(),
        created_at=created,
        updated_at=updated,
        uuid=entry_uuid or _stable_uuid("dayone", created, text),
        barriers=barriers,
        tags=free,
        starred=bool(item.get("starred")),
    )


# -- our own JSON and Markdown ------------------------------------------------------------------


def _intensity(value: Any, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Unreadable(f"the intensity of '{key}' is not a number 1-3")
    return value


def _barriers(raw: Any, sources: Any) -> list[BarrierTag]:
    if raw is None:
        return []
    if isinstance(raw, list):
        raw = {str(key): 1 for key in raw}
    if not isinstance(raw, dict):
        raise Unreadable("its 'barriers' is not a mapping of barrier to intensity")
    sources = sources if isinstance(sources, dict) else {}
    tags = []
    for key, value in raw.items():
        try:
            barrier = Barrier(str(key).strip().lower())
        except ValueError:
            raise Unreadable(f"'{key}' is not one of the five barriers") from None
        source: TagSource = "suggestion" if sources.get(key) == "suggestion" else "user"
        tags.append(BarrierTag(barrier, _intensity(value, str(key)), source))
    return tags


def _rating(item: dict[str, Any], key: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Unreadable(f"its '{key}' is not a number 1-5")
    return value


def _text_list(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if not isinstance(value, list):
        raise Unreadable(f"its '{key}' is not a list")
    return [str(v) for v in value]


def _optional_text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise Unreadable(f"its '{key}' is not text")
    return value


def _openers(raw: Any) -> list[ImportedOpener]:
    """An entry's conversation openers, as every export of ours writes them."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise Unreadable("its 'openers' is not a list")
    openers = []
    for item in raw:
        if not isinstance(item, dict):
            raise Unreadable("one of its 'openers' is not a set of 'key: value' fields")
        parts = {key: "" if item.get(key) is None else item[key] for key in OPENER_KEYS[:4]}
        for key, value in parts.items():
            if not isinstance(value, str):
                raise Unreadable(f"the '{key}' of one of its 'openers' is not text")
        created = _timestamp(item.get("created_at"), "opener's 'created_at'")
        updated = item.get("updated_at")
        openers.append(
            ImportedOpener(
                **parts,
                created_at=created,
                updated_at=created
                if updated is None
                else _timestamp(updated, "opener's 'updated_at'"),
            )
        )
    return openers


def _our_entry(item: dict[str, Any], *, created_key: str, updated_key: str) -> ImportedEntry:
    body = _need(item, "body")
    day = _day(_need(item, "date", (str, dt.date)))
    if item.get(created_key) is None:
        created = _local(dt.datetime.combine(day, dt.time(12, 0)))
    else:
        created = _timestamp(item[created_key], created_key)
    updated = _timestamp(item[updated_key], updated_key) if item.get(updated_key) else created
    if created_key == "created_at":  # JSON: "id" is the journal's own number, "uuid" the uuid
        entry_uuid = item.get("uuid")
        if entry_uuid is None and isinstance(item.get("id"), str):
            entry_uuid = item["id"]
    else:  # front matter: "id" is the uuid
        entry_uuid = item.get("id")
    if entry_uuid is not None:
        try:
            entry_uuid = str(uuid_module.UUID(str(entry_uuid)))
        except ValueError:
            raise Unreadable(f"its id '{entry_uuid}' is not a uuid") from None
    try:
        tags = [normalize_tag(t) for t in _text_list(item.get("tags"), "tags")]
    except InputError as exc:
        raise Unreadable(str(exc).split(";")[0]) from None
    return ImportedEntry(
        body=body,
        date=day,
        created_at=created,
        updated_at=updated,
        uuid=entry_uuid,
        title=_optional_text(item, "title"),
        barriers=_barriers(item.get("barriers"), item.get("barrier_sources")),
        tags=tags,
        emotional_closeness=_rating(item, "emotional_closeness"),
        physical_intimacy=_rating(item, "physical_intimacy"),
        starred=item.get("starred") is True,
        share=item.get("share") is True,
        prompt_id=_optional_text(item, "prompt_id"),
        openers=_openers(item.get("openers")),
    )


def _our_json_entry(item: dict[str, Any], _parsed: Parsed) -> ImportedEntry:
    entry = _our_entry(item, created_key="created_at", updated_key="updated_at")
    if item.get("deleted") is True:  # from `trash --json`: it goes back to the trash
        return dataclasses.replace(entry, in_trash=True)
    return entry


def _unix_lines(text: str) -> str:
    """`text` with '\r\n' read as '\n' when every line of it ends so: an export that a
    Windows tool or a sync saved again. Our exports end their own lines with '\n' alone,
    so an entry's own '\r\n' (kept exactly) never makes a whole file look so."""
    crlf = text.count("\r\n")
    if crlf and crlf == text.count("\n"):
        return text.replace("\r\n", "\n")
    return text


def read_front_matter_file(text: str, where: str) -> ImportedEntry:
    """One file of the folder layout: YAML front matter, then the body exactly."""
    import yaml

    text = _unix_lines(text)
    if not text.startswith(FRONT_MATTER + "\n"):
        raise Unreadable("it has no front matter (a '---' block at the top)")
    close = text.find("\n" + FRONT_MATTER + "\n", len(FRONT_MATTER))
    if close < 0:
        if text.endswith("\n" + FRONT_MATTER):
            close = len(text) - len(FRONT_MATTER) - 1
        else:
            raise Unreadable("its front matter has no closing '---'")
    header = text[len(FRONT_MATTER) + 1 : close + 1]
    body = text[close + len(FRONT_MATTER) + 2 :]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(header, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 2})" if mark is not None else ""
        raise Unreadable(f"its front matter is not readable YAML{line}") from None
    if not isinstance(data, dict):
        raise Unreadable("its front matter is not a set of 'key: value' lines")
    data["body"] = body
    if "prompt_id" not in data and isinstance(data.get("prompt"), str):
        data.pop("prompt")
    return _our_entry(data, created_key="created", updated_key="updated")


def _markdown_files(folder: Path) -> list[Path]:
    """The .md files under `folder`, hidden folders (.obsidian, .git) left out."""
    return sorted(
        p
        for p in folder.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def read_markdown_folder(folder: Path) -> Parsed:
    parsed = Parsed("markdown")
    files = _markdown_files(folder)
    if not files:
        raise JournalError(f"{folder} has no Markdown (.md) files; nothing was imported")
    for path in files:
        where = f"{path.relative_to(folder)} line 1"
        try:
            text = _decode(path.read_bytes(), str(path))
            entry = read_front_matter_file(text, where)
        except (Unreadable, JournalError) as exc:
            parsed.problems.append(Problem(where, str(exc).split("; nothing")[0]))
            continue
        parsed.entries.append((where, entry))
    return parsed


def _entry_starts(text: str) -> list[int]:
    """Line indexes of entry headings: a level-2 heading followed by our marker line.

    Found with a Markdown parser, so a body's code block that happens to hold such lines
    is never mistaken for an entry.
    """
    starts = []
    tokens = markdown_parser().parse(text.replace("\r", " "))
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag != "h2" or token.map is None:
            continue
        after = tokens[index + 3] if index + 3 < len(tokens) else None
        if (
            after is not None
            and after.type == "html_block"
            and after.content.startswith(ENTRY_MARKER)
        ):
            starts.append(token.map[0])
    return starts


def _walk_entry_starts(lines: list[str]) -> list[int] | None:
    """The entry headings of a file as the export wrote it, found by following each marker
    line's count of body lines; None when the file does not check out that way (edited by
    hand), and the Markdown parser has to find them."""
    first = next(
        (
            n
            for n, line in enumerate(lines[:-1])
            if line.startswith("## ") and lines[n + 1].startswith(ENTRY_MARKER)
        ),
        None,
    )
    if first is None:
        return None
    starts = []
    position = first
    while position < len(lines) - 1:
        marker = lines[position + 1]
        if not (
            lines[position].startswith("## ")
            and marker.startswith(ENTRY_MARKER)
            and marker.endswith(MARKER_END)
        ):
            return None
        try:
            record = json.loads(marker[len(ENTRY_MARKER) : -len(MARKER_END)])
        except json.JSONDecodeError:
            return None
        count = record.get("lines") if isinstance(record, dict) else None
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            return None
        after = record.get("after", 0)
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            return None
        end = position + 3 + (2 if record.get("meta") else 0) + count + after
        if end >= len(lines) or lines[end] != "":
            return None
        starts.append(position)
        position = end + 1
    return starts if position == len(lines) else None


def read_markdown_single(text: str, name: str = "this file") -> Parsed:
    text = _unix_lines(text)
    if text.startswith(FRONT_MATTER + "\n"):
        parsed = Parsed("markdown")
        try:
            parsed.entries.append(("line 1", read_front_matter_file(text, "line 1")))
        except Unreadable as exc:
            parsed.problems.append(Problem("line 1", str(exc)))
        return parsed
    if EXPORT_MARKER not in text[:4096]:
        raise JournalError(
            f"{name} is not a Markdown export of Reconnect Journal (its marker line is "
            "missing); nothing was imported"
        )
    parsed = Parsed("markdown")
    lines = text.split("\n")
    starts = _walk_entry_starts(lines)
    if starts is None:
        starts = _entry_starts(text)
    _check_not_cut_short(lines, starts, name)
    for index, start in enumerate(starts):
        where = f"line {start + 1}"
        next_start = starts[index + 1] if index + 1 < len(starts) else len(lines)
        try:
            entry = _single_entry(lines, start, next_start)
        except Unreadable as exc:
            parsed.problems.append(Problem(where, str(exc)))
            continue
        parsed.entries.append((where, entry))
    return parsed


def _marker_record(line: str, opening: str) -> dict[str, Any] | None:
    """The fields of one of our marker lines (header or entry); None when it is damaged."""
    line = line.rstrip("\r")
    if not (line.startswith(opening) and line.endswith(MARKER_END)):
        return None
    try:
        record = json.loads(line[len(opening) : -len(MARKER_END)])
    except json.JSONDecodeError:
        return None
    return record if isinstance(record, dict) else None


def _count_in(record: dict[str, Any] | None, key: str) -> int | None:
    value = record.get(key) if record is not None else None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _last_entry_end(lines: list[str]) -> int:
    """Where the text of a file's last entry ends: before the empty string that follows
    the file's last line end, or at the very end of a file that lost (or never had) it."""
    return len(lines) - 1 if lines[-1] == "" else len(lines)


def _last_entry_cut(lines: list[str], start: int) -> str | None:
    """How the file's last entry shows that the file was cut short, or None when it holds
    every line its marker line gives (more is an edit by hand, and fine)."""
    where = f"line {start + 1}"
    record = _marker_record(lines[start + 1], ENTRY_MARKER) if start + 1 < len(lines) else None
    count = _count_in(record, "lines")
    if record is None or count is None:
        return f"its last entry ({where}) ends inside its marker line"
    after = _count_in(record, "after") or 0  # its openers' lines, after the text
    count += after
    body_start = start + 3 + (2 if record.get("meta") else 0)
    held = max(0, _last_entry_end(lines) - body_start)
    if held < count:
        return f"its last entry ({where}) holds {held} of the {count} lines its marker line gives"
    if held == count and lines[-1] != "":
        # Every export ends with a line end: without it, the last line is most likely cut.
        return f"its last entry ({where}) stops part-way through its last line"
    return None


def _check_not_cut_short(lines: list[str], starts: list[int], name: str) -> None:
    """Refuse, as a whole, an export that lost its end (a copy or a sync that stopped
    part-way): fewer entries than its header gives, or a last entry short of the lines its
    marker line gives. Edits by hand inside the file are read as they stand."""
    first = starts[0] if starts else len(lines)
    header_line = next((line for line in lines[:first] if line.startswith(EXPORT_MARKER)), None)
    if header_line is None:
        return  # the caller has already refused a file without one
    again = "nothing was imported; export it again and import the whole file"
    header = _marker_record(header_line, EXPORT_MARKER)
    if header is None:
        raise JournalError(f"{name} looks cut short: its header line is incomplete; {again}")
    expected = _count_in(header, "entries")
    cut = _last_entry_cut(lines, starts[-1]) if starts else None
    if expected is not None and len(starts) < expected:
        noun = "entry" if expected == 1 else "entries"
        if not starts:
            last = ""
        elif cut:
            last = " (the last one incomplete)"
        else:
            last = " (the last one may be incomplete)"
        raise JournalError(
            f"{name} looks cut short: its header says {expected} {noun} and it holds "
            f"{len(starts)}{last}; {again}"
        )
    if cut:
        raise JournalError(f"{name} looks cut short: {cut}; {again}")


def _single_entry(lines: list[str], start: int, next_start: int) -> ImportedEntry:
    marker = lines[start + 1].rstrip("\r")
    if not marker.endswith(MARKER_END):
        raise Unreadable("its marker line is damaged")
    try:
        record = json.loads(marker[len(ENTRY_MARKER) : -len(MARKER_END)])
    except json.JSONDecodeError:
        raise Unreadable("its marker line is damaged") from None
    if not isinstance(record, dict):
        raise Unreadable("its marker line is damaged")
    body_start = start + 3 + (2 if record.get("meta") else 0)
    count = record.get("lines")
    after = record.get("after", 0)  # lines after the body: its openers, for people to read
    # The region ends with one blank line before the next entry (none at the very end).
    end = next_start - 1 if next_start < len(lines) else _last_entry_end(lines)
    if isinstance(count, int) and isinstance(after, int) and body_start + count + after == end:
        body = decode_body(lines[body_start : body_start + count], record)
    else:
        # Changed by hand since the export: take the text as it now stands, without the
        # openers' lines at its end (the marker holds the openers themselves).
        region = lines[body_start:end]
        while region and (not region[-1].strip() or (after and region[-1].startswith(OPENER_LINE))):
            region.pop()
        body = "\n".join(region)
    record["body"] = body
    return _our_entry(record, created_key="created_at", updated_key="updated_at")


# -- dispatch ----------------------------------------------------------------------


def parse_source(source: Source, kind: Kind, *, timeformat: str | None = None) -> Parsed:
    """`timeformat`: jrnl's, for a jrnl text journal whose dates could be read two ways."""
    parsed = _parse_source(source, kind, timeformat)
    if parsed.changed_tags:
        parsed.notes.append(changed_tags_note(parsed.changed_tags))
    return parsed


def _parse_source(source: Source, kind: Kind, timeformat: str | None) -> Parsed:
    name = str(source.path)
    if source.text is None:
        if kind == "jrnl":
            return read_jrnl_folder(source.path, timeformat)
        if kind != "markdown":
            raise JournalError(
                f"{name} is a folder; only --from markdown (our folder export) "
                "or --from jrnl (a jrnl folder journal) reads a folder"
            )
        return read_markdown_folder(source.path)
    text = source.text
    if kind == "jrnl":
        return read_jrnl(text, name, timeformat=timeformat, journal=source.path)
    if kind == "markdown":
        return read_markdown_single(text, name)
    _check_shape(source, name, kind)
    reader = {"jrnl-json": _jrnl_json_entry, "dayone": _dayone_entry, "json": _our_json_entry}
    parsed = _each_json_entry(text, kind, reader[kind])
    if source.other_journals:
        # Several journals in one zip: every one is read, and each place names its file.
        parsed = _in_file(parsed, source.member)
        for other in source.other_journals:
            assert other.text is not None
            # A JSON file that cannot be read at all is a damaged journal, not a file that
            # came along: the whole import stops, as for the first one.
            other.json()
            try:
                _check_shape(other, f"{name}:{other.member}", kind)
            except JournalError:  # some other JSON file that came along: say so, go on
                parsed.attachments.append(f"{other.member} (not {KIND_NAMES[kind]})")
                continue
            read = _each_json_entry(other.text, kind, reader[kind])
            parsed.changed_tags.update(read.changed_tags)
            more = _in_file(read, other.member)
            parsed.entries += more.entries
            parsed.problems += more.problems
            parsed.attachments += more.attachments
    if source.zip_attachments:
        count = len(source.zip_attachments)
        parsed.attachments.append(
            f"{count} attachment {'file' if count == 1 else 'files'} in the zip "
            f"(e.g. {source.zip_attachments[0]})"
        )
    return parsed
