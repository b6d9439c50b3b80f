"""End to end, in a real terminal: words typed survive the app being killed.

The journal window runs in tmux (on its own private tmux server); the test types into
it, kills the process with SIGKILL as a crash or a closed laptop would, starts it again
and reads the screen.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("tmux") is None,
        reason="tmux is not installed: the end-to-end test needs a real terminal to drive",
    ),
]

WIDTH, HEIGHT = 100, 30
WORDS = "I kept quiet at dinner and I do not want to lose this"


class Terminal:
    """One tmux server of our own (-L), so nothing of the person's tmux is touched."""

    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.socket = socket
        self.env = env
        self.session = "journal"

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=True,
            env=self.env,
            timeout=10,
        )
        return result.stdout

    def start(self, command: list[str]) -> None:
        # `exec` so that the pane's process is the app itself, ready to be killed.
        shell_line = "exec " + shlex.join(command)
        self.tmux(
            "new-session", "-d", "-s", self.session, "-x", str(WIDTH), "-y", str(HEIGHT), shell_line
        )

    def pid(self) -> int:
        return int(self.tmux("list-panes", "-t", self.session, "-F", "#{pane_pid}").split()[0])

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-t", self.session)

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.session, "-l", text)

    def wait_for(self, found: Callable[[str], bool], what: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            try:
                screen = self.screen()
            except subprocess.CalledProcessError:
                screen = ""
            if found(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"waited {timeout}s for {what}; the screen shows:\n{screen}")

    def stop(self) -> None:
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"],
            capture_output=True,
            env=self.env,
            timeout=10,
            check=False,
        )


@pytest.fixture
def terminal(tmp_path: Path, private_home: Path) -> Iterator[Terminal]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(private_home),
        "XDG_DATA_HOME": str(private_home / "data"),
        "XDG_CONFIG_HOME": str(private_home / "config"),
        "XDG_RUNTIME_DIR": str(tmp_path / "runtime"),
        "TMUX_TMPDIR": str(tmp_path / "tmux"),
        "RECONNECT_JOURNAL_CONFIG": str(tmp_path / "config.toml"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
    }
    (tmp_path / "runtime").mkdir(mode=0o700)
    (tmp_path / "tmux").mkdir(mode=0o700)
    term = Terminal(f"rj-e2e-{uuid.uuid4().hex[:12]}", env)
    try:
        yield term
    finally:
        term.stop()


def journal_command(db: Path) -> list[str]:
    launcher = "import sys; from reconnect_journal.launch import main; sys.exit(main())"
    return [sys.executable, "-c", launcher, "--db", str(db)]


def test_words_typed_survive_the_app_being_killed(terminal: Terminal, tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    terminal.start(journal_command(db))
    terminal.wait_for(lambda screen: "Reconnect Journal" in screen, "the journal window")
    time.sleep(1)  # the journal opens in the background, after the first frame

    terminal.send("n")
    try:
        terminal.wait_for(lambda screen: "Your words" in screen, "the editor", timeout=5)
    except AssertionError:
        # However the screen behind starts writing, the command palette always can.
        terminal.send("C-p")
        time.sleep(0.5)
        terminal.type("New entry")
        time.sleep(0.5)
        terminal.send("Enter")
        terminal.wait_for(lambda screen: "Your words" in screen, "the editor")

    terminal.type(WORDS)
    terminal.wait_for(lambda screen: WORDS in screen, "the words on the screen", timeout=5)
    time.sleep(3)  # a draft is kept within 2 seconds of the last keystroke
    assert "Draft saved" in terminal.screen()
    pid = terminal.pid()
    os.kill(pid, signal.SIGKILL)  # no goodbye, no clean-up: as in a crash
    terminal.wait_for(lambda screen: WORDS not in screen, "the app to be gone", timeout=10)
    terminal.stop()

    terminal.start(journal_command(db))
    screen = terminal.wait_for(
        lambda screen: "A draft is waiting for you" in screen and WORDS[:40] in screen,
        "the unsaved words to be offered",
    )
    assert "Continue writing" in screen
    assert "Discard" in screen

    terminal.send("Enter")  # Continue writing
    screen = terminal.wait_for(lambda screen: "Your words" in screen, "the editor again")
    assert WORDS[:40] in screen


def stored_draft_bodies(db: Path) -> list[str]:
    from reconnect_journal.core.entries import JournalService

    journal = JournalService.open(db)
    try:
        return [draft.body for draft in journal.pending_drafts()]
    finally:
        journal.close()


@pytest.mark.parametrize("how", ["kill-session", "SIGHUP", "SIGTERM"])
def test_words_typed_survive_the_terminal_closing_straight_after(
    terminal: Terminal, tmp_path: Path, how: str
) -> None:
    db = tmp_path / "journal.db"
    terminal.start(journal_command(db))
    terminal.wait_for(lambda screen: "Reconnect Journal" in screen, "the journal window")
    # The journal opens in the background, after the first frame (slower on a busy machine):
    # `n` starts an entry once it is open.
    for attempt in range(6):
        terminal.send("n")
        try:
            terminal.wait_for(lambda screen: "Your words" in screen, "the editor", timeout=5)
            break
        except AssertionError:
            if attempt == 5:
                raise

    terminal.type(WORDS)
    terminal.wait_for(lambda screen: WORDS in screen, "the words on the screen", timeout=5)
    pid = terminal.pid()
    if how != "kill-session":
        # The pane stays after the app ends, so that its exit status can be read.
        terminal.tmux("set-option", "-t", terminal.session, "remain-on-exit", "on")
    # At once: well before the pause after typing would have kept a draft.
    if how == "kill-session":
        terminal.tmux("kill-session", "-t", terminal.session)
    else:
        os.kill(pid, getattr(signal, how))

    def pane(field: str) -> str:
        return terminal.tmux("list-panes", "-t", terminal.session, "-F", f"#{{{field}}}").strip()

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if how != "kill-session":
            # tmux marks the pane dead when its terminal closes, and learns the exit status
            # only once it has reaped the process, a moment later on a busy machine.
            if pane("pane_dead") == "1" and (pane("pane_dead_status") or pane("pane_dead_signal")):
                break
        else:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
        time.sleep(0.1)
    else:
        raise AssertionError(f"the app was still running 10 s after {how}")

    assert stored_draft_bodies(db) == [WORDS]
    if how != "kill-session":  # stopped from outside, and says so as a shell would see it
        assert pane("pane_dead_signal") in ("", "0")  # not ended by the signal itself
        assert pane("pane_dead_status") == str(128 + getattr(signal, how))
