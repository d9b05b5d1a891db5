"""Tags and description of a playlist in one dialog; tags autocomplete from the library's own."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from mixtui.ui.common.plain import plain, shown
from mixtui.ui.library.suggest import TagListSuggester, TagLookup


@dataclass(frozen=True)
class PlaylistDetails:
    tags: list[str]
    description: str


def split_tags(text: str) -> list[str]:
    """``chill, hip hop ,jazz`` → ``["chill", "hip hop", "jazz"]`` (empty pieces dropped)."""
    return [piece.strip() for piece in text.split(",") if piece.strip()]


class PlaylistEditDialog(ModalScreen[PlaylistDetails | None]):
    DEFAULT_CSS = """
    PlaylistEditDialog { align: center middle; }
    PlaylistEditDialog > Vertical { width: 76; height: auto; padding: 1 2; border: thick $primary;
                                    background: $surface; }
    PlaylistEditDialog #edit-title { text-style: bold; margin-bottom: 1; }
    PlaylistEditDialog .field-label { color: $text-muted; }
    PlaylistEditDialog #edit-hint { color: $text-muted; margin-top: 1; }
    PlaylistEditDialog #edit-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    PlaylistEditDialog Button { margin-left: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="library.edit.cancel")]

    def __init__(self, name: str, tags: list[str], description: str, tags_starting: TagLookup) -> None:
        super().__init__()
        self.playlist_name = name
        self.tags = tags
        self.description = description
        self.tags_starting = tags_starting

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(f"Tags and description of “{self.playlist_name}”"), id="edit-title")
            yield Label("Tags, separated by commas (→ accepts a suggestion)", classes="field-label")
            yield Input(
                value=shown(", ".join(self.tags)),
                placeholder="chill, hip hop, beach",
                suggester=TagListSuggester(self.tags_starting),
                id="edit-tags",
            )
            yield Label("Description", classes="field-label")
            yield Input(value=shown(self.description), placeholder="What is it for?", id="edit-description")
            yield Static("Enter saves · Escape cancels", id="edit-hint")
            with Horizontal(id="edit-buttons"):
                yield Button("Cancel", id="edit-cancel")
                yield Button("Save", variant="primary", id="edit-save")

    def on_mount(self) -> None:
        self.query_one("#edit-tags", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#edit-save")
    def save(self) -> None:
        tags = split_tags(self.query_one("#edit-tags", Input).value)
        description = " ".join(self.query_one("#edit-description", Input).value.split())
        self.dismiss(PlaylistDetails(tags, description))

    @on(Button.Pressed, "#edit-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
