"""Load a content folder into a Rulebook, collecting every problem with file:line.

A broken file is left out and reported; the rest of the rulebook still loads, so a kiosk
keeps answering from everything that is sound.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from kiosk import LANGUAGES, UNIT_TYPES
from kiosk.content.model import Article, Notice, Problem, Rulebook, Topic, Translation
from kiosk.content.yamlfile import Key, Located, display_path, read_yaml
from kiosk.formats import PLACEHOLDER, fill_placeholders, placeholder_error
from kiosk.sanitize import clean_text

ARTICLE_KEYS = {"id", "topic", "units", "reviewed", "related", "translations", "from", "until"}
TRANSLATION_KEYS = {"title", "summary", "body", "questions", "keywords"}
REQUIRED_TEXT = ("title", "summary", "body")
MIN_QUESTIONS = 4
# Size limits of one article in one language. The longest sample article body is 1,558
# characters in 14 paragraphs; a kiosk reader reads no more than a few screens, and a
# body of 30,000 short paragraphs took the kiosk 39 s and 1.5 GB to show. Above a limit
# `kiosk check` reports an error and the loader keeps only what fits.
MAX_BODY_CHARS = 20_000
"""Characters of a body (about 13 times the longest sample article)."""
MAX_BODY_LINES = 400
"""Lines of a body (paragraphs, list items, blank lines): each is a block on screen."""
MAX_LINE_CHARS = {"title": 200, "summary": 1_000}
"""Characters of a title and of a summary."""
MAX_LIST_ITEMS = 100
"""Questions, and keywords, per article and language (the sample has at most 24)."""
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Text that a renderer could read as markup or as a link. Content is shown literally,
# but a square-bracket tag or a link in the source is almost always a mistake that
# would look broken on screen, so the checker asks the author to remove it.
_MARKUP = [
    (re.compile(r"\[[^\]\n]*\]"), "square brackets look like markup; use round brackets"),
    (re.compile(r"</?[A-Za-z!][^>\n]*>"), "HTML tags are not allowed"),
    (
        re.compile(r"(?i)\b(?:https?|ftp|file|mailto|tel):|\bwww\.\w"),
        "links are not allowed: the kiosk cannot open them",
    ),
    (re.compile(r"`"), "backticks are not allowed"),
]
_CONTROL = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def content_files(root: Path) -> list[Path]:
    """Every YAML file of a content folder, in a stable order."""
    files = [p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def fingerprint(root: Path, extra: str = "") -> str:
    """A short hash of every content file's name and bytes (plus ``extra``)."""
    digest = hashlib.sha256(extra.encode())
    for path in content_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()[:16]


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.locations: dict[str, Located] = {}

    # ---- small typed readers; each reports where a value is wrong -------------------

    def text(self, doc: Located, keys: Sequence[Key], value: object, *, one_line: bool) -> str:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problems.append(doc.problem(keys, f"'{keys[-1]}' must be text"))
            return ""
        raw = str(value)
        self.check_text(doc, keys, raw)
        cleaned = clean_text(raw, keep_newlines=not one_line).strip()
        return " ".join(cleaned.split()) if one_line else cleaned

    def check_text(self, doc: Located, keys: Sequence[Key], raw: str) -> None:
        for m in PLACEHOLDER.finditer(raw):
            if why := placeholder_error(m.group(1), m.group(2)):
                self.problems.append(
                    Problem(doc.path, doc.text_line(keys, m.start()), f"'{keys[-1]}': {why}")
                )
        if m := _CONTROL.search(raw):
            code = f"U+{ord(m.group()):04X}"
            self.problems.append(
                Problem(
                    doc.path,
                    doc.text_line(keys, m.start()),
                    f"'{keys[-1]}' contains a bidi control character ({code})",
                )
            )
        for pattern, why in _MARKUP:
            if m := pattern.search(raw):
                self.problems.append(
                    Problem(
                        doc.path,
                        doc.text_line(keys, m.start()),
                        f"'{keys[-1]}': {why}: {m.group()[:40]!r}",
                    )
                )

    def text_list(self, doc: Located, keys: Sequence[Key], value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problems.append(doc.problem(keys, f"'{keys[-1]}' must be a list of texts"))
            return ()
        out = []
        for i, item in enumerate(value):
            text = self.text(doc, [*keys, i], item, one_line=True)
            if text:
                out.append(text)
        return tuple(out)

    def date(self, doc: Located, keys: Sequence[Key], value: object) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problems.append(
            doc.problem(keys, f"'{keys[-1]}' must be a date written YYYY-MM-DD, not {value!r}")
        )
        return None

    def units(self, doc: Located, keys: Sequence[Key], value: object) -> tuple[str, ...]:
        if value is None:
            return UNIT_TYPES
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.problems.append(
                doc.problem(keys, f"'units' must be a list of unit types: {', '.join(UNIT_TYPES)}")
            )
            return UNIT_TYPES
        good = []
        for i, unit in enumerate(value):
            if unit in UNIT_TYPES:
                good.append(unit)
            else:
                self.problems.append(
                    doc.problem(
                        [*keys, i],
                        f"unknown unit type {unit!r} (use {', '.join(UNIT_TYPES)})",
                    )
                )
        return tuple(u for u in UNIT_TYPES if u in good) or UNIT_TYPES

    def unknown_keys(
        self, doc: Located, keys: Sequence[Key], mapping: dict, allowed: Iterable[str]
    ) -> None:
        allowed = set(allowed)
        for key in mapping:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.problems.append(
                    Problem(
                        doc.path,
                        doc.key_line([*keys, key]),
                        f"unknown key {key!r} (expected one of: {hint})",
                    )
                )

    def mapping(self, doc: Located, keys: Sequence[Key], value: object, what: str) -> dict | None:
        if isinstance(value, dict):
            return value
        self.problems.append(doc.problem(keys, f"{what} must be a mapping of 'key: value' lines"))
        return None

    # ---- files ------------------------------------------------------------------------

    def read(self, path: Path) -> Located | None:
        doc, problems = read_yaml(path)
        self.problems.extend(problems)
        return doc

    def topics(self) -> tuple[Topic, ...]:
        path = self.root / "topics.yaml"
        if not path.exists():
            self.problems.append(Problem(display_path(path), None, "topics file is missing"))
            return ()
        doc = self.read(path)
        if doc is None:
            return ()
        if not isinstance(doc.data, list):
            self.problems.append(doc.problem([], "topics.yaml must be a list of topics"))
            return ()
        topics, seen = [], set()
        for i, item in enumerate(doc.data):
            entry = self.mapping(doc, [i], item, "a topic")
            if entry is None:
                continue
            self.unknown_keys(doc, [i], entry, {"id", "title"})
            tid = entry.get("id")
            if not isinstance(tid, str) or not _ID.match(tid):
                self.problems.append(doc.problem([i, "id"], f"topic id {tid!r} is not valid"))
                continue
            if tid in seen:
                self.problems.append(doc.problem([i, "id"], f"topic {tid!r} is listed twice"))
                continue
            seen.add(tid)
            titles = self.lang_texts(doc, [i, "title"], entry.get("title"))
            topics.append(Topic(tid, titles))
        return tuple(topics)

    def lang_texts(self, doc: Located, keys: Sequence[Key], value: object) -> dict[str, str]:
        mapping = self.mapping(doc, keys, value, f"'{keys[-1]}' (one text per language)")
        if mapping is None:
            return {}
        out = {}
        for lang, text in mapping.items():
            if lang not in LANGUAGES:
                self.problems.append(
                    Problem(
                        doc.path,
                        doc.key_line([*keys, lang]),
                        f"unknown language {lang!r} (use {', '.join(LANGUAGES)})",
                    )
                )
                continue
            cleaned = self.text(doc, [*keys, lang], text, one_line=True)
            if cleaned:
                out[lang] = fill_placeholders(cleaned, lang)
            else:
                self.problems.append(doc.problem([*keys, lang], f"'{lang}' text is empty"))
        return out

    def article(self, path: Path, topic_ids: set[str]) -> Article | None:
        doc = self.read(path)
        if doc is None:
            return None
        data = self.mapping(doc, [], doc.data, "an article file")
        if data is None:
            return None
        self.unknown_keys(doc, [], data, ARTICLE_KEYS)

        rel = path.relative_to(self.root / "articles")
        expected_id = ".".join([*rel.parent.parts, rel.stem])
        aid = data.get("id")
        if not isinstance(aid, str) or not aid:
            self.problems.append(doc.problem(["id"], "the article has no 'id'"))
            aid = expected_id
        elif aid != expected_id:
            self.problems.append(
                doc.problem(
                    ["id"], f"id {aid!r} does not match the file's place (expected {expected_id!r})"
                )
            )
            # The file's place wins, so links to it from other articles keep working.
            aid = expected_id
        topic = data.get("topic")
        if not isinstance(topic, str) or not topic:
            self.problems.append(doc.problem(["topic"], "the article has no 'topic'"))
            topic = rel.parts[0] if len(rel.parts) > 1 else ""
        elif not aid.startswith(topic + "."):
            self.problems.append(
                doc.problem(["topic"], f"topic {topic!r} does not match the id {aid!r}")
            )
        if topic_ids and topic not in topic_ids:
            self.problems.append(
                doc.problem(["topic"], f"topic {topic!r} is not listed in topics.yaml")
            )

        related = data.get("related") or []
        if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
            self.problems.append(doc.problem(["related"], "'related' must be a list of ids"))
            related = []

        translations = {}
        raw_translations = self.mapping(
            doc, ["translations"], data.get("translations"), "'translations'"
        )
        for lang, raw in (raw_translations or {}).items():
            if lang not in LANGUAGES:
                self.problems.append(
                    Problem(
                        doc.path,
                        doc.key_line(["translations", lang]),
                        f"unknown language {lang!r} (use {', '.join(LANGUAGES)})",
                    )
                )
                continue
            tr = self.translation(doc, ["translations", lang], raw)
            if tr is not None:
                translations[lang] = tr

        article = Article(
            id=aid,
            topic=topic,
            translations=translations,
            units=self.units(doc, ["units"], data.get("units")),
            reviewed=self.date(doc, ["reviewed"], data.get("reviewed")),
            related=tuple(related),
            valid_from=self.date(doc, ["from"], data.get("from")),
            valid_until=self.date(doc, ["until"], data.get("until")),
            source=doc.path,
        )
        if article.valid_from and article.valid_until and article.valid_until < article.valid_from:
            self.problems.append(doc.problem(["until"], "'until' is before 'from'"))
        self.locations[aid] = doc
        # An article with problems still loads when it has text to show: a typo in
        # 'related' must not take a whole answer away from the kiosk.
        return article if translations else None

    def translation(self, doc: Located, keys: list[Key], raw: object) -> Translation | None:
        mapping = self.mapping(doc, keys, raw, f"translation '{keys[-1]}'")
        if mapping is None:
            return None
        self.unknown_keys(doc, keys, mapping, TRANSLATION_KEYS)
        texts = {}
        for name in REQUIRED_TEXT:
            value = mapping.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                self.problems.append(doc.problem(keys, f"'{keys[-1]}' translation has no {name!r}"))
                texts[name] = ""
            else:
                text = self.text(doc, [*keys, name], value, one_line=name != "body")
                text = self.within_limits(doc, [*keys, name], text)
                texts[name] = fill_placeholders(text, str(keys[-1]))
        questions = self.text_list(doc, [*keys, "questions"], mapping.get("questions"))
        questions = self.within_limits(doc, [*keys, "questions"], questions)
        if len(questions) < MIN_QUESTIONS:
            self.problems.append(
                doc.problem(
                    [*keys, "questions"] if "questions" in mapping else keys,
                    f"'{keys[-1]}' has {len(questions)} questions; write at least {MIN_QUESTIONS}",
                )
            )
        keywords = self.text_list(doc, [*keys, "keywords"], mapping.get("keywords"))
        keywords = self.within_limits(doc, [*keys, "keywords"], keywords)
        if not texts["title"] and not texts["summary"]:
            return None
        return Translation(
            title=texts["title"] or texts["summary"],
            summary=texts["summary"],
            body=texts["body"],
            questions=questions,
            keywords=keywords,
        )

    def within_limits(self, doc: Located, keys: list[Key], value):
        """``value`` (a text or a list of texts), cut to the size limits of its field; an
        error at its line when it had to be cut."""
        lang, name = keys[-2], keys[-1]
        where = f"'{lang}' {name}"
        if isinstance(value, tuple):
            if len(value) <= MAX_LIST_ITEMS:
                return value
            self.problems.append(
                doc.problem(keys, f"{where}: {len(value)} items, at most {MAX_LIST_ITEMS}")
            )
            return value[:MAX_LIST_ITEMS]
        limit = MAX_LINE_CHARS.get(str(name), MAX_BODY_CHARS)
        if name == "body" and value.count("\n") >= MAX_BODY_LINES:
            self.problems.append(
                doc.problem(
                    keys,
                    f"{where} has {value.count(chr(10)) + 1} lines, at most {MAX_BODY_LINES} "
                    "(split it into several articles)",
                )
            )
            value = "\n".join(value.split("\n")[:MAX_BODY_LINES])
        if len(value) > limit:
            self.problems.append(
                doc.problem(
                    keys,
                    f"{where} is {len(value)} characters long, at most {limit} "
                    "(split it into several articles)",
                )
            )
            value = value[:limit]
        return value

    def synonyms(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        path = self.root / "synonyms.yaml"
        if not path.exists():
            return {}
        doc = self.read(path)
        if doc is None:
            return {}
        data = self.mapping(doc, [], doc.data, "synonyms.yaml")
        out: dict[str, tuple[tuple[str, ...], ...]] = {}
        for lang, groups in (data or {}).items():
            if lang not in LANGUAGES:
                self.problems.append(
                    Problem(doc.path, doc.key_line([lang]), f"unknown language {lang!r}")
                )
                continue
            if not isinstance(groups, list):
                self.problems.append(doc.problem([lang], "synonyms must be a list of groups"))
                continue
            parsed = []
            for i, group in enumerate(groups):
                words = self.text_list(doc, [lang, i], group)
                words = tuple(dict.fromkeys(w.lower() for w in words))
                if len(words) < 2:
                    self.problems.append(
                        doc.problem([lang, i], "a synonym group needs at least two words")
                    )
                    continue
                parsed.append(words)
            out[lang] = tuple(parsed)
        return out

    def orientation(self) -> tuple[dict[str, tuple[str, ...]], Located | None]:
        path = self.root / "orientation.yaml"
        if not path.exists():
            return {}, None
        doc = self.read(path)
        if doc is None:
            return {}, None
        data = self.mapping(doc, [], doc.data, "orientation.yaml")
        out = {}
        for unit, ids in (data or {}).items():
            if unit not in UNIT_TYPES:
                self.problems.append(
                    Problem(
                        doc.path,
                        doc.key_line([unit]),
                        f"unknown unit type {unit!r} (use {', '.join(UNIT_TYPES)})",
                    )
                )
                continue
            out[unit] = self.text_list(doc, [unit], ids)
        return out, doc

    def notices(self) -> tuple[Notice, ...]:
        path = self.root / "notices.yaml"
        if not path.exists():
            return ()
        doc = self.read(path)
        if doc is None:
            return ()
        data = doc.data if doc.data is not None else []
        if not isinstance(data, list):
            self.problems.append(doc.problem([], "notices.yaml must be a list of notices"))
            return ()
        notices = []
        for i, item in enumerate(data):
            entry = self.mapping(doc, [i], item, "a notice")
            if entry is None:
                continue
            self.unknown_keys(doc, [i], entry, {"id", "text", "units", "from", "until"})
            nid = entry.get("id")
            if not isinstance(nid, str) or not nid:
                self.problems.append(doc.problem([i], "the notice has no 'id'"))
                nid = f"notice-{i + 1}"
            texts = self.lang_texts(doc, [i, "text"], entry.get("text"))
            if not texts:
                continue
            notice = Notice(
                id=nid,
                texts=texts,
                units=self.units(doc, [i, "units"], entry.get("units")),
                valid_from=self.date(doc, [i, "from"], entry.get("from")),
                valid_until=self.date(doc, [i, "until"], entry.get("until")),
            )
            if notice.valid_from and notice.valid_until and notice.valid_until < notice.valid_from:
                self.problems.append(doc.problem([i, "until"], "'until' is before 'from'"))
            notices.append(notice)
        return tuple(notices)

    # ---- the whole folder ---------------------------------------------------------------

    def load(self) -> Rulebook:
        topics = self.topics()
        topic_ids = {t.id for t in topics}
        articles: dict[str, Article] = {}
        articles_dir = self.root / "articles"
        paths = content_files(articles_dir) if articles_dir.is_dir() else []
        if not paths:
            self.problems.append(
                Problem(display_path(articles_dir), None, "no article files found")
            )
        for path in paths:
            article = self.article(path, topic_ids)
            if article is None:
                continue
            if article.id in articles:
                self.problems.append(
                    Problem(
                        article.source,
                        self.locations[article.id].line(["id"]),
                        f"id {article.id!r} is already used by {articles[article.id].source}",
                    )
                )
                continue
            articles[article.id] = article
        orientation, orientation_doc = self.orientation()
        rulebook = Rulebook(
            root=self.root,
            topics=topics,
            articles=articles,
            synonyms=self.synonyms(),
            orientation=orientation,
            notices=self.notices(),
            fingerprint=fingerprint(self.root),
        )
        self.cross_references(rulebook, orientation_doc)
        return rulebook

    def cross_references(self, rulebook: Rulebook, orientation_doc: Located | None) -> None:
        for article in rulebook.articles.values():
            doc = self.locations.get(article.id)
            for i, rid in enumerate(article.related):
                if rid not in rulebook.articles:
                    self.problems.append(
                        Problem(
                            article.source,
                            doc.line(["related", i]) if doc else None,
                            f"'related' names unknown article {rid!r}",
                        )
                    )
                elif rid == article.id:
                    self.problems.append(
                        Problem(
                            article.source,
                            doc.line(["related", i]) if doc else None,
                            "'related' names the article itself",
                        )
                    )
        if orientation_doc is not None:
            for unit, ids in rulebook.orientation.items():
                for i, aid in enumerate(ids):
                    if aid not in rulebook.articles:
                        self.problems.append(
                            orientation_doc.problem(
                                [unit, i], f"orientation step names unknown article {aid!r}"
                            )
                        )
                    elif not rulebook.articles[aid].applies_to(unit):
                        self.problems.append(
                            orientation_doc.problem(
                                [unit, i], f"article {aid!r} does not apply to {unit!r} units"
                            )
                        )


def load_rulebook(root: Path) -> tuple[Rulebook, list[Problem]]:
    """The rulebook of a content folder and every problem found while loading it."""
    loader = _Loader(Path(root))
    if not loader.root.is_dir():
        shown = display_path(loader.root)
        empty = Rulebook(loader.root, (), {}, {}, {}, (), "")
        return empty, [Problem(shown, None, "content folder not found")]
    rulebook = loader.load()
    return rulebook, loader.problems
