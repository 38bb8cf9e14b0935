"""Orientation for new arrivals: the steps for this unit type, one article per step."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, ProgressBar, Static

from kiosk.assistant import Answer
from kiosk.i18n import _
from kiosk.ui.actions import Action, Step
from kiosk.ui.screens.base import SessionScreen
from kiosk.ui.text import Paragraph, literal
from kiosk.ui.widgets.article import ArticleView
from kiosk.ui.widgets.buttons import ActionButton
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.keybar import KeyBar
from kiosk.ui.widgets.messages import Row

STEP_DEBOUNCE = 0.3
"""Seconds in which a second Next or Back is taken as part of the same tap."""


class OrientationScreen(SessionScreen):
    """Step n of N with a progress bar, back / next, then a closing summary."""

    DEFAULT_CSS = """
    OrientationScreen #progress-row { height: 1; padding: 0 1; background: $boost; }
    OrientationScreen #step { width: auto; margin-right: 2; text-style: bold; }
    OrientationScreen #bar { width: 1fr; }
    OrientationScreen #nav { height: auto; dock: bottom; margin-bottom: 1; padding: 0 1; }
    OrientationScreen #nav Button { margin-right: 2; }
    OrientationScreen .done { padding: 1 1 0 1; }
    """

    def __init__(self, lang: str, steps: list[Answer], start: int = 0) -> None:
        super().__init__()
        self.lang = lang
        self.steps = steps
        self.index = max(0, min(start, len(steps)))
        self._last_step = 0.0

    @property
    def finished(self) -> bool:
        return self.index >= len(self.steps)

    def compose(self) -> ComposeResult:
        app = self.kiosk
        yield KioskHeader(app.config.facility, app.config.shown_unit_name, self.lang)
        with Row(id="progress-row"):
            yield Static("", id="step", markup=False)
            yield ProgressBar(total=len(self.steps), show_eta=False, id="bar")
        yield VerticalScroll(id="page")
        with Row(id="nav"):
            yield ActionButton(_("Back"), Step(forward=False), id="prev")
            yield ActionButton(_("Next"), Step(forward=True), id="next", variant="primary")
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.show()

    async def show(self) -> None:
        """Show the current step (or the summary), then give Next the focus."""
        page = self.query_one("#page", VerticalScroll)
        await page.remove_children()
        total = len(self.steps)
        bar = self.query_one("#bar", ProgressBar)
        step = self.query_one("#step", Static)
        next_button = self.query_one("#next", Button)
        if self.finished:
            step.update(literal(_("Finished")))
            bar.update(progress=total)
            lines = [_("You have finished the introduction. You read about:")]
            lines += [f"  {i}. {a.title}" for i, a in enumerate(self.steps, 1)]
            lines.append(
                _(
                    "You can read it again at any time with the 'New here' key. "
                    "Ask your contact officer if anything is unclear."
                )
            )
            await page.mount(Paragraph("\n".join(lines), classes="done"))
            next_button.label = literal(_("Done"))
        else:
            step.update(literal(_("Step {n} of {total}").format(n=self.index + 1, total=total)))
            bar.update(progress=self.index + 1)
            await page.mount(ArticleView(self.steps[self.index]))
            last = self.index == total - 1
            next_button.label = literal(_("Finish") if last else _("Next"))
        page.scroll_home(animate=False)
        next_button.focus()
        self.kiosk.orientation_step = self.index  # F3 comes back here, until the session ends

    async def perform(self, action: Action, button: ActionButton) -> None:
        if not isinstance(action, Step):
            await super().perform(action, button)
            return
        # A double tap on a touch screen must not skip a step.
        now = time.monotonic()
        if now - self._last_step < STEP_DEBOUNCE:
            return
        self._last_step = now
        app = self.kiosk
        if action.forward and self.finished:
            app.orientation_step = 0  # done: F3 starts it again
            app.pop_screen()
            return
        if not action.forward and self.index == 0:
            app.pop_screen()
            return
        self.index += 1 if action.forward else -1
        await self.show()
        # Counted from when the new step is on screen: a second tap queued while a slow
        # screen drew the step is still the same double tap.
        self._last_step = time.monotonic()
