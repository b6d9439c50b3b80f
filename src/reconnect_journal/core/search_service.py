"""The one way the CLI and the journal window search: words and filters in, entries out.

Parsing lives in core.search, SQL in store.queries.SearchRepository.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from reconnect_journal.core.dates import local_today, utc_now
from reconnect_journal.core.errors import InputError, NotFoundError
from reconnect_journal.core.search import (
    NAME_CHARS,
    FoundEntry,
    ParsedSearch,
    SavedSearch,
    Search,
    SearchFilters,
    check_words,
    parse_search,
)
from reconnect_journal.store.engine import Store
from reconnect_journal.store.queries import SavedSearchRepository, SearchRepository


class SearchService:
    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        today: Callable[[], dt.date] = local_today,
    ) -> None:
        self.store = store
        self.repo = SearchRepository(store)
        self.saved_repo = SavedSearchRepository(store)
        self.clock = clock
        self.today = today

    def parse(self, search: Search, *, as_you_type: bool = False) -> ParsedSearch:
        """InputError when the words or filters cannot be understood, or when the words
        only say what to leave out."""
        parsed = parse_search(
            search.text, filters=search.filters, today=self.today(), as_you_type=as_you_type
        )
        return check_words(parsed, search.text)

    def find(
        self,
        search: Search,
        limit: int | None = 20,
        offset: int = 0,
        *,
        as_you_type: bool = False,
    ) -> list[FoundEntry]:
        """Live entries matching `search`: best matches first, or newest first when there
        are only filters."""
        if limit is not None and limit < 1:
            raise InputError(f"--limit {limit} is too small; give a whole number of 1 or more")
        parsed = self.parse(search, as_you_type=as_you_type)
        return self.repo.find(parsed.match(), parsed.filters, limit, max(offset, 0))

    def count(self, search: Search, *, as_you_type: bool = False) -> int:
        parsed = self.parse(search, as_you_type=as_you_type)
        return self.repo.count(parsed.match(), parsed.filters)

    # -- saved searches ------------------------------------------------------------------

    def save(self, name: str, search: Search) -> SavedSearch:
        """Keep `search` under `name` (a search of that name is replaced)."""
        name = " ".join(name.split())
        if not name:
            raise InputError("a saved search needs a name; give a few words")
        if len(name) > NAME_CHARS:
            raise InputError(f"that name is long; keep it to {NAME_CHARS} characters")
        if search.is_empty():
            raise InputError("there is nothing to save yet; type some words or add a filter")
        self.parse(search)  # only what can be run again is kept
        self.saved_repo.save(name, search.text.strip(), search.filters_json(), self.clock())
        return SavedSearch(name, search)

    def saved(self) -> list[SavedSearch]:
        return [
            SavedSearch(name, Search(query, SearchFilters.from_json(json.loads(filters))))
            for name, query, filters in self.saved_repo.all()
        ]

    def get_saved(self, name: str) -> SavedSearch:
        for saved in self.saved():
            if saved.name == name:
                return saved
        raise NotFoundError(f"no saved search named '{name}'")

    def delete_saved(self, name: str) -> None:
        if not self.saved_repo.delete(name):
            raise NotFoundError(f"no saved search named '{name}'")
