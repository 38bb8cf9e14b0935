"""Build and update the Whoosh index of a rulebook, always in a fresh folder renamed into place.

An index is made in a fresh temporary folder and renamed into place when complete: a
crash mid-build leaves no half index, and a reader never sees one.

Speed (see benchmarks/): every word is analysed once per build, not once per
occurrence; a large rulebook is indexed by two processes at once, one segment per
group of languages; and after an edit the previous index of the same content is
copied and only the documents that changed are deleted and added again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import Schema

from kiosk.content.model import Rulebook
from kiosk.files import discard
from kiosk.search.analysis import (
    plain_analyzer,
    stem_synonyms,
)
from kiosk.search.documents import document_digests, documents
from kiosk.search.schema import (
    DOCUMENTS_FILE,
    SIDE_FILES,
    SYNONYMS_FILE,
    TERMS_FILE,
    VOCABULARY_FILE,
    Analysed,
    TermCounts,
    analysis_signature,
    codec,
    field_name,
    index_key,
    make_schema,
    read_hashes,
    read_vocabulary,
    term_hash,
    word_pairs,
    write_hashes,
    write_vocabulary,
)
from kiosk.search.store import index_is_sound, record_sums
from kiosk.search.whoosh_internals import adopt_segments, segment_count

KEEP_INDEXES = 6
"""How many built indexes to keep (other contents, the previous version for rollback)."""
PARALLEL_MIN_DOCUMENTS = 600
"""From this many documents a full build uses a second process (on 2+ cores)."""
MAX_SEGMENTS = 6
"""An index updated this often (one segment per update) is rebuilt in full instead."""
MAX_CHANGED_SHARE = 0.2
"""More than this share of documents changed: a full build is faster than an update."""


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
    vocabulary: dict[str, Counter] = {}
    count = _write_segment(whoosh_index.create_in(folder, schema), schema, docs, vocabulary)
    return count, vocabulary


def _write_segment(ix, schema: Schema, docs: list[dict], vocabulary: dict[str, Counter]) -> int:
    """``docs`` added to ``ix`` in one commit (cancelled on any failure), which is closed."""
    writer = ix.writer(limitmb=128, codec=codec())
    try:
        count = _add_documents(writer, schema, docs, vocabulary=vocabulary)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    return count


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
        code = "import sys; from kiosk.search.build import _part_main; _part_main(sys.argv[1])"
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
        count = _write_segment(ix, schema, mine, vocabulary)
        if child is not None:
            n, counted = _part_result(child, part, theirs)
            child = None
            count += n
            for lang, counts in counted.items():
                vocabulary.setdefault(lang, Counter()).update(counts)
            for name in ("input.pickle", "result.pickle"):
                (part / name).unlink(missing_ok=True)
            adopt_segments(tmp, part)
    finally:
        if child is not None:  # we failed: stop the child too
            child.kill()
            child.wait()
    return count, vocabulary


def build_index(rulebook: Rulebook, index_root: Path) -> BuildResult:
    """Build the index of ``rulebook`` under ``index_root`` and switch to it atomically."""
    started = time.perf_counter()
    index_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=index_root))
    try:
        docs = list(documents(rulebook))
        count, vocabulary = _build_into(tmp, docs)
        write_hashes(tmp, _lexicon_hashes(tmp))
        write_vocabulary(tmp, vocabulary)
        final = _finish(tmp, index_root, rulebook, document_digests(docs))
    except BaseException:
        discard(tmp)
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
        "signature": analysis_signature(),
        "synonyms": _synonyms_digest(rulebook),
        "documents": digests,
    }
    (tmp / DOCUMENTS_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    (tmp / "COMPLETE").write_text(index_key(rulebook) + "\n")
    if final.exists():
        # Another process built the same content meanwhile, or a damaged copy is
        # in the way: move it aside first, so the rename below stays atomic.
        discard(final)
    try:
        os.rename(tmp, final)
    except OSError:
        if not _is_complete(final):
            raise
        discard(tmp)  # an identical index won the race
    _prune(index_root, keep=final)
    return final


# ---- update after an edit ------------------------------------------------------------------


def _previous(index_root: Path, final: Path, digests: dict[str, str]):
    """The complete index with the same analysis that shares most documents, or None."""
    best = None
    for path in index_root.iterdir():
        if path == final or path.name.startswith(".") or not _is_complete(path):
            continue
        if not path.name.endswith("-" + analysis_signature()):
            continue
        if not all((path / name).is_file() for name in (TERMS_FILE, VOCABULARY_FILE)):
            continue
        try:
            manifest = json.loads((path / DOCUMENTS_FILE).read_text(encoding="utf-8"))
            old = manifest["documents"]
            if manifest.get("signature") != analysis_signature() or not isinstance(old, dict):
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
    docs = list(documents(rulebook))
    digests = document_digests(docs)
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
        if segment_count(ix) >= MAX_SEGMENTS:
            ix.close()
            discard(tmp)
            return build_index(rulebook, index_root)
        writer = ix.writer(codec=codec())
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
        write_hashes(tmp, hashes)
        write_vocabulary(tmp, vocabulary)
        final = _finish(tmp, index_root, rulebook, digests, source if same_synonyms else None)
    except BaseException:
        discard(tmp)
        raise
    return BuildResult(final, time.perf_counter() - started, True, count, updated=True)


def _is_complete(path: Path) -> bool:
    return (path / "COMPLETE").is_file()


def _prune(index_root: Path, keep: Path) -> None:
    built = [p for p in index_root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    built.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in built[KEEP_INDEXES:]:
        if old != keep:
            discard(old)
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
    if _is_complete(path) and index_is_sound(path):
        return BuildResult(path, 0.0, False)
    result = update_index(rulebook, index_root)
    record_sums(result.path)
    return result
