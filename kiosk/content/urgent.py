"""Urgent situations as staff wrote them: kinds, phrasings, replies (``urgent.yaml``), and
labelled example questions (``urgent_examples.yaml``).

This module only reads and checks the file; recognising a question as urgent is the
assistant's job (``kiosk/assistant/urgent.py``). Every problem names its file and line,
like any other content problem, so ``kiosk check`` lists them.

The file::

    kinds:                        # in order of precedence: the first kind that matches wins
      self_harm:
        articles: [healthcare.mental-health]   # offered as buttons under the reply
        now:   {en: "Press the call button ...", nb: ...}   # the first line: what to do now
        talk:  {en: "Talk to the nurse ...", ...}          # then who to talk to, helplines
        phrasings:
          en: ["suicid*", "kill*|kil myself|my self", ...]
    not_urgent:                   # everyday idioms taken out before matching
      en: ["kill* time", "dying for", ...]
    check_in:                     # a calm line for a question that may hide a crisis
      en: "If you do not feel safe or well, ..."
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import LANGUAGES
from kiosk.content.model import Problem
from kiosk.content.yamlfile import read_yaml
from kiosk.sanitize import clean_text

FILE = "urgent.yaml"
EXAMPLES_FILE = "urgent_examples.yaml"
"""Labelled questions, urgent (with their kind) or everyday: what the learnt model of
urgent situations learns from (kiosk/assistant/urgent_model.py)."""
KINDS = ("self_harm", "medical", "sexual_abuse", "violence", "fear")
"""The kinds an example may name."""
PARTS = ("articles", "now", "talk", "phrasings")
MAX_PATTERN_WORDS = 6
"""A phrasing is a few words; a longer one would almost never match as a whole."""
_ARTICLE_ID = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+$")


@dataclass(frozen=True)
class UrgentKind:
    """One kind of urgent situation: how people say it and what the kiosk replies."""

    id: str
    now: dict[str, str] = field(hash=False)
    talk: dict[str, str] = field(hash=False)
    phrasings: dict[str, tuple[str, ...]] = field(hash=False)
    articles: tuple[str, ...] = ()


@dataclass
class UrgentBook:
    """Every kind, in order of precedence, and the idioms that are not urgent."""

    kinds: tuple[UrgentKind, ...] = ()
    not_urgent: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A calm line, per language, under the answer to a question that only may hide a
    # crisis (kiosk/assistant/urgent_model.py, CHECK_IN): who to tell, at any time.
    check_in: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def kind(self, kind_id: str) -> UrgentKind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)


def load_urgent(content_dir: Path) -> UrgentBook:
    """The urgent-situation book of a content folder (empty, with no problem, if absent)."""
    book = UrgentBook()
    path = content_dir / FILE
    if not path.is_file():
        return book
    doc, problems = read_yaml(path)
    book.problems.extend(problems)
    data = doc.data if doc is not None else None
    if data is None:
        return book

    def problem(keys: list, message: str, *, at_key: bool = False) -> None:
        book.problems.append(doc.problem(keys, message, at_key=at_key))

    if not isinstance(data, dict):
        problem([], "urgent situations must be a mapping with 'kinds' and 'not_urgent'")
        return book
    for key in data:
        if key not in ("kinds", "not_urgent", "check_in"):
            problem([key], f"unknown key '{key}' (use kinds, not_urgent, check_in)", at_key=True)
    kinds = data.get("kinds")
    if not isinstance(kinds, dict) or not kinds:
        problem(["kinds"], "'kinds' must list the kinds of urgent situation")
        kinds = {}
    found: list[UrgentKind] = []
    for kind_id, value in kinds.items():
        keys = ["kinds", kind_id]
        if not isinstance(value, dict):
            problem(keys, f"{kind_id}: must have {', '.join(PARTS)}")
            continue
        for part in value:
            if part not in PARTS:
                problem([*keys, part], f"{kind_id}: unknown key '{part}'", at_key=True)
        now = _texts(value.get("now"), [*keys, "now"], f"{kind_id}: now", problem)
        talk = _texts(value.get("talk"), [*keys, "talk"], f"{kind_id}: talk", problem)
        phrasings = _phrasings(value.get("phrasings"), [*keys, "phrasings"], kind_id, problem)
        for lang in phrasings:
            if lang not in now:
                problem([*keys, "now"], f"{kind_id}: phrasings in {lang} but no 'now' reply")
        articles = value.get("articles", [])
        if not isinstance(articles, list) or not all(
            isinstance(a, str) and _ARTICLE_ID.match(a) for a in articles
        ):
            problem([*keys, "articles"], f"{kind_id}: 'articles' must be a list of article ids")
            articles = []
        found.append(UrgentKind(str(kind_id), now, talk, phrasings, tuple(articles)))
    book.kinds = tuple(found)
    idioms = data.get("not_urgent", {})
    if isinstance(idioms, dict):
        for lang, items in idioms.items():
            keys = ["not_urgent", lang]
            if lang not in LANGUAGES:
                problem(keys, f"not_urgent: unknown language '{lang}'", at_key=True)
                continue
            book.not_urgent[lang] = _patterns(items, keys, "not_urgent", problem)
    else:
        problem(["not_urgent"], "'not_urgent' must give a list of idioms per language")
    if "check_in" in data:
        book.check_in = _texts(data["check_in"], ["check_in"], "check_in", problem)
    return book


@dataclass(frozen=True)
class Example:
    q: str
    urgent: bool
    kind: str | None = None


def load_examples(content_dir: Path) -> tuple[list[Example], list[Problem]]:
    """The labelled examples of a content folder (none, and no problem, when absent)."""
    path = content_dir / EXAMPLES_FILE
    if not path.is_file():
        return [], []
    doc, problems = read_yaml(path)
    if doc is None:
        return [], problems
    if not isinstance(doc.data, list):
        return [], [*problems, doc.problem([], "urgent examples must be a list")]
    examples = []
    for i, item in enumerate(doc.data):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            problems.append(doc.problem([i], "an example needs a question 'q'"))
            continue
        urgent = item.get("urgent")
        kind = item.get("kind")
        hint = item.get("hint", False)
        if not isinstance(urgent, bool):
            problems.append(doc.problem([i], "'urgent' must be true or false"))
        elif urgent and kind not in KINDS:
            problems.append(doc.problem([i], f"'kind' must be one of {', '.join(KINDS)}"))
        elif not isinstance(hint, bool) or (hint and not urgent):
            problems.append(
                doc.problem([i, "hint"], "'hint' is true or false, and true only when urgent")
            )
        else:
            examples.append(Example(item["q"], urgent, kind if urgent else None))
    return examples, problems


def _texts(value: object, keys: list, what: str, problem) -> dict[str, str]:
    if not isinstance(value, dict):
        problem(keys, f"{what}: must give a text per language")
        return {}
    texts: dict[str, str] = {}
    for lang, text in value.items():
        if lang not in LANGUAGES:
            problem([*keys, lang], f"{what}: unknown language '{lang}'", at_key=True)
        elif not isinstance(text, str) or not text.strip():
            problem([*keys, lang], f"{what}: the {lang} text must be text")
        else:
            texts[lang] = " ".join(clean_text(text, keep_newlines=False).split())
    return texts


def _phrasings(value: object, keys: list, kind_id: str, problem) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        problem(keys, f"{kind_id}: 'phrasings' must give a list per language")
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for lang, items in value.items():
        if lang not in LANGUAGES:
            problem([*keys, lang], f"{kind_id}: unknown language '{lang}'", at_key=True)
            continue
        found[lang] = _patterns(items, [*keys, lang], kind_id, problem)
    return found


def _patterns(items: object, keys: list, what: str, problem) -> tuple[str, ...]:
    """The phrasings of one list, checked: words, ``word*`` starts, ``a|b`` choices."""
    if not isinstance(items, list):
        problem(keys, f"{what}: must be a list of phrasings")
        return ()
    kept: list[str] = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            problem([*keys, i], f"{what}: a phrasing must be text")
            continue
        text = " ".join(clean_text(item, keep_newlines=False).split())
        words = text.split()
        if len(words) > MAX_PATTERN_WORDS:
            problem([*keys, i], f"{what}: '{text}' has more than {MAX_PATTERN_WORDS} words")
            continue
        short = [
            choice
            for word in words
            for choice in word.split("|")
            if choice.endswith("*") and len(choice.rstrip("*")) < 3
        ]
        if short or any(not choice.strip("*") for w in words for choice in w.split("|")):
            problem([*keys, i], f"{what}: '{text}': a word start needs 3 letters before *")
            continue
        kept.append(text)
    return tuple(kept)


__all__ = [
    "EXAMPLES_FILE",
    "FILE",
    "KINDS",
    "Example",
    "UrgentBook",
    "UrgentKind",
    "load_examples",
    "load_urgent",
]
