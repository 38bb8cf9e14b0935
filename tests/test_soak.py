"""A long session stays light: the conversation keeps its last bubbles, so the number of
widgets on screen stops growing however many questions are asked. (The long runs, 10,000
questions through the Assistant and 500 through the UI, are in benchmarks/soak.py.)"""

from __future__ import annotations

import pytest

from kiosk.ui.screens.chat import MAX_MESSAGES
from tests.ui_helpers import ask, make_app, pick

QUESTIONS = [
    "how do I book a visit",  # answered
    "when can I go to the shop",  # answered or clarify
    "can i keep a parrot in my cell",  # no_match, topics offered
    "kantine",  # another language
]


@pytest.mark.slow
async def test_forty_questions_keep_the_widget_count_bounded(assistant):
    app = make_app(assistant)
    counts: list[int] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "en")
        for i in range(40):
            await ask(pilot, QUESTIONS[i % len(QUESTIONS)])
            counts.append(len(list(app.screen.query("*"))))
            assert len(app.screen.messages) <= MAX_MESSAGES
        assert app.is_running and app.return_code is None
    # Once the log is full (two bubbles a question), each further round of the same
    # questions leaves exactly as many widgets on screen as the round before.
    full = MAX_MESSAGES // 2 + len(QUESTIONS)
    period = len(QUESTIONS)
    for i in range(full, len(counts)):
        assert counts[i] == counts[i - period], counts
    assert max(counts) == max(counts[: full + period]), counts
