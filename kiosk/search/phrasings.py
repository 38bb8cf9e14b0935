"""How like an article's own phrasings a question is, letter piece by letter piece.

People's words and the rulebook's share letters more often than stems: "prisoners'" and
"prisoner", "więźniowie" and "więźnia", "intagen" and "intagna", a Swedish question and
a Norwegian phrasing. The engine's words either match or they don't; this is the
softer evidence beside them.

Every title, question phrasing and keyword of an article, per language, is cut into
pieces of 3 to 5 letters of its folded words (each word padded with a space, so a
word's start and end are pieces too). A question is compared with each phrasing by the
cosine of their tf-idf weighted pieces, and an article's similarity is the mean of its
best ``BEST_OF`` phrasings (one lucky phrasing is weaker evidence than two). The engine
blends it into the rank of its candidates (``RankingParams.phrasing_weight``).

The tables are plain sorted arrays: a few MB for a large rulebook, built in well under a
second and kept beside the rulebook cache as bytes (no pickle), see ``to_bytes``.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.text import fold_text, hash64, letter_pieces

if TYPE_CHECKING:
    from kiosk.content.model import Rulebook

SIZES = (3, 4, 5)
"""Piece lengths: 3 catches stems of short words, 5 whole short words."""
BEST_OF = 2
"""An article's similarity is the mean of its best two phrasings (tuned: real, holdout3)."""
VERSION = "3"
"""Raised whenever what the file holds changes (2: the exact phrasings; 3: those as
hashes, phrasing numbers in 16 bits where they fit, weights in 16 bits)."""
WEIGHT_SCALE = 65535
"""A piece's weight in a phrasing (0 to 1) is kept as a 16-bit whole number of 1/65535ths:
an error below 1e-5, and 2 bytes a posting instead of 4."""
MAGIC = b"KPHR"


def pieces(text: str, known: dict[str, tuple[int, ...]] | None = None) -> Counter[int]:
    """The hashed 3-5 letter pieces of ``text``'s folded words, with their counts.

    ``known``: each word's pieces, worked out before (a build meets each word many times)."""
    counts: Counter[int] = Counter()
    memo = {} if known is None else known
    for word in fold_text(text).split():
        found = memo.get(word)
        if found is None:
            found = memo[word] = _word_pieces(word)
        counts.update(found)
    return counts


def _word_pieces(word: str) -> tuple[int, ...]:
    return tuple(zlib.crc32(piece.encode("utf-8")) for piece in letter_pieces(word, SIZES))


@dataclass
class _Table:
    """One language: postings of each piece over that language's phrasings."""

    keys: array  # 'I', sorted piece hashes
    idf: array  # 'f', per key
    offsets: array  # 'I', len(keys) + 1: postings of key i are [offsets[i], offsets[i+1])
    docs: array  # 'H' (or 'I' past 65,535 phrasings), phrasing number per posting
    weights: array  # 'H', the phrasing's normalised weight of the piece, x WEIGHT_SCALE
    owner: array  # 'H', article number per phrasing
    max_idf: float

    def similarities(self, question: str, best_of: int) -> dict[int, float]:
        """Article number -> mean cosine of its ``best_of`` closest phrasings."""
        query = pieces(question)
        if not query:
            return {}
        keys, idf, offsets, docs, weights = (
            self.keys,
            self.idf,
            self.offsets,
            self.docs,
            self.weights,
        )
        found: list[tuple[int, float]] = []
        norm = 0.0
        for key, count in query.items():
            i = bisect_left(keys, key)
            tf = 1.0 + math.log(count)
            if i < len(keys) and keys[i] == key:
                w = tf * idf[i]
                found.append((i, w))
            else:
                # A piece no phrasing has makes the question less like all of them.
                w = tf * self.max_idf
            norm += w * w
        if not found or norm <= 0:
            return {}
        scale = 1.0 / (math.sqrt(norm) * WEIGHT_SCALE)
        acc: dict[int, float] = defaultdict(float)
        for i, w in found:
            w *= scale
            for j in range(offsets[i], offsets[i + 1]):
                acc[docs[j]] += w * weights[j]
        best: dict[int, list[float]] = defaultdict(list)
        for doc, s in acc.items():
            best[self.owner[doc]].append(s)
        return {
            article: sum(sorted(sims, reverse=True)[:best_of]) / best_of
            for article, sims in best.items()
        }


class ExactPhrasings:
    """Folded phrasing -> the one article that has it word for word.

    Held as the phrasings' 64-bit hashes, sorted, and each one's article number: the
    sample's 14,000 phrasings take 0.2 MB so, against 3.7 MB as a dict of strings and
    lists. A phrasing that two articles have is left out, as the engine puts an article
    first only for a phrasing that is its own alone."""

    def __init__(self, articles: list[str], hashes: array, owners: array) -> None:
        self.articles = articles
        self.hashes = hashes  # 'Q', sorted, distinct
        self.owners = owners  # 'H', an article number per hash

    @classmethod
    def of(cls, mapping: Mapping[str, Sequence[str]]) -> ExactPhrasings:
        """From folded phrasing -> the articles that have it (``exact_phrasings``)."""
        articles: list[str] = []
        number: dict[str, int] = {}
        found: dict[int, int] = {}
        dropped: set[int] = set()
        for text, owners in mapping.items():
            key = hash64(text.encode("utf-8"))
            if len(owners) != 1 or key in dropped:
                found.pop(key, None)
                dropped.add(key)
                continue
            (owner,) = owners
            if owner not in number:
                number[owner] = len(articles)
                articles.append(owner)
            if found.setdefault(key, number[owner]) != number[owner]:  # two texts, one hash
                del found[key]
                dropped.add(key)
        keys = sorted(found)
        return cls(articles, array("Q", keys), array("H", (found[k] for k in keys)))

    def get(self, text: str, default: list[str] | None = None) -> list[str] | None:
        """``[article]`` if ``text`` (folded) is a phrasing of that article alone."""
        key = hash64(text.encode("utf-8"))
        i = bisect_left(self.hashes, key)
        if i < len(self.hashes) and self.hashes[i] == key:
            return [self.articles[self.owners[i]]]
        return default

    def __getitem__(self, text: str) -> list[str]:
        found = self.get(text)
        if found is None:
            raise KeyError(text)
        return found

    def __len__(self) -> int:
        return len(self.hashes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExactPhrasings):
            return NotImplemented
        mine = [self.articles[o] for o in self.owners]
        theirs = [other.articles[o] for o in other.owners]
        return self.hashes == other.hashes and mine == theirs

    __hash__ = None  # type: ignore[assignment]

    def consistent(self) -> bool:
        """Every lookup stays inside the arrays, and a hash has one place."""
        return (
            len(self.hashes) == len(self.owners)
            and all(a < b for a, b in itertools.pairwise(self.hashes))
            and (not self.owners or max(self.owners) < len(self.articles))
        )


def rulebook_phrasings(rulebook: Rulebook) -> Iterator[tuple[str, str, str]]:
    """(article id, language, text) for every title, question phrasing and keyword."""
    for article in rulebook.articles.values():
        for lang, tr in article.translations.items():
            for text in (tr.title, *tr.questions, *tr.keywords):
                yield article.id, lang, text


def exact_phrasings(rulebook: Rulebook) -> dict[str, list[str]]:
    """Each title and question phrasing, folded, and the articles that have it word for
    word, in any language (the engine puts such an article first)."""
    owners: dict[str, dict[str, None]] = defaultdict(dict)
    for article in rulebook.articles.values():
        for tr in article.translations.values():
            for phrasing in (tr.title, *tr.questions):
                owners[fold_text(phrasing)][article.id] = None
    return {text: list(ids) for text, ids in owners.items()}


class PhrasingIndex:
    """Per language, how like each article's phrasings a question is; and which articles
    have a question word for word (``exact``, folded text -> article ids), worked out
    with the tables and kept with them: folding every phrasing of the sample again would
    cost each new process a tenth of a second."""

    def __init__(
        self,
        articles: list[str],
        tables: dict[str, _Table],
        exact: Mapping[str, Sequence[str]] | ExactPhrasings | None = None,
    ) -> None:
        self.articles = articles
        self._tables = tables
        self.exact = exact if isinstance(exact, ExactPhrasings) else ExactPhrasings.of(exact or {})

    @classmethod
    def for_rulebook(cls, rulebook: Rulebook) -> PhrasingIndex:
        """The tables of every title, question phrasing and keyword, and the exact ones."""
        return cls.build(rulebook_phrasings(rulebook), exact_phrasings(rulebook))

    @classmethod
    def build(
        cls,
        phrasings: Iterable[tuple[str, str, str]],
        exact: Mapping[str, Sequence[str]] | None = None,
    ) -> PhrasingIndex:
        """From (article id, language, phrasing) triples (and the exact phrasings)."""
        articles: list[str] = []
        number: dict[str, int] = {}
        by_lang: dict[str, list[tuple[int, Counter[int]]]] = defaultdict(list)
        known: dict[str, tuple[int, ...]] = {}
        for article, lang, text in phrasings:
            counts = pieces(text, known)
            if not counts:
                continue
            if article not in number:
                number[article] = len(articles)
                articles.append(article)
            by_lang[lang].append((number[article], counts))
        return cls(articles, {lang: _table(rows) for lang, rows in by_lang.items()}, exact)

    def similarities(self, question: str, lang: str, best_of: int = BEST_OF) -> dict[str, float]:
        """Article id -> similarity in [0, 1] of ``question`` to its phrasings in ``lang``."""
        table = self._tables.get(lang)
        if table is None:
            return {}
        sims = table.similarities(question, best_of)
        return {self.articles[a]: s for a, s in sims.items()}

    # ---- kept as bytes ---------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """A header in JSON, then each table's arrays, raw, in this machine's byte order."""
        parts: list[bytes] = []
        header: dict[str, object] = {
            "version": VERSION,
            "byteorder": sys.byteorder,
            "articles": self.articles,
            "exact": {"articles": self.exact.articles, "count": len(self.exact)},
            "tables": {},
        }
        for lang, t in self._tables.items():
            arrays = [t.keys, t.idf, t.offsets, t.docs, t.weights, t.owner]
            header["tables"][lang] = {  # type: ignore[index]
                "codes": "".join(a.typecode for a in arrays),
                "lengths": [len(a) for a in arrays],
                "max_idf": t.max_idf,
            }
            parts.extend(a.tobytes() for a in arrays)
        parts += [self.exact.hashes.tobytes(), self.exact.owners.tobytes()]
        head = json.dumps(header).encode("utf-8")
        return MAGIC + len(head).to_bytes(4, "little") + head + b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> PhrasingIndex:
        """Raises ValueError for anything that is not what ``to_bytes`` wrote here."""
        if data[:4] != MAGIC:
            raise ValueError("not a phrasing index")
        size = int.from_bytes(data[4:8], "little")
        header = json.loads(data[8 : 8 + size].decode("utf-8"))
        if header.get("version") != VERSION or header.get("byteorder") != sys.byteorder:
            raise ValueError("a phrasing index of another version or machine")
        at = 8 + size
        tables = {}
        for lang, info in header["tables"].items():
            codes = info.get("codes")
            if codes not in ("IfIHHH", "IfIIHH"):
                raise ValueError("a phrasing index of unknown arrays")
            arrays = []
            for code, length in zip(codes, info["lengths"], strict=True):
                a = array(code)
                end = at + length * a.itemsize
                if end > len(data):
                    raise ValueError("a phrasing index cut short")
                a.frombytes(data[at:end])
                arrays.append(a)
                at = end
            keys, _, offsets, docs, weights, owner = arrays
            if not _consistent(keys, offsets, docs, weights, owner, len(header["articles"])):
                raise ValueError("a damaged phrasing index")
            tables[lang] = _Table(*arrays, max_idf=float(info["max_idf"]))
        exact = header.get("exact")
        if (
            not isinstance(exact, dict)
            or not isinstance(exact.get("articles"), list)
            or not all(isinstance(a, str) for a in exact["articles"])
            or not isinstance(exact.get("count"), int)
        ):
            raise ValueError("a phrasing index without its exact phrasings")
        arrays = []
        for code in "QH":
            a = array(code)
            end = at + exact["count"] * a.itemsize
            if exact["count"] < 0 or end > len(data):
                raise ValueError("a phrasing index cut short")
            a.frombytes(data[at:end])
            arrays.append(a)
            at = end
        if at != len(data):
            raise ValueError("a phrasing index with bytes left over")
        found = ExactPhrasings(list(exact["articles"]), *arrays)
        if not found.consistent():
            raise ValueError("a damaged phrasing index")
        return cls(list(header["articles"]), tables, found)


def _consistent(keys, offsets, docs, weights, owner, articles: int) -> bool:
    """Every lookup a search makes in these arrays stays inside them."""
    return (
        len(offsets) == len(keys) + 1
        and offsets[0] == 0
        and offsets[-1] == len(docs) == len(weights)
        and all(a <= b for a, b in itertools.pairwise(offsets))
        and all(a < b for a, b in itertools.pairwise(keys))
        and (not docs or max(docs) < len(owner))
        and (not owner or max(owner) < articles)
    )


def _table(rows: list[tuple[int, Counter[int]]]) -> _Table:
    n = len(rows)
    df: Counter[int] = Counter()
    for _, counts in rows:
        df.update(counts.keys())
    # A piece in nearly every phrasing weighs nothing (never less).
    idf = {key: max(0.0, math.log(n / (1 + d))) for key, d in df.items()}
    # Per piece, its phrasings and their weights, as plain lists: arrays are filled from
    # them in one go (a million appends to an array cost half a second).
    docs_of: dict[int, list[int]] = defaultdict(list)
    weights_of: dict[int, list[float]] = defaultdict(list)
    log = math.log
    for doc, (_, counts) in enumerate(rows):
        vec = [(k, idf[k] if c == 1 else (1.0 + log(c)) * idf[k]) for k, c in counts.items()]
        scale = 1.0 / (math.sqrt(sum(w * w for _, w in vec)) or 1.0)
        for key, w in vec:
            if w > 0:
                docs_of[key].append(doc)
                weights_of[key].append(w * scale)
    keys = sorted(df)
    offsets = array("I", [0])
    docs, weights = array("H" if n <= 65535 else "I"), array("H")
    for key in keys:
        if key in docs_of:
            docs.extend(docs_of[key])
            weights.extend([round(w * WEIGHT_SCALE) for w in weights_of[key]])
        offsets.append(len(docs))
    return _Table(
        keys=array("I", keys),
        idf=array("f", (idf[k] for k in keys)),
        offsets=offsets,
        docs=docs,
        weights=weights,
        owner=array("H", (article for article, _ in rows)),
        max_idf=math.log(n) if n > 1 else 1.0,
    )
