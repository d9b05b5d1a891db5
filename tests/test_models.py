from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixtui.errors import BadInput
from mixtui.models import MAX_DURATION, Media, Platform, format_duration


def test_platform_accepts_seed_alias_and_rejects_unknown() -> None:
    assert Platform.parse("souncloud") is Platform.SOUNDCLOUD
    assert Platform.parse(" YouTube ") is Platform.YOUTUBE
    with pytest.raises(BadInput, match="unknown platform 'myspace'"):
        Platform.parse("myspace")


def test_media_json_has_exactly_the_seed_fields_in_order() -> None:
    media = Media.from_json(
        {
            "id": "souncloud-40644970",
            "title": "Changed The Way You Kiss Me",
            "author": "Example",
            "image": None,
            "platform": "souncloud",
            "url": "https://soundcloud.com/example/changed-the-way-you-kiss-me",
            "duration": 208.153,
        }
    )
    assert media.platform is Platform.SOUNDCLOUD
    assert list(media.to_json()) == ["id", "title", "author", "image", "platform", "url", "duration"]
    assert media.to_json()["platform"] == "soundcloud"
    assert media.native_id == "40644970"


def test_media_unknown_duration_is_null_never_zero() -> None:
    media = Media(id="local-x", title="t", author="a", platform=Platform.LOCAL, url="/x.mp3", duration=0)
    assert media.duration is None


@pytest.mark.parametrize(
    "bad", ["{", "[]", '{"id": "x"}', '{"id":"x","title":"t","author":"a","platform":"myspace","url":"u"}']
)
def test_media_from_bad_json_is_bad_input(bad: str) -> None:
    with pytest.raises(BadInput, match="not a Media object"):
        Media.from_json(bad)


@pytest.mark.parametrize(
    ("seconds", "text"), [(None, "—"), (59, "0:59"), (166, "2:46"), (4663, "1:17:43"), (208.153, "3:28")]
)
def test_format_duration(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


# -- what is not a Media is refused, whoever builds it ----------------------------------------------
def seed(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "id": "youtube-_G1soKzXJUo",
        "title": "Moon River",
        "author": "Henry Mancini",
        "image": None,
        "platform": "youtube",
        "url": "https://www.youtube.com/watch?v=_G1soKzXJUo",
        "duration": 163,
    }
    return {**fields, **changes}


@pytest.mark.parametrize(
    "duration", [float("nan"), float("inf"), float("-inf"), -5, 0, 0.0, 10**400, 1e300, MAX_DURATION + 1]
)
def test_impossible_durations_are_unknown(duration: object) -> None:
    media = Media.from_json(seed(duration=duration))
    assert media.duration is None
    json.dumps(media.to_json(), allow_nan=False)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e999", "-1"])
def test_impossible_durations_in_json_text_are_unknown(text: str) -> None:
    raw = json.dumps(seed()).replace('"duration": 163', f'"duration": {text}')
    assert Media.from_json(raw).duration is None


@pytest.mark.parametrize(
    ("duration", "kind"), [(True, "true/false"), (False, "true/false"), ("163", "str"), ([1], "list")]
)
def test_a_duration_that_is_not_a_number_is_refused(duration: object, kind: str) -> None:
    with pytest.raises(BadInput, match=f"duration: must be a number of seconds or null, not {kind}"):
        Media.from_json(seed(duration=duration))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"platform": "soundcloud"}, "does not belong to the platform soundcloud"),
        ({"id": "soundcloud-1"}, "does not belong to the platform youtube"),
        ({"id": "youtube"}, "is not <platform>-<native id>"),
        ({"id": "youtube- "}, "is not <platform>-<native id>"),
        ({"url": "javascript:alert(1)"}, "url must be an http(s) URL"),
        ({"url": "JavaScript:alert(1)", "platform": "url", "id": "url-1"}, "url must be an http(s), file: or stream"),
        ({"url": "data:text/html,<b>x</b>", "platform": "url", "id": "url-1"}, "not 'data:"),
        ({"url": "/etc/passwd"}, "url must be an http(s) URL"),
        ({"url": "https:///no-host"}, "names no host"),
        ({"url": "  "}, "the url is empty"),
        ({"url": "https://a.example/\x00"}, "NUL"),
    ],
)
def test_what_is_not_a_media_is_refused_with_a_clear_message(changes: dict[str, object], message: str) -> None:
    with pytest.raises(BadInput, match=re.escape(message)):
        Media.from_json(seed(**changes))


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        ("local", "/music/a.flac"),
        ("local", "file:///music/a.flac"),
        ("local", "C:\\Music\\a.flac"),
        ("url", "file:///music/a.flac"),
        ("url", "rtmp://radio.example/live"),
        ("url", "https://radio.example/live.m3u8"),
        ("mixcloud", "https://www.mixcloud.com/someone/show/"),
    ],
)
def test_every_url_mixtui_plays_is_accepted(platform: str, url: str) -> None:
    assert Media.from_json(seed(id=f"{platform}-1", platform=platform, url=url)).url == url


def test_the_seed_spelling_of_soundcloud_ids_is_accepted() -> None:
    media = Media.from_json(seed(id="souncloud-40644970", platform="souncloud", url="https://soundcloud.com/a/b"))
    assert media.platform is Platform.SOUNDCLOUD


def test_deeply_nested_json_is_bad_input_not_a_recursion_error() -> None:
    with pytest.raises(BadInput, match="nested too deeply"):
        Media.from_json('{"id":' * 100_000 + "1" + "}" * 100_000)
    with pytest.raises(BadInput, match="expected a JSON object"):
        Media.from_json("[1]")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    duration=JSON_VALUES, url=st.text(max_size=30) | st.sampled_from(["https://a.example/x", "/x.mp3", "rtmp://r/x"])
)
def test_any_json_becomes_a_valid_media_or_bad_input(duration: object, url: str) -> None:
    for platform in ("youtube", "url", "local"):
        try:
            media = Media.from_json(seed(id=f"{platform}-x", platform=platform, url=url, duration=duration))
        except BadInput as error:
            assert error.message.startswith("not a Media object: ")
            continue
        assert media.duration is None or (not isinstance(media.duration, bool) and 0 < media.duration <= MAX_DURATION)
        assert media.id.startswith(f"{platform}-")
        json.dumps(media.to_json(), allow_nan=False)
