"""``mixtui mixcloud …``: your Mixcloud account: log in and out, your lists, actions, upload and edit."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from mixtui.commands.common import echo, print_json, report_errors, run_async, settings_from

if TYPE_CHECKING:
    from mixtui.account.mixcloud import Action, MixcloudAccount
    from mixtui.account.upload import Section, ShowForm, UploadProgress
    from mixtui.browse import Page
    from mixtui.config import Settings

T = TypeVar("T")

GROUP_HELP = """Your Mixcloud account: log in, see your lists, follow, favourite, upload.

\b
Set up once (see the README, "Your Mixcloud account"):
  [platforms.mixcloud] client_id = "<your app's id>"   in the config file
  export MIXCLOUD_CLIENT_SECRET=<your app's secret>
\b
Examples:
  mixtui mixcloud login
  mixtui mixcloud me favorites
  mixtui mixcloud follow spartacus
  mixtui mixcloud favorite https://www.mixcloud.com/spartacus/party-time/
  mixtui mixcloud upload mix.mp3 --name "Friday mix" --tag house --section "0|Artist|Song"
\b
Exit codes: 0 ok, 1 Mixcloud failed, refused or rate-limited us, 2 bad input, 4 not found.
"""


@click.group(help=GROUP_HELP)
def mixcloud() -> None:
    pass


async def _with_account(settings: Settings, work: Callable[[MixcloudAccount], Coroutine[Any, Any, T]]) -> T:
    from mixtui.services import Services

    async with Services(settings) as services:
        return await work(services.mixcloud_account)


# -- signing in ------------------------------------------------------------------------------------


@mixcloud.command()
@click.option("--code", help="Exchange a code obtained by hand instead of opening the browser.")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds to wait for the browser.")
@click.pass_context
@report_errors
def login(ctx: click.Context, code: str | None, timeout: float) -> None:
    """Sign in to Mixcloud in your browser (OAuth2); the token is kept in a file only you can read."""
    from mixtui.account.oauth import login_in_browser, login_with_code

    settings = settings_from(ctx)

    def open_browser(url: str) -> bool:
        import webbrowser

        try:
            return webbrowser.open(url)
        except Exception:
            return False

    def announce(url: str, opened: bool) -> None:
        if opened:
            echo("Opened Mixcloud in your browser; allow mixtui there. Waiting… (Ctrl+C to stop)", err=True)
            echo(f"If nothing opened, visit: {url}", err=True)
        else:
            echo("Open this address in a browser and allow mixtui (Ctrl+C to stop):", err=True)
            echo(url)

    async def work(account: MixcloudAccount) -> Any:
        if code is not None:
            return await login_with_code(account, code)
        return await login_in_browser(account, open_browser=open_browser, announce=announce, timeout=timeout)

    me = run_async(_with_account(settings, work))
    echo(f"Signed in to Mixcloud as {me.user.name} ({me.user.username}).")


@mixcloud.command()
@report_errors
def logout() -> None:
    """Forget the Mixcloud login kept on this computer."""
    from mixtui.account.tokens import TokenStore

    store = TokenStore()
    if store.clear():
        echo("Signed out of Mixcloud; the token was deleted from this computer.")
    else:
        echo("You were not signed in to Mixcloud.")


# -- your lists --------------------------------------------------------------------------------------

ME_HELP = """You on Mixcloud, or one of your lists, paged like Browse.

\b
LIST is one of: cloudcasts (your shows), favorites, listen-later, listens, following, followers.
A page ends with the command for the next one.
"""


@mixcloud.command(help=ME_HELP)
@click.argument("list_name", metavar="[LIST]", required=False)
@click.option("--limit", "-n", type=int, help="Items per page (1-100, default 20).")
@click.option("--offset", type=int, help="Start at this item.")
@click.option("--since", help="Items after this Unix time or 'YYYY-MM-DD HH:MM:SS' (UTC).")
@click.option("--until", help="Items before this Unix time or 'YYYY-MM-DD HH:MM:SS' (UTC).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@report_errors
def me(
    ctx: click.Context,
    list_name: str | None,
    limit: int | None,
    offset: int | None,
    since: str | None,
    until: str | None,
    as_json: bool,
) -> None:
    from mixtui.account.mixcloud import ME_LISTS, Me, me_list_name

    settings = settings_from(ctx)
    if list_name is None and any(value is not None for value in (limit, offset, since, until)):
        from mixtui.errors import BadInput

        raise BadInput("paging options apply to a list: mixtui mixcloud me favorites --offset 20")
    name = me_list_name(list_name) if list_name is not None else None

    async def work(account: MixcloudAccount) -> Me | Page:
        if name is None:
            return await account.me()
        return await account.me_page(name, limit=limit, offset=offset, since=since, until=until)

    result = run_async(_with_account(settings, work))
    if as_json:
        print_json(result.to_json())
        return
    if isinstance(result, Me):
        user = result.user
        pro = {True: " · Pro", False: "", None: ""}[result.is_pro]
        echo(f"{user.name} ({user.username}){pro}")
        echo(f"  {user.url}")
        facts = [user.place, _count(user.follower_count, "follower"), _count(user.cloudcast_count, "show")]
        if any(facts):
            echo("  " + " · ".join(fact for fact in facts if fact))
        echo("Your lists:")
        for list_key in ME_LISTS:
            if not result.connections or list_key in result.connections:
                echo(f"  mixtui mixcloud me {list_key}")
        return
    from mixtui.commands.browse import _print_page

    assert name is not None
    _print_page(result, command=lambda link: _me_command(name, link))


def _me_command(name: str, link: str) -> str:
    from urllib.parse import parse_qsl, urlsplit

    params = dict(parse_qsl(urlsplit(link).query))
    options = [f"--{option} '{params[option]}'" for option in ("limit", "offset", "since", "until") if option in params]
    return " ".join(["mixtui mixcloud me", name, *options])


def _count(value: int | None, noun: str) -> str:
    if value is None:
        return ""
    return f"{value:,} {noun}{'' if value == 1 else 's'}"


# -- actions ----------------------------------------------------------------------------------------------


def _run_action(ctx: click.Context, action: Action, target: str, undo: bool, as_json: bool) -> None:
    settings = settings_from(ctx)

    async def work(account: MixcloudAccount) -> Any:
        return await account.act(action, target, undo=undo)

    result = run_async(_with_account(settings, work))
    if as_json:
        print_json(result.to_json())
    else:
        echo(f"{action.done_text(undo)} on Mixcloud: {result.key}")


def _action_command(name: str, action_value: str, argument: str, help_text: str) -> None:
    @mixcloud.command(name=name, help=help_text)
    @click.argument("target", metavar=argument)
    @click.option("--undo", is_flag=True, help="Undo it (DELETE on Mixcloud).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_context
    @report_errors
    def command(ctx: click.Context, target: str, undo: bool, as_json: bool) -> None:
        from mixtui.account.mixcloud import Action

        _run_action(ctx, Action(action_value), target, undo, as_json)


_action_command("follow", "follow", "USER", "Follow a Mixcloud user (a name, /user/ or their link); --undo unfollows.")
_action_command("favorite", "favorite", "SHOW_KEY_OR_URL", "Favourite a show on Mixcloud; --undo unfavourites.")
_action_command("repost", "repost", "SHOW_KEY_OR_URL", "Repost a show on Mixcloud; --undo removes the repost.")
_action_command(
    "listen-later", "listen-later", "SHOW_KEY_OR_URL", "Add a show to your Mixcloud Listen Later; --undo removes it."
)


# -- uploads and edits ----------------------------------------------------------------------------------------


def _form_options(editing: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        options = [
            click.option("--name", help="The show's name." + ("" if editing else " Required.")),
            click.option("--description", help="Up to 1000 characters."),
            click.option("--tag", "tags", multiple=True, help="A tag (genre); up to 5, repeat the option."),
            click.option(
                "--picture", type=click.Path(path_type=Path, dir_okay=False), help="A JPEG/PNG picture, up to 10 MiB."
            ),
            click.option(
                "--section", "sections", multiple=True, help='A track "START|ARTIST|SONG" (START: s, m:ss or h:mm:ss).'
            ),
            click.option("--chapter", "chapters", multiple=True, help='A chapter "START|TITLE".'),
            click.option("--cue", type=click.Path(path_type=Path, dir_okay=False), help="Tracks from a cue sheet."),
            click.option("--from-playlist", help="Tracks from the last time you played this mixtui playlist."),
            click.option("--unlisted", is_flag=True, help="Private: only people with the link can listen."),
            click.option("--publish-date", help="Pro only: publish at this UTC time, YYYY-MM-DDTHH:MM:SSZ."),
            click.option("--disable-comments", is_flag=True, help="Pro only: no comments."),
            click.option("--hide-stats", is_flag=True, help="Pro only: hide play, favourite and repost counts."),
            click.option("--host", "hosts", multiple=True, help="Pro only: another account to tag (up to 2)."),
            click.option("--json", "as_json", is_flag=True, help="Print Mixcloud's answer as JSON."),
        ]
        if editing:
            options.append(click.option("--publish", is_flag=True, help="Make a private or draft show public."))
            options.append(click.option("--unpublish", is_flag=True, help="Move the show to your drafts."))
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def _build_form(ctx: click.Context, settings: Settings, values: dict[str, Any], editing: bool) -> ShowForm:
    from mixtui.account.tracklist import playlist_sections, read_cue_sheet
    from mixtui.account.upload import ShowForm, merge_sections, parse_chapter, parse_publish_date, parse_section
    from mixtui.errors import BadInput

    tracks: list[Section] = [parse_section(text, number) for number, text in enumerate(values["sections"], 1)]
    sources = [
        name
        for name, given in (
            ("--section", tracks),
            ("--cue", values["cue"]),
            ("--from-playlist", values["from_playlist"]),
        )
        if given
    ]
    if len(sources) > 1:
        raise BadInput(f"give the tracklist one way: {' or '.join(sources)}")
    if values["cue"] is not None:
        tracks = list(read_cue_sheet(values["cue"]))
    if values["from_playlist"]:
        from mixtui.services import Services

        services = Services(settings)
        try:
            tracks = list(playlist_sections(services.library, values["from_playlist"]))
        finally:
            run_async(services.aclose())
    chapters = [parse_chapter(text, number) for number, text in enumerate(values["chapters"], 1)]
    sections = merge_sections(tracks, chapters) if (tracks or chapters) else None
    return ShowForm(
        name=values["name"],
        description=values["description"],
        tags=tuple(values["tags"]) if values["tags"] else None,
        picture=values["picture"],
        sections=sections,
        unlisted=values["unlisted"],
        publish_date=parse_publish_date(values["publish_date"]) if values["publish_date"] else None,
        disable_comments=values["disable_comments"],
        hide_stats=values["hide_stats"],
        hosts=tuple(values["hosts"]) if values["hosts"] else None,
        publish=values.get("publish", False),
        unpublish=values.get("unpublish", False),
    )


def _send(settings: Settings, address: str, form: ShowForm, audio: Path | None, editing: bool, as_json: bool) -> None:
    from mixtui.account.upload import check_form, send_form

    # Everything that can be checked without the network is checked before signing anything.
    check_form(form, audio=audio, editing=editing)
    cancel = threading.Event()

    async def work(account: MixcloudAccount) -> Any:
        me = await account.me()  # the login works, and Pro-only options are allowed, before a long upload
        check_form(form, audio=audio, editing=editing, is_pro=me.is_pro)
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGINT, cancel.set)
        with _progress_display(audio is not None and not as_json) as on_progress:
            return await send_form(account, address, form, audio=audio, on_progress=on_progress, cancel=cancel)

    result = run_async(_with_account(settings, work))
    if as_json:
        print_json(result.to_json())
        return
    echo(result.message)
    if result.key:
        echo(f"  key: {result.key}")
    if result.url:
        echo(f"  url: {result.url}")


@contextlib.contextmanager
def _progress_display(shown: bool) -> Any:
    """Bytes, rate and time left on stderr while the audio goes up (Ctrl+C cancels)."""
    if not shown:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("uploading"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        TextColumn("Ctrl+C cancels"),
        console=console,
    ) as progress:
        task = progress.add_task("upload", total=None)

        def on_progress(state: UploadProgress) -> None:
            progress.update(task, completed=state.sent, total=state.total)

        yield on_progress


@mixcloud.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@_form_options(editing=False)
@click.pass_context
@report_errors
def upload(ctx: click.Context, /, file: Path, as_json: bool, **values: Any) -> None:
    """Upload FILE as a new show, with its details and tracklist, in one streamed POST."""
    settings = settings_from(ctx)
    form = _build_form(ctx, settings, values, editing=False)
    _send(settings, "/upload/", form, file, editing=False, as_json=as_json)


@mixcloud.command()
@click.argument("key", metavar="SHOW_KEY_OR_URL")
@_form_options(editing=True)
@click.pass_context
@report_errors
def edit(ctx: click.Context, /, key: str, as_json: bool, **values: Any) -> None:
    """Change a show's details: only what you give is sent (tags and tracklist are replaced whole)."""
    from mixtui.account.mixcloud import show_key_of

    settings = settings_from(ctx)
    show_key = show_key_of(key)
    form = _build_form(ctx, settings, values, editing=True)
    _send(settings, f"/upload{show_key}edit/", form, None, editing=True, as_json=as_json)
