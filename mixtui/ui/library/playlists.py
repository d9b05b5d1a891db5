"""The Library's left column: playlists (Listen Later first) with like marks and counts, and the header
that describes the selected one."""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from mixtui.durations import format_duration
from mixtui.ui.common.plain import shown

if TYPE_CHECKING:
    from mixtui.store.models import Playlist

NAME_WIDTH = 24


def playlist_label(playlist: Playlist, liked: bool, name_width: int = NAME_WIDTH) -> Text:
    """One line: a mark (♥ liked, ◷ Listen Later), the name cut to fit, the item count."""
    if liked:
        mark, style = "♥", "bold red"
    elif playlist.is_listen_later:
        mark, style = "◷", "bold"
    else:
        mark, style = " ", ""
    full_name = shown(playlist.name)
    name = full_name if len(full_name) <= name_width else full_name[: name_width - 1] + "…"
    return Text.assemble((mark, style), " ", name.ljust(name_width), (f"{len(playlist.items):>4}", "dim"))


def track_count(count: int) -> str:
    return f"{count} track{'s' if count != 1 else ''}"


class PlaylistList(OptionList):
    """Playlists keyed by id; ``show`` keeps the highlight on the same playlist when it can."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g", "first", "Top", show=False, id="list.top"),
        Binding("G", "last", "Bottom", show=False, id="list.bottom"),
    ]

    _name_width = NAME_WIDTH
    _shown: tuple[list[Playlist], Set[str]] | None = None

    def on_resize(self) -> None:
        """A narrow column cuts the names shorter, so each playlist stays on one line with its count."""
        width = max(8, min(NAME_WIDTH, self.scrollable_content_region.width - 7))
        if width != self._name_width:
            self._name_width = width
            if self._shown is not None:
                self.show(*self._shown, self.highlighted_id)

    def show(self, playlists: Iterable[Playlist], liked_ids: Set[str], selected_id: str | None) -> str | None:
        """Replace the options; returns the id now highlighted (``selected_id`` if it is still listed)."""
        shown = list(playlists)
        self._shown = (shown, liked_ids)
        self.set_options(Option(playlist_label(p, p.id in liked_ids, self._name_width), id=p.id) for p in shown)
        ids = [p.id for p in shown]
        if not ids:
            return None
        chosen = selected_id if selected_id in ids else ids[0]
        self.highlighted = ids.index(chosen)
        return chosen

    @property
    def highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None


class PlaylistHeader(Static):
    """Name, like state, tags, length, origin and description of the selected playlist."""

    DEFAULT_CSS = """
    PlaylistHeader { height: auto; max-height: 6; padding: 0 1; }
    """

    def describe(self, playlist: Playlist | None, liked: bool) -> None:
        if playlist is None:
            self.update("")
            return
        title = Text.assemble((shown(playlist.name), "bold"))
        if liked:
            title.append("  ♥ liked", style="bold red")
        if playlist.is_listen_later:
            title.append("  built in · private", style="dim")
        facts = [track_count(len(playlist.items))]
        if playlist.duration:
            facts.append(format_duration(playlist.duration))
        if playlist.mode:
            facts.append(f"generated ({playlist.mode})")
        line = Text(" · ".join(facts), style="dim")
        if playlist.tags:
            line = Text.assemble(*((f"#{shown(tag).replace(' ', '_')} ", "italic") for tag in playlist.tags), line)
        parts = [title, line]
        if playlist.prompt:
            parts.append(Text(f"from “{shown(playlist.prompt)}”", style="italic dim"))
        if playlist.description:
            parts.append(Text(shown(playlist.description)))
        self.update(Text("\n").join(parts))
