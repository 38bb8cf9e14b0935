"""The kiosk's terminal input: Textual's Linux driver and xterm parser, made safe against
control sequences typed on the keyboard.

A person at the kiosk can type any byte, with Escape or Alt standing in for ESC, so every
reply a terminal could send is also something a person can type. Here such input can at
worst do what keys do:

- A start of paste (ESC [ 2 0 0 ~) without its end would swallow every key after it, the
  next person's too. A paste ends by itself after ``PASTE_PAUSE`` seconds without input,
  and what it held arrives as typed keys.
- A window-size report (ESC [ 48 ; rows ; cols ; ... t) is ignored, and the kiosk never
  asks the terminal for those reports: the size comes from the terminal device (on
  SIGWINCH, and checked every ``SIZE_CHECK_SECONDS``).
- Bytes that are not UTF-8 are dropped, and so is a sequence the parser fails on.
- The idle wipe and F10 clear the terminal and redraw it whole (``repaint_from_scratch``).
- When the terminal is gone (end of input, or a read error) the kiosk ends, instead of
  reading nothing in a loop for ever.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import threading
import time
from codecs import getincrementaldecoder
from collections.abc import Generator
from typing import TYPE_CHECKING, cast

from textual import events
from textual._parser import ParseEOF, ParseTimeout, Peek1, Read1, TokenCallback
from textual._xterm_parser import BRACKETED_PASTE_END, XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.geometry import Size
from textual.message import Message
from textual.messages import InBandWindowResize

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp

PASTE_PAUSE = 0.5
"""Seconds without input that end a paste whose end never came. Terminals send a real
paste in one burst, far faster; a person typing is slower."""
MAX_PASTE = 4096
"""Characters a paste may hold: one that goes on without end (bytes streaming in, faster
than any pause) is passed on as a paste of this size, instead of growing in memory."""
READ_BYTES = 4096
SIZE_CHECK_SECONDS = 0.5
"""How often the input thread asks the terminal device for its size: a resize whose
SIGWINCH came before the handler was in place (at start-up) is noticed all the same."""
CLOSED_GRACE_SECONDS = 3.0
"""After the terminal is gone, how long the app may take to end before the process is
ended anyway (the app may be stuck writing to the terminal that is gone)."""


class KioskParser(XTermParser):
    """Textual's xterm parser, with unfinished pastes ended and size reports ignored."""

    def __init__(self) -> None:
        self._ending_paste = False
        self._unanswered = 0  # characters read since the last event: a paste's length
        super().__init__(debug=False)

    def parse(self, token_callback: TokenCallback) -> Generator[Read1 | Peek1, str, None]:
        def on_token(token: Message) -> None:
            self._unanswered = 0
            if isinstance(token, events.Resize | InBandWindowResize):
                return  # typed, or a terminal's: the real size comes from the device
            if self._ending_paste and isinstance(token, events.Paste):
                for character in token.text:  # an unfinished paste is typing
                    for key in self._sequence_to_key_events(character):
                        token_callback(key)
                return
            token_callback(token)

        def end_paste(typed: bool) -> Read1 | Peek1:
            """Send the end-of-paste marker: outside a paste, a sequence Textual ignores."""
            self._ending_paste = typed
            try:
                for marker_character in BRACKETED_PASTE_END:
                    next_request = inner.send(marker_character)
            finally:
                self._ending_paste = False
            return next_request

        inner = super().parse(on_token)
        request = next(inner)
        while True:
            # Where Textual's parser waits with no time limit (between keys, or inside a
            # paste), wait PASTE_PAUSE at most; then end a paste, if one is open.
            idle = request.timeout is None
            try:
                character = yield type(request)(PASTE_PAUSE) if idle else request
            except ParseTimeout:
                if not idle:
                    request = inner.throw(ParseTimeout())
                    continue
                request = end_paste(typed=True)
                continue
            except ParseEOF:
                with contextlib.suppress(StopIteration):
                    inner.throw(ParseEOF())
                return
            try:
                request = inner.send(character)
            except StopIteration:
                return
            self._unanswered += 1
            if self._unanswered >= MAX_PASTE and request.timeout is None:
                request = end_paste(typed=False)


class KioskDriver(LinuxDriver):
    """Textual's Linux driver reading input through KioskParser."""

    def _get_terminal_size(self) -> tuple[int, int]:
        """The size the terminal device reports (not $COLUMNS and $LINES, which any
        environment can set), else Textual's guess."""
        for fd in (self._file.fileno(), self.fileno):
            with contextlib.suppress(OSError, ValueError):
                size = os.get_terminal_size(fd)
                if size.columns and size.lines:
                    return size.columns, size.lines
        return super()._get_terminal_size()

    def _query_in_band_window_resize(self) -> None:
        """Never switch the terminal to size reports in the input stream: a typed report
        could not be told from a real one."""

    def repaint_from_scratch(self) -> None:
        """Clear the whole terminal and take its size from the device again: nothing
        drawn before (by anyone, at any size) stays on screen."""
        self.write("\x1b[2J")
        width, height = self._get_terminal_size()
        size = Size(width, height)
        self._app.post_message(events.Resize(size, size))

    def run_input_thread(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = KioskParser()
        decode = getincrementaldecoder("utf-8")(errors="ignore").decode
        size, size_checked = self._get_terminal_size(), time.monotonic()
        try:
            while not self.exit_event.is_set():
                if time.monotonic() - size_checked >= SIZE_CHECK_SECONDS:
                    size_checked, was = time.monotonic(), size
                    size = self._get_terminal_size()
                    if size != was:
                        self.process_message(events.Resize(Size(*size), Size(*size)))
                if selector.select(0.1):
                    try:
                        data = os.read(self.fileno, READ_BYTES)
                    except InterruptedError:
                        continue
                    except OSError:  # EIO: the terminal hung up
                        data = b""
                    if not data:
                        self._terminal_closed()
                        return
                    text = decode(data)
                    if text:  # (empty text would tell the parser that input ended)
                        parser = self._parsed(parser, parser.feed, text)
                parser = self._parsed(parser, parser.tick)
        finally:
            selector.close()

    def _parsed(self, parser: KioskParser, step, *args: str) -> KioskParser:
        """Run one step of ``parser`` and pass on its events. A sequence Textual's parser
        cannot take (ESC [ 9999999 u: a character beyond Unicode) is logged and dropped
        with whatever was pending, and reading goes on with a fresh parser."""
        try:
            for event in step(*args):
                self.process_message(event)
        except Exception as exc:
            cast("KioskApp", self._app).note_input_fault(exc)
            return KioskParser()
        return parser

    def _terminal_closed(self) -> None:
        """End the kiosk: nobody can use it, and its service restarts it on a terminal."""
        timer = threading.Timer(CLOSED_GRACE_SECONDS, os._exit, args=(0,))
        timer.daemon = True
        timer.start()
        callback = cast("KioskApp", self._app).stop_for_system
        with contextlib.suppress(RuntimeError):  # the loop has already closed
            self._loop.call_soon_threadsafe(callback)
