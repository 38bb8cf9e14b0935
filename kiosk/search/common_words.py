"""The common words of each language, from word-frequency data (wordfreq), not hand lists.

A word the rulebook never uses but that is common in the language ("prisoners", "soap",
"smoke") is not evidence that a question is off topic, and is no typo of a rulebook
word: "can i smoke" is not "can i spoke". wordfreq (Robyn Speer's word frequencies from
Wikipedia, subtitles, news, books and the web, kept on PyPI since 2013) covers all six
of the kiosk's languages.

The lists ship with the code as sorted 64-bit hashes of the folded words, one small file
per language in kiosk/search/common_words/ (200 KB each): the kiosk needs no wordfreq and
builds no list at run time. They are made with

    python -m kiosk.search.common_words     # needs wordfreq (pip install -e '.[test]')

and tests/test_common_words.py checks that they are what wordfreq and today's folding
give. A language without a file has no common words; nothing else changes.
"""

from __future__ import annotations

import contextlib
import functools
from array import array
from pathlib import Path

from kiosk.search.analysis import words
from kiosk.search.schema import contains, hashes_bytes, read_hashes, term_hash

COMMON_DIR = Path(__file__).with_name("common_words")
"""<lang>.hashes for each language."""
TOP_WORDS = 25_000
"""Words per language: down to Zipf frequency about 3 (once per million words), below which
most words are names, rare inflections and typos."""
WORDFREQ_CODES = {"nb": "nb", "en": "en", "pl": "pl", "lt": "lt", "ro": "ro", "ar": "ar",
                  "sv": "sv", "da": "da"}  # fmt: skip
"""The kiosk's six languages, and Swedish and Danish: people write them at the Norwegian
kiosk, and their words are real words too ("krama", a hug, is no typo of "krampa",
cramps). The search asks only in a question's own language; ``anywhere`` and ``foreign``
ask all."""
NEIGHBOURS = {"nb": ("nb", "sv", "da")}
"""Languages read as one: a Swedish word is no foreign word on the Norwegian kiosk."""


def make_common_words(languages) -> dict[str, list[str]]:
    """Each language's TOP_WORDS most common words, folded as the search folds them."""
    import wordfreq

    found: dict[str, list[str]] = {}
    for lang in languages:
        code = WORDFREQ_CODES.get(lang)
        if code is None:
            continue
        top = wordfreq.top_n_list(code, TOP_WORDS)
        found[lang] = sorted({w for word in top for w in words(word)})
    return found


def hash_table(lang: str, found: list[str]) -> bytes:
    """The file's bytes: sorted 64-bit hashes of ``found`` (schema.read_hashes reads them)."""
    return hashes_bytes({term_hash(lang, w.encode()) for w in found})


def write_common_words(folder: Path = COMMON_DIR) -> None:
    folder.mkdir(exist_ok=True)
    for lang, found in make_common_words(WORDFREQ_CODES).items():
        (folder / f"{lang}.hashes").write_bytes(hash_table(lang, found))


class CommonWords:
    """The common words, as sorted 64-bit hashes (1 MB for six languages; sets of the
    words took 20 MB). No file for a language: no word of it is common."""

    def __init__(self, folder: Path = COMMON_DIR) -> None:
        self._folder = folder
        self._hashes: dict[str, array] = {}

    def _table(self, lang: str) -> array:
        table = self._hashes.get(lang)
        if table is None:
            table = array("Q")
            with contextlib.suppress(OSError):
                table = read_hashes((self._folder / f"{lang}.hashes").read_bytes())
            self._hashes[lang] = table
        return table

    def __call__(self, word: str, lang: str) -> bool:
        table = self._table(lang)
        return bool(table) and contains(table, term_hash(lang, word.encode()))

    def foreign(self, word: str, lang: str, here: str) -> bool:
        """Whether ``word`` (folded) is a common word of the kiosk's language ``here`` and
        not of ``lang`` (Norwegian, Swedish and Danish count as one: people write all three
        at the Norwegian kiosk): on a Norwegian kiosk, "lesing" is reading, whatever
        Romanian words start so. A word that is not the kiosk's language's is nobody's
        ("detergent" stays Romanian too)."""
        own = NEIGHBOURS.get(lang, (lang,))
        place = NEIGHBOURS.get(here, (here,))
        if own == place or not any(self(word, code) for code in place):
            return False
        return not any(self(word, code) for code in own)

    def anywhere(self, word: str) -> bool:
        """Whether ``word`` (folded) is a common word of any language with a list: a real
        word, in whichever language a person wrote."""
        return any(self(word, lang) for lang in WORDFREQ_CODES)


@functools.cache
def common_words() -> CommonWords:
    """The process's one set of lists (each language read when first asked)."""
    return CommonWords()


if __name__ == "__main__":
    write_common_words()
    print(f"written: {', '.join(sorted(p.name for p in COMMON_DIR.glob('*.hashes')))}")
