"""Soak: many questions through the Assistant and through the kiosk UI, as in months of use.

Reports resident memory (RSS) as the questions go by, its growth after warm-up, the
slowest question, and for the UI the number of widgets on screen (it must stay bounded:
old bubbles are dropped). The questions are the eval sets' (as people ask), misspelt
copies of them, hostile text (escape sequences, markup, long word salads) and random
words, in a fixed random order.

    python benchmarks/soak.py                      # 10,000 Assistant questions, 500 UI
    python benchmarks/soak.py --assistant 2000 --ui 0 --json
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import string
import tempfile
import time
from pathlib import Path

import yaml

os.environ.setdefault("KIOSK_DATA_DIR", tempfile.mkdtemp(prefix="kiosk-soak-"))

from kiosk import LANGUAGES
from kiosk.assistant import Assistant
from kiosk.config import KioskConfig

ROOT = Path(__file__).resolve().parent.parent
EVAL_FILES = sorted((ROOT / "tests" / "eval").glob("*.yaml"))
HOSTILE = [
    "\x1b]0;title\x07 how do I book a visit",
    "\x1b]52;c;cHduZWQ=\x07",
    "[@click=app.quit]quit[/] canteen",
    "\u202eevil\u202c phone",
    'title:visit* AND (body_en:"phone',
    "\ud800 besøk",
    "a" * 2_000,
]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def questions(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(question, UI language) pairs: real, misspelt, hostile and random, mixed."""
    rng = random.Random(seed)
    real = []
    for path in EVAL_FILES:
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(case, dict) and isinstance(case.get("q"), str):
                real.append((case["q"], case.get("ui") or "en"))

    def misspelt(text: str) -> str:
        chars = list(text)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(chars)) if chars else 0
            if chars:
                chars[i] = rng.choice(string.ascii_lowercase)
        return "".join(chars)

    def salad() -> str:
        return " ".join(
            "".join(rng.choices(string.ascii_lowercase + "æøåąęł", k=rng.randint(3, 14)))
            for _ in range(rng.randint(1, 40))
        )

    out = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.6:
            out.append(rng.choice(real))
        elif kind < 0.8:
            q, ui = rng.choice(real)
            out.append((misspelt(q), ui))
        elif kind < 0.9:
            out.append((rng.choice(HOSTILE), rng.choice(LANGUAGES)))
        else:
            out.append((salad(), rng.choice(LANGUAGES)))
    return out


def soak_assistant(count: int, every: int) -> dict:
    config = KioskConfig()
    assistant = Assistant(config)
    assistant.warm()
    started = rss_mb()
    warm_up = min(1_000, count // 10)
    samples, slowest, statuses = [], 0.0, {}
    base = None
    t0 = time.perf_counter()
    for i, (q, ui) in enumerate(questions(count), 1):
        t = time.perf_counter()
        reply = assistant.ask(q, ui_lang=ui)
        slowest = max(slowest, time.perf_counter() - t)
        statuses[reply.status] = statuses.get(reply.status, 0) + 1
        if i == warm_up:
            gc.collect()
            base = rss_mb()
        if i % every == 0 or i == count:
            gc.collect()
            samples.append((i, round(rss_mb(), 1)))
            print(f"  assistant: {i:6d} questions  RSS {samples[-1][1]:7.1f} MB", flush=True)
    end = samples[-1][1]
    return {
        "questions": count,
        "seconds": round(time.perf_counter() - t0, 1),
        "rss_start_mb": round(started, 1),
        "rss_after_warm_up_mb": round(base or started, 1),
        "warm_up_questions": warm_up,
        "rss_end_mb": end,
        "growth_after_warm_up_mb": round(end - (base or started), 1),
        "slowest_question_s": round(slowest, 3),
        "statuses": statuses,
        "samples": samples,
    }


async def _soak_ui(count: int, every: int) -> dict:
    from kiosk.ui.app import KioskApp
    from kiosk.ui.screens.chat import ChatScreen

    config = KioskConfig()
    assistant = Assistant(config)
    assistant.warm()
    app = KioskApp(config, assistant)
    samples, max_widgets, sessions = [], 0, 0
    t0 = time.perf_counter()
    async with app.run_test(size=(100, 30)) as pilot:
        started = rss_mb()
        for i, (q, ui) in enumerate(questions(count, seed=11), 1):
            if not isinstance(app.screen, ChatScreen):  # a language switch, an idle wipe
                await pilot.click(f"#lang-{ui if ui in app.languages else 'en'}")
                await pilot.pause()
                sessions += 1
            app.screen.query_one("#question").value = q
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            widgets = len(list(app.screen.query("*")))
            max_widgets = max(max_widgets, widgets)
            if i % 100 == 0:  # a person leaves, the next one comes
                await pilot.press("f10")
                await pilot.pause()
            if i % every == 0 or i == count:
                gc.collect()
                samples.append((i, round(rss_mb(), 1), widgets))
                print(
                    f"  ui: {i:5d} questions  RSS {samples[-1][1]:7.1f} MB  "
                    f"{widgets} widgets on screen",
                    flush=True,
                )
    return {
        "questions": count,
        "seconds": round(time.perf_counter() - t0, 1),
        "sessions": sessions,
        "rss_start_mb": round(started, 1),
        "rss_end_mb": samples[-1][1],
        "max_widgets_on_screen": max_widgets,
        "samples": samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assistant", type=int, default=10_000, help="questions (0: skip)")
    parser.add_argument("--ui", type=int, default=500, help="questions through the UI (0: skip)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    report = {"data_dir": os.environ["KIOSK_DATA_DIR"], "cpus": os.cpu_count()}
    if args.assistant:
        print(f"{args.assistant} questions through the Assistant...", flush=True)
        report["assistant"] = soak_assistant(args.assistant, max(1, args.assistant // 10))
    if args.ui:
        print(f"{args.ui} questions through the kiosk UI (Pilot)...", flush=True)
        report["ui"] = asyncio.run(_soak_ui(args.ui, max(1, args.ui // 10)))
    if args.json:
        print(json.dumps(report, indent=2))
        return
    if "assistant" in report:
        a = report["assistant"]
        print(
            f"\nAssistant: {a['questions']} questions in {a['seconds']} s; RSS "
            f"{a['rss_after_warm_up_mb']} MB after {a['warm_up_questions']} (warm-up) -> "
            f"{a['rss_end_mb']} MB: growth {a['growth_after_warm_up_mb']} MB; slowest "
            f"question {a['slowest_question_s']} s; {a['statuses']}"
        )
    if "ui" in report:
        u = report["ui"]
        print(
            f"UI: {u['questions']} questions ({u['sessions']} sessions) in {u['seconds']} s; "
            f"RSS {u['rss_start_mb']} -> {u['rss_end_mb']} MB; at most "
            f"{u['max_widgets_on_screen']} widgets on screen"
        )


if __name__ == "__main__":
    main()
