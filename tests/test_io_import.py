"""Imports: jrnl (text and JSON) from the shared fixtures, Day One (JSON and zip), our own
exports, malformed files, duplicates, all-or-nothing, and the command line."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import json
import re
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from reconnect_journal.cli import app
from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.errors import InputError, JournalError
from reconnect_journal.core.model import BarrierTag, EntryQuery, ImportedEntry, NewEntry
from reconnect_journal.io import importing, readers
from reconnect_journal.io.export import run_export
from reconnect_journal.io.importing import run_import
from reconnect_journal.io.readers import split_title, unescape_dayone
from tests.io_support import FIXTURES, comparable, open_journal

pytestmark = pytest.mark.usefixtures("utc_clock")
runner = CliRunner()
NOON = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def journal(tmp_path: Path) -> JournalService:
    svc = open_journal(tmp_path / "journal.db")
    yield svc  # type: ignore[misc]
    svc.close()


def entries(journal: JournalService) -> list[dict[str, object]]:
    return comparable(journal)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- jrnl -------------------------------------------------------------------------------


def test_jrnl_text_journal_from_the_fixtures(journal: JournalService) -> None:
    report = run_import(journal, FIXTURES / "basic_onefile.journal")
    assert (report.kind, report.added, report.already_there) == ("jrnl", 3, 0)
    first, second, third = entries(journal)
    assert first["title"] == "Entry the first."
    assert first["date"] == "2020-08-29" and first["created_at"] == "2020-08-29T11:11:00+00:00"
    assert str(first["body"]).startswith("Lorem @ipsum dolor sit amet")
    assert str(first["body"]).endswith("per inceptos himenaeos.")
    assert first["tags"] == ["ipsum", "tagone", "tagtwo"]
    assert (first["starred"], second["starred"], third["starred"]) == (False, True, False)
    assert second["title"] == "A second entry in what I hope to be a long series."
    assert "💯 🎶 💩" in str(third["body"])
    assert third["tags"] == ["tagone", "tagthree"]


def test_an_import_pauses_cycle_collection_and_puts_it_back_even_on_failure(
    journal: JournalService, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[bool] = []
    parse = readers.parse_source

    def watched(*args: object, **kwargs: object) -> readers.Parsed:
        seen.append(gc.isenabled())
        return parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "parse_source", watched)
    assert gc.isenabled()
    run_import(journal, FIXTURES / "basic_onefile.journal")
    assert seen == [False] and gc.isenabled()
    bad = tmp_path / "bad.journal"
    bad.write_text("[2020-01-01 10:00] ok\n[2020-02-31 10:00] not a day\n", encoding="utf-8")
    with pytest.raises(JournalError):
        run_import(journal, bad)
    assert seen == [False, False] and gc.isenabled()
    gc.disable()  # a caller that keeps it off finds it off
    try:
        run_import(journal, FIXTURES / "tags.journal")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_jrnl_json_export_of_the_same_journal_adds_nothing_twice(journal: JournalService) -> None:
    report = run_import(journal, FIXTURES / "basic_onefile.export.json")
    assert (report.kind, report.added) == ("jrnl-json", 3)
    from_json = entries(journal)
    report = run_import(journal, FIXTURES / "basic_onefile.journal")
    assert (report.added, report.already_there) == (0, 3)
    assert entries(journal) == from_json
    # The JSON's fields agree with what jrnl itself exported.
    data = json.loads((FIXTURES / "basic_onefile.export.json").read_text())
    for ours, theirs in zip(from_json, data["entries"], strict=True):
        assert ours["title"] == theirs["title"] and ours["body"] == theirs["body"]
        assert ours["date"] == theirs["date"] and ours["starred"] == theirs["starred"]
        assert str(ours["created_at"])[11:16] == theirs["time"]
        assert ours["tags"] == sorted(t.lstrip("@") for t in theirs["tags"])


def test_a_jrnl_journal_imported_again_in_another_time_zone_adds_nothing(
    journal: JournalService, monkeypatch: pytest.MonkeyPatch
) -> None:
    # jrnl writes wall-clock times without a zone: after a move (or a laptop set to
    # another zone) the same lines are read as other moments, but they are the same entries.
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    assert run_import(journal, FIXTURES / "basic_onefile.journal").added == 3
    first = entries(journal)
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    report = run_import(journal, FIXTURES / "basic_onefile.journal")
    assert (report.added, report.already_there) == (0, 3)
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    assert entries(journal) == first


def test_jrnl_tags_fixture_titles_split_like_jrnl(journal: JournalService) -> None:
    run_import(journal, FIXTURES / "tags.journal")
    first, second = entries(journal)
    assert first["title"] == "I have an @idea:"
    assert first["body"] == "(1) write a command line @journal software\n(2) ???\n(3) PROFIT!"
    assert first["tags"] == ["idea", "journal"]
    assert second["title"] == "I met with @dan."
    assert second["tags"] == ["dan", "idea"]


def test_jrnl_tags_naming_a_barrier_become_barrier_tags(
    journal: JournalService, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "j.txt",
        "[2024-05-01 08:00] Morning. *\nFeeling @Shame again, and some @grief.\n\n"
        "[2024-05-02 09:30] Just one line with #trust and @walks\n",
    )
    run_import(journal, path)
    first, second = entries(journal)
    assert first["barriers"] == {"shame": 1, "grief": 1}
    assert first["barrier_sources"] == {"shame": "user", "grief": "user"}
    assert first["tags"] == [] and first["starred"] is True
    assert (
        first["title"] == "Morning." and first["body"] == "Feeling @Shame again, and some @grief."
    )
    # The barrier's word is not also kept as a free tag, though the text keeps it.
    assert second["barriers"] == {"trust": 1} and second["tags"] == ["walks"]
    assert second["title"] is None and second["body"] == "Just one line with #trust and @walks"


def test_a_hashtag_written_here_stays_a_free_tag_beside_its_barrier(
    journal: JournalService, tmp_path: Path
) -> None:
    # Only a foreign tag turns into a barrier instead of a free tag: an entry written here
    # with '#shame' and the Shame barrier keeps both through an export and an import.
    journal.add(NewEntry(body="Still #shame about it", barriers=[BarrierTag(Barrier.SHAME)]))
    out = tmp_path / "out.json"
    run_export(
        journal,
        EntryQuery(limit=None),
        fmt="json",
        layout="single",
        out=out,
        force=False,
        stdout=io.StringIO(),
    )
    target = open_journal(tmp_path / "b.db")
    try:
        run_import(target, out)
        (entry,) = entries(target)
    finally:
        target.close()
    assert (entry["barriers"], entry["tags"]) == ({"shame": 1}, ["shame"])


def test_jrnl_other_time_formats_and_dates_without_time(
    journal: JournalService, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "j.txt", "[2024-05-01 08:15 PM] Evening.\n\n[2024-05-02 07:05 AM] Dawn.\n"
    )
    run_import(journal, path)
    assert [e["created_at"] for e in entries(journal)] == [
        "2024-05-01T20:15:00+00:00",
        "2024-05-02T07:05:00+00:00",
    ]
    only_days = write(tmp_path, "d.txt", "[2024-06-01] A day.\n\n[2024-06-02] Another day.\n")
    run_import(journal, only_days)
    assert [e["created_at"] for e in entries(journal)][-2:] == [
        "2024-06-01T09:00:00+00:00",
        "2024-06-02T09:00:00+00:00",
    ]


def days_of(journal: JournalService) -> list[str]:
    return [str(e["created_at"])[:16] for e in entries(journal)]


@pytest.mark.parametrize(
    ("stamps", "read_as"),
    [
        # One day after the 12th settles the order for the whole journal.
        (["11/03/2025 21:30", "11/25/2025 08:00"], ["2025-11-03T21:30", "2025-11-25T08:00"]),
        (["03/11/2025 21:30", "25/11/2025 08:00"], ["2025-11-03T21:30", "2025-11-25T08:00"]),
        (["03.11.2025 21:30"], ["2025-11-03T21:30"]),
        (
            ["Nov 03, 2025 09:30 PM", "Nov 05, 2025 07:15 AM"],
            ["2025-11-03T21:30", "2025-11-05T07:15"],
        ),
        (["Monday, November 03 2025 09:30PM"], ["2025-11-03T21:30"]),
        (["3 November 2025 21:30"], ["2025-11-03T21:30"]),
    ],
)
def test_jrnl_time_formats_are_read_from_the_journal_itself(
    journal: JournalService, tmp_path: Path, stamps: list[str], read_as: list[str]
) -> None:
    text = "".join(f"[{stamp}] Entry {n}.\nSome words.\n\n" for n, stamp in enumerate(stamps))
    report = run_import(journal, write(tmp_path, "j.txt", text))  # told apart from JSON
    assert (report.kind, report.added, report.notes) == ("jrnl", len(stamps), [])
    assert days_of(journal) == read_as


def test_jrnl_bracketed_text_in_an_entry_is_text_but_a_broken_date_is_named(
    journal: JournalService, tmp_path: Path
) -> None:
    text = "[2025-11-25 21:30] Title.\nBody\n[Note 1] keep this line\n\n[2025-11-26 10:00] Next.\n"
    assert run_import(journal, write(tmp_path, "ok.txt", text)).added == 2
    assert "[Note 1] keep this line" in entries(journal)[0]["body"]
    broken = "[Nov 03, 2025 09:30 PM] A.\nx\n\n[Nov 31, 2025 09:30 PM] Bad day.\ny\n"
    with pytest.raises(JournalError, match=r"line 4: '\[Nov 31, 2025 09:30 PM\]' is not a date"):
        run_import(journal, write(tmp_path, "bad.txt", broken))


def test_jrnl_dates_that_nothing_settles_are_not_guessed_but_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "[11/03/2025 21:30] One.\nx\n\n[11/05/2025 08:00] Two.\ny\n"
    path = write(tmp_path, "j.txt", text)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    journal = open_journal(tmp_path / "j.db")
    try:
        with pytest.raises(JournalError) as error:
            run_import(journal, path)
        assert str(error.value) == (
            "dates such as 11/03/2025 21:30 could be day or month first, and nothing in the "
            "journal tells which; add --timeformat '%d/%m/%Y %H:%M' (day first) or "
            "--timeformat '%m/%d/%Y %H:%M' (month first). Nothing was imported"
        )
        assert entries(journal) == []
        report = run_import(journal, path, timeformat="%d/%m/%Y %H:%M")
        assert days_of(journal) == ["2025-03-11T21:30", "2025-05-11T08:00"]
        assert report.notes == []
        with pytest.raises(InputError, match=r"--timeformat '%Y-%m-%d %H:%M' reads none"):
            run_import(journal, path, timeformat="%F %H:%M")
        with pytest.raises(InputError, match=r"--timeformat is for jrnl text journals"):
            run_import(journal, write(tmp_path, "e.json", "[]"), "json", timeformat="%F")
    finally:
        journal.close()


EXAMPLE_FORMATS = "such as '%Y-%m-%d %H:%M' or '%d/%m/%Y %H:%M'"


@pytest.mark.parametrize(
    ("timeformat", "message"),
    [
        ("", f"--timeformat is empty; give jrnl's timeformat for this journal, {EXAMPLE_FORMATS}"),
        ("   ", "--timeformat is empty; give jrnl's timeformat"),
        (
            "%Q",
            "--timeformat '%Q' holds %Q, which is not a date or time code; use codes such as "
            "%Y (year), %m (month), %d (day) and %H:%M (time), as in '%Y-%m-%d %H:%M' or "
            "'%d/%m/%Y %H:%M'",
        ),
        ("%Y-%m-%d %H:%", "--timeformat '%Y-%m-%d %H:%' ends in a lone %, which is not"),
        (
            "%H:%M",
            "--timeformat '%H:%M' does not give a whole date (day, month and year); give "
            f"jrnl's timeformat for this journal, {EXAMPLE_FORMATS}",
        ),
        ("%d", "--timeformat '%d' does not give a whole date"),
        ("%Y-%m", "--timeformat '%Y-%m' does not give a whole date"),
    ],
)
def test_cli_a_timeformat_that_cannot_work_says_what_is_wrong(
    tmp_path: Path, timeformat: str, message: str
) -> None:
    db = tmp_path / "j.db"
    assert runner.invoke(app, ["--db", str(db), "add", "already here"]).exit_code == 0
    before = db.read_bytes()
    for text in ("[2025-11-03 21:30] One.\nx\n", "[21:30] One.\nx\n", "[03] One.\nx\n"):
        path = write(tmp_path, "j.txt", text)
        args = ["--db", str(db), "import", str(path), "--from", "jrnl"]
        result = runner.invoke(app, [*args, "--timeformat", timeformat])
        assert (result.exit_code, result.stdout) == (2, ""), result.stdout
        assert result.stderr.startswith(f"reconnect-journal: {message}")
        assert result.stderr.count("\n") == 1 and "it would read" not in result.stderr
        assert db.read_bytes() == before


def test_jrnl_settings_for_the_journal_itself_settle_the_order_and_the_import_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "[03/04/2025 10:00] One entry.\nx\n"
    path = write(tmp_path, "eu.txt", text)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings = tmp_path / "config" / "jrnl" / "jrnl.yaml"
    settings.parent.mkdir(parents=True)
    # The general setting is month first; this journal's own is day first, and wins.
    settings.write_text(
        "journals:\n  default: /somewhere/else.txt\n"
        f"  eu:\n    journal: {path}\n    timeformat: '%d/%m/%Y %H:%M'\n"
        "timeformat: '%m/%d/%Y %H:%M'\n"
    )
    journal = open_journal(tmp_path / "j.db")
    try:
        report = run_import(journal, path)
        assert days_of(journal) == ["2025-04-03T10:00"]
        assert report.notes == [
            "dates such as 03/04/2025 10:00 could be day or month first; they were read day "
            "first, as 3 April 2025, as jrnl's timeformat setting on this computer says"
        ]
        assert "  note: dates such as 03/04/2025" in "\n".join(report.summary_lines())
    finally:
        journal.close()


@pytest.mark.parametrize(
    ("stamps", "read_as", "why"),
    [
        (
            ["02/01/2025 10:00", "03/01/2025 10:00", "01/02/2025 10:00"],
            ["2025-01-02T10:00", "2025-01-03T10:00", "2025-02-01T10:00"],
            "day first, as 2 January 2025, the only order that keeps the entries in date order",
        ),
        (
            ["12/11/2025 10:00"],  # on 3 December 2025, 11 December is still to come
            ["2025-11-12T10:00"],
            "day first, as 12 November 2025, since the other order would put entries "
            "in days still to come",
        ),
    ],
)
def test_jrnl_dates_settled_by_weaker_evidence_say_how(
    journal: JournalService,
    tmp_path: Path,
    stamps: list[str],
    read_as: list[str],
    why: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-jrnl-settings"))
    monkeypatch.setattr(readers, "_now", lambda: dt.datetime(2025, 12, 3, 12, 0))
    text = "".join(f"[{stamp}] Entry {n}.\nSome words.\n\n" for n, stamp in enumerate(stamps))
    report = run_import(journal, write(tmp_path, "j.txt", text))
    assert days_of(journal) == read_as
    assert len(report.notes) == 1 and report.notes[0].endswith(why), report.notes


def test_jrnl_an_entry_with_a_broken_timestamp_is_not_understood(
    journal: JournalService, tmp_path: Path
) -> None:
    text = (
        "[2024-05-01 08:00] Fine.\n\n[2024-05-02 25:00] No such hour.\n\n"
        "[2024-05-03 10:00] Fine too.\n"
    )
    path = write(tmp_path, "j.txt", text)
    with pytest.raises(JournalError, match=r"1 entry .* could not be read \(line 3: ") as error:
        run_import(journal, path)
    assert "nothing was imported" in str(error.value) and "--skip-unreadable" in str(error.value)
    assert entries(journal) == []
    report = run_import(journal, path, skip_unreadable=True)
    assert report.added == 2 and str(report.unreadable[0]).startswith("line 3: ")
    assert "not imported: line 3:" in "\n".join(report.summary_lines())


def test_jrnl_a_day_without_time_among_timed_entries_starts_an_entry_as_in_jrnl(
    journal: JournalService, tmp_path: Path
) -> None:
    # jrnl 4.6 reads three entries here; the one given only a day gets DATE_ONLY_TIME.
    text = (
        "[2026-03-01 10:00] Minutes of our talk.\nWe agreed on this:\n"
        "[2026-03-05] the day we will try again\nand more.\n\n"
        "[2026-03-02 11:00] Second entry.\nBody.\n"
    )
    report = run_import(journal, write(tmp_path, "j.txt", text))
    assert (report.added, report.unreadable) == (3, [])
    assert [(e["created_at"], e["title"], e["body"]) for e in entries(journal)] == [
        ("2026-03-01T10:00:00+00:00", "Minutes of our talk.", "We agreed on this:"),
        ("2026-03-02T11:00:00+00:00", "Second entry.", "Body."),
        ("2026-03-05T09:00:00+00:00", "the day we will try again", "and more."),
    ]


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        # A day alone first: the timed entries after it still tell the format.
        (
            "[2024-06-01] A day.\nx\n\n[2024-06-02 10:00] Timed.\ny\n",
            ["2024-06-01T09:00", "2024-06-02T10:00"],
        ),
        # Only the day alone (25 cannot be a month) tells that days come first.
        (
            "[03/11/2025 21:30] One.\nx\n\n[25/11/2025] Two.\ny\n",
            ["2025-11-03T21:30", "2025-11-25T09:00"],
        ),
    ],
    ids=["day-alone-first", "day-alone-settles-the-order"],
)
def test_jrnl_days_without_time_count_in_working_out_the_time_format(
    journal: JournalService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    read_as: list[str],
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-jrnl-settings"))
    report = run_import(journal, write(tmp_path, "j.txt", text))
    assert (report.added, report.unreadable, report.notes) == (2, [], [])
    assert days_of(journal) == read_as


def test_jrnl_bracketed_lines_jrnl_does_not_read_as_dates_stay_in_the_entry(
    journal: JournalService, tmp_path: Path
) -> None:
    # What jrnl 4.6 keeps as text: dates that are no dates, and a day with no space after
    # its bracket (jrnl starts an entry only at '[...] ').
    body = (
        "Before.\n[2026-13-01] not a date\nAfter it.\n[2024-02-31] no such day\n"
        "[Nov 31, 2025] nor this\n[2026-03-05]\nThe last line."
    )
    text = f"[2026-03-01 10:00] One.\n{body}\n\n[2026-03-02 11:00] Two.\nBody.\n"
    report = run_import(journal, write(tmp_path, "j.txt", text))
    assert (report.added, report.unreadable) == (2, [])
    assert [e["body"] for e in entries(journal)] == [body, "Body."]


def jrnl_folder(tmp_path: Path, days: dict[str, str | bytes]) -> Path:
    """A jrnl folder journal as jrnl writes it: YYYY/MM/DD.txt, a day's entries in each."""
    folder = tmp_path / "jrnl-folder"
    for day, text in days.items():
        month = folder / day[:4] / day[5:7]
        month.mkdir(parents=True, exist_ok=True)
        write(month, f"{day[8:]}.txt", text)
    return folder


def test_jrnl_folder_journal_is_recognised_and_read_day_by_day(
    journal: JournalService, tmp_path: Path
) -> None:
    folder = jrnl_folder(
        tmp_path,
        {
            "2024-03-01": "[2024-03-01 08:00] Morning walk. We held hands. *\n\n"
            "[2024-03-01 22:15] Later that day.\nTalked about Dad @grief #walks\n",
            "2025-12-02": "[2025-12-02 21:00] Felt far away.\nOn his phone all evening @unseen\n",
        },
    )
    (folder / "notes.md").write_text("not a day file", encoding="utf-8")  # left alone
    report = run_import(journal, folder)
    assert (report.kind, report.added, report.unreadable) == ("jrnl", 3, [])
    walk, later, far = entries(journal)
    # As jrnl reads a starred one-line entry: all of it is the title, so it becomes the text.
    assert (walk["date"], walk["title"], walk["starred"]) == ("2024-03-01", None, True)
    assert walk["body"] == "Morning walk. We held hands."
    assert (later["title"], later["body"]) == ("Later that day.", "Talked about Dad @grief #walks")
    assert (later["barriers"], later["tags"]) == ({"grief": 1}, ["walks"])
    assert (far["date"], far["barriers"]) == ("2025-12-02", {"unseen": 1})
    assert run_import(journal, folder).already_there == 3  # twice adds nothing


def test_jrnl_folder_journal_reads_each_day_by_its_file_and_skips_empty_days(
    journal: JournalService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-jrnl-settings"))
    # Every date here reads either way, and in order either way; only the files' own days
    # (2025/03/04, 2025/05/06) tell that jrnl wrote them day first.
    folder = jrnl_folder(
        tmp_path,
        {
            "2025-03-04": "[04/03/2025 21:30] One.\nx\n",
            "2025-05-06": "[06/05/2025 08:00] Two.\ny\n",
            "2025-06-01": "",  # a day whose entries were all deleted in jrnl
            "2025-06-02": " \n\n",
        },
    )
    report = run_import(journal, folder)
    assert (report.added, report.unreadable, report.notes) == (2, [], [])
    assert days_of(journal) == ["2025-03-04T21:30", "2025-05-06T08:00"]


def test_jrnl_folder_journal_day_files_that_cannot_be_read_are_named(
    journal: JournalService, tmp_path: Path
) -> None:
    folder = jrnl_folder(
        tmp_path,
        {
            "2024-03-01": "[2024-03-01 08:00] Fine.\n",
            "2024-03-02": b"\x00\x01 binary",
            "2024-03-03": "[2024-03-03 08:00] Fine too.\n[2024-02-31 09:00] No such day.\n",
        },
    )
    with pytest.raises(JournalError) as error:
        run_import(journal, folder)
    message = str(error.value)
    assert "2024/03/02.txt line 1: this file looks like a binary file" in message
    assert "2024/03/03.txt line 2: '[2024-02-31 09:00]' is not a date and time like " in message
    assert "like 2020-08-29 21:40" in message  # an example, not a strftime pattern
    assert "nothing was imported" in message and entries(journal) == []
    report = run_import(journal, folder, skip_unreadable=True)
    assert report.added == 2 and len(report.unreadable) == 2


def test_jrnl_folder_journal_day_file_that_cannot_be_opened_is_named(
    journal: JournalService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = jrnl_folder(tmp_path, {"2024-03-01": "[2024-03-01 08:00] Fine.\n"})
    locked = folder / "2024" / "03" / "01.txt"

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)  # as for a file of another user
    with pytest.raises(JournalError, match=r"2024/03/01\.txt line 1: it cannot be read"):
        run_import(journal, folder)
    assert locked.exists() and entries(journal) == []


def test_a_folder_without_day_files_or_markdown_says_what_it_looked_for(
    journal: JournalService, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    with pytest.raises(
        JournalError,
        match=r"is a folder with neither jrnl day files \(YYYY/MM/DD\.txt\) nor the Markdown "
        r"files of a folder export; import reads a jrnl journal",
    ):
        run_import(journal, empty)
    with pytest.raises(JournalError, match=r"has no Markdown \(\.md\) files"):
        run_import(journal, empty, "markdown")
    with pytest.raises(JournalError, match=r"has no jrnl day files \(YYYY/MM/DD\.txt\)"):
        run_import(journal, empty, "jrnl")
    with pytest.raises(JournalError, match=r"only --from markdown .* or --from jrnl"):
        run_import(journal, empty, "dayone")


def test_split_title_follows_jrnl() -> None:
    assert split_title("One. Two. Three") == ("One.", "Two. Three")
    assert split_title("No full stop\nbody. more") == ("No full stop", "body. more")
    assert split_title("Just words") == ("Just words", "")


# -- Day One ---------------------------------------------------------------------------

DAYONE = {
    "metadata": {"version": "1.0"},
    "entries": [
        {
            "uuid": "A1B2C3D4E5F60718293A4B5C6D7E8F90",
            "creationDate": "2024-03-09T23:30:00Z",
            "modifiedDate": "2024-03-10T08:00:00Z",
            "timeZone": "Asia/Tokyo",
            "text": "# A late talk\n\nWe finally talked\\. It helped \\(a lot\\)\\! #grief",
            "starred": True,
            "tags": ["Resentment", "evening talks"],
            "photos": [{"identifier": "P1", "md5": "abc"}],
        },
        {
            "uuid": "0F1E2D3C4B5A69788796A5B4C3D2E1F0",
            "creationDate": "2024-03-09T23:30:00Z",
            "timeZone": "America/New_York",
            "text": "Same moment, another zone\\.",
        },
    ],
}


def test_dayone_json_time_zone_sets_the_day_and_text_is_unescaped(
    journal: JournalService, tmp_path: Path
) -> None:
    path = write(tmp_path, "Journal.json", json.dumps(DAYONE))
    report = run_import(journal, path)
    assert (report.kind, report.added) == ("dayone", 2)
    assert report.attachments == ["entry of 2024-03-09: 1 photo"]
    assert "  attachment not imported: entry of 2024-03-09: 1 photo" in report.summary_lines()
    new_york, tokyo = entries(journal)  # 9 March in New York, 10 March in Tokyo
    assert tokyo["date"] == "2024-03-10" and new_york["date"] == "2024-03-09"
    assert tokyo["body"] == "# A late talk\n\nWe finally talked. It helped (a lot)! #grief"
    assert tokyo["uuid"] == "a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90"
    # '#grief' in the text names a barrier, as the 'Resentment' tag does.
    assert tokyo["barriers"] == {"resentment": 1, "grief": 1}
    assert tokyo["tags"] == ["evening-talks"]  # ours are one word
    assert tokyo["starred"] is True
    assert tokyo["updated_at"] == "2024-03-10T08:00:00+00:00"
    assert run_import(journal, path).already_there == 2


def test_tags_a_tag_here_cannot_hold_come_in_the_same_way_from_every_kind_and_are_named(
    journal: JournalService, tmp_path: Path
) -> None:
    written = ["@c++", "@a/b", "#x*y", "@-dash", "@+", "@trust"]
    text = "[2025-01-01 10:00] Tags.\nAbout " + " ".join(written) + "\n"
    as_text = run_import(journal, write(tmp_path, "j.txt", text))
    exported = {
        "tags": {},
        "entries": [
            {
                "date": "2025-01-01",
                "time": "11:00",  # a second entry, with the same words
                "title": "Tags.",
                "body": "About " + " ".join(written),
                "tags": written,
                "starred": False,
            }
        ],
    }
    as_json = run_import(journal, write(tmp_path, "j.json", json.dumps(exported)))
    dayone = {"entries": [{**DAYONE["entries"][0], "tags": ["a/b", "c++"]}]}
    dayone["entries"][0].pop("photos", None)
    as_dayone = run_import(journal, write(tmp_path, "Journal.json", json.dumps(dayone)))

    def written(start: str) -> dict[str, object]:
        return next(e for e in entries(journal) if str(e["body"]).startswith(start))

    from_text, from_json = [e for e in entries(journal) if str(e["body"]).startswith("About")]
    from_dayone = written("#")
    # ('x' too: the text's '#x' is a #word, as in any entry written here.)
    assert from_text["tags"] == from_json["tags"] == ["a-b", "c", "dash", "x", "x-y"]
    assert from_text["barriers"] == from_json["barriers"] == {"trust": 1}
    assert from_dayone["tags"] == ["a-b", "c"]
    for report in (as_text, as_json):
        assert report.notes == [
            "some tags were changed to fit: @c++ became c, @a/b became a-b, #x*y became x-y, "
            "@-dash became dash; tags with no letter or digit were left out: @+ (a tag here "
            "is one word of letters, digits, '-' or '_'; the entries' text is unchanged)"
        ]
    assert as_dayone.notes[0].startswith("some tags were changed to fit: a/b became a-b, c++")


def test_dayone_zip_reports_the_attachment_files(journal: JournalService, tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Journal.json", json.dumps(DAYONE))
        archive.writestr("photos/abc.jpeg", b"\xff\xd8\xff")
    report = run_import(journal, path)
    assert report.added == 2
    assert any("photos/abc.jpeg" in a for a in report.attachments)


def test_dayone_zip_of_the_export_folder_zipped_again_is_read(
    journal: JournalService, tmp_path: Path
) -> None:
    path = tmp_path / "again.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Export/Journal.json", json.dumps(DAYONE))
        archive.writestr("Export/photos/abc.jpeg", b"\xff\xd8\xff")
    report = run_import(journal, path)
    assert report.added == 2
    assert any("Export/photos/abc.jpeg" in a for a in report.attachments)
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("Journal.json", json.dumps(DAYONE)[:-20])
    with pytest.raises(JournalError, match=r"^Journal\.json in .*broken\.zip is not valid JSON"):
        run_import(journal, broken)


def test_dayone_zip_of_several_journals_imports_every_one(
    journal: JournalService, tmp_path: Path
) -> None:
    travel = {
        "metadata": {"version": "1.0"},
        "entries": [
            {"uuid": "11111111111111111111111111111111", "creationDate": "2024-05-01T10:00:00Z",
             "timeZone": "Europe/Lisbon", "text": "On the tram to Belém\\."},
            {"uuid": "22222222222222222222222222222222", "timeZone": "Europe/Lisbon",
             "text": "No date on this one"},
        ],
    }  # fmt: skip
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Travel.json", json.dumps(travel, indent=1))
        archive.writestr("Journal.json", json.dumps(DAYONE))
        archive.writestr("photos/abc.jpeg", b"\xff\xd8\xff")
        archive.writestr("settings.json", json.dumps({"theme": "dark"}))
    with pytest.raises(JournalError, match=r"\(Travel\.json line 12: it has no 'creationDate'\)"):
        run_import(journal, path)
    assert entries(journal) == []
    report = run_import(journal, path, skip_unreadable=True)
    assert report.added == 3  # both of Journal.json and the good one of Travel.json
    assert "On the tram to Belém." in [e["body"] for e in entries(journal)]
    assert [str(p) for p in report.unreadable] == ["Travel.json line 12: it has no 'creationDate'"]
    # Only the photo is an attachment: the second journal is not "skipped".
    assert report.attachments == [
        "entry of 2024-03-09: 1 photo",
        "settings.json (not a Day One export)",
        "1 attachment file in the zip (e.g. photos/abc.jpeg)",
    ]


def test_a_damaged_journal_in_a_dayone_zip_stops_the_whole_import(
    journal: JournalService, tmp_path: Path
) -> None:
    # QA: a second journal cut short inside an intact zip was listed as "attachment not
    # imported: Broken.json (not a Day One export)" and the import went on, exit 0.
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Journal.json", json.dumps(DAYONE))
        archive.writestr("Broken.json", json.dumps(DAYONE)[:-40])
    with pytest.raises(JournalError, match=r"Broken\.json in .*export\.zip is not valid JSON"):
        run_import(journal, path)
    with pytest.raises(JournalError, match="not valid JSON"):
        run_import(journal, path, skip_unreadable=True)
    assert entries(journal) == []


def test_dayone_entries_without_text_are_listed_and_the_rest_imported(
    journal: JournalService, tmp_path: Path
) -> None:
    data = {
        "metadata": {"version": "1.0"},
        "entries": [
            {"creationDate": "2024-03-09T10:00:00Z", "text": "Words.", "uuid": "A" * 32},
            {
                "creationDate": "2024-03-10T10:00:00Z",
                "text": "![](dayone-moment://ABCDEF)\n",
                "photos": [{"md5": "x"}],
            },
            {"creationDate": "2024-03-11T10:00:00Z", "text": "  \n"},
        ],
    }
    report = run_import(journal, write(tmp_path, "Journal.json", json.dumps(data)))
    assert (report.added, report.unreadable) == (1, [])
    assert report.attachments == [
        "entry of 2024-03-10: 1 photo (with no text, so the entry was not imported)"
    ]
    assert report.notes == ["the entry of 2024-03-11 has no text; it was left out"]
    assert [e["body"] for e in entries(journal)] == ["Words."]


def test_dayone_unescape_keeps_plain_backslashes() -> None:
    assert unescape_dayone(r"a\.b \- c\\d C:\path") == r"a.b - c\d C:\path"


# -- our own exports -------------------------------------------------------------------


def test_list_json_output_imports_too(journal: JournalService, tmp_path: Path) -> None:
    item = {"date": "2026-01-05", "body": "From list --json", "barriers": {"trust": 3}}
    report = run_import(journal, write(tmp_path, "l.json", json.dumps([item])))
    assert report.kind == "json" and report.added == 1
    [entry] = entries(journal)
    assert entry["barriers"] == {"trust": 3} and entry["created_at"] == "2026-01-05T12:00:00+00:00"


def test_trash_json_output_goes_back_to_the_trash(journal: JournalService, tmp_path: Path) -> None:
    items = [
        {"date": "2026-01-05", "body": "Still here", "deleted": False},
        {"date": "2026-01-06", "body": "Was in the trash", "deleted": True},
    ]
    path = write(tmp_path, "t.json", json.dumps(items))
    report = run_import(journal, path)
    assert (report.added, report.to_trash) == (2, 1)
    assert "  1 went back to the trash, as it was in the file" in report.summary_lines()
    assert [e["body"] for e in entries(journal)] == ["Still here"]
    assert [e.body for e in journal.trash()] == ["Was in the trash"]
    assert run_import(journal, path).already_there == 2


def _markdown_export(journal: JournalService, tmp_path: Path) -> str:
    """A single-file export of four entries, the third a long one of several lines."""
    long_body = "Line one.\nLine two.\n\n# A heading\nLine five.\nShare this with my therapist."
    bodies = ["A short one.", "By the river.", long_body, "After.\nAnd then sleep."]
    for day, body in enumerate(bodies, start=1):
        journal.add(NewEntry(body=body, date=dt.date(2026, 3, day), emotional_closeness=day))
    out = tmp_path / "single.md"
    run_export(
        journal,
        EntryQuery(limit=None),
        fmt="md",
        layout="single",
        out=out,
        force=False,
        stdout=io.StringIO(),
    )
    return out.read_text(encoding="utf-8")


def _cut(text: str, after: str, keep: int, line_end: str = "\n") -> str:
    """`text` cut `keep` characters into the last `after`, with a line end put back."""
    return text[: text.rindex(after) + keep] + line_end


@pytest.mark.parametrize(
    ("where", "message"),
    [
        # In the middle of an entry's text: 'Share this' instead of the whole line.
        (
            lambda t: _cut(t, "Share this with", len("Share this")),
            r"its header says 4 entries and it holds 3 \(the last one may be incomplete\);",
        ),
        # Inside an entry's marker line.
        (
            lambda t: _cut(t[: t.index("## 2026-03-04")], "<!-- reconnect-journal:entry", 40),
            r"its header says 4 entries and it holds 3 \(the last one incomplete\);",
        ),
        # Between two entries.
        (
            lambda t: t[: t.index("\n## 2026-03-04")] + "\n",
            r"its header says 4 entries and it holds 3 \(the last one may be incomplete\);",
        ),
        # In the last entry: every entry is there, the last one short of a line.
        (
            lambda t: _cut(t, "And then", 0, ""),
            r"its last entry \(line \d+\) holds 1 of the 2 lines its marker line gives;",
        ),
        # Part-way through the last line of all (an export ends with a line end).
        (
            lambda t: _cut(t, "And then", 5, ""),
            r"its last entry \(line \d+\) stops part-way through its last line;",
        ),
        # Inside the header's own marker line.
        (lambda t: _cut(t, "<!-- reconnect-journal:export", 45), "its header line is incomplete;"),
    ],
    ids=["in-a-text", "in-a-marker", "between-entries", "last-entry", "last-line", "header"],
)
def test_a_markdown_export_cut_short_is_refused_whole(
    journal: JournalService, tmp_path: Path, where: Any, message: str
) -> None:
    text = _markdown_export(journal, tmp_path)
    whole = comparable(journal)
    path = write(tmp_path, "cut.md", where(text))
    target = open_journal(tmp_path / "new.db")
    try:
        for skip in (False, True):
            with pytest.raises(JournalError, match=message) as caught:
                run_import(target, path, skip_unreadable=skip)
            assert str(caught.value).startswith(f"{path} looks cut short: ")
            assert "nothing was imported; export it again" in str(caught.value)
            assert "\n" not in str(caught.value)
            assert entries(target) == []
        # The whole file afterwards brings back every entry whole.
        assert run_import(target, tmp_path / "single.md").added == 4
        assert comparable(target) == whole
    finally:
        target.close()


def test_a_markdown_export_cut_short_fails_on_the_command_line_and_creates_nothing(
    journal: JournalService, tmp_path: Path
) -> None:
    text = _markdown_export(journal, tmp_path)
    path = write(tmp_path, "cut.md", _cut(text, "Share this with", len("Share this")))
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"reconnect-journal: {path} looks cut short: its header says 4 entries and it holds 3 "
        "(the last one may be incomplete); nothing was imported; export it again and import "
        "the whole file\n"
    )
    assert not db.exists()


def test_a_markdown_export_edited_by_hand_at_its_end_still_imports(
    journal: JournalService, tmp_path: Path
) -> None:
    text = _markdown_export(journal, tmp_path)
    # A line added to the last entry, and the file's last line end taken off by an editor.
    edited = text[: text.rindex("sleep.")] + "sleep.\nA line added by hand."
    target = open_journal(tmp_path / "new.db")
    try:
        report = run_import(target, write(tmp_path, "edited.md", edited))
        assert (report.added, report.unreadable) == (4, [])
        assert entries(target)[-1]["body"] == "After.\nAnd then sleep.\nA line added by hand."
    finally:
        target.close()


@pytest.mark.parametrize(
    ("kind", "content", "actual"),
    [
        ("json", FIXTURES / "basic_onefile.export.json", "jrnl-json"),
        ("dayone", [{"date": "2026-01-05", "created_at": "2026-01-05T10:00:00+00:00"}], "json"),
        ("jrnl-json", {"entries": [{"creationDate": "2024-03-09T23:30:00Z"}]}, "dayone"),
    ],
)
def test_from_naming_another_kind_than_the_file_is_says_which_it_is(
    journal: JournalService, tmp_path: Path, kind: str, content: object, actual: str
) -> None:
    path = content if isinstance(content, Path) else write(tmp_path, "x.json", json.dumps(content))
    expected = (
        f"is {readers.KIND_NAMES[actual]}, not {readers.KIND_NAMES[kind]}; "
        f"use --from {actual}, or leave --from out"
    )
    with pytest.raises(JournalError, match=re.escape(expected)):
        run_import(journal, path, kind)  # type: ignore[arg-type]
    assert entries(journal) == []


# -- malformed files -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "trunc.json",
            '{"version": 1, "entries": [{"date": "2026-01-0',
            r"is not valid JSON \(line 1",
        ),
        ("latin1.txt", "[2024-05-01 08:00] Caf\xe9.\n".encode("latin-1"), "is not UTF-8 text"),
        (
            "picture.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "looks like a binary file, not a journal; import reads a jrnl journal",
        ),
        ("cut.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "is a damaged or incomplete zip"),
        ("notes.txt", "Dear diary, no dates here.\n", "could not tell what kind of file"),
        ("v2.journal", "gAAAAABmZXJuZXQtdG9rZW4tbGlrZQ==", "is an encrypted jrnl journal"),
        ("v3.journal", b"JRNLv3\x00\x10\x8a\x01\xff", "is an encrypted jrnl journal"),
        ("other.json", '{"hello": "world"}', "is JSON, but not an export I know"),
        ("empty.md", "# Notes\n\nJust notes.\n", "could not tell what kind of file"),
    ],
)
def test_malformed_files_give_a_clear_error_and_change_nothing(
    journal: JournalService, tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    here = ImportedEntry(body="already here", date=dt.date(2026, 1, 1), created_at=NOON)
    journal.add_imported([journal.check_imported(here)])
    before = hashlib.sha256(json.dumps(entries(journal)).encode()).hexdigest()
    with pytest.raises(JournalError, match=message):
        run_import(journal, write(tmp_path, name, content))
    assert hashlib.sha256(json.dumps(entries(journal)).encode()).hexdigest() == before


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("jrnl", "Dear diary, no dates here.\n", "x.txt has no jrnl entries"),
        ("markdown", "# Notes\n", "x.txt is not a Markdown export of Reconnect Journal"),
    ],
)
def test_a_file_not_of_the_kind_given_is_named(
    journal: JournalService, tmp_path: Path, kind: str, content: str, message: str
) -> None:
    with pytest.raises(JournalError, match=message):
        run_import(journal, write(tmp_path, "x.txt", content), kind)  # type: ignore[arg-type]
    assert entries(journal) == []


def test_an_export_made_where_the_day_had_begun_imports_after_a_journey_west(
    journal: JournalService, tmp_path: Path
) -> None:
    # Written on 15 March in Kiribati (UTC+14) while it is still 14 March here: that day
    # has begun somewhere, so it is not "in the future". A day no zone has reached is.
    data = {
        "version": 1,
        "entries": [
            {"date": "2026-03-15", "created_at": "2026-03-15T08:00:00+14:00", "body": "east"},
            {"date": "2026-03-16", "created_at": "2026-03-16T08:00:00+14:00", "body": "later"},
        ],
    }
    path = write(tmp_path, "ours.json", json.dumps(data, indent=1))
    with pytest.raises(JournalError, match="2026-03-16 is in the future"):
        run_import(journal, path)
    report = run_import(journal, path, skip_unreadable=True)
    assert report.added == 1 and [e["body"] for e in entries(journal)] == ["east"]
    assert entries(journal)[0]["date"] == "2026-03-15"


def test_missing_fields_are_listed_with_line_numbers(
    journal: JournalService, tmp_path: Path
) -> None:
    data = {
        "version": 1,
        "entries": [
            {"date": "2026-01-01", "body": "good"},
            {"date": "2026-01-02"},
            {"body": "no date"},
            {"date": "2026-01-03", "body": "bad rating", "emotional_closeness": 9},
            {"date": "2099-01-01", "body": "from the future"},
            {"date": "2026-01-04", "body": "bad barrier", "barriers": {"boredom": 1}},
        ],
    }
    path = write(tmp_path, "ours.json", json.dumps(data, indent=1))
    with pytest.raises(JournalError) as error:
        run_import(journal, path)
    message = str(error.value)
    assert "5 entries" in message and "nothing was imported" in message
    assert "line 8: it has no 'body'" in message
    assert "line 11: it has no 'date'" in message
    assert "line 14: emotional closeness 9 is out of range" in message
    assert "is in the future" in message and "'boredom' is not one of the five barriers" in message
    assert entries(journal) == []
    report = run_import(journal, path, skip_unreadable=True)
    assert report.added == 1 and len(report.unreadable) == 5


def test_one_transaction_nothing_added_if_the_database_refuses_part(
    journal: JournalService,
) -> None:
    good = ImportedEntry(body="fine", date=dt.date(2026, 1, 1), created_at=NOON)
    # Past the checks on purpose: the database's own rule stops the barrier row, after
    # the entry rows were written in the same transaction.
    bad = journal.check_imported(
        ImportedEntry(body="odd", date=dt.date(2026, 1, 2), created_at=NOON)
    )
    bad.barriers = [BarrierTag(Barrier.SHAME, 7, "user")]
    with pytest.raises(JournalError):
        journal.add_imported([journal.check_imported(good), bad])
    assert entries(journal) == []


# -- conversation openers travel with their entry ------------------------------------------


OPENER = {
    "feeling": "lonely",
    "about": "our 'evenings'\nlately",
    "need": 'time that is "just ours" 💛',
    "text": 'I feel lonely about our evenings lately.\nWhat I need is time that is "just ours" 💛',
    "created_at": "2026-01-01T21:00:00+01:00",
    "updated_at": "2026-01-03T08:15:00-05:00",
}


def opener_fields(journal: JournalService) -> list[list[tuple[object, ...]]]:
    """Each live entry's openers (oldest entry first), field for field, times in UTC."""
    return [
        [
            (o.feeling, o.about, o.need, o.text, o.created_at.isoformat(), o.updated_at.isoformat())
            for o in journal.openers_for(entry.id)
        ]
        for entry in journal.iter_entries()
    ]


def test_json_openers_come_back_with_their_entry_and_only_once(
    journal: JournalService, tmp_path: Path
) -> None:
    item = {
        "uuid": "00000000-0000-4000-8000-00000000000a",
        "date": "2026-01-01",
        "body": "Quiet dinner.",
        "openers": [OPENER, {**OPENER, "about": "", "text": "Second.", "updated_at": None}],
    }
    path = write(tmp_path, "o.json", json.dumps({"version": 1, "entries": [item]}))
    assert run_import(journal, path).added == 1
    expected = [
        (
            "lonely",
            "our 'evenings'\nlately",
            'time that is "just ours" 💛',
            OPENER["text"],
            "2026-01-01T20:00:00+00:00",
            "2026-01-03T13:15:00+00:00",
        ),
        ("lonely", "", 'time that is "just ours" 💛', "Second.", "2026-01-01T20:00:00+00:00",
         "2026-01-01T20:00:00+00:00"),
    ]  # fmt: skip
    assert opener_fields(journal) == [expected]
    # Imported again, the entry is skipped as already here, and so are its openers.
    assert run_import(journal, path).already_there == 1
    assert opener_fields(journal) == [expected]


@pytest.mark.parametrize(
    ("openers", "reason"),
    [
        ("not a list", "its 'openers' is not a list"),
        (["words"], "one of its 'openers' is not a set of 'key: value' fields"),
        ([{**OPENER, "text": "  "}], "its conversation opener has no text"),
        ([{**OPENER, "need": 3}], "the 'need' of one of its 'openers' is not text"),
        ([{**OPENER, "created_at": "soon"}], "its opener's 'created_at' 'soon' is not a date"),
    ],
)
def test_an_opener_that_cannot_be_read_stops_the_import_like_any_field(
    journal: JournalService, tmp_path: Path, openers: object, reason: str
) -> None:
    items = [
        {"date": "2026-01-01", "body": "fine"},
        {"date": "2026-01-02", "body": "with a bad opener", "openers": openers},
    ]
    path = write(tmp_path, "o.json", json.dumps(items, indent=1))
    with pytest.raises(JournalError, match="nothing was imported") as error:
        run_import(journal, path)
    assert f"line 6: {reason}" in str(error.value)
    assert entries(journal) == []


def test_openers_are_added_in_the_import_s_one_transaction(
    journal: JournalService, tmp_path: Path
) -> None:
    """The database refusing an opener row (a trigger here) leaves no entry behind either."""
    with journal.store.transaction() as session:
        session.connection().exec_driver_sql(
            "CREATE TRIGGER no_openers BEFORE INSERT ON conversation_opener "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    items = [
        {"date": "2026-01-01", "body": "first"},
        {"date": "2026-01-02", "body": "second", "openers": [OPENER]},
    ]
    with pytest.raises(JournalError):
        run_import(journal, write(tmp_path, "o.json", json.dumps(items)))
    assert entries(journal) == []


def test_a_markdown_export_edited_by_hand_keeps_the_openers_out_of_the_text(
    journal: JournalService, tmp_path: Path
) -> None:
    """A line added to an entry's text: the marker's count no longer fits, the text is
    taken as it stands, without the readable opener lines after it; the openers
    themselves come from the marker."""
    item = {"date": "2026-01-01", "body": "Quiet dinner.", "openers": [OPENER]}
    run_import(journal, write(tmp_path, "o.json", json.dumps([item])))
    out = tmp_path / "export.md"
    run_export(
        journal, EntryQuery(limit=None), fmt="md", layout="single", out=out, force=False,
        stdout=io.StringIO(),
    )  # fmt: skip
    text = out.read_text(encoding="utf-8")
    readable = "**Conversation opener:** I feel lonely about our evenings lately. What I need"
    assert f"Quiet dinner.\n\n{readable}" in text
    out.write_text(text.replace("Quiet dinner.", "Quiet dinner.\nAdded by hand."), "utf-8")
    target = open_journal(tmp_path / "target.db")
    try:
        assert run_import(target, out).added == 1
        assert [e["body"] for e in entries(target)] == ["Quiet dinner.\nAdded by hand."]
        assert opener_fields(target) == opener_fields(journal)
    finally:
        target.close()


def test_json_without_a_uuid_but_with_a_number_for_id_is_read(
    journal: JournalService, tmp_path: Path
) -> None:
    """`id` in our JSON is the journal's own number; only `uuid` names the entry for good."""
    path = write(tmp_path, "m.json", '[{"date":"2026-01-01","body":"hi","id":5}]')
    assert run_import(journal, path).added == 1
    bad = write(tmp_path, "b.json", '[{"date":"2026-01-02","body":"hi","uuid":"nope"}]')
    with pytest.raises(JournalError, match=r"line 1: its id 'nope' is not a uuid"):
        run_import(journal, bad)


def test_duplicates_inside_one_file_are_skipped(journal: JournalService, tmp_path: Path) -> None:
    same = {"date": "2026-01-01", "created_at": "2026-01-01T10:00:00+00:00", "body": "twice"}
    path = write(tmp_path, "ours.json", json.dumps([same, same, {**same, "body": "other"}]))
    report = run_import(journal, path)
    assert (report.added, report.already_there) == (2, 1)


def test_entries_of_one_export_written_in_the_same_second_all_come_back(
    journal: JournalService, tmp_path: Path
) -> None:
    """`add -d DAY` in a loop writes the same words on three days within one second: three
    entries, with their own uuids, and a round trip keeps all three."""
    for day in ("2026-01-01", "2026-01-02", "2026-01-03"):
        journal.add(NewEntry(body="Walked, felt fine.", date=dt.date.fromisoformat(day)))
    for fmt in ("json", "md"):
        out = tmp_path / f"all.{fmt}"
        run_export(
            journal,
            EntryQuery(limit=None),
            fmt=fmt,  # type: ignore[arg-type]
            layout="single",
            out=out,
            force=False,
            stdout=io.StringIO(),
        )
        target = open_journal(tmp_path / f"{fmt}.db")
        try:
            report = run_import(target, out)
            assert (report.added, report.already_there) == (3, 0)
            assert comparable(target) == comparable(journal)
        finally:
            target.close()


def test_entries_already_here_but_in_the_trash_are_named_as_such(
    journal: JournalService, tmp_path: Path
) -> None:
    path = write(tmp_path, "j.txt", "[2025-05-01 08:00] One.\nx\n\n[2025-05-02 09:00] Two.\ny\n")
    run_import(journal, path)
    journal.delete(journal.list()[0].id)
    report = run_import(journal, path)
    assert (report.added, report.already_there, report.already_in_trash) == (0, 2, 1)
    assert (
        "  1 of those already in the journal is in the trash, and stayed there: 'trash' lists "
        "it, 'undelete ID' brings one back"
    ) in report.summary_lines()


# -- the command line ------------------------------------------------------------------


def test_cli_import_summary_and_exit_codes(tmp_path: Path) -> None:
    db = str(tmp_path / "j.db")
    result = runner.invoke(app, ["--db", db, "import", str(FIXTURES / "basic_onefile.journal")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (
        "Imported a jrnl journal: 3 entries added, 0 already in the journal (skipped), "
        "0 not understood."
    )
    again = runner.invoke(app, ["--db", db, "import", str(FIXTURES / "basic_onefile.journal")])
    assert "0 entries added, 3 already in the journal" in again.stdout
    wrong = runner.invoke(app, ["--db", db, "import", "x.txt", "--from", "evernote"])
    assert wrong.exit_code == 2 and "use one of: auto, jrnl, jrnl-json" in wrong.stderr
    missing = runner.invoke(app, ["--db", db, "import", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    forced = runner.invoke(
        app, ["--db", db, "import", str(FIXTURES / "basic_onefile.journal"), "--from", "json"]
    )
    assert forced.exit_code == 1 and "not valid JSON" in forced.stderr
    assert "Traceback" not in forced.stderr + forced.stdout


def test_cli_import_of_a_file_it_cannot_read_leaves_no_new_journal(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    broken = write(tmp_path, "broken.json", '{"version": 1, "entries": [')
    result = runner.invoke(app, ["--db", str(db), "import", str(broken)])
    assert result.exit_code == 1 and "not valid JSON" in result.stderr
    assert not db.exists()
    ambiguous = write(tmp_path, "j.txt", "[11/03/2025 21:30] One.\nx\n")
    result = runner.invoke(app, ["--db", str(db), "import", str(ambiguous)])
    assert result.exit_code == 1 and "add --timeformat '%d/%m/%Y %H:%M'" in result.stderr
    assert not db.exists()
    # Read, but with an entry not understood (QA: this one left an empty journal behind).
    unclear = write(tmp_path, "u.json", json.dumps([{"date": "2026-01-01", "body": "a"}, {}]))
    result = runner.invoke(app, ["--db", str(db), "import", str(unclear)])
    assert result.exit_code == 1 and "could not be read" in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("new")) == []
    # Into a journal that was there, the same failure leaves it as it was.
    assert runner.invoke(app, ["--db", str(db), "add", "already here"]).exit_code == 0
    assert runner.invoke(app, ["--db", str(db), "import", str(unclear)]).exit_code == 1
    assert db.exists()
    result = runner.invoke(
        app, ["--db", str(db), "import", str(ambiguous), "--timeformat", "%d/%m/%Y %H:%M"]
    )
    assert result.exit_code == 0, result.stderr
    journal = open_journal(db)
    try:
        assert len(days_of(journal)) == 2 and "2025-03-11T21:30" in days_of(journal)
    finally:
        journal.close()


@given(
    kind=st.sampled_from(["jrnl", "dayone", "markdown"]),
    created=st.datetimes(timezones=st.just(dt.UTC)),
    text=st.text(),
)
def test_stable_uuid_is_uuid5_so_reimports_still_match(
    kind: str, created: dt.datetime, text: str
) -> None:
    # Entries imported before this uuid was worked out by hand carry uuid5 values; a
    # re-import must produce the same ones to be recognised as already here.
    expected = uuid.uuid5(readers._NAMESPACE, f"{kind}\0{created.isoformat()}\0{text}")
    assert readers._stable_uuid(kind, created, text) == str(expected)


def test_import_dash_reads_what_is_piped_in(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    jrnl_json = (FIXTURES / "basic_onefile.export.json").read_bytes()
    result = runner.invoke(app, ["--db", str(db), "import", "-"], input=jrnl_json)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Imported a jrnl JSON export: 3 entries added")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("Journal.json", json.dumps(DAYONE))
    result = runner.invoke(app, ["--db", str(db), "import", "-"], input=archive.getvalue())
    assert result.stdout.startswith("Imported a Day One export: 2 entries added")
    result = runner.invoke(app, ["--db", str(db), "import", "-"], input=b"\x00\x01binary")
    assert result.exit_code == 1
    assert result.stderr.startswith("reconnect-journal: standard input looks like a binary file")
