"""The ``mixtui`` command: no subcommand opens the app; subcommands are for scripting.

Subcommands live in ``mixtui.commands.<module>`` and are imported only when run, so
``mixtui --help`` stays as quick as a bare click program.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mixtui import __version__

# name -> one-line help. Listed here so --help needs no imports.
COMMANDS: dict[str, str] = {
    "search": "Search every platform (or one) for media.",
    "generate": "Turn a prompt into a playlist with an LLM.",
    "play": "Play files, folders, URLs or a playlist through mpv.",
    "playlist": "Create, edit, import and export playlists.",
    "like": "Like or unlike a playlist (toggle).",
    "fav": "Favourite or unfavourite a track (toggle).",
    "follow": "Follow or unfollow an author (toggle).",
    "preset": "List, add and remove presets.",
    "history": "Show the tracks you played, newest first.",
    "library": "List the playlists a smart id selects.",
    "browse": "Browse Mixcloud lists, genres, users and shows.",
    "mixcloud": "Your Mixcloud account: log in, your lists, follow, upload.",
    "doctor": "Check mpv, yt-dlp, the LLM, the store and platforms.",
    "serve": "Serve the Mixider API, the library and the player over HTTP.",
    "mcp": "Offer mixtui's tools to an AI assistant (MCP over stdio).",
    "scrobble": "Send what you play to ListenBrainz and Last.fm.",
}


def load_command(name: str) -> click.Command | None:
    """The subcommand called ``name``, its module imported only now; None for an unknown name."""
    match name:
        case "search":
            from mixtui.commands.search import search

            return search
        case "generate":
            from mixtui.commands.generate import generate

            return generate
        case "play":
            from mixtui.commands.play import play

            return play
        case "playlist":
            from mixtui.commands.library import playlist

            return playlist
        case "like":
            from mixtui.commands.library import like

            return like
        case "fav":
            from mixtui.commands.library import fav

            return fav
        case "follow":
            from mixtui.commands.library import follow

            return follow
        case "preset":
            from mixtui.commands.library import preset

            return preset
        case "history":
            from mixtui.commands.library import history

            return history
        case "library":
            from mixtui.commands.library import library

            return library
        case "browse":
            from mixtui.commands.browse import browse

            return browse
        case "mixcloud":
            from mixtui.commands.mixcloud import mixcloud

            return mixcloud
        case "doctor":
            from mixtui.commands.doctor import doctor

            return doctor
        case "serve":
            from mixtui.commands.serve import serve

            return serve
        case "mcp":
            from mixtui.commands.serve import mcp

            return mcp
        case "scrobble":
            from mixtui.commands.scrobble import scrobble

            return scrobble
    return None


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_command(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="MIXTUI_CONFIG",
    help="Config file (default: config.toml in the user config dir).",
)
@click.version_option(__version__, prog_name="mixtui")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None) -> None:
    """mixtui: search, generate and play music from every platform, in the terminal.

    Run with no command to open the app.
    """
    ctx.obj = config_path
    from mixtui.logs import setup_logging

    setup_logging()
    if ctx.invoked_subcommand is None:
        from mixtui.entry import open_app

        sys.exit(open_app(config_path))
