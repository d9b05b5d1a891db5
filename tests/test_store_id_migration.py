"""A library written before tracks had one identity is migrated when it is opened: old ids
rewritten everywhere, the duplicates they made merged (plays and favourites kept), the
original file kept beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mixtui.links import link_media_id
from mixtui.models import Media
from mixtui.store import Library
from mixtui.store.tables import SCHEMA_VERSION

# The same SoundCloud track in the Mixider API's spelling and in SoundCloud's.
SOUNCLOUD = {
    "id": "souncloud-40644970",
    "title": "Changed The Way You Kiss Me",
    "author": "Example",
    "image": None,
    "platform": "soundcloud",
    "url": "https://soundcloud.com/example/changed-the-way-you-kiss-me",
    "duration": 208.153,
}
SOUNDCLOUD = {**SOUNCLOUD, "id": "soundcloud-40644970"}
# One radio stream: as ``mixtui play`` kept it when it could not describe it (the link hashed as
# typed), and as an imported playlist file had it.
STREAM_LINK = "https://Example.com/radio/stream.mp3?utm_source=x"
STREAM_PLAYED = {
    "id": "url-ca91b49af969fded",
    "title": "stream",
    "author": "Example.com",
    "image": None,
    "platform": "url",
    "url": STREAM_LINK,
    "duration": None,
}
STREAM_IMPORTED = {
    **STREAM_PLAYED,
    "id": "url-3909d98a8fc9c395",
    "author": "",
    "url": "https://example.com/radio/stream.mp3",
}
VIDEO = {
    "id": "youtube-_G1soKzXJUo",
    "title": "_G1soKzXJUo",
    "author": "",
    "image": None,
    "platform": "youtube",
    "url": "https://www.youtube.com/watch?v=_G1soKzXJUo",
    "duration": None,
}
MIX = "pl-ded2bf7f"


def schema_1_library() -> dict[str, Any]:
    """A library exactly as mixtui wrote it at schema 1 (the store's own JSON layout)."""
    created = "2026-12-04T19:16:13.058039+00:00"
    listen_later = {
        "id": "listen-later",
        "name": "Listen Later",
        "description": "Tracks saved to hear later.",
        "tags": [],
        "prompt": None,
        "mode": None,
        "nsfw": False,
        "private": True,
        "created_at": created,
        "updated_at": created,
        "items": [],
    }
    mix = {
        **listen_later,
        "id": MIX,
        "name": "Mix",
        "description": "",
        "private": False,
        "items": [SOUNCLOUD, SOUNDCLOUD, STREAM_PLAYED, STREAM_IMPORTED, VIDEO],
    }
    return {
        "meta": {"1": {"schema": 1, "created_at": "2026-12-04T19:16:13.057977+00:00"}},
        "playlists": {"1": listen_later, "2": mix},
        "media": {"1": SOUNCLOUD, "2": SOUNDCLOUD, "3": STREAM_PLAYED, "4": STREAM_IMPORTED},
        "favs": {
            "1": {"media_id": "souncloud-40644970", "faved_at": "2026-12-04T19:16:13.063226+00:00"},
            "2": {"media_id": "soundcloud-40644970", "faved_at": "2026-12-04T19:16:13.064585+00:00"},
            "3": {"media_id": "url-ca91b49af969fded", "faved_at": "2026-12-04T19:16:13.065860+00:00"},
        },
        "likes": {"1": {"playlist_id": MIX, "liked_at": "2026-12-04T19:16:13.071257+00:00"}},
        "plays": {
            "1": _play("2629a5b35cfbcbc0", "souncloud-40644970", "2026-01-02", MIX),
            "2": _play("db307dbfbeabbb0d", "soundcloud-40644970", "2026-01-03", None),
            "3": _play("de3da49e4d1001f0", "url-ca91b49af969fded", "2026-01-04", None),
            "4": _play("c1f693b5a528a217", "url-3909d98a8fc9c395", "2026-01-05", MIX),
        },
        "presets": {
            "1": {
                "name": "sc",
                "smart_id": None,
                "query": "moon",
                "platform": "soundcloud",
                "created_at": "2026-12-04T19:16:13.072958Z",
            }
        },
    }


def _play(play_id: str, media_id: str, day: str, playlist_id: str | None) -> dict[str, Any]:
    return {
        "id": play_id,
        "media_id": media_id,
        "played_at": f"{day}T03:04:05.000000+00:00",
        "playlist_id": playlist_id,
        "skipped": False,
    }


def write_old_library(tmp_path: Path) -> tuple[Path, bytes]:
    path = tmp_path / "library.json"
    original = json.dumps(schema_1_library()).encode()
    path.write_bytes(original)
    return path, original


def test_a_schema_1_library_gets_one_id_per_track(tmp_path: Path) -> None:
    path, original = write_old_library(tmp_path)
    stream_id = link_media_id(STREAM_LINK)
    with Library(path) as store:
        notices = store.take_notices()
        mix = store.playlists.get("Mix")
        assert [item.id for item in mix.items] == ["soundcloud-40644970", stream_id, VIDEO["id"]]
        assert mix.items[1].url == "https://example.com/radio/stream.mp3"
        # Favourites list each track once; plays are all kept, now counted per track.
        assert [media.id for media in store.likes.faved_media()] == [stream_id, "soundcloud-40644970"]
        assert store.plays.play_counts() == {"soundcloud-40644970": 2, stream_id: 2}
        assert store.plays.play_total() == 4
        assert store.plays.played_media_ids(MIX) == {"soundcloud-40644970", stream_id}
        assert store.likes.is_liked(MIX)
        # Adding the track in either spelling finds it there already.
        for spelling in (SOUNCLOUD, SOUNDCLOUD):
            assert len(store.playlists.add_items("Mix", [Media.from_json(spelling)]).items) == 3
        store.likes.fav(Media.from_json(SOUNCLOUD))
        assert [media.id for media in store.likes.faved_media()].count("soundcloud-40644970") == 1
    saved = json.loads(path.read_text(encoding="utf-8"))
    meta = next(iter(saved["meta"].values()))
    assert meta["schema"] == SCHEMA_VERSION and meta["migrated_from"] == 1
    assert {document["id"] for document in saved["media"].values()} == {"soundcloud-40644970", stream_id}
    assert "souncloud" not in path.read_text(encoding="utf-8")
    # The original is kept byte for byte, and the user is told where.
    backups = list(tmp_path.glob("library.json.schema-1*.bak"))
    assert [backup.read_bytes() for backup in backups] == [original]
    assert any(str(backups[0]) in notice and "upgraded" in notice for notice in notices)


def test_the_migration_runs_once(tmp_path: Path) -> None:
    path, _original = write_old_library(tmp_path)
    with Library(path) as store:
        store.take_notices()
    migrated = path.read_bytes()
    with Library(path) as store:
        assert not any("upgraded" in notice for notice in store.take_notices())
        assert len(store.playlists.get("Mix").items) == 3
    assert path.read_bytes() == migrated
    assert len(list(tmp_path.glob("library.json.schema-1*.bak"))) == 1


def test_a_library_without_old_ids_keeps_every_document(tmp_path: Path) -> None:
    data = schema_1_library()
    data["playlists"]["2"]["items"] = [SOUNDCLOUD, VIDEO]
    data["media"] = {"1": SOUNDCLOUD}
    data["favs"] = {"1": data["favs"]["2"]}
    data["plays"] = {"2": data["plays"]["2"]}
    path = tmp_path / "library.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with Library(path) as store:
        assert [item.id for item in store.playlists.get("Mix").items] == ["soundcloud-40644970", VIDEO["id"]]
        assert [media.id for media in store.likes.faved_media()] == ["soundcloud-40644970"]
        assert store.plays.play_counts() == {"soundcloud-40644970": 1}
