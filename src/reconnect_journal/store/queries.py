"""Entry queries. Converts table rows into core.model objects at the boundary."""

from __future__ import annotations

import builtins
import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import (
    Integer,
    String,
    bindparam,
    delete,
    exists,
    func,
    insert,
    null,
    or_,
    type_coerce,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from reconnect_journal.core.barriers import BARRIER_KEYS, Barrier
from reconnect_journal.core.errors import EditConflict
from reconnect_journal.core.model import (
    MAX_INTEGER,
    BarrierTag,
    Draft,
    Entry,
    EntryQuery,
    TagSource,
)
from reconnect_journal.core.openers import ConversationOpener
from reconnect_journal.core.search import (
    MARK_END,
    MARK_START,
    SNIPPET_WORDS,
    FoundEntry,
    SearchFilters,
)
from reconnect_journal.store.engine import Store, is_damage, translate_errors
from reconnect_journal.store.tables import (
    ConversationOpenerRow,
    DraftRow,
    EntryBarrierRow,
    EntryRow,
    EntryTagRow,
    PromptShownRow,
    SavedSearchRow,
)


def _to_entry(
    row: EntryRow,
    barriers: Iterable[EntryBarrierRow],
    tags: Iterable[str],
    openers: Iterable[ConversationOpener] = (),
) -> Entry:
    assert row.id is not None
    source_of: dict[str, TagSource] = {"user": "user", "suggestion": "suggestion"}
    by_key = {b.barrier: b for b in barriers}
    return Entry(
        id=row.id,
        uuid=row.uuid,
        date=row.date,
        created_at=row.created_at,
        updated_at=row.updated_at,
        title=row.title,
        body=row.body,
        emotional_closeness=row.emotional_closeness,
        physical_intimacy=row.physical_intimacy,
        barriers=tuple(
            BarrierTag(Barrier(key), by_key[key].intensity, source_of[by_key[key].source])
            for key in (b.value for b in Barrier)
            if key in by_key
        ),
        tags=tuple(sorted(tags)),
        starred=row.starred,
        share=row.share,
        prompt_id=row.prompt_id,
        deleted_at=row.deleted_at,
        reframe_shown=row.reframe_shown,
        version=row.version,
        openers=_in_order(openers),
    )


def _in_order(openers: Iterable[ConversationOpener]) -> tuple[ConversationOpener, ...]:
    """An entry's openers oldest first, as `OpenerRepository.for_entry` lists them."""
    return tuple(sorted(openers, key=lambda o: (o.created_at, o.id)))


_BARRIERS = {b.value: b for b in Barrier}
_SOURCES: dict[str, TagSource] = {"user": "user", "suggestion": "suggestion"}


def _utc(text: str) -> dt.datetime:
    """A stored timestamp (text, UTC without an offset) as an aware datetime in UTC: what
    SQLModel's UTCDateTime gives, without its per-value cost."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _barrier_tags(text: str) -> tuple[BarrierTag, ...]:
    """'key:intensity:source' items (as gathered by iter_oldest_first), in barrier order."""
    by_key = {}
    for item in text.split(" "):
        key, intensity, source = item.split(":")
        by_key[key] = BarrierTag(_BARRIERS[key], int(intensity), _SOURCES.get(source, "user"))
    return tuple(by_key[key] for key in BARRIER_KEYS if key in by_key)


def _plain_openers(entry_id: int, text: str) -> tuple[ConversationOpener, ...]:
    """An entry's openers from the JSON array `EntryRepository._plain_rows` gathers:
    [id, feeling, about, need, text, created_at, updated_at] each."""
    return _in_order(
        ConversationOpener(
            id=id_,
            entry_id=entry_id,
            feeling=feeling,
            about=about,
            need=need,
            text=wording,
            created_at=_utc(created),
            updated_at=_utc(updated),
        )
        for id_, feeling, about, need, wording, created, updated in json.loads(text)
    )


def _plain_entry(row: Any, day: dt.date) -> Entry:
    """An entry from a row of `EntryRepository._plain_rows`, on `day` (its date column)."""
    (
        id_,
        uuid_,
        _date_text,
        created_text,
        updated_text,
        title,
        body,
        emotional,
        physical,
        starred,
        share,
        prompt_id,
        deleted,
        reframe_shown,
        version,
        barrier_text,
        tag_text,
        opener_text,
    ) = row
    created = _utc(created_text)
    return Entry(
        id=id_,
        uuid=uuid_,
        date=day,
        created_at=created,
        updated_at=created if updated_text == created_text else _utc(updated_text),
        title=title,
        body=body,
        emotional_closeness=emotional,
        physical_intimacy=physical,
        barriers=_barrier_tags(barrier_text) if barrier_text else (),
        tags=tuple(sorted(tag_text.split(" "))) if tag_text else (),
        starred=bool(starred),
        share=bool(share),
        prompt_id=prompt_id,
        deleted_at=_utc(deleted) if deleted else None,
        reframe_shown=bool(reframe_shown),
        version=version,
        # "[]" (no openers: nearly every entry) or None (read without them) cost nothing.
        openers=_plain_openers(id_, opener_text) if opener_text and opener_text != "[]" else (),
    )


@dataclass
class Salvage:
    """What could be read of a damaged journal (`EntryRepository.salvage_oldest_first`)."""

    entries: builtins.list[Entry]
    expected: int | None  # how many entries match, when the file could still tell
    unreadable: int = 0  # ids that only damaged places could hold (some may be unused)
    without_related: int = 0  # entries read without their barriers, tags and openers

    @property
    def missing(self) -> int | None:
        """Entries that could not be read: exact when the count could be read, else None
        when there may be some (damaged places that might have held entries)."""
        if self.expected is not None:
            return max(self.expected - len(self.entries), 0)
        return None if self.unreadable else 0


_T = TypeVar("_T")


def _readable(store: Store, read: Callable[[Session], _T]) -> _T | None:
    """`read` in a read transaction, or None when it meets a damaged part of the file.
    Any other failure is reported as usual."""
    with translate_errors(store.path, store.passphrase):
        try:
            with store.session() as session, session.begin():
                return read(session)
        except (DBAPIError, sqlite3.Error) as exc:
            if not is_damage(exc):
                raise
            return None


ImportStamp = tuple[str, str, str]


def import_stamp(day: dt.date, created: dt.datetime, body: str) -> ImportStamp:
    """The (day, creation second in UTC, text) key that recognises an entry imported twice
    under another uuid (a jrnl journal, then its JSON export)."""
    if created.tzinfo is not None:
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    return day.isoformat(), created.replace(microsecond=0).isoformat(), body


@dataclass
class ImportKeys:
    """What recognises the entries already present: for each uuid and each stamp, whether
    that entry is in the trash."""

    uuids: dict[str, bool]
    stamps: dict[ImportStamp, bool]


def _escape_like(word: str) -> str:
    """Make % and _ in what the person typed match themselves."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class EntryRepository:
    """SQL for entries. Every method runs in its own transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- reading -----------------------------------------------------------------

    def _hydrate(self, session: Session, rows: Sequence[EntryRow]) -> builtins.list[Entry]:
        ids = [row.id for row in rows]
        if not ids:
            return []
        barriers: dict[int, builtins.list[EntryBarrierRow]] = defaultdict(list)
        for b in session.exec(
            select(EntryBarrierRow).where(col(EntryBarrierRow.entry_id).in_(ids))
        ):
            barriers[b.entry_id].append(b)
        tags: dict[int, builtins.list[str]] = defaultdict(list)
        for entry_id, tag in session.exec(
            select(EntryTagRow.entry_id, EntryTagRow.tag).where(col(EntryTagRow.entry_id).in_(ids))
        ):
            tags[entry_id].append(tag)
        openers: dict[int, builtins.list[ConversationOpener]] = defaultdict(list)
        for opener in session.exec(
            select(ConversationOpenerRow).where(col(ConversationOpenerRow.entry_id).in_(ids))
        ):
            openers[opener.entry_id].append(_opener_from_row(opener))
        return [
            _to_entry(row, barriers[row.id or 0], tags[row.id or 0], openers[row.id or 0])
            for row in rows
        ]

    def get(self, entry_id: int) -> Entry | None:
        if not 0 < entry_id <= MAX_INTEGER:  # SQLite could not even be asked
            return None
        with self.store.reading() as session:
            row = session.get(EntryRow, entry_id)
            return self._hydrate(session, [row])[0] if row else None

    def _filtered(self, query: EntryQuery) -> Any:
        stmt = select(EntryRow)
        if query.deleted:
            stmt = stmt.where(col(EntryRow.deleted_at).is_not(None))
        else:
            stmt = stmt.where(col(EntryRow.deleted_at).is_(None))
        if query.date_from:
            stmt = stmt.where(col(EntryRow.date) >= query.date_from)
        if query.date_to:
            stmt = stmt.where(col(EntryRow.date) <= query.date_to)
        if query.barriers:
            stmt = stmt.where(
                exists().where(
                    col(EntryBarrierRow.entry_id) == EntryRow.id,
                    col(EntryBarrierRow.barrier).in_([b.value for b in query.barriers]),
                )
            )
        if query.tags:
            stmt = stmt.where(
                exists().where(
                    col(EntryTagRow.entry_id) == EntryRow.id,
                    col(EntryTagRow.tag).in_(list(query.tags)),
                )
            )
        for word in (query.text or "").split():
            pattern = "%" + _escape_like(word) + "%"
            stmt = stmt.where(
                or_(
                    col(EntryRow.body).ilike(pattern, escape="\\"),
                    col(EntryRow.title).ilike(pattern, escape="\\"),
                    exists().where(
                        col(EntryTagRow.entry_id) == EntryRow.id,
                        col(EntryTagRow.tag).ilike(pattern, escape="\\"),
                    ),
                )
            )
        return stmt

    def list(self, query: EntryQuery) -> builtins.list[Entry]:
        stmt = self._filtered(query)
        if query.deleted:
            stmt = stmt.order_by(col(EntryRow.deleted_at).desc(), col(EntryRow.id).desc())
        else:
            stmt = stmt.order_by(
                col(EntryRow.date).desc(), col(EntryRow.created_at).desc(), col(EntryRow.id).desc()
            )
        if query.limit is not None:
            stmt = stmt.limit(query.limit)
        if query.offset:
            stmt = stmt.offset(query.offset)
        with self.store.reading() as session:
            rows = list(session.exec(stmt))
            return self._hydrate(session, rows)

    def _plain_rows(self, query: EntryQuery, *, related: bool = True) -> Any:
        """The entries matching `query` as plain columns (text and integers, without
        SQLAlchemy's per-value result hooks; dates come as text), each with its barriers,
        tags and conversation openers gathered by SQLite in the same row, in the order
        `_plain_entry` reads them. Without `related`, those are left out (read as none)."""
        entry = EntryRow.__table__  # type: ignore[attr-defined]
        barrier = EntryBarrierRow.__table__  # type: ignore[attr-defined]
        tag = EntryTagRow.__table__  # type: ignore[attr-defined]
        opener = ConversationOpenerRow.__table__  # type: ignore[attr-defined]
        barriers = (
            select(
                func.group_concat(
                    barrier.c.barrier
                    + ":"
                    + type_coerce(barrier.c.intensity, String)
                    + ":"
                    + barrier.c.source,
                    " ",
                )
            )
            .where(barrier.c.entry_id == entry.c.id)
            .scalar_subquery()
        )
        tags = (
            select(func.group_concat(tag.c.tag, " "))
            .where(tag.c.entry_id == entry.c.id)
            .scalar_subquery()
        )
        # JSON (SQLite's own json functions) keeps any text whole; "[]" when there are none.
        openers = (
            select(
                func.json_group_array(
                    func.json_array(
                        opener.c.id,
                        opener.c.feeling,
                        opener.c.about,
                        opener.c.need,
                        opener.c.text,
                        type_coerce(opener.c.created_at, String),
                        type_coerce(opener.c.updated_at, String),
                    )
                )
            )
            .where(opener.c.entry_id == entry.c.id)
            .scalar_subquery()
        )
        plain = [
            type_coerce(entry.c[name], String if kind == "text" else Integer)
            for name, kind in (
                ("id", "int"),
                ("uuid", "text"),
                ("date", "text"),
                ("created_at", "text"),
                ("updated_at", "text"),
                ("title", "text"),
                ("body", "text"),
                ("emotional_closeness", "int"),
                ("physical_intimacy", "int"),
                ("starred", "int"),
                ("share", "int"),
                ("prompt_id", "text"),
                ("deleted_at", "text"),
                ("reframe_shown", "int"),
                ("version", "int"),
            )
        ]
        related_columns = (barriers, tags, openers) if related else (null(), null(), null())
        return self._filtered(query).with_only_columns(*plain, *related_columns)

    def iter_oldest_first(self, query: EntryQuery, page_size: int = 500) -> Iterator[Entry]:
        """Entries matching `query` (its limit and offset aside), oldest first.

        One read transaction streams `page_size` rows at a time, so memory does not grow
        with the journal. A whole journal passes through here (exports), so the rows are
        plain columns (`_plain_rows`).
        """
        entry = EntryRow.__table__  # type: ignore[attr-defined]
        stmt = self._plain_rows(query).order_by(entry.c.date, entry.c.created_at, entry.c.id)
        day_text, day = "", dt.date.min
        with self.store.reading() as session:
            rows = session.connection().execution_options(yield_per=page_size).execute(stmt)
            for row in rows:
                if row[2] != day_text:  # entries come in day order: parse each day once
                    day_text, day = row[2], dt.date.fromisoformat(row[2])
                yield _plain_entry(row, day)

    def salvage_oldest_first(self, query: EntryQuery) -> Salvage:
        """What can still be read of a damaged journal: the entries matching `query` that
        lie in sound parts of the file, oldest first.

        A read that meets a damaged page fails as a whole, so the entries are read by
        ranges of ids, and a range that fails is split in two until the entries it can
        give are found; one that fails alone is read once more without its barriers,
        tags and conversation openers (which live elsewhere in the file). Every entry is
        held in memory to be put in order: only a damaged journal is read this way."""
        entry = EntryRow.__table__  # type: ignore[attr-defined]
        whole, bare = self._plain_rows(query), self._plain_rows(query, related=False)
        expected = _readable(
            self.store, lambda session: session.execute(self._count(query)).scalar_one()
        )
        highest = _readable(
            self.store, lambda session: session.execute(select(func.max(entry.c.id))).scalar()
        )
        salvage = Salvage(entries=[], expected=expected)
        ranges = [(1, MAX_INTEGER if highest is None else max(highest, 1))]
        while ranges:
            first, last = ranges.pop()
            # One id is sought as such: a range read also steps on to the next row, which
            # may lie on a damaged page.
            ids = entry.c.id == first if first == last else entry.c.id.between(first, last)
            rows = self._read_if_sound(whole.where(ids))
            if rows is None and first == last:
                rows = self._read_if_sound(bare.where(ids))
                salvage.unreadable += rows is None
                salvage.without_related += len(rows or ())
            if rows is None:
                middle = (first + last) // 2
                if first < last:
                    ranges += [(middle + 1, last), (first, middle)]
                continue
            salvage.entries += [_plain_entry(row, dt.date.fromisoformat(row[2])) for row in rows]
        salvage.entries.sort(key=lambda e: (e.date, e.created_at, e.id))
        return salvage

    def _read_if_sound(self, stmt: Any) -> builtins.list[Any] | None:
        return _readable(self.store, lambda session: builtins.list(session.execute(stmt)))

    def import_keys(self) -> ImportKeys:
        """What recognises an entry already present (live or in the trash): its uuid, and its
        day and creation time (UTC, to the second) with its text."""
        keys = ImportKeys({}, {})
        entry = EntryRow.__table__  # type: ignore[attr-defined]
        stmt = select(type_coerce(entry.c.uuid, String)).with_only_columns(
            *(
                type_coerce(entry.c[name], String)
                for name in ("uuid", "date", "created_at", "body")
            ),
            type_coerce(entry.c.deleted_at.is_not(None), Integer),
        )
        with self.store.reading() as session:
            rows: Iterable[Any] = session.connection().execute(stmt)
            for uuid_, day, created, body, trashed in rows:
                stamp = import_stamp(dt.date.fromisoformat(day), _utc(created), body)
                keys.uuids[uuid_] = keys.stamps[stamp] = bool(trashed)
        return keys

    def _count(self, query: EntryQuery) -> Any:
        return select(func.count()).select_from(self._filtered(query).subquery())

    def count(self, query: EntryQuery) -> int:
        with self.store.reading() as session:
            return int(session.exec(self._count(query)).one())

    def count_newer_than(self, day: dt.date) -> int:
        """How many live entries belong to days after `day`: the list position of `day`."""
        stmt = select(func.count()).where(
            col(EntryRow.deleted_at).is_(None), col(EntryRow.date) > day
        )
        with self.store.reading() as session:
            return int(session.exec(stmt).one())

    def neighbour_day(self, day: dt.date, *, later: bool) -> dt.date | None:
        """The nearest day with entries after (or before) `day`."""
        column = col(EntryRow.date)
        stmt = select(func.min(column) if later else func.max(column)).where(
            col(EntryRow.deleted_at).is_(None), column > day if later else column < day
        )
        with self.store.reading() as session:
            found = session.exec(stmt).one()
        if found is None or isinstance(found, dt.date):
            return found
        return dt.date.fromisoformat(str(found))

    # -- writing -----------------------------------------------------------------

    @staticmethod
    def _replace_barriers(session: Session, entry_id: int, tags: builtins.list[BarrierTag]) -> None:
        session.exec(delete(EntryBarrierRow).where(col(EntryBarrierRow.entry_id) == entry_id))
        for tag in tags:
            session.add(
                EntryBarrierRow(
                    entry_id=entry_id,
                    barrier=tag.barrier.value,
                    intensity=tag.intensity,
                    source=tag.source,
                )
            )

    @staticmethod
    def _replace_tags(session: Session, entry_id: int, tags: builtins.list[str]) -> None:
        session.exec(delete(EntryTagRow).where(col(EntryTagRow.entry_id) == entry_id))
        for tag in tags:
            session.add(EntryTagRow(entry_id=entry_id, tag=tag))

    def insert(
        self,
        values: dict[str, Any],
        barriers: builtins.list[BarrierTag],
        tags: builtins.list[str],
        now: dt.datetime,
    ) -> Entry:
        with self.store.transaction() as session:
            row = EntryRow(**values, created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            assert row.id is not None
            self._replace_barriers(session, row.id, barriers)
            self._replace_tags(session, row.id, tags)
            session.flush()
            return self._hydrate(session, [row])[0]

    def insert_many(
        self,
        items: Sequence[
            tuple[
                dict[str, Any],
                builtins.list[BarrierTag],
                builtins.list[str],
                builtins.list[dict[str, Any]],
            ]
        ],
    ) -> int:
        """Add many entries in one transaction (all or none). Each item: the entry's values
        (every column, timestamps in UTC), its barriers, its tags, and the values of its
        conversation openers (every column but the ids). Returns how many were added.

        The entries go in parked in the trash, get their barriers and tags, and are then
        set to their own `deleted_at`: the triggers that keep the search index and the day
        summaries then see each entry once, complete, instead of re-indexing its text for
        every tag added to it."""
        if not items:
            return 0
        entry = EntryRow.__table__  # type: ignore[attr-defined]
        parked = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        with self.store.transaction() as session:
            conn = session.connection()
            conn.execute(insert(entry), [{**values, "deleted_at": parked} for values, *_ in items])
            uuids = [values["uuid"] for values, *_ in items]
            id_of: dict[str, int] = {}
            for start in range(0, len(uuids), 500):
                chunk = uuids[start : start + 500]
                stmt = select(entry.c.uuid, entry.c.id).where(entry.c.uuid.in_(chunk))
                id_of.update((u, i) for u, i in conn.execute(stmt))
            barrier_rows = [
                {
                    "entry_id": id_of[values["uuid"]],
                    "barrier": tag.barrier.value,
                    "intensity": tag.intensity,
                    "source": tag.source,
                }
                for values, barriers, _, _ in items
                for tag in barriers
            ]
            tag_rows = [
                {"entry_id": id_of[values["uuid"]], "tag": tag}
                for values, _, tags, _ in items
                for tag in tags
            ]
            opener_rows = [
                {**opener, "entry_id": id_of[values["uuid"]]}
                for values, _, _, openers in items
                for opener in openers
            ]
            if barrier_rows:
                conn.execute(insert(EntryBarrierRow.__table__), barrier_rows)  # type: ignore[attr-defined]
            if tag_rows:
                conn.execute(insert(EntryTagRow.__table__), tag_rows)  # type: ignore[attr-defined]
            if opener_rows:
                conn.execute(insert(ConversationOpenerRow.__table__), opener_rows)  # type: ignore[attr-defined]
            trashed = [
                {"entry_id": id_of[values["uuid"]], "deleted": values["deleted_at"]}
                for values, *_ in items
                if values.get("deleted_at") is not None
            ]
            if trashed:
                keep_in_trash = (
                    update(entry)
                    .where(entry.c.id == bindparam("entry_id"))
                    .values(deleted_at=bindparam("deleted"))
                )
                conn.execute(keep_in_trash, trashed)
            # One statement for the rest: FTS5 writes out its pending index at every
            # statement's savepoint, so a statement per entry costs about 4x as much.
            conn.execute(
                update(entry)
                .where(
                    entry.c.deleted_at == parked,
                    entry.c.id.between(min(id_of.values()), max(id_of.values())),
                )
                .values(deleted_at=None)
            )
        return len(items)

    def update(
        self,
        entry_id: int,
        values: dict[str, Any],
        barriers: builtins.list[BarrierTag] | None,
        tags: builtins.list[str] | None,
        now: dt.datetime,
        expected_version: int | None = None,
    ) -> Entry | None:
        with self.store.transaction() as session:
            row = session.get(EntryRow, entry_id)
            if row is None:
                return None
            if expected_version is not None and row.version != expected_version:
                raise EditConflict(
                    f"entry {entry_id} was changed in another window since it was opened here"
                )
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            row.version += 1
            if barriers is not None:
                self._replace_barriers(session, entry_id, barriers)
            if tags is not None:
                self._replace_tags(session, entry_id, tags)
            session.add(row)
            session.flush()
            return self._hydrate(session, [row])[0]

    def set_deleted(self, entry_id: int, when: dt.datetime | None) -> Entry | None:
        with self.store.transaction() as session:
            row = session.get(EntryRow, entry_id)
            if row is None:
                return None
            row.deleted_at = when
            session.add(row)
            session.flush()
            return self._hydrate(session, [row])[0]

    def purge(self, entry_id: int) -> bool:
        with self.store.transaction() as session:
            row = session.get(EntryRow, entry_id)
            if row is None:
                return False
            session.delete(row)
            return True


def _draft_from_row(row: DraftRow) -> Draft:
    barriers = [
        BarrierTag(Barrier(key), int(intensity), "suggestion" if source == "suggestion" else "user")
        for key, (intensity, source) in json.loads(row.barriers).items()
    ]
    return Draft(
        key=row.key,
        body=row.body,
        entry_id=row.entry_id,
        date=row.date,
        title=row.title,
        barriers=barriers,
        tags=list(json.loads(row.tags)),
        emotional_closeness=row.emotional_closeness,
        physical_intimacy=row.physical_intimacy,
        prompt_id=row.prompt_id,
        updated_at=row.updated_at,
        reframe_shown=row.reframe_shown,
    )


class DraftRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def save(self, draft: Draft, now: dt.datetime) -> None:
        row = DraftRow(
            key=draft.key,
            entry_id=draft.entry_id,
            date=draft.date,
            title=draft.title,
            body=draft.body,
            barriers=json.dumps({t.barrier.value: [t.intensity, t.source] for t in draft.barriers}),
            tags=json.dumps(draft.tags),
            emotional_closeness=draft.emotional_closeness,
            physical_intimacy=draft.physical_intimacy,
            prompt_id=draft.prompt_id,
            updated_at=now,
            reframe_shown=draft.reframe_shown,
        )
        with self.store.transaction() as session:
            session.merge(row)

    def all(self) -> builtins.list[Draft]:
        stmt = select(DraftRow).order_by(col(DraftRow.updated_at).desc())
        with self.store.reading() as session:
            return [_draft_from_row(row) for row in session.exec(stmt)]

    def discard(self, key: str) -> None:
        with self.store.transaction() as session:
            session.exec(delete(DraftRow).where(col(DraftRow.key) == key))

    def rename(self, key: str, new_key: str) -> bool:
        """Move the draft under `key` to `new_key` (nothing may be there). False when no
        draft was under `key`: another window took it first."""
        from sqlalchemy import update

        stmt = update(DraftRow).where(col(DraftRow.key) == key).values(key=new_key)
        with self.store.transaction() as session:
            return bool(session.exec(stmt).rowcount)


class PromptRepository:
    """Which prompts were shown when, and the barrier counts the daily choice leans on."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record_shown(self, prompt_id: str, day: dt.date, now: dt.datetime) -> None:
        """Note that a prompt was shown on a day (the first showing that day is kept)."""
        from sqlalchemy.dialects.sqlite import insert

        stmt = (
            insert(PromptShownRow)
            .values(prompt_id=prompt_id, day=day, shown_at=now)
            .on_conflict_do_nothing(index_elements=["prompt_id", "day"])
        )
        with self.store.transaction() as session:
            session.exec(stmt)

    def last_shown(self, date_from: dt.date, date_to: dt.date) -> dict[str, dt.date]:
        """Prompt id -> the last day it was shown, for days from `date_from` to `date_to`."""
        day = col(PromptShownRow.day)
        stmt = (
            select(PromptShownRow.prompt_id, func.max(day))
            .where(day >= date_from, day <= date_to)
            .group_by(col(PromptShownRow.prompt_id))
        )
        with self.store.reading() as session:
            return {
                pid: last if isinstance(last, dt.date) else dt.date.fromisoformat(str(last))
                for pid, last in session.exec(stmt)
            }

    def barrier_counts(self, date_from: dt.date, date_to: dt.date) -> dict[str, int]:
        """How many live entries from `date_from` to `date_to` carry each barrier."""
        barrier = col(EntryBarrierRow.barrier)
        stmt = (
            select(barrier, func.count())
            .join(EntryRow, col(EntryRow.id) == col(EntryBarrierRow.entry_id))
            .where(
                col(EntryRow.deleted_at).is_(None),
                col(EntryRow.date) >= date_from,
                col(EntryRow.date) <= date_to,
            )
            .group_by(barrier)
        )
        with self.store.reading() as session:
            return {key: int(count) for key, count in session.exec(stmt)}


def _opener_from_row(row: ConversationOpenerRow) -> ConversationOpener:
    assert row.id is not None
    return ConversationOpener(
        id=row.id,
        entry_id=row.entry_id,
        feeling=row.feeling,
        about=row.about,
        need=row.need,
        text=row.text,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class OpenerRepository:
    """Conversation openers kept beside their entry (removed with it when it is purged)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def insert(self, values: dict[str, Any], now: dt.datetime) -> ConversationOpener:
        with self.store.transaction() as session:
            row = ConversationOpenerRow(**values, created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            return _opener_from_row(row)

    def for_entry(self, entry_id: int) -> builtins.list[ConversationOpener]:
        stmt = (
            select(ConversationOpenerRow)
            .where(col(ConversationOpenerRow.entry_id) == entry_id)
            .order_by(col(ConversationOpenerRow.created_at), col(ConversationOpenerRow.id))
        )
        with self.store.reading() as session:
            return [_opener_from_row(row) for row in session.exec(stmt)]

    def delete(self, opener_id: int) -> bool:
        with self.store.transaction() as session:
            row = session.get(ConversationOpenerRow, opener_id)
            if row is None:
                return False
            session.delete(row)
            return True


# -- search (migration 0007) ----------------------------------------------------------


def _search_conditions(filters: SearchFilters, params: dict[str, Any]) -> builtins.list[str]:
    """SQL conditions on `e` (the entry) for the filters, filling `params`."""
    where = ["e.deleted_at IS NULL"]
    if filters.barriers:
        names = []
        for i, barrier in enumerate(filters.barriers):
            params[f"b{i}"] = barrier.value
            names.append(f":b{i}")
        if filters.all_barriers:
            where.extend(
                f"EXISTS (SELECT 1 FROM entry_barrier WHERE entry_id = e.id AND barrier = {name})"
                for name in names
            )
        else:
            where.append(
                "EXISTS (SELECT 1 FROM entry_barrier WHERE entry_id = e.id "
                f"AND barrier IN ({', '.join(names)}))"
            )
    if filters.tags:
        names = []
        for i, tag in enumerate(filters.tags):
            params[f"t{i}"] = tag
            names.append(f":t{i}")
        where.append(
            "EXISTS (SELECT 1 FROM entry_tag WHERE entry_id = e.id "
            f"AND tag IN ({', '.join(names)}))"
        )
    if filters.date_from:
        params["date_from"] = filters.date_from.isoformat()
        where.append("e.date >= :date_from")
    if filters.date_to:
        params["date_to"] = filters.date_to.isoformat()
        where.append("e.date <= :date_to")
    for name, column, span in (
        ("emotional", "emotional_closeness", filters.emotional),
        ("physical", "physical_intimacy", filters.physical),
    ):
        if span is not None:
            params[f"{name}_min"], params[f"{name}_max"] = span
            where.append(f"e.{column} BETWEEN :{name}_min AND :{name}_max")
    if filters.has_prompt:
        where.append("e.prompt_id IS NOT NULL")
    if filters.starred:
        where.append("e.starred = 1")
    if filters.shared:
        where.append("e.share = 1")
    return where


class SearchRepository:
    """Full-text search over live entries (the FTS5 index `entry_fts`), with filters.

    `match` is an FTS5 expression built by core.search (never raw user text); None lists
    the entries matching the filters, newest first. Pages are read with LIMIT/OFFSET and
    snippets made only for the page, so the cost of a page does not follow the journal's
    size (ranking still touches each match of the words, inside SQLite)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _ranked_ids(
        self, match: str | None, filters: SearchFilters, limit: int | None, offset: int
    ) -> tuple[str, dict[str, Any]]:
        params: dict[str, Any] = {"limit": -1 if limit is None else limit, "offset": offset}
        if match is None:
            where = _search_conditions(filters, params)
            sql = (
                "SELECT e.id, NULL, NULL FROM entry e WHERE " + " AND ".join(where) + " "
                "ORDER BY e.date DESC, e.created_at DESC, e.id DESC LIMIT :limit OFFSET :offset"
            )
            return sql, params
        params["match"] = match
        if filters.is_empty():
            # Only live entries are in the index: no need to look at the entries at all.
            # FTS5 sorts by rank itself, so the snippet is made only for the rows returned.
            params.update(start=MARK_START, end=MARK_END, words=SNIPPET_WORDS)
            sql = (
                "SELECT rowid, rank, snippet(entry_fts, 1, :start, :end, '…', :words) "
                "FROM entry_fts WHERE entry_fts MATCH :match "
                "ORDER BY rank LIMIT :limit OFFSET :offset"
            )
            return sql, params
        where = _search_conditions(filters, params)
        sql = (
            "SELECT entry_fts.rowid, entry_fts.rank, NULL FROM entry_fts "
            "JOIN entry e ON e.id = entry_fts.rowid "
            "WHERE entry_fts MATCH :match AND " + " AND ".join(where) + " "
            "ORDER BY entry_fts.rank LIMIT :limit OFFSET :offset"
        )
        return sql, params

    def find(
        self, match: str | None, filters: SearchFilters, limit: int | None, offset: int = 0
    ) -> builtins.list[FoundEntry]:
        from sqlalchemy import bindparam, text

        sql, params = self._ranked_ids(match, filters, limit, offset)
        with self.store.reading() as session:
            found = list(session.execute(text(sql), params))
            if not found:
                return []
            ranked = [(int(i), rank) for i, rank, _ in found]
            ids = [i for i, _ in ranked]
            snippets = {int(i): snippet for i, _, snippet in found if snippet is not None}
            if match is not None and not filters.is_empty():
                stmt = text(
                    "SELECT rowid, snippet(entry_fts, 1, :start, :end, '…', :words) "
                    "FROM entry_fts WHERE entry_fts MATCH :match AND rowid IN :ids"
                ).bindparams(bindparam("ids", expanding=True))
                snippets = {
                    int(i): s or ""
                    for i, s in session.execute(
                        stmt,
                        {
                            "start": MARK_START,
                            "end": MARK_END,
                            "words": SNIPPET_WORDS,
                            "match": match,
                            "ids": ids,
                        },
                    )
                }
            rows = list(session.exec(select(EntryRow).where(col(EntryRow.id).in_(ids))))
            by_id = {
                entry.id: entry for entry in EntryRepository(self.store)._hydrate(session, rows)
            }
        return [
            FoundEntry.of(by_id[i], snippets.get(i, ""), None if rank is None else float(rank))
            for i, rank in ranked
            if i in by_id
        ]

    def count(self, match: str | None, filters: SearchFilters) -> int:
        from sqlalchemy import text

        params: dict[str, Any] = {}
        if match is None:
            where = _search_conditions(filters, params)
            sql = "SELECT count(*) FROM entry e WHERE " + " AND ".join(where)
        elif filters.is_empty():
            params["match"] = match
            sql = "SELECT count(*) FROM entry_fts WHERE entry_fts MATCH :match"
        else:
            params["match"] = match
            where = _search_conditions(filters, params)
            sql = (
                "SELECT count(*) FROM entry_fts JOIN entry e ON e.id = entry_fts.rowid "
                "WHERE entry_fts MATCH :match AND " + " AND ".join(where)
            )
        with self.store.reading() as session:
            return int(session.execute(text(sql), params).scalar_one())


class SavedSearchRepository:
    """Searches kept under a name (unique); saving a name again replaces it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def save(self, name: str, query: str, filters_json: str, now: dt.datetime) -> None:
        with self.store.transaction() as session:
            row = session.exec(
                select(SavedSearchRow).where(col(SavedSearchRow.name) == name)
            ).first()
            if row is None:
                row = SavedSearchRow(
                    name=name, query=query, filters=filters_json, created_at=now, updated_at=now
                )
            else:
                row.query, row.filters, row.updated_at = query, filters_json, now
            session.add(row)

    def all(self) -> builtins.list[tuple[str, str, str]]:
        """(name, query, filters JSON), by name."""
        stmt = select(SavedSearchRow.name, SavedSearchRow.query, SavedSearchRow.filters).order_by(
            func.lower(col(SavedSearchRow.name))
        )
        with self.store.reading() as session:
            return [(n, q, f) for n, q, f in session.exec(stmt)]

    def delete(self, name: str) -> bool:
        with self.store.transaction() as session:
            result = session.exec(delete(SavedSearchRow).where(col(SavedSearchRow.name) == name))
            return bool(result.rowcount)
