"""Audio the tests write themselves: a tone as a 16-bit PCM WAV (stdlib only)."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path


def write_wav(path: Path, seconds: float = 3.0, *, frequency: float = 440.0, rate: int = 22050) -> Path:
    frames = int(seconds * rate)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        chunk = bytearray()
        for index in range(frames):
            sample = int(0.3 * 32767 * math.sin(2 * math.pi * frequency * index / rate))
            chunk += struct.pack("<h", sample)
        out.writeframes(bytes(chunk))
    return path
