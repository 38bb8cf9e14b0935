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
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, TEXT, Schema

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


def ensure_index(rulebook: Rulebook, index_root: Path) -> BuildResult:
    """The index for this exact content, built first if it is missing or damaged."""
    path = index_root / index_key(rulebook)
    if _is_complete(path):
        try:
            whoosh_index.open_dir(str(path)).close()
            return BuildResult(path, 0.0, False)
        except Exception:  # any damage means: build it again
            pass
    return build_index(rulebook, index_root)


def open_index(path: Path):
    """The opened Whoosh index at ``path`` (an engine-internal handle)."""
    return whoosh_index.open_dir(str(path))
