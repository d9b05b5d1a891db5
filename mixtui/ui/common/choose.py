"""Pick one of a list (type to filter); returns the chosen value, or None when cancelled."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from mixtui.ui.common.plain import plain


class Choose(ModalScreen[str | None]):
    DEFAULT_CSS = """
    Choose { align: center middle; }
    Choose > Vertical { width: 70; height: auto; max-height: 80%; padding: 1 2; border: thick $primary;
                        background: $surface; }
    Choose OptionList { height: auto; max-height: 16; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]], *, new_prefix: str | None = None) -> None:
        """``options`` are (label, value); with ``new_prefix`` typed text can become a new value."""
        super().__init__()
        self.title_text = title
        self.options = options
        self.new_prefix = new_prefix

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Input(placeholder="type to filter" + (", Enter to create" if self.new_prefix else ""), id="filter")
            yield OptionList(*(Option(plain(label), id=value) for label, value in self.options), id="choices")

    @on(Input.Changed, "#filter")
    def filter(self, event: Input.Changed) -> None:
        wanted = event.value.casefold().strip()
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        shown = [(label, value) for label, value in self.options if wanted in label.casefold()]
        choices.add_options(Option(plain(label), id=value) for label, value in shown)
        if choices.option_count:
            choices.highlighted = 0

    @on(Input.Submitted, "#filter")
    def submit_filter(self, event: Input.Submitted) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count and choices.highlighted is not None:
            self.dismiss(choices.get_option_at_index(choices.highlighted).id)
        elif self.new_prefix and event.value.strip():
            self.dismiss(self.new_prefix + event.value.strip())

    @on(OptionList.OptionSelected, "#choices")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
