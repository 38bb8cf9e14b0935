"""The chat screen: ask in your own words, read the answer, follow related articles."""

from __future__ import annotations

import asyncio
from typing import TypeVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

from kiosk import MAX_QUESTION
from kiosk.assistant import Answer, Reply
from kiosk.i18n import _
from kiosk.sanitize import clean_question
from kiosk.ui import bidi
from kiosk.ui.actions import (
    Action,
    AskQuestion,
    GiveFeedback,
    OpenArticle,
    ReadAloud,
    ShowInKioskLanguage,
    ToggleBody,
    UnknownAction,
)
from kiosk.ui.screens.base import SessionScreen
from kiosk.ui.text import Paragraph, forget_rendered_text
from kiosk.ui.widgets.buttons import ActionButton
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.keybar import KeyBar
from kiosk.ui.widgets.messages import (
    AnswerBubble,
    AssistantBubble,
    TextBubble,
    UrgentBubble,
    UserBubble,
    reply_bubbles,
    start_choices,
)
from kiosk.ui.widgets.notices import NoticesBanner
from kiosk.ui.widgets.question import QuestionBox

B = TypeVar("B", bound=AssistantBubble)

PREPARE_AFTER = 0.3
"""Seconds of no typing after which the question's meaning is worked out ahead of Enter
(about 20 ms on one core); people pause longer between words than between letters."""
MAX_MESSAGES = 30
"""Bubbles kept in the log; older ones are removed so a long session stays light."""


class ChatScreen(SessionScreen):
    DEFAULT_CSS = """
    ChatScreen #log { height: 1fr; scrollbar-size-vertical: 1; }
    ChatScreen #question { dock: bottom; margin-bottom: 1; }
    ChatScreen .thinking { color: $text-muted; }
    ChatScreen #content-errors { background: $error 50%; padding: 0 1; }
    """

    BINDINGS = [
        Binding("pageup", "scroll_log(-1)", show=False),
        Binding("pagedown", "scroll_log(1)", show=False),
    ]

    def __init__(self, lang: str, greeting: str | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.greeting = greeting

    def compose(self) -> ComposeResult:
        app = self.kiosk
        yield KioskHeader(app.config.facility, app.config.shown_unit_name, self.lang)
        yield NoticesBanner(app.assistant.notices(app.now().date(), app.config.unit), self.lang)
        errors = app.content_errors()  # staff preview: what `kiosk check` would say, in short
        if errors:
            yield Paragraph(errors, id="content-errors")
        # Not a Tab stop: Page Up / Page Down scroll it from the question box.
        yield VerticalScroll(id="log", can_focus=False)
        question = QuestionBox(
            placeholder=bidi.visual_line(_("Type your question here and press Enter")),
            max_length=MAX_QUESTION,
            id="question",
        )
        question.cursor_blink = app.cursor_blink
        yield question
        yield KeyBar()

    _preparing: Timer | None = None

    def on_mount(self) -> None:
        log = self.query_one("#log", VerticalScroll)
        log.anchor()
        self.add(
            TextBubble(
                _(
                    "Hello. Ask me about life here in your own words, for example "
                    '"When can I get visits?" You can also choose a topic.'
                ),
                start_choices(),
                classes="welcome",
            )
        )
        if self.greeting:  # the language was switched by name: say so in the new language
            self.add(TextBubble(self.greeting))
        self.query_one("#question", Input).focus()

    async def set_language(self, lang: str) -> None:
        """Another language (F4): what the screen says changes, the conversation stays."""
        app = self.kiosk
        self.lang = lang
        header = self.query_one(KioskHeader)
        header.lang = lang
        await header.recompose()
        await self.query_one(KeyBar).recompose()
        old = self.query_one(NoticesBanner)
        notices = app.assistant.notices(app.now().date(), app.config.unit)
        await self.mount(NoticesBanner(notices, lang), after=old)
        await old.remove()
        question = self.query_one("#question", QuestionBox)
        question.placeholder = bidi.visual_line(_("Type your question here and press Enter"))
        question.focus()

    # ---- the log ---------------------------------------------------------------------

    def add(self, *bubbles: Widget) -> None:
        log = self.query_one("#log", VerticalScroll)
        self._retire(log.children)
        log.mount_all(bubbles)
        excess = len(log.children) + len(bubbles) - MAX_MESSAGES
        if excess > 0:
            for old in list(log.children)[:excess]:
                old.remove()
            forget_rendered_text()  # else Textual's caches keep what they drew
        log.scroll_end(animate=False)

    def _retire(self, bubbles) -> None:
        """Older bubbles' buttons leave the Tab order (a tap still works): Tab reaches the
        newest reply's buttons, the question box and the key bar, nothing further back."""
        question = self.query_one("#question", Input)
        for bubble in bubbles:
            bubble.can_focus_children = False
            if self.focused is not None and bubble in self.focused.ancestors:
                question.focus()

    def action_scroll_log(self, direction: int) -> None:
        log = self.query_one("#log", VerticalScroll)
        (log.scroll_page_down if direction > 0 else log.scroll_page_up)(animate=False)

    @property
    def messages(self) -> list[Widget]:
        return list(self.query_one("#log", VerticalScroll).children)

    # ---- typing goes to the question box ------------------------------------------------

    def on_screen_resume(self) -> None:
        """Back from Topics, Help or New here: the question box has the focus again."""
        self.query_one("#question", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """A letter typed while a button has the focus goes to the question box."""
        question = self.query_one("#question", Input)
        if event.is_printable and event.character and not question.has_focus:
            event.stop()
            question.focus()
            question.insert_text_at_cursor(event.character)

    def on_paste(self, event: events.Paste) -> None:
        """A paste while a button has the focus goes to the question box too."""
        question = self.query_one("#question", QuestionBox)
        if not question.has_focus:
            event.stop()
            question.focus()
            question.post_message(events.Paste(event.text))

    def on_question_box_shortened(self, event: QuestionBox.Shortened) -> None:
        self.add(
            TextBubble(
                _(
                    "Your text was too long. Only the first {n} characters were kept: "
                    "check the end of your question before you press Enter."
                ).format(n=event.kept)
            )
        )

    # ---- asking ----------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        """Typing paused: the question's meaning is worked out now, so that the answer
        does not wait for it (kiosk.search.meaning; nothing happens without it)."""
        if self._preparing is not None:
            self._preparing.stop()
        value = event.value
        self._preparing = self.set_timer(PREPARE_AFTER, lambda: self._prepare(value))

    def _prepare(self, value: str) -> None:
        self._preparing = None
        assistant = self.kiosk.assistant
        if assistant is not None and value.strip():
            assistant.prepare(value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = clean_question(event.value, MAX_QUESTION)
        event.input.value = ""
        if text:
            self.ask(text)

    def ask(self, text: str) -> None:
        thinking = TextBubble(_("Looking for an answer…"), classes="thinking")
        self.add(UserBubble(text), thinking)
        self._search(text, thinking)

    @work(group="ask", description="a question")
    async def _search(self, text: str, thinking: Widget) -> None:
        """The question answered in a thread, then shown.

        Not a Textual thread worker: one sets itself as the active worker in its pool
        thread's own context and leaves it there until that thread runs another, so the
        worker, this screen and the whole conversation outlived the session's wipe in
        memory. ``asyncio.to_thread`` runs the call in a copy of this task's context,
        dropped when it returns. The description is not the question either: a worker's
        description goes to Textual's log."""
        app = self.kiosk
        reply = await asyncio.to_thread(
            app.assistant.ask, text, ui_lang=self.lang, unit=app.config.unit, day=app.today()
        )
        self._show_reply(reply, thinking)

    def _show_reply(self, reply: Reply, thinking: Widget) -> None:
        app = self.kiosk
        if thinking.parent is not None:  # mounted, or about to be: a quick reply can win
            thinking.remove()
        switch = reply.switch_to
        here = app.screen is self
        if switch and switch != self.lang and switch in app.languages and here:
            app.switch_language(switch, reply.message)  # "polski": change language
            return
        topics = app.assistant.topics(app.config.unit, app.today())
        self.add(*reply_bubbles(reply, topics, self.lang, staff=not app.config.kiosk_mode))
        app.note_reply(reply)
        if reply.suggestion:  # a did-you-mean button: one tap asks it, without waiting
            app.assistant.prepare(reply.suggestion)

    # ---- buttons in the log ------------------------------------------------------------

    def _replace(self, old: AssistantBubble, new: AssistantBubble) -> None:
        """``new`` in ``old``'s place in the log (in the Tab order or not, like it)."""
        new.can_focus_children = old.can_focus_children
        self.query_one("#log", VerticalScroll).mount(new, after=old)
        old.remove()

    def _bubble(self, button: ActionButton, action: Action, kind: type[B]) -> B:
        """The bubble of ``kind`` that ``button`` is in: its action works on that bubble."""
        bubble = next((a for a in button.ancestors if isinstance(a, kind)), None)
        if bubble is None:
            raise UnknownAction(action, button)
        return bubble

    async def perform(self, action: Action, button: ActionButton) -> None:
        match action:
            case ReadAloud():
                self._read_aloud(self._bubble(button, action, AssistantBubble))
            case ToggleBody():
                self._toggle(self._bubble(button, action, AnswerBubble))
            case ShowInKioskLanguage():
                bubble = self._bubble(button, action, AssistantBubble)
                if isinstance(bubble, UrgentBubble):
                    self._urgent_in_kiosk_language(bubble)
                elif isinstance(bubble, AnswerBubble):
                    self._answer_in_kiosk_language(bubble)
                    self._back_to_question()
                else:
                    raise UnknownAction(action, bubble)
            case GiveFeedback(article_id, helpful):
                bubble = self._bubble(button, action, AnswerBubble)
                self.kiosk.record_feedback(article_id, helpful, bubble.reply)
                bubble.thank(helpful)
                self._back_to_question()
            case AskQuestion(text):
                self.ask(text)
                self._back_to_question()
            case OpenArticle(article_id):
                source = next((a for a in button.ancestors if isinstance(a, AssistantBubble)), None)
                pages = any(a.has_class("pages") for a in button.ancestors)
                if pages and source is not None and source.reply is not None:
                    self.kiosk.record_page_opened(article_id, source.reply)
                self._open_in_log(article_id, source)
                self._back_to_question()
            case _:
                await super().perform(action, button)

    def _back_to_question(self) -> None:
        """The question box has the focus: the buttons just pressed are gone or old."""
        self.query_one("#question", Input).focus()

    def _read_aloud(self, bubble: AssistantBubble) -> None:
        """Read ``bubble`` aloud in its language, or stop when it is the one being read."""
        app = self.kiosk
        if app.speaker.speaking and app.speaking is bubble:
            app.speaker.stop()
            app.speaking = None
            bubble.show_reading(False)
            return
        app.speaker.speak(*bubble.speech())
        app.speaking = bubble
        bubble.show_reading(True)

    def _toggle(self, bubble: AnswerBubble) -> None:
        bubble.toggle()
        if bubble.has_class("-expanded"):
            # Read more shows the answer from its title down: the log, anchored to its
            # end for new replies, would show the end of the text.
            log = self.query_one("#log", VerticalScroll)
            log.release_anchor()
            self.call_after_refresh(log.scroll_to_widget, bubble, top=True, animate=False)

    def _urgent_in_kiosk_language(self, bubble: UrgentBubble) -> None:
        app = self.kiosk
        reply = app.assistant.urgent_in(bubble.reply, self.lang, app.config.unit, app.today())
        self._replace(bubble, UrgentBubble(reply))

    def _answer_in_kiosk_language(self, bubble: AnswerBubble) -> None:
        article_id = bubble.answer.id
        if not self._still_there(article_id):
            return
        answer = self._answer(article_id)
        # The same buttons under it, in the kiosk's language.
        articles = self.kiosk.assistant.rulebook.articles  # content may have changed since
        also = tuple(
            (rid, self._answer(rid).title) for rid, _title in bubble.also if rid in articles
        )
        self._replace(bubble, AnswerBubble(answer, reply=bubble.reply, also=also))

    def _open_in_log(self, article_id: str, source: AssistantBubble | None) -> None:
        """A related article or a choice, as an answer in the log."""
        if not self._still_there(article_id):
            return
        chosen = AnswerBubble(self._answer(article_id))
        if source is not None and source.has_class("clarify"):
            chosen.reply = source.reply  # picked from "which one do you mean?"
        self.add(chosen)

    def _still_there(self, article_id: str) -> bool:
        """Whether the article is in the rulebook; if not, say so."""
        if article_id in self.kiosk.assistant.rulebook.articles:
            return True
        # The content was updated while this was on screen, and the article is gone.
        self.add(TextBubble(_("This information has changed. Please ask again.")))
        return False

    def _answer(self, article_id: str) -> Answer:
        app = self.kiosk
        return app.assistant.answer(article_id, self.lang, unit=app.config.unit, day=app.today())
