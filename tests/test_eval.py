"""The public eval set: run in the suite, with the accuracy printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kiosk import LANGUAGES
from kiosk.assistant.evaluate import load_cases, report_text, run_eval
from kiosk.cli import main

PUBLIC = Path(__file__).parent / "eval" / "public.yaml"


def test_public_set_is_big_enough_and_well_formed(assistant):
    cases = load_cases(PUBLIC)
    assert len(cases) >= 300
    assert {c.ui for c in cases} == set(LANGUAGES)
    assert sum(c.out_of_scope for c in cases) >= 30
    assert {c.intent for c in cases if c.intent} >= {"greeting", "thanks", "help", "person"}
    for lang in ("pl", "lt", "ro", "ar"):
        assert sum((c.lang == lang) for c in cases if c.expect) >= 25, lang
    known = set(assistant.rulebook.articles)
    for case in cases:
        assert set(case.expect) <= known, case


@pytest.mark.slow
def test_public_set_meets_the_answer_quality_targets(assistant, capsys):
    report = run_eval(assistant, load_cases(PUBLIC))
    with capsys.disabled():
        print("\n" + report_text(report).split("by language:", 1)[1])
    assert report.accuracy >= 0.92
    assert report.top3 >= 0.98
    for lang in LANGUAGES:
        ok, n = report.by_lang[lang]
        assert ok / n >= 0.88, (lang, ok, n)
    # Never a confident answer to something the rulebook does not cover; small talk is
    # never sent to search.
    assert all(r.ok for r in report.results if r.case.out_of_scope or r.case.intent), [
        (r.case.q, r.status, r.top) for r in report.results if r.case.out_of_scope and not r.ok
    ]


@pytest.mark.slow
def test_held_out_set_written_blind(assistant, capsys):
    """Questions written without seeing the content or the engine: how unseen ones fare."""
    report = run_eval(assistant, load_cases(PUBLIC.parent / "holdout.yaml"))
    with capsys.disabled():
        print("\nheld-out " + report_text(report).split("by language:", 1)[1])
    assert report.accuracy >= 0.88
    assert all(r.ok for r in report.results if r.case.out_of_scope)


@pytest.mark.slow
def test_second_blind_set(assistant, capsys):
    """300 more questions written blind (helper-written, nothing seen). The team looked at
    its failures after the first measurement, so it is no longer unseen: it guards the
    improvements made from it (Arabizi, spoken Arabic, number words, small talk)."""
    report = run_eval(assistant, load_cases(PUBLIC.parent / "holdout2.yaml"))
    with capsys.disabled():
        print("\nsecond blind set " + report_text(report).split("by language:", 1)[1])
    assert report.accuracy >= 0.88
    for lang in LANGUAGES:
        ok, n = report.by_lang[lang]
        assert ok / n >= 0.84, (lang, ok, n)


@pytest.mark.parametrize(
    "name, file, top1, top3",
    [
        # Written blind after the public, held-out and second sets were used for tuning;
        # measured once on 2026-12-03: 87.3% top-1, 93.7% top-3.
        ("third", "holdout3.yaml", 0.85, 0.92),
        # Written blind by a helper after all that tuning; measured once before any change
        # on 2026-12-03: 92.7% top-1, 96.3% top-3.
        ("fourth", "holdout4.yaml", 0.90, 0.94),
    ],
)
@pytest.mark.slow
def test_later_blind_sets(assistant, capsys, name, file, top1, top3):
    """300 questions each, kept as floors against regressions."""
    report = run_eval(assistant, load_cases(PUBLIC.parent / file))
    with capsys.disabled():
        print(f"\n{name} blind set " + report_text(report).split("by language:", 1)[1])
    assert report.accuracy >= top1
    assert report.top3 >= top3


def test_eval_json_contract(tmp_path, capsys):
    cases = [
        {"q": "how do I book a visit", "ui": "en", "expect": ["visits.booking"]},
        {"q": "how do I book a visit", "ui": "en", "unit": "remand", "expect": ["visits.remand"]},
        {"q": "what's the weather like in Paris", "ui": "en", "out_of_scope": True},
        {"q": "how do I book a visit", "ui": "en", "expect": ["daily.food"]},
    ]
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(cases))
    code = main(["eval", str(path), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1  # 3 of 4 is below the default 85% bar
    assert [r["ok"] for r in out["results"]] == [True, True, True, False]
    assert set(out["results"][0]) >= {"q", "ui", "unit", "status", "top", "ok"}
    assert out["results"][1]["unit"] == "remand"
    assert out["summary"]["cases"] == 4 and out["summary"]["passed"] == 3


def test_eval_counts_a_page_to_try_as_on_screen_not_as_right(tmp_path, capsys):
    # "I don't know" with the right article among the pages to try: the person sees it,
    # but the kiosk did not answer, so it is not passed.
    cases = [
        {"q": "Can my loved ones visit me in prison?", "ui": "en", "expect": ["visits.booking"]},
        {"q": "Can my loved ones visit me in prison?", "ui": "en", "expect": ["daily.food"]},
        {"q": "how do I book a visit", "ui": "en", "expect": ["visits.booking"]},
    ]
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(cases))
    main(["eval", str(path), "--json", "--min-accuracy", "0"])
    out = json.loads(capsys.readouterr().out)
    first, wrong, answered = out["results"]
    assert first["status"] == "no_match" and not first["ok"] and first["nearest"]
    assert first["failure"] == "no_match, right one among the pages to try"
    assert not wrong["nearest"] and wrong["failure"] == "no_match for a covered question"
    assert answered["ok"] and not answered["nearest"]
    assert out["summary"]["covered"] == {"cases": 3, "passed": 1, "on_screen": 2, "nearest": 1}
    main(["eval", str(path), "--min-accuracy", "0"])
    assert "right first 1/3, on screen 2 (1 as pages to try" in capsys.readouterr().out


def test_an_urgent_box_for_an_off_topic_question_is_named_so(tmp_path, capsys):
    cases = [{"q": "i want to kill myself", "ui": "en", "out_of_scope": True}]
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(cases))
    main(["eval", str(path), "--json", "--min-accuracy", "0"])
    result = json.loads(capsys.readouterr().out)["results"][0]
    assert result["failure"] == "urgent reply for out-of-scope"


def test_eval_file_errors_name_the_case(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("- q: fine\n  ui: en\n  expect: [visits.booking]\n- q: no expectation\n")
    assert main(["eval", str(path)]) == 2
    assert "bad.yaml:4: a case needs 'expect'" in capsys.readouterr().err


@pytest.mark.slow
def test_real_people_s_questions(assistant, capsys):
    """real.yaml: questions people asked on public pages, labelled blind (issue 18). Used
    for work, so these are floors: 62.1% of the covered ones answered right first and
    75.8% of the others an honest "I don't know" on 2026-12-05 (56.0% / 65.7% before the
    phrasing similarity and the real-people phrasings)."""
    report = run_eval(assistant, load_cases(PUBLIC.parent / "real.yaml"))
    covered = [r for r in report.results if not r.case.out_of_scope]
    other = [r for r in report.results if r.case.out_of_scope]
    right = sum(r.ok for r in covered) / len(covered)
    honest = sum(r.ok for r in other) / len(other)
    with capsys.disabled():
        print(f"\nreal questions: right first {right:.1%}, honest {honest:.1%}")
    assert right >= 0.60
    assert honest >= 0.72


def test_an_answer_is_on_screen_with_the_buttons_under_it_only(tmp_path, capsys):
    """On screen means shown: the answer, and the articles offered under it (the search's
    next answers, then its related ones); never a third candidate nobody sees."""
    from kiosk.assistant import Assistant
    from kiosk.config import KioskConfig

    reply = Assistant(KioskConfig()).ask("what can i bring when i arrive", ui_lang="en")
    under = [rid for rid, _title in reply.see_also]
    hidden = next(
        a
        for a in Assistant(KioskConfig()).rulebook.articles
        if a not in under and a != reply.top.id
    )
    cases = [
        {"q": "what can i bring when i arrive", "ui": "en", "expect": [under[0]]},
        {"q": "what can i bring when i arrive", "ui": "en", "expect": [hidden]},
    ]
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(cases))
    main(["eval", str(path), "--json", "--min-accuracy", "0"])
    shown, unseen = json.loads(capsys.readouterr().out)["results"]
    assert shown["status"] == "answered" and not shown["ok"] and shown["top3"]
    assert not unseen["top3"]
