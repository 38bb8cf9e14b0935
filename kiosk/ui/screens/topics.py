"""The topic browser: topics, then a topic's articles, then one article.

People who cannot or will not type reach every article this way.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import Button, Static

from kiosk import FALLBACK_LANGUAGES
from kiosk.assistant import Answer
from kiosk.i18n import _
from kiosk.ui.actions import GoBack, OpenArticle, OpenTopic
from kiosk.ui.screens.base import SessionScreen
from kiosk.ui.text import literal
from kiosk.ui.widgets.article import ArticleView
from kiosk.ui.widgets.buttons import ActionButton
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.keybar import KeyBar
from kiosk.ui.widgets.messages import ChoiceGrid, Row

BROWSER_CSS = """
.screen-title { text-style: bold; padding: 0 1; height: auto; background: $boost; }
.back-row { height: auto; dock: bottom; margin-bottom: 1; padding: 0 1; }
"""


class BrowserScreen(SessionScreen):
    """Header, a title line, a scrolling body, a back button and the key bar."""

    DEFAULT_CSS = BROWSER_CSS
    AUTO_FOCUS = "#body Button, #back"
    """The first choice has the focus (Back when there is none)."""

    def __init__(self, lang: str, title: str) -> None:
        super().__init__()
        self.lang = lang
        self.title_text = title

    def compose(self) -> ComposeResult:
        app = self.kiosk
        yield KioskHeader(app.config.facility, app.config.shown_unit_name, self.lang)
        yield Static(literal(self.title_text), classes="screen-title")
        with VerticalScroll(id="body"):
            yield from self.body()
        with Row(classes="back-row"):
            yield ActionButton(_("Back"), GoBack(), id="back")
        yield KeyBar()

    def body(self) -> ComposeResult:
        yield from ()


class ChoicesScreen(BrowserScreen):
    """A browser screen that is a list (or grid) of choices: the arrow keys move between
    them and Back, as Help says; Tab still works too."""

    COLUMNS = 1
    """Choices per row: up and down move by this many."""
    BINDINGS = [
        Binding("up", "move(-1, 0)", show=False),
        Binding("down", "move(1, 0)", show=False),
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
    ]

    def action_move(self, rows: int, steps: int) -> None:
        choices = [*self.query("#body Button"), self.query_one("#back", Button)]
        if self.focused not in choices:
            choices[0].focus()
            return
        at = choices.index(self.focused) + rows * self.COLUMNS + steps
        choices[max(0, min(at, len(choices) - 1))].focus()


class TopicsScreen(ChoicesScreen):
    DEFAULT_CSS = """
    TopicsScreen #grid { grid-size: 3; grid-gutter: 0 1; height: auto; padding: 0 1;
                         min-width: 32; }  /* cut off, not squeezed to nothing, when tiny */
    TopicsScreen #grid Button { width: 100%; }
    """

    COLUMNS = 3  # grid-size above

    def __init__(self, lang: str) -> None:
        super().__init__(lang, _("Topics"))

    def body(self) -> ComposeResult:
        with Grid(id="grid"):
            app = self.kiosk
            for topic in app.assistant.topics(app.config.unit, app.today()):
                yield ActionButton(
                    topic.title(self.lang, FALLBACK_LANGUAGES),
                    OpenTopic(topic.id),
                    compact=False,
                    id=f"topic-{topic.id}",
                )


class ArticleListScreen(ChoicesScreen):
    DEFAULT_CSS = """
    ArticleListScreen #body Button { width: 100%; margin: 0 1; }
    """

    def __init__(self, lang: str, topic_id: str, title: str) -> None:
        super().__init__(lang, title)
        self.topic_id = topic_id

    def body(self) -> ComposeResult:
        app = self.kiosk
        for article in app.assistant.articles_in(self.topic_id, app.config.unit, app.today()):
            _code, tr = article.text(self.lang, FALLBACK_LANGUAGES)
            yield ActionButton(
                tr.title, OpenArticle(article.id), id=f"article-{article.id.replace('.', '--')}"
            )


class ArticleScreen(BrowserScreen):
    AUTO_FOCUS = "#back"
    """Back, outside the text: focusing a See-also button would scroll the article to its
    end, and it must open at its title."""
    DEFAULT_CSS = """
    ArticleScreen .related { padding: 0 1; }
    ArticleScreen .related-label { padding: 0 1; margin-top: 1; }
    """

    def __init__(self, lang: str, answer: Answer) -> None:
        super().__init__(lang, answer.topic_title)
        self.answer = answer

    def body(self) -> ComposeResult:
        yield ArticleView(self.answer)
        if self.answer.related:
            yield Static(literal(_("See also:")), classes="related-label")
            width = self.kiosk.size.width - 2
            with ChoiceGrid(len(self.answer.related), width, classes="related"):
                for rid, title in self.answer.related:
                    yield ActionButton(title, OpenArticle(rid))
