"""Gentle prompts: the library, the daily choice, what was shown, and `prompt` on the CLI."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconnect_journal.cli import app
from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.errors import InputError
from reconnect_journal.core.model import BarrierTag, Draft, EntryQuery, NewEntry
from reconnect_journal.core.prompts import (
    GENERAL_SHARE,
    NO_REPEAT_DAYS,
    Prompt,
    daily_prompt,
    load_library,
    packaged_prompts,
    prompt_for_barrier,
    prompt_to_json,
    prompt_weights,
    user_prompts_path,
)
from reconnect_journal.store.engine import SCHEMA_HEAD, make_engine, run_migrations

from .conftest import FIXED_NOW, FIXED_TODAY

DAY = dt.date(2026, 3, 14)
LIBRARY = packaged_prompts()
BY_ID = {p.id: p for p in LIBRARY}
# Words that push, blame or diagnose have no place in a prompt.
UNKIND = re.compile(
    r"\b(should|must|ought|fault|blame\w*|lazy|selfish|frigid|failure|wrong with|"
    r"disorder|dysfunction\w*|diagnos\w*|normal)\b",
    re.IGNORECASE,
)


def _simulate(
    days: int,
    counts: dict[Barrier, int],
    *,
    start: dt.date = DAY,
    per_day: int = 1,
    library: tuple[Prompt, ...] = LIBRARY,
) -> list[tuple[dt.date, Prompt]]:
    """Ask for the day's prompt (and `per_day - 1` others) on consecutive days."""
    shown: dict[str, dt.date] = {}
    picks = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        for skip in range(per_day):
            prompt = daily_prompt(day, counts, shown, library, skip=skip)
            picks.append((day, prompt))
        for _, prompt in picks[-per_day:]:
            shown[prompt.id] = day
    return picks


def _no_repeats_within(picks: list[tuple[dt.date, Prompt]], days: int) -> bool:
    last: dict[str, dt.date] = {}
    for day, prompt in picks:
        before = last.get(prompt.id)
        if before is not None and before != day and (day - before).days <= days:
            return False
        last[prompt.id] = day
    return True


# -- the packaged library ------------------------------------------------------------


def test_the_packaged_library_is_large_varied_and_kind() -> None:
    assert len(LIBRARY) >= 80
    assert len(BY_ID) == len(LIBRARY), "ids are unique"
    for barrier in Barrier:
        assert sum(barrier in p.barriers for p in LIBRARY) >= 12, barrier
    assert sum(p.is_general for p in LIBRARY) >= 20
    for p in LIBRARY:
        assert p.text.strip() and not p.is_users_own
        for text in (p.text, p.follow_up or ""):
            assert not UNKIND.search(text), (p.id, text)


def test_the_library_is_read_once_per_process() -> None:
    assert packaged_prompts() is packaged_prompts()


def test_prompt_json_shape() -> None:
    prompt = Prompt("grief-01", (Barrier.GRIEF,), "What do you miss?", None)
    assert prompt_to_json(prompt, DAY) == {
        "id": "grief-01",
        "text": "What do you miss?",
        "barriers": ["grief"],
        "follow_up": None,
        "date": "2026-03-14",
    }


# -- the daily choice ------------------------------------------------------------------


def test_the_same_prompt_all_day_and_a_different_one_most_days() -> None:
    first = daily_prompt(DAY, {}, {}, LIBRARY)
    assert all(daily_prompt(DAY, {}, {}, LIBRARY) == first for _ in range(5))
    # Showing it today (or showing others today) does not change today's choice.
    assert daily_prompt(DAY, {}, {first.id: DAY, "trust-01": DAY}, LIBRARY) == first
    days = [DAY + dt.timedelta(days=n) for n in range(10)]
    assert len({daily_prompt(d, {}, {}, LIBRARY).id for d in days}) >= 8


@pytest.mark.slow
def test_the_choice_does_not_depend_on_the_process() -> None:
    code = (
        "import datetime as dt; from reconnect_journal.core.prompts import daily_prompt;"
        "print(daily_prompt(dt.date(2026, 3, 14), {}, {}, skip=2).id)"
    )
    ids = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert ids == {daily_prompt(DAY, {}, {}, LIBRARY, skip=2).id}


def test_another_prompt_is_deterministic_and_different() -> None:
    alternatives = [daily_prompt(DAY, {}, {}, LIBRARY, skip=n) for n in range(6)]
    assert len({p.id for p in alternatives}) == 6
    assert alternatives == [daily_prompt(DAY, {}, {}, LIBRARY, skip=n) for n in range(6)]
    # Wraps around rather than failing.
    assert daily_prompt(DAY, {}, {}, LIBRARY, skip=len(LIBRARY)) == alternatives[0]


def test_a_journal_with_nothing_written_yet_begins_with_the_opening_prompts() -> None:
    openers = {p.id for p in LIBRARY if p.opening}
    # A handful of gentle, general prompts, so a first visit does not open on grief or trust.
    assert len(openers) >= 5 and all(BY_ID[pid].is_general for pid in openers)
    for offset in range(40):
        day = DAY + dt.timedelta(days=offset)
        walk = [daily_prompt(day, {}, {}, LIBRARY, skip=n, beginning=True) for n in range(200)]
        # The opening prompts first, then every other prompt once before any comes back.
        assert {p.id for p in walk[: len(openers)]} == openers
        assert len({p.id for p in walk[: len(LIBRARY)]}) == len(LIBRARY)
    firsts = {
        daily_prompt(DAY + dt.timedelta(days=n), {}, {}, LIBRARY, beginning=True).id
        for n in range(60)
    }
    assert firsts == openers
    # One shown lately rests like any other: the next day begins with another.
    first = daily_prompt(DAY, {}, {}, LIBRARY, beginning=True)
    tomorrow = DAY + dt.timedelta(days=1)
    walk = [
        daily_prompt(tomorrow, {}, {first.id: DAY}, LIBRARY, skip=n, beginning=True)
        for n in range(len(openers) - 1)
    ]
    assert {p.id for p in walk} == openers - {first.id}


def test_opening_must_be_true_or_false_in_a_users_prompts() -> None:
    _write_user_prompts(
        '[[prompt]]\nid = "soft"\nopening = true\ntext = "Where would you like to begin?"\n'
        '[[prompt]]\nid = "odd"\nopening = "yes"\ntext = "Another?"\n'
    )
    library, [problem] = load_library()
    assert [p.id for p in library if p.is_users_own] == ["user:soft"]
    assert library[-1].opening
    assert "'odd'" in problem and "opening is not true or false" in problem


def test_no_prompt_comes_back_within_30_days() -> None:
    picks = _simulate(30, {})
    assert len({p.id for _, p in picks}) == 30
    # Even asking for two others every day.
    picks = _simulate(30, {Barrier.GRIEF: 10}, per_day=3)
    assert len({p.id for _, p in picks}) == 90
    # And over a long stretch, every gap is longer than 30 days.
    assert _no_repeats_within(_simulate(200, {Barrier.SHAME: 5}), NO_REPEAT_DAYS)


def test_an_exhausted_library_offers_the_least_recently_shown() -> None:
    small = tuple(Prompt(f"p{n}", (), f"Prompt {n}?") for n in range(3))
    picks = [p.id for _, p in _simulate(9, {}, library=small)]
    assert sorted(picks[:3]) == ["p0", "p1", "p2"]
    assert picks[3:] == picks[:3] * 2
    shown = {"p0": DAY - dt.timedelta(days=2), "p1": DAY - dt.timedelta(days=9)}
    assert daily_prompt(DAY, {}, shown, small).id == "p2"  # the fresh one first
    assert daily_prompt(DAY, {}, shown, small, skip=1).id == "p1"  # then the longest rested
    assert daily_prompt(DAY, {}, shown, small, skip=2).id == "p0"
    # Shown 31 days ago is rested enough.
    rested = {"p0": DAY - dt.timedelta(days=31), "p1": DAY - dt.timedelta(days=1)}
    assert {daily_prompt(DAY, {}, rested, small, skip=n).id for n in range(2)} == {"p0", "p2"}


def test_recent_grief_tags_bring_grief_prompts_clearly_more_often() -> None:
    starts = (DAY, dt.date(2025, 1, 1), dt.date(2027, 6, 5))

    def share(counts: dict[Barrier, int], barrier: Barrier) -> float:
        picks = [p for start in starts for _, p in _simulate(200, counts, start=start)]
        return sum(barrier in p.barriers for p in picks) / len(picks)

    without = share({}, Barrier.GRIEF)
    with_grief = share({Barrier.GRIEF: 12, Barrier.TRUST: 1}, Barrier.GRIEF)
    assert 0.1 <= without <= 0.18  # 0.7 / 5 in theory
    assert with_grief >= 2 * without  # 0.7 * 4 / 8.25 = 0.34 in theory
    # General connection prompts keep a fair share however heavy the tags.
    general = sum(p.is_general for _, p in _simulate(200, {Barrier.GRIEF: 50}))
    assert general / 200 >= 0.2


def test_weights_keep_a_fixed_share_for_general_prompts() -> None:
    for counts in ({}, {Barrier.GRIEF: 30}, {b: 3 for b in Barrier}):
        weights = prompt_weights(LIBRARY, counts)
        assert sum(weights.values()) == pytest.approx(1.0)
        general = sum(w for pid, w in weights.items() if BY_ID[pid].is_general)
        assert general == pytest.approx(GENERAL_SHARE)
    grief = prompt_weights(LIBRARY, {Barrier.GRIEF: 30})
    assert grief["grief-01"] > 3 * grief["shame-01"]
    # A prompt about two barriers is shared between them.
    mixed = (*LIBRARY, Prompt("user:both", (Barrier.SHAME, Barrier.GRIEF), "Both?"))
    assert sum(prompt_weights(mixed, {}).values()) == pytest.approx(1.0)


def test_a_barrier_prompt_is_about_that_barrier_and_rests_too() -> None:
    shown: dict[str, dt.date] = {}
    seen = []
    for offset in range(14):
        day = DAY + dt.timedelta(days=offset)
        prompt = prompt_for_barrier(Barrier.TRUST, day, shown)
        assert prompt.barriers == (Barrier.TRUST,)
        seen.append(prompt.id)
        shown[prompt.id] = day
    assert len(set(seen)) == 14  # every trust prompt once before any comes back
    later = DAY + dt.timedelta(days=14)
    assert prompt_for_barrier(Barrier.TRUST, later, shown).id == seen[0]
    assert prompt_for_barrier(Barrier.TRUST, DAY, {}, skip=1) != prompt_for_barrier(
        Barrier.TRUST, DAY, {}
    )


# -- the user's own prompts ----------------------------------------------------------


def _write_user_prompts(text: str) -> Path:
    path = user_prompts_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_users_prompts_sit_beside_the_config_file(private_home: Path) -> None:
    assert user_prompts_path() == private_home / "config" / "reconnect-journal" / "prompts.toml"
    assert load_library() == (LIBRARY, ())  # no file, no problem


def test_user_prompts_are_merged_without_clashing_with_ours() -> None:
    _write_user_prompts(
        'version = 1\n\n[[prompt]]\nid = "evening-walk"\nbarriers = ["grief", "Unseen"]\n'
        'text = "What did the evening walk bring up?"\nfollow_up = "Who came to mind?"\n\n'
        '[[prompt]]\nid = "shame-01"\ntext = "My own first question."\n'
    )
    library, problems = load_library()
    assert problems == ()
    assert library[: len(LIBRARY)] == LIBRARY
    mine = {p.id: p for p in library[len(LIBRARY) :]}
    assert mine["user:evening-walk"] == Prompt(
        "user:evening-walk",
        (Barrier.UNSEEN, Barrier.GRIEF),
        "What did the evening walk bring up?",
        "Who came to mind?",
    )
    assert mine["user:shame-01"].is_general  # not confused with our shame-01
    assert BY_ID["shame-01"].barriers == (Barrier.SHAME,)
    assert any(
        prompt_for_barrier(Barrier.GRIEF, DAY + dt.timedelta(days=n), {}, library).is_users_own
        for n in range(60)
    )


def test_a_broken_user_file_is_reported_in_one_line_and_skipped() -> None:
    path = _write_user_prompts('[[prompt]]\nid = "a"\ntext = "unfinished')
    library, problems = load_library()
    assert library == LIBRARY
    [problem] = problems
    assert str(path) in problem and "\n" not in problem
    assert "left out until it is fixed" in problem


def test_unusable_user_prompts_are_skipped_one_by_one() -> None:
    _write_user_prompts(
        '[[prompt]]\nid = "fine"\ntext = "A fine question?"\n'
        '[[prompt]]\ntext = "No id here."\n'
        '[[prompt]]\nid = "odd"\nbarriers = ["boredom"]\ntext = "Unknown barrier?"\n'
        '[[prompt]]\nid = "fine"\ntext = "The same id again?"\n'
        '[[prompt]]\nid = "empty"\ntext = "   "\n'
    )
    library, problems = load_library()
    assert [p.id for p in library[len(LIBRARY) :]] == ["user:fine"]
    assert len(problems) == 4
    assert "has no id" in problems[0]
    assert "'boredom'" in problems[1] and "shame, resentment, trust, unseen, grief" in problems[1]
    assert "already has that id" in problems[2]
    assert "text is missing" in problems[3]


# -- the service and the store -------------------------------------------------------


def _add(service: JournalService, day: dt.date, *barriers: Barrier) -> int:
    entry = service.add(NewEntry("text", date=day, barriers=[BarrierTag(b) for b in barriers]))
    return entry.id


def test_recent_barrier_counts(service: JournalService) -> None:
    _add(service, FIXED_TODAY, Barrier.GRIEF)
    _add(service, FIXED_TODAY - dt.timedelta(days=1), Barrier.GRIEF, Barrier.TRUST)
    _add(service, FIXED_TODAY - dt.timedelta(days=13), Barrier.SHAME)
    _add(service, FIXED_TODAY - dt.timedelta(days=14), Barrier.UNSEEN)  # too long ago
    gone = _add(service, FIXED_TODAY - dt.timedelta(days=2), Barrier.RESENTMENT)
    service.delete(gone)
    counts = service.recent_barrier_counts(14)
    assert counts == {
        Barrier.SHAME: 1,
        Barrier.RESENTMENT: 0,
        Barrier.TRUST: 1,
        Barrier.UNSEEN: 0,
        Barrier.GRIEF: 2,
    }
    before_today = service.recent_barrier_counts(14, include_today=False)
    assert before_today[Barrier.GRIEF] == 1 and before_today[Barrier.UNSEEN] == 1
    with pytest.raises(InputError):
        service.recent_barrier_counts(0)


def test_todays_prompt_is_stable_and_recorded(service: JournalService, journal_path: Path) -> None:
    first = service.todays_prompt()
    other = service.todays_prompt(skip=1)
    about_grief = service.todays_prompt(barrier=Barrier.GRIEF)
    assert other != first and Barrier.GRIEF in about_grief.barriers
    # Entries written today do not change today's prompt; neither do the other showings.
    _add(service, FIXED_TODAY, Barrier.SHAME)
    assert service.todays_prompt() == first
    assert service.todays_prompt(skip=1) == other
    conn = sqlite3.connect(journal_path)
    rows = conn.execute("SELECT prompt_id, day, shown_at FROM prompt_shown").fetchall()
    conn.close()
    assert sorted(r[0] for r in rows) == sorted({first.id, other.id, about_grief.id})
    assert {r[1] for r in rows} == {"2026-03-14"}
    assert rows[0][2].startswith(FIXED_NOW.strftime("%Y-%m-%d %H:%M:%S"))
    with pytest.raises(InputError, match="below 0"):
        service.todays_prompt(skip=-1)


def test_no_repeats_across_runs(journal_path: Path) -> None:
    today = [FIXED_TODAY]
    picked: list[str] = []
    for offset in range(30):
        today[0] = FIXED_TODAY + dt.timedelta(days=offset)
        svc = JournalService.open(journal_path, clock=lambda: FIXED_NOW, today=lambda: today[0])
        try:
            picked.append(svc.todays_prompt().id)
            if offset % 3 == 0:
                picked.append(svc.todays_prompt(skip=1).id)
        finally:
            svc.close()
    assert len(picked) == len(set(picked)) == 40


def test_recent_tags_shape_the_services_choice(journal_path: Path) -> None:
    today = [FIXED_TODAY]
    svc = JournalService.open(journal_path, clock=lambda: FIXED_NOW, today=lambda: today[0])
    try:
        grief = 0
        for offset in range(60):
            today[0] = FIXED_TODAY + dt.timedelta(days=offset)
            _add(svc, today[0], Barrier.GRIEF)  # counts from tomorrow on
            grief += Barrier.GRIEF in svc.todays_prompt().barriers
    finally:
        svc.close()
    assert grief >= 15  # about 0.7 / 5 * 60 = 8.4 without the tags


def test_the_journal_begins_gently_until_something_is_written_before_today(
    journal_path: Path,
) -> None:
    today = [FIXED_TODAY]
    svc = JournalService.open(journal_path, clock=lambda: FIXED_NOW, today=lambda: today[0])
    try:
        first = svc.todays_prompt()
        assert first.opening
        _add(svc, FIXED_TODAY)  # written today: today's prompt stays what it was
        assert svc.todays_prompt() == first
        # From tomorrow there is an entry before today, and the usual mix comes back (with
        # only the openers first, these four days would all bring one).
        later = []
        for offset in range(1, 5):
            today[0] = FIXED_TODAY + dt.timedelta(days=offset)
            later.append(svc.todays_prompt())
        assert not all(p.opening for p in later)
    finally:
        svc.close()


def test_a_journal_still_empty_keeps_beginning_gently(journal_path: Path) -> None:
    today = [FIXED_TODAY]
    svc = JournalService.open(journal_path, clock=lambda: FIXED_NOW, today=lambda: today[0])
    try:
        picked = []
        for offset in range(5):
            today[0] = FIXED_TODAY + dt.timedelta(days=offset)
            picked.append(svc.todays_prompt())
    finally:
        svc.close()
    assert all(p.opening for p in picked) and len({p.id for p in picked}) == 5


def test_migrating_from_0003_keeps_entries_and_drafts(journal_path: Path) -> None:
    engine = make_engine(journal_path)
    run_migrations(engine, "0003")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO entry (uuid, date, created_at, updated_at, title, body, starred, share, "
            "prompt_id, version) VALUES ('u-1', '2026-03-01', '2026-03-01 20:00:00.000000', "
            "'2026-03-01 20:00:00.000000', 'Before', 'Written at 0003', 1, 0, 'grief-04', 1)"
        )
        conn.exec_driver_sql("INSERT INTO entry_barrier VALUES (1, 'grief', 3, 'user')")
        conn.exec_driver_sql("INSERT INTO entry_tag VALUES (1, 'evening')")
    engine.dispose()
    svc = JournalService.open(journal_path, clock=lambda: FIXED_NOW, today=lambda: FIXED_TODAY)
    try:
        svc.save_draft(Draft(key="new", body="half a thought"))
        assert svc.store.migrated_from == "0003"
        [entry] = svc.list(EntryQuery())
        assert (entry.title, entry.body) == ("Before", "Written at 0003")
        assert entry.prompt_id == "grief-04"
        assert entry.barrier_map == {"grief": 3} and entry.tags == ("evening",) and entry.starred
        assert svc.todays_prompt() in LIBRARY
        assert [d.body for d in svc.pending_drafts()] == ["half a thought"]
    finally:
        svc.close()
    conn = sqlite3.connect(journal_path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_HEAD
    assert conn.execute("SELECT count(*) FROM prompt_shown").fetchone()[0] == 1
    conn.close()


# -- the command line ----------------------------------------------------------------

runner = CliRunner()


def _run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_prompt_json_shape(journal_path: Path) -> None:
    code, out, err = _run(journal_path, "prompt", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"id", "text", "barriers", "follow_up", "date"}
    assert data["date"] == dt.date.today().isoformat()
    assert data["id"] in BY_ID
    assert data["barriers"] == [b.value for b in BY_ID[data["id"]].barriers]
    assert data["follow_up"] == BY_ID[data["id"]].follow_up
    # The same prompt all day; --another (= --skip 1) gives a different one.
    assert json.loads(_run(journal_path, "prompt", "--json")[1])["id"] == data["id"]
    another = json.loads(_run(journal_path, "prompt", "--another", "--json")[1])
    assert another["id"] != data["id"]
    assert json.loads(_run(journal_path, "prompt", "--skip", "1", "--json")[1]) == another
    grief = json.loads(_run(journal_path, "prompt", "-b", "GRIEF", "--json")[1])
    assert "grief" in grief["barriers"]


def test_cli_prompt_text_puts_the_follow_up_on_its_own_line(journal_path: Path) -> None:
    for skip in range(12):
        code, out, _ = _run(journal_path, "prompt", "--skip", str(skip))
        assert code == 0
        prompt = next(p for p in LIBRARY if p.text == out.splitlines()[0])
        expected = [prompt.text] + ([prompt.follow_up] if prompt.follow_up else [])
        assert out.splitlines() == expected


def test_cli_prompt_bad_barrier_and_bad_options(journal_path: Path) -> None:
    code, out, err = _run(journal_path, "prompt", "--barrier", "boredom")
    assert code == 2 and out == ""
    assert err == (
        "reconnect-journal: unknown barrier 'boredom'; "
        "use one of: shame, resentment, trust, unseen, grief\n"
    )
    assert not journal_path.exists()  # nothing was opened
    code, _, err = _run(journal_path, "prompt", "--skip", "-1")
    assert code == 2 and "below 0" in err
    code, _, err = _run(journal_path, "prompt", "--another", "--skip", "2")
    assert code == 2 and "give one of them" in err


def test_cli_prompt_reports_a_broken_user_file_and_carries_on(journal_path: Path) -> None:
    _write_user_prompts("this is not toml [")
    code, out, err = _run(journal_path, "prompt")
    assert code == 0 and out.strip()
    assert err.count("\n") == 1 and "prompts.toml could not be read" in err


def test_add_can_answer_a_prompt_and_show_names_it(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "journal.db")
    prompt = packaged_prompts()[0]
    result = runner.invoke(app, ["--db", db, "add", "--prompt", prompt.id, "--json", "Hello"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["prompt_id"] == prompt.id
    result = runner.invoke(app, ["--db", db, "show", "1"])
    assert f"Answering: {prompt.text}" in result.stdout


def test_add_refuses_an_unknown_prompt_and_writes_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "journal.db"
    result = runner.invoke(app, ["--db", str(db), "add", "--prompt", "no-such-id", "Hello"])
    assert result.exit_code == 2
    assert "no prompt with id 'no-such-id'" in result.stderr
    assert not db.exists()
