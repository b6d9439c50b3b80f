"""The command palette (ctrl+p): every journal action, found by typing part of its name.

Besides moving between screens, it offers whatever the current screen can do right now,
taken from that screen's own key bindings, so a new key is in the palette without a
second list to keep in step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

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


class JournalCommands(Provider):
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
