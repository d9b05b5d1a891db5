"""How shuffle and repeat are shown and told, the same in the app's bar and ``mixtui play``'s status line.

Plain strings (``repeat`` is a ``RepeatMode`` value: off, all, one), so that the app's first
frame does not load the player.
"""

from __future__ import annotations

SHUFFLE_SIGN = "⤮"
REPEAT_SIGNS = {"off": "", "all": "↻", "one": "↻1"}


def modes_badge(shuffle: bool, repeat: str) -> str:
    """``⤮ ↻1``: what is on, in at most four cells; empty when both are off."""
    return " ".join(sign for sign in (SHUFFLE_SIGN if shuffle else "", REPEAT_SIGNS.get(str(repeat), "")) if sign)


def shuffle_told(shuffle: bool) -> str:
    return "Shuffle on" if shuffle else "Shuffle off"


def repeat_told(repeat: str) -> str:
    """``Repeat all (the whole queue)``: the mode in words, for a notice or a status line."""
    words = {"off": "Repeat off", "all": "Repeat all (the whole queue)", "one": "Repeat one (this track)"}
    return words.get(str(repeat), f"Repeat {repeat}")
