"""Exports: golden files for each layout, read back with a Markdown parser and a YAML parser,
private atomic files, no overwriting, streaming, and the therapy summary."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from reconnect_journal.cli import app
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.model import EntryChanges, EntryQuery
from reconnect_journal.io.export import run_export
from reconnect_journal.io.importing import run_import
from reconnect_journal.io.markdown_body import decode_body, encode_body
from reconnect_journal.io.summary import write_summary
from tests.io_support import FIXED_TODAY, GOLDEN, comparable, fill, open_journal

pytestmark = pytest.mark.usefixtures("utc_clock")
runner = CliRunner()
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))


@pytest.fixture
def journal(tmp_path: Path) -> JournalService:
    svc = open_journal(tmp_path / "journal.db")
    fill(svc)
    yield svc  # type: ignore[misc]
    svc.close()


def export(
    journal: JournalService, out: Path | None, query: EntryQuery | None = None, **kwargs: object
) -> tuple[int, str]:
    buffer = io.StringIO()
    options: dict[str, object] = {"fmt": "md", "layout": "single", "force": False}
    options.update(kwargs)
    result = run_export(
        journal,
        query or EntryQuery(limit=None),
        out=out,
        stdout=buffer,
        **options,  # type: ignore[arg-type]
    )
    return result.count, buffer.getvalue()


def check_golden(name: str, text: str) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="")
    assert text == golden.read_text(encoding="utf-8"), f"differs from {golden}"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- single file -----------------------------------------------------------------------


def test_single_file_matches_golden_and_is_private(journal: JournalService, tmp_path: Path) -> None:
    out = tmp_path / "journal.md"
    count, _ = export(journal, out)
    assert count == 3
    check_golden("export_single.md", out.read_text(encoding="utf-8"))
    assert mode(out) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_single_file_structure_as_a_markdown_reader_sees_it(journal: JournalService) -> None:
    _, text = export(journal, None)
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [
        (tokens[i].tag, tokens[i + 1].content)
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    # The title, then one level-2 heading per entry in date order; the body's own
    # "# What I noticed" and "## Later" sit below their entry, never beside it.
    assert headings == [
        ("h1", "Reconnect Journal"),
        ("h2", "2026-03-01 · After the walk"),
        ("h2", "2026-03-02"),
        ("h3", "What I noticed"),
        ("h4", "Later"),
        ("h2", "2026-03-02 · Café — naïve 💛"),
        ("h4", "title: not front matter"),  # a setext "---" heading, demoted too
    ]
    paragraphs = [t.content for t in tokens if t.type == "inline"]
    assert any(
        "**Barriers:** Feeling unseen or unheard 2/3" in p and "**Emotional closeness:** 4/5" in p
        for p in paragraphs
    )
    assert any("**Tags:** #morning" in p and "**Physical intimacy:** 2/5" in p for p in paragraphs)
    assert "\n#### title: not front matter\n" in text
    # The first entry's conversation opener is a paragraph of its own after its text.
    opener = (
        "**Conversation opener:** I feel hopeful about how we talked on the way home. "
        "What I need is another evening like it soon."
    )
    assert paragraphs.index(opener) == paragraphs.index("It felt easy, for once.") + 1


def test_markdown_without_out_goes_to_stdout(journal: JournalService, tmp_path: Path) -> None:
    count, text = export(journal, None)
    assert count == 3 and text.startswith("# Reconnect Journal\n")
    assert list(tmp_path.glob("*.md")) == []


def test_existing_file_is_not_replaced_without_force(
    journal: JournalService, tmp_path: Path
) -> None:
    out = tmp_path / "journal.md"
    out.write_text("keep me")
    with pytest.raises(Exception, match="already exists; add --force"):
        export(journal, out)
    assert out.read_text() == "keep me"
    export(journal, out, force=True)
    assert out.read_text().startswith("# Reconnect Journal")
    assert mode(out) == 0o600


def test_a_failed_write_leaves_no_file(journal: JournalService, tmp_path: Path) -> None:
    out = tmp_path / "journal.md"

    real = journal.iter_entries

    def broken() -> object:
        yield from real()
        raise OSError(28, "No space left on device")

    journal.iter_entries = lambda query=None, page_size=500: broken()  # type: ignore[method-assign]
    with pytest.raises(Exception, match="No space left"):
        export(journal, out)
    assert list(tmp_path.glob("*journal.md*")) == []


def test_a_folder_that_takes_no_files_gets_one_line_naming_the_target(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert runner.invoke(app, ["--db", str(db), "add", "hello"]).exit_code == 0
    out = Path("/proc/reconnect-journal-export.md")  # a folder no file can be made in
    result = runner.invoke(app, ["--db", str(db), "export", "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "unexpected" not in result.stderr
    assert f"cannot write {out}:" in result.stderr and "nothing was exported" in result.stderr


def test_a_folder_export_that_cannot_be_made_names_the_target(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert runner.invoke(app, ["--db", str(db), "add", "hello"]).exit_code == 0
    out = Path("/proc/reconnect-journal-vault")
    result = runner.invoke(
        app, ["--db", str(db), "export", "--layout", "folder", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"reconnect-journal: cannot write {out}: ")  # not a .tmp


def test_out_dash_is_the_terminal_and_a_device_or_pipe_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "journal.db"
    assert runner.invoke(app, ["--db", str(db), "add", "hello there"]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    for fmt in ("md", "json"):
        result = runner.invoke(app, ["--db", str(db), "export", "-f", fmt, "--out", "-"])
        assert result.exit_code == 0, result.stderr
        assert "hello there" in result.stdout and not (tmp_path / "-").exists()
    pipe = tmp_path / "a-pipe"
    os.mkfifo(pipe)
    result = runner.invoke(app, ["--db", str(db), "export", "--out", str(pipe), "--force"])
    assert result.exit_code == 1
    assert f"{pipe} is not a regular file (a device or a pipe)" in result.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)  # still the pipe
    folder = tmp_path / "exports"
    folder.mkdir()
    result = runner.invoke(app, ["--db", str(db), "export", "--out", str(folder)])
    assert result.exit_code == 1
    assert "needs a file name, such as " + str(folder / "journal.md") in result.stderr


def test_an_export_never_takes_the_place_of_the_journal_or_a_backup(tmp_path: Path) -> None:
    # QA: `export --out j.db --force` replaced the journal with Markdown, losing the
    # trash, openers and drafts, which no export holds.
    db = tmp_path / "j.db"
    assert runner.invoke(app, ["--db", str(db), "add", "hello"]).exit_code == 0
    assert runner.invoke(app, ["--db", str(db), "backup"]).exit_code == 0
    [backup] = (tmp_path / "backups").iterdir()
    other = tmp_path / "other.db"
    assert runner.invoke(app, ["--db", str(other), "add", "another journal"]).exit_code == 0
    before = {p: p.read_bytes() for p in (db, backup, other)}
    for out, said in [
        (db, "is the journal itself"),
        (tmp_path / "j.db-wal", "one of the journal's own files"),
        (tmp_path / "." / "j.db", "is the journal itself"),
        (backup, "backups folder"),
        (tmp_path / "backups" / "new.md", "backups folder"),
        (other, "SQLite database"),
    ]:
        for fmt in ("md", "json"):
            result = runner.invoke(
                app, ["--db", str(db), "export", "--format", fmt, "--out", str(out), "--force"]
            )
            assert result.exit_code == 2, (out, result.stdout)
            assert said in result.stderr and str(tmp_path / "j.md") in result.stderr
            assert result.stderr.count("\n") == 1
    assert {p: p.read_bytes() for p in (db, backup, other)} == before
    assert not (tmp_path / "backups" / "new.md").exists()
    done = runner.invoke(app, ["--db", str(db), "export", "--out", str(tmp_path / "j.md")])
    assert done.exit_code == 0 and (tmp_path / "j.md").read_text().startswith("# ")


def test_out_inside_a_file_says_it_is_a_file(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert runner.invoke(app, ["--db", str(db), "add", "hello"]).exit_code == 0
    (tmp_path / "one.md").write_text("mine")
    for layout in ("single", "folder"):
        out = tmp_path / "one.md" / "x"
        result = runner.invoke(
            app, ["--db", str(db), "export", "--layout", layout, "--out", str(out)]
        )
        assert result.exit_code == 1
        assert f"{tmp_path / 'one.md'} is a file, not a folder" in result.stderr
    assert (tmp_path / "one.md").read_text() == "mine"


# -- folder ------------------------------------------------------------------------------


def test_folder_layout_matches_golden_with_front_matter(
    journal: JournalService, tmp_path: Path
) -> None:
    out = tmp_path / "vault"
    count, _ = export(journal, out, layout="folder")
    assert count == 3
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    # An untitled entry's file is named by the time it was written, never by its words
    # (file names show in sync tools, sidebars and `ls`).
    assert files == [
        "2026/03/2026-03-01-after-the-walk.md",
        "2026/03/2026-03-02-0705.md",
        "2026/03/2026-03-02-café-naïve.md",
    ]
    for name in files:
        check_golden(f"export_folder/{name}", (out / name).read_text(encoding="utf-8"))
        assert mode(out / name) == 0o600
    assert {mode(d) for d in [out, *[p for p in out.rglob("*") if p.is_dir()]]} == {0o700}
    # Read as a vault tool would: front matter parsed as YAML, then the body.
    text = (out / files[1]).read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    meta = yaml.safe_load(header)
    assert meta["id"] == "00000000-0000-4000-8000-000000000002"
    assert str(meta["date"]) == "2026-03-02"
    assert meta["barriers"] == {"resentment": 3, "grief": 1}
    assert meta["barrier_sources"] == {"resentment": "suggestion", "grief": "user"}
    assert meta["tags"] == ["morning"]
    assert meta["physical_intimacy"] == 2 and meta["emotional_closeness"] is None
    assert meta["title"] is None and meta["prompt_id"] == "not-in-the-library"
    assert meta["created"] == "2026-03-02T07:05:00+00:00"
    assert meta["updated"] == "2026-03-03T08:00:00+00:00"
    assert body.startswith("# What I noticed\n")  # a file of its own keeps its headings
    assert "openers" not in meta  # only an entry with openers lists them
    _, header, body = (out / files[0]).read_text(encoding="utf-8").split("---\n", 2)
    assert yaml.safe_load(header)["openers"] == [
        {
            "feeling": "hopeful",
            "about": "how we talked on the way home",
            "need": "another evening like it soon",
            "text": "I feel hopeful about how we talked on the way home. "
            "What I need is another evening like it soon.",
            "created_at": "2026-03-01T21:55:00+00:00",
            "updated_at": "2026-03-02T08:30:00+00:00",
        }
    ]
    assert body == "We talked on the way home. #evening\n\nIt felt easy, for once."


def test_folder_needs_out_and_refuses_a_folder_with_files(
    journal: JournalService, tmp_path: Path
) -> None:
    with pytest.raises(Exception, match="needs --out"):
        export(journal, None, layout="folder")
    out = tmp_path / "vault"
    out.mkdir()
    (out / "mine.md").write_text("mine")
    with pytest.raises(Exception, match="already has files"):
        export(journal, out, layout="folder")
    assert sorted(p.name for p in out.iterdir()) == ["mine.md"]
    export(journal, out, layout="folder", force=True)
    assert (out / "mine.md").read_text() == "mine"  # --force replaces same names only
    assert len(list(out.rglob("2026-*.md"))) == 3


def test_a_folder_exported_into_again_says_what_stayed_and_imports_the_newest(
    journal: JournalService, tmp_path: Path
) -> None:
    out = tmp_path / "vault"
    export(journal, out, layout="folder")
    first = journal.list()[-1]
    journal.edit(first.id, EntryChanges(title="A new name"))
    result = run_export(
        journal,
        EntryQuery(limit=None),
        fmt="md",
        layout="folder",
        out=out,
        force=True,
        stdout=io.StringIO(),
    )
    # The renamed entry's old file is still there, and the message says so.
    assert (result.count, result.earlier) == (3, 1)
    assert "1 file from an earlier export stayed as it was (entries since" in result.summary()
    assert len(list(out.rglob("*.md"))) == 4
    target = open_journal(tmp_path / "other.db")
    try:
        report = run_import(target, out)
        assert (report.added, report.older_copies) == (3, 1)
        assert comparable(target) == comparable(journal)  # the newest copy of each
    finally:
        target.close()


def test_same_day_same_title_files_get_numbers(tmp_path: Path) -> None:
    svc = open_journal(tmp_path / "j.db")
    from reconnect_journal.core.model import NewEntry

    for _ in range(3):
        svc.add(NewEntry(body="same", title="Same", date=FIXED_TODAY))
    export(svc, tmp_path / "v", layout="folder")
    names = sorted(p.name for p in (tmp_path / "v").rglob("*.md"))
    assert names == ["2026-03-14-same-2.md", "2026-03-14-same-3.md", "2026-03-14-same.md"]
    svc.close()


def test_a_filtered_export_into_the_same_folder_never_replaces_another_entrys_file(
    tmp_path: Path,
) -> None:
    from reconnect_journal.core.model import NewEntry

    svc = open_journal(tmp_path / "j.db")
    svc.add(NewEntry(body="entry A", title="Same", date=FIXED_TODAY, starred=True))
    svc.add(NewEntry(body="entry B", title="Same", date=FIXED_TODAY, tags=["onlyb"]))
    vault = tmp_path / "v"
    export(svc, vault, layout="folder")
    day = vault / "2026" / "03"
    before = {p.name: p.read_text(encoding="utf-8") for p in day.iterdir()}
    assert sorted(before) == ["2026-03-14-same-2.md", "2026-03-14-same.md"]
    # Only B this time: it would be the first "Same" of the day, but that name is A's.
    export(svc, vault, layout="folder", force=True, query=EntryQuery(tags=("onlyb",)))
    after = {p.name: p.read_text(encoding="utf-8") for p in day.iterdir()}
    assert after == before
    (day / "2026-03-14-same.md").write_text("a note of my own", encoding="utf-8")
    export(svc, vault, layout="folder", force=True)
    assert (day / "2026-03-14-same.md").read_text(encoding="utf-8") == "a note of my own"
    assert "entry A" in (day / "2026-03-14-same-3.md").read_text(encoding="utf-8")
    svc.close()


# -- JSON --------------------------------------------------------------------------------


def test_json_matches_golden_and_list_json_shape(journal: JournalService, tmp_path: Path) -> None:
    out = tmp_path / "journal.json"
    export(journal, out, fmt="json")
    text = out.read_text(encoding="utf-8")
    check_golden("export.json", text)
    data = json.loads(text)
    assert data["version"] == 1 and data["exported_at"] == "2026-03-14T20:30:00+00:00"
    shown = runner.invoke(app, ["--db", str(journal.store.path), "list", "--all", "--json"])
    assert data["entries"] == list(reversed(json.loads(shown.stdout)))
    # Openers travel with their entry; an entry without any has no "openers" key.
    assert [len(e.get("openers", [])) for e in data["entries"]] == [1, 0, 0]
    assert "openers" not in data["entries"][1]
    assert data["entries"][0]["openers"][0]["text"].startswith("I feel hopeful about")
    assert mode(out) == 0o600


def test_json_of_an_empty_selection_is_valid(tmp_path: Path) -> None:
    svc = open_journal(tmp_path / "j.db")
    _, text = export(svc, None, fmt="json")
    assert json.loads(text)["entries"] == []
    svc.close()


# -- body encoding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six",
        "Title\n===\n\ntext\n---",
        "> # quoted\n\n- ## in a list",
        "```\nunclosed fence\n## not a heading",
        "<!-- unclosed comment\n\n## x",
        "line\r\nwith\rcarriage returns",
        "~~~~~~~~\nlong tildes\n# h",
        "plain words only",
        "\n\nblank lines around\n\n",
    ],
)
@pytest.mark.parametrize("level", [2, 3], ids=["export", "summary"])
def test_body_encoding_is_undone_exactly_and_stays_contained(body: str, level: int) -> None:
    """Under an entry heading of `level` (2 in an export, 3 in the summary), the body's
    own headings all sit below it, and the next entry's heading stays a heading."""
    lines, info = encode_body(body, level)
    assert decode_body(lines, info) == body
    entry = "#" * level
    document = "\n".join([f"{entry} entry", "", *lines, "", f"{entry} next", ""])
    big = [
        t.map[0] if t.map else -1
        for t in MarkdownIt("commonmark").parse(document.replace("\r", " "))
        if t.type == "heading_open" and int(t.tag[1]) <= level
    ]
    assert big == [0, len(lines) + 3]


@pytest.mark.parametrize("title", ["Week #", "Week ##", "Me & #", "Why #3 #", "#"])
def test_a_title_ending_in_hashes_shows_whole_in_the_heading(
    journal: JournalService, tmp_path: Path, title: str
) -> None:
    from reconnect_journal.core.model import NewEntry

    journal.add(NewEntry(body="words", title=title, date=FIXED_TODAY))
    out = tmp_path / "out.md"
    export(journal, out, query=EntryQuery(date_from=FIXED_TODAY, limit=None))
    tokens = MarkdownIt("commonmark").parse(out.read_text(encoding="utf-8"))
    headings = [
        "".join(child.content for child in tokens[i + 1].children or [])
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]  # as a reader shows them: escapes undone
    assert headings == [f"{FIXED_TODAY.isoformat()} · {title}"]
    fresh = open_journal(tmp_path / "again.db")
    try:
        run_import(fresh, out)
        assert [e.title for e in fresh.list(EntryQuery(limit=None))] == [title]
    finally:
        fresh.close()


def test_body_headings_move_down_by_the_entry_level() -> None:
    body = "# One\n## Two\n### Three\n\nSetext\n======"
    assert encode_body(body)[0] == ["### One", "#### Two", "##### Three", "", "### Setext"]
    assert encode_body(body, 3)[0] == ["#### One", "##### Two", "###### Three", "", "#### Setext"]


# -- CLI ---------------------------------------------------------------------------------


def test_cli_export_says_where_and_how_many(journal: JournalService, tmp_path: Path) -> None:
    db = str(journal.store.path)
    out = tmp_path / "out.md"
    result = runner.invoke(app, ["--db", db, "export", "--out", str(out), "--barrier", "unseen"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"Exported 1 entry to {out}."
    assert out.read_text().count("\n## ") == 1
    result = runner.invoke(app, ["--db", db, "export", "--out", str(out)])
    assert result.exit_code == 1 and "add --force" in result.stderr
    result = runner.invoke(app, ["--db", db, "export", "--format", "pdf"])
    assert result.exit_code == 2 and "use md or json" in result.stderr
    result = runner.invoke(app, ["--db", db, "export", "--from", "2026-03-02", "--tag", "morning"])
    assert result.exit_code == 0 and result.stdout.count("\n## ") == 1


def test_cli_summary_includes_only_what_was_chosen(journal: JournalService, tmp_path: Path) -> None:
    db = str(journal.store.path)
    out = tmp_path / "summary.md"
    args = ["--db", db, "export", "--summary", "--to", "2026-03-14", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "(2026-02-15 to 2026-03-14)" in result.stdout
    text = out.read_text()
    assert mode(out) == 0o600
    assert "| Feeling unseen or unheard | 1 |" in text and "| Resentment | 1 |" in text
    assert "| Shame | 0 |" in text
    assert "It felt easy, for once." in text  # marked to share
    # Under "## Entries marked to share", each entry one level down.
    assert "\n### 2026-03-" in text and text.count("\n## ") == 4
    assert "The old argument came back." not in text  # not marked
    assert "Just words." not in text
    assert "2026-03-02: not-in-the-library" in text  # the prompt answered


def test_summary_window_defaults_to_the_last_four_weeks(journal: JournalService) -> None:
    from reconnect_journal.io.summary import run_summary

    buffer = io.StringIO()
    count, first, last = run_summary(journal, None, None, out=None, force=False, stdout=buffer)
    assert (first, last) == (dt.date(2026, 2, 15), FIXED_TODAY) and count == 3
    assert buffer.getvalue().startswith("# Reflection summary: 15 February 2026 to 14 March 2026")


def test_cli_summary_says_the_full_path(
    journal: JournalService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative --out is said in full, as a plain export says it."""
    db = str(journal.store.path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--db", db, "export", "--summary", "--out", "sum.md"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith(f" to {tmp_path / 'sum.md'}.")
    result = runner.invoke(app, ["--db", db, "export", "--out", "all.md"])
    assert result.stdout.strip().endswith(f" to {tmp_path / 'all.md'}.")


def _summary_with_a_heading(tmp_path: Path) -> str:
    from reconnect_journal.core.model import NewEntry

    svc = open_journal(tmp_path / "j.db")
    fill(svc)
    svc.add(
        NewEntry(
            body="# Grief for Mum 💔\n\nIt was her birthday.\n\n## What helped\n\nTea.",
            date=dt.date(2026, 3, 10),
            emotional_closeness=3,
            share=True,
        )
    )
    buffer = io.StringIO()
    write_summary(svc.iter_entries(), buffer, date_from=dt.date(2026, 2, 15), date_to=FIXED_TODAY)
    svc.close()
    return buffer.getvalue()


def test_summary_golden(tmp_path: Path) -> None:
    check_golden("summary.md", _summary_with_a_heading(tmp_path))


def test_summary_entry_headings_sit_below_the_entry(tmp_path: Path) -> None:
    """A shared entry's own headings come out below its heading (level 3), never beside it."""
    text = _summary_with_a_heading(tmp_path)
    headings = [
        (int(t.tag[1]), tokens[i + 1].content)
        for tokens in [MarkdownIt("commonmark").parse(text)]
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    shared = headings[headings.index((2, "Entries marked to share")) + 1 :]
    assert shared == [
        (3, "2026-03-01 · After the walk"),
        (3, "2026-03-10"),
        (4, "Grief for Mum 💔"),
        (5, "What helped"),
    ]


def test_summary_weeks_start_on_the_configured_day(tmp_path: Path) -> None:
    """Weeks as in stats and Trends (Monday, or Sunday when set), the window's first and
    last weeks cut to the days inside it and said to be part of a week."""
    from reconnect_journal.core.model import NewEntry
    from reconnect_journal.core.trends import set_week_start

    svc = open_journal(tmp_path / "j.db")
    for day in (15, 16, 22, 23):  # Sun 15, Mon 16, Sun 22, Mon 23 February
        svc.add(NewEntry(body="x", date=dt.date(2026, 2, day), emotional_closeness=day % 5 + 1))

    def weeks() -> list[str]:
        buffer = io.StringIO()
        first, last = dt.date(2026, 2, 15), dt.date(2026, 3, 4)  # a Sunday to a Wednesday
        write_summary(svc.iter_entries(), buffer, date_from=first, date_to=last)
        table = buffer.getvalue().split("| Week |")[1].split("\n\n")[0]
        return [line for line in table.splitlines() if line.startswith("| 2026")]

    assert weeks() == [
        "| 2026-02-15 only (part of the week) | 1 | 1.0 | – |",
        "| 2026-02-16 to 2026-02-22 | 2 | 2.5 | – |",
        "| 2026-02-23 to 2026-03-01 | 1 | 4.0 | – |",
        "| 2026-03-02 to 2026-03-04 (part of the week) | 0 | – | – |",
    ]
    set_week_start("sunday")
    assert weeks() == [
        "| 2026-02-15 to 2026-02-21 | 2 | 1.5 | – |",
        "| 2026-02-22 to 2026-02-28 | 2 | 3.5 | – |",
        "| 2026-03-01 to 2026-03-04 (part of the week) | 0 | – | – |",
    ]
    svc.close()


def test_summary_trend_in_words_and_numbers(tmp_path: Path) -> None:
    from reconnect_journal.core.model import NewEntry

    svc = open_journal(tmp_path / "j.db")
    last = FIXED_TODAY
    first = last - dt.timedelta(days=27)
    for back, rating in ((27, 2), (26, 2), (1, 4), (0, 4)):
        svc.add(NewEntry(body="x", date=last - dt.timedelta(days=back), emotional_closeness=rating))
    buffer = io.StringIO()
    count = write_summary(svc.iter_entries(), buffer, date_from=first, date_to=last)
    assert count == 4
    text = buffer.getvalue()
    assert "Emotional closeness: 2.0 in the first half, 4.0 in the second: higher." in text
    assert "Physical intimacy: not enough ratings" in text
    # Sunday 15 February to Saturday 14 March: weeks from Monday, the first and last cut.
    assert "| 2026-02-15 only (part of the week) | 1 | 2.0 | – |" in text
    assert "| 2026-02-16 to 2026-02-22 | 1 | 2.0 | – |" in text
    assert "| 2026-03-09 to 2026-03-14 (part of the week) | 2 | 4.0 | – |" in text
    svc.close()


# -- stopped half-way ----------------------------------------------------------------------


def test_a_signal_during_an_export_removes_the_half_written_file(tmp_path: Path) -> None:
    """QA: SIGTERM or SIGHUP (a closed terminal) during an export left a hidden plain-text
    copy of the entries beside the target (`.s.md.XXXX.tmp`) that nothing removed."""
    out = tmp_path / "out"
    out.mkdir()
    import signal

    from reconnect_journal.interruptions import stopped_cleanly
    from reconnect_journal.io.files import atomic_text_file, private_folder

    for signum in (signal.SIGTERM, signal.SIGHUP):
        with (
            pytest.raises(KeyboardInterrupt),
            stopped_cleanly(),
            atomic_text_file(out / "s.md") as handle,
        ):
            handle.write("private words\n" * 1000)
            os.kill(os.getpid(), signum)
        with (
            pytest.raises(KeyboardInterrupt),
            stopped_cleanly(),
            private_folder(out / "vault") as folder,
        ):
            (folder / "entry.md").write_text("private words")
            os.kill(os.getpid(), signum)
        assert sorted(p.name for p in out.iterdir()) == []
    # Outside, the signals are handled as before.
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_an_export_still_being_written_when_the_process_ends_is_removed(tmp_path: Path) -> None:
    """The window's export runs in a worker thread, which no signal reaches: when the window
    is closed from outside while it runs, what it was writing is removed on the way out."""
    out = tmp_path / "out"
    out.mkdir()
    import threading

    from reconnect_journal.io import files

    writing, finish = threading.Event(), threading.Event()

    failed: list[Exception] = []

    def export_in_a_worker() -> None:
        try:
            with files.atomic_text_file(out / "s.md") as handle:
                handle.write("private words\n")
                writing.set()
                finish.wait(5)
        except Exception as exc:  # its file was removed under it
            failed.append(exc)

    worker = threading.Thread(target=export_in_a_worker)
    worker.start()
    try:
        assert writing.wait(5)
        [temp] = out.iterdir()
        assert temp.name.startswith(".s.md.") and temp.name.endswith(".tmp")
        files.remove_unfinished()  # what the process runs as it ends
        assert list(out.iterdir()) == []
    finally:
        finish.set()
        worker.join()
    assert failed and list(out.iterdir()) == []  # nothing half-written, nothing renamed in
    # A finished export is not touched.
    with files.atomic_text_file(out / "done.md") as handle:
        handle.write("kept")
    files.remove_unfinished()
    assert (out / "done.md").read_text() == "kept"


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_the_export_command_stopped_by_a_signal_leaves_nothing_beside_the_target(
    tmp_path: Path, signame: str
) -> None:
    import signal
    import subprocess
    import sys
    import time

    from benchmarks.journal_maker import make_journal

    db = make_journal(tmp_path / "big.db", 20_000)
    out = tmp_path / "out"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECONNECT_JOURNAL")}
    command = "from reconnect_journal.launch import main; main()"
    args = ["--db", str(db), "export", "--out", str(out / "s.md")]
    process = subprocess.Popen(
        [sys.executable, "-c", command, *args], env=env, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while not list(out.iterdir()) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    assert process.poll() is None, "the export ended before it could be stopped"
    process.send_signal(getattr(signal, signame))
    process.wait(60)
    assert process.returncode != 0
    assert list(out.iterdir()) == []  # neither the export nor its hidden half
