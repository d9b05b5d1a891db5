"""A yes/no question before something that cannot be undone; dismisses with True only on yes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from mixtui.ui.common.plain import plain


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical { width: 64; height: auto; padding: 1 2; border: thick $error; background: $surface; }
    ConfirmDialog #confirm-question { text-style: bold; }
    ConfirmDialog #confirm-detail { color: $text-muted; margin-top: 1; }
    ConfirmDialog #confirm-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmDialog Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="library.confirm.no"),
        Binding("y", "answer(True)", "Yes", id="library.confirm.yes"),
    ]

    def __init__(self, question: str, detail: str = "", *, yes_label: str = "Delete") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes_label = yes_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(self.question), id="confirm-question")
            yield Static(plain(f"{self.detail}\ny confirms · n or Escape keeps it".lstrip()), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button("Keep", id="confirm-no")
                yield Button(self.yes_label, variant="error", id="confirm-yes")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def no(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
