"""The library on a real TinyDB file: playlists, Listen Later, toggles, presets, plays, tags, smart ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mixtui.errors import BadInput, NotFound, StoreError
from mixtui.models import Media, Platform
from mixtui.store import LISTEN_LATER_ID, Library, open_library
from mixtui.store import tables as store_tables
from mixtui.store.journal import read_library
from tests.support.platform_servers import PlatformServers


def media(number: int, author: str = "Artist", platform: Platform = Platform.YOUTUBE) -> Media:
    return Media(
        id=f"{platform.value}-{number:011d}",
        title=f"Track {number}",
        author=author,
        image=f"https://img.example/{number}.jpg",
        platform=platform,
        url=f"https://www.youtube.com/watch?v={number:011d}",
        duration=100 + number,
    )


@pytest.fixture
def store(tmp_path: Path) -> Library:
    opened = Library(tmp_path / "library.json")
    yield opened
    opened.close()


def reopen(store: Library) -> Library:
    store.close()
    return Library(store.path)


def test_a_new_library_has_listen_later_and_schema_on_disk(store: Library) -> None:
    playlists = store.playlists.all()
    assert [p.id for p in playlists] == [LISTEN_LATER_ID]
    assert store.playlists.listen_later().private and store.playlists.listen_later().name == "Listen Later"
    on_disk = json.loads(store.path.read_text())
    assert next(iter(on_disk["meta"].values()))["schema"] == store_tables.SCHEMA_VERSION


def test_open_store_uses_the_settings_path(platform_servers: PlatformServers, tmp_path: Path) -> None:
    settings = platform_servers.settings(tmp_path)
    with open_library(settings) as opened:
        assert opened.path == settings.store_path
        assert opened.path.exists()


def test_create_and_find_by_id_or_name_survives_reopen(store: Library) -> None:
    created = store.playlists.create(
        "  Beach   Jazz ", items=[media(1), media(2), media(1)], description="sun", tags=["Jazz", "summer_vibes"]
    )
    assert created.name == "Beach Jazz"
    assert [m.id for m in created.items] == [media(1).id, media(2).id]
    assert created.tags == ["jazz", "summer vibes"]
    store = reopen(store)
    try:
        by_id = store.playlists.get(created.id)
        by_name = store.playlists.get("beach jazz")
        assert by_id == by_name
        assert by_id.items == [media(1), media(2)]
        assert by_id.to_json()["items"][0] == media(1).to_json()
    finally:
        store.close()


def test_generated_playlists_keep_prompt_mode_and_nsfw(store: Library) -> None:
    created = store.playlists.create("Gen", items=[media(1)], prompt="vintage jazz", mode="smart", nsfw=True)
    again = store.playlists.get("Gen")
    assert (again.prompt, again.mode, again.nsfw) == ("vintage jazz", "smart", True)
    assert again.created_at == created.created_at


def test_names_are_unique_and_checked(store: Library) -> None:
    store.playlists.create("One")
    with pytest.raises(BadInput, match="already exists"):
        store.playlists.create("one")
    with pytest.raises(BadInput, match="needs a name"):
        store.playlists.create("   ")
    with pytest.raises(BadInput, match="too long"):
        store.playlists.create("x" * 500)
    with pytest.raises(NotFound):
        store.playlists.get("missing")


def test_rename_describe_tag_and_delete(store: Library) -> None:
    created = store.playlists.create("Old", tags=["a"])
    renamed = store.playlists.rename("old", "New")
    assert renamed.id == created.id and renamed.name == "New"
    assert renamed.updated_at >= created.updated_at
    assert store.playlists.describe("New", "words").description == "words"
    assert store.playlists.tag("New", ["B", "a"]).tags == ["a", "b"]
    assert store.playlists.untag("New", ["a"]).tags == ["b"]
    assert store.playlists.set_nsfw("New").nsfw
    store.likes.like("New")
    store.playlists.delete(created.id)
    with pytest.raises(NotFound):
        store.playlists.get("New")
    assert not store.likes.is_liked(created.id)


def test_listen_later_cannot_be_deleted_or_renamed(store: Library) -> None:
    with pytest.raises(BadInput, match="cannot be deleted"):
        store.playlists.delete(LISTEN_LATER_ID)
    with pytest.raises(BadInput):
        store.playlists.rename("Listen Later", "Other")
    updated = store.playlists.add_items(store.playlists.listen_later().id, [media(7)])
    assert updated.items == [media(7)]


def test_add_remove_move_items(store: Library) -> None:
    store.playlists.create("P", items=[media(1), media(2), media(3)])
    assert [m.id for m in store.playlists.add_items("P", [media(4), media(2)], position=1).items] == [
        media(1).id,
        media(4).id,
        media(2).id,
        media(3).id,
    ]
    assert store.playlists.move_item("P", media(3).id, 0).items[0].id == media(3).id
    assert store.playlists.move_item("P", 0, 3).items[-1].id == media(3).id
    after_remove = store.playlists.remove_item("P", media(4).url)
    assert media(4) not in after_remove.items
    assert store.playlists.remove_item("P", 0).items[0] == media(2)
    with pytest.raises(NotFound):
        store.playlists.remove_item("P", "youtube-nothere")
    with pytest.raises(BadInput):
        store.playlists.move_item("P", 0, 99)
    with pytest.raises(BadInput):
        store.playlists.remove_item("P", 42)
    assert store.playlists.get("P").items == [media(2), media(3)]


def test_toggles_like_fav_follow(store: Library) -> None:
    created = store.playlists.create("Liked one")
    assert store.likes.toggle_like("liked one") is True
    assert store.likes.is_liked(created.id)
    assert [p.id for p in store.likes.liked_playlists()] == [created.id]
    assert store.likes.toggle_like(created.id) is False
    assert not store.likes.is_liked(created.id)

    assert store.likes.toggle_fav(media(5)) is True
    assert store.likes.is_faved(media(5).id)
    assert store.likes.faved_media() == [media(5)]
    assert store.likes.toggle_fav(media(5)) is False
    assert store.likes.faved_media() == []

    assert store.likes.toggle_follow("  Miles  Davis ") is True
    assert store.likes.is_followed("miles davis")
    assert store.likes.followed_authors() == ["Miles Davis"]
    store = reopen(store)
    try:
        assert store.likes.is_followed("MILES DAVIS")
        assert store.likes.toggle_follow("miles davis") is False
        assert store.likes.followed_authors() == []
    finally:
        store.close()


def test_presets_smart_ids_and_searches(store: Library) -> None:
    first = store.presets.add("Chill", smart_id="TAGS:chill+hip_hop:recent")
    assert first.smart_id == "tags:chill+hip_hop:recent" and first.kind == "smart_id"
    second = store.presets.add("Moon", query="moon  river", platform="souncloud")
    assert second.query == "moon river" and second.platform is Platform.SOUNDCLOUD
    store.presets.add("chill", smart_id="all:popular")  # same name: replaced
    assert {(p.name, p.smart_id) for p in store.presets.all()} == {("chill", "all:popular"), ("Moon", None)}
    assert store.presets.remove("MOON").name == "Moon"
    with pytest.raises(NotFound):
        store.presets.remove("Moon")
    with pytest.raises(BadInput, match="bad smart id"):
        store.presets.add("bad", smart_id="nonsense:1")
    with pytest.raises(BadInput):
        store.presets.add("both", smart_id="all", query="x")
    with pytest.raises(BadInput):
        store.presets.add("platform", query="x", platform="myspace")


def test_plays_history_newest_first_paged_with_skips(tmp_path: Path) -> None:
    with Library(tmp_path / "library.json", flush_delay=30) as store:
        playlist = store.playlists.create("P", items=[media(1), media(2)])
        start = datetime(2026, 1, 1, tzinfo=UTC)
        ids = [store.plays.record_play(media(n % 3), start + timedelta(minutes=n), playlist.id) for n in range(7)]
        store.plays.mark_skipped(ids[6])
        # Queued plays are visible before they are written.
        newest = store.plays.history(1, 3)
        assert [p.id for p in newest] == [ids[6], ids[5], ids[4]]
        assert newest[0].skipped and not newest[1].skipped
        assert [p.id for p in store.plays.history(3, 3)] == [ids[0]]
        store.flush()
        store.plays.mark_skipped(ids[0])  # a play already on disk
    with Library(tmp_path / "library.json") as store:
        plays = store.plays.history(1, 50)
        assert [p.id for p in plays] == list(reversed(ids))
        assert {p.id for p in plays if p.skipped} == {ids[6], ids[0]}
        assert plays[0].media == media(0) and plays[0].playlist_id == playlist.id
        assert plays[-1].played_at == start
        assert store.plays.played_media_ids(playlist.id) == {media(0).id, media(1).id, media(2).id}
        assert store.plays.played_media_ids("pl-other") == set()
        assert store.plays.play_counts() == {media(0).id: 3, media(1).id: 2, media(2).id: 2}
        assert store.plays.playlist_play_counts() == {playlist.id: 7}
        assert store.counts()["media"] == 3  # each track kept once


def test_history_orders_by_time_not_by_arrival(store: Library) -> None:
    late = store.plays.record_play(media(1), datetime(2026, 5, 1, tzinfo=UTC), None)
    early = store.plays.record_play(media(2), datetime(2026, 1, 1, tzinfo=UTC), None)
    store.flush()
    assert [p.id for p in store.plays.history()] == [late, early]


def test_record_play_checks_its_input(store: Library) -> None:
    with pytest.raises(BadInput):
        store.plays.record_play({"id": "x"}, datetime.now(UTC), None)  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        store.plays.record_play(media(1), "yesterday", None)  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        store.plays.history(0)
    with pytest.raises(BadInput):
        store.plays.history(1, 0)


def stored_play_ids(path: Path) -> set[str]:
    return {doc["id"] for doc in read_library(path).get("plays", {}).values()}


def test_plays_go_to_the_journal_and_are_folded_at_close(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    plays_file = tmp_path / "library.plays.json"
    journal = tmp_path / "library.plays.json.journal"
    with Library(path, flush_delay=30) as store:
        before = path.read_bytes()
        play_id = store.plays.record_play(media(1), datetime.now(UTC), None)
        assert stored_play_ids(path) == set() and not journal.exists()
        store.flush()
        assert stored_play_ids(path) == {play_id}
        assert path.read_bytes() == before  # a play does not rewrite the library file
        assert play_id.encode() in journal.read_bytes()
        store.playlists.create("Any change")  # any other change leaves the plays alone
        assert play_id.encode() in journal.read_bytes() and play_id.encode() not in path.read_bytes()
        second = store.plays.record_play(media(2), datetime.now(UTC), None)
        store.flush()
        assert journal.exists()
    assert not journal.exists()
    assert second.encode() in plays_file.read_bytes() and second.encode() not in path.read_bytes()
    with Library(path) as store:
        assert [p.id for p in store.plays.history()] == [second, play_id]


def test_a_big_journal_is_folded_without_waiting_for_close(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mixtui.store.library_tables.JOURNAL_FOLD_BYTES", 2000)
    path = tmp_path / "library.json"
    with Library(path, flush_delay=30) as store:
        ids = []
        for number in range(20):
            ids.append(store.plays.record_play(media(number), datetime.now(UTC), None))
            store.flush()
        assert (tmp_path / "library.plays.json.journal").stat().st_size <= 2000 + 400
        assert ids[0].encode() in (tmp_path / "library.plays.json").read_bytes()
        assert stored_play_ids(path) == set(ids)


def test_flush_listener_reports_written_plays(tmp_path: Path) -> None:
    reported: list[str] = []
    with Library(tmp_path / "library.json", flush_delay=0.01) as store:
        store.plays.add_flush_listener(reported.extend)
        play_id = store.plays.record_play(media(1), datetime.now(UTC), None)
        store.flush()
        assert reported == [play_id]
        assert stored_play_ids(store.path) == {play_id}


def test_tags_top_and_prefix(store: Library) -> None:
    store.playlists.create("A", tags=["hip hop", "chill"])
    store.playlists.create("B", tags=["hip_hop", "house"])
    store.playlists.create("C", tags=["Hip Hop"])
    assert store.playlists.top_tags(2) == [("hip hop", 3), ("chill", 1)]
    assert store.playlists.top_tags() == [("hip hop", 3), ("chill", 1), ("house", 1)]
    assert store.playlists.search_tags("h") == ["hip hop", "house"]
    assert store.playlists.search_tags("ch") == ["chill"]
    assert store.playlists.search_tags("zz") == []


def test_select_with_smart_ids(store: Library) -> None:
    chill = store.playlists.create("Chill", tags=["chill", "hip hop"], items=[media(1, "Radiohead")])
    house = store.playlists.create("House", tags=["house"], items=[media(2, "Daft Punk")], nsfw=True)
    ocarina = store.playlists.create("Zelda", description="ocarina songs", tags=["chill"], items=[media(3, "Koji")])
    store.playlists.add_items(store.playlists.listen_later().id, [media(9, "Radiohead")])
    now = datetime.now(UTC)
    for _ in range(3):
        store.plays.record_play(media(2), now, house.id)
    store.plays.record_play(media(1), now, chill.id)
    store.likes.like(ocarina.id)

    def names(smart_id: str, page: int = 1, per_page: int = 20) -> list[str]:
        return [p.name for p in store.smart.select(smart_id, page, per_page)]

    assert sorted(names("all")) == ["Chill", "House", "Zelda"]  # Listen Later is private
    assert names("all:recent") == ["Zelda", "House", "Chill"]
    assert names("all:popular")[:2] == ["House", "Chill"]
    assert names("all:safe") and "House" not in names("all:safe")
    assert names("tags:chill+hip_hop") == ["Chill"]
    assert sorted(names("tags:chill:recent")) == ["Chill", "Zelda"]
    assert names("artist:radiohead") == ["Chill"]
    assert names("keyword:OCARINA") == ["Zelda"]
    assert names("liked") == ["Zelda"]
    assert names(f"similar:{chill.id}") == ["Zelda"]
    assert names("all:recent", page=2, per_page=2) == ["Chill"]
    assert names("all:recent", page=3, per_page=2) == []
    with pytest.raises(BadInput, match="expected"):
        store.smart.select("tag:chill")
    with pytest.raises(NotFound):
        store.smart.select("similar:pl-nothere")
    with pytest.raises(BadInput):
        store.smart.select("all", page=0)


def test_export_import_through_the_store(store: Library, tmp_path: Path) -> None:
    store.playlists.create("Mix", items=[media(1), media(2)], tags=["a"], description="d")
    target = tmp_path / "mix.xspf"
    target.write_text(store.playlist_files.export("Mix", "xspf"))
    imported = store.playlist_files.import_file(target, name="Mix copy")
    assert imported.items == [media(1), media(2)]
    assert (imported.tags, imported.description) == (["a"], "d")
    with pytest.raises(BadInput, match="already exists"):
        store.playlist_files.import_file(target, name="mix")
    with pytest.raises(BadInput):
        store.playlist_files.export("Mix", "asx")  # read, never written (PLS is written since it is asked for)


def test_migration_hook_runs_and_keeps_a_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "library.json"
    with Library(path) as store:
        store.playlists.create("Before")

    def rename_everything(data: store_tables.Tables) -> None:
        for document in data["playlists"].values():
            if document["id"] != LISTEN_LATER_ID:
                document["name"] = document["name"] + " (migrated)"

    current = store_tables.SCHEMA_VERSION
    monkeypatch.setattr(store_tables, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(store_tables.MIGRATIONS, current, rename_everything)
    before = path.read_bytes()
    with Library(path) as store:
        assert store.playlists.get("Before (migrated)")
        assert "the original is kept at" in " ".join(store.take_notices())
    meta = next(iter(json.loads(path.read_text())["meta"].values()))
    assert meta["schema"] == current + 1 and meta["migrated_from"] == current
    (backup,) = tmp_path.glob(f"library.json.schema-{current}*.bak")
    assert backup.read_bytes() == before


def test_a_file_from_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    path.write_text(json.dumps({"meta": {"1": {"schema": store_tables.SCHEMA_VERSION + 1}}}))
    with pytest.raises(StoreError, match="newer"):
        Library(path)
    assert json.loads(path.read_text())["meta"]["1"]["schema"] == store_tables.SCHEMA_VERSION + 1


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    store = Library(tmp_path / "library.json")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.playlists.all()
    with pytest.raises(StoreError, match="closed"):
        store.plays.record_play(media(1), datetime.now(UTC), None)


def test_two_stores_in_one_process_see_each_other(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    with Library(path) as first, Library(path) as second:
        first.playlists.create("From first")
        second.playlists.create("From second")
        assert {p.name for p in first.playlists.all()} == {"Listen Later", "From first", "From second"}
        first.likes.toggle_like("From second")
        assert second.likes.is_liked(second.playlists.get("From second").id)


def test_the_file_is_plain_tinydb(tmp_path: Path) -> None:
    from tinydb import TinyDB

    path = tmp_path / "library.json"
    with Library(path) as store:
        store.playlists.create("Readable", items=[media(1)])
        store.plays.record_play(media(1), datetime.now(UTC), None)
    with TinyDB(path) as plain:
        assert {doc["name"] for doc in plain.table("playlists").all()} == {"Listen Later", "Readable"}
    with TinyDB(tmp_path / "library.plays.json") as plain:
        assert len(plain.table("plays")) == 1


def test_another_store_reads_plays_from_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    with Library(path, flush_delay=30) as writer, Library(path) as reader:
        first = writer.plays.record_play(media(1), datetime(2026, 1, 1, tzinfo=UTC), None)
        writer.flush()
        assert [p.id for p in reader.plays.history()] == [first]
        second = writer.plays.record_play(media(2), datetime(2026, 1, 2, tzinfo=UTC), None)
        writer.flush()
        writer.plays.mark_skipped(first)
        writer.flush()
        plays = reader.plays.history()
        assert [(p.id, p.skipped) for p in plays] == [(second, False), (first, True)]
        reader.playlists.create("Folds")  # the reader's write takes the writer's journal in
        assert not (tmp_path / "library.json.journal").exists()
        third = writer.plays.record_play(media(3), datetime(2026, 1, 3, tzinfo=UTC), None)
        writer.flush()
        assert [p.id for p in reader.plays.history()] == [third, second, first]


async def test_doctor_reads_the_store_without_repairing_it(tmp_path: Path) -> None:
    from mixtui.config import load_settings
    from mixtui.store.checks import run_checks

    settings = load_settings(store={"path": str(tmp_path / "library.json")})
    checks = {c.name: c for c in await run_checks(settings, False)}
    assert checks["store folder"].ok and "not created yet" in checks["store file"].detail
    with Library(settings.store_path) as store:
        store.playlists.create("One")
        store.plays.record_play(media(1), datetime.now(UTC), None)
    checks = {c.name: c for c in await run_checks(settings, False)}
    assert checks["store file"].ok and "2 playlists, 1 plays" in checks["store file"].detail
    settings.store_path.write_bytes(b"\x00junk")
    checks = {c.name: c for c in await run_checks(settings, False)}
    assert not checks["store file"].ok and "damaged" in checks["store file"].detail
    assert settings.store_path.read_bytes() == b"\x00junk"
