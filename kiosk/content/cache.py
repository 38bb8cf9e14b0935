"""A loaded rulebook saved to disk, so a process need not parse every YAML file again.

Keyed by the content's fingerprint: any change to a content file makes a new key. Data
only (JSON, each article's texts also zlib-compressed), not pickle: reading it can never
run code. Articles' texts are decoded when first asked for, not at start: a national
rulebook (thousands of articles in six languages) starts in a fraction of the time and
keeps its texts compressed in memory; the last few hundred articles read stay decoded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar, cast

from kiosk.content.load import fingerprint, load_rulebook
from kiosk.content.model import Article, Notice, Problem, Rulebook, Topic, Translation
from kiosk.content.yamlfile import display_path

T = TypeVar("T")

CACHE_VERSION = 3
"""Raised whenever the loader's results change for the same files (3: size limits and
inf/nan placeholders), so a cache an older loader wrote is loaded again."""
MAGIC = b"kiosk-rulebook 3 "
"""First line of a cache file, with the CRC-32 of the second: one line of JSON (all but the
texts, and the texts' CRC-32); then each article's translations as compressed JSON at the
offset the JSON line gives. A damaged byte anywhere is found when the file is read."""
DECODED_ARTICLES = 128
"""Articles whose texts stay decoded (the rest are decoded again when asked for)."""


def cache_root(data_dir: Path) -> Path:
    """The data folder's folder of files made from a content (this cache, the phrasing and
    urgent tables, the meaning table), named by the content's fingerprint."""
    return data_dir / "rulebooks"


class _Texts:
    """The compressed texts of a cached rulebook, decoded on demand (a few kept)."""

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self.decode = functools.lru_cache(maxsize=DECODED_ARTICLES)(self._decode)

    def _decode(self, at: int, size: int) -> dict[str, Translation]:
        raw = json.loads(zlib.decompress(self._blob[at : at + size]))
        return {
            lang: Translation(
                t["title"], t["summary"], t["body"], tuple(t["questions"]), tuple(t["keywords"])
            )
            for lang, t in raw.items()
        }


class LazyTranslations(Mapping):
    """An article's translations, read from the cache when one is asked for."""

    __slots__ = ("_at", "_langs", "_size", "_texts")

    def __init__(self, texts: _Texts, at: int, size: int, langs: tuple[str, ...]) -> None:
        self._texts = texts
        self._at = at
        self._size = size
        self._langs = langs

    def __getitem__(self, lang: str) -> Translation:
        if lang not in self._langs:
            raise KeyError(lang)
        return self._texts.decode(self._at, self._size)[lang]

    def __contains__(self, lang: object) -> bool:
        return lang in self._langs

    def __iter__(self) -> Iterator[str]:
        return iter(self._langs)

    def __len__(self) -> int:
        return len(self._langs)

    def items(self):  # one decoding for all languages
        return self._texts.decode(self._at, self._size).items()

    def values(self):
        return self._texts.decode(self._at, self._size).values()

    def __repr__(self) -> str:
        return f"LazyTranslations({', '.join(self._langs)})"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def to_json(rulebook: Rulebook, problems: list[Problem]) -> dict:
    return {
        "version": CACHE_VERSION,
        "fingerprint": rulebook.fingerprint,
        "topics": [{"id": t.id, "titles": t.titles} for t in rulebook.topics],
        "articles": [
            {
                "id": a.id,
                "topic": a.topic,
                "units": list(a.units),
                "reviewed": _iso(a.reviewed),
                "related": list(a.related),
                "from": _iso(a.valid_from),
                "until": _iso(a.valid_until),
                "source": a.source,
                "translations": {
                    lang: {
                        "title": tr.title,
                        "summary": tr.summary,
                        "body": tr.body,
                        "questions": list(tr.questions),
                        "keywords": list(tr.keywords),
                    }
                    for lang, tr in a.translations.items()
                },
            }
            for a in rulebook.articles.values()
        ],
        "synonyms": {lang: [list(g) for g in groups] for lang, groups in rulebook.synonyms.items()},
        "orientation": {unit: list(ids) for unit, ids in rulebook.orientation.items()},
        "notices": [
            {
                "id": n.id,
                "texts": n.texts,
                "units": list(n.units),
                "from": _iso(n.valid_from),
                "until": _iso(n.valid_until),
            }
            for n in rulebook.notices
        ],
        "problems": [{**p.to_json(), "path": _from_root(p.path, rulebook.root)} for p in problems],
    }


IN_ROOT = "<content>/"
"""Marks a cached problem's file as inside the content folder: the same content copied to
another folder has the same fingerprint, and its problems must name its own files."""


def _from_root(path: str, root: Path) -> str:
    try:
        return IN_ROOT + Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except (ValueError, OSError):
        return path


def _to_root(path: str, root: Path) -> str:
    if path.startswith(IN_ROOT):
        return display_path(Path(root) / path.removeprefix(IN_ROOT))
    return path


def from_json(data: dict, root: Path) -> tuple[Rulebook, list[Problem]]:
    articles = {}
    for a in data["articles"]:
        articles[a["id"]] = Article(
            id=a["id"],
            topic=a["topic"],
            translations=a["translations"]
            if isinstance(a["translations"], LazyTranslations)
            else {
                lang: Translation(
                    t["title"], t["summary"], t["body"], tuple(t["questions"]), tuple(t["keywords"])
                )
                for lang, t in a["translations"].items()
            },
            units=tuple(a["units"]),
            reviewed=_date(a["reviewed"]),
            related=tuple(a["related"]),
            valid_from=_date(a["from"]),
            valid_until=_date(a["until"]),
            source=a["source"],
        )
    rulebook = Rulebook(
        root=root,
        topics=tuple(Topic(t["id"], t["titles"]) for t in data["topics"]),
        articles=articles,
        synonyms={
            lang: tuple(tuple(g) for g in groups) for lang, groups in data["synonyms"].items()
        },
        orientation={unit: tuple(ids) for unit, ids in data["orientation"].items()},
        notices=tuple(
            Notice(n["id"], n["texts"], tuple(n["units"]), _date(n["from"]), _date(n["until"]))
            for n in data["notices"]
        ),
        fingerprint=data["fingerprint"],
    )
    problems = [
        Problem(_to_root(p["path"], root), p["line"], p["message"], p["column"], p["severity"])
        for p in data["problems"]
    ]
    return rulebook, problems


def dump(rulebook: Rulebook, problems: list[Problem]) -> bytes:
    """The cache file's bytes for a rulebook (see MAGIC)."""
    data = to_json(rulebook, problems)
    texts = []
    at = 0
    for article in data["articles"]:
        translations = article.pop("translations")
        blob = zlib.compress(json.dumps(translations, ensure_ascii=False).encode(), 6)
        article.update(langs=list(translations), at=at, size=len(blob))
        texts.append(blob)
        at += len(blob)
    blob = b"".join(texts)
    data["texts_crc32"] = zlib.crc32(blob)  # damage is found at start, not mid-question
    head = json.dumps(data, ensure_ascii=False).encode()
    return MAGIC + f"{zlib.crc32(head):08x}\n".encode() + head + b"\n" + blob


def undump(raw: bytes, root: Path) -> tuple[Rulebook, list[Problem]]:
    """The rulebook of a cache file's bytes; ValueError (or KeyError, TypeError) if damaged."""
    if not raw.startswith(MAGIC):
        raise ValueError("not a rulebook cache")
    start = raw.index(b"\n", len(MAGIC)) + 1
    end = raw.index(b"\n", start)
    head = raw[start:end]
    if raw[len(MAGIC) : start - 1] != f"{zlib.crc32(head):08x}".encode():
        raise ValueError("damaged")
    data = json.loads(head)
    if data.get("version") != CACHE_VERSION:
        raise ValueError("another cache version")
    blob = raw[end + 1 :]
    if zlib.crc32(blob) != data.get("texts_crc32"):
        raise ValueError("texts damaged")
    texts = _Texts(blob)
    for article in data["articles"]:
        at, size = int(article["at"]), int(article["size"])
        if at < 0 or size <= 0 or at + size > len(blob):
            raise ValueError("texts out of range")
        langs = tuple(str(lang) for lang in article["langs"])
        article["translations"] = LazyTranslations(texts, at, size, langs)
    return from_json(data, root)


def load_cached(root: Path, cache_dir: Path) -> tuple[Rulebook, list[Problem]]:
    """The rulebook of ``root``: from the cache when the content is unchanged, else loaded
    from YAML and cached for next time."""
    root = Path(root)
    if not root.is_dir():
        return load_rulebook(root)
    path = cache_dir / f"{_remembered_fingerprint(root, cache_dir)}.rulebook"
    try:
        return undump(path.read_bytes(), root)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing or damaged: load the YAML
    rulebook, problems = load_rulebook(root)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".rulebook-", suffix=".rulebook")
        with os.fdopen(fd, "wb") as fh:
            fh.write(dump(rulebook, problems))
        os.replace(tmp, path)
        _prune(cache_dir)
    except OSError:
        pass  # a read-only data folder only costs speed
    return rulebook, problems


_MADE: dict[tuple[str, str], object] = {}
MADE_PER_KIND = 2


def made_once(kind: str, fingerprint: str, make: Callable[[], T]) -> T:
    """What ``make`` returns for the content with this fingerprint, made once per process.

    For what is learnt or built from content (the urgent model, the phrasing tables): a
    second assistant on the same content, or a kiosk rolled back to content it had, does
    not make it again. The newest MADE_PER_KIND contents of each kind are kept."""
    key = (kind, fingerprint)
    if key not in _MADE:
        _MADE[key] = make()
        same_kind = [k for k in _MADE if k[0] == kind]
        for old in same_kind[:-MADE_PER_KIND]:
            del _MADE[old]
    return cast(T, _MADE[key])


KEEP_CONTENTS = 8
"""Contents whose cached files (rulebook, urgent model, words) are kept; older ones go."""


def _prune(cache_dir: Path) -> None:
    """Remove the cached files of all but the KEEP_CONTENTS most recent contents: every
    file named ``<fingerprint>.rulebook`` and the others that start with its fingerprint."""
    books = sorted(cache_dir.glob("*.rulebook"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in books[KEEP_CONTENTS:]:
        for f in cache_dir.glob(f"{old.stem}[.-]*"):
            with contextlib.suppress(OSError):
                f.unlink()


FINGERPRINTS_FILE = "fingerprints.json"
SETTLED_SECONDS = 2.0
"""A file changed this recently may change again within the clock's resolution."""


def _stat_key(root: Path) -> tuple[str, float]:
    """A digest of every file's name, size and times below ``root``, and the newest time.

    Any write to a file changes its ctime (which no tool can set back), so an unchanged
    key means unchanged content, as ``git status`` assumes.
    """
    entries: list[str] = []
    newest = 0.0
    pending = [("", str(root))]
    while pending:
        rel, folder = pending.pop()
        with os.scandir(folder) as it:
            for entry in it:
                name = rel + entry.name
                if entry.is_dir(follow_symlinks=False):  # as content_files: no loops
                    pending.append((name + "/", entry.path))
                    continue
                st = entry.stat()
                entries.append(
                    f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}"
                )
                newest = max(newest, st.st_mtime, st.st_ctime)
    entries.sort()
    digest = hashlib.sha256("\n".join(entries).encode("utf-8", "surrogateescape"))
    return digest.hexdigest(), newest


def _remembered_fingerprint(root: Path, cache_dir: Path) -> str:
    """``fingerprint(root)`` without reading every file again when none has changed.

    A national rulebook is thousands of files: hashing them all took longer than the
    rest of ``kiosk ask``. The fingerprint is remembered by the files' sizes and times,
    and only once they have settled (not changed in the last two seconds).
    """
    try:
        key, newest = _stat_key(root)
    except OSError:
        return fingerprint(root)
    memo_path = cache_dir / FINGERPRINTS_FILE
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
        if not isinstance(memo, dict):
            memo = {}
    except (OSError, ValueError):
        memo = {}
    found = memo.get(key)
    if isinstance(found, str) and found:
        return found
    value = fingerprint(root)
    if newest < time.time() - SETTLED_SECONDS:
        memo = {k: v for k, v in list(memo.items())[-15:]}
        memo[key] = value
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".fingerprints-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(memo, fh)
            os.replace(tmp, memo_path)
        except OSError:
            pass  # a read-only data folder only costs speed
    return value
