"""Deciding how sure an answer is: answered, clarify or no_match.

The decision uses several signals from the engine, not one raw score: the share of the
question's content words the best article matches (coverage), how far ahead of the next
article it is, and whether the question has words the rulebook never uses.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import ANSWERED, CLARIFY, NO_MATCH
from kiosk.search.params import DEFAULT, RankingParams

if TYPE_CHECKING:
    from kiosk.search.engine import Match, SearchResult


@dataclass(frozen=True)
class Decision:
    status: str
    matches: tuple[Match, ...]


def decide(
    result: SearchResult,
    p: RankingParams = DEFAULT,
    off_topic: bool = False,
    off_topic_terms: frozenset[str] = frozenset(),
    learnt: bool = True,
) -> Decision:
    """The status of a search result and the matches worth showing, best first.

    The one place that decides whether a question is answered. ``off_topic``: the
    question names something the kiosk knows it does not cover (weather, football), and
    then only an answer that covers most of the question, and not through the words that
    name that subject (``off_topic_terms``, analysed), stands. ``learnt`` false: the hand
    rules only, as when there is no learnt model.
    """
    # A question naming an off-topic subject keeps the hand rules below (the learnt model
    # never saw one: it learns from the others).
    model = None if off_topic or not learnt else _model(result.meaning is not None)
    decision = _decide(result, p) if model is None else _learned(result, p, model)
    if off_topic and not (decision.status == ANSWERED and _answers_well(decision, p)):
        return Decision(NO_MATCH, ())
    if off_topic and off_topic_terms & set(decision.matches[0].matched):
        # "kan jeg ha hund på cella": the room-search article has "hund" (a drug dog) and
        # "celle", but a question naming a pet is about the pet.
        return Decision(NO_MATCH, ())
    return decision


# ---- the learnt decision ------------------------------------------------------------------

MODEL_FILE = Path(__file__).with_name("decision_model.json")
"""Made by benchmarks/train_decision.py from the question sets in tests/eval/ (never from
real_holdout.yaml), questions naming an off-topic subject left out: two logistic models
over FEATURES, one for "the first article is right", one for "a right article is among
the first three"; and, under "meaning", the same two over FEATURES and MEANING_FEATURES,
for a result the meaning signal re-ranked (kiosk.search.meaning)."""
FEATURES = (
    "coverage",
    "log_score",
    "runner_up_ratio",
    "runner_up_coverage",
    "matched",
    "slots",
    "unknown",
    "via_correction",
    "lang_sure",
    "coverage_x_matched",
    "matched_share",
    "similarity",
    "runner_up_similarity",
)


MEANING_FEATURES = ("meaning", "meaning_lead", "meaning_best_above", "meaning_best_is_first")
"""kiosk.search.meaning.reranked's signals, after FEATURES when there is a meaning."""


def decision_features(result: SearchResult) -> list[float]:
    """What the learnt decision looks at, in FEATURES order (then MEANING_FEATURES, when
    the meaning re-ranked the result): the search's signals only (a question naming an
    off-topic subject is judged by decide's own rules afterwards)."""
    m = result.matches
    top = m[0]
    second = m[1] if len(m) > 1 else None
    slots = len(result.slots.get(top.lang, ()))
    matched = len(top.matched)
    return [
        top.coverage,
        math.log1p(top.score),
        second.score / top.score if second and top.score else 0.0,
        second.coverage if second else 0.0,
        float(matched),
        float(slots),
        float(len(result.unknown)),
        float(top.via_correction),
        float(result.lang_sure),
        top.coverage * matched,
        min(matched, 4) / max(slots, 1),
        top.similarity,
        second.similarity if second else 0.0,
        *(result.meaning or ()),
    ]


@dataclass(frozen=True)
class _Model:
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    first: tuple[float, ...]  # weights, then the bias
    top3: tuple[float, ...]

    def odds(self, features: list[float]) -> tuple[float, float]:
        z = [(x - m) / s for x, m, s in zip(features, self.mean, self.scale, strict=True)]

        def p(w: tuple[float, ...]) -> float:
            t = sum(a * b for a, b in zip(z, w[:-1], strict=True)) + w[-1]
            return 1 / (1 + math.exp(-max(-30.0, min(30.0, t))))

        return p(self.first), p(self.top3)


@functools.cache
def _model(meaning: bool = False) -> _Model | None:
    """The learnt decision (for a result the meaning re-ranked, with ``meaning``), or None
    (no file, or one for other features): the hand rules."""
    try:
        data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
        features = FEATURES
        if meaning:
            data = data["meaning"]
            features = FEATURES + MEANING_FEATURES
        if tuple(data["features"]) != features:
            return None
        n = len(features)
        model = _Model(
            *(tuple(float(v) for v in data[k]) for k in ("mean", "scale", "first", "top3"))
        )
        if not (
            len(model.mean) == len(model.scale) == n
            and len(model.first) == len(model.top3) == n + 1
        ):
            return None
        return model
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _settled(result: SearchResult, p: RankingParams) -> Decision | None:
    """The decision when there is nothing to weigh: no match, the question is one of the
    first article's own phrasings, or it has no content word in its own language (when
    that is sure) or in the first article's."""
    matches = result.matches
    if not matches:
        return Decision(NO_MATCH, ())
    top = matches[0]
    if top.exact:
        return Decision(ANSWERED, (top, *_near(matches[1 : p.max_candidates], top, p)))
    # "my wife", surely English, has nothing of its own language to go on (who asks, no
    # subject): another language's reading of its words ("wif", wifi) is no answer.
    if not result.slots.get(result.lang if result.lang_sure else top.lang):
        return Decision(NO_MATCH, ())
    return None


def _answer(matches: tuple[Match, ...], p: RankingParams) -> Decision:
    """The first article as the answer, with those worth showing beside it; or, when
    another scored nearly as well and covers as much of the question, which one?"""
    top = matches[0]
    worth = tuple(
        m
        for m in matches[: p.max_candidates]
        if m.score >= p.worth_share * top.score and m.coverage > 0
    )
    close = [
        m for m in worth[1:] if m.score >= p.close_ratio * top.score and m.coverage >= top.coverage
    ]
    if close:
        # Asking which: offer every article that scored nearly as well, up to CHOICES,
        # even one that covers a little less of the question (its rare word may be the
        # point: "jak sie zapisac do pielengniarki" is the nurse, not any sign-up).
        return Decision(CLARIFY, (top, *_near(worth[1:], top, p))[: p.choices])
    return Decision(ANSWERED, worth)


def _learned(result: SearchResult, p: RankingParams, model: _Model) -> Decision:
    settled = _settled(result, p)
    if settled is not None:
        return settled
    matches = result.matches
    first, top3 = model.odds(decision_features(result))
    if first >= p.learned_answer:
        return _answer(matches, p)
    if top3 >= p.learned_choices:  # plausible candidates: the best few as choices
        return Decision(CLARIFY, tuple(m for m in matches[: p.choices] if m.coverage > 0))
    return Decision(NO_MATCH, ())


# ---- the hand rules (used when there is no learnt decision) ---------------------------------


def _decide(result: SearchResult, p: RankingParams) -> Decision:
    settled = _settled(result, p)
    if settled is not None:
        return settled
    matches = result.matches
    top = matches[0]
    slots = result.slots[top.lang]
    # Too little of the question matched; and a long question where only one word matched
    # is not understood, whatever the share.
    if top.coverage < p.min_coverage or (
        len(top.matched) == 1 and len(slots) >= p.long_question_slots
    ):
        # Scores nearly tied, and the runner-up covers enough of the question: that one
        # is what was asked ("maks beløp for handling ... varetekt": the spending limit,
        # not the remand article that only shares "sitter i varetekt"). Ask which.
        fuller = next(
            (m for m in matches[1 : p.max_candidates] if _understood(m, top, slots, p)), None
        )
        if fuller is not None:
            rest = [m for m in matches[: p.max_candidates] if m is not fuller]
            return Decision(CLARIFY, (fuller, *_near(rest, top, p)[: p.choices - 1]))
        # Two words the rulebook never uses ("did liverpool win last night"): the words
        # it shares with an article ("last night") are not what it is about.
        strange = len(result.unknown) > p.choices_max_unknown
        if _far_ahead(matches, p, strange):
            # One article is still far ahead of all others ("mam depresje i nie radze
            # sobie"): offer it as a question, "Do you mean this?", never as the answer.
            return Decision(CLARIFY, (top,))
        # Plausible candidates, none sure: the best few as choices, not "I don't know".
        choices = () if strange else _plausible(matches, p)
        return Decision(CLARIFY, choices) if choices else Decision(NO_MATCH, ())
    return _answer(matches, p)


def _plausible(matches: tuple[Match, ...], p: RankingParams) -> tuple[Match, ...]:
    """The best two or three matches when the best covers enough of the question to be a
    fair guess (and not only through a guessed spelling), else nothing."""
    top = matches[0]
    if top.via_correction:
        return ()
    if top.coverage < p.choices_min_coverage or len(top.matched) < p.choices_min_words:
        return ()
    return tuple(
        m
        for m in matches[: p.choices]
        if m.coverage >= p.choices_min_coverage and m.score >= p.choices_score_share * top.score
    )


def _near(matches, top: Match, p: RankingParams) -> tuple[Match, ...]:
    """The matches scoring nearly as well as ``top``, in order."""
    return tuple(m for m in matches if m.score >= p.close_ratio * top.score and m.coverage > 0)


def _understood(match: Match, top: Match, slots: tuple[str, ...], p: RankingParams) -> bool:
    """Whether ``match``, scoring close to ``top``, covers enough of the question to answer."""
    return (
        match.score >= p.close_ratio * top.score
        and match.coverage >= p.min_coverage
        and len(match.matched) >= 2
        and not (len(match.matched) == 1 and len(slots) >= p.long_question_slots)
        and not match.via_correction
    )


def _far_ahead(matches: tuple[Match, ...], p: RankingParams, strange: bool = False) -> bool:
    top = matches[0]
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if top.coverage >= p.shared_words_coverage and len(top.matched) >= 2 and not strange:
        return top.score >= p.shared_words_lead * runner_up
    return bool(
        p.dominance
        and top.coverage >= p.min_partial_coverage
        and len(top.matched) >= p.min_partial_words
        and top.score >= p.dominance * runner_up
        and not top.via_correction
    )


def _answers_well(decision: Decision, p: RankingParams) -> bool:
    """Whether the best answer covers most of the question, not just one word of it."""
    if decision.status == NO_MATCH or not decision.matches:
        return False
    top = decision.matches[0]
    # Guessed spellings do not count: "dowcip" (joke) is not "dowie" (learns).
    return top.coverage >= p.strong_coverage and len(top.matched) >= 2 and not top.via_correction
