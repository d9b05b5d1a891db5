"""Child process for bench/startup.py: start an app, exit as soon as its first screen is ready.

``python bench/startup_child.py mixtui|bare [--headless]`` prints the seconds from
interpreter start to the first screen's first refresh.
"""

from __future__ import annotations

import contextlib
import sys
import time
from typing import Any, ClassVar

STARTED = time.perf_counter()

PLATFORMS = ("YouTube", "SoundCloud", "Mixcloud", "Bandcamp", "Vimeo", "Local files", "URL")
SCREEN_TITLES = ("Search", "Generate", "Library", "Browse", "Queue", "Settings")
MEDIA_KEYS = (("enter", "Play"), ("a", "Queue"), ("A", "Add to…"), ("l", "Later"), ("f", "Fav"), ("P", "Presets"))


ready: list[float] = []


def ready_now(app: Any) -> None:
    """The first screen has been refreshed once: note the time and quit."""
    ready.append(time.perf_counter())
    app.exit()


def run_bare(headless: bool) -> float:
    """The same first screen built from plain Textual widgets: the same tree, texts, table
    columns, choices and footer keys, but none of mixtui's code, config, CSS or themes."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding, BindingType
    from textual.containers import Horizontal, Vertical
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Input, ProgressBar, Select, Static

    choices = [(name, name.lower()) for name in ("All platforms", *PLATFORMS)]
    # The keys mixtui's footer shows on Search: screens, media actions, search actions, player.
    screen_keys = [Binding(f"f{n},{n}", f"noop('{title}')", title) for n, title in enumerate(SCREEN_TITLES, 1)]
    media_keys = [Binding(key, f"noop('{title}')", title) for key, title in MEDIA_KEYS]

    class BareScreen(Screen[None]):
        BINDINGS: ClassVar[list[BindingType]] = [
            *media_keys,
            Binding("escape", "noop('cancel')", "Cancel"),
            Binding("ctrl+s", "noop('save')", "Save preset"),
        ]

        def compose(self) -> ComposeResult:
            yield Static("  ".join(["mixtui", *(f"{n} {t}" for n, t in enumerate(SCREEN_TITLES, 1)), "? keys"]))
            with Horizontal():
                yield Input(placeholder="Search every platform, or paste a URL")
                yield Select(choices, value="all platforms", allow_blank=False)
            yield Horizontal()
            with Horizontal():
                with Vertical():
                    yield DataTable(cursor_type="row", zebra_stripes=True)
                    yield Static("Type a search and press Enter.")
                with Vertical():
                    yield Static("")
            with Horizontal():
                yield Static("■")
                yield Static("Nothing playing — Enter on a track plays it")
                yield ProgressBar(total=100, show_eta=False, show_percentage=False)
                yield Static("")
            yield Footer(compact=True)

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            for label, width in (("", 2), ("", 4), ("Title", 44), ("Author", 24), ("Length", 8)):
                table.add_column(label, width=width)
            table.display = False
            self.query_one(Input).focus()
            self.call_after_refresh(ready_now, self.app)

        def action_noop(self, name: str) -> None:
            pass

    class BareApp(App[None]):
        BINDINGS: ClassVar[list[BindingType]] = [
            *screen_keys,
            Binding("space", "noop('pause')", "Pause"),
            Binding("question_mark", "noop('help')", "Keys"),
            Binding("q", "quit", "Quit"),
            Binding("ctrl+q", "quit", "Quit", show=False),
        ]

        def on_mount(self) -> None:
            self.push_screen(BareScreen())

        def action_noop(self, name: str) -> None:
            pass

    BareApp().run(headless=headless)
    return ready[0] - STARTED


def run_mixtui(headless: bool) -> float:
    """Start mixtui the way the ``mixtui`` command does (no arguments open the app)."""
    from mixtui import entry
    from mixtui.ui import app as app_module
    from mixtui.ui.search.screen import SearchScreen

    original = SearchScreen.on_mount

    def on_mount(screen: SearchScreen) -> None:
        original(screen)
        screen.call_after_refresh(ready_now, screen.app)

    SearchScreen.on_mount = on_mount  # type: ignore[method-assign,assignment]
    if headless:
        original_run = app_module.MixtuiApp.run
        app_module.MixtuiApp.run = lambda self, **kw: original_run(self, headless=True)  # type: ignore[method-assign]
    sys.argv[1:] = []
    with contextlib.suppress(SystemExit):
        entry.main()
    return ready[0] - STARTED


def run_restored() -> str:
    """mixtui on a data dir with a saved 500-entry session: seconds to the first screen, and to the
    restored track shown paused at its position in the now-playing bar (its config is the
    user's own, found where the command looks for it)."""
    from mixtui import entry
    from mixtui.ui import app as app_module
    from mixtui.ui.player.now_playing import NowPlayingBar
    from mixtui.ui.search.screen import SearchScreen

    first: list[float] = []
    original = SearchScreen.on_mount

    def on_mount(screen: SearchScreen) -> None:
        original(screen)
        screen.call_after_refresh(lambda: first.append(time.perf_counter()))

    def watch(bar: NowPlayingBar) -> None:
        if bar.media is not None and bar.state == "paused" and bar.position > 0:
            ready.append(time.perf_counter())
            bar.app.exit()
        else:
            bar.set_timer(0.005, lambda: watch(bar))

    original_bar_mount = NowPlayingBar.on_mount

    def bar_mount(bar: NowPlayingBar) -> None:
        original_bar_mount(bar)
        watch(bar)

    SearchScreen.on_mount = on_mount  # type: ignore[method-assign,assignment]
    NowPlayingBar.on_mount = bar_mount  # type: ignore[method-assign]
    original_run = app_module.MixtuiApp.run
    app_module.MixtuiApp.run = lambda self, **kw: original_run(self, headless=True)  # type: ignore[method-assign]
    sys.argv[1:] = []
    with contextlib.suppress(SystemExit):
        entry.main()
    return f"{first[0] - STARTED} {ready[0] - STARTED}"


if __name__ == "__main__":
    which, headless = sys.argv[1], "--headless" in sys.argv
    output = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else None
    if which == "restored":
        print(run_restored())
        sys.exit(0)
    elapsed = run_mixtui(headless) if which == "mixtui" else run_bare(headless)
    if output:
        with open(output, "w") as out:
            out.write(f"{elapsed}\n")
    else:
        print(elapsed)
