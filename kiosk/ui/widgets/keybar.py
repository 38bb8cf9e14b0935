"""The bottom bar: the keys for help, topics, orientation, language and end session.

Each key is also a button, so a touch screen reaches everything a keyboard does.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal

from kiosk.i18n import _
from kiosk.ui.actions import AppActionName, RunAppAction
from kiosk.ui.widgets.buttons import ActionButton

KEYS: list[tuple[str, AppActionName]] = [
    ("f1", "help"),
    ("f2", "topics"),
    ("f3", "orientation"),
    ("f4", "language"),
    ("f10", "end_session"),
]


def key_label(action: str) -> str:
    return {
        "help": _("Help"),
        "topics": _("Topics"),
        "orientation": _("New here"),
        "language": _("Language"),
        "end_session": _("End session"),
    }[action]


class KeyBar(Horizontal):
    DEFAULT_CSS = """
    KeyBar { height: 1; dock: bottom; background: $panel; }
    KeyBar > Button { margin: 0 1 0 0; min-width: 10; }
    KeyBar > #key-end_session { dock: right; margin: 0; }
    """

    def compose(self) -> ComposeResult:
        for key, action in KEYS:
            yield ActionButton(
                f"{key.upper()} {key_label(action)}",
                RunAppAction(action),
                id=f"key-{action}",
                variant="error" if action == "end_session" else "default",
            )
