"""What a button does: one frozen dataclass per kind, carried by an ``ActionButton``.

A screen matches on these in one place (``perform``); a kind it does not handle raises
``UnknownAction``, so a button wired to nothing fails a test instead of doing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeVar

from textual.widgets import Button

AppActionName = Literal["help", "topics", "orientation", "language", "end_session"]
"""The app's actions a button may run: the keys of the key bar (F1-F4, F10)."""


@dataclass(frozen=True)
class RunAppAction:
    """Do what the key bar's key does: Help, Topics, New here, Language, End session."""

    name: AppActionName


@dataclass(frozen=True)
class GoBack:
    """Back to the screen before (never out of the session)."""


@dataclass(frozen=True)
class OpenArticle:
    article_id: str


@dataclass(frozen=True)
class OpenTopic:
    topic_id: str


@dataclass(frozen=True)
class AskQuestion:
    """Ask ``text`` as if it was typed (a did-you-mean suggestion)."""

    text: str


@dataclass(frozen=True)
class ToggleBody:
    """Read more / Show less under an answer."""


@dataclass(frozen=True)
class ReadAloud:
    """Read the bubble aloud, or stop reading it."""


@dataclass(frozen=True)
class ShowInKioskLanguage:
    """Show a reply that came in the question's language in the kiosk's language."""


@dataclass(frozen=True)
class GiveFeedback:
    """Did this help? Yes or No, for ``article_id``."""

    article_id: str
    helpful: bool


@dataclass(frozen=True)
class Step:
    """New here: the next step (``forward``) or the one before."""

    forward: bool


@dataclass(frozen=True)
class ChooseLanguage:
    lang: str


@dataclass(frozen=True)
class StaySignedIn:
    """Continue, on the idle warning."""


@dataclass(frozen=True)
class AnswerEnd:
    """Yes (``end``) or No to "End and clear everything?"."""

    end: bool


@dataclass(frozen=True)
class ToggleNotices:
    """Read more / Show less on the notices banner."""


Action = (
    RunAppAction
    | GoBack
    | OpenArticle
    | OpenTopic
    | AskQuestion
    | ToggleBody
    | ReadAloud
    | ShowInKioskLanguage
    | GiveFeedback
    | Step
    | ChooseLanguage
    | StaySignedIn
    | AnswerEnd
    | ToggleNotices
)


class UnknownAction(LookupError):
    """A button's action reached a place that has no handler for it: a wiring mistake."""

    def __init__(self, action: object, where: object) -> None:
        super().__init__(f"{type(where).__name__} has no handler for {action!r}")
        self.action = action


A = TypeVar("A", bound=Action)


def expected(button: Button, kind: type[A], where: object) -> A:
    """What ``button`` does, for a place that handles only ``kind``: any other action (or
    none) raises ``UnknownAction``."""
    action = getattr(button, "does", None)
    if not isinstance(action, kind):
        raise UnknownAction(action, where)
    return action
