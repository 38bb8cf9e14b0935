"""Snapshot tests: the main screens at the smallest (80x24) and a common (120x40) size."""

from __future__ import annotations

import pytest

from tests.ui_helpers import ask, make_app, pick

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_language_picker(snap_compare, assistant, size):
    assert snap_compare(make_app(assistant), terminal_size=size)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_chat_with_an_answer(snap_compare, assistant, size):
    async def run_before(pilot):
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")

    assert snap_compare(make_app(assistant), terminal_size=size, run_before=run_before)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_match_in_norwegian(snap_compare, assistant, size):
    async def run_before(pilot):
        await pick(pilot, "nb")
        await ask(pilot, "hvem vant fotballkampen i går")

    assert snap_compare(make_app(assistant), terminal_size=size, run_before=run_before)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_match_with_pages_to_try(snap_compare, assistant, size):
    """ "I don't know", then the nearest pages as buttons, then the topics."""

    async def run_before(pilot):
        await pick(pilot, "en")
        await ask(pilot, "Can my loved ones visit me in prison?")

    assert snap_compare(make_app(assistant), terminal_size=size, run_before=run_before)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_topic_browser(snap_compare, assistant, size):
    async def run_before(pilot):
        await pick(pilot, "en")
        await pilot.press("f2")

    assert snap_compare(make_app(assistant), terminal_size=size, run_before=run_before)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_orientation_first_step(snap_compare, assistant, size):
    async def run_before(pilot):
        await pick(pilot, "nb")
        await pilot.press("f3")

    assert snap_compare(make_app(assistant), terminal_size=size, run_before=run_before)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_arabic_answer(snap_compare, assistant, size):
    async def run_before(pilot):
        await pick(pilot, "ar")
        await ask(pilot, "كيف أحجز زيارة")

    assert snap_compare(make_app(assistant), terminal_size=size, run_before=run_before)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_arabic_topics(snap_compare, assistant, size):
    async def run_before(pilot):
        await pick(pilot, "ar")
        await pilot.press("f2")

    assert snap_compare(make_app(assistant), terminal_size=size, run_before=run_before)


def test_urgent_reply_at_the_smallest_size(snap_compare, assistant):
    """The what-to-do-now reply: its own style, the first line in full at 80x24."""

    async def run_before(pilot):
        await pick(pilot, "en")
        await ask(pilot, "i want to kill myself")

    assert snap_compare(make_app(assistant), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.slow
def test_check_in_line_under_an_answer(snap_compare, assistant, monkeypatch):
    """A question that may hide a crisis: the answer as ever, the calm line under it."""
    from kiosk.assistant.urgent_model import THRESHOLD

    monkeypatch.setattr(assistant.urgent_model, "judge", lambda text: (THRESHOLD - 5, "self_harm"))

    async def run_before(pilot):
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")

    assert snap_compare(make_app(assistant), terminal_size=(80, 24), run_before=run_before)
