"""Export, then import into an empty journal, gives back the same entries field for field,
for every layout: a property over random entries (Unicode, emoji, Markdown headings,
front-matter-like lines, code fences, empty titles), some with conversation openers."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.model import BarrierTag, EntryQuery, ImportedEntry
from reconnect_journal.core.openers import OpenerParts
from reconnect_journal.io.export import run_export
from reconnect_journal.io.importing import run_import
from tests.io_support import FIXED_TODAY, comparable, open_journal

pytestmark = pytest.mark.usefixtures("utc_clock")

TRICKY_LINES = [
    "# A heading",
    "## Second level",
    "###### Sixth",
    "##### Fifth",
    "---",
    "===",
    "title: looks like front matter",
    "date: 2020-01-01",
    "```",
    "~~~~~",
    "<!-- a comment",
    "-->",
    "<!-- reconnect-journal:entry {} -->",
    "## 2026-03-01 · Not an entry",
    "> # quoted heading",
    "- # list heading",
    "    indented code",
    "",
    "   ",
    "#hashtag and @at",
    "emoji 💛🫶🏽 and 日本語",
]
text_chars = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"
) | st.sampled_from(["\n", "\t", "\r", " "])
line = st.one_of(st.sampled_from(TRICKY_LINES), st.text(text_chars, max_size=30))
body = st.lists(line, min_size=1, max_size=8).map("\n".join).filter(lambda b: b.strip() != "")
tag = st.from_regex(r"[a-zé][a-z0-9é_-]{0,10}", fullmatch=True)
moment = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2026, 3, 13, 23, 59, 59)
).map(lambda m: m.replace(microsecond=0, tzinfo=dt.UTC))


@st.composite
def entries(draw: st.DrawFn) -> ImportedEntry:
    created = draw(moment)
    barriers = [
        BarrierTag(b, draw(st.integers(1, 3)), draw(st.sampled_from(["user", "suggestion"])))
        for b in draw(st.lists(st.sampled_from(list(Barrier)), unique=True, max_size=3))
    ]
    return ImportedEntry(
        uuid=str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)), version=4)),
        body=draw(body),
        date=draw(st.dates(dt.date(2000, 1, 1), FIXED_TODAY)),
        created_at=created,
        updated_at=created + dt.timedelta(seconds=draw(st.integers(0, 10**6))),
        title=draw(st.one_of(st.none(), st.just(""), st.text(text_chars, max_size=40))),
        barriers=barriers,
        tags=draw(st.lists(tag, max_size=3)),
        emotional_closeness=draw(st.one_of(st.none(), st.integers(1, 5))),
        physical_intimacy=draw(st.one_of(st.none(), st.integers(1, 5))),
        starred=draw(st.booleans()),
        share=draw(st.booleans()),
        prompt_id=draw(st.sampled_from([None, "evening-1", "user:mine"])),
    )


# Words of a conversation opener that an export must keep exactly: quotes, newlines,
# emoji, and what looks like Markdown, YAML or our own marker and opener lines.
OPENER_TRICKY = [
    'I feel "left out"',
    "it's 'quoted'",
    "lonely 💛🫶🏽 寂しい",
    "two\nlines\n",
    "**Conversation opener:** not mine",
    "- a: b",
    "# heading",
    "<!-- reconnect-journal:entry {} -->",
    "yes",
    "null",
    "2026-03-01",
    "x" * 90,
    "",
]
opener_words = st.one_of(st.sampled_from(OPENER_TRICKY), st.text(text_chars, max_size=40))
# Openers to add once the entries are in: (which entry, by position oldest first; feeling,
# about, need, the words settled on, when it was written). Blank words get the template's.
OPENER_LISTS = st.lists(
    st.tuples(st.integers(0, 3), opener_words, opener_words, opener_words, opener_words, moment),
    max_size=4,
)
Opener = tuple[int, str, str, str, str, dt.datetime]


def add_openers(journal: JournalService, openers: Sequence[Opener]) -> None:
    """Keep the drawn openers beside the journal's entries, each written at its moment."""
    entries = list(journal.iter_entries())
    clock = journal.clock
    try:
        for index, feeling, about, need, text, when in openers:
            journal.clock = lambda when=when: when  # type: ignore[misc]
            parts = OpenerParts(feeling, about, need)
            journal.add_opener(entries[index % len(entries)].id, parts, text)
    finally:
        journal.clock = clock


def openers_by_uuid(journal: JournalService) -> dict[str, list[tuple[Any, ...]]]:
    """Every entry's openers, field for field, by the entry's uuid."""
    return {
        entry.uuid: [
            (o.feeling, o.about, o.need, o.text, o.created_at, o.updated_at)
            for o in journal.openers_for(entry.id)
        ]
        for entry in journal.iter_entries()
    }


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """An empty, migrated journal to copy: opening a new one each example would be slow."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "empty.db"
        open_journal(path).close()
        yield path


def saved_again_with_crlf(out: Path) -> None:
    """As a Windows editor or `sed 's/$/\\r/'` would save an export: every line ends
    '\\r\\n' (an entry's own '\\r\\n' becoming '\\r\\r\\n')."""
    for path in [out] if out.is_file() else sorted(out.rglob("*.md")):
        data = path.read_bytes()
        path.write_bytes(data.replace(b"\n", b"\r\n"))


def round_trip(
    template: Path,
    items: list[ImportedEntry],
    fmt: str,
    layout: str,
    *,
    crlf: bool = False,
    openers: list[Opener] | None = None,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        shutil.copy(template, here / "a.db")
        shutil.copy(template, here / "b.db")
        source, target = open_journal(here / "a.db"), open_journal(here / "b.db")
        try:
            checked = [source.check_imported(item) for item in items]
            source.add_imported(checked)
            add_openers(source, openers or [])
            kept = openers_by_uuid(source)
            assert sum(map(len, kept.values())) == len(openers or [])
            out = here / ("vault" if layout == "folder" else f"export.{fmt}")
            run_export(
                source,
                EntryQuery(limit=None),
                fmt=fmt,  # type: ignore[arg-type]
                layout=layout,  # type: ignore[arg-type]
                out=out,
                force=False,
                stdout=io.StringIO(),
            )
            if crlf:
                saved_again_with_crlf(out)
            report = run_import(target, out)
            assert (report.added, report.already_there, report.unreadable) == (len(items), 0, [])
            assert comparable(target) == comparable(source)
            assert openers_by_uuid(target) == kept
            assert run_import(target, out).already_there == len(items)  # twice adds nothing
            assert openers_by_uuid(target) == kept  # and no opener twice
        finally:
            source.close()
            target.close()


# Distinct entries: the same uuid, or the same moment and text, is one entry to an import.
ENTRY_LISTS = st.lists(
    entries(),
    min_size=1,
    max_size=4,
    unique_by=(lambda e: e.uuid, lambda e: (e.created_at, e.body)),
)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(items=ENTRY_LISTS, openers=OPENER_LISTS)
def test_markdown_single_file_round_trip(
    template: Path, items: list[ImportedEntry], openers: list[Opener]
) -> None:
    round_trip(template, items, "md", "single", openers=openers)


@SETTINGS
@given(items=ENTRY_LISTS, openers=OPENER_LISTS)
def test_markdown_folder_round_trip(
    template: Path, items: list[ImportedEntry], openers: list[Opener]
) -> None:
    round_trip(template, items, "md", "folder", openers=openers)


@SETTINGS
@given(items=ENTRY_LISTS, openers=OPENER_LISTS)
def test_json_round_trip(template: Path, items: list[ImportedEntry], openers: list[Opener]) -> None:
    round_trip(template, items, "json", "single", openers=openers)


@SETTINGS
@given(items=ENTRY_LISTS, layout=st.sampled_from(["single", "folder"]), openers=OPENER_LISTS)
def test_markdown_saved_again_with_windows_line_ends_round_trips(
    template: Path, items: list[ImportedEntry], layout: str, openers: list[Opener]
) -> None:
    round_trip(template, items, "md", layout, crlf=True, openers=openers)
