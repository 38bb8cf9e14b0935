"""Buttons that carry what they do, so one handler can serve a whole screen."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Button

from kiosk.sanitize import clean_text
from kiosk.ui import bidi
from kiosk.ui.actions import Action
from kiosk.ui.text import literal


class ActionButton(Button):
    """A button with a literal label and what it ``does`` (an action of kiosk.ui.actions).

    (Not ``action``: Textual's Button runs that attribute as an app action.)
    """

    def __init__(
        self,
        label: str,
        action: Action,
        *,
        compact: bool = True,
        variant: str = "default",
        **kwargs,
    ) -> None:
        super().__init__(literal(label), compact=compact, variant=variant, **kwargs)
        self.does: Action = action
        self._logical = clean_text(label)
        self._shown = str(self.label)  # the label as made here (code may change it later)

    def _wrapped_rtl(self) -> bool:
        """Whether the label is right-to-left text this kiosk reorders itself: then it is
        wrapped in reading order first, so a long label keeps its words in order."""
        return (
            bidi.mode == "reorder" and str(self.label) == self._shown and bidi.is_rtl(self._logical)
        )

    def get_content_height(self, container, viewport, width: int) -> int:
        if self._wrapped_rtl():
            return len(bidi.visual_lines(self._logical, width))
        return super().get_content_height(container, viewport, width)

    def render(self) -> Content:
        width = self.content_region.width
        if self._wrapped_rtl() and width > 0:
            return Content("\n".join(bidi.visual_lines(self._logical, width)))
        return super().render()
