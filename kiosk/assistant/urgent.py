"""Urgent situations, recognised before anything else is done with a question.

Self-harm and suicide, violence and threats, sexual abuse, a medical emergency, fear for
one's life: a question that says any of these, in any of the kiosk's languages and
whatever the kiosk's own language, gets the what-to-do-now reply, never a search result,
a "did you mean" or "I don't know".

The phrasings are staff content (``content/urgent.yaml``). A phrasing is a few words
that must all be in the question, with at most ``MAX_GAP`` other words between two of
them ("kill myself" also matches "kill my own self"); in Norwegian and English in that
order, in the other languages in any order (``FREE_ORDER``). A word may end in ``*``
(any word that starts so: "suicid*") or offer choices ("kill*|end* my life"). Text is
folded first (case, accents, Arabic letter forms, punctuation), Arabic words are also
tried without a joined "and", "the" or "to" (و، ف، ال، ب، ل), and a word of
``TYPO_FROM`` letters or more may have one typo ("sucide" is "suicid*"). Missing a crisis is the
failure that matters, so matching leans to recall: everyday idioms that use the same
words ("kill time", "dying for a coffee") are listed in ``not_urgent`` and taken out of
the question before the phrasings are tried.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kiosk import LANGUAGES
from kiosk.content.urgent import UrgentBook
from kiosk.text import arabic_forms, edit_distance, hash64
from kiosk.text import fold_text as fold

URGENT = "urgent"
"""The intent of an urgent reply (``kiosk ask --json``: ``"intent": "urgent"``)."""
MAX_GAP = 3
"""Other words allowed between two words of a phrasing ("want to end my whole life")."""
FREE_ORDER = frozenset({"pl", "lt", "ro", "ar"})
"""Languages whose phrasings match in any word order ("mnie biją", "biją mnie"); in
Norwegian and English the order says who did what ("he is dead" / "dead ... he is")."""
IDIOM_GAP = 1
"""Idioms are tighter: "kill the time", not "kill ... time" across a sentence."""
TYPO_FROM = 6
"""Words (and word starts) this long may have one typo; shorter ones must be exact: at
five letters too many everyday words are one edit from a phrasing's word ("mano", my,
is one from "manto", a beating; "sūnus", son, from "sumuš-", beat up)."""
SHARED_FROM = 7
"""A whole word of this many letters that another language also uses is one the languages
share ("detergent", "ambulans", "epilepsi"), and alarms in either; a shorter one or a word
start is that language's own ("sina" is Polish blue and Swedish their)."""


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
    typos: bool = True  # idioms match as written: "killer" must not swallow "killed"


_Pattern = tuple[tuple[_Choice, ...], ...]


def _compile(text: str, typos: bool = True) -> _Pattern | None:
    words = []
    for word in text.split():
        choices = []
        for choice in word.split("|"):
            prefix = choice.endswith("*")
            stem = fold(choice.rstrip("*"))
            if stem:  # "s-a" folds to two words: the first stands for the choice
                choices.append(_Choice(stem.split()[0], prefix, typos))
        if not choices:
            return None
        words.append(tuple(choices))
    return tuple(words) or None


def _typo_of(form: str, choice: _Choice) -> bool:
    """Whether a question's word is a typo of the phrasing's word (or word start).

    Only asked of words and choices that may have a typo at all (see ``_ChoiceIndex``):
    one edit, the first letter right, and not at a word start's last letter, where words
    inflect (the Lithuanian "pasikal-bėti", to talk, is not "pasikar-ti", to hang oneself).
    """
    stem = choice.stem
    n = len(stem)
    if form[0] != stem[0]:
        return False
    if choice.prefix:
        if form.startswith(stem[:-1]):
            return False
        return any(
            edit_distance(form[:cut], stem, 1) <= 1 for cut in (n - 1, n, n + 1) if cut <= len(form)
        )
    return abs(len(form) - n) <= 1 and edit_distance(form, stem, 1) <= 1


def _own_word(choice: _Choice) -> bool:
    """Whether a choice fits its own language's words only: a word start, or a word shorter
    than ``SHARED_FROM`` letters."""
    return choice.prefix or len(choice.stem) < SHARED_FROM


def _nothing_known(word: str) -> bool:
    return False


def _arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


def _deletions(word: str) -> set[str]:
    """The word and every way of leaving out one of its letters: two words one edit
    apart (a letter changed, added, dropped or two swapped) always share one of these."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


@dataclass(frozen=True)
class _TypoTables:
    """Each choice that may have a typo, by every way of leaving one letter out of it:
    ``"=variant"`` for a whole word, ``"<length>:variant"`` for a word start of that length.

    Held as the keys' 64-bit hashes, sorted, with the choice's number beside each: the
    sample's 25,000 variants take 0.3 MB so, against 4.3 MB as dicts of strings and lists.
    Two keys that share a hash only add a candidate, which ``_typo_of`` then checks."""

    choices: list[_Choice]
    hashes: array  # 'Q', sorted
    numbers: array  # 'I', the choice of each hash
    start_lengths: list[int]

    @classmethod
    def of(cls, keyed: Iterable[tuple[str, int]], choices: list[_Choice]) -> _TypoTables:
        pairs = sorted({(hash64(key.encode("utf-8")), number) for key, number in keyed})
        lengths = sorted({len(choices[n].stem) for _, n in pairs if choices[n].prefix})
        return cls(
            choices,
            array("Q", (h for h, _ in pairs)),
            array("I", (n for _, n in pairs)),
            lengths,
        )

    def find(self, key: str) -> Iterator[_Choice]:
        """The choices filed under ``key`` (and, rarely, under a key of the same hash)."""
        wanted = hash64(key.encode("utf-8"))
        i = bisect_left(self.hashes, wanted)
        while i < len(self.hashes) and self.hashes[i] == wanted:
            yield self.choices[self.numbers[i]]
            i += 1


class _ChoiceIndex:
    """Every choice of every phrasing, looked up from a question's word (not the other
    way round): a question is compared with a few thousand phrasings in a few dozen
    dictionary look-ups per word.

    A typo is allowed only in choices of ``TYPO_FROM`` letters or more, not in idioms,
    Arabic script or Arabizi (their words are short and close together: one letter turns
    "appeal", الطعن, into "stabbing"), and only in a question's word that the rulebook
    does not use (``known``: "dager", days, is not "danger")."""

    def __init__(self, choices: Iterable[_Choice]) -> None:
        self.exact: dict[str, list[_Choice]] = {}
        self.starts: dict[str, list[_Choice]] = {}
        self._typo_choices: list[_Choice] = []
        for choice in set(choices):
            stem = choice.stem
            (self.starts if choice.prefix else self.exact).setdefault(stem, []).append(choice)
            if choice.typos and len(stem) >= TYPO_FROM and stem.isalpha() and not _arabic(stem):
                self._typo_choices.append(choice)
        self.start_lengths = sorted({len(s) for s in self.starts})
        self._typos: _TypoTables | None = None

    def _typo_tables(self) -> _TypoTables:
        """Every way of leaving one letter out of each choice that may have a typo: made
        when a question first has a word that may be a typo (a third of the recogniser's
        making, which a process answering one clean question never needs)."""
        if self._typos is None:
            keyed = [
                (f"{len(choice.stem)}:{variant}" if choice.prefix else f"={variant}", number)
                for number, choice in enumerate(self._typo_choices)
                for variant in _deletions(choice.stem)
            ]
            self._typos = _TypoTables.of(keyed, self._typo_choices)
        return self._typos

    def fitting(self, form: str, known: Callable[[str], bool]) -> set[_Choice]:
        """The choices ``form`` fits: as written, as a word start, or with one typo."""
        found = set(self.exact.get(form, ()))
        for n in self.start_lengths:
            if n > len(form):
                break
            found.update(self.starts.get(form[:n], ()))
        if len(form) < TYPO_FROM - 1 or not form.isalpha() or _arabic(form) or known(form):
            return found
        typos = self._typo_tables()
        candidates: set[_Choice] = set()
        for variant in _deletions(form):
            candidates.update(typos.find(f"={variant}"))
        for n in typos.start_lengths:
            for cut in (n - 1, n, n + 1):
                if cut <= len(form):
                    for variant in _deletions(form[:cut]):
                        candidates.update(typos.find(f"{n}:{variant}"))
        found.update(c for c in candidates - found if _typo_of(form, c))
        return found


class _Question:
    """A question's folded words, and which of them fit which choice."""

    def __init__(self, text: str, index: _ChoiceIndex, known: Callable[[str], bool]) -> None:
        self.words = [arabic_forms(w, min_rest=2) for w in fold(text).split()]
        self._hits: dict[_Choice, set[int]] = {}
        for i, forms in enumerate(self.words):
            for form in forms:
                if form:
                    for choice in index.fitting(form, known):
                        self._hits.setdefault(choice, set()).add(i)

    @property
    def choices(self) -> Iterable[_Choice]:
        return self._hits.keys()

    def positions(self, choice: _Choice) -> set[int]:
        return self._hits.get(choice, set())

    def find(
        self,
        pattern: _Pattern,
        blocked: set[int],
        gap: int,
        ordered: bool = True,
        foreign: set[int] | frozenset[int] = frozenset(),
    ) -> list[int] | None:
        """Positions of the pattern's words close together (in order, if ``ordered``),
        or None. Unordered, the words may stand in any order within the same reach:
        "mane muša" and "muša mane", "mnie biją" and "biją mnie". A word at a position
        in ``foreign`` (another language's) fits only a whole choice of ``SHARED_FROM``
        letters or more, a word languages share ("detergent"), not a word start or a
        short word, which may be anything elsewhere ("lesin*", "sina", "mus")."""
        candidates = []
        for word in pattern:  # most phrasings fail at their first word: stop there
            fits = (self.positions(c) - (foreign if _own_word(c) else set()) for c in word)
            found = sorted(set().union(*fits) - blocked)
            if not found:
                return None
            candidates.append(found)
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
            c
            for items in book.not_urgent.values()
            for p in items
            if (c := _compile(p, typos=False))
        ]
        every = [
            *(p for _, per_lang in self._kinds for items in per_lang.values() for _, p in items),
            *self._idioms,
        ]
        self._index = _ChoiceIndex(c for pattern in every for word in pattern for c in word)
        # Which phrasings and idioms use a choice: a question is only tried against the
        # few whose words it has at all.
        self._phrasings = [
            (kind_rank, kind, lang, phrasing, pattern)
            for kind_rank, (kind, per_lang) in enumerate(self._kinds)
            for lang, items in per_lang.items()
            for phrasing, pattern in items
        ]
        self._users = _users(pattern for *_, pattern in self._phrasings)
        self._idiom_users = _users(self._idioms)

    def __bool__(self) -> bool:
        return bool(self._kinds)

    def _idiom_words(self, question: _Question) -> set[int]:
        """Positions of the words that belong to an everyday idiom ("kill time")."""
        blocked: set[int] = set()
        for i in sorted(_used(self._idiom_users, question)):
            idiom = self._idioms[i]
            while (found := question.find(idiom, blocked, IDIOM_GAP)) is not None:
                blocked.update(found)
        return blocked

    def without_idioms(self, text: str, known: Callable[[str], bool] | None = None) -> str:
        """The folded text without its everyday idioms, for the learnt model to judge:
        "the curry was to die for" is about curry."""
        question = _Question(text, self._index, known or _nothing_known)
        blocked = self._idiom_words(question)
        return " ".join(forms[0] for i, forms in enumerate(question.words) if i not in blocked)

    def recognise(
        self,
        text: str,
        languages: Iterable[str] = LANGUAGES,
        known: Callable[[str], bool] | None = None,
        foreign: Callable[[str, str], bool] | None = None,
    ) -> UrgentMatch | None:
        """The urgent situation ``text`` speaks of, or None.

        ``languages`` says which language's phrasings to try first (the kiosk's own);
        every language is tried, since a person may write in any of them. ``known``
        tells the (folded) words of the rulebook, which are never read as typos.
        ``foreign(word, lang)``: the word is the kiosk's language's, not ``lang``'s; a
        phrasing of ``lang`` never matches it (on a Norwegian kiosk, Romanian "leșin*",
        fainting, is not "lesing", reading; Polish "sina", blue, is not Swedish "sina",
        their).
        """
        if not self._kinds or not text.strip():
            return None
        question = _Question(text, self._index, known or _nothing_known)
        if not question.words:
            return None
        blocked = self._idiom_words(question)
        order = {lang: rank for rank, lang in enumerate(dict.fromkeys([*languages, *LANGUAGES]))}
        tried = sorted(
            _used(self._users, question),
            key=lambda i: (self._phrasings[i][0], order.get(self._phrasings[i][2], 99), i),
        )
        others: dict[str, set[int]] = {}  # per language: positions of the kiosk's own words
        for i in tried:
            _, kind, lang, phrasing, pattern = self._phrasings[i]
            free = lang in FREE_ORDER
            if foreign is not None and lang not in others:
                others[lang] = {
                    k for k, forms in enumerate(question.words) if foreign(forms[0], lang)
                }
            here = others.get(lang, frozenset())
            if question.find(pattern, blocked, MAX_GAP, not free, here) is not None:
                return UrgentMatch(kind, lang, phrasing)
        return None


def _users(patterns: Iterable[_Pattern]) -> dict[_Choice, list[int]]:
    """For each choice, the patterns (by number) whose first word offers it."""
    users: dict[_Choice, list[int]] = {}
    for i, pattern in enumerate(patterns):
        for choice in pattern[0]:
            users.setdefault(choice, []).append(i)
    return users


def _used(users: dict[_Choice, list[int]], question: _Question) -> set[int]:
    """The patterns whose first word is in the question (the others cannot match)."""
    return {i for choice in question.choices for i in users.get(choice, ())}


__all__ = ["URGENT", "UrgentMatch", "UrgentRecogniser"]
