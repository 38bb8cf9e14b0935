"""The common words of each language, from word-frequency data (wordfreq), not hand lists.

A word the rulebook never uses but that is common in the language ("prisoners", "soap",
"smoke") is not evidence that a question is off topic, and is no typo of a rulebook
word: "can i smoke" is not "can i spoke". wordfreq (Robyn Speer's word frequencies from
Wikipedia, subtitles, news, books and the web, kept on PyPI since 2013) covers all six
of the kiosk's languages.

The lists are made when an index is built and kept beside it (COMMON_WORDS_FILE): the
running kiosk reads one small JSON file, not wordfreq's data, and a kiosk without
wordfreq installed still answers (with no common words).
"""

from __future__ import annotations

import json
import logging
from array import array
from bisect import bisect_left
from pathlib import Path

from kiosk.search.analysis import words
from kiosk.search.schema import term_hash

log = logging.getLogger(__name__)

COMMON_WORDS_FILE = "common_words.json"
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
    data = make_common_words(languages)
    (folder / COMMON_WORDS_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


class CommonWords:
    """The common words kept beside an index, held as sorted 64-bit hashes: 1 MB for six
    languages where sets of the words took 20 MB of a kiosk's memory. Empty when the index
    has none (an older index): then no word is common."""

    def __init__(self, folder: Path) -> None:
        self._hashes: dict[str, array] = {}
        try:
            data = json.loads((folder / COMMON_WORDS_FILE).read_text(encoding="utf-8"))
            for lang, ws in data.items():
                if isinstance(ws, list):
                    self._hashes[lang] = array(
                        "Q", sorted({term_hash(lang, w.encode()) for w in ws})
                    )
        except (OSError, ValueError, AttributeError):
            pass

    def __call__(self, word: str, lang: str) -> bool:
        table = self._hashes.get(lang)
        if not table:
            return False
        h = term_hash(lang, word.encode())
        i = bisect_left(table, h)
        return i < len(table) and table[i] == h
