"""The conversation: the person's questions and the assistant's replies as bubbles."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from kiosk import FALLBACK_LANGUAGES
from kiosk.assistant import ANSWERED, CLARIFY, URGENT, Answer, Reply
from kiosk.content.model import Topic
from kiosk.i18n import _, current, language_name
from kiosk.speech import speakable
from kiosk.ui import bidi
from kiosk.ui.actions import (
    AskQuestion,
    GiveFeedback,
    OpenArticle,
    OpenTopic,
    ReadAloud,
    RunAppAction,
    ShowInKioskLanguage,
    ToggleBody,
)
from kiosk.ui.text import Paragraph, literal
from kiosk.ui.widgets.article import article_body, source_line
from kiosk.ui.widgets.buttons import ActionButton

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.ui.actions import Action
    from kiosk.ui.app import KioskApp


class UserBubble(Paragraph):
    """What the person asked, on the right."""

    DEFAULT_CSS = """
    UserBubble { width: auto; max-width: 80%; margin: 1 1 0 8; padding: 0 1;
                 background: $primary 40%; dock: none; }
    """

    def __init__(self, text: str) -> None:
        super().__init__(text, classes="bubble user")


class Row(Horizontal):
    """A wrapping row of small buttons; from the right on a right-to-left screen."""

    DEFAULT_CSS = """
    Row { height: auto; width: 1fr; layout: horizontal; }
    Row > Button { margin: 0 1 0 0; }
    Row > .label { width: auto; margin-right: 1; }
    Row.-rtl { align-horizontal: right; }
    """

    def on_mount(self) -> None:
        right_to_left(self)


class ChoiceGrid(Grid):
    """Buttons in as many equal columns as fit the screen, wrapping onto new rows.

    The column count is fixed when the grid is made, from the screen width, so the
    layout is the same on every run (a kiosk's screen does not change size).
    """

    DEFAULT_CSS = """
    ChoiceGrid { height: auto; grid-gutter: 0 1; grid-rows: auto; }
    ChoiceGrid > Button { width: 100%; }
    """
    COLUMN_WIDTH = 26
    MIN_COLUMN_WIDTH = 10
    """A button's border and padding, one cell of label, and the gutter."""

    def __init__(self, count: int, width: int, **kwargs) -> None:
        super().__init__(**kwargs)
        columns = max(1, min(count, width // self.COLUMN_WIDTH))
        self.styles.grid_size_columns = columns
        # Never narrower than its columns: in a window shrunk far below 80x24 the grid is
        # cut off at the edge, instead of squeezing a button to no width (a fault in Rich).
        self.styles.min_width = columns * self.MIN_COLUMN_WIDTH

    def on_mount(self) -> None:
        right_to_left(self, self.styles.grid_size_columns or 1)


def right_to_left(row: Widget, columns: int = 0) -> None:
    """On a right-to-left screen (Arabic, reordered here), rows start at the right: each
    row of ``columns`` children (0: all of them) is put in reverse order, a short last row
    of a grid kept to the right, and a row of buttons aligned right."""
    children = list(row.children)
    if bidi.mode != "reorder" or not current().right_to_left or not children:
        return
    row.add_class("-rtl")
    columns = columns or len(children)
    lines = [children[i : i + columns] for i in range(0, len(children), columns)]
    short = columns - len(lines[-1])
    if short and len(lines) > 1:
        row.mount_all([Static() for _ in range(short)], after=lines[-1][-1])
        lines[-1] = [*lines[-1], *list(row.children)[-short:]]
    for child in [c for line in lines for c in reversed(line)]:
        if child is not row.children[-1]:
            row.move_child(child, after=row.children[-1])


class AssistantBubble(Vertical):
    """One reply of the assistant, on the left."""

    DEFAULT_CSS = """
    AssistantBubble { height: auto; width: 1fr; margin: 1 8 0 1; padding: 0 1;
                      background: $panel; border-left: thick $accent; }
    AssistantBubble > .title { text-style: bold; color: $accent; }
    AssistantBubble > .source { color: $text-muted; }
    AssistantBubble > .body { display: none; }
    AssistantBubble.-expanded > .body { display: block; }
    AssistantBubble > .thanks { color: $success; }
    """

    reply: Reply | None
    """The reply this bubble shows (or was chosen from): its question goes with a "did not
    help" to the unanswered log."""

    def __init__(self, *, classes: str, reply: Reply | None = None) -> None:
        super().__init__(classes=classes)
        self.reply = reply

    @property
    def kiosk(self) -> KioskApp:
        return cast("KioskApp", self.app)

    def width_for_buttons(self) -> int:
        """The width a grid of buttons in this bubble has (the bubble's margin and border
        taken off the screen's)."""
        return self.kiosk.size.width - 12

    def speech(self) -> tuple[str, str]:
        """What "Read aloud" says, and in which language (bubbles that have the button)."""
        raise NotImplementedError

    def show_reading(self, reading: bool) -> None:
        """The Read aloud button says what a tap does now: start reading, or stop."""
        label = _("Stop reading") if reading else _("Read aloud")
        self.query_one(".speak", ActionButton).label = literal(label)


class AnswerBubble(AssistantBubble):
    """An answer: title, summary, "Read more", source, related articles and feedback."""

    def __init__(
        self,
        answer: Answer,
        *,
        suggestion: str | None = None,
        staff: str = "",
        reply: Reply | None = None,
        also: tuple[tuple[str, str], ...] | None = None,
    ) -> None:
        super().__init__(classes="bubble answer", reply=reply)
        self.answer = answer
        self.suggestion = suggestion
        self.staff = staff
        # Under it: the search's next answers, then the related articles (Reply.see_also);
        # an article opened from a button has its related ones only.
        self.also = answer.related if also is None else also

    def compose(self) -> ComposeResult:
        a = self.answer
        yield Paragraph(a.title, classes="title")
        yield Paragraph(a.summary, classes="summary")
        with Row():  # the body is built when "Read more" first opens it
            yield ActionButton(_("Read more"), ToggleBody(), classes="read-more")
            if self.kiosk.speaker.available:
                yield ActionButton(_("Read aloud"), ReadAloud(), classes="speak")
            ui_lang = current().lang
            if a.lang != ui_lang:
                # Answered in the language of the question: one tap shows the kiosk's.
                yield ActionButton(
                    _("Show in {language}").format(language=language_name(ui_lang, False)),
                    ShowInKioskLanguage(),
                    classes="switch-language",
                )
        yield Paragraph(source_line(a), classes="source")
        if self.staff:
            yield Paragraph(self.staff, classes="source staff")
        if self.also:
            yield Paragraph(_("See also:"), classes="label")
            with ChoiceGrid(len(self.also), self.width_for_buttons(), classes="related"):
                for rid, title in self.also:
                    yield ActionButton(title, OpenArticle(rid))
        with Row(classes="feedback"):
            yield Static(literal(_("Did this help?")), classes="label")
            yield ActionButton(_("Yes"), GiveFeedback(a.id, helpful=True), variant="success")
            yield ActionButton(_("No"), GiveFeedback(a.id, helpful=False), variant="error")

    def toggle(self) -> None:
        expanded = not self.has_class("-expanded")
        button = self.query_one(".read-more", ActionButton)
        if expanded and not self.query(".body"):
            self.mount(article_body(self.answer.body, classes="body"), before=button.parent)
        self.set_class(expanded, "-expanded")
        button.label = literal(_("Show less") if expanded else _("Read more"))

    def speech(self) -> tuple[str, str]:
        a = self.answer
        return speakable(a.title, a.summary, a.body), a.lang

    def thank(self, helpful: bool) -> None:
        row = self.query_one(".feedback", Row)
        row.remove_children()
        text = _("Thank you.") if helpful else _("Thank you. Try other words, or ask an officer.")
        row.mount(Paragraph(text, classes="thanks"))


class UrgentBubble(AssistantBubble):
    """The reply to an urgent situation: what to do now, first and unmistakable; who to
    talk to; the kind's articles; read aloud; and one tap to the kiosk's language."""

    DEFAULT_CSS = """
    UrgentBubble { border: heavy $error; border-left: heavy $error; background: $error 15%;
                   margin: 1 2 0 1; }
    UrgentBubble > .now { text-style: bold; color: $text; background: $error 40%;
                          padding: 0 1; }
    UrgentBubble > .talk { margin-top: 1; }
    UrgentBubble > Row { margin-top: 1; }
    """

    reply: Reply

    def __init__(self, reply: Reply) -> None:
        super().__init__(classes="bubble urgent", reply=reply)

    @property
    def lang(self) -> str:
        return self.reply.query_lang

    def compose(self) -> ComposeResult:
        now, _sep, talk = (self.reply.message or "").partition("\n\n")
        yield Paragraph(now, classes="now")
        if talk:
            yield Paragraph(talk, classes="talk")
        with Row(classes="urgent-actions"):
            for answer in self.reply.answers:
                yield ActionButton(answer.title, OpenArticle(answer.id), variant="warning")
            if self.kiosk.speaker.available:
                yield ActionButton(_("Read aloud"), ReadAloud(), classes="speak")
            ui_lang = current().lang
            if self.lang != ui_lang:
                yield ActionButton(
                    _("Show in {language}").format(language=language_name(ui_lang, False)),
                    ShowInKioskLanguage(),
                    classes="switch-language",
                )

    def speech(self) -> tuple[str, str]:
        return speakable(self.reply.message or ""), self.lang


class TextBubble(AssistantBubble):
    """A reply that is words and, maybe, a row of choices."""

    def __init__(
        self,
        text: str,
        choices: list[tuple[str, Action]] | None = None,
        *,
        classes: str = "",
        title: str | None = None,
        reply: Reply | None = None,
        pages: list[tuple[str, Action]] | None = None,
        lead: list[tuple[str, Action]] | None = None,
    ) -> None:
        super().__init__(classes=f"bubble {classes}".strip(), reply=reply)
        self.text = text
        self.title = title
        self.choices = choices or []
        self.pages = pages or []
        self.lead = lead or []  # a did-you-mean: first, right under the text that asks it

    def compose(self) -> ComposeResult:
        if self.title:
            yield Paragraph(self.title, classes="title")
        yield Paragraph(self.text, classes="text")
        if self.has_class("no-match") and self.kiosk.speaker.available:
            with Row():  # "I don't know" and the pages to try, heard as well as read
                yield ActionButton(_("Read aloud"), ReadAloud(), classes="speak")
        if self.lead:
            with ChoiceGrid(len(self.lead), self.width_for_buttons(), classes="lead"):
                for label, action in self.lead:
                    yield ActionButton(label, action)
        if self.pages:  # an "I don't know": the articles nearest the question, to try
            yield Paragraph(_("These pages may help:"), classes="label")
            with ChoiceGrid(len(self.pages), self.width_for_buttons(), classes="pages"):
                for label, action in self.pages:
                    yield ActionButton(label, action, variant="primary")
        if self.choices:
            with ChoiceGrid(len(self.choices), self.width_for_buttons(), classes="choices"):
                for label, action in self.choices:
                    yield ActionButton(label, action)

    def speech(self) -> tuple[str, str]:
        parts = [self.text]
        if self.pages:
            parts.append(_("These pages may help:"))
            parts += [label for label, _action in self.pages]
        return speakable(*parts), current().lang


class CheckInBubble(AssistantBubble):
    """A calm line under a reply whose question may hide a crisis: who to tell, at any
    time. Not the urgent reply: nothing is assumed, and the answer above stays."""

    DEFAULT_CSS = """
    CheckInBubble { border-left: thick $warning; background: $warning 10%; }
    """

    def __init__(self, text: str, reply: Reply) -> None:
        super().__init__(classes="bubble check-in", reply=reply)
        self.text = text

    def compose(self) -> ComposeResult:
        yield Paragraph(self.text, classes="text")
        if self.kiosk.speaker.available:
            with Row():
                yield ActionButton(_("Read aloud"), ReadAloud(), classes="speak")

    def speech(self) -> tuple[str, str]:
        reply = cast("Reply", self.reply)
        return speakable(self.text), reply.check_in_lang or current().lang


def start_choices() -> list[tuple[str, Action]]:
    """Topics and New here: where a person can start without typing."""
    return [(_("Topics"), RunAppAction("topics")), (_("New here"), RunAppAction("orientation"))]


_SMALL_TALK_CHOICES: dict[str, Callable[[], list[tuple[str, Action]]]] = {
    "greeting": start_choices,
    "help": start_choices,
    "ok": lambda: [(_("Topics"), RunAppAction("topics"))],
    "goodbye": lambda: [(_("End session"), RunAppAction("end_session"))],
}
"""Buttons under a small-talk reply (built when shown, in the UI language)."""


def reply_bubbles(
    reply: Reply, topics: list[Topic], lang: str, staff: bool = False
) -> list[AssistantBubble]:
    """The bubbles that show one reply (each knows the reply, for a "did not help"), and
    under them, for a question that may hide a crisis, the calm check-in line."""
    bubbles = _reply_bubbles(reply, topics, lang, staff)
    if reply.check_in and reply.intent != URGENT:
        bubbles.append(CheckInBubble(reply.check_in, reply))
    return bubbles


def _reply_bubbles(
    reply: Reply, topics: list[Topic], lang: str, staff: bool
) -> list[AssistantBubble]:
    if reply.intent == URGENT:  # a crisis: what to do now, never a search result
        return [UrgentBubble(reply)]
    if reply.intent and reply.message:  # small talk: a few words, and where to go next
        choices = _SMALL_TALK_CHOICES.get(reply.intent, list)()
        return [TextBubble(reply.message, choices, reply=reply)]
    suggestion: list[tuple[str, Action]] = []
    if reply.suggestion:
        suggestion = [(reply.suggestion, AskQuestion(reply.suggestion))]
    info = ""
    if staff:
        info = f"{reply.status} · " + ", ".join(f"{a.id} {a.score:g}" for a in reply.answers)
    if reply.status == ANSWERED and reply.top:
        bubbles: list[AssistantBubble] = []
        if suggestion:
            bubbles.append(
                TextBubble(_("Did you mean:"), suggestion, classes="suggestion", reply=reply)
            )
        bubbles.append(AnswerBubble(reply.top, staff=info, reply=reply, also=reply.see_also))
        return bubbles
    if reply.status == CLARIFY:
        choices: list[tuple[str, Action]] = [(a.title, OpenArticle(a.id)) for a in reply.answers]
        text = _("I found more than one answer. Which one do you mean?")
        if len(choices) == 1:  # a partial match far ahead of the rest: ask, do not assert
            text = _("I am not sure I understood. Is this what you are looking for?")
        if info:
            text += "\n" + info
        return [TextBubble(text, choices + suggestion, classes="clarify", reply=reply)]
    # The topics the best candidates were in come first: "where to look" after one touch.
    likely = {topic: i for i, topic in enumerate(reply.topics)}
    ordered = sorted(topics, key=lambda t: likely.get(t.id, len(likely)))
    choices = [(t.title(lang, FALLBACK_LANGUAGES), OpenTopic(t.id)) for t in ordered]
    text = reply.message or _(
        "Sorry, I don't know the answer to that. Try other words, choose a topic below, "
        "or ask an officer on your unit."
    )
    if suggestion:
        text = _("Sorry, I am not sure what you mean. Did you mean this?") + "\n" + text
    # Not answers (the decision found none good enough), but one touch from the right
    # one for most covered questions that get here (README, "Answer quality").
    pages: list[tuple[str, Action]] = [(a.title, OpenArticle(a.id)) for a in reply.nearest]
    return [
        TextBubble(text, choices, classes="no-match", reply=reply, pages=pages, lead=suggestion)
    ]
