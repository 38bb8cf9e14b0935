"""Text for the screen: always literal, never read as markup; right-to-left made readable."""

from __future__ import annotations

import re

from textual.content import Content
from textual.widgets import Static

from kiosk.sanitize import clean_text
from kiosk.ui import bidi


def literal(text: str) -> Content:
    """One line of ``text`` as Content that shows exactly these characters ("[b]" stays)."""
    text = clean_text(text)
    if bidi.is_rtl(text):
        text = "\n".join(bidi.visual_line(line) for line in text.split("\n"))
    return Content(text)


class Paragraph(Static):
    """Wrapped text shown literally; right-to-left text is reordered and right-aligned."""

    DEFAULT_CSS = """
    Paragraph.-rtl { text-align: right; }
    """

    def __init__(self, text: str, **kwargs) -> None:
        self.text = clean_text(text)
        super().__init__(markup=False, **kwargs)
        self.set_class(bidi.starts_rtl(self.text), "-rtl")

    _wrap_width = 0

    def get_content_height(self, container, viewport, width: int) -> int:
        if bidi.is_rtl(self.text):
            # Wrap here, in logical order, so Textual never re-wraps reordered lines.
            self._wrap_width = width
            return len(bidi.visual_lines(self.text, width))
        return super().get_content_height(container, viewport, width)

    def render(self) -> Content:
        if not bidi.is_rtl(self.text):
            return Content(self.text)
        width = self.content_region.width or self._wrap_width or self.app.size.width
        return Content("\n".join(bidi.visual_lines(self.text, width)))


_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_BULLET = re.compile(r"^(\s*)[-*+]\s+", re.M)


def markdown_as_text(markdown: str) -> str:
    """Plain text of simple Markdown (bold and bullets), for right-to-left bodies."""
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), markdown)
    return _BULLET.sub(lambda m: f"{m.group(1)}• ", text)


def forget_rendered_text() -> None:
    """Empty the caches that keep lines of the conversation after its widgets are gone.

    - Textual's ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its
      keys keep up to 1,024 widgets' style caches alive, with every line they drew: after
      six sessions of 20 questions, 8,400 rendered lines of earlier people's answers and
      questions were still in memory.
    - Rich's ``cached_cell_len`` keeps up to 4,096 pieces of text it measured.
    - ``kiosk.ui.bidi`` keeps up to 4,096 right-to-left lines it reordered.

    Each is looked up by name: a Textual or Rich without it has nothing to empty."""
    from rich import cells
    from textual import _styles_cache

    inner_outer = getattr(getattr(_styles_cache, "StylesCache", None), "get_inner_outer", None)
    for cached in (inner_outer, getattr(cells, "cached_cell_len", None)):
        clear = getattr(cached, "cache_clear", None)
        if clear is not None:
            clear()
    bidi.forget_reordered()
