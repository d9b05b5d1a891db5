"""The app shows what strangers write as text: Pilot journeys and a property test over its widgets.

Titles with ``[/x]`` used to crash the results table (``MarkupError``), and ``[bold red]…[/]``
or ``[link=file:///etc/passwd]…[/link]`` were applied as style and hyperlink. Every widget that
shows outside text (results table, details, chips, notifications, library, generate result,
dialogs) must show it literally, with control codes as visible symbols.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Static

from mixtui.models import Media, Platform
from mixtui.store import Library
from mixtui.ui.app import MixtuiApp
from mixtui.ui.common.ask_text import AskText
from mixtui.ui.common.media_details import MediaDetails
from mixtui.ui.common.media_table import MediaTable
from mixtui.ui.library.edit_dialog import PlaylistEditDialog
from mixtui.ui.library.export_dialog import ExportDialog
from mixtui.ui.library.playlists import PlaylistHeader, PlaylistList
from mixtui.ui.search.status_chips import StatusChip
from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply
from tests.support.ui import SIZE, make_app, notifications
from tests.test_cli_hostile_text import EVIL_AUTHOR, EVIL_TITLE, hostile_mixcloud_search
from tests.test_planner_generate import PLAN, PROMPT, serve_catalogue
from tests.test_text_safety import hostile_text

pytestmark = pytest.mark.timeout(120)

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def rendered(widget: Any) -> str:
    return str(widget.render())


def cell_texts(table: MediaTable, row: int) -> list[str]:
    return [str(getattr(cell, "plain", cell)) for cell in table.get_row_at(row)]


async def search_for(app: MixtuiApp, pilot: Any, query: str) -> None:
    app.screen.query_one("#query", Input).value = query
    app.screen.query_one("#query", Input).focus()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_hostile_titles_errors_and_names_through_search_and_library(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    """A journey: hostile results and a hostile error on Search, then the Library's views of them."""
    body = json.dumps(hostile_mixcloud_search([EVIL_TITLE, "Cut emoji \ud83d"]))
    platform_servers["mixcloud_api"].force(Reply(body=body.encode(), content_type="application/json"), times=None)
    error = {"error": {"message": "[/x] \x1b[2J[link=file:///etc/passwd]boom[/link]"}}
    platform_servers["youtube"].force(Reply(status=500, body=error), times=None)
    evil = Media(
        id="mixcloud-evil",
        title=EVIL_TITLE,
        author=EVIL_AUTHOR,
        platform=Platform.MIXCLOUD,
        url="https://www.mixcloud.com/u/evil/",
        duration=60,
    )
    with Library(tmp_path / "library.json") as store:
        store.playlists.create("[/b] \x1b]0;title\x07 Mix", items=[evil], description="[link=x]d[/link]")
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        await search_for(app, pilot, "moon river")
        table = app.screen.query_one("#results", MediaTable)
        evil_rows = [i for i, media in enumerate(table.media) if media.title == EVIL_TITLE.replace("\ud800", "\ufffd")]
        assert evil_rows, [m.title for m in table.media]
        cells = cell_texts(table, evil_rows[0])
        assert any("[/x] [bold red]LOUD[/] [link=file:///etc/passwd]click[/link] ␛[2J" in c for c in cells), cells
        assert all(not CONTROLS.search(c) for c in cells)
        # The youtube chip and notification quote the server's text literally.
        chip = app.screen.query_one("#chip-youtube", StatusChip)
        assert "[/x] ␛[2J[link=file:///etc/passwd]boom[/link]" in rendered(chip)
        assert any("[link=file:///etc/passwd]boom[/link]" in text for text in notifications(app))
        # Screens notify through Widget.notify, which asks for markup: it is never applied.
        assert app._notifications and not any(n.markup for n in app._notifications)
        await pilot.pause(0.3)  # the toasts render
        # The details panel of the hostile row.
        table.focus()
        table.move_cursor(row=evil_rows[0])
        await pilot.pause()
        details = app.screen.query_one("#details", MediaDetails)
        info = rendered(details.query_one("#info", Static))
        assert "[bold red]LOUD[/]" in info and not CONTROLS.search(info)
        # The whole screen renders (a MarkupError would have stopped the app).
        assert "LOUD" in app.export_screenshot()
        # The Library: a playlist named with markup and escapes, holding the hostile show.
        await app.switch_mode("library")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        playlists = app.screen.query_one(PlaylistList)
        playlists.focus()
        await pilot.press("j")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        header = rendered(app.screen.query_one(PlaylistHeader))
        assert "[/b] ␛]0;title␇ Mix" in header and "[link=x]d[/link]" in header, header
        items = app.screen.query_one("#items", MediaTable)
        assert any("[bold red]LOUD[/]" in c for c in cell_texts(items, 0))
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "Export “[/b] ␛]0;title␇ Mix”" in rendered(app.screen.query_one("#export-title"))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PlaylistEditDialog)
        assert "[/b] ␛]0;title␇ Mix" in rendered(app.screen.query_one("#edit-title"))
        await pilot.press("escape")
        await pilot.pause()
        # Renaming starts from the name as shown: no control code in the field either.
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, AskText)
        assert app.screen.query_one(Input).value == "[/b] ␛]0;title␇ Mix"
        await pilot.press("escape")
        await pilot.pause()
        assert "[link=x]d[/link]" in app.export_screenshot()


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


async def test_a_hostile_plan_shows_literally_on_the_generate_screen(
    tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_catalogue(platform_servers)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-hostile-ui-0123456789")
    llm.default = llm.plan_reply({**PLAN, "title": EVIL_TITLE, "description": "[/x] \x9b2J [link=file:///x]l[/link]"})
    soundcloud = {**platform_servers.settings_overrides()["platforms"]["soundcloud"], "client_id": "generate-test"}
    app = make_app(
        tmp_path,
        platform_servers,
        platforms={"soundcloud": soundcloud},
        llm={"base_url": llm.base_url, "model": "test-model", "max_retries": 0, "timeout": 10},
    )
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        await app.switch_mode("generate")
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.screen.query_one("#prompt", Input).value = PROMPT
        app.screen.query_one("#prompt", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = rendered(app.screen.query_one("#result-title", Static))
        description = rendered(app.screen.query_one("#result-description", Static))
        assert "[/x] [bold red]LOUD[/]" in title and not CONTROLS.search(title)
        assert description == "[/x] \ufffd2J [link=file:///x]l[/link]"
        assert "LOUD" in app.export_screenshot()


@given(titles=st.lists(hostile_text, min_size=4, max_size=4), author=hostile_text)
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a Pilot run takes minutes
)
async def test_any_text_renders_in_the_results_table_details_and_notifications(
    tmp_path: Path, platform_servers: PlatformServers, titles: list[str], author: str
) -> None:
    media = [
        Media(
            id=f"mixcloud-x{index}",
            title=title or "t",
            author=author or EVIL_AUTHOR,
            platform=Platform.MIXCLOUD,
            url=f"https://www.mixcloud.com/u/{index}/",
            duration=60,
        )
        for index, title in enumerate(titles)
    ]
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        table = app.screen.query_one("#results", MediaTable)
        table.set_media(media)
        table.focus()
        for row in range(len(media)):
            table.move_cursor(row=row)
            await pilot.pause()
            app.notify(media[row].title, title=media[row].author)
            for text in cell_texts(table, row):
                assert not CONTROLS.search(text)
                text.encode("utf-8")
        chip = StatusChip(id="chip-hostile")
        await app.screen.mount(chip)
        chip.set_status("youtube", "failed", f"failed: {titles[0]}")
        await pilot.pause()
        assert not CONTROLS.search(rendered(chip))
        app.export_screenshot()  # everything on screen renders
        assert len(app._notifications) == len(media)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("[/x] title", "[/x] title"),
        (":warning: loud :fire:", ":warning: loud :fire:"),
        ("\x1b[2J", "␛[2J"),
        ("22:14", "22:14"),
    ],
)
def test_table_cells_show_as_written(cell: str, shown: str) -> None:
    from rich.console import Console
    from textual.widgets._data_table import default_cell_formatter

    from mixtui.ui.common.plain import plain_cell

    renderable = default_cell_formatter(plain_cell(cell))
    console = Console(width=80, color_system=None, emoji=True)
    with console.capture() as captured:
        console.print(renderable)
    assert captured.get().rstrip("\n") == shown


async def test_manual_pick_shows_a_hostile_plan_literally(
    tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pick screen's heading quoted the planned title as markup: ``[/x]`` crashed it."""
    from mixtui.ui.generate.manual_pick import ManualPickScreen
    from tests.test_ui_generate import generate, generate_app

    serve_catalogue(platform_servers)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-hostile-ui-0123456789")
    tracks = [dict(PLAN["tracks"][0], title="Moon River [/x] \x1b[2J"), *PLAN["tracks"][1:]]
    llm.default = llm.plan_reply({**PLAN, "title": "[bold]Beach[/bold] \x9b", "tracks": tracks})
    app = generate_app(tmp_path, platform_servers, llm)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot, mode="manual")
        assert isinstance(app.screen, ManualPickScreen)
        heading = rendered(app.screen.query_one("#track-heading", Static))
        intro = rendered(app.screen.query_one("#pick-intro", Static))
        assert "Track 1/" in heading and ": Moon River [/x] ␛[2J — Louis Armstrong" in heading
        assert intro.startswith("[bold]Beach[/bold] \ufffd")
        assert "[/x]" in app.export_screenshot()
