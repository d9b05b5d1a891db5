"""Journey: shuffle and repeat in the app, by key, on every screen, in the bar, the ? screen and the palette.

Real parts: the replay servers, a TinyDB file in ``tmp_path``, real mpv (``ao=null``) on WAVs
the test writes; every step checks the rendered screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.journey import SIZES, Journey
from tests.support.platform_servers import PlatformServers
from tests.test_journeys import journey_app, now, write_music

pytestmark = [
    pytest.mark.timeout(120),
    pytest.mark.parametrize("size", SIZES, ids=[f"{width}x{height}" for width, height in SIZES]),
]


def bar(j: Journey) -> str:
    """The now-playing bar's line as shown (its time reads "… / 0:20")."""
    return next(line for line in reversed(j.text.splitlines()) if "/ 0:20" in line and "[toast]" not in line)


async def test_shuffle_and_repeat_from_the_keys_the_bar_the_help_and_the_palette(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    write_music(tmp_path, seconds=20.0)
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        listed = [m.author for m in await j.local_results("moon river", "Henry Ma", "Audrey H", "Frank Oc")]
        await j.press("S")  # before anything plays: the mode waits for the player
        await j.see("Shuffle on", "⤮")
        await j.press("enter")
        await j.until(lambda: now(app).state == "playing", "the first track playing")
        entries = lambda: [entry.media.author for entry in app.media_actions.queue]  # noqa: E731
        assert entries()[0] == listed[0] and sorted(entries()) == sorted(listed)
        await j.go("queue")
        await j.until(lambda: "⤮" in bar(j), "the shuffle sign in the bar")
        await j.press("S")  # off: what is left goes back in the list's order
        await j.see("Shuffle off")
        await j.until(lambda: entries() == listed, "the list's order back")
        await j.until(lambda: "⤮" not in bar(j), "the bar without the shuffle sign")
        await j.press("ctrl+r")
        await j.see("Repeat all (the whole queue)", "↻")
        await j.press("ctrl+r")
        await j.see("Repeat one (this track)", "↻1")
        await j.press("n")  # repeat one: the user still moves on
        await j.until(lambda: now(app).media is not None and now(app).media.author == listed[1], "skip")
        # The Library takes s and r for its own keys: S and ctrl+r still mean shuffle and repeat there.
        await j.go("library")
        await j.press("S")
        await j.see("Shuffle on")
        await j.until(lambda: app.media_actions.queue[0].media.author == listed[0], "the played part kept")
        await j.press("question_mark")
        await j.see("Here: Library")
        app.screen.query_one("#keys-help").scroll_end(animate=False)  # as the wheel would
        await j.see("S ", "Shuffle on / off", "^r", "Repeat: off → all → one")
        await j.press("escape")
        await j.press("ctrl+p")
        await j.pilot.press(*"Repeat off")
        await j.see("Repeat off")
        await j.press("enter")
        await j.until(lambda: now(app).repeat == "off", "repeat off from the palette")
        await j.until(lambda: "↻" not in bar(j), "the bar without the repeat sign")
        assert app.media_actions._player is not None and app.media_actions._player.shuffle
        # The keys' own palette commands run them (they did nothing once: the app's keys ran on the screen).
        await j.press("ctrl+p")
        await j.pilot.press(*"Shuffle on / off")
        await j.see("key: S")
        await j.press("enter")
        await j.see("Shuffle off")
        await j.until(lambda: not now(app).shuffle and not app.media_actions._player.shuffle, "shuffle off")  # type: ignore[union-attr]
        await j.press("ctrl+p")
        await j.pilot.press(*"Pause / resume")
        await j.see("key: space")
        await j.press("enter")
        await j.see("⏸")
        assert j.steps >= 15
