"""Full-text search (issue 7): parsing, the FTS5 index kept in step by triggers, filters,
saved searches, `search` and `check` on the command line, and `/` in the journal window."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Static
from typer.testing import CliRunner

from reconnect_journal.cli import app as cli_app
from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.checks import run_checks
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.errors import InputError, NotFoundError
from reconnect_journal.core.model import BarrierTag, EntryChanges, NewEntry
from reconnect_journal.core.search import (
    MARK_END,
    MARK_START,
    Search,
    SearchFilters,
    lead_to_first_match,
    lift_filters,
    parse_search,
    plain_snippet,
    snippet_parts,
)
from reconnect_journal.core.search_service import SearchService
from reconnect_journal.store.engine import KNOWN_REVISIONS, make_engine, run_migrations
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.formatting import MATCH_STYLE, as_sentence
from reconnect_journal.tui.screens.journal import JournalScreen
from reconnect_journal.tui.screens.save_search import SaveSearchScreen
from reconnect_journal.tui.widgets.entry_list import EntryList
from reconnect_journal.tui.widgets.search_filters import FilterChip, SearchFilterChips

from .tui_support import FIXED_NOW, FIXED_TODAY, journal_at, make_app, run_app, settle, type_text

runner = CliRunner()

ENTRIES = [
    NewEntry(
        title="A slow walk by the river",
        date=dt.date(2026, 11, 20),
        body="We walked by the river after lunch and talked about the weekend. #walk",
        barriers=[BarrierTag(Barrier.TRUST, 2)],
        emotional_closeness=4,
        physical_intimacy=2,
        starred=True,
    ),
    NewEntry(
        title="The dishes",
        date=dt.date(2026, 11, 21),
        body="We argued about the dishes again. It was not really about the dishes.",
        barriers=[BarrierTag(Barrier.RESENTMENT, 2), BarrierTag(Barrier.UNSEEN, 1)],
        emotional_closeness=2,
    ),
    NewEntry(
        title="Her mother's birthday",
        date=dt.date(2026, 11, 22),
        body="The first one without her. We lit a candle by the river.",
        barriers=[BarrierTag(Barrier.GRIEF, 3), BarrierTag(Barrier.UNSEEN, 2)],
        tags=["family"],
        emotional_closeness=3,
        share=True,
        prompt_id="grief-01",
    ),
    NewEntry(
        title=None,
        date=dt.date(2026, 11, 23),
        body="Riverside café, coffee and a long talk about walking more.",
        emotional_closeness=5,
        physical_intimacy=4,
    ),
]


@pytest.fixture
def journal(journal_path: Path) -> Iterator[JournalService]:
    with journal_at(journal_path) as opened:
        for entry in ENTRIES:
            opened.add(entry)
        yield opened


def searcher(journal: JournalService) -> SearchService:
    return SearchService(journal.store, clock=lambda: FIXED_NOW, today=lambda: FIXED_TODAY)


def ids(journal: JournalService, text: str, filters: SearchFilters | None = None) -> list[int]:
    return [e.id for e in searcher(journal).find(Search(text, filters or SearchFilters()), None)]


def index_in_step(journal: JournalService) -> bool:
    report = run_checks(journal.store)
    return report.ok


# -- parsing ------------------------------------------------------------------------------


def test_words_phrases_prefixes_and_not_become_quoted_fts5() -> None:
    parsed = parse_search('river "long talk" walk* -dishes NOT "the end"')
    assert parsed.match() == '("river" AND "long talk" AND "walk"*) NOT "dishes" NOT "the end"'
    assert parse_search("title:river").match() == '(title : "river")'
    assert parse_search("#walk @home").match() == '("walk" AND "home")'


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("AND OR NEAR", '("OR" AND "NEAR")'),  # keywords are plain words (AND is implied)
        ('"lone quote', '("lone quote")'),
        ("(river)", '("(river)")'),
        ("river ^start", '("river" AND "^start")'),
        ('say "it"* now', '("say" AND "it"* AND "now")'),
        ('x"y', '("x" AND "y")'),
        ("10:30", '("10:30")'),
        ("a-b", '("a-b")'),
    ],
)
def test_odd_input_becomes_a_literal_search(typed: str, expected: str) -> None:
    assert parse_search(typed).match() == expected


@pytest.mark.parametrize("typed", ['"', "*", "(", ")", "-", "- *", '""', "NOT", "-river"])
def test_input_with_nothing_to_find_gives_no_match(typed: str) -> None:
    assert parse_search(typed).match() is None


@pytest.mark.parametrize(
    "typed",
    [
        '"', "*", "(", ")", "AND", "OR", "NEAR", "NEAR(a b)", "title:", "river*", '"a" OR "b"',
        "'", "^", "a:b:c", "{x}", "[x]", "+x", "x AND", "NOT NOT river", "(river OR", "🙂",
        "col:x", "title:\"x", "*river", "river**", '"river',
    ],
)  # fmt: skip
def test_nothing_typed_raises_an_fts_syntax_error(journal: JournalService, typed: str) -> None:
    service = searcher(journal)
    try:
        service.find(Search(typed), 5)
        service.count(Search(typed))
    except InputError as problem:  # a clear message is fine; an SQLite error is not
        assert "\n" not in str(problem) and "fts5" not in str(problem).lower()


def test_unknown_filter_keys_and_bad_values_are_clear_input_errors() -> None:
    with pytest.raises(InputError, match="'colour:' is not a filter"):
        parse_search("colour:red")
    with pytest.raises(InputError, match="unknown barrier 'boredom'"):
        parse_search("barrier:boredom")
    with pytest.raises(InputError, match="emotional closeness '6' is out of range"):
        parse_search("emotional:6")
    with pytest.raises(InputError, match="cannot be negated"):
        parse_search("-tag:walk")


def test_filters_typed_among_the_words() -> None:
    parsed = parse_search(
        'river barrier:grief tag:#Walk from:"3 days ago" emotional:2-4 is:starred has:prompt',
        today=dt.date(2026, 11, 24),
    )
    assert parsed.match() == '("river")'
    assert parsed.filters == SearchFilters(
        barriers=(Barrier.GRIEF,),
        tags=("walk",),
        date_from=dt.date(2026, 11, 21),
        emotional=(2, 4),
        starred=True,
        has_prompt=True,
    )


def test_a_to_filter_without_a_year_ends_on_or_after_the_from_filter() -> None:
    """The same rule as --from/--to: December is one December, even early in December."""
    today = dt.date(2026, 12, 3)
    parsed = parse_search('walk from:"1 december" to:"31 december"', today=today)
    assert (parsed.filters.date_from, parsed.filters.date_to) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )
    # In the window, filters become chips one at a time: the `from` chip already there counts.
    _, chips = lift_filters('from:"1 december" ', SearchFilters(), today=today)
    _, chips = lift_filters('to:"31 december"', chips, today=today, final=True)
    assert (chips.date_from, chips.date_to) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert parse_search('to:"31 december"', today=today).filters.date_to == dt.date(2026, 12, 31)


def test_as_you_type_the_last_word_matches_longer_words() -> None:
    assert parse_search("river wal", as_you_type=True).match() == '("river" AND "wal"*)'
    assert parse_search("river w", as_you_type=True).match() == '("river" AND "w")'
    assert parse_search("river wal ", as_you_type=True).match() == '("river" AND "wal")'


def test_lifting_finished_filters_out_of_the_words() -> None:
    words, filters = lift_filters("river tag:walk barrier:gri", SearchFilters())
    assert (words, filters.tags, filters.barriers) == ("river barrier:gri", ("walk",), ())
    words, filters = lift_filters("river barrier:grief", filters, final=True)
    assert words == "river" and filters.barriers == (Barrier.GRIEF,)
    with pytest.raises(InputError):
        lift_filters("barrier:boredom ", SearchFilters())


def test_filters_survive_a_round_trip_through_json() -> None:
    filters = SearchFilters(
        barriers=(Barrier.SHAME, Barrier.TRUST),
        all_barriers=True,
        tags=("walk",),
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 2, 1),
        emotional=(2, 3),
        physical=(1, 5),
        has_prompt=True,
        starred=True,
        shared=True,
    )
    assert SearchFilters.from_json(json.loads(json.dumps(filters.to_json()))) == filters
    for chip in filters.chips():
        assert filters.without(chip.token) != filters
    assert SearchFilters(starred=True).without("is:starred").is_empty()


def marked_words(typed: str, text: str, column: str = "body", **kwargs: bool) -> list[str]:
    return [text[a:b] for a, b in parse_search(typed, **kwargs).marks(text, column)]


def test_marks_are_the_words_looked_for_as_fts5_finds_them() -> None:
    text = (
        "He doesn\u2019t notice me. NOTICE  me! I\u2019m invisible at the Café; we walked, walking."
    )
    assert marked_words("invisible", text) == ["invisible"]
    assert marked_words("Invis", text) == []  # a whole word unless it is a prefix
    assert marked_words("invis*", text) == ["invisible"]
    assert marked_words("invis", text, as_you_type=True) == ["invisible"]  # as the list asks
    assert marked_words("walk*", text) == ["walked", "walking"]
    assert marked_words('"notice me"', text) == ["notice me", "NOTICE  me"]
    assert marked_words('"notice he"', text) == []
    assert marked_words('"me notice"', text) == ["me. NOTICE"]  # as FTS5: across stops
    assert marked_words("doesn't", text) == ["doesn\u2019t"]
    assert marked_words("cafe", text) == ["Café"]  # accents and case do not matter
    # Only what is looked for: words left out are not marked, nor words meant for
    # another place.
    assert marked_words("invisible -walked NOT cafe", text) == ["invisible"]
    assert marked_words('invisible -"notice me"', text) == ["invisible"]
    assert marked_words("title:invisible", text) == []
    assert marked_words("title:invisible", "Invisible", "title") == ["Invisible"]
    assert marked_words("walk", "#walk #weekend", "tags") == ["walk"]


@pytest.mark.parametrize(
    "typed",
    ["invisible", "walk*", "wal*", '"notice me"', "doesn't", "cafe", "CAFÉ", "naïve", "x-ray*"],
)
@pytest.mark.parametrize(
    "text",
    [
        "He doesn\u2019t notice me. I\u2019m invisible at the café.",
        "We walked; walking is a naive X-rays idea, Notice\nme",
        "Naïve, Cafe, WALK, doesn t",
    ],
)
def test_marks_agree_with_fts5_on_what_matches(typed: str, text: str) -> None:
    # One source of truth: the reader marks a word where FTS5 (same tokenizer) finds it.
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO t (body) VALUES (?)", (text,))
    parsed = parse_search(typed)
    match = parsed.match()
    assert match is not None
    found = db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()[0]
    assert bool(parsed.marks(text, "body")) == bool(found)


def test_a_result_row_starts_a_few_words_before_its_first_match() -> None:
    snippet = (
        "…I keep thinking he doesn't notice me. I'm "
        f"{MARK_START}invisible{MARK_END}. #evening Maybe tomorrow…"
    )
    parts = lead_to_first_match(snippet_parts(snippet))
    assert parts == [
        ("…me. I'm ", False),
        ("invisible", True),
        (". #evening Maybe tomorrow…", False),
    ]
    # Already near the start, or no match at all: as it was.
    near = snippet_parts(f"We {MARK_START}walked{MARK_END} by the river")
    assert lead_to_first_match(near) == near
    assert lead_to_first_match([("no match here", False)]) == [("no match here", False)]
    # A very long word before the match is dropped whole, never cut in the middle.
    long_word = snippet_parts("Supercalifragilisticexpialidocious " + MARK_START + "x" + MARK_END)
    assert lead_to_first_match(long_word) == [("…", False), ("x", True)]


# -- ranking, snippets and the index kept in step ---------------------------------------------


def test_ranked_with_titles_first_and_snippets_marked(journal: JournalService) -> None:
    found = searcher(journal).find(Search("river"), 10)
    assert [e.title for e in found] == ["A slow walk by the river", "Her mother's birthday"]
    assert found[0].rank is not None and found[0].rank <= found[1].rank  # type: ignore[operator]
    assert f"{MARK_START}river{MARK_END}" in found[1].snippet
    assert plain_snippet(found[1].snippet) == (
        "The first one without her. We lit a candle by the **river**."
    )
    # Prefixes, phrases, accents and NOT.
    assert sorted(ids(journal, "river*")) == [1, 3, 4]
    assert ids(journal, "cafe") == [4]
    assert ids(journal, '"the dishes again"') == [2]
    assert ids(journal, '"dishes the"') == []
    assert ids(journal, "river -candle") == [1]
    assert ids(journal, "family") == [3]  # tags are searched too


def test_the_index_follows_add_edit_delete_restore_and_purge(journal: JournalService) -> None:
    assert index_in_step(journal)
    added = journal.add(NewEntry(body="A pelican at the harbour", tags=["birds"]))
    assert ids(journal, "pelican") == [added.id] and ids(journal, "birds") == [added.id]
    journal.edit(added.id, EntryChanges(body="A heron at the harbour", title="Herons"))
    assert ids(journal, "pelican") == [] and ids(journal, "heron") == [added.id]
    journal.edit(added.id, EntryChanges(tags=["wading"]))
    assert ids(journal, "birds") == [] and ids(journal, "wading") == [added.id]
    assert index_in_step(journal)
    journal.delete(added.id)
    assert ids(journal, "heron") == [] and ids(journal, "wading") == []
    assert index_in_step(journal)
    journal.undelete(added.id)
    assert ids(journal, "heron") == [added.id]
    assert index_in_step(journal)
    journal.delete(added.id)
    journal.purge(added.id)
    assert ids(journal, "heron") == []
    assert index_in_step(journal)


def test_an_entry_with_many_tags_stays_in_step(journal: JournalService) -> None:
    entry = journal.add(NewEntry(body="#zeta #alpha #mid words", tags=["omega", "beta"]))
    journal.edit(entry.id, EntryChanges(tags=["alpha", "new"]))
    assert index_in_step(journal)
    assert ids(journal, "omega") == [] and ids(journal, "new") == [entry.id]
    # A tag row changed in place (the app never does this, but the index must not drift).
    conn = sqlite3.connect(journal.store.path)
    with conn:
        conn.execute(
            "UPDATE entry_tag SET tag = 'renamed' WHERE entry_id = ? AND tag = 'new'", (entry.id,)
        )
        conn.execute(
            "UPDATE entry_tag SET entry_id = 1 WHERE entry_id = ? AND tag = 'mid'", (entry.id,)
        )
    conn.close()
    assert ids(journal, "renamed") == [entry.id] and ids(journal, "new") == []
    assert index_in_step(journal)


def test_filters_combine_with_the_words(journal: JournalService) -> None:
    f = SearchFilters
    assert ids(journal, "river", f(starred=True)) == [1]
    assert ids(journal, "river", f(barriers=(Barrier.GRIEF, Barrier.TRUST))) == [1, 3]
    grief_unseen = (Barrier.GRIEF, Barrier.UNSEEN)
    grief_trust = (Barrier.GRIEF, Barrier.TRUST)
    assert ids(journal, "river", f(barriers=grief_unseen, all_barriers=True)) == [3]
    assert ids(journal, "river", f(barriers=grief_trust, all_barriers=True)) == []
    assert sorted(ids(journal, "river*", f(emotional=(4, 5)))) == [1, 4]
    assert ids(journal, "river*", f(emotional=(4, 5), physical=(3, 5))) == [4]
    days = f(date_from=dt.date(2026, 11, 21), date_to=dt.date(2026, 11, 22))
    assert ids(journal, "river*", days) == [3]
    assert ids(journal, "river", f(has_prompt=True, shared=True, tags=("family",))) == [3]
    assert ids(journal, "river", f(tags=("walk", "family"))) == [1, 3]
    # Filters alone list the matching entries, newest first.
    assert ids(journal, "", f(barriers=(Barrier.UNSEEN,))) == [3, 2]
    assert searcher(journal).count(Search("river*", f(emotional=(4, 5)))) == 2
    with pytest.raises(InputError, match="after to"):
        ids(journal, "river", f(date_from=dt.date(2026, 11, 22), date_to=dt.date(2026, 11, 1)))


def test_trashed_entries_are_never_found_even_with_filters(journal: JournalService) -> None:
    journal.delete(3)
    assert ids(journal, "river") == [1]
    assert ids(journal, "river", SearchFilters(barriers=(Barrier.GRIEF,))) == []
    assert ids(journal, "", SearchFilters(barriers=(Barrier.GRIEF,))) == []
    journal.undelete(3)
    assert ids(journal, "river", SearchFilters(barriers=(Barrier.GRIEF,))) == [3]


def test_results_page_with_limit_and_offset(journal: JournalService) -> None:
    service = searcher(journal)
    everything = [e.id for e in service.find(Search("river*"), None)]
    pages = [e.id for o in range(3) for e in service.find(Search("river*"), 1, o)]
    assert pages == everything and len(everything) == 3


def test_saved_searches_are_kept_replaced_and_deleted(journal: JournalService) -> None:
    service = searcher(journal)
    search = Search("river", SearchFilters(barriers=(Barrier.GRIEF,), starred=True))
    service.save("  river   days ", search)
    service.save("calm", Search("", SearchFilters(emotional=(4, 5))))
    assert [(s.name, s.search) for s in service.saved()] == [
        ("calm", Search("", SearchFilters(emotional=(4, 5)))),
        ("river days", search),
    ]
    service.save("calm", Search("coffee"))
    assert service.get_saved("calm").search == Search("coffee")
    service.delete_saved("calm")
    assert [s.name for s in service.saved()] == ["river days"]
    with pytest.raises(NotFoundError):
        service.delete_saved("calm")
    with pytest.raises(InputError):
        service.save("empty", Search())
    with pytest.raises(InputError):
        service.save("bad", Search("colour:red"))
    with pytest.raises(InputError):
        service.save("   ", Search("river"))


# -- rebuilding, and the upgrade ----------------------------------------------------------


def drop_index(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE entry_fts")
    conn.commit()
    conn.close()


def test_check_reports_a_dropped_index_and_reindex_builds_it(journal: JournalService) -> None:
    path = journal.store.path
    drop_index(path)
    report = run_checks(journal.store)
    assert not report.ok
    # The command to type names this journal, which is not the default one.
    missing = f"search index: missing; 'reconnect-journal --db {path} check --reindex'"
    assert any(missing in line for line in report.lines())
    report = run_checks(journal.store, reindex=True)
    assert report.ok, report.lines()
    assert ids(journal, "river") == [1, 3]
    added = journal.add(NewEntry(body="After the rebuild, a kingfisher"))
    assert ids(journal, "kingfisher") == [added.id]
    assert index_in_step(journal)


def test_check_finds_an_index_out_of_step(journal: JournalService) -> None:
    conn = sqlite3.connect(journal.store.path)
    with conn:  # change an entry behind the triggers' back
        conn.execute("DROP TRIGGER entry_fts_entry_update")
        conn.execute("UPDATE entry SET body = 'nothing about water' WHERE id = 3")
    conn.close()
    report = run_checks(journal.store)
    assert not report.ok and "out of step" in report.lines()[-1]
    assert f"'reconnect-journal --db {journal.store.path} check --reindex'" in report.lines()[-1]


def test_upgrading_from_the_previous_revision_indexes_existing_entries(journal_path: Path) -> None:
    previous = KNOWN_REVISIONS[KNOWN_REVISIONS.index("0007") - 1]
    engine = make_engine(journal_path)
    run_migrations(engine, previous)
    with engine.begin() as conn:
        for i, (body, deleted) in enumerate(
            [("An old entry about the harbour", None), ("Trashed harbour note", "2026-01-03")], 1
        ):
            conn.exec_driver_sql(
                "INSERT INTO entry (id, uuid, date, created_at, updated_at, title, body, "
                "deleted_at) VALUES (?, ?, '2026-01-02', '2026-01-02 20:00:00.000000', "
                "'2026-01-02 20:00:00.000000', 'Before', ?, ?)",
                (i, f"u-{i}", body, deleted),
            )
        conn.exec_driver_sql("INSERT INTO entry_tag VALUES (1, 'seaside')")
    engine.dispose()
    with journal_at(journal_path) as upgraded:
        assert upgraded.store.migrated_from == previous
        assert ids(upgraded, "harbour") == [1]
        assert ids(upgraded, "seaside") == [1]
        upgraded.undelete(2)
        assert sorted(ids(upgraded, "harbour")) == [1, 2]
        assert index_in_step(upgraded)
        assert searcher(upgraded).saved() == []


# -- the command line --------------------------------------------------------------------


def cli(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli_app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def seeded(journal_path: Path, journal: JournalService) -> Path:
    return journal_path


def test_cli_search_prints_ranked_entries_with_marked_snippets(seeded: Path) -> None:
    code, out, _ = cli(seeded, "search", "river")
    assert code == 0
    lines = out.splitlines()
    assert "A slow walk by the river" in lines[0] and lines[0].split()[0] == "1"
    assert "**river**" in lines[1]
    assert "Her mother's birthday" in lines[2]
    code, out, _ = cli(seeded, "search", "zebra")
    assert (code, out.strip()) == (0, "No entries match.")


def test_cli_search_json_is_list_json_plus_snippet_and_rank(seeded: Path) -> None:
    _, listed, _ = cli(seeded, "list", "--json")
    code, out, _ = cli(seeded, "search", "river", "--json", "-b", "grief", "--barrier", "trust")
    assert code == 0
    found = json.loads(out)
    assert [e["id"] for e in found] == [1, 3]
    by_id = {e["id"]: e for e in json.loads(listed)}
    for entry in found:
        snippet, rank = entry.pop("snippet"), entry.pop("rank")
        assert entry == by_id[entry["id"]]
        assert "**river**" in snippet.lower() and isinstance(rank, float)


def test_cli_search_options_are_the_filters(seeded: Path) -> None:
    def found(*args: str) -> list[int]:
        code, out, err = cli(seeded, "search", *args, "--json")
        assert code == 0, err
        return [e["id"] for e in json.loads(out)]

    assert found("river", "--starred") == [1]
    assert found("river", "-b", "grief", "-b", "unseen", "--all-barriers") == [3]
    assert found("river*", "--emotional", "4-5", "--physical", "3-5") == [4]
    assert found("river*", "--from", "2026-11-21", "--to", "2026-11-22") == [3]
    assert found("river", "--has-prompt", "--shared", "--tag", "family") == [3]
    assert found("river*", "-n", "1") == [1]
    assert found("--barrier", "unseen") == [3, 2]  # filters alone: newest first
    assert found("river", "tag:walk") == [1]  # typed filters work here too


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (['"'], "nothing to search for"),
        (["*"], "nothing to search for"),
        (["--", "-river"], "only says what to leave out"),
        (["colour:red"], "'colour:' is not a filter"),
        (["river", "--emotional", "5-2"], "goes downwards"),
        (["river", "--emotional", "lots"], "is not a range"),
        (["river", "--barrier", "boredom"], "unknown barrier"),
        (["river", "--all-barriers"], "--all-barriers goes with"),
        (["river", "-n", "0"], "--limit 0 is too small"),
        (["river", "--from", "someday"], "someday"),
    ],
)
def test_cli_search_bad_input_is_one_line_and_exit_2(
    seeded: Path, args: list[str], message: str
) -> None:
    before = seeded.read_bytes()
    code, out, err = cli(seeded, "search", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("reconnect-journal: ") and message in err
    assert "Traceback" not in err
    assert seeded.read_bytes() == before


def test_cli_check_and_reindex(seeded: Path) -> None:
    code, out, _ = cli(seeded, "check")
    assert code == 0 and "journal file: intact" in out and "search index: in step" in out
    drop_index(seeded)
    code, out, _ = cli(seeded, "check")
    assert code == 1 and "FAIL  search index: missing" in out
    code, out, _ = cli(seeded, "check", "--reindex")
    assert code == 0 and "rebuilt" in out
    code, out, _ = cli(seeded, "search", "candle", "--json")
    assert [e["id"] for e in json.loads(out)] == [3]


def break_index(path: Path, passphrase: str | None = None) -> None:
    """Take the index's word lists away behind its back: FTS5 then reports 'database disk
    image is malformed' (or 'fts5: corruption found') though the file itself is sound."""
    from reconnect_journal.store.crypto import connect

    conn = connect(path, passphrase) if passphrase else sqlite3.connect(path)
    conn.execute("DELETE FROM entry_fts_data WHERE id > 10")
    conn.commit()
    conn.close()


def damage_mark(path: Path) -> Path:
    return path.with_name(f".{path.name}.damaged")


def test_a_broken_search_index_is_not_a_damaged_journal(seeded: Path) -> None:
    break_index(seeded)
    code, out, err = cli(seeded, "search", "river")
    assert (code, out) == (1, "")
    assert err == (
        f"reconnect-journal: the search index of {seeded} is out of step with its entries "
        "(a problem in the index, not in the entries); nothing was changed. "
        f"'reconnect-journal --db {seeded} check --reindex' checks the file and builds the "
        "index again from the entries\n"
    )
    assert not damage_mark(seeded).exists()
    code, out, _ = cli(seeded, "list", "--json")  # reading the entries still works
    assert code == 0 and len(json.loads(out)) == len(ENTRIES)
    code, out, _ = cli(seeded, "check", "--reindex")
    assert code == 0 and "journal file: intact" in out and "rebuilt, and in step" in out
    code, out, _ = cli(seeded, "search", "river", "--json")
    assert code == 0 and [e["id"] for e in json.loads(out)] == [1, 3]


def test_a_search_over_a_damaged_file_still_finds_it_damaged(seeded: Path) -> None:
    """The search index is blamed only when the file itself passes a quick check."""
    conn = sqlite3.connect(seeded)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entry'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with seeded.open("r+b") as handle:  # scribble over the entries' own table
        handle.seek((root - 1) * size + 8)
        handle.write(b"\x07" * 200)
    code, _, err = cli(seeded, "search", "river")
    assert code == 1 and f"{seeded} is damaged" in err and "search index" not in err
    assert damage_mark(seeded).exists()


def test_check_tells_a_broken_search_index_from_a_damaged_file_when_encrypted(
    seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLCipher's SQLite has PRAGMA quick_check and integrity_check look into FTS5 too;
    a problem in the index alone is the search index's, which --reindex puts right."""
    from reconnect_journal.store.engine import open_store
    from reconnect_journal.store.health import quick_check

    passphrase = "a long enough passphrase"
    monkeypatch.setenv("RECONNECT_JOURNAL_PASSPHRASE", passphrase)
    assert cli(seeded, "encrypt")[0] == 0
    break_index(seeded, passphrase)
    store = open_store(seeded, passphrase=passphrase)
    try:
        quick_check(store)  # what the window runs on opening: no DamagedJournal
    finally:
        store.close()
    code, out, _ = cli(seeded, "check")
    assert code == 1 and "ok    journal file: intact" in out
    assert "FAIL  search index: out of step" in out
    assert not damage_mark(seeded).exists()
    code, out, _ = cli(seeded, "check", "--reindex")
    assert code == 0 and "rebuilt, and in step" in out
    code, out, _ = cli(seeded, "search", "river", "--json")
    assert code == 0 and [e["id"] for e in json.loads(out)] == [1, 3]


# -- the journal window --------------------------------------------------------------------


def seed_tui(path: Path) -> None:
    with journal_at(path) as opened:
        for entry in ENTRIES:
            opened.add(entry)


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def typed(pilot: Pilot[None], text: str) -> None:
    await type_text(pilot, text)
    await pilot.pause(0.4)  # the search waits for typing to settle
    await settle(pilot)


def listed(app: JournalApp) -> list[int]:
    return [entry.id for entry in app.screen.query_one(EntryList).entries]


def test_tui_search_ranks_marks_and_turns_filters_into_chips(journal_path: Path) -> None:
    seed_tui(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await press(pilot, "2")
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        entry_list = screen.query_one(EntryList)
        await press(pilot, "slash")
        await typed(pilot, "riv")  # the word being typed finds longer words
        assert sorted(listed(app)) == [1, 3, 4]
        rows = [str(entry_list.get_option_at_index(i).prompt) for i in range(3)]
        # The words just before the match (the row starts near it, so that it shows).
        assert any("Her mother's birthday" in row and "…by the river" in row for row in rows)
        await typed(pilot, "er barrier:unseen ")
        chips = screen.query_one(SearchFilterChips)
        assert chips.tokens == ["barrier:unseen"]
        assert screen.query_one("#journal-search", Input).value == "river "
        assert listed(app) == [3]
        assert entry_list.border_title == "1 entry matches"
        await typed(pilot, "is:starred ")
        assert chips.tokens == ["barrier:unseen", "is:starred"]
        assert listed(app) == []
        # A chip goes with a click.
        await pilot.click(FilterChip, offset=(2, 0))
        await settle(pilot)
        assert chips.tokens == ["is:starred"]
        assert listed(app) == [1]
        # Backspace deletes the words as usual; once at the start, it takes the last chip.
        search = screen.query_one("#journal-search", Input)
        search.focus()
        await press(pilot, "end", *["backspace"] * len("river "))
        assert search.value == "" and chips.tokens == ["is:starred"]
        await typed(pilot, "barrier:grief ")
        assert chips.tokens == ["barrier:grief", "is:starred"]
        await press(pilot, "backspace")  # the last chip in the row goes first
        assert chips.tokens == ["barrier:grief"]
        assert search.has_focus
        await press(pilot, "backspace")
        assert chips.tokens == []
        await press(pilot, "backspace")  # nothing left to take: nothing happens
        await typed(pilot, "river is:starred ")
        assert chips.tokens == ["is:starred"] and listed(app) == [1]
        # A filter not understood says so under the box, and the list stays.
        await typed(pilot, "colour:red ")
        problem = app.screen.query_one("#search-problem")
        assert problem.display and "not a filter" in str(problem.render())
        assert "; use one of" in str(problem.render())  # what is accepted, not cut short
        assert listed(app) == [1]
        await press(pilot, "escape")
        assert not chips.tokens and not search.display
        assert len(listed(app)) == len(ENTRIES)

    run_app(make_app(journal_path), scenario)


def test_tui_search_at_80_columns_shows_and_marks_the_matched_word(journal_path: Path) -> None:
    # QA, 80x24: the row showed "…I keep thinking he doesn't…", the matched word cut off,
    # and the reader did not mark it.
    with journal_at(journal_path) as opened:
        opened.add(
            NewEntry(
                date=dt.date(2026, 11, 23),
                body=(
                    "He was on his phone all through dinner and went straight to bed, and "
                    "I keep thinking he doesn't notice me, like I'm invisible. #evening"
                ),
            )
        )

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await press(pilot, "2")
        await press(pilot, "slash")
        await typed(pilot, "invisible")
        entry_list = app.screen.query_one(EntryList)
        assert entry_list.border_title == "1 entry matches"
        shown = [entry_list.render_line(y).text for y in range(entry_list.size.height)]
        assert any("invisible" in line for line in shown), shown
        body = app.screen.query_one("#reader-body", Static).render()
        assert isinstance(body, Content)
        marked = [body.plain[s.start : s.end] for s in body.spans if s.style == MATCH_STYLE]
        assert marked == ["invisible"]
        # Marked as the search changes; nothing marked once it is cleared.
        await typed(pilot, ' "notice me"')
        body = app.screen.query_one("#reader-body", Static).render()
        assert isinstance(body, Content)
        marked = [body.plain[s.start : s.end] for s in body.spans if s.style == MATCH_STYLE]
        assert marked == ["notice me", "invisible"]
        await press(pilot, "escape")
        body = app.screen.query_one("#reader-body", Static).render()
        assert isinstance(body, Content) and not body.spans

    run_app(make_app(journal_path), scenario, size=(80, 24))


def test_tui_search_that_only_leaves_words_out_says_what_the_cli_says(seeded: Path) -> None:
    # Nothing to look for: the window says so in the command line's words, and does not
    # list every entry as if they all matched.
    code, _, err = cli(seeded, "search", "--", "-dishes")
    assert code == 2
    cli_problem = err.removeprefix("reconnect-journal: ").strip()

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await press(pilot, "2")
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        await press(pilot, "slash")
        await typed(pilot, "-dishes")
        problem = screen.query_one("#search-problem", Static)
        assert problem.display
        assert str(problem.render()) == as_sentence(cli_problem)
        assert screen.query_one("#journal-search", Input).has_class("-problem")
        assert not screen.searching
        assert "match" not in str(screen.query_one(EntryList).border_title)
        # With a word to look for, the same exclusion works.
        await typed(pilot, " river")
        assert not problem.display
        assert 2 not in listed(app) and listed(app)
        # Filters do not make up for it: the left-out word would be ignored.
        await press(pilot, "ctrl+a", "ctrl+k")
        await typed(pilot, "tag:family -dishes")
        await press(pilot, "enter")
        assert problem.display and "only says what to leave out" in str(problem.render())
        await press(pilot, "escape")

        # Such a search can no longer be saved; one kept before opens with the same words
        # under the box, and only its filters applied.
        with (
            journal_at(seeded) as opened,
            pytest.raises(InputError, match="only says what to leave out"),
        ):
            searcher(opened).save("not dishes", Search("-dishes"))
        screen.apply_search(Search("-dishes", SearchFilters(tags=("family",))))
        await settle(pilot)
        assert problem.display and "only says what to leave out" in str(problem.render())
        assert screen.search == Search("", SearchFilters(tags=("family",)))
        assert listed(app) == [3]

    run_app(make_app(seeded), scenario)


def test_tui_saves_a_search_and_opens_it_from_the_palette(journal_path: Path) -> None:
    seed_tui(journal_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        await press(pilot, "2")
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        await press(pilot, "slash")
        await typed(pilot, "river tag:family")
        await press(pilot, "enter")  # Enter also turns the last filter into a chip
        assert screen.search == Search("river", SearchFilters(tags=("family",)))
        assert listed(app) == [3]
        await press(pilot, "s")
        assert isinstance(app.screen, SaveSearchScreen)
        await press(pilot, *["ctrl+a", "ctrl+k"])
        await type_text(pilot, "family river")
        await press(pilot, "enter")
        await settle(pilot)
        with journal_at(journal_path) as opened:
            [saved] = searcher(opened).saved()
        assert saved.name == "family river" and saved.search == screen.search

        await press(pilot, "escape")
        assert len(listed(app)) == len(ENTRIES)
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Search: family")
        await pilot.pause(0.5)
        await press(pilot, "enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.search == saved.search
        assert screen.query_one(SearchFilterChips).tokens == ["tag:family"]
        assert screen.query_one("#journal-search", Input).value == "river"
        assert listed(app) == [3]

    run_app(make_app(journal_path), scenario)
