"""Export a playlist: a format (M3U, M3U8, XSPF, PLS or JSON), the file to write, and how local files are named."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from mixtui.ui.common.plain import plain

FORMATS = {
    "m3u": "M3U (any player)",
    "m3u8": "M3U8 (M3U in UTF-8)",
    "xspf": "XSPF (local files as file:// URIs)",
    "pls": "PLS (Winamp, VLC)",
    "json": "JSON (everything mixtui keeps)",
}
# Formats that can name local files relative to the playlist file's folder.
RELATIVE_FORMATS = frozenset({"m3u", "m3u8", "pls"})


@dataclass(frozen=True)
class ExportChoice:
    fmt: str
    path: Path
    # Local files as paths relative to the written file's folder (M3U, M3U8, PLS).
    relative: bool = False


def file_stem(name: str) -> str:
    """A playlist name as a file name: no path separators or control characters."""
    cleaned = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", name)
    return " ".join(cleaned.split()) or "playlist"


def default_export_path(folder: Path, name: str, fmt: str) -> Path:
    return folder / f"{file_stem(name)}.{fmt}"


def with_format(path_text: str, fmt: str) -> str:
    """Swap a known playlist extension for ``fmt``'s (other names are left alone)."""
    for extension in (".m3u8", ".m3u", ".xspf", ".pls", ".json"):
        if path_text.lower().endswith(extension):
            return path_text[: -len(extension)] + f".{fmt}"
    return path_text


class ExportDialog(ModalScreen[ExportChoice | None]):
    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical { width: 80; height: auto; padding: 1 2; border: thick $primary; background: $surface; }
    ExportDialog #export-title { text-style: bold; }
    ExportDialog RadioSet { width: 100%; }
    ExportDialog Checkbox { width: 100%; border: none; padding: 0; margin: 0; }
    ExportDialog #export-hint { color: $text-muted; }
    ExportDialog #export-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    ExportDialog Button { margin-left: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="library.export.cancel")]

    def __init__(self, name: str, count: int, folder: Path) -> None:
        super().__init__()
        self.playlist_name = name
        self.count = count
        self.folder = folder
        self.fmt = "m3u"

    def compose(self) -> ComposeResult:
        with Vertical():
            tracks = f"{self.count} track{'s' if self.count != 1 else ''}"
            yield Label(plain(f"Export “{self.playlist_name}” ({tracks})"), id="export-title")
            with RadioSet(id="export-format"):
                for fmt, label in FORMATS.items():
                    yield RadioButton(label, value=fmt == self.fmt, id=f"format-{fmt}")
            yield Label("To the file")
            yield Input(value=str(default_export_path(self.folder, self.playlist_name, self.fmt)), id="export-path")
            yield Checkbox("Local files relative to the file's folder (M3U, M3U8, PLS)", id="export-relative")
            yield Static("Page URLs only, so it plays anywhere · Enter exports · Escape cancels", id="export-hint")
            with Horizontal(id="export-buttons"):
                yield Button("Cancel", id="export-cancel")
                yield Button("Export", variant="primary", id="export-save")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(RadioSet.Changed, "#export-format")
    def format_changed(self, event: RadioSet.Changed) -> None:
        self.fmt = str(event.pressed.id).removeprefix("format-")
        path = self.query_one("#export-path", Input)
        path.value = with_format(path.value, self.fmt)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-save")
    def export(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.notify("Give the file to write", title="Export", severity="warning")
            return
        relative = self.query_one("#export-relative", Checkbox).value and self.fmt in RELATIVE_FORMATS
        self.dismiss(ExportChoice(self.fmt, Path(text).expanduser(), relative=relative))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
