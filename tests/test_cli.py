"""The command line, through Typer's runner and as a real program."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from reconnect_journal.cli import app

runner = CliRunner()


def run(db: Path, *args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


def test_add_then_list_and_show(db: Path) -> None:
    code, out, _ = run(
        db, "add", "We", "walked", "#outside", "-b", "unseen:2", "-b", "grief",
        "--title", "A walk", "-e", "4", "-p", "2", "--tag", "@Evening", "-d", "2026-01-05",
    )  # fmt: skip
    assert code == 0, out
    assert "Saved entry 1" in out
    code, out, _ = run(db, "list", "--json")
    [entry] = json.loads(out)
    assert entry["id"] == 1
    assert entry["date"] == "2026-01-05"
    assert entry["title"] == "A walk"
    assert entry["body"] == "We walked #outside"
    assert entry["barriers"] == {"unseen": 2, "grief": 1}
    assert entry["tags"] == ["evening", "outside"]
    assert entry["emotional_closeness"] == 4
    assert entry["physical_intimacy"] == 2
    assert entry["created_at"][-6] in "+-"
    code, out, _ = run(db, "show", "1")
    assert code == 0
    assert "A walk" in out and "Feeling unseen or unheard (2)" in out and "4/5" in out
    code, out, _ = run(db, "show", "1", "--json")
    assert json.loads(out)["barriers"] == {"unseen": 2, "grief": 1}
    code, out, _ = run(db, "list")
    assert code == 0 and "A walk" in out and "unseen:2" in out


HARM_ENTRY = "He shoved me into the door last night and I have a bruise on my arm."


@pytest.mark.parametrize("as_json", [False, True])
def test_add_shows_the_support_note_on_stderr(db: Path, as_json: bool) -> None:
    from reconnect_journal.core.care import SUPPORT_TITLE, support_note

    code, out, err = run(db, "add", HARM_ENTRY, *(["--json"] if as_json else []))
    assert code == 0
    # stdout stays what scripts read: the saved line, or the entry as JSON
    if as_json:
        assert json.loads(out)["body"] == HARM_ENTRY
    else:
        assert out.startswith("Saved entry 1") and SUPPORT_TITLE not in out
    assert SUPPORT_TITLE in err
    assert support_note(["harm"]) in err
    assert "hurting yourself" not in err


def test_add_and_edit_of_a_calm_entry_print_no_note(db: Path) -> None:
    code, _, err = run(db, "add", "Soup", "for", "dinner,", "early", "night.")
    assert code == 0 and err == ""
    code, _, err = run(db, "edit", "1", "--star")
    assert code == 0 and err == ""


def test_edit_shows_the_support_note_when_the_new_words_call_for_it(db: Path) -> None:
    from reconnect_journal.core.care import SUPPORT_TITLE, support_note

    run(db, "add", "Soup for dinner, early night.")
    code, out, err = run(db, "edit", "1", "Some nights I want to end it all.")
    assert code == 0
    assert SUPPORT_TITLE not in out
    assert support_note(["self_harm"]) in err
    # Only when the words change: starring it later says nothing more.
    code, _, err = run(db, "edit", "1", "--star")
    assert code == 0 and err == ""


def test_add_reads_stdin_with_dash(db: Path) -> None:
    text = "Line one\n\nLine two with emoji 💛 and עברית\n"
    code, _, _ = run(db, "add", "-", input=text)
    assert code == 0
    _, out, _ = run(db, "show", "1", "--json")
    assert json.loads(out)["body"] == text


def test_a_nul_in_the_text_is_refused_with_one_line_and_nothing_saved(
    db: Path, tmp_path: Path
) -> None:
    """A NUL (a binary file piped in by mistake) would make the entry's export unreadable."""
    run(db, "add", "already here")
    before = digest(db)
    code, _, err = run(db, "add", "-", input="a\x00b")
    assert code == 2 and err.count("\n") == 1
    assert "the text holds a NUL character" in err
    export = tmp_path / "e.json"
    export.write_text(
        json.dumps(
            [{"date": "2026-01-01", "created_at": "2026-01-01T10:00:00+00:00", "body": "x\u0000"}]
        )
    )
    code, _, err = run(db, "import", str(export))
    assert code == 1 and "line 1: the text holds a NUL character" in err
    assert digest(db) == before


@pytest.mark.parametrize(
    "args", [["add", "-", "extra"], ["add", "extra", "-"], ["edit", "1", "-", "x"]]
)
def test_dash_for_stdin_must_stand_alone(db: Path, args: list[str]) -> None:
    run(db, "add", "already here")
    before = digest(db)
    code, out, err = run(db, *args, input="piped words\n")
    assert code == 2 and out == ""
    assert err == (
        "reconnect-journal: '-' reads the text from stdin and must stand alone; "
        "pass only '-' with the text piped in, or only the words\n"
    )
    assert digest(db) == before
    # A dash between words is just a dash.
    assert run(db, "add", "we", "talked", "-", "it", "helped")[0] == 0
    assert json.loads(run(db, "show", "2", "--json")[1])["body"] == "we talked - it helped"


def test_list_options(db: Path) -> None:
    for day, barrier in [("2026-01-01", "shame"), ("2026-01-02", "grief"), ("2026-01-03", "trust")]:
        assert run(db, "add", f"on {day}", "-d", day, "-b", barrier)[0] == 0
    for i in range(25):
        assert run(db, "add", f"filler {i}", "-d", "2026-01-04", "--tag", "filler")[0] == 0

    def ids(*args: str) -> list[str]:
        code, out, err = run(db, "list", "--json", *args)
        assert code == 0, err
        return [e["date"] for e in json.loads(out)]

    assert len(ids()) == 20
    assert len(ids("--limit", "3")) == 3
    assert len(ids("--all")) == 28
    assert ids("--from", "2026-01-02", "--to", "2026-01-03") == ["2026-01-03", "2026-01-02"]
    assert ids("--barrier", "shame", "--barrier", "trust") == ["2026-01-03", "2026-01-01"]
    assert len(ids("--tag", "filler", "--all")) == 25


def test_a_range_to_a_day_without_a_year_ends_after_it_starts(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from reconnect_journal.core import dates

    monkeypatch.setattr(dates, "local_today", lambda: dt.date(2025, 12, 3))
    for day in ("2024-12-15", "2025-11-30", "2025-12-02"):
        assert run(db, "add", f"on {day}", "-d", day)[0] == 0
    december = ["--from", "1 december", "--to", "31 december"]
    code, out, err = run(db, "list", *december, "--json")
    assert code == 0, err
    assert [e["date"] for e in json.loads(out)] == ["2025-12-02"]
    code, out, err = run(db, "search", "on", *december, "--json")
    assert code == 0, err
    assert [e["date"] for e in json.loads(out)] == ["2025-12-02"]
    code, out, err = run(db, "stats", *december, "--json")
    assert code == 0, err
    assert (json.loads(out)["from"], json.loads(out)["to"]) == ("2025-12-01", "2025-12-31")
    # Without --from: this year's; an entry's own day is still never in the future.
    code, out, _ = run(db, "list", "--to", "31 december", "--json")
    assert len(json.loads(out)) == 3
    assert run(db, "add", "late", "-d", "31 december")[0] == 0
    assert json.loads(run(db, "show", "4", "--json")[1])["date"] == "2024-12-31"


def test_export_reads_a_range_as_list_does(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from reconnect_journal.core import dates

    monkeypatch.setattr(dates, "local_today", lambda: dt.date(2025, 12, 3))
    for day in ("2024-12-15", "2025-12-02"):
        assert run(db, "add", f"on {day}", "-d", day)[0] == 0
    code, out, err = run(
        db, "export", "--format", "json", "--from", "1 december", "--to", "31 december"
    )
    assert code == 0, err
    assert [e["date"] for e in json.loads(out)["entries"]] == ["2025-12-02"]


@pytest.mark.parametrize(
    ("fmt", "layout", "name"),
    [("json", "single", "j.json"), ("md", "single", "j.md"), ("md", "folder", "vault")],
)
def test_export_then_import_keeps_the_conversation_openers(
    db: Path, tmp_path: Path, fmt: str, layout: str, name: str
) -> None:
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.core.openers import OpenerParts

    assert run(db, "add", "We talked after dinner.", "--title", "Dinner")[0] == 0
    assert run(db, "add", "A day without one.")[0] == 0
    journal = JournalService.open(db)
    try:
        parts = OpenerParts("lonely", "our 'evenings'", "time — just us 💛")
        journal.add_opener(1, parts, 'I feel "lonely"\nabout our evenings.')
        [kept] = journal.openers_for(1)
    finally:
        journal.close()
    out = tmp_path / name
    code, _, err = run(db, "export", "--format", fmt, "--layout", layout, "--out", str(out))
    assert code == 0, err
    moved = tmp_path / "moved.db"
    code, said, err = run(moved, "import", str(out))
    assert code == 0, err
    assert "2 entries added" in said
    by_title = {e["title"]: e for e in json.loads(run(moved, "list", "--json")[1])}
    assert "openers" not in by_title[None]  # an entry without any looks as it always has
    dinner = by_title["Dinner"]["id"]
    [opener] = json.loads(run(moved, "show", str(dinner), "--json")[1])["openers"]
    assert opener == json.loads(run(db, "show", "1", "--json")[1])["openers"][0]
    assert (opener["feeling"], opener["about"], opener["need"], opener["text"]) == (
        "lonely",
        "our 'evenings'",
        "time — just us 💛",
        'I feel "lonely"\nabout our evenings.',
    )
    journal = JournalService.open(moved)
    try:
        [back] = journal.openers_for(dinner)
    finally:
        journal.close()
    # Exports give times to the second.
    assert back.created_at == kept.created_at.replace(microsecond=0)
    assert back.updated_at == kept.updated_at.replace(microsecond=0)


def test_edit_changes_only_given_fields(db: Path) -> None:
    run(db, "add", "first text", "-b", "shame:3", "-e", "2", "--title", "T")
    code, out, err = run(db, "edit", "1", "-b", "trust:2")
    assert code == 0, err
    _, out, _ = run(db, "show", "1", "--json")
    entry = json.loads(out)
    assert entry["barriers"] == {"trust": 2}
    assert entry["body"] == "first text" and entry["title"] == "T"
    assert entry["emotional_closeness"] == 2
    run(db, "edit", "1", "new text", "--title", "", "--clear-ratings")
    entry = json.loads(run(db, "show", "1", "--json")[1])
    assert entry["body"] == "new text"
    assert entry["title"] is None and entry["emotional_closeness"] is None


@pytest.mark.parametrize(
    ("options", "first", "second"),
    [
        (["--star", "--unstar"], "--star", "--unstar"),
        (["--unstar", "--star"], "--star", "--unstar"),
        (["--share", "--unshare"], "--share", "--unshare"),
        (["--tag", "walk", "--clear-tags"], "--tag", "--clear-tags"),
        (["-b", "grief", "--clear-barriers"], "--barrier", "--clear-barriers"),
        (["-e", "3", "--clear-ratings"], "--emotional", "--clear-ratings"),
        (["--clear-ratings", "-p", "2"], "--physical", "--clear-ratings"),
    ],
)
def test_edit_refuses_options_that_contradict_each_other_alike(
    db: Path, options: list[str], first: str, second: str
) -> None:
    run(db, "add", "kept as it is", "--star")
    before = digest(db)
    code, out, err = run(db, "edit", "1", *options)
    assert (code, out) == (2, "")
    assert (
        err == f"reconnect-journal: {first} and {second} contradict each other; give one of them\n"
    )
    assert digest(db) == before


@pytest.mark.parametrize("command", [["list"], ["search", "river"]])
@pytest.mark.parametrize("limit", [["-n", "5"], ["--limit", "20"], ["--limit=5"]])
def test_all_and_a_limit_contradict_each_other(
    db: Path, command: list[str], limit: list[str]
) -> None:
    """'--all -n 5' is refused like any other pair of opposite options, in either order."""
    run(db, "add", "by the river")
    before = digest(db)
    for options in ([*command, "--all", *limit], [*command, *limit, "--all"]):
        code, out, err = run(db, *options)
        assert (code, out) == (2, "")
        assert err == (
            "reconnect-journal: --all and --limit contradict each other; give one of them\n"
        )
    assert digest(db) == before
    # Each on its own is fine, and --all still means every entry.
    assert run(db, *command, "--all")[0] == 0
    assert run(db, *command, *limit)[0] == 0


def test_edit_star_share_and_their_opposites(db: Path) -> None:
    run(db, "add", "x")

    def flags() -> tuple[bool, bool]:
        entry = json.loads(run(db, "show", "1", "--json")[1])
        return entry["starred"], entry["share"]

    assert run(db, "edit", "1", "--star", "--share")[0] == 0 and flags() == (True, True)
    assert run(db, "edit", "1", "--unshare")[0] == 0 and flags() == (True, False)
    assert run(db, "edit", "1", "--unstar")[0] == 0 and flags() == (False, False)
    assert run(db, "edit", "1", "-t", "T")[0] == 0 and flags() == (False, False)


def test_delete_is_soft_and_reversible(db: Path) -> None:
    run(db, "add", "keep this safe")
    code, out, _ = run(db, "delete", "1")
    assert code == 0 and "trash" in out
    assert json.loads(run(db, "list", "--json")[1]) == []
    assert "keep this safe" in run(db, "trash")[1]
    code, _, err = run(db, "show", "1")
    assert code == 1
    assert "entry 1 is in the trash; 'reconnect-journal undelete 1' brings it back" in err
    assert run(db, "undelete", "1")[0] == 0
    assert len(json.loads(run(db, "list", "--json")[1])) == 1
    run(db, "delete", "1")
    assert run(db, "purge", "1", "--yes")[0] == 0
    assert run(db, "trash", "--json")[1].strip() == "[]"


def test_escape_sequences_in_entry_text_never_reach_the_terminal(db: Path) -> None:
    """An imported entry may hold terminal escape sequences (set the title, change colours):
    printed for a person, they are shown as marks; in JSON they are escaped as ever."""
    text = "Title \x1b]0;not yours\x07 and \x1b[31mred\x1b[0m words"
    run(db, "add", text)
    for args in (["list"], ["show", "1"], ["search", "words"]):
        code, out, _ = run(db, *args)
        assert code == 0 and "\x1b" not in out and "\x07" not in out, args
        assert "\ufffd]0;not yours\ufffd" in out
    assert json.loads(run(db, "show", "1", "--json")[1])["body"] == text


def test_paths_names_the_three_locations(db: Path) -> None:
    code, out, _ = run(db, "paths", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["database"] == str(db)
    assert data["backups"].startswith(str(db.parent))
    assert data["config"].endswith("config.toml")


def test_db_from_environment(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECONNECT_JOURNAL_DB", str(db))
    assert runner.invoke(app, ["add", "via env"]).exit_code == 0
    assert db.exists()


def test_default_location_is_created_private(private_home: Path) -> None:
    result = runner.invoke(app, ["add", "first ever entry"])
    assert result.exit_code == 0, result.stderr
    journal = private_home / "data" / "reconnect-journal" / "journal.db"
    assert journal.exists()
    assert journal.stat().st_mode & 0o777 == 0o600
    assert journal.parent.stat().st_mode & 0o777 == 0o700


def test_db_option_after_the_subcommand(db: Path) -> None:
    assert runner.invoke(app, ["add", "x", "--db", str(db)]).exit_code == 0
    assert len(json.loads(runner.invoke(app, ["list", "--json", "--db", str(db)]).stdout)) == 1


BAD_INPUT = [
    (["add", "x", "--date", "someday"], 2, "not a date I understand"),
    (["add", "x", "-d", "tomorrow"], 2, "future"),
    (["add", "x", "--emotional", "7"], 2, "from 1 to 5"),
    (["add", "x", "-e", "3.0"], 2, "emotional closeness '3.0' is not a whole number from 1 to 5"),
    (["add", "x", "-b", "grief:1.5"], 2, "'1.5' in 'grief:1.5' is not a whole number"),
    # Impossible days are all "not a real date", however they are written.
    (["add", "x", "-d", "2026-02-30"], 2, "'2026-02-30' is not a real date; use a date like"),
    (["add", "x", "-d", "29 february 2025"], 2, "'29 february 2025' is not a real date; use"),
    (["list", "--from", "2026/02/30"], 2, "'2026/02/30' is not a real date; use a date like"),
    (["list", "--db", ""], 2, "--db is empty; give the path of a journal file"),
    (["add", "x", "--physical", "lots"], 2, "from 1 to 5"),
    (["add", "x", "-b", "boredom"], 2, "use one of: shame, resentment, trust, unseen, grief"),
    (["add", "x", "-b", "grief:9"], 2, "use 1, 2 or 3"),
    (["add", "   "], 2, "the entry is empty"),
    (["add"], 2, "no text given"),
    (["add", "x", "--tag", "two words"], 2, "tag"),
    (["show", "42"], 1, "no entry with id 42"),
    (["show", "forty"], 2, "not an entry id"),
    (["edit", "1"], 2, "nothing to change"),
    (["edit", "42", "--title", "x"], 1, "no entry with id 42"),
    (["delete", "42"], 1, "no entry with id 42"),
    (["list", "--from", "2026-02-01", "--to", "2026-01-01"], 2, "after --to"),
    (["list", "--limit", "0"], 2, "--limit"),
    (["list", "--bogus"], 2, "No such option"),
    # Numbers beyond what SQLite holds: no such entry, or a limit and a day not accepted.
    (["show", "99999999999999999999999"], 1, "no entry with id 99999999999999999999999;"),
    (["edit", "99999999999999999999", "-t", "x"], 1, "no entry with id 99999999999999999999;"),
    (["delete", "99999999999999999999"], 1, "no entry with id 99999999999999999999;"),
    (["undelete", "99999999999999999999"], 1, "no entry with id 99999999999999999999;"),
    (["purge", "99999999999999999999", "--yes"], 1, "no entry with id 99999999999999999999;"),
    (["list", "-n", "99999999999999999999"], 2, "more than a journal could ever hold"),
    (["search", "hi", "-n", "99999999999999999999"], 2, "more than a journal could ever hold"),
    (["add", "x", "-d", "1000000 days ago"], 2, "'1000000 days ago' is before 1900-01-01"),
    (["list", "--from", "10000 years ago"], 2, "'10000 years ago' is before 1900-01-01"),
    (["list", "--to", "99999999999999 weeks ago"], 2, "is before 1900-01-01"),
    # Days before 1900 are slips of the keys, for entries and filters alike.
    (["add", "x", "-d", "0001-01-01"], 2, "'0001-01-01' is before 1900-01-01; journal days go"),
    (["edit", "1", "-d", "100000 days ago"], 2, "is before 1900-01-01"),
    (["stats", "--from", "0001-01-01"], 2, "'0001-01-01' is before 1900-01-01"),
    (["search", "from:1800-01-01"], 2, "'1800-01-01' is before 1900-01-01"),
    (["nonsense"], 2, "No such command"),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD_INPUT)
def test_bad_input_one_line_and_nothing_changed(
    db: Path, args: list[str], code: int, message: str
) -> None:
    run(db, "add", "already here")
    before = digest(db)
    got_code, out, err = run(db, *args)
    assert got_code == code
    assert message in err
    assert err.startswith("reconnect-journal: ")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err + out
    assert digest(db) == before


def test_stats_saved_to_a_file_keeps_whole_headings(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # what a pipe gets
    run(db, "add", "x", "-b", "resentment:2", "-e", "4", "-d", "2026-01-05")
    for by in ("month", "day"):
        code, out, err = run(db, "stats", "--by", by)
        assert code == 0, err
        heading = next(line for line in out.splitlines() if "period" in line)
        for column in ("entries", "resentment", "emotional", "physical"):
            assert f" {column} " in heading, (by, heading)
        assert "…" not in out


@pytest.mark.parametrize("by", ["month", "week", "day"])
def test_stats_in_an_80_column_terminal_keeps_every_heading_whole(db: Path, by: str) -> None:
    import io

    from rich.console import Console

    from reconnect_journal.core.trend_service import TrendsService
    from reconnect_journal.stats_text import print_stats
    from reconnect_journal.store.engine import open_store

    run(db, "add", "x", "-b", "resentment:2", "-e", "4", "-d", "2026-01-05")
    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=True, color_system=None)
    store = open_store(db)
    try:
        trends = TrendsService(store, lambda: dt.date(2026, 1, 20))
        print_stats(trends, trends.report(by, None, None), console)
    finally:
        store.close()
    text = out.getvalue()
    heading = next(line for line in text.splitlines() if line.startswith("period"))
    for column in ("entries", "shame", "resentment", "unseen", "emotional", "physical"):
        assert f" {column}" in heading, (by, heading)
    assert "…" not in text and max(len(line) for line in text.splitlines()) <= 80


def test_list_in_an_80_column_terminal_keeps_each_entry_on_one_line(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    run(db, "add", "-b", "unseen:2", "-b", "grief", "--tag", "evening", "--tag", "lonely",
        "--tag", "sofa", "-e", "2", "-p", "1", "--star", "Another evening on my own")  # fmt: skip
    run(db, "add", "--tag", "walk", "A short one")
    code, out, _ = run(db, "list")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 and all(len(line) <= 80 for line in lines)
    assert "unseen:2 grief:1  +3  E2 P1" in lines[1]  # tags that do not fit are counted
    assert "A short one" in lines[0] and lines[0].endswith("  #walk")


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('week_start = "sunday"\nbackup_keep_daily = 20000\n', "backup_keep_daily must be"),
        ('week_start = "Sunday"\n', None),
        ("week_start = \n", "could not read"),
    ],
)
def test_stats_says_what_was_wrong_with_the_settings_and_keeps_the_rest(
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: str,
    said: str | None,
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(content, encoding="utf-8")
    monkeypatch.setenv("RECONNECT_JOURNAL_CONFIG", str(settings))
    run(db, "add", "on a Sunday", "-d", "2026-01-04")
    code, out, err = run(db, "stats", "--by", "week", "--json")
    assert code == 0, err
    starts = [p["start"] for p in json.loads(out)["periods"]]
    if said is None:
        assert err == "" and starts == ["2026-01-04"]  # "Sunday" counts as sunday
    elif said == "could not read":  # nothing could be read: every setting's default
        assert err.startswith(f"reconnect-journal: could not read {settings}")
        assert err.count("\n") == 1 and starts == ["2025-12-29"]
    else:  # only the bad setting falls back; weeks still start on Sunday
        assert err.startswith(f"reconnect-journal: {settings}: {said}")
        assert err.count("\n") == 1 and starts == ["2026-01-04"]


def test_missing_folder_and_foreign_file(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "journal.db"
    result = runner.invoke(app, ["--db", str(missing), "add", "x"])
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert not missing.parent.exists()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a journal")
    result = runner.invoke(app, ["--db", str(notes), "list"])
    assert result.exit_code == 1
    assert "not a Reconnect Journal file" in result.stderr
    assert notes.read_text() == "not a journal"


def test_db_naming_an_empty_path_or_a_folder_says_so(tmp_path: Path) -> None:
    for args in (["--db", "", "list"], ["--db=", "list"], ["list", "--db", " "]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert result.stderr == (
            "reconnect-journal: --db is empty; give the path of a journal file, "
            "such as journal.db\n"
        )
    result = runner.invoke(app, ["--db", str(tmp_path), "list"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"reconnect-journal: --db {tmp_path} is a folder; give the path of a journal file, "
        f"such as {tmp_path / 'journal.db'}\n"
    )


def test_a_journal_named_by_the_variable_is_fixed_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no" / "journal.db"
    monkeypatch.setenv("RECONNECT_JOURNAL_DB", str(missing))
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"reconnect-journal: the folder {missing.parent} does not exist; create it first or "
        "set RECONNECT_JOURNAL_DB to a path in an existing folder\n"
    )
    other = tmp_path / "elsewhere" / "journal.db"  # --db wins, and is named
    result = runner.invoke(app, ["--db", str(other), "list"])
    assert result.stderr.endswith("or give --db a path in an existing folder\n")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a journal")
    monkeypatch.setenv("RECONNECT_JOURNAL_DB", str(notes))
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 1
    assert result.stderr.endswith(
        ". Or set RECONNECT_JOURNAL_DB to a journal file or a new file name\n"
    )


def test_tui_needs_a_terminal(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db)])
    assert result.exit_code == 2
    assert "needs a terminal" in result.stderr


def test_purge_without_terminal_asks_for_yes(db: Path) -> None:
    run(db, "add", "x")
    run(db, "delete", "1")
    code, _, err = run(db, "purge", "1")
    assert code == 2 and "--yes" in err
    assert "x" in run(db, "trash")[1]


def test_purge_and_undelete_say_what_is_not_in_the_trash_before_asking(db: Path) -> None:
    run(db, "add", "kept")
    # Not in the trash: said at once (exit 1, a runtime state), not "add --yes".
    assert run(db, "purge", "1") == (
        1,
        "",
        "reconnect-journal: entry 1 is not in the trash; delete it first, then purge it\n",
    )
    code, _, err = run(db, "undelete", "1")
    assert code == 1 and "nothing to bring back" in err
    code, _, err = run(db, "purge", "7")
    assert code == 1 and "7" in err and "--yes" not in err
    assert "kept" in run(db, "list")[1]


# -- as a real program --------------------------------------------------------------


def program(
    *args: str, env: dict[str, str] | None = None, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    exe = Path(sys.executable).with_name("reconnect-journal")
    return subprocess.run(
        [str(exe), *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_program_version_and_help() -> None:
    from reconnect_journal import __version__

    version = program("--version")
    assert version.returncode == 0
    assert version.stdout.decode().strip() == f"reconnect-journal {__version__}"
    helptext = program("--help")
    assert helptext.returncode == 0
    for command in ("add", "list", "show", "edit", "delete", "paths"):
        assert command in helptext.stdout.decode()
    assert "shell history" in program("add", "--help").stdout.decode()


def test_program_round_trip_and_errors(db: Path) -> None:
    added = program("--db", str(db), "add", "-", "-b", "resentment:2", stdin=b"From a pipe\n")
    assert added.returncode == 0, added.stderr
    listed = program("--db", str(db), "list", "--json")
    assert json.loads(listed.stdout)[0]["barriers"] == {"resentment": 2}
    bad = program("--db", str(db), "add", "x", "-e", "9")
    assert bad.returncode == 2
    assert bad.stderr.decode().count("\n") == 1
    assert b"Traceback" not in bad.stderr
    invalid = program("--db", str(db), "add", "-", stdin=b"\xff\xfe broken")
    assert invalid.returncode == 2 and b"UTF-8" in invalid.stderr
    nothere = program("--db", str(db.parent / "nope" / "j.db"), "list")
    assert nothere.returncode == 1 and b"does not exist" in nothere.stderr


@pytest.mark.parametrize(
    ("closing", "args", "code", "said"),
    [
        (">&-", ["list"], 1, b"standard output is closed, so nothing could be shown"),
        (">&-", ["add", "not saved"], 1, b"nothing was done"),
        (">&-", [], 1, b"standard output is closed"),  # the journal window
        ("<&-", ["add", "-"], 2, b"the entry is empty"),  # a closed stdin reads as empty
        ("2>&-", ["show", "42"], 1, b""),  # nowhere to say it: the status tells
    ],
)
def test_a_closed_standard_stream_gives_no_traceback(
    db: Path, closing: str, args: list[str], code: int, said: bytes
) -> None:
    exe = Path(sys.executable).with_name("reconnect-journal")
    program("--db", str(db), "add", "already here")
    before = digest(db)
    done = subprocess.run(
        ["sh", "-c", f'"$@" {closing}', "sh", str(exe), "--db", str(db), *args],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == code
    assert said in done.stderr and b"Traceback" not in done.stderr
    assert done.stderr.count(b"\n") == (1 if said else 0)
    assert digest(db) == before


def test_help_and_version_work_where_the_readme_says() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "`--version`, `--help` everywhere" not in readme
    assert "`--help` (or `-h`) after any command" in readme
    assert "`--version` goes before the command" in readme
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in commands:
        for flag in ("--help", "-h"):
            result = runner.invoke(app, [name, flag])
            assert result.exit_code == 0 and "Usage:" in result.stdout, (name, flag)
    assert runner.invoke(app, ["--version"]).exit_code == 0
    late = runner.invoke(app, ["list", "--version"])
    assert late.exit_code == 2 and "No such option: --version" in late.stderr


def test_the_readme_names_every_option_of_every_command() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    missing = [
        f"{name} {option}"
        for name, command in commands.items()
        for param in command.params
        for option in (*param.opts, *param.secondary_opts)
        if option.startswith("--")
        and option not in ("--help", "--db", "--json")  # said once for every command
        and not re.search(re.escape(option) + r"(?![\w-])", readme)
    ]
    assert missing == []


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["add", "--help"]])
def test_version_and_help_do_not_load_the_store_or_tui(argv: list[str]) -> None:
    # Reported from an exit handler: a command ends the process itself once it is done.
    code = (
        "import atexit, sys\n"
        "heavy = ('sqlmodel', 'sqlalchemy', 'textual', 'alembic')\n"
        "atexit.register(lambda: print([m for m in heavy if m in sys.modules], file=sys.stderr))\n"
        "from reconnect_journal.launch import main\n"
        f"sys.argv = ['reconnect-journal', *{argv!r}]\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stderr.strip() == "[]"
    assert out.stdout.strip()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], None),
        (["--db", "/tmp/x.db"], Path("/tmp/x.db")),
        (["--db=/tmp/x.db"], Path("/tmp/x.db")),
        (["--db"], False),
        (["--db", "--help"], False),
        (["--db="], False),
        (["list"], False),
        (["--db", "/tmp/x.db", "list"], False),
        (["--demo"], False),
    ],
)
def test_only_a_plain_window_launch_skips_typer(argv: list[str], expected: object) -> None:
    from reconnect_journal.launch import _window_only

    assert _window_only(argv) == expected


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["list"], "list"),
        (["--db", "list", "add", "x"], "add"),  # a journal file named like a command
        (["--db=j.db", "--version", "stats"], "stats"),
        (["--demo", "search", "x"], "search"),
        (["--help", "list"], None),  # help for the whole tool lists every command
        (["-h"], None),
        (["--db", "j.db"], None),
        ([], None),
    ],
)
def test_the_subcommand_is_found_after_root_options(argv: list[str], expected: str | None) -> None:
    from reconnect_journal.cli import _named_subcommand

    assert _named_subcommand(argv) == expected


def test_a_command_line_builds_only_the_command_it_names() -> None:
    from reconnect_journal.cli import _command_for

    lean, single = _command_for("stats")
    assert single and list(lean.commands) == ["stats"]
    whole, single = _command_for("stast")  # a typo: the whole group, for its suggestion
    assert not single and {"add", "list", "stats", "export", "encrypt"} <= set(whole.commands)


def test_a_finished_command_runs_exit_handlers_and_flushes_everything(db: Path) -> None:
    for n in range(150):  # more JSON than a pipe holds, so a lost flush would show
        assert run(db, "add", f"entry {n} " + "words " * 60)[0] == 0
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('handler ran\\n'))\n"
        "from reconnect_journal.launch import main\n"
        f"sys.argv = ['reconnect-journal', '--db', {str(db)!r}, 'export', '--format', 'json']\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stderr.decode().strip() == "handler ran"
    assert len(out.stdout) > 65536
    assert len(json.loads(out.stdout)["entries"]) == 150


def test_plain_launch_without_terminal_gives_the_same_message(db: Path) -> None:
    fast = program("--db", str(db))
    slow = program("--db", str(db), "--demo")  # goes through Typer
    assert fast.returncode == slow.returncode == 2
    assert b"needs a terminal" in fast.stderr and fast.stderr == slow.stderr


@pytest.mark.parametrize("command", ["add", "edit", "list", "export", "search", "stats"])
def test_help_names_what_each_option_takes(command: str) -> None:
    # Options show what to type (DAY, KEY[:1-3], TAG, 1-5, N), not Python types.
    result = runner.invoke(app, [command, "--help"])
    options = result.stdout.split("Options:", 1)[1]
    assert result.exit_code == 0
    assert not re.search(r"<(str|int|list\[str\])>", options), options
