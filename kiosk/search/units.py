"""Words that name the kiosk's own unit type.

On the open unit, "vaskemaskin her på åpen avdeling?" is a question about laundry: "open"
says where the person is, which the unit filter already knows, and should not pull in the
security-levels article that describes the open unit. On a kiosk of that unit type these
words count for little (UNIT_WORD_WEIGHT) unless they are all the question has.

Only the open unit is listed. The remand unit has articles of its own (visits on remand),
and there "varetekt" is what tells them from the general ones: down-weighting it lost
two held-out remand questions and gained none.
"""

from __future__ import annotations

import functools

from kiosk.search.analysis import terms

UNIT_WORD_WEIGHT = 0.3

OWN_UNIT_WORDS: dict[str, dict[str, str]] = {
    "open": {
        "nb": "åpen åpne åpent",
        "en": "open",
        "pl": "otwarty otwartym otwartego otwarta otwartej otwartą",
        "lt": "atviras atvira atviro atvirame atvirasis atvirąjį atvirajame atvirajam",
        "ro": "deschis deschisă deschise deschisul",
        "ar": "مفتوح المفتوح مفتوحة المفتوحة",
    },
}


UNIT_NOUNS: dict[str, str] = {
    "nb": "avdeling avdelingen avdelinga",
    "en": "unit wing department section",
    "pl": "oddział oddziale oddziału oddzial",
    "lt": "skyrius skyriuje skyriaus skyrių",
    "ro": "secție secția secţia sectia secții",
    "ar": "قسم القسم",
}
"""Said with an own-unit word ("åpen avdeling", "open unit"), the noun is part of the name."""


def _analysed(texts, lang: str) -> frozenset[str]:
    """The terms of every word of ``texts`` (one per language) as ``lang`` analyses them:
    "åpen avdeling" asked on an English kiosk is read by the English analysis too."""
    return frozenset(t for text in texts for word in text.split() for t in terms(word, lang))


@functools.cache
def own_unit_terms(unit: str, lang: str) -> frozenset[str]:
    """The analysed terms of the words naming ``unit`` (empty for most units)."""
    return _analysed(OWN_UNIT_WORDS.get(unit, {}).values(), lang)


@functools.cache
def unit_noun_terms(lang: str) -> frozenset[str]:
    """The analysed terms of the words for "unit"."""
    return _analysed(UNIT_NOUNS.values(), lang)
