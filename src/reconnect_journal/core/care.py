"""Gentle notes the journal may show while someone writes, and when to offer them.

- The reframe note: when the words lean on novelty ("spice it up") as the answer to
  fading closeness and say little about feelings. Shown at most once per entry; it can
  be switched off in the settings.
- The support note: when the words mention violence, abuse, coercion or self-harm.
  Calm, never blocking; it can be hidden each time but not switched off. It names kinds
  of help rather than numbers, which differ from country to country and go out of date,
  and says only what fits: being hurt by someone, thoughts of hurting oneself, or both.
- A short grounding pause, offered on the way out of a long or heavy writing session.

The wording is ours. It never blames the writer or their partner and makes no claims
about anyone's health or relationship.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reconnect_journal.core.barriers import INTENSITY_RANGE
from reconnect_journal.core.model import BarrierTag

if TYPE_CHECKING:
    from reconnect_journal.core.suggestions import SuggestionReport

REFRAME_TITLE = "A thought about trying new things"
REFRAME_NOTE = (
    "New things tend to feel best when you already feel close; when there is distance, "
    "they can make the gap more noticeable. Nothing wrong with the idea. It may help to "
    "write a little about the closeness underneath it, too."
)
REFRAME_ALTERNATIVE_LEAD = "If you'd like another way in:"

SUPPORT_TITLE = "You deserve to be safe and supported"
# The note's first sentence says what the entry may be about, and only that: someone hurt
# by a partner is not asked about hurting themselves, nor the other way round.
SUPPORT_ABOUT_HARM = "being hurt, frightened or pressured by someone"
SUPPORT_ABOUT_SELF_HARM = "thoughts of hurting yourself"
SUPPORT_HELP = (
    "If you are in danger right now, please contact your local emergency services. A person "
    "you trust, or a crisis or support line where you live, can also help. You don't have "
    "to carry this alone, and it's okay to keep writing here too."
)


def support_note(kinds: Iterable[str] = ()) -> str:
    """The support note for what an entry may be about (`SuggestionReport.support_kinds`):
    being hurt by someone ("harm"), thoughts of hurting oneself ("self_harm"), or both.
    Without a known kind it names both. The window and the command line both use this."""
    found = set(kinds)
    about = [
        phrase
        for kind, phrase in (("harm", SUPPORT_ABOUT_HARM), ("self_harm", SUPPORT_ABOUT_SELF_HARM))
        if kind in found
    ]
    joined = ", and about ".join(about) or ", or about ".join(
        (SUPPORT_ABOUT_HARM, SUPPORT_ABOUT_SELF_HARM)
    )
    return f"Some of what you wrote may be about {joined}. {SUPPORT_HELP}"


# Both kinds: what the note says when nothing more is known.
SUPPORT_NOTE = support_note()


def notes_for(report: SuggestionReport) -> list[tuple[str, str]]:
    """The notes a text calls for, as (title, words), the way the window shows them: the
    support note, or else the reframe note (never beside the support note)."""
    if report.support_note:
        return [(SUPPORT_TITLE, support_note(report.support_kinds))]
    if report.novelty_focus:
        return [(REFRAME_TITLE, REFRAME_NOTE)]
    return []


GROUNDING_TITLE = "Before you go"
# The lead fits the sitting: "a lot to put into words" only after a long one.
GROUNDING_LEAD = "That was a lot to hold. If you like, take a moment before you go on."
GROUNDING_LEAD_AFTER_MANY_WORDS = (
    "That was a lot to put into words. If you like, take a moment before you go on."
)
GROUNDING_PROMPTS = (
    "Breathe in slowly through your nose, and out for a little longer than you breathed "
    "in. Do that three times.",
    "Look around and name, quietly, five things you can see and three things you can hear.",
    "Feel where your body meets the chair or the floor. Let your shoulders drop a little.",
    "Think of one small, kind thing you could do for yourself in the next hour.",
    "Put a hand somewhere that feels comforting, and notice its warmth for a few breaths.",
)

# A session counts as long after this many minutes with the editor open, or this many
# words written; as heavy when the support note was shown or a barrier is at its strongest.
LONG_SESSION_MINUTES = 20
LONG_SESSION_WORDS = 600


@dataclass(frozen=True)
class WritingSession:
    """What the editor knows about the writing just done, to decide on a grounding pause."""

    minutes: float
    words_written: int
    support_note_shown: bool
    barriers: tuple[BarrierTag, ...]

    @property
    def heavy(self) -> bool:
        strongest = INTENSITY_RANGE[-1]
        return self.support_note_shown or any(t.intensity >= strongest for t in self.barriers)

    @property
    def long(self) -> bool:
        return self.minutes >= LONG_SESSION_MINUTES or self.words_written >= LONG_SESSION_WORDS

    @property
    def offer_grounding(self) -> bool:
        return self.heavy or self.long

    @property
    def grounding_lead(self) -> str:
        """The pause's first words: a short heavy entry was not 'a lot to put into words'."""
        return GROUNDING_LEAD_AFTER_MANY_WORDS if self.long else GROUNDING_LEAD


def grounding_prompt(moment: dt.datetime) -> str:
    """One of the grounding prompts, changing from one hour to the next."""
    digest = hashlib.sha256(moment.strftime("%Y-%m-%d %H").encode()).digest()
    return GROUNDING_PROMPTS[digest[0] % len(GROUNDING_PROMPTS)]
