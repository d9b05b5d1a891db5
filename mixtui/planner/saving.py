"""Save a generated playlist in the library, in one store call, with its prompt and mode."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from mixtui.errors import BadInput, NotFound
from mixtui.planner.generate import GeneratedPlaylist

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.store import Playlist


class PlaylistMaker(Protocol):
    """The part of the library that saving a generated playlist uses (``Library.playlists`` has this shape)."""

    def create(
        self,
        name: str,
        *,
        items: Sequence[Media] = (),
        description: str = "",
        tags: Sequence[str] = (),
        prompt: str | None = None,
        mode: str | None = None,
        nsfw: bool = False,
    ) -> Playlist: ...

    def get(self, name_or_id: str) -> Playlist: ...


def save_generated(
    library: PlaylistMaker,
    playlist: GeneratedPlaylist,
    name: str,
    *,
    picks: Mapping[int, int] | None = None,
) -> Playlist:
    """Store ``playlist`` as ``name`` in one write; manual mode keeps one pick per track (the first by default).

    Called only after the whole playlist was made, so a failed or cancelled generation never
    leaves a partial playlist behind.
    """
    clean_name = " ".join(name.split())
    if not clean_name:
        raise BadInput("a saved playlist needs a name")
    media = playlist.media_to_save(picks)
    if not media:
        raise BadInput("the generated playlist has no track to save")
    return library.create(
        clean_name,
        items=media,
        description=playlist.description,
        prompt=playlist.prompt,
        mode=playlist.mode.value,
    )


def check_name_free(library: PlaylistMaker, name: str) -> None:
    """BadInput when the library already has a playlist called ``name`` (checked before generating)."""
    try:
        existing = library.get(name)
    except NotFound:
        return
    raise BadInput(f"a playlist named {existing.name!r} already exists", hint="pick another name for --save")
