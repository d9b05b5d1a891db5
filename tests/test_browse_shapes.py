"""Browse result shapes: pages of shows/users/tags, a show's details and tracklist, oEmbed, JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mixtui.browse.addresses import ItemType, parse_target
from mixtui.browse.shapes import (
    Page,
    Tag,
    User,
    connection_key,
    parse_connections,
    parse_oembed,
    parse_page,
    parse_show_detail,
    parse_tracklist,
)
from mixtui.errors import PlatformError
from mixtui.links.mixcloud_keys import decode_native_id
from mixtui.models import Media
from tests.support.routes.mixcloud_browse import browse_fixture

MEDIA_FIELDS = ["id", "title", "author", "image", "platform", "url", "duration"]


def own(name: str) -> Any:
    return json.loads(browse_fixture(name).read_text(encoding="utf-8"))


def test_a_list_of_shows_is_media_with_its_paging_links() -> None:
    page = parse_page(own("popular-hot-page1.json"), parse_target("/popular/hot/?limit=3"))
    assert page.item_type is ItemType.SHOW
    assert [show.title for show in page.shows] == ["Sunrise Set — April", "Party Time", "Deep Water Dub #9"]
    party = page.shows[1]
    assert decode_native_id(party.id) == "/spartacus/party-time/"
    assert (party.author, party.duration, party.url) == (
        "Spartacus",
        3723,
        "https://www.mixcloud.com/spartacus/party-time/",
    )
    assert page.next == "https://api.mixcloud.com/popular/hot/?limit=3&offset=3"
    assert page.previous is None and page.has_more
    assert (page.limit, page.offset) == (3, None)
    # The answer's own name wins over the key's title.
    assert page.title == "Hot shows"


def test_a_page_without_paging_has_no_more() -> None:
    page = parse_page(own("new.json"), parse_target("/new/"))
    assert len(page.shows) == 2
    assert page.next is None and page.previous is None
    assert not page.has_more
    assert page.title == "New"


def test_a_list_of_users_and_a_list_of_tags() -> None:
    followers = parse_page(own("user-spartacus-followers.json"), parse_target("/spartacus/followers/"))
    assert [user.username for user in followers.users] == ["athensfunk", "nightowl", "dubdiver"]
    athens = followers.users[0]
    assert (athens.name, athens.place, athens.follower_count, athens.cloudcast_count) == (
        "Athens Funk Club",
        "Athens, Greece",
        310,
        42,
    )
    assert athens.shows_key == "/athensfunk/cloudcasts/"
    # A user without a display name is shown by username.
    assert followers.users[2].name == "dubdiver"

    tags = parse_page(own("search-tags.json"), parse_target("/search/?q=funk&type=tag"))
    assert [tag.name for tag in tags.tags] == ["Funk", "Funk in Athens", "Funky House"]
    assert tags.tags[1].city == "athens"
    assert tags.tags[1].shows_key == "/discover/funk+city:athens/popular/"
    assert tags.tags[0].city is None


def test_items_declare_their_own_type_and_bad_items_are_skipped() -> None:
    payload = own("search-users.json")
    payload["data"].insert(0, {"type": "cloudcast", "name": "no key"})
    payload["data"].append("junk")
    payload["data"].append(dict(payload["data"][1]))  # a duplicate
    page = parse_page(payload, parse_target("/search/?q=party&type=user"))
    assert [user.username for user in page.users] == ["spartacus", "nightowl"]
    assert not page.shows


def test_a_list_answer_without_data_is_a_platform_error() -> None:
    for payload in ({"error": {"message": "x"}}, [], {"data": "nope"}):
        with pytest.raises(PlatformError, match="no data list"):
            parse_page(payload, parse_target("/popular/"))


def test_a_show_has_its_tracklist_tags_counts_and_connections() -> None:
    detail = parse_show_detail(own("show-party-time.json"))
    assert detail.key == "/spartacus/party-time/"
    assert detail.media.title == "Party Time"
    assert detail.description.startswith("Two hours of funk")
    assert [tag.name for tag in detail.tags] == ["Funk", "Athens"]
    assert [tag.genre_key for tag in detail.tags] == ["/discover/funk/", "/discover/city:athens/"]
    # Sections come in position order; chapters have no artist; a missing start stays unknown.
    assert [(e.position, e.label, e.start_time, e.section_type) for e in detail.tracklist] == [
        (0, "Warm-up", 0, "chapter"),
        (1, "The J.B.'s — Pass the Peas", 95, "track"),
        (2, "The Meters — Cissy Strut", 412, "track"),
        (3, "James Brown — Funky Drummer", None, "track"),
    ]
    assert (detail.play_count, detail.favorite_count, detail.listener_count) == (100, 10, 33)
    assert detail.user is not None and detail.user.key == "/spartacus/"
    assert connection_key(detail.connections["similar"]) == "/spartacus/party-time/similar/"


def test_hidden_stats_are_unknown_not_zero() -> None:
    payload = own("popular-hot-page1.json")["data"][2]
    assert payload["hidden_stats"] is True
    detail = parse_show_detail(payload)
    assert detail.play_count is None and detail.favorite_count is None and detail.listener_count is None
    assert detail.tracklist == () and detail.connections == {}


def test_tracklists_tolerate_odd_sections() -> None:
    sections = [
        None,
        {"section_type": "track", "track": {"name": ""}},
        {"section_type": "track", "artist": "Flat Artist", "song": "Flat Song", "start_time": "12"},
        {"section_type": "chapter", "chapter": "Outro", "position": True},
    ]
    entries = parse_tracklist(sections)
    assert [(e.label, e.start_time, e.position) for e in entries] == [
        ("Flat Artist — Flat Song", None, 2),
        ("Outro", None, 3),
    ]
    assert parse_tracklist("nope") == ()


def test_connections_need_metadata() -> None:
    assert parse_connections(own("user-spartacus.json"))["favorites"] == "https://api.mixcloud.com/spartacus/favorites/"
    assert parse_connections({"metadata": {"connections": {"a": 1, "b": " "}}}) == {}
    assert parse_connections([]) == {}


def test_oembed() -> None:
    url = "https://www.mixcloud.com/spartacus/party-time/"
    embed = parse_oembed(own("oembed-party-time.json"), url)
    assert (embed.title, embed.author_name, embed.author_url) == (
        "Party Time by Spartacus",
        "Spartacus",
        "https://www.mixcloud.com/spartacus/",
    )
    assert embed.html is not None and "player-widget.mixcloud.com" in embed.html
    # "100%" is not a number of pixels: optional fields that are not numbers are unknown.
    assert (embed.width, embed.height) == (None, 120)
    # Mixcloud's oEmbed gives the cover as "image" (no thumbnail_url).
    assert embed.thumbnail_url == "https://thumbnailer.mixcloud.com/unsafe/300x300/extaudio/p/a/party-time-0001"
    with pytest.raises(PlatformError, match="without a title"):
        parse_oembed({"html": "<iframe>"}, url)


def test_json_shapes() -> None:
    page = parse_page(own("user-spartacus-followers.json"), parse_target("/spartacus/followers/?limit=3&offset=0"))
    data = page.to_json()
    assert data["kind"] == "page" and data["item_type"] == "user"
    assert data["items"][0] == {
        "type": "user",
        "key": "/athensfunk/",
        "username": "athensfunk",
        "name": "Athens Funk Club",
        "url": "https://www.mixcloud.com/athensfunk/",
        "image": "https://thumbnailer.mixcloud.com/unsafe/640x640/profile/a/t/athensfunk-0001",
        "city": "Athens",
        "country": "Greece",
        "follower_count": 310,
        "cloudcast_count": 42,
    }
    assert (data["offset"], data["limit"], data["next"]) == (0, 3, page.next)
    json.dumps(data)

    shows = parse_page(own("popular-hot-page1.json"), parse_target("/popular/hot/")).to_json()
    for item in shows["items"]:
        assert list(item) == MEDIA_FIELDS  # shows are exactly the seed's Media
        assert Media.from_json(item).to_json() == item

    detail = parse_show_detail(own("show-party-time.json")).to_json()
    assert detail["kind"] == "show"
    assert list(detail["media"]) == MEDIA_FIELDS
    assert detail["tracklist"][1] == {
        "position": 1,
        "title": "Pass the Peas",
        "artist": "The J.B.'s",
        "start_time": 95,
        "section_type": "track",
    }
    assert detail["tags"][1]["city"] == "athens"
    json.dumps(detail)


def test_tags_from_keys_and_owners() -> None:
    tag = Tag.from_key("/discover/funk+city:athens/")
    assert (tag.name, tag.city, tag.url) == (
        "Funk · Athens",
        "athens",
        "https://www.mixcloud.com/discover/funk+city:athens/",
    )
    old = Tag(key="/tag/nts/", name="NTS", url="http://www.mixcloud.com/tag/nts/")
    assert old.genre_key == "/discover/nts/"
    user = User(key="/x/", username="x", name="X", url="https://www.mixcloud.com/x/")
    page = Page(key="/x/cloudcasts/", title="t", item_type=ItemType.SHOW, items=(), owner=user)
    assert page.to_json()["owner"]["username"] == "x"


# -- every recorded Mixcloud answer ---------------------------------------------------------------

RECORDED_LISTS = {
    "api-discover-popular.json": "/discover/nts/popular/?limit=5",
    "api-user-cloudcasts.json": "/thelotradio/cloudcasts/?limit=10",
    "api-search-cloudcast-2013.json": "/search/?q=party+time&type=cloudcast",
    "api-search-cloudcast-2022.json": "/search/?q=akuma&type=cloudcast",
}


def test_every_recorded_list_parses_into_a_page(recorded_fixtures: Path) -> None:
    for name, address in RECORDED_LISTS.items():
        payload = json.loads((recorded_fixtures / "mixcloud" / name).read_text(encoding="utf-8"))
        page = parse_page(payload, parse_target(address))
        assert len(page.shows) == len(payload["data"]), name
        assert all(show.url.startswith("https://www.mixcloud.com/") for show in page.shows)
        paging = payload.get("paging") or {}
        assert page.next == paging.get("next") and page.previous == paging.get("previous"), name
        if page.next:
            # Each next link names the same list again: following it pages on.
            assert parse_target(page.next).key == parse_target(address).key
    dated = parse_page(
        json.loads((recorded_fixtures / "mixcloud" / "api-user-cloudcasts.json").read_text(encoding="utf-8")),
        parse_target("/thelotradio/cloudcasts/"),
    )
    assert dated.title == "The Lot Radio's Cloudcasts"
    assert "until" in parse_target(dated.next or "").params
    assert "since" in parse_target(dated.previous or "").params


def test_the_recorded_show_has_its_tracklist(recorded_fixtures: Path) -> None:
    payload = json.loads((recorded_fixtures / "mixcloud" / "api-cloudcast-detail.json").read_text(encoding="utf-8"))
    detail = parse_show_detail(payload)
    assert detail.key == "/NTSRadio/knee-deep-26th-august-2014/"
    assert len(detail.tracklist) == len(payload["sections"]) == 14
    assert detail.tracklist[0].label == "Heldon — Baader-Neinhor Blues (R.P.)"
    assert all(entry.artist and entry.start_time is None for entry in detail.tracklist)
    assert detail.tags[0].genre_key == "/discover/nts/"
    assert detail.media.url == "https://www.mixcloud.com/NTSRadio/knee-deep-26th-august-2014/"
