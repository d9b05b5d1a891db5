"""``mixtui serve``: the Mixider API (and MCP) over HTTP; ``serve keys`` manages its API keys; ``mixtui mcp``."""

from __future__ import annotations

import sys

import click

from mixtui.commands.common import print_json, report_errors, run_async, settings_from


@click.group(invoke_without_command=True)
@click.option("--host", help="Address to listen on (default 127.0.0.1; any other needs an API key).")
@click.option("--port", type=click.IntRange(0, 65535), help="Port to listen on (default 8765; 0 picks a free one).")
@click.pass_context
@report_errors
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve the Mixider API (search, generate), the library, the player and MCP over HTTP.

    Keys: mixtui serve keys add NAME | list | revoke NAME. With a key configured every
    request needs "Authorization: Bearer <key>". Stops cleanly on Ctrl+C or SIGTERM.
    """
    if ctx.invoked_subcommand is not None:
        return
    from mixtui.serve.keys import KeyRing
    from mixtui.serve.runner import send_library_logs_to_file, serve_standalone

    settings = settings_from(ctx)
    host = host or settings.serve.host
    port = settings.serve.port if port is None else port
    keys = KeyRing(settings.keys_path)
    send_library_logs_to_file()

    def ready(address: str) -> None:
        if keys.configured:
            count = len(keys.keys())
            click.echo(f"API keys: {count} configured; every request needs Authorization: Bearer <key>", err=True)
        else:
            click.echo("no API key configured: open to programs on this computer only", err=True)
            click.echo("  (mixtui serve keys add NAME to require one)", err=True)
        click.echo(f"mixtui API on {address}/api/v1  ·  MCP on {address}/mcp  ·  Ctrl+C stops", err=True)
        click.echo(address)
        sys.stdout.flush()

    async def run() -> None:
        from mixtui.services import Services

        async with Services(settings) as services:
            await serve_standalone(services, host, port, on_ready=ready)

    run_async(run())
    click.echo("stopped", err=True)


@serve.group()
def keys() -> None:
    """Create, list and revoke the API keys (stored hashed, in a 0600 file beside the library)."""


@keys.command("add")
@click.argument("name")
@click.pass_context
@report_errors
def keys_add(ctx: click.Context, name: str) -> None:
    """Create a key named NAME and print it, alone, once (it cannot be shown again)."""
    from mixtui.serve.keys import KeyRing

    settings = settings_from(ctx)
    key = KeyRing(settings.keys_path).add(name)
    click.echo(key)
    click.echo(f"key {name!r} created; keep it now, it is not shown again", err=True)


@keys.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@report_errors
def keys_list(ctx: click.Context, as_json: bool) -> None:
    """The configured keys: name, first characters, creation time (never the key)."""
    from mixtui.serve.keys import KeyRing

    found = KeyRing(settings_from(ctx).keys_path).keys()
    if as_json:
        print_json([key.to_json() for key in found])
        return
    if not found:
        click.echo("no API keys (the server runs open on loopback only)", err=True)
    for key in found:
        click.echo(f"{key.name:<24} {key.prefix}…  created {key.created_at}")


@keys.command("revoke")
@click.argument("name")
@click.pass_context
@report_errors
def keys_revoke(ctx: click.Context, name: str) -> None:
    """Revoke the key named NAME (a running server refuses it at once)."""
    from mixtui.serve.keys import KeyRing

    removed = KeyRing(settings_from(ctx).keys_path).revoke(name)
    click.echo(f"revoked {removed.name!r}", err=True)


@click.command()
@click.pass_context
@report_errors
def mcp(ctx: click.Context) -> None:
    """Serve mixtui's tools to an AI assistant over stdio (the Model Context Protocol)."""
    from mixtui.serve.runner import run_mcp_stdio, send_library_logs_to_file

    send_library_logs_to_file()
    settings = settings_from(ctx)

    async def run() -> None:
        from mixtui.services import Services

        async with Services(settings) as services:
            await run_mcp_stdio(services)

    run_async(run())
