"""The help screen: how to use the kiosk, in plain words."""

from __future__ import annotations

from textual.app import ComposeResult

from kiosk.i18n import _
from kiosk.ui.screens.topics import BrowserScreen
from kiosk.ui.text import Paragraph


class HelpScreen(BrowserScreen):
    DEFAULT_CSS = """
    HelpScreen #help { padding: 1 2; }
    """

    def __init__(self, lang: str) -> None:
        super().__init__(lang, _("Help"))

    def body(self) -> ComposeResult:
        text = "\n\n".join(
            [
                _(
                    "Type a question in your own words and press Enter. "
                    "You can write in your own language."
                ),
                _("Or choose Topics to find information without typing."),
                _("New here? Choose 'New here' for a short guide to your first days."),
                _(
                    "Use the Tab key or the arrow keys to move, and Enter to choose. "
                    "You can also touch the buttons."
                ),
                _(
                    "When you are finished, choose 'End session'. Your conversation is "
                    "deleted. It is also deleted after a few minutes without use."
                ),
                _(
                    "This kiosk gives information only. For anything else, ask an officer "
                    "on your unit or your contact officer."
                ),
            ]
        )
        yield Paragraph(text, id="help")
