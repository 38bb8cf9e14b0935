"""One way to fold text: case, accents, Arabic letter forms and marks, and edit distances.

Search (kiosk/search/analysis.py), small talk and the urgent layer (kiosk/assistant/) all
read a person's words through these functions, so "søknad", "soknad" and "SØKNAD" are
one word everywhere, and an Arabic word with or without its vowel marks is one word.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zlib

from kiosk.sanitize import clean_text
from kiosk.wordlists import ARABIC_CLITICS, SOUND_ALIKE

# Arabic: harakat (U+064B-U+0652), superscript alef and tatweel break words in two when
# left in, and writers use them inconsistently; letter variants are unified.
ARABIC_MARKS = dict.fromkeys([*range(0x064B, 0x0653), 0x0670, 0x0640])
ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ی": "ي",
        "ک": "ك",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
ARABIC_LETTERS_KEEP_ENDINGS = {
    k: v for k, v in ARABIC_LETTERS.items() if k not in (ord("ة"), ord("ى"))
}
"""For the Arabic stemmer, which needs ta marbuta and alef maqsura to find an ending."""
ARABIC_ENDINGS = str.maketrans({"ة": "ه", "ى": "ي"})
"""Unified after stemming."""
# Letters that do not decompose under NFKD but that people type without the mark.
_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "æ": "ae", "ł": "l", "đ": "d", "ß": "ss", "œ": "oe", "ı": "i", "ħ": "h"}
)
_NOT_WORD = re.compile(r"[^\w]+")


_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN_MARKS = re.compile("[\u0300-\u036f]")


def has_arabic(text: str) -> bool:
    """Whether ``text`` has letters of the Arabic script."""
    return _ARABIC.search(text) is not None


def normalize(text: str, endings: bool = True) -> str:
    """Text in a form every analyzer starts from (NFKC, Arabic marks and variants unified).

    With ``endings`` false, ta marbuta and alef maqsura stay as written: the Arabic
    stemmer needs them to find a word's ending, and unifies them itself afterwards.
    """
    text = unicodedata.normalize("NFKC", text)
    if has_arabic(text):
        text = text.translate(ARABIC_MARKS).translate(
            ARABIC_LETTERS if endings else ARABIC_LETTERS_KEEP_ENDINGS
        )
    return text


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A lowercase word without diacritics ("søknad" -> "soknad", "się" -> "sie").

    Arabic words are returned as they are (``normalize`` has unified them already)."""
    if word.isascii() or has_arabic(word):
        return word
    word = word.translate(_FOLD_EXTRA)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_text(text: str) -> str:
    """A text's words folded and joined by single spaces: lower case, no accents, no
    punctuation or control characters, Arabic marks and letter variants unified."""
    text = clean_text(text, keep_newlines=False).casefold()
    if not text.isascii():
        text = normalize(text).translate(_FOLD_EXTRA)
        # Latin accents only: other scripts' marks are part of their letters.
        text = unicodedata.normalize(
            "NFC", _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
        )
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


def letter_pieces(word: str, sizes: tuple[int, ...]) -> list[str]:
    """Every run of ``sizes`` letters of a folded ``word`` padded with a space, so its
    start and end are pieces too (a word shorter than a size gives itself, padded)."""
    padded = f" {word} "
    return [padded[i : i + n] for n in sizes for i in range(max(1, len(padded) - n + 1))]


def arabic_forms(word: str, min_rest: int = 3) -> tuple[str, ...]:
    """An Arabic word as written and without a joined "the", "and", "with", "for"
    ("البيتكوين" is also "بيتكوين"), when at least ``min_rest`` letters are left."""
    forms = [word]
    if word and has_arabic(word):
        for prefix in ARABIC_CLITICS:
            if word.startswith(prefix) and len(word) - len(prefix) >= min_rest:
                forms.append(word[len(prefix) :])
    return tuple(forms)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of two letters as one edit, stopping above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


# ---- how likely one spelling is a typo of another --------------------------------------------
#
# The index finds every rulebook word within one or two edits of an unknown word; several
# are often equally close ("selle": "celle" and "selve"). People mostly write what they
# hear and slip on doubled letters and neighbouring keys, so those edits cost less here,
# and the cheapest candidate is the likely word ("selle" is "celle", "stoped" is
# "stopped", not "stored").

_CHEAP = {frozenset(pair) for pair in SOUND_ALIKE}
CHEAP_EDIT = 0.5
"""The cost of a sound-alike letter, a doubled or undoubled letter, or two letters swapped."""


def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    return CHEAP_EDIT if frozenset((a, b)) in _CHEAP else 1.0


@functools.lru_cache(maxsize=4096)
def typo_cost(typed: str, word: str) -> float:
    """The weighted edit distance from ``typed`` to ``word`` (lower: more likely meant)."""
    n, m = len(typed), len(word)
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = d[i - 1][0] + _indel(typed, i - 1)
    for j in range(1, m + 1):
        d[0][j] = d[0][j - 1] + _indel(word, j - 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = min(
                d[i - 1][j] + _indel(typed, i - 1),  # a letter too many
                d[i][j - 1] + _indel(word, j - 1),  # a letter left out
                d[i - 1][j - 1] + _substitution(typed[i - 1], word[j - 1]),
            )
            if (
                i > 1
                and j > 1
                and typed[i - 1] == word[j - 2]
                and typed[i - 2] == word[j - 1]
                and typed[i - 1] != typed[i - 2]
            ):
                best = min(best, d[i - 2][j - 2] + CHEAP_EDIT)  # two letters swapped
            d[i][j] = best
    return d[n][m]


def _indel(text: str, i: int) -> float:
    """Adding or dropping ``text[i]`` costs less when a neighbour is the same letter."""
    ch = text[i]
    doubled = (i > 0 and text[i - 1] == ch) or (i + 1 < len(text) and text[i + 1] == ch)
    return CHEAP_EDIT if doubled else 1.0


def hash64(data: bytes) -> int:
    """64 bits of ``data``: two CRC-32s, fast, and enough for the sorted hash tables (index
    terms, exact phrasings, urgent typo variants)."""
    return (zlib.crc32(data) << 32) | zlib.crc32(data, 0x9E3779B9)
