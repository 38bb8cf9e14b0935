"""The language picker: the first screen of every session."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from kiosk.i18n import language_name
from kiosk.ui.actions import ChooseLanguage, expected
from kiosk.ui.text import literal
from kiosk.ui.widgets.buttons import ActionButton
from kiosk.ui.widgets.header import KioskHeader

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp

# "Choose your language" in each language, shown before anyone has chosen one.
PROMPTS = {
    "nb": "Velg språk",
    "en": "Choose your language",
    "pl": "Wybierz język",
    "lt": "Pasirinkite kalbą",
    "ro": "Alegeți limba",
    "ar": "اختر اللغة",
}


class LanguageScreen(Screen[str | None]):
    """Every enabled language under its own name, first one focused.

    The first screen of every session; or, ``in_session`` (F4), a choice that keeps the
    conversation: it is dismissed with the language chosen, or None (Escape).
    """

    BINDINGS = [
        Binding("up", "app.focus_previous", show=False),
        Binding("down", "app.focus_next", show=False),
        Binding("escape", "keep", show=False),
    ]
    DEFAULT_CSS = """
    LanguageScreen { align: center middle; }
    LanguageScreen #prompt { width: 1fr; text-align: center; color: $text-muted;
                             margin: 1 0 0 0; }
    LanguageScreen #languages { width: 40; height: auto; max-height: 100%; }
    LanguageScreen #languages Button { width: 100%; margin: 0 0 0 0; }
    """

    def __init__(
        self,
        languages: tuple[str, ...],
        facility: str,
        unit_name: str,
        preselect: str | None = None,
        in_session: bool = False,
    ) -> None:
        super().__init__()
        self.in_session = in_session
        self.languages = languages
        self.preselect = preselect if preselect in languages else languages[0]
        self.facility = facility
        self.unit_name = unit_name

    def compose(self) -> ComposeResult:
        yield KioskHeader(self.facility, self.unit_name)
        prompt = " · ".join(PROMPTS[lang] for lang in self.languages if lang in PROMPTS)
        yield Static(literal(prompt), id="prompt")
        with VerticalScroll(id="scroll"), Center(), Vertical(id="languages"):
            for lang in self.languages:
                yield ActionButton(
                    language_name(lang), ChooseLanguage(lang), compact=False, id=f"lang-{lang}"
                )

    def on_mount(self) -> None:
        self.query_one(f"#lang-{self.preselect}", Button).focus()

    @on(Button.Pressed)
    def _language_chosen(self, event: Button.Pressed) -> None:
        event.stop()
        lang = expected(event.button, ChooseLanguage, self).lang
        if self.in_session:
            self.dismiss(lang)
        else:
            cast("KioskApp", self.app).start_session(lang)

    def action_keep(self) -> None:
        """Escape: in a session, back to it in the same language; before one, nothing."""
        if self.in_session:
            self.dismiss(None)
