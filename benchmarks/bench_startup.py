"""Launch to home screen: the roleplay app against a bare Textual app with one widget.

Each run is a fresh Python process that builds the app, runs it headless and exits as soon as
the first screen is ready (for roleplay: the home screen listing the library). The time is from
just before the process is started to the moment the child sees its screen ready (it prints the
clock then), so interpreter teardown after that is not counted for either app. Runs alternate
between the two apps so machine noise hits both alike; the script prints medians of that time
and of peak memory (max RSS of the child process) and their ratios.

Both apps start from compiled bytecode, as installed software does: ``pip install .`` compiles
roleplay's modules, as it compiled Textual's. The script compiles the source tree first, since a
checkout run in place (or a machine with ``PYTHONDONTWRITEBYTECODE`` set, like the shared one)
would otherwise recompile roleplay's sources on every launch and not Textual's (about 40 ms).

    python benchmarks/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")

async def ready(pilot):
    await pilot.pause()
    print("READY", time.time(), flush=True)
    pilot.app.exit()

Bare().run(headless=True, size=(80, 24), auto_pilot=ready)
"""

ROLEPLAY = """
import time
from roleplay.tui.app import AppConfig, build_app
from textual.widgets import OptionList

async def ready(pilot):
    while True:
        await pilot.pause()
        screen = pilot.app.screen
        if screen.__class__.__name__ == "HomeScreen" and screen.query_one("#scenarios", OptionList).option_count:
            break
    print("READY", time.time(), flush=True)
    pilot.app.exit()

build_app(AppConfig(db={db!r}, ui_lang="en", user=False)).run(headless=True, size=(80, 24), auto_pilot=ready)
"""


def run_child(code: str) -> tuple[float, float]:
    """Seconds from launch to ready, and peak RSS (MiB), of one fresh process running ``code``."""
    start = time.time()
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or "READY" not in output:
        raise SystemExit(f"the child failed: {code[:60]}...")
    ready = float(output.split("READY", 1)[1].split()[0])
    return ready - start, usage.ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for package in ("roleplay", "scoring", "scenarios"):
        compileall.compile_dir(ROOT / package, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        roleplay = ROLEPLAY.format(db=str(Path(tmp) / "bench.db"))
        run_child(roleplay)  # creates the database and warms the file cache, not counted
        run_child(BARE)
        bare_t, bare_m, rp_t, rp_m = [], [], [], []
        for _ in range(args.runs):
            t, m = run_child(BARE)
            bare_t.append(t), bare_m.append(m)
            t, m = run_child(roleplay)
            rp_t.append(t), rp_m.append(m)
    bt, rt = statistics.median(bare_t), statistics.median(rp_t)
    bm, rm = statistics.median(bare_m), statistics.median(rp_m)
    print(f"runs: {args.runs} each, alternating")
    print(f"bare Textual app, one widget: launch to ready median {bt * 1000:.0f} ms, peak RSS {bm:.1f} MiB")
    print(f"roleplay, home with library:  launch to ready median {rt * 1000:.0f} ms, peak RSS {rm:.1f} MiB")
    print(f"ratio: time {rt / bt:.2f}x, memory {rm / bm:.2f}x (goal: at most 1.5x each)")


if __name__ == "__main__":
    main()
