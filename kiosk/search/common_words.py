"""The common words of each language, from word-frequency data (wordfreq), not hand lists.

A word the rulebook never uses but that is common in the language ("prisoners", "soap",
"smoke") is not evidence that a question is off topic, and is no typo of a rulebook
word: "can i smoke" is not "can i spoke". wordfreq (Robyn Speer's word frequencies from
Wikipedia, subtitles, news, books and the web, kept on PyPI since 2013) covers all six
of the kiosk's languages.

The lists are made when an index is built and kept beside it (COMMON_WORDS_FILE): the
running kiosk reads one small file per language, not wordfreq's data, and a kiosk without
wordfreq installed still answers (with no common words).
"""

from __future__ import annotations

import contextlib
import logging
import sys
from array import array
from bisect import bisect_left
from pathlib import Path

from kiosk.search.analysis import words
from kiosk.search.schema import term_hash

log = logging.getLogger(__name__)

COMMON_WORDS_FILE = "common_words.hashes"
"""Beside an index, one per language: common_words.hashes.nb, ..."""
TOP_WORDS = 25_000
"""Words per language: down to Zipf frequency about 3 (once per million words), below which
most words are names, rare inflections and typos."""
WORDFREQ_CODES = {"nb": "nb", "en": "en", "pl": "pl", "lt": "lt", "ro": "ro", "ar": "ar"}


def make_common_words(languages) -> dict[str, list[str]]:
    """Each language's TOP_WORDS most common words, folded as the search folds them."""
    try:
        import wordfreq
    except ImportError:  # a kiosk without it: no common words, nothing else changes
        log.warning("wordfreq is not installed: common words are not known")
        return {}
    found: dict[str, list[str]] = {}
    for lang in languages:
        code = WORDFREQ_CODES.get(lang)
        if code is None:
            continue
        try:
            top = wordfreq.top_n_list(code, TOP_WORDS)
        except LookupError:
            continue
        folded = {w for word in top for w in words(word)}
        found[lang] = sorted(folded)
    return found


def write_common_words(folder: Path, languages) -> None:
    """One file of sorted 64-bit word hashes per language (the engine bisects them)."""
    for lang, found in make_common_words(languages).items():
        table = array("Q", sorted({term_hash(lang, w.encode()) for w in found}))
        if sys.byteorder != "little":
            table.byteswap()
        (folder / f"{COMMON_WORDS_FILE}.{lang}").write_bytes(table.tobytes())


class CommonWords:
    """The common words kept beside an index, as sorted 64-bit hashes (1 MB for six
    languages; sets of the words took 20 MB). No file for a language (an older index, or
    no wordfreq when it was built): no word of it is common."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._hashes: dict[str, array] = {}

    def _table(self, lang: str) -> array:
        table = self._hashes.get(lang)
        if table is None:
            table = array("Q")
            with contextlib.suppress(OSError):
                table.frombytes((self._folder / f"{COMMON_WORDS_FILE}.{lang}").read_bytes())
                if sys.byteorder != "little":
                    table.byteswap()
            self._hashes[lang] = table
        return table

    def __call__(self, word: str, lang: str) -> bool:
        table = self._table(lang)
        if not table:
            return False
        h = term_hash(lang, word.encode())
        i = bisect_left(table, h)
        return i < len(table) and table[i] == h
