"""Text cleaning shared by content loading and question handling.

Everything that reaches the screen or the index passes through here, so no control or
escape sequence from a content file or from a person's typing can reach the terminal.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences (CSI, OSC, DCS, ...) are removed whole, so their payload
# (an OSC 52 clipboard write, a window title) does not survive as visible junk either.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]              # CSI ... final byte
    | \x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC/DCS/SOS/PM/APC ... terminator
    | \x9b[0-?]*[ -/]*[@-~]               # 8-bit CSI
    | [\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?  # 8-bit OSC/DCS/...
    | \x1b[ -/]*[0-~]?                   # any other ESC sequence (or a lone ESC)
    """,
    re.VERBOSE,
)

# Bidi embedding/override/isolate controls let text masquerade as something else; the
# display layer adds its own where right-to-left text needs them.
_BIDI_CONTROLS = dict.fromkeys(
    [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


# Control characters (Cc), lone surrogates (Cs), private-use characters (Co) and the
# noncharacters: none belongs in text a person reads.
_DROPPED = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff" + (
    "\U000f0000-\U0010ffff"
)
_DROP_KEEP_LINES = re.compile(f"[{_DROPPED}]")
_DROP_ONE_LINE = re.compile(f"[{_DROPPED}]|[\\t\\n\\r]")


def clean_text(text: str, *, keep_newlines: bool = True) -> str:
    """Text with escape sequences, control characters and bidi overrides removed.

    Newlines and tabs are kept when ``keep_newlines`` is true (Markdown bodies need them);
    otherwise each becomes a space (one-line fields, typed questions).
    """
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.translate(_BIDI_CONTROLS)
    if keep_newlines:
        return _DROP_KEEP_LINES.sub("", text.replace("\r\n", "\n"))
    return _DROP_ONE_LINE.sub(lambda m: " " if m.group() in "\t\n\r" else "", text)


def clean_question(text: str, max_length: int = 500) -> str:
    """A typed question made safe and bounded: one line, no controls, collapsed spaces."""
    text = clean_text(text[: max_length * 4], keep_newlines=False)
    text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())
    return text[:max_length].strip()


_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str) -> str:
    """``text`` for a staff terminal: control characters (an ESC that would retitle or clear
    the terminal) and bidi controls removed, everything else kept, so a file name with
    them still shows what it holds ("]0;title" stays visible). Lines and tabs stay."""
    return _UNPRINTABLE.sub("", text)
