"""Right-to-left text (Arabic) for terminals that show cells left to right.

With ``rtl: reorder`` (the default) each line is wrapped in logical order first, then
shaped (Arabic letters take their joined forms) and put in visual order with brackets
mirrored; the widget right-aligns it. With ``rtl: terminal`` the logical text is passed
through for a terminal that does bidi itself.
"""

from __future__ import annotations

import functools
import re
import textwrap
import unicodedata

import arabic_reshaper
from bidi.algorithm import get_display  # the implementation that mirrors brackets

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# A space between digits would let the bidi algorithm reverse "55 12 34 00" into
# "00 34 12 55"; a no-break space is a number separator, so the number stays whole.
_SPACE_IN_NUMBER = re.compile(r"(?<=\d) (?=\d)")

mode = "reorder"
"""'reorder' or 'terminal', set from the kiosk's config."""


def set_mode(value: str) -> None:
    global mode
    mode = value


def is_rtl(text: str) -> bool:
    """Whether ``text`` has right-to-left letters."""
    return bool(_RTL.search(text))


def starts_rtl(text: str) -> bool:
    """Whether the first letter with a direction is right-to-left (the text's base)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def visual_line(line: str, base_rtl: bool | None = None) -> str:
    """One line in the order a left-to-right terminal must show it."""
    if mode != "reorder" or not is_rtl(line):
        return line
    return _reorder(line, starts_rtl(line) if base_rtl is None else base_rtl)


@functools.lru_cache(maxsize=4096)
def _reorder(line: str, base_rtl: bool) -> str:
    prepared = _SPACE_IN_NUMBER.sub("\u00a0", line)
    return get_display(arabic_reshaper.reshape(prepared), base_dir="R" if base_rtl else "L")


def forget_reordered() -> None:
    """Empty the cache of reordered lines (when a session ends: they are its text)."""
    _reorder.cache_clear()


def visual_lines(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` in logical order, then each line made visual.

    Numbers are joined before wrapping, so a phone number never breaks across lines.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            lines.append("")
            continue
        base_rtl = starts_rtl(paragraph)
        prepared = _SPACE_IN_NUMBER.sub("\u00a0", paragraph)
        wrapped = textwrap.wrap(prepared, width=max(8, width)) if width > 0 else [prepared]
        lines.extend(visual_line(part, base_rtl) for part in wrapped)
    return lines
