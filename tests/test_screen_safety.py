"""Nothing from content or from typing reaches the terminal as a command: no escape
sequence, no window title, no clipboard, no link that opens, no action. Checked in a real
terminal (tmux: its pane title, its paste buffers, every byte the kiosk wrote) and in
Pilot (clicks on links and on content-made buttons, the clipboard at each session end).

tests/test_ui_safety.py has the first checks (markup in content and typing is literal, no
OSC 52 on copy); this file goes further."""

from __future__ import annotations

import re
import time
import webbrowser
from pathlib import Path

import pytest
from textual.widgets import Markdown

from kiosk.assistant import Assistant
from kiosk.config import KioskConfig
from kiosk.ui.screens.chat import ChatScreen
from kiosk.ui.screens.picker import LanguageScreen
from kiosk.ui.screens.topics import ArticleListScreen, ArticleScreen
from kiosk.ui.widgets.messages import AnswerBubble
from tests.tmux import Terminal, in_tmux, kiosk_command
from tests.ui_helpers import ask, end_session, make_app, pick

# Written with YAML's double-quoted escapes (\e is ESC, \a is BEL), as a careless or
# hostile editor could; the loader reports them, and must never pass them to the screen.
TITLE = r'"Booking a visit\e]0;pwned-title\a\e]2;pwned-two\e\\"'
SUMMARY = (
    r'"Phone 55 12 34 00 first.\e]52;c;cHduZWQ=\a [@click=app.quit]Quit[/] \e[2J\e[?1049l'
    r"\x9b6n\e]8;;https://example.org/osc8\e\\osc8-link\e]8;;\e\\ [here](https://example.org/s)"
    r' end-of-summary"'
)
BODY_LINE = (
    "      Call [the office](https://example.org/evil) now. \x1b]0;raw-title\x07 <b>bold</b>"
    " [@click=app.quit]body-quit[/]\n"
)
NOTICE = r'"\e]2;notice-title\a[@click=app.quit]Notice[/] The gym is closed'
RELATED_TITLE = '"[@click=app.quit]Approval[/] \\e]0;related-title\\a"'
TOPIC_TITLE = '"[@click=app.quit]Visits[/]\\e]52;c;dG9waWM=\\a"'


def hostile_content(content: Path) -> Path:
    """The sample content with terminal commands and markup in every kind of text."""
    booking = content / "articles/visits/booking.yaml"
    text = booking.read_text(encoding="utf-8")
    text = text.replace("    title: Booking a visit\n", f"    title: {TITLE}\n", 1)
    text = re.sub(
        r"(?m)^    summary: >-\n      You can have visits.*\n.*\n.*days before\.\n",
        lambda m: f"    summary: {SUMMARY}\n",
        text,
        count=1,
    )
    heading = "      **How to book a visit**\n"
    text = text.replace(heading, f"{heading}\n{BODY_LINE}", 1)
    assert "end-of-summary" in text and "body-quit" in text
    booking.write_text(text, encoding="utf-8")
    approval = content / "articles/visits/approval.yaml"
    text = approval.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(  en:\n    title: ).*$", lambda m: m.group(1) + RELATED_TITLE, text)
    approval.write_text(text, encoding="utf-8")
    topics = content / "topics.yaml"
    text = topics.read_text(encoding="utf-8")
    text = text.replace("    en: Visits\n", f"    en: {TOPIC_TITLE}\n", 1)
    topics.write_text(text, encoding="utf-8")
    notices = content / "notices.yaml"
    text = notices.read_text(encoding="utf-8")
    text = re.sub(
        r"(?m)^    en: The gym is closed(.*)$",
        lambda m: f'    en: {NOTICE}{m.group(1)}"',
        text,
        count=1,
    )
    notices.write_text(text, encoding="utf-8")
    return content


# ---- a real terminal ----------------------------------------------------------------------


@in_tmux
def test_content_and_typing_cannot_command_the_terminal(content_copy, data_dir, tmp_path):
    content = hostile_content(content_copy)
    raw = tmp_path / "written.bin"
    kiosk = kiosk_command(data_dir, "run", "--lang", "en", "--content", str(content))
    pane = Terminal(kiosk, key_delay=0.4)
    pane("set-option", "-g", "set-clipboard", "on")  # OSC 52 would land in tmux's buffers
    pane("select-pane", "-T", "kiosk-pane-title")
    pane("pipe-pane", "-o", f"cat > {raw}")  # every byte the kiosk writes
    try:
        pane.start_session()
        # Typed (or pasted) escape sequences: a title, the clipboard, a hyperlink.
        pane.keys("\x1b]0;typed-title\x07\x1b]52;c;dHlwZWQ=\x07how do I book a visit", literal=True)
        pane.keys("Enter")
        screen = pane.wait_for("end-of-summary")
        assert "[@click=app.quit]Quit[/]" in screen  # markup shown, not run
        assert "[@click=app.quit]Notice[/]" in screen
        assert "[@click=app.quit]Approval[" in screen  # a related article's button (wrapped)
        assert "pwned" not in screen and "cHduZWQ" not in screen
        # The whole article from the topic browser (Markdown body): F2, Visits, Booking.
        pane.keys("F2")
        pane.wait_for("[@click=app.quit]Visits")  # the button's label, wrapped
        pane.keys("Tab")
        pane.keys("Enter")
        pane.wait_for("Rules during visits")
        pane.keys("Tab")
        pane.keys("Enter")
        screen = pane.wait_for("body-quit")
        assert "[@click=app.quit]body-quit[/]" in screen
        assert "Call the office now." in screen  # a Markdown link is text, nothing more

        assert pane.flag("pane_dead") == "0" and "Fjordheim fengsel" in screen
        assert pane.flag("pane_title") == "kiosk-pane-title"  # OSC 0 / OSC 2 never arrived
        assert pane("list-buffers").strip() == ""  # nor OSC 52 (tmux would keep it)
        assert pane.flag("alternate_on") == "1"  # "\e[?1049l" did not take the screen away
        written = raw.read_bytes()
        oscs = set(re.findall(rb"\x1b\](\d+)", written))
        assert oscs <= {b"22"}, oscs  # only Textual's own mouse pointer shape
        # A content escape sequence goes whole, payload too; typed ones are shown as text.
        for payload in (b"pwned", b"cHduZWQ", b"dG9waWM", b"related-title", b"notice-title"):
            assert payload not in written, payload
        assert b"\x1bP" not in written and b"\x1b_" not in written  # no DCS, no APC
    finally:
        pane.close()


# ---- Pilot ----------------------------------------------------------------------------------


@pytest.fixture
def hostile_assistant(content_copy, tmp_path):
    content = hostile_content(content_copy)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
        assistant = Assistant(KioskConfig(content=content))
        assistant.warm()
        yield assistant
    assistant.close()


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Every URL anything tried to open in a browser."""
    calls: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: calls.append(url))
    monkeypatch.setattr(webbrowser, "open_new_tab", lambda url, *a, **k: calls.append(url))
    return calls


async def click_all_over(pilot, widget) -> None:
    """A click on every cell of ``widget``'s first lines (wherever a link could be)."""
    region = widget.region
    for y in range(min(region.height, 3)):
        for x in range(0, region.width, 2):
            await pilot.click(offset=(region.x + x, region.y + y))


@pytest.mark.slow
async def test_links_in_an_article_open_nothing(hostile_assistant, opened, monkeypatch):
    app = make_app(hostile_assistant)
    written: list[str] = []
    async with app.run_test(size=(100, 40)) as pilot:
        monkeypatch.setattr(app._driver, "open_url", lambda url, new_tab=True: opened.append(url))
        monkeypatch.setattr(app._driver, "write", lambda data: written.append(data))
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        bubble = app.screen.query(AnswerBubble).last()
        await pilot.click(bubble.query_one(".read-more"))
        await pilot.pause()
        markdown = bubble.query_one(Markdown)
        await click_all_over(pilot, markdown)
        await pilot.pause()
        assert opened == []
        app.open_url("https://example.org/direct")  # even when asked directly
        assert opened == []
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, ChatScreen)
    output = "".join(written)
    for osc in ("\x1b]0;", "\x1b]2;", "\x1b]8;", "\x1b]52;"):
        assert osc not in output, repr(osc)


@pytest.mark.slow
async def test_content_made_buttons_do_what_they_say_not_their_markup(hostile_assistant):
    app = make_app(hostile_assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        bubble = app.screen.query(AnswerBubble).last()
        related = next(b for b in bubble.query("Button") if "Approval" in str(b.label))
        assert str(related.label) == "[@click=app.quit]Approval[/]"
        await pilot.click(related)
        await pilot.pause()
        assert app.is_running and app.return_code is None
        shown = app.screen.query(AnswerBubble).last()
        assert shown.answer.id == "visits.approval"  # it opened the article, nothing else
        # A topic whose title is markup: its button opens the topic.
        await pilot.press("f2")
        await pilot.pause()
        topic = next(b for b in app.screen.query("Button") if "Visits" in str(b.label))
        assert str(topic.label) == "[@click=app.quit]Visits[/]"
        await pilot.click(topic)
        await pilot.pause()
        assert isinstance(app.screen, ArticleListScreen) and app.return_code is None
        booking = next(b for b in app.screen.query("Button") if "Booking" in str(b.label))
        await pilot.click(booking)
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        body = app.screen.query_one(Markdown)
        shown = "\n".join(str(block.render()) for block in body.query("*"))
        assert "[@click=app.quit]body-quit[/]" in shown
        assert "Call the office now." in shown  # the link's text only, no address
        assert app.is_running and app.return_code is None


@pytest.mark.slow
@pytest.mark.parametrize("how", ["f10", "idle"])  # F4 keeps the session (issue 15)
async def test_clipboard_is_wiped_when_a_session_ends(assistant, how):
    idle = {"idle_timeout": 1, "idle_warning": 1} if how == "idle" else {}
    app = make_app(assistant, **idle)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        for _ in range(50):  # the chat screen is made once its code has loaded
            if isinstance(app.screen, ChatScreen):
                break
            await pilot.pause(0.1)
        assert isinstance(app.screen, ChatScreen)
        app.copy_to_clipboard("the last person's text")
        assert app.clipboard == "the last person's text"
        if how == "idle":  # the warning, its countdown, then the wipe
            app.last_input = time.monotonic() - 5
            for _ in range(60):
                if isinstance(app.screen, LanguageScreen):
                    break
                await pilot.pause(0.1)
        else:
            await end_session(pilot)
        assert isinstance(app.screen, LanguageScreen)
        assert app.clipboard == ""
        # A paste in the next session brings nothing of the last one.
        await pilot.pause(0.3)  # the new picker's buttons mounted
        await pick(pilot, "en")
        await pilot.press("ctrl+v")
        await pilot.pause()
        assert app.screen.query_one("#question").value == ""


TINY_SIZES = [(10, 3), (18, 30), (20, 5), (1, 1), (5, 40), (30, 2)]


@pytest.mark.slow
@pytest.mark.parametrize("where", ["chat", "topics", "help", "orientation"])
async def test_a_window_shrunk_to_any_size_never_faults(assistant, where):
    """Shrinking the kiosk's window far below 80x24 cuts the screen off; it never puts
    the kiosk out of service (a grid squeezed a button to no width: ValueError in Rich)."""
    from kiosk.ui.screens.fault import FaultScreen

    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")  # an answer, with related-article chips
        await ask(pilot, "visits")  # which one do you mean? (a grid of choices)
        keys = {"topics": "f2", "help": "f1", "orientation": "f3"}
        if where in keys:
            await pilot.press(keys[where])
        await pilot.pause()
        shown = type(app.screen)
        for size in TINY_SIZES:
            await pilot.resize_terminal(*size)
            await pilot.pause(0.2)
            assert not isinstance(app.screen, FaultScreen), size
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert type(app.screen) is shown
