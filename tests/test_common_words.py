"""Common words of each language (wordfreq): no sign of off topic, never 'corrected'."""

from __future__ import annotations

import pytest

from kiosk.search.common_words import (
    COMMON_DIR,
    WORDFREQ_CODES,
    CommonWords,
    hash_table,
    make_common_words,
)


def test_common_words_of_every_language_are_known_and_made_up_ones_are_not():
    common = CommonWords()
    for lang, word in [("en", "smoke"), ("en", "wifi"), ("nb", "royke"), ("pl", "palic"),
                       ("lt", "rukyti"), ("ro", "fuma"), ("ar", "التدخين")]:  # fmt: skip
        assert common(word, lang), (lang, word)
    assert not common("lawer", "en")  # a typo is no word of the language
    assert not common("smoke", "xx")


@pytest.mark.parametrize(
    "question", ["can i smoke", "is there wifi", "my loved ones", "can i get soap"]
)
def test_a_real_word_is_never_replaced_by_a_rulebook_word(assistant, question):
    assert assistant.ask(question, "en").suggestion is None


def test_a_typo_of_a_real_word_goes_to_the_real_word(assistant):
    reply = assistant.ask("i need a lawer", "en")
    assert reply.intent is None  # a question, not "see you later"
    assert "rights.lawyer" in [a.id for a in reply.answers] or reply.suggestion == "i need a lawyer"


@pytest.mark.slow
def test_the_shipped_lists_are_what_wordfreq_and_todays_folding_give():
    for lang, found in make_common_words(WORDFREQ_CODES).items():
        assert (COMMON_DIR / f"{lang}.hashes").read_bytes() == hash_table(lang, found), lang
