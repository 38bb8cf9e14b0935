"""Frozen dataclasses for the rulebook, passed unchanged between layers."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import UNIT_TYPES


def _within(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether ``day`` is between ``start`` and ``end``, both included (None: open)."""
    return not ((start and day < start) or (end and day > end))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, located in a file."""

    path: str
    line: int | None
    message: str
    column: int | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        place = self.path
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{place}: {prefix}{self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass(frozen=True)
class Translation:
    """An article in one language."""

    title: str
    summary: str
    body: str
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """One rule or piece of information, in every language it has."""

    id: str
    topic: str
    translations: dict[str, Translation] = field(hash=False, compare=True)
    units: tuple[str, ...] = UNIT_TYPES
    reviewed: dt.date | None = None
    related: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    source: str = ""

    def text(self, lang: str, fallback: tuple[str, ...] = ()) -> tuple[str, Translation]:
        """The translation in ``lang``, else the first of ``fallback`` present, else any."""
        for code in (lang, *fallback):
            if code in self.translations:
                return code, self.translations[code]
        code = next(iter(self.translations))
        return code, self.translations[code]

    def applies_to(self, unit: str) -> bool:
        return unit in self.units

    def in_force(self, day: dt.date) -> bool:
        return _within(day, self.valid_from, self.valid_until)


@dataclass(frozen=True)
class Topic:
    """A group of articles, shown as one button in the topic browser."""

    id: str
    titles: dict[str, str] = field(hash=False)

    def title(self, lang: str, fallback: tuple[str, ...] = ()) -> str:
        for code in (lang, *fallback):
            if code in self.titles:
                return self.titles[code]
        return next(iter(self.titles.values()), self.id)


@dataclass(frozen=True)
class Notice:
    """An urgent notice shown in the banner while it is in force."""

    id: str
    texts: dict[str, str] = field(hash=False)
    units: tuple[str, ...] = UNIT_TYPES
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def in_force(self, day: dt.date, unit: str) -> bool:
        return unit in self.units and _within(day, self.valid_from, self.valid_until)


@dataclass(frozen=True)
class Rulebook:
    """All content of one content folder, as loaded (broken files left out)."""

    root: Path
    topics: tuple[Topic, ...]
    articles: dict[str, Article] = field(hash=False)
    synonyms: dict[str, tuple[tuple[str, ...], ...]] = field(hash=False)
    orientation: dict[str, tuple[str, ...]] = field(hash=False)
    notices: tuple[Notice, ...] = ()
    fingerprint: str = ""

    @functools.cached_property
    def languages(self) -> tuple[str, ...]:
        """Languages present in the content, in the kiosk's canonical order (computed once:
        a national rulebook has thousands of articles, and every question asks)."""
        from kiosk import LANGUAGES

        present = {lang for a in self.articles.values() for lang in a.translations}
        return tuple(lang for lang in LANGUAGES if lang in present)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def articles_in(self, topic_id: str, unit: str) -> list[Article]:
        return [a for a in self.articles.values() if a.topic == topic_id and a.applies_to(unit)]
