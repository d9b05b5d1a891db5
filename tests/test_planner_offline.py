"""The offline planner's choice among search results (no network)."""

from __future__ import annotations

from mixtui.models import Media
from mixtui.planner.offline import pick_tracks, prompt_keywords


def media(n: int, title: str, author: str, duration: float | None = 200, platform: str = "youtube") -> Media:
    return Media(
        id=f"{platform}-{n}", title=title, author=author, platform=platform, url=f"https://x/{n}", duration=duration
    )


def test_generic_words_are_not_keywords() -> None:
    assert prompt_keywords("some chill jazz music to listen at the beach") == {"chill", "jazz", "beach"}


def test_same_song_on_two_platforms_is_picked_once() -> None:
    results = [
        media(1, "Louis Armstrong - Moon River (Official Audio)", "Louis Armstrong"),
        media(2, "Moon River", "Louis Armstrong", platform="soundcloud"),
        media(3, "Moon River", "Andy Williams - Topic"),
    ]
    picked = pick_tracks("moon river", results)
    assert [m.id for m in picked] == ["youtube-1", "youtube-3"]


def test_unasked_karaoke_and_nightcore_are_left_out_unless_asked() -> None:
    results = [media(1, "Moon River (Karaoke Version)", "Sing King"), media(2, "Moon River [Nightcore]", "NC")]
    assert pick_tracks("moon river", results) == []
    assert [m.id for m in pick_tracks("moon river karaoke", results)] == ["youtube-1"]


def test_long_mixes_rank_last_unless_the_prompt_asks_for_a_mix() -> None:
    song = media(1, "Jazz on the beach", "Trio Sol", duration=240)
    mix = media(2, "Jazz on the beach", "DJ Wave", duration=3 * 3600, platform="mixcloud")
    assert [m.id for m in pick_tracks("jazz beach", [mix, song])] == ["youtube-1", "mixcloud-2"]
    assert [m.id for m in pick_tracks("jazz beach mix", [mix, song])] == ["mixcloud-2", "youtube-1"]


def test_results_sharing_the_prompt_words_come_first_and_at_most_ten() -> None:
    unrelated = [media(n, f"Song number {n}", f"Artist {n}") for n in range(20)]
    fitting = media(99, "Sunset Beach Jazz", "Trio Sol")
    picked = pick_tracks("beach jazz", [*unrelated, fitting])
    assert picked[0].id == "youtube-99"
    assert len(picked) == 10
