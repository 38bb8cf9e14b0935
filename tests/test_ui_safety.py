"""Content and typed text are shown literally: no markup, no links, no actions."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input

from kiosk.assistant import Assistant
from kiosk.config import KioskConfig
from kiosk.ui.screens.chat import ChatScreen
from kiosk.ui.widgets.messages import AnswerBubble, UserBubble
from tests.ui_helpers import ask, idle_warning, make_app, pick, screen_text

HOSTILE_TITLE = "Booking [@click=app.quit]a visit[/] [b]now[/b]"
HOSTILE_BODY = "Click [red]here[/red] or [@click=app.quit]here[/] or [link=file:///etc]x[/link]."


@pytest.mark.slow
async def test_markup_in_content_is_shown_as_written(content_copy, tmp_path):
    path = content_copy / "articles/visits/booking.yaml"
    text = path.read_text()
    text = text.replace("title: Booking a visit", f'title: "{HOSTILE_TITLE}"')
    text = text.replace("      **How to book a visit**", f"      {HOSTILE_BODY}\n\n      **How")
    path.write_text(text)
    notices = content_copy / "notices.yaml"
    notices.write_text(
        re.sub(
            r"(?m)^    en: The gym is closed.*$",
            "    en: '[@click=app.quit]Quit[/] The gym is closed'",
            notices.read_text(),
        )
    )
    config = KioskConfig(content=content_copy, data_dir=tmp_path / "data")
    assistant = Assistant(config)
    app = make_app(assistant, content=content_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pick(pilot, "en")
        assert "[@click=app.quit]Quit[/] The gym is closed" in screen_text(app)
        await ask(pilot, "how do I book a visit")
        bubble = app.screen.query(AnswerBubble).last()
        assert str(bubble.query_one(".title").render()) == HOSTILE_TITLE
        await pilot.click(bubble.query_one(".read-more"))
        await pilot.pause()
        markdown_text = "\n".join(
            str(block.render()) for block in bubble.query_one(".body").query("*")
        )
        assert "[red]here[/red]" in markdown_text
        assert "[@click=app.quit]here[/]" in markdown_text
        # Clicking where the "links" are does nothing: the app is still running.
        await pilot.click(bubble.query_one(".body"), offset=(8, 0))
        await pilot.click(bubble.query_one(".title"), offset=(10, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, ChatScreen)


async def test_typed_markup_and_escapes_are_text(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "[@click=app.quit]hi[/] [b]bold[/b] \x1b]52;c;aGk=\x07 \x1b[31mred")
        bubble = app.screen.query(UserBubble).last()
        shown = str(bubble.render())
        assert shown == "[@click=app.quit]hi[/] [b]bold[/b] red"
        await pilot.click(bubble)
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_copy_never_reaches_the_terminal_clipboard(assistant, monkeypatch):
    app = make_app(assistant)
    written = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        monkeypatch.setattr(app._driver, "write", lambda data: written.append(data))
        app.copy_to_clipboard("secret")
        await pilot.pause()
        assert app.clipboard == "secret"
        assert not any("\x1b]52" in chunk for chunk in written)


@pytest.mark.slow
async def test_a_tap_cancels_the_idle_warning(assistant):
    app = make_app(assistant, idle_timeout=1, idle_warning=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        await idle_warning(pilot)
        await pilot.click(offset=(2, 2))
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert isinstance(app.focused, Input) or app.focused is None


async def test_high_contrast_theme_is_selectable(assistant):
    app = make_app(assistant, theme="high-contrast")
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        assert app.has_class("-high-contrast")
        focused = app.focused
        assert focused is not None
        default = make_app(assistant)
    async with default.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        assert not default.has_class("-high-contrast")
        assert default.theme != app.theme
