"""What every session screen shares: header, key bar, and button dispatch."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Button

from kiosk.ui.widgets.buttons import ActionButton


class SessionScreen(Screen):
    """A screen inside a person's session. Escape goes back (never out of the app)."""

    BINDINGS = [Binding("escape", "back", show=False)]

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 3:  # never pop the chat screen or the picker
            self.app.pop_screen()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button
        if not isinstance(button, ActionButton):
            return
        event.stop()
        kind, *args = button.does
        if kind == "app":
            await self.app.run_action(args[0])
        elif kind == "back":
            self.action_back()
        else:
            result = self.handle_action(kind, args, button)
            if result is not None:
                await result

    def handle_action(self, kind: str, args: list[str], button: ActionButton) -> None:
        """Screen-specific actions ("article", "topic", ...)."""
        app = self.app
        if kind == "article":
            app.show_article(args[0])
        elif kind == "topic":
            app.open_topic(args[0])
