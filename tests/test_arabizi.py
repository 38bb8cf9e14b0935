"""Arabic typed in Latin letters and digits ("kif a7jez zyara") is read as Arabic."""

from __future__ import annotations

import pytest

from kiosk.search.arabizi import looks_like_arabizi, transliterate

VOCABULARY = {"زياره": 5, "احجز": 2, "الراتب": 4, "راتب": 3, "شغل": 6, "يوم": 9, "السجن": 7}


def _transliterate(question: str) -> str | None:
    return transliterate(
        question,
        has_prefix=lambda p: any(w.startswith(p) for w in VOCABULARY),
        known=VOCABULARY.__contains__,
        frequency=lambda w: VOCABULARY.get(w, 0),
    )


def test_latin_words_become_the_rulebooks_arabic_words():
    assert _transliterate("a7jez zyara") == "احجز زياره"
    assert _transliterate("el ratib 7ag el shughl bel yom") == "الراتب شغل يوم"  # the commoner form
    assert _transliterate("kont fel segn") == "السجن"  # "in the prison"
    assert _transliterate("football tomorrow") is None  # no Arabic word of the rulebook


@pytest.mark.parametrize(
    ("question", "ui", "expected"),
    [
        ("kif a7jez zyara", "en", True),  # a digit for a sound
        ("kifach ndir chikaya bdi", "nb", True),  # two Arabic words in Latin letters
        ("men min sønn vil besøke meg", "nb", False),  # Norwegian: "but my son"
        ("can my son visit", "en", False),
        ("can my son visit", "ar", True),  # typed on an Arabic kiosk: worth a try
        ("كيف احجز زيارة", "ar", False),  # already Arabic letters
    ],
)
def test_what_looks_like_arabic_in_latin_letters(question, ui, expected):
    assert looks_like_arabizi(question, ui) is expected


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("kam al ratib 7ag al shughl bel yom", "work.pay"),
        ("el shehada hatkoon maktoob feha eny kont fel segn?", "education.exams"),
        ("addesh btkallef el d2i2a bel telefon", "phone.calls"),
    ],
)
@pytest.mark.slow
def test_arabizi_questions_find_their_article(assistant, question, article):
    reply = assistant.ask(question, "ar", None)
    assert reply.status != "no_match" and reply.answers[0].id == article
    assert reply.answers[0].lang == "ar"


def test_latin_gibberish_on_an_arabic_kiosk_is_still_no_match(assistant):
    for question in ("xkcd zzzz 12345", "asdfgh qwerty", "chkoun rbe7 lmatch lbare7"):
        assert assistant.ask(question, "ar", None).status == "no_match", question
