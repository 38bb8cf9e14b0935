"""Errors meant for people: each one is a sentence that says what and where."""


class KioskError(Exception):
    """A problem a person can fix (bad config, missing content, bad command input)."""
