"""The ``mixtui`` command: no subcommand opens the app; subcommands are for scripting.

Subcommands live in ``mixtui.commands.<module>`` and are imported only when run, so
``mixtui --help`` stays as quick as a bare click program.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import click

from mixtui import __version__

# name -> (module:attribute, one-line help). Listed here so --help needs no imports.
COMMANDS: dict[str, tuple[str, str]] = {
    "search": ("mixtui.commands.search:search", "Search every platform (or one) for media."),
    "generate": ("mixtui.commands.generate:generate", "Turn a prompt into a playlist with an LLM."),
    "play": ("mixtui.commands.play:play", "Play files, folders, URLs or a playlist through mpv."),
    "playlist": ("mixtui.commands.library:playlist", "Create, edit, import and export playlists."),
    "like": ("mixtui.commands.library:like", "Like or unlike a playlist (toggle)."),
    "fav": ("mixtui.commands.library:fav", "Favourite or unfavourite a track (toggle)."),
    "follow": ("mixtui.commands.library:follow", "Follow or unfollow an author (toggle)."),
    "preset": ("mixtui.commands.library:preset", "List, add and remove presets."),
    "history": ("mixtui.commands.library:history", "Show the tracks you played, newest first."),
    "library": ("mixtui.commands.library:library", "List the playlists a smart id selects."),
    "browse": ("mixtui.commands.browse:browse", "Browse Mixcloud lists, genres, users and shows."),
    "mixcloud": ("mixtui.commands.mixcloud:mixcloud", "Your Mixcloud account: log in, your lists, follow, upload."),
    "doctor": ("mixtui.commands.doctor:doctor", "Check mpv, yt-dlp, the LLM, the store and platforms."),
    "serve": ("mixtui.commands.serve:serve", "Serve the Mixider API, the library and the player over HTTP."),
    "mcp": ("mixtui.commands.serve:mcp", "Offer mixtui's tools to an AI assistant (MCP over stdio)."),
    "scrobble": ("mixtui.commands.scrobble:scrobble", "Send what you play to ListenBrainz and Last.fm."),
}


def _available(target: str) -> bool:
    module_name = target.split(":", 1)[0]
    return importlib.util.find_spec(module_name) is not None


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (target, _) in COMMANDS.items() if _available(target)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or not _available(entry[0]):
            return None
        module_name, attribute = entry[0].split(":", 1)
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
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
        if importlib.util.find_spec("mixtui.ui.app") is None:
            click.echo(ctx.get_help())
            return
        from mixtui.commands.common import open_app

        sys.exit(open_app(config_path))
