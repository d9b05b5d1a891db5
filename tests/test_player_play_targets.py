"""What play targets name: files and folders (same ids as the local search), URLs, playlists."""

from __future__ import annotations

from pathlib import Path

import pytest

from mixtui.config import load_settings
from mixtui.errors import BadInput, NotFound
from mixtui.models import Platform
from mixtui.platforms.local import LocalClient
from mixtui.player.play_targets import audio_files, collect_queue, media_for_file
from mixtui.services import Services
from mixtui.store import Library
from tests.test_player_kit import audio_server, local_media, write_tones


async def test_a_file_gets_the_id_the_local_search_gives_it(tmp_path: Path) -> None:
    (tone,) = write_tones(tmp_path / "Artist Folder", 1, 0.3)
    named = tone.rename(tone.with_name("01 - Nina - Moon.wav"))
    media = media_for_file(named)
    searched = await LocalClient(load_settings(None)).resolve(str(named))
    assert (media.id, media.title, media.author, media.url) == (searched.id, "Moon", "Nina", str(named))
    assert media.platform is Platform.LOCAL and media.duration == pytest.approx(0.3, abs=0.01)
    assert media_for_file(tone.with_name("x.wav").parent / ".." / "Artist Folder" / named.name).id == media.id


def test_folders_are_read_recursively_in_path_order(tmp_path: Path) -> None:
    write_tones(tmp_path / "B", 1, 0.1)
    write_tones(tmp_path / "a" / "z", 2, 0.1)
    (tmp_path / "cover.jpg").write_bytes(b"\xff\xd8")
    names = [path.relative_to(tmp_path).as_posix() for path in audio_files(tmp_path)]
    assert names == ["a/z/tone-0.wav", "a/z/tone-1.wav", "B/tone-0.wav"]


async def test_collect_queue_mixes_files_playlists_and_urls(tmp_path: Path) -> None:
    tones = write_tones(tmp_path / "music", 2, 0.2)
    settings = load_settings(None, store={"path": str(tmp_path / "library.json")})
    with Library(settings.store_path) as store:
        playlist = store.playlists.create("mine", items=[local_media(tones[1], 1)])
        with audio_server({"remote.ogg": tones[0]}) as server:
            async with Services(settings) as services:
                queue = await collect_queue(
                    [str(tones[0]), f"playlist:{playlist.id}", f"{server.url}/remote.ogg", tones[0].as_uri()],
                    services,
                    lambda: store,
                )
                with pytest.raises(NotFound):
                    await collect_queue(["playlist:absent"], services, lambda: store)
                with pytest.raises(BadInput, match="is not a file, a folder, a URL or playlist:<name>"):
                    await collect_queue([str(tmp_path / "absent.mp3")], services, lambda: store)
                dead = await collect_queue([f"{server.url}/gone.mp3"], services, lambda: store)
                (tmp_path / "empty").mkdir()
                with pytest.raises(BadInput, match="no audio files"):
                    await collect_queue([str(tmp_path / "empty")], services, lambda: store)
    assert [part.playlist_id for part in queue.parts] == [None, playlist.id, None, None]
    platforms = [item.platform for item in queue.items]
    assert platforms == [Platform.LOCAL, Platform.LOCAL, Platform.URL, Platform.LOCAL]
    assert queue.items[2].title == "remote" and queue.items[2].url == f"{server.url}/remote.ogg"
    assert queue.items[3].id == queue.items[0].id  # file:// URLs are the same local file
    assert queue.warnings == []
    # A link that cannot be described is still queued as it is (playing it says why it fails).
    assert [item.url for item in dead.items] == [f"{server.url}/gone.mp3"]
    assert len(dead.warnings) == 1 and "404" in dead.warnings[0]
