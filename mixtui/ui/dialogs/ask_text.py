"""A one-line question: returns the text, or None when cancelled with Escape."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from mixtui.ui.plain import plain, shown


class AskText(ModalScreen[str | None]):
    DEFAULT_CSS = """
    AskText { align: center middle; }
    AskText > Vertical { width: 70; height: auto; padding: 1 2; border: thick $primary; background: $surface; }
    AskText Label { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, question: str, *, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(self.question))
            yield Input(value=shown(self.value), placeholder=self.placeholder, id="answer")
            yield Label("Enter to confirm, Escape to cancel", classes="empty-state")

    @on(Input.Submitted, "#answer")
    def confirm(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
