"""Playback benchmark: time to first audio and the gap between consecutive tracks.

Everything plays through real libmpv with ``ao=null`` (which plays in real time) on WAV
files written here. Baselines are measured in the same run, interleaved with mixtui's
rounds so that machine noise hits both alike:

- time to first audio: ``Player.play()`` until mpv's ``time-pos`` > 0, for a local file,
  ÷ the same with bare python-mpv (``loadfile`` until ``time-pos`` > 0) — goal ≤ 1.2;
- gap between two tracks (audio end of the first → audio start of the second, computed
  from mpv's own positions) ÷ mixtui's single-file figure — goal ≤ 1.5; for local files
  and for pages on 127.0.0.1 that yt-dlp resolves (answering after 0.8 s), with and
  without resolving the next page ahead of time.

Figures are medians. Run: ``.venv/bin/python bench/play.py``
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixtui.config import Settings, load_settings
from mixtui.models import Media, Platform
from mixtui.player.events import PlayerEvent, PositionChanged, SessionFinished
from mixtui.player.mpv_adapter import load_mpv, mpv_options
from mixtui.player.player import Player
from mixtui.player.streams import StreamResolver
from tests.support.audio import write_wav
from tests.support.replay import ReplayServer, Reply

ROUNDS = 9
GAP_ROUNDS = 3
# How long the loopback site takes to answer a page (real extractions take one to several seconds).
PAGE_LATENCY = 0.8
TRACK_SECONDS = 1.5


class NoPrefetch(StreamResolver):
    """Resolves each page only when it is its turn (what prefetch saves)."""

    def prefetch(self, media: Media | None) -> None:
        return None


def bare_first_audio(mpv_module: object, path: Path, rounds: int) -> list[float]:
    """python-mpv alone: loadfile → time-pos > 0, same options as mixtui's player."""
    player = mpv_module.MPV(**mpv_options("null", video=False))  # type: ignore[attr-defined]
    heard = threading.Event()

    def on_position(_name: str, value: float | None) -> None:
        if value is not None and value > 0:
            heard.set()

    player.observe_property("time-pos", on_position)
    figures = []
    try:
        for _ in range(rounds + 1):  # the first round warms the audio output up
            heard.clear()
            started = time.perf_counter()
            player.command("loadfile", str(path), "replace")
            heard.wait(5)
            figures.append(time.perf_counter() - started)
            player.command("stop")
            time.sleep(0.05)
    finally:
        player.terminate()
    return figures[1:]


async def mixtui_first_audio(settings: Settings, media: Media, rounds: int) -> list[float]:
    figures = []
    async with Player(settings) as player:
        for _ in range(rounds + 1):
            heard = asyncio.Event()

            def listener(event: PlayerEvent, heard: asyncio.Event = heard) -> None:
                if isinstance(event, PositionChanged) and event.position > 0:
                    heard.set()

            unsubscribe = player.subscribe(listener)
            started = time.perf_counter()
            await player.play([media])
            await asyncio.wait_for(heard.wait(), 5)
            figures.append(time.perf_counter() - started)
            unsubscribe()
            await player.stop()
            await asyncio.sleep(0.05)
    return figures[1:]


async def gap_between(settings: Settings, items: list[Media], resolver: StreamResolver) -> float:
    """Silence between the first track's last audio and the second's first, from mpv's positions."""
    first_audio: dict[str, tuple[float, float]] = {}
    finished = asyncio.Event()

    def listener(event: PlayerEvent) -> None:
        if isinstance(event, PositionChanged) and event.position > 0 and event.media.id not in first_audio:
            first_audio[event.media.id] = (time.perf_counter(), event.position)
        elif isinstance(event, SessionFinished):
            finished.set()

    async with Player(settings, resolver=resolver) as player:
        player.subscribe(listener)
        await player.play(items)
        await asyncio.wait_for(finished.wait(), 20)
    (at_a, pos_a), (at_b, pos_b) = first_audio[items[0].id], first_audio[items[1].id]
    end_of_a = at_a - pos_a + TRACK_SECONDS
    start_of_b = at_b - pos_b
    return start_of_b - end_of_a


def media_file(path: Path, number: int) -> Media:
    return Media(id=f"local-bench-{number}", title=path.stem, author="bench", platform=Platform.LOCAL, url=str(path))


def media_page(url: str, number: int) -> Media:
    return Media(id=f"url-bench-{number}", title=f"page {number}", author="bench", platform=Platform.URL, url=url)


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


async def main() -> None:
    os.environ.setdefault("LC_NUMERIC", "C")
    settings = load_settings(None, player={"audio_output": "null", "video": False, "autoplay": False})
    mpv_module = load_mpv()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        tones = [write_wav(base / f"tone-{n}.wav", TRACK_SECONDS, frequency=330.0 + 110 * n) for n in range(2)]

        bare: list[float] = []
        ours: list[float] = []
        for _ in range(3):  # interleaved blocks
            bare += await asyncio.to_thread(bare_first_audio, mpv_module, tones[0], ROUNDS // 3)
            ours += await mixtui_first_audio(settings, media_file(tones[0], 0), ROUNDS // 3)
        single = statistics.median(ours)

        local_gaps = [
            await gap_between(settings, [media_file(tones[0], 0), media_file(tones[1], 1)], StreamResolver())
            for _ in range(GAP_ROUNDS)
        ]

        page = '<html><head><title>{name}</title></head><body><audio src="/{name}.wav"></audio></body></html>'
        with ReplayServer("bench-pages", lifetime=600) as server:
            for n, tone in enumerate(tones):
                server.route("GET", f"/tone-{n}.wav", Reply(body=tone.read_bytes(), content_type="audio/wav"))
                server.route("GET", f"/page-{n}", Reply(body=page.format(name=f"tone-{n}"), delay=PAGE_LATENCY))
            pages = [media_page(f"{server.url}/page-{n}", n) for n in range(2)]
            await gap_between(settings, pages, StreamResolver())  # warm yt-dlp's imports
            page_gaps, page_gaps_no_prefetch = [], []
            for _ in range(GAP_ROUNDS):
                page_gaps.append(await gap_between(settings, pages, StreamResolver()))
                page_gaps_no_prefetch.append(await gap_between(settings, pages, NoPrefetch()))

    print(f"playback benchmark (libmpv, ao=null, {TRACK_SECONDS:g} s WAV tracks; medians)")
    print(f"  first audio, local file: mixtui {median_ms(ours):6.1f} ms   bare python-mpv {median_ms(bare):6.1f} ms")
    print(f"    ratio mixtui ÷ bare python-mpv: {statistics.median(ours) / statistics.median(bare):.2f}  (goal ≤ 1.2)")
    for label, gaps in (
        ("local files", local_gaps),
        (f"pages ({PAGE_LATENCY:g} s), prefetch", page_gaps),
        (f"pages ({PAGE_LATENCY:g} s), no prefetch", page_gaps_no_prefetch),
    ):
        gap = statistics.median(gaps)
        print(f"  gap between tracks, {label:<26} {gap * 1000:6.1f} ms   ÷ single-file figure: {gap / single:.2f}")
    print("    goal for the gap with prefetch: ≤ 1.5 × the single-file figure")


if __name__ == "__main__":
    asyncio.run(main())
