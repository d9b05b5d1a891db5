"""``mixtui browse mixcloud KEY_OR_URL``: Mixcloud's lists, genres, users and shows, page by page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from mixtui.commands.common import cell, echo, plain_console, print_json, report_errors, run_async, settings_from
from mixtui.commands.rows import echo_context, echo_rows, media_row, stdout_is_piped

if TYPE_CHECKING:
    from collections.abc import Callable

    from mixtui.account.mixcloud import ObjectState
    from mixtui.browse import BrowseTarget, OEmbed, Page, ShowDetail
    from mixtui.config import Settings
    from mixtui.services import Services

KEY_HELP = """Browse KEY_OR_URL on Mixcloud: an API key, a mixcloud.com link or an API link.

\b
Examples:
  mixtui browse mixcloud /popular/hot/
  mixtui browse mixcloud /new/ --limit 10
  mixtui browse mixcloud /genres/funk+city:athens/        (a genre's popular shows)
  mixtui browse mixcloud /discover/funk/latest/
  mixtui browse mixcloud /spartacus/                       (a user and their shows)
  mixtui browse mixcloud /spartacus/favorites/ --offset 20
  mixtui browse mixcloud /spartacus/followers/
  mixtui browse mixcloud "/search/?q=party+time&type=user"
  mixtui browse mixcloud https://www.mixcloud.com/spartacus/party-time/

A page ends with the address of the next one; paste it back to page on. A user's lists
page by date (since/until) unless --offset is given.
Exit codes: 0 ok, 1 Mixcloud failed or rate-limited us, 2 bad input, 4 not found.
"""


@click.group()
def browse() -> None:
    """Browse a platform's lists, genres, users and shows."""


@browse.command(help=KEY_HELP)
@click.argument("key_or_url")
@click.option("--limit", "-n", type=int, help="Items per page (1-100, default 20).")
@click.option("--offset", type=int, help="Start at this item (asks for offset-style paging links).")
@click.option("--since", help="Date-ordered lists: items after this Unix time or 'YYYY-MM-DD HH:MM:SS' (UTC).")
@click.option("--until", help="Date-ordered lists: items before this Unix time or 'YYYY-MM-DD HH:MM:SS' (UTC).")
@click.option("--oembed", is_flag=True, help="A show's oEmbed (title, author, embed HTML) instead of its details.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (shows as Media objects).")
@click.pass_context
@report_errors
def mixcloud(
    ctx: click.Context,
    key_or_url: str,
    limit: int | None,
    offset: int | None,
    since: str | None,
    until: str | None,
    oembed: bool,
    as_json: bool,
) -> None:
    settings = settings_from(ctx)
    if oembed and any(value is not None for value in (limit, offset, since, until)):
        from mixtui.errors import BadInput

        raise BadInput("--oembed describes one show; paging options do not apply")
    result, state = run_async(_fetch(settings, key_or_url, limit, offset, since, until, oembed))
    if as_json:
        print_json(result.to_json() | ({"on_mixcloud": state.to_json()} if state else {}))
        return
    from mixtui.browse import OEmbed, Page

    if isinstance(result, Page):
        _print_page(result)
    elif isinstance(result, OEmbed):
        _print_oembed(result)
    else:
        _print_show(result)
    if state is not None:
        echo(_state_line(state))


async def _fetch(
    settings: Settings,
    key_or_url: str,
    limit: int | None,
    offset: int | None,
    since: str | None,
    until: str | None,
    oembed: bool,
) -> tuple[Page | ShowDetail | OEmbed, ObjectState | None]:
    from mixtui.services import Services

    async with Services(settings) as services:
        browser = services.mixcloud_browser
        target = browser.target(key_or_url)
        if oembed:
            return await browser.oembed(target), None
        result = await browser.browse(target, limit=limit, offset=offset, since=since, until=until)
        return result, await _account_state(services, target)


async def _account_state(services: Services, target: BrowseTarget) -> ObjectState | None:
    """Signed in to Mixcloud: what you did to this show or user there (None when signed out or unknown)."""
    from mixtui.browse import TargetKind
    from mixtui.errors import MixtuiError

    account = services.mixcloud_account
    if target.kind not in (TargetKind.SHOW, TargetKind.USER) or not account.signed_in:
        return None
    try:
        return await account.state(target.key)
    except MixtuiError:
        return None


def _state_line(state: ObjectState) -> str:
    marks = [
        ("favourited", state.favorited),
        ("reposted", state.reposted),
        ("in your Listen Later", state.listen_later),
        ("following", state.following),
    ]
    known = [label if on else f"not {label}" for label, on in marks if on is not None]
    return "On Mixcloud: " + (", ".join(known) if known else "(Mixcloud did not say)")


def _print_page(page: Page, command: Callable[[str], str] | None = None) -> None:
    """A page as a table, then the commands for the pages around it (``command`` builds one from a link)."""
    from rich.table import Table
    from rich.text import Text

    from mixtui.browse import ItemType, Tag, User
    from mixtui.durations import format_duration

    command = command or (lambda link: f"mixtui browse mixcloud '{_address(link)}'")
    if stdout_is_piped():
        _print_page_rows(page)
        _echo_paging(page, command, echo_context)
        return
    console = plain_console()
    if isinstance(page.owner, User):
        user = page.owner
        facts = [user.place, _count(user.follower_count, "follower"), _count(user.cloudcast_count, "show")]
        console.print(
            Text.assemble(
                cell(user.name, "bold"), " (", cell(user.username), ") ", cell(" · ".join(f for f in facts if f))
            )
        )
        console.print(cell(f"  {user.url}"))
    elif isinstance(page.owner, Tag):
        console.print(Text.assemble(cell(page.owner.name, "bold"), "  ", cell(page.owner.url)))
    where = f" from {page.offset + 1}" if page.offset else ""
    console.print(Text.assemble(cell(page.title, "bold"), f" — {len(page.items)} {page.item_type.value}s{where}"))
    table = Table(box=None, pad_edge=False, header_style="bold")
    number = (page.offset or 0) + 1
    if page.item_type is ItemType.SHOW:
        for column in ("#", "title", "author", "length", "url"):
            table.add_column(column, overflow="fold" if column == "url" else "ellipsis", no_wrap=column != "url")
        for index, show in enumerate(page.shows, number):
            table.add_row(
                str(index), cell(show.title), cell(show.author), format_duration(show.duration), cell(show.url)
            )
    elif page.item_type is ItemType.USER:
        for column in ("#", "user", "name", "place", "followers", "shows"):
            table.add_column(column, no_wrap=True)
        for index, user in enumerate(page.users, number):
            cells = (user.key, user.name, user.place, _number(user.follower_count), _number(user.cloudcast_count))
            table.add_row(str(index), *(cell(value) for value in cells))
    else:
        for column in ("#", "tag", "key"):
            table.add_column(column, no_wrap=True)
        for index, tag in enumerate(page.tags, number):
            table.add_row(str(index), cell(tag.name), cell(tag.genre_key))
    if page.items:
        console.print(table)
    else:
        console.print("  (nothing here)")
    # Plain echo: a terminal may cut the line, but never wraps a pasteable command in two.
    _echo_paging(page, command, echo)


def _echo_paging(page: Page, command: Callable[[str], str], say: Callable[[str], None]) -> None:
    """The commands for the pages around ``page`` (``command`` builds one from a link)."""
    if page.previous:
        say(f"back: {command(page.previous)}")
    if page.next:
        say(f"more: {command(page.next)}")
    else:
        say("(last page)")


def _print_page_rows(page: Page) -> None:
    """The page for a pipe: rows on stdout (shows: the search table's columns; users and tags
    with their URL last), the heading on stderr."""
    from mixtui.browse import ItemType, Tag, User

    if isinstance(page.owner, User):
        user = page.owner
        facts = [user.place, _count(user.follower_count, "follower"), _count(user.cloudcast_count, "show")]
        echo_context(f"{user.name} ({user.username}) {' · '.join(f for f in facts if f)}")
        echo_context(f"  {user.url}")
    elif isinstance(page.owner, Tag):
        echo_context(f"{page.owner.name}  {page.owner.url}")
    where = f" from {page.offset + 1}" if page.offset else ""
    echo_context(f"{page.title} — {len(page.items)} {page.item_type.value}s{where}")
    number = (page.offset or 0) + 1
    if page.item_type is ItemType.SHOW:
        echo_rows(media_row(index, show) for index, show in enumerate(page.shows, number))
    elif page.item_type is ItemType.USER:
        for index, user in enumerate(page.users, number):
            counts = (_number(user.follower_count), _number(user.cloudcast_count))
            echo_rows([(str(index), user.key, user.name, user.place, *counts, user.url)])
    else:
        echo_rows((str(index), tag.name, tag.genre_key, tag.url) for index, tag in enumerate(page.tags, number))


def _print_show(detail: ShowDetail) -> None:
    from rich.text import Text

    from mixtui.durations import format_duration

    console = plain_console()
    media = detail.media
    console.print(
        Text.assemble(cell(media.title, "bold"), " — ", cell(media.author), f" · {format_duration(media.duration)}")
    )
    console.print(cell(f"  {media.url}"))
    facts = [
        _count(detail.play_count, "play"),
        _count(detail.favorite_count, "favourite"),
        detail.created_time[:10] if detail.created_time else "",
    ]
    if any(facts):
        console.print(cell("  " + " · ".join(fact for fact in facts if fact)))
    if detail.tags:
        console.print(cell("  tags: " + ", ".join(tag.name for tag in detail.tags)))
    if detail.description:
        console.print()
        for line in detail.description.splitlines()[:8]:
            console.print(cell(f"  {line}"))
    console.print()
    if not detail.tracklist:
        console.print("No tracklist.")
    else:
        console.print(Text.assemble(("Tracklist", "bold"), f" ({len(detail.tracklist)})"))
        for index, entry in enumerate(detail.tracklist, 1):
            start = format_duration(entry.start_time) if entry.start_time is not None else "    "
            label = cell(entry.label, "italic" if entry.section_type == "chapter" else "")
            console.print(Text.assemble(f"  {index:>3}. {start:>7}  ", label))


def _print_oembed(embed: OEmbed) -> None:
    echo(embed.title)
    if embed.author_name:
        echo(f"  by {embed.author_name}" + (f" ({embed.author_url})" if embed.author_url else ""))
    echo(f"  {embed.url}")
    if embed.html:
        echo(embed.html)


def _address(link: str) -> str:
    """A paging link as the key a user pastes back (``/popular/hot/?limit=20&offset=20``)."""
    from urllib.parse import urlsplit

    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _count(value: int | None, noun: str) -> str:
    if value is None:
        return ""
    return f"{value:,} {noun}{'' if value == 1 else 's'}"


def _number(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"
