"""Start-up against a bare Textual app, measured side by side in one run.

    python benchmarks/first_frame.py [--runs 7] [--entries 100000]

Each program runs in a pseudo-terminal (100x30). Measured:
- first frame: until the first screen's marker text reaches the terminal;
- entries visible: until the newest entry's title is on screen;
- the floor for "entries visible" on this stack: the bare app importing sqlmodel in a
  worker, as the journal does;
- memory: resident set size after scrolling the Journal screen from the newest entry to
  the oldest and back, for an empty journal and for the big one.
Runs alternate between the programs so machine noise hits them alike; medians compared.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.journal_maker import NEWEST_TITLE, make_journal  # noqa: E402

END, HOME = b"\x1b[F", b"\x1b[H"
PAGE_UP, PAGE_DOWN = b"\x1b[5~", b"\x1b[6~"


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def run_until(
    argv: list[str],
    markers: list[bytes],
    env: dict[str, str],
    *,
    settle: float = 0.0,
    keys: list[bytes] | None = None,
    timeout: float = 60,
) -> tuple[list[float], int]:
    """Seconds until each marker appears (in order), and the RSS in KiB at the end.

    After the markers, each of `keys` is typed with `settle` seconds between them.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    times: list[float] = []
    try:
        while len(times) < len(markers):
            remaining = timeout - (time.perf_counter() - start)
            if remaining <= 0:
                raise TimeoutError(f"{markers[len(times)]!r} never appeared: {seen[-300:]!r}")
            ready, _, _ = select.select([master], [], [], remaining)
            if not ready:
                continue
            try:
                seen += os.read(master, 1 << 16)
            except OSError:
                raise RuntimeError(f"program ended early: {seen[-300:]!r}") from None
            while len(times) < len(markers) and markers[len(times)] in seen:
                times.append(time.perf_counter() - start)
        for key in [b"", *(keys or [])]:
            os.write(master, key)
            deadline = time.perf_counter() + settle
            while (left := deadline - time.perf_counter()) > 0:
                if select.select([master], [], [], left)[0]:
                    os.read(master, 1 << 16)  # keep the pty drained
        return times, _rss_kib(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()

    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    exe = str(Path(sys.executable).with_name("reconnect-journal"))
    newest = NEWEST_TITLE.encode()
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.db"
        make_journal(empty, 0)
        big = make_journal(Path(tmp) / "big.db", args.entries)
        bare = [sys.executable, str(HERE / "bare_app.py")]
        journal = [exe, "--db", str(big)]
        run_until(bare, [b"bare-app-ready"], env)  # warm the file cache
        run_until(journal, [b"Reconnect", newest], env)
        bare_store = [*bare, "--store"]
        bare_t: list[float] = []
        floor_t: list[float] = []
        first_t: list[float] = []
        visible_t: list[float] = []
        for _ in range(args.runs):
            bare_t.append(run_until(bare, [b"bare-app-ready"], env)[0][0])
            floor_t.append(run_until(bare_store, [b"bare-store-ready"], env)[0][0])
            (first, visible), _ = run_until(journal, [b"Reconnect", newest], env)
            first_t.append(first)
            visible_t.append(visible)
        # Memory after scrolling the Journal screen from the newest entry to the oldest
        # and back: paging must keep it independent of the journal's size.
        scroll = [b"2", END, *[PAGE_UP] * 20, HOME, *[PAGE_DOWN] * 20]
        _, rss_empty = run_until(
            [exe, "--db", str(empty)], [b"Nothing written"], env, settle=0.3, keys=scroll
        )
        _, rss_big = run_until(journal, [b"Reconnect", newest], env, settle=0.3, keys=scroll)

    base = statistics.median(bare_t)
    first = statistics.median(first_t)
    visible = statistics.median(visible_t)
    floor = statistics.median(floor_t)
    print(f"start-up with {args.entries:,} entries, median of {args.runs} runs (100x30 pty)")
    print(f"  bare Textual app, first frame  {base * 1000:6.0f} ms")
    print(f"  journal, first frame           {first * 1000:6.0f} ms  {first / base:5.2f}x bare")
    print(f"  bare app + store import        {floor * 1000:6.0f} ms  {floor / base:5.2f}x bare")
    print(
        f"  journal, entries visible       {visible * 1000:6.0f} ms  {visible / base:5.2f}x bare, "
        f"{visible / floor:.2f}x bare+store"
    )
    print(
        "  memory after scrolling the Journal end to end: "
        f"empty journal {rss_empty / 1024:.0f} MiB, {args.entries:,} entries "
        f"{rss_big / 1024:.0f} MiB  ({rss_big / rss_empty:.2f}x)"
    )


if __name__ == "__main__":
    main()
