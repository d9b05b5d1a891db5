"""A one-line question: returns the text, or None when cancelled with Escape."""

from __future__ import annotations

from collections.abc import Callable, Collection

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from mixtui.ui.common.plain import plain, shown


def name_clash(name: str, taken: Collection[str]) -> str | None:
    """Why ``name`` cannot be a new playlist's name (``taken``: the names in use), or None."""
    wanted = " ".join(name.split()).casefold()
    for existing in taken:
        if existing.casefold() == wanted:
            return f"A playlist named “{existing}” already exists: choose another name"
    return None


class AskText(ModalScreen[str | None]):
    DEFAULT_CSS = """
    AskText { align: center middle; }
    AskText > Vertical { width: 70; height: auto; padding: 1 2; border: thick $primary; background: $surface; }
    AskText Label { margin-bottom: 1; }
    AskText #problem { color: $error; margin-bottom: 0; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(
        self,
        question: str,
        *,
        value: str = "",
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        """``check`` says what is wrong with an answer (the dialog stays open with it), or None."""
        super().__init__()
        self.check = check
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(self.question))
            yield Input(value=shown(self.value), placeholder=self.placeholder, id="answer")
            problem = Label("", id="problem")
            problem.display = False
            yield problem
            yield Label("Enter to confirm, Escape to cancel", classes="empty-state")

    @on(Input.Submitted, "#answer")
    def confirm(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        problem = self.check(text) if text and self.check is not None else None
        if problem:
            label = self.query_one("#problem", Label)
            label.update(plain(problem))
            label.display = True
            self.notify(problem, severity="warning")
            return
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
