"""One notice for a burst of tracks that cannot play, however many and whatever the mix."""

from __future__ import annotations

from mixtui.ui.actions import failure_notice


def test_one_failure_names_the_track() -> None:
    assert failure_notice([("Moon River", "geo-blocked: not in your country")]) == (
        "Can't play — skipped",
        "Moon River: geo-blocked: not in your country",
    )


def test_a_burst_with_one_reason_says_it_once() -> None:
    burst = [(f"Track {n}", "cannot reach soundcloud.com") for n in range(7)]
    assert failure_notice(burst)[1] == "7 tracks could not be played: cannot reach soundcloud.com"


def test_unreachable_sites_are_listed_together() -> None:
    hosts = ["youtube.com", "soundcloud.com", "youtube.com", "mixcloud.com", "vimeo.com", "bandcamp.com"]
    burst = [(f"Track {n}", f"cannot reach {host}") for n, host in enumerate(hosts)]
    assert failure_notice(burst)[1] == (
        "6 tracks could not be played: cannot reach youtube.com, soundcloud.com, mixcloud.com and 2 more"
    )


def test_mixed_reasons_give_the_commonest_and_point_at_the_queue() -> None:
    burst = [("A", "file not found: /a.wav"), ("B", "cannot reach vimeo.com"), ("C", "cannot reach vimeo.com")]
    assert failure_notice(burst)[1] == (
        "3 tracks could not be played, most because: cannot reach vimeo.com; the Queue lists why"
    )
