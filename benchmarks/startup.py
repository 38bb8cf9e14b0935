"""Time from process start to the language picker on screen, and to a `kiosk ask` answer.

The kiosk is started in a real terminal (tmux) and the screen is polled until the
picker's prompt appears. The index is built first, so this is the every-day start.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid


def picker_seconds(env: dict[str, str]) -> float:
    name = f"kiosk-bench-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30",
         f"env KIOSK_DATA_DIR={env['KIOSK_DATA_DIR']} {sys.executable} -m kiosk"],
        check=True,
    )  # fmt: skip
    try:
        while time.perf_counter() - started < 30:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True
            ).stdout
            if "Choose your language" in screen:
                return time.perf_counter() - started
            time.sleep(0.01)
        raise RuntimeError("the picker never appeared")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def ask_seconds(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kiosk", "ask", "how do I book a visit", "--json"],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="kiosk-bench-")
    env = {**os.environ, "KIOSK_DATA_DIR": data}
    try:
        build = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kiosk", "index"], check=True, env=env,
                       capture_output=True)  # fmt: skip
        print(f"index build (kiosk index, whole process): {time.perf_counter() - build:.2f} s")
        asks = [ask_seconds(env) for _ in range(args.runs)]
        print(f"kiosk ask wall time: median {statistics.median(asks):.3f} s, "
              f"min {min(asks):.3f} s over {args.runs} runs")  # fmt: skip
        if shutil.which("tmux"):
            pickers = [picker_seconds(env) for _ in range(args.runs)]
            print(f"start to language picker: median {statistics.median(pickers):.3f} s, "
                  f"min {min(pickers):.3f} s over {args.runs} runs")  # fmt: skip
        else:
            print("start to language picker: tmux not installed, not measured")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
