"""Every use of Whoosh's private attributes, in one place: fast scoring and segment moves.

``FastSearcher`` computes Whoosh's BM25F over the postings of an index directly, and
``adopt_segments`` and ``segment_count`` reach into an index's table of contents. They
depend on whoosh-reloaded 2.7.5's codec (W3Codec) and TOC: tests/test_whoosh_internals.py
compares ``FastSearcher`` with Whoosh's own ``Searcher.search``, so that an upgrade that
changes them fails loudly.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import shutil
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable
from math import log
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3LeafMatcher,
    W3TermsReader,
    _lenfield,
)
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from kiosk.search.schema import (
    TERMS_FILE,
    TermCounts,
    contains,
    read_hashes,
    read_pairs,
    read_vocabulary,
    term_hash,
)


class Hit:
    """One scored document: what Whoosh's ``Hit`` offers the engine (fields, score, terms)."""

    __slots__ = ("_fields", "docnum", "matched", "score")

    def __init__(self, docnum: int, score: float, matched: list, fields: dict) -> None:
        self.docnum = docnum
        self.score = score
        self.matched = matched
        self._fields = fields

    def __getitem__(self, name: str):
        return self._fields[name]

    def get(self, name: str, default=None):
        return self._fields.get(name, default)

    def matched_terms(self) -> list[tuple[str, str]]:
        return self.matched


_LENGTHS = [byte_to_length(b) for b in range(256)]
MEMO_ENTRIES = 12_000
_NO_POSTINGS = (array("I"), array("d"))
"""Term lookups remembered by a searcher before it starts again (a few MB at most)."""


class _ListCursor:
    """A field cursor (``text``, ``find``) over a sorted list of terms."""

    def __init__(self, words: list[str]) -> None:
        self._words = words
        self._i = 0

    def text(self) -> str | None:
        return self._words[self._i] if self._i < len(self._words) else None

    def find(self, term: str) -> None:
        self._i = bisect_left(self._words, term)


class FastSearcher:
    """BM25F over an index's postings for an OR of weighted terms, with a unit filter.

    Gives what ``searcher.search(Or([Term(f, t, boost=b), ...]), filter=Term("units", u),
    limit=n, terms=True)`` gives with Whoosh's BM25F (same statistics, same formula,
    same order: score, then document number), without Whoosh's matcher tree, which costs
    hundreds of milliseconds a question on a national rulebook. Each term's postings are
    read once, turned into per-document partial scores and kept (up to ``max_postings``
    in all, least recently used dropped first).
    """

    def __init__(
        self, reader, weighting, index_path: Path | None = None, max_postings: int = 250_000
    ) -> None:
        self._reader = reader
        # Hashes of every term: most lookups are of terms that are not there (a question
        # is tried in every language), and each costs a hash-table search on disk.
        self._hashes: array | None = None
        if index_path is not None:
            with contextlib.suppress(OSError):
                self._hashes = read_hashes((Path(index_path) / TERMS_FILE).read_bytes())
        self._hashed = {
            name for name, field in reader.schema.items() if isinstance(field.format, TermCounts)
        }
        self._leaves = list(reader.leaf_readers())
        self._doccount = reader.doc_count_all()
        self._B = weighting.B
        self._K1 = weighting.K1
        self._field_B = dict(getattr(weighting, "_field_B", {}))
        self._max_postings = max_postings
        self._cache: OrderedDict[tuple[str, str], tuple[array, array]] = OrderedDict()
        self._cached_postings = 0
        self._lengths: dict[str, array] = {}
        self._units: dict[str, frozenset[int]] = {}
        self._stored: dict[int, dict] = {}
        self._where: dict[tuple[str, str], tuple] = {}  # term -> segments with it
        self._fields: dict[str, tuple[int, ...]] = {}
        self._field_totals: dict[str, int] = {}
        self._vocabularies: dict[str, list[str]] = {}
        self._extra_words: dict[str, Callable[[], Iterable[str]]] = {}
        self._automata: OrderedDict[tuple[str, int], object] = OrderedDict()
        self._index_path = Path(index_path) if index_path is not None else None
        self._vocabulary: dict[str, dict[str, int]] | None = None
        self._pairs: dict[tuple[str, str], str | frozenset] = {}  # of the last search's hits

    # the vocabulary: lookups remembered (a question asks the same few hundred)

    def _leaves_with(self, field: str, text: str) -> tuple:
        """(segment number, term info) of each segment that has the term."""
        key = (field, text)
        where = self._where.get(key)
        if where is None:
            if len(self._where) > MEMO_ENTRIES:
                self._where.clear()
            found = []
            hashes = self._hashes
            # The hashes of every term: most lookups are of terms that are not there.
            unhashed = hashes is None or field not in self._hashed
            if not unhashed and not contains(hashes, term_hash(field, text.encode())):
                self._where[key] = ()
                return ()
            for i in self._field_leaves(field):
                with contextlib.suppress(TermNotFound):
                    found.append((i, self._leaves[i][0].term_info(field, text)))
            where = self._where[key] = tuple(found)
        return where

    def _field_leaves(self, field: str) -> tuple[int, ...]:
        """The segments with any term in ``field`` (one language group's, after a build)."""
        found = self._fields.get(field)
        if found is None:
            found = self._fields[field] = tuple(
                i
                for i, (leaf, _base) in enumerate(self._leaves)
                if field in leaf.indexed_field_names()
            )
        return found

    def _plain(self, field: str) -> dict[str, int] | None:
        """The word counts of a "plain_<lang>" field (VOCABULARY_FILE), else None."""
        if not field.startswith("plain_"):
            return None
        if self._vocabulary is None:
            self._vocabulary = {}
            if self._index_path is not None:
                with contextlib.suppress(OSError, ValueError):
                    self._vocabulary = read_vocabulary(self._index_path)
        return self._vocabulary.get(field[len("plain_") :], {})

    def has(self, field: str, text: str) -> bool:
        """Whether ``text`` is a term of ``field`` (as ``(field, text) in reader``); for a
        "plain_<lang>" field, whether a document of that language has the word."""
        plain = self._plain(field)
        if plain is not None:
            return text in plain
        return bool(self._leaves_with(field, text))

    def doc_frequency(self, field: str, text: str) -> int:
        """How many documents have the term (deleted ones too, as Whoosh counts)."""
        plain = self._plain(field)
        if plain is not None:
            return plain.get(text, 0)
        return sum(info.doc_frequency() for _i, info in self._leaves_with(field, text))

    def stored_pairs(self, article: str, lang: str) -> frozenset[tuple[str, str]] | None:
        """The word pairs stored at build time for a hit of the last search, or None."""
        pairs = self._pairs.get((article, lang))
        if isinstance(pairs, str):
            pairs = self._pairs[(article, lang)] = read_pairs(pairs)
        return pairs

    def _field_total(self, field: str) -> int:
        total = self._field_totals.get(field)
        if total is None:
            total = self._field_totals[field] = self._reader.field_length(field)
        return total

    def add_spelling_words(self, field: str, words: Callable[[], Iterable[str]]) -> None:
        """Words ``terms_within`` also finds for ``field``, though no document has them
        (the rulebook's synonyms: "trakaserer" is "trakassere"). ``words`` is called when
        the field's vocabulary is first needed, not before: a question without an unknown
        word never needs it, and working them out costs a tenth of a second a process."""
        self._extra_words[field] = words
        self._vocabularies.pop(field, None)

    def vocabulary(self, field: str) -> list[str]:
        """The field's terms, sorted (and the spelling words added for it)."""
        words = self._vocabularies.get(field)
        if words is None:
            plain = self._plain(field)
            found: set[str] = set(plain or ())
            if plain is None:
                for i in self._field_leaves(field):
                    found.update(self._leaves[i][0].field_terms(field))
            extra = self._extra_words.get(field)
            if extra is not None:
                found.update(extra())
            words = self._vocabularies[field] = sorted(found)
        return words

    def has_prefix(self, field: str, prefix: str) -> bool:
        """Whether a term of ``field`` (or an added spelling word) starts with ``prefix``."""
        words = self.vocabulary(field)
        i = bisect_left(words, prefix)
        return i < len(words) and words[i].startswith(prefix)

    def terms_within(self, field: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        """Terms of ``field`` within ``maxdist`` edits of ``text``, as the reader's
        ``terms_within`` finds them (the same automaton), over the field's terms held in
        memory instead of read from disk step by step (30+ ms a word on a large index)."""
        words = self.vocabulary(field)
        key = (text, maxdist, prefix)
        dfa = self._automata.get(key)
        if dfa is None:
            dfa = self._automata[key] = Automata.levenshtein_dfa(text, maxdist, prefix)
            if len(self._automata) > 16:
                self._automata.popitem(last=False)
        return list(Automata.find_matches(dfa, _ListCursor(words)))

    # field lengths, unit filters, stored fields

    def _field_lengths(self, field: str) -> array:
        lengths = self._lengths.get(field)
        if lengths is None:
            lengths = array("I")
            for leaf, _base in self._leaves:
                lengths.extend(_leaf_lengths(leaf, field))
            self._lengths[field] = lengths
        return lengths

    def _allowed(self, unit: str) -> frozenset[int]:
        """The documents of articles for ``unit`` (deleted ones left out)."""
        docs = self._units.get(unit)
        if docs is None:
            found: set[int] = set()
            for leaf, base in self._leaves:
                try:
                    info = leaf.term_info("units", unit)
                except TermNotFound:
                    continue
                ids, _weights = _leaf_postings(leaf, "units", unit, info)
                deleted = leaf.deleted_docs_set if leaf.has_deletions() else ()
                found.update(base + d for d in ids if d not in deleted)
            docs = self._units[unit] = frozenset(found)
        return docs

    def stored(self, docnum: int) -> dict:
        fields = self._stored.get(docnum)
        if fields is None:
            if len(self._stored) > MEMO_ENTRIES // 6:  # 2,000 documents
                self._stored.clear()
            fields = self._stored[docnum] = self._reader.stored_fields(docnum)
        return fields

    # postings

    def _partials(self, field: str, text: str) -> tuple[array, array]:
        """Document numbers with the term and each one's BM25F score for it (boost 1)."""
        key = (field, text)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        where = self._leaves_with(field, text)
        if not where:  # most terms asked for: remembered by _leaves_with already
            return _NO_POSTINGS
        ids = array("I")
        partials = array("d")
        if where:
            n = self.doc_frequency(field, text)
            idf = log(self._doccount / (n + 1)) + 1
            avgfl = self._field_total(field) / (self._doccount or 1) or 1
            B = self._field_B.get(field, self._B)
            K1 = self._K1
            norm = K1 * (1 - B)
            per_length = K1 * B / avgfl
            lengths = self._field_lengths(field)
            k1p1 = K1 + 1
            for i, info in where:
                leaf, base = self._leaves[i]
                docs, weights = _leaf_postings(leaf, field, text, info)
                if base:
                    docs = [base + d for d in docs]
                ids.extend(docs)
                partials.extend(
                    [
                        idf * (w * k1p1) / (w + norm + per_length * (lengths[d] or 1))
                        for d, w in zip(docs, weights, strict=True)
                    ]
                )
        found = (ids, partials)
        self._cache[key] = found
        self._cached_postings += len(ids)
        while len(self._cache) > 1 and (
            self._cached_postings > self._max_postings or len(self._cache) > MEMO_ENTRIES // 2
        ):
            _, (old, _) = self._cache.popitem(last=False)
            self._cached_postings -= len(old)
        return found

    def search(self, terms, unit: str, limit: int) -> list[Hit]:
        """The best ``limit`` documents for ``unit`` matching any of ``terms``.

        ``terms`` are (field, text, boost) triples or Whoosh ``Term`` queries.
        """
        allowed = self._allowed(unit)
        scores: dict[int, float] = {}
        get = scores.get
        found: list[tuple[tuple[str, str], array]] = []
        for term in terms:
            if isinstance(term, tuple):
                field, text, boost = term
            else:
                field, text, boost = term.fieldname, term.text, term.boost
            ids, partials = self._partials(field, text)
            if not ids:
                continue
            found.append(((field, text), ids))
            for d, p in zip(ids, partials, strict=True):
                scores[d] = get(d, 0.0) + boost * p
        best = heapq.nsmallest(
            limit,
            ((d, score) for d, score in scores.items() if d in allowed),
            key=lambda kv: (-kv[1], kv[0]),
        )
        hits = [
            Hit(d, score, [pair for pair, ids in found if contains(ids, d)], self.stored(d))
            for d, score in best
        ]
        self._pairs = {
            (hit["article"], hit["lang"]): hit["pairs"]
            for hit in hits
            if hit.get("pairs") is not None
        }
        return hits


def _leaf_lengths(leaf, field: str) -> list[int]:
    """Every document's length of ``field`` in one segment, as Whoosh's BM25F sees it."""
    count = leaf.doc_count_all()
    try:
        column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is None:
            return [0] * count
        raw = column._dbfile.get(column._basepos, column._count)
        assert column._fixedlen == 1 and len(raw) == column._count
        return list(map(_LENGTHS.__getitem__, raw)) + [0] * (count - len(raw))
    except (AttributeError, AssertionError):  # another codec: the slow, public way
        return [leaf.doc_field_length(d, field, 0) or 0 for d in range(count)]


def _leaf_postings(leaf, field: str, text: str, info) -> tuple[list[int], list[float]]:
    """Document numbers and weights of a term's postings in one segment (deleted too)."""
    if info.is_inlined():
        ids, weights, _values = info.inlined_postings()
        return list(ids), list(weights) if weights is not None else [1.0] * len(ids)
    terms = getattr(leaf, "_terms", None)
    if isinstance(terms, W3TermsReader):
        offset, length = info.extent()
        m = W3LeafMatcher(terms._postfile, offset, length, leaf.schema[field].format)
    else:
        m = leaf.postings(field, text)
    m = getattr(m, "child", m)  # deleted documents are filtered out by the caller
    if not isinstance(m, W3LeafMatcher):
        items = list(m.items_as("weight")) if hasattr(m, "items_as") else []
        return [d for d, _ in items], [w for _, w in items]
    docs: list[int] = []
    weights: list[float] = []
    while True:
        m._read_ids()
        m._read_weights()
        docs.extend(m._ids)
        weights.extend(m._weights)
        if m._lastblock:
            return docs, weights
        m._goto(m._nextoffset)


def adopt_segments(tmp: Path, part: Path) -> None:
    """Move the segments of the index in ``part`` into the index in ``tmp`` (no merging)."""
    ix = whoosh_index.open_dir(str(tmp))
    own = ix._read_toc()
    ix.close()
    theirs = TOC.read(FileStorage(str(part)), whoosh_index._DEF_INDEX_NAME)
    for segment in theirs.segments:
        prefix = f"{segment.indexname}_{segment.segid}"
        for f in part.iterdir():
            if f.name.startswith(prefix):
                os.rename(f, tmp / f.name)
    storage = FileStorage(str(tmp))
    TOC(own.schema, own.segments + theirs.segments, own.generation + 1).write(
        storage, whoosh_index._DEF_INDEX_NAME
    )
    for toc in tmp.glob(f"_{whoosh_index._DEF_INDEX_NAME}_*.toc"):
        if toc.name != f"_{whoosh_index._DEF_INDEX_NAME}_{own.generation + 1}.toc":
            toc.unlink()
    shutil.rmtree(part, ignore_errors=True)


def segment_count(ix) -> int:
    """How many segments the opened index ``ix`` has."""
    return len(ix._segments())
