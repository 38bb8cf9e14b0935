"""Effective dates: articles and notices are shown only between 'from' and 'until'."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kiosk.check import check_content
from kiosk.config import BUNDLED_CONTENT, KioskConfig
from kiosk.content.load import load_rulebook
from tests.ui_helpers import FIXED_NOW, ask, make_app, pick, screen_text

TODAY = FIXED_NOW.date()  # 23 November 2026
EXPIRED_NOTICE = """\
- id: old-kitchen-closed
  from: 2026-09-01
  until: 2026-09-30
  text:
    en: The kitchen on the unit is closed in September.
    nb: Kjøkkenet på avdelingen er stengt i september.
"""


def _dated(path: Path, **dates: str) -> None:
    """Add top-level 'from'/'until' lines to an article file."""
    lines = "".join(f"{key}: {value}\n" for key, value in dates.items())
    path.write_text(path.read_text(encoding="utf-8") + lines, encoding="utf-8")


@pytest.fixture(scope="module")
def dated_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with the visit booking rule expired and a canteen rule not yet in force."""
    root = tmp_path_factory.mktemp("dated") / "content"
    shutil.copytree(BUNDLED_CONTENT, root)
    _dated(root / "articles/visits/booking.yaml", **{"from": "2025-01-01", "until": "2026-06-30"})
    _dated(root / "articles/canteen/ordering.yaml", **{"from": "2027-01-01"})
    notices = root / "notices.yaml"
    notices.write_text(notices.read_text(encoding="utf-8") + EXPIRED_NOTICE, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def dated_assistant(dated_content: Path, data_dir: Path):
    from kiosk.assistant import Assistant

    a = Assistant(KioskConfig(content=dated_content))
    yield a
    a.close()


def ids(reply) -> list[str]:
    return [a.id for a in reply.answers]


@pytest.mark.slow
def test_expired_article_is_not_answered_but_was_while_in_force(dated_assistant):
    in_june = dated_assistant.ask("how do I book a visit", "en", day=dt.date(2026, 6, 1))
    assert in_june.status == "answered" and in_june.top.id == "visits.booking"
    now = dated_assistant.ask("how do I book a visit", "en", day=TODAY)
    assert "visits.booking" not in ids(now)


def test_article_not_yet_in_force_is_answered_from_its_first_day(dated_assistant):
    before = dated_assistant.ask("how do I order from the canteen", "en", day=TODAY)
    assert "canteen.ordering" not in ids(before)
    first_day = dated_assistant.ask(
        "how do I order from the canteen", "en", day=dt.date(2027, 1, 1)
    )
    assert first_day.top is not None and first_day.top.id == "canteen.ordering"


def test_topics_orientation_and_related_leave_out_what_is_not_in_force(dated_assistant):
    a = dated_assistant
    listed = [x.id for x in a.articles_in("visits", "high", TODAY)]
    assert "visits.booking" not in listed and "visits.approval" in listed
    assert "visits.booking" in [x.id for x in a.articles_in("visits", "high", dt.date(2026, 6, 30))]
    steps = a.orientation("high", TODAY)
    assert "visits.booking" not in steps and "canteen.ordering" not in steps
    assert "daily.routine" in steps
    related = [rid for rid, _ in a.answer("visits.approval", "en", unit="high", day=TODAY).related]
    assert "visits.booking" not in related
    earlier = a.answer("visits.approval", "en", unit="high", day=dt.date(2026, 6, 1))
    assert "visits.booking" in [rid for rid, _ in earlier.related]


def test_a_topic_whose_only_articles_are_out_of_force_is_not_offered(dated_assistant):
    topics = [t.id for t in dated_assistant.topics("high", TODAY)]
    assert "visits" in topics
    mail = [a.id for a in dated_assistant.articles_in("mail", "high", TODAY)]
    assert mail  # sanity: the rest of the rulebook is still there


def test_notices_and_articles_follow_the_same_inclusive_window(dated_assistant):
    notices = {n.id for n in dated_assistant.notices(dt.date(2026, 9, 30), "high")}
    assert "old-kitchen-closed" in notices  # 'until' is the last day shown
    assert "old-kitchen-closed" not in {n.id for n in dated_assistant.notices(TODAY, "high")}
    booking = dated_assistant.rulebook.articles["visits.booking"]
    assert booking.in_force(dt.date(2026, 6, 30)) and not booking.in_force(dt.date(2026, 7, 1))
    assert booking.in_force(dt.date(2025, 1, 1)) and not booking.in_force(dt.date(2024, 12, 31))


@pytest.mark.slow
async def test_ui_shows_neither_the_expired_notice_nor_the_expired_article(dated_assistant):
    app = make_app(dated_assistant, languages=("en", "nb"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "en")
        text = screen_text(app)
        assert "The gym is closed for repairs" in text  # in force on FIXED_NOW
        assert "kitchen on the unit is closed" not in text  # ended in September
        await ask(pilot, "how do I book a visit")
        assert "Booking a visit" not in screen_text(app)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.click("#topic-visits")
        await pilot.pause()
        listing = screen_text(app)
        assert "Getting approved as a visitor" in listing
        assert "Booking a visit" not in listing


async def test_ui_shows_the_article_on_a_day_it_is_in_force(dated_assistant):
    app = make_app(dated_assistant, languages=("en", "nb"))
    app.now = lambda: dt.datetime(2026, 6, 1, 10, 0)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        assert "Booking a visit" in screen_text(app)


@pytest.mark.slow
def test_until_before_from_is_an_error_with_its_line(content_copy):
    path = content_copy / "articles/visits/booking.yaml"
    _dated(path, **{"from": "2026-12-01", "until": "2026-11-01"})
    line = len(path.read_text(encoding="utf-8").splitlines())  # 'until' is the last line
    _rulebook, problems = load_rulebook(content_copy)
    shown = [str(p) for p in problems]
    assert any(f"booking.yaml:{line}:" in s and "'until' is before 'from'" in s for s in shown)
    assert not check_content(content_copy).ok


@pytest.mark.slow
def test_a_date_that_is_not_a_date_is_an_error(content_copy):
    _dated(content_copy / "articles/visits/booking.yaml", until="next spring")
    problems = [str(p) for p in check_content(content_copy).errors]
    assert any("booking.yaml:" in p and "'until' must be a date" in p for p in problems)
