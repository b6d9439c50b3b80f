"""What the journal-window tests share: a fixed clock, the app on a temporary journal,
and waiting for its background work to finish."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from textual.pilot import Pilot

from reconnect_journal.core.entries import JournalService
from reconnect_journal.tui.app import JournalApp

FIXED_NOW = dt.datetime(2026, 11, 24, 19, 30, tzinfo=dt.UTC)
FIXED_TODAY = dt.date(2026, 11, 24)

Scenario = Callable[[JournalApp, Pilot[None]], Awaitable[None]]


def open_fixed(path: Path, now: dt.datetime = FIXED_NOW) -> JournalService:
    return JournalService.open(path, clock=lambda: now, today=lambda: FIXED_TODAY)


@contextmanager
def journal_at(path: Path, now: dt.datetime = FIXED_NOW) -> Iterator[JournalService]:
    journal = open_fixed(path, now)
    try:
        yield journal
    finally:
        journal.close()


def make_app(path: Path, opener: Callable[[], JournalService] | None = None) -> JournalApp:
    return JournalApp(
        db_path=path, open_journal=opener or (lambda: open_fixed(path)), cursor_blink=False
    )


def run_app(app: JournalApp, scenario: Scenario, size: tuple[int, int] = (100, 30)) -> None:
    """Run `scenario` against the app (no pytest-asyncio here: each test runs its own loop)."""

    async def main() -> None:
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())


async def settle(pilot: Pilot[None]) -> None:
    """Wait until workers, and the workers their messages started, are done."""
    for _ in range(20):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if all(worker.is_finished for worker in pilot.app.workers):
            return
    raise AssertionError("workers kept running")


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


def notifications(app: JournalApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def footer_keys_in_view(app: JournalApp) -> list[str]:
    """The keys the footer shows whole: drawn, inside the window, and not under the
    command palette's hint docked at its right (grouped keys such as `12345` count once)."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    footer = app.screen.query_one(Footer)
    palette = [key for key in footer.query(FooterKey) if key.has_class("-command-palette")]
    right = footer.region.right
    if palette and palette[0].display:
        right = palette[0].region.x
    shown: list[str] = []
    for key in footer.query(FooterKey):
        if key.has_class("-command-palette") or not key.display:
            continue
        region = key.region
        if region.width and region.x >= footer.region.x and region.right <= right:
            shown.append(key.key_display)
    return shown
