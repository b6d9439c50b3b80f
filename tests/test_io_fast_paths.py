"""The quick paths that make big exports and imports fast give exactly what the careful
paths give: front matter as PyYAML writes it, indented JSON as json.dumps writes it, entry
headings found by following the marker lines as the Markdown parser finds them, entries
streamed as the paged reader reads them, and bulk imports that keep the search index and
the day summaries right."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.model import EntryQuery, ImportedEntry, entry_to_json
from reconnect_journal.io.export import (
    _yaml_dump,
    front_matter,
    indented_json,
    write_markdown_single,
    yaml_front_matter,
)
from reconnect_journal.io.files import file_batch
from reconnect_journal.io.readers import _entry_starts, _walk_entry_starts, read_markdown_single
from tests.io_support import FIXED_NOW, open_journal
from tests.test_io_roundtrip import ENTRY_LISTS, OPENER_LISTS, Opener, add_openers, text_chars

pytestmark = pytest.mark.usefixtures("utc_clock")

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Text that YAML reads as something other than text, or must quote, fold or escape.
YAML_TRICKY = [
    "yes",
    "No",
    "null",
    "~",
    "1e3",
    "0x1F",
    "12:30",
    "2020-01-01",
    "2026-03-01T21:40:00+01:00",
    "- a list?",
    "a: b",
    "#not a comment",
    "ends with space ",
    " starts with space",
    "it's",
    "'quoted'",
    "x" * 79,
    "word " * 20,
    "word " * 40 + "end",
    "I feel hopeful about how we talked on the way home. What I need is another evening.",
    "Café — naïve 💛",
    "",
    "@at",
    "!tag",
    "*star",
    "&anchor",
    "%percent",
    "multi\nline",
    "tab\there",
    "\u2028",
    "on",
    ".inf",
    "-1",
    "+1",
    "1_000",
    "0o17",
    "a,b",
    "[x]",
    "{y}",
]
# Long plain text, which PyYAML folds past its line width at single spaces (an opener's
# words are often longer than a line).
long_plain = st.lists(
    st.tuples(
        st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.,'!?()/-]{0,14}", fullmatch=True),
        st.sampled_from([" ", " ", " ", "  "]),
    ),
    min_size=1,
    max_size=30,
).map(lambda words: "".join(word + space for word, space in words) + "end")
yaml_text = st.one_of(st.sampled_from(YAML_TRICKY), st.text(text_chars, max_size=90), long_plain)
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.dates(),
    yaml_text,
)
front_matter_like = st.dictionaries(
    st.one_of(st.from_regex(r"[a-z_]{1,20}", fullmatch=True), yaml_text),
    st.one_of(
        scalar,
        st.lists(st.one_of(yaml_text, st.integers(0, 5)), max_size=3),
        st.dictionaries(yaml_text, st.one_of(st.integers(1, 3), yaml_text), max_size=3),
        # A list of mappings, as the openers are written.
        st.lists(st.dictionaries(yaml_text, scalar, max_size=4), max_size=3),
    ),
    max_size=6,
)
json_like = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(text_chars, max_size=20),
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(text_chars, max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "empty.db"
        open_journal(path).close()
        yield path


def _journal_with(
    template: Path, folder: Path, items: list[ImportedEntry], openers: Sequence[Opener] = ()
) -> Any:
    shutil.copy(template, folder / "j.db")
    journal = open_journal(folder / "j.db")
    journal.add_imported([journal.check_imported(item) for item in items])
    add_openers(journal, openers)
    return journal


@SETTINGS
@given(data=front_matter_like)
def test_front_matter_is_what_pyyaml_writes(data: dict[str, Any]) -> None:
    assert yaml_front_matter(data) == _yaml_dump(data)


@SETTINGS
@given(items=ENTRY_LISTS, openers=OPENER_LISTS)
def test_entry_front_matter_and_json_match_the_libraries(
    template: Path, items: list[ImportedEntry], openers: list[Opener]
) -> None:
    with tempfile.TemporaryDirectory() as name:
        journal = _journal_with(template, Path(name), items, openers)
        try:
            for entry in journal.iter_entries():
                data = front_matter(entry, lambda prompt_id: None)
                assert yaml_front_matter(data) == _yaml_dump(data)
                record = entry_to_json(entry)
                expected = json.dumps(record, ensure_ascii=False, indent=2)
                assert indented_json(record, "    ") == expected.replace("\n", "\n    ")
        finally:
            journal.close()


@SETTINGS
@given(value=json_like)
def test_indented_json_is_what_json_dumps_writes(value: Any) -> None:
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)
    assert indented_json(value, "  ") == json.dumps(value, ensure_ascii=False, indent=2).replace(
        "\n", "\n  "
    )


@SETTINGS
@given(items=ENTRY_LISTS, openers=OPENER_LISTS)
def test_marker_walk_finds_the_headings_the_parser_finds(
    template: Path, items: list[ImportedEntry], openers: list[Opener]
) -> None:
    with tempfile.TemporaryDirectory() as name:
        journal = _journal_with(template, Path(name), items, openers)
        try:
            out = io.StringIO()
            write_markdown_single(journal.iter_entries(), out, count=len(items), now=FIXED_NOW)
        finally:
            journal.close()
    text = out.getvalue()
    walked = _walk_entry_starts(text.split("\n"))
    assert walked is not None and len(walked) == len(items)
    assert walked == _entry_starts(text)


def test_an_edited_export_falls_back_to_the_parser(template: Path, tmp_path: Path) -> None:
    items = [
        ImportedEntry(
            body=f"Entry {n}.\n\n```\n## 2026-03-01\n<!-- reconnect-journal:entry {{}} -->\n```",
            date=dt.date(2026, 3, n),
            created_at=dt.datetime(2026, 3, n, 9, tzinfo=dt.UTC),
        )
        for n in (1, 2, 3)
    ]
    journal = _journal_with(template, tmp_path, items)
    out = io.StringIO()
    write_markdown_single(journal.iter_entries(), out, count=3, now=FIXED_NOW)
    journal.close()
    lines = out.getvalue().split("\n")
    second = next(n for n, line in enumerate(lines) if line.startswith("## 2026-03-02"))
    # A line added by hand to the first entry's body: its marker's count no longer fits.
    lines.insert(second - 2, "A line added by hand.")
    edited = "\n".join(lines)
    assert _walk_entry_starts(lines) is None
    parsed = read_markdown_single(edited)
    assert [e.body.split("\n")[0] for _, e in parsed.entries] == [
        "Entry 1.",
        "Entry 2.",
        "Entry 3.",
    ]
    assert "A line added by hand." in parsed.entries[0][1].body
    assert parsed.problems == []


@SETTINGS
@given(items=ENTRY_LISTS)
def test_streamed_entries_are_the_listed_entries(
    template: Path, items: list[ImportedEntry]
) -> None:
    with tempfile.TemporaryDirectory() as name:
        journal = _journal_with(template, Path(name), items)
        try:
            first = journal.iter_entries()
            trashed = next(first).id
            first.close()
            journal.delete(trashed)
            queries = [
                EntryQuery(limit=None),
                EntryQuery(limit=None, barriers=(Barrier.GRIEF, Barrier.SHAME)),
                EntryQuery(limit=None, date_from=dt.date(2010, 1, 1)),
                EntryQuery(limit=None, tags=tuple({t for i in items for t in i.tags})[:1]),
            ]
            for query in queries:
                streamed = list(journal.iter_entries(query, page_size=2))
                assert streamed == list(reversed(journal.list(query)))
                assert trashed not in [e.id for e in streamed]
        finally:
            journal.close()


def _day_summary_recount(db: sqlite3.Connection) -> list[tuple[Any, ...]]:
    barrier_sums = ", ".join(
        f"sum(coalesce((SELECT intensity FROM entry_barrier b WHERE b.entry_id = e.id "
        f"AND b.barrier = '{b.value}'), 0))"
        for b in Barrier
    )
    return db.execute(
        "SELECT date, count(*), sum(coalesce(emotional_closeness, 0)), "
        f"count(emotional_closeness), {barrier_sums} "
        "FROM entry e WHERE deleted_at IS NULL GROUP BY date ORDER BY date"
    ).fetchall()


@SETTINGS
@given(items=ENTRY_LISTS)
def test_bulk_import_keeps_search_index_and_day_summaries_right(
    template: Path, items: list[ImportedEntry]
) -> None:
    with tempfile.TemporaryDirectory() as name:
        journal = _journal_with(template, Path(name), items)
        journal.close()
        db = sqlite3.connect(Path(name) / "j.db")
        try:
            assert db.execute("SELECT count(*) FROM entry WHERE deleted_at IS NOT NULL").fetchone()
            assert db.execute("SELECT count(*) FROM entry WHERE deleted_at IS NULL").fetchone() == (
                len(items),
            )
            db.execute("INSERT INTO entry_fts (entry_fts) VALUES ('integrity-check')")
            indexed = db.execute("SELECT rowid, tags FROM entry_fts ORDER BY rowid").fetchall()
            expected = db.execute(
                "SELECT id, (SELECT group_concat(tag, ' ') FROM "
                "(SELECT tag FROM entry_tag WHERE entry_id = entry.id ORDER BY 1)) "
                "FROM entry ORDER BY id"
            ).fetchall()
            assert indexed == expected
            summary = db.execute(
                "SELECT date, entries, emotional_sum, emotional_n, shame_intensity, "
                "resentment_intensity, trust_intensity, unseen_intensity, grief_intensity "
                "FROM day_summary ORDER BY date"
            ).fetchall()
            assert summary == _day_summary_recount(db)
        finally:
            db.close()


def test_file_batch_writes_private_files(tmp_path: Path) -> None:
    target = tmp_path / "new"
    target.mkdir()
    with file_batch(replace=False) as write:
        write(target / "a.md", "one\r\ntwo")
    assert (target / "a.md").read_bytes() == b"one\r\ntwo"
    assert (target / "a.md").stat().st_mode & 0o777 == 0o600


def test_file_batch_leaves_existing_files_whole_when_it_fails(tmp_path: Path) -> None:
    tmp_path = tmp_path / "vault"
    tmp_path.mkdir()
    (tmp_path / "a.md").write_text("old a")
    (tmp_path / "b.md").write_text("old b")
    with pytest.raises(RuntimeError), file_batch(replace=True) as write:
        write(tmp_path / "a.md", "new a")
        raise RuntimeError("the export failed half way")
    assert (tmp_path / "a.md").read_text() == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md"]  # no temp files
    with file_batch(replace=True) as write:
        write(tmp_path / "a.md", "new a")
    assert (tmp_path / "a.md").read_text() == "new a"
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o600


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _tags_by_hand(
    text: str,
    signs: str,
    blocked_after: Callable[[str], bool],
    starts: Callable[[str], bool],
    goes_on: Callable[[str], bool],
) -> list[str]:
    """Tags read one character at a time: a sign not just after a character that
    `blocked_after` names, a character that `starts`, then those that go on."""
    found = []
    i = 0
    while i < len(text):
        if text[i] in signs and not (i and blocked_after(text[i - 1])):
            end = i + 1
            if end < len(text) and starts(text[end]):
                while end + 1 < len(text) and goes_on(text[end + 1]):
                    end += 1
                found.append(text[i : end + 1])
                i = end + 1
                continue
        i += 1
    return found


TAG_TEXT = st.text(alphabet=st.sampled_from("#@ a1_-&/+*\nxÉ٣\t.#"), max_size=16)
TAG_SETTINGS = settings(max_examples=2000, deadline=None)  # cheap: a regex over short texts


@given(TAG_TEXT)
@TAG_SETTINGS
def test_hashtag_search_finds_what_a_character_by_character_reading_finds(text: str) -> None:
    from reconnect_journal.core.tags import _HASHTAG

    by_hand = _tags_by_hand(
        text,
        "#",
        blocked_after=lambda c: _is_word(c) or c in "#&/",  # not 'page#anchor', '##', '&#'
        starts=str.isalpha,
        goes_on=lambda c: _is_word(c) or c == "-",
    )
    assert ["#" + tag for tag in _HASHTAG.findall(text)] == by_hand


@given(TAG_TEXT)
@TAG_SETTINGS
def test_jrnl_tag_search_finds_what_a_character_by_character_reading_finds(text: str) -> None:
    from reconnect_journal.io.readers import jrnl_tags

    def in_tag(char: str) -> bool:
        return _is_word(char) or char in "-+*#/"

    by_hand = _tags_by_hand(
        text, "@#", blocked_after=lambda c: not c.isspace(), starts=in_tag, goes_on=in_tag
    )
    assert jrnl_tags(text) == by_hand
