"""Time from launch to the first frame, against a bare Textual app, in one run.

    python benchmarks/first_frame.py [--runs 7] [--entries 20000]

Each program runs in a pseudo-terminal (100x30); the clock stops when a marker text
of its first screen has been written to the terminal. Runs alternate between the
programs so that machine noise hits them alike; medians are compared.
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
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def time_to_marker(
    argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 30
) -> float:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    try:
        while True:
            remaining = timeout - (time.perf_counter() - start)
            if remaining <= 0:
                raise TimeoutError(f"{marker!r} never appeared; last output: {seen[-300:]!r}")
            ready, _, _ = select.select([master], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                raise RuntimeError(f"program ended before {marker!r}: {seen[-300:]!r}") from None
            seen += chunk
            if marker in seen:
                return time.perf_counter() - start
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--entries", type=int, default=20000)
    args = parser.parse_args()

    from benchmarks.journal_maker import make_journal

    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    exe = str(Path(sys.executable).with_name("reconnect-journal"))
    with tempfile.TemporaryDirectory() as tmp:
        small = make_journal(Path(tmp) / "small.db", 10)
        big = make_journal(Path(tmp) / "big.db", args.entries)
        programs = {
            "bare Textual app": ([sys.executable, str(HERE / "bare_app.py")], b"bare-app-ready"),
            "journal, 10 entries": ([exe, "--db", str(small)], b"Reconnect"),
            f"journal, {args.entries} entries": ([exe, "--db", str(big)], b"Reconnect"),
        }
        # Warm the file cache once so the first timed run is not an outlier.
        for argv, marker in programs.values():
            time_to_marker(argv, marker, env)
        times: dict[str, list[float]] = {name: [] for name in programs}
        for _ in range(args.runs):
            for name, (argv, marker) in programs.items():
                times[name].append(time_to_marker(argv, marker, env))
    base = statistics.median(times["bare Textual app"])
    print(f"first frame, median of {args.runs} runs (100x30 pty)")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<28} {median * 1000:7.0f} ms   {median / base:5.2f}x bare")


if __name__ == "__main__":
    main()
