"""Choose the learnt urgent model's threshold by cross-validation on the examples alone.

    python benchmarks/urgent_threshold.py

content/urgent_examples.yaml is split into five folds (by a fixed seed). For each fold the
model learns the other four, with every article's questions as ordinary ones and the
idioms taken out as the kiosk does, and judges the fold's examples and a fifth of the
article questions it did not learn. Printed per threshold: the share of urgent examples
the model finds alone, of everyday examples it alarms on, and of article questions it
alarms on. The phrasings (content/urgent.yaml) catch most of what the model misses, so a
threshold is a trade between the two error rates, not a recall target. Two are chosen
here: THRESHOLD for the urgent reply, and the lower CHECK_IN for the calm check-in line
under an answer, which costs a person nothing. No held-out set is read here.

Then, for the examples and article questions a phrasing matches (the phrasings are not
out of fold: they were written from all examples), how many have out-of-fold odds below
each of VETOES: what a rule "a phrasing's urgent reply needs the model's odds above T,
else the check-in line" would take from crises against everyday questions. Measured
2026-12-06 on 3,178 examples: below -75, 7 crises against 2 everyday examples; not done.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.assistant import Assistant  # noqa: E402
from kiosk.assistant.urgent_model import CHECK_IN, THRESHOLD, UrgentModel  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.content.urgent import load_examples  # noqa: E402

FOLDS = 5
THRESHOLDS = (15, 20, 25, 30, 35, 40, 45, 50)
VETOES = (-150, -100, -75, -50, -30)


def article_questions(assistant: Assistant) -> list[str]:
    """Every article's questions, in every language: what the model learns as ordinary."""
    return [
        q
        for article in assistant.rulebook.articles.values()
        for tr in article.translations.values()
        for q in tr.questions
    ]


def folds(examples: int, questions: int) -> Iterator[tuple[set[int], set[int]]]:
    """Each of the FOLDS folds: the examples and the article questions it holds out (a
    fixed seed, so every script that measures in these folds gets the same ones)."""
    rng = random.Random(20261205)
    order = list(range(examples))
    rng.shuffle(order)
    q_order = list(range(questions))
    rng.shuffle(q_order)
    for fold in range(FOLDS):
        yield (
            {i for n, i in enumerate(order) if n % FOLDS == fold},
            {i for n, i in enumerate(q_order) if n % FOLDS == fold},
        )


def main() -> None:
    assistant = Assistant(KioskConfig())
    prepare = assistant.for_urgent_model
    examples, _ = load_examples(assistant.content_dir)
    questions = article_questions(assistant)
    scores: list[tuple[str, float]] = []  # ("urgent" | "everyday" | "article", odds)
    phrased: list[tuple[str, float]] = []  # the same, for what a phrasing matches
    for test, q_test in folds(len(examples), len(questions)):
        model = UrgentModel.learn(
            (replace(e, q=prepare(e.q)) for i, e in enumerate(examples) if i not in test),
            [prepare(q) for i, q in enumerate(questions) if i not in q_test],
        )
        for i in test:
            e = examples[i]
            odds, _kind = model.judge(prepare(e.q))
            scores.append(("urgent" if e.urgent else "everyday", odds))
            if assistant._urgent_phrasing(e.q, "nb") is not None:
                phrased.append(scores[-1])
        for i in q_test:
            odds, _kind = model.judge(prepare(questions[i]))
            scores.append(("article", odds))
            if assistant._urgent_phrasing(questions[i], "nb") is not None:
                phrased.append(scores[-1])
    total = {k: sum(1 for c, _ in scores if c == k) for k in ("urgent", "everyday", "article")}
    print(
        f"{len(examples)} examples ({total['urgent']} urgent, {total['everyday']} everyday), "
        f"{total['article']} article questions; {FOLDS}-fold; the model alone"
    )
    print("threshold  urgent found  everyday alarms  article-question alarms")
    for t in THRESHOLDS:
        hit = {k: sum(1 for c, o in scores if c == k and o > t) for k in total}
        mark = {THRESHOLD: "  <- the urgent reply", CHECK_IN: "  <- the check-in line"}.get(t, "")
        print(
            f"{t:9}  {hit['urgent'] / total['urgent']:12.1%}  "
            f"{hit['everyday'] / total['everyday']:15.1%}  "
            f"{hit['article']:4} ({hit['article'] / total['article']:.2%}){mark}"
        )
    matched = {k: sum(1 for c, _ in phrased if c == k) for k in total}
    print(
        f"a phrasing matches {matched['urgent']} urgent, {matched['everyday']} everyday, "
        f"{matched['article']} article questions; of them, out-of-fold odds below:"
    )
    for t in VETOES:
        low = {k: sum(1 for c, o in phrased if c == k and o < t) for k in total}
        print(
            f"{t:9}  urgent {low['urgent']:3}  everyday {low['everyday']:3}  "
            f"article {low['article']:3}"
        )


if __name__ == "__main__":
    main()
