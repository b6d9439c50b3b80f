"""The export dialog in the journal window: reached from the command palette, writes the
file in a worker, says where it went, and shows a problem without closing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select

from reconnect_journal.core.model import NewEntry
from reconnect_journal.tui.app import JournalApp
from reconnect_journal.tui.screens.export_dialog import ExportDialog
from tests.tui_support import FIXED_TODAY, journal_at, make_app, notifications, run_app, settle

pytestmark = pytest.mark.usefixtures("utc_clock")


@pytest.fixture
def filled(journal_path: Path) -> Path:
    with journal_at(journal_path) as journal:
        journal.add(NewEntry(body="We laughed at dinner.", title="Dinner", date=FIXED_TODAY))
        journal.add(NewEntry(body="# A heading\n\nQuiet day.", date=FIXED_TODAY))
    return journal_path


async def open_from_palette(pilot: Pilot[None], words: str) -> ExportDialog:
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*words)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    return dialog


def test_export_from_the_palette_writes_the_file(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.md"

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        dialog = await open_from_palette(pilot, "export")
        assert dialog.query_one("#export-path", Input).value.endswith(".md")
        dialog.query_one("#export-path", Input).value = str(out)
        await pilot.click("#export-go")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        # The full path, on a line of its own in the toast.
        assert notifications(app) == [f"Exported 2 entries to\n{out}"]

    run_app(make_app(filled), scenario)
    text = out.read_text()
    assert text.count("\n## 2026-11-24") == 2 and "\n### A heading\n" in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_an_existing_file_is_kept_until_replace_is_ticked(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("keep")

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        dialog = await open_from_palette(pilot, "export")
        dialog.query_one("#export-what", Select).value = "json"
        await pilot.pause()
        dialog.query_one("#export-path", Input).value = str(out)
        await pilot.click("#export-go")
        await settle(pilot)
        assert app.screen is dialog  # still open, with the reason
        hint = str(dialog.query_one("#export-hint").render())
        assert "is already there; tick “Replace what is already there”" in hint
        assert "--force" not in hint  # the window's own words, not the command line's
        assert out.read_text() == "keep"
        dialog.query_one("#export-force", Checkbox).value = True
        # Let the first press's effect and the tick settle, or the second click can be lost.
        await pilot.pause(0.3)
        await pilot.click("#export-go")
        await settle(pilot)
        assert app.screen is not dialog

    run_app(make_app(filled), scenario)
    assert '"version": 1' in out.read_text()


def test_summary_from_the_palette(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.md"

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        dialog = await open_from_palette(pilot, "summary to share")
        assert dialog.query_one("#export-what", Select).value == "summary"
        dialog.query_one("#export-path", Input).value = str(out)
        await pilot.press("escape")
        await settle(pilot)
        assert not out.exists()
        dialog = await open_from_palette(pilot, "summary to share")
        dialog.query_one("#export-path", Input).value = str(out)
        await pilot.click("#export-go")
        await settle(pilot)
        assert notifications(app) == [
            f"Wrote a summary of 2 entries (2026-10-28 to 2026-11-24) to\n{out}"
        ]

    run_app(make_app(filled), scenario)
    text = out.read_text()
    assert text.startswith("# Reflection summary: 28 October 2026 to 24 November 2026")
    # Weeks from Monday, as in Trends: 28 October 2026 is a Wednesday.
    assert "| 2026-10-28 to 2026-11-01 (part of the week) | 0 |" in text
    assert "| 2026-11-23 to 2026-11-24 (part of the week) | 2 |" in text


def test_a_relative_path_is_said_in_full(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    async def scenario(app: JournalApp, pilot: Pilot[None]) -> None:
        dialog = await open_from_palette(pilot, "summary to share")
        dialog.query_one("#export-path", Input).value = "sum.md"
        await pilot.click("#export-go")
        await settle(pilot)
        assert notifications(app)[-1].endswith(f" to\n{tmp_path / 'sum.md'}")

    run_app(make_app(filled), scenario)
    assert (tmp_path / "sum.md").exists()
