"""Words that name the kiosk's own unit type.

On the open unit, "vaskemaskin her på åpen avdeling?" is a question about laundry: "open"
says where the person is, which the unit filter already knows, and should not pull in the
security-levels article that describes the open unit. On a kiosk of that unit type these
words count for little (RankingParams.unit_word_weight) unless they are all the question has.

Only the open unit is listed. The remand unit has articles of its own (visits on remand),
and there "varetekt" is what tells them from the general ones: down-weighting it lost
two held-out remand questions and gained none.
"""

from __future__ import annotations

import functools

from kiosk.search.analysis import terms
from kiosk.wordlists import OWN_UNIT_WORDS, PRISON_WORDS, RELATIVE_WORDS, UNIT_NOUNS


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


@functools.cache
def filler_terms(lang: str) -> frozenset[str]:
    """The analysed terms of words that say nothing on a prison kiosk ("prisoner",
    "inmate") or only who asks ("my son", "my husband"), in every language's spelling."""
    return _analysed([*PRISON_WORDS.values(), *RELATIVE_WORDS.values()], lang)
