"""Deciding how sure an answer is: answered, clarify or no_match.

The decision uses several signals from the engine, not one raw score: the share of the
question's content words the best article matches (coverage), how far ahead of the next
article it is, and whether the question has words the rulebook never uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.search.engine import Match, SearchResult

ANSWERED = "answered"
CLARIFY = "clarify"
NO_MATCH = "no_match"

MIN_COVERAGE = 0.5
"""Below this share of content words matched, the best article is a guess: no_match."""
CLOSE_RATIO = 0.8
"""A runner-up scoring at least this share of the best is a real alternative: clarify."""
MAX_CANDIDATES = 5
DOMINANCE = 3.0
"""A partly matched article scoring this many times the next one is offered as a guess."""
MIN_PARTIAL_COVERAGE = 0.35
MIN_PARTIAL_WORDS = 1
"""...but only when it covers at least this share, and this many words, of the question."""
SHARED_WORDS_COVERAGE = 0.4
SHARED_WORDS_LEAD = 1.3
"""A partly matched article that has two or more of the question's words, 40% of it, and
scores 1.3 times the next one, is offered as a guess too: with two words in common the
lead need not be as large ("i have an exsam next month but im getting moved")."""
CHOICES = 3
"""At most this many articles offered when asking which one a person means."""
STRONG_COVERAGE = 0.75
"""An answer covering this share of the question's words (two or more of them) stands even
when the question also names something the kiosk does not cover."""


@dataclass(frozen=True)
class Decision:
    status: str
    matches: tuple[Match, ...]


def decide(result: SearchResult) -> Decision:
    """The status of a search result and the matches worth showing, best first."""
    matches = result.matches
    if not matches:
        return Decision(NO_MATCH, ())
    top = matches[0]
    slots = result.slots.get(top.lang, ())
    if not slots:
        return Decision(NO_MATCH, ())
    # Too little of the question matched; and a long question where only one word matched
    # is not understood, whatever the share.
    if top.coverage < MIN_COVERAGE or (len(top.matched) == 1 and len(slots) >= 3):
        # Scores nearly tied, and the runner-up covers enough of the question: that one
        # is what was asked ("maks beløp for handling ... varetekt": the spending limit,
        # not the remand article that only shares "sitter i varetekt"). Ask which.
        fuller = next((m for m in matches[1:MAX_CANDIDATES] if _understood(m, top, slots)), None)
        if fuller is not None:
            rest = [m for m in matches[:MAX_CANDIDATES] if m is not fuller]
            return Decision(CLARIFY, (fuller, *_near(rest, top)[: CHOICES - 1]))
        if _far_ahead(matches):
            # One article is still far ahead of all others ("mam depresje i nie radze
            # sobie"): offer it as a question, "Do you mean this?", never as the answer.
            return Decision(CLARIFY, (top,))
        return Decision(NO_MATCH, ())
    worth = tuple(
        m for m in matches[:MAX_CANDIDATES] if m.score >= 0.3 * top.score and m.coverage > 0
    )
    close = [
        m for m in worth[1:] if m.score >= CLOSE_RATIO * top.score and m.coverage >= top.coverage
    ]
    if close:
        # Asking which: offer every article that scored nearly as well, up to CHOICES,
        # even one that covers a little less of the question (its rare word may be the
        # point: "jak sie zapisac do pielengniarki" is the nurse, not any sign-up).
        return Decision(CLARIFY, (top, *_near(worth[1:], top))[:CHOICES])
    return Decision(ANSWERED, worth)


def _near(matches, top: Match) -> tuple[Match, ...]:
    """The matches scoring nearly as well as ``top``, in order."""
    return tuple(m for m in matches if m.score >= CLOSE_RATIO * top.score and m.coverage > 0)


def _understood(match: Match, top: Match, slots: tuple[str, ...]) -> bool:
    """Whether ``match``, scoring close to ``top``, covers enough of the question to answer."""
    return (
        match.score >= CLOSE_RATIO * top.score
        and match.coverage >= MIN_COVERAGE
        and len(match.matched) >= 2
        and not (len(match.matched) == 1 and len(slots) >= 3)
        and not match.via_correction
    )


def _far_ahead(matches: tuple[Match, ...]) -> bool:
    top = matches[0]
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if top.coverage >= SHARED_WORDS_COVERAGE and len(top.matched) >= 2:
        return top.score >= SHARED_WORDS_LEAD * runner_up
    return bool(
        DOMINANCE
        and top.coverage >= MIN_PARTIAL_COVERAGE
        and len(top.matched) >= MIN_PARTIAL_WORDS
        and top.score >= DOMINANCE * runner_up
        and not top.via_correction
    )


def answers_well(decision: Decision) -> bool:
    """Whether the best answer covers most of the question, not just one word of it."""
    if decision.status == NO_MATCH or not decision.matches:
        return False
    top = decision.matches[0]
    # Guessed spellings do not count: "dowcip" (joke) is not "dowie" (learns).
    return top.coverage >= STRONG_COVERAGE and len(top.matched) >= 2 and not top.via_correction
