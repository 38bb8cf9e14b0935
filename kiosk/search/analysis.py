"""Per-language text analysis for the index and for questions.

Two analyzers per language, built from Whoosh parts:

- the **stemmed** analyzer (normalise, tokenize, lowercase, stopwords, Snowball stem via
  PyStemmer, fold accents) for ranking;
- the **plain** analyzer (normalise, tokenize, lowercase, fold accents; no stopwords, no
  stemming) for the typo field, spelling suggestions and language guessing.

Accents are folded after stemming, so "besøk" and "besok" meet, while the stemmer
still sees the real word when the person typed it correctly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from kiosk import LANGUAGES
from kiosk.text import ARABIC_ENDINGS, fold, normalize
from kiosk.wordlists import STOPWORDS

ANALYSIS_VERSION = "11"
"""Bumped whenever analysis changes, so every index is rebuilt."""

_SNOWBALL = {
    "nb": "norwegian",
    "en": "english",
    "pl": "polish",
    "lt": "lithuanian",
    "ro": "romanian",
    "ar": "arabic",
}

_TOKEN = r"\w+(?:['’]\w+)*"
_APOSTROPHES = re.compile(r"['’]")
_ARABIC_ARTICLE = re.compile(r"^(?:وال|بال|فال|كال|لل|ال)(?=\w{3})")
""""The" (with "and", "with", "so", "like", "for" joined to it) before an Arabic word of three
letters or more. The Snowball stemmer may take an ending off a word with the article and
then keep the article, too short to lose ("السجين", the prisoner, gave "السج"; "سجين"
gave "سجين"): then the word is stemmed again without it."""


_NB_ADJECTIVE = re.compile(r"^(\w{2,}(?:l?ig|leg))(?:e|t|ere|are|ste|est|aste|ast)?$")
"""A Norwegian (and Nynorsk, Swedish) adjective in -ig, -lig or -leg, with its endings. The
Snowball stemmer takes "-lig" and "-ig" off as a suffix, and the word left is often another
word: "farlig" (dangerous) was "far" (father), "billig" (cheap) "bil" (car), "vanlig"
(usual) "van". Such a word is kept whole, its endings off ("farlige", "farligt" and
Nynorsk "farleg" are "farlig" ... "farleg")."""


class NormalizingTokenizer(RegexTokenizer):
    """RegexTokenizer that normalises text first (Arabic marks would split words)."""

    def __init__(self, endings: bool = True) -> None:
        super().__init__(expression=_TOKEN)
        self.endings = endings

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("endings", True)

    def __call__(self, value, **kwargs):  # type: ignore[override]
        return super().__call__(normalize(value, self.endings), **kwargs)


@functools.cache
def folded_stopwords(lang: str) -> frozenset[str]:
    """``lang``'s stopwords without diacritics ("sie" for "się")."""
    return frozenset(fold(w) for w in STOPWORDS.get(lang, ()))


class StopAndNumberFilter(Filter):
    """Drops stopwords (in plain or folded spelling), bare numbers and one-letter words."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.stops = STOPWORDS.get(lang, frozenset()) | folded_stopwords(lang)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StopAndNumberFilter) and other.lang == self.lang

    def __call__(self, tokens):
        stops = self.stops
        arabic = self.lang == "ar"
        for t in tokens:
            text = t.text
            if len(text) < 2 or text.isdigit() or text in stops:
                continue
            if arabic and text[0] in "وف" and text[1:] in stops:
                continue  # "and" / "so" joined to a function word: "ومش", "فشو"
            yield t


class SnowballFilter(Filter):
    """Stems tokens with PyStemmer's Snowball stemmer for the language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._stemmer: Stemmer.Stemmer | None = None

    def __getstate__(self) -> dict:
        return {"lang": self.lang}

    def __setstate__(self, state: dict) -> None:
        self.lang = state["lang"]
        self._stemmer = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SnowballFilter) and other.lang == self.lang

    def __call__(self, tokens):
        if self._stemmer is None:
            self._stemmer = Stemmer.Stemmer(_SNOWBALL[self.lang])
        stem = self._stemmer.stemWord
        article = _ARABIC_ARTICLE if self.lang == "ar" else None
        adjective = _NB_ADJECTIVE if self.lang == "nb" else None
        for t in tokens:
            if adjective is not None and (whole := adjective.match(t.text)):
                t.text = whole.group(1)
                yield t
                continue
            text = stem(_APOSTROPHES.sub("", t.text))
            if article is not None and text.startswith("ال") and article.match(t.text):
                text = stem(article.sub("", t.text))
            t.text = text
            yield t


class FoldFilter(Filter):
    """Removes diacritics from Latin-script tokens; unifies Arabic word endings."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldFilter)

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text).translate(ARABIC_ENDINGS)
            yield t


@functools.cache
def stemmed_analyzer(lang: str):
    """The ranking analyzer for ``lang``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    return (
        NormalizingTokenizer(endings=False)
        | LowercaseFilter()
        | StopAndNumberFilter(lang)
        | SnowballFilter(lang)
        | FoldFilter()
    )


@functools.cache
def plain_analyzer():
    """The typo-field analyzer: words as written, lowercased and folded, no stemming."""
    return NormalizingTokenizer() | LowercaseFilter() | FoldFilter()


def terms(text: str, lang: str) -> list[str]:
    """Stemmed, folded content terms of ``text`` in ``lang``, in order, duplicates kept."""
    return [t.text for t in stemmed_analyzer(lang)(text)]


def words(text: str) -> list[str]:
    """Plain folded words of ``text`` (no stemming, stopwords kept)."""
    return [t.text for t in plain_analyzer()(text)]


COMPOUNDING = frozenset({"nb"})
"""Languages that write compounds as one word ("klageskjema" = "klage" + "skjema")."""


def split_compound(word: str, known: Callable[[str], bool]) -> tuple[str, str] | None:
    """Two ``known`` words that make up ``word``, joined directly or by a linking s/e.

    The most even split wins ("besokstid" -> "besok", "tid"). Parts have 3+ letters.
    """
    if len(word) < 7:
        return None
    best = None
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        heads = [head] + ([head[:-1]] if head.endswith(("s", "e")) and len(head) > 3 else [])
        for h in heads:
            if known(h) and known(tail):
                score = min(len(h), len(tail))
                if best is None or score > best[0]:
                    best = (score, (h, tail))
    return best[1] if best else None


def stem_synonyms(
    synonyms: dict[str, tuple[tuple[str, ...], ...]],
) -> dict[str, list[list[list[str]]]]:
    """Each language's synonym groups with every member as its stemmed terms."""
    return {
        lang: [[terms(member, lang) for member in group] for group in groups]
        for lang, groups in synonyms.items()
        if lang in LANGUAGES
    }
