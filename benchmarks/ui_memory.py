"""Resident memory of the kiosk UI after N questions asked through the real app."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
from pathlib import Path

import yaml

os.environ.setdefault("KIOSK_DATA_DIR", tempfile.mkdtemp(prefix="kiosk-bench-"))

from kiosk.assistant import Assistant
from kiosk.config import KioskConfig
from kiosk.ui.app import KioskApp

EVAL = Path(__file__).resolve().parent.parent / "tests" / "eval" / "public.yaml"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(questions: list[str], every: int) -> None:
    config = KioskConfig()
    app = KioskApp(config, Assistant(config))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click("#lang-en")
        await pilot.pause()
        print(f"after start: {rss_mb():.1f} MB")
        for i, q in enumerate(questions, 1):
            app.screen.query_one("#question").value = q
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            if i % every == 0:
                widgets = len(list(app.screen.query("*")))
                print(f"after {i:4d} questions: {rss_mb():.1f} MB, {widgets} widgets on screen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    cases = [c["q"] for c in yaml.safe_load(EVAL.read_text(encoding="utf-8"))]
    rng = random.Random(7)
    questions = [rng.choice(cases) for _ in range(args.questions)]
    asyncio.run(run(questions, every=max(1, args.questions // 5)))


if __name__ == "__main__":
    main()
