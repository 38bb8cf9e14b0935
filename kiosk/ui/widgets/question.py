"""The question line: where a person types, or pastes, a question."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input

from kiosk.sanitize import clean_question
from kiosk.ui import bidi


class QuestionBox(Input):
    """An Input that keeps as much of a too-long paste as fits, and says it did; and that
    shows Arabic shaped and in reading order while it is typed (``rtl: reorder``).

    (Textual's Input refuses a paste that would go over ``max_length`` altogether, so a
    long paste left the box empty with only a bell.)
    """

    def __init__(self, **kwargs) -> None:
        # Coming back to the box must not select a half-typed question, or the next letter
        # (often the one that brought the focus back) would replace it.
        super().__init__(select_on_focus=False, **kwargs)

    class Shortened(Message):
        """A paste was cut to fit the question box."""

        def __init__(self, kept: int) -> None:
            super().__init__()
            self.kept = kept

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # not Input's own paste handling
        event.stop()
        text = clean_question(event.text, len(event.text) + 1)  # one line, no controls
        if not text:
            return
        start, end = sorted(self.selection)
        room = self.max_length - (len(self.value) - (end - start)) if self.max_length else None
        if room is not None and len(text) > room:
            text = text[: max(0, room)]
            self.post_message(self.Shortened(self.max_length))
        if text:
            self.replace(text, start, end)

    def render_line(self, y: int) -> Strip:
        """Right-to-left text as it reads: shaped, from the right, the cursor where the
        next letter goes (at the left end while typing). The text itself is unchanged."""
        if y != 0 or bidi.mode != "reorder" or self.password or not bidi.is_rtl(self.value):
            return super().render_line(y)
        width = self.scrollable_content_region.width
        cursor = self.cursor_position
        before = bidi.visual_line(self.value[:cursor], base_rtl=True)
        after = bidi.visual_line(self.value[cursor:], base_rtl=True)
        # In a right-to-left line what comes after the cursor is at its left; the letter
        # after the cursor is the one next to it, as Input marks the next letter.
        text = Text(no_wrap=True, overflow="ignore", end="")
        text.append(after[:-1])
        show_cursor = self.has_focus and self._cursor_visible
        cursor_style = self.get_component_rich_style("input--cursor") if show_cursor else ""
        text.append(after[-1:] or " ", cursor_style)
        text.append(before)
        if text.cell_len > width:
            text.truncate(width)  # the end of the question, where the typing is, stays
        else:
            text.pad_left(width - text.cell_len)
        console = self.app.console
        segments = console.render(text, self.app.console_options.update_width(width + 1))
        strip = Strip(list(segments)).extend_cell_length(width + 1)
        return strip.apply_style(self.rich_style)
