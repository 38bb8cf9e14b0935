"""How sure an answer is: the rules of kiosk.assistant.confidence on made-up signals."""

from __future__ import annotations

from kiosk.assistant.confidence import ANSWERED, CLARIFY, NO_MATCH, answers_well, decide
from kiosk.search.engine import Match, SearchResult


def result(*matches: Match, slots=("depresj", "radz", "sob")) -> SearchResult:
    return SearchResult("q", "pl", True, {"pl": slots}, (), matches)


def match(article: str, score: float, coverage: float, *words: str, fixed=False) -> Match:
    return Match(article, "pl", score, coverage, words or ("depresj",), fixed)


def test_a_full_match_far_ahead_is_answered():
    decision = decide(result(match("a", 40, 1.0, "x", "y"), match("b", 10, 0.5, "x")))
    assert decision.status == ANSWERED and decision.matches[0].article == "a"


def test_two_close_full_matches_ask_which():
    decision = decide(result(match("a", 40, 1.0, "x", "y"), match("b", 36, 1.0, "x", "y")))
    assert decision.status == CLARIFY and [m.article for m in decision.matches] == ["a", "b"]


def test_a_partial_match_far_ahead_is_offered_alone_as_a_question():
    decision = decide(result(match("a", 9.0, 0.4), match("b", 2.0, 0.4)))
    assert decision.status == CLARIFY and [m.article for m in decision.matches] == ["a"]


def test_a_partial_match_with_a_close_runner_up_is_no_match():
    assert decide(result(match("a", 9.0, 0.4), match("b", 5.0, 0.4))).status == NO_MATCH


def test_a_partial_match_found_only_by_guessing_a_spelling_is_no_match():
    decision = decide(result(match("a", 9.0, 0.4, fixed=True), match("b", 1.0, 0.2)))
    assert decision.status == NO_MATCH


def test_very_little_of_the_question_matched_is_no_match_even_alone():
    assert decide(result(match("a", 9.0, 0.2))).status == NO_MATCH


def test_answers_well_needs_two_words_and_no_guessed_spelling():
    strong = decide(result(match("a", 40, 0.9, "x", "y")))
    one_word = decide(result(match("a", 40, 1.0, "x"), slots=("x",)))
    guessed = decide(result(match("a", 40, 0.9, "x", "y", fixed=True)))
    assert answers_well(strong)
    assert not answers_well(one_word) and not answers_well(guessed)
