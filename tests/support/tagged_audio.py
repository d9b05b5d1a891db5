"""Tagged audio files for tests: a WAV tone (tests.support.audio) with ID3 tags written by mutagen."""

from __future__ import annotations

from pathlib import Path

from tests.support.audio import write_wav


def write_tagged_wav(
    path: Path,
    seconds: float = 2.0,
    *,
    title: str | None = None,
    artist: str | None = None,
    frequency: float = 440.0,
) -> Path:
    """A WAV of ``seconds`` with an ID3 chunk holding the given title and artist."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_wav(path, seconds, frequency=frequency, rate=8000)
    if title is not None or artist is not None:
        set_wav_tags(path, title=title, artist=artist)
    return path


def set_wav_tags(path: Path, *, title: str | None = None, artist: str | None = None) -> None:
    from mutagen.id3 import TIT2, TPE1
    from mutagen.wave import WAVE

    audio = WAVE(str(path))
    if audio.tags is None:
        audio.add_tags()
    assert audio.tags is not None
    if title is not None:
        audio.tags.setall("TIT2", [TIT2(encoding=3, text=[title])])
    if artist is not None:
        audio.tags.setall("TPE1", [TPE1(encoding=3, text=[artist])])
    audio.save()
