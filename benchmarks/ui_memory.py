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


def rss_mb(part: str = "VmRSS") -> float:
    """Resident memory (``part``: RssAnon, the process's own; RssFile, pages of mapped
    files such as the meaning model and the index, which the kernel can drop and read
    again)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(part + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_parts() -> str:
    return f"own {rss_mb('RssAnon'):.1f}, mapped files {rss_mb('RssFile'):.1f}"


async def run(questions: list[str], every: int, sessions: int = 1) -> None:
    """``questions`` asked through the app; with ``sessions``, split into that many
    sessions, each ended as the idle wipe ends it, and what stays after each wipe shown."""
    import gc

    from textual.strip import Strip

    from kiosk.ui.screens.chat import ChatScreen

    config = KioskConfig()
    app = KioskApp(config, Assistant(config))
    per = -(-len(questions) // sessions)
    async with app.run_test(size=(100, 30)) as pilot:
        for s in range(sessions):
            await pilot.click("#lang-en")
            await pilot.pause()
            if s == 0:
                print(f"after start: {rss_mb():.1f} MB ({rss_parts()})")
            for i, q in enumerate(questions[s * per : (s + 1) * per], s * per + 1):
                app.screen.query_one("#question").value = q
                await pilot.press("enter")
                await app.workers.wait_for_complete()
                await pilot.pause()
                if sessions == 1 and i % every == 0:
                    widgets = len(list(app.screen.query("*")))
                    print(f"after {i:4d} questions: {rss_mb():.1f} MB, {widgets} widgets on screen")
            if sessions > 1:
                asked = rss_mb()
                app.end_session()
                for _ in range(5):
                    await pilot.pause()
                gc.collect()
                alive = gc.get_objects()
                chats = sum(isinstance(o, ChatScreen) for o in alive)
                strips = sum(isinstance(o, Strip) for o in alive)
                del alive
                print(
                    f"session {s + 1}: {asked:.1f} MB after its questions, {rss_mb():.1f} MB "
                    f"after the wipe ({rss_parts()}); chat screens alive {chats}, "
                    f"drawn lines {strips}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=1, help="split into sessions")
    args = parser.parse_args()
    cases = [c["q"] for c in yaml.safe_load(EVAL.read_text(encoding="utf-8"))]
    rng = random.Random(7)
    questions = [rng.choice(cases) for _ in range(args.questions)]
    asyncio.run(run(questions, every=max(1, args.questions // 5), sessions=args.sessions))


if __name__ == "__main__":
    main()
