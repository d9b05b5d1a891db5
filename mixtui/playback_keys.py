"""The playback keys, one table for the app and ``mixtui play``: the same letter means the same thing.

Each key has a binding id (remappable in the app's ``[ui] keymap``), the app's key names
(Textual's), the characters a terminal sends for it (``mixtui play`` reads raw stdin), the
player command it runs with its argument, a short footer label and a human title.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlaybackKey:
    id: str
    keys: str  # Textual key names, comma-separated
    terminal: tuple[str, ...]  # what a terminal sends for them, for ``mixtui play``
    command: str  # pause, next, previous, seek, volume, shuffle or repeat
    amount: float = 0.0  # seconds to seek or volume steps
    label: str = ""  # short, for the footer
    title: str = ""  # for the help screen and the command palette

    @property
    def action(self) -> str:
        """The app's action string for this key."""
        actions = {
            "pause": "toggle_pause",
            "next": "next_track",
            "previous": "previous_track",
            "shuffle": "toggle_shuffle",
            "repeat": "cycle_repeat",
        }
        if self.command in ("seek", "volume"):
            return f"{self.command}({self.amount:g})"
        return actions[self.command]


RIGHT, LEFT = "\x1b[C", "\x1b[D"
CTRL_R = "\x12"

PLAYBACK_KEYS: tuple[PlaybackKey, ...] = (
    PlaybackKey("player.pause", "space", (" ",), "pause", label="Pause", title="Pause / resume"),
    PlaybackKey("player.next", "n", ("n",), "next", label="Next", title="Next track"),
    PlaybackKey("player.previous", "p", ("p",), "previous", label="Prev", title="Previous track"),
    PlaybackKey("player.seek_back_long", "left_square_bracket", ("[",), "seek", -30, "−30 s", "Seek −30 s"),
    PlaybackKey("player.seek_forward_long", "right_square_bracket", ("]",), "seek", 30, "+30 s", "Seek +30 s"),
    PlaybackKey("player.seek_back", "left,comma", (LEFT, ","), "seek", -5, "−5 s", "Seek −5 s"),
    PlaybackKey("player.seek_forward", "right,full_stop", (RIGHT, "."), "seek", 5, "+5 s", "Seek +5 s"),
    PlaybackKey("player.volume_down", "minus", ("-",), "volume", -5, "Vol −", "Volume −5 %"),
    PlaybackKey("player.volume_up", "plus,equals_sign", ("+", "="), "volume", 5, "Vol +", "Volume +5 %"),
    # s and r are taken by some screens (smart id, rename, retry); these two mean the same everywhere.
    PlaybackKey("player.shuffle", "S", ("S",), "shuffle", label="Shuffle", title="Shuffle on / off"),
    PlaybackKey("player.repeat", "ctrl+r", (CTRL_R,), "repeat", label="Repeat", title="Repeat: off → all → one"),
)

QUIT_KEY = "q"

KEYS_HELP = (
    "space pause · n next · p previous · ←/→ seek 5 s · [/] seek 30 s · +/- volume · S shuffle · ctrl+r repeat · q quit"
)
