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

Run: ``.venv/bin/python bench/startup.py``
"""

from __future__ import annotations

import compileall
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
APPS = ("bare", "mixtui")


def headless(which: str, env: dict[str, str], tmp: Path) -> float:
    output = subprocess.run(
        [sys.executable, str(CHILD), which, "--headless"], capture_output=True, text=True, check=True, env=env
    )
    return float(output.stdout.strip().splitlines()[-1])


def in_tmux(which: str, env: dict[str, str], tmp: Path) -> float:
    out = tmp / f"{which}.txt"
    out.unlink(missing_ok=True)
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
        for which in APPS:  # warm the OS file cache once
            headless(which, env, tmp)
        results = {"headless": measure(headless, env, tmp)}
        if shutil.which("tmux"):
            results["tmux"] = measure(in_tmux, env, tmp)
    print(f"app start-up to first screen ready ({ROUNDS} alternating runs each)")
    for mode, timings in results.items():
        paired = statistics.median(m / b for m, b in zip(timings["mixtui"], timings["bare"], strict=True))
        med = {which: statistics.median(values) * 1000 for which, values in timings.items()}
        best = {which: min(values) * 1000 for which, values in timings.items()}
        print(
            f"  {mode:<8} mixtui ÷ bare Textual = {paired:.2f} (median of paired runs; goal ≤ 1.2)"
            f"   medians {med['mixtui']:3.0f} ÷ {med['bare']:3.0f} ms = {med['mixtui'] / med['bare']:.2f}"
            f"   bests {best['mixtui']:3.0f} ÷ {best['bare']:3.0f} ms = {best['mixtui'] / best['bare']:.2f}"
        )
    if "tmux" not in results:
        print("  tmux: not installed, skipped")


if __name__ == "__main__":
    main()
