"""URL recognition: every row of platforms.md's URL tables, refusals, malformed input, fuzzing."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixtui.errors import BadInput
from mixtui.links import (
    UrlKind,
    canonical_url,
    identify,
    media_file_id,
    mixcloud_key,
    mixcloud_native_id,
    normalise_url,
    recognise,
)
from mixtui.media_files import MEDIA_FILE_EXTENSIONS
from mixtui.models import Media, Platform
from mixtui.platforms import identify as lazily_exported_identify
from mixtui.player.streams import is_direct
from mixtui.search import clean_query, is_url_query


def mixcloud_id(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


# (url, platform, native id) exactly as platforms.md's tables give them without a network call.
SINGLE_ITEMS = [
    # §1.6 YouTube
    ("https://www.youtube.com/watch?v=_G1soKzXJUo", Platform.YOUTUBE, "_G1soKzXJUo"),
    ("https://youtube.com/watch?v=_G1soKzXJUo&t=42s", Platform.YOUTUBE, "_G1soKzXJUo"),
    ("https://m.youtube.com/watch?v=_G1soKzXJUo&list=PLx1y2&index=3", Platform.YOUTUBE, "_G1soKzXJUo"),
    ("https://youtu.be/_G1soKzXJUo?si=AbCd", Platform.YOUTUBE, "_G1soKzXJUo"),
    ("https://www.youtube.com/shorts/a12CpYea0i4", Platform.YOUTUBE, "a12CpYea0i4"),
    ("https://www.youtube.com/live/NHriYTkvd0g", Platform.YOUTUBE, "NHriYTkvd0g"),
    ("https://www.youtube.com/embed/pO5L6vXtxsI?feature=oembed", Platform.YOUTUBE, "pO5L6vXtxsI"),
    ("https://www.youtube-nocookie.com/embed/pO5L6vXtxsI", Platform.YOUTUBE, "pO5L6vXtxsI"),
    ("https://www.youtube.com/v/pO5L6vXtxsI", Platform.YOUTUBE, "pO5L6vXtxsI"),
    ("https://music.youtube.com/watch?v=HhQGHxWZCd0&list=RDAMVMHhQGHxWZCd0", Platform.YOUTUBE, "HhQGHxWZCd0"),
    # §2.6 SoundCloud: page URLs need a resolve for the numeric id
    ("https://soundcloud.com/example/changed-the-way-you-kiss-me", Platform.SOUNDCLOUD, None),
    ("https://m.soundcloud.com/liluzivert/what-you-saying", Platform.SOUNDCLOUD, None),
    ("https://www.soundcloud.com/garrett-cameron-1/technicality#t=34", Platform.SOUNDCLOUD, None),
    ("https://soundcloud.com/jaimemf/youtube-dl-test-video-a-y-baw/s-8Pjrp", Platform.SOUNDCLOUD, None),
    ("https://on.soundcloud.com/a8QmYdMnmxnsSTEp9", Platform.SOUNDCLOUD, None),
    ("https://api.soundcloud.com/tracks/1356023209", Platform.SOUNDCLOUD, "1356023209"),
    ("https://api.soundcloud.com/tracks/soundcloud%3Atracks%3A1083788353", Platform.SOUNDCLOUD, "1083788353"),
    (
        "https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F309689103",
        Platform.SOUNDCLOUD,
        "309689103",
    ),
    # §3.4 Mixcloud: native id = URL-safe base64 of the key (with its trailing slash)
    (
        "https://www.mixcloud.com/cloisters/an-introduction-to-medieval-drone-volume-1/",
        Platform.MIXCLOUD,
        mixcloud_id("/cloisters/an-introduction-to-medieval-drone-volume-1/"),
    ),
    ("https://m.mixcloud.com/spartacus/party-time/", Platform.MIXCLOUD, mixcloud_id("/spartacus/party-time/")),
    ("https://beta.mixcloud.com/spartacus/party-time", Platform.MIXCLOUD, mixcloud_id("/spartacus/party-time/")),
    ("https://api.mixcloud.com/spartacus/party-time/", Platform.MIXCLOUD, mixcloud_id("/spartacus/party-time/")),
    (
        "https://www.mixcloud.com/widget/iframe/?feed=%2FNTSRadio%2Fedits-w-kelman-duran-3rd-may-2018%2F",
        Platform.MIXCLOUD,
        mixcloud_id("/NTSRadio/edits-w-kelman-duran-3rd-may-2018/"),
    ),
    (
        "https://player-widget.mixcloud.com/widget/iframe/?feed=https%3A%2F%2Fwww.mixcloud.com%2Fspartacus%2Fparty-time%2F",
        Platform.MIXCLOUD,
        mixcloud_id("/spartacus/party-time/"),
    ),
    # §4.5 Bandcamp: page ids come from the page; player links carry them
    ("https://c418.bandcamp.com/track/minecraft", Platform.BANDCAMP, None),
    ("http://youtube-dl.bandcamp.com/track/youtube-dl-test-song", Platform.BANDCAMP, None),
    ("https://c418.bandcamp.com/album/minecraft-volume-alpha", Platform.BANDCAMP, None),
    (
        "https://bandcamp.com/EmbeddedPlayer/track=1691975503/size=large/bgcol=ffffff/linkcol=0687f5/",
        Platform.BANDCAMP,
        "t1691975503",
    ),
    ("https://bandcamp.com/EmbeddedPlayer/album=1349219244/size=large/", Platform.BANDCAMP, "a1349219244"),
    ("https://bandcamp.com/radio?show=230", Platform.BANDCAMP, None),
    # A custom domain is only known to be Bandcamp once its page is fetched.
    ("https://music.monstercat.com/track/move-back", Platform.URL, None),
    # §5.4 Vimeo
    ("https://vimeo.com/235352744", Platform.VIMEO, "235352744"),
    ("https://vimeo.com/56015672#at=0", Platform.VIMEO, "56015672"),
    ("https://vimeo.com/235352744/ebd66989cc", Platform.VIMEO, "235352744"),
    ("https://player.vimeo.com/video/592018875?h=79b99d28b9", Platform.VIMEO, "592018875"),
    ("https://vimeo.com/channels/staffpicks/123456", Platform.VIMEO, "123456"),
    ("https://vimeo.com/groups/shortfilms/videos/123456", Platform.VIMEO, "123456"),
    ("https://vimeo.com/album/2632481/video/123456", Platform.VIMEO, "123456"),
    ("https://vimeo.com/showcase/2632481/video/123456", Platform.VIMEO, "123456"),
    ("https://vimeo.com/ondemand/thefilm/123456", Platform.VIMEO, "123456"),
    ("https://vimeo.com/user7108434/review/123456/abcdef0123", Platform.VIMEO, "123456"),
    ("https://vimeo.com/event/4154130", Platform.VIMEO, None),
    # §6 unknown sites go to yt-dlp's generic extractor
    ("https://example.com/some/page", Platform.URL, None),
    ("http://127.0.0.1:8080/listen?id=4", Platform.URL, None),
]


@pytest.mark.parametrize(("url", "platform", "native_id"), SINGLE_ITEMS)
def test_identify_recognises_every_single_item_form(url: str, platform: Platform, native_id: str | None) -> None:
    assert identify(url) == (platform, native_id)


# Links a platform knows that are not one Media, and a word the refusal must contain.
NOT_ONE_ITEM = [
    ("https://www.youtube.com/playlist?list=PL4qTakKkQATKOyZPJG_cAMnRtF7fAIdST", UrlKind.PLAYLIST, "YouTube playlist"),
    ("https://www.youtube.com/@kurzgesagt", UrlKind.CHANNEL, "YouTube channel"),
    ("https://www.youtube.com/channel/UCsXVk37bltHxD1rDPwtNM8Q", UrlKind.CHANNEL, "YouTube channel"),
    ("https://www.youtube.com/c/inanutshell", UrlKind.CHANNEL, "YouTube channel"),
    ("https://www.youtube.com/user/Kurzgesagt", UrlKind.CHANNEL, "YouTube channel"),
    ("https://www.youtube.com/results?search_query=moon+river&sp=EgIQAQ%253D%253D", UrlKind.SEARCH, "search"),
    ("https://www.youtube.com/watch?list=PL4qTakKkQATKOyZPJG_cAMnRtF7fAIdST", UrlKind.PLAYLIST, "playlist"),
    ("https://www.youtube.com/", UrlKind.SITE_PAGE, "home page"),
    ("https://youtu.be/", UrlKind.SITE_PAGE, "YouTube"),
    ("https://soundcloud.com/breezy-123/sets/empty-playlist", UrlKind.PLAYLIST, "SoundCloud playlist"),
    ("https://soundcloud.com/liluzivert", UrlKind.PROFILE, "SoundCloud profile"),
    ("https://soundcloud.com/liluzivert/tracks", UrlKind.USER_LIST, "track list"),
    ("https://soundcloud.com/liluzivert/likes", UrlKind.USER_LIST, "likes"),
    ("https://soundcloud.com/liluzivert/reposts", UrlKind.USER_LIST, "reposts"),
    ("https://soundcloud.com/liluzivert/albums", UrlKind.USER_LIST, "albums"),
    ("https://soundcloud.com/stations/track/liluzivert/what-you-saying", UrlKind.PLAYLIST, "station"),
    ("https://soundcloud.com/discover", UrlKind.DISCOVER, "discover"),
    ("https://soundcloud.com/search?q=moon", UrlKind.SEARCH, "search"),
    ("https://www.mixcloud.com/spartacus/", UrlKind.PROFILE, "Mixcloud user"),
    ("https://www.mixcloud.com/spartacus/uploads/", UrlKind.USER_LIST, "uploads"),
    ("https://www.mixcloud.com/spartacus/favorites/", UrlKind.USER_LIST, "favorites"),
    ("https://www.mixcloud.com/spartacus/listens/", UrlKind.USER_LIST, "listens"),
    ("https://www.mixcloud.com/spartacus/stream/", UrlKind.USER_LIST, "stream"),
    ("https://www.mixcloud.com/spartacus/playlists/party-mixes/", UrlKind.PLAYLIST, "Mixcloud playlist"),
    ("https://www.mixcloud.com/live/spartacus/", UrlKind.SITE_PAGE, "live"),
    ("https://www.mixcloud.com/discover/funk/", UrlKind.DISCOVER, "discover"),
    ("https://www.mixcloud.com/genres/funk/", UrlKind.DISCOVER, "genre"),
    ("https://c418.bandcamp.com/", UrlKind.PROFILE, "discography"),
    ("https://c418.bandcamp.com/music", UrlKind.PROFILE, "discography"),
    ("https://bandcamp.com/search?q=minecraft", UrlKind.SEARCH, "Bandcamp search"),
    ("https://bandcamp.com/discover/ambient", UrlKind.DISCOVER, "discover"),
    ("https://daily.bandcamp.com/best-ambient/the-best-ambient-music", UrlKind.SITE_PAGE, "Bandcamp Daily"),
    ("https://vimeo.com/channels/staffpicks", UrlKind.CHANNEL, "Vimeo channel"),
    ("https://vimeo.com/user7108434", UrlKind.PROFILE, "Vimeo profile"),
    ("https://vimeo.com/album/2632481", UrlKind.PLAYLIST, "showcase"),
    ("https://vimeo.com/showcase/2632481", UrlKind.PLAYLIST, "showcase"),
]


@pytest.mark.parametrize(("url", "kind", "words"), NOT_ONE_ITEM)
def test_links_that_are_not_one_item_are_refused_with_what_they_are(url: str, kind: UrlKind, words: str) -> None:
    recognised = recognise(url)
    assert recognised.kind is kind
    assert recognised.platform is not Platform.URL
    with pytest.raises(BadInput) as caught:
        identify(url)
    assert words.lower() in caught.value.message.lower()
    assert caught.value.message.startswith("that link is ")


def test_refusal_message_reads_as_a_sentence() -> None:
    with pytest.raises(BadInput) as caught:
        identify("https://www.youtube.com/playlist?list=PL4qTakKkQATKOyZPJG_cAMnRtF7fAIdST")
    assert caught.value.message == "that link is a YouTube playlist, not a single track"


MEDIA_FILES = [
    "https://cdn.example.org/audio/moon-river.mp3",
    "https://cdn.example.org/a.M4A",
    "http://radio.example.net/live/show.ogg",
    "https://x.example/y.oga",
    "https://x.example/y.opus?sig=abc",
    "https://x.example/y.flac",
    "https://x.example/y.wav",
    "https://x.example/y.aac",
    "https://stream.example.com/hls/master.m3u8",
]


@pytest.mark.parametrize("url", MEDIA_FILES)
def test_direct_media_links_are_url_platform_with_a_hash_id(url: str) -> None:
    platform, native_id = identify(url)
    assert platform is Platform.URL
    assert native_id == hashlib.sha1(normalise_url(url).encode()).hexdigest()[:16]
    assert recognise(url).kind is UrlKind.MEDIA_FILE


def test_media_file_id_ignores_tracking_case_of_host_default_port_and_fragment() -> None:
    plain = media_file_id("https://cdn.example.org/a/b.mp3?token=1")
    assert media_file_id("HTTPS://CDN.Example.ORG:443/a/b.mp3?token=1&utm_source=mail#t=3") == plain
    assert media_file_id("https://cdn.example.org/a/b.mp3?token=2") != plain
    assert media_file_id("https://cdn.example.org/a/B.mp3?token=1") != plain


def test_a_media_extension_elsewhere_than_the_file_name_is_a_web_page() -> None:
    assert recognise("https://example.com/song.mp3/comments").kind is UrlKind.WEB_PAGE
    assert recognise("https://example.com/play?file=song.mp3").kind is UrlKind.WEB_PAGE


MALFORMED = [
    "",
    "   ",
    "moon river",
    "youtube.com/watch?v=_G1soKzXJUo",
    "www.youtube.com/watch?v=_G1soKzXJUo",
    "ftp://example.com/a.mp3",
    "file:///home/me/a.mp3",
    "javascript:alert(1)",
    "mailto:someone@example.com",
    "http://",
    "https:///path-only",
    "http://exa mple.com/x",
    "https://example.com/a b.mp3",
    "https://example.com/\x00",
    "http://[::1",
    "http://example.com:99999/",
    "http://example.com:0/",
    "http://bad_host!name.com/",
    "https://" + "a" * 64 + ".com/",
    "https://example.com/" + "x" * 5000,
]


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_links_are_bad_input_with_a_message(url: str) -> None:
    with pytest.raises(BadInput) as caught:
        identify(url)
    assert caught.value.message
    assert "\x00" not in caught.value.message


def test_surrounding_whitespace_is_ignored() -> None:
    assert identify("  https://youtu.be/_G1soKzXJUo \n") == (Platform.YOUTUBE, "_G1soKzXJUo")


def test_international_host_names_are_accepted() -> None:
    assert identify("https://müsic.example/song.mp3")[0] is Platform.URL


def test_non_text_is_bad_input() -> None:
    with pytest.raises(BadInput):
        identify(None)  # type: ignore[arg-type]


def test_identify_is_exported_from_the_platforms_package() -> None:
    assert lazily_exported_identify is identify


def test_mixcloud_native_id_round_trips_including_percent_encoding() -> None:
    key = "/AkumaDJ/bon-dimanche-%C3%A0-tous/"
    assert identify("https://www.mixcloud.com/AkumaDJ/bon-dimanche-à-tous/") == (
        Platform.MIXCLOUD,
        mixcloud_native_id(key),
    )
    assert identify("https://www.mixcloud.com/AkumaDJ/bon-dimanche-%C3%A0-tous/")[1] == mixcloud_native_id(key)
    assert mixcloud_key(mixcloud_native_id(key)) == key
    assert "/" not in mixcloud_native_id(key)


def test_mixcloud_ids_agree_with_the_mixcloud_client() -> None:
    from mixtui.links.mixcloud_keys import encode_native_id

    key = "/NTSRadio/knee-deep-26th-august-2014/"
    assert mixcloud_native_id(key) == encode_native_id(key)


CANONICAL = [
    (Platform.YOUTUBE, "https://youtu.be/_G1soKzXJUo?si=AbCd", "https://www.youtube.com/watch?v=_G1soKzXJUo"),
    (
        Platform.YOUTUBE,
        "https://m.youtube.com/watch?v=_G1soKzXJUo&list=PLx&pp=ygU&t=42s",
        "https://www.youtube.com/watch?v=_G1soKzXJUo",
    ),
    (
        Platform.YOUTUBE,
        "https://youtube.com/shorts/a12CpYea0i4?feature=share",
        "https://www.youtube.com/shorts/a12CpYea0i4",
    ),
    (
        Platform.SOUNDCLOUD,
        "https://m.soundcloud.com/user/slug?ref=clipboard&p=a&c=1&si=xyz&utm_source=clipboard#t=3",
        "https://soundcloud.com/user/slug",
    ),
    (
        Platform.SOUNDCLOUD,
        "https://soundcloud.com/jaimemf/youtube-dl-test-video-a-y-baw/s-8Pjrp?si=1",
        "https://soundcloud.com/jaimemf/youtube-dl-test-video-a-y-baw/s-8Pjrp",
    ),
    (
        Platform.SOUNDCLOUD,
        "https://api.soundcloud.com/tracks/1356023209",
        "https://api.soundcloud.com/tracks/1356023209",
    ),
    (
        Platform.MIXCLOUD,
        "https://m.mixcloud.com/spartacus/party-time",
        "https://www.mixcloud.com/spartacus/party-time/",
    ),
    (
        Platform.BANDCAMP,
        "http://c418.bandcamp.com/track/minecraft?from=search&search_item_id=1&search_sig=abc",
        "https://c418.bandcamp.com/track/minecraft",
    ),
    (Platform.VIMEO, "https://player.vimeo.com/video/592018875?h=79b99d28b9", "https://vimeo.com/592018875/79b99d28b9"),
    (Platform.VIMEO, "https://vimeo.com/channels/staffpicks/123456?share=copy", "https://vimeo.com/123456"),
    (
        Platform.URL,
        "https://example.com/show?p=12&utm_medium=social&fbclid=abc#part-2",
        "https://example.com/show?p=12#part-2",
    ),
]


@pytest.mark.parametrize(("platform", "url", "expected"), CANONICAL)
def test_canonical_url_strips_tracking(platform: Platform, url: str, expected: str) -> None:
    assert canonical_url(platform, url) == expected


# -- fuzzing: only BadInput, ever ------------------------------------------------------------

HOSTS = [
    "www.youtube.com",
    "youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "youtu.be",
    "www.youtube-nocookie.com",
    "soundcloud.com",
    "m.soundcloud.com",
    "on.soundcloud.com",
    "api.soundcloud.com",
    "api-v2.soundcloud.com",
    "w.soundcloud.com",
    "www.mixcloud.com",
    "api.mixcloud.com",
    "player-widget.mixcloud.com",
    "bandcamp.com",
    "c418.bandcamp.com",
    "daily.bandcamp.com",
    "vimeo.com",
    "player.vimeo.com",
    "example.com",
    "[::1]",
    "127.0.0.1:8080",
]
SEGMENTS = [
    "watch",
    "shorts",
    "live",
    "embed",
    "v",
    "playlist",
    "results",
    "@x",
    "channel",
    "c",
    "user",
    "browse",
    "sets",
    "tracks",
    "likes",
    "discover",
    "search",
    "stations",
    "s-8Pjrp",
    "player",
    "widget",
    "iframe",
    "uploads",
    "playlists",
    "genres",
    "EmbeddedPlayer",
    "track=1691975503",
    "album=1",
    "track",
    "album",
    "music",
    "radio",
    "channels",
    "groups",
    "videos",
    "showcase",
    "video",
    "ondemand",
    "review",
    "event",
    "_G1soKzXJUo",
    "123456",
    "ebd66989cc",
    "song.mp3",
    "x.m3u8",
    "soundcloud%3Atracks%3A1",
    "%C3%A0",
    "%",
    "%zz",
    "",
]
QUERY_NAMES = ["v", "list", "url", "feed", "h", "show", "q", "si"]
QUERY_VALUES = st.sampled_from(
    [
        "",
        "_G1soKzXJUo",
        "PLx",
        "230",
        "79b99d28b9",
        "https://api.soundcloud.com/tracks/309689103",
        "https://www.mixcloud.com/spartacus/party-time/",
        "http://[::1",
        "%2Fa%2Fb%2F",
        "/",
        "https://w.soundcloud.com/player/?url=https://api.soundcloud.com/tracks/1",
    ]
)
URL_SHAPED = st.builds(
    lambda scheme, host, segments, params, fragment: (
        f"{scheme}://{host}/{'/'.join(segments)}"
        + ("?" + "&".join(f"{k}={v}" for k, v in params) if params else "")
        + (f"#{fragment}" if fragment else "")
    ),
    st.sampled_from(["http", "https", "HTTPS", "ftp", ""]),
    st.sampled_from(HOSTS),
    st.lists(st.sampled_from(SEGMENTS) | st.text(max_size=8), max_size=5),
    st.lists(
        st.tuples(st.sampled_from(["v", "list", "url", "feed", "h", "show", "q", "si"]), QUERY_VALUES), max_size=3
    ),
    st.sampled_from(["", "t=34", "at=0"]),
)


def _only_bad_input(url: str) -> None:
    try:
        platform, native_id = identify(url)
    except BadInput as error:
        assert error.message
        return
    assert isinstance(platform, Platform)
    assert native_id is None or (isinstance(native_id, str) and native_id)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_identify_on_any_text_raises_only_bad_input(text: str) -> None:
    _only_bad_input(text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(URL_SHAPED)
def test_identify_on_url_shaped_strings_raises_only_bad_input(url: str) -> None:
    _only_bad_input(url)
    try:
        recognised = recognise(url)
    except BadInput:
        return
    canonical = canonical_url(recognised.platform, url)
    assert canonical.lower().startswith("http")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=600))
def test_query_path_raises_only_bad_input(query: str) -> None:
    try:
        cleaned = clean_query(query)
    except BadInput as error:
        assert error.message
        return
    assert cleaned == cleaned.strip() and cleaned
    if is_url_query(cleaned):
        _only_bad_input(cleaned)


@pytest.mark.parametrize("name", ["take-five.wv", "set.mka", "clip.mp4", "stream.m3u8", "song.flac"])
def test_links_the_player_opens_directly_are_media_files(name: str) -> None:
    url = f"https://files.example.com/music/{name}"
    platform, native_id = identify(url)
    assert (platform, native_id) == (Platform.URL, media_file_id(url))
    media = Media(id=f"url-{native_id}", title=name, author="", platform=Platform.URL, url=url)
    assert is_direct(media)
    assert "." + name.rsplit(".", 1)[1] in MEDIA_FILE_EXTENSIONS
