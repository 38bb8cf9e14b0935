"""Small talk and commands, answered before any search.

Greetings, thanks, goodbyes, "help", "who are you", "talk to a person" and a language's
name ("polski", "norsk", "العربية") are recognised in all six languages from
``content/smalltalk.yaml``, which staff can edit. A question is small talk only when the
whole of it is one of the listed phrasings (after folding case, accents and punctuation,
and allowing a small typo in longer phrasings): "hello, how do I book a visit" is a
question for the search, not a greeting.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import LANGUAGES
from kiosk.content.model import Problem
from kiosk.content.yamlfile import read_yaml
from kiosk.sanitize import clean_text

FILE = "smalltalk.yaml"
INTENTS = ("greeting", "thanks", "ok", "goodbye", "help", "who", "person")
LANGUAGE = "language"
NOT_COVERED = "not_covered"
MAX_WORDS = 12
"""Longer questions are never small talk: they go to search."""

# Arabic marks that split or vary words without changing them: harakat, tatweel.
_ARABIC_MARKS = dict.fromkeys([*range(0x064B, 0x0653), 0x0670, 0x0640])
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_NOT_WORD = re.compile(r"[^\w]+")
# Words people add around a phrase that do not change it ("hello there!", "thanks :)").
_FILLER = frozenset(
    [
        "please",
        "pls",
        "plz",
        "kiosk",
        "bot",
        "ok",
        "okay",
        "oki",
        "okei",
        "okej",
        "dobrze",
        "gerai",
        "bine",
        "prosze",
        "prasau",
    ]
)


_OPERATORS = "|".join(
    [
        "times",
        "multiplied",
        "divided",
        "plus",
        "minus",
        "ganger",
        "gange",
        "delt",
        "dividert",
        "pluss",
        "razy",
        "pomnozone",
        "podzielone",
        "dzielone",
        "podzielic",
        "kart",
        "padalinti",
        "padalint",
        "padauginti",
        "ori",
        "inmultit",
        "impartit",
        "supra",
        "ضرب",
        "مضروب",
        "زائد",
        "زايد",
        "ناقص",
        "تقسيم",
        "قسمه",
    ]
)
# Two numbers joined by an operator: "17 x 23", "15 razy 12", "45 impartit la 9". Not "-"
# or "/": "09-14" and "12/5" are opening hours and dates.
_ARITHMETIC = re.compile(r"\d+\s*(?:[+*x×÷=^]|(?:" + _OPERATORS + r")(?:\s+\w{1,3})?)\s*\d+")


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, Arabic letter variants unified."""
    text = clean_text(text, keep_newlines=False).casefold().translate(_ARABIC_MARKS)
    text = text.translate(_ARABIC_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(
        ch for ch in decomposed if not (unicodedata.combining(ch) and "\u0300" <= ch <= "\u036f")
    )
    text = text.replace("ł", "l").replace("ø", "o").replace("æ", "ae").replace("ß", "ss")
    text = unicodedata.normalize("NFC", text)
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of two letters as one edit, stopping above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def _same_word(a: str, b: str) -> bool:
    """One word in another form or with a typo: "oddzialowym" for "oddzialowy"."""
    limit = 1 if min(len(a), len(b)) >= 5 else 0
    return bool(limit) and edit_distance(a, b, limit) <= limit


def _allowed_typos(phrase: str) -> int:
    """Edits tolerated for a phrase: none for short words ("hei" is not "hey")."""
    letters = len(phrase.replace(" ", ""))
    return 0 if letters < 5 else 1 if letters < 12 else 2


@dataclass(frozen=True)
class SmallTalk:
    """What was recognised: the intent, the language it was said in, and the reply."""

    intent: str
    lang: str
    reply: str
    switch_to: str | None = None  # for the "language" intent: the language asked for


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
    _words: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def talk_words(self, lang: str) -> frozenset[str]:
        """The words of a language's small-talk phrasings ("robotem", "adevarat", "الجهاز"),
        without its small words: said around a phrasing they are small talk too."""
        found = self._words.get(lang)
        if found is None:
            stops = _folded_stopwords(lang)
            words = [
                w
                for per_lang in self.phrases.values()
                for p in per_lang.get(lang, ())
                for w in p.split()
            ]
            if lang == "ar":
                words = _arabic_forms(words)
            found = frozenset(w for w in words if len(w) > 2 and w not in stops)
            self._words[lang] = found
        return found

    def not_covered(self, question: str, languages: Iterable[str]) -> str | None:
        lang = self._off_topic_words(question, languages)
        plain = clean_text(question, keep_newlines=False).casefold()
        if lang is None and (_ARITHMETIC.search(plain) or _ARITHMETIC.search(fold(question))):
            return next(iter(languages), None)  # "what is 17 times 23": not a rulebook question
        return lang

    def _off_topic_words(self, question: str, languages: Iterable[str]) -> str | None:
        """The language of an off-topic word in ``question`` (weather, football...), or None.

        Only the given languages' lists are used: "oras" is weather in Lithuanian but a
        town in Romanian written without accents.
        """
        text = fold(question)
        words = text.split()
        for lang in dict.fromkeys(languages):
            exact, starts, phrases = self.off_topic.get(lang, (frozenset(), (), ()))
            forms = _arabic_forms(words) if lang == "ar" else words
            if any(w in exact or w.startswith(starts) for w in forms if starts or exact):
                return lang
            if any(f" {p} " in f" {text} " for p in phrases):
                return lang
        return None

    def recognise(
        self,
        question: str,
        ui_lang: str,
        languages: Iterable[str] = LANGUAGES,
        topical: Callable[[str], bool] | None = None,
    ) -> SmallTalk | None:
        """The small talk ``question`` is, or None when it is a question for the search.

        The whole question may be a phrasing ("thanks!"), or a phrasing with a few words
        around it ("cine ești tu?", "iki, viso gero") when none of those words is
        ``topical`` (a word of the rulebook): "can I talk to an officer about my visit"
        is a question about visits.
        """
        text = _without_filler(fold(question))
        if not text or text.count(" ") >= MAX_WORDS:
            return None
        languages = tuple(languages)
        order = (ui_lang, *[lang for lang in languages if lang != ui_lang])

        for lang, names in self.language_names.items():
            if lang in languages and text in names:
                reply = self.replies.get(LANGUAGE, {}).get(lang)
                if reply:
                    return SmallTalk(LANGUAGE, lang, reply, switch_to=lang)

        for how in ("exact", "near", "inside"):
            if how == "inside" and topical is None:
                break
            for lang in order:
                for intent in INTENTS:
                    phrases = self.phrases.get(intent, {}).get(lang, frozenset())
                    if how == "exact":
                        found = text in phrases
                    elif how == "near":
                        found = self._near(text, phrases)
                    else:
                        found = self._inside(text, phrases, lang, topical, self.talk_words(lang))
                    reply = self.replies.get(intent, {}).get(lang) if found else None
                    if reply:
                        return SmallTalk(intent, lang, reply)
        return None

    @staticmethod
    def _inside(
        text: str, phrases: frozenset[str], lang: str, topical, talk: frozenset[str] = frozenset()
    ) -> bool:
        """A phrasing with at most two other words, none of them a word of the rulebook.

        Words of other small-talk phrasings in the language (``talk``) do not count after a
        phrasing of two words or more: "what are you, some kind of robot", "vreau sa
        vorbesc cu un om adevarat, nu cu un calculator".
        """
        words = text.split()
        stops = _folded_stopwords(lang)
        taken = {p: left for p in phrases if (left := _take(words, p.split())) is not None}
        # Take out every phrasing of the intent that is there ("chce gadac z oddzialowym" and
        # "nie z komputerem"), starting from each one in turn (two phrasings may share a
        # word: "porozmawiac z czlowiekiem", "z prawdziwym czlowiekiem"); then look at
        # what is left. Sorted, so the answer never depends on set order.
        ordered = sorted(taken, key=lambda p: (-p.count(" "), p))
        for first in ordered:
            rest = taken[first]
            longest = first.count(" ") + 1
            for phrase in ordered:
                left = _take(rest, phrase.split())
                if left is not None:
                    rest = left
                    longest = max(longest, phrase.count(" ") + 1)
            extra = [w for w in rest if w not in stops]
            # "officer" alone would swallow "officer hit me": one-word phrasings take
            # nothing but small words around them.
            allowed = 2 if longest >= 2 else 0
            if allowed:
                extra = [w for w in extra if not _talk_word(w, talk, lang)]
            if len(extra) <= allowed and not any(topical(w) for w in extra):
                return True
        return False

    @staticmethod
    def _near(text: str, phrases: frozenset[str]) -> bool:
        for phrase in phrases:
            limit = _allowed_typos(phrase)
            if limit and edit_distance(text, phrase, limit) <= limit:
                return True
        return False


_AR_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ف", "ل")


def _arabic_forms(words: list[str]) -> list[str]:
    """Arabic words as written and without "the", "and", "in", "for" joined to them
    ("البيتكوين" is "بيتكوين"): the not-covered list need not spell every form."""
    forms = list(words)
    for w in words:
        for prefix in _AR_PREFIXES:
            if w.startswith(prefix) and len(w) - len(prefix) >= 3:
                forms.append(w[len(prefix) :])
    return forms


def _talk_word(word: str, talk: frozenset[str], lang: str) -> bool:
    """Whether ``word`` is a small-talk word in some form ("robot" for "robotem")."""
    forms = _arabic_forms([word]) if lang == "ar" else [word]
    for form in forms:
        if form in talk:
            return True
        if len(form) >= 4 and any(
            len(t) >= 4 and (t.startswith(form) or form.startswith(t)) for t in talk
        ):
            return True
    return False


def _take(words: list[str], wanted: list[str]) -> list[str] | None:
    """``words`` without one of each ``wanted`` word (or its near form), or None."""
    left = list(words)
    for word in wanted:
        hit = next((w for w in left if w == word or _same_word(w, word)), None)
        if hit is None:
            return None
        left.remove(hit)
    return left


@functools.cache
def _folded_stopwords(lang: str) -> frozenset[str]:
    """A language's stopwords as written and folded (the text is folded: "tavęs" is "taves")."""
    from kiosk.search.stopwords import STOPWORDS

    stops = STOPWORDS.get(lang, frozenset())
    return stops | {fold(w) for w in stops}


def _babel_names() -> dict[str, set[str]]:
    """Each language's name as Babel writes it in all six languages ("polsk", "polnisch")."""
    from babel import Locale

    names: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
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
                names[lang].add(_without_filler(fold(name)))
    return names


def load_smalltalk(content_dir: Path) -> SmallTalkBook:
    """The small-talk book of a content folder; an absent file means no small talk."""
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
        babel = _babel_names()
    except Exception:  # Babel's names are a help, never a need
        babel = {}
    for lang, names in babel.items():
        book.language_names[lang] = frozenset(book.language_names.get(lang, frozenset()) | names)
    _drop_clashes(book)
    return book


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
            if not isinstance(item, str) or not item.strip():
                continue
            prefix = item.strip().endswith("*")
            text = fold(item.rstrip("*"))
            if not text:
                continue
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


def _without_filler(text: str) -> str:
    """``text`` without the words people add around a phrase; a text of nothing but those
    ("ok", "okay", "dobrze") is itself the phrase (intent 'ok'), so it is kept whole."""
    return " ".join(w for w in text.split() if w not in _FILLER) or text


def _phrase_set(items: object, keys: list, problem) -> frozenset[str]:
    if not isinstance(items, list):
        problem(keys, "must be a list of phrasings")
        return frozenset()
    folded = set()
    for item in items:
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            text = _without_filler(fold(str(item)))
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
    "SmallTalk",
    "SmallTalkBook",
    "fold",
    "load_smalltalk",
]
