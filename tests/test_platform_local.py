"""The local platform on real files in tmp_path: tags, file-name fallbacks, matching, the index."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from mixtui import paths
from mixtui.config import Settings, load_settings
from mixtui.errors import BadInput, NotFound
from mixtui.media_files import names_from_file_name, read_tags
from mixtui.models import Media, Platform
from mixtui.platforms.local import LocalClient, index_path, normalise_text
from mixtui.search import search_platform
from mixtui.services import Services
from tests.support.audio import write_wav
from tests.support.tagged_audio import set_wav_tags, write_tagged_wav


def settings_for(*dirs: Path) -> Settings:
    return load_settings(None, platforms={"local": {"dirs": [str(d) for d in dirs]}})


def expected_id(path: Path) -> str:
    return "local-" + hashlib.sha1(str(path).encode()).hexdigest()[:16]


@pytest.fixture
def music(tmp_path: Path) -> Path:
    root = tmp_path / "Music"
    write_tagged_wav(root / "moon.wav", 2.0, title="Moon Rivér", artist="Audrey Hepburn")
    write_tagged_wav(root / "Jazz Classics" / "deep" / "take5.wav", 1.5, title="Take Five", artist="Dave Brubeck")
    write_wav(root / "Henry Mancini - Moon River (Instrumental).wav", 1.0)
    (root / "broken.mp3").write_bytes(b"this is not an mp3 at all" * 40)
    write_tagged_wav(root / ".hidden" / "secret.wav", 1.0, title="Moon River Secret", artist="Nobody")
    (root / "notes.txt").write_text("moon river lyrics")
    return root


async def test_search_reads_tags_and_matches_without_case_or_accents(music: Path) -> None:
    client = LocalClient(settings_for(music))
    results = await client.search("MOON river", 10)
    by_title = {media.title: media for media in results}
    tagged = by_title["Moon Rivér"]
    assert tagged == Media(
        id=expected_id(music / "moon.wav"),
        title="Moon Rivér",
        author="Audrey Hepburn",
        image=None,
        platform=Platform.LOCAL,
        url=str(music / "moon.wav"),
        duration=2.0,
    )
    untagged = by_title["Moon River (Instrumental)"]
    assert untagged.author == "Henry Mancini"
    assert untagged.duration == 1.0
    assert set(by_title) == {"Moon Rivér", "Moon River (Instrumental)"}, "hidden folders and non-audio are skipped"


async def test_every_word_must_appear_somewhere(music: Path) -> None:
    client = LocalClient(settings_for(music))
    assert await client.search("moon sunshine", 10) == []
    assert [m.title for m in await client.search("brubeck five", 10)] == ["Take Five"]


async def test_words_of_the_path_below_the_folder_match_too(music: Path) -> None:
    client = LocalClient(settings_for(music))
    results = await client.search("jazz classics", 10)
    assert [m.url for m in results] == [str(music / "Jazz Classics" / "deep" / "take5.wav")]
    # The configured folder's own name is not part of every file's text.
    assert {m.title for m in await client.search("music", 10)} == set()


async def test_broken_file_is_found_by_name_and_does_not_stop_the_scan(music: Path) -> None:
    client = LocalClient(settings_for(music))
    results = await client.search("broken", 10)
    assert [(m.title, m.author, m.duration) for m in results] == [("broken", "", None)]
    assert client.library.last_scan.files == 4


async def test_ranking_puts_the_closest_title_first(tmp_path: Path) -> None:
    root = tmp_path / "music"
    write_tagged_wav(root / "a.wav", 1.0, title="River of Dreams under the Moon light", artist="Someone")
    write_tagged_wav(root / "b.wav", 1.0, title="Moon River", artist="Andy Williams")
    client = LocalClient(settings_for(root))
    results = await client.search("moon river", 10)
    assert [m.title for m in results] == ["Moon River", "River of Dreams under the Moon light"]


async def test_limit_and_punctuation_only_queries(music: Path) -> None:
    client = LocalClient(settings_for(music))
    assert len(await client.search("moon", 1)) == 1
    assert await client.search("?!…", 10) == []


async def test_missing_folders_give_no_results_not_an_error(tmp_path: Path, music: Path) -> None:
    client = LocalClient(settings_for(tmp_path / "nowhere", music))
    assert len(await client.search("moon", 10)) == 2
    empty = LocalClient(settings_for(tmp_path / "nowhere"))
    assert await empty.search("moon", 10) == []


async def test_second_scan_takes_unchanged_files_from_the_index_on_disk(music: Path) -> None:
    first = LocalClient(settings_for(music))
    await first.search("moon", 10)
    assert first.library.last_scan.tags_read == 4
    assert index_path() == paths.cache_dir() / "local-index.json"
    stored = json.loads(index_path().read_text(encoding="utf-8"))
    assert stored["files"][str(music / "moon.wav")]["title"] == "Moon Rivér"

    # Overwrite the tagged file with zeros of the same size and keep its modification time:
    # only the index can still know its tags.
    target = music / "moon.wav"
    status = target.stat()
    target.write_bytes(b"\0" * status.st_size)
    os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns))

    second = LocalClient(settings_for(music))
    results = await second.search("moon river", 10)
    assert second.library.last_scan.tags_read == 0
    assert second.library.last_scan.from_index == 4
    assert "Moon Rivér" in {m.title for m in results}

    os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    await second.search("moon", 10)
    assert second.library.last_scan.tags_read == 1
    assert "Moon Rivér" not in {m.title for m in await second.search("moon", 10)}
    assert [m.title for m in await second.search("moon", 10) if m.url == str(target)] == ["moon"]


async def test_retagged_file_is_read_again(tmp_path: Path) -> None:
    root = tmp_path / "music"
    song = write_tagged_wav(root / "song.wav", 1.0, title="First Title", artist="A")
    client = LocalClient(settings_for(root))
    assert [m.title for m in await client.search("first", 10)] == ["First Title"]
    set_wav_tags(song, title="Second Title, Longer")
    assert [m.title for m in await client.search("second", 10)] == ["Second Title, Longer"]
    assert client.library.last_scan.tags_read == 1


async def test_removed_files_leave_the_index(tmp_path: Path) -> None:
    root = tmp_path / "music"
    gone = write_tagged_wav(root / "gone.wav", 1.0, title="Gone Song", artist="A")
    write_tagged_wav(root / "kept.wav", 1.0, title="Kept Song", artist="B")
    client = LocalClient(settings_for(root))
    assert len(await client.search("song", 10)) == 2
    gone.unlink()
    assert [m.title for m in await client.search("song", 10)] == ["Kept Song"]
    assert list(json.loads(index_path().read_text(encoding="utf-8"))["files"]) == [str(root / "kept.wav")]


async def test_a_damaged_index_is_ignored_and_rebuilt(music: Path) -> None:
    index_path().parent.mkdir(parents=True, exist_ok=True)
    index_path().write_text("{not json", encoding="utf-8")
    client = LocalClient(settings_for(music))
    assert len(await client.search("moon", 10)) == 2
    assert client.library.last_scan.tags_read == 4
    assert json.loads(index_path().read_text(encoding="utf-8"))["version"] == 1


async def test_resolve_a_path_or_a_file_url(tmp_path: Path) -> None:
    song = write_tagged_wav(tmp_path / "my songs" / "song.wav", 1.0, title="Resolved", artist="Me")
    client = LocalClient(settings_for(tmp_path / "elsewhere"))
    by_path = await client.resolve(str(song))
    by_url = await client.resolve(song.as_uri())
    assert "%20" in song.as_uri()
    assert by_path == by_url
    assert (by_path.id, by_path.title, by_path.author, by_path.url) == (expected_id(song), "Resolved", "Me", str(song))


@pytest.mark.parametrize(
    ("reference", "error"),
    [
        ("missing.wav", NotFound),
        ("", BadInput),
        ("file://otherhost/x.wav", BadInput),
        ("https://example.com/x.wav", BadInput),
        ("a\x00b.wav", BadInput),
    ],
)
async def test_resolve_refuses_what_is_not_a_local_audio_file(
    tmp_path: Path, reference: str, error: type[Exception]
) -> None:
    client = LocalClient(settings_for(tmp_path))
    with pytest.raises(error):
        await client.resolve(str(tmp_path / reference) if reference == "missing.wav" else reference)


async def test_resolve_refuses_folders_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    client = LocalClient(settings_for(tmp_path))
    with pytest.raises(BadInput, match="folder"):
        await client.resolve(str(tmp_path))
    with pytest.raises(BadInput, match="not an audio file"):
        await client.resolve(str(tmp_path / "notes.txt"))


async def test_search_through_services_uses_the_configured_dirs(music: Path) -> None:
    async with Services(settings_for(music)) as services:
        results = await search_platform(services, Platform.LOCAL, "take five", 10)
    assert [(m.title, m.author, m.platform) for m in results] == [("Take Five", "Dave Brubeck", Platform.LOCAL)]


def test_read_tags_falls_back_to_the_file_name(tmp_path: Path) -> None:
    broken = tmp_path / "07 - Nina Simone - Feeling Good.flac"
    broken.write_bytes(b"fLaC" + b"\xff" * 50)
    tags = read_tags(broken)
    assert (tags.author, tags.title, tags.duration) == ("Nina Simone", "Feeling Good", None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Artist - Title.mp3", ("Artist", "Title")),
        ("01 - Artist - Title.mp3", ("Artist", "Title")),
        ("01. Title.mp3", ("", "Title")),
        ("50 Cent - In da Club.mp3", ("50 Cent", "In da Club")),
        ("2Pac - Changes.flac", ("2Pac", "Changes")),
        ("just_a_name.ogg", ("", "just a name")),
        ("no extension", ("", "no extension")),
        (" - .mp3", ("", "-")),
    ],
)
def test_names_from_file_name(name: str, expected: tuple[str, str]) -> None:
    assert names_from_file_name(name) == expected


def test_normalise_text() -> None:
    assert normalise_text("Rivér—LIVE_2020 (Édit)") == "river live 2020 edit"
