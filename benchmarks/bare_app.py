"""Baselines: the smallest Textual app, and the same app loading our stack's store.

python bare_app.py            shows "bare-app-ready"
python bare_app.py --store    then imports sqlmodel in a thread worker (as the journal
                              does) and shows "bare-store-ready": the floor for
                              "entries visible" on this stack.
"""

import sys

from textual import work
from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    def __init__(self, load_store: bool) -> None:
        super().__init__()
        self.load_store = load_store

    def compose(self) -> ComposeResult:
        yield Static("bare-app-ready", id="status")

    def on_ready(self) -> None:
        if self.load_store:
            self.load()

    @work(thread=True)
    def load(self) -> None:
        import sqlmodel  # noqa: F401

        self.call_from_thread(self.query_one("#status", Static).update, "bare-store-ready")


if __name__ == "__main__":
    BareApp(load_store="--store" in sys.argv).run()
