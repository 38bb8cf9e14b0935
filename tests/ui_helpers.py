"""Helpers for driving the kiosk UI in tests."""

from __future__ import annotations

import datetime as dt
import time

from textual.app import App
from textual.widgets import Static

from kiosk.config import KioskConfig
from kiosk.speech import Speaker
from kiosk.ui.actions import UnknownAction
from kiosk.ui.app import KioskApp

FIXED_NOW = dt.datetime(2026, 11, 23, 14, 5)


def make_app(assistant, speaker: Speaker | None = None, **settings) -> KioskApp:
    """The kiosk app on ``assistant``; no voice unless a speaker is given (stable layout)."""
    config = KioskConfig(**settings)
    app = KioskApp(config, assistant, speaker or Speaker(binary=""))
    app.now = lambda: FIXED_NOW
    app.cursor_blink = False  # a blinking cursor would make snapshots depend on timing
    fail_on_unknown_actions(app)
    return app


def fail_on_unknown_actions(app: KioskApp) -> None:
    """A button wired to nothing fails the test: the kiosk would show its out-of-service
    screen and carry on, and a test might not notice."""
    kiosk_handler = app._handle_exception

    def handle(error: Exception) -> None:
        if isinstance(error, UnknownAction):
            App._handle_exception(app, error)  # Textual's own: run_test raises it
        else:
            kiosk_handler(error)

    app._handle_exception = handle  # type: ignore[method-assign]


def screen_text(app: KioskApp) -> str:
    """All text the current screen shows in Static widgets and button labels."""
    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
        label = getattr(widget, "label", None)
        if label is not None:
            parts.append(str(label))
    return "\n".join(parts)


async def pick(pilot, lang: str = "en") -> None:
    await pilot.click(f"#lang-{lang}")
    await pilot.pause()


async def ask(pilot, text: str) -> None:
    app = pilot.app
    question = app.screen.query_one("#question")
    question.value = text
    question.focus()  # Enter on a focused button would press the button instead
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def idle_warning(pilot) -> None:
    """Let the kiosk go idle until its warning shows."""
    from kiosk.ui.screens.idle import IdleWarning

    app = pilot.app
    app.last_input = time.monotonic() - app.config.idle_timeout - 5
    await pilot.pause(1.3)
    assert isinstance(app.screen, IdleWarning)


async def end_session(pilot, key: str = "f10") -> None:
    """End the session the way a person does: F10 (or a button), then Yes."""
    from kiosk.ui.screens.confirm import ConfirmEnd

    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmEnd)
    await pilot.click("#yes")
    await pilot.pause()
