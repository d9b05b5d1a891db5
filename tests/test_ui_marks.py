"""What the lists show: ♥ favourites and ★ follows on rows and in the Library, names as platforms write
them, the idle now-playing bar, titles cut with an ellipsis, wide characters that keep the columns."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static
from textual.widgets._progress_bar import Bar

from mixtui.ui.app import MixtuiApp
from mixtui.ui.common.ask_text import AskText
from mixtui.ui.common.media_table import MediaTable, cell_text, clean_text
from mixtui.ui.library.screen import LibraryScreen
from mixtui.ui.player.now_playing import NowPlayingBar
from tests.support.audio import write_wav
from tests.support.platform_servers import PlatformServers
from tests.support.ui import make_app, notifications
from tests.test_ui_library import library_app, settle

pytestmark = pytest.mark.timeout(90)


async def wait_for(condition: Any, timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def cell(table: MediaTable, row: int, column: str) -> str:
    return str(table.get_cell_at((row, table.get_column_index(column))))


async def search(app: MixtuiApp, pilot: Pilot[Any], text: str = "moon river") -> MediaTable:
    box = app.screen.query_one("#query", Input)
    box.focus()
    box.value = text
    await pilot.press("enter")
    await settle(app, pilot)
    table = app.screen.query_one("#results", MediaTable)
    table.focus()
    return table


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_favourites_and_follows_show_on_rows_and_in_the_library(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    app, _ = library_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        table = await search(app, pilot)
        table.move_cursor(row=1)
        faved = table.media[1]
        await pilot.press("f")
        await settle(app, pilot)
        assert "♥" in cell(table, 1, "mark") and "♥" not in cell(table, 0, "mark")
        await pilot.press("F")
        await settle(app, pilot)
        same_author = [row for row, media in enumerate(table.media) if media.author == faved.author]
        assert all(cell(table, row, "author").startswith("★ ") for row in same_author)
        assert not cell(table, 0, "author").startswith("★") or table.media[0].author == faved.author
        # Listen Later: the second time says so.
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        shown = notifications(app)
        assert any(f"Added to Listen Later: {faved.title}" in text for text in shown)
        assert any(f"Already in Listen Later: {faved.title}" in text for text in shown)
        # The Library lists them.
        await pilot.press("f3")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        screen.query_one("#playlists").focus()
        await pilot.press("V")
        await settle(app, pilot)
        favs = screen.query_one("#favs", MediaTable)
        assert favs.has_focus and [m.id for m in favs.media] == [faved.id]
        assert "♥" in cell(favs, 0, "mark") and cell(favs, 0, "author").startswith("★ ")
        assert f"Following: {faved.author}" in str(screen.query_one("#following", Static).render())
        # Unfavourite from the Library: the list follows.
        await pilot.press("f")
        await settle(app, pilot)
        assert favs.media == [] and screen.query_one("#favs-empty").display
        assert app.is_running


async def test_a_taken_playlist_name_keeps_the_typed_name_and_says_why(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app, _ = library_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(app, pilot)
        app.screen.query_one("#playlists").focus()
        await pilot.press("N", *"road TRIP", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AskText)
        assert dialog.query_one("#answer", Input).value == "road TRIP"
        assert "A playlist named “Road trip” already exists" in str(dialog.query_one("#problem", Static).render())
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"home", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, AskText)
        assert any("Created “road home”" in text for text in notifications(app))


async def test_platforms_are_named_as_written_and_a_disabled_one_is_not_offered(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app = make_app(tmp_path, platform_servers, platforms={"vimeo": {"enabled": False}})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        select = app.screen.query_one("#platform", Select)
        labels = {str(label): value for label, value in select._options}
        assert labels == {
            "All platforms": "all",
            "YouTube": "youtube",
            "SoundCloud": "soundcloud",
            "Mixcloud": "mixcloud",
            "Bandcamp": "bandcamp",
            "URL": "url",
        }
        await search(app, pilot)
        chips = [str(chip.render()) for chip in app.screen.query("StatusChip")]
        assert any(text.startswith("YouTube ") for text in chips)
        assert any(text.startswith("SoundCloud ") for text in chips)
        # Turned on again in Settings: offered again.
        await pilot.press("f6")
        await settle(app, pilot)
        from textual.widgets import Switch

        app.screen.query_one("#platform-vimeo", Switch).value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        select = app.screen.query_one("#platform", Select)
        assert "Vimeo" in {str(label) for label, _value in select._options}


async def test_the_idle_bar_is_still_and_clears_after_the_last_track(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    music = tmp_path / "music"
    music.mkdir()
    write_wav(music / "Tiny Band - Short One.wav", 1.2, rate=8000)
    app = make_app(tmp_path, platform_servers, platforms={"local": {"enabled": True}}, player={"autoplay": False})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        bar = app.screen.query_one(NowPlayingBar)
        progress = bar.query_one("#np-progress")
        assert progress.query_one(Bar).auto_refresh is None and not progress.visible
        app.screen.query_one("#platform", Select).value = "local"
        table = await search(app, pilot, "short one")
        assert len(table.media) == 1
        await pilot.press("enter")
        await wait_for(lambda: bar.media is not None and bar.state == "playing")
        assert progress.visible
        await wait_for(lambda: bar.media is None, timeout=20)  # the track ended
        await pilot.pause()
        assert bar.state == "stopped" and not progress.visible
        assert progress.query_one(Bar).auto_refresh is None  # no sweeping redraws while idle
        assert "Nothing playing" in str(bar.query_one("#np-title", Static).render())


def test_wide_characters_take_the_columns_they_are_counted_for() -> None:
    """VS16 and joiners are dropped (terminals draw them wider than counted); bidi overrides too."""
    assert clean_text("Love ❤️ song") == "Love ❤ song"
    assert clean_text("a\u202eb\u200dc\td") == "abc␉d"  # control codes as symbols, never acted on
    assert clean_text("月亮河 Moon River") == "月亮河 Moon River"
    console = Console(width=20, color_system=None, legacy_windows=False)
    for title in ("月亮河 月亮河 月亮河 月亮河", "❤️" * 15, "נהר הירח נהר הירח נהר הירח", "[bold]not markup[/]"):
        text = cell_text(title)
        lines = console.render_lines(text, console.options.update_width(12), pad=False)
        rendered = "".join(segment.text for segment in lines[0])
        assert len(lines) == 1 and console.measure(rendered).maximum <= 12, title
        assert rendered.endswith("…"), title  # cut with an ellipsis, not mid-character
        assert not title.startswith("[") or rendered.startswith("[bold]")  # text, never markup


async def test_at_80x24_the_queue_gives_its_titles_the_room(tmp_path: Path, platform_servers: PlatformServers) -> None:
    """Lived in tmux: search, play a file, open the Queue at 80×24 — titles were cut to 9 columns."""
    music = tmp_path / "music"
    music.mkdir()
    write_wav(music / "Henry Mancini - Moon River.wav", 30, rate=8000)
    write_wav(music / "Audrey Hepburn - Moon River (demo).wav", 30, rate=8000)
    app = make_app(tmp_path, platform_servers, platforms={"local": {"enabled": True}})
    async with app.run_test(size=(80, 24)) as pilot:
        table = await search(app, pilot)
        row = next(r for r, m in enumerate(table.media) if m.platform.value == "local")
        table.move_cursor(row=row)
        await pilot.press("enter")
        await wait_for(lambda: app.media_actions.now_playing.state == "playing")
        await pilot.press("f5")
        await settle(app, pilot)
        from mixtui.ui.player.queue import QueueTable

        queue = app.screen.query_one(QueueTable)
        widths = {str(key.value): column.width for key, column in queue.columns.items()}
        assert widths["title"] >= 20 and widths["title"] > widths["note"], widths
        assert sum(column.get_render_width(queue) for column in queue.columns.values()) <= queue.size.width
        await pilot.press("space")
        await wait_for(lambda: app.media_actions.now_playing.state == "paused")
        assert app.is_running


async def test_generate_offers_only_enabled_main_platforms(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app = make_app(tmp_path, platform_servers, platforms={"soundcloud": {"enabled": False}})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await settle(app, pilot)
        select = app.screen.query_one("#main-platform", Select)
        assert [str(label) for label, _value in select._options if str(label)] == [
            "YouTube",
            "Mixcloud",
            "Bandcamp",
            "Vimeo",
        ]


async def test_titles_with_brackets_are_text_in_every_list(tmp_path: Path, platform_servers: PlatformServers) -> None:
    """A title such as "[bold]x[/]" or "[Live]" shows as written in the history too."""
    from mixtui.models import Media, Platform
    from mixtui.store import Library

    odd = Media(
        id="youtube-brackets01",
        title="[Live] Moon River [bold]set[/]",
        author="[b]Trio[/b]",
        platform=Platform.YOUTUBE,
        url="https://www.youtube.com/watch?v=brackets01",
        duration=61,
    )
    from datetime import UTC, datetime

    with Library(tmp_path / "library.json") as store:
        store.plays.record_play(odd, datetime(2026, 1, 1, tzinfo=UTC), None)
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(app, pilot)
        app.screen.query_one("#playlists").focus()
        await pilot.press("H")
        await settle(app, pilot)
        from mixtui.ui.library.history import HistoryTable

        history = app.screen.query_one(HistoryTable)
        from textual.widgets._data_table import default_cell_formatter

        # What the table draws: a plain string cell would be read as markup and lose its brackets.
        title = default_cell_formatter(history.get_cell_at((0, 2)))
        author = default_cell_formatter(history.get_cell_at((0, 3)))
        assert str(title) == odd.title and str(author) == odd.author


async def test_a_screen_first_opened_while_paused_shows_the_time(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    """Lived in tmux: play, pause, then open the Queue for the first time — its bar had no time and no bar."""
    music = tmp_path / "music"
    music.mkdir()
    write_wav(music / "Henry Mancini - Moon River.wav", 30, rate=8000)
    app = make_app(tmp_path, platform_servers, platforms={"local": {"enabled": True}})
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#platform", Select).value = "local"
        await search(app, pilot)
        await pilot.press("enter")
        await wait_for(lambda: app.media_actions.now_playing.state == "playing")
        await wait_for(lambda: app.media_actions.now_playing.position >= 1)
        await pilot.press("space")
        await wait_for(lambda: app.media_actions.now_playing.state == "paused")
        await pilot.press("f5")
        await settle(app, pilot)
        bar = app.screen.query_one(NowPlayingBar)
        assert str(bar.query_one("#np-time", Static).render()).endswith("/ 0:30")
        assert bar.query_one("#np-progress").visible
        assert str(bar.query_one("#np-state", Static).render()) == "⏸"
