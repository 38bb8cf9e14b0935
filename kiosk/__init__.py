"""Unit kiosk assistant: answers questions from a multilingual prison rulebook."""

__version__ = "0.1.0"

LANGUAGES: tuple[str, ...] = ("nb", "en", "pl", "lt", "ro", "ar")
"""Every language the kiosk knows, in the default picker order."""

UNIT_TYPES: tuple[str, ...] = ("high", "low", "open", "remand")
"""Unit types an article can apply to."""
