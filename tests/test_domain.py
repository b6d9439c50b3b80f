"""The pure core: barriers, dates, tags, validation and the JSON shape."""

from __future__ import annotations

import datetime as dt

import pytest

from reconnect_journal.core.barriers import (
    BARRIER_KEYS,
    Barrier,
    parse_barrier,
    parse_barrier_spec,
)
from reconnect_journal.core.dates import (
    format_timestamp,
    parse_day,
    parse_journal_day,
    parse_range_end,
)
from reconnect_journal.core.errors import InputError
from reconnect_journal.core.model import (
    BarrierTag,
    Entry,
    entry_to_json,
    parse_entry_id,
    parse_rating,
    validate_barrier_tags,
)
from reconnect_journal.core.tags import extract_hashtags, merge_tags, normalize_tag, parse_tags

TODAY = dt.date(2026, 3, 14)  # a Saturday


def test_the_five_barriers_have_keys_names_and_descriptions() -> None:
    assert BARRIER_KEYS == ("shame", "resentment", "trust", "unseen", "grief")
    for barrier in Barrier:
        assert barrier.display_name
        assert len(barrier.description) > 30
    assert Barrier.UNSEEN.display_name == "Feeling unseen or unheard"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("shame", (Barrier.SHAME, 1)),
        ("Grief:3", (Barrier.GRIEF, 3)),
        (" trust:2", (Barrier.TRUST, 2)),
    ],
)
def test_barrier_specs(spec: str, expected: tuple[Barrier, int]) -> None:
    assert parse_barrier_spec(spec) == expected


@pytest.mark.parametrize("spec", ["lust", "grief:0", "grief:4", "grief:high", ""])
def test_bad_barrier_specs_say_what_is_accepted(spec: str) -> None:
    with pytest.raises(InputError) as info:
        parse_barrier_spec(spec)
    message = str(info.value)
    assert "\n" not in message
    assert "shame, resentment" in message or "1, 2" in message or "KEY:1" in message


def test_unknown_barrier_lists_the_keys() -> None:
    with pytest.raises(InputError, match="use one of: shame, resentment, trust, unseen, grief"):
        parse_barrier("boredom")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", dt.date(2026, 3, 1)),
        ("today", TODAY),
        ("Yesterday", dt.date(2026, 3, 13)),
        ("3 days ago", dt.date(2026, 3, 11)),
        ("a week ago", dt.date(2026, 3, 7)),
        ("2 months ago", dt.date(2026, 1, 14)),
        ("friday", dt.date(2026, 3, 13)),
        ("saturday", dt.date(2026, 3, 7)),  # today is Saturday: the one before
        ("last monday", dt.date(2026, 3, 9)),
        ("1 march", dt.date(2026, 3, 1)),
        ("march 20", dt.date(2025, 3, 20)),  # no year: never in the future
        ("Dec 25 2024", dt.date(2024, 12, 25)),
        ("2026/02/28", dt.date(2026, 2, 28)),
    ],
)
def test_parse_day_understands_common_words(text: str, expected: dt.date) -> None:
    assert parse_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("29 february", TODAY, dt.date(2024, 2, 29)),  # the most recent one, years back
        ("29 feb", dt.date(2028, 3, 5), dt.date(2028, 2, 29)),
        ("feb 29", dt.date(2028, 2, 28), dt.date(2024, 2, 29)),
    ],
)
def test_a_day_without_a_year_is_the_most_recent_one(
    text: str, today: dt.date, expected: dt.date
) -> None:
    assert parse_day(text, today) == expected


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("31 december", dt.date(2026, 12, 1), dt.date(2026, 12, 31)),  # after --from
        ("31 december", None, dt.date(2026, 12, 31)),  # this year's, though still to come
        ("1 march", None, dt.date(2026, 3, 1)),
        ("1 march", dt.date(2026, 11, 1), dt.date(2027, 3, 1)),  # the first after --from
        ("1 december", dt.date(2026, 12, 1), dt.date(2026, 12, 1)),  # on --from itself
        ("29 february", dt.date(2026, 1, 1), dt.date(2028, 2, 29)),
        ("march 1 2025", dt.date(2026, 1, 1), dt.date(2025, 3, 1)),  # a year says it all
        ("yesterday", dt.date(2026, 12, 1), dt.date(2026, 12, 2)),
    ],
)
def test_the_end_of_a_range_without_a_year_comes_on_or_after_its_start(
    text: str, start: dt.date | None, expected: dt.date
) -> None:
    assert parse_range_end(text, start, dt.date(2026, 12, 3)) == expected


@pytest.mark.parametrize("text", ["", "soon", "2026-02-30", "31 february", "13/13/2026"])
def test_parse_day_rejects_with_accepted_forms(text: str) -> None:
    with pytest.raises(InputError, match="2026-03-01"):
        parse_day(text, TODAY)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0001-01-01", "'0001-01-01' is before 1900-01-01; journal days go from 1900-01-01 on"),
        ("1899-12-31", "'1899-12-31' is before 1900-01-01"),
        ("100000 days ago", "'100000 days ago' (1752-05-29) is before 1900-01-01"),
        ("1000000 days ago", "'1000000 days ago' is before 1900-01-01"),  # before year 1
        ("march 1 1850", "'march 1 1850' (1850-03-01) is before 1900-01-01"),
    ],
)
def test_days_before_1900_are_refused_saying_from_when(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_day(text, TODAY)
    assert str(caught.value).startswith(message)
    assert parse_day("1900-01-01", TODAY) == dt.date(1900, 1, 1)


def test_journal_day_cannot_be_in_the_future() -> None:
    assert parse_journal_day("today", TODAY) == TODAY
    with pytest.raises(InputError, match="future"):
        parse_journal_day("tomorrow", TODAY)
    assert parse_journal_day("31 december", dt.date(2026, 12, 3)) == dt.date(2025, 12, 31)


def test_timestamps_print_with_local_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        moment = dt.datetime(2026, 3, 1, 20, 40, tzinfo=dt.UTC)
        assert format_timestamp(moment) == "2026-03-01T21:40:00+01:00"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_hashtags_are_found_but_not_headings_or_anchors() -> None:
    body = "# A heading\nWe walked #Outside and #outside again, see page#anchor and #2 and ##x."
    assert extract_hashtags(body) == ["outside"]


def test_hashtags_are_always_usable_tags_even_when_lowercasing_adds_a_mark() -> None:
    # 'İ'.lower() is 'i' and a combining dot, which no tag may hold: an entry written
    # "#İstanbul" once could be saved but not imported back from its own export.
    found = extract_hashtags("A weekend in #İstanbul, and #İ, and #Ärger.")
    assert found == ["istanbul", "i", "ärger"]
    assert [normalize_tag(tag) for tag in found] == found
    assert normalize_tag("İstanbul") == normalize_tag("i\u0307stanbul") == "istanbul"


def test_tags_are_lowercased_without_marks_and_merged() -> None:
    assert normalize_tag("@Work") == "work"
    assert normalize_tag("#Evening-walk") == "evening-walk"
    assert merge_tags(["Home", "#home"], "a #calm day") == ["calm", "home"]
    with pytest.raises(InputError, match="one word"):
        normalize_tag("two words")


def test_a_tag_of_two_words_is_refused_with_the_joined_form_as_a_hint() -> None:
    with pytest.raises(InputError, match=r"\(such as late-night\)$"):
        normalize_tag("Late night")
    with pytest.raises(InputError) as refused:
        normalize_tag("c++")
    assert "such as" not in str(refused.value)  # no hint that would be refused too


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("late night, ça-va, #hash, UPPER", ["late", "night", "ça-va", "hash", "upper"]),
        ("walk,talk", ["walk", "talk"]),
        ("  late-night  @home ,, ", ["late-night", "home"]),
        ("", []),
    ],
)
def test_tags_typed_on_one_line_are_separated_by_spaces_or_commas(
    typed: str, tags: list[str]
) -> None:
    assert parse_tags(typed) == tags


def test_one_unusable_tag_on_a_line_is_named() -> None:
    with pytest.raises(InputError, match=r"^'c\+\+' is not a usable tag"):
        parse_tags("walk, c++, talk")


def test_ratings_and_ids_are_checked() -> None:
    assert parse_rating("5", "emotional closeness") == 5
    for bad in ("0", "6", "x", "2.5"):
        with pytest.raises(InputError, match="1 to 5"):
            parse_rating(bad, "emotional closeness")
    assert parse_entry_id("12") == 12
    for bad in ("0", "-1", "abc"):
        with pytest.raises(InputError, match="not an entry id"):
            parse_entry_id(bad)


def test_one_tag_per_barrier_and_intensity_checked() -> None:
    tags = [
        BarrierTag(Barrier.GRIEF, 1),
        BarrierTag(Barrier.SHAME, 2),
        BarrierTag(Barrier.GRIEF, 3),
    ]
    assert validate_barrier_tags(tags) == [
        BarrierTag(Barrier.SHAME, 2),
        BarrierTag(Barrier.GRIEF, 3),
    ]
    with pytest.raises(InputError):
        validate_barrier_tags([BarrierTag(Barrier.SHAME, 4)])


def test_entry_json_shape() -> None:
    entry = Entry(
        id=3,
        uuid="u",
        date=dt.date(2026, 3, 1),
        created_at=dt.datetime(2026, 3, 1, 20, 40, tzinfo=dt.UTC),
        updated_at=dt.datetime(2026, 3, 1, 20, 40, tzinfo=dt.UTC),
        title=None,
        body="text",
        emotional_closeness=2,
        barriers=(BarrierTag(Barrier.TRUST, 2, "suggestion"),),
        tags=("home",),
    )
    data = entry_to_json(entry)
    assert data["id"] == 3
    assert data["date"] == "2026-03-01"
    assert dt.datetime.fromisoformat(data["created_at"]).utcoffset() is not None
    assert data["barriers"] == {"trust": 2}
    assert data["barrier_sources"] == {"trust": "suggestion"}
    assert data["tags"] == ["home"]
    assert data["title"] is None
    assert data["emotional_closeness"] == 2
    assert data["physical_intimacy"] is None


def test_headline_falls_back_to_the_first_line() -> None:
    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    entry = Entry(1, "u", dt.date(2026, 3, 1), now, now, None, "\n\n# First line\nrest")
    assert entry.headline == "First line"
