"""The command palette (ctrl+p): every journal action, found by typing part of its name.

Besides moving between screens, it offers whatever the current screen can do right now,
taken from that screen's own key bindings, so a new key is in the palette without a
second list to keep in step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

if TYPE_CHECKING:
    from reconnect_journal.core.search import SavedSearch

# Actions the palette should not offer as screen commands (movement, the palette itself).
_SKIP_ACTIONS = {"quit", "command_palette", "help", "show"}


@dataclass(frozen=True)
class JournalCommand:
    title: str
    help: str
    run: Callable[[], object]


def _screen_commands(app: App[object], screen: Screen[object]) -> Iterator[JournalCommand]:
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        name = binding.action.split("(", 1)[0].removeprefix("app.").removeprefix("screen.")
        if not active.enabled or not binding.description or name in _SKIP_ACTIONS:
            continue
        if binding.action in seen:
            continue
        seen.add(binding.action)
        key = binding.key_display or binding.key.split(",")[0]
        yield JournalCommand(
            binding.description,
            f"Key: {key}" + (f" — {binding.tooltip}" if binding.tooltip else ""),
            partial(app.run_action, binding.action, active.node),
        )


def open_export(app: App[object], what: str) -> None:
    """The export dialog, once the journal is open (its work runs in a worker thread)."""
    journal = getattr(app, "journal", None)
    if journal is None:
        app.notify("The journal is still opening; try again in a moment.")
        return
    from reconnect_journal.tui.screens.export_dialog import ExportDialog

    def done(message: str | None) -> None:
        if message:
            app.notify(message, markup=False)

    app.push_screen(ExportDialog(journal, what), done)


async def open_saved_search(app: App[object], saved: SavedSearch) -> None:
    """Show a saved search on the Journal screen (its words and its filters as chips)."""
    from reconnect_journal.tui.screens.journal import JournalScreen

    if getattr(app, "current_mode", None) != "journal":
        await app.run_action("show('journal')")

    def apply() -> None:
        screen = app.screen
        if isinstance(screen, JournalScreen):
            screen.apply_search(saved.search)

    app.call_after_refresh(apply)


def delete_saved_search(app: App[object], name: str) -> None:
    journal = getattr(app, "journal", None)
    if journal is None:
        return
    from reconnect_journal.core.search_service import SearchService

    def delete() -> None:
        SearchService(journal.store).delete_saved(name)
        app.call_from_thread(app.notify, f"Deleted the saved search “{name}”.", markup=False)

    app.run_worker(delete, thread=True, group="saved-searches", name="delete saved search")


class JournalCommands(Provider):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saved_searches: list[SavedSearch] = []

    async def startup(self) -> None:
        """Read the saved searches once, off the UI thread, when the palette opens."""
        journal = getattr(self.app, "journal", None)
        self.saved_searches = []
        if journal is None:
            return
        import asyncio

        from reconnect_journal.core.errors import JournalError
        from reconnect_journal.core.search_service import SearchService

        try:
            self.saved_searches = await asyncio.to_thread(SearchService(journal.store).saved)
        except JournalError:
            self.saved_searches = []

    def _saved_search_commands(self) -> list[JournalCommand]:
        commands = []
        for saved in self.saved_searches:
            from reconnect_journal.tui.screens.journal import describe_search

            described = describe_search(saved.search)
            commands.append(
                JournalCommand(
                    f"Search: {saved.name}",
                    f"Saved search — {described}",
                    partial(open_saved_search, self.app, saved),
                )
            )
            commands.append(
                JournalCommand(
                    f"Delete saved search: {saved.name}",
                    described,
                    partial(delete_saved_search, self.app, saved.name),
                )
            )
        return commands

    def _commands(self) -> list[JournalCommand]:
        app = self.app
        commands = [
            JournalCommand(
                "Today",
                "Key: 1 — today's entries and a place to start",
                partial(app.run_action, "show('today')"),
            ),
            JournalCommand(
                "Journal",
                "Key: 2 — every entry, day by day",
                partial(app.run_action, "show('journal')"),
            ),
            JournalCommand(
                "Trends",
                "Key: 3 — barriers, closeness and the year, over time",
                partial(app.run_action, "show('trends')"),
            ),
            JournalCommand(
                "Trash",
                "Key: 4 — deleted entries, to restore or remove",
                partial(app.run_action, "show('trash')"),
            ),
            JournalCommand(
                "Settings",
                "Key: 5 — theme, lock, notes, backups",
                partial(app.run_action, "show('settings')"),
            ),
            JournalCommand("New entry", "Start writing", partial(app.run_action, "new_entry")),
            JournalCommand(
                "Export…",
                "Markdown (one file or an Obsidian folder) or JSON",
                partial(open_export, app, "md-single"),
            ),
            JournalCommand(
                "Summary to share…",
                "One Markdown page for the last 4 weeks: counts, closeness, shared entries",
                partial(open_export, app, "summary"),
            ),
            JournalCommand(
                "Help: keys", "Key: ? — every key in one place", partial(app.run_action, "help")
            ),
        ]
        commands.extend(self._saved_search_commands())
        titles = {c.title for c in commands}
        commands.extend(c for c in _screen_commands(self.app, self.screen) if c.title not in titles)
        return commands

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
