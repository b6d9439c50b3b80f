"""The core of the gentle notes and conversation openers (no Textual here)."""

from __future__ import annotations

import datetime as dt

import pytest

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.care import (
    GROUNDING_LEAD,
    GROUNDING_LEAD_AFTER_MANY_WORDS,
    GROUNDING_PROMPTS,
    LONG_SESSION_MINUTES,
    LONG_SESSION_WORDS,
    REFRAME_NOTE,
    SUPPORT_NOTE,
    WritingSession,
    grounding_prompt,
    support_note,
)
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.errors import InputError, NotFoundError
from reconnect_journal.core.model import BarrierTag, NewEntry
from reconnect_journal.core.openers import (
    FEELINGS,
    OpenerParts,
    clean_parts,
    compose_opener,
    feelings_for,
)
from reconnect_journal.core.prompts import Prompt, connection_prompt, find_prompt
from reconnect_journal.core.suggestions import suggest_barriers


def session(**changes: object) -> WritingSession:
    values: dict[str, object] = {
        "minutes": 2.0,
        "words_written": 50,
        "support_note_shown": False,
        "barriers": (),
    }
    values.update(changes)
    return WritingSession(**values)  # type: ignore[arg-type]


def test_a_short_light_session_needs_no_pause() -> None:
    assert not session().offer_grounding


@pytest.mark.parametrize(
    "changes",
    [
        {"minutes": LONG_SESSION_MINUTES},
        {"words_written": LONG_SESSION_WORDS},
        {"support_note_shown": True},
        {"barriers": (BarrierTag(Barrier.GRIEF, 3),)},
    ],
)
def test_long_or_heavy_sessions_are_offered_a_pause(changes: dict[str, object]) -> None:
    assert session(**changes).offer_grounding


def test_the_pause_speaks_of_many_words_only_after_many_words() -> None:
    short_and_heavy = session(words_written=8, barriers=(BarrierTag(Barrier.GRIEF, 3),))
    assert short_and_heavy.grounding_lead == GROUNDING_LEAD
    assert "words" not in GROUNDING_LEAD
    assert session(words_written=LONG_SESSION_WORDS).grounding_lead == (
        GROUNDING_LEAD_AFTER_MANY_WORDS
    )
    assert session(minutes=LONG_SESSION_MINUTES).grounding_lead == (GROUNDING_LEAD_AFTER_MANY_WORDS)


def test_a_barrier_felt_a_little_is_not_heavy_on_its_own() -> None:
    assert not session(barriers=(BarrierTag(Barrier.GRIEF, 2),)).offer_grounding


def test_the_grounding_prompt_is_steady_within_an_hour_and_changes_over_a_day() -> None:
    base = dt.datetime(2026, 3, 14, 20, 5)
    assert grounding_prompt(base) == grounding_prompt(base.replace(minute=55))
    seen = {grounding_prompt(base + dt.timedelta(hours=h)) for h in range(24)}
    assert len(seen) > 1 and seen <= set(GROUNDING_PROMPTS)


def test_notes_stay_kind_and_name_no_numbers() -> None:
    for text in (REFRAME_NOTE, SUPPORT_NOTE, *GROUNDING_PROMPTS):
        lower = text.lower()
        assert not any(word in lower for word in ("your fault", "broken", "should have"))
    assert not any(ch.isdigit() for ch in SUPPORT_NOTE)


# Someone hurt by a partner should not be asked about hurting themselves, and someone
# thinking of hurting themselves should not be told they were hurt by someone.
@pytest.mark.parametrize(
    ("text", "by_someone", "yourself"),
    [
        ("He pushed me against the wall.", True, False),
        ("He grabbed my arm so hard it bruised and I'm scared to go home tonight.", True, False),
        ("He controls all our money and checks my phone.", True, False),
        ("Sometimes I think about hurting myself.", False, True),
        ("I don't want to be here anymore.", False, True),
        ("Last night I took too many pills.", False, True),
        ("He hit me again, and some nights I want to end it all.", True, True),
    ],
)
def test_the_support_note_speaks_to_what_the_entry_is_about(
    text: str, by_someone: bool, yourself: bool
) -> None:
    report = suggest_barriers(text)
    assert report.support_note
    note = support_note(report.support_kinds)
    assert ("by someone" in note) is by_someone, note
    assert ("hurting yourself" in note) is yourself, note
    assert "emergency services" in note
    assert not any(ch.isdigit() for ch in note)
    lower = note.lower()
    assert not any(word in lower for word in ("your fault", "you must", "abuser", "victim"))


def test_the_support_note_without_a_known_kind_names_both() -> None:
    note = support_note(())
    assert note == SUPPORT_NOTE
    assert "by someone" in note and "hurting yourself" in note


# -- openers ---------------------------------------------------------------------------


def test_an_opener_reads_as_a_soft_start() -> None:
    parts = clean_parts("I feel  lonely.", "about our evenings", "What I need is a hug.")
    assert parts == OpenerParts("lonely", "our evenings", "a hug")
    assert compose_opener(parts) == "I feel lonely about our evenings. What I need is a hug."


def test_an_opener_without_a_situation_still_reads_well() -> None:
    parts = clean_parts("tired", "", "some help with bedtime")
    assert compose_opener(parts) == "I feel tired. What I need is some help with bedtime."


@pytest.mark.parametrize(
    ("feeling", "need", "missing"), [("", "a hug", "feeling"), ("sad", "  ", "need")]
)
def test_an_opener_needs_a_feeling_and_a_need(feeling: str, need: str, missing: str) -> None:
    with pytest.raises(InputError, match=missing):
        clean_parts(feeling, "", need)


def test_a_very_long_part_is_refused() -> None:
    with pytest.raises(InputError, match="under"):
        clean_parts("sad " * 100, "", "a hug")


def test_feelings_fit_the_barriers_first_without_repeats() -> None:
    words = feelings_for((Barrier.UNSEEN, Barrier.GRIEF))
    unseen, grief = FEELINGS[Barrier.UNSEEN], FEELINGS[Barrier.GRIEF]
    assert words[: len(unseen)] == unseen
    assert words[len(unseen) : len(unseen) + len(grief)] == grief
    assert len(words) == len(set(words))
    assert feelings_for(()) == FEELINGS[None]


def test_openers_are_kept_beside_their_entry_and_go_with_it(service: JournalService) -> None:
    entry = service.add(NewEntry(body="We argued about the holiday again."))
    other = service.add(NewEntry(body="A quiet evening."))
    kept = service.add_opener(entry.id, clean_parts("hurt", "the holiday talk", "a fresh start"))
    assert kept.text == "I feel hurt about the holiday talk. What I need is a fresh start."
    assert service.openers_for(entry.id) == [kept]
    assert service.openers_for(other.id) == []
    own = service.add_opener(entry.id, OpenerParts("hurt", "", "time"), text="My own words.")
    assert own.text == "My own words."
    service.delete(entry.id)
    service.purge(entry.id)
    assert service.openers_for(entry.id) == []


def test_an_opener_for_a_missing_entry_is_refused(service: JournalService) -> None:
    with pytest.raises(NotFoundError):
        service.add_opener(99, OpenerParts("sad", "", "a hug"))


# -- prompts the notes use ---------------------------------------------------------------


def _prompt(pid: str, *barriers: Barrier) -> Prompt:
    return Prompt(pid, tuple(barriers), f"Text of {pid}?")


def test_the_connection_prompt_is_general_and_steady_for_a_day() -> None:
    library = [_prompt("g1"), _prompt("g2"), _prompt("s1", Barrier.SHAME)]
    day = dt.date(2026, 3, 14)
    chosen = connection_prompt(day, library=library)
    assert chosen is not None and chosen.is_general
    assert connection_prompt(day, library=library) == chosen
    assert connection_prompt(day, library=[_prompt("s1", Barrier.SHAME)]) is None


def test_find_prompt() -> None:
    library = [_prompt("a"), _prompt("b", Barrier.GRIEF)]
    assert find_prompt("b", library) == library[1]
    assert find_prompt("gone", library) is None
