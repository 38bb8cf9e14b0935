"""`kiosk check`: every problem in a content folder, and translation coverage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import LANGUAGES
from kiosk.content.load import load_rulebook
from kiosk.content.model import Problem, Rulebook
from kiosk.content.smalltalk import load_smalltalk


@dataclass(frozen=True)
class CheckReport:
    """What the checker found: problems (errors and warnings) and coverage per language."""

    rulebook: Rulebook
    problems: tuple[Problem, ...]
    languages: tuple[str, ...]
    coverage: dict[str, int] = field(hash=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "content": str(self.rulebook.root),
            "articles": len(self.rulebook.articles),
            "languages": list(self.languages),
            "coverage": {
                lang: {"translated": n, "of": len(self.rulebook.articles)}
                for lang, n in self.coverage.items()
            },
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.to_json() for p in self.problems],
        }


def required_languages(rulebook: Rulebook, configured: Sequence[str] | None) -> tuple[str, ...]:
    """Languages every article must have: the configured ones, else those of the topics."""
    if configured:
        return tuple(configured)
    shipped = {lang for topic in rulebook.topics for lang in topic.titles}
    return tuple(lang for lang in LANGUAGES if lang in shipped) or rulebook.languages


def check_content(
    root: Path,
    languages: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> CheckReport:
    """Load ``root`` and check it as a whole; every problem is listed, not just the first."""
    today = today or dt.date.today()
    rulebook, problems = load_rulebook(root)
    problems = [*problems, *load_smalltalk(root).problems]
    required = required_languages(rulebook, languages)
    coverage = {lang: 0 for lang in required}

    for article in sorted(rulebook.articles.values(), key=lambda a: a.source):
        missing = [lang for lang in required if lang not in article.translations]
        for lang in required:
            coverage[lang] += lang not in missing
        if missing:
            problems.append(
                Problem(article.source, 1, f"missing translation: {', '.join(missing)}")
            )
        if article.reviewed and article.reviewed > today:
            problems.append(
                Problem(
                    article.source,
                    None,
                    f"'reviewed' date {article.reviewed} is in the future",
                    severity="warning",
                )
            )
        elif article.reviewed and (today - article.reviewed).days > 365:
            problems.append(
                Problem(
                    article.source,
                    None,
                    f"last reviewed {article.reviewed}, over a year ago: please review it",
                    severity="warning",
                )
            )

    for topic in rulebook.topics:
        missing = [lang for lang in required if lang not in topic.titles]
        if missing:
            problems.append(
                Problem(
                    str(Path(rulebook.root, "topics.yaml")),
                    None,
                    f"topic {topic.id!r} has no title in: {', '.join(missing)}",
                )
            )
        if not any(a.topic == topic.id for a in rulebook.articles.values()):
            problems.append(
                Problem(
                    str(Path(rulebook.root, "topics.yaml")),
                    None,
                    f"topic {topic.id!r} has no articles",
                    severity="warning",
                )
            )
    for notice in rulebook.notices:
        if notice.valid_until and notice.valid_until < today:
            problems.append(
                Problem(
                    str(Path(rulebook.root, "notices.yaml")),
                    None,
                    f"notice {notice.id!r} ended on {notice.valid_until}: remove it",
                    severity="warning",
                )
            )
    for lang, groups in rulebook.synonyms.items():
        seen: dict[str, int] = {}
        for i, group in enumerate(groups):
            for word in group:
                if word in seen and seen[word] != i:
                    problems.append(
                        Problem(
                            str(Path(rulebook.root, "synonyms.yaml")),
                            None,
                            f"{lang}: {word!r} is in two synonym groups "
                            f"({seen[word] + 1} and {i + 1})",
                            severity="warning",
                        )
                    )
                seen.setdefault(word, i)
    return CheckReport(rulebook, tuple(problems), required, coverage)


def coverage_table(report: CheckReport) -> str:
    """Articles x languages: which translations exist, with totals per language."""
    langs = report.languages
    articles = sorted(report.rulebook.articles.values(), key=lambda a: a.id)
    width = max((len(a.id) for a in articles), default=7)
    head = f"{'article':<{width}}  " + " ".join(f"{lang:>3}" for lang in langs)
    rows = [
        f"{a.id:<{width}}  "
        + " ".join(f"{'ok' if lang in a.translations else '--':>3}" for lang in langs)
        for a in articles
    ]
    total = len(articles)
    totals = f"{'translated':<{width}}  " + " ".join(
        f"{report.coverage.get(lang, 0):>3}" for lang in langs
    )
    return "\n".join([head, *rows, totals + f"  of {total}"])
