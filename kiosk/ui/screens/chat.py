"""The chat screen: ask in your own words, read the answer, follow related articles."""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input

from kiosk.assistant import Reply
from kiosk.i18n import _
from kiosk.sanitize import clean_question
from kiosk.ui import bidi
from kiosk.ui.screens.base import SessionScreen
from kiosk.ui.widgets.buttons import ActionButton
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.keybar import KeyBar
from kiosk.ui.widgets.messages import (
    AnswerBubble,
    TextBubble,
    UrgentBubble,
    UserBubble,
    reply_bubbles,
)
from kiosk.ui.widgets.notices import NoticesBanner

MAX_MESSAGES = 30
"""Bubbles kept in the log; older ones are removed so a long session stays light."""
MAX_QUESTION = 500


class ChatScreen(SessionScreen):
    DEFAULT_CSS = """
    ChatScreen #log { height: 1fr; scrollbar-size-vertical: 1; }
    ChatScreen #question { dock: bottom; margin-bottom: 1; }
    ChatScreen .thinking { color: $text-muted; }
    """

    def __init__(self, lang: str, greeting: str | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.greeting = greeting

    def compose(self) -> ComposeResult:
        app = self.app
        yield KioskHeader(app.config.facility, app.config.unit_name, self.lang)
        yield NoticesBanner(app.assistant.notices(app.now().date(), app.config.unit), self.lang)
        yield VerticalScroll(id="log")
        question = Input(
            placeholder=bidi.visual_line(_("Type your question here and press Enter")),
            max_length=MAX_QUESTION,
            id="question",
        )
        question.cursor_blink = app.cursor_blink
        yield question
        yield KeyBar()

    def on_mount(self) -> None:
        log = self.query_one("#log", VerticalScroll)
        log.anchor()
        self.add(
            TextBubble(
                _(
                    "Hello. Ask me about life here in your own words, for example "
                    '"When can I get visits?" You can also choose a topic.'
                ),
                [
                    (_("Topics"), ("app", "topics")),
                    (_("New here"), ("app", "orientation")),
                ],
                classes="welcome",
            )
        )
        if self.greeting:  # the language was switched by name: say so in the new language
            self.add(TextBubble(self.greeting))
        self.query_one("#question", Input).focus()

    # ---- the log ---------------------------------------------------------------------

    def add(self, *bubbles: Widget) -> None:
        log = self.query_one("#log", VerticalScroll)
        log.mount_all(bubbles)
        excess = len(log.children) + len(bubbles) - MAX_MESSAGES
        if excess > 0:
            for old in list(log.children)[:excess]:
                old.remove()
        log.scroll_end(animate=False)

    @property
    def messages(self) -> list[Widget]:
        return list(self.query_one("#log", VerticalScroll).children)

    # ---- asking ----------------------------------------------------------------------

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

    @work(thread=True, group="ask")
    def _search(self, text: str, thinking: Widget) -> None:
        app = self.app
        reply = app.assistant.ask(text, ui_lang=self.lang, unit=app.config.unit, day=app.today())
        self.app.call_from_thread(self._show_reply, reply, thinking)

    def _show_reply(self, reply: Reply, thinking: Widget) -> None:
        if thinking.parent is not None:  # mounted, or about to be: a quick reply can win
            thinking.remove()
        switch = reply.switch_to
        here = self.app.screen is self
        if switch and switch != self.lang and switch in self.app.languages and here:
            self.app.switch_language(switch, reply.message)  # "polski": change language
            return
        topics = self.app.assistant.topics(self.app.config.unit, self.app.today())
        bubbles = reply_bubbles(reply, topics, self.lang, staff=not self.app.config.kiosk_mode)
        for bubble in bubbles:
            bubble.reply = reply  # the question, for a "did not help" in the unanswered log
        self.add(*bubbles)
        self.app.note_reply(reply)

    # ---- buttons in the log ------------------------------------------------------------

    def _switch_urgent(self, bubble: UrgentBubble) -> None:
        """The same urgent reply in the kiosk's language, in its place."""
        app = self.app
        reply = bubble.reply
        if reply.urgent_kind is None:
            return
        answers = tuple(
            app.assistant.answer(a.id, self.lang, unit=app.config.unit, day=app.today())
            for a in reply.answers
            if a.id in app.assistant.rulebook.articles
        )
        message = app.assistant.urgent_message(reply.urgent_kind, self.lang, self.lang)
        switched = UrgentBubble(
            replace(reply, query_lang=self.lang, message=message, answers=answers)
        )
        self.query_one("#log", VerticalScroll).mount(switched, after=bubble)
        bubble.remove()

    def handle_action(self, kind: str, args: list[str], button: ActionButton) -> None:
        bubble = next((a for a in button.ancestors if isinstance(a, AnswerBubble)), None)
        urgent = next((a for a in button.ancestors if isinstance(a, UrgentBubble)), None)
        if kind == "speak-urgent" and urgent:
            urgent.speak()
        elif kind == "switch-urgent" and urgent:
            self._switch_urgent(urgent)
        elif kind == "toggle" and bubble:
            bubble.toggle()
        elif kind == "feedback" and bubble:
            helpful = args[1] == "yes"
            self.app.record_feedback(args[0], helpful, getattr(bubble, "reply", None))
            bubble.thank(helpful)
        elif kind == "ask":
            self.ask(args[0])
        elif kind == "speak" and bubble:
            bubble.speak()
        elif kind in ("switch", "article") and args[0] not in self.app.assistant.rulebook.articles:
            # The content was updated while this was on screen, and the article is gone.
            self.add(TextBubble(_("This information has changed. Please ask again.")))
        elif kind == "switch" and bubble:
            answer = self.app.assistant.answer(
                args[0], self.lang, unit=self.app.config.unit, day=self.app.today()
            )
            switched = AnswerBubble(answer)
            switched.reply = getattr(bubble, "reply", None)
            self.query_one("#log", VerticalScroll).mount(switched, after=bubble)
            bubble.remove()
        elif kind == "article":
            answer = self.app.assistant.answer(
                args[0], self.lang, unit=self.app.config.unit, day=self.app.today()
            )
            chosen = AnswerBubble(answer)
            source = next((a for a in button.ancestors if hasattr(a, "reply")), None)
            if source is not None and source.has_class("clarify"):
                chosen.reply = source.reply  # picked from "which one do you mean?"
            self.add(chosen)
        else:
            super().handle_action(kind, args, button)
