"""A second signal for urgent situations: a model learnt from labelled examples.

The phrasings of ``content/urgent.yaml`` catch what their authors thought of; measured on
crises written blind by people who never saw them they found fewer than half. This model
learns from examples instead (``content/urgent_examples.yaml``: urgent ones with their
kind, everyday ones that only sound alarming, and every article's ``questions`` as
ordinary questions), from pieces of words (3 to 5 letters of the folded text), so it
carries over to inflections, typos and wordings nobody listed: "pocial" and "pociąłem",
"wisi na kracie", "shanked".

It is a naive Bayes classifier: for each piece, how much more often it stands in urgent
examples than in ordinary ones. A question it finds urgent beyond ``THRESHOLD`` gets the
what-to-do-now reply *beside* its answer (a false alarm costs an extra box, not the
answer). The counts are learnt once per content (about 2 s) and kept in the data
folder as arrays of numbers behind a JSON head, keyed by the content's fingerprint;
nothing is unpickled.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from kiosk.content.cache import made_once
from kiosk.content.model import Rulebook
from kiosk.content.urgent import KINDS, Example, load_examples
from kiosk.files import kept
from kiosk.text import fold_text as fold
from kiosk.text import letter_pieces

PIECES = (3, 4, 5)
"""Lengths of the word pieces: long enough to mean something, short enough to survive
an ending or a typo."""
SMOOTHING = 0.1
"""Added to every count: a piece never seen in one class is unlikely there, not impossible."""
THRESHOLD = 35.0
"""Log-odds (urgent against ordinary) above which a question counts as possibly urgent.
Chosen by five-fold cross-validation on the examples (2026-12-05): at 35 the model alone
finds 54% of the urgent examples it did not learn from, with 1.7% of the everyday ones
and 17 of 1,696 ordinary kiosk questions; at 20, 68% with 5.6% and 41. The phrasings
catch most of what it misses; set lower, sentences about anything the rulebook never
speaks of ("did liverpool win last night") got the urgent box. Again with 2,341 examples
and the idioms taken out (``python benchmarks/urgent_threshold.py``): at 35, 59.7% with
4.3% of everyday ones and 0.92% of 13,841 article questions; at 25, 69.6% with 6.6% and
1.70%; no knee in between, so 35 stays."""
CHECK_IN = 20.0
"""Log-odds above which, below ``THRESHOLD``, an answer gets a calm line under it (who to
tell, at any time: ``check_in`` in content/urgent.yaml) instead of the urgent reply. The
line costs a person nothing, so it may be shown far more often than the alarm. By
``python benchmarks/urgent_threshold.py`` (2026-12-05, 2,461 examples): above 20 the
model alone finds 74.3% of the urgent examples it did not learn, against 60.0% above 35,
for 8.4% of the everyday look-alikes and 2.12% of 13,841 article questions; above 15,
78.4% for 10.0% and 2.85%. At 20 the line stands under about one article question in
fifty, and under 6 of the 1,194 real people's questions in tests/eval/real*.yaml that get
no urgent reply. Again with 2,611 examples (2026-12-06, a third blind batch learnt): above
20, 75.9% with 7.8% and 2.19%; above 35, 61.1% with 4.1% and 1.00%. With 2,761 (a fourth
learnt, its look-alikes partly complaints of daily life): above 20, 77.4% with 9.3% and
2.34%; above 35, 64.1% with 4.6% and 1.00%. With 2,893 (and a batch of fear): above 20,
77.4% with 8.9% and 2.33%; above 35, 64.5% with 4.1% and 1.00%. With 3,017 (fear hinted
at, which is harder to find, in the folds too): above 20, 76.3% with 9.6% and 2.28%; above
35, 62.6% with 4.3% and 0.99%. With 3,178 (a fifth batch learnt): above 20, 78.0% with 9.5%
and 2.41%; above 35, 64.1% with 4.6% and 1.04%."""
STRONG_WORDS = 2
"""A question must also hold this many words with a piece at least ``STRONG_RATIO`` times
commoner in urgent examples than in ordinary ones: the model learnt ordinary *rulebook*
questions, so a sentence about anything else ("did liverpool win last night") leans to
urgent by default; one telling word ("night") is not enough."""
STRONG_RATIO = 3.0
FORMAT = 2
MAGIC = b"kiosk-urgent\n"


def pieces(text: str) -> set[str]:
    """The word pieces of a text: every 3 to 5 letters of each folded word, with its edges."""
    return {piece for word in fold(text).split() for piece in letter_pieces(word, PIECES)}


class UrgentModel:
    """Counts of word pieces in urgent examples (per kind) and in ordinary questions.

    Kept compact: the pieces as a sorted array of 64-bit hashes, and each class's counts
    as an array beside it (about 3 MB for 79,000 pieces; dicts of the pieces took 16 MB
    of the kiosk's memory). The same counts, so the same judgements."""

    def __init__(
        self,
        keys: array,
        counts: dict[str, array],
        sizes: dict[str, int],
        telling: bytes,
    ) -> None:
        n = len(keys)
        if any(len(c) != n for c in counts.values()) or len(telling) != n:
            raise ValueError("the counts do not match the pieces")
        self.keys = keys  # sorted hashes of every piece seen
        self.counts = counts  # class ("ordinary", a kind, "urgent": all kinds) -> counts
        self.sizes = sizes  # class -> number of examples
        # Pieces that tell: seen in three urgent examples, and STRONG_RATIO times commoner
        # there than in ordinary ones (counts weighed by each side's number of examples).
        self.telling = telling
        self._totals = {c: sum(v) + SMOOTHING * n for c, v in counts.items()}
        self._urgent_examples = sum(sizes.get(k, 0) for k in KINDS)

    @classmethod
    def learn(cls, examples: Iterable[Example], ordinary: Iterable[str]) -> UrgentModel:
        found: dict[str, Counter[str]] = {c: Counter() for c in ("ordinary", *KINDS)}
        sizes: Counter[str] = Counter()
        for example in examples:
            label = example.kind if example.urgent and example.kind else "ordinary"
            found[label].update(pieces(example.q))
            sizes[label] += 1
        for question in ordinary:
            found["ordinary"].update(pieces(question))
            sizes["ordinary"] += 1
        found = {c: v for c, v in found.items() if v}
        urgent: Counter[str] = Counter()
        for kind in KINDS:
            urgent.update(found.get(kind, {}))
        if urgent:
            found["urgent"] = urgent
        by_hash = {piece_hash(p): p for v in found.values() for p in v}
        keys = array("Q", sorted(by_hash))
        order = [by_hash[h] for h in keys]
        counts = {c: array("I", (v.get(p, 0) for p in order)) for c, v in found.items()}
        common = found.get("ordinary", {})
        ratio = sizes.get("ordinary", 1) / max(sum(sizes.get(k, 0) for k in KINDS), 1)
        telling = bytes(
            urgent.get(p, 0) >= 3 and urgent[p] * ratio >= STRONG_RATIO * (common.get(p, 0) + 1)
            for p in order
        )
        return cls(keys, counts, dict(sizes), telling)

    def _found(self, word: str) -> list[int]:
        """Where each piece of a (folded) word that was seen in an example stands."""
        keys, n = self.keys, len(self.keys)
        found = []
        for piece in letter_pieces(word, PIECES):
            h = piece_hash(piece)
            i = bisect_left(keys, h)
            if i < n and keys[i] == h:
                found.append(i)
        return found

    def _log_likelihood(self, label: str, found: list[int]) -> float:
        counts = self.counts.get(label)
        total = self._totals.get(label, SMOOTHING * len(self.keys))
        if counts is None:
            return len(found) * math.log(SMOOTHING / total)
        return sum(math.log((counts[i] + SMOOTHING) / total) for i in found)

    def judge(self, text: str) -> tuple[float, str | None]:
        """How much likelier urgent than ordinary the text is (log-odds), and the likeliest
        kind; (0, None) for a model that learnt nothing or a text with too few telling
        words."""
        kinds = [k for k in KINDS if k in self.counts]
        if "ordinary" not in self.counts or not kinds:
            return 0.0, None
        # A piece never seen in any example says nothing either way; counted, it would
        # tip every unknown word (gibberish, names) towards the smaller class. Each piece
        # counts once, however many words hold it.
        by_word = [self._found(word) for word in fold(text).split()]
        found = sorted(set().union(*by_word))
        if not found:
            return 0.0, None
        telling = self.telling
        if sum(1 for at in by_word if any(telling[i] for i in at)) < STRONG_WORDS:
            return 0.0, None  # too few words hold a telling piece
        by_kind = {
            k: math.log(self.sizes.get(k, 0) / self._urgent_examples)
            + self._log_likelihood(k, found)
            for k in kinds
        }
        kind = max(by_kind, key=by_kind.__getitem__)
        odds = self._log_likelihood("urgent", found) - self._log_likelihood("ordinary", found)
        return odds, kind

    # ---- kept as bytes beside the index: a JSON head, then the arrays -----------------------

    def to_bytes(self) -> bytes:
        classes = list(self.counts)
        head = json.dumps(
            {"format": FORMAT, "sizes": self.sizes, "classes": classes, "n": len(self.keys)}
        ).encode()
        arrays = [self.keys, *(self.counts[c] for c in classes)]
        if sys.byteorder != "little":
            arrays = [array(a.typecode, a) for a in arrays]
            for a in arrays:
                a.byteswap()
        body = b"".join(a.tobytes() for a in arrays)
        return MAGIC + len(head).to_bytes(4, "little") + head + body + self.telling

    @classmethod
    def from_bytes(cls, data: bytes) -> UrgentModel:
        if not data.startswith(MAGIC):
            raise ValueError("not an urgent model")
        at = len(MAGIC) + 4
        size = int.from_bytes(data[len(MAGIC) : at], "little")
        head = json.loads(data[at : at + size])
        if head.get("format") != FORMAT:
            raise ValueError("another format")
        n = int(head["n"])
        at += size
        keys = array("Q", data[at : at + 8 * n])
        at += 8 * n
        counts = {}
        for c in head["classes"]:
            counts[str(c)] = array("I", data[at : at + 4 * n])
            at += 4 * n
        if sys.byteorder != "little":
            for a in (keys, *counts.values()):
                a.byteswap()
        telling = data[at:]
        if len(keys) != n or len(telling) != n:
            raise ValueError("a short file")
        return cls(keys, counts, {str(c): int(v) for c, v in head["sizes"].items()}, telling)


def piece_hash(piece: str) -> int:
    """64 bits of a piece (BLAKE2b: two pieces never share their counts in practice)."""
    return int.from_bytes(hashlib.blake2b(piece.encode(), digest_size=8).digest(), "little")


def model_for(
    rulebook: Rulebook,
    content_dir: Path,
    path: Path,
    prepare: Callable[[str], str] = fold,
) -> UrgentModel:
    """The model of this content: from the data folder when learnt before, else learnt
    now (and kept). A damaged or unreadable cache is learnt again, never trusted.

    ``prepare`` is what the kiosk does to a question before the model judges it (its
    everyday idioms taken out): the examples are learnt the same way, so "gonna destroy
    him on fifa tonight" is learnt as the "gonna tonight" the model will be shown."""
    return kept(
        path,
        UrgentModel.from_bytes,
        lambda: made_once(
            "urgent", rulebook.fingerprint, lambda: _learn(rulebook, content_dir, prepare)
        ),
        UrgentModel.to_bytes,
    )


def _learn(rulebook: Rulebook, content_dir: Path, prepare: Callable[[str], str]) -> UrgentModel:
    examples, _problems = load_examples(content_dir)
    ordinary = [
        prepare(q)
        for article in rulebook.articles.values()
        for tr in article.translations.values()
        for q in tr.questions
    ]
    return UrgentModel.learn((replace(e, q=prepare(e.q)) for e in examples), ordinary)


__all__ = ["CHECK_IN", "THRESHOLD", "UrgentModel", "model_for"]
