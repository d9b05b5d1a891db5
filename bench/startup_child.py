"""Child process for bench/startup.py: start an app, exit as soon as its first screen is ready.

``python bench/startup_child.py mixtui|bare [--headless]`` prints the seconds from
interpreter start to the first screen's first refresh.
"""

from __future__ import annotations

import contextlib
import sys
import time

STARTED = time.perf_counter()


def run_bare(headless: bool) -> float:
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal, Vertical
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Header, Input, ProgressBar, Select, Static

    ready: list[float] = []

    class BareScreen(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            with Horizontal():
                yield Input(placeholder="Search")
                yield Select([("All", "all")], value="all", allow_blank=False)
            yield Horizontal()
            with Horizontal():
                with Vertical():
                    yield DataTable()
                    yield Static("Type a search and press Enter.")
                yield Static("")
            with Horizontal():
                yield Static("■")
                yield Static("Nothing playing")
                yield ProgressBar(total=100)
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(lambda: (ready.append(time.perf_counter()), self.app.exit()))

    class BareApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(BareScreen())

    BareApp().run(headless=headless)
    return ready[0] - STARTED


def run_mixtui(headless: bool) -> float:
    """Start mixtui the way the ``mixtui`` command does (no subcommand opens the app)."""
    from mixtui import cli
    from mixtui.ui import app as app_module
    from mixtui.ui.screens.search import SearchScreen

    ready: list[float] = []
    original = SearchScreen.on_mount

    def on_mount(screen: SearchScreen) -> None:
        original(screen)
        screen.call_after_refresh(lambda: (ready.append(time.perf_counter()), screen.app.exit()))

    SearchScreen.on_mount = on_mount  # type: ignore[method-assign]
    if headless:
        original_run = app_module.MixtuiApp.run
        app_module.MixtuiApp.run = lambda self, **kw: original_run(self, headless=True)  # type: ignore[method-assign]
    with contextlib.suppress(SystemExit):
        cli.main([], standalone_mode=False)
    return ready[0] - STARTED


if __name__ == "__main__":
    which, headless = sys.argv[1], "--headless" in sys.argv
    elapsed = run_mixtui(headless) if which == "mixtui" else run_bare(headless)
    output = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else None
    if output:
        with open(output, "w") as out:
            out.write(f"{elapsed}\n")
    else:
        print(elapsed)
