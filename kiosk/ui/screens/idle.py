"""The idle warning: a visible countdown that any key or touch cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kiosk.i18n import _, ngettext
from kiosk.ui.actions import StaySignedIn, expected
from kiosk.ui.text import Paragraph, literal
from kiosk.ui.widgets.buttons import ActionButton


class IdleWarning(ModalScreen):
    DEFAULT_CSS = """
    IdleWarning { align: center middle; background: $background 70%; }
    IdleWarning #box { width: 60; height: auto; padding: 1 2; background: $panel;
                       border: thick $warning; }
    IdleWarning #countdown { text-style: bold; margin: 1 0; }
    """

    def __init__(self, seconds: int) -> None:
        super().__init__()
        self.remaining = seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(literal(_("Are you still there?")), id="title")
            yield Static("", id="countdown", markup=False)
            yield Paragraph(
                _(
                    "To protect your privacy, this conversation will be cleared. "
                    "Press any key or touch the screen to continue."
                )
            )
            yield ActionButton(_("Continue"), StaySignedIn(), id="continue", compact=False)

    def on_mount(self) -> None:
        self._render_count()

    def tick(self) -> int:
        """One second passed; returns the seconds left."""
        self.remaining = max(0, self.remaining - 1)
        self._render_count()
        return self.remaining

    def _render_count(self) -> None:
        text = ngettext("Clearing in {n} second", "Clearing in {n} seconds", self.remaining).format(
            n=self.remaining
        )
        self.query_one("#countdown", Static).update(literal(text))

    @on(Button.Pressed)
    def _continue(self, event: Button.Pressed) -> None:
        event.stop()
        expected(event.button, StaySignedIn, self)
        self.dismiss()
