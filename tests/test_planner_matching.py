"""Fuzzy matching of platform results against a suggested track."""

from __future__ import annotations

import pytest

from mixtui.models import Media
from mixtui.planner.matching import (
    GOOD_MATCH,
    MIN_MATCH,
    clean_author,
    display_title,
    fold,
    rank_candidates,
    score_candidate,
    strip_noise,
    title_core,
)
from mixtui.planner.plan import SuggestedTrack

MOON_RIVER = SuggestedTrack(title="Moon River", author="Louis Armstrong")


def media(title: str, author: str, duration: float | None = 180, platform: str = "youtube", n: int = 0) -> Media:
    return Media(
        id=f"{platform}-{n}", title=title, author=author, platform=platform, url=f"https://x/{n}", duration=duration
    )


def score(candidate: Media, suggestion: SuggestedTrack = MOON_RIVER, prompt: str = "") -> float:
    match = score_candidate(suggestion, candidate, prompt)
    return match.score if match else -1.0


def test_fold_and_noise_removal() -> None:
    assert fold("Beyoncé - Halo!") == "beyonce halo"
    assert strip_noise("Moon River (Official Video) [HD]") == "Moon River"
    assert strip_noise("Moon River (Remastered 2011)") == "Moon River"
    assert strip_noise("Moon River (Live at Newport)") == "Moon River (Live at Newport)"
    assert strip_noise("Song feat. Someone") == "Song Someone"
    assert strip_noise("XO TOUR Llif3 (Produced By TM88)") == "XO TOUR Llif3"
    assert strip_noise("Song (Productive Mix)") == "Song (Productive Mix)"
    assert clean_author("Louis Armstrong - Topic") == "Louis Armstrong"
    assert clean_author("LouisArmstrongVEVO") == "LouisArmstrong"


def test_title_core_drops_the_artist_half_of_an_upload_title() -> None:
    assert title_core("Louis Armstrong - Moon River (Audio)", ["Louis Armstrong"]) == "moon river"
    assert title_core("Moon River | Louis Armstrong", ["Louis Armstrong"]) == "moon river"
    assert title_core("Moon River - Remastered", ["Louis Armstrong"]) == "moon river remastered"
    assert display_title(media("Louis Armstrong - Moon River (Audio)", "Louis Armstrong")) == "Moon River"


def test_exact_official_upload_scores_top() -> None:
    match = score_candidate(MOON_RIVER, media("Moon River", "Louis Armstrong - Topic"))
    assert match is not None
    assert match.score == 100
    assert match.good
    assert match.reason == "title 100, artist 100, official (Topic)"


def test_label_upload_with_artist_in_title_is_a_good_match() -> None:
    suggestion = SuggestedTrack(title="The Girl from Ipanema", author="Stan Getz")
    candidate = media("Stan Getz feat. Astrud Gilberto - The Girl From Ipanema (Official Video)", "Verve Records")
    match = score_candidate(suggestion, candidate)
    assert match is not None and match.good
    assert "official" in match.reason


@pytest.mark.parametrize(
    ("title", "author", "word"),
    [
        ("Moon River (Karaoke Version)", "Sing King Karaoke", "karaoke"),
        ("Moon River - Louis Armstrong (cover)", "Jane Doe Music", "cover"),
        ("Moon River (Live)", "Louis Armstrong", "live"),
        ("Moon River (Remix)", "Louis Armstrong", "remix"),
        ("Moon River 8D Audio", "Louis Armstrong", "8D"),
        ("Moon River (sped up)", "Louis Armstrong", "sped up"),
        ("Moon River slowed + reverb", "Louis Armstrong", "slowed"),
        ("Moon River [Nightcore]", "Louis Armstrong", "nightcore"),
        ("Moon River BASS BOOSTED", "Louis Armstrong", "bass boosted"),
        ("Moon River (Instrumental)", "Louis Armstrong", "instrumental"),
        ("Moon River (Acoustic)", "Louis Armstrong", "acoustic"),
    ],
)
def test_unasked_versions_lose_to_the_original(title: str, author: str, word: str) -> None:
    original = media("Moon River", "Louis Armstrong")
    version = media(title, author, n=1)
    match = score_candidate(MOON_RIVER, version)
    assert match is None or (match.score < score(original) and word in match.reason)
    if match is not None:
        assert not match.good


def test_a_version_the_prompt_asks_for_is_not_penalised() -> None:
    live = media("Moon River (Live)", "Louis Armstrong")
    assert score(live, prompt="live jazz recordings") > score(live)
    match = score_candidate(MOON_RIVER, live, "live jazz recordings")
    assert match is not None and "live" not in match.reason
    live_suggestion = SuggestedTrack(title="Moon River (Live)", author="Louis Armstrong")
    assert score(live, live_suggestion) == score(media("Moon River", "Louis Armstrong"))


def test_words_inside_other_words_are_not_penalised() -> None:
    suggestion = SuggestedTrack(title="Alive", author="Sia")
    match = score_candidate(suggestion, media("Alive", "Sia"))
    assert match is not None and "live" not in match.reason


def test_unrelated_titles_and_other_artists_are_dropped() -> None:
    assert score_candidate(MOON_RIVER, media("Moonlight Serenade", "Glenn Miller")) is None
    assert score_candidate(MOON_RIVER, media("What a Wonderful World", "Louis Armstrong")) is None
    assert score_candidate(MOON_RIVER, media("Moon River", "Frank Ocean")) is None


def test_duration_sanity() -> None:
    song = media("Moon River", "Louis Armstrong", duration=175)
    preview = media("Moon River", "Louis Armstrong", duration=30, n=1)
    long_mix = media("Moon River", "Louis Armstrong", duration=3 * 3600, n=2)
    unknown = media("Moon River", "Louis Armstrong", duration=None, n=3)
    assert score(song) > score(preview) and score(song) > score(long_mix)
    assert score(unknown) == score(song)
    timed = SuggestedTrack(title="Moon River", author="Louis Armstrong", duration=160)
    close, far = media("Moon River", "Louis Armstrong", 165), media("Moon River", "Louis Armstrong", 400, n=1)
    assert score(close, timed) > score(far, timed)
    far_match = score_candidate(timed, far)
    assert far_match is not None and "length 6:40 vs 2:40" in far_match.reason


def test_official_uploads_get_a_small_bonus() -> None:
    plain = media("Louis Armstrong - Moon River", "jazzfan1962")
    official = media("Moon River (Official Audio)", "Louis Armstrong - Topic", n=1)
    assert score(official) > score(plain)
    assert score(official) - score(plain) < 50


def test_rank_candidates_orders_best_first_and_drops_weak_ones() -> None:
    candidates = [
        media("Moon River (Karaoke)", "Karaoke Hits", n=1),
        media("Moon River (Live)", "Louis Armstrong", n=2),
        media("Louis Armstrong - Moon River", "Louis Armstrong", n=3),
        media("Moonlight", "Someone", n=4),
    ]
    ranked = rank_candidates(MOON_RIVER, candidates)
    assert [m.media.id for m in ranked][:2] == ["youtube-3", "youtube-2"]
    assert all(m.score >= MIN_MATCH for m in ranked)
    assert ranked[0].score >= GOOD_MATCH


def test_reordered_titles_are_other_songs() -> None:
    assert score_candidate(MOON_RIVER, media("River Moon", "Selkie")) is None
    swapped = score_candidate(MOON_RIVER, media("River Moon", "Louis Armstrong"))
    assert swapped is None or not swapped.good
