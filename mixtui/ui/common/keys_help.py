"""``?``: the keys that apply on this screen and everywhere, read from the bindings themselves."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from mixtui.ui.keys import KeyHelp


class KeysHelp(ModalScreen[None]):
    DEFAULT_CSS = """
    KeysHelp { align: center middle; }
    KeysHelp > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        padding: 0 2; border: thick $primary; background: $surface;
    }
    KeysHelp .keys-section { text-style: bold; color: $accent; margin-top: 1; }
    KeysHelp #keys-close { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    def __init__(self, screen_title: str, lines: list[KeyHelp]) -> None:
        super().__init__()
        self.screen_title = screen_title
        self.lines = lines

    def compose(self) -> ComposeResult:
        width = max((len(line.keys) for line in self.lines), default=8)
        width = min(width, 22)
        with VerticalScroll(id="keys-help"):
            for everywhere, heading in ((False, f"Here: {self.screen_title}"), (True, "Everywhere")):
                lines = [line for line in self.lines if line.everywhere is everywhere]
                if not lines:
                    continue
                yield Static(heading, classes="keys-section")
                text = Content("\n").join(
                    Content.assemble((line.keys.ljust(width), "bold"), "  ", line.title) for line in lines
                )
                yield Static(text, classes="keys-list")
            yield Static("Escape, q or ? closes · ctrl+p lists every action", id="keys-close")

    def action_close(self) -> None:
        self.dismiss(None)
