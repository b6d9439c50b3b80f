"""The entries service: the one way the CLI and the TUI read and write entries.

Validation and the rules of an entry live here; SQL lives in store.queries.
"""

from __future__ import annotations

import builtins
import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.dates import EARLIEST_DAY, local_today, utc_now
from reconnect_journal.core.errors import (
    EditConflict,
    EntryInTrash,
    InputError,
    NotFoundError,
    NotInTrash,
)
from reconnect_journal.core.model import (
    KEEP,
    Draft,
    Entry,
    EntryChanges,
    EntryQuery,
    ImportedEntry,
    NewEntry,
    clean_title,
    validate_barrier_tags,
    validate_body,
    validate_rating,
)
from reconnect_journal.core.openers import (
    ConversationOpener,
    OpenerParts,
    check_imported_opener,
    compose_opener,
)
from reconnect_journal.core.prompts import (
    NO_REPEAT_DAYS,
    RECENT_TAG_DAYS,
    Prompt,
    connection_prompt,
    daily_prompt,
    load_library,
    prompt_for_barrier,
)
from reconnect_journal.core.tags import extract_hashtags, merge_tags
from reconnect_journal.store.engine import Store, open_store
from reconnect_journal.store.queries import (
    DraftRepository,
    EntryRepository,
    ImportKeys,
    OpenerRepository,
    PromptRepository,
    Salvage,
)

# The time zone furthest ahead of UTC (Line Islands): its day is the last one begun.
LATEST_UTC_OFFSET = dt.timedelta(hours=14)


class JournalService:
    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        today: Callable[[], dt.date] = local_today,
    ) -> None:
        self.store = store
        self.entries = EntryRepository(store)
        self.drafts = DraftRepository(store)
        self.openers = OpenerRepository(store)
        self.clock = clock
        self.today = today

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        default_location: bool = False,
        passphrase: str | None = None,
        **kwargs: Any,
    ) -> JournalService:
        """Open the journal; an encrypted one needs its passphrase (a plain one ignores it)."""
        store = open_store(path, default_location=default_location, passphrase=passphrase)
        return cls(store, **kwargs)

    def close(self) -> None:
        self.store.close()

    def change_marker(self) -> tuple[int, int]:
        """Cheap: a value that differs once anything was saved to the journal since it was
        last read, here or elsewhere (another window, a command). See Store.change_marker."""
        return self.store.change_marker()

    def _check_day(self, day: dt.date, latest: dt.date | None = None) -> dt.date:
        if day > (latest or self.today()):
            raise InputError(
                f"{day.isoformat()} is in the future; an entry belongs to today or an earlier day"
            )
        if day < EARLIEST_DAY:
            raise InputError(
                f"{day.isoformat()} is before {EARLIEST_DAY}; an entry belongs to a day "
                f"from {EARLIEST_DAY} on"
            )
        return day

    # -- reading -----------------------------------------------------------------

    def get(self, entry_id: int, *, include_deleted: bool = False) -> Entry:
        entry = self.entries.get(entry_id)
        if entry is None:
            raise NotFoundError(
                f"no entry with id {entry_id}; 'reconnect-journal list' shows the ids"
            )
        if entry.deleted_at is not None and not include_deleted:
            raise EntryInTrash(
                f"entry {entry_id} is in the trash; 'reconnect-journal undelete {entry_id}' "
                "brings it back ('reconnect-journal trash' lists what is there)"
            )
        return entry

    def list(self, query: EntryQuery | None = None) -> builtins.list[Entry]:
        query = query or EntryQuery()
        if query.date_from and query.date_to and query.date_from > query.date_to:
            raise InputError(
                f"--from {query.date_from} is after --to {query.date_to}; "
                "give the earlier day first"
            )
        return self.entries.list(query)

    def count(self, query: EntryQuery | None = None) -> int:
        return self.entries.count(query or EntryQuery(limit=None))

    def iter_entries(
        self, query: EntryQuery | None = None, page_size: int = 500
    ) -> Iterator[Entry]:
        """Every live entry matching `query` (limit aside), oldest first, a page at a time."""
        query = query or EntryQuery(limit=None)
        if query.date_from and query.date_to and query.date_from > query.date_to:
            raise InputError(
                f"--from {query.date_from} is after --to {query.date_to}; "
                "give the earlier day first"
            )
        return self.entries.iter_oldest_first(query, page_size)

    def salvage_entries(self, query: EntryQuery | None = None) -> Salvage:
        """What can still be read of a damaged journal: the live entries matching `query`
        (limit aside) in sound parts of the file, oldest first, and what could not be."""
        return self.entries.salvage_oldest_first(query or EntryQuery(limit=None))

    def damaged(self) -> bool:
        """Whether the journal was found damaged, by this process or an earlier one."""
        from reconnect_journal.store.health import damage_found

        return self.store.damage is not None or damage_found(self.store.path) is not None

    def entries_on(self, day: dt.date) -> builtins.list[Entry]:
        return self.entries.list(EntryQuery(date_from=day, date_to=day, limit=None))

    def position_of_day(self, day: dt.date) -> int:
        """Index in the newest-first list of the first entry on or before `day`."""
        return self.entries.count_newer_than(day)

    def day_before(self, day: dt.date) -> dt.date | None:
        return self.entries.neighbour_day(day, later=False)

    def day_after(self, day: dt.date) -> dt.date | None:
        return self.entries.neighbour_day(day, later=True)

    # -- writing -----------------------------------------------------------------

    def add(self, new: NewEntry) -> Entry:
        body = validate_body(new.body)
        values = {
            "uuid": str(uuid.uuid4()),
            "date": self._check_day(new.date or self.today()),
            "title": clean_title(new.title),
            "body": body,
            "emotional_closeness": validate_rating(new.emotional_closeness, "emotional closeness"),
            "physical_intimacy": validate_rating(new.physical_intimacy, "physical intimacy"),
            "starred": new.starred,
            "share": new.share,
            "prompt_id": new.prompt_id,
            "reframe_shown": new.reframe_shown,
        }
        barriers = validate_barrier_tags(new.barriers)
        tags = merge_tags(new.tags, body)
        return self.entries.insert(values, barriers, tags, self.clock())

    def edit(
        self, entry_id: int, changes: EntryChanges, *, expected_version: int | None = None
    ) -> Entry:
        """Change an entry. With `expected_version`, EditConflict if it was saved elsewhere
        (another window) since that version was read."""
        current = self.get(entry_id)
        values: dict[str, Any] = {}
        if changes.body is not KEEP:
            values["body"] = validate_body(changes.body)
        if changes.date is not KEEP:
            values["date"] = self._check_day(changes.date)
        if changes.title is not KEEP:
            values["title"] = clean_title(changes.title)
        if changes.emotional_closeness is not KEEP:
            values["emotional_closeness"] = validate_rating(
                changes.emotional_closeness, "emotional closeness"
            )
        if changes.physical_intimacy is not KEEP:
            values["physical_intimacy"] = validate_rating(
                changes.physical_intimacy, "physical intimacy"
            )
        if changes.starred is not KEEP:
            values["starred"] = changes.starred
        if changes.share is not KEEP:
            values["share"] = changes.share
        if changes.reframe_shown is not KEEP:
            values["reframe_shown"] = changes.reframe_shown
        barriers = None if changes.barriers is KEEP else validate_barrier_tags(changes.barriers)
        tags = None
        if changes.tags is not KEEP or "body" in values:
            # Explicit tags replace the old ones; a new body's #words are always picked up.
            if changes.tags is KEEP:
                from_old_body = set(extract_hashtags(current.body))
                explicit = [t for t in current.tags if t not in from_old_body]
            else:
                explicit = changes.tags
            tags = merge_tags(explicit, values.get("body", current.body))
        updated = self.entries.update(
            entry_id, values, barriers, tags, self.clock(), expected_version
        )
        if updated is None:  # purged by another window in between
            raise NotFoundError(f"no entry with id {entry_id}; it was removed meanwhile")
        return updated

    def edit_or_keep_both(
        self, entry: Entry, changes: EntryChanges, as_new: NewEntry
    ) -> tuple[Entry, EditConflict | NotFoundError | None]:
        """Save `changes` to `entry` unless another window saved it (or removed it) since
        `entry` was read; then these words are kept as a new entry beside it (`as_new`) and
        the other window's words stay as they are. Returns the saved entry and, when both
        were kept, why (EditConflict, EntryInTrash, or NotFoundError for one removed)."""
        try:
            return self.edit(entry.id, changes, expected_version=entry.version), None
        except (EditConflict, NotFoundError) as why:
            return self.add(as_new), why

    def delete(self, entry_id: int) -> Entry:
        """Move an entry to the trash."""
        self.get(entry_id)
        deleted = self.entries.set_deleted(entry_id, self.clock())
        assert deleted is not None
        return deleted

    def trashed(self, entry_id: int, *, purging: bool = False) -> Entry:
        """The entry with this id in the trash, or NotFoundError / NotInTrash saying why not."""
        entry = self.get(entry_id, include_deleted=True)
        if entry.deleted_at is None:
            raise NotInTrash(
                f"entry {entry_id} is not in the trash; delete it first, then purge it"
                if purging
                else f"entry {entry_id} is not in the trash; nothing to bring back"
            )
        return entry

    def undelete(self, entry_id: int) -> Entry:
        self.trashed(entry_id)
        restored = self.entries.set_deleted(entry_id, None)
        assert restored is not None
        return restored

    def purge(self, entry_id: int) -> None:
        """Remove an entry from the trash for good."""
        self.trashed(entry_id, purging=True)
        self.entries.purge(entry_id)

    # -- importing ---------------------------------------------------------------

    def check_imported(self, item: ImportedEntry) -> ImportedEntry:
        """The entry with the same rules as one written here, or InputError saying why not."""
        body = validate_body(item.body)
        if item.created_at.tzinfo is None:
            raise InputError("its time has no time zone")
        barriers = validate_barrier_tags(item.barriers)
        tags = merge_tags(item.tags, body)
        # A '#shame' in an imported text has become the Shame barrier: it is not also a
        # free tag, unless the file lists it as one. Entries written here always list
        # their hashtags, so our own exports come back unchanged.
        named = {tag.barrier.value for tag in barriers} - set(item.tags)
        if named:
            tags = [tag for tag in tags if tag not in named]
        return ImportedEntry(
            body=body,
            # Written where the day had already begun: somewhere it is today now (the
            # latest zone is 14 hours ahead of UTC), so a journal carried west still imports.
            date=self._check_day(item.date, self._today_anywhere()),
            created_at=item.created_at,
            updated_at=item.updated_at or item.created_at,
            uuid=item.uuid or str(uuid.uuid4()),
            title=clean_title(item.title),
            barriers=barriers,
            tags=tags,
            emotional_closeness=validate_rating(item.emotional_closeness, "emotional closeness"),
            physical_intimacy=validate_rating(item.physical_intimacy, "physical intimacy"),
            starred=item.starred,
            share=item.share,
            prompt_id=item.prompt_id,
            in_trash=item.in_trash,
            openers=[check_imported_opener(opener) for opener in item.openers],
        )

    def _today_anywhere(self) -> dt.date:
        return (self.clock().astimezone(dt.UTC) + LATEST_UTC_OFFSET).date()

    def import_keys(self) -> ImportKeys:
        """Uuids, and (day, creation second, text) stamps, of every entry already here."""
        return self.entries.import_keys()

    def add_imported(self, items: Sequence[ImportedEntry]) -> int:
        """Add entries passed through `check_imported`, with their conversation openers,
        all in one transaction."""
        rows = []
        now = self.clock()
        for item in items:
            assert item.uuid is not None and item.updated_at is not None
            values = {
                "uuid": item.uuid,
                "date": item.date,
                "created_at": item.created_at.astimezone(dt.UTC),
                "updated_at": item.updated_at.astimezone(dt.UTC),
                "title": item.title,
                "body": item.body,
                "emotional_closeness": item.emotional_closeness,
                "physical_intimacy": item.physical_intimacy,
                "starred": item.starred,
                "share": item.share,
                "prompt_id": item.prompt_id,
                "version": 1,
                "deleted_at": now.astimezone(dt.UTC) if item.in_trash else None,
            }
            openers = [
                {
                    "feeling": opener.feeling,
                    "about": opener.about,
                    "need": opener.need,
                    "text": opener.text,
                    "created_at": opener.created_at.astimezone(dt.UTC),
                    "updated_at": (opener.updated_at or opener.created_at).astimezone(dt.UTC),
                }
                for opener in item.openers
            ]
            rows.append((values, list(item.barriers), list(item.tags), openers))
        return self.entries.insert_many(rows)

    def trash(self, limit: int | None = None) -> builtins.list[Entry]:
        return self.entries.list(EntryQuery(deleted=True, limit=limit))

    # -- drafts ------------------------------------------------------------------

    def save_draft(self, draft: Draft) -> None:
        """Keep unsaved editor text; a blank draft removes the stored one."""
        if draft.is_blank():
            self.drafts.discard(draft.key)
        else:
            self.drafts.save(draft, self.clock())

    def pending_drafts(self) -> builtins.list[Draft]:
        """Drafts left behind (newest first), e.g. after the app was closed or killed."""
        return self.drafts.all()

    def discard_draft(self, key: str) -> None:
        self.drafts.discard(key)

    def take_draft(self, key: str, new_key: str) -> bool:
        """Move a draft to `new_key` so that only its new writer writes it; False when it
        was no longer there (taken by another window first)."""
        return self.drafts.rename(key, new_key)

    # -- prompts -----------------------------------------------------------------

    def recent_barrier_counts(
        self, days: int = RECENT_TAG_DAYS, *, include_today: bool = True
    ) -> dict[Barrier, int]:
        """Entries per barrier over the last `days` days (ending today, or yesterday when
        `include_today` is False); every barrier is present, most with 0."""
        if days < 1:
            raise InputError(f"{days} days is too few; give 1 or more")
        last = self.today() - dt.timedelta(days=0 if include_today else 1)
        first = last - dt.timedelta(days=days - 1)
        counts = PromptRepository(self.store).barrier_counts(first, last)
        return {b: counts.get(b.value, 0) for b in Barrier}

    def todays_prompt(
        self,
        skip: int = 0,
        barrier: Barrier | None = None,
        *,
        library: Sequence[Prompt] | None = None,
    ) -> Prompt:
        """Today's prompt (the same all day), or with `skip=n` the n-th other one; with a
        barrier, one about that barrier. The prompt is noted as shown today.

        The choice depends only on the days before today (barriers tagged in the last
        14 days, prompts shown in the last 30), so asking again gives the same answer.
        """
        if skip < 0:
            raise InputError(f"--skip {skip} is below 0; give 0 for today's prompt, 1 or more")
        library = load_library()[0] if library is None else library
        day = self.today()
        repo = PromptRepository(self.store)
        shown = repo.last_shown(day - dt.timedelta(days=NO_REPEAT_DAYS), day - dt.timedelta(days=1))
        if barrier is None:
            counts = self.recent_barrier_counts(RECENT_TAG_DAYS, include_today=False)
            beginning = self.entries.neighbour_day(day, later=False) is None
            prompt = daily_prompt(day, counts, shown, library, skip=skip, beginning=beginning)
        else:
            prompt = prompt_for_barrier(barrier, day, shown, library, skip=skip)
        repo.record_shown(prompt.id, day, self.clock())
        return prompt

    def reframe_alternative(self) -> Prompt | None:
        """The connection prompt the "spice it up" note offers today."""
        return connection_prompt(self.today())

    # -- conversation openers ----------------------------------------------------

    def add_opener(
        self, entry_id: int, parts: OpenerParts, text: str | None = None
    ) -> ConversationOpener:
        """Keep an opener beside its entry; `text` is the wording the person settled on
        (the template's own wording when not given)."""
        self.get(entry_id)
        wording = (text or "").strip() or compose_opener(parts)
        values = {
            "entry_id": entry_id,
            "feeling": parts.feeling,
            "about": parts.about,
            "need": parts.need,
            "text": wording,
        }
        return self.openers.insert(values, self.clock())

    def openers_for(self, entry_id: int) -> builtins.list[ConversationOpener]:
        return self.openers.for_entry(entry_id)

    def delete_opener(self, opener_id: int) -> None:
        if not self.openers.delete(opener_id):
            raise NotFoundError(f"no conversation opener with id {opener_id}")
