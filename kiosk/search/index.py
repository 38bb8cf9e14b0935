"""Build, find and open the Whoosh index of a rulebook.

An index lives in ``<data_dir>/index/<key>/``, where the key is the content's fingerprint
plus the analysis and schema versions, so two contents never share an index and a code
change that alters analysis rebuilds it. An index is always built in a fresh temporary
folder and renamed into place when complete: a crash mid-build leaves no half index,
and a reader never sees one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import heapq
import json
import os
import shutil
import tempfile
import time
import zlib
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from math import log
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.util.numeric import byte_to_length

from kiosk import LANGUAGES
from kiosk.content.model import Rulebook
from kiosk.search.analysis import (
    ANALYSIS_VERSION,
    COMPOUNDING,
    plain_analyzer,
    split_compound,
    stem_synonyms,
    stemmed_analyzer,
    words,
)
from kiosk.search.stopwords import STOPWORDS

SCHEMA_VERSION = "2"
TEXT_FIELDS = ("title", "questions", "keywords", "summary", "body", "parts")
"""Searched fields of each language; "parts" holds the parts of compound words."""
SYNONYMS_FILE = "synonyms.json"
KEEP_INDEXES = 6
"""How many built indexes to keep (other contents, the previous version for rollback)."""


def field_name(kind: str, lang: str) -> str:
    return f"{kind}_{lang}"


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
            fields[field_name(kind, lang)] = TEXT(analyzer=analyzer, phrase=True)
        # Unstemmed and folded, with a word graph: typo matching and suggestions.
        # (A stemmed field with spelling=True breaks fuzzy queries in Whoosh.)
        fields[field_name("plain", lang)] = TEXT(
            analyzer=plain_analyzer(), phrase=False, spelling=True
        )
    return Schema(**fields)


@functools.cache
def _analysis_signature() -> str:
    """Changes whenever analysis does (version, stopword lists), so indexes are rebuilt."""
    digest = hashlib.sha256(f"{ANALYSIS_VERSION}/{SCHEMA_VERSION}".encode())
    for lang in sorted(STOPWORDS):
        digest.update(f"{lang}:{' '.join(sorted(STOPWORDS[lang]))}".encode())
    return digest.hexdigest()[:8]


def index_key(rulebook: Rulebook) -> str:
    return f"{rulebook.fingerprint}-{_analysis_signature()}"


@dataclass(frozen=True)
class BuildResult:
    """Where an index is, and how long building it took (0 when it already existed)."""

    path: Path
    seconds: float
    built: bool
    documents: int = 0


def _texts(tr) -> list[str]:
    return [tr.title, *tr.questions, *tr.keywords, tr.summary, tr.body]


def _compound_parts(rulebook: Rulebook) -> dict[str, dict[str, str]]:
    """Per compounding language: compound word -> its two parts, from the rulebook's words."""
    out: dict[str, dict[str, str]] = {}
    for lang in COMPOUNDING:
        vocabulary = {
            w
            for article in rulebook.articles.values()
            if lang in article.translations
            for text in _texts(article.translations[lang])
            for w in words(text)
        }
        parts = {}
        for word in vocabulary:
            split = split_compound(word, vocabulary.__contains__)
            if split:
                parts[word] = " ".join(split)
        out[lang] = parts
    return out


def _documents(rulebook: Rulebook):
    compounds = _compound_parts(rulebook)
    for article in rulebook.articles.values():
        for lang, tr in article.translations.items():
            splits = compounds.get(lang, {})
            yield {
                "key": f"{article.id}:{lang}",
                "article": article.id,
                "lang": lang,
                "topic": article.topic,
                "units": " ".join(article.units),
                field_name("title", lang): tr.title,
                field_name("questions", lang): "\n".join(tr.questions),
                field_name("keywords", lang): "\n".join(tr.keywords),
                field_name("summary", lang): tr.summary,
                field_name("body", lang): tr.body,
                field_name("plain", lang): "\n".join(_texts(tr)),
                field_name("parts", lang): " ".join(
                    splits[w] for text in _texts(tr) for w in words(text) if w in splits
                ),
            }


def build_index(rulebook: Rulebook, index_root: Path) -> BuildResult:
    """Build the index of ``rulebook`` under ``index_root`` and switch to it atomically."""
    started = time.perf_counter()
    index_root.mkdir(parents=True, exist_ok=True)
    final = index_root / index_key(rulebook)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=index_root))
    count = 0
    try:
        ix = whoosh_index.create_in(str(tmp), make_schema())
        writer = ix.writer(limitmb=128)
        try:
            for doc in _documents(rulebook):
                writer.add_document(**doc)
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        # Stemming every synonym costs a start-up; do it once, here.
        (tmp / SYNONYMS_FILE).write_text(
            json.dumps(stem_synonyms(rulebook.synonyms), ensure_ascii=False), encoding="utf-8"
        )
        (tmp / "COMPLETE").write_text(index_key(rulebook) + "\n")
        if final.exists():
            # Another process built the same content meanwhile, or a damaged copy is
            # in the way: move it aside first, so the rename below stays atomic.
            _discard(final)
        try:
            os.rename(tmp, final)
        except OSError:
            if not _is_complete(final):
                raise
            _discard(tmp)  # an identical index won the race
    except BaseException:
        _discard(tmp)
        raise
    _prune(index_root, keep=final)
    return BuildResult(final, time.perf_counter() - started, True, count)


def _is_complete(path: Path) -> bool:
    return (path / "COMPLETE").is_file()


def _discard(path: Path) -> None:
    if not path.exists():
        return
    trash = path.with_name(f".trash-{path.name}-{os.getpid()}-{time.monotonic_ns()}")
    with contextlib.suppress(OSError):
        os.rename(path, trash)
        path = trash
    shutil.rmtree(path, ignore_errors=True)


def _prune(index_root: Path, keep: Path) -> None:
    built = [p for p in index_root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    built.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in built[KEEP_INDEXES:]:
        if old != keep:
            _discard(old)
    for leftover in index_root.glob(".trash-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    day_ago = time.time() - 86400
    for stale in index_root.glob(".build-*"):
        # A build folder older than a day belongs to a process that died mid-build.
        with contextlib.suppress(OSError):
            if stale.stat().st_mtime < day_ago:
                shutil.rmtree(stale, ignore_errors=True)


IN_MEMORY_MAX_BYTES = 32 * 1024 * 1024
"""An index up to this size is read into memory when opened (see open_index)."""
SUMS_FOLDER = ".sums"
"""Beside the indexes: each one's file sizes and checksums, to find damage at start."""


def ensure_index(rulebook: Rulebook, index_root: Path) -> BuildResult:
    """The index for this exact content, built first if it is missing or damaged."""
    path = index_root / index_key(rulebook)
    if _is_complete(path) and index_is_sound(path):
        return BuildResult(path, 0.0, False)
    result = build_index(rulebook, index_root)
    _record_sums(result.path)
    return result


def index_is_sound(path: Path) -> bool:
    """Whether the index at ``path`` opens and its files are as they were when it was built
    (or first found sound): none missing, none truncated or grown, and, for an index small
    enough to be read into memory, none with other bytes (CRC-32)."""
    recorded = _recorded_sums(path)
    try:
        if recorded is not None and recorded != _file_sums(path):
            return False
        ix = whoosh_index.open_dir(str(path))
        try:
            with ix.reader() as reader:
                reader.doc_count()
        finally:
            ix.close()
    except Exception:  # any damage (Whoosh raises many kinds) means: build it again
        return False
    if recorded is None:
        _record_sums(path)
    return True


def _identity(path: Path) -> list[int]:
    """Tells this folder from an index built later under the same name."""
    complete = (path / "COMPLETE").stat()
    return [path.stat().st_ino, complete.st_ino, complete.st_mtime_ns]


def _file_sums(path: Path) -> dict[str, list]:
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.endswith("LOCK"))
    sizes = {p.name: p.stat().st_size for p in files}
    full = sum(sizes.values()) <= IN_MEMORY_MAX_BYTES
    return {p.name: [sizes[p.name], zlib.crc32(p.read_bytes()) if full else None] for p in files}


def _sums_path(path: Path) -> Path:
    return path.parent / SUMS_FOLDER / f"{path.name}.json"


def _recorded_sums(path: Path) -> dict[str, list] | None:
    try:
        recorded = json.loads(_sums_path(path).read_text(encoding="utf-8"))
        if recorded["identity"] != _identity(path):
            return None  # written for an index built earlier under this name
        return recorded["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _record_sums(path: Path) -> None:
    target = _sums_path(path)
    with contextlib.suppress(OSError):  # a read-only data folder: checked by opening only
        target.parent.mkdir(exist_ok=True)
        for old in target.parent.glob("*.json"):
            if not (path.parent / old.stem).is_dir():
                old.unlink(missing_ok=True)  # its index was pruned
        data = {"identity": _identity(path), "files": _file_sums(path)}
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, target)


def open_index(path: Path):
    """The opened Whoosh index at ``path`` (an engine-internal handle).

    An index up to IN_MEMORY_MAX_BYTES is read into memory: the running kiosk never
    reads its files again, so an index damaged, truncated or deleted on disk meanwhile
    takes no answer away (and a memory-mapped file that is truncated would end the
    process with SIGBUS). A larger one is memory-mapped, as Whoosh does by default.
    """
    files = [p for p in Path(path).iterdir() if p.is_file()]
    if sum(p.stat().st_size for p in files) > IN_MEMORY_MAX_BYTES:
        return whoosh_index.open_dir(str(path))
    storage = RamStorage()
    for file in files:
        storage.files[file.name] = file.read_bytes()
    return storage.open_index()


# ---- fast scoring -------------------------------------------------------------------------


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

    def matched_terms(self) -> list[tuple[str, str]]:
        return self.matched


_LENGTHS = [byte_to_length(b) for b in range(256)]


class FastSearcher:
    """BM25F over an index's postings for an OR of weighted terms, with a unit filter.

    Gives what ``searcher.search(Or([Term(f, t, boost=b), ...]), filter=Term("units", u),
    limit=n, terms=True)`` gives with Whoosh's BM25F (same statistics, same formula,
    same order: score, then document number), without Whoosh's matcher tree, which costs
    hundreds of milliseconds a question on a national rulebook. Each term's postings are
    read once, turned into per-document partial scores and kept (up to ``max_postings``
    in all, least recently used dropped first).
    """

    def __init__(self, reader, weighting, max_postings: int = 400_000) -> None:
        self._reader = reader
        self._leaves = list(reader.leaf_readers())
        self._doccount = reader.doc_count_all()
        self._B = weighting.B
        self._K1 = weighting.K1
        self._field_B = dict(getattr(weighting, "_field_B", {}))
        self._max_postings = max_postings
        self._cache: OrderedDict[tuple[str, str], tuple[array, array]] = OrderedDict()
        self._cached_postings = 0
        self._lengths: dict[str, list[int]] = {}
        self._units: dict[str, frozenset[int]] = {}
        self._stored: dict[int, dict] = {}

    # field lengths, unit filters, stored fields

    def _field_lengths(self, field: str) -> list[int]:
        lengths = self._lengths.get(field)
        if lengths is None:
            lengths = []
            for leaf, _base in self._leaves:
                lengths.extend(_leaf_lengths(leaf, field))
            self._lengths[field] = lengths
        return lengths

    def _allowed(self, unit: str) -> frozenset[int]:
        docs = self._units.get(unit)
        if docs is None:
            found = set()
            for leaf, base in self._leaves:
                if ("units", unit) not in leaf:
                    continue
                deleted = leaf.deleted_docs_set() if leaf.has_deletions() else ()
                found.update(
                    base + d for d in leaf.postings("units", unit).all_ids() if d not in deleted
                )
            docs = self._units[unit] = frozenset(found)
        return docs

    def stored(self, docnum: int) -> dict:
        fields = self._stored.get(docnum)
        if fields is None:
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
        reader = self._reader
        ids = array("I")
        partials = array("d")
        if key in reader:
            n = reader.doc_frequency(field, text)
            idf = log(self._doccount / (n + 1)) + 1
            avgfl = reader.field_length(field) / (self._doccount or 1) or 1
            B = self._field_B.get(field, self._B)
            K1 = self._K1
            norm = K1 * (1 - B)
            per_length = K1 * B / avgfl
            lengths = self._field_lengths(field)
            for leaf, base in self._leaves:
                if key not in leaf:
                    continue
                for docnum, weight in _leaf_postings(leaf, field, text):
                    d = base + docnum
                    ids.append(d)
                    fl = lengths[d] or 1
                    partials.append(idf * (weight * (K1 + 1)) / (weight + norm + per_length * fl))
        found = (ids, partials)
        self._cache[key] = found
        self._cached_postings += len(ids)
        while self._cached_postings > self._max_postings and len(self._cache) > 1:
            _, (old, _) = self._cache.popitem(last=False)
            self._cached_postings -= len(old)
        return found

    def search(self, terms, unit: str, limit: int) -> list[Hit]:
        """The best ``limit`` documents for ``unit`` matching any of ``terms``.

        ``terms`` are (field, text, boost) triples or Whoosh ``Term`` queries.
        """
        allowed = self._allowed(unit)
        scores: dict[int, float] = {}
        matched: dict[int, list] = {}
        for term in terms:
            if isinstance(term, tuple):
                field, text, boost = term
            else:
                field, text, boost = term.fieldname, term.text, term.boost
            ids, partials = self._partials(field, text)
            if not ids:
                continue
            get = scores.get
            pair = (field, text)
            for d, p in zip(ids, partials, strict=True):
                if d in allowed:
                    scores[d] = get(d, 0.0) + boost * p
                    if d in matched:
                        matched[d].append(pair)
                    else:
                        matched[d] = [pair]
        best = heapq.nsmallest(limit, scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [Hit(d, score, matched[d], self.stored(d)) for d, score in best]


def _leaf_lengths(leaf, field: str) -> list[int]:
    """Every document's length of ``field`` in one segment, as Whoosh's BM25F sees it."""
    count = leaf.doc_count_all()
    try:
        column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is None:
            return [0] * count
        raw = column._dbfile.get(column._basepos, column._count)
        assert column._fixedlen == 1 and len(raw) == column._count
        return [_LENGTHS[b] for b in raw] + [0] * (count - len(raw))
    except (AttributeError, AssertionError):  # another codec: the slow, public way
        return [leaf.doc_field_length(d, field, 0) or 0 for d in range(count)]


def _leaf_postings(leaf, field: str, text: str):
    """(document number, weight) of every posting of a term in one segment, deleted too."""
    terminfo = leaf.term_info(field, text)
    if terminfo.is_inlined():
        ids, weights, _values = terminfo.inlined_postings()
        if weights is None:
            weights = [1.0] * len(ids)
        return zip(ids, weights, strict=True)
    m = leaf.postings(field, text)
    m = getattr(m, "child", m)  # deleted documents are filtered out by the caller
    if not isinstance(m, W3LeafMatcher):
        return list(m.items_as("weight")) if hasattr(m, "items_as") else []
    out = []
    while True:
        m._read_ids()
        m._read_weights()
        out.extend(zip(m._ids, m._weights, strict=True))
        if m._lastblock:
            return out
        m._goto(m._nextoffset)
