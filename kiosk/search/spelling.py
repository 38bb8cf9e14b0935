"""How likely one spelling is a typo of another: a weighted edit distance.

The index finds every rulebook word within one or two edits of an unknown word; several
are often equally close ("selle": "celle" and "selve"). People mostly write what they
hear and slip on doubled letters and neighbouring keys, so those edits cost less here,
and the cheapest candidate is the likely word ("selle" is "celle", "stoped" is
"stopped", not "stored").
"""

from __future__ import annotations

from functools import lru_cache

_SOUND_ALIKE = (
    # Latin letters, as the kiosk's languages spell the same sound (folded, no accents).
    "cs",
    "ck",
    "kq",
    "sz",
    "cz",
    "xs",
    "iy",
    "ij",
    "jy",
    "uw",
    "vw",
    "fv",
    "ae",
    "ei",
    "ou",
    "uy",
    "dt",
    "bp",
    "gk",
    "gj",
    "mn",
    # Arabic letters people confuse in writing or that dialects pronounce alike.
    "سص",
    "تط",
    "دذ",
    "ذز",
    "زظ",
    "ضظ",
    "ضد",
    "حه",
    "هة",
    "كق",
    "قء",
    "اأ",
    "اإ",
    "اآ",
    "يى",
    "ثس",
)
_CHEAP = {frozenset(pair) for pair in _SOUND_ALIKE}
CHEAP_EDIT = 0.5
"""The cost of a sound-alike letter, a doubled or undoubled letter, or two letters swapped."""


def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    return CHEAP_EDIT if frozenset((a, b)) in _CHEAP else 1.0


@lru_cache(maxsize=4096)
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
