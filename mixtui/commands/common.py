"""What every subcommand shares: settings, running async domain code, errors, JSON output."""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import click

from mixtui.errors import MixtuiError, exit_code_for

if TYPE_CHECKING:
    from mixtui.config import Settings

P = ParamSpec("P")
T = TypeVar("T")


def settings_from(ctx: click.Context) -> Settings:
    """The settings for this invocation (``--config`` / ``MIXTUI_CONFIG`` + environment)."""
    from mixtui.config import load_settings

    config_path = ctx.find_root().obj
    return load_settings(config_path if isinstance(config_path, Path) else None)


def report_errors(func: Callable[P, T]) -> Callable[P, T]:
    """Turn a MixtuiError into a clear message on stderr and its exit code (2 = bad input)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return func(*args, **kwargs)
        except MixtuiError as error:
            fail(error)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


def fail(error: MixtuiError) -> NoReturn:
    click.echo(f"error: {error.message}", err=True)
    if error.hint:
        click.echo(f"  hint: {error.hint}", err=True)
    sys.exit(exit_code_for(error))


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def open_app(config_path: Path | None) -> int:
    """Open the Textual app (imported only here, so scripting commands never load Textual).

    The app reads the settings itself right after its first frame, so it opens fast. The
    garbage collector is paused until that frame: start-up only builds objects that live as
    long as the app, and a full collection among them would cost more than a tenth of it.
    """
    gc.disable()
    from mixtui.ui.app import run_app

    return run_app(config_path, gc_paused=True)
