"""The Library screen, driven with Pilot on a real TinyDB file in ``tmp_path``.

The library is seeded with ``Library`` before the app starts and read back with a fresh ``Library``
after it stops, so every edit made from the screen is checked on disk. Presets run their searches
on the replay servers; plays go through real mpv with ``ao=null``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from mixtui.models import Media, Platform
from mixtui.store import LISTEN_LATER_ID, Library
from mixtui.ui.app import MixtuiApp
from mixtui.ui.common.ask_text import AskText
from mixtui.ui.common.confirm import ConfirmDialog
from mixtui.ui.common.media_table import MediaTable
from mixtui.ui.library.edit_dialog import PlaylistEditDialog
from mixtui.ui.library.export_dialog import ExportDialog
from mixtui.ui.library.history import HistoryTable, played_when
from mixtui.ui.library.playlists import PlaylistHeader, PlaylistList
from mixtui.ui.library.presets import PresetTable
from mixtui.ui.library.screen import LibraryScreen
from mixtui.ui.search.screen import SearchScreen
from tests.support.audio import write_wav
from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE, make_app, notifications

pytestmark = pytest.mark.timeout(90)


def track(platform: str, native: str, title: str, author: str, duration: float | None, url: str) -> Media:
    return Media(
        id=f"{platform}-{native}", title=title, author=author, platform=Platform(platform), url=url, duration=duration
    )


MOON_RIVER = track(
    "youtube", "dQ1moonriv0", "Moon River", "Audrey Hepburn", 163, "https://www.youtube.com/watch?v=dQ1moonriv0"
)
TAKE_FIVE = track(
    "soundcloud", "40644970", "Take Five", "The Dave Brubeck Quartet", 324, "https://soundcloud.com/brubeck/take-five"
)
SO_WHAT = track("bandcamp", "so-what", "So What", "Miles Davis", 562, "https://milesdavis.bandcamp.com/track/so-what")
JAZZ_CAFE = track(
    "mixcloud", "jazzfm-sunday", "Sunday Jazz Café", "Jazz FM", 3600, "https://www.mixcloud.com/jazzfm/sunday/"
)
IPANEMA = track("vimeo", "76979871", "The Girl from Ipanema", "Astrud Gilberto", 318, "https://vimeo.com/76979871")
NIGHTCALL = track("youtube", "MV_3Dpw-BRY", "Nightcall", "Kavinsky", 258, "https://www.youtube.com/watch?v=MV_3Dpw-BRY")
LOFI_MIX = track(
    "soundcloud", "1200001", "Lo-fi beats to drive to", "Chillhop Music", 2710, "https://soundcloud.com/chillhop/drive"
)
BEACH = [MOON_RIVER, TAKE_FIVE, SO_WHAT, JAZZ_CAFE]
ROAD = [NIGHTCALL, LOFI_MIX, IPANEMA]
PLAYED_AT = datetime(2025, 3, 1, 20, 15, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    beach: str
    road: str
    lofi: str


def seed_library(path: Path) -> Seeded:
    """Three playlists (one liked, tagged, generated), Listen Later, two presets and two plays."""
    with Library(path) as store:
        beach = store.playlists.create(
            "Beach jazz",
            items=BEACH,
            tags=["jazz", "beach", "chill"],
            description="Warm records for a slow afternoon by the sea.",
            prompt="vintage jazz music to listen on the beach",
            mode="smart",
        )
        road = store.playlists.create("Road trip", items=ROAD, tags=["driving", "synthwave"])
        lofi = store.playlists.create("Late night lo-fi", items=[LOFI_MIX], tags=["chill", "hip hop"])
        store.playlists.add_items(LISTEN_LATER_ID, [IPANEMA])
        store.likes.toggle_like(beach.id)
        store.presets.add("Moon river everywhere", query="moon river")
        store.presets.add("Chill, most played", smart_id="tags:chill:popular")
        store.plays.record_play(MOON_RIVER, PLAYED_AT, beach.id)
        store.plays.record_play(TAKE_FIVE, PLAYED_AT + timedelta(minutes=3), beach.id, skipped=True)
    return Seeded(beach.id, road.id, lofi.id)


def library_app(tmp_path: Path, servers: PlatformServers, **sections: Any) -> tuple[MixtuiApp, Seeded]:
    seeded = seed_library(tmp_path / "library.json")
    return make_app(tmp_path, servers, **sections), seeded


def stored(tmp_path: Path) -> Library:
    """The library file as another process would read it (open after the app has closed its store)."""
    return Library(tmp_path / "library.json")


async def settle(app: MixtuiApp, pilot: Pilot[Any]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_library(app: MixtuiApp, pilot: Pilot[Any]) -> LibraryScreen:
    await app.switch_mode("library")
    await settle(app, pilot)
    assert isinstance(app.screen, LibraryScreen)
    return app.screen


async def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def listed(screen: LibraryScreen) -> list[str]:
    """The playlist names in the left column, in order."""
    playlists = screen.query_one("#playlists", PlaylistList)
    return [str(option.prompt)[2:].split("  ")[0].strip() for option in playlists.options]


def labels(screen: LibraryScreen) -> dict[str, str]:
    playlists = screen.query_one("#playlists", PlaylistList)
    return {str(option.id): str(option.prompt) for option in playlists.options}


async def pick_playlist(screen: LibraryScreen, pilot: Pilot[Any], playlist_id: str) -> None:
    playlists = screen.query_one("#playlists", PlaylistList)
    playlists.focus()
    playlists.highlighted = playlists.get_option_index(playlist_id)
    await pilot.pause()


def item_ids(screen: LibraryScreen) -> list[str]:
    return [media.id for media in screen.query_one("#items", MediaTable).media]


async def answer(app: MixtuiApp, pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` into the open AskText dialog and confirm."""
    assert isinstance(app.screen, AskText)
    app.screen.query_one("#answer", Input).value = text
    await pilot.press("enter")
    await settle(app, pilot)


async def test_playlists_listen_later_first_liked_marked_with_counts_and_played_marks(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app, seeded = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        assert listed(screen) == ["Listen Later", "Beach jazz", "Late night lo-fi", "Road trip"]
        shown = labels(screen)
        assert shown[seeded.beach].startswith("♥") and shown[seeded.beach].endswith(" 4")
        assert not shown[seeded.road].startswith("♥") and shown[seeded.road].endswith(" 3")
        assert shown[LISTEN_LATER_ID].endswith(" 1")
        # Listen Later is open first.
        assert item_ids(screen) == [IPANEMA.id]
        await pick_playlist(screen, pilot, seeded.beach)
        await settle(app, pilot)
        assert item_ids(screen) == [m.id for m in BEACH]
        table = screen.query_one("#items", MediaTable)
        assert table.played_ids == {MOON_RIVER.id, TAKE_FIVE.id}
        header = str(screen.query_one("#playlist-header", PlaylistHeader).render())
        assert "Beach jazz" in header and "liked" in header and "#jazz" in header and "4 tracks" in header
        # Playing from a row takes the playlist along, so the play is reported against it.
        await pilot.press("enter")
        assert screen.query_one("#items", MediaTable).has_focus
        await pilot.press("j", "j")
        items, index, playlist_id = screen.media_context()
        assert [m.id for m in items] == [m.id for m in BEACH]
        assert (index, playlist_id) == (2, seeded.beach)
        assert screen.highlighted_media() == SO_WHAT


async def test_create_rename_and_delete_a_playlist(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app, _ = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pilot.press("N")
        await answer(app, pilot, "Night drive")
        assert "Night drive" in listed(screen)
        created = screen.query_one("#playlists", PlaylistList).highlighted_id
        assert created is not None and created.startswith("pl-")
        assert "Nothing in “Night drive” yet" in str(screen.query_one("#items-empty", Static).render())
        # A taken name is refused with the store's reason; nothing changes.
        await pilot.press("r")
        assert isinstance(app.screen, AskText)
        assert app.screen.query_one("#answer", Input).value == "Night drive"
        await answer(app, pilot, "road TRIP")
        assert any("already exists" in text for text in notifications(app))
        await pilot.press("r")
        await answer(app, pilot, "Night ride")
        assert "Night ride" in listed(screen) and "Night drive" not in listed(screen)
        assert screen.query_one("#playlists", PlaylistList).highlighted_id == created
        # Escape in the confirm dialog keeps it; y deletes it.
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "Night ride" in listed(screen)
        await pilot.press("D")
        await pilot.press("y")
        await settle(app, pilot)
        assert "Night ride" not in listed(screen)
        assert any("Deleted “Night ride”" in text for text in notifications(app))
    with stored(tmp_path) as store:
        names = [p.name for p in store.playlists.all()]
    assert names == ["Listen Later", "Beach jazz", "Late night lo-fi", "Road trip"]


async def test_listen_later_cannot_be_deleted_or_renamed(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app, _ = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pick_playlist(screen, pilot, LISTEN_LATER_ID)
        await pilot.press("D")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert any("Listen Later is built in and cannot be deleted" in text for text in notifications(app))
        await pilot.press("r")
        await settle(app, pilot)
        assert not isinstance(app.screen, AskText)
        assert any("keeps its name" in text for text in notifications(app))
        assert listed(screen)[0] == "Listen Later"
    with stored(tmp_path) as store:
        assert [m.id for m in store.playlists.listen_later().items] == [IPANEMA.id]


async def test_add_reorder_and_remove_items(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app, seeded = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pick_playlist(screen, pilot, seeded.beach)
        await pilot.press("enter")
        table = screen.query_one("#items", MediaTable)
        assert table.has_focus
        # l adds the highlighted track to Listen Later; the list's count follows.
        await pilot.press("l")
        await settle(app, pilot)
        assert labels(screen)[LISTEN_LATER_ID].endswith(" 2")
        # J and ctrl+down move the track down, K and ctrl+up up; the cursor goes with it.
        await pilot.press("J", "ctrl+down")
        assert item_ids(screen) == [TAKE_FIVE.id, SO_WHAT.id, MOON_RIVER.id, JAZZ_CAFE.id]
        assert table.media_at_cursor == MOON_RIVER
        await pilot.press("J", "J")  # the second J is at the bottom already: nothing moves
        await pilot.press("K")
        await settle(app, pilot)
        assert item_ids(screen) == [TAKE_FIVE.id, SO_WHAT.id, MOON_RIVER.id, JAZZ_CAFE.id]
        assert table.media_at_cursor == MOON_RIVER
        await pilot.press("g", "ctrl+down")
        await pilot.press("d")
        await settle(app, pilot)
        assert item_ids(screen) == [SO_WHAT.id, MOON_RIVER.id, JAZZ_CAFE.id]
        assert labels(screen)[seeded.beach].endswith(" 3")
        assert any("Removed “Take Five” from “Beach jazz”" in text for text in notifications(app))
    with stored(tmp_path) as store:
        assert [m.id for m in store.playlists.get(seeded.beach).items] == [SO_WHAT.id, MOON_RIVER.id, JAZZ_CAFE.id]
        assert [m.id for m in store.playlists.listen_later().items] == [IPANEMA.id, MOON_RIVER.id]


async def test_quick_edits_are_written_in_order(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app, seeded = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pick_playlist(screen, pilot, seeded.beach)
        await pilot.press("enter")
        # Six keys without waiting: each write starts after the one before it.
        await pilot.press("J", "J", "J", "K", "d", "d")
        await settle(app, pilot)
        assert item_ids(screen) == [TAKE_FIVE.id, SO_WHAT.id]
    with stored(tmp_path) as store:
        assert [m.id for m in store.playlists.get(seeded.beach).items] == [TAKE_FIVE.id, SO_WHAT.id]


async def test_like_toggles(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app, seeded = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pick_playlist(screen, pilot, seeded.road)
        await pilot.press("L")
        await settle(app, pilot)
        assert labels(screen)[seeded.road].startswith("♥")
        assert "liked" in str(screen.query_one("#playlist-header", PlaylistHeader).render())
        await pick_playlist(screen, pilot, seeded.beach)
        await pilot.press("L")
        await settle(app, pilot)
        assert not labels(screen)[seeded.beach].startswith("♥")
        assert any("Unliked “Beach jazz”" in text for text in notifications(app))
    with stored(tmp_path) as store:
        assert store.likes.is_liked(seeded.road) and not store.likes.is_liked(seeded.beach)


async def test_tags_and_description_with_tag_autocomplete(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app, seeded = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pick_playlist(screen, pilot, seeded.road)
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, PlaylistEditDialog)
        tags = dialog.query_one("#edit-tags", Input)
        assert tags.value == "driving, synthwave"
        tags.value = "driving, synthwave, ch"
        tags.cursor_position = len(tags.value)
        await settle(app, pilot)
        await pilot.press("right")  # accept the suggestion: a tag the library already uses
        assert tags.value == "driving, synthwave, chill"
        dialog.query_one("#edit-description", Input).value = "Long roads,   neon nights"
        await pilot.press("enter")
        await settle(app, pilot)
        header = str(screen.query_one("#playlist-header", PlaylistHeader).render())
        assert "#chill" in header and "Long roads, neon nights" in header
    with stored(tmp_path) as store:
        road = store.playlists.get(seeded.road)
    assert road.tags == ["driving", "synthwave", "chill"]
    assert road.description == "Long roads, neon nights"


async def test_a_search_preset_runs_on_the_search_screen(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app, _ = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pilot.press("P")
        presets = screen.query_one("#presets", PresetTable)
        assert presets.has_focus
        assert [p.name for p in presets.presets] == ["Chill, most played", "Moon river everywhere"]
        await pilot.press("j", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#query", Input).value == "moon river"
        results = app.screen.query_one("#results", MediaTable)
        assert {m.platform.value for m in results.media} == {"youtube", "soundcloud", "mixcloud", "bandcamp", "vimeo"}
        assert any("moon river" in m.title.casefold() for m in results.media)


async def test_a_smart_id_preset_lists_its_playlists_and_d_removes_a_preset(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app, _ = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pilot.press("P", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert sorted(listed(screen)) == ["Beach jazz", "Late night lo-fi"]
        assert screen.query_one("#smart-id", Input).value == "tags:chill:popular"
        await pilot.press("P", "d")
        await settle(app, pilot)
        assert [p.name for p in screen.query_one("#presets", PresetTable).presets] == ["Moon river everywhere"]
    with stored(tmp_path) as store:
        assert [p.name for p in store.presets.all()] == ["Moon river everywhere"]


async def test_history_newest_first_paged_with_load_more(tmp_path: Path, platform_servers: PlatformServers) -> None:
    path = tmp_path / "library.json"
    seeded = seed_library(path)
    with Library(path) as store:
        # 60 more plays, one a minute after the seeded ones, alternating two tracks.
        for minute in range(60):
            media = NIGHTCALL if minute % 2 else LOFI_MIX
            store.plays.record_play(media, PLAYED_AT + timedelta(hours=1, minutes=minute), seeded.road)
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pilot.press("H")
        history = screen.query_one("#history", HistoryTable)
        assert history.has_focus
        plays = history.plays
        assert len(plays) == 50
        times = [play.played_at for play in plays]
        assert times == sorted(times, reverse=True)
        assert times[0] == PLAYED_AT + timedelta(hours=1, minutes=59)
        assert history.get_row_at(0)[4] == played_when(times[0])
        assert str(history.get_row_at(0)[5]) == "Road trip"
        assert screen.query_one("#history-more").display
        await pilot.press("m")
        await settle(app, pilot)
        plays = history.plays
        assert len(plays) == 62
        assert [p.media.id for p in plays[-2:]] == [TAKE_FIVE.id, MOON_RIVER.id]
        assert plays[-2].skipped and not plays[-1].skipped
        assert not screen.query_one("#history-more").display
        # Enter plays from the history; the rest of the history follows.
        await pilot.press("G")
        items, index, playlist_id = screen.media_context()
        assert (len(items), index, playlist_id) == (62, 61, None)
        assert items[index] == MOON_RIVER


async def test_the_smart_id_box_lists_playlists_and_explains_a_bad_id(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app, _ = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pilot.press("s")
        box = screen.query_one("#smart-id", Input)
        assert box.has_focus
        await pilot.press(*"loved", "enter")
        await settle(app, pilot)
        assert any("bad smart id 'loved'" in text and "expected all, liked" in text for text in notifications(app))
        caption = str(screen.query_one("#smart-caption", Static).render())
        assert "Not a smart id: loved" in caption
        assert len(listed(screen)) == 4  # unchanged
        box.value = "liked"
        await pilot.press("enter")
        await settle(app, pilot)
        assert listed(screen) == ["Beach jazz"]
        assert "liked → 1 playlist" in str(screen.query_one("#smart-caption", Static).render())
        assert item_ids(screen) == [m.id for m in BEACH]
        box.value = "tags:chill"
        box.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert sorted(listed(screen)) == ["Beach jazz", "Late night lo-fi"]
        box.value = "keyword:nothing-like-this"
        box.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert listed(screen) == []
        assert "No playlist matches keyword:nothing-like-this" in str(screen.query_one("#items-empty").render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert listed(screen) == ["Listen Later", "Beach jazz", "Late night lo-fi", "Road trip"]
        assert box.value == ""


async def test_the_smart_id_box_autocompletes_tags_from_the_library(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app, _ = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pilot.press("s", *"tags:ch")
        await settle(app, pilot)
        box = screen.query_one("#smart-id", Input)
        assert box._suggestion == "tags:chill"
        await pilot.press("right", "plus", *"hi")
        await settle(app, pilot)
        assert box._suggestion == "tags:chill+hip_hop"
        await pilot.press("right", "enter")
        await settle(app, pilot)
        assert box.value == "tags:chill+hip_hop"
        assert listed(screen) == ["Late night lo-fi"]
        # ctrl+s saves the smart id as a preset.
        box.focus()
        await pilot.press("ctrl+s")
        await answer(app, pilot, "Chill hip hop")
    with stored(tmp_path) as store:
        assert {p.name: p.smart_id for p in store.presets.all()}["Chill hip hop"] == "tags:chill+hip_hop"


async def test_export_then_import_round_trip(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app, seeded = library_app(tmp_path, platform_servers)
    target = tmp_path / "exports" / "beach.json"
    target.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pick_playlist(screen, pilot, seeded.beach)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path = dialog.query_one("#export-path", Input)
        assert path.value.endswith("Beach jazz.m3u")
        await pilot.click("#format-xspf")
        assert path.value.endswith("Beach jazz.xspf")
        await pilot.click("#format-json")
        path.value = str(target)
        path.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert any(f"to {target}" in text for text in notifications(app))
        exported = json.loads(target.read_text(encoding="utf-8"))
        assert [item["id"] for item in exported["items"]] == [m.id for m in BEACH]
        # Imported next to the original, the copy gets a free name from the store.
        await pilot.press("i")
        await answer(app, pilot, str(target))
        assert "Beach jazz (2)" in listed(screen)
        imported = screen.query_one("#playlists", PlaylistList).highlighted_id
        assert imported not in (None, seeded.beach)
        assert item_ids(screen) == [m.id for m in BEACH]
        assert any("Imported 4 tracks as “Beach jazz (2)”" in text for text in notifications(app))
        # A missing file is bad input with the reason, not a crash.
        await pilot.press("i")
        await answer(app, pilot, str(tmp_path / "missing.m3u"))
        assert any("no such file" in text for text in notifications(app))
    with stored(tmp_path) as store:
        again = store.playlists.get("Beach jazz (2)")
    assert [m.id for m in again.items] == [m.id for m in BEACH]
    assert again.tags == ["jazz", "beach", "chill"]
    assert again.prompt == "vintage jazz music to listen on the beach"


async def test_importing_a_foreign_playlist_says_what_was_skipped_and_missing(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app, _seeded = library_app(tmp_path, platform_servers)
    source = tmp_path / "lists" / "winamp.m3u"
    source.parent.mkdir()
    lines = ["#EXTINF:99,Somebody - Gone", r"C:\Music\Gone.mp3", "javascript:alert(1)", "https://youtu.be/_G1soKzXJUo"]
    source.write_bytes("\r\n".join(lines).encode("cp1252"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pilot.press("i")
        await answer(app, pilot, str(source))
        assert "winamp" in listed(screen)
        assert item_ids(screen)[1] == "youtube-_G1soKzXJUo"
        said = [text for text in notifications(app) if "Imported 2 tracks" in text]
        assert said and "1 missing" in said[0]
        assert "1 skipped: skipped line 3: cannot play 'javascript:alert(1)'" in said[0]


async def test_export_to_a_folder_names_the_file_after_the_playlist(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app, seeded = library_app(tmp_path, platform_servers)
    folder = tmp_path / "exports"
    folder.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pick_playlist(screen, pilot, seeded.road)
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#export-path", Input).value = str(folder)
        await pilot.press("enter")
        await settle(app, pilot)
    text = (folder / "Road trip.m3u").read_text(encoding="utf-8")
    assert text.startswith("#EXTM3U")
    assert [line for line in text.splitlines() if line.startswith("https://")] == [m.url for m in ROAD]


async def test_a_play_from_the_library_is_reported_against_the_playlist(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    music = tmp_path / "music"
    music.mkdir()
    files = []
    for number, name in enumerate(("Henry Mancini - Moon River", "Chet Baker - Almost Blue")):
        path = music / f"{name}.wav"
        write_wav(path, 30, frequency=440 + 110 * number, rate=8000)
        author, title = name.split(" - ")
        files.append(track("local", f"{number:016x}", title, author, 30, str(path)))
    with Library(tmp_path / "library.json") as store:
        evening = store.playlists.create("Evening", items=files)
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pick_playlist(screen, pilot, evening.id)
        await pilot.press("enter", "j", "enter")
        await wait_for(lambda: files[1].id in app.media_actions.now_playing.played_ids)
        table = screen.query_one("#items", MediaTable)
        await wait_for(lambda: files[1].id in table.played_ids)
        assert files[0].id not in table.played_ids
        await pilot.press("H")
        await settle(app, pilot)
        history = screen.query_one("#history", HistoryTable)
        assert [(p.media.id, p.playlist_id) for p in history.plays] == [(files[1].id, evening.id)]
        assert str(history.get_row_at(0)[5]) == "Evening"


# -- completion and file-name rules, on a real library file ----------------------------------------
@pytest.fixture
def tag_lookup(tmp_path: Path) -> Any:
    store = Library(tmp_path / "tags.json")
    store.playlists.create("A", tags=["jazz", "hip hop", "chill"])
    store.playlists.create("B", tags=["jazz", "house"])

    async def lookup(prefix: str) -> list[str]:
        return await asyncio.to_thread(store.playlists.search_tags, prefix)

    yield lookup
    store.close()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", None),
        ("t", "tags:"),
        ("l", "liked"),
        ("a", "all"),
        ("ar", "artist:"),
        ("tags:j", "tags:jazz"),
        ("tags:h", "tags:hip_hop"),  # equally used: by name
        ("tags:ho", "tags:house"),
        ("tags:hip_h", "tags:hip_hop"),
        ("tags:jazz+hi", "tags:jazz+hip_hop"),
        ("TAGS:Ja", "TAGS:Jazz"),
        ("tags:jazz", None),
        ("tags:zzz", None),
        ("tags:jazz:r", "tags:jazz:recent"),
        ("tags:jazz:popular:s", "tags:jazz:popular:safe"),
        ("all:p", "all:popular"),
        ("artist:Ra", None),
        ("liked:", None),
    ],
)
async def test_smart_id_completion(tag_lookup: Any, typed: str, expected: str | None) -> None:
    from mixtui.ui.library.suggest import complete_smart_id

    assert await complete_smart_id(typed, tag_lookup) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", None),
        ("ja", "jazz"),
        ("driving, ch", "driving, chill"),
        ("driving,hip", "driving,hip hop"),
        ("house, ho", None),  # house is there already
        ("jazz, ", None),
    ],
)
async def test_tag_list_completion(tag_lookup: Any, typed: str, expected: str | None) -> None:
    from mixtui.ui.library.suggest import complete_tag_list

    assert await complete_tag_list(typed, tag_lookup) == expected


def test_export_file_names_and_tag_lists() -> None:
    from mixtui.ui.library.edit_dialog import split_tags
    from mixtui.ui.library.export_dialog import default_export_path, file_stem, with_format

    assert file_stem("AC/DC: live?  ") == "AC DC live"
    assert file_stem("///") == "playlist"
    assert default_export_path(Path("/x"), "Road trip", "xspf") == Path("/x/Road trip.xspf")
    assert with_format("/x/Road trip.m3u", "json") == "/x/Road trip.json"
    assert with_format("/x/road.M3U8", "xspf") == "/x/road.xspf"
    assert with_format("/x/notes.txt", "json") == "/x/notes.txt"
    assert split_tags(" chill, hip hop ,, jazz ") == ["chill", "hip hop", "jazz"]


async def test_a_damaged_library_opens_says_what_was_set_aside_and_keeps_working(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app, seeded = library_app(tmp_path, platform_servers)
    path = tmp_path / "library.json"
    tables = json.loads(path.read_text())
    tables["playlists"]["90"] = {"id": "pl-bad", "name": 5, "items": []}
    road = next(doc for doc in tables["playlists"].values() if doc.get("id") == seeded.road)
    road["items"].append({**ROAD[0].to_json(), "id": "[/bold]x", "url": "javascript:alert(1)"})
    path.write_text(json.dumps(tables))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        assert listed(screen) == ["Listen Later", "Beach jazz", "Late night lo-fi", "Road trip"]
        (notice,) = [n for n in notifications(app) if n.startswith("Library: ")]
        assert notice.startswith("Library: Set aside 2 damaged documents of the library (")
        assert "playlists/90: name is not text: 5" in notice
        assert "'[/bold]x'" in notice and f"{path}.quarantine" in notice
        # Text from the files is shown as it is, never read as markup.
        assert [n.markup for n in app._notifications if n.title == "Library"] == [False]
        await pick_playlist(screen, pilot, seeded.road)
        await settle(app, pilot)
        assert item_ids(screen) == [m.id for m in ROAD]
        app.media_actions.listen_later(SO_WHAT)  # and it still writes
        await settle(app, pilot)
    with stored(tmp_path) as store:
        assert [m.id for m in store.playlists.listen_later().items] == [IPANEMA.id, SO_WHAT.id]
        assert store.take_notices() == []
    assert len(path.with_name("library.json.quarantine").read_text().splitlines()) == 2


async def test_a_read_only_library_file_says_why_a_change_failed_and_keeps_the_app(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app, seeded = library_app(tmp_path, platform_servers)
    path = tmp_path / "library.json"
    before = path.read_bytes()
    path.chmod(0o444)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        app.media_actions.listen_later(SO_WHAT)
        await settle(app, pilot)
        (failure,) = [n for n in app._notifications if n.title == "Library" and n.severity == "error"]
        assert f"the library file {path} is read-only; mixtui does not replace it" in failure.message
        assert "[store] path" in failure.message and not failure.markup  # shown as written
        assert listed(screen) == ["Listen Later", "Beach jazz", "Late night lo-fi", "Road trip"]
        await pick_playlist(screen, pilot, seeded.road)
        await settle(app, pilot)
        assert item_ids(screen) == [m.id for m in ROAD]
    assert path.read_bytes() == before


async def test_missing_files_are_marked_and_the_export_dialog_writes_m3u8_relative_and_pls(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    """Import a list whose second file is gone: its row says so; export it next to the music."""
    music = tmp_path / "music"
    (music / "Albums").mkdir(parents=True)
    here = music / "Albums" / "Here.wav"
    write_wav(here, 2, rate=8000)
    source = music / "evening.m3u"
    source.write_text("#EXTM3U\n#EXTINF:2,Band - Here\nAlbums/Here.wav\n#EXTINF:3,Band - Gone\nAlbums/Gone.wav\n")
    app, _seeded = library_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        await pilot.press("i")
        await answer(app, pilot, str(source))
        assert "evening" in listed(screen)
        items = screen.query_one("#items", MediaTable)
        marks = {media.title: str(items.get_cell(media.id, "mark")) for media in items.media}
        assert marks["Here"].strip() == ""
        assert marks["Gone"].startswith("✗")
        # M3U8 with paths relative to the written file, chosen in the dialog.
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await pilot.click("#format-m3u8")
        path = dialog.query_one("#export-path", Input)
        assert path.value.endswith("evening.m3u8")
        path.value = str(music / "evening.m3u8")
        await pilot.click("#export-relative")
        path.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        m3u8 = (music / "evening.m3u8").read_text(encoding="utf-8")
        assert [line for line in m3u8.splitlines() if not line.startswith("#")] == [
            "Albums/Here.wav",
            "Albums/Gone.wav",
        ]
        # PLS, absolute paths (the box left unticked).
        await pilot.press("e")
        await pilot.click("#format-pls")
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "evening.pls")
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
    pls = (tmp_path / "evening.pls").read_text(encoding="utf-8")
    assert pls.startswith("[playlist]")
    assert f"File1={here}" in pls
    assert "NumberOfEntries=2" in pls
