"""The kiosk in a real terminal (tmux): start, pick a language, ask, and survive every
lockdown key."""

from __future__ import annotations

import time

import pytest

from tests.tmux import TMUX_MARKS, Terminal, kiosk_command

pytestmark = TMUX_MARKS


@pytest.fixture
def terminal(data_dir):
    term = Terminal(kiosk_command(data_dir, "--lang", "en"))
    yield term
    term.close()


LOCKDOWN_KEYS = ["C-c", "C-q", "C-z", "C-\\", "C-d", "C-p", "Escape",
                 *[f"F{n}" for n in range(1, 13)]]  # fmt: skip


def test_real_terminal_session(terminal):
    terminal.start_session()
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
    terminal.start_session()
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
    terminal.start_session()
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


def test_a_first_start_builds_apart_and_nothing_of_it_reaches_the_screen(tmp_path):
    """No index, tables or model yet: a child process makes them (kiosk.assistant.apart)
    while the picker shows; the screen shows the kiosk only, and the first answer comes."""
    data = tmp_path / "fresh"
    term = Terminal(kiosk_command(data, "--lang", "en"))
    try:
        term.start_session()
        term.keys("how do I book a visit", literal=True)
        term.keys("Enter")
        screen = term.wait_for("Booking a visit", timeout=120)
        assert "Traceback" not in screen and "Error" not in screen
        assert screen.splitlines()[0].lstrip().startswith("Fjordheim fengsel")
        assert list((data / "index").glob("*/COMPLETE"))
        assert list((data / "rulebooks").glob("*.urgent"))
    finally:
        term.close()
