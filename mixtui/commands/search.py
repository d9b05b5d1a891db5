"""``mixtui search QUERY``: every platform at once, streaming per-platform status to stderr."""

from __future__ import annotations

import sys

import click

from mixtui.commands.common import cell, echo, plain_console, print_json, report_errors, run_async, settings_from
from mixtui.commands.rows import echo_rows, media_row, stdout_is_piped
from mixtui.config import Settings
from mixtui.errors import BadInput
from mixtui.models import Media, Platform, format_duration
from mixtui.search import MAX_RESULTS, PlatformBatch, SearchOutcome, StatusKind, clean_query
from mixtui.search import search as search_platforms
from mixtui.services import Services

EXIT_ALL_FAILED = 3


def _status_line(batch: PlatformBatch) -> str:
    status = batch.status
    pages = f"{batch.page} pages, " if batch.page > 1 else ""
    return f"{status.platform.value:>10}: {status.label} ({pages}{status.elapsed:.2f} s)"


async def _run(settings: Settings, query: str, platform: Platform | None, limit: int, quiet: bool) -> SearchOutcome:
    def show_status(batch: PlatformBatch) -> None:
        if not quiet:
            echo(_status_line(batch), err=True)

    async with Services(settings) as services:
        return await search_platforms(services, query, platform, limit=limit, on_batch=show_status)


def _print_table(media: list[Media]) -> None:
    if stdout_is_piped():
        echo_rows(media_row(index, item) for index, item in enumerate(media, 1))
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("#", "platform", "title", "author", "length", "url"):
        table.add_column(column, overflow="fold" if column == "url" else "ellipsis", no_wrap=column != "url")
    for index, item in enumerate(media, 1):
        table.add_row(
            str(index),
            item.platform.value,
            cell(item.title),
            cell(item.author),
            format_duration(item.duration),
            cell(item.url),
        )
    plain_console().print(table)


@click.command()
@click.argument("query")
@click.option(
    "--platform", "-p", "platform_name", help="One platform: youtube soundcloud mixcloud bandcamp vimeo url local."
)
@click.option("--limit", "-n", type=int, help=f"At most this many results (default 30, at most {MAX_RESULTS}).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of Media (an error as a JSON error object).")
@click.option("--quiet", "-q", is_flag=True, help="No per-platform status lines on stderr.")
@click.pass_context
@report_errors
def search(
    ctx: click.Context, query: str, platform_name: str | None, limit: int | None, as_json: bool, quiet: bool
) -> None:
    """Search QUERY on every enabled platform (a URL resolves to one Media).

    With --platform url, a link is resolved and anything else is searched on every other platform.

    Exit codes: 0 results or none found, 2 bad input, 3 every platform asked for remote results failed
    (local files found alone do not count).
    """
    if limit is not None and not 1 <= limit <= MAX_RESULTS:
        raise BadInput(
            f"--limit must be between 1 and {MAX_RESULTS}, not {limit}",
            hint=f"a search answers at most {MAX_RESULTS} results (the Mixider API's maximum)",
        )
    settings = settings_from(ctx)
    platform = Platform.parse(platform_name) if platform_name is not None else None
    clean_query(query)
    outcome = run_async(_run(settings, query, platform, limit or settings.search.limit, quiet))
    if as_json:
        print_json([item.to_json() for item in outcome.media])
    elif outcome.media:
        _print_table(outcome.media)
    elif not outcome.all_failed:
        echo("no results", err=True)
    if outcome.all_failed:
        failed = sum(1 for s in outcome.statuses.values() if s.kind is not StatusKind.OK)
        local = outcome.statuses.get(Platform.LOCAL)
        if local is not None and local.kind is StatusKind.OK and failed:
            echo(f"error: every online platform failed ({failed}); only local files were searched", err=True)
        else:
            echo(f"error: every platform failed ({failed})", err=True)
        sys.exit(EXIT_ALL_FAILED)
