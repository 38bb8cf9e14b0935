"""The notices banner: urgent notices in force today for this unit."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

from kiosk.content.model import Notice
from kiosk.i18n import _
from kiosk.ui.actions import ToggleNotices, expected
from kiosk.ui.text import Paragraph, literal
from kiosk.ui.widgets.buttons import ActionButton

BUTTON_ROOM = 14
"""Cells the "Read more" button and its margin take from the banner's line."""


class NoticesBanner(Horizontal):
    """One line, with "Read more" when there is more than fits: a second notice must not be
    cut mid-sentence without a sign (80x24 has room for one line). Hidden when empty."""

    DEFAULT_CSS = """
    NoticesBanner { background: $warning 30%; color: $text; padding: 0 1; height: auto; }
    NoticesBanner.-empty { display: none; }
    NoticesBanner > .text { width: 1fr; height: 1; }
    NoticesBanner.-open > .text { height: auto; }
    NoticesBanner > Button { margin-left: 1; }
    """

    def __init__(self, notices: list[Notice], lang: str) -> None:
        super().__init__()
        self.lines = [f"! {n.texts.get(lang) or next(iter(n.texts.values()))}" for n in notices]
        self.count = len(self.lines)
        self.set_class(not self.lines, "-empty")

    def compose(self) -> ComposeResult:
        yield Paragraph("\n".join(self.lines), classes="text")
        yield ActionButton(_("Read more"), ToggleNotices(), classes="more")

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(".more").display = self.overflows(event.size.width)

    def overflows(self, width: int) -> bool:
        """Whether the notices need more than the one line they get when closed."""
        room = width - 2 - BUTTON_ROOM
        return len(self.lines) > 1 or any(cell_len(line) > room for line in self.lines)

    @on(Button.Pressed)
    def _toggle(self, event: Button.Pressed) -> None:
        event.stop()
        expected(event.button, ToggleNotices, self)
        opened = not self.has_class("-open")
        self.set_class(opened, "-open")
        event.button.label = literal(_("Show less") if opened else _("Read more"))
