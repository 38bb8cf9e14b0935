"""Unit kiosk assistant: answers questions from a multilingual prison rulebook."""

__version__ = "0.1.0"

LANGUAGES: tuple[str, ...] = ("nb", "en", "pl", "lt", "ro", "ar")
"""Every language the kiosk knows, in the default picker order."""

UNIT_TYPES: tuple[str, ...] = ("high", "low", "open", "remand")
"""Unit types an article can apply to."""

FALLBACK_LANGUAGES: tuple[str, ...] = ("en", "nb")
"""Where text missing in a language is taken from, in order (after the kiosk's own)."""

MAX_QUESTION = 500
"""Characters of a question that are read; a longer text is cut, not refused."""

ANSWERED = "answered"
CLARIFY = "clarify"
NO_MATCH = "no_match"
"""A reply's status: an answer, a "which one?" (or choices), or "I don't know"."""
