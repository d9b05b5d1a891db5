from __future__ import annotations

import pytest

from mixtui.errors import BadInput
from mixtui.models import Media, Platform, format_duration


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
