"""Durations as people read them."""

from __future__ import annotations


def format_duration(seconds: float | None) -> str:
    """``m:ss`` or ``h:mm:ss``; unknown is an em dash."""
    if seconds is None:
        return "—"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
