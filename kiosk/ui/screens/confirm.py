"""Asking before the session is ended by a person (F10, the End-session button)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from kiosk.i18n import _
from kiosk.ui.actions import AnswerEnd, expected
from kiosk.ui.text import Paragraph
from kiosk.ui.widgets.buttons import ActionButton
from kiosk.ui.widgets.messages import Row


class ConfirmEnd(ModalScreen[bool]):
    """ "End and clear everything?" Yes / No, with No focused: a stray Enter keeps the
    session. Dismissed with True for Yes. (The idle timeout does not ask.)"""

    AUTO_FOCUS = "#no"
    BINDINGS = [
        Binding("escape", "answer(False)", show=False),
        Binding("left,up", "app.focus_previous", show=False),
        Binding("right,down", "app.focus_next", show=False),
    ]
    DEFAULT_CSS = """
    ConfirmEnd { align: center middle; background: $background 70%; }
    ConfirmEnd #box { width: 60; max-width: 100%; height: auto; padding: 1 2;
                      background: $panel; border: thick $error; }
    ConfirmEnd #question { text-style: bold; margin-bottom: 1; }
    ConfirmEnd Row > Button { margin: 0 2 0 0; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Paragraph(_("End and clear everything?"), id="question")
            yield Paragraph(_("Your conversation will be deleted."))
            with Row():
                yield ActionButton(
                    _("Yes"), AnswerEnd(end=True), id="yes", compact=False, variant="error"
                )
                yield ActionButton(_("No"), AnswerEnd(end=False), id="no", compact=False)

    @on(Button.Pressed)
    def _answered(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(expected(event.button, AnswerEnd, self).end)

    def action_answer(self, end: bool) -> None:
        self.dismiss(end)
