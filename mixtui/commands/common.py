"""What every subcommand shares: settings, running async domain code, errors, JSON output."""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import click

from mixtui.errors import MixtuiError, api_error_json, exit_code_for
from mixtui.text import json_output, mask_userinfo, terminal_safe

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from mixtui.config import Settings
    from mixtui.store import Library

P = ParamSpec("P")
T = TypeVar("T")


def settings_from(ctx: click.Context) -> Settings:
    """The settings for this invocation (``--config`` / ``MIXTUI_CONFIG`` + environment)."""
    from mixtui.config import load_settings

    config_path = ctx.find_root().obj
    settings = load_settings(config_path if isinstance(config_path, Path) else None)
    for warning in settings.warnings:
        echo(f"warning: {warning}", err=True)
    return settings


def report_errors(func: Callable[P, T]) -> Callable[P, T]:
    """Turn a MixtuiError into a clear message on stderr and its exit code (2 = bad input).

    A command run with ``--json`` also prints the error as the Mixider API's JSON error
    object on stdout, so a script reading stdout always gets JSON.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return func(*args, **kwargs)
        except MixtuiError as error:
            if kwargs.get("as_json") is True:
                payload = api_error_json(error)
                for key in ("message", "hint"):
                    text = payload["error"][key]
                    payload["error"][key] = mask_userinfo(text) if isinstance(text, str) else text
                print_json(payload)
            fail(error)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


def fail(error: MixtuiError) -> NoReturn:
    echo(f"error: {error.message}", err=True)
    if error.hint:
        echo(f"  hint: {error.hint}", err=True)
    sys.exit(exit_code_for(error))


def echo_store_notices(store: Library) -> None:
    """What the library has to say (documents set aside, read-only), once, on stderr."""
    echo_warnings(store.take_notices())


def echo_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        echo(f"warning: {warning}", err=True)


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def print_json(value: Any) -> None:
    """JSON on stdout: data kept exact (URLs unmasked), C0 and C1 control characters escaped."""
    click.echo(json_output(value))


# Everything the CLI prints for people goes through shown(): text from platforms, the LLM and
# imported files never reaches the terminal as control codes (on a terminal or piped), and
# the userinfo of a URL (a password) is masked. Rich output never parses markup.
def shown(text: object) -> str:
    """Text for a person to read: control codes as visible symbols, URL passwords masked."""
    return terminal_safe(mask_userinfo(str(text)))


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` of :func:`shown` text."""
    click.echo(shown(message), err=err, nl=nl)


def cell(text: object, style: str = "") -> Text:
    """A Rich table cell or line part: :func:`shown` text, never markup."""
    from rich.text import Text

    return Text(shown(text), style=style)


def plain_console() -> Console:
    """A Rich console that never reads markup, emoji codes or highlights in what it prints."""
    from rich.console import Console

    return Console(soft_wrap=False, highlight=False, markup=False, emoji=False)
