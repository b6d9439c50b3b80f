"""The journal file: round trips, soft delete, permissions, foreign files."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.entries import JournalService
from reconnect_journal.core.errors import InputError, JournalError, NotFoundError, NotInTrash
from reconnect_journal.core.model import BarrierTag, EntryChanges, EntryQuery, NewEntry
from reconnect_journal.store.engine import open_store

from .conftest import FIXED_NOW, FIXED_TODAY


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_entry_round_trip(service: JournalService, journal_path: Path) -> None:
    added = service.add(
        NewEntry(
            body="We sat on the step and talked. #evening 🌙 שלום",
            title="  The step  ",
            date=dt.date(2026, 3, 10),
            barriers=[BarrierTag(Barrier.UNSEEN, 2), BarrierTag(Barrier.GRIEF, 1, "suggestion")],
            tags=["@Home"],
            emotional_closeness=4,
            physical_intimacy=2,
        )
    )
    service.close()
    reopened = JournalService.open(journal_path)
    try:
        got = reopened.get(added.id)
    finally:
        reopened.close()
    assert got == added
    assert got.title == "The step"
    assert got.date == dt.date(2026, 3, 10)
    assert got.created_at == FIXED_NOW
    assert got.barrier_map == {"unseen": 2, "grief": 1}
    assert [t.source for t in got.barriers] == ["user", "suggestion"]
    assert got.tags == ("evening", "home")
    assert got.body.endswith("🌙 שלום")


def test_day_defaults_to_today_and_several_entries_per_day(service: JournalService) -> None:
    first = service.add(NewEntry(body="morning"))
    second = service.add(NewEntry(body="evening"))
    assert first.date == second.date == FIXED_TODAY
    assert {e.id for e in service.list()} == {first.id, second.id}


def test_list_is_newest_first_by_day_then_creation(journal_path: Path) -> None:
    times = iter(dt.datetime(2026, 3, 14, h, tzinfo=dt.UTC) for h in range(1, 10))
    svc = JournalService.open(journal_path, clock=lambda: next(times), today=lambda: FIXED_TODAY)
    try:
        a = svc.add(NewEntry(body="a", date=dt.date(2026, 3, 12)))
        b = svc.add(NewEntry(body="b", date=dt.date(2026, 3, 14)))
        c = svc.add(NewEntry(body="c", date=dt.date(2026, 3, 13)))
        d = svc.add(NewEntry(body="d", date=dt.date(2026, 3, 14)))
        assert [e.id for e in svc.list()] == [d.id, b.id, c.id, a.id]
        assert [e.id for e in svc.list(EntryQuery(limit=2, offset=1))] == [b.id, c.id]
        window = EntryQuery(date_from=dt.date(2026, 3, 13), date_to=dt.date(2026, 3, 13))
        assert [e.id for e in svc.list(window)] == [c.id]
    finally:
        svc.close()


def test_filters_by_any_barrier_and_tag(service: JournalService) -> None:
    s = service.add(NewEntry(body="x", barriers=[BarrierTag(Barrier.SHAME)]))
    g = service.add(NewEntry(body="y #walk", barriers=[BarrierTag(Barrier.GRIEF)]))
    service.add(NewEntry(body="z"))
    both = service.list(EntryQuery(barriers=(Barrier.SHAME, Barrier.GRIEF)))
    assert {e.id for e in both} == {s.id, g.id}
    assert [e.id for e in service.list(EntryQuery(tags=("walk",)))] == [g.id]


def test_edit_changes_only_what_is_given(service: JournalService) -> None:
    entry = service.add(
        NewEntry(
            body="old #a",
            title="T",
            tags=["kept"],
            barriers=[BarrierTag(Barrier.TRUST, 3)],
            emotional_closeness=2,
        )
    )
    edited = service.edit(entry.id, EntryChanges(body="new #b"))
    assert edited.body == "new #b"
    assert edited.title == "T"
    assert edited.emotional_closeness == 2
    assert edited.barrier_map == {"trust": 3}
    # The old body's #a goes with it; explicit tags stay.
    assert edited.tags == ("b", "kept")
    replaced = service.edit(entry.id, EntryChanges(barriers=[BarrierTag(Barrier.SHAME)]))
    assert replaced.barrier_map == {"shame": 1}
    cleared = service.edit(entry.id, EntryChanges(title=None, emotional_closeness=None))
    assert cleared.title is None and cleared.emotional_closeness is None


def test_edit_recomputes_tags_from_the_new_body(service: JournalService) -> None:
    entry = service.add(NewEntry(body="old #a"))
    edited = service.edit(entry.id, EntryChanges(body="new #b", tags=["kept"]))
    assert edited.tags == ("b", "kept")


def test_soft_delete_undelete_and_purge(service: JournalService) -> None:
    entry = service.add(NewEntry(body="to the trash"))
    service.delete(entry.id)
    assert service.list() == []
    assert [e.id for e in service.trash()] == [entry.id]
    with pytest.raises(NotFoundError, match="trash"):
        service.get(entry.id)
    assert service.get(entry.id, include_deleted=True).deleted_at == FIXED_NOW
    service.undelete(entry.id)
    assert [e.id for e in service.list()] == [entry.id]
    with pytest.raises(NotInTrash, match="not in the trash; delete it first"):
        service.purge(entry.id)
    with pytest.raises(NotInTrash, match="nothing to bring back"):
        service.undelete(entry.id)
    service.delete(entry.id)
    service.purge(entry.id)
    with pytest.raises(NotFoundError):
        service.get(entry.id, include_deleted=True)


@pytest.mark.parametrize(
    "bad",
    [
        NewEntry(body="   \n"),
        NewEntry(body="x", emotional_closeness=6),
        NewEntry(body="x", physical_intimacy=0),
        NewEntry(body="x", date=dt.date(2026, 3, 15)),
        NewEntry(body="x", date=dt.date(1899, 12, 31)),
        NewEntry(body="x", barriers=[BarrierTag(Barrier.SHAME, 4)]),
        NewEntry(body="x", tags=["two words"]),
    ],
)
def test_bad_entries_change_nothing(service: JournalService, bad: NewEntry) -> None:
    service.add(NewEntry(body="keep me"))
    with pytest.raises(InputError):
        service.add(bad)
    assert [e.body for e in service.list()] == ["keep me"]


def test_the_service_keeps_entries_from_1900_on(service: JournalService) -> None:
    with pytest.raises(InputError, match="before 1900-01-01"):
        service.add(NewEntry(body="x", date=dt.date(1753, 1, 1)))
    entry = service.add(NewEntry(body="x", date=dt.date(1900, 1, 1)))
    with pytest.raises(InputError, match="before 1900-01-01"):
        service.edit(entry.id, EntryChanges(date=dt.date(1, 1, 1)))
    assert service.get(entry.id).date == dt.date(1900, 1, 1)


def test_database_constraints_back_up_the_rules(
    service: JournalService, journal_path: Path
) -> None:
    service.add(NewEntry(body="x"))
    conn = sqlite3.connect(journal_path)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE entry SET emotional_closeness = 9")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO entry_barrier VALUES (1, 'boredom', 1, 'user')")
    finally:
        conn.close()


def test_an_error_message_never_repeats_the_words_it_was_given(service: JournalService) -> None:
    # Error messages reach the screen, scrollback and bug reports; entries' words must not.
    first = service.add(NewEntry(body="x"))
    values = {"uuid": first.uuid, "date": FIXED_TODAY, "created_at": FIXED_NOW}
    values |= {"updated_at": FIXED_NOW, "body": "my private words", "version": 1}
    with pytest.raises(Exception) as failed:  # the same uuid twice: refused by the database
        service.entries.insert_many([(values, [], [])])
    chain = [failed.value, failed.value.__cause__, failed.value.__context__]
    shown = " ".join(str(error) for error in chain if error is not None)
    assert "UNIQUE" in shown
    assert "my private words" not in shown


def test_pragmas(service: JournalService) -> None:
    with service.store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_file_and_folder_permissions_whatever_the_umask(private_home: Path) -> None:
    old = os.umask(0o000)
    try:
        svc = JournalService.open(
            private_home / "data" / "rj" / "journal.db", default_location=True
        )
        svc.add(NewEntry(body="private"))
        path = svc.store.path
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.parent.stat().st_mode & 0o777 == 0o700
        for sidecar in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if sidecar.exists():
                assert sidecar.stat().st_mode & 0o777 == 0o600
        svc.close()
    finally:
        os.umask(old)


def test_wide_permissions_are_tightened_and_reported(journal_path: Path) -> None:
    open_store(journal_path).close()
    journal_path.chmod(0o644)
    store = open_store(journal_path)
    store.close()
    assert journal_path.stat().st_mode & 0o777 == 0o600
    assert any("now private" in notice for notice in store.notices)


def test_a_file_that_is_not_sqlite_is_never_touched(journal_path: Path) -> None:
    journal_path.write_text("my shopping list\n")
    before = _digest(journal_path)
    with pytest.raises(JournalError, match="not a Reconnect Journal file"):
        open_store(journal_path)
    assert _digest(journal_path) == before


def test_a_foreign_sqlite_database_is_refused_unchanged(journal_path: Path) -> None:
    conn = sqlite3.connect(journal_path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = _digest(journal_path)
    with pytest.raises(JournalError, match="not a Reconnect Journal"):
        open_store(journal_path)
    assert _digest(journal_path) == before
    assert not journal_path.with_name(journal_path.name + "-wal").exists()


def test_missing_folder_and_folder_as_file(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="does not exist"):
        open_store(tmp_path / "nope" / "journal.db")
    with pytest.raises(JournalError, match="is a folder"):
        open_store(tmp_path)
    assert not (tmp_path / "nope").exists()


def test_unwritable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root in CI, where chmod cannot make a folder unwritable; ask os.access.
    monkeypatch.setattr(os, "access", lambda *_args, **_kw: False)
    with pytest.raises(JournalError, match="not writable"):
        open_store(tmp_path / "journal.db")
    assert not (tmp_path / "journal.db").exists()


def test_a_damaged_file_gives_a_clear_message(journal_path: Path) -> None:
    svc = JournalService.open(journal_path)
    for i in range(50):
        svc.add(NewEntry(body=f"entry {i} " * 50))
    svc.close()
    data = bytearray(journal_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page, keep the header
    journal_path.write_bytes(bytes(data))
    with pytest.raises(JournalError, match=r"damaged|not a Reconnect Journal"):
        JournalService.open(journal_path).list()


def test_the_damaged_file_message_is_written_in_sentences(tmp_path: Path) -> None:
    from reconnect_journal.store.health import damaged_message, not_a_journal_message

    journal = tmp_path / "journal.db"
    damaged = damaged_message(journal, "page 3")
    assert damaged == (
        f"{journal} is damaged (page 3); nothing was written to it. 'reconnect-journal --db "
        f"{journal} export --out FILE' saves what can still be read. There is no backup of it "
        f"in {tmp_path / 'backups'}; keep the file, it may still be readable by other tools"
    )
    foreign = not_a_journal_message(journal)
    assert "nothing was written to it. There is no backup" in foreign
    assert foreign.endswith(". Or give --db a journal file or a new file name")


def test_drafts_are_kept_until_discarded(service: JournalService, journal_path: Path) -> None:
    from reconnect_journal.core.model import Draft

    draft = Draft(
        key=Draft.key_for(None),
        body="half a thought 💭",
        title="Unsent",
        barriers=[BarrierTag(Barrier.SHAME, 2, "suggestion")],
        tags=["night"],
        emotional_closeness=3,
    )
    service.save_draft(draft)
    draft.body = "half a thought 💭, and the rest of it"
    service.save_draft(draft)  # the same key replaces, never duplicates
    service.close()
    reopened = JournalService.open(journal_path)
    try:
        [kept] = reopened.pending_drafts()
        assert kept.body == "half a thought 💭, and the rest of it"
        assert kept.barriers == [BarrierTag(Barrier.SHAME, 2, "suggestion")]
        assert kept.tags == ["night"] and kept.emotional_closeness == 3
        assert kept.updated_at is not None
        reopened.discard_draft(kept.key)
        assert reopened.pending_drafts() == []
        blank = Draft(key="new", body="   ")
        reopened.save_draft(blank)
        assert reopened.pending_drafts() == []
    finally:
        reopened.close()


def test_a_draft_for_an_entry_survives_the_entry_being_purged(service: JournalService) -> None:
    from reconnect_journal.core.model import Draft

    entry = service.add(NewEntry(body="x"))
    service.save_draft(Draft(key=Draft.key_for(entry.id), entry_id=entry.id, body="edited text"))
    service.delete(entry.id)
    service.purge(entry.id)
    [kept] = service.pending_drafts()
    assert kept.body == "edited text" and kept.entry_id is None


def test_day_navigation(service: JournalService) -> None:
    days = [dt.date(2026, 3, d) for d in (2, 5, 5, 9)]
    for day in days:
        service.add(NewEntry(body=f"on {day}", date=day))
    gone = service.add(NewEntry(body="deleted", date=dt.date(2026, 3, 7)))
    service.delete(gone.id)
    assert service.position_of_day(dt.date(2026, 3, 9)) == 0
    assert service.position_of_day(dt.date(2026, 3, 6)) == 1  # lands on the 5th
    assert service.position_of_day(dt.date(2026, 3, 1)) == 4
    assert service.day_before(dt.date(2026, 3, 9)) == dt.date(2026, 3, 5)  # skips the trash
    assert service.day_after(dt.date(2026, 3, 5)) == dt.date(2026, 3, 9)
    assert service.day_after(dt.date(2026, 3, 9)) is None
    assert service.day_before(dt.date(2026, 3, 2)) is None
    assert [e.body for e in service.entries_on(dt.date(2026, 3, 5))] == ["on 2026-03-05"] * 2


def test_text_filter_matches_every_word_in_title_body_or_tags(service: JournalService) -> None:
    a = service.add(NewEntry(body="We walked by the river", title="Sunday"))
    b = service.add(NewEntry(body="A quiet evening", tags=["river-walk"]))
    service.add(NewEntry(body="100% tired_of it"))
    assert {e.id for e in service.list(EntryQuery(text="RIVER"))} == {a.id, b.id}
    assert [e.id for e in service.list(EntryQuery(text="river sunday"))] == [a.id]
    assert [e.body for e in service.list(EntryQuery(text="100%"))] == ["100% tired_of it"]
    assert service.list(EntryQuery(text="tire_")) == []  # "_" is literal, not a wildcard
