"""A loaded rulebook saved as JSON, so a process need not parse every YAML file again.

Keyed by the content's fingerprint: any change to a content file makes a new key. JSON,
not pickle: the cache is data, and reading it can never run code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from kiosk.content.load import fingerprint, load_rulebook
from kiosk.content.model import Article, Notice, Problem, Rulebook, Topic, Translation

CACHE_VERSION = 1


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
        "problems": [p.to_json() for p in problems],
    }


def from_json(data: dict, root: Path) -> tuple[Rulebook, list[Problem]]:
    articles = {}
    for a in data["articles"]:
        articles[a["id"]] = Article(
            id=a["id"],
            topic=a["topic"],
            translations={
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
        Problem(p["path"], p["line"], p["message"], p["column"], p["severity"])
        for p in data["problems"]
    ]
    return rulebook, problems


def load_cached(root: Path, cache_dir: Path) -> tuple[Rulebook, list[Problem]]:
    """The rulebook of ``root``: from the cache when the content is unchanged, else loaded
    from YAML and cached for next time."""
    root = Path(root)
    if not root.is_dir():
        return load_rulebook(root)
    path = cache_dir / f"{_remembered_fingerprint(root, cache_dir)}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") == CACHE_VERSION:
            return from_json(data, root)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing or damaged: load the YAML
    rulebook, problems = load_rulebook(root)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".rulebook-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(to_json(rulebook, problems), fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only data folder only costs speed
    return rulebook, problems


FINGERPRINTS_FILE = "fingerprints.json"
SETTLED_SECONDS = 2.0
"""A file changed this recently may change again within the clock's resolution."""


def _stat_key(root: Path) -> tuple[str, float]:
    """A digest of every file's name, size and times below ``root``, and the newest time.

    Any write to a file changes its ctime (which no tool can set back), so an unchanged
    key means unchanged content, as ``git status`` assumes.
    """
    digest = hashlib.sha256()
    newest = 0.0
    entries = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames.sort()
        for name in filenames:
            st = os.stat(os.path.join(dirpath, name))
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            entries.append(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}")
            newest = max(newest, st.st_mtime, st.st_ctime)
    for entry in sorted(entries):
        digest.update(entry.encode("utf-8", "surrogateescape") + b"\n")
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
