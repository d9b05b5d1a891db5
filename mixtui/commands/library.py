"""The library commands: ``playlist``, ``like``, ``fav``, ``follow``, ``preset``, ``history``, ``library``.

Playlists are named by id or by name. Every command takes ``--json``; bad input exits with 2,
an unknown playlist or preset with 4.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mixtui.commands.common import echo, echo_store_notices, print_json, report_errors, run_async, settings_from
from mixtui.commands.rows import echo_context, echo_rows, media_row, stdout_is_piped
from mixtui.errors import BadInput, MixtuiError
from mixtui.models import Media, Platform, format_duration
from mixtui.text import json_text_output, terminal_safe

if TYPE_CHECKING:
    from mixtui.config import Settings
    from mixtui.store import Library, Play, Playlist, Preset

# ``playlist check``: some entries no longer resolve.
EXIT_UNRESOLVED = 3
# ``playlist add`` with several arguments, some of which could not be added: bad input.
EXIT_REFUSED_ARGUMENT = 2

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@contextlib.contextmanager
def _opened(ctx: click.Context) -> Iterator[Library]:
    from mixtui.services import Services

    services = Services(settings_from(ctx))
    store = services.library
    echo_store_notices(store)
    try:
        yield store
    finally:
        run_async(services.aclose())
        echo_store_notices(store)


def media_from_argument(text: str, settings: Settings) -> list[Media]:
    """Media from a command-line argument: a URL (resolved), a Media JSON object or an array of them."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return [Media.from_json(stripped)]
    if stripped.startswith("["):
        from mixtui.text import load_json

        try:
            values = load_json(stripped)
        except ValueError as error:
            raise BadInput(f"not a JSON array of Media: {error}") from None
        if not isinstance(values, list):
            raise BadInput("not a JSON array of Media")
        return [_nth_media(position, value) for position, value in enumerate(values, 1)]
    if stripped.lower().startswith(("http://", "https://")):
        return [run_async(_resolve(settings, stripped))]
    if stripped.lower().startswith("file:") or stripped.startswith(("/", "~", "./", "../")) or Path(stripped).exists():
        return [run_async(_resolve_file(settings, stripped))]
    raise BadInput(
        f"expected a URL or a Media JSON object, or the path of an audio file, got {text!r}",
        hint='e.g. https://youtu.be/_G1soKzXJUo, ~/Music/a.flac or \'{"id": …, "title": …, "platform": …, "url": …}\'',
    )


def _nth_media(position: int, value: object) -> Media:
    try:
        return Media.from_json(value)
    except BadInput as error:
        raise BadInput(f"item {position} of the array: {error.message}") from None


async def _resolve_file(settings: Settings, reference: str) -> Media:
    """A local audio file (path or ``file://`` URL) as the local platform describes it."""
    from mixtui.errors import NotFound
    from mixtui.platforms.local import LocalClient

    try:
        return await LocalClient(settings).resolve(reference)
    except NotFound as error:  # a file that is not there is a bad argument (4 means an unknown playlist)
        raise BadInput(error.message, hint="give the path of an audio file that exists") from None


async def _resolve(settings: Settings, url: str) -> Media:
    from mixtui.search import search_platform
    from mixtui.services import Services

    async with Services(settings) as services:
        found = await search_platform(services, Platform.URL, url, 1)
    if not found:
        raise BadInput(f"{url} resolved to nothing playable")
    return found[0]


def _item_argument(text: str) -> int | str:
    """A 1-based position, a media id or a URL, as the store's 0-based position or key."""
    stripped = text.strip()
    if stripped.isdigit():
        position = int(stripped)
        if position < 1:
            raise BadInput("positions start at 1")
        return position - 1
    return stripped


def _summary(playlist: Playlist, liked: bool) -> str:
    tags = f"  [{', '.join(playlist.tags)}]" if playlist.tags else ""
    flags = ("  ♥" if liked else "") + ("  nsfw" if playlist.nsfw else "")
    return f"{playlist.id:<14} {playlist.name}  ({len(playlist.items)} items){tags}{flags}"


def _print_playlist(playlist: Playlist, played: set[str]) -> None:
    """The playlist on a terminal; through a pipe, one tab-separated row per item
    (``#, platform, title, author, length, played, missing, url``) and the heading on stderr."""
    from mixtui.store.playlist_io import is_missing

    echo_context(f"{playlist.name}  ({playlist.id}, {len(playlist.items)} items, {format_duration(playlist.duration)})")
    if playlist.description:
        echo_context(f"  {playlist.description}")
    if playlist.tags:
        echo_context(f"  tags: {', '.join(playlist.tags)}")
    if playlist.prompt:
        echo_context(f"  generated from: {playlist.prompt!r} ({playlist.mode or 'smart'})")
    missing = {item.id for item in playlist.items if is_missing(item)}
    if stdout_is_piped():
        echo_rows(
            media_row(index, item, "played" if item.id in played else "", "missing" if item.id in missing else "")
            for index, item in enumerate(playlist.items, 1)
        )
        return
    for index, item in enumerate(playlist.items, 1):
        mark = "✓" if item.id in played else " "
        state = "  (missing)" if item.id in missing else ""
        echo(
            f"{index:>4} {mark} {format_duration(item.duration):>8}  {item.title} — {item.author}"
            f"  [{item.platform.value}]  {item.url}{state}"
        )


def _playlist_json(playlist: Playlist, store: Library) -> dict[str, Any]:
    return {**playlist.to_json(), "liked": store.likes.is_liked(playlist.id)}


def _done(as_json: bool, playlist: Playlist, store: Library, message: str) -> None:
    if as_json:
        print_json(_playlist_json(playlist, store))
    else:
        echo(message)


# -- playlist --------------------------------------------------------------------------------------
@click.group()
def playlist() -> None:
    """Create, edit, import and export playlists (named by id or by name)."""


@playlist.command("list")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_list(ctx: click.Context, as_json: bool) -> None:
    """List every playlist, Listen Later first."""
    with _opened(ctx) as store:
        playlists = store.playlists.all()
        if as_json:
            print_json([_playlist_json(p, store) for p in playlists])
            return
        for item in playlists:
            echo(_summary(item, store.likes.is_liked(item.id)))


@playlist.command("show")
@click.argument("name")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_show(ctx: click.Context, name: str, as_json: bool) -> None:
    """Show a playlist and its items (✓ marks tracks already played in it)."""
    with _opened(ctx) as store:
        found = store.playlists.get(name)
        played = store.plays.played_media_ids(found.id)
        if as_json:
            print_json({**_playlist_json(found, store), "played_media_ids": sorted(played)})
        else:
            _print_playlist(found, played)


@playlist.command("create")
@click.argument("name")
@click.option("--description", "-d", default="", help="What the playlist is.")
@click.option("--tag", "-t", "tags", multiple=True, help="A tag (repeat for more).")
@click.option("--nsfw", is_flag=True, help="Flag it NSFW (hidden by :safe smart ids).")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_create(
    ctx: click.Context, name: str, description: str, tags: tuple[str, ...], nsfw: bool, as_json: bool
) -> None:
    """Create an empty playlist called NAME."""
    with _opened(ctx) as store:
        created = store.playlists.create(name, description=description, tags=tags, nsfw=nsfw)
        _done(as_json, created, store, f"created {created.name!r} ({created.id})")


@playlist.command("rename")
@click.argument("name")
@click.argument("new_name")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_rename(ctx: click.Context, name: str, new_name: str, as_json: bool) -> None:
    """Rename a playlist."""
    with _opened(ctx) as store:
        renamed = store.playlists.rename(name, new_name)
        _done(as_json, renamed, store, f"renamed to {renamed.name!r} ({renamed.id})")


@playlist.command("edit")
@click.argument("name")
@click.option("--description", "-d", help="New description.")
@click.option("--tag", "-t", "tags", multiple=True, help="Replace the tags (repeat for more).")
@click.option("--add-tag", "added", multiple=True, help="Add a tag.")
@click.option("--remove-tag", "removed", multiple=True, help="Remove a tag.")
@click.option("--nsfw/--sfw", default=None, help="Set or clear the NSFW flag.")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_edit(
    ctx: click.Context,
    name: str,
    description: str | None,
    tags: tuple[str, ...],
    added: tuple[str, ...],
    removed: tuple[str, ...],
    nsfw: bool | None,
    as_json: bool,
) -> None:
    """Change a playlist's description, tags or NSFW flag."""
    with _opened(ctx) as store:
        edited = store.playlists.edit(name, description=description, tags=tags or None, nsfw=nsfw)
        if added:
            edited = store.playlists.tag(edited.id, added)
        if removed:
            edited = store.playlists.untag(edited.id, removed)
        _done(as_json, edited, store, f"updated {edited.name!r}")


@playlist.command("delete")
@click.argument("name")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_delete(ctx: click.Context, name: str, as_json: bool) -> None:
    """Delete a playlist (Listen Later cannot be deleted)."""
    with _opened(ctx) as store:
        deleted = store.playlists.delete(name)
        if as_json:
            print_json({"deleted": deleted.to_json()})
        else:
            echo(f"deleted {deleted.name!r} ({deleted.id})")


@playlist.command("add")
@click.argument("name")
@click.argument("media", nargs=-1, required=True)
@click.option("--at", "position", type=click.IntRange(min=1), help="Insert at this position (1-based).")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_add(ctx: click.Context, name: str, media: tuple[str, ...], position: int | None, as_json: bool) -> None:
    """Add URLs (resolved), audio files (paths or file:// URLs) or Media JSON objects to a playlist.

    Tracks already in it are skipped. Every argument that can be added is, and each one that
    cannot is named with the reason (exit code 2 then).
    """
    settings = settings_from(ctx)
    resolved: list[tuple[str, list[Media]]] = []
    refused: list[tuple[str, MixtuiError]] = []
    with _opened(ctx) as store:
        present = {item.id for item in store.playlists.get(name).items}  # unknown: fails before resolving
        for argument in media:
            try:
                resolved.append((argument, media_from_argument(argument, settings)))
            except MixtuiError as error:
                refused.append((argument, error))
        if len(media) == 1 and refused:
            raise refused[0][1]  # one argument: its error as any command says it, with its hint
        items = [item for _, found in resolved for item in found]
        if items:
            updated = store.playlists.add_items(name, items, position=None if position is None else position - 1)
        else:
            updated = store.playlists.get(name)
        added = len(updated.items) - len(present)
        _done(
            as_json, updated, store, f"added {added} of {len(items)} to {updated.name!r} ({len(updated.items)} items)"
        )
    if len(media) > 1:
        _report_arguments(resolved, refused, present, as_json)
    if refused:
        sys.exit(EXIT_REFUSED_ARGUMENT)


def _report_arguments(
    resolved: list[tuple[str, list[Media]]], refused: list[tuple[str, MixtuiError]], present: set[str], as_json: bool
) -> None:
    """Which argument was added and which not, and why (on stderr with --json)."""
    seen = set(present)
    for argument, found in resolved:
        for item in found:
            if item.id in seen:
                echo(f"  not added (already in the playlist): {argument}  ({item.title})", err=as_json)
            else:
                named = f"{item.title} — {item.author}" if item.author else item.title
                echo(f"  added: {argument}  ({named})", err=as_json)
            seen.add(item.id)
    for argument, error in refused:
        echo(f"  not added: {argument}: {error.message}", err=True)


@playlist.command("remove")
@click.argument("name")
@click.argument("item")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_remove(ctx: click.Context, name: str, item: str, as_json: bool) -> None:
    """Remove ITEM (1-based position, media id or URL) from a playlist."""
    with _opened(ctx) as store:
        updated = store.playlists.remove_item(name, _item_argument(item))
        _done(as_json, updated, store, f"removed from {updated.name!r} ({len(updated.items)} items)")


@playlist.command("move")
@click.argument("name")
@click.argument("item")
@click.argument("position", type=int)
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_move(ctx: click.Context, name: str, item: str, position: int, as_json: bool) -> None:
    """Move ITEM (1-based position, media id or URL) to POSITION (1-based)."""
    if position < 1:
        raise BadInput("positions start at 1")
    with _opened(ctx) as store:
        updated = store.playlists.move_item(name, _item_argument(item), position - 1)
        _done(as_json, updated, store, f"moved to position {position} in {updated.name!r}")


@playlist.command("export")
@click.argument("name")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["m3u", "m3u8", "xspf", "pls", "json"]),
    help="Default: from -o, else m3u.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here (default stdout).")
@click.option("--relative", is_flag=True, help="Local files as paths relative to the -o file's folder (M3U, PLS).")
@click.pass_context
@report_errors
def playlist_export(ctx: click.Context, name: str, fmt: str | None, output: Path | None, relative: bool) -> None:
    """Export a playlist as M3U/M3U8 (UTF-8), XSPF, PLS or JSON (page URLs, never stream URLs)."""
    from mixtui.store.playlist_io import format_for_path

    if relative and output is None:
        raise BadInput("--relative needs --output", hint="paths are made relative to the folder of the -o file")
    chosen = fmt or (format_for_path(output) if output is not None else "m3u")
    relative_to = output.expanduser().resolve().parent if relative and output is not None else None
    with _opened(ctx) as store:
        text = store.playlist_files.export(name, chosen, relative_to=relative_to)
    if output is None:
        # The file's own text (URLs exact), with no control code for a terminal to act on.
        click.echo(json_text_output(text) if chosen == "json" else terminal_safe(text), nl=False)
        return
    try:
        output.expanduser().write_text(text, encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot write {output}: {error.strerror or error}") from None
    echo(f"exported {name!r} to {output}", err=True)


@playlist.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", "-n", help="Name of the new playlist (default: the file's).")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_import(ctx: click.Context, file: Path, name: str | None, as_json: bool) -> None:
    """Import a playlist file (.m3u .m3u8 .xspf .pls .asx .wpl .json) as a new playlist.

    Entries that cannot be placed are skipped and named; local files that are not there are
    imported and reported as missing (see ``playlist check``).
    """
    from mixtui.store.playlist_io import is_missing, read_playlist_file

    data = read_playlist_file(file.expanduser())
    with _opened(ctx) as store:
        imported = store.playlist_files.add_imported(data, name=name)
        _done(as_json, imported, store, f"imported {len(imported.items)} items as {imported.name!r} ({imported.id})")
    for note in data.notes:
        echo(f"note: {note}", err=True)
    missing = [item for item in imported.items if is_missing(item)]
    for item in missing:
        echo(f"missing: {item.url} (imported; the file is not there)", err=True)
    if missing:
        echo(f"note: {len(missing)} of {len(imported.items)} local files are missing", err=True)


@playlist.command("check")
@click.argument("name")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_check(ctx: click.Context, name: str, as_json: bool) -> None:
    """List the entries of a playlist that no longer resolve (local files that are not there).

    Exit codes: 0 every entry resolves, 3 some do not, 4 unknown playlist.
    """
    from mixtui.store.playlist_io import is_missing

    with _opened(ctx) as store:
        found = store.playlists.get(name)
    missing = [(index, item) for index, item in enumerate(found.items, 1) if is_missing(item)]
    if as_json:
        print_json([{"position": index, "media": item.to_json(), "reason": "missing"} for index, item in missing])
    elif stdout_is_piped():
        echo_rows(media_row(index, item, "missing") for index, item in missing)
    else:
        for index, item in missing:
            echo(f"{index:>4}  missing  {item.title} — {item.author}  {item.url}")
    total = len(found.items)
    summary = f"{len(missing)} of {total} entries no longer resolve" if missing else f"all {total} entries resolve"
    echo(f"{found.name}: {summary}", err=True)
    if missing:
        sys.exit(EXIT_UNRESOLVED)


@playlist.command("tags")
@click.argument("prefix", required=False, default="")
@click.option("--limit", "-n", type=click.IntRange(1, 500), default=20, show_default=True)
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_tags(ctx: click.Context, prefix: str, limit: int, as_json: bool) -> None:
    """The most used tags, or those starting with PREFIX."""
    with _opened(ctx) as store:
        counts = dict(store.playlists.top_tags(10_000))
        names = store.playlists.search_tags(prefix, limit) if prefix else list(counts)[:limit]
    if as_json:
        print_json([{"tag": tag, "playlists": counts.get(tag, 0)} for tag in names])
    else:
        for tag in names:
            echo(f"{counts.get(tag, 0):>5}  {tag}")


@playlist.command("review")
@click.argument("name")
@click.argument("text")
@click.option("--reply-to", "reply_to", metavar="REVIEW_ID", help="Reply under this review instead.")
@click.option("--author", help="Who wrote it (default: your user name).")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_review(
    ctx: click.Context, name: str, text: str, reply_to: str | None, author: str | None, as_json: bool
) -> None:
    """Add a review TEXT to playlist NAME (or a reply, with --reply-to)."""
    with _opened(ctx) as store:
        review = store.reviews.add(name, text, author=author, parent_id=reply_to)
    if as_json:
        print_json(review.to_json())
    else:
        click.echo(f"{'reply' if review.is_reply else 'review'} {review.id} added")


@playlist.command("reviews")
@click.argument("name")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, 1000), help="Reviews a page (their replies come along).")
@JSON_OPTION
@click.pass_context
@report_errors
def playlist_reviews(ctx: click.Context, name: str, page: int, per_page: int | None, as_json: bool) -> None:
    """The reviews of playlist NAME, newest first, each followed by its replies."""
    with _opened(ctx) as store:
        reviews = store.reviews.of_playlist(name, page, per_page)
    if as_json:
        print_json([review.to_json() for review in reviews])
        return
    if not reviews:
        click.echo("no reviews yet", err=True)
    for review in reviews:
        indent = "    ↳ " if review.is_reply else ""
        when = review.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        click.echo(f"{indent}{terminal_safe(review.author, one_line=True)} · {when} · {review.id}")
        for line in terminal_safe(review.body).splitlines() or [""]:
            click.echo(f"{'      ' if review.is_reply else '  '}{line}")


# -- toggles ---------------------------------------------------------------------------------------
@click.command()
@click.argument("name", required=False)
@JSON_OPTION
@click.pass_context
@report_errors
def like(ctx: click.Context, name: str | None, as_json: bool) -> None:
    """Like or unlike playlist NAME (toggle); without NAME, list the liked playlists."""
    with _opened(ctx) as store:
        if name is None:
            liked = store.likes.liked_playlists()
            if as_json:
                print_json([_playlist_json(p, store) for p in liked])
            else:
                for item in liked:
                    echo(_summary(item, True))
            return
        now_liked = store.likes.toggle_like(name)
        found = store.playlists.get(name)
    if as_json:
        print_json({"playlist": {"id": found.id, "name": found.name}, "liked": now_liked})
    else:
        echo(f"{'liked' if now_liked else 'unliked'} {found.name!r}")


@click.command()
@click.argument("media", required=False)
@JSON_OPTION
@click.pass_context
@report_errors
def fav(ctx: click.Context, media: str | None, as_json: bool) -> None:
    """Favourite or unfavourite a track (URL or Media JSON; toggle); without one, list favourites."""
    if media is None:
        with _opened(ctx) as store:
            faved = store.likes.faved_media()
        if as_json:
            print_json([item.to_json() for item in faved])
        else:
            for item in faved:
                echo(f"{item.title} — {item.author}  [{item.platform.value}]  {item.url}")
        return
    items = media_from_argument(media, settings_from(ctx))
    with _opened(ctx) as store:
        states = [(item, store.likes.toggle_fav(item)) for item in items]
    if as_json:
        print_json([{"media": item.to_json(), "faved": state} for item, state in states])
    else:
        for item, state in states:
            echo(f"{'faved' if state else 'unfaved'} {item.title} — {item.author}")


@click.command()
@click.argument("author", required=False)
@JSON_OPTION
@click.pass_context
@report_errors
def follow(ctx: click.Context, author: str | None, as_json: bool) -> None:
    """Follow or unfollow AUTHOR (toggle); without one, list the followed authors."""
    with _opened(ctx) as store:
        if author is None:
            authors = store.likes.followed_authors()
            if as_json:
                print_json(authors)
            else:
                for name in authors:
                    echo(name)
            return
        followed = store.likes.toggle_follow(author)
    if as_json:
        print_json({"author": " ".join(author.split()), "followed": followed})
    else:
        echo(f"{'following' if followed else 'unfollowed'} {author}")


# -- presets ---------------------------------------------------------------------------------------
def _preset_line(preset: Preset) -> str:
    if preset.smart_id is not None:
        return f"{preset.name}: {preset.smart_id}"
    where = f" on {preset.platform.value}" if preset.platform else ""
    return f"{preset.name}: search {preset.query!r}{where}"


@click.group()
def preset() -> None:
    """Saved smart ids and searches."""


@preset.command("list")
@JSON_OPTION
@click.pass_context
@report_errors
def preset_list(ctx: click.Context, as_json: bool) -> None:
    """List the presets."""
    with _opened(ctx) as store:
        presets = store.presets.all()
    if as_json:
        print_json([p.to_json() for p in presets])
    else:
        for item in presets:
            echo(_preset_line(item))


@preset.command("add")
@click.argument("name")
@click.argument("smart_id", required=False)
@click.option("--query", "-q", help="Save a search instead of a smart id.")
@click.option("--platform", "-p", help="The search's platform (default: every platform).")
@JSON_OPTION
@click.pass_context
@report_errors
def preset_add(
    ctx: click.Context, name: str, smart_id: str | None, query: str | None, platform: str | None, as_json: bool
) -> None:
    """Save SMART_ID (e.g. tags:chill+hip_hop:recent) or a search (--query) under NAME."""
    with _opened(ctx) as store:
        saved = store.presets.add(name, smart_id=smart_id, query=query, platform=platform)
    if as_json:
        print_json(saved.to_json())
    else:
        echo(f"saved {_preset_line(saved)}")


@preset.command("remove")
@click.argument("name")
@JSON_OPTION
@click.pass_context
@report_errors
def preset_remove(ctx: click.Context, name: str, as_json: bool) -> None:
    """Remove the preset NAME."""
    with _opened(ctx) as store:
        removed = store.presets.remove(name)
    if as_json:
        print_json({"removed": removed.to_json()})
    else:
        echo(f"removed {removed.name!r}")


# -- history and smart ids -------------------------------------------------------------------------
def _play_line(play: Play) -> str:
    when = play.played_at.astimezone().strftime("%Y-%m-%d %H:%M")
    skipped = "  (skipped)" if play.skipped else ""
    return f"{when}  {play.media.title} — {play.media.author}  [{play.media.platform.value}]{skipped}"


@click.command()
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, 1000), default=50, show_default=True)
@JSON_OPTION
@click.pass_context
@report_errors
def history(ctx: click.Context, page: int, per_page: int, as_json: bool) -> None:
    """The tracks you played, newest first."""
    with _opened(ctx) as store:
        plays = store.plays.history(page, per_page)
    if as_json:
        print_json([p.to_json() for p in plays])
    elif plays:
        for item in plays:
            echo(_play_line(item))
    else:
        echo("nothing played yet" if page == 1 else "no more plays", err=True)


@click.command()
@click.argument("smart_id")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, 1000), default=20, show_default=True)
@JSON_OPTION
@click.pass_context
@report_errors
def library(ctx: click.Context, smart_id: str, page: int, per_page: int, as_json: bool) -> None:
    """List the playlists SMART_ID selects: all, all:recent, all:popular, tags:chill+hip_hop,
    artist:NAME, keyword:TEXT, liked, similar:PLAYLIST_ID; add :safe to hide NSFW ones."""
    with _opened(ctx) as store:
        chosen = store.smart.selection(smart_id)
        shown = chosen[(page - 1) * per_page : page * per_page]
        if as_json:
            print_json([_playlist_json(p, store) for p in shown])
            return
        for item in shown:
            echo(_summary(item, store.likes.is_liked(item.id)))
    pages = max(1, -(-len(chosen) // per_page))
    echo(f"{len(chosen)} playlists, page {page} of {pages}", err=True)
