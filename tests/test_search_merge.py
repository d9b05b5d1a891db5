from __future__ import annotations

from mixtui.models import Media, Platform
from mixtui.search import merge_results


def media(platform: Platform, native: str, url: str | None = None) -> Media:
    return Media(
        id=f"{platform.value}-{native}",
        title=f"title {native}",
        author="someone",
        platform=platform,
        url=url or f"https://{platform.value}.example/{native}",
    )


def test_round_robin_in_a_stable_platform_order_whatever_the_arrival_order() -> None:
    results = {
        Platform.SOUNDCLOUD: [media(Platform.SOUNDCLOUD, str(i)) for i in range(3)],
        Platform.YOUTUBE: [media(Platform.YOUTUBE, str(i)) for i in range(5)],
        Platform.LOCAL: [media(Platform.LOCAL, "0")],
    }
    merged = merge_results(results, 30)
    assert [m.id for m in merged] == [
        "youtube-0",
        "soundcloud-0",
        "local-0",
        "youtube-1",
        "soundcloud-1",
        "youtube-2",
        "soundcloud-2",
        "youtube-3",
        "youtube-4",
    ]


def test_cap_keeps_every_platform_represented() -> None:
    results = {p: [media(p, str(i)) for i in range(20)] for p in (Platform.YOUTUBE, Platform.MIXCLOUD, Platform.VIMEO)}
    merged = merge_results(results, 30)
    assert len(merged) == 30
    assert {p: sum(m.platform is p for m in merged) for p in results} == {p: 10 for p in results}


def test_duplicates_by_id_and_by_url_are_dropped() -> None:
    first = media(Platform.YOUTUBE, "abc", "https://www.youtube.com/watch?v=abc")
    same_id = media(Platform.YOUTUBE, "abc", "https://youtube.com/watch?v=abc&x=1")
    same_url = media(Platform.URL, "hash", "https://m.youtube.com/watch?v=abc")
    merged = merge_results({Platform.YOUTUBE: [first, same_id], Platform.URL: [same_url]}, 30)
    # The resolved URL comes first in the merge order, so it is the one kept.
    assert [m.id for m in merged] == ["url-hash"]
    assert [m.id for m in merge_results({Platform.YOUTUBE: [first, same_id]}, 30)] == ["youtube-abc"]


def test_empty_and_zero() -> None:
    assert merge_results({}, 30) == []
    assert merge_results({Platform.YOUTUBE: [media(Platform.YOUTUBE, "a")]}, 0) == []
