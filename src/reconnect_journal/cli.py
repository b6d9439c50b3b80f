"""The `reconnect-journal` command line.

Heavy parts (the store, the TUI) are imported inside the commands that need them,
so `--version` and `--help` stay fast and never touch the journal.
"""

from __future__ import annotations

import atexit
import copy
import json
import os
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from reconnect_journal import __version__
from reconnect_journal.core.barriers import Barrier, parse_barrier, parse_barrier_spec
from reconnect_journal.core.dates import (
    ACCEPTED_DATES,
    format_timestamp,
    parse_day,
    parse_journal_day,
    parse_range_end,
)
from reconnect_journal.core.errors import InputError, JournalError
from reconnect_journal.core.model import (
    MAX_INTEGER,
    BarrierTag,
    Entry,
    EntryChanges,
    EntryQuery,
    NewEntry,
    entry_to_json,
    parse_entry_id,
    parse_rating,
    validate_body,
)
from reconnect_journal.core.tags import normalize_tag
from reconnect_journal.launch import (
    PROG,
    fail,
    journal_location,
    open_demo_window,
    open_window,
)

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.store.engine import Store

DEBUG_ENV = "RECONNECT_JOURNAL_DEBUG"


class JournalCommandGroup(TyperGroup):
    """Runs commands with one-line errors and the exit codes of DECISIONS.md."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from typer._click.exceptions import ClickException, UsageError
        from typer.exceptions import Abort

        try:
            result = super().main(
                args=args,
                prog_name=prog_name or PROG,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else PROG
            fail(
                f"{exc.format_message().rstrip('.')}; see '{where} --help' for what is accepted", 2
            )
        except ClickException as exc:
            fail(exc.format_message(), exc.exit_code)
        except Abort:
            fail("stopped; nothing was changed", 1)
        except JournalError as exc:
            fail(str(exc), exc.exit_code)
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            fail(
                f"unexpected error ({type(exc).__name__}: {exc}); nothing more was changed. "
                f"Set {DEBUG_ENV}=1 to see the details",
                1,
            )
        code = result if isinstance(result, int) else 0
        if standalone_mode:
            raise SystemExit(code)
        return code


app = typer.Typer(
    cls=JournalCommandGroup,
    name=PROG,
    help="A private reflection journal for finding your way back to closeness.\n\n"
    "Run it without a command to open the journal in the terminal.",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class GlobalOptions:
    db: Path | None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG} {__version__}")
        raise typer.Exit()


def _db_path(text: str) -> Path:
    """--db as typed: a path, never empty (Path("") would be the current folder)."""
    if not text.strip():
        raise InputError("--db is empty; give the path of a journal file, such as journal.db")
    path = Path(text)
    if path.expanduser().is_dir():
        raise InputError(
            f"--db {text} is a folder; give the path of a journal file, such as "
            f"{path / 'journal.db'}"
        )
    return path


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Journal file to use (default: $RECONNECT_JOURNAL_DB, then the user data folder).",
        parser=_db_path,
        metavar="PATH",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
VersionOption = Annotated[
    bool,
    typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
]


@app.callback()
def root(
    ctx: typer.Context,
    db: DbOption = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Open a temporary journal filled with example entries (deleted on exit).",
        ),
    ] = False,
    version: VersionOption = False,
) -> None:
    ctx.obj = GlobalOptions(db=db)
    if demo and ctx.invoked_subcommand is not None:
        raise InputError("--demo opens the journal window; use it without a command")
    if demo:
        open_demo_window()
    elif ctx.invoked_subcommand is None:
        open_window(db)


def _resolve_db(ctx: typer.Context, db: Path | None) -> Path | None:
    """`--db` may come before or after the subcommand."""
    if db is not None:
        return db
    options = ctx.find_object(GlobalOptions)
    return options.db if options else None


def _command(ctx: typer.Context, db: Path | None, args: str) -> str:
    """A command to suggest, acting on the same journal as this one (see journal_command)."""
    from reconnect_journal.paths import journal_command

    path, _ = journal_location(_resolve_db(ctx, db))
    return journal_command(path, args)


def _passphrase_if_encrypted(path: Path) -> str | None:
    """The passphrase ($RECONNECT_JOURNAL_PASSPHRASE or a hidden prompt) when the journal
    at `path` is encrypted; None for a plain one."""
    from reconnect_journal.store.crypto import file_kind

    if file_kind(path.expanduser()) != "encrypted":
        return None
    from reconnect_journal.passphrase import existing_passphrase

    return existing_passphrase(path.expanduser())


def _say_notice(notice: str) -> None:
    sys.stderr.write(f"{PROG}: {notice}\n")


def _note_synced_folder(path: Path) -> None:
    """The note about a journal in a synced folder (once per journal, store/synced.py), for
    commands that use the journal's file without opening it (backup, restore, encrypt…);
    the others have it from open_store."""
    from reconnect_journal.store.synced import synced_folder_notice

    if notice := synced_folder_notice(path):
        _say_notice(notice)


def _open_store(ctx: typer.Context, db: Path | None) -> Store:
    """The journal, opened with its checks (and upgraded if due); notices go to stderr."""
    from reconnect_journal.store.engine import open_store

    path, default_location = journal_location(_resolve_db(ctx, db))
    store = open_store(
        path, default_location=default_location, passphrase=_passphrase_if_encrypted(path)
    )
    for notice in store.notices:
        _say_notice(notice)
    if store.migration_backup is not None:
        sys.stderr.write(
            f"{PROG}: upgraded the journal; a copy from before is at {store.migration_backup}\n"
        )
    return store


def _open_service(ctx: typer.Context, db: Path | None) -> JournalService:
    from reconnect_journal.core.entries import JournalService

    return JournalService(_open_store(ctx, db))


# -- input helpers ---------------------------------------------------------------


def _read_text(words: list[str] | None) -> str | None:
    """Text from the arguments, or from stdin when the only argument is '-'."""
    if not words:
        return None
    if len(words) > 1 and "-" in (words[0], words[-1]):  # a dash between words is a dash
        raise InputError(
            "'-' reads the text from stdin and must stand alone; pass only '-' with the "
            "text piped in, or only the words"
        )
    if words == ["-"]:
        data = sys.stdin.buffer.read()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(
                "the text on stdin is not valid UTF-8; save it as UTF-8 text"
            ) from None
    return " ".join(words)


def _parse_barriers(specs: list[str]) -> list[BarrierTag]:
    tags = []
    for spec in specs:
        barrier, intensity = parse_barrier_spec(spec)
        tags.append(BarrierTag(barrier, intensity, "user"))
    return tags


def _day(text: str | None, *, journal_day: bool) -> Any:
    if text is None:
        return None
    return parse_journal_day(text) if journal_day else parse_day(text)


def _days(date_from: str | None, date_to: str | None) -> tuple[Any, Any]:
    """--from and --to: a --to without a year is the first such day on or after --from."""
    first = None if date_from is None else parse_day(date_from)
    return first, None if date_to is None else parse_range_end(date_to, first)


def _refuse_contradictions(*pairs: tuple[str, str, bool]) -> None:
    """Options that say opposite things are refused alike (exit 2), before anything is
    read: each pair is (first option, second option, whether both were given)."""
    for first, second, both in pairs:
        if both:
            raise InputError(f"{first} and {second} contradict each other; give one of them")


def _given(ctx: typer.Context, name: str) -> bool:
    """Whether the option `name` (its parameter name) was typed, rather than its default."""
    from typer._click.core import ParameterSource

    return ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE


def _check_limit(ctx: typer.Context, limit: int, all_entries: bool) -> None:
    """--limit N, or --all (not both: '--all -n 5' would otherwise ignore the 5)."""
    _refuse_contradictions(("--all", "--limit", all_entries and _given(ctx, "limit")))
    if limit < 1:
        raise InputError(f"--limit {limit} is too small; give a whole number of 1 or more")
    if limit > MAX_INTEGER:
        raise InputError(
            f"--limit {limit} is more than a journal could ever hold; give a smaller whole "
            "number, or --all for no limit"
        )


def _use_week_start() -> None:
    """Weeks start on the day the settings say (Monday unless changed). A settings file
    that could not be used in full is said on stderr; what could be used still counts."""
    from reconnect_journal.config import load_config
    from reconnect_journal.core.trends import set_week_start

    config, problem = load_config()
    if problem:
        sys.stderr.write(f"{PROG}: {problem}\n")
    set_week_start(config.week_start)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _barrier_summary(entry: Entry) -> str:
    return " ".join(f"{tag.barrier.value}:{tag.intensity}" for tag in entry.barriers)


def _ratings_summary(entry: Entry) -> str:
    parts = []
    if entry.emotional_closeness is not None:
        parts.append(f"E{entry.emotional_closeness}")
    if entry.physical_intimacy is not None:
        parts.append(f"P{entry.physical_intimacy}")
    return " ".join(parts)


# Control characters in entry text (an imported file may carry terminal escape sequences,
# which a terminal would act on) are printed as "�"; --json escapes them anyway.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


MIN_HEADLINE = 20


def _tags_within(tags: tuple[str, ...], room: int) -> str:
    """'#a #b +3': the tags that fit in `room` columns, and how many more there are."""
    shown: list[str] = []
    for number, tag in enumerate(tags):
        more = len(tags) - number - 1
        candidate = " ".join([*shown, f"#{tag}"]) + (f" +{more}" if more else "")
        if len(candidate) > room and (shown or more):
            rest = len(tags) - len(shown)
            return " ".join([*shown, f"+{rest}"])
        shown.append(f"#{tag}")
    return " ".join(shown)


def _entry_line(entry: Entry, width: int) -> str:
    left = f"{entry.id:>5}  {entry.date:%a %Y-%m-%d}  "
    barriers, ratings = _barrier_summary(entry), _ratings_summary(entry)
    # One line per entry in the terminal: the tags give way to the headline's minimum.
    fixed = len(left) + MIN_HEADLINE + 4 + sum(len(p) + 2 for p in (barriers, ratings) if p)
    tags = _tags_within(entry.tags, width - fixed)
    right = "  ".join(part for part in (barriers, tags, ratings) if part)
    star = "* " if entry.starred else ""
    room = max(MIN_HEADLINE, width - len(left) - len(right) - 4)
    headline = star + entry.headline
    if len(headline) > room:
        headline = headline[: room - 1] + "…"
    line = f"{left}{headline:<{room}}  {right}" if right else f"{left}{headline}"
    return _printable(line.rstrip())


def _print_entries(entries: list[Entry], *, as_json: bool, empty: str) -> None:
    if as_json:
        _print_json([entry_to_json(e) for e in entries])
        return
    if not entries:
        typer.echo(empty)
        return
    width = shutil.get_terminal_size((100, 24)).columns
    for entry in entries:
        typer.echo(_entry_line(entry, width))


def _print_entry(entry: Entry) -> None:
    lines = [f"Entry {entry.id} · {entry.date:%A %-d %B %Y}"]
    if entry.title:
        lines.append(f"Title: {entry.title}")
    written = f"Written {format_timestamp(entry.created_at)}"
    if entry.updated_at != entry.created_at:
        written += f" · edited {format_timestamp(entry.updated_at)}"
    lines.append(written)
    if entry.barriers:
        lines.append(
            "Barriers: "
            + ", ".join(f"{t.barrier.display_name} ({t.intensity})" for t in entry.barriers)
        )

    def rating(value: int | None) -> str:
        return f"{value}/5" if value is not None else "not rated"

    lines.append(
        f"Emotional closeness: {rating(entry.emotional_closeness)} · "
        f"Physical intimacy: {rating(entry.physical_intimacy)}"
    )
    if entry.tags:
        lines.append("Tags: " + " ".join(f"#{t}" for t in entry.tags))
    if entry.prompt_id:
        from reconnect_journal.core.prompts import find_prompt

        prompt = find_prompt(entry.prompt_id)
        lines.append(f"Answering: {prompt.text if prompt else entry.prompt_id}")
    if entry.starred:
        lines.append("Starred")
    if entry.deleted_at is not None:
        lines.append(f"In the trash since {format_timestamp(entry.deleted_at)}")
    typer.echo(_printable("\n".join(lines) + "\n\n" + entry.body.rstrip("\n")))


# -- commands --------------------------------------------------------------------

TextArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="The entry's text, or '-' to read it from stdin. Text typed here is kept in "
        "your shell history; '-' (or the journal window) avoids that.",
        show_default=False,
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        "-d",
        metavar="DAY",
        help=f"The journal day: {ACCEPTED_DATES}.",
        show_default=False,
    ),
]
TitleOption = Annotated[
    str | None, typer.Option("--title", "-t", metavar="TEXT", help="A short title.")
]
BarrierOption = Annotated[
    list[str] | None,
    typer.Option(
        "--barrier",
        "-b",
        metavar="KEY[:1-3]",
        help="KEY or KEY:INTENSITY (1-3, default 1); KEY is one of "
        + ", ".join(b.value for b in Barrier)
        + ". Repeat for more.",
        show_default=False,
    ),
]
TagOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        metavar="TAG",
        help="A free tag: one word, such as late-night (repeat for more). "
        "#words in the text count too.",
    ),
]
EmotionalOption = Annotated[
    str | None,
    typer.Option(
        "--emotional", "-e", metavar="1-5", help="Emotional closeness, 1-5.", show_default=False
    ),
]
PhysicalOption = Annotated[
    str | None,
    typer.Option(
        "--physical", "-p", metavar="1-5", help="Physical intimacy, 1-5.", show_default=False
    ),
]
FromOption = Annotated[
    str | None, typer.Option("--from", metavar="DAY", help="From this day on.", show_default=False)
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", metavar="DAY", help="Up to and including this day.", show_default=False),
]


BarrierFilterOption = Annotated[
    list[str] | None,
    typer.Option("--barrier", "-b", metavar="KEY", help="Only entries with any of these barriers."),
]
TagFilterOption = Annotated[
    list[str] | None,
    typer.Option("--tag", metavar="TAG", help="Only entries with any of these tags."),
]
IdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="The entry's id, as shown by 'list' (or 'trash', for entries in the trash).",
        show_default=False,
    ),
]


def _check_prompt_id(prompt_id: str) -> None:
    from reconnect_journal.core.prompts import find_prompt

    if find_prompt(prompt_id) is None:
        raise InputError(
            f"no prompt with id '{prompt_id}'; use an id that 'reconnect-journal prompt --json' "
            "prints (or one of your own, 'user:<id>')"
        )


def _rating(text: str | None, what: str) -> int | None:
    return None if text is None else parse_rating(text, what)


@app.command()
def add(
    ctx: typer.Context,
    text: TextArgument = None,
    date: DateOption = None,
    title: TitleOption = None,
    barrier: BarrierOption = None,
    tag: TagOption = None,
    emotional: EmotionalOption = None,
    physical: PhysicalOption = None,
    star: Annotated[bool, typer.Option("--star", help="Mark the entry as important.")] = False,
    prompt_id: Annotated[
        str | None,
        typer.Option(
            "--prompt",
            metavar="ID",
            help="The prompt this entry answers (its id, as 'prompt --json' prints it).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Write a new entry."""
    if prompt_id is not None:
        _check_prompt_id(prompt_id)
    body = _read_text(text)
    if body is None:
        raise InputError(
            "no text given; write the entry as arguments, or pass '-' to read it from stdin"
        )
    new = NewEntry(
        body=validate_body(body),
        date=_day(date, journal_day=True),
        title=title,
        barriers=_parse_barriers(barrier or []),
        tags=[normalize_tag(t) for t in tag or []],
        emotional_closeness=_rating(emotional, "emotional closeness"),
        physical_intimacy=_rating(physical, "physical intimacy"),
        starred=star,
        prompt_id=prompt_id,
    )
    service = _open_service(ctx, db)
    try:
        entry = service.add(new)
    finally:
        service.close()
    if as_json:
        _print_json(entry_to_json(entry))
    else:
        typer.echo(f"Saved entry {entry.id} for {entry.date:%A %-d %B %Y}.")
    _support_note_to_stderr(entry.body)


@app.command("list")
def list_entries(
    ctx: typer.Context,
    date_from: FromOption = None,
    date_to: ToOption = None,
    barrier: BarrierFilterOption = None,
    tag: TagFilterOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", metavar="N", help="How many entries, newest first.")
    ] = 20,
    all_entries: Annotated[bool, typer.Option("--all", help="Every entry (no limit).")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List entries, newest first."""
    _check_limit(ctx, limit, all_entries)
    first, last = _days(date_from, date_to)
    query = EntryQuery(
        date_from=first,
        date_to=last,
        barriers=tuple(parse_barrier(b) for b in barrier or []),
        tags=tuple(normalize_tag(t) for t in tag or []),
        limit=None if all_entries else limit,
    )
    service = _open_service(ctx, db)
    try:
        entries = service.list(query)
    finally:
        service.close()
    _print_entries(entries, as_json=as_json, empty="No entries match.")


@app.command()
def show(
    ctx: typer.Context, entry_id: IdArgument, as_json: JsonOption = False, db: DbOption = None
) -> None:
    """Show one entry in full."""
    eid = parse_entry_id(entry_id)
    service = _open_service(ctx, db)
    try:
        entry = service.get(eid)
    finally:
        service.close()
    if as_json:
        _print_json(entry_to_json(entry))
    else:
        _print_entry(entry)


@app.command()
def edit(
    ctx: typer.Context,
    entry_id: IdArgument,
    text: TextArgument = None,
    date: DateOption = None,
    title: Annotated[
        str | None,
        typer.Option("--title", "-t", metavar="TEXT", help="A new title ('' removes it)."),
    ] = None,
    barrier: Annotated[
        list[str] | None,
        typer.Option(
            "--barrier",
            "-b",
            metavar="KEY[:1-3]",
            help="Replaces the entry's barriers: KEY or KEY:INTENSITY (1-3). Repeat for more.",
            show_default=False,
        ),
    ] = None,
    clear_barriers: Annotated[
        bool, typer.Option("--clear-barriers", help="Remove all barrier tags.")
    ] = False,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", metavar="TAG", help="Replaces the entry's tags (#words in the text stay)."
        ),
    ] = None,
    clear_tags: Annotated[
        bool, typer.Option("--clear-tags", help="Remove tags other than #words in the text.")
    ] = False,
    emotional: EmotionalOption = None,
    physical: PhysicalOption = None,
    clear_ratings: Annotated[
        bool, typer.Option("--clear-ratings", help="Remove both closeness ratings.")
    ] = False,
    star: Annotated[bool, typer.Option("--star", help="Mark as important.")] = False,
    unstar: Annotated[bool, typer.Option("--unstar", help="Take the star off.")] = False,
    share: Annotated[bool, typer.Option("--share", help="Include in 'export --summary'.")] = False,
    unshare: Annotated[
        bool, typer.Option("--unshare", help="Leave out of 'export --summary'.")
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Change an entry: only the fields given change."""
    _refuse_contradictions(
        ("--barrier", "--clear-barriers", bool(barrier) and clear_barriers),
        ("--tag", "--clear-tags", bool(tag) and clear_tags),
        ("--emotional", "--clear-ratings", emotional is not None and clear_ratings),
        ("--physical", "--clear-ratings", physical is not None and clear_ratings),
        ("--star", "--unstar", star and unstar),
        ("--share", "--unshare", share and unshare),
    )
    eid = parse_entry_id(entry_id)
    changes = EntryChanges()
    body = _read_text(text)
    if body is not None:
        changes.body = body
    if date is not None:
        changes.date = parse_journal_day(date)
    if title is not None:
        changes.title = title
    if barrier:
        changes.barriers = _parse_barriers(barrier)
    elif clear_barriers:
        changes.barriers = []
    if tag:
        changes.tags = [normalize_tag(t) for t in tag]
    elif clear_tags:
        changes.tags = []
    if clear_ratings:
        changes.emotional_closeness = changes.physical_intimacy = None
    if emotional is not None:
        changes.emotional_closeness = _rating(emotional, "emotional closeness")
    if physical is not None:
        changes.physical_intimacy = _rating(physical, "physical intimacy")
    if star or unstar:
        changes.starred = star
    if share or unshare:
        changes.share = share
    if changes.is_empty():
        raise InputError(
            "nothing to change; give new text or options such as --title, --barrier, "
            f"--emotional (see '{PROG} edit --help')"
        )
    service = _open_service(ctx, db)
    try:
        entry = service.edit(eid, changes)
    finally:
        service.close()
    if as_json:
        _print_json(entry_to_json(entry))
    else:
        typer.echo(f"Updated entry {entry.id}.")
    if body is not None:
        _support_note_to_stderr(entry.body)


@app.command(short_help="Move an entry to the trash (undelete brings it back).")
def delete(ctx: typer.Context, entry_id: IdArgument, db: DbOption = None) -> None:
    """Move an entry to the trash (it can be brought back with 'undelete')."""
    eid = parse_entry_id(entry_id)
    service = _open_service(ctx, db)
    try:
        entry = service.delete(eid)
    finally:
        service.close()
    undelete = _command(ctx, db, f"undelete {entry.id}")
    typer.echo(f"Moved entry {entry.id} to the trash; '{undelete}' brings it back.")


@app.command()
def trash(ctx: typer.Context, as_json: JsonOption = False, db: DbOption = None) -> None:
    """List the entries in the trash, most recently deleted first."""
    service = _open_service(ctx, db)
    try:
        entries = service.trash()
    finally:
        service.close()
    _print_entries(entries, as_json=as_json, empty="The trash is empty.")


@app.command()
def undelete(ctx: typer.Context, entry_id: IdArgument, db: DbOption = None) -> None:
    """Bring an entry back from the trash."""
    eid = parse_entry_id(entry_id)
    service = _open_service(ctx, db)
    try:
        entry = service.undelete(eid)
    finally:
        service.close()
    typer.echo(f"Brought entry {entry.id} back from the trash.")


@app.command()
def purge(
    ctx: typer.Context,
    entry_id: IdArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask to confirm.")] = False,
    db: DbOption = None,
) -> None:
    """Remove an entry in the trash for good."""
    eid = parse_entry_id(entry_id)
    service = _open_service(ctx, db)
    try:
        service.trashed(eid, purging=True)  # say so before asking to confirm
        if not yes:
            if not sys.stdin.isatty():
                raise InputError(
                    "purging cannot be undone; add --yes to confirm "
                    f"({_command(ctx, db, f'purge {entry_id} --yes')})"
                )
            if not typer.confirm(
                f"Remove entry {entry_id} for good? This cannot be undone", default=False
            ):
                typer.echo("Kept it.")
                return
        service.purge(eid)
    finally:
        service.close()
    typer.echo(f"Removed entry {entry_id} for good.")


@app.command("prompt")
def show_prompt(
    ctx: typer.Context,
    barrier: Annotated[
        str | None,
        typer.Option(
            "--barrier",
            "-b",
            metavar="KEY",
            help="A prompt about one barrier: " + ", ".join(b.value for b in Barrier) + ".",
            show_default=False,
        ),
    ] = None,
    another: Annotated[
        bool, typer.Option("--another", help="Another prompt instead of today's.")
    ] = False,
    skip: Annotated[
        int | None,
        typer.Option(
            "--skip",
            metavar="N",
            help="The N-th other prompt for today (0 is today's own; --another is 1).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Print today's reflection prompt (the same one all day)."""
    from reconnect_journal.core.prompts import load_library, prompt_to_json

    about = parse_barrier(barrier) if barrier is not None else None
    if another and skip is not None:
        raise InputError("--another and --skip both ask for another prompt; give one of them")
    steps = 1 if another else (skip or 0)
    if steps < 0:
        raise InputError(f"--skip {steps} is below 0; give 0 for today's prompt, or 1 or more")
    library, problems = load_library()
    for problem in problems:
        sys.stderr.write(f"{PROG}: {problem}\n")
    service = _open_service(ctx, db)
    try:
        chosen = service.todays_prompt(steps, about, library=library)
        day = service.today()
    finally:
        service.close()
    if as_json:
        _print_json(prompt_to_json(chosen, day))
    else:
        typer.echo(chosen.text)
        if chosen.follow_up:
            typer.echo(chosen.follow_up)


def _support_note_to_stderr(body: str) -> None:
    """After saving words that call for it, the window's support note, on stderr (stdout
    stays what scripts read)."""
    from reconnect_journal.core.care import SUPPORT_TITLE, support_note
    from reconnect_journal.core.suggestions import support_kinds

    try:
        kinds = support_kinds(body)  # the support cues alone: a saved entry waits on it
    except Exception:
        return  # a help, never a reason for a saved entry to look like a failure
    if kinds:
        _print_notes([(SUPPORT_TITLE, support_note(kinds))], err=True)


def _print_notes(notes: list[tuple[str, str]], *, err: bool = False) -> None:
    """The window's gentle notes (care.py), each a title line and its words."""
    for title, words in notes:
        if not err:
            typer.echo("")  # apart from the suggestions above it
        typer.echo(title, err=err)
        typer.echo(words, err=err)


@app.command(short_help="Suggest barriers for a text, with the reasons.")
def suggest(
    text: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="TEXT|-",
            help="The text to read, or '-' to read it from stdin. Nothing is saved.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Suggest barriers for a text, with the phrases that led to each (no journal needed)."""
    from reconnect_journal.core.care import notes_for
    from reconnect_journal.core.suggestions import suggest_barriers

    body = _read_text(text)
    if body is None or not body.strip():
        raise InputError(
            "no text to read; give the text as arguments, or pass '-' to read it from stdin"
        )
    report = suggest_barriers(body)
    if as_json:
        _print_json(report.to_json())
        return
    if not report.barriers:
        typer.echo("No barrier stood out in this text.")
    width = max((len(s.barrier.display_name) for s in report.barriers), default=0)
    for s in report.barriers:
        phrases = ", ".join(f"“{e.phrase}”" for e in s.evidence)
        typer.echo(f"{s.barrier.display_name:<{width}}  {s.score:.2f}  {phrases}")
    _print_notes(notes_for(report))


@app.command(short_help="Trends: entries, barriers and closeness over time.")
def stats(
    ctx: typer.Context,
    date_from: FromOption = None,
    date_to: ToOption = None,
    by: Annotated[
        str, typer.Option("--by", metavar="day|week|month", help="One row per day, week or month.")
    ] = "month",
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Trends: entries, barriers and closeness per period (all time by default)."""
    from reconnect_journal.core.dates import local_today
    from reconnect_journal.core.trend_service import TrendsService, check_range
    from reconnect_journal.core.trends import parse_bucket, report_json_text

    bucket = parse_bucket(by)
    start, end = _days(date_from, date_to)
    check_range(start, end)
    _use_week_start()  # weekly figures (and the text's week pairs) follow the settings
    # The store alone: trends need neither the journal service nor the ORM classes.
    store = _open_store(ctx, db)
    try:
        trends = TrendsService(store, local_today)
        report = trends.report(bucket, start, end)
        if as_json:
            typer.echo(report_json_text(report))
            return
        from reconnect_journal.stats_text import print_stats

        print_stats(trends, report)
    finally:
        store.close()


@app.command()
def paths(ctx: typer.Context, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Print where the journal, the config file and the backups are."""
    from reconnect_journal.paths import backup_dir, config_path

    journal, _ = journal_location(_resolve_db(ctx, db))
    locations = {
        "database": str(journal.absolute()),
        "config": str(config_path()),
        "backups": str(backup_dir(journal.absolute())),
    }
    if as_json:
        _print_json(locations)
    else:
        for name, value in locations.items():
            typer.echo(f"{name:<9} {value}")


@app.command(short_help="Export entries to Markdown or JSON, or a summary.")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="md|json", help="File format.")
    ] = "md",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="PATH",
            help="File (or folder) to write; without it, or with '-', the export goes to stdout.",
        ),
    ] = None,
    layout: Annotated[
        str,
        typer.Option(
            "--layout",
            metavar="single|folder",
            help="Markdown: one file, or a folder with a file per entry (an Obsidian vault).",
        ),
    ] = "single",
    date_from: FromOption = None,
    date_to: ToOption = None,
    barrier: BarrierFilterOption = None,
    tag: TagFilterOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace what is at --out.")] = False,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            help="A one-page summary to share (default: the last 4 weeks): counts, closeness, "
            "prompts answered, and only the entries marked to share.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Export entries to Markdown or JSON, oldest first, or write a summary page."""
    from reconnect_journal.io.export import run_export

    if out is not None and str(out) == "-":
        out = None  # '-' is the terminal (stdout), as for `import -`
    fmt = {"markdown": "md"}.get(fmt.strip().lower(), fmt.strip().lower())
    if fmt not in ("md", "json"):
        raise InputError(f"unknown --format '{fmt}'; use md or json")
    layout = layout.strip().lower()
    if layout not in ("single", "folder"):
        raise InputError(f"unknown --layout '{layout}'; use single or folder")
    first, last = _days(date_from, date_to)
    if summary:
        if fmt != "md" or layout != "single" or barrier or tag:
            raise InputError(
                "--summary is one Markdown page for a window of days; "
                "use it with --from/--to and --out only"
            )
        from reconnect_journal.io.summary import run_summary, summary_written

        _use_week_start()  # weeks as in stats and Trends
        service = _open_service(ctx, db)
        try:
            count, first, last = run_summary(
                service, first, last, out=out, force=force, stdout=sys.stdout
            )
        finally:
            service.close()
        if out is not None:
            typer.echo(summary_written(count, first, last, out))
        return
    query = EntryQuery(
        date_from=first,
        date_to=last,
        barriers=tuple(parse_barrier(b) for b in barrier or []),
        tags=tuple(normalize_tag(t) for t in tag or []),
        limit=None,
    )
    from reconnect_journal.interruptions import stopped_cleanly

    service = _open_service(ctx, db)
    try:
        # Stopped by SIGTERM or SIGHUP (a closed terminal) as by ctrl+c: the half-written
        # file, a plain-text copy of entries, is removed.
        with stopped_cleanly():
            result = run_export(
                service,
                query,
                fmt=fmt,  # type: ignore[arg-type]
                layout=layout,  # type: ignore[arg-type]
                out=out,
                force=force,
                stdout=sys.stdout,
            )
    finally:
        service.close()
    if result.path is not None:
        typer.echo(result.summary())
    elif result.damage_note():  # stdout holds the export itself
        typer.echo(result.damage_note(), err=True)
    if not result.complete:
        raise typer.Exit(1)  # a script must not take a part for the whole


@app.command("import", short_help="Import from jrnl, Day One, or an export of ours.")
def import_entries(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            metavar="PATH",
            help=(
                "A file, a Day One export zip, a folder exported with --layout folder, "
                "or a jrnl folder journal; '-' reads what is piped in."
            ),
            show_default=False,
        ),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="auto|jrnl|jrnl-json|dayone|markdown|json",
            help="What kind of file it is (auto: tell from its content).",
        ),
    ] = "auto",
    skip_unreadable: Annotated[
        bool,
        typer.Option(
            "--skip-unreadable", help="Import what can be read and list the entries left out."
        ),
    ] = False,
    timeformat: Annotated[
        str | None,
        typer.Option(
            "--timeformat",
            metavar="FORMAT",
            help="A jrnl journal's timeformat, as in jrnl's settings (such as "
            "'%d/%m/%Y %H:%M'), for dates that could be day or month first. "
            "Without it, the journal's own dates and jrnl's settings tell.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Import entries from jrnl, Day One, or an export of this journal (all or nothing)."""
    from reconnect_journal.io.importing import add_read, parse_kind, read_import

    kind = parse_kind(source)
    data = None
    if str(path) == "-":
        if sys.stdin.isatty():
            raise InputError(
                "import - reads what is piped in, and nothing is; pipe a file in "
                "(jrnl --format json | reconnect-journal import -) or give its path"
            )
        data = sys.stdin.buffer.read()
    elif not path.expanduser().exists():
        raise JournalError(f"{path} does not exist; give the path of a file to import")
    # The file first: one that cannot be read leaves the journal unopened (and uncreated).
    read = read_import(path, kind, data=data, timeformat=timeformat)
    journal_path = journal_location(_resolve_db(ctx, db))[0]
    new_journal = not journal_path.exists()
    service = _open_service(ctx, db)
    try:
        report = add_read(service, read, skip_unreadable=skip_unreadable)
    except JournalError:
        # Nothing was imported: a journal made only to receive it is not left behind.
        if new_journal and service.count(EntryQuery(limit=None)) == 0:
            service.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{journal_path}{suffix}").unlink(missing_ok=True)
        raise
    finally:
        service.close()
    for line in report.summary_lines():
        typer.echo(line)


@app.command(short_help="Search titles, texts and tags, best matches first.")
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="QUERY",
            help='Words (all must appear), "an exact phrase", walk* (words starting so), '
            "-word or NOT word (leave out); filters such as barrier:grief or tag:walk work "
            "here too.",
            show_default=False,
        ),
    ] = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    barrier: Annotated[
        list[str] | None,
        typer.Option(
            "--barrier", "-b", metavar="KEY", help="Only entries with any of these barriers."
        ),
    ] = None,
    all_barriers: Annotated[
        bool, typer.Option("--all-barriers", help="With --barrier: entries with all of them.")
    ] = False,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", metavar="TAG", help="Only entries with any of these tags."),
    ] = None,
    emotional: Annotated[
        str | None,
        typer.Option(
            "--emotional", "-e", metavar="MIN-MAX", help="Emotional closeness in this range."
        ),
    ] = None,
    physical: Annotated[
        str | None,
        typer.Option(
            "--physical", "-p", metavar="MIN-MAX", help="Physical intimacy in this range."
        ),
    ] = None,
    has_prompt: Annotated[
        bool, typer.Option("--has-prompt", help="Only entries answering a prompt.")
    ] = False,
    starred: Annotated[bool, typer.Option("--starred", help="Only starred entries.")] = False,
    shared: Annotated[bool, typer.Option("--shared", help="Only entries marked to share.")] = False,
    limit: Annotated[
        int, typer.Option("--limit", "-n", metavar="N", help="How many, best first.")
    ] = 20,
    all_entries: Annotated[bool, typer.Option("--all", help="Every match (no limit).")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Search titles, texts and tags; best matches first, with the words in context."""
    from reconnect_journal.core.search import (
        Search,
        SearchFilters,
        found_to_json,
        parse_range,
        parse_search,
        require_words,
    )

    _check_limit(ctx, limit, all_entries)
    if all_barriers and not barrier:
        raise InputError("--all-barriers goes with two or more --barrier options; add them")
    first, last = _days(date_from, date_to)
    filters = SearchFilters(
        barriers=tuple(dict.fromkeys(parse_barrier(b) for b in barrier or [])),
        all_barriers=all_barriers,
        tags=tuple(dict.fromkeys(normalize_tag(t) for t in tag or [])),
        date_from=first,
        date_to=last,
        emotional=parse_range(emotional, "--emotional") if emotional is not None else None,
        physical=parse_range(physical, "--physical") if physical is not None else None,
        has_prompt=has_prompt,
        starred=starred,
        shared=shared,
    ).check()
    text = " ".join(words or [])
    parsed = parse_search(text, filters=filters)
    if parsed.filters.is_empty() or parsed.terms:
        require_words(parsed, text)
    from reconnect_journal.core.search_service import SearchService

    service = _open_service(ctx, db)
    try:
        found = SearchService(service.store).find(
            Search(text, filters), None if all_entries else limit
        )
    finally:
        service.close()
    if as_json:
        _print_json([found_to_json(entry) for entry in found])
        return
    _print_found(found)


def _print_found(found: list[Any]) -> None:
    from reconnect_journal.core.search import snippet_parts

    if not found:
        typer.echo("No entries match.")
        return
    width = shutil.get_terminal_size((100, 24)).columns
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    for entry in found:
        typer.echo(_entry_line(entry, width))
        parts = snippet_parts(entry.snippet)
        if not parts:
            continue
        line = "".join(
            (typer.style(safe, bold=True, underline=True) if color else f"**{safe}**")
            if match
            else safe
            for safe, match in ((_printable(text), match) for text, match in parts)
        )
        typer.echo("       " + line)


@app.command(short_help="Look the journal over (file and search index).")
def check(
    ctx: typer.Context,
    reindex: Annotated[
        bool, typer.Option("--reindex", help="Build the search index again from the entries.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Look the journal over (file integrity, search index); --reindex rebuilds search."""
    from reconnect_journal.core.checks import run_checks

    service = _open_service(ctx, db)
    try:
        report = run_checks(service.store, reindex=reindex)
    finally:
        service.close()
    for line in report.lines():
        typer.echo(line)
    if not report.ok:
        raise typer.Exit(1)


# Privacy and reliability (encrypt, decrypt, passwd, backup, restore, erase) live in their
# own file; importing it adds the commands to `app`.
from reconnect_journal import cli_privacy  # noqa: E402, F401

# Options of the root command that may come before the subcommand; only --db takes a value.
_ROOT_FLAGS = frozenset({"--demo", "--version"})


def _named_subcommand(argv: Sequence[str]) -> str | None:
    """The subcommand word when only root options come before it, else None (help for the
    whole tool, a mistake, or no subcommand at all)."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--db":
            index += 2
        elif word.startswith("--db=") or word in _ROOT_FLAGS:
            index += 1
        elif word.startswith("-"):
            return None
        else:
            return word
    return None


def _command_for(name: str | None) -> tuple[Any, bool]:
    """The click command to run, and whether it holds only the one subcommand named.

    Typer reads every command's signature when it builds the group (about 50 ms for all of
    them); a command line that names its subcommand needs only that one. Anything else (help,
    a typo, no subcommand) gets the whole group, so its messages list every command."""
    from typer.main import get_command_name

    chosen = [
        info
        for info in app.registered_commands
        if name is not None
        and (info.name or get_command_name(getattr(info.callback, "__name__", ""))) == name
    ]
    if not chosen:
        return typer.main.get_command(app), False
    lean = copy.copy(app)
    lean.registered_commands = chosen
    return typer.main.get_command(lean), True


def _exit_now(code: object) -> NoReturn:
    """End the process once a command is done, without unloading every imported module
    one by one: for SQLAlchemy and pydantic that teardown costs about 0.1 s and keeps
    nothing safe. Exit handlers still run and the output is flushed; each command has
    already committed and closed the journal."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # closed by the caller (see launch._closed_streams)
            status = status or 1
            continue
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that went away, a closed stream
            status = status or 1
    os._exit(status)


def run() -> None:
    """Run the command line (the launcher hands over everything but a plain window launch)."""
    command, single = _command_for(_named_subcommand(sys.argv[1:]))
    if not single:
        command()
        return
    try:
        command()
    except SystemExit as exc:
        _exit_now(exc.code)
    _exit_now(0)
