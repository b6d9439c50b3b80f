"""Exports: one Markdown file, a folder of Markdown files with YAML front matter (an
Obsidian vault), or JSON. Entries are read a page at a time and written as they come, so
memory does not grow with the journal."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from reconnect_journal.core.dates import format_timestamp, to_local
from reconnect_journal.core.errors import InputError, JournalError
from reconnect_journal.core.model import Entry, EntryQuery, entry_to_json
from reconnect_journal.core.openers import opener_to_json
from reconnect_journal.io.files import (
    atomic_text_file,
    check_target,
    file_batch,
    private_folder,
    private_subfolder,
)
from reconnect_journal.io.markdown_body import encode_body

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.store.queries import Salvage

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
# After the body of an entry with conversation openers, one paragraph each, for people to
# read (the marker holds them exactly, and counts these lines as "after").
OPENER_LINE = "**Conversation opener:** "


@dataclass(frozen=True)
class ExportResult:
    count: int
    path: Path | None  # None: written to stdout
    # Folder layout with --force: files of an earlier export that this one did not
    # write (renamed or removed entries, or left out by a filter). Left as they were.
    earlier: int = 0
    # A damaged journal: what could be read of it, and what could not; and where the
    # rest may be (the restore hint naming its newest good backup).
    salvage: Salvage | None = None
    backup_hint: str = ""

    @property
    def complete(self) -> bool:
        """Whether every entry asked for is in the export, whole."""
        return self.salvage is None or (
            self.salvage.missing == 0 and not self.salvage.without_related
        )

    def damage_note(self) -> str | None:
        """What a damaged journal kept out of the export, in a sentence or two."""
        if self.salvage is None:
            return None
        missing, bare = self.salvage.missing, self.salvage.without_related
        if missing is None:
            text = (
                "The journal is damaged: parts of it could not be read, and any entries "
                "there are not in this export."
            )
        elif missing:
            noun, verb = ("entry", "is") if missing == 1 else ("entries", "are")
            text = (
                f"The journal is damaged: {missing} {noun} could not be read and {verb} "
                "not in this export."
            )
        else:
            text = "The journal is damaged, but every entry could be read."
        if bare:
            noun, their = ("entry", "its") if bare == 1 else ("entries", "their")
            text += f" {bare} {noun} came without {their} barriers, tags and conversation openers."
        if not self.complete and self.backup_hint:
            text += f" {self.backup_hint}."
        elif self.path is not None:
            text += " Importing this export into a new journal gives you a sound one."
        return text

    def summary(self, *, path_on_own_line: bool = False) -> str:
        """What was written and where, for the command line and the window alike (which
        puts the path on a line of its own, so that wrapping does not split it)."""
        noun = "entry" if self.count == 1 else "entries"
        text = (
            f"Exported {self.count} {noun} to\n{self.path}"
            if path_on_own_line
            else f"Exported {self.count} {noun} to {self.path}."
        )
        if self.earlier:
            files = "file" if self.earlier == 1 else "files"
            stayed = "stayed as it was" if self.earlier == 1 else "stayed as they were"
            text += ("\n" if path_on_own_line else " ") + (
                f"{self.earlier} {files} from an earlier export {stayed} "
                "(entries since renamed, removed or left out); for a folder with only this "
                "export, choose a new folder."
            )
        note = self.damage_note()
        if note:
            text += ("\n" if path_on_own_line else " ") + note
        return text


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_JSON_TEXT = json.encoder.encode_basestring  # a JSON string, as json.dumps writes it here


def marker_json(data: dict[str, Any]) -> str:
    """JSON that can sit inside an HTML comment: no '>' (so never '-->'), one line."""
    text = _COMPACT(data)
    if "<" in text or ">" in text:
        text = text.replace("<", "\\u003c").replace(">", "\\u003e")
    return text


def indented_json(value: Any, pad: str = "") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)` with every line after the first
    indented by `pad`, for the plain shapes of entry_to_json. json.dumps writes indented
    JSON in pure Python, which is what makes a big JSON export slow; anything unusual
    here is still handed to it."""
    if isinstance(value, str):
        return _JSON_TEXT(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    inner = pad + "  "
    if type(value) is dict and all(type(key) is str for key in value):
        if not value:
            return "{}"
        items = [f"{inner}{_JSON_TEXT(k)}: {indented_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if type(value) is list:
        if not value:
            return "[]"
        items = [inner + indented_json(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


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


def opener_lines(entry: Entry) -> list[str]:
    """What follows an entry's body in a single-file export: a blank line, then a line
    with each of its conversation openers (its words on one line)."""
    lines = []
    for opener in entry.openers:
        lines += ["", OPENER_LINE + " ".join(opener.text.split())]
    return lines


def entry_heading(entry: Entry) -> str:
    title = f" · {entry.title}" if entry.title else ""
    if title.endswith("#"):
        # Markdown reads a heading's trailing '#'s as a closing mark and drops them
        # ("Week #" would show as "Week"): the last one is escaped.
        title = title[:-1] + "\\#"
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
        after = opener_lines(entry) if entry.openers else []
        if after:
            record["after"] = len(after)  # lines after the body: not part of it
        block = [entry_heading(entry), ENTRY_MARKER + marker_json(record) + MARKER_END, ""]
        if meta is not None:
            block += [meta, ""]
        out.write("\n" + "\n".join(block) + "\n" + "\n".join(lines + after) + "\n")
        written += 1
    return written


def slug(text: str, limit: int = 60) -> str:
    words = re.sub(r"[^\w]+", "-", text.lower()).strip("-_")
    return words[:limit].rstrip("-_") or "entry"


def file_label(entry: Entry) -> str:
    """What follows the day in a folder export's file name: the title, or for an untitled
    entry the time it was written (HHMM, local). Never the words themselves: file names
    show in far more places than the files (sync tools, sidebars, `ls`)."""
    if entry.title and slug(entry.title) != "entry":
        return slug(entry.title)
    return f"{to_local(entry.created_at):%H%M}"


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
    if entry.openers:
        data["openers"] = [opener_to_json(opener) for opener in entry.openers]
    return data


def _yaml_dump(data: dict[str, Any]) -> str:
    import yaml

    # The pure-Python dumper: libyaml's escapes emoji ("\U0001F49B") even with allow_unicode.
    text: str = yaml.dump(
        data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, default_flow_style=False
    )
    return text


# Front matter is written by PyYAML, whose pure-Python dumper costs more than everything
# else in a folder export together. Most values are simple (numbers, dates, short ASCII
# text); those are written here exactly as PyYAML writes them, and anything else is
# handed to PyYAML (tests/test_io_fast_paths.py compares the two).
_YAML_WIDTH = 80  # PyYAML's line width: a longer plain line is folded (_yaml_folded)
_YAML_PLAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 _.,'!?()/-]*[A-Za-z0-9_.,'!?()/-])?")
_YAML_QUOTED = re.compile(r"[A-Za-z0-9_.:+-]+")  # single-quoted as it is when not plain
_YAML_STR = "tag:yaml.org,2002:str"


@cache
def _yaml_resolve() -> Callable[[str], str]:
    """What a plain scalar would be read back as (str, int, bool, timestamp...)."""
    import yaml

    resolver: Any = yaml.resolver.Resolver()
    # PyYAML picks its implicit types by the first character; text starting otherwise is
    # text (unless some type applies to any first character).
    firsts = set(resolver.yaml_implicit_resolvers)

    @lru_cache(maxsize=4096)
    def resolve(text: str) -> str:
        if text and None not in firsts and text[0] not in firsts:
            return _YAML_STR
        return str(resolver.resolve(yaml.ScalarNode, text, (True, False)))

    return resolve


_SPACES = re.compile(r"( +)")


def _yaml_folded(text: str, column: int, indent: int) -> str:
    """A plain scalar as PyYAML writes it from `column`: once a line has gone past the
    width, its next single space becomes a line break and `indent` spaces."""
    parts = _SPACES.split(text)
    out = [parts[0]]
    column += len(parts[0])
    for index in range(1, len(parts), 2):
        space, word = parts[index], parts[index + 1]
        if len(space) == 1 and column > _YAML_WIDTH:
            out.append("\n" + " " * indent)
            column = indent
        else:
            out.append(space)
            column += len(space)
        out.append(word)
        column += len(word)
    return "".join(out)


def _yaml_scalar(value: Any, column: int, indent: int | None = None) -> str | None:
    """`value` as PyYAML writes it starting at `column`, or None when it takes PyYAML.
    `indent`: where the lines of a long text folded by PyYAML start; None for a key,
    which must fit on its line."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    if type(value) is dt.date:
        return value.isoformat()
    if value == "":
        return "''"
    if type(value) is str:
        fits = column + len(value) <= _YAML_WIDTH
        if not fits and indent is None:
            return None
        is_text = _yaml_resolve()(value) == _YAML_STR
        if is_text and _YAML_PLAIN.fullmatch(value):
            return value if fits or indent is None else _yaml_folded(value, column, indent)
        if fits and not is_text and _YAML_QUOTED.fullmatch(value):
            return f"'{value}'"
    return None


def _yaml_item(key: str, value: Any) -> str | None:
    """One `key: value` of a block mapping at the top level, as PyYAML writes it: a
    scalar, a mapping of scalars, or a list of scalars or of mappings of scalars."""
    if _yaml_scalar(key, 0) != key:
        return None
    if type(value) is dict:
        if not value:
            return f"{key}: {{}}\n"
        lines = [f"{key}:\n"]
        for inner, item in value.items():
            text = _yaml_scalar(item, len(inner) + 4, 4) if type(inner) is str else None
            if text is None or _yaml_scalar(inner, 2) != inner:
                return None
            lines.append(f"  {inner}: {text}\n")
        return "".join(lines)
    if type(value) is list:
        if not value:
            return f"{key}: []\n"
        lines = [f"{key}:\n"]
        for item in value:
            if type(item) is dict and item:  # a mapping in the list (an opener)
                lead = "- "
                for inner, part in item.items():
                    text = _yaml_scalar(part, len(inner) + 4, 4) if type(inner) is str else None
                    if text is None or _yaml_scalar(inner, 2) != inner:
                        return None
                    lines.append(f"{lead}{inner}: {text}\n")
                    lead = "  "
                continue
            text = _yaml_scalar(item, 2, 2)
            if text is None:
                return None
            lines.append(f"- {text}\n")
        return "".join(lines)
    text = _yaml_scalar(value, len(key) + 2, 2)
    return None if text is None else f"{key}: {text}\n"


def yaml_front_matter(data: dict[str, Any]) -> str:
    """`data` as the YAML PyYAML's safe dumper writes (block style, keys in order)."""
    if not data:
        return _yaml_dump(data)
    return "".join(_yaml_item(k, v) or _yaml_dump({k: v}) for k, v in data.items())


def folder_file_text(entry: Entry, prompt_text: Callable[[str], str | None]) -> str:
    """YAML front matter, then the body exactly as written."""
    return (
        f"{FRONT_MATTER}\n{yaml_front_matter(front_matter(entry, prompt_text))}{FRONT_MATTER}\n"
        + (entry.body)
    )


def exported_entry_id(path: Path) -> str | None:
    """The `id` in the front matter of a file one of our folder exports wrote; None for
    any other file, or none there."""
    try:
        with path.open(encoding="utf-8") as handle:
            head = [handle.readline() for _ in range(2)]
    except (OSError, UnicodeDecodeError):
        return None
    if head[0].rstrip("\r\n") == FRONT_MATTER and head[1].startswith("id: "):
        return head[1][4:].strip().strip("'\"")
    return None


def _taken_by_another(path: Path, uuid: str) -> bool:
    """A file already at `path` that is not this entry's own copy from an earlier export:
    another entry's (an export with a filter names files differently), or the person's."""
    return path.exists() and exported_entry_id(path) != uuid


def earlier_export_files(folder: Path, written: set[Path]) -> list[Path]:
    """Files of an export of ours in `folder` (by their place and front matter) other than
    `written`."""
    return [
        path
        for path in sorted(folder.glob("[0-9][0-9][0-9][0-9]/[01][0-9]/*.md"))
        if path not in written and exported_entry_id(path) is not None
    ]


def write_markdown_folder(
    entries: Iterable[Entry],
    folder: Path,
    *,
    replace: bool = False,
    written: set[Path] | None = None,
) -> int:
    """One file per entry, `YYYY/MM/YYYY-MM-DD-title.md` (`-HHMM` without a title; 0600,
    folders 0700). `replace`:
    the folder was there before, and files of the same name are replaced. The paths
    written are added to `written`, if given."""
    prompt_text = _prompt_texts()
    made: set[Path] = set()
    used: set[str] = set()
    current_day: dt.date | None = None
    count = 0
    with file_batch(replace=replace) as write:
        for entry in entries:
            if entry.date != current_day:
                current_day, used = entry.date, set()
            month_dir = folder / f"{entry.date:%Y}" / f"{entry.date:%m}"
            if month_dir not in made:
                private_subfolder(month_dir.parent)
                private_subfolder(month_dir)
                made.add(month_dir)
            base = f"{entry.date.isoformat()}-{file_label(entry)}"
            name, counter = base, 1
            # Into a folder that was there before, a file is only ever replaced by the
            # same entry's newer copy.
            while name in used or (
                replace and _taken_by_another(month_dir / f"{name}.md", entry.uuid)
            ):
                counter += 1
                name = f"{base}-{counter}"
            used.add(name)
            write(month_dir / f"{name}.md", folder_file_text(entry, prompt_text))
            if written is not None:
                written.add(month_dir / f"{name}.md")
            count += 1
    return count


def write_json(entries: Iterable[Entry], out: TextIO, *, now: dt.datetime) -> int:
    """`{"version", "exported_at", "entries": [...]}`, each entry as in `list --json`."""
    out.write(
        f'{{\n  "version": {FORMAT_VERSION},\n'
        f'  "exported_at": {json.dumps(format_timestamp(now))},\n  "entries": ['
    )
    written = 0
    for entry in entries:
        text = indented_json(entry_to_json(entry), "    ")
        out.write(("," if written else "") + "\n    " + text)
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
        if layout != "folder":
            refuse_journal_files(out, service.store.path)
        check_target(out, force=force, folder=layout == "folder")
    now = service.clock()

    def write_all(entries: Iterable[Entry], total: Callable[[], int]) -> ExportResult:
        if layout == "folder":
            assert out is not None
            replace = out.is_dir()
            written: set[Path] = set()
            with private_folder(out) as folder:
                count = write_markdown_folder(entries, folder, replace=replace, written=written)
            earlier = len(earlier_export_files(out, written)) if replace else 0
            return ExportResult(count, out, earlier)

        def write(handle: TextIO) -> int:
            if fmt == "json":
                return write_json(entries, handle, now=now)
            return write_markdown_single(entries, handle, count=total(), now=now, query=query)

        if out is None:
            return ExportResult(write(stdout), None)
        with atomic_text_file(out) as handle:
            count = write(handle)
        return ExportResult(count, out)

    def salvaged() -> ExportResult:
        # A damaged journal: what can still be read of it is exported, and the summary
        # says what could not be.
        from reconnect_journal.store.health import restore_hint

        salvage = service.salvage_entries(query)
        result = write_all(salvage.entries, lambda: len(salvage.entries))
        hint = restore_hint(service.store.path, service.store.passphrase)
        return replace(result, salvage=salvage, backup_hint=hint)

    if service.damaged():
        return salvaged()
    try:
        return write_all(service.iter_entries(query), lambda: service.count(_unlimited(query)))
    except JournalError:
        # Damage found on the way: into a file, the export starts again and saves what
        # can be read (to stdout, part of it is out already; the next export salvages).
        if out is None or not service.damaged():
            raise
        return salvaged()


def refuse_journal_files(out: Path, journal: Path) -> None:
    """InputError when an export file would take the place of the journal, one of its own
    files, a backup, or another journal: --force replaces an earlier export, never these
    (the trash, openers and drafts are in no export)."""
    from reconnect_journal.paths import backup_dir
    from reconnect_journal.store.crypto import file_kind

    target = out.resolve()
    home = journal.resolve()
    own = {home, *(home.with_name(home.name + suffix) for suffix in ("-wal", "-shm", "-journal"))}
    if target in own:
        what = "the journal itself" if target == home else "one of the journal's own files"
        why = f"is {what}; an export never replaces it, even with --force"
    elif target.parent == backup_dir(home).resolve():
        why = "is in the journal's backups folder, which is kept for backups alone"
    elif target.is_file() and file_kind(target) == "plain":
        why = "is a SQLite database (another journal?); an export never replaces one"
    else:
        return
    raise InputError(f"{out} {why}: choose another file, such as {home.with_suffix('.md')}")


def _unlimited(query: EntryQuery) -> EntryQuery:
    return replace(query, limit=None, offset=0)
