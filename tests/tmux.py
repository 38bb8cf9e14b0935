"""The kiosk in a real terminal: a tmux server of the test's own, driven like a person."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

TMUX = shutil.which("tmux")

TMUX_MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(TMUX is None and not os.environ.get("CI"), reason="tmux is not installed"),
]
"""A test in a real terminal is slow, and skipped where tmux is missing (never on CI)."""

T = TypeVar("T", bound=Callable[..., object])


def in_tmux(test: T) -> T:
    """Mark ``test`` as one in a real terminal (TMUX_MARKS)."""
    for mark in TMUX_MARKS:
        test = mark(test)
    return test


def kiosk_command(data_dir: Path, *args: str) -> str:
    """The shell command that runs ``kiosk ARGS`` from this checkout on ``data_dir``."""
    env = f"KIOSK_DATA_DIR={data_dir} PYTHONPATH={os.getcwd()} TERM=xterm-256color"
    env += " KIOSK_NO_MEANING=1"  # no child embedding the sample's phrasings for minutes
    return f"env {env} {sys.executable} -m kiosk {' '.join(args)}"


class Terminal:
    """``command`` (a shell command) in a 100x30 pane of a private tmux server: its options,
    panes and paste buffers touch no other test and no tmux of the user's. The pane stays
    after the command ends, so what it left on screen can be read."""

    def __init__(self, command: str, *, key_delay: float = 0.0) -> None:
        self.socket = f"kiosk-test-{uuid.uuid4().hex[:8]}"
        self.key_delay = key_delay
        """Seconds to wait after each ``keys``, for tests that read the screen at once."""
        self("new-session", "-d", "-x", "100", "-y", "30", command)
        self("set-option", "-g", "remain-on-exit", "on")

    def __call__(self, *args: str) -> str:
        """A tmux command on this server; its output."""
        cmd = ["tmux", "-L", self.socket, *args]
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout

    def flag(self, name: str) -> str:
        """A pane's format variable: ``pane_dead``, ``alternate_on``, ``pane_tty``, ..."""
        return self("display-message", "-p", f"#{{{name}}}").strip()

    def alive(self) -> bool:
        return self.flag("pane_dead") == "0"

    def screen(self, history: int = 0) -> str:
        """The pane's text, with ``history`` lines that scrolled away above it."""
        return self("capture-pane", "-p", *(["-S", f"-{history}"] if history else []))

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Keys as tmux names them ("Enter", "F10", "C-c"), or ``literal`` text."""
        self("send-keys", *(["-l"] if literal else []), *keys)
        if self.key_delay:
            time.sleep(self.key_delay)

    def wait(self, condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"{what} never happened:\n{self.screen()}"
            time.sleep(0.2)

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        """The screen once ``text`` is on it; fails if the kiosk exits or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            assert self.alive(), f"the kiosk exited:\n{screen}"
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared:\n{self.screen()}")

    def start_session(self) -> str:
        """At the language picker, take the preselected language (``--lang``) and wait for
        the question box; the screen then."""
        self.wait_for("Choose your language")
        self.keys("Enter")
        return self.wait_for("Type your question")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
