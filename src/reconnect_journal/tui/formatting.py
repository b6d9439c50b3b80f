"""How days, barriers and ratings are written on screen (shared by the widgets)."""

from __future__ import annotations

import datetime as dt

from textual.content import Content
from textual.style import Style

from reconnect_journal.core.barriers import INTENSITY_RANGE, Barrier
from reconnect_journal.core.model import RATING_RANGE

FILLED = "●"
EMPTY = "○"

# Styles for text inside widgets. Textual's $text-muted is an "auto" colour that only
# CSS resolves; inside Content it would come out plain white.
MUTED = "$foreground-muted"
FAINT = "$foreground 35%"
ACCENT = "$text-accent"

# Said in words where there is room (the reader); the picker shows dots.
INTENSITY_WORDS: dict[int, str] = {1: "a little", 2: "quite a lot", 3: "strongly"}


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
