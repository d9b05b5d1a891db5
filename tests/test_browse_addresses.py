"""Mixcloud keys and URLs: what each points at, the canonical key, the query kept, clear refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mixtui.browse.addresses import (
    BrowseTarget,
    ItemType,
    TargetKind,
    genre_key,
    genre_label,
    genre_slug,
    parse_target,
    user_key,
)
from mixtui.errors import BadInput


@pytest.mark.parametrize(
    ("text", "kind", "key", "title"),
    [
        ("/popular/", TargetKind.LIST, "/popular/", "Popular"),
        ("/popular/hot/", TargetKind.LIST, "/popular/hot/", "Hot"),
        ("popular/hot", TargetKind.LIST, "/popular/hot/", "Hot"),
        ("/new", TargetKind.LIST, "/new/", "New"),
        ("https://api.mixcloud.com/popular/hot/", TargetKind.LIST, "/popular/hot/", "Hot"),
        ("/genres/funk/", TargetKind.TAG, "/discover/funk/", "Funk"),
        ("/discover/funk/", TargetKind.TAG, "/discover/funk/", "Funk"),
        ("/tag/deep-house/", TargetKind.TAG, "/discover/deep-house/", "Deep House"),
        ("/genres/funk+city:athens/", TargetKind.TAG, "/discover/funk+city:athens/", "Funk · Athens"),
        ("/genres/city:athens/", TargetKind.TAG, "/discover/city:athens/", "Athens"),
        ("https://www.mixcloud.com/genres/funk%2Bcity%3Aathens/", TargetKind.TAG, "/discover/funk+city:athens/", None),
        ("/genres/funk/latest/", TargetKind.LIST, "/discover/funk/latest/", "Funk — latest"),
        ("/discover/nts/popular/", TargetKind.LIST, "/discover/nts/popular/", "Nts — popular"),
        ("/spartacus/", TargetKind.USER, "/spartacus/", "spartacus"),
        ("https://www.mixcloud.com/spartacus/", TargetKind.USER, "/spartacus/", "spartacus"),
        ("/spartacus/cloudcasts/", TargetKind.LIST, "/spartacus/cloudcasts/", "spartacus — cloudcasts"),
        ("https://www.mixcloud.com/spartacus/uploads/", TargetKind.LIST, "/spartacus/cloudcasts/", None),
        ("/spartacus/favorites/", TargetKind.LIST, "/spartacus/favorites/", None),
        ("/spartacus/listens/", TargetKind.LIST, "/spartacus/listens/", None),
        ("/spartacus/party-time/", TargetKind.SHOW, "/spartacus/party-time/", "party-time"),
        ("https://www.mixcloud.com/spartacus/party-time/", TargetKind.SHOW, "/spartacus/party-time/", None),
        ("https://m.mixcloud.com/spartacus/party-time", TargetKind.SHOW, "/spartacus/party-time/", None),
        ("https://beta.mixcloud.com/spartacus/party-time/?si=x", TargetKind.SHOW, "/spartacus/party-time/", None),
        (
            "https://player-widget.mixcloud.com/widget/iframe/?feed=https%3A%2F%2Fwww.mixcloud.com%2Fspartacus%2Fparty-time%2F",
            TargetKind.SHOW,
            "/spartacus/party-time/",
            None,
        ),
        ("/AkumaDJ/bon-dimanche-à-tous/", TargetKind.SHOW, "/AkumaDJ/bon-dimanche-%C3%A0-tous/", "bon-dimanche-à-tous"),
        ("/spartacus/party-time/similar/", TargetKind.LIST, "/spartacus/party-time/similar/", None),
    ],
)
def test_keys_and_urls_point_at_objects(text: str, kind: TargetKind, key: str, title: str | None) -> None:
    target = parse_target(text)
    assert target.kind is kind
    assert target.key == key
    if title is not None:
        assert target.title == title


def test_the_site_url_and_the_api_url_and_the_key_are_the_same_object() -> None:
    # "Take the site URL and change the host".
    site = parse_target("https://www.mixcloud.com/spartacus/party-time/")
    api = parse_target("https://api.mixcloud.com/spartacus/party-time/")
    key = parse_target("/spartacus/party-time/")
    assert site == api == key


def test_lists_know_what_their_items_are_and_who_they_belong_to() -> None:
    followers = parse_target("/spartacus/followers/")
    assert followers.item_type is ItemType.USER
    assert followers.owner_key == "/spartacus/"
    assert parse_target("/spartacus/following/").item_type is ItemType.USER
    assert parse_target("/spartacus/favorites/").item_type is ItemType.SHOW
    assert parse_target("/spartacus/party-time/listeners/").item_type is ItemType.USER
    assert parse_target("/genres/funk+city:athens/popular/").owner_key == "/discover/funk+city:athens/"
    assert parse_target("/popular/").owner_key is None


def test_only_a_users_lists_are_date_ordered() -> None:
    assert parse_target("/spartacus/cloudcasts/").is_date_ordered
    assert parse_target("/spartacus/listens/").is_date_ordered
    assert not parse_target("/spartacus/followers/").is_date_ordered
    assert not parse_target("/popular/hot/").is_date_ordered
    assert not parse_target("/discover/funk/popular/").is_date_ordered


def test_paging_links_keep_their_paging_and_drop_the_rest() -> None:
    target = parse_target(
        "https://api.mixcloud.com/thelotradio/cloudcasts/?limit=10&until=2021-06-09+16%3A35%3A32&callback=cb&metadata=1"
    )
    assert target.key == "/thelotradio/cloudcasts/"
    assert target.params == {"limit": "10", "until": "2021-06-09 16:35:32"}
    assert target.address == "/thelotradio/cloudcasts/?limit=10&until=2021-06-09+16%3A35%3A32"
    offset_link = parse_target("http://api.mixcloud.com/search/?q=party+time&type=cloudcast&limit=20&offset=20")
    assert offset_link.params == {"q": "party time", "type": "cloudcast", "limit": "20", "offset": "20"}


@pytest.mark.parametrize(
    ("text", "item_type", "api_type"),
    [
        ("/search/?q=party+time&type=cloudcast", ItemType.SHOW, "cloudcast"),
        ("/search/?q=party+time&type=upload", ItemType.SHOW, "cloudcast"),
        ("/search/?q=party+time", ItemType.SHOW, "cloudcast"),
        ("/search/?q=party&type=user", ItemType.USER, "user"),
        ("https://www.mixcloud.com/search/?q=funk&type=tag", ItemType.TAG, "tag"),
    ],
)
def test_searches_by_type(text: str, item_type: ItemType, api_type: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.key, target.item_type) == (TargetKind.LIST, "/search/", item_type)
    assert target.params["type"] == api_type


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "give a Mixcloud key or URL"),
        ("   ", "give a Mixcloud key or URL"),
        ("/", "home page"),
        ("https://www.mixcloud.com/", "home page"),
        ("https://soundcloud.com/spartacus/", "not a Mixcloud address"),
        ("ftp://www.mixcloud.com/spartacus/", "not a web address"),
        ("/me/", "needs a Mixcloud login"),
        ("/live/spartacus/", "live stream"),
        ("/spartacus/playlists/summer/", "playlist"),
        ("/spartacus/playlists/", "playlist"),
        ("/spartacus/stream/", "stream"),
        ("/spartacus/party-time/comments/", "not a Mixcloud object mixtui can browse"),
        ("/popular/cold/", "not a Mixcloud list"),
        ("/genres/", "name a genre"),
        ("/genres/funk/oldest/", "two lists"),
        ("/genres/city:/", "not a genre"),
        ("/genres/funk++house/", "not a genre"),
        ("/genres/city:athens+city:rome/", "at most one city"),
        ("/search/?type=user", "needs words"),
        ("/search/?q=x&type=playlist", "unknown Mixcloud search type"),
        ("/spartacus\n/", "not a Mixcloud key"),
        ("https://[www.mixcloud.com/x/", "malformed address"),
    ],
)
def test_what_cannot_be_browsed_is_refused_with_a_reason(text: str, says: str) -> None:
    with pytest.raises(BadInput, match=says):
        parse_target(text)


@given(st.text(max_size=80))
def test_any_text_is_a_target_or_bad_input(text: str) -> None:
    try:
        target = parse_target(text)
    except BadInput:
        return
    assert isinstance(target, BrowseTarget)
    assert target.key.startswith("/") and target.key.endswith("/")
    assert "?" not in target.key and "#" not in target.key


@given(st.sampled_from(["https://www.mixcloud.com", "https://api.mixcloud.com", ""]), st.text(max_size=40))
def test_any_mixcloud_path_is_a_target_or_bad_input(host: str, path: str) -> None:
    try:
        target = parse_target(f"{host}/{path}")
    except BadInput:
        return
    assert isinstance(target.kind, TargetKind)


# -- what users type in the app's boxes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("funk", "/discover/funk/popular/"),
        ("Deep House", "/discover/deep-house/popular/"),
        ("funk+city:athens", "/discover/funk+city:athens/popular/"),
        ("Funk + City: New York", "/discover/funk+city:new-york/popular/"),
        ("city:athens", "/discover/city:athens/popular/"),
        ("  /funk/ ", "/discover/funk/popular/"),
    ],
)
def test_genre_boxes_become_genre_list_keys(typed: str, key: str) -> None:
    assert genre_key(typed) == key
    assert parse_target(key).kind is TargetKind.LIST


def test_genre_latest_and_refusals() -> None:
    assert genre_key("funk", "latest") == "/discover/funk/latest/"
    for bad in ("", "  ", "funk/house", "city:", "+", "funk?x"):
        with pytest.raises(BadInput):
            genre_key(bad)
    with pytest.raises(BadInput, match="popular and latest"):
        genre_key("funk", "oldest")


def test_genre_labels_and_slugs() -> None:
    assert genre_label("funk+city:athens") == "Funk · Athens"
    assert genre_label("deep-house") == "Deep House"
    assert genre_slug("Drum & Bass") == "drum-&-bass"


def test_user_boxes_become_user_keys() -> None:
    assert user_key("spartacus") == "/spartacus/"
    assert user_key(" /NTSRadio/ ") == "/NTSRadio/"
    for bad in ("", "two words", "a/b", "x?y"):
        with pytest.raises(BadInput, match="user name"):
            user_key(bad)
