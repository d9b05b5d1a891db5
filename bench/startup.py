"""App start-up: process start → first screen ready, mixtui ÷ a bare Textual app with the same widgets.

The bare app builds the same widget tree as mixtui's first screen (Search) from plain
Textual widgets, with the same texts, table columns, choices and footer keys; what it
lacks is everything mixtui adds: the command line, config, themes, CSS and screens.
mixtui's bytecode is compiled first, as an installed package's is. Both run headless,
then both in a real terminal under tmux. The time counts from the
child's own start (interpreter start-up is the same for both and excluded) to the first
refresh of the first screen. Runs alternate between the two apps so machine noise hits
both alike; the headline figure is the median over rounds of each round's ratio (mixtui ÷
the bare run just before it), with the medians and bests of the times beside it. The goal
is a ratio ≤ 1.2.

A third case, ``restored``, starts mixtui with a saved session of 500 queue entries in its
state file (written by the same code the app saves with) and ``ao=null``; the headline is the
same first-screen ratio against the same bare runs, and beside it the time until the restored
track is shown, paused at its position, in the now-playing bar.

Run: ``.venv/bin/python bench/startup.py``
"""

from __future__ import annotations

import compileall
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = Path(__file__).with_name("startup_child.py")
PACKAGE = Path(__file__).resolve().parent.parent / "mixtui"
ROUNDS = 21
APPS = ("bare", "mixtui", "restored")
RESTORED_ENTRIES = 500


def write_restored_state(home: Path) -> Path:
    """A data dir whose state file holds a 500-entry session paused mid-track, and a config using it."""
    from mixtui.models import Media, Platform
    from mixtui.player.resume import snapshot
    from mixtui.player.session import PlaySession
    from mixtui.store.state_file import StateFile

    data = home / "restored-data"
    music = home / "music"
    music.mkdir(parents=True, exist_ok=True)
    track = music / "tone.wav"
    import math
    import struct
    import wave

    with wave.open(str(track), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"".join(struct.pack("<h", int(9000 * math.sin(n / 4))) for n in range(8000 * 30)))
    items = [
        Media(id=f"local-bench-{n}", title=f"Bench track {n}", author="Bench", platform=Platform.LOCAL, url=str(track))
        for n in range(RESTORED_ENTRIES)
    ]
    session = PlaySession.of(items, origin="search 'bench'")
    from datetime import UTC, datetime

    session.play(250, now=datetime.now(UTC))
    session.position = 12.0
    StateFile(data / "state.json").save(session=snapshot(session, origin="search 'bench'"), app={"screen": "search"})
    config_home = home / "restored-config"
    config = config_home / "mixtui" / "config.toml"  # where a user's own config is: no --config needed
    config.parent.mkdir(parents=True)
    library = data / "library.json"
    config.write_text(f'[store]\npath = "{library}"\n[player]\naudio_output = "null"\n[ui]\nimages = false\n')
    return config_home


RESTORED_SHOWN: list[float] = []


def headless(which: str, env: dict[str, str], tmp: Path) -> float:
    if which == "restored":
        env = env | {"XDG_CONFIG_HOME": env["MIXTUI_BENCH_RESTORED_CONFIG_HOME"]}
    output = subprocess.run(
        [sys.executable, str(CHILD), which, "--headless"], capture_output=True, text=True, check=True, env=env
    )
    lines = output.stdout.strip().splitlines()
    if which == "restored":
        RESTORED_SHOWN.append(float(lines[-1].split()[1]))
        return float(lines[-1].split()[0])
    return float(lines[-1])


def in_tmux(which: str, env: dict[str, str], tmp: Path) -> float:
    out = tmp / f"{which}.txt"
    out.unlink(missing_ok=True)
    if which == "restored":
        return math.nan  # measured headless only (the child waits for the player there)
    socket = f"mixtui-bench-{os.getpid()}"
    command = f"{sys.executable} {CHILD} {which} --out {out}"
    tmux = ["tmux", "-L", socket]
    subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "36", command], check=True, env=env)
    deadline = time.monotonic() + 30
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    subprocess.run([*tmux, "kill-server"], capture_output=True)
    time.sleep(0.05)
    return float(out.read_text())


def measure(run: object, env: dict[str, str], tmp: Path) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {which: [] for which in APPS}
    for _ in range(ROUNDS):
        for which in APPS:
            timings[which].append(run(which, env, tmp))  # type: ignore[operator]
    return timings


def main() -> None:
    compileall.compile_dir(PACKAGE, quiet=1)
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        # A clean home: no user config, no remembered theme.
        env = os.environ | {"HOME": str(tmp), "XDG_CONFIG_HOME": str(tmp / "c"), "XDG_STATE_HOME": str(tmp / "s")}
        env["TERM"] = env.get("TERM", "xterm-256color")
        env["MIXTUI_BENCH_RESTORED_CONFIG_HOME"] = str(write_restored_state(tmp))
        for which in APPS:  # warm the OS file cache once
            headless(which, env, tmp)
        results = {"headless": measure(headless, env, tmp)}
        if shutil.which("tmux"):
            results["tmux"] = measure(in_tmux, env, tmp)
    print(f"app start-up to first screen ready ({ROUNDS} alternating runs each)")
    for mode, timings in results.items():
        timings = {which: timings[which] for which in ("bare", "mixtui")}
        paired = statistics.median(m / b for m, b in zip(timings["mixtui"], timings["bare"], strict=True))
        med = {which: statistics.median(values) * 1000 for which, values in timings.items()}
        best = {which: min(values) * 1000 for which, values in timings.items()}
        print(
            f"  {mode:<8} mixtui ÷ bare Textual = {paired:.2f} (median of paired runs; goal ≤ 1.2)"
            f"   medians {med['mixtui']:3.0f} ÷ {med['bare']:3.0f} ms = {med['mixtui'] / med['bare']:.2f}"
            f"   bests {best['mixtui']:3.0f} ÷ {best['bare']:3.0f} ms = {best['mixtui'] / best['bare']:.2f}"
        )
    restored = results["headless"]["restored"]
    paired = statistics.median(r / b for r, b in zip(restored, results["headless"]["bare"], strict=True))
    print(
        f"  restored {RESTORED_ENTRIES}-entry queue, headless: first screen ÷ bare Textual = {paired:.2f}"
        f" (goal ≤ 1.2; median {statistics.median(restored) * 1000:3.0f} ms);"
        f" restored track shown paused in the bar after a median {statistics.median(RESTORED_SHOWN) * 1000:3.0f} ms"
    )
    if "tmux" not in results:
        print("  tmux: not installed, skipped")


if __name__ == "__main__":
    main()
