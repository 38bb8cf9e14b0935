"""The kiosk in a real terminal (tmux): start, pick a language, ask, and survive every
lockdown key."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(
    TMUX is None and not os.environ.get("CI"), reason="tmux is not installed"
)


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


class Terminal:
    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.name = f"kiosk-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        shell = f"env {exports} TERM=xterm-256color {' '.join(command)}"
        tmux("new-session", "-d", "-s", self.name, "-x", "100", "-y", "30", shell)
        tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.name)

    def alive(self) -> bool:
        return tmux("list-panes", "-t", self.name, "-F", "#{pane_dead}").strip() == "0"

    def keys(self, *keys: str, literal: bool = False) -> None:
        tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            assert self.alive(), f"the kiosk exited:\n{screen}"
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def terminal(data_dir):
    term = Terminal(
        [sys.executable, "-m", "kiosk", "--lang", "en"],
        {"KIOSK_DATA_DIR": str(data_dir), "PYTHONPATH": os.getcwd()},
    )
    yield term
    term.close()


LOCKDOWN_KEYS = ["C-c", "C-q", "C-z", "C-\\", "C-d", "C-p", "Escape",
                 *[f"F{n}" for n in range(1, 13)]]  # fmt: skip


def test_real_terminal_session(terminal):
    terminal.wait_for("Choose your language")
    terminal.keys("Enter")  # English is preselected by --lang en
    terminal.wait_for("Type your question")
    terminal.keys("how do I book a visit", literal=True)
    terminal.keys("Enter")
    screen = terminal.wait_for("Booking a visit")
    assert "55 12 34 00" in screen

    for key in LOCKDOWN_KEYS:
        terminal.keys(key)
        time.sleep(0.4)
        assert terminal.alive(), f"{key} ended the kiosk:\n{terminal.screen()}"
        screen = terminal.screen()
        # F10 asks first ("End and clear everything?"), over the whole screen.
        assert "Fjordheim fengsel" in screen or "End and clear everything?" in screen, key
    # Still usable after all that: start a session and ask again.
    terminal.keys("Escape")
    time.sleep(0.3)
    if "Choose your language" in terminal.screen():
        terminal.keys("Enter")
    terminal.wait_for("Type your question")
    terminal.keys("how do i order from the canteen", literal=True)
    terminal.keys("Enter")
    terminal.wait_for("Ordering from the canteen")


def test_typing_after_a_button_reaches_the_question_box(terminal):
    """Issue 15, point 1, in a real terminal: press Yes under an answer, then type."""
    terminal.wait_for("Choose your language")
    terminal.keys("Enter")
    terminal.wait_for("Type your question")
    terminal.keys("can i get a tv in my room", literal=True)
    terminal.keys("Enter")
    terminal.wait_for("Did this help?")
    terminal.keys("BTab", "BTab")  # from the question box back to the newest answer's Yes
    time.sleep(0.3)
    terminal.keys("Enter")
    terminal.wait_for("Thank you.")
    terminal.keys("phone zebra", literal=True)
    terminal.wait_for("phone zebra")
    terminal.keys("Enter")  # and it is asked
    terminal.wait_for("Phone calls")  # a reply to it
    # Back from Topics with Escape: typing goes to the question box again.
    terminal.keys("F2")
    terminal.wait_for("Back")
    terminal.keys("Escape")
    time.sleep(0.5)
    terminal.keys("mail xylophone", literal=True)
    terminal.wait_for("mail xylophone")


def test_f10_asks_before_it_ends_the_session(terminal):
    """Issue 15, point 2: F10 asks, No is focused, and only Yes wipes the session."""
    terminal.wait_for("Choose your language")
    terminal.keys("Enter")
    terminal.wait_for("Type your question")
    terminal.keys("how do I book a visit", literal=True)
    terminal.keys("Enter")
    terminal.wait_for("Booking a visit")
    terminal.keys("F10")
    terminal.wait_for("End and clear everything?")
    terminal.keys("Enter")  # No has the focus
    time.sleep(0.5)
    screen = terminal.screen()
    assert "End and clear everything?" not in screen and "Booking a visit" in screen
    terminal.keys("F10")
    terminal.wait_for("End and clear everything?")
    terminal.keys("Left", "Enter")  # Yes
    screen = terminal.wait_for("Choose your language")
    assert "Booking a visit" not in screen
