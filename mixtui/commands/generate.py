"""``mixtui generate PROMPT``: a playlist from a prompt, with progress on stderr."""

from __future__ import annotations

import asyncio
import sys

import click

from mixtui.commands.common import echo, echo_store_notices, fail, print_json, report_errors, run_async, settings_from
from mixtui.config import Settings
from mixtui.errors import MixtuiError
from mixtui.models import Media, format_duration
from mixtui.planner.generate import GeneratedPlaylist, Mode, Stage
from mixtui.planner.generate import generate as generate_playlist
from mixtui.planner.plan import NothingMatched
from mixtui.services import Services

EXIT_NOTHING_MATCHED = 3


async def _run(
    settings: Settings, prompt: str, mode: Mode, main_platform: str | None, as_json: bool, save_name: str | None
) -> None:
    """Check the name is free, generate, print, then save: one root, one library."""

    def progress(stage: Stage) -> None:
        if not as_json:
            echo(f"… {stage.message}", err=True)

    async with Services(settings) as services:
        if save_name is not None:
            from mixtui.planner.saving import check_name_free

            library = await services.open_library()
            try:
                await asyncio.to_thread(check_name_free, library.playlists, save_name)
            finally:
                echo_store_notices(library)
        try:
            playlist = await generate_playlist(services, prompt, mode, main_platform, progress=progress)
        except NothingMatched as error:
            echo(f"error: {error.message}", err=True)
            if error.hint:
                echo(f"  hint: {error.hint}", err=True)
            sys.exit(EXIT_NOTHING_MATCHED)
        for note in playlist.notes:
            echo(f"note: {note}", err=True)
        if as_json:
            print_json(playlist.to_json())
        else:
            _print_readable(playlist)
        if save_name is not None:
            await _save(services, playlist, save_name)


async def _save(services: Services, playlist: GeneratedPlaylist, save_name: str) -> None:
    from mixtui.planner.saving import save_generated

    library = await services.open_library()
    try:
        saved = await asyncio.to_thread(save_generated, library.playlists, playlist, save_name)
    except MixtuiError as error:
        fail(error)
    finally:
        echo_store_notices(library)
    echo(f"saved as {saved.name!r} ({saved.id}, {len(saved.items)} tracks)", err=True)


def _media_line(media: Media) -> str:
    return f"{media.title} — {media.author}  [{media.platform.value}, {format_duration(media.duration)}]  {media.url}"


def _print_readable(playlist: GeneratedPlaylist) -> None:
    label = "LLM" if playlist.planner == "llm" else "offline planner"
    echo(f"{playlist.title}  ({label}, {playlist.mode.value})")
    if playlist.description:
        echo(playlist.description)
    echo()
    if playlist.mode is Mode.MANUAL:
        for number, item in enumerate(playlist.items, 1):
            echo(f"{number:>2}. {item.title} — {item.author}")
            for match in item.matches:
                echo(f"      {match.score:>5.1f}  {_media_line(match.media)}")
                echo(f"             {match.reason}")
        return
    for number, match in enumerate(playlist.items[0].matches, 1):
        echo(f"{number:>2}. {_media_line(match.media)}")


@click.command(name="generate")
@click.argument("prompt")
@click.option(
    "--mode",
    type=click.Choice([mode.value for mode in Mode], case_sensitive=False),
    default=Mode.SMART.value,
    show_default=True,
    help="smart: best version anywhere; platform: prefer --main-platform; manual: versions per platform.",
)
@click.option("--main-platform", help="The platform to prefer in platform mode (youtube soundcloud mixcloud …).")
@click.option("--json", "as_json", is_flag=True, help='Print {"title", "description", "items", "planner"}.')
@click.option("--save", "save_name", metavar="NAME", help="Save the playlist in the library as NAME.")
@click.pass_context
@report_errors
def generate(
    ctx: click.Context, prompt: str, mode: str, main_platform: str | None, as_json: bool, save_name: str | None
) -> None:
    """Turn PROMPT into a playlist (an LLM plans it; without one, the offline planner searches).

    Exit codes: 0 a playlist, 2 bad input, 3 nothing could be found.
    """
    run_async(_run(settings_from(ctx), prompt, Mode.parse(mode), main_platform, as_json, save_name))
