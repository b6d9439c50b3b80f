"""How days, barriers and ratings are written on screen (shared by the widgets)."""

from __future__ import annotations

import datetime as dt

from textual.content import Content
from textual.style import Style

from reconnect_journal.core.barriers import INTENSITY_RANGE, Barrier
from reconnect_journal.core.dates import to_local
from reconnect_journal.core.model import RATING_RANGE, Entry

FILLED = "●"
EMPTY = "○"

# Styles for text inside widgets. Textual's $text-muted is an "auto" colour that only
# CSS resolves; inside Content it would come out plain white.
MUTED = "$foreground-muted"
FAINT = "$foreground 35%"
ACCENT = "$text-accent"
# How the words a search matched stand out (bold and underlined too, for NO_COLOR).
MATCH_STYLE = f"bold underline {ACCENT}"

# Said in words where there is room (the reader); the picker shows dots.
INTENSITY_WORDS: dict[int, str] = {1: "a little", 2: "quite a lot", 3: "strongly"}


def quoted_headline(entry: Entry, limit: int) -> str:
    """'“Coffee in bed”': the entry's headline in quotes, on one line and cut short at a
    word's end (with '…') past `limit` characters; '' when it has none."""
    headline = " ".join(entry.headline.split())
    if not headline:
        return ""
    if len(headline) > limit:
        cut = headline[:limit]
        cut = cut.rsplit(" ", 1)[0] if " " in cut else cut[: limit - 1]
        headline = cut.rstrip(" ,;:.-–—") + "…"
    return f"“{headline}”"


def short_day(day: dt.date, today: dt.date) -> str:
    """'Tue 24 Nov', with the year only when it is not this year."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def long_day(day: dt.date) -> str:
    """'Tuesday 24 November 2026'."""
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def intensity_dots(intensity: int) -> str:
    """'●●○' for intensity 2 of 3."""
    return "".join(FILLED if level <= intensity else EMPTY for level in INTENSITY_RANGE)


def rating_dots(value: int | None) -> str:
    """'●●●○○' for 3 of 5; all empty when not rated."""
    filled = value or 0
    return "".join(FILLED if level <= filled else EMPTY for level in RATING_RANGE)


def _unique_markers() -> dict[Barrier, str]:
    """One short letter per barrier, taken from its key (longer only if two would clash)."""
    markers: dict[Barrier, str] = {}
    for barrier in Barrier:
        length = 1
        while barrier.value[:length].upper() in markers.values():
            length += 1
        markers[barrier] = barrier.value[:length].upper()
    return markers


BARRIER_MARKERS: dict[Barrier, str] = _unique_markers()
STAR = "★"  # a starred entry: important to the person
SHARE = "↗"  # marked to share: it goes into a summary to share


def marks_line(entry: Entry) -> str:
    """'★ Starred · ↗ Marked to share', or the part that applies, or ''."""
    marks = [f"{STAR} Starred"] if entry.starred else []
    if entry.share:
        marks.append(f"{SHARE} Marked to share")
    return " · ".join(marks)


def as_sentence(message: str) -> str:
    """Core messages are one lowercase clause; on screen they read as a sentence."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else f"{message}."


def with_click_value(text: str, key: str, value: object, style: str = "") -> Content:
    """Text carrying `key: value` for the widget's click handler to read.

    Plain meta rather than '@click' markup: Textual restyles '@click' spans as links,
    which would hide the colours that show what is chosen.
    """
    return Content.styled(text, style).stylize(Style.from_meta({key: value}))


def time_written(moment: dt.datetime) -> str:
    """'21:40': when an entry was written, in local time."""
    return f"{to_local(moment):%H:%M}"


def greeting(now: dt.datetime) -> str:
    """A hello for the time of day (`now` in local time). Never a judgement."""
    hour = now.hour
    if 5 <= hour < 12:
        return "Good morning."
    if 12 <= hour < 18:
        return "Good afternoon."
    if hour >= 18:
        return "Good evening."
    return "Hello."


def today_line(written_today: int, hour: int) -> str:
    """The gentle line under the greeting: a count only when there is something to count."""
    if written_today == 1:
        return "You've written one entry today."
    if written_today > 1:
        return f"You've written {written_today} entries today."
    if hour < 5:
        return "The quiet hours can be a good time to write, or to rest."
    return "Write as much or as little as you like."


def count_entries(count: int) -> str:
    """'1 entry', '2,345 entries'."""
    return "1 entry" if count == 1 else f"{count:,} entries"
