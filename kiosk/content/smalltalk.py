"""Small talk and commands: the phrasings and replies staff write, loaded and checked.

Recognising them in a question is kiosk/assistant/smalltalk.py's job.

Greetings, thanks, goodbyes, "help", "who are you", "talk to a person" and a language's
name ("polski", "norsk", "العربية") are recognised in all six languages from
``content/smalltalk.yaml``, which staff can edit. A question is small talk only when the
whole of it is one of the listed phrasings (after folding case, accents and punctuation,
and allowing a small typo in longer phrasings): "hello, how do I book a visit" is a
question for the search, not a greeting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import LANGUAGES
from kiosk.content.model import Problem
from kiosk.content.yamlfile import read_yaml
from kiosk.sanitize import clean_text
from kiosk.text import fold_text as fold
from kiosk.wordlists import SMALLTALK_FILLER

FILE = "smalltalk.yaml"
INTENTS = ("greeting", "thanks", "ok", "goodbye", "help", "who", "person")
LANGUAGE = "language"
NOT_COVERED = "not_covered"


@dataclass
class SmallTalkBook:
    """Phrases and replies per intent and language, from ``smalltalk.yaml``."""

    phrases: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    replies: dict[str, dict[str, str]] = field(default_factory=dict)
    language_names: dict[str, frozenset[str]] = field(default_factory=dict)
    # Words of subjects the kiosk knows nothing about: exact words, word starts, phrases.
    off_topic: dict[str, tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=dict
    )
    problems: list[Problem] = field(default_factory=list)


def _babel_names(cache_dir: Path | None = None) -> dict[str, set[str]]:
    """Each language's name as Babel writes it in all six languages ("polsk", "polnisch"),
    folded and without filler words."""
    return {
        lang: {without_filler(fold(name)) for name in names}
        for lang, names in _names_from_babel(cache_dir).items()
    }


def _names_from_babel(cache_dir: Path | None) -> dict[str, list[str]]:
    """Each language's names as Babel writes them, as they are.

    Reading Babel's six locales costs a process a twentieth of a second; with
    ``cache_dir``, the names are kept there as JSON, one file per Babel version (a damaged
    file is read from Babel again)."""
    if cache_dir is None:
        return _read_babel()
    import babel

    from kiosk.files import kept

    def read(data: bytes) -> dict[str, list[str]]:
        names = json.loads(data)
        if not isinstance(names, dict) or not all(
            lang in LANGUAGES and isinstance(v, list) and all(isinstance(n, str) for n in v)
            for lang, v in names.items()
        ):
            raise ValueError("not a table of language names")
        return names

    return kept(
        cache_dir / f"language-names-babel{babel.__version__}.json",
        read,
        _read_babel,
        lambda names: json.dumps(names, ensure_ascii=False).encode(),
    )


def _read_babel() -> dict[str, list[str]]:
    from babel import Locale

    names: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for shown_in in LANGUAGES:
        try:
            locale = Locale.parse(shown_in)
        except Exception:  # a missing CLDR locale only loses names
            continue
        for lang in LANGUAGES:
            name = locale.languages.get(lang) or (
                locale.languages.get("no") if lang == "nb" else None
            )
            if name:
                names[lang].append(name)
    return names


def load_smalltalk(content_dir: Path, cache_dir: Path | None = None) -> SmallTalkBook:
    """The small-talk book of a content folder; an absent file means no small talk.

    ``cache_dir``: where Babel's language names may be kept (see ``_babel_names``)."""
    book = SmallTalkBook()
    path = content_dir / FILE
    if not path.is_file():
        return book
    doc, problems = read_yaml(path)
    book.problems.extend(problems)
    data = doc.data if doc is not None else None
    if data is None:
        return book
    where = str(path)

    def problem(keys: list, message: str, *, at_key: bool = False) -> None:
        line = doc.key_line(keys) if at_key and keys else doc.line(keys)
        book.problems.append(Problem(where, line, message))

    if not isinstance(data, dict):
        problem([], "small talk must be a mapping of intents")
        return book
    for key, value in data.items():
        if key in INTENTS or key == LANGUAGE:
            if not isinstance(value, dict):
                problem([key], f"{key}: must have 'phrases' and 'reply'")
                continue
            for part in value:
                if part not in ("phrases", "reply") or (key == LANGUAGE and part == "phrases"):
                    problem([key, part], f"{key}: unknown key '{part}'", at_key=True)
            replies = value.get("reply")
            if not isinstance(replies, dict):
                problem([key], f"{key}: 'reply' must give a text per language")
                replies = {}
            for lang, text in replies.items():
                if lang not in LANGUAGES:
                    problem([key, "reply", lang], f"{key}: unknown language '{lang}'")
                elif not isinstance(text, str) or not text.strip():
                    problem([key, "reply", lang], f"{key}: the {lang} reply must be text")
                else:
                    clean = clean_text(text, keep_newlines=False).strip()
                    book.replies.setdefault(key, {})[lang] = " ".join(clean.split())
            if key == LANGUAGE:
                continue
            phrases = value.get("phrases")
            if not isinstance(phrases, dict):
                problem([key], f"{key}: 'phrases' must give a list per language")
                continue
            for lang, items in phrases.items():
                if lang not in LANGUAGES:
                    problem([key, "phrases", lang], f"{key}: unknown language '{lang}'")
                    continue
                folded = _phrase_set(items, [key, "phrases", lang], problem)
                book.phrases.setdefault(key, {})[lang] = folded
                if folded and lang not in book.replies.get(key, {}):
                    problem([key, "phrases", lang], f"{key}: phrases in {lang} but no reply")
        elif key == NOT_COVERED:
            _read_not_covered(book, value, problem)
        elif key == "language_names":
            if not isinstance(value, dict):
                problem([key], "language_names: must give a list per language")
                continue
            for lang, items in value.items():
                if lang not in LANGUAGES:
                    problem([key, lang], f"language_names: unknown language '{lang}'")
                    continue
                book.language_names[lang] = _phrase_set(items, [key, lang], problem)
        else:
            intents = ", ".join((*INTENTS, LANGUAGE, "language_names", NOT_COVERED))
            problem([key], f"unknown intent '{key}' (use {intents})", at_key=True)

    try:
        babel = _babel_names(cache_dir)
    except Exception:  # Babel's names are a help, never a need
        babel = {}
    for lang, names in babel.items():
        book.language_names[lang] = frozenset(book.language_names.get(lang, frozenset()) | names)
    _drop_clashes(book)
    return book


def not_covered_entry(item: object) -> tuple[str, bool] | None:
    """A not_covered entry folded ("værmelding*" -> "vaermelding"), and whether it stands
    for every word that starts so; None for an empty or non-text entry."""
    if not isinstance(item, str) or not item.strip():
        return None
    text = fold(item.rstrip("*"))
    return (text, item.strip().endswith("*")) if text else None


def _read_not_covered(book: SmallTalkBook, value: object, problem) -> None:
    if not isinstance(value, dict) or not isinstance(value.get("words"), dict):
        problem([NOT_COVERED], f"{NOT_COVERED}: must have 'words' (a list per language)")
        return
    for part in value:
        if part not in ("words", "reply"):
            problem([NOT_COVERED, part], f"{NOT_COVERED}: unknown key '{part}'", at_key=True)
    for lang, items in value["words"].items():
        keys = [NOT_COVERED, "words", lang]
        if lang not in LANGUAGES:
            problem(keys, f"{NOT_COVERED}: unknown language '{lang}'")
            continue
        if not isinstance(items, list):
            problem(keys, "must be a list of words")
            continue
        exact, starts, phrases = set(), set(), set()
        for item in items:
            parsed = not_covered_entry(item)
            if parsed is None:
                continue
            text, prefix = parsed
            if " " in text:
                phrases.add(text)
            elif prefix and len(text) < 3:
                problem(keys, f"{NOT_COVERED}: '{item}' is too short to end with *")
            else:
                (starts if prefix else exact).add(text)
        book.off_topic[lang] = (frozenset(exact), tuple(sorted(starts)), tuple(sorted(phrases)))
    replies = value.get("reply")
    if isinstance(replies, dict):
        for lang, text in replies.items():
            if lang in LANGUAGES and isinstance(text, str) and text.strip():
                book.replies.setdefault(NOT_COVERED, {})[lang] = " ".join(
                    clean_text(text, keep_newlines=False).split()
                )
    else:
        problem([NOT_COVERED], f"{NOT_COVERED}: 'reply' must give a text per language")


def without_filler(text: str) -> str:
    """``text`` without the words people add around a phrase; a text of nothing but those
    ("ok", "okay", "dobrze") is itself the phrase (intent 'ok'), so it is kept whole."""
    return " ".join(w for w in text.split() if w not in SMALLTALK_FILLER) or text


def _phrase_set(items: object, keys: list, problem) -> frozenset[str]:
    if not isinstance(items, list):
        problem(keys, "must be a list of phrasings")
        return frozenset()
    folded = set()
    for item in items:
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            text = without_filler(fold(str(item)))
            if text:
                folded.add(text)
    return frozenset(folded)


def _drop_clashes(book: SmallTalkBook) -> None:
    """A name that means two languages ("romana"?) is dropped rather than guessed."""
    seen: dict[str, str] = {}
    clashes: set[str] = set()
    for lang, names in book.language_names.items():
        for name in names:
            if name in seen and seen[name] != lang:
                clashes.add(name)
            seen[name] = lang
    if clashes:
        book.language_names = {
            lang: frozenset(n for n in names if n not in clashes)
            for lang, names in book.language_names.items()
        }


__all__ = [
    "INTENTS",
    "LANGUAGE",
    "NOT_COVERED",
    "SmallTalkBook",
    "load_smalltalk",
]
