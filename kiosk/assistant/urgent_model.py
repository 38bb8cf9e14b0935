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
answer). The counts are learnt once per content (under a second) and kept in the data
folder as JSON, keyed by the content's fingerprint; nothing is unpickled.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
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
speaks of ("did liverpool win last night") got the urgent box."""
STRONG_WORDS = 2
"""A question must also hold this many words with a piece at least ``STRONG_RATIO`` times
commoner in urgent examples than in ordinary ones: the model learnt ordinary *rulebook*
questions, so a sentence about anything else ("did liverpool win last night") leans to
urgent by default; one telling word ("night") is not enough."""
STRONG_RATIO = 3.0
FORMAT = 1


def pieces(text: str) -> set[str]:
    """The word pieces of a text: every 3 to 5 letters of each folded word, with its edges."""
    return {piece for word in fold(text).split() for piece in letter_pieces(word, PIECES)}


class UrgentModel:
    """Counts of word pieces in urgent examples (per kind) and in ordinary questions."""

    def __init__(self, counts: dict[str, dict[str, int]], sizes: dict[str, int]) -> None:
        self.counts = counts  # class ("ordinary" or a kind) -> piece -> examples with it
        self.sizes = sizes  # class -> number of examples
        self._totals = {c: sum(v.values()) for c, v in counts.items()}
        self._vocabulary = len(set().union(*counts.values())) if counts else 0
        # The urgent examples taken together, against the ordinary ones.
        self._urgent: Counter[str] = Counter()
        for kind in KINDS:
            self._urgent.update(counts.get(kind, {}))
        self._urgent_total = sum(self._urgent.values()) + SMOOTHING * self._vocabulary
        self._urgent_examples = sum(sizes.get(k, 0) for k in KINDS)
        # Pieces that tell: seen in three urgent examples, and STRONG_RATIO times commoner
        # there than in ordinary ones (counts weighed by each side's number of examples).
        ordinary = counts.get("ordinary", {})
        ratio = sizes.get("ordinary", 1) / max(self._urgent_examples, 1)
        self._telling = frozenset(
            p
            for p, n in self._urgent.items()
            if n >= 3 and n * ratio >= STRONG_RATIO * (ordinary.get(p, 0) + 1)
        )

    @classmethod
    def learn(cls, examples: Iterable[Example], ordinary: Iterable[str]) -> UrgentModel:
        counts: dict[str, Counter[str]] = {c: Counter() for c in ("ordinary", *KINDS)}
        sizes: Counter[str] = Counter()
        for example in examples:
            label = example.kind if example.urgent and example.kind else "ordinary"
            counts[label].update(pieces(example.q))
            sizes[label] += 1
        for question in ordinary:
            counts["ordinary"].update(pieces(question))
            sizes["ordinary"] += 1
        return cls({c: dict(v) for c, v in counts.items() if v}, dict(sizes))

    def _log_likelihood(self, label: str, found: set[str]) -> float:
        counts = self.counts.get(label, {})
        total = self._totals.get(label, 0) + SMOOTHING * self._vocabulary
        return sum(math.log((counts.get(p, 0) + SMOOTHING) / total) for p in found)

    def judge(self, text: str) -> tuple[float, str | None]:
        """How much likelier urgent than ordinary the text is (log-odds), and the likeliest
        kind; (0, None) for a model that learnt nothing or a text with too few telling
        words."""
        kinds = [k for k in KINDS if k in self.counts]
        if "ordinary" not in self.counts or not kinds:
            return 0.0, None
        # A piece never seen in any example says nothing either way; counted, it would
        # tip every unknown word (gibberish, names) towards the smaller class.
        found = {p for p in pieces(text) if p in self._urgent or p in self.counts["ordinary"]}
        if not found:
            return 0.0, None
        if self._strong_words(text) < STRONG_WORDS:
            return 0.0, None
        by_kind = {
            k: math.log(self.sizes.get(k, 0) / self._urgent_examples)
            + self._log_likelihood(k, found)
            for k in kinds
        }
        kind = max(by_kind, key=by_kind.__getitem__)
        total = self._urgent_total
        urgent = sum(math.log((self._urgent.get(p, 0) + SMOOTHING) / total) for p in found)
        odds = urgent - self._log_likelihood("ordinary", found)
        return odds, kind

    def _strong_words(self, text: str) -> int:
        """How many of the text's words hold a telling piece."""
        return sum(1 for word in fold(text).split() if pieces(word) & self._telling)

    # ---- kept as JSON beside the index --------------------------------------------------

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "counts": self.counts, "sizes": self.sizes})

    @classmethod
    def from_json(cls, text: str) -> UrgentModel:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError("another format")
        counts = {str(c): {str(p): int(n) for p, n in v.items()} for c, v in data["counts"].items()}
        return cls(counts, {str(c): int(n) for c, n in data["sizes"].items()})


def model_for(rulebook: Rulebook, content_dir: Path, cache_dir: Path) -> UrgentModel:
    """The model of this content: from the data folder when learnt before, else learnt
    now (and kept). A damaged or unreadable cache is learnt again, never trusted."""
    return kept(
        cache_dir / f"{rulebook.fingerprint}.urgent.json",
        lambda data: UrgentModel.from_json(data.decode("utf-8")),
        lambda: made_once("urgent", rulebook.fingerprint, lambda: _learn(rulebook, content_dir)),
        lambda model: model.to_json().encode("utf-8"),
    )


def _learn(rulebook: Rulebook, content_dir: Path) -> UrgentModel:
    examples, _problems = load_examples(content_dir)
    ordinary = [
        q
        for article in rulebook.articles.values()
        for tr in article.translations.values()
        for q in tr.questions
    ]
    return UrgentModel.learn(examples, ordinary)


__all__ = ["THRESHOLD", "UrgentModel", "model_for"]
