"""Buttons that carry what they do, so one handler can serve a whole screen."""

from __future__ import annotations

from textual.widgets import Button

from kiosk.ui.text import literal


class ActionButton(Button):
    """A button with a literal label and what it ``does``: ("article", id), ("ask", text), ...

    (Not ``action``: Textual's Button runs that attribute as an app action.)
    """

    def __init__(
        self,
        label: str,
        action: tuple[str, ...],
        *,
        compact: bool = True,
        variant: str = "default",
        **kwargs,
    ) -> None:
        super().__init__(literal(label), compact=compact, variant=variant, **kwargs)
        self.does = action
