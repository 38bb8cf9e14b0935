"""Small talk and commands, recognised before any search.

Greetings, thanks, goodbyes, "help", "who are you", "talk to a person" and a language's
name ("polski", "norsk", "العربية") are recognised in all six languages from
``content/smalltalk.yaml`` (loaded by kiosk/content/smalltalk.py). A question is small
talk only when the whole of it is one of the listed phrasings (after folding case,
accents and punctuation, and allowing a small typo in longer phrasings), or one with a
few words around it none of which is a rulebook word: "hello, how do I book a visit" is
a question for the search, not a greeting.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kiosk import LANGUAGES
from kiosk.content.smalltalk import INTENTS, LANGUAGE, SmallTalkBook, without_filler
from kiosk.sanitize import clean_text
from kiosk.text import arabic_forms, edit_distance
from kiosk.text import fold_text as fold
from kiosk.wordlists import ARITHMETIC_OPERATORS, STOPWORDS

MAX_WORDS = 12
"""Longer questions are never small talk: they go to search."""
# Two numbers joined by an operator: "17 x 23", "15 razy 12", "45 impartit la 9". Not "-"
# or "/": "09-14" and "12/5" are opening hours and dates.
_ARITHMETIC = re.compile(
    r"\d+\s*(?:[+*x×÷=^]|(?:" + "|".join(ARITHMETIC_OPERATORS) + r")(?:\s+\w{1,3})?)\s*\d+"
)


@dataclass(frozen=True)
class SmallTalk:
    """What was recognised: the intent, the language it was said in, and the reply."""

    intent: str
    lang: str
    reply: str
    switch_to: str | None = None  # for the "language" intent: the language asked for


class SmallTalkRecogniser:
    """Recognises the small talk of a ``SmallTalkBook`` in a person's words."""

    def __init__(self, book: SmallTalkBook) -> None:
        self.book = book
        self.replies = book.replies
        self.problems = book.problems
        self._words: dict[tuple[str, str | None], frozenset[str]] = {}

    def talk_words(self, lang: str, intent: str | None = None) -> frozenset[str]:
        """The words of a language's small-talk phrasings ("robotem", "adevarat", "الجهاز"),
        without its small words: said around a phrasing they are small talk too. With
        ``intent``: only that intent's phrasings."""
        key = (lang, intent)
        found = self._words.get(key)
        if found is None:
            stops = _folded_stopwords(lang)
            words = [
                w
                for name, per_lang in self.book.phrases.items()
                if intent is None or name == intent
                for p in per_lang.get(lang, ())
                for w in p.split()
            ]
            if lang == "ar":
                words = [f for w in words for f in arabic_forms(w)]
            found = frozenset(w for w in words if len(w) > 2 and w not in stops)
            self._words[key] = found
        return found

    def not_covered(
        self, question: str, languages: Iterable[str]
    ) -> tuple[str, tuple[str, ...]] | None:
        """A subject the kiosk knows it does not cover in ``question`` (weather, football,
        a pet, arithmetic): the language it was named in and the words that name it, or
        None.

        The words are the entry's own, or those of a two-word entry ("ha hund" gives "ha",
        "hund"); a longer entry such as "how long will i get" names a context, not a
        subject, and arithmetic ("what is 17 times 23") gives none. Only the given
        languages' lists are used: "oras" is weather in Lithuanian but a town in Romanian
        written without accents.
        """
        languages = tuple(languages)
        found = self._off_topic_entry(question, languages)
        if found is not None:
            return found
        plain = clean_text(question, keep_newlines=False).casefold()
        if languages and (_ARITHMETIC.search(plain) or _ARITHMETIC.search(fold(question))):
            return languages[0], ()
        return None

    def _off_topic_entry(
        self, question: str, languages: tuple[str, ...]
    ) -> tuple[str, tuple[str, ...]] | None:
        text = fold(question)
        words = text.split()
        for lang in dict.fromkeys(languages):
            exact, starts, phrases = self.book.off_topic.get(lang, (frozenset(), (), ()))
            forms = [f for w in words for f in arabic_forms(w)] if lang == "ar" else words
            named = [w for w in forms if (starts or exact) and (w in exact or w.startswith(starts))]
            inside = [p for p in phrases if f" {p} " in f" {text} "]
            if named or inside:
                short = [w for p in inside if p.count(" ") == 1 for w in p.split()]
                return lang, tuple(dict.fromkeys([*named, *short]))
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
        text = without_filler(fold(question))
        if not text or text.count(" ") >= MAX_WORDS:
            return None
        languages = tuple(languages)
        order = (ui_lang, *[lang for lang in languages if lang != ui_lang])

        for lang, names in self.book.language_names.items():
            if lang in languages and text in names:
                reply = self.book.replies.get(LANGUAGE, {}).get(lang)
                if reply:
                    return SmallTalk(LANGUAGE, lang, reply, switch_to=lang)

        for how in ("exact", "near", "inside"):
            if how == "inside" and topical is None:
                break
            for lang in order:
                for intent in INTENTS:
                    phrases = self.book.phrases.get(intent, {}).get(lang, frozenset())
                    if how == "exact":
                        found = text in phrases
                    elif how == "near":
                        found = self._near(text, phrases, topical)
                    else:
                        found = self._inside(
                            text,
                            phrases,
                            lang,
                            topical,
                            self.talk_words(lang),
                            self.talk_words(lang, intent),
                        )
                    reply = self.book.replies.get(intent, {}).get(lang) if found else None
                    if reply:
                        return SmallTalk(intent, lang, reply)
        return None

    @staticmethod
    def _inside(
        text: str,
        phrases: frozenset[str],
        lang: str,
        topical,
        talk: frozenset[str] = frozenset(),
        own: frozenset[str] = frozenset(),
    ) -> bool:
        """A phrasing with at most two other words, none of them a word of the rulebook.

        Words of other small-talk phrasings in the language (``talk``) do not count after a
        phrasing of two words or more: "what are you, some kind of robot", "vreau sa
        vorbesc cu un om adevarat, nu cu un calculator". A word of the rulebook counts
        unless it is a word of the same intent's phrasings (``own``): "what do i do during
        the day" is a question about the day ("day" is a word of "good day", a greeting),
        "dzieki, milego dnia" a goodbye.
        """
        words = text.split()
        stops = _folded_stopwords(lang)
        taken = {p: left for p in phrases if (left := _take(words, p.split(), topical)) is not None}
        # Take out every phrasing of the intent that is there ("chce gadac z oddzialowym" and
        # "nie z komputerem"), starting from each one in turn (two phrasings may share a
        # word: "porozmawiac z czlowiekiem", "z prawdziwym czlowiekiem"); then look at
        # what is left. Sorted, so the answer never depends on set order.
        ordered = sorted(taken, key=lambda p: (-p.count(" "), p))
        for first in ordered:
            rest = taken[first]
            longest = first.count(" ") + 1
            for phrase in ordered:
                left = _take(rest, phrase.split(), topical)
                if left is not None:
                    rest = left
                    longest = max(longest, phrase.count(" ") + 1)
            extra = [w for w in rest if w not in stops]
            # "officer" alone would swallow "officer hit me": one-word phrasings take
            # nothing but small words around them.
            allowed = 2 if longest >= 2 else 0
            if allowed:
                extra = [
                    w
                    for w in extra
                    if not _talk_word(w, own, lang)
                    and not (_talk_word(w, talk, lang) and not topical(w))
                ]
            if len(extra) <= allowed and not any(topical(w) for w in extra):
                return True
        return False

    @staticmethod
    def _near(text: str, phrases: frozenset[str], topical=None) -> bool:
        """A phrasing with a typo or two; not when the typo turns it towards the rulebook
        (a word that differs is nearly a rulebook word, the phrasing's was not)."""
        for phrase in phrases:
            limit = _allowed_typos(phrase)
            if limit and edit_distance(text, phrase, limit) <= limit:
                differ = set(text.split()) - set(phrase.split())
                instead = set(phrase.split()) - set(text.split())
                toward_rulebook = any(topical(w) for w in differ) and not any(
                    topical(w) for w in instead
                )
                if topical is None or not toward_rulebook:
                    return True
        return False


def _same_word(a: str, b: str) -> bool:
    """One word in another form or with a typo: "oddzialowym" for "oddzialowy"."""
    limit = 1 if min(len(a), len(b)) >= 5 else 0
    return bool(limit) and edit_distance(a, b, limit) <= limit


def _allowed_typos(phrase: str) -> int:
    """Edits tolerated for a phrase: none for short words ("hei" is not "hey")."""
    letters = len(phrase.replace(" ", ""))
    return 0 if letters < 5 else 1 if letters < 12 else 2


def _talk_word(word: str, talk: frozenset[str], lang: str) -> bool:
    """Whether ``word`` is a small-talk word in some form ("robot" for "robotem")."""
    forms = arabic_forms(word) if lang == "ar" else (word,)
    for form in forms:
        if form in talk:
            return True
        if len(form) >= 4 and any(
            len(t) >= 4 and (t.startswith(form) or form.startswith(t)) for t in talk
        ):
            return True
    return False


def _take(words: list[str], wanted: list[str], topical=None) -> list[str] | None:
    """``words`` without one of each ``wanted`` word (or its near form; for a phrasing of
    one word, not a form that is nearly a rulebook word: "lawer" is no "later"), or
    None."""
    left = list(words)
    alone = len(wanted) == 1
    for word in wanted:
        hit = next(
            (
                w
                for w in left
                if w == word or (_same_word(w, word) and not (alone and topical and topical(w)))
            ),
            None,
        )
        if hit is None:
            return None
        left.remove(hit)
    return left


@functools.cache
def _folded_stopwords(lang: str) -> frozenset[str]:
    """A language's stopwords as written and folded (the text is folded: "tavęs" is "taves")."""
    stops = STOPWORDS.get(lang, frozenset())
    return stops | {fold(w) for w in stops}
