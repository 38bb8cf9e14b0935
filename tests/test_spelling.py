"""Spelling correction: which rulebook word a misspelt word is taken for."""

from __future__ import annotations

import pytest

from kiosk.text import typo_cost


def test_likely_typos_cost_less_than_other_edits():
    assert typo_cost("celle", "celle") == 0
    assert typo_cost("selle", "celle") < typo_cost("selle", "selve")  # sounds the same
    assert typo_cost("stoped", "stopped") < typo_cost("stoped", "stored")  # doubled letter
    assert typo_cost("vistis", "visits") < typo_cost("vistis", "vista")  # two letters swapped
    assert typo_cost("سورة", "صورة") == 0.5  # Arabic letters that sound alike
    assert typo_cost("سورة", "نورة") == 1
    assert typo_cost("abd", "xyq") == 3


@pytest.mark.parametrize(
    ("lang", "typed", "meant"),
    [
        ("nb", "selle", "celle"),
        ("en", "stoped", "stopped"),
        ("nb", "sjuskoterska", "sjukskoterska"),  # a word only the synonyms file has
    ],
)
def test_misspelt_words_are_read_as_the_likely_rulebook_word(assistant, lang, typed, meant):
    assert assistant.engine.correct(typed, lang) == meant


def test_a_far_synonym_word_is_not_taken_for_a_typo(assistant):
    # "poteri" (from "Harry Potter") is two plain edits from "moteris" (a synonym's word).
    assert assistant.engine.correct("poteri", "lt") is None


def test_a_misspelt_question_word_does_not_count_against_the_question(assistant):
    reply = assistant.ask("wen do we get paid", "en", None)
    assert reply.status == "answered" and reply.answers[0].id == "work.pay"
    # Later in a question, an unknown word near a small word is the point of it.
    assert assistant.ask("kan jeg ha hund på cella", "nb", None).status == "no_match"


@pytest.mark.parametrize(
    ("question", "pulled_to"),
    [("wen can i cal my mom", "daily.hygiene"), ("wat time can i call my mom", "daily.routine")],
)
def test_a_misspelt_question_word_is_no_word_of_an_article(assistant, question, pulled_to):
    # Two staff phrasings kept a person's typo ("wen is the shower open", "wat time is lock
    # up"), which made "wen" and "wat" words of those articles: showers came first for a
    # phone call. The search already reads a misspelt first question word as one.
    reply = assistant.ask(question, "en", None)
    if reply.status == "answered":  # the answer, and the buttons under it
        shown = [reply.answers[0].id] + [i for i, _ in reply.see_also]
    else:  # the choices, or the pages to try
        shown = [a.id for a in (*reply.answers, *reply.nearest)]
    assert shown[0] == "phone.calls"
    assert pulled_to not in shown


def test_a_synonym_of_a_corrected_word_counts_as_a_guess(assistant):
    # "hamster" is taken for "haster" (urgent), whose synonyms ("akutt") the emergency
    # article uses: that match rests on a guess, and says so.
    result = assistant.engine.search("kan jeg ha hamster på rommet", unit="high", ui_lang="nb")
    emergency = next(m for m in result.matches if m.article == "healthcare.emergency")
    assert emergency.via_correction
    # Shown, if at all, is the correction, never one of its synonyms ("akutt"): with the
    # phrasing similarity the room article ranks first and nothing needs correcting.
    assert result.suggestion in (None, "kan jeg ha haster på rommet")


def test_a_rare_misspelling_the_rulebook_has_also_stands_for_the_common_word(assistant):
    # "vistis" is in one article (a misspelt question staff added); "visits" in many.
    reply = assistant.ask("vistis times weekend", "en", None)
    assert reply.answers[0].id == "visits.booking"
