"""Build, update, find and open the Whoosh index of a rulebook.

An index lives in ``<data_dir>/index/<key>/``, where the key is the content's fingerprint
plus the analysis and schema versions, so two contents never share an index and a code
change that alters analysis rebuilds it. An index is always made in a fresh temporary
folder and renamed into place when complete: a crash mid-build leaves no half index,
and a reader never sees one.

Speed (see benchmarks/): every word is analysed once per build, not once per
occurrence; a large rulebook is indexed by two processes at once, one segment per
group of languages; and after an edit the previous index of the same content is
copied and only the documents that changed are deleted and added again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import heapq
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, OrderedDict
from dataclasses import dataclass
from itertools import chain, pairwise
from math import log
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import Token
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3LeafMatcher,
    W3TermsReader,
    _lenfield,
)
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.formats import Frequency
from whoosh.index import TOC
from whoosh.reading import TermNotFound
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length

from kiosk import LANGUAGES
from kiosk.content.model import Rulebook
from kiosk.search.analysis import (
    ANALYSIS_VERSION,
    COMPOUNDING,
    NormalizingTokenizer,
    normalize,
    plain_analyzer,
    split_compound,
    stem_synonyms,
    stemmed_analyzer,
)
from kiosk.search.stopwords import STOPWORDS

SCHEMA_VERSION = "4"
"""3: term frequencies without positions (nothing searches phrases); 4: plain words in
VOCABULARY_FILE, not a field; each document's word pairs stored."""
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


def _codec() -> W3Codec:
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
    """Where an index is, how long making it took (0 when it already existed), and how.

    ``documents`` is how many documents were (re)indexed: all of them for a full build,
    only the changed ones for an update (``updated`` true).
    """

    path: Path
    seconds: float
    built: bool
    documents: int = 0
    updated: bool = False


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


def _texts(tr) -> list[str]:
    return [tr.title, *tr.questions, *tr.keywords, tr.summary, tr.body]


def _documents(rulebook: Rulebook):
    """The documents of the index (one per article and language), as text."""
    plain = Analysed(plain_analyzer())
    # Compound words ("besokstid" = "besok" + "tid") split by the rulebook's own words.
    words_of: dict[tuple[str, str], list[list[str]]] = {}
    compounds: dict[str, dict[str, str]] = {}
    for lang in COMPOUNDING:
        vocabulary: set[str] = set()
        for article in rulebook.articles.values():
            if lang in article.translations:
                found = [plain(t) for t in _texts(article.translations[lang])]
                words_of[(article.id, lang)] = found
                for ws in found:
                    vocabulary.update(ws)
        parts = {}
        for word in vocabulary:
            split = split_compound(word, vocabulary.__contains__)
            if split:
                parts[word] = " ".join(split)
        compounds[lang] = parts
    for article in rulebook.articles.values():
        for lang, tr in article.translations.items():
            splits = compounds.get(lang)
            texts = _texts(tr)
            parts = ""
            if splits:
                found = words_of[(article.id, lang)]
                parts = " ".join(splits[w] for ws in found for w in ws if w in splits)
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
                field_name("plain", lang): "\n".join(texts),
                field_name("parts", lang): parts,
            }


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


def _digest(doc: dict) -> str:
    """What a document says, in 16 hex digits: equal digests, equal documents."""
    text = "\x00".join(f"{k}\x01{v}" for k, v in sorted(doc.items()))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def term_hash(field: str, btext: bytes) -> int:
    """64 bits of a term's field and UTF-8 text (two CRC-32s: fast, and enough)."""
    key = field.encode() + b"\x00" + btext
    return (zlib.crc32(key) << 32) | zlib.crc32(key, 0x9E3779B9)


def _write_hashes(path: Path, hashes: set[int]) -> None:
    table = array("Q", sorted(hashes))
    if sys.byteorder != "little":
        table.byteswap()
    (path / TERMS_FILE).write_bytes(table.tobytes())


def read_hashes(data: bytes) -> array:
    table = array("Q")
    table.frombytes(data)
    if sys.byteorder != "little":
        table.byteswap()
    return table


def _lexicon_hashes(path: Path) -> set[int]:
    ix = whoosh_index.open_dir(str(path))
    try:
        with ix.reader() as reader:
            return {term_hash(f, t) for f, t in reader.all_terms()}
    finally:
        ix.close()


def _add_documents(
    writer,
    schema: Schema,
    docs,
    hashes: set[int] | None = None,
    vocabulary: dict[str, Counter] | None = None,
) -> int:
    """Analyse (each word once) and add ``docs``; how many were added.

    ``hashes``: where to add the term hash of every analysed term; ``vocabulary``: where
    to count, per language, the documents with each plain word.
    """
    plain = Analysed(plain_analyzer())
    analysed: dict[str, Analysed] = {}
    by_analyzer: dict[int, Analysed] = {}
    for name, field in schema.items():
        if isinstance(field.format, TermCounts):
            a = by_analyzer.get(id(field.analyzer))
            if a is None:
                a = by_analyzer[id(field.analyzer)] = Analysed(field.analyzer)
            analysed[name] = a
    count = 0
    for doc in docs:
        fields = {k: analysed[k](v) if k in analysed and v else v for k, v in doc.items()}
        lang = doc.get("lang")
        if "pairs" in schema and field_name("title", lang) in analysed:
            lines = [
                doc[field_name("title", lang)],
                *doc[field_name("questions", lang)].split("\n"),
            ]
            fields["pairs"] = word_pairs(analysed[field_name("title", lang)], lines)
        for name in [k for k in fields if k.startswith("plain_")]:
            words = plain(fields.pop(name))
            if vocabulary is not None:
                vocabulary.setdefault(name[len("plain_") :], Counter()).update(set(words))
        writer.add_document(**fields)
        if hashes is not None:
            for k in analysed:
                if fields.get(k):
                    hashes.update(term_hash(k, t.encode()) for t in set(fields[k]))
        count += 1
    return count


# ---- full build ----------------------------------------------------------------------------


def _write_part(folder: str, docs: list[dict]) -> tuple[int, dict[str, Counter]]:
    """A child process's share of a full build: ``docs`` as one segment in ``folder``;
    how many, and their plain words' document counts per language."""
    schema = make_schema()
    ix = whoosh_index.create_in(folder, schema)
    writer = ix.writer(limitmb=128, codec=_codec())
    vocabulary: dict[str, Counter] = {}
    try:
        count = _add_documents(writer, schema, docs, vocabulary=vocabulary)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    return count, vocabulary


def _split_by_language(docs: list[dict]) -> tuple[list[dict], list[dict]]:
    """Two groups of whole languages with about as much text each."""
    size: Counter[str] = Counter()
    for doc in docs:
        size[doc["lang"]] += sum(len(v) for v in doc.values())
    first: set[str] = set()
    totals = [0, 0]
    for lang, n in size.most_common():
        side = 0 if totals[0] <= totals[1] else 1
        totals[side] += n
        if side == 0:
            first.add(lang)
    return [d for d in docs if d["lang"] in first], [d for d in docs if d["lang"] not in first]


def _parallel() -> bool:
    setting = os.environ.get("KIOSK_BUILD_PROCESSES", "")
    if setting.isdigit():
        return int(setting) > 1
    return (os.cpu_count() or 1) > 1


def _adopt_segments(tmp: Path, part: Path) -> None:
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


def _part_main(folder: str) -> None:
    """Entry of the child process of a build (see _start_part)."""
    part = Path(folder)
    docs = pickle.loads((part / "input.pickle").read_bytes())
    result = _write_part(folder, docs)
    (part / "result.tmp").write_bytes(pickle.dumps(result))
    os.replace(part / "result.tmp", part / "result.pickle")


def _start_part(part: Path, docs: list[dict]):
    """A child Python process indexing ``docs`` into ``part``, or None if none starts.

    A plain subprocess, not multiprocessing: the kiosk builds from a thread of a running
    Textual app, where multiprocessing cannot start its helper process (stderr is not a
    file there) and forking a threaded process is unsafe. Data goes through files in the
    build's private temporary folder.
    """
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    try:
        (part / "input.pickle").write_bytes(pickle.dumps(docs, pickle.HIGHEST_PROTOCOL))
        code = "import sys; from kiosk.search.index import _part_main; _part_main(sys.argv[1])"
        return subprocess.Popen(
            [sys.executable, "-c", code, str(part)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    except Exception:  # no second process here (limits, sandbox): one process does all
        return None


def _part_result(child, part: Path, docs: list[dict]) -> tuple[int, dict[str, Counter]]:
    """The child's result; if it failed (killed, no memory), the share is indexed here."""
    try:
        if child.wait() == 0:
            return pickle.loads((part / "result.pickle").read_bytes())
    except Exception:
        pass
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir()
    return _write_part(str(part), docs)


def _build_into(tmp: Path, docs: list[dict]) -> tuple[int, dict[str, Counter]]:
    """A fresh index of ``docs`` in ``tmp``: on 2+ cores, half the languages in a child.

    How many documents, and the plain words' document counts per language."""
    vocabulary: dict[str, Counter] = {}
    schema = make_schema()
    mine, theirs = docs, []
    if len(docs) >= PARALLEL_MIN_DOCUMENTS and _parallel():
        mine, theirs = _split_by_language(docs)
    ix = whoosh_index.create_in(str(tmp), schema)
    part = tmp / "part"
    child = None
    if theirs:
        part.mkdir()
        child = _start_part(part, theirs)
        if child is None:
            mine, theirs = docs, []
    try:
        writer = ix.writer(limitmb=128, codec=_codec())
        try:
            count = _add_documents(writer, schema, mine, vocabulary=vocabulary)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        ix.close()
        if child is not None:
            n, counted = _part_result(child, part, theirs)
            child = None
            count += n
            for lang, counts in counted.items():
                vocabulary.setdefault(lang, Counter()).update(counts)
            for name in ("input.pickle", "result.pickle"):
                (part / name).unlink(missing_ok=True)
            _adopt_segments(tmp, part)
    finally:
        if child is not None:  # we failed: stop the child too
            child.kill()
            child.wait()
    return count, vocabulary


def _write_vocabulary(path: Path, vocabulary: dict[str, Counter]) -> None:
    data = {lang: dict(sorted(counts.items())) for lang, counts in sorted(vocabulary.items())}
    (path / VOCABULARY_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def read_vocabulary(path: Path) -> dict[str, dict[str, int]]:
    return json.loads((path / VOCABULARY_FILE).read_text(encoding="utf-8"))


def build_index(rulebook: Rulebook, index_root: Path) -> BuildResult:
    """Build the index of ``rulebook`` under ``index_root`` and switch to it atomically."""
    started = time.perf_counter()
    index_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=index_root))
    try:
        docs = list(_documents(rulebook))
        count, vocabulary = _build_into(tmp, docs)
        _write_hashes(tmp, _lexicon_hashes(tmp))
        _write_vocabulary(tmp, vocabulary)
        final = _finish(tmp, index_root, rulebook, _digests(docs))
    except BaseException:
        _discard(tmp)
        raise
    return BuildResult(final, time.perf_counter() - started, True, count)


def _synonyms_digest(rulebook: Rulebook) -> str:
    text = json.dumps(rulebook.synonyms, ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _finish(
    tmp: Path,
    index_root: Path,
    rulebook: Rulebook,
    digests: dict[str, str],
    synonyms_from: Path | None = None,
) -> Path:
    """Write the files beside the index in ``tmp`` and rename it into place.

    ``synonyms_from``: an index whose stemmed synonyms are those of this rulebook.
    """
    final = index_root / index_key(rulebook)
    if synonyms_from is not None:
        shutil.copyfile(synonyms_from / SYNONYMS_FILE, tmp / SYNONYMS_FILE)
    else:
        # Stemming every synonym costs a start-up; do it once, here.
        (tmp / SYNONYMS_FILE).write_text(
            json.dumps(stem_synonyms(rulebook.synonyms), ensure_ascii=False), encoding="utf-8"
        )
    manifest = {
        "signature": _analysis_signature(),
        "synonyms": _synonyms_digest(rulebook),
        "documents": digests,
    }
    (tmp / DOCUMENTS_FILE).write_text(json.dumps(manifest), encoding="utf-8")
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
    _prune(index_root, keep=final)
    return final


def _digests(docs: list[dict]) -> dict[str, str]:
    return {doc["key"]: _digest(doc) for doc in docs}


# ---- update after an edit ------------------------------------------------------------------


def _previous(index_root: Path, final: Path, digests: dict[str, str]):
    """The complete index with the same analysis that shares most documents, or None."""
    best = None
    for path in index_root.iterdir():
        if path == final or path.name.startswith(".") or not _is_complete(path):
            continue
        if not path.name.endswith("-" + _analysis_signature()):
            continue
        if not all((path / name).is_file() for name in (TERMS_FILE, VOCABULARY_FILE)):
            continue
        try:
            manifest = json.loads((path / DOCUMENTS_FILE).read_text(encoding="utf-8"))
            old = manifest["documents"]
            if manifest.get("signature") != _analysis_signature() or not isinstance(old, dict):
                continue
        except (OSError, ValueError, KeyError, TypeError):
            continue
        same = sum(1 for k, d in digests.items() if old.get(k) == d)
        if same and (best is None or same > best[0]):
            best = (same, path, manifest)
    return best


def update_index(rulebook: Rulebook, index_root: Path) -> BuildResult:
    """The index of ``rulebook``, made from the closest previous index when there is one.

    The previous index (same analysis, most documents in common) is copied; documents
    that changed or went are deleted from the copy, changed and new ones added, in one
    new segment. Too many changes, or an index already updated many times: full build.
    """
    started = time.perf_counter()
    index_root.mkdir(parents=True, exist_ok=True)
    final = index_root / index_key(rulebook)
    docs = list(_documents(rulebook))
    digests = _digests(docs)
    previous = _previous(index_root, final, digests)
    if previous is None:
        return build_index(rulebook, index_root)
    _same, source, manifest = previous
    old = manifest["documents"]
    same_synonyms = manifest.get("synonyms") == _synonyms_digest(rulebook)
    if not (source / SYNONYMS_FILE).is_file():
        same_synonyms = False
    changed = {k for k, d in digests.items() if old.get(k) != d}
    gone = [k for k in old if k not in digests]
    if len(changed) + len(gone) > MAX_CHANGED_SHARE * len(docs):
        return build_index(rulebook, index_root)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=index_root))
    try:
        for f in source.iterdir():
            if f.is_file() and f.name not in (*SIDE_FILES, "COMPLETE"):
                shutil.copy2(f, tmp / f.name)
        ix = whoosh_index.open_dir(str(tmp))
        if len(ix._segments()) >= MAX_SEGMENTS:
            ix.close()
            _discard(tmp)
            return build_index(rulebook, index_root)
        writer = ix.writer(codec=_codec())
        try:
            for key in sorted(gone) + sorted(changed & old.keys()):
                writer.delete_by_term("key", key)
            # The terms of deleted documents stay in Whoosh's lexicon and statistics until
            # the next full build: their hashes and plain words are kept likewise.
            hashes = set(read_hashes((source / TERMS_FILE).read_bytes()))
            vocabulary = {k: Counter(v) for k, v in read_vocabulary(source).items()}
            added = [d for d in docs if d["key"] in changed]
            count = _add_documents(writer, ix.schema, added, hashes, vocabulary)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        ix.close()
        _write_hashes(tmp, hashes)
        _write_vocabulary(tmp, vocabulary)
        final = _finish(tmp, index_root, rulebook, digests, source if same_synonyms else None)
    except BaseException:
        _discard(tmp)
        raise
    return BuildResult(final, time.perf_counter() - started, True, count, updated=True)


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


IN_MEMORY_MAX_BYTES = 16 * 1024 * 1024
"""An index up to this size is read into memory when opened (see open_index). A national
rulebook's (20+ MB) is read from its files: in memory it cost a kiosk that much resident
memory, and its checksum at every start."""
SUMS_FOLDER = ".sums"
"""Beside the indexes: each one's file sizes and checksums, to find damage at start."""


def ensure_index(rulebook: Rulebook, index_root: Path) -> BuildResult:
    """The index for this exact content, built first if it is missing or damaged."""
    path = index_root / index_key(rulebook)
    if _is_complete(path) and index_is_sound(path):
        return BuildResult(path, 0.0, False)
    result = update_index(rulebook, index_root)
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
    process with SIGBUS). A larger one is read from its files as needed, not memory-mapped:
    Whoosh copies each part of a mapped segment into memory (a national rulebook's 40 MB)
    and a truncated mapping ends the process.
    """
    files = [  # Whoosh's own files (TOC, segments); the engine reads the others itself
        p
        for p in Path(path).iterdir()
        if p.name.startswith(("MAIN_", "_MAIN_")) and not p.name.endswith("LOCK")
    ]
    if sum(p.stat().st_size for p in files) > IN_MEMORY_MAX_BYTES:
        return FileStorage(str(path), supports_mmap=False).open_index()
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
        self._extra_words: dict[str, frozenset[str]] = {}
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
            if hashes is not None and field in self._hashed:
                h = term_hash(field, text.encode())
                i = bisect_left(hashes, h)
                if i == len(hashes) or hashes[i] != h:
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

    def add_spelling_words(self, field: str, words: set[str]) -> None:
        """Words ``terms_within`` also finds for ``field``, though no document has them
        (the rulebook's synonyms: "trakaserer" is "trakassere")."""
        self._extra_words[field] = frozenset(words)
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
            found.update(self._extra_words.get(field, ()))
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
            Hit(d, score, [pair for pair, ids in found if _has(ids, d)], self.stored(d))
            for d, score in best
        ]
        self._pairs = {
            (hit["article"], hit["lang"]): hit["pairs"]
            for hit in hits
            if hit.get("pairs") is not None
        }
        return hits


def _has(ids: array, d: int) -> bool:
    """Whether the sorted ``ids`` include ``d``."""
    i = bisect_left(ids, d)
    return i < len(ids) and ids[i] == d


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
