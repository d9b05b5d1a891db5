"""Save a generated playlist in the library, in one store call, with its prompt and mode."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from mixtui.config import Settings
from mixtui.errors import BadInput, NotFound
from mixtui.planner.generate import GeneratedPlaylist

if TYPE_CHECKING:
    from mixtui.store import Playlist


def save_generated(
    settings: Settings,
    playlist: GeneratedPlaylist,
    name: str,
    *,
    picks: Mapping[int, int] | None = None,
    notices: list[str] | None = None,
) -> Playlist:
    """Store ``playlist`` as ``name`` in one write; manual mode keeps one pick per track (the first by default).

    The store is opened only here, after the whole playlist was made, so a failed or
    cancelled generation never leaves a partial playlist behind. What the library has to
    say (documents it set aside) goes to ``notices``.
    """
    clean_name = " ".join(name.split())
    if not clean_name:
        raise BadInput("a saved playlist needs a name")
    media = playlist.media_to_save(picks)
    if not media:
        raise BadInput("the generated playlist has no track to save")
    from mixtui.store import open_store

    store = open_store(settings)
    try:
        return store.create_playlist(
            clean_name,
            items=media,
            description=playlist.description,
            prompt=playlist.prompt,
            mode=playlist.mode.value,
        )
    finally:
        store.close()
        if notices is not None:
            notices.extend(store.take_notices())


def check_name_free(settings: Settings, name: str, notices: list[str] | None = None) -> None:
    """BadInput when the library already has a playlist called ``name`` (checked before generating)."""
    from mixtui.store import open_store

    store = open_store(settings)
    try:
        existing = store.get_playlist(name)
    except NotFound:
        return
    finally:
        store.close()
        if notices is not None:
            notices.extend(store.take_notices())
    raise BadInput(f"a playlist named {existing.name!r} already exists", hint="pick another name for --save")
