"""What every session screen shares: header, key bar, and button dispatch."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Button

from kiosk.ui.actions import Action, GoBack, OpenArticle, OpenTopic, RunAppAction, UnknownAction
from kiosk.ui.widgets.buttons import ActionButton

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp


class SessionScreen(Screen):
    """A screen inside a person's session. Escape goes back (never out of the app)."""

    BINDINGS = [Binding("escape", "back", show=False)]

    @property
    def kiosk(self) -> KioskApp:
        """The app, with the kiosk's own attributes and methods typed."""
        return cast("KioskApp", self.app)

    def action_back(self) -> None:
        if len(self.kiosk.screen_stack) > 3:  # never pop the chat screen or the picker
            self.kiosk.pop_screen()

    @on(Button.Pressed)
    async def _button_pressed(self, event: Button.Pressed) -> None:
        button = event.button
        if not isinstance(button, ActionButton):
            return
        event.stop()
        await self.perform(button.does, button)

    async def perform(self, action: Action, button: ActionButton) -> None:
        """Do what ``button`` does. Screens handle their own kinds and pass the rest here;
        a kind nobody handles raises ``UnknownAction``."""
        app = self.kiosk
        match action:
            case RunAppAction(name):
                await app.run_action(name)
            case GoBack():
                self.action_back()
            case OpenArticle(article_id):
                app.show_article(article_id)
            case OpenTopic(topic_id):
                app.open_topic(topic_id)
            case _:
                raise UnknownAction(action, self)
