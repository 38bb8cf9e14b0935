"""Text for the screen: always literal, never read as markup."""

from __future__ import annotations

from textual.content import Content

from kiosk.sanitize import clean_text


def literal(text: str) -> Content:
    """``text`` as Content that shows exactly these characters ("[b]" stays "[b]")."""
    return Content(clean_text(text))
