"""The baseline: the smallest Textual app, to compare our first frame against."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("bare-app-ready")


if __name__ == "__main__":
    BareApp().run()
