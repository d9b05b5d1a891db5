"""The Library's edits: each asks in a dialog where it needs to, then hands its store call to the ordered writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mixtui.errors import BadInput
from mixtui.ui.library.playlists import track_count

if TYPE_CHECKING:
    from textual.screen import Screen

    from mixtui.models import Media
    from mixtui.store import Library
    from mixtui.store.models import Playlist, Preset
    from mixtui.ui.library.edit_dialog import PlaylistDetails
    from mixtui.ui.library.export_dialog import ExportChoice
    from mixtui.ui.library.store_calls import LibraryIO


def export_to_file(store: Library, playlist_id: str, fmt: str, path: Path, *, relative: bool = False) -> Path:
    """Write the playlist as ``fmt`` to ``path`` (into it, named after the playlist, when it is a folder);
    ``relative`` names local files relative to the written file's folder."""
    from mixtui.ui.library.export_dialog import default_export_path

    if path.is_dir():
        path = default_export_path(path, store.playlists.get(playlist_id).name, fmt)
    relative_to = path.expanduser().resolve().parent if relative else None
    text = store.playlist_files.export(playlist_id, fmt, relative_to=relative_to)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot write {path}: {error.strerror or error}", hint="pick another file") from None
    return path


class LibraryEdits:
    """What each Library edit writes through ``io`` and says once written; dialogs open on ``screen``'s app."""

    def __init__(self, screen: Screen[Any], io: LibraryIO) -> None:
        self._screen = screen
        self._io = io

    def _ask(
        self,
        question: str,
        then: Callable[[str], None],
        *,
        value: str = "",
        placeholder: str = "",
        new_name_except: str | None = None,
    ) -> None:
        """Ask ``question`` in a one-line dialog; a non-empty answer goes to ``then``.

        With ``new_name_except`` the answer names a playlist: one already taken (other than that
        playlist's own name) keeps the dialog open with the typed name and says why.
        """
        from mixtui.ui.common.ask_text import AskText, name_clash

        check = None
        if new_name_except is not None:
            taken = [n for n in getattr(self._screen, "playlist_names", []) if n != new_name_except]
            check = lambda name: name_clash(name, taken)  # noqa: E731

        def answered(text: str | None) -> None:
            if text:
                then(text)

        dialog = AskText(question, value=value, placeholder=placeholder, check=check)
        self._screen.app.push_screen(dialog, answered)

    def _add_playlist(self, add: Callable[[Library], Playlist], done: Callable[[Playlist], str]) -> None:
        """Write a new playlist; it is selected once the library is read again."""
        self._io.write("playlists", add, done, lambda playlist: playlist.id)

    # -- playlists -----------------------------------------------------------------------------
    def new_playlist(self) -> None:
        def create(name: str) -> None:
            self._add_playlist(lambda store: store.playlists.create(name), lambda added: f"Created “{added.name}”")

        self._ask("Name of the new playlist:", create, placeholder="Road trip", new_name_except="")

    def rename(self, playlist: Playlist) -> None:
        if playlist.is_listen_later:
            # The store says why Listen Later keeps its name.
            self._io.write("playlists", lambda store: store.playlists.rename(playlist.id, playlist.name))
            return

        def rename(name: str) -> None:
            if name != playlist.name:
                self._io.write(
                    "playlists",
                    lambda store: store.playlists.rename(playlist.id, name),
                    lambda renamed: f"Renamed “{playlist.name}” to “{renamed.name}”",
                )

        self._ask(f"Rename “{playlist.name}” to:", rename, value=playlist.name, new_name_except=playlist.name)

    def delete_playlist(self, playlist: Playlist, listed: list[str]) -> None:
        """Ask, then delete; the playlist after it in ``listed`` (else the one before) is selected next."""
        from mixtui.ui.common.confirm import ConfirmDialog

        def delete(store: Library) -> Playlist:
            return store.playlists.delete(playlist.id)

        if playlist.is_listen_later:
            # The store refuses and says what to do instead.
            self._io.write("playlists", delete)
            return
        position = listed.index(playlist.id) if playlist.id in listed else 0
        neighbours = listed[position + 1 : position + 2] or listed[max(0, position - 1) : position]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._io.write(
                    "playlists",
                    delete,
                    lambda deleted: f"Deleted “{deleted.name}”",
                    lambda _deleted: neighbours[0] if neighbours else None,
                )

        self._screen.app.push_screen(
            ConfirmDialog(
                f"Delete the playlist “{playlist.name}”?",
                f"Its {track_count(len(playlist.items))} leave the library; plays stay in the history.",
            ),
            confirmed,
        )

    def edit_tags(self, playlist: Playlist) -> None:
        from mixtui.ui.library.edit_dialog import PlaylistEditDialog

        def save(details: PlaylistDetails | None) -> None:
            if details is not None:
                self._io.write(
                    "playlists",
                    lambda store: store.playlists.edit(playlist.id, description=details.description, tags=details.tags),
                    lambda edited: f"Saved the tags and description of “{edited.name}”",
                )

        dialog = PlaylistEditDialog(playlist.name, list(playlist.tags), playlist.description, self._io.tags_starting)
        self._screen.app.push_screen(dialog, save)

    def like(self, playlist: Playlist) -> None:
        self._io.write(
            "likes",
            lambda store: store.likes.toggle_like(playlist.id),
            lambda liked: f"{'Liked' if liked else 'Unliked'} “{playlist.name}”",
        )

    def import_playlist(self) -> None:
        def import_file(path: str) -> None:
            from mixtui.store.playlist_io import is_missing, read_playlist_file

            notes: list[str] = []

            def add(store: Library) -> Playlist:
                data = read_playlist_file(Path(path).expanduser())
                notes.extend(data.notes)
                return store.playlist_files.add_imported(data)

            def said(added: Playlist) -> str:
                missing = sum(1 for item in added.items if is_missing(item))
                text = f"Imported {track_count(len(added.items))} as “{added.name}”"
                if missing:
                    text += f"; {missing} missing (files not found)"
                if notes:
                    text += f"; {len(notes)} skipped: {notes[0]}" + (" …" if len(notes) > 1 else "")
                return text

            self._add_playlist(add, said)

        question = "Import a playlist file (.m3u, .m3u8, .xspf, .pls, .asx, .wpl or .json):"
        self._ask(question, import_file, placeholder="~/Downloads/road trip.m3u")

    def export_playlist(self, playlist: Playlist) -> None:
        from mixtui.ui.library.export_dialog import ExportDialog

        def export(choice: ExportChoice | None) -> None:
            if choice is not None:
                self._io.write(
                    "export",
                    lambda store: export_to_file(store, playlist.id, choice.fmt, choice.path, relative=choice.relative),
                    lambda path: f"Exported “{playlist.name}” ({track_count(len(playlist.items))}) to {path}",
                )

        self._screen.app.push_screen(ExportDialog(playlist.name, len(playlist.items), Path.home()), export)

    # -- items and presets ---------------------------------------------------------------------
    def move_item(self, playlist: Playlist, media: Media, target: int) -> None:
        self._io.write("playlists", lambda store: store.playlists.move_item(playlist.id, media.id, target))

    def remove_item(self, playlist: Playlist, media: Media) -> None:
        self._io.write(
            "playlists",
            lambda store: store.playlists.remove_item(playlist.id, media.id),
            f"Removed “{media.title}” from “{playlist.name}”",
        )

    def remove_preset(self, preset: Preset) -> None:
        self._io.write("presets", lambda store: store.presets.remove(preset.name), f"Preset removed: {preset.name}")

    def save_smart_id(self, smart_id: str) -> None:
        def save(name: str) -> None:
            self._io.write(
                "presets",
                lambda store: store.presets.add(name, smart_id=smart_id),
                lambda preset: f"Preset saved: {preset.name} ({preset.smart_id})",
            )

        self._ask("Save this smart id as a preset named:", save, value=smart_id)
