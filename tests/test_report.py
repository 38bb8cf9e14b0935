"""`kiosk report`: the unanswered questions, no-match rates and feedback, as table and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.report import build_report, report_text
from kiosk.ui.widgets.messages import AnswerBubble
from kiosk.unanswered import UnansweredLog, log_path
from tests.test_unanswered import EVERY_WORD
from tests.ui_helpers import ask, make_app, pick

TODAY = dt.date.today()

# A scripted session: what people asked, on which kiosk language, and their feedback.
SESSION = [
    ("en", "when does the ferry 42 go to the island", None),
    ("en", "when does the ferry 17 go to the island", None),  # the same once masked
    ("en", "how do I book a visit", "no"),
    ("en", "how do I book a visit", "yes"),
    ("en", "can I order pizza for 20 people", None),
    ("nb", "hvem vant fotballkampen 2026", None),
    ("nb", "hvordan bestiller jeg besøk", "yes"),
    ("nb", "kto wygrał mecz piłki nożnej w 2026", None),  # Polish on a Norwegian kiosk
]


@pytest.fixture
def config_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "kiosk.yaml"
    path.write_text("unanswered_log: true\n", encoding="utf-8")
    return path


async def run_session(assistant) -> None:
    for lang in ("en", "nb"):
        app = make_app(assistant, unanswered_log=True)
        app.now = dt.datetime.now  # today, so the report's window holds it
        async with app.run_test(size=(100, 30)) as pilot:
            await pick(pilot, lang)
            for ui, question, feedback in SESSION:
                if ui != lang:
                    continue
                app.screen.query_one("#question").focus()  # after a button press
                await ask(pilot, question)
                if feedback:
                    bubble = app.screen.query(AnswerBubble).last()
                    label = "Yes" if feedback == "yes" else "No"
                    if lang == "nb":
                        label = "Ja" if feedback == "yes" else "Nei"
                    button = next(
                        b for b in bubble.query(".feedback Button") if str(b.label) == label
                    )
                    await pilot.click(button)
                    await pilot.pause()


@pytest.mark.slow
async def test_report_after_a_scripted_session(assistant, config_on, capsys):
    await run_session(assistant)
    capsys.readouterr()
    assert main(["report", "--config", str(config_on)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("Most frequent"))
    first = lines[top + 2].split()
    assert first[:2] == ["2", "en"] and "when does the … go to the …" in lines[top + 2]
    assert any("pl (nb)" in line and "kto … piłki nożnej w …" in line for line in lines)
    assert any("did not help: visits.booking" in line and "how do i book a visit" in line
               for line in lines)  # fmt: skip
    rates = {line.split()[0]: line.split()[1:] for line in lines if line[:3] in ("en ", "nb ")}
    assert rates["en"] == ["3", "5", "60%"]  # 3 of the 5 English questions found nothing
    assert rates["nb"] == ["1", "2", "50%"]
    assert any(line.split() == ["all", "5", "8", "62%"] for line in lines)
    assert any(line.split() == ["visits.booking", "2", "1"] for line in lines)
    assert "42" not in out and "17" not in out and " 20 " not in out  # digits masked

    assert main(["report", "--config", str(config_on), "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    unanswered = [r for r in rows if r["section"] == "unanswered"]
    assert sum(int(r["count"]) for r in unanswered) == 6  # 5 no-match + 1 "did not help"
    rate = next(r for r in rows if r["section"] == "no_match_rate" and r["item"] == "en")
    assert (rate["count"], rate["total"], rate["share"]) == ("3", "5", "0.600")
    fb = {(r["item"], r["kind"]): r["count"] for r in rows if r["section"] == "feedback"}
    assert fb == {("visits.booking", "helpful"): "2", ("visits.booking", "not_helpful"): "1"}


def test_report_says_so_when_the_log_is_off(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    assert main(["report"]) == 0
    captured = capsys.readouterr()
    assert "log is off" in captured.err and "unanswered_log: true" in captured.err
    assert captured.out == ""
    assert not (tmp_path / "data").exists()


def test_report_says_so_when_the_log_is_empty(config_on, capsys):
    assert main(["report", "--config", str(config_on)]) == 0
    assert "nothing was logged in the last 30 days" in capsys.readouterr().out
    assert main(["report", "--config", str(config_on), "--csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "section,item,kind,article,question_lang,ui_lang,count,total,share"
    ]


def write_log(path: Path, entries: list[tuple[int, str, str]]) -> None:
    log = UnansweredLog(path, EVERY_WORD, fault_log=path.parent / "faults.log")
    for days_ago, text, lang in entries:
        log.asked(text, lang, lang, "no_match", TODAY - dt.timedelta(days=days_ago))


def test_days_option_keeps_only_the_last_days(config_on, capsys):
    path = log_path(Path(str(config_on.parent / "data")))
    write_log(path, [(0, "today question", "en"), (10, "older question", "en")])
    assert main(["report", "--config", str(config_on), "--days", "7"]) == 0
    out = capsys.readouterr().out
    assert "today question" in out and "older question" not in out
    assert main(["report", "--config", str(config_on), "--days", "30"]) == 0
    assert "older question" in capsys.readouterr().out


def test_logs_of_several_kiosks_add_up(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_log(a, [(0, "same question", "en"), (1, "only on a", "nb")])
    write_log(b, [(0, "same question", "en")])
    assert main(["report", "--log", str(a), "--log", str(b)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "same question" in x)
    assert line.split()[0] == "2"
    assert "only on a" in out


def test_a_missing_log_file_is_one_line_and_exit_2(capsys):
    assert main(["report", "--log", "missing.json"]) == 2
    err = capsys.readouterr().err
    assert err == "kiosk: missing.json: log file not found\n"


@pytest.mark.parametrize("days", ["0", "-3", "a week"])
def test_days_must_be_a_whole_number_above_0(days, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["report", "--days", days])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "--days: must be a whole number above 0" in err
    assert len(err.strip().splitlines()) == 1


def test_a_damaged_log_is_named_not_a_traceback(tmp_path, capsys):
    bad = tmp_path / "unanswered.json"
    bad.write_text("[1, 2", encoding="utf-8")
    assert main(["report", "--log", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_csv_never_hands_a_spreadsheet_a_formula(tmp_path):
    # The log keeps no punctuation now, but a log file can be edited by hand.
    entry = {"lang": "en", "ui": "en", "kind": "no_match", "article": None, "count": 1}
    unanswered = [{"text": text, **entry} for text in ("=hyperlink(#)", "+cmd")]
    day = {"asked": {}, "unanswered": unanswered, "feedback": {}}
    report = build_report([{"format": 1, "days": {TODAY.isoformat(): day}}], 7)
    from kiosk.report import report_csv

    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert {r["item"] for r in rows if r["section"] == "unanswered"} == {"'=hyperlink(#)", "'+cmd"}
    assert "=hyperlink(#)" in report_text(report)
