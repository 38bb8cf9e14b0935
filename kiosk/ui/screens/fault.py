"""The out-of-service screen: calm words, a short code, and a way back on its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from kiosk.i18n import _
from kiosk.ui.text import Paragraph, literal

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp


class FaultScreen(Screen):
    DEFAULT_CSS = """
    FaultScreen { align: center middle; }
    FaultScreen #box { width: 64; height: auto; padding: 1 2; border: thick $error; }
    FaultScreen #code { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, code: str, retry_after: float) -> None:
        super().__init__()
        self.code = code
        self.retry_after = retry_after

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(literal(_("Out of service")), id="title")
            yield Paragraph(
                _(
                    "Sorry, something went wrong. Please tell an officer. "
                    "The kiosk will start again by itself in a moment."
                )
            )
            yield Static(literal(_("Code: {code}").format(code=self.code)), id="code")

    def on_mount(self) -> None:
        self.set_timer(self.retry_after, cast("KioskApp", self.app).recover)
