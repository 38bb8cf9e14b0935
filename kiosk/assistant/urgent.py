"""Urgent situations, recognised before anything else is done with a question.

Self-harm and suicide, violence and threats, sexual abuse, a medical emergency, fear for
one's life: a question that says any of these, in any of the kiosk's languages and
whatever the kiosk's own language, gets the what-to-do-now reply, never a search result,
a "did you mean" or "I don't know".

The phrasings are staff content (``content/urgent.yaml``). A phrasing is a few words
that must all be in the question, in that order, with at most ``MAX_GAP`` other words
between two of them ("kill myself" also matches "kill my own self"). A word may end in
``*`` (any word that starts so: "suicid*") or offer choices ("kill*|end* my life").
Text is folded first (case, accents, Arabic letter forms, punctuation), Arabic words are
also tried without a joined "and", "the" or "to" (و، ف، ال، ب، ل), and a word of five
letters or more may have one typo ("sucide" is "suicid*"). Missing a crisis is the
failure that matters, so matching leans to recall: everyday idioms that use the same
words ("kill time", "dying for a coffee") are listed in ``not_urgent`` and taken out of
the question before the phrasings are tried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kiosk import LANGUAGES
from kiosk.content.smalltalk import edit_distance, fold
from kiosk.content.urgent import UrgentBook

MAX_GAP = 3
"""Other words allowed between two words of a phrasing ("want to end my whole life")."""
IDIOM_GAP = 1
"""Idioms are tighter: "kill the time", not "kill ... time" across a sentence."""
TYPO_FROM = 6
"""Words (and word starts) this long may have one typo; shorter ones must be exact: at
five letters too many everyday words are one edit from a phrasing's word ("mano", my,
is one from "manto", a beating; "sūnus", son, from "sumuš-", beat up)."""
TWO_TYPOS_FROM = 11
"""Whole words this long may have two."""

# Arabic clitics written joined to the next word: "and", "so", "the", "with", "for".
_AR_PREFIXES = ("وال", "فال", "بال", "لل", "ال", "و", "ف", "ب", "ل")


@dataclass(frozen=True)
class UrgentMatch:
    """What was recognised: the kind, and the language of the phrasing that matched."""

    kind: str
    lang: str
    phrasing: str


@dataclass(frozen=True)
class _Choice:
    stem: str
    prefix: bool


_Pattern = tuple[tuple[_Choice, ...], ...]


def _compile(text: str) -> _Pattern | None:
    words = []
    for word in text.split():
        choices = []
        for choice in word.split("|"):
            prefix = choice.endswith("*")
            stem = fold(choice.rstrip("*"))
            if stem and " " not in stem:
                choices.append(_Choice(stem, prefix))
            elif stem:  # "s-a" folds to two words: keep them as one choice of the first
                choices.append(_Choice(stem.split()[0], prefix))
        if not choices:
            return None
        words.append(tuple(choices))
    return tuple(words) or None


def _forms(word: str) -> tuple[str, ...]:
    """A folded word and, for Arabic, the word without a joined clitic."""
    forms = [word]
    if word and _arabic(word):
        for prefix in _AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                forms.append(word[len(prefix) :])
    return tuple(forms)


def _fits(form: str, choice: _Choice, known: Callable[[str], bool]) -> bool:
    """Whether a question's word is the phrasing's word, or a typo of it.

    A typo is one edit, in a word the rulebook does not use (``known``), not at a word
    start's last letter (where words inflect: the Lithuanian "pasikal-bėti", to talk, is
    not "pasikar-ti", to hang oneself), in a word of ``TYPO_FROM`` letters or more, with
    the first letter right. Arabic script and Arabizi get none: their words are short and
    close together, and one letter turns "appeal" (الطعن) into "stabbing".
    """
    stem = choice.stem
    if form.startswith(stem) if choice.prefix else form == stem:
        return True
    n = len(stem)
    if n < TYPO_FROM or not form or form[0] != stem[0] or not stem.isalpha() or _arabic(stem):
        return False
    if known(form):  # a word the rulebook uses is no typo: "dager" (days) is not "danger"
        return False
    if choice.prefix:
        if form.startswith(stem[:-1]):
            return False
        return any(
            edit_distance(form[:cut], stem, 1) <= 1 for cut in (n - 1, n, n + 1) if cut <= len(form)
        )
    limit = 2 if n >= TWO_TYPOS_FROM else 1
    return abs(len(form) - n) <= limit and edit_distance(form, stem, limit) <= limit


def _nothing_known(word: str) -> bool:
    return False


def _arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


class _Question:
    """A question's folded words, with a cache of which words fit which choice."""

    def __init__(self, text: str, known: Callable[[str], bool]) -> None:
        self.words = [_forms(w) for w in fold(text).split()]
        self.known = known
        self._hits: dict[_Choice, frozenset[int]] = {}

    def positions(self, choice: _Choice) -> frozenset[int]:
        hits = self._hits.get(choice)
        if hits is None:
            hits = frozenset(
                i
                for i, forms in enumerate(self.words)
                if any(_fits(f, choice, self.known) for f in forms)
            )
            self._hits[choice] = hits
        return hits

    def find(
        self, pattern: _Pattern, blocked: set[int], gap: int, ordered: bool = True
    ) -> list[int] | None:
        """Positions of the pattern's words close together (in order, if ``ordered``),
        or None. Unordered, the words may stand in any order within the same reach:
        "mane muša" and "muša mane", "mnie biją" and "biją mnie"."""
        candidates = [
            sorted(set().union(*(self.positions(c) for c in word)) - blocked) for word in pattern
        ]
        if any(not c for c in candidates):
            return None
        reach = (len(pattern) - 1) * (gap + 1)

        def extend(found: list[int], k: int) -> list[int] | None:
            if k == len(pattern):
                return found
            for pos in candidates[k]:
                if pos in found:
                    continue
                if ordered:
                    fits = found[-1] < pos <= found[-1] + gap + 1
                else:
                    fits = max(*found, pos) - min(*found, pos) <= reach
                if fits and (done := extend([*found, pos], k + 1)):
                    return done
            return None

        for start in candidates[0]:
            if done := extend([start], 1):
                return done
        return None


class UrgentRecogniser:
    """Tells whether a question is urgent, from an :class:`UrgentBook`."""

    def __init__(self, book: UrgentBook) -> None:
        self.book = book
        self._kinds = [
            (
                kind.id,
                {
                    lang: [(p, c) for p in items if (c := _compile(p))]
                    for lang, items in kind.phrasings.items()
                },
            )
            for kind in book.kinds
        ]
        self._idioms = [
            c for items in book.not_urgent.values() for p in items if (c := _compile(p))
        ]

    def __bool__(self) -> bool:
        return bool(self._kinds)

    def recognise(
        self,
        text: str,
        languages: Iterable[str] = LANGUAGES,
        known: Callable[[str], bool] | None = None,
    ) -> UrgentMatch | None:
        """The urgent situation ``text`` speaks of, or None.

        ``languages`` says which language's phrasings to try first (the kiosk's own);
        every language is tried, since a person may write in any of them. ``known``
        tells the (folded) words of the rulebook, which are never read as typos.
        """
        if not self._kinds or not text.strip():
            return None
        question = _Question(text, known or _nothing_known)
        if not question.words:
            return None
        blocked: set[int] = set()
        for idiom in self._idioms:
            while (found := question.find(idiom, blocked, IDIOM_GAP)) is not None:
                blocked.update(found)
        order = list(dict.fromkeys([*languages, *LANGUAGES]))
        for kind, per_lang in self._kinds:
            for lang in order:
                for phrasing, pattern in per_lang.get(lang, ()):
                    if question.find(pattern, blocked, MAX_GAP, ordered=False) is not None:
                        return UrgentMatch(kind, lang, phrasing)
        return None


__all__ = ["UrgentMatch", "UrgentRecogniser"]
