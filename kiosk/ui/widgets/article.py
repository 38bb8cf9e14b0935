"""An article as a person reads it: title, summary, body, and where it comes from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Markdown

from kiosk.assistant import Answer
from kiosk.i18n import _, current
from kiosk.sanitize import clean_text
from kiosk.ui import bidi
from kiosk.ui.text import Paragraph, markdown_as_text


def source_line(answer: Answer) -> str:
    """Where an answer comes from: topic, title and when it was last reviewed."""
    parts = [answer.topic_title, answer.title]
    if answer.reviewed:
        parts.append(_("reviewed {date}").format(date=current().date(answer.reviewed)))
    return _("From: {source}").format(source=" · ".join(parts))


class SafeMarkdown(Markdown):
    """Markdown that never opens anything: links are off, and clicks go nowhere."""

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(clean_text(text), open_links=False, **kwargs)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        event.prevent_default()


def article_body(body: str, **kwargs) -> Widget:
    """The body as Markdown, or as plain right-aligned text when it is right-to-left."""
    if bidi.is_rtl(body) and bidi.mode == "reorder":
        return Paragraph(markdown_as_text(body), **kwargs)
    return SafeMarkdown(body, **kwargs)


class ArticleView(Vertical):
    """The whole article, for the topic browser and the orientation."""

    DEFAULT_CSS = """
    ArticleView { height: auto; padding: 0 1; }
    ArticleView > .title { text-style: bold; color: $accent; margin-bottom: 1; }
    ArticleView > .summary { margin-bottom: 1; text-style: bold; }
    ArticleView > .source { color: $text-muted; margin-top: 1; }
    ArticleView > .body { margin: 0; padding: 0; }
    """

    def __init__(self, answer: Answer, **kwargs) -> None:
        super().__init__(**kwargs)
        self.answer = answer

    def compose(self) -> ComposeResult:
        yield Paragraph(self.answer.title, classes="title")
        yield Paragraph(self.answer.summary, classes="summary")
        yield article_body(self.answer.body, classes="body")
        yield Paragraph(source_line(self.answer), classes="source")
