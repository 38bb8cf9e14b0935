"""The kiosk as a person uses it: Pilot tests for every flow."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Button, Input

from kiosk.assistant import Reply
from kiosk.config import KioskConfig
from kiosk.speech import Speaker
from kiosk.ui.actions import OpenArticle, Step, UnknownAction
from kiosk.ui.app import KioskApp
from kiosk.ui.screens.chat import MAX_MESSAGES, ChatScreen
from kiosk.ui.screens.fault import FaultScreen
from kiosk.ui.screens.orientation import OrientationScreen
from kiosk.ui.screens.picker import LanguageScreen
from kiosk.ui.screens.topics import ArticleListScreen, ArticleScreen, TopicsScreen
from kiosk.ui.widgets.buttons import ActionButton
from kiosk.ui.widgets.messages import AnswerBubble, TextBubble, UserBubble
from tests.ui_helpers import ask, end_session, idle_warning, make_app, pick, screen_text


async def test_picker_lists_languages_by_native_name_in_config_order(assistant):
    app = make_app(assistant, languages=("en", "nb"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LanguageScreen)
        labels = [str(b.label) for b in app.screen.query(Button)]
        assert labels == ["English", "Norsk bokmål"]
        assert app.focused.id == "lang-en"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen) and app.lang == "nb"
        assert isinstance(app.focused, Input)
        assert "Skriv spørsmålet ditt her" in app.focused.placeholder


@pytest.mark.slow
async def test_ask_read_more_source_and_feedback(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "nb")
        await ask(pilot, "hvordan bestiller jeg besøk")
        bubble = app.screen.query(AnswerBubble).last()
        assert bubble.answer.id == "visits.booking"
        text = screen_text(app)
        assert "Bestille besøk" in text
        assert "sist kontrollert 1. oktober 2026" in text  # Babel date in the UI language
        assert not bubble.query(".body")  # built only when opened (issue 14, finding 7)
        await pilot.click(bubble.query_one(".read-more"))
        await pilot.pause()
        body = bubble.query_one(".body")
        assert body.styles.display == "block" and "55 12 34 00" in screen_text(app)
        assert str(bubble.query_one(".read-more").label) == "Vis mindre"
        bubble.query_one(".read-more").press()  # below the opened body, off screen
        await pilot.pause()
        assert body.styles.display == "none" and bubble.query_one(".body") is body
        await pilot.press("pagedown", "pagedown")  # Read more opened at the title
        await pilot.pause()
        await pilot.click(bubble.query(".feedback Button").first())
        await pilot.pause()
        assert app.feedback[("visits.booking", True)] == 1
        assert "Takk." in screen_text(app)
        assert isinstance(app.screen.query(UserBubble).last(), UserBubble)


@pytest.mark.slow
async def test_related_article_is_one_tap(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        first = app.screen.query(AnswerBubble).last()
        related_id, _title = first.answer.related[0]
        button = first.query(".related Button").first()
        await pilot.click(button)
        await pilot.pause()
        assert app.screen.query(AnswerBubble).last().answer.id == related_id


def fixed_reply(assistant, status: str, ids: list[str], suggestion: str | None = None):
    answers = tuple(assistant.answer(i, "en") for i in ids)
    return Reply("q", "en", "en", "high", status, suggestion, answers)


async def test_clarify_shows_candidates_and_one_opens(assistant, monkeypatch):
    app = make_app(assistant)
    reply = fixed_reply(assistant, "clarify", ["complaints.how-to", "complaints.staff"])
    monkeypatch.setattr(assistant, "ask", lambda *a, **k: reply)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "complain")
        bubble = app.screen.query(TextBubble).last()
        labels = [str(b.label) for b in bubble.query(Button)]
        assert labels == [a.title for a in reply.answers]
        await pilot.click(bubble.query(Button).last())
        await pilot.pause()
        assert app.screen.query(AnswerBubble).last().answer.id == "complaints.staff"


async def test_no_match_is_honest_offers_topics_and_an_officer(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "who won the football match yesterday")
        bubble = app.screen.query(TextBubble).last()
        text = screen_text(app)
        assert "I don't know" in text and "ask an officer on your unit" in text
        topic_buttons = list(bubble.query(Button))
        assert len(topic_buttons) == len(assistant.topics())
        await pilot.click(topic_buttons[1])  # Visits
        await pilot.pause()
        assert isinstance(app.screen, ArticleListScreen)
        assert app.unanswered_count == 1


async def test_no_match_puts_the_likeliest_topics_first(assistant, monkeypatch):
    # "I don't know" for a question the search half understood: the topic buttons start
    # with the topics of its best candidates, so the next step is one touch away.
    reply = assistant.ask("Can my loved ones visit me in prison?", "en")
    assert reply.status == "no_match" and reply.topics[0] == "visits"
    near = tuple(assistant.answer(i, "en") for i in ("phone.calls", "visits.booking"))
    hinted = Reply("q", "en", "en", "high", "no_match", nearest=near)
    monkeypatch.setattr(assistant, "ask", lambda *a, **k: hinted)
    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "can my family call or come")
        bubble = app.screen.query(TextBubble).last()
        labels = [str(b.label) for b in bubble.query(".choices Button")]  # the topics
        titles = {t.id: t.title("en") for t in assistant.topics()}
        assert labels[:2] == [titles["phone"], titles["visits"]]
        assert sorted(labels) == sorted(titles.values())
        assert "I don't know" in screen_text(app)


async def test_no_match_offers_the_nearest_pages_one_touch_away(assistant):
    # The search half understood a relative's wording: no answer is asserted, but the
    # pages nearest the question are buttons above the topics, and one opens in a touch.
    reply = assistant.ask("Can my loved ones visit me in prison?", "en")
    assert reply.status == "no_match" and not reply.answers
    assert reply.nearest[0].id == "visits.booking"
    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "Can my loved ones visit me in prison?")
        bubble = app.screen.query(TextBubble).last()
        text = screen_text(app)
        assert "I don't know" in text and "These pages may help:" in text
        labels = [str(b.label) for b in bubble.query(Button)]
        pages = [a.title for a in reply.nearest]
        assert labels[: len(pages)] == pages
        assert len(labels) == len(pages) + len(assistant.topics())
        assert app.unanswered_count == 1  # still an unanswered question for staff
        await pilot.click(bubble.query(Button).first())
        await pilot.pause()
        assert app.screen.query(AnswerBubble).last().answer.id == "visits.booking"


async def test_a_did_you_mean_comes_before_the_pages_to_try(assistant, monkeypatch):
    near = tuple(assistant.answer(i, "en") for i in ("canteen.ordering", "canteen.money"))
    reply = Reply("q", "en", "en", "high", "no_match", "canteen order", nearest=near)
    monkeypatch.setattr(assistant, "ask", lambda *a, **k: reply)
    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "cantn ordr")
        bubble = app.screen.query(TextBubble).last()
        labels = [str(b.label) for b in bubble.query(Button)]
        assert labels[:3] == ["canteen order", *(a.title for a in near)]
        assert "Did you mean this?" in screen_text(app)


async def test_no_match_for_off_topic_offers_no_pages(assistant):
    # The search finds the sport article for "football", but a match result is not
    # something the rulebook answers: no pages to try, only the topics.
    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "who won the football match yesterday")
        assert app.screen.query(TextBubble).last().has_class("no-match")
        assert not app.screen.query(".pages")
        assert "These pages may help:" not in screen_text(app)


@pytest.mark.slow
async def test_did_you_mean_is_one_tap(assistant, monkeypatch):
    app = make_app(assistant)
    real_ask = assistant.ask
    first = fixed_reply(assistant, "no_match", [], suggestion="canteen order")
    calls = []

    def fake_ask(text, *args, **kwargs):
        calls.append(text)
        return first if len(calls) == 1 else real_ask(text, *args, **kwargs)

    monkeypatch.setattr(assistant, "ask", fake_ask)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "cantn ordr")
        suggestion = app.screen.query(TextBubble).last().query(Button).first()
        assert str(suggestion.label) == "canteen order"
        await pilot.click(suggestion)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert calls == ["cantn ordr", "canteen order"]
        assert app.screen.query(AnswerBubble).last().answer.id == "canteen.ordering"


@pytest.mark.slow
async def test_topic_browser_reaches_every_article_and_back_works(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TopicsScreen)
        reachable = set()
        for topic in assistant.topics():
            app.open_topic(topic.id)
            await pilot.pause()
            shown = [b.does for b in app.screen.query(ActionButton)]
            reachable |= {a.article_id for a in shown if isinstance(a, OpenArticle)}
            app.pop_screen()
            await pilot.pause()
        on_this_unit = {a.id for a in assistant.rulebook.articles.values() if a.applies_to("high")}
        assert reachable == on_this_unit
        await pilot.click("#topic-visits")
        await pilot.pause()
        assert isinstance(app.screen, ArticleListScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert "Booking a visit" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ArticleListScreen)
        await pilot.click("#back")
        await pilot.pause()
        assert isinstance(app.screen, TopicsScreen)
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)  # back never leaves the session


@pytest.mark.slow
async def test_orientation_steps_progress_and_summary(assistant):
    app = make_app(assistant, unit="remand")
    steps = assistant.orientation("remand")
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OrientationScreen)
        assert f"Step 1 of {len(steps)}" in screen_text(app)
        await pilot.click("#next")
        await pilot.pause(0.35)
        assert f"Step 2 of {len(steps)}" in screen_text(app)
        await pilot.click("#prev")
        await pilot.pause(0.35)
        assert f"Step 1 of {len(steps)}" in screen_text(app)
        for _ in steps:  # by keyboard now: Next keeps the focus from step to step
            assert app.focused.id == "next"
            await pilot.press("enter")
            # A second press within 0.3 s is taken as a double tap and ignored.
            await pilot.pause(0.35)
        text = screen_text(app)
        assert "You have finished the introduction" in text
        assert "Visits on the remand unit" in text  # every step is in the summary
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)


async def test_notices_banner_shows_notices_in_force(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "en")
        text = screen_text(app)
        # FIXED_NOW is 23 November 2026: the gym notice is in force, Christmas not yet.
        assert "The gym is closed for repairs" in text
        assert "Christmas visits" not in text


@pytest.mark.slow
async def test_idle_warning_counts_down_and_any_key_cancels(assistant):
    app = make_app(assistant, idle_timeout=1, idle_warning=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        await idle_warning(pilot)
        assert "Clearing in" in screen_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert app.screen.query_one("#question", Input).value == ""  # the waking key is eaten


@pytest.mark.slow
async def test_idle_wipe_clears_everything_of_the_person(assistant):
    app = make_app(assistant, idle_timeout=1, idle_warning=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        app.screen.query_one("#question", Input).value = "half typed secret"
        app.copy_to_clipboard("secret")
        app.notify("a note", markup=False)
        app.last_input = time.monotonic() - 5
        await pilot.pause(3.5)
        assert isinstance(app.screen, LanguageScreen)
        assert app.clipboard == ""
        assert not app._notifications
        await pick(pilot, "en")
        assert not app.screen.query(UserBubble)
        assert "half typed" not in app.screen.query_one("#question", Input).value


@pytest.mark.slow
async def test_a_wiped_conversation_is_not_kept_in_memory(assistant):
    """After the session ends, the worker that answered its last question is gone: a
    Textual thread worker stayed in its pool thread's context, with its chat screen (every
    bubble of the conversation), until that thread ran the next person's question."""
    import gc

    from textual.worker import Worker

    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit for my brother Zbigniew")
        await end_session(pilot)
        await pilot.pause(0.5)
        gc.collect()
        workers = [o for o in gc.get_objects() if isinstance(o, Worker)]
        assert not [w for w in workers if isinstance(w.node, ChatScreen)]


@pytest.mark.slow
async def test_lines_drawn_for_removed_bubbles_are_not_kept(assistant):
    """A bubble the log drops (a long session) leaves nothing it drew: Textual's style
    caches outlived their widgets in an lru_cache, with every line they had drawn."""
    import gc

    from textual._styles_cache import StylesCache

    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit for my brother Zbigniew")
        for _ in range(MAX_MESSAGES // 2):
            await ask(pilot, "when is the shop open")
        assert "Zbigniew" not in screen_text(app)  # dropped from the log
        gc.collect()
        drawn = [
            strip.text
            for cache in gc.get_objects()
            if isinstance(cache, StylesCache)
            for strip in cache._cache.values()
        ]
        assert drawn and not [line for line in drawn if "Zbigniew" in line]


@pytest.mark.slow
async def test_end_session_and_language_switch_wipe_the_conversation(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        await end_session(pilot)
        assert isinstance(app.screen, LanguageScreen)
        await pick(pilot, "nb")
        assert not app.screen.query(UserBubble)
        await ask(pilot, "besøk")
        await pilot.click("#key-language")  # another language keeps the conversation ...
        await pilot.pause()
        assert isinstance(app.screen, LanguageScreen)
        await pick(pilot, "en")
        assert isinstance(app.screen, ChatScreen) and app.screen.query(UserBubble)
        await end_session(pilot)  # ... and ending the session wipes it
        assert isinstance(app.screen, LanguageScreen)
        assert len(app.screen_stack) == 2


@pytest.mark.slow
async def test_fault_shows_out_of_service_then_recovers(assistant, monkeypatch, data_dir):
    import kiosk.ui.app as app_module

    monkeypatch.setattr(app_module, "FAULT_RETRY_SECONDS", 3.0)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        monkeypatch.setattr(assistant, "ask", broken)
        app.screen.query_one("#question", Input).value = "anything"
        await pilot.press("enter")
        deadline = time.monotonic() + 3.0  # under load, polled: the retry must not pass unseen
        while not isinstance(app.screen, FaultScreen) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert isinstance(app.screen, FaultScreen)
        code = app.screen.code
        assert "Out of service" in screen_text(app) and code in screen_text(app)
        log = (data_dir / "logs" / "faults.log").read_text()
        assert f"code {code}" in log and "RuntimeError" in log
        assert "anything" not in log  # nothing typed is stored
        deadline = time.monotonic() + 10.0
        while not isinstance(app.screen, LanguageScreen) and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert isinstance(app.screen, LanguageScreen)
        assert app.return_code is None


async def press_a_button_wired_to_nothing(app: KioskApp) -> None:
    """Pick English, put a button whose action the chat does not handle in the log, tap it."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        await app.screen.query_one("#log").mount(ActionButton("Next", Step(True), id="nothing"))
        await pilot.pause()
        await pilot.click("#nothing")
        await pilot.pause()
        assert isinstance(app.screen, FaultScreen)


async def test_a_button_wired_to_nothing_fails_the_test(assistant):
    with pytest.raises(UnknownAction, match="ChatScreen has no handler for Step"):
        await press_a_button_wired_to_nothing(make_app(assistant))


async def test_a_button_wired_to_nothing_puts_the_kiosk_out_of_service(assistant, data_dir):
    """Not a button that silently does nothing: the fault is logged and shown."""
    app = KioskApp(KioskConfig(), assistant, Speaker(binary=""))
    await press_a_button_wired_to_nothing(app)
    assert "UnknownAction" in (data_dir / "logs" / "faults.log").read_text()


LOCKDOWN_KEYS = [
    "ctrl+c", "ctrl+q", "ctrl+z", "ctrl+backslash", "ctrl+d", "ctrl+p", "escape",
    *[f"f{n}" for n in range(1, 13)], "ctrl+x", "ctrl+w", "alt+f4",
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("where", ["picker", "chat"])
async def test_no_key_leaves_the_app(assistant, where):
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        if where == "chat":
            await pick(pilot, "en")
        for key in LOCKDOWN_KEYS:
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running and app.return_code is None, key
            assert type(app.screen).__name__ != "CommandPalette", key
            if where == "chat" and isinstance(app.screen, LanguageScreen):
                await pick(pilot, "en")  # f4 chooses a language: choose one


async def test_staff_mode_can_quit(assistant):
    app = make_app(assistant, kiosk_mode=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.slow
async def test_log_is_bounded(assistant, monkeypatch):
    app = make_app(assistant)
    reply = fixed_reply(assistant, "answered", ["daily.food"])
    monkeypatch.setattr(assistant, "ask", lambda *a, **k: reply)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        for i in range(MAX_MESSAGES // 2 + 3):  # more than the log keeps
            await ask(pilot, f"question {i}")
        assert len(app.screen.messages) <= MAX_MESSAGES
        last = MAX_MESSAGES // 2 + 2
        assert str(app.screen.query(UserBubble).last().render()) == f"question {last}"


@pytest.mark.slow
async def test_a_double_tap_does_not_skip_an_orientation_step(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        await pilot.press("f3")
        await pilot.pause()
        next_button = app.screen.query_one("#next", Button)
        next_button.press()  # two taps in quick succession
        next_button.press()
        await pilot.pause()
        assert app.screen.index == 1


async def test_answer_in_the_question_language_with_one_tap_to_the_kiosk_language(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "nb")
        await ask(pilot, "how do I book a visit")
        bubble = app.screen.query(AnswerBubble).last()
        assert bubble.answer.lang == "en" and bubble.answer.title == "Booking a visit"
        switch = bubble.query_one(".switch-language", Button)
        assert str(switch.label) == "Vis på norsk bokmål"
        await pilot.click(switch)
        await pilot.pause()
        shown = app.screen.query(AnswerBubble).last()
        assert shown.answer.lang == "nb" and shown.answer.title == "Bestille besøk"
        assert not shown.query(".switch-language")
        assert len(app.screen.query(AnswerBubble)) == 1  # replaced, not added


@pytest.mark.slow
async def test_typing_stays_possible_while_an_answer_is_found(assistant, monkeypatch):
    real_ask = assistant.ask

    def slow_ask(*args, **kwargs):
        time.sleep(2.0)  # long enough for the keys below, even on a loaded machine
        return real_ask(*args, **kwargs)

    monkeypatch.setattr(assistant, "ask", slow_ask)
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        box = app.screen.query_one("#question", Input)
        box.value = "how do I book a visit"
        await pilot.press("enter")
        await pilot.press(*"next")
        assert box.value == "next"  # typed while the search ran
        assert "Looking for an answer" in screen_text(app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query(AnswerBubble).last().answer.id == "visits.booking"
