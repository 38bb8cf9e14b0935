"""`kiosk report`: what went unanswered, from the unanswered-question log.

Three parts, over the last N days: the most frequent unanswered questions (masked
text, how often, in which language on which kiosk language, and for "did not help" the
article that did not help), the no-match rate per question language, and the "did this
help?" counts per article. As a table for people or as CSV for a spreadsheet. Several
logs (one per kiosk, copied to the office) can be read into one report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.unanswered import NO_MATCH, PAGE_OPENED, read_log

CSV_COLUMNS = (
    "section", "item", "kind", "article", "question_lang", "ui_lang", "count", "total", "share"
)  # fmt: skip


@dataclass(frozen=True)
class Unanswered:
    text: str
    kind: str  # no_match, page_opened or not_helpful
    article: str | None
    lang: str
    ui: str
    count: int


@dataclass(frozen=True)
class Report:
    """Totals over a span of days, from one or more logs."""

    first: dt.date
    last: dt.date
    days_with_data: int
    unanswered: tuple[Unanswered, ...]
    asked: dict[str, int] = field(hash=False)  # per question language
    no_match: dict[str, int] = field(hash=False)
    feedback: dict[str, tuple[int, int]] = field(hash=False)  # article: (helpful, not)
    urgent: dict[str, int] = field(default_factory=dict, hash=False)  # kind: replies

    @property
    def empty(self) -> bool:
        return not (self.unanswered or self.asked or self.feedback or self.urgent)

    def rates(self) -> list[tuple[str, int, int, float]]:
        """(language, no-match questions, all questions, share), most asked first."""
        langs = sorted(self.asked, key=lambda x: (-self.asked[x], x))
        return [
            (lang, self.no_match.get(lang, 0), n, self.no_match.get(lang, 0) / n if n else 0.0)
            for lang, n in ((lang, self.asked[lang]) for lang in langs)
        ]


def build_report(logs: Iterable[dict], days: int, today: dt.date | None = None) -> Report:
    """Totals of the last ``days`` days (today included) over every log in ``logs``."""
    today = today or dt.date.today()
    first = today - dt.timedelta(days=max(days, 1) - 1)
    unanswered: Counter[tuple[str, str, str | None, str, str]] = Counter()
    asked: Counter[str] = Counter()
    no_match: Counter[str] = Counter()
    helpful: Counter[str] = Counter()
    not_helpful: Counter[str] = Counter()
    urgent: Counter[str] = Counter()
    seen_days: set[str] = set()
    for data in logs:
        for key, day in data.get("days", {}).items():
            try:
                when = dt.date.fromisoformat(key)
            except (TypeError, ValueError):
                continue
            if not first <= when <= today or not isinstance(day, dict):
                continue
            seen_days.add(key)
            for lang, counts in _mapping(day.get("asked")).items():
                asked[lang] += _int(counts.get("questions"))
                no_match[lang] += _int(counts.get("no_match"))
            for item in day.get("unanswered") or ():
                if isinstance(item, dict) and item.get("text"):
                    k = (
                        str(item["text"]),
                        str(item.get("kind") or NO_MATCH),
                        item.get("article") or None,
                        str(item.get("lang") or ""),
                        str(item.get("ui") or ""),
                    )
                    unanswered[k] += _int(item.get("count"))
            for article, counts in _mapping(day.get("feedback")).items():
                helpful[article] += _int(counts.get("helpful"))
                not_helpful[article] += _int(counts.get("not_helpful"))
            kinds = day.get("urgent")
            for kind, count in kinds.items() if isinstance(kinds, dict) else ():
                urgent[str(kind)] += _int(count)
    ranked = sorted(unanswered.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1:3]))
    return Report(
        first=first,
        last=today,
        days_with_data=len(seen_days),
        unanswered=tuple(Unanswered(*k, count=n) for k, n in ranked),  # type: ignore[misc]
        asked=dict(asked),
        no_match=dict(no_match),
        feedback={
            a: (helpful[a], not_helpful[a])
            for a in sorted(set(helpful) | set(not_helpful), key=lambda a: (-not_helpful[a], a))
        },
        urgent=dict(sorted(urgent.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def read_logs(paths: Iterable[Path]) -> list[dict]:
    """The data of each log file; raises OSError or ValueError naming a bad one."""
    out = []
    for path in paths:
        try:
            out.append(read_log(path))
        except ValueError as exc:
            raise ValueError(f"{path}: not an unanswered-question log ({exc})") from exc
    return out


def _mapping(value: object) -> dict:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, dict)}


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


# ---- output ----------------------------------------------------------------------------


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]], right: set[int]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = []
    for row in [head, *rows]:
        cells = [
            f"{cell:>{widths[i]}}" if i in right else f"{cell:<{widths[i]}}"
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _why(u: Unanswered) -> str:
    if u.kind == NO_MATCH:
        return "no answer"
    if u.kind == PAGE_OPENED:
        return f"no answer, opened: {u.article}"
    return f"did not help: {u.article}"


def report_text(report: Report, top: int = 20) -> str:
    """The report as tables a person reads."""
    span = f"{report.first.isoformat()} to {report.last.isoformat()}"
    n = report.days_with_data
    out = [f"Unanswered questions, {span} ({n} day{'s' * (n != 1)} with entries)", ""]
    shown = report.unanswered[:top]
    out.append(f"Most frequent unanswered questions (top {len(shown)} of {len(report.unanswered)})")
    if shown:
        rows = [
            (
                str(u.count),
                f"{u.lang} ({u.ui})" if u.ui and u.ui != u.lang else u.lang,
                _why(u),
                u.text,
            )
            for u in shown
        ]
        out += _table(("count", "lang (kiosk)", "why", "question"), rows, {0})
    else:
        out.append("  none")
    out += ["", "No-match rate per question language"]
    rates = report.rates()
    if rates:
        rows = [(lang, str(n), str(total), f"{share:.0%}") for lang, n, total, share in rates]
        all_n, all_total = sum(r[1] for r in rates), sum(r[2] for r in rates)
        rows.append(("all", str(all_n), str(all_total), f"{all_n / all_total:.0%}"))
        out += _table(("lang", "no match", "asked", "rate"), rows, {1, 2, 3})
    else:
        out.append("  no questions counted")
    out += ["", 'Did this help? per article (most "no" first)']
    if report.feedback:
        rows = [(a, str(y), str(n)) for a, (y, n) in report.feedback.items()]
        out += _table(("article", "helpful", "not helpful"), rows, {1, 2})
    else:
        out.append("  no answers given")
    out += [
        "",
        "Urgent replies (self-harm, violence, ...) per kind, and check_in (the calm line under "
        "an answer to a question that may hide a crisis): counts only, no words kept",
    ]
    if report.urgent:
        out += _table(("kind", "replies"), [(k, str(n)) for k, n in report.urgent.items()], {1})
    else:
        out.append("  none")
    return "\n".join(out)


def _cell(text: str) -> str:
    """Typed text as a CSV cell no spreadsheet runs as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_csv(report: Report) -> str:
    """The report as one CSV table (a 'section' column says which part a row is)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for u in report.unanswered:
        text = _cell(u.text)
        writer.writerow(
            ("unanswered", text, u.kind, u.article or "", u.lang, u.ui, u.count, "", "")
        )
    for lang, n, total, share in report.rates():
        writer.writerow(("no_match_rate", lang, NO_MATCH, "", lang, "", n, total, f"{share:.3f}"))
    for article, (yes, no) in report.feedback.items():
        writer.writerow(("feedback", article, "helpful", article, "", "", yes, yes + no, ""))
        writer.writerow(("feedback", article, "not_helpful", article, "", "", no, yes + no, ""))
    for kind, count in report.urgent.items():
        writer.writerow(("urgent", kind, "urgent", "", "", "", count, "", ""))
    return buf.getvalue()
