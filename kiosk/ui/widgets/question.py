"""The question line: where a person types, or pastes, a question."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input

from kiosk.sanitize import clean_question


class QuestionBox(Input):
    """An Input that keeps as much of a too-long paste as fits, and says it did.

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
