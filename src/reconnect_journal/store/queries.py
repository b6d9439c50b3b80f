"""Entry queries. Converts table rows into core.model objects at the boundary."""

from __future__ import annotations

import builtins
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, exists, func, or_
from sqlmodel import Session, col, select

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.model import BarrierTag, Draft, Entry, EntryQuery, TagSource
from reconnect_journal.store.engine import Store
from reconnect_journal.store.tables import (
    DraftRow,
    EntryBarrierRow,
    EntryRow,
    EntryTagRow,
    PromptShownRow,
)


def _to_entry(row: EntryRow, barriers: Iterable[EntryBarrierRow], tags: Iterable[str]) -> Entry:
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
    )


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
        return [_to_entry(row, barriers[row.id or 0], tags[row.id or 0]) for row in rows]

    def get(self, entry_id: int) -> Entry | None:
        with self.store.transaction() as session:
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
        with self.store.transaction() as session:
            rows = list(session.exec(stmt))
            return self._hydrate(session, rows)

    def count(self, query: EntryQuery) -> int:
        stmt = select(func.count()).select_from(self._filtered(query).subquery())
        with self.store.transaction() as session:
            return int(session.exec(stmt).one())

    def count_newer_than(self, day: dt.date) -> int:
        """How many live entries belong to days after `day`: the list position of `day`."""
        stmt = select(func.count()).where(
            col(EntryRow.deleted_at).is_(None), col(EntryRow.date) > day
        )
        with self.store.transaction() as session:
            return int(session.exec(stmt).one())

    def neighbour_day(self, day: dt.date, *, later: bool) -> dt.date | None:
        """The nearest day with entries after (or before) `day`."""
        column = col(EntryRow.date)
        stmt = select(func.min(column) if later else func.max(column)).where(
            col(EntryRow.deleted_at).is_(None), column > day if later else column < day
        )
        with self.store.transaction() as session:
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

    def update(
        self,
        entry_id: int,
        values: dict[str, Any],
        barriers: builtins.list[BarrierTag] | None,
        tags: builtins.list[str] | None,
        now: dt.datetime,
    ) -> Entry | None:
        with self.store.transaction() as session:
            row = session.get(EntryRow, entry_id)
            if row is None:
                return None
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
        )
        with self.store.transaction() as session:
            session.merge(row)

    def all(self) -> builtins.list[Draft]:
        stmt = select(DraftRow).order_by(col(DraftRow.updated_at).desc())
        with self.store.transaction() as session:
            return [_draft_from_row(row) for row in session.exec(stmt)]

    def discard(self, key: str) -> None:
        with self.store.transaction() as session:
            session.exec(delete(DraftRow).where(col(DraftRow.key) == key))


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
        with self.store.transaction() as session:
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
        with self.store.transaction() as session:
            return {key: int(count) for key, count in session.exec(stmt)}
