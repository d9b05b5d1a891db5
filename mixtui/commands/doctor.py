"""``mixtui doctor``: one line per check, ok or what to do; secrets masked."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import click

from mixtui.commands.common import echo, print_json, report_errors, run_async
from mixtui.config import Settings, load_settings
from mixtui.doctor import Check
from mixtui.errors import BadInput
from mixtui.text import mask_userinfo

if TYPE_CHECKING:
    from mixtui.scrobble.checks import HttpSource
    from mixtui.search.access import PlatformAccess


def _line(check: Check) -> str:
    mark = "ok  " if check.ok else ("warn" if check.warning else "FAIL")
    text = f"{mark}  {check.name:<22} {check.detail}"
    if check.fix and (not check.ok or check.warning):
        text += f"\n      fix: {check.fix}"
    return text


async def run_all_checks(
    settings: Settings,
    *,
    online: bool = False,
    platforms: PlatformAccess | None = None,
    http: HttpSource | None = None,
) -> list[Check]:
    """Every provider's checks, secrets masked; ``platforms`` (the composition root) answers the online ones."""
    from mixtui import checks as foundation
    from mixtui.account import checks as account
    from mixtui.mpris import checks as mpris
    from mixtui.planner import checks as planner
    from mixtui.player import checks as player
    from mixtui.scrobble import checks as scrobble
    from mixtui.store import checks as store
    from mixtui.ui import checks as ui

    providers: list[tuple[str, Callable[[], Awaitable[list[Check]]]]] = [
        ("mixtui.checks", lambda: foundation.run_checks(settings, online, platforms)),
        ("mixtui.store.checks", lambda: store.run_checks(settings, online)),
        ("mixtui.player.checks", lambda: player.run_checks(settings, online)),
        ("mixtui.planner.checks", lambda: planner.run_checks(settings, online)),
        ("mixtui.ui.checks", lambda: ui.run_checks(settings, online)),
        ("mixtui.account.checks", lambda: account.run_checks(settings, online)),
        ("mixtui.mpris.checks", lambda: mpris.run_checks(settings, online)),
        ("mixtui.scrobble.checks", lambda: scrobble.run_checks(settings, online, http)),
    ]
    results: list[Check] = []
    for name, provider in providers:
        try:
            results.extend(await provider())
        except Exception as error:  # a broken check must not hide the others
            results.append(Check(name, False, f"check crashed: {error!r}"))
    # Details quote configured URLs (the LLM base_url…): their userinfo is a secret too.
    return [
        dataclasses.replace(
            check, detail=mask_userinfo(check.detail), fix=mask_userinfo(check.fix) if check.fix else check.fix
        )
        for check in results
    ]


async def _checks(settings: Settings, online: bool) -> list[Check]:
    from mixtui.services import Services

    async with Services(settings) as services:
        return await run_all_checks(settings, online=online, platforms=services, http=lambda: services.http)


@click.command()
@click.option("--online", is_flag=True, help="Also ask every enabled platform (uses the network).")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
@click.pass_context
@report_errors
def doctor(ctx: click.Context, online: bool, as_json: bool) -> None:
    """Check the config, store, mpv/libmpv, yt-dlp, the LLM and (with --online) the platforms."""
    config_path = ctx.find_root().obj
    try:
        settings = load_settings(config_path)
    except BadInput as error:
        checks = [Check("config", False, error.message, "fix the file or point --config / MIXTUI_CONFIG elsewhere")]
    else:
        checks = run_async(_checks(settings, online))
    if as_json:
        print_json([check.to_json() for check in checks])
    else:
        for check in checks:
            echo(_line(check))
    failed = [check for check in checks if not check.ok and not check.warning]
    if failed:
        sys.exit(1)
