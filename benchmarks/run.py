"""Search and scale (issue 7): our journal at 1,000 / 10,000 / 100,000 entries, and jrnl
on the same 100,000 entries, measured side by side in one run.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 3] [--no-tui] [--no-readme]

A generator makes realistic entries (1 to 14 sentences from a few hundred words, barriers
with intensities, ratings, tags, stars, prompts) and writes the same entries to our
journal (bulk SQL through the real schema and its triggers) and to a jrnl text journal.
jrnl runs from its own environment (benchmarks/.venv-jrnl, installed the first time by
benchmarks/export_import.py's helper).

Measured (wall time: best of --runs; memory: the child's ru_maxrss):
- `list --limit 5` and `add` at the biggest size against the smallest (target: within
  1.2x) and against jrnl doing the same on the same entries (target: at least 20x
  faster). Where a ratio against jrnl is out of reach because of the stack's import cost,
  DECISIONS.md's floor applies: within 1.25x of `python -c "import sqlmodel, typer"`.
- `search WORD`: inside the process, the median of 20 first-page queries (target < 50 ms);
  the whole command against `jrnl -contains WORD`.
- The journal window's search as you type (Pilot, headless): each keystroke until its
  results are shown, with the typing delay taken out (target < 100 ms).
- Peak memory of each command at the biggest size against the smallest (within 1.3x).

The table is printed and written into benchmarks/README.md (between the RESULTS markers).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.export_import import jrnl_binary, jrnl_config, run  # noqa: E402

PYTHON = sys.executable
OURS = [str(Path(PYTHON).parent / "reconnect-journal")]
README = HERE / "README.md"
START, END = "<!-- RESULTS:START -->", "<!-- RESULTS:END -->"

# -- the generator -------------------------------------------------------------------------

PEOPLE = ["she", "he", "they"]
PLACES = ["the kitchen", "the car", "the park", "the river", "bed", "the sofa", "the garden",
          "the station", "her mother's", "his sister's", "the market", "the beach"]  # fmt: skip
THINGS = ["money", "the dishes", "the kids", "work", "the holidays", "his phone", "her job",
          "the house", "dinner", "the dog", "our weekend", "the bills", "my birthday"]  # fmt: skip
FEELINGS = ["tired", "close", "far away", "embarrassed", "hopeful", "lonely", "calm",
            "irritated", "grateful", "invisible", "tender", "anxious", "relieved"]  # fmt: skip
SENTENCES = [
    "We talked for a while in {place} and it felt easy.",
    "I wanted to say something about {thing} but the moment passed.",
    "{Person} was on the phone while I was telling them about my day.",
    "It would have been my dad's birthday today and I felt {feeling}.",
    "I felt {feeling} asking for what I wanted, so I said nothing.",
    "We laughed at the same thing at the same time in {place}.",
    "I am still carrying the argument about {thing} from Sunday.",
    "I am not sure I believe the promise about {thing}.",
    "{Person} reached for my hand in {place} and I let it stay there.",
    "Another evening of screens; I went to bed {feeling}.",
    "We walked to {place} after dinner without saying much.",
    "I noticed I was keeping score about {thing} again.",
    "A small kindness this morning: coffee, and a note about {thing}.",
    "I miss the way we used to talk about nothing at all.",
    "The grief about {thing} came back out of nowhere in {place}.",
    "I told {person} I felt {feeling}, and {person} listened.",
    "Sex did not come up; touch did, a little, on the sofa.",
    "Felt unseen at the party; nobody asked about {thing}.",
    "We planned a weekend away, but what I want is to feel {feeling} with them.",
    "Trust is slow; today it moved a little, over {thing}.",
]
TITLES = ["A quiet evening", "After the walk", "Sunday", "Hard day", "Something small",
          "Talking about money", "Her mother's birthday", "The dishes", "Coffee in bed",
          "Late night", "Before work", "A good day"]  # fmt: skip
TAGS = ["walk", "evening", "family", "kids", "money", "work", "holiday", "therapy", "weekend",
        "morning", "friends", "health"]  # fmt: skip
BARRIERS = ["shame", "resentment", "trust", "unseen", "grief"]
NEWEST_TITLE = "The newest entry"
# Twenty words to search for, common to rare.
QUERIES = ["talked", "money", "garden", "birthday", "tender", "phone", "grief", "station",
           "dishes", "promise", "invisible", "market", "holidays", "kindness", "score",
           "beach", "relieved", "sister", "weekend", "reached"]  # fmt: skip
TYPED = ["river", "grateful", "kindn"]  # typed in the journal window, key by key


@dataclass
class Made:
    day: dt.date
    created: dt.datetime  # UTC
    title: str | None
    body: str
    tags: list[str]
    barriers: list[tuple[str, int]]
    emotional: int | None
    physical: int | None
    starred: bool
    prompt_id: str | None


def _sentence(rng: random.Random) -> str:
    person = rng.choice(PEOPLE)
    text = rng.choice(SENTENCES).format(
        place=rng.choice(PLACES),
        thing=rng.choice(THINGS),
        feeling=rng.choice(FEELINGS),
        person=person,
        Person=person.capitalize(),
    )
    return text


def generate(count: int, seed: int = 7) -> list[Made]:
    """`count` entries, oldest first, about three a day up to yesterday."""
    rng = random.Random(seed)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    made = []
    for i in range(count):
        day = yesterday - dt.timedelta(days=(count - 1 - i) // 3)
        created = dt.datetime.combine(day, dt.time(8 + (i % 3) * 6, rng.randint(0, 59)), dt.UTC)
        paragraphs = [
            " ".join(_sentence(rng) for _ in range(rng.randint(1, 5)))
            for _ in range(rng.choice((1, 1, 1, 2, 3)))
        ]
        made.append(
            Made(
                day=day,
                created=created,
                title=NEWEST_TITLE if i == count - 1 else rng.choice([None, *TITLES]),
                body="\n\n".join(paragraphs),
                tags=rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2, 3))),
                barriers=[(b, rng.randint(1, 3)) for b in rng.sample(BARRIERS, rng.randint(0, 2))],
                emotional=rng.choice([None, 1, 2, 3, 4, 5]),
                physical=rng.choice([None, None, 1, 2, 3, 4, 5]),
                starred=rng.random() < 0.06,
                prompt_id=rng.choice([None] * 9 + ["grief-01"]),
            )
        )
    return made


def write_ours(path: Path, entries: list[Made]) -> None:
    """Our journal through the real migrations, then the entries with executemany.

    Barriers and tags go in before their entries (foreign keys are not enforced on this
    bulk connection), so the triggers index each entry once, with its tags, as it arrives.
    """
    from reconnect_journal.store.engine import open_store

    open_store(path).close()
    rng = random.Random(11)
    entry_rows, barrier_rows, tag_rows = [], [], []
    for i, e in enumerate(entries, 1):
        stamp = e.created.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        entry_rows.append(
            (i, str(uuid.UUID(int=rng.getrandbits(128))), e.day.isoformat(), stamp, stamp,
             e.title, e.body, e.emotional, e.physical, e.starred, e.prompt_id)
        )  # fmt: skip
        barrier_rows.extend((i, key, level, "user") for key, level in e.barriers)
        tag_rows.extend((i, tag) for tag in e.tags)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("INSERT INTO entry_barrier VALUES (?, ?, ?, ?)", barrier_rows)
        conn.executemany("INSERT INTO entry_tag VALUES (?, ?)", tag_rows)
        conn.executemany(
            "INSERT INTO entry (id, uuid, date, created_at, updated_at, title, body, "
            "emotional_closeness, physical_intimacy, starred, prompt_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            entry_rows,
        )
    conn.close()


def write_jrnl(path: Path, entries: list[Made]) -> None:
    """The same entries as a jrnl plain-text journal (local times, tags as @words)."""
    chunks = []
    for e in entries:
        stamp = e.created.astimezone().strftime("%Y-%m-%d %H:%M")
        title = e.title or "Entry"
        star = " *" if e.starred else ""
        tags = " ".join(f"@{t}" for t in [*e.tags, *(b for b, _ in e.barriers)])
        chunks.append(f"[{stamp}] {title}.{star}\n{e.body}\n{tags}\n")
    path.write_text("\n".join(chunks), encoding="utf-8")


# -- measuring -----------------------------------------------------------------------------


# Linux keeps a process's peak memory across exec, so a command started straight from this
# (big) process would report this process's size. A small Python in between starts it
# and reports the peak of its own child.
PEAK_OF_CHILD = (
    "import resource, subprocess, sys;"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL);"
    "sys.stderr.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss));"
    "sys.exit(code)"
)


def peak_kib(cmd: list[str]) -> int:
    done = subprocess.run([PYTHON, "-c", PEAK_OF_CHILD, *cmd], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return int(done.stderr.strip().splitlines()[-1])


def best(cmd: list[str], runs: int) -> tuple[float, int]:
    """Best wall time (s) over `runs` runs, and the highest peak memory (KiB) of the
    command itself (measured in separate runs, see PEAK_OF_CHILD)."""
    fastest = min(run(cmd)[0] for _ in range(runs))
    return fastest, max(peak_kib(cmd) for _ in range(max(1, runs - 1)))


def timed(cmd: list[str], timeout: float) -> float:
    """Wall time of one run, or `timeout` if it had to be stopped (reported as "> ...")."""
    started = time.perf_counter()
    try:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=timeout, check=True)  # fmt: skip
    except subprocess.TimeoutExpired:
        return float("inf")
    return time.perf_counter() - started


def in_process_search(db: Path) -> tuple[float, float, float]:
    """Median (ms) of the first page for each of QUERIES, of page + count, and the slowest."""
    from reconnect_journal.core.search import Search
    from reconnect_journal.core.search_service import SearchService
    from reconnect_journal.store.engine import open_store

    store = open_store(db)
    try:
        service = SearchService(store)
        service.find(Search("warm"), 20)  # open the connection and the caches once
        page, both = [], []
        for word in QUERIES:
            started = time.perf_counter()
            found = service.find(Search(word), 20)
            page.append(time.perf_counter() - started)
            service.count(Search(word))
            both.append(time.perf_counter() - started)
            assert found, word
    finally:
        store.close()
    return statistics.median(page) * 1000, statistics.median(both) * 1000, max(both) * 1000


def tui_keystrokes(db: Path) -> tuple[float, float, int]:
    """Search as you type in the journal window (Pilot, headless, 120x40): per keystroke,
    from the moment the typing delay ends (the search starts) until the list shows the
    new results on screen (after the next refresh). Median and slowest (ms), and count.

    The delay itself (SEARCH_DELAY, a quarter of a second after the last key) is left out:
    it is a choice, not a cost. Pilot's own waiting is left out too."""
    from reconnect_journal.core.entries import JournalService
    from reconnect_journal.tui import app as app_module
    from reconnect_journal.tui.screens import journal as journal_screen
    from reconnect_journal.tui.widgets.entry_list import EntryList

    journal_screen.SEARCH_DELAY = 0.001  # a timer of 0 is refused
    started: list[float] = []
    shown: list[float] = []
    search_now = journal_screen.JournalScreen._search_now
    show_window = EntryList.show_window

    def timed_search_now(self: journal_screen.JournalScreen, *, final: bool = False) -> None:
        started.append(time.perf_counter())
        search_now(self, final=final)

    def timed_show_window(self: EntryList, *args: object, **kwargs: object) -> None:
        show_window(self, *args, **kwargs)  # type: ignore[arg-type]
        if started:  # one result per search started (escape's reload has none)
            begun = started[-1]
            started.clear()
            self.call_after_refresh(lambda: shown.append(time.perf_counter() - begun))

    journal_screen.JournalScreen._search_now = timed_search_now  # type: ignore[method-assign]
    EntryList.show_window = timed_show_window  # type: ignore[method-assign]

    async def main() -> None:
        app = app_module.JournalApp(
            db_path=db, open_journal=lambda: JournalService.open(db), cursor_blink=False
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await _settle(pilot)
            await pilot.press("2")
            await _settle(pilot)
            screen = app.screen
            for word in TYPED:
                await pilot.press("slash")
                await _settle(pilot)
                for char in word:
                    count = len(shown)
                    await pilot.press(char)
                    while len(shown) == count:
                        await asyncio.sleep(0.001)
                    await _settle(pilot)
                assert screen.query_one(EntryList).entries, word
                await pilot.press("escape")
                await _settle(pilot)

    try:
        asyncio.run(main())
    finally:
        journal_screen.JournalScreen._search_now = search_now  # type: ignore[method-assign]
        EntryList.show_window = show_window  # type: ignore[method-assign]
    return statistics.median(shown) * 1000, max(shown) * 1000, len(shown)


async def _settle(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]
        if all(worker.is_finished for worker in app.workers):
            return


# -- the run -------------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-tui", action="store_true")
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--jrnl-add-timeout", type=float, default=120.0)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    small, big = sizes[0], sizes[-1]
    runs = args.runs
    jrnl = jrnl_binary()
    rows: list[tuple[str, str, str, str]] = []  # what, measured, ratio, target

    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        os.environ.update({"HOME": str(folder), "XDG_CONFIG_HOME": str(folder / "config")})
        entries = generate(big)
        dbs: dict[int, Path] = {}
        for size in sizes:
            started = time.perf_counter()
            dbs[size] = folder / f"ours-{size}.db"
            write_ours(dbs[size], entries[-size:])
            print(f"made {size} entries in {time.perf_counter() - started:.1f} s", flush=True)
        jrnl_file = folder / "big.journal"
        write_jrnl(jrnl_file, entries)
        config = jrnl_config(folder, jrnl_file)
        j = [str(jrnl), "--config-file", str(config)]

        floor, _ = best([PYTHON, "-c", "import sqlmodel, typer"], runs)
        print(f"floor: {floor:.3f} s", flush=True)
        word = "kindness"

        def ours(size: int, *cmd: str) -> list[str]:
            return [*OURS, "--db", str(dbs[size]), *cmd]

        time_of: dict[tuple[str, int], tuple[float, int]] = {}
        for size in sizes:
            time_of[("list", size)] = best(ours(size, "list", "--limit", "5"), runs)
            time_of[("search", size)] = best(ours(size, "search", word), runs)
            time_of[("add", size)] = best(ours(size, "add", "A benchmark entry", "#bench"), runs)
            print(f"commands at {size}: done", flush=True)
        jrnl_runs = max(1, min(runs, 2))
        jrnl_list, _ = best([*j, "-n", "5"], jrnl_runs)
        jrnl_search, _ = best([*j, "-contains", word, "-n", "20"], jrnl_runs)
        backup = folder / "big.journal.orig"
        shutil.copy(jrnl_file, backup)
        # Once, and stopped after --jrnl-add-timeout: at 100,000 entries jrnl took more
        # than 13 minutes to add one entry on the machine this was written on.
        jrnl_add = timed([*j, "A benchmark entry @bench"], args.jrnl_add_timeout)
        shutil.copy(backup, jrnl_file)
        print("jrnl: done", flush=True)

        page_ms, both_ms, worst_ms = in_process_search(dbs[big])
        tui = None if args.no_tui else tui_keystrokes(dbs[big])

    n_big, n_small = f"{big:,}", f"{small:,}"
    for name, label in (("list", "`list --limit 5`"), ("add", "`add`")):
        t_big, t_small = time_of[(name, big)][0], time_of[(name, small)][0]
        rows.append(
            (f"{label} at {n_big} vs {n_small}", f"{t_big:.3f} s vs {t_small:.3f} s",
             ratio(t_big, t_small), "≤ 1.2x")
        )  # fmt: skip
    for name, label, theirs in (
        ("list", "`list --limit 5` vs `jrnl -n 5`", jrnl_list),
        ("add", "`add` vs jrnl adding one entry", min(jrnl_add, args.jrnl_add_timeout)),
        ("search", f"`search {word}` vs `jrnl -contains {word} -n 20`", jrnl_search),
    ):
        t = time_of[(name, big)][0]
        stopped = name == "add" and jrnl_add == float("inf")
        more = "> " if stopped else ""
        rows.append(
            (f"{label} at {n_big}", f"{t:.3f} s vs {more}{theirs:.3f} s"
             + (" (stopped)" if stopped else ""),
             f"{more}{theirs / t:.1f}x faster", "≥ 20x (or the floor)")
        )  # fmt: skip
    for name, label in (("list", "`list --limit 5`"), ("add", "`add`"), ("search", "`search`")):
        t = time_of[(name, big)][0]
        rows.append(
            (f"{label} at {n_big} vs the floor", f"{t:.3f} s vs {floor:.3f} s",
             ratio(t, floor), "≤ 1.25x")
        )  # fmt: skip
    rows.append(
        (f"`search` in the process at {n_big}: first page, median of {len(QUERIES)} words",
         f"{page_ms:.1f} ms (with the count: {both_ms:.1f} ms; slowest {worst_ms:.1f} ms)",
         "", "< 50 ms")
    )  # fmt: skip
    if tui is not None:
        rows.append(
            (f"journal window, search as you type at {n_big} (per keystroke, {tui[2]} keys)",
             f"median {tui[0]:.1f} ms, slowest {tui[1]:.1f} ms", "", "< 100 ms")
        )  # fmt: skip
    for name in ("list", "add", "search"):
        m_big, m_small = time_of[(name, big)][1], time_of[(name, small)][1]
        rows.append(
            (f"peak memory of `{name}` at {n_big} vs {n_small}",
             f"{m_big / 1024:.1f} MiB vs {m_small / 1024:.1f} MiB", ratio(m_big, m_small),
             "≤ 1.3x")
        )  # fmt: skip
    if len(sizes) > 2:
        for size in sizes[1:-1]:
            rows.append(
                (f"`list --limit 5` / `search {word}` at {size:,}",
                 f"{time_of[('list', size)][0]:.3f} s / {time_of[('search', size)][0]:.3f} s",
                 "", "")
            )  # fmt: skip

    header = "| what | measured | ratio | target |\n|---|---|---|---|\n"
    table = header + "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows)
    machine = (
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores"
    )
    stamp = f"Measured {dt.date.today()} ({machine}); best of {runs} runs, jrnl {jrnl_runs}."
    print()
    print(table)
    print(stamp)
    if not args.no_readme and README.exists():
        text = README.read_text(encoding="utf-8")
        if START in text and END in text:
            block = f"{START}\n{stamp}\n\n{table}\n{END}"
            text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text,
                          flags=re.S)  # fmt: skip
            README.write_text(text, encoding="utf-8")
            print(f"written to {README}")


if __name__ == "__main__":
    main()
