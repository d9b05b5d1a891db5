"""The player as the API and the MCP tools see it: its state as JSON, and the commands they send."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mixtui.errors import BadInput
from mixtui.models import Media

if TYPE_CHECKING:
    from mixtui.player.player import Player
    from mixtui.serve.core import ServeCore

COMMANDS = ("play", "pause", "resume", "toggle", "next", "previous", "queue", "stop")


def player_state(player: Player) -> dict[str, Any]:
    """What is playing, where, and the queue (8tracks' ``at_beginning``/``at_last_track``/``at_end``)."""
    session = player.session
    current = session.current
    # After a stop (or the end of the queue) the cursor stays on its track, but nothing plays.
    stopped = current is None or player.finished
    state = "stopped" if stopped else "paused" if session.paused else "playing"
    return {
        "state": state,
        "current": current.to_json() if current is not None else None,
        "index": session.index if current is not None else None,
        "position": session.position,
        "duration": session.duration,
        "volume": session.volume,
        "playlist_id": session.playlist_id,
        "at_beginning": session.at_beginning,
        "at_last_track": session.at_last_track,
        "at_end": session.at_end,
        "queue": [entry.media.to_json() for entry in session.entries],
    }


def _media(value: Any) -> list[Media]:
    if not isinstance(value, list) or not value:
        raise BadInput("field 'items' must be a non-empty array of Media")
    return [Media.from_json(item) for item in value]


async def run_command(core: ServeCore, command: str, body: dict[str, Any]) -> Player:
    """Do ``command`` (play, pause, resume, toggle, next, previous, queue, stop); the player after it.

    ``play`` takes ``items`` (Media) or ``playlist`` (a name or id) and an optional ``index``;
    ``queue`` takes ``items`` and adds them at the end.
    """
    if command not in COMMANDS:
        raise BadInput(f"unknown player command {command!r}", hint=f"expected one of: {', '.join(COMMANDS)}")
    if command == "play":
        return await _play(core, body)
    if command == "queue":
        items = _media(body.get("items"))
        player = await core.player()
        player.enqueue(items)
        return player
    player = await core.player()
    if command in ("pause", "resume", "toggle"):
        wanted = {"pause": True, "resume": False}.get(command, not player.session.paused)
        await player.set_paused(wanted)
        await _settled(lambda: player.session.paused == wanted or player.session.current is None)
    elif command == "next":
        await player.skip()
    elif command == "previous":
        await player.previous()
    else:
        await player.stop()
    return player


async def _settled(condition: Callable[[], bool]) -> None:
    """Until mpv has reported the change (its events arrive a moment after the command), at most a second."""
    for _ in range(50):
        if condition():
            return
        await asyncio.sleep(0.02)


async def _play(core: ServeCore, body: dict[str, Any]) -> Player:
    index = body.get("index", 0)
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise BadInput("field 'index' must be a whole number from 0")
    playlist_name = body.get("playlist")
    if playlist_name is not None:
        if not isinstance(playlist_name, str):
            raise BadInput("field 'playlist' must be a playlist name or id")
        store = await core.store()
        playlist = await asyncio.to_thread(store.playlists.get, playlist_name)
        if not playlist.items:
            raise BadInput(f"playlist {playlist.name!r} is empty")
        played = await asyncio.to_thread(store.plays.played_media_ids, playlist.id)
        items, playlist_id = list(playlist.items), playlist.id
    else:
        items, playlist_id, played = _media(body.get("items")), None, set()
    if index >= len(items):
        raise BadInput(f"index {index} is past the last of {len(items)} tracks")
    player = await core.player()
    await player.play(items, playlist_id=playlist_id, start_index=index, previously_played=played)
    return player
