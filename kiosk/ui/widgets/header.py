"""The header: facility, unit, the time and the language."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from kiosk.i18n import current, language_name
from kiosk.ui.text import literal

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp


class KioskHeader(Horizontal):
    """One line: where this kiosk is, what time it is, which language is on."""

    DEFAULT_CSS = """
    KioskHeader { height: 1; background: $primary; color: $text; }
    KioskHeader > #place { width: 1fr; padding: 0 1; text-style: bold; }
    KioskHeader > #clock { width: auto; padding: 0 1; }
    KioskHeader > #language { width: auto; padding: 0 1; }
    """

    def __init__(self, facility: str, unit_name: str, lang: str | None = None) -> None:
        super().__init__()
        self.facility = facility
        self.unit_name = unit_name
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Static(literal(f"{self.facility} · {self.unit_name}"), id="place")
        yield Static(self._clock(), id="clock")
        if self.lang:
            yield Static(literal(language_name(self.lang)), id="language")

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(10, self._tick)

    def _clock(self) -> Content:
        now = cast("KioskApp", self.app).now()
        return literal(current().time(now))

    def _tick(self) -> None:
        self.query_one("#clock", Static).update(self._clock())
