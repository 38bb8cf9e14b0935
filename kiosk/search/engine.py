"""The search engine: a question in, ranked article matches with their signals out.

A question is analysed once per language and searched in every language of the index
at the same time, so a Polish question on a Norwegian kiosk still finds its article.
Each content word of the question is a *slot*; a slot is matched by its own stem, a
synonym from the rulebook, a spelling correction or the parts of a compound word.
The share of slots an article matches (its *coverage*) is the main confidence signal
the assistant uses; BM25F scores rank.
"""

from __future__ import annotations

import functools
import itertools
import json
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from whoosh import scoring
from whoosh.query import Term

from kiosk import LANGUAGES
from kiosk.content.model import Rulebook
from kiosk.search.analysis import (
    folded_stopwords,
    split_compound,
    stem_synonyms,
    terms,
    words,
)
from kiosk.search.arabizi import transliterate
from kiosk.search.common_words import common_words
from kiosk.search.params import DEFAULT, RankingParams
from kiosk.search.phrasings import PhrasingIndex
from kiosk.search.schema import SYNONYMS_FILE, TEXT_FIELDS, field_name
from kiosk.search.store import open_index
from kiosk.search.units import filler_terms, own_unit_terms, unit_noun_terms
from kiosk.search.whoosh_internals import FastSearcher
from kiosk.text import CHEAP_EDIT, fold, fold_text, has_arabic, typo_cost
from kiosk.wordlists import LETTER_HINTS, STOPWORDS

PAIRS_CACHED = 4096
"""Articles' word pairs kept in memory (a national rulebook has 8,000 texts)."""


@dataclass(frozen=True)
class Match:
    """One article that fits the question, with the signals behind its rank."""

    article: str
    lang: str
    score: float
    coverage: float
    matched: tuple[str, ...]
    via_correction: bool = False
    exact: bool = False  # the question is, word for word, one of the article's phrasings
    similarity: float = 0.0  # how like its phrasings the question is, letter pieces (0-1)


@dataclass(frozen=True)
class SearchResult:
    """What the engine found for one question."""

    question: str
    lang: str
    lang_sure: bool
    slots: dict[str, tuple[str, ...]] = field(hash=False)
    unknown: tuple[str, ...] = ()
    matches: tuple[Match, ...] = ()
    suggestion: str | None = None
    # The meaning's signals for the decision, when the meaning signal re-ranked the
    # matches (kiosk.search.meaning.reranked); None from the words alone.
    meaning: tuple[float, ...] | None = None


_Synonym = tuple[tuple[str, ...], list[tuple[str, ...]]]


@dataclass
class _Slot:
    word: str
    alternatives: dict[str, float]  # term -> weight
    corrected: set[str] = field(default_factory=set)  # spelling corrections (shown)
    guessed: set[str] = field(default_factory=set)  # their synonyms (not shown)
    unknown: bool = False  # no form of the word occurs in the rulebook
    own_unit: bool = False  # names the kiosk's own unit type ("open" on the open unit)
    filler: bool = False  # says nothing here ("prisoner") or only who asks ("my son")
    common: bool = False  # unknown, but a common word of the language ("soap", "smoke")

    def weight(self, params: RankingParams) -> float:
        if self.own_unit:
            return params.unit_word_weight
        if self.filler:
            return params.filler_word_weight
        if self.unknown and self.common:
            return params.common_unknown_weight
        # A word the rulebook never uses says more about the question than a word it
        # uses elsewhere: "hund" in "kan jeg ha hund på cella" is what the question is about.
        return params.unknown_word_weight if self.unknown else 1.0

    def credit(self, matched_terms: set[str], params: RankingParams) -> float:
        """How much of this slot a document's matched terms cover (0, partly, 1)."""
        hit = matched_terms & set(self.alternatives)
        if not hit:
            return 0.0
        if hit <= self.corrected | self.guessed:
            return params.corrected_credit
        return 1.0


def _mark_own_unit(
    slots: list[_Slot], unit_terms: frozenset[str], nouns: frozenset[str], weight: float
) -> None:
    """Words naming the kiosk's own unit count for little, unless they are all there is."""
    if not unit_terms or len(slots) < 2:
        return
    named = [s for s in slots if s.word in unit_terms]
    if not named:
        return
    marked = [s for s in slots if s.word in unit_terms or s.word in nouns]
    if len(marked) == len(slots):
        return
    for slot in marked:
        slot.own_unit = True
        for term in slot.alternatives:
            slot.alternatives[term] *= weight


def _synonym_words(groups: tuple[tuple[str, ...], ...]) -> set[str]:
    """The folded words of a language's synonym groups (spelling words of its field)."""
    return {fold(w) for group in groups for member in group for w in words(member)}


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class Engine:
    """Searches one built index. Thread-safe: searches are serialised."""

    def __init__(
        self,
        index_path: Path,
        rulebook: Rulebook,
        params: RankingParams = DEFAULT,
        phrasings: Callable[[], PhrasingIndex] | None = None,
    ) -> None:
        self.index_path = index_path
        # Read or built at the first search: by ``phrasings``, or from the rulebook.
        self._load_phrasings = phrasings or (lambda: PhrasingIndex.for_rulebook(rulebook))
        self._phrasing_index: PhrasingIndex | None = None
        self.params = params
        self._ix = open_index(index_path)
        self._searcher = self._ix.searcher(
            weighting=scoring.BM25F(
                B=params.bm25_b,
                K1=params.bm25_k1,
                **{field_name("questions", lang) + "_B": params.questions_b for lang in LANGUAGES},
            )
        )
        self._reader = self._searcher.reader()
        # Same hits as the searcher's (same BM25F, same order) without Whoosh's matcher
        # tree, which costs a quarter of a second a question on a national rulebook; and
        # the same vocabulary lookups and spelling candidates, remembered or in memory.
        self._fast = FastSearcher(self._reader, self._searcher.weighting, index_path)
        self._lock = threading.Lock()
        self.languages = rulebook.languages
        self._synonyms = self._synonym_maps(rulebook)
        self._rulebook = rulebook
        for lang, groups in rulebook.synonyms.items():
            # Staff's synonyms are words people use: a typo of one is corrected too.
            self._fast.add_spelling_words(
                field_name("plain", lang), functools.partial(_synonym_words, groups)
            )
        self._pairs: dict[tuple[str, str], frozenset[tuple[str, str]]] = {}
        self._common = common_words()  # each language's list is read when first asked

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()

    # ---- vocabulary ----------------------------------------------------------------------

    def from_arabizi(self, question: str) -> str | None:
        """A question typed as Arabic in Latin letters, in Arabic letters (None: no word
        of it is an Arabic word of the rulebook)."""
        if "ar" not in self.languages:
            return None
        field = field_name("plain", "ar")
        return transliterate(
            question,
            has_prefix=lambda p: self._fast.has_prefix(field, p),
            known=lambda w: self.known(w, "ar"),
            frequency=lambda w: self._frequency(w, "ar"),
        )

    def known(self, word: str, lang: str) -> bool:
        """Whether the plain (folded) ``word`` occurs anywhere in ``lang``'s content."""
        return self._fast.has(field_name("plain", lang), word)

    def is_word(self, word: str) -> bool:
        """Whether ``word`` (as typed) is a word of the rulebook or a small word (a
        stopword) of one of its languages: every plain word in it is."""
        plain = words(word)
        return bool(plain) and all(
            any(w in folded_stopwords(lang) or self.known(w, lang) for lang in self.languages)
            for w in plain
        )

    def _frequency(self, word: str, lang: str) -> int:
        return self._fast.doc_frequency(field_name("plain", lang), word)

    def correct(self, word: str, lang: str) -> str | None:
        """The rulebook's closest word to a misspelt ``word``, or None.

        The allowed edit distance grows with the word: 1 up to 5 letters, 2 from 6.
        Words of the rulebook's synonyms are candidates too, when they are a likely typo
        (at most one plain edit per six letters). Among the closest, the
        likeliest typo wins (sound-alike letters, doubled letters and swaps cost less:
        "selle" is "celle", not "selve"), then the one that keeps more of the word's
        start ("stoped" is "stopped", not "stored"), then the most common.
        """
        p = self.params
        if len(word) < p.min_correct_length or word.isdigit():
            return None
        fieldname = field_name("plain", lang)
        stops = STOPWORDS.get(lang, frozenset())

        def rank(w: str) -> tuple:
            return (typo_cost(word, w), -_shared_prefix(w, word), -self._frequency(w, lang), w)

        best = None
        for distance in (1, 2) if len(word) >= p.two_edits_from else (1,):
            found = [
                w
                for w in self._fast.terms_within(fieldname, word, distance, prefix=0)
                if w != word
                and w not in stops
                and len(w) > 2
                # A word only the synonyms have is weaker evidence: it must be a likely
                # typo ("poteri" is not "moteris").
                and (self._frequency(w, lang) or typo_cost(word, w) <= len(word) / 6)
                # Two plain edits are a guess too far ("poteri" is not "posedi"); two
                # where one is a cheap slip ("vistis", "selle") are a typo.
                and typo_cost(word, w) <= p.max_typo_cost
            ]
            if best is not None:
                # Two edits for the automaton, half an edit as a typo: two letters
                # swapped ("vistis" is "visits", not "vists").
                found = [w for w in found if typo_cost(word, w) < typo_cost(word, best)]
            if found:
                best = min(found, key=rank)
                if typo_cost(word, best) <= CHEAP_EDIT:
                    break
        return best

    def split_compound(self, word: str, lang: str) -> tuple[str, str] | None:
        """Two known words that make up ``word`` ("besokstid" -> "besok", "tid")."""
        return split_compound(word, lambda w: self.known(w, lang))

    def guess_language(self, question: str, ui_lang: str) -> tuple[str, bool]:
        """The question's likely language and whether the guess is clear."""
        if has_arabic(question):
            return "ar", True
        plain = words(question)
        lower = question.lower()
        p = self.params
        scores: dict[str, float] = {}
        for lang in self.languages:
            stops = STOPWORDS.get(lang, frozenset())
            score = 0.0
            for w in plain:
                if w in stops:
                    score += p.stopword_language_score
                elif self.known(w, lang):
                    score += p.known_word_language_score
            score += p.letter_hint_score * sum(ch in lower for ch in LETTER_HINTS.get(lang, ()))
            scores[lang] = score
        if not scores:
            return ui_lang, False
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0] != ui_lang))
        best, best_score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if best_score == 0:
            return ui_lang, False
        return best, best_score >= second + p.language_sure_margin

    # ---- query -----------------------------------------------------------------------

    def _synonym_maps(self, rulebook: Rulebook) -> dict[str, dict[str, list[_Synonym]]]:
        """Per language: first stemmed term -> (member's terms, the group's other members)."""
        try:
            stemmed = json.loads((self.index_path / SYNONYMS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stemmed = stem_synonyms(rulebook.synonyms)  # an index from before the file
        maps: dict[str, dict[str, list[_Synonym]]] = {}
        for lang, groups in stemmed.items():
            by_first: dict[str, list[_Synonym]] = defaultdict(list)
            for group in groups:
                members = [tuple(m) for m in group if m]
                for member in members:
                    others = [m for m in members if m != member]
                    by_first[member[0]].append((member, others))
            maps[lang] = dict(by_first)
        return maps

    def _synonyms_of(self, term: str, lang: str) -> list[tuple[str, ...]]:
        """The other members of the groups in which ``term`` alone is a member."""
        return [
            other
            for member, others in self._synonyms.get(lang, {}).get(term, ())
            if member == (term,)
            for other in others
        ]

    def _expand_synonyms(self, slots: list[_Slot], lang: str, weight: float) -> None:
        """Add synonyms of a word, or of a phrase whose words are all in the question."""
        words_present = {slot.word: slot for slot in slots}
        by_first = self._synonyms.get(lang, {})
        for word in list(words_present):
            for member, others in by_first.get(word, ()):
                if not all(term in words_present for term in member):
                    continue
                for term in member:
                    alternatives = words_present[term].alternatives
                    for other in others:
                        for other_term in other:
                            alternatives.setdefault(other_term, weight)

    def _slots(self, question: str, lang: str, correct: bool) -> list[_Slot]:
        slots: list[_Slot] = []
        seen: set[str] = set()
        for token in terms(question, lang):
            if token in seen:
                continue
            seen.add(token)
            slots.append(_Slot(token, {token: 1.0}))
            if len(slots) >= self.params.max_slots:
                break
        self._expand_synonyms(slots, lang, self.params.synonym_weight)
        fillers = filler_terms(lang)
        for slot in slots:
            slot.unknown = not any(self._term_known(t, lang) for t in slot.alternatives)
            slot.filler = slot.word in fillers
        if any(s.unknown for s in slots):  # only a word the rulebook never uses can be common
            plain: dict[str, str] = {}  # stem -> the word as typed (folded)
            for w in words(question):
                for t in terms(w, lang)[:1]:
                    plain.setdefault(t, w)
            for slot in slots:
                if slot.unknown:
                    slot.common = self._common(plain.get(slot.word, slot.word), lang)
        if slots and all(s.filler for s in slots):
            # "my son", "prisoner", "my loved ones": who asks, and no subject. Searched,
            # their words found laundry ("ones") and sport: nothing is honest.
            return []
        for slot in slots:
            if slot.filler:  # nor does it pull in the article about families or prisons
                for term in slot.alternatives:
                    slot.alternatives[term] *= self.params.filler_term_boost
        if correct:
            self._add_corrections(question, lang, slots)
            slots = self._without_misspelt_question_word(question, lang, slots)
        return slots

    def _without_misspelt_question_word(
        self, question: str, lang: str, slots: list[_Slot]
    ) -> list[_Slot]:
        """Drop the first word when it is a misspelt question word ("wen do we get paid").

        Only the first word: later in a question an unknown word near a small word is
        often the point of it ("kan jeg ha hund på cella": "hund" is not "hun").
        """
        first = next(iter(words(question)), "")
        stem = (
            terms(first, lang) if 2 <= len(first) <= self.params.misspelt_question_word_max else []
        )
        if not stem:
            return slots
        slot = next((s for s in slots if s.word == stem[0]), None)
        if slot is None or not slot.unknown or len(slots) < 2:
            return slots
        folded = fold(first)
        near = any(
            len(stop) >= 3 and abs(len(stop) - len(folded)) <= 1 and typo_cost(folded, stop) <= 1
            for stop in folded_stopwords(lang)
        )
        return [s for s in slots if s is not slot] if near else slots

    def _add_corrections(self, question: str, lang: str, slots: list[_Slot]) -> None:
        """Alternatives for words the rulebook does not know: spelling and compounds."""
        by_term = {}
        stops = STOPWORDS.get(lang, frozenset())
        for w in words(question):
            if w in stops or len(w) < self.params.min_correct_length or w.isdigit():
                continue
            stem = terms(w, lang)
            if not stem:
                continue
            slot = next((s for s in slots if s.word == stem[0]), None)
            if slot is None:
                continue
            if not slot.unknown:
                self._add_common_spelling(w, lang, slot)
                continue
            if slot.common or slot.filler:  # a real word: "smoke" is not "spoke"
                continue
            by_term[w] = slot
            if len(by_term) >= self.params.max_corrected:
                break
        for w, slot in by_term.items():
            parts = self.split_compound(w, lang)
            if parts:
                for part in parts:
                    for t in terms(part, lang):
                        slot.alternatives.setdefault(t, self.params.compound_weight)
                slot.unknown = False
                continue
            fixed = self.correct(w, lang)
            if fixed:
                self._add_guess(slot, fixed, lang, shown=True)
                slot.unknown = False

    def _add_common_spelling(self, word: str, lang: str, slot: _Slot) -> None:
        """A rare word one slip from a common one is likely that one misspelt: "vistis"
        is in one article (as a misspelt question staff added), "visits" in many, so a
        person typing "vistis" is offered both."""
        p = self.params
        if len(word) < p.common_spelling_from or self._frequency(word, lang) > p.rare_word:
            return
        fieldname = field_name("plain", lang)
        common = [
            w
            # Two plain edits: a swap of two letters is two for the automaton.
            for w in self._fast.terms_within(fieldname, word, 2, prefix=1)
            if w != word
            and typo_cost(word, w) <= CHEAP_EDIT
            and self._frequency(w, lang) >= p.common_word
        ]
        if common:
            fixed = max(common, key=lambda w: (self._frequency(w, lang), w))
            self._add_guess(slot, fixed, lang, shown=False)

    def _add_guess(self, slot: _Slot, fixed: str, lang: str, shown: bool) -> None:
        """``fixed`` (and its synonyms) as a guessed alternative of ``slot``; ``shown``:
        offered in the did-you-mean."""
        weight = self.params.correction_weight
        for t in terms(fixed, lang):
            if t in slot.alternatives and t not in slot.corrected | slot.guessed:
                continue  # what the person typed stays worth its full credit
            slot.alternatives.setdefault(t, weight)
            (slot.corrected if shown else slot.guessed).add(t)
            for member in self._synonyms_of(t, lang):
                for term in member:
                    slot.alternatives.setdefault(term, weight * self.params.synonym_weight)
                    # A synonym of a guess is a guess too ("hamster" -> "haster" ->
                    # "akutt" is not the word the person typed).
                    slot.guessed.add(term)
        if shown:
            slot.corrected.add(fixed)

    def _term_known(self, term: str, lang: str) -> bool:
        has = self._fast.has
        return any(has(field_name(kind, lang), term) for kind in TEXT_FIELDS)

    def search(self, question: str, unit: str, ui_lang: str, limit: int = 10) -> SearchResult:
        """Articles for ``question`` on a ``unit`` kiosk, best first, with their signals."""
        with self._lock:
            return self._search(question, unit, ui_lang, limit)

    def _search(self, question: str, unit: str, ui_lang: str, limit: int) -> SearchResult:
        p = self.params
        lang, sure = self.guess_language(question, ui_lang)
        correct_in = {lang} | ({ui_lang} if not sure and ui_lang in self.languages else set())
        slots_by_lang = {
            code: self._slots(question, code, correct=code in correct_in) for code in self.languages
        }
        if sure and p.own_small_words_elsewhere:
            self._drop_own_small_words(question, lang, slots_by_lang)
        for code, slots in slots_by_lang.items():
            _mark_own_unit(
                slots, own_unit_terms(unit, code), unit_noun_terms(code), p.unit_word_weight
            )
        field_weights = p.field_weights
        subqueries = []
        for code, slots in slots_by_lang.items():
            for slot in slots:
                for term, weight in slot.alternatives.items():
                    for kind in TEXT_FIELDS:
                        subqueries.append(
                            Term(field_name(kind, code), term, boost=field_weights[kind] * weight)
                        )
        unknown = tuple(
            w
            for w in dict.fromkeys(words(question))
            if len(w) > 2
            and not w.isdigit()
            and w not in STOPWORDS.get(lang, ())
            and not any(self.known(w, code) for code in self.languages)
        )
        base = SearchResult(
            question=question,
            lang=lang,
            lang_sure=sure,
            slots={c: tuple(s.word for s in ss) for c, ss in slots_by_lang.items()},
            unknown=unknown,
        )
        if not subqueries:
            # Small words only ("when do i get out"): still the article whose phrasing it is.
            return replace(base, matches=tuple(self._exact_first(question, [], lang, unit)))
        hits = self._fast.search(subqueries, unit, limit * p.candidates_factor)
        weights_by_lang = {code: [s.weight(p) for s in ss] for code, ss in slots_by_lang.items()}
        best: dict[str, Match] = {}
        for hit in hits:
            doc_lang = hit["lang"]
            slots = slots_by_lang.get(doc_lang, [])
            matched_terms = {
                text.decode("utf-8") if isinstance(text, bytes) else text
                for _, text in hit.matched_terms()
            }
            weights = weights_by_lang.get(doc_lang, [])
            total = sum(weights)
            credits = [(s, s.credit(matched_terms, p)) for s in slots]
            coverage = (
                sum(w * c for w, (_, c) in zip(weights, credits, strict=True)) / total
                if total
                else 0.0
            )
            matched = tuple(s.word for s, c in credits if c > 0)
            score = hit.score
            if doc_lang == lang:
                score *= p.same_language_factor
            elif sure:
                score *= p.other_language_factor
            elif doc_lang == ui_lang:
                score *= p.ui_language_factor
            # Rank by relevance weighted by how much of the question the article covers.
            score *= coverage**p.coverage_power
            if p.phrase_bonus and len(slots) > 1 and coverage > 0:
                # Pairs of the question's words that stand together (in either order,
                # small words apart) in one of the article's phrasings or its title:
                # "video call" is phone calls, not the visits article that has both apart.
                pairs = self._article_pairs(hit["article"], doc_lang)
                hits_together = min(self._phrase_hits(slots, pairs), p.max_phrase_hits)
                score *= 1 + p.phrase_bonus * hits_together
            match = Match(
                article=hit["article"],
                lang=doc_lang,
                score=round(score, 3),
                coverage=round(coverage, 3),
                matched=matched,
                via_correction=any(0 < c < 1 for _, c in credits),
            )
            current = best.get(match.article)
            if current is None or match.score > current.score:
                best[match.article] = match
        self._blend_similarity(question, lang, best)
        ranked = sorted(best.values(), key=lambda m: -m.score)[:limit]
        ranked = self._exact_first(question, ranked, lang, unit)
        suggestion = self._suggestion(question, slots_by_lang.get(lang, []), ranked)
        return SearchResult(
            question=base.question,
            lang=lang,
            lang_sure=sure,
            slots=base.slots,
            unknown=unknown,
            matches=tuple(ranked),
            suggestion=suggestion,
        )

    @staticmethod
    def _drop_own_small_words(
        question: str, lang: str, slots_by_lang: dict[str, list[_Slot]]
    ) -> None:
        """Read in another language, a clearly English question's "be" is Norwegian for
        pray and a Polish question's "co" an English word: the small words of the
        question's own language are no content words in any other reading of it."""
        small = [w for w in words(question) if w in folded_stopwords(lang)]
        if not small:
            return
        for code, slots in slots_by_lang.items():
            if code == lang:
                continue
            stems = {t for w in small for t in terms(w, code)}
            if stems:
                slots_by_lang[code] = [s for s in slots if s.word not in stems]

    def _blend_similarity(self, question: str, lang: str, best: dict[str, Match]) -> None:
        """Each candidate's score, blended with how like its phrasings the question is.

        The similarity is scaled so that the most similar candidate gets the top score's
        share: the blend reorders the candidates, and the scores stay on their scale.
        """
        w = self.params.phrasing_weight
        if not best or w <= 0:
            return
        sims = self.phrasings.similarities(question, lang)
        top = max(m.score for m in best.values())
        top_sim = max((sims.get(a, 0.0) for a in best), default=0.0)
        blend = top > 0 and top_sim > 0
        for article, m in best.items():
            sim = sims.get(article, 0.0)
            score = m.score
            if blend and m.coverage > 0:  # an article matching no word keeps its score
                score = round((1 - w) * m.score + w * top * sim / top_sim, 3)
            best[article] = replace(m, score=score, similarity=round(sim, 3))

    @property
    def phrasings(self) -> PhrasingIndex:
        """The letter-piece tables of the phrasings, loaded at first use."""
        if self._phrasing_index is None:
            self._phrasing_index = self._load_phrasings()
        return self._phrasing_index

    def _exact_first(self, question: str, ranked: list[Match], lang: str, unit: str) -> list[Match]:
        """The article one of whose phrasings is the question, word for word, first and
        marked ``exact``: staff wrote that phrasing for that article ("when can i get
        visits", the kiosk's own example, is booking, not the rules of a visit). Found
        even when the search did not find it: "when do i get out" is small words only."""
        owners = self.phrasings.exact.get(fold_text(question))
        if not isinstance(owners, list) or len(owners) != 1 or not isinstance(owners[0], str):
            return ranked
        (owner,) = owners
        found = next((m for m in ranked if m.article == owner), None)
        if found is None:
            article = self._rulebook.articles.get(owner)
            if article is None or not article.applies_to(unit):
                return ranked
            # The words that found the others are not the question's: they go.
            return [Match(owner, lang, score=0.0, coverage=1.0, matched=(), exact=True)]
        return [replace(found, exact=True), *(m for m in ranked if m is not found)]

    def _article_pairs(self, article_id: str, lang: str) -> frozenset[tuple[str, str]]:
        """Neighbouring word pairs of an article's title and question phrasings (cached)."""
        stored = self._fast.stored_pairs(article_id, lang)  # the same, computed by the build
        if stored is not None:
            return stored
        key = (article_id, lang)
        pairs = self._pairs.get(key)
        if pairs is None:
            found: set[tuple[str, str]] = set()
            article = self._rulebook.articles.get(article_id)
            tr = article.translations.get(lang) if article else None
            if tr is not None:
                for line in (tr.title, *tr.questions):
                    stems = terms(line, lang)
                    found.update(itertools.pairwise(stems))
            if len(self._pairs) > PAIRS_CACHED:
                self._pairs.clear()
            pairs = self._pairs[key] = frozenset(found)
        return pairs

    @staticmethod
    def _phrase_hits(slots: list[_Slot], pairs: frozenset[tuple[str, str]]) -> int:
        """How many neighbouring pairs of the question's words the article has together."""
        hits = 0
        for first, second in itertools.pairwise(slots):
            if any(
                (a, b) in pairs or (b, a) in pairs
                for a in first.alternatives
                for b in second.alternatives
            ):
                hits += 1
        return hits

    def _suggestion(self, question: str, slots: list[_Slot], ranked: list[Match]) -> str | None:
        """The question with misspelt words replaced, when corrections found the answer."""
        if not ranked or not ranked[0].via_correction:
            return None
        fixes = {}
        for slot in slots:
            plain = [w for w in slot.corrected if not w.isdigit() and fold(w) == w and " " not in w]
            if plain:
                fixes[slot.word] = max(plain, key=len)
        if not fixes:
            return None
        out = []
        for token in question.split():
            stem = None
            for code_terms in (terms(token, ranked[0].lang),):
                stem = code_terms[0] if code_terms else None
            out.append(fixes.get(stem, token) if stem else token)
        text = " ".join(out)
        return text if text.lower() != question.lower() else None
