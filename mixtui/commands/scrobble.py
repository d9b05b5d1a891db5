"""``mixtui scrobble …``: log in to ListenBrainz or Last.fm, see and send what is queued."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from mixtui.commands.common import echo, echo_store_notices, print_json, report_errors, run_async, settings_from
from mixtui.errors import BadInput, MixtuiError
from mixtui.scrobble import SERVICE_NAMES, SERVICE_TITLES

if TYPE_CHECKING:
    from mixtui.config import Settings

GROUP_HELP = """Send what you play to ListenBrainz and Last.fm ("now playing" and listens).

\b
Set up once (see the README, "Scrobbling"):
  mixtui scrobble login listenbrainz        paste your user token
  [scrobble.lastfm] api_key / api_secret    in the config (or MIXTUI_SCROBBLE__LASTFM__…)
  mixtui scrobble login lastfm              allow mixtui in the browser
\b
Listens wait in the library while a service cannot be reached and go out when it answers.
Exit codes: 0 ok, 1 a service failed or refused the credentials, 2 bad input.
"""

SERVICE = click.Choice(SERVICE_NAMES)


@click.group(help=GROUP_HELP)
def scrobble() -> None:
    pass


def _credentials(settings: Settings, service: str) -> dict[str, Any]:
    """Where the service's secrets come from (never the secrets), or what is missing."""
    from mixtui.doctor import mask_secret
    from mixtui.scrobble import credentials

    try:
        if service == "listenbrainz":
            token = credentials.listenbrainz_token(settings)
            if token is None:
                return {"ready": False, "missing": "run `mixtui scrobble login listenbrainz`"}
            return {"ready": True, "source": token.source, "user": token.user, "token": mask_secret(token.value)}
        api = credentials.lastfm_api(settings)
        session = credentials.lastfm_session(settings)
        if api is None:
            missing = "set [scrobble.lastfm] api_key and api_secret, then run `mixtui scrobble login lastfm`"
            return {"ready": False, "missing": missing}
        if session is None:
            return {"ready": False, "missing": "run `mixtui scrobble login lastfm`"}
        user = session.user
        return {"ready": True, "source": session.source, "user": user, "token": mask_secret(session.value)}
    except MixtuiError as error:
        return {"ready": False, "missing": str(error)}


@scrobble.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
@report_errors
def status(ctx: click.Context, as_json: bool) -> None:
    """What is queued, being sent, sent and failed for each service."""
    from mixtui.commands.library import _opened

    settings = settings_from(ctx)
    with _opened(ctx) as store:
        totals = store.scrobbles.totals(SERVICE_NAMES)
        failed = {name: store.scrobbles.failed(name, limit=10) for name in SERVICE_NAMES}
    section = settings.scrobble
    services: dict[str, Any] = {}
    for name in SERVICE_NAMES:
        creds = _credentials(settings, name)
        services[name] = {
            "enabled": section.enabled and getattr(section, name).enabled,
            "ready": creds["ready"],
            "user": creds.get("user"),
            "credentials": creds.get("source"),
            "missing": creds.get("missing"),
            **totals[name].to_json(),
            "failed_listens": [
                {
                    "artist": listen.track.get("artist"),
                    "title": listen.track.get("title"),
                    "listened_at": listen.listened_at,
                    "reason": reason,
                }
                for listen, reason in failed[name]
            ],
        }
    if as_json:
        print_json(
            {
                "enabled": section.enabled,
                "max_length_minutes": section.max_length_minutes,
                "long_tracks": section.long_tracks,
                "services": services,
            }
        )
        return
    if not section.enabled:
        echo("Scrobbling is off ([scrobble] enabled = false); listens are not queued.")
    for name, info in services.items():
        title = SERVICE_TITLES[name]
        state = "on" if info["enabled"] else "off"
        if info["ready"]:
            who = f" as {info['user']}" if info["user"] else ""
            echo(f"{title}: {state}, logged in{who} (credentials from the {info['credentials']})")
        else:
            echo(f"{title}: {state}, not set up: {info['missing']}")
        echo(f"  queued {info['queued']}, sending {info['sending']}, sent {info['sent']}, failed {info['failed']}")
        if info["last_sent_at"]:
            echo(f"  last sent {info['last_sent_at'][:19].replace('T', ' ')} UTC")
        if info["last_error"] and info["queued"]:
            echo(f"  last error: {info['last_error']}")
        for listen in info["failed_listens"][:5]:
            when = datetime.fromtimestamp(listen["listened_at"]).strftime("%Y-%m-%d %H:%M")
            echo(f"  ✗ {when} {listen['artist']} — {listen['title']}: {listen['reason']}")


@scrobble.command()
@click.argument("service", type=SERVICE)
@click.option("--token", help="The ListenBrainz user token (asked for, hidden, when not given).")
@click.option("--no-browser", is_flag=True, help="Last.fm: only print the address to open.")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Last.fm: seconds to wait for you.")
@click.option("--interval", type=float, default=3.0, show_default=True, help="Last.fm: seconds between checks.")
@click.pass_context
@report_errors
def login(
    ctx: click.Context, service: str, token: str | None, no_browser: bool, timeout: float, interval: float
) -> None:
    """Log in to SERVICE; the token or session key is kept in a file only you can read."""
    settings = settings_from(ctx)
    if service == "listenbrainz":
        if token is None:
            echo("Your user token is on https://listenbrainz.org/settings/ (it is not shown as you type).", err=True)
            token = click.prompt("ListenBrainz user token", hide_input=True, err=True)
        user = run_async(_login_listenbrainz(settings, (token or "").strip()))
        echo(f"Logged in to ListenBrainz as {user}; listens will be sent there.")
    else:
        user = run_async(_login_lastfm(settings, open_browser=not no_browser, timeout=timeout, interval=interval))
        echo(f"Logged in to Last.fm as {user}; scrobbles will be sent there.")


async def _login_listenbrainz(settings: Settings, token: str) -> str:
    from mixtui.scrobble import credentials
    from mixtui.services import Services

    if not token:
        raise BadInput("no token given")
    async with Services(settings) as services:
        user = await credentials.listenbrainz_client(settings, services.http, token).validate()
    credentials.token_store("listenbrainz").save(token, user=user)
    if settings.scrobble.listenbrainz.token is not None:
        echo("warning: [scrobble.listenbrainz] token in the config is used before the saved one", err=True)
    return user


async def _login_lastfm(settings: Settings, *, open_browser: bool, timeout: float, interval: float) -> str:
    from mixtui.scrobble import credentials
    from mixtui.scrobble.lastfm import NotAuthorizedYet
    from mixtui.services import Services

    async with Services(settings) as services:
        client = credentials.lastfm_client(settings, services.http)
        if client is None:
            raise BadInput(
                "Last.fm needs your API account first",
                hint="set [scrobble.lastfm] api_key and api_secret (create them at https://www.last.fm/api/account/create)",
            )
        token = await client.get_token()
        url = client.auth_url(token)
        opened = open_browser and _open(url)
        echo("Opened Last.fm in your browser; allow mixtui there." if opened else "Open this address and allow mixtui:")
        echo(url)
        echo("Waiting… (Ctrl+C to stop)", err=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                user, session_key = await client.get_session(token)
                break
            except NotAuthorizedYet:
                if time.monotonic() + interval > deadline:
                    raise MixtuiError(
                        f"Last.fm was not allowed within {timeout:g} s", hint="run the login again"
                    ) from None
                await asyncio.sleep(interval)
    credentials.token_store("lastfm").save(session_key, user=user)
    return user


def _open(url: str) -> bool:
    import webbrowser

    try:
        return webbrowser.open(url)
    except Exception:
        return False


@scrobble.command()
@click.argument("service", type=SERVICE)
@report_errors
def logout(service: str) -> None:
    """Forget the login of SERVICE kept on this computer."""
    from mixtui.scrobble.credentials import token_store

    title = SERVICE_TITLES[service]
    if token_store(service).clear():
        echo(f"Logged out of {title}; its key was deleted from this computer. Listens stay queued.")
    else:
        echo(f"You were not logged in to {title} (a key in the config or environment stays in use).")


@scrobble.command()
@click.option("--retry-failed", is_flag=True, help="Also try again the listens a service refused.")
@click.pass_context
@report_errors
def send(ctx: click.Context, retry_failed: bool) -> None:
    """Send what is queued now (the app and `mixtui play` do it by themselves)."""
    settings = settings_from(ctx)
    if not run_async(_send(settings, retry_failed)):
        sys.exit(1)


async def _send(settings: Settings, retry_failed: bool) -> bool:
    from mixtui.scrobble.scrobbler import Scrobbler, configured_services
    from mixtui.services import Services

    async with Services(settings) as services:
        store = await services.open_library()
        echo_store_notices(store)
        if retry_failed:
            await asyncio.to_thread(store.scrobbles.retry_failed)
        found = configured_services(settings, services.http, lambda text: echo(f"warning: {text}", err=True))
        scrobbler = Scrobbler(found, store.scrobbles)
        scrobbler.apply_settings(settings)
        if not scrobbler.senders:
            echo("No service is set up: see `mixtui scrobble status`.")
            return True
        reports = await scrobbler.flush()
        await scrobbler.aclose()
        ok = True
        for name, report in reports.items():
            left = await asyncio.to_thread(store.scrobbles.pending, name)
            line = f"{SERVICE_TITLES[name]}: sent {report.sent}, refused {report.failed}, still queued {left}"
            echo(line + (f" ({report.error})" if report.error else ""))
            ok = ok and report.error is None
        return ok
