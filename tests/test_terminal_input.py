"""Control sequences typed at the kiosk do at worst what keys do (issue 14).

Each test types, in a real terminal (tmux), what a person can type: Escape (or Alt+[)
followed by the rest of a sequence, one key at a time, about 80 ms apart, or a byte a
broken keyboard or a serial line can send. The parser tests below them pin the same
rules without a terminal.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.tmux import Terminal, in_tmux, kiosk_command

KEY_GAP = 0.05
"""Seconds between keys typed by hand, quick enough (with tmux's own delay) that the
kiosk reads them as one sequence (Textual waits 100 ms after an Escape)."""


def type_sequence(terminal: Terminal, rest: str) -> None:
    """Escape, then each character of ``rest``, as a person types them."""
    terminal.keys("Escape")
    for character in rest:
        time.sleep(KEY_GAP)
        terminal.keys("\\;" if character == ";" else character, literal=True)  # tmux's ';'


def question_line(screen: str) -> str:
    """The screen's line with the question box's text (inside the box's tall border)."""
    inside = (line for line in screen.splitlines() if line.startswith("▊") and "▔" not in line)
    return next((line for line in inside if "▁" not in line), "")


@pytest.fixture
def chat(data_dir, assistant):
    assistant.warm()  # the index is built: the kiosk starts at once
    term = Terminal(kiosk_command(data_dir, "--lang", "en"))
    term.start_session()
    yield term
    term.close()


@in_tmux
def test_a_typed_start_of_paste_ends_by_itself_and_locks_nothing(chat):
    type_sequence(chat, "[200~")
    for character in "secret":
        time.sleep(KEY_GAP)
        chat.keys(character, literal=True)
    time.sleep(1.0)  # a pause: the paste that never ended is over, its text typed
    assert "secret" in question_line(chat.screen()), chat.screen()
    chat.keys("F10")  # F10 still ends the session (after asking)
    chat.wait_for("End and clear everything?", timeout=10)
    chat.keys("Left", "Enter")
    chat.wait_for("Choose your language", timeout=10)
    chat.keys("Enter")  # and the picker still takes keys
    chat.wait_for("Type your question", timeout=10)
    type_sequence(chat, "[201~")  # an end of paste brings nothing of the last person back
    time.sleep(1.0)
    chat.keys("how do I book a visit", literal=True)
    chat.keys("Enter")
    screen = chat.wait_for("Booking a visit")
    assert "secret" not in screen


@in_tmux
@pytest.mark.parametrize("report", ["[48;30;30;0;0t", "[48;5;20;0;0t"])
def test_a_typed_window_size_report_is_ignored(chat, report):
    chat.keys("how do I book a visit", literal=True)
    chat.keys("Enter")
    chat.wait_for("Booking a visit")
    type_sequence(chat, report)
    time.sleep(1.0)
    screen = chat.screen()
    assert "Out of service" not in screen
    # Still drawn 80 columns wide (the chat's width), not squeezed into the reported 30.
    assert max(len(line.rstrip()) for line in screen.splitlines()) >= 80, screen
    assert "48" not in question_line(screen)  # read as one sequence, not typed
    chat.keys("F10")
    chat.wait_for("End and clear everything?", timeout=10)
    chat.keys("Left", "Enter")
    screen = chat.wait_for("Choose your language", timeout=10)
    assert "Booking a visit" not in screen


@in_tmux
def test_bytes_that_are_not_utf8_are_dropped(chat):
    chat("send-keys", "-H", "f8", "ff", "c3")
    type_sequence(chat, "[9999999u")  # a key code beyond Unicode: Textual's parser fails
    time.sleep(0.3)
    chat.keys("visit", literal=True)
    time.sleep(1.0)
    assert chat.alive()
    screen = chat.screen()
    assert "Traceback" not in screen and "Out of service" not in screen
    assert "visit" in question_line(screen), screen


STRAY = "\x1b[12;60HLEFT-BEHIND\x1b[25;3HLEFT-BEHIND"
"""Text the kiosk did not draw: written straight to its terminal device, at two places."""


def put_stray_text(term: Terminal, raw: Path) -> str | None:
    """Write STRAY on the kiosk's terminal until it stays on screen; None when it does, or
    what was seen when it never did (the kiosk's state, the bytes tmux read last)."""
    # The pane's terminal, as its process holds it (a private tmux server's pts may not be
    # visible under /dev/pts here).
    pid = term.flag("pane_pid")
    for _ in range(10):  # on a loaded machine the kiosk may still be painting over it
        with open(f"/proc/{pid}/fd/1", "w") as tty:
            tty.write(STRAY)
        try:
            term.wait_for("LEFT-BEHIND", timeout=2)
            return None
        except AssertionError:
            continue
    state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0].strip()
    written = raw.read_bytes() if raw.exists() else b""
    return (
        f"process state {state!r}; stray text read by tmux: {written.count(b'LEFT-BEHIND')}; "
        f"last bytes: {written[-400:]!r}\n{term.screen()}"
    )


@in_tmux
def test_the_idle_wipe_and_f10_repaint_the_whole_screen(data_dir, assistant, tmp_path):
    """Text on the terminal that the kiosk did not draw is gone after F10 and after the
    idle wipe."""
    assistant.warm()
    config = tmp_path / "kiosk.yaml"
    config.write_text("idle_timeout: 8\nidle_warning: 2\n", encoding="utf-8")  # slack under load
    misses = []
    for attempt in range(2):  # a kiosk that never let stray text show: once more, afresh
        term = Terminal(kiosk_command(data_dir, "--lang", "en", "--config", str(config)))
        raw = tmp_path / f"terminal{attempt}.bin"
        term("pipe-pane", "-o", f"cat > {raw}")  # every byte tmux reads, for the report
        try:
            term.wait_for("Choose your language")
            for wipe in ("F10", None):
                term.keys("Enter")
                term.wait_for("Type your question")
                miss = put_stray_text(term, raw)
                if miss is not None:
                    misses.append(f"wipe {wipe}: {miss}")
                    break
                if wipe:
                    term.keys(wipe)
                term.wait_for("Choose your language", timeout=25)
                time.sleep(0.5)
                assert "LEFT-BEHIND" not in term.screen(), term.screen()
            else:
                return
        finally:
            term.close()
    pytest.fail("stray text never stayed on the screen:\n" + "\n\n".join(misses))


@pytest.mark.slow
def test_a_closed_terminal_ends_the_kiosk(data_dir, assistant):
    """The terminal goes away (its other end is closed, without a hang-up signal, after a
    burst of unfinished sequences): the kiosk ends within seconds instead of reading
    nothing in a loop."""
    assistant.warm()
    main, side = pty.openpty()
    env = {**os.environ, "KIOSK_DATA_DIR": str(data_dir), "PYTHONPATH": os.getcwd(),
           "TERM": "xterm-256color"}  # fmt: skip
    proc = subprocess.Popen(  # Textual draws on stderr
        [sys.executable, "-m", "kiosk", "--lang", "en"], stdin=side, stdout=side, stderr=side,
        env=env,
    )  # fmt: skip
    os.close(side)
    try:
        seen = b""
        deadline = time.monotonic() + 30
        while b"Choose" not in seen and time.monotonic() < deadline:
            if select.select([main], [], [], 0.5)[0]:
                seen += os.read(main, 65536)
        assert b"Choose" in seen
        os.write(main, b"\x1b[" * 50 + b"\x1b[200~" + b"\x1bP" * 20)  # unfinished, all
        time.sleep(0.3)
        os.close(main)
        main = -1
        proc.wait(timeout=10)  # ends (exit status is not the point: the terminal is gone)
    finally:
        if main >= 0:
            os.close(main)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# ---- the parser alone --------------------------------------------------------------------


def parsed(chunks: list[str], pause: float = 0.0) -> list[str]:
    """What KioskParser makes of ``chunks`` fed one after another, then of a pause."""
    from textual import events

    from kiosk.ui.terminal import KioskParser

    parser = KioskParser()
    tokens = []
    for chunk in chunks:
        tokens += parser.feed(chunk)
    if pause:
        time.sleep(pause)
        tokens += parser.tick()
    return [
        f"paste:{t.text}" if isinstance(t, events.Paste) else t.key
        if isinstance(t, events.Key) else type(t).__name__
        for t in tokens
    ]  # fmt: skip


def test_parser_a_whole_paste_is_one_paste():
    assert parsed(["\x1b[200~two\nlines\x1b[201~", "x"]) == ["paste:two\nlines", "x"]


def test_parser_an_unfinished_paste_is_typed_after_a_pause():
    from kiosk.ui.terminal import PASTE_PAUSE

    assert parsed(["\x1b[200~", "ab"]) == []  # still a paste, for now
    assert parsed(["\x1b[200~", "ab"], pause=PASTE_PAUSE + 0.2) == ["a", "b"]


def test_parser_size_reports_are_ignored():
    assert parsed(["\x1b[48;30;30;0;0t", "a"]) == ["a"]
    assert parsed(["\x1b[?2048;1$y", "a"]) == ["a"]  # nor is a switch to size reports


def test_parser_a_paste_without_end_stays_bounded():
    """Bytes streaming in without a pause (no end marker ever) end the paste at
    MAX_PASTE characters and go on as typing, instead of a paste growing for ever."""
    from kiosk.ui.terminal import MAX_PASTE

    tokens = parsed(["\x1b[200~", *["x" * 1000] * 20])
    pasted = tokens[0].removeprefix("paste:")
    assert set(pasted) == {"x"} and MAX_PASTE - 10 < len(pasted) < MAX_PASTE
    assert tokens[1:] == ["x"] * (20_000 - len(pasted))  # nothing lost either
