"""What an index holds: its schema, the files beside Whoosh's, and analysis done once per word.

An index lives in ``<data_dir>/index/<key>/``, where the key is the content's fingerprint
plus the analysis and schema versions, so two contents never share an index and a code
change that alters analysis rebuilds it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from itertools import chain, pairwise
from pathlib import Path

from whoosh.analysis import Token
from whoosh.codec.whoosh3 import (
    W3Codec,
)
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Frequency
from whoosh.system import pack_uint

from kiosk import LANGUAGES
from kiosk.content.model import Rulebook
from kiosk.search.analysis import (
    ANALYSIS_VERSION,
    NormalizingTokenizer,
    normalize,
    stemmed_analyzer,
)
from kiosk.text import hash64
from kiosk.wordlists import STOPWORDS

SCHEMA_VERSION = "7"
"""3: term frequencies without positions (nothing searches phrases); 4: plain words in
VOCABULARY_FILE, not a field; each document's word pairs stored; 5: common words of each
language beside the index (common_words.py); 6: as hashes; 7: they ship with the code."""
TEXT_FIELDS = ("title", "questions", "keywords", "summary", "body", "parts")
"""Searched fields of each language; "parts" holds the parts of compound words."""
SYNONYMS_FILE = "synonyms.json"
VOCABULARY_FILE = "vocabulary.json"
"""Per language: every plain (unstemmed, folded) word and how many documents have it."""
TERMS_FILE = "terms.hashes"
"""A sorted 64-bit hash of every term of the index: "not there" without a disk lookup."""
DOCUMENTS_FILE = "documents.json"
"""Each document's key and a digest of its text: what an update compares."""
SIDE_FILES = (SYNONYMS_FILE, TERMS_FILE, DOCUMENTS_FILE, VOCABULARY_FILE)
"""Written beside Whoosh's files by a build."""
KEEP_INDEXES = 6
"""How many built indexes to keep (other contents, the previous version for rollback)."""
PARALLEL_MIN_DOCUMENTS = 600
"""From this many documents a full build uses a second process (on 2+ cores)."""
MAX_SEGMENTS = 6
"""An index updated this often (one segment per update) is rebuilt in full instead."""
MAX_CHANGED_SHARE = 0.2
"""More than this share of documents changed: a full build is faster than an update."""


def codec() -> W3Codec:
    """Whoosh's codec without zlib on each block of postings: a quarter faster to write
    and to read, the index a tenth bigger."""
    return W3Codec(compression=0)


@functools.cache
def field_name(kind: str, lang: str) -> str:
    """The field of ``kind`` for ``lang`` (one string object each: keys of many caches)."""
    return f"{kind}_{lang}"


class TermCounts(Frequency):
    """Whoosh's Frequency format for values that come already analysed (lists of terms).

    Same postings, weights, field lengths and file format; it counts a list of terms at
    once instead of walking a Token object per word. A text value is analysed as usual.
    """

    def word_values(self, value, analyzer, **kwargs):
        if isinstance(value, str):
            return super().word_values(value, analyzer, **kwargs)
        fb = self.field_boost
        return ((w, f, f * fb, pack_uint(f)) for w, f in Counter(value).items())


def _text_field(analyzer, spelling: bool = False) -> TEXT:
    field = TEXT(analyzer=analyzer, phrase=False, spelling=spelling)
    field.format = TermCounts(field_boost=field.format.field_boost)
    return field


def make_schema() -> Schema:
    fields = {
        "key": ID(stored=True, unique=True),
        "article": ID(stored=True),
        "lang": ID(stored=True),
        "topic": ID(stored=True),
        "units": KEYWORD(stored=True),
    }
    for lang in LANGUAGES:
        analyzer = stemmed_analyzer(lang)
        for kind in TEXT_FIELDS:
            fields[field_name(kind, lang)] = _text_field(analyzer)
    # The unstemmed, folded words of each language (typo matching, suggestions, language
    # guessing) are not a Whoosh field: only which words there are and in how many
    # documents is asked, so they are counted into VOCABULARY_FILE (a field cost a third
    # of the build).
    fields["pairs"] = STORED()
    return Schema(**fields)


@functools.cache
def analysis_signature() -> str:
    """Changes whenever analysis does (version, stopword lists), so indexes are rebuilt."""
    digest = hashlib.sha256(f"{ANALYSIS_VERSION}/{SCHEMA_VERSION}".encode())
    for lang in sorted(STOPWORDS):
        digest.update(f"{lang}:{' '.join(sorted(STOPWORDS[lang]))}".encode())
    return digest.hexdigest()[:8]


def index_key(rulebook: Rulebook) -> str:
    return f"{rulebook.fingerprint}-{analysis_signature()}"


# ---- analysis, once per word -------------------------------------------------------------

_ARABIC = re.compile("[\u0600-\u06ff]")


class Analysed:
    """The terms ``analyzer`` gives for a text, with each word's terms computed once.

    Whoosh runs every token of every text through the analyzer's filters; the filters of
    kiosk.search.analysis act on each token alone (lowercase, stopwords, stemming,
    folding), so a word always gives the same terms and a build needs them once per
    distinct word. tests/test_incremental.py checks the result equals the analyzer's on
    every text of the sample content.
    """

    def __init__(self, analyzer) -> None:
        items = list(getattr(analyzer, "items", [analyzer]))
        self._tokenizer = items[0]
        self._filters = items[1:]
        self._memo: dict[str, tuple[str, ...]] = {}
        tok = self._tokenizer
        self._fast = (
            type(tok) is NormalizingTokenizer and not tok.gaps and tok.expression.groups == 0
        )

    def _words(self, text: str) -> list[str]:
        tok = self._tokenizer
        if not self._fast:
            return [t.text for t in tok(text, mode="index")]
        # normalize() looks for Arabic letters one by one; a regex does it at C speed.
        nfkc = unicodedata.normalize("NFKC", text)
        if _ARABIC.search(nfkc):
            nfkc = normalize(text, tok.endings)
        return tok.expression.findall(nfkc)

    def _chain(self, word: str) -> tuple[str, ...]:
        token = Token(positions=False, chars=False, removestops=True, mode="index")
        token.text = word
        stream = iter((token,))
        for f in self._filters:
            stream = f(stream)
        return tuple(t.text for t in stream)

    def __call__(self, text: str) -> list[str]:
        words = self._words(text)
        memo = self._memo
        try:
            return list(chain.from_iterable(map(memo.__getitem__, words)))
        except KeyError:  # words not seen yet: analyse them, then the same again
            for word in words:
                if word not in memo:
                    memo[word] = self._chain(word)
            return list(chain.from_iterable(map(memo.__getitem__, words)))


def word_pairs(analysed: Analysed, lines) -> str:
    """Neighbouring stems of each line ("a b" pairs, tab-separated), sorted: what the
    engine's phrase bonus compares with a question (Engine._article_pairs)."""
    found = set()
    for line in lines:
        stems = analysed(line)
        found.update(f"{a} {b}" for a, b in pairwise(stems))
    return "\t".join(sorted(found))


def read_pairs(text: str) -> frozenset[tuple[str, str]]:
    return frozenset(tuple(p.split(" ", 1)) for p in text.split("\t")) if text else frozenset()


def term_hash(field: str, btext: bytes) -> int:
    """64 bits of a term's field and UTF-8 text."""
    return hash64(field.encode() + b"\x00" + btext)


def hashes_bytes(hashes: set[int]) -> bytes:
    """``hashes`` sorted, as little-endian 64-bit numbers: a file ``read_hashes`` reads."""
    table = array("Q", sorted(hashes))
    if sys.byteorder != "little":
        table.byteswap()
    return table.tobytes()


def write_hashes(path: Path, hashes: set[int]) -> None:
    (path / TERMS_FILE).write_bytes(hashes_bytes(hashes))


def contains(table: array, value: int) -> bool:
    """Whether the sorted ``table`` has ``value``."""
    i = bisect_left(table, value)
    return i < len(table) and table[i] == value


def read_hashes(data: bytes) -> array:
    table = array("Q")
    table.frombytes(data)
    if sys.byteorder != "little":
        table.byteswap()
    return table


def write_vocabulary(path: Path, vocabulary: dict[str, Counter]) -> None:
    data = {lang: dict(sorted(counts.items())) for lang, counts in sorted(vocabulary.items())}
    (path / VOCABULARY_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def read_vocabulary(path: Path) -> dict[str, dict[str, int]]:
    return json.loads((path / VOCABULARY_FILE).read_text(encoding="utf-8"))
