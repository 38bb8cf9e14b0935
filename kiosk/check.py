"""`kiosk check`: every problem in a content folder, and translation coverage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import LANGUAGES
from kiosk.content.load import load_rulebook
from kiosk.content.model import Article, Problem, Rulebook
from kiosk.content.smalltalk import load_smalltalk, not_covered_entry
from kiosk.content.urgent import FILE as URGENT_FILE
from kiosk.content.urgent import load_examples, load_urgent
from kiosk.content.yamlfile import Key, Located, display_path, read_yaml
from kiosk.text import fold_text

STALE_DAYS = 365
"""An article reviewed longer ago than this is flagged for review."""
COMMON_MIN_ARTICLES = 5
COMMON_SHARE = 0.15
"""A stem in at least this many (or this share of) articles of a language is common."""


@dataclass(frozen=True)
class CheckReport:
    """What the checker found: problems (errors and warnings) and coverage per language."""

    rulebook: Rulebook
    problems: tuple[Problem, ...]
    languages: tuple[str, ...]
    coverage: dict[str, int] = field(hash=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "content": str(self.rulebook.root),
            "articles": len(self.rulebook.articles),
            "languages": list(self.languages),
            "coverage": {
                lang: {"translated": n, "of": len(self.rulebook.articles)}
                for lang, n in self.coverage.items()
            },
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.to_json() for p in self.problems],
        }


def required_languages(rulebook: Rulebook, configured: Sequence[str] | None) -> tuple[str, ...]:
    """Languages every article must have: the configured ones, else those of the topics."""
    if configured:
        return tuple(configured)
    shipped = {lang for topic in rulebook.topics for lang in topic.titles}
    return tuple(lang for lang in LANGUAGES if lang in shipped) or rulebook.languages


def check_content(
    root: Path,
    languages: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> CheckReport:
    """Load ``root`` and check it as a whole; every problem is listed, not just the first."""
    today = today or dt.date.today()
    rulebook, problems = load_rulebook(root)
    problems = [*problems, *load_smalltalk(root).problems]
    required = required_languages(rulebook, languages)
    coverage = {lang: 0 for lang in required}

    places = _Places()
    problems += _urgent_problems(root, rulebook, required, places)
    for article in sorted(rulebook.articles.values(), key=lambda a: a.source):
        missing = [lang for lang in required if lang not in article.translations]
        for lang in required:
            coverage[lang] += lang not in missing
        if missing:
            problems.append(
                places.problem(
                    article.source,
                    ["translations"],
                    f"missing translation: {', '.join(missing)}",
                    severity="error",
                    key=True,
                )
            )
        problems += _date_warnings(article, today, places)

    topics_file = display_path(Path(rulebook.root, "topics.yaml"))
    for topic in rulebook.topics:
        where = places.list_item(topics_file, [], "id", topic.id)
        missing = [lang for lang in required if lang not in topic.titles]
        if missing:
            problems.append(
                places.problem(
                    topics_file,
                    [*where, "title"],
                    f"topic {topic.id!r} has no title in: {', '.join(missing)}",
                    severity="error",
                    key=True,
                )
            )
        if not any(a.topic == topic.id for a in rulebook.articles.values()):
            problems.append(
                places.problem(topics_file, where, f"topic {topic.id!r} has no articles")
            )
    notices_file = display_path(Path(rulebook.root, "notices.yaml"))
    for notice in rulebook.notices:
        if notice.valid_until and notice.valid_until < today:
            where = places.list_item(notices_file, [], "id", notice.id)
            problems.append(
                places.problem(
                    notices_file,
                    [*where, "until"],
                    f"notice {notice.id!r} ended on {notice.valid_until} and is no longer "
                    "shown: remove it",
                )
            )
    problems += _competing_questions(rulebook, places, today)
    problems += _synonym_warnings(rulebook, places)
    problems += _off_topic_conflicts(root, rulebook, places)
    return CheckReport(rulebook, tuple(problems), required, coverage)


def _off_topic_conflicts(root: Path, rulebook: Rulebook, places: _Places) -> list[Problem]:
    """A word of smalltalk.yaml's not_covered list that an article's title or keywords
    use: a question that article answers would get "I don't know" ("election" after an
    article on voting; "mecz*" for a football match also starts "meczet", a mosque)."""
    path = display_path(Path(root, "smalltalk.yaml"))
    doc = places.doc(path)
    data = doc.data if doc is not None else None
    lists = data.get("not_covered", {}).get("words", {}) if isinstance(data, dict) else {}
    if not isinstance(lists, dict):
        return []
    problems = []
    for lang, items in lists.items():
        if not isinstance(items, list):
            continue
        named: dict[str, set[str]] = {}  # folded title and keyword words -> articles
        for article in rulebook.articles.values():
            if lang not in article.translations:
                continue
            tr = article.translations[lang]
            for text in (tr.title, *tr.keywords):
                for word in fold_text(text).split():
                    named.setdefault(word, set()).add(article.id)
        for i, item in enumerate(items):
            parsed = not_covered_entry(item)
            if parsed is None or " " in parsed[0]:  # a phrase names a context, not a word
                continue
            word, prefix = parsed
            if prefix:
                users = {a for w, ids in named.items() if w.startswith(word) for a in ids}
            else:
                users = named.get(word, set())
            if users:
                problems.append(
                    places.problem(
                        path,
                        ["not_covered", "words", lang, i],
                        f"{lang}: not-covered word {item!r} is in the title or keywords of "
                        f"{', '.join(sorted(users))}: questions it answers would get "
                        '"I don\'t know"; take the word out or make it a phrase',
                    )
                )
    return problems


# ---- where a warning points -------------------------------------------------------------


class _Places:
    """Lines and columns of values in content files, read again only when a problem needs one."""

    def __init__(self) -> None:
        self._docs: dict[str, Located | None] = {}

    def doc(self, path: str) -> Located | None:
        if path not in self._docs:
            self._docs[path] = read_yaml(Path(path))[0] if Path(path).is_file() else None
        return self._docs[path]

    def problem(
        self,
        path: str,
        keys: Sequence[Key],
        message: str,
        severity: str = "warning",
        *,
        key: bool = False,
    ) -> Problem:
        """A problem at the value at ``keys`` (or at its key, with ``key``)."""
        doc = self.doc(path)
        node = doc.node(keys) if doc is not None else None
        if doc is not None and key and keys:  # a mapping node's value: (key, value) pairs
            pairs = getattr(doc.node(keys[:-1]), "value", None)
            keys_here = (
                [p[0] for p in pairs if isinstance(p, tuple)] if isinstance(pairs, list) else []
            )
            node = next((k for k in keys_here if k.value == keys[-1]), node)
        if node is None:
            return Problem(path, None, message, severity=severity)
        mark = node.start_mark
        return Problem(path, mark.line + 1, message, column=mark.column + 1, severity=severity)

    def list_item(self, path: str, keys: Sequence[Key], field: str, value: object) -> list[Key]:
        """Keys of the item of the list at ``keys`` whose ``field`` is ``value``."""
        doc = self.doc(path)
        data = doc.data if doc is not None else None
        for key in keys:
            data = data.get(key) if isinstance(data, dict) else None
        for i, item in enumerate(data if isinstance(data, list) else ()):
            if isinstance(item, dict) and item.get(field) == value:
                return [*keys, i]
        return list(keys)

    def synonym(self, path: str, lang: str, word: str) -> list[Key]:
        """Keys of ``word`` (as loaded: lowercased) in the synonyms file."""
        doc = self.doc(path)
        groups = doc.data.get(lang) if doc is not None and isinstance(doc.data, dict) else None
        for i, group in enumerate(groups if isinstance(groups, list) else ()):
            for j, member in enumerate(group if isinstance(group, list) else ()):
                if isinstance(member, str) and " ".join(member.lower().split()) == word:
                    return [lang, i, j]
        return [lang]


_SEPARATOR = "qqzxsepqqzx"
"""A word no text has: it splits many short texts analysed in one go."""


def _analyse_many(texts: list[str], lang: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(plain words, stems) of each text, from one pass of each analyzer over them all.

    Analysing thousands of short texts one by one costs more in the analyzers' set-up
    than in the work: joined by a separator word, the position of a token tells its text.
    """
    from kiosk.search.analysis import plain_analyzer, stemmed_analyzer

    joined = f" {_SEPARATOR} ".join(texts)
    plain: list[list[str]] = [[] for _ in texts]
    owner: dict[int, int] = {}
    index = 0
    for token in plain_analyzer()(joined, positions=True):
        if token.text == _SEPARATOR:
            index += 1
        else:
            plain[index].append(token.text)
            owner[token.pos] = index
    stems: list[list[str]] = [[] for _ in texts]
    for token in stemmed_analyzer(lang)(joined, positions=True):
        if token.pos in owner:
            stems[owner[token.pos]].append(token.text)
    return [(tuple(p), tuple(s)) for p, s in zip(plain, stems, strict=True)]


# ---- warnings -------------------------------------------------------------------------------


def _urgent_problems(
    root: Path, rulebook: Rulebook, required: Sequence[str], places: _Places
) -> list[Problem]:
    """urgent.yaml's and its examples' own problems, unknown articles, and languages a
    kind cannot answer in: a crisis reply must be there in every language the kiosk speaks."""
    book = load_urgent(root)
    problems = [*book.problems, *load_examples(root)[1]]
    path = display_path(Path(root, URGENT_FILE))
    for kind in book.kinds:
        keys = ["kinds", kind.id]
        for article_id in kind.articles:
            if article_id not in rulebook.articles:
                message = f"urgent {kind.id}: unknown article {article_id!r}"
                problems.append(places.problem(path, [*keys, "articles"], message, "error"))
        for part, texts in (("now", kind.now), ("talk", kind.talk)):
            missing = [lang for lang in required if lang not in texts]
            if missing:
                message = f"urgent {kind.id}: no '{part}' in {', '.join(missing)}"
                problems.append(places.problem(path, [*keys, part], message, "error"))
        missing = [lang for lang in required if not kind.phrasings.get(lang)]
        if missing:
            message = f"urgent {kind.id}: no phrasings in {', '.join(missing)}"
            problems.append(places.problem(path, [*keys, "phrasings"], message))
    missing = [lang for lang in required if lang not in book.check_in]
    if book.check_in and missing:
        message = f"urgent check_in: no text in {', '.join(missing)}"
        problems.append(places.problem(path, ["check_in"], message, "error", key=True))
    elif book.kinds and not book.check_in:
        message = (
            "urgent: no 'check_in' line, so a question that may hide a crisis gets no word "
            "on who to tell (see content/urgent.yaml's header)"
        )
        problems.append(places.problem(path, [], message))
    return problems


def _date_warnings(article: Article, today: dt.date, places: _Places) -> list[Problem]:
    out = []
    if _expired(article, today):
        out.append(
            places.problem(
                article.source,
                ["until"],
                f"in force until {article.valid_until}: no longer answered or listed; "
                "remove the article or change 'until'",
            )
        )
    if article.reviewed and article.reviewed > today:
        out.append(
            places.problem(
                article.source, ["reviewed"], f"'reviewed' date {article.reviewed} is in the future"
            )
        )
    elif article.reviewed and (today - article.reviewed).days > STALE_DAYS:
        out.append(
            places.problem(
                article.source,
                ["reviewed"],
                f"last reviewed {article.reviewed}, over a year ago: check that it is still "
                "right, then change 'reviewed'",
            )
        )
    return out


def _expired(article: Article, today: dt.date) -> bool:
    return article.valid_until is not None and article.valid_until < today


def _overlap(a: Article, b: Article) -> bool:
    """Whether two articles can be shown on the same kiosk on the same day."""
    if not set(a.units) & set(b.units):
        return False
    a_from, b_from = a.valid_from or dt.date.min, b.valid_from or dt.date.min
    a_until, b_until = a.valid_until or dt.date.max, b.valid_until or dt.date.max
    return a_from <= b_until and b_from <= a_until


def _competing_questions(rulebook: Rulebook, places: _Places, today: dt.date) -> list[Problem]:
    """Two articles (that can both be shown) listing the same question in one language.

    The same: equal once case, punctuation and accents are set aside, or the same set
    of analysed content words ("how do I book a visit" / "booking visits, how?"). An
    expired article competes with nothing: it is no longer shown (and has its own warning).
    """
    out = []
    shown = [a for a in rulebook.articles.values() if not _expired(a, today)]
    articles = sorted(shown, key=lambda a: a.source)
    for lang in rulebook.languages:
        exact: dict[str, tuple[Article, int]] = {}
        content: dict[frozenset[str], tuple[Article, int]] = {}
        asked = [(a, i, q) for a in articles if (tr := a.translations.get(lang))
                 for i, q in enumerate(tr.questions)]  # fmt: skip
        analysed = _analyse_many([q for _, _, q in asked], lang)
        for (article, i, question), (plain_words, stem_words) in zip(asked, analysed, strict=True):
            plain, stems = " ".join(plain_words), frozenset(stem_words)
            here = ["translations", lang, "questions", i]
            first = exact.get(plain)
            same_words = first is None and len(stems) >= 2 and content.get(stems)
            other = first or same_words
            if other and other[0].id == article.id and first:
                out.append(
                    places.problem(
                        article.source, here, f"{lang}: question {question!r} is listed twice"
                    )
                )
            elif other and other[0].id != article.id and _overlap(other[0], article):
                them, j = other
                there = places.problem(them.source, ["translations", lang, "questions", j], "")
                how = "the same question" if first else "a question with the same words"
                out.append(
                    places.problem(
                        article.source,
                        here,
                        f"{lang}: {question!r} is {how} as in {them.id} "
                        f"({there.path}:{there.line}): the two articles compete for it; "
                        "keep it in the one that answers it",
                    )
                )
            exact.setdefault(plain, (article, i))
            if len(stems) >= 2:  # one shared word is not yet the same question
                content.setdefault(stems, (article, i))
    return out


def _synonym_warnings(rulebook: Rulebook, places: _Places) -> list[Problem]:
    """Words in two groups, and members whose stem is a common word of other topics.

    A synonym stands for its whole group: when a member's stem is also a word that many
    articles on other topics use (the stemmer made two words meet, or the word has
    another everyday meaning), a question with any word of the group finds those
    articles, and a question with that common word is read as the group.
    """
    path = display_path(Path(rulebook.root, "synonyms.yaml"))
    out = []
    for lang, groups in rulebook.synonyms.items():
        seen: dict[str, int] = {}
        for i, group in enumerate(groups):
            for word in group:
                if word in seen and seen[word] != i:
                    out.append(
                        places.problem(
                            path,
                            places.synonym(path, lang, word),
                            f"{lang}: {word!r} is in two synonym groups "
                            f"({seen[word] + 1} and {i + 1}): it stands for both",
                        )
                    )
                seen.setdefault(word, i)
        out += _colliding_members(rulebook, lang, groups, path, places)
    return out


def _colliding_members(rulebook: Rulebook, lang: str, groups, path: str, places: _Places):
    """Members that the stemmer cuts down to another word common on other topics.

    Example: Arabic 'الكنتين' (the canteen) stems to 'كنت', which is also the word 'كنت'
    (I was), used in many articles. Only a word that is itself the stem counts, in
    articles on topics where no member of the group is written, so the group's own
    inflected forms are no collision.
    """
    from kiosk.search.analysis import plain_analyzer

    plainer = plain_analyzer()
    plain: dict[str, set[str]] = {}  # the words written in each article
    topic_of: dict[str, str] = {}
    for article in rulebook.articles.values():
        tr = article.translations.get(lang)
        if tr is None:
            continue
        text = " ".join([tr.title, tr.summary, tr.body, *tr.questions, *tr.keywords])
        topic_of[article.id] = article.topic
        plain[article.id] = {t.text for t in plainer(text)}
    common = max(COMMON_MIN_ARTICLES, round(COMMON_SHARE * len(plain)))
    out = []
    every = [m for group in groups for m in group]
    analysed = dict(zip(every, _analyse_many(every, lang), strict=True))
    # Stems that are themselves a word (the word stems to itself).
    stems = sorted({s[0] for _, s in analysed.values() if len(s) == 1})
    words_of = dict(zip(stems, _analyse_many(stems, lang), strict=True))
    is_word = {stem for stem, (w, st) in words_of.items() if w == (stem,) and st == (stem,)}
    for group in groups:
        members = {m: analysed[m] for m in group}
        member_words = {w for ws, _ in members.values() for w in ws}
        singles = {m: (ws[0], stems[0]) for m, (ws, stems) in members.items()
                   if len(ws) == 1 and len(stems) == 1}  # fmt: skip
        written = {word for word, _ in singles.values()}  # a phrase's words are no sign
        home = {topic_of[aid] for aid, found in plain.items() if found & written}
        if not home:
            continue  # no member is written in the rulebook: nothing to compare with
        by_stem: dict[str, list[str]] = {}
        for member, (word, stem) in singles.items():
            if word != stem and stem not in member_words and stem in is_word:
                by_stem.setdefault(stem, []).append(member)
        for stem, names in by_stem.items():
            away = {
                aid for aid, found in plain.items() if stem in found and topic_of[aid] not in home
            }
            if len(away) < common:
                continue
            shown = ", ".join(repr(m) for m in names)
            topics = ", ".join(sorted({topic_of[a] for a in away}))
            out.append(
                places.problem(
                    path,
                    places.synonym(path, lang, names[0]),
                    f"{lang}: synonym {shown} stems to {stem!r}, which is also the word "
                    f"{stem!r} of {len(away)} articles on other topics ({topics}): a question "
                    "with any word of this group finds those articles, and that word is read "
                    "as this group; use another form of the synonym, or drop it",
                )
            )
    return out


def coverage_table(report: CheckReport) -> str:
    """Articles x languages: which translations exist, with totals per language."""
    langs = report.languages
    articles = sorted(report.rulebook.articles.values(), key=lambda a: a.id)
    width = max((len(a.id) for a in articles), default=7)
    head = f"{'article':<{width}}  " + " ".join(f"{lang:>3}" for lang in langs)
    rows = [
        f"{a.id:<{width}}  "
        + " ".join(f"{'ok' if lang in a.translations else '--':>3}" for lang in langs)
        for a in articles
    ]
    total = len(articles)
    totals = f"{'translated':<{width}}  " + " ".join(
        f"{report.coverage.get(lang, 0):>3}" for lang in langs
    )
    return "\n".join([head, *rows, totals + f"  of {total}"])


def errors_line(problems: Sequence[Problem]) -> str | None:
    """One line for staff when content loaded with errors (None when it has none): how many,
    and the files whose content was left out in whole or in part.

    `kiosk ask`, `kiosk eval` and the staff preview still answer from the rest; without
    this line an article lost to a bad indent was missed only by the answers.
    """
    errors = [p for p in problems if p.severity == "error"]
    if not errors:
        return None
    files = ", ".join(dict.fromkeys(p.path for p in errors))
    noun = "error" if len(errors) == 1 else "errors"
    return f"content has {len(errors)} {noun}, left out: {files}; run kiosk check"
