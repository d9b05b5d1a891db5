"""The Browse screen's right column: the highlighted show with its facts and tracklist, or a user or tag."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from mixtui.durations import format_duration
from mixtui.ui.common.media_details import MediaDetails
from mixtui.ui.common.plain import shown

if TYPE_CHECKING:
    from rich.console import RenderableType

    from mixtui.account.mixcloud import ObjectState
    from mixtui.browse import ShowDetail, Tag, User
    from mixtui.models import Media

DETAILS_HINT = "Highlight a show to see its tracklist."


def render_tracklist(detail: ShowDetail) -> RenderableType:
    """Numbered sections with their start times; long names wrap under themselves."""
    from rich.console import Group
    from rich.table import Table

    if not detail.tracklist:
        return Text("No tracklist.", style="italic dim")
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 0), expand=True)
    table.add_column(justify="right", style="dim", no_wrap=True)
    table.add_column(justify="right", style="dim", no_wrap=True)
    table.add_column(ratio=1)
    for index, entry in enumerate(detail.tracklist, 1):
        start = format_duration(entry.start_time) if entry.start_time is not None else ""
        style = "italic" if entry.section_type == "chapter" else ""
        table.add_row(str(index), start, Text(shown(entry.label), style=style))
    return Group(Text(f"Tracklist ({len(detail.tracklist)})", style="bold"), table)


def counted(value: int | None, noun: str) -> str:
    """``1 play``, ``1,204 plays``; nothing when the count is unknown."""
    if value is None:
        return ""
    return f"{value:,} {noun}{'' if value == 1 else 's'}"


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class BrowseDetails(VerticalScroll):
    """A show's card, then its facts and tracklist once fetched; or a user's or tag's facts."""

    def compose(self) -> ComposeResult:
        yield MediaDetails(id="details")
        account_state = Static("", id="account-state")
        account_state.display = False
        yield account_state
        yield Static("", id="show-info")
        yield Static(Text(DETAILS_HINT, style="dim italic"), id="tracklist")

    def _update(self, info: RenderableType, tracklist: RenderableType) -> None:
        self.query_one("#show-info", Static).update(info)
        self.query_one("#tracklist", Static).update(tracklist)

    def clear(self) -> None:
        self.query_one("#details", MediaDetails).media = None
        self._update("", "")

    def show_media(self, media: Media) -> None:
        """The show's card; its facts and tracklist follow with ``show_detail``, ``show_loading`` or ``failed``."""
        self.query_one("#details", MediaDetails).media = media

    def show_loading(self) -> None:
        self._update("", Text("Loading the tracklist…", style="italic"))

    def failed(self, reason: str) -> None:
        self.query_one("#tracklist", Static).update(Text(reason, style="italic"))

    def show_detail(self, detail: ShowDetail) -> None:
        facts = [
            counted(detail.play_count, "play"),
            counted(detail.favorite_count, "favourite"),
            detail.created_time[:10] if detail.created_time else "",
        ]
        info = Text()
        line = " · ".join(fact for fact in facts if fact)
        if line:
            info.append(shown(line) + "\n", style="dim")
        if detail.tags:
            info.append("Tags: ", style="bold")
            info.append(shown(", ".join(tag.name for tag in detail.tags)) + "\n")
        if detail.description:
            info.append("\n" + shown(shorten(detail.description, 240)) + "\n")
        self._update(info, render_tracklist(detail))

    def show_account_state(self, state: ObjectState) -> None:
        """What you did on Mixcloud (not in mixtui's library): favourited, reposted, Listen Later, following."""
        marks = [
            ("♥ favourited", state.favorited),
            ("⟲ reposted", state.reposted),
            ("◷ in Listen Later", state.listen_later),
            ("✓ following", state.following),
        ]
        line = Text("On Mixcloud: ", style="bold")
        shown = [label for label, on in marks if on]
        # Nothing done yet: say so in the object's own terms (a user is followed, a show favourited).
        nothing = "not following" if state.following is not None else "not favourited"
        line.append(" · ".join(shown) if shown else nothing, style="" if shown else "dim")
        widget = self.query_one("#account-state", Static)
        widget.update(line)
        widget.display = True

    def clear_account_state(self) -> None:
        widget = self.query_one("#account-state", Static)
        widget.update("")
        widget.display = False

    def show_person(self, item: User | Tag | None) -> None:
        from mixtui.browse import User

        self.query_one("#details", MediaDetails).media = None
        info = Text()
        hint = Text()
        if isinstance(item, User):
            info.append(shown(item.name) + "\n", style="bold")
            info.append(shown(item.username) + "\n\n", style="italic")
            facts = [item.place, counted(item.follower_count, "follower"), counted(item.cloudcast_count, "show")]
            info.append(shown("\n".join(fact for fact in facts if fact)) + "\n\n")
            info.append(shown(item.url), style="dim")
            hint.append("Enter: their shows", style="italic")
        elif item is not None:
            info.append(shown(item.name) + "\n", style="bold")
            info.append(shown(item.url), style="dim")
            hint.append("Enter: its popular shows", style="italic")
        self._update(info, hint)
