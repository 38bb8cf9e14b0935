"""`kiosk eval`: score a question set against the assistant."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import LANGUAGES, UNIT_TYPES
from kiosk.assistant.confidence import ANSWERED, CLARIFY, NO_MATCH
from kiosk.assistant.dialogue import Assistant
from kiosk.assistant.urgent import URGENT
from kiosk.content.yamlfile import read_yaml
from kiosk.errors import KioskError


@dataclass(frozen=True)
class Case:
    q: str
    ui: str
    unit: str | None = None
    expect: tuple[str, ...] = ()
    out_of_scope: bool = False
    lang: str | None = None
    intent: str | None = None  # small talk: passes when recognised as this, unsearched


@dataclass(frozen=True)
class Result:
    case: Case
    status: str
    top: str | None
    ranked: tuple[str, ...]
    query_lang: str
    ok: bool
    top3: bool  # the right article on screen as the answer, one under it, or a choice
    intent: str | None = None
    # A covered case answered "I don't know" whose right article is among the pages the
    # reply offers to try: not right, but on screen after one question.
    nearest: bool = False

    @property
    def on_screen(self) -> bool:
        """The right article is on screen: the answer, a choice or a page to try."""
        return not self.case.out_of_scope and not self.case.intent and (self.top3 or self.nearest)

    @property
    def kind(self) -> str | None:
        """What went wrong, in a word (None when the case passed)."""
        if self.ok:
            return None
        if self.case.intent:
            return "small talk missed" if not self.intent else "wrong small talk"
        if self.case.out_of_scope:
            if self.intent == URGENT:
                return "urgent reply for out-of-scope"
            return "small talk for out-of-scope" if self.intent else f"out-of-scope {self.status}"
        if self.intent and self.intent != URGENT:
            return "question taken for small talk"
        if self.status == NO_MATCH:
            if self.nearest:
                return "no_match, right one among the pages to try"
            return "no_match for a covered question"
        if self.status == CLARIFY:
            return "clarify, right one lower" if self.top3 else "clarify, right one missing"
        return "confident wrong answer" if not self.top3 else "wrong first, right one under it"

    def to_json(self) -> dict[str, object]:
        return {
            "q": self.case.q,
            "ui": self.case.ui,
            "unit": self.case.unit,
            "status": self.status,
            "top": self.top,
            "ok": self.ok,
            "expect": list(self.case.expect) if not self.case.out_of_scope else None,
            "lang": self.case.lang or self.query_lang,
            "top3": self.top3,
            "nearest": self.nearest,
            "intent": self.intent,
            "failure": self.kind,
        }


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]
    by_lang: dict[str, tuple[int, int]] = field(hash=False)
    by_status: dict[str, int] = field(hash=False)

    @property
    def accuracy(self) -> float:
        return sum(r.ok for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def top3(self) -> float:
        return sum(r.top3 for r in self.results) / len(self.results) if self.results else 0.0

    def covered(self) -> dict[str, int]:
        """The cases an article covers: right first, and right article on screen."""
        covered = [r for r in self.results if r.case.expect and not r.case.out_of_scope]
        return {
            "cases": len(covered),
            "passed": sum(r.ok for r in covered),
            "on_screen": sum(r.on_screen for r in covered),
            "nearest": sum(r.nearest and not r.top3 for r in covered),
        }

    def to_json(self) -> dict[str, object]:
        return {
            "results": [r.to_json() for r in self.results],
            "summary": {
                "cases": len(self.results),
                "passed": sum(r.ok for r in self.results),
                "top1": round(self.accuracy, 4),
                "top3": round(self.top3, 4),
                "by_lang": {
                    lang: {"cases": n, "passed": ok, "top1": round(ok / n, 4)}
                    for lang, (ok, n) in self.by_lang.items()
                },
                "by_status": self.by_status,
                "failures": dict(failure_kinds(self)),
                "covered": self.covered(),
                "out_of_scope": {
                    "cases": sum(r.case.out_of_scope for r in self.results),
                    "passed": sum(r.ok for r in self.results if r.case.out_of_scope),
                },
            },
        }


def load_cases(path: Path) -> list[Case]:
    """The cases of an eval file; raises KioskError naming the file and line of a bad case."""
    doc, problems = read_yaml(path)
    if problems:
        raise KioskError(str(problems[0]))
    if not isinstance(doc.data, list) or not doc.data:
        raise KioskError(f"{doc.path}:1: an eval file is a list of cases")
    cases = []
    for i, raw in enumerate(doc.data):
        where = f"{doc.path}:{doc.line([i])}"
        if not isinstance(raw, dict) or not isinstance(raw.get("q"), str):
            raise KioskError(f"{where}: each case needs 'q' (the question)")
        # Where a real question came from and its id in the collection: kept for people.
        keys = {"q", "ui", "unit", "expect", "out_of_scope", "lang", "intent"}
        unknown = set(raw) - keys - {"source", "id", "variety"}
        if unknown:
            raise KioskError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        ui = raw.get("ui", "en")
        if ui not in LANGUAGES:
            raise KioskError(f"{where}: 'ui' must be one of {', '.join(LANGUAGES)}")
        unit = raw.get("unit")
        if unit is not None and unit not in UNIT_TYPES:
            raise KioskError(f"{where}: 'unit' must be one of {', '.join(UNIT_TYPES)}")
        expect = raw.get("expect") or []
        if isinstance(expect, str):
            expect = [expect]
        out = bool(raw.get("out_of_scope"))
        intent = raw.get("intent")
        if intent is not None and not isinstance(intent, str):
            raise KioskError(f"{where}: 'intent' must be a small-talk intent, e.g. greeting")
        if not out and not expect and not intent:
            raise KioskError(f"{where}: a case needs 'expect', 'intent' or 'out_of_scope: true'")
        cases.append(Case(raw["q"], ui, unit, tuple(expect), out, raw.get("lang"), intent))
    return cases


def run_eval(assistant: Assistant, cases: list[Case]) -> Report:
    results = []
    for case in cases:
        reply = assistant.ask(case.q, ui_lang=case.ui, unit=case.unit)
        ranked = tuple(a.id for a in reply.answers)
        top = ranked[0] if ranked else None
        if case.intent:
            ok = top3 = reply.intent == case.intent
        elif case.out_of_scope:
            ok = reply.status == NO_MATCH and not reply.intent
            top3 = ok
        else:
            # An urgent reply leads with its articles: right when the first is expected
            # ("my cellmate collapsed" -> the emergency article, and what to do now).
            searched = reply.intent in (None, URGENT)
            found = reply.status in (ANSWERED, CLARIFY) and searched
            ok = found and top in case.expect
            # On screen: an answer with what is offered under it, or every choice.
            shown = (
                (top, *(rid for rid, _title in reply.see_also))
                if reply.status == ANSWERED and reply.intent is None
                else ranked[:3]
            )
            top3 = found and any(a in case.expect for a in shown)
        nearest = bool(case.expect) and any(a.id in case.expect for a in reply.nearest)
        results.append(
            Result(
                case, reply.status, top, ranked, reply.query_lang, ok, top3, reply.intent, nearest
            )
        )
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        lang = r.case.lang or r.query_lang
        by_lang[lang][0] += r.ok
        by_lang[lang][1] += 1
    return Report(
        tuple(results),
        {k: (v[0], v[1]) for k, v in sorted(by_lang.items())},
        dict(Counter(r.status for r in results)),
    )


def failure_kinds(report: Report) -> Counter[str]:
    """How many cases failed in each way, most common first."""
    return Counter(r.kind for r in report.results if r.kind)


def report_text(report: Report) -> str:
    lines = []
    failures = [r for r in report.results if not r.ok]
    if failures:
        lines.append(f"failures ({len(failures)}):")
        for r in failures:
            want = r.case.intent or ("no_match" if r.case.out_of_scope else "/".join(r.case.expect))
            got = r.intent or f"{r.status} {' > '.join(r.ranked[:3])}".strip()
            lines.append(f"  [{r.case.ui}{'/' + r.case.unit if r.case.unit else ''}] {r.case.q!r}")
            lines.append(f"      expected {want}, got {got}  ({r.kind})")
        lines.append("")
        lines.append("failure kinds:")
        for kind, n in failure_kinds(report).most_common():
            lines.append(f"  {n:>4}  {kind}")
        lines.append("")
    lines.append("by language:")
    for lang, (ok, n) in report.by_lang.items():
        lines.append(f"  {lang:<3} {ok:>4}/{n:<4} {ok / n:6.1%}")
    lines.append("by status: " + ", ".join(f"{k} {v}" for k, v in sorted(report.by_status.items())))
    covered = report.covered()
    if covered["nearest"]:
        lines.append(
            f"covered: right first {covered['passed']}/{covered['cases']}, on screen "
            f"{covered['on_screen']} ({covered['nearest']} as pages to try with "
            '"I don\'t know")'
        )
    passed = sum(r.ok for r in report.results)
    lines.append(
        f"top-1 {passed}/{len(report.results)} = {report.accuracy:.1%}; top-3 {report.top3:.1%}"
    )
    return "\n".join(lines)
