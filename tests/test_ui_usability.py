"""Usability as a newcomer met it (issue 15): focus that follows the person, a confirmed
end of session, articles that open at the top, arrow keys, small and wide screens."""

from __future__ import annotations

from textual.widgets import Button, Input

from kiosk.ui.screens.chat import ChatScreen
from kiosk.ui.screens.help import HelpScreen
from kiosk.ui.screens.topics import TopicsScreen
from kiosk.ui.widgets.messages import AnswerBubble, TextBubble
from tests.ui_helpers import ask, make_app, pick

# ---- 1: typing goes to the question box; Tab reaches only the newest reply -------------------


async def type_and_read(pilot, text: str) -> str:
    await pilot.press(*text)
    await pilot.pause()
    return pilot.app.screen.query_one("#question", Input).value


async def press_with_keyboard(pilot, button: Button) -> None:
    button.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_typing_after_the_feedback_buttons_goes_to_the_question_box(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        await ask(pilot, "can i get a tv in my room")
        bubble = app.screen.query(AnswerBubble).last()
        await press_with_keyboard(pilot, bubble.query(".feedback Button").first())
        assert "Thank you." in str(bubble.query_one(".thanks").render())
        assert await type_and_read(pilot, "phone") == "phone"
        assert isinstance(app.focused, Input)


async def test_typing_after_see_also_and_after_a_choice_goes_to_the_question_box(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot)
        await ask(pilot, "how do I book a visit")
        related = app.screen.query(AnswerBubble).last().query(".related Button").first()
        await press_with_keyboard(pilot, related)
        assert await type_and_read(pilot, "phone") == "phone"
        app.screen.query_one("#question", Input).value = ""
        # A button that stays (Read more) keeps the focus, and typing still goes to the box.
        await press_with_keyboard(pilot, app.screen.query(".read-more").last())
        assert await type_and_read(pilot, "mail") == "mail"


async def test_typing_after_a_which_one_choice_goes_to_the_question_box(assistant, monkeypatch):
    from tests.test_ui_flows import fixed_reply

    reply = fixed_reply(assistant, "clarify", ["complaints.how-to", "complaints.staff"])
    monkeypatch.setattr(assistant, "ask", lambda *a, **k: reply)
    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot)
        await ask(pilot, "complain")
        choice = app.screen.query(TextBubble).last().query(Button).last()
        await press_with_keyboard(pilot, choice)
        assert app.screen.query(AnswerBubble).last().answer.id == "complaints.staff"
        assert await type_and_read(pilot, "phone") == "phone"


async def test_typing_after_escape_from_topics_or_help_goes_to_the_question_box(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        for key, screen in (("f2", TopicsScreen), ("f1", HelpScreen)):
            await pilot.click(f"#key-{'topics' if key == 'f2' else 'help'}")  # a button...
            await pilot.pause()
            assert isinstance(app.screen, screen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ChatScreen)
            question = app.screen.query_one("#question", Input)
            assert app.focused is question
            question.value = ""
            assert await type_and_read(pilot, "visit") == "visit"
            await pilot.press(key)  # ... and its key
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            question.value = ""
            assert await type_and_read(pilot, "phone") == "phone"
            question.value = ""


async def tab_stops(pilot) -> list:
    """Every widget Tab reaches, once round, starting from the question box."""
    app = pilot.app
    app.screen.query_one("#question", Input).focus()
    await pilot.pause()
    stops = [app.focused]
    for _ in range(60):
        await pilot.press("tab")
        if app.focused is stops[0]:
            return stops
        stops.append(app.focused)
    raise AssertionError(f"Tab never came back to the question box: {stops}")


async def test_only_the_newest_answers_buttons_are_in_the_tab_order(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot)
        await ask(pilot, "how do I book a visit")
        await ask(pilot, "how do i order from the canteen")
        old, new = list(app.screen.query(AnswerBubble))
        stops = await tab_stops(pilot)
        assert not [w for w in stops if old in w.ancestors], "an old answer is in the Tab order"
        keybar = [w for w in stops if w.id and w.id.startswith("key-")]
        newest = [w for w in stops if new in w.ancestors]
        assert len(keybar) == 5
        assert newest == list(new.query(Button))
        assert len(stops) == 1 + len(newest) + len(keybar)  # the question box, and nothing else
        # An old answer's buttons still work by touch.
        await pilot.click(old.query_one(".read-more"))
        await pilot.pause()
        assert old.has_class("-expanded")
        # Shift+Tab from the question box reaches the newest answer's last button.
        app.screen.query_one("#question", Input).focus()
        await pilot.press("shift+tab", "shift+tab")
        assert new in app.focused.ancestors
        # The conversation is not a Tab stop, but Page Up scrolls it from the question box.
        app.screen.query_one("#question", Input).focus()
        log = app.screen.query_one("#log")
        bottom = log.scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert log.scroll_y < bottom
