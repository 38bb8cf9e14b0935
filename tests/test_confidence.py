"""How sure an answer is: the rules of kiosk.assistant.confidence on made-up signals."""

from __future__ import annotations

from kiosk.assistant import confidence
from kiosk.assistant.confidence import ANSWERED, CLARIFY, NO_MATCH
from kiosk.search.engine import Match, SearchResult


def decide(result, **kwargs):
    """The hand rules (used without a learnt model): what most tests here are about."""
    return confidence.decide(result, learnt=False, **kwargs)


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


def test_off_topic_question_keeps_only_an_answer_of_two_words_and_no_guessed_spelling():
    # "weather" named: only an answer covering most of the question stands.
    strong = result(match("a", 40, 0.9, "x", "y"))
    one_word = result(match("a", 40, 1.0, "x"), slots=("x",))
    guessed = result(match("a", 40, 0.9, "x", "y", fixed=True))
    for plain in (strong, one_word, guessed):
        assert decide(plain).status == ANSWERED
    assert decide(strong, off_topic=True).status == ANSWERED
    assert decide(one_word, off_topic=True).status == NO_MATCH
    assert decide(guessed, off_topic=True).status == NO_MATCH


def test_asking_which_offers_every_nearly_as_good_article_up_to_three():
    # The third covers less of the question, but scores as well: it may be the one meant.
    decision = decide(
        result(
            match("a", 50, 0.75, "x", "y"),
            match("b", 48, 0.75, "x", "y"),
            match("c", 45, 0.5, "z"),
            match("d", 44, 0.5, "z"),
            match("e", 20, 0.5, "z"),
        )
    )
    assert decision.status == CLARIFY
    assert [m.article for m in decision.matches] == ["a", "b", "c"]


def test_a_near_tie_that_covers_more_of_the_question_is_offered_first():
    decision = decide(
        result(
            match("remand", 14.6, 0.36, "sitt", "varetekt"),
            match("limit", 13.5, 0.55, "maks", "handling", "varetekt"),
            match("work", 5.7, 0.36, "sitt", "varetekt"),
            slots=("maks", "belop", "handling", "sitt", "varetekt"),
        )
    )
    assert decision.status == CLARIFY
    assert [m.article for m in decision.matches] == ["limit", "remand"]


def test_two_shared_words_and_a_clear_lead_are_offered_as_a_guess():
    two_words = decide(
        result(match("a", 14.7, 0.44, "x", "y", fixed=True), match("b", 10.6, 0.5, "z", "w"))
    )
    tied = decide(
        result(match("a", 1.9, 0.43, "x", "y", fixed=True), match("b", 1.85, 0.4, "z", "w"))
    )
    assert two_words.status == CLARIFY and [m.article for m in two_words.matches] == ["a"]
    assert tied.status == NO_MATCH


def test_the_learnt_decision_answers_a_sure_match_and_says_no_to_a_stray_word():
    sure = result(match("a", 60, 1.0, "x", "y"), match("b", 10, 0.5, "x"), slots=("x", "y"))
    stray = result(match("a", 2.0, 0.2, "x"), match("b", 1.9, 0.2, "x"), slots=("x", "y", "z"))
    assert confidence._model() is not None  # shipped with the code
    assert confidence.decide(sure).status == ANSWERED
    assert confidence.decide(stray).status == NO_MATCH


def test_without_a_sound_learnt_model_the_hand_rules_decide(tmp_path, monkeypatch):
    broken = tmp_path / "decision_model.json"
    broken.write_text('{"features": ["coverage"], "mean": [0]}', encoding="utf-8")
    monkeypatch.setattr(confidence, "MODEL_FILE", broken)
    confidence._model.cache_clear()
    try:
        assert confidence._model() is None
        partial = result(match("a", 9.0, 0.4), match("b", 2.0, 0.4))
        assert confidence.decide(partial) == decide(partial)
    finally:
        confidence._model.cache_clear()
