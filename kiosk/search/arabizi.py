"""Arabic typed in Latin letters ("Arabizi"): "kam al ratib bel yom" is "كم الراتب باليوم".

People who speak Arabic often type it with Latin letters and digits for the sounds Latin
has no letter for (3 = ع, 7 = ح, 2 = ء, 5 = خ, 9 = ق). Short vowels are not written in
Arabic, so one Latin word has many possible Arabic spellings; the rulebook's own Arabic
words decide which one was meant: every spelling is built letter by letter and kept only
while some Arabic word of the rulebook starts that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Two or three Latin letters for one Arabic letter, tried before single letters.
_DIGRAPHS = {
    "sh": ("ش",),
    "ch": ("ش",),
    "kh": ("خ",),
    "gh": ("غ",),
    "th": ("ث", "ت"),
    "dh": ("ذ", "ض", "د"),
    "aa": ("ا",),
    "ee": ("ي",),
    "ii": ("ي",),
    "ei": ("ي",),
    "ai": ("ي", "اي"),
    "ay": ("اي", "ي"),
    "oo": ("و",),
    "ou": ("و",),
    "uu": ("و",),
}
_CONSONANTS = {
    "b": ("ب",),
    "p": ("ب",),
    "t": ("ت", "ط"),
    "j": ("ج",),
    "g": ("ج", "ق", "غ"),
    "h": ("ه", "ح"),
    "d": ("د", "ض"),
    "r": ("ر",),
    "z": ("ز", "ظ"),
    "s": ("س", "ص"),
    "f": ("ف",),
    "v": ("ف",),
    "q": ("ق",),
    "k": ("ك", "ق"),
    "c": ("ك", "س"),
    "l": ("ل",),
    "m": ("م",),
    "n": ("ن",),
    "w": ("و",),
    "y": ("ي",),
    "x": ("كس",),
    "2": ("ء", "ا", "ق"),
    "3": ("ع",),
    "5": ("خ",),
    "6": ("ط",),
    "7": ("ح",),
    "8": ("غ", "ق"),
    "9": ("ق", "ص"),
}
# Vowels: a long vowel is a letter, a short one is not written.
_VOWEL_LETTER = {"a": "ا", "e": "ي", "i": "ي", "o": "و", "u": "و"}

_LATIN_WORD = re.compile(r"[a-z0-9]+")
_DIGIT_SOUND = re.compile(r"[a-z][2-9]|[2-9][a-z]")
# Arabic words people type in Latin letters that the kiosk's other languages do not use
# (not "men", "min", "fi", "al", "bil", "kam": Norwegian, Romanian, Lithuanian words).
_MARKERS = frozenset(
    re.findall(
        r"\S+",
        """
ana enta enti inta inti ehna e7na shu sho shou ezay izay kif keef kifash kifach lesh leish
wein fein feen emta imta addesh adesh adeish 2adesh kadesh chhal ch7al bdi baddi bidi
3ayez 3awez 3ayz bghit momken mumkin mmkn ya3ni yalla wallah inshallah msh mish mafi ma3
3ala 3an hada hadi hayda hadha halla2 hala2 bukra bokra
""",
    )
)
# "the", "in the", "for the", "and" ... typed as words of their own: left out (Arabic
# joins them to the next word, and the search drops them anyway).
_SMALL = frozenset(re.findall(r"\S+", "el il al l bel bil fel fil lel wel fi fe f b w wa ya"))
# The same joined to the word in Latin letters too ("l3a2ila", "belyom").
_JOINED = (
    ("bel", "بال"),
    ("bil", "بال"),
    ("fel", "في ال"),
    ("fil", "في ال"),
    ("lel", "لل"),
    ("wel", "وال"),
    ("l", "ال"),
    ("b", "ب"),
)
MAX_SPELLINGS = 400
"""Arabic spellings kept per Latin word while building them."""


def looks_like_arabizi(question: str, ui_lang: str) -> bool:
    """Whether a question in Latin letters is likely Arabic: the kiosk shows Arabic, or
    it has a digit for a sound ("a7jez", "3ayez") or two Arabizi words ("kif", "bdi")."""
    if any("\u0600" <= ch <= "\u06ff" for ch in question):
        return False
    text = question.casefold()
    words = _LATIN_WORD.findall(text)
    if not words:
        return False
    if ui_lang == "ar" or any(_DIGIT_SOUND.search(w) for w in words):
        return True
    return sum(w in _MARKERS for w in words) >= 2


def spellings(word: str, has_prefix: Callable[[str], bool]) -> list[str]:
    """Arabic spellings of one Latin ``word`` that some rulebook word starts with, most
    letters kept first. ``has_prefix(arabic)`` says whether a rulebook word starts so."""
    units = _units(word)
    found: list[str] = [""]
    for i, unit in enumerate(units):
        last = i == len(units) - 1
        options = _options(unit, first=i == 0, last=last)
        grown: list[str] = []
        for stem in found:
            for option in options:
                candidate = stem + option
                if candidate in grown:
                    continue
                if candidate and not has_prefix(candidate):
                    continue
                grown.append(candidate)
        found = grown[:MAX_SPELLINGS]
        if not found:
            return []
    return sorted((f for f in found if f), key=len, reverse=True)


def _units(word: str) -> list[str]:
    units: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _DIGRAPHS:
            units.append(pair)
            i += 2
        elif i + 1 < len(word) and word[i] == word[i + 1] and word[i] in _CONSONANTS:
            units.append(word[i])  # a doubled consonant is one letter with a shadda
            i += 2
        else:
            units.append(word[i])
            i += 1
    return units


def _options(unit: str, first: bool, last: bool) -> tuple[str, ...]:
    if unit in _DIGRAPHS:
        return _DIGRAPHS[unit]
    if unit in _CONSONANTS:
        return _CONSONANTS[unit]
    letter = _VOWEL_LETTER.get(unit)
    if letter is None:
        return ("",)
    if first:
        return ("ا", "ع") if unit in "ae" else ("ا", letter, "ع")
    if last:
        # "zyara" is زيارة, "ghorfe" غرفة, "kbiri" كبيري, "a5o" اخو.
        return ("ه", "ا", "") if unit in "ae" else (letter, "")
    return ("", letter)


def transliterate(
    question: str,
    has_prefix: Callable[[str], bool],
    known: Callable[[str], bool],
    frequency: Callable[[str], int],
) -> str | None:
    """``question`` in Arabic letters, word by word, or None when no word is found.

    A word becomes the rulebook's most common Arabic word it could be spelt as (with or
    without "ال"); a word that is none stays out.
    """
    out: list[str] = []
    for word in _LATIN_WORD.findall(question.casefold()):
        if word in _SMALL or word.isdigit():
            continue
        best = _best(word, has_prefix, known, frequency)
        if best is None:
            for latin, arabic in _JOINED:
                rest = word[len(latin) :]
                if word.startswith(latin) and len(rest) >= 3:
                    base = _best(rest, has_prefix, known, frequency)
                    if base is not None:
                        best = base if base.startswith("ال") else arabic + base
                        break
        if best is not None:
            out.append(best)
    return " ".join(out) or None


def _best(
    word: str,
    has_prefix: Callable[[str], bool],
    known: Callable[[str], bool],
    frequency: Callable[[str], int],
) -> str | None:
    if len(word) < 2:
        return None
    candidates: list[str] = []
    for spelling in spellings(word, has_prefix):
        if known(spelling):
            candidates.append(spelling)
    for spelling in spellings(word, lambda p: has_prefix("ال" + p)):
        if known("ال" + spelling):
            candidates.append("ال" + spelling)
    if not candidates:
        return None
    # Short Latin words match many short Arabic words: keep only close lengths.
    return max(candidates, key=lambda c: (frequency(c), -abs(len(c) - len(word) * 0.7), c))
