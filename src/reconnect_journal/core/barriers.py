"""The five barriers to closeness: the one definition every part of the app uses."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reconnect_journal.core.errors import InputError


class Barrier(StrEnum):
    SHAME = "shame"
    RESENTMENT = "resentment"
    TRUST = "trust"
    UNSEEN = "unseen"
    GRIEF = "grief"

    @property
    def info(self) -> BarrierInfo:
        return BARRIER_INFO[self]

    @property
    def display_name(self) -> str:
        return BARRIER_INFO[self].name

    @property
    def description(self) -> str:
        return BARRIER_INFO[self].description


@dataclass(frozen=True)
class BarrierInfo:
    name: str
    description: str


BARRIER_INFO: dict[Barrier, BarrierInfo] = {
    Barrier.SHAME: BarrierInfo(
        "Shame",
        "Feeling exposed or not good enough, so that wanting, asking or being seen "
        "feels safer avoided.",
    ),
    Barrier.RESENTMENT: BarrierInfo(
        "Resentment",
        "Old hurts and unsettled arguments that quietly pile up and cool the warmth between you.",
    ),
    Barrier.TRUST: BarrierInfo(
        "Loss of trust",
        "Not being sure you can rely on each other, or that it is safe to let your guard down.",
    ),
    Barrier.UNSEEN: BarrierInfo(
        "Feeling unseen or unheard",
        "Sensing that who you are, what you say or what you carry goes unnoticed.",
    ),
    Barrier.GRIEF: BarrierInfo(
        "Unresolved grief",
        "A loss that is still being carried, which can take up the room closeness needs.",
    ),
}

BARRIER_KEYS: tuple[str, ...] = tuple(b.value for b in Barrier)
INTENSITY_RANGE = range(1, 4)
ACCEPTED_KEYS = ", ".join(BARRIER_KEYS)


def parse_barrier(key: str) -> Barrier:
    """A barrier from its key, case-insensitive."""
    try:
        return Barrier(key.strip().lower())
    except ValueError:
        raise InputError(f"unknown barrier '{key}'; use one of: {ACCEPTED_KEYS}") from None


def validate_intensity(value: int) -> int:
    if value not in INTENSITY_RANGE:
        raise InputError(f"barrier intensity {value} is out of range; use 1, 2 or 3")
    return value


def parse_barrier_spec(spec: str) -> tuple[Barrier, int]:
    """Parse `KEY` or `KEY:INTENSITY` (intensity 1-3, default 1)."""
    key, sep, level = spec.partition(":")
    barrier = parse_barrier(key)
    if not sep:
        return barrier, 1
    try:
        intensity = int(level)
    except ValueError:
        raise InputError(
            f"barrier intensity '{level}' in '{spec}' is not a whole number; "
            "use KEY or KEY:1, KEY:2, KEY:3"
        ) from None
    return barrier, validate_intensity(intensity)
