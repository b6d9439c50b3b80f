"""Entry queries. Converts table rows into core.model objects at the boundary."""

from __future__ import annotations

import builtins
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, or_
from sqlmodel import Session, col, select

from reconnect_journal.core.barriers import BARRIER_KEYS, Barrier
from reconnect_journal.core.model import BarrierTag, Draft, Entry, EntryQuery, TagSource
from reconnect_journal.core.openers import ConversationOpener
from reconnect_journal.core.trends import PeriodCounts
from reconnect_journal.store.engine import Store
from reconnect_journal.store.tables import (
    ConversationOpenerRow,
    DaySummaryRow,
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
        reframe_shown=row.reframe_shown,
    )


_BARRIERS = {b.value: b for b in Barrier}


def import_stamp(created: dt.datetime, body: str) -> tuple[str, str]:
    """The (creation second in UTC, text) key that recognises an entry imported twice."""
    if created.tzinfo is not None:
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    return created.replace(microsecond=0).isoformat(), body


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

    def iter_oldest_first(self, query: EntryQuery, page_size: int = 500) -> Iterator[Entry]:
        """Entries matching `query` (its limit and offset aside), oldest first, read a page
        at a time so memory does not grow with the journal (keyset paging on the index)."""
        after: tuple[dt.date, dt.datetime, int] | None = None
        date_c, created_c, id_c = col(EntryRow.date), col(EntryRow.created_at), col(EntryRow.id)
        while True:
            stmt = self._filtered(query)
            if after is not None:
                day, created, last_id = after
                stmt = stmt.where(
                    or_(
                        date_c > day,
                        and_(date_c == day, created_c > created),
                        and_(date_c == day, created_c == created, id_c > last_id),
                    )
                )
            stmt = stmt.order_by(date_c, created_c, id_c).limit(page_size)
            # Plain rows rather than ORM objects: a whole journal streams through here.
            stmt = stmt.with_only_columns(*EntryRow.__table__.columns)  # type: ignore[attr-defined]
            with self.store.transaction() as session:
                page = self._entries_from_rows(session, session.execute(stmt).all())
            yield from page
            if len(page) < page_size:
                return
            last = page[-1]
            after = (last.date, last.created_at, last.id)

    @staticmethod
    def _entries_from_rows(session: Session, rows: Sequence[Any]) -> builtins.list[Entry]:
        ids = [row.id for row in rows]
        if not ids:
            return []
        barriers: dict[int, dict[str, BarrierTag]] = defaultdict(dict)
        stmt = select(
            EntryBarrierRow.entry_id,
            EntryBarrierRow.barrier,
            EntryBarrierRow.intensity,
            EntryBarrierRow.source,
        ).where(col(EntryBarrierRow.entry_id).in_(ids))
        for entry_id, key, intensity, source in session.execute(stmt):
            barriers[entry_id][key] = BarrierTag(
                _BARRIERS[key], intensity, "suggestion" if source == "suggestion" else "user"
            )
        tags: dict[int, builtins.list[str]] = defaultdict(list)
        stmt_tags = select(EntryTagRow.entry_id, EntryTagRow.tag).where(
            col(EntryTagRow.entry_id).in_(ids)
        )
        for entry_id, tag in session.execute(stmt_tags):
            tags[entry_id].append(tag)
        entries = []
        for row in rows:
            by_key = barriers.get(row.id, {})
            entries.append(
                Entry(
                    id=row.id,
                    uuid=row.uuid,
                    date=row.date,
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                    title=row.title,
                    body=row.body,
                    emotional_closeness=row.emotional_closeness,
                    physical_intimacy=row.physical_intimacy,
                    barriers=tuple(by_key[k] for k in BARRIER_KEYS if k in by_key),
                    tags=tuple(sorted(tags.get(row.id, ()))),
                    starred=row.starred,
                    share=row.share,
                    prompt_id=row.prompt_id,
                    deleted_at=row.deleted_at,
                )
            )
        return entries

    def import_keys(self) -> tuple[set[str], set[tuple[str, str]]]:
        """What recognises an entry already present (live or in the trash): its uuid, and its
        creation time (UTC, to the second) with its text."""
        uuids: set[str] = set()
        stamps: set[tuple[str, str]] = set()
        stmt = select(EntryRow.uuid, EntryRow.created_at, EntryRow.body)
        with self.store.transaction() as session:
            for uuid_, created, body in session.exec(stmt):
                uuids.add(uuid_)
                stamps.add(import_stamp(created, body))
        return uuids, stamps

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

    def insert_many(
        self, items: Sequence[tuple[dict[str, Any], builtins.list[BarrierTag], builtins.list[str]]]
    ) -> int:
        """Add many entries in one transaction (all or none). Each item's values hold every
        column, timestamps in UTC. Returns how many were added."""
        if not items:
            return 0
        with self.store.transaction() as session:
            session.execute(insert(EntryRow), [values for values, _, _ in items])
            uuids = [values["uuid"] for values, _, _ in items]
            id_of: dict[str, int] = {}
            for start in range(0, len(uuids), 500):
                chunk = uuids[start : start + 500]
                stmt = select(EntryRow.uuid, EntryRow.id).where(col(EntryRow.uuid).in_(chunk))
                id_of.update((u, i) for u, i in session.exec(stmt) if i is not None)
            barrier_rows = [
                {
                    "entry_id": id_of[values["uuid"]],
                    "barrier": tag.barrier.value,
                    "intensity": tag.intensity,
                    "source": tag.source,
                }
                for values, barriers, _ in items
                for tag in barriers
            ]
            tag_rows = [
                {"entry_id": id_of[values["uuid"]], "tag": tag}
                for values, _, tags in items
                for tag in tags
            ]
            if barrier_rows:
                session.execute(insert(EntryBarrierRow), barrier_rows)
            if tag_rows:
                session.execute(insert(EntryTagRow), tag_rows)
        return len(items)

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
        with self.store.transaction() as session:
            return [_opener_from_row(row) for row in session.exec(stmt)]

    def delete(self, opener_id: int) -> bool:
        with self.store.transaction() as session:
            row = session.get(ConversationOpenerRow, opener_id)
            if row is None:
                return False
            session.delete(row)
            return True


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _period_of(by: str) -> Any:
    """SQL for the first day of a day's period, as 'YYYY-MM-DD' (weeks start on Monday)."""
    day = col(DaySummaryRow.date)
    if by == "week":
        # The next Sunday (or the day itself), then back six days: that week's Monday.
        return func.date(day, "weekday 0", "-6 days")
    if by == "month":
        return func.substr(day, 1, 8) + "01"
    return day


class TrendsRepository:
    """Counts for the Trends screen and `stats`, done by SQLite with GROUP BY.

    Only live entries count. Periods are added up from `day_summary` (one row per journal
    day with entries, kept in step by triggers; see migration 0006), so the cost follows
    the number of days, not of entries. `date` is the journal day, a local date.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def _live(stmt: Any, date_from: dt.date | None, date_to: dt.date | None) -> Any:
        stmt = stmt.where(col(EntryRow.deleted_at).is_(None))
        if date_from is not None:
            stmt = stmt.where(col(EntryRow.date) >= date_from)
        if date_to is not None:
            stmt = stmt.where(col(EntryRow.date) <= date_to)
        return stmt

    def periods(
        self, by: str, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> builtins.list[PeriodCounts]:
        """One PeriodCounts per period that has entries, oldest first."""
        period = _period_of(by).label("period")
        day = col(DaySummaryRow.date)
        sums = [
            func.sum(getattr(DaySummaryRow, name))
            for name in (
                "entries",
                "emotional_sum",
                "emotional_n",
                "physical_sum",
                "physical_n",
                *(f"{key}{suffix}" for key in BARRIER_KEYS for suffix in ("", "_intensity")),
            )
        ]
        stmt = select(period, func.count(), *sums)
        if date_from is not None:
            stmt = stmt.where(day >= date_from)
        if date_to is not None:
            stmt = stmt.where(day <= date_to)
        stmt = stmt.group_by(period).order_by(period)
        with self.store.transaction() as session:
            result = session.exec(stmt).all()
        rows = []
        for start, days, n, e_sum, e_n, p_sum, p_n, *tags in result:
            rows.append(
                PeriodCounts(
                    start=_as_date(start),
                    entries=int(n),
                    days_written=int(days),
                    emotional_sum=int(e_sum),
                    emotional_n=int(e_n),
                    physical_sum=int(p_sum),
                    physical_n=int(p_n),
                    barriers={k: int(tags[2 * i]) for i, k in enumerate(BARRIER_KEYS)},
                    intensity={k: int(tags[2 * i + 1]) for i, k in enumerate(BARRIER_KEYS)},
                )
            )
        return rows

    def pairs(
        self, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> dict[tuple[str, str], int]:
        """(barrier, barrier) -> how many entries carry both."""
        first = EntryBarrierRow.__table__.alias("first")  # type: ignore[attr-defined]
        second = EntryBarrierRow.__table__.alias("second")  # type: ignore[attr-defined]
        stmt = self._live(
            select(first.c.barrier, second.c.barrier, func.count())
            .select_from(first)
            .join(
                second,
                (second.c.entry_id == first.c.entry_id) & (first.c.barrier < second.c.barrier),
            )
            .join(EntryRow, col(EntryRow.id) == first.c.entry_id),
            date_from,
            date_to,
        ).group_by(first.c.barrier, second.c.barrier)
        with self.store.transaction() as session:
            return {(a, b): int(n) for a, b, n in session.exec(stmt)}

    def on_this_day(self, today: dt.date, limit: int = 24) -> builtins.list[Entry]:
        """Entries from the same day of the month in earlier months and years, newest first.

        The candidate days are listed here (one a month back to the first entry), so SQLite
        looks them up in the day index instead of reading every entry."""
        with self.store.transaction() as session:
            first = session.exec(select(func.min(col(DaySummaryRow.date)))).one()
            if first is None:
                return []
            first = _as_date(first)
            days = []
            year, month = today.year, today.month
            while (year, month) >= (first.year, first.month):
                year, month = (year, month - 1) if month > 1 else (year - 1, 12)
                try:
                    days.append(dt.date(year, month, today.day))
                except ValueError:  # no 31st (or 29th February) that month
                    continue
            days = [day for day in days if day >= first]
            if not days:
                return []
            stmt = (
                self._live(select(EntryRow), None, None)
                .where(col(EntryRow.date).in_(days))
                .order_by(col(EntryRow.date).desc(), col(EntryRow.created_at).desc())
                .limit(limit)
            )
            rows = list(session.exec(stmt))
            return EntryRepository(self.store)._hydrate(session, rows)
