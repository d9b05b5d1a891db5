"""Manual pick: each suggested track's versions side by side, one per platform; choose, save or play."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from mixtui.platform_names import SEARCHABLE_PLATFORMS
from mixtui.ui.common.base_screen import MediaScreen
from mixtui.ui.common.media_table import platform_badge
from mixtui.ui.common.plain import plain, shown
from mixtui.ui.generate.candidates import CandidateCards, CandidateClicked
from mixtui.ui.player.now_playing import NowPlayingBar

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.planner.generate import GeneratedPlaylist
    from mixtui.planner.matching import Match

# Number keys pick a platform column; six covers every searchable platform.
COLUMN_KEYS = 6


def platform_columns(playlist: GeneratedPlaylist) -> list[str]:
    """The platforms with a version of at least one track, in the usual platform order."""
    present = {media.platform.value for item in playlist.items for media in item.results}
    ordered = [p.value for p in SEARCHABLE_PLATFORMS if p.value in present]
    return ordered + sorted(present - set(ordered))


class ManualPickScreen(MediaScreen):
    """Edits ``picks`` (item index -> result index) in place; the Generate screen shares the dict."""

    DEFAULT_CSS = """
    ManualPickScreen #pick-intro { height: auto; padding: 1 2 0 2; }
    ManualPickScreen #tracks { height: auto; max-height: 13; margin: 1 1 0 1; }
    ManualPickScreen #track-heading { height: 1; padding: 0 2; margin-top: 1; text-style: bold; }
    ManualPickScreen #candidates { height: 1fr; min-height: 10; max-height: 14; padding: 0 1; }
    ManualPickScreen #pick-filler { height: 1fr; }
    """

    # The media keys (a, A, l, f, F, o) come from MediaScreen; Enter keeps a pick here instead of playing.
    BINDINGS = [
        Binding("escape", "back", "Back", id="manual_pick.back"),
        Binding("j", "move(1)", "Next track", show=False, id="manual_pick.next_track"),
        Binding("k", "move(-1)", "Previous track", show=False, id="manual_pick.previous_track"),
        Binding("g", "move_to(0)", "First track", show=False, id="manual_pick.first_track"),
        Binding("G", "move_to(-1)", "Last track", show=False, id="manual_pick.last_track"),
        Binding("left", "step(-1)", "◀ Version", priority=True, id="manual_pick.previous_version"),
        Binding("right", "step(1)", "Version ▶", priority=True, id="manual_pick.next_version"),
        *(
            Binding(str(n), f"pick_column({n})", f"Pick column {n}", show=False, id=f"manual_pick.column_{n}")
            for n in range(1, COLUMN_KEYS + 1)
        ),
        Binding("enter", "keep", "Keep & next", priority=True, id="manual_pick.keep"),
        Binding("ctrl+s,s", "save", "Save", id="manual_pick.save"),
        Binding("P", "play_picks", "Play picks", id="manual_pick.play"),
        Binding("Q", "enqueue_picks", "Queue picks", id="manual_pick.enqueue"),
    ]

    def __init__(self, playlist: GeneratedPlaylist, picks: dict[int, int]) -> None:
        super().__init__()
        self.playlist = playlist
        self.picks = picks
        self.platforms = platform_columns(playlist)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="pick-intro")
        yield DataTable[str | Text](id="tracks", cursor_type="row", zebra_stripes=True)
        yield Static("", id="track-heading")
        yield CandidateCards(self.platforms, id="candidates")
        yield Static("", id="pick-filler")
        yield NowPlayingBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Manual pick"
        table = self.query_one("#tracks", DataTable)
        table.add_column("#", key="n", width=3)
        table.add_column("", key="kept", width=1)
        table.add_column("Suggested track", key="suggested", width=40)
        table.add_column("", key="platform", width=4)
        table.add_column("Your pick", key="pick", width=46)
        table.add_column("Length", key="length", width=7)
        table.add_column("Score", key="score", width=5)
        for index in range(len(self.playlist.items)):
            table.add_row(*self._row(index), key=str(index))
        table.focus()
        self._refresh()

    # -- state ------------------------------------------------------------------------------
    @property
    def track(self) -> int:
        row = self.query_one("#tracks", DataTable).cursor_row
        return min(max(row, 0), len(self.playlist.items) - 1)

    def pick_of(self, index: int) -> int:
        return self.picks.get(index, 0)

    def picked_match(self, index: int) -> Match:
        return self.playlist.items[index].matches[self.pick_of(index)]

    def picked_media(self) -> list[Media]:
        return self.playlist.media_to_save(self.picks)

    def _matches_by_platform(self, index: int) -> dict[str, Match]:
        return {match.media.platform.value: match for match in self.playlist.items[index].matches}

    # -- drawing ----------------------------------------------------------------------------
    def _row(self, index: int) -> list[str | Text]:
        from mixtui.durations import format_duration

        item = self.playlist.items[index]
        match = self.picked_match(index)
        kept = Text("✓", style="bold green") if index in self.picks else Text("")
        return [
            str(index + 1),
            kept,
            plain(f"{item.title} — {item.author}"),
            platform_badge(match.media.platform.value),
            plain(f"{match.media.title} — {match.media.author}"),
            format_duration(match.media.duration),
            f"{match.score:.0f}",
        ]

    def _refresh_row(self, index: int) -> None:
        table = self.query_one("#tracks", DataTable)
        for key, value in zip(
            ("n", "kept", "suggested", "platform", "pick", "length", "score"), self._row(index), strict=True
        ):
            table.update_cell(str(index), key, value)

    def _refresh(self) -> None:
        index = self.track
        item = self.playlist.items[index]
        total = len(self.playlist.items)
        kept = len(self.picks)
        columns = len(self.platforms)
        keys = f"1–{min(columns, COLUMN_KEYS)}" if columns > 1 else "1"
        self.query_one("#pick-intro", Static).update(
            Content.assemble(
                (shown(self.playlist.title), "bold $accent"),
                f"  ·  {kept}/{total} kept by you, the others keep their best match\n",
                (
                    f"j/k move between tracks · ←/→ or {keys} pick a platform · Enter keeps it and moves on · "
                    "ctrl+s saves · P plays · Escape goes back",
                    "$foreground-muted",
                ),
            )
        )
        self.query_one("#track-heading", Static).update(
            plain(f"Track {index + 1}/{total}: {item.title} — {item.author}  ({len(item.matches)} versions found)")
        )
        picked = self.picked_match(index).media.platform.value
        self.query_one("#candidates", CandidateCards).show(self._matches_by_platform(index), picked)

    @on(DataTable.RowHighlighted, "#tracks")
    def track_highlighted(self) -> None:
        self._refresh()

    # -- moving and picking -----------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self.action_move_to(min(max(self.track + delta, 0), len(self.playlist.items) - 1))

    def action_move_to(self, row: int) -> None:
        target = row if row >= 0 else len(self.playlist.items) + row
        self.query_one("#tracks", DataTable).move_cursor(row=target)

    def choose(self, index: int, platform: str) -> bool:
        """Pick ``platform``'s version of track ``index``; False when that platform has none."""
        results = self.playlist.items[index].results
        for position, media in enumerate(results):
            if media.platform.value == platform:
                self.picks[index] = position
                self._refresh_row(index)
                self._refresh()
                return True
        return False

    def action_step(self, delta: int) -> None:
        """Pick the next platform to the left/right that has a version of this track."""
        index = self.track
        available = [p for p in self.platforms if p in self._matches_by_platform(index)]
        current = available.index(self.picked_match(index).media.platform.value)
        self.choose(index, available[(current + delta) % len(available)])

    def action_pick_column(self, number: int) -> None:
        if number > len(self.platforms):
            self.notify(f"There is no column {number}: {len(self.platforms)} platforms here", severity="warning")
            return
        platform = self.platforms[number - 1]
        if not self.choose(self.track, platform):
            self.notify(f"{platform} has no version of this track", title="Manual pick", severity="warning")

    @on(CandidateClicked)
    def candidate_clicked(self, message: CandidateClicked) -> None:
        self.action_pick_column(message.column + 1)

    def action_keep(self) -> None:
        index = self.track
        self.picks[index] = self.pick_of(index)
        self._refresh_row(index)
        if index + 1 < len(self.playlist.items):
            self.action_move(1)
        else:
            self._refresh()
            self.notify("Every track has a pick: ctrl+s saves the playlist, P plays it", title="Manual pick")

    # -- the picked list --------------------------------------------------------------------
    def action_save(self) -> None:
        from mixtui.ui.generate.save_dialog import save_with_name

        save_with_name(self, self.playlist, self.picks)

    def action_play_picks(self) -> None:
        if self.mixtui.is_ready:
            from mixtui.ui.generate.screen import generated_origin

            self.mixtui.media_actions.play(self.picked_media(), None, origin=generated_origin(self.playlist))

    def action_enqueue_picks(self) -> None:
        if self.mixtui.is_ready:
            self.mixtui.media_actions.enqueue(self.picked_media())

    def action_back(self) -> None:
        self.dismiss(None)

    # -- media keys act on the current track's pick ----------------------------------------
    def highlighted_media(self) -> Media | None:
        return self.picked_match(self.track).media

    def media_context(self) -> tuple[list[Media], int, str | None]:
        return self.picked_media(), self.track, None
