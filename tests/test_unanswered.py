"""The unanswered-question log: off by default, masked, day only, capped, never in the way."""

from __future__ import annotations

import datetime as dt
import errno
import json
import re
from pathlib import Path

import pytest
from textual.widgets import Button

from kiosk import unanswered
from kiosk.cli import main
from kiosk.ui.widgets.messages import AnswerBubble
from kiosk.unanswered import UnansweredLog, log_path, mask, open_log
from tests.ui_helpers import FIXED_NOW, ask, make_app, pick

DAY = dt.date(2026, 11, 23)
EVERY_WORD = lambda word: True  # noqa: E731 - a log that may keep any word (not numbers)
ENTRY_KEYS = {"text", "lang", "ui", "kind", "article", "count"}


@pytest.fixture
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder of this test alone, so the log file it finds is its own."""
    path = tmp_path / "data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(path))
    return path


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


async def say_no(pilot) -> None:
    """Press "No" under the newest answer."""
    bubble = pilot.app.screen.query(AnswerBubble).last()
    no = next(b for b in bubble.query(".feedback Button") if "No" in str(b.label))
    await pilot.click(no)
    await pilot.pause()


# ---- masking ---------------------------------------------------------------------------------


def test_mask_hides_numbers_and_keeps_one_short_clean_line():
    assert mask("Call 55 12 34 00 on 24.12", "en", EVERY_WORD) == "call … on …"
    assert mask("زيارة يوم ٢٤", "ar", EVERY_WORD) == "زيارة يوم …"  # Arabic-Indic digits too
    red = "Prisoner 12345\n\x1b[31mred\x1b[0m\ttext"
    assert mask(red, "en", EVERY_WORD) == "prisoner … red text"
    assert mask("phone five five one two", "en", EVERY_WORD) == "phone …"  # numbers in words
    assert mask("telefon pięć pięć jeden dwa", "pl", EVERY_WORD) == "telefon …"
    assert len(mask("ab " * 1000, "en", EVERY_WORD)) <= unanswered.MAX_TEXT + 2
    assert mask("  \x07 ", "en", EVERY_WORD) == ""


@pytest.mark.parametrize(
    ("question", "lang", "kept"),
    [
        ("my name is john smith, prisoner number ab-1234 cell 7b", "en",
         "my name is … prisoner number … cell …"),
        ("my lawyer ola nordmann phone five five one two", "en", "my lawyer … phone …"),
        ("jeg heter kari nordmann og vil ringe advokaten", "nb",
         "jeg heter … og vil ringe advokaten"),
    ],
)  # fmt: skip
def test_the_log_keeps_only_words_of_the_rulebook_or_its_languages(assistant, question, lang, kept):
    """Names, codes and numbers (in digits or in words) become '…'."""
    assert mask(question, lang, assistant.knows_word) == kept


# ---- through the kiosk -----------------------------------------------------------------------


@pytest.mark.slow
async def test_log_off_by_default_writes_no_file_at_all(assistant, own_data_dir):
    app = make_app(assistant)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "when does the ferry 42 go to the island")
        await ask(pilot, "how do I book a visit")
        await say_no(pilot)
    assert app.unanswered_count == 1  # noticed, but kept nowhere
    assert app.feedback[("visits.booking", False)] == 1
    logs = own_data_dir / "logs"
    assert not logs.exists() or not list(logs.iterdir())


@pytest.mark.slow
async def test_log_keeps_masked_unanswered_questions_with_the_day_only(assistant, own_data_dir):
    app = make_app(assistant, unanswered_log=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "when does the ferry 42 go to the island")
        await ask(pilot, "When does the ferry 42 go to the island")  # the same, asked again
        await ask(pilot, "kto wygrał mecz piłki nożnej w 2026")  # Polish, on an English kiosk
        await ask(pilot, "how do I book a visit")
        await say_no(pilot)
    path = log_path(own_data_dir)
    raw = path.read_text(encoding="utf-8")
    texts = [e["text"] for d in json.loads(raw)["days"].values() for e in d["unanswered"]]
    assert texts and not any(re.search(r"\d", t) for t in texts)  # no digit kept
    assert "the … go to" in raw and "kto … piłki nożnej w …" in raw and "42" not in raw
    assert not re.search(r"\d\d:\d\d|T\d\d|session|user", raw)  # no time of day, nobody
    data = json.loads(raw)
    assert list(data["days"]) == [FIXED_NOW.date().isoformat()]
    day = data["days"]["2026-11-23"]
    assert set(day) == {"asked", "unanswered", "feedback"}
    assert day["asked"]["en"] == {"questions": 3, "no_match": 2}
    assert day["asked"]["pl"] == {"questions": 1, "no_match": 1}
    entries = day["unanswered"]
    assert all(set(e) == ENTRY_KEYS for e in entries)
    by_text = {e["text"]: e for e in entries}
    assert by_text["when does the … go to the …"]["count"] == 2
    assert by_text["kto … piłki nożnej w …"] | {"count": 0} == {
        "text": "kto … piłki nożnej w …",
        "lang": "pl",
        "ui": "en",
        "kind": "no_match",
        "article": None,
        "count": 0,
    }
    helpless = by_text["how do i book a visit"]
    assert (helpless["kind"], helpless["article"]) == ("not_helpful", "visits.booking")
    assert day["feedback"] == {"visits.booking": {"helpful": 0, "not_helpful": 1}}
    assert [e["text"] for e in entries] == sorted(e["text"] for e in entries)  # not by time
    midnight = dt.datetime.combine(DAY, dt.time()).timestamp()
    assert path.stat().st_mtime == midnight  # the file's time tells no time of day either
    assert path.parent.stat().st_mtime == midnight  # nor its folder's


@pytest.mark.slow
async def test_a_no_after_choosing_between_answers_keeps_the_question(assistant, own_data_dir):
    app = make_app(assistant, unanswered_log=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "health")
        choices = [b for b in app.screen.query(".clarify Button") if isinstance(b, Button)]
        assert choices, "expected 'which one do you mean?' for a one-word question"
        await pilot.click(choices[0])
        await pilot.pause()
        await say_no(pilot)
    entries = read(log_path(own_data_dir))["days"]["2026-11-23"]["unanswered"]
    assert [(e["text"], e["kind"]) for e in entries] == [("health", "not_helpful")]


async def test_the_page_opened_after_no_answer_is_kept_with_the_question(
    assistant, own_data_dir, capsys
):
    # Where the answer was, for staff: the question's words belong in that article.
    app = make_app(assistant, unanswered_log=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "Can my loved ones visit me in prison?")
        pages = [b for b in app.screen.query(".pages Button") if isinstance(b, Button)]
        await pilot.click(pages[0])
        await pilot.pause()
        await ask(pilot, "who won the football match yesterday")  # no pages: nothing more
        topics = [b for b in app.screen.query(".no-match .choices Button")]
        await pilot.click(topics[0])
        await pilot.pause()
    entries = read(log_path(own_data_dir))["days"]["2026-11-23"]["unanswered"]
    kinds = {(e["text"], e["kind"], e["article"]) for e in entries}
    assert ("can my … ones visit me in prison", "page_opened", "visits.booking") in kinds
    assert ("can my … ones visit me in prison", "no_match", None) in kinds
    assert [k for k in kinds if k[1] == "page_opened"] == [
        ("can my … ones visit me in prison", "page_opened", "visits.booking")
    ]
    config = own_data_dir.parent / "kiosk.yaml"
    config.write_text(f"unanswered_log: true\ndata_dir: {own_data_dir}\n", encoding="utf-8")
    assert main(["report", "--config", str(config)]) == 0
    assert "no answer, opened: visits.booking" in capsys.readouterr().out


@pytest.mark.slow
async def test_a_full_or_unwritable_disk_never_stops_the_kiosk(assistant, own_data_dir):
    own_data_dir.mkdir(parents=True)
    (own_data_dir / "logs").write_text("not a folder")  # nothing can be written below it
    app = make_app(assistant, unanswered_log=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "when does the ferry 42 go to the island")
        await ask(pilot, "how do I book a visit")
        assert app.screen.query(AnswerBubble)  # still answering
        await say_no(pilot)
        assert "Thank you" in str(app.screen.query(".thanks").last().render())


def test_write_failure_leaves_the_old_log_and_one_note_without_the_text(tmp_path, monkeypatch):
    path = tmp_path / "logs" / "unanswered.json"
    faults = tmp_path / "faults.log"
    log = UnansweredLog(path, EVERY_WORD, fault_log=faults)
    log.asked("first question 1", "en", "en", "no_match", DAY)
    before = path.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(unanswered.os, "replace", disk_full)
    log.asked("my secret question 2", "en", "en", "no_match", DAY)
    log.feedback("visits.booking", False, DAY, "another secret", "en", "en")
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no temp left
    note = faults.read_text(encoding="utf-8")
    assert "OSError" in note and "secret" not in note
    assert note.count("===") == 1  # one note per kind of failure, not one per question


def test_a_damaged_log_is_set_aside_and_started_anew(tmp_path):
    path = tmp_path / "logs" / "unanswered.json"
    path.parent.mkdir()
    path.write_text("{ not json", encoding="utf-8")
    UnansweredLog(path, EVERY_WORD, fault_log=tmp_path / "faults.log").asked(
        "x y", "en", "en", "no_match", DAY
    )
    assert read(path)["days"]["2026-11-23"]["asked"]["en"]["questions"] == 1
    assert path.with_suffix(".json.bad").read_text(encoding="utf-8") == "{ not json"


def test_size_cap_drops_the_oldest_days_first(tmp_path, monkeypatch):
    monkeypatch.setattr(unanswered, "MAX_ENTRIES", 6)
    path = tmp_path / "unanswered.json"
    log = UnansweredLog(path, EVERY_WORD, fault_log=tmp_path / "faults.log")
    for offset in (3, 2, 1, 0):
        day = DAY - dt.timedelta(days=offset)
        for i in "abc":
            log.asked(f"question {i} on day -{offset}", "en", "nb", "no_match", day)
    days = read(path)["days"]
    assert list(days) == ["2026-11-22", "2026-11-23"]  # the two newest, 6 entries
    assert sum(len(d["unanswered"]) for d in days.values()) == 6


def test_one_day_over_the_cap_keeps_its_most_asked_questions(tmp_path, monkeypatch):
    monkeypatch.setattr(unanswered, "MAX_ENTRIES", 3)
    path = tmp_path / "unanswered.json"
    log = UnansweredLog(path, EVERY_WORD, fault_log=tmp_path / "faults.log")
    for text in ["often", "often", "often", "twice", "twice", "alpha", "beta", "gamma"]:
        log.asked(text, "en", "en", "no_match", DAY)
    day = read(path)["days"]["2026-11-23"]
    kept = {e["text"]: e["count"] for e in day["unanswered"]}
    assert kept["often"] == 3 and kept["twice"] == 2 and len(kept) == 3
    assert day["asked"]["en"] == {"questions": 8, "no_match": 8}  # counts stay exact


def test_days_older_than_the_keeping_time_are_dropped(tmp_path):
    path = tmp_path / "unanswered.json"
    log = UnansweredLog(path, EVERY_WORD, fault_log=tmp_path / "faults.log")
    log.asked("old question", "en", "en", "no_match", DAY - dt.timedelta(days=400))
    log.asked("new question", "en", "en", "no_match", DAY)
    assert list(read(path)["days"]) == ["2026-11-23"]


def test_the_log_file_stays_under_its_byte_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(unanswered, "MAX_BYTES", 8_000)
    path = tmp_path / "unanswered.json"
    log = UnansweredLog(path, EVERY_WORD, fault_log=tmp_path / "faults.log")
    for offset in range(12, -1, -1):
        for i in range(8):
            log.asked(
                f"question {chr(97 + i)} " * 8, "en", "en", "no_match", DAY - dt.timedelta(offset)
            )
    assert path.stat().st_size <= 8_000
    assert "2026-11-23" in read(path)["days"]


def test_switched_off_log_records_nothing(tmp_path):
    log = open_log(False, tmp_path, EVERY_WORD)
    log.asked("when does bus 42 leave", "en", "en", "no_match", DAY)
    log.feedback("visits.booking", False, DAY, "no good", "en", "en")
    assert list(tmp_path.iterdir()) == []


def test_kiosk_ask_does_not_log_even_when_the_log_is_on(data_dir, tmp_path, capsys):
    config = tmp_path / "kiosk.yaml"
    config.write_text("unanswered_log: true\n", encoding="utf-8")
    path = log_path(data_dir)  # the session's data folder: its index is built already
    before = path.read_bytes() if path.exists() else None
    question = "when does the ferry 42 go to the island"
    assert main(["ask", question, "--config", str(config)]) == 0
    assert (path.read_bytes() if path.exists() else None) == before


async def test_a_question_with_the_check_in_line_keeps_no_words_after_no_or_a_page(
    assistant, own_data_dir, monkeypatch
):
    """It may hide a crisis: counted as check_in, and neither "Did this help? No" nor a
    page opened after it keeps its words (the answer's counts are kept)."""
    from kiosk.assistant.urgent_model import THRESHOLD

    monkeypatch.setattr(assistant.urgent_model, "judge", lambda text: (THRESHOLD - 5, "fear"))
    app = make_app(assistant, unanswered_log=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        await say_no(pilot)
        await ask(pilot, "Can my loved ones visit me in prison?")
        pages = [b for b in app.screen.query(".pages Button") if isinstance(b, Button)]
        await pilot.click(pages[0])
        await pilot.pause()
    day = read(log_path(own_data_dir))["days"]["2026-11-23"]
    assert day["unanswered"] == [] and day["urgent"] == {"check_in": 2}
    assert day["feedback"]["visits.booking"]["not_helpful"] == 1
