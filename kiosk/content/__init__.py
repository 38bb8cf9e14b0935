"""The rulebook: content model, YAML loading with file:line errors, and the checker."""

from kiosk.content.load import load_rulebook
from kiosk.content.model import Article, Notice, Problem, Rulebook, Topic, Translation

__all__ = ["Article", "Notice", "Problem", "Rulebook", "Topic", "Translation", "load_rulebook"]
