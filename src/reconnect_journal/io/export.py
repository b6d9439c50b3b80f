"""Exports: one Markdown file, a folder of Markdown files with YAML front matter (an
Obsidian vault), or JSON. Entries are read a page at a time and written as they come, so
memory does not grow with the journal."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from reconnect_journal.core.dates import format_timestamp, to_local
from reconnect_journal.core.errors import InputError
from reconnect_journal.core.model import Entry, EntryQuery, entry_to_json
from reconnect_journal.io.files import (
    atomic_text_file,
    check_target,
    private_folder,
    private_subfolder,
)
from reconnect_journal.io.markdown_body import encode_body

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService

Format = Literal["md", "json"]
Layout = Literal["single", "folder"]

FORMAT_VERSION = 1
DOCUMENT_TITLE = "# Reconnect Journal"
EXPORT_MARKER = "<!-- reconnect-journal:export "
ENTRY_MARKER = "<!-- reconnect-journal:entry "
MARKER_END = " -->"
FRONT_MATTER = "---"
# Fields of entry_to_json that the Markdown marker does not repeat (the body is below it;
# the id is this journal's own number; exports hold no trash).
_NOT_IN_MARKER = ("id", "body", "deleted")


@dataclass(frozen=True)
class ExportResult:
    count: int
    path: Path | None  # None: written to stdout


def marker_json(data: dict[str, Any]) -> str:
    """JSON that can sit inside an HTML comment: no '>' (so never '-->'), one line."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def _prompt_texts() -> Callable[[str], str | None]:
    from reconnect_journal.core.prompts import find_prompt, load_library

    library: list[Any] = []

    def text_of(prompt_id: str) -> str | None:
        if not library:
            library.append(load_library()[0])
        prompt = find_prompt(prompt_id, library[0])
        return prompt.text if prompt else None

    return text_of


def _ratings(entry: Entry) -> list[str]:
    parts = []
    if entry.emotional_closeness is not None:
        parts.append(f"**Emotional closeness:** {entry.emotional_closeness}/5")
    if entry.physical_intimacy is not None:
        parts.append(f"**Physical intimacy:** {entry.physical_intimacy}/5")
    return parts


def meta_line(entry: Entry, prompt_text: Callable[[str], str | None]) -> str | None:
    """The entry's metadata in one readable line, or None when it has none."""
    parts = []
    if entry.barriers:
        parts.append(
            "**Barriers:** "
            + ", ".join(f"{t.barrier.display_name} {t.intensity}/3" for t in entry.barriers)
        )
    if entry.tags:
        parts.append("**Tags:** " + " ".join(f"#{tag}" for tag in entry.tags))
    parts.extend(_ratings(entry))
    if entry.starred:
        parts.append("**Starred**")
    if entry.share:
        parts.append("**To share**")
    if entry.prompt_id:
        text = prompt_text(entry.prompt_id) or entry.prompt_id
        parts.append(f"**Prompt:** {' '.join(text.split())}")
    return " · ".join(parts) if parts else None


def entry_heading(entry: Entry) -> str:
    title = f" · {entry.title}" if entry.title else ""
    return f"## {entry.date.isoformat()}{title}"


def _describe(query: EntryQuery) -> str:
    parts = []
    if query.date_from:
        parts.append(f"from {query.date_from.isoformat()}")
    if query.date_to:
        parts.append(f"to {query.date_to.isoformat()}")
    if query.barriers:
        parts.append("with " + " or ".join(b.display_name.lower() for b in query.barriers))
    if query.tags:
        parts.append("tagged " + " or ".join(f"#{t}" for t in query.tags))
    return " ".join(parts)


def write_markdown_single(
    entries: Iterable[Entry],
    out: TextIO,
    *,
    count: int,
    now: dt.datetime,
    query: EntryQuery | None = None,
) -> int:
    """One CommonMark document: a title, then each entry under a level-2 heading with a
    marker line (how to read it back exactly), a line of metadata and its body."""
    header = {"version": FORMAT_VERSION, "exported_at": format_timestamp(now), "entries": count}
    which = _describe(query) if query else ""
    noun = "entry" if count == 1 else "entries"
    out.write(
        f"{DOCUMENT_TITLE}\n{EXPORT_MARKER}{marker_json(header)}{MARKER_END}\n\n"
        f"Exported {to_local(now):%-d %B %Y}: {count} {noun}{' ' + which if which else ''}.\n"
    )
    prompt_text = _prompt_texts()
    written = 0
    for entry in entries:
        lines, body_info = encode_body(entry.body)
        meta = meta_line(entry, prompt_text)
        record = {k: v for k, v in entry_to_json(entry).items() if k not in _NOT_IN_MARKER}
        record["lines"] = len(lines)
        if meta is not None:
            record["meta"] = True
        record.update(body_info)
        block = [entry_heading(entry), ENTRY_MARKER + marker_json(record) + MARKER_END, ""]
        if meta is not None:
            block += [meta, ""]
        out.write("\n" + "\n".join(block) + "\n" + "\n".join(lines) + "\n")
        written += 1
    return written


def slug(text: str, limit: int = 60) -> str:
    words = re.sub(r"[^\w]+", "-", text.lower()).strip("-_")
    return words[:limit].rstrip("-_") or "entry"


def front_matter(entry: Entry, prompt_text: Callable[[str], str | None]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": entry.uuid,
        "date": entry.date,
        "created": format_timestamp(entry.created_at),
        "updated": format_timestamp(entry.updated_at),
        "title": entry.title,
        "barriers": entry.barrier_map,
        "tags": list(entry.tags),
        "emotional_closeness": entry.emotional_closeness,
        "physical_intimacy": entry.physical_intimacy,
        "starred": entry.starred,
        "share": entry.share,
    }
    if any(tag.source != "user" for tag in entry.barriers):
        data["barrier_sources"] = {tag.barrier.value: tag.source for tag in entry.barriers}
    if entry.prompt_id:
        data["prompt"] = prompt_text(entry.prompt_id) or entry.prompt_id
        data["prompt_id"] = entry.prompt_id
    return data


def _yaml_dump(data: dict[str, Any]) -> str:
    import yaml

    # The pure-Python dumper: libyaml's escapes emoji ("\U0001F49B") even with allow_unicode.
    text: str = yaml.dump(
        data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, default_flow_style=False
    )
    return text


def folder_file_text(entry: Entry, prompt_text: Callable[[str], str | None]) -> str:
    """YAML front matter, then the body exactly as written."""
    return f"{FRONT_MATTER}\n{_yaml_dump(front_matter(entry, prompt_text))}{FRONT_MATTER}\n" + (
        entry.body
    )


def write_markdown_folder(entries: Iterable[Entry], folder: Path) -> int:
    """One file per entry, `YYYY/MM/YYYY-MM-DD-slug.md`, each written atomically (0600)."""
    prompt_text = _prompt_texts()
    used: set[str] = set()
    current_day: dt.date | None = None
    written = 0
    for entry in entries:
        if entry.date != current_day:
            current_day, used = entry.date, set()
        year_dir = private_subfolder(folder / f"{entry.date:%Y}")
        month_dir = private_subfolder(year_dir / f"{entry.date:%m}")
        base = f"{entry.date.isoformat()}-{slug(entry.headline)}"
        name, counter = base, 1
        while name in used:
            counter += 1
            name = f"{base}-{counter}"
        used.add(name)
        with atomic_text_file(month_dir / f"{name}.md") as handle:
            handle.write(folder_file_text(entry, prompt_text))
        written += 1
    return written


def write_json(entries: Iterable[Entry], out: TextIO, *, now: dt.datetime) -> int:
    """`{"version", "exported_at", "entries": [...]}`, each entry as in `list --json`."""
    out.write(
        f'{{\n  "version": {FORMAT_VERSION},\n'
        f'  "exported_at": {json.dumps(format_timestamp(now))},\n  "entries": ['
    )
    written = 0
    for entry in entries:
        text = json.dumps(entry_to_json(entry), ensure_ascii=False, indent=2)
        out.write(("," if written else "") + "\n    " + text.replace("\n", "\n    "))
        written += 1
    out.write("\n  ]\n}\n" if written else "]\n}\n")
    return written


def run_export(
    service: JournalService,
    query: EntryQuery,
    *,
    fmt: Format,
    layout: Layout,
    out: Path | None,
    force: bool,
    stdout: TextIO,
) -> ExportResult:
    """Export the entries matching `query`, oldest first."""
    if fmt == "json" and layout == "folder":
        raise InputError("--layout folder is for Markdown; use --format md, or leave --layout out")
    if layout == "folder" and out is None:
        raise InputError("--layout folder needs --out FOLDER (where to put the files)")
    if out is not None:
        out = out.expanduser().absolute()
        check_target(out, force=force, folder=layout == "folder")
    now = service.clock()
    entries = service.iter_entries(query)
    if layout == "folder":
        assert out is not None
        with private_folder(out) as folder:
            count = write_markdown_folder(entries, folder)
        return ExportResult(count, out)

    def write(handle: TextIO) -> int:
        if fmt == "json":
            return write_json(entries, handle, now=now)
        total = service.count(_unlimited(query))
        return write_markdown_single(entries, handle, count=total, now=now, query=query)

    if out is None:
        return ExportResult(write(stdout), None)
    with atomic_text_file(out) as handle:
        count = write(handle)
    return ExportResult(count, out)


def _unlimited(query: EntryQuery) -> EntryQuery:
    from dataclasses import replace

    return replace(query, limit=None, offset=0)
