"""Export, then import into an empty journal, gives back the same entries field for field,
for every layout: a property over random entries (Unicode, emoji, Markdown headings,
front-matter-like lines, code fences, empty titles)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.model import BarrierTag, EntryQuery, ImportedEntry
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
    template: Path, items: list[ImportedEntry], fmt: str, layout: str, *, crlf: bool = False
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        shutil.copy(template, here / "a.db")
        shutil.copy(template, here / "b.db")
        source, target = open_journal(here / "a.db"), open_journal(here / "b.db")
        try:
            checked = [source.check_imported(item) for item in items]
            source.add_imported(checked)
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
            assert run_import(target, out).already_there == len(items)  # twice adds nothing
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
@given(items=ENTRY_LISTS)
def test_markdown_single_file_round_trip(template: Path, items: list[ImportedEntry]) -> None:
    round_trip(template, items, "md", "single")


@SETTINGS
@given(items=ENTRY_LISTS)
def test_markdown_folder_round_trip(template: Path, items: list[ImportedEntry]) -> None:
    round_trip(template, items, "md", "folder")


@SETTINGS
@given(items=ENTRY_LISTS)
def test_json_round_trip(template: Path, items: list[ImportedEntry]) -> None:
    round_trip(template, items, "json", "single")


@SETTINGS
@given(items=ENTRY_LISTS, layout=st.sampled_from(["single", "folder"]))
def test_markdown_saved_again_with_windows_line_ends_round_trips(
    template: Path, items: list[ImportedEntry], layout: str
) -> None:
    round_trip(template, items, "md", layout, crlf=True)
