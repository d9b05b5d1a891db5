"""The domain core never loads Textual, and ``mixtui --help`` loads no heavy library."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import mixtui

HEAVY = ("textual", "httpx", "yt_dlp", "openai", "mpv", "tinydb", "rapidfuzz", "pydantic", "mutagen")


def domain_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(mixtui.__path__, "mixtui."):
        if info.name.startswith("mixtui.ui") or info.name == "mixtui.__main__":
            continue
        names.append(info.name)
    return names


def loaded_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return set(json.loads(output.strip().splitlines()[-1]))


def test_no_domain_module_imports_textual() -> None:
    modules = domain_modules()
    assert "mixtui.search.fanout" in modules
    imports = "\n".join(f"import {name}" for name in modules)
    loaded = loaded_after(imports)
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_help_loads_no_heavy_library() -> None:
    code = "from click.testing import CliRunner\nfrom mixtui.cli import main\nCliRunner().invoke(main, ['--help'])"
    loaded = loaded_after(code)
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_opening_the_app_loads_no_domain_library_before_the_first_screen() -> None:
    code = (
        "import mixtui.commands.common, mixtui.ui.app, mixtui.ui.search.screen\n"
        "from mixtui.ui.app import MixtuiApp\nMixtuiApp()"
    )
    loaded = loaded_after(code)
    assert not {m for m in loaded if m.split(".")[0] in set(HEAVY) - {"textual"}}
