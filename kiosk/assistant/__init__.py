"""Dialogue: turning a question into a reply (answered, clarify, no_match)."""

from kiosk.assistant.confidence import ANSWERED, CLARIFY, NO_MATCH
from kiosk.assistant.dialogue import Answer, Assistant, Reply
from kiosk.assistant.urgent import URGENT

__all__ = ["ANSWERED", "CLARIFY", "NO_MATCH", "URGENT", "Answer", "Assistant", "Reply"]
