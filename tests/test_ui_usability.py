"""Usability as a newcomer met it (issue 15): focus that follows the person, a confirmed
end of session, articles that open at the top, arrow keys, small and wide screens."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from kiosk.ui.screens.chat import ChatScreen
from kiosk.ui.screens.help import HelpScreen
from kiosk.ui.screens.topics import TopicsScreen
from kiosk.ui.widgets.buttons import ActionButton
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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
        notices = [w for w in stops if w.has_class("more")]  # the notices' "Read more"
        assert len(notices) == 1
        # The question box, and nothing else.
        assert len(stops) == 1 + len(newest) + len(keybar) + len(notices)
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


# ---- 2: F10 and End session ask first; the idle timeout does not -------------------------


@pytest.mark.slow
async def test_f10_and_the_end_session_button_ask_first_with_no_focused(assistant):
    from kiosk.ui.screens.confirm import ConfirmEnd
    from kiosk.ui.screens.picker import LanguageScreen
    from kiosk.ui.widgets.messages import UserBubble

    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        await ask(pilot, "how do I book a visit")
        for how in ("f10", "button"):
            if how == "f10":
                await pilot.press("f10")
            else:
                await pilot.click("#key-end_session")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmEnd), how
            assert "End and clear everything?" in str(app.screen.query_one("#question").render())
            assert app.focused.id == "no"
            await pilot.press("enter")  # a stray Enter keeps the session
            await pilot.pause()
            assert isinstance(app.screen, ChatScreen), how
            assert app.screen.query(UserBubble), "the conversation is still there"
        await pilot.press("f10")
        await pilot.press("escape")  # Escape is No too
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen) and app.screen.query(UserBubble)
        await pilot.press("f10", "f2", "f1", "f10")  # other keys do nothing while it asks
        await pilot.pause()
        assert isinstance(app.screen, ConfirmEnd) and isinstance(app.screen_stack[-2], ChatScreen)
        await pilot.press("left", "enter")  # Yes
        await pilot.pause()
        assert isinstance(app.screen, LanguageScreen)
        await pick(pilot)
        assert not app.screen.query(UserBubble)


@pytest.mark.slow
async def test_idle_timeout_still_wipes_without_asking(assistant):
    import time

    from kiosk.ui.screens.picker import LanguageScreen

    app = make_app(assistant, idle_timeout=1, idle_warning=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        await ask(pilot, "how do I book a visit")
        await pilot.press("f10")  # the question left open: the timeout still ends it all
        await pilot.pause()
        app.last_input = time.monotonic() - 5
        for _ in range(60):
            if isinstance(app.screen, LanguageScreen):
                break
            await pilot.pause(0.1)
        assert isinstance(app.screen, LanguageScreen)
        assert len(app.screen_stack) == 2


# ---- 3: Read more and an article from Topics open at the top ---------------------------------


def shows(container, widget) -> bool:
    """Whether ``widget``'s first line is inside ``container``'s visible area."""
    top = widget.region.y
    return container.region.y <= top < container.region.bottom and widget.region.height > 0


@pytest.mark.slow
async def test_read_more_opens_the_answer_at_its_title(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        await ask(pilot, "how do I book a visit")
        bubble = app.screen.query(AnswerBubble).last()
        await press_with_keyboard(pilot, bubble.query_one(".read-more"))
        await pilot.pause(0.3)
        log = app.screen.query_one("#log")
        assert log.max_scroll_y > 0, "the answer is longer than the screen"
        assert shows(log, bubble.query_one(".title")), "the title is scrolled off"
        assert shows(log, bubble.query_one(".body"))
        # The next question is followed to the end again.
        await ask(pilot, "how do i order from the canteen")
        for _ in range(30):  # laid out and scrolled (a loaded machine may take a moment)
            await pilot.pause(0.1)
            if log.max_scroll_y > 0 and log.scroll_y == log.max_scroll_y:
                break
        assert log.max_scroll_y > 0 and log.scroll_y == log.max_scroll_y
        assert shows(log, app.screen.query(AnswerBubble).last().query_one(".feedback"))


@pytest.mark.slow
async def test_an_article_from_topics_opens_at_its_title(assistant):
    from kiosk.ui.screens.topics import ArticleListScreen, ArticleScreen

    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await press_with_keyboard(pilot, app.screen.query_one("#topic-visits"))
        assert isinstance(app.screen, ArticleListScreen)
        await press_with_keyboard(pilot, app.screen.query_one("#article-visits--booking"))
        assert isinstance(app.screen, ArticleScreen)
        await pilot.pause(0.5)  # the Markdown body has laid out
        body = app.screen.query_one("#body")
        assert body.max_scroll_y > 0, "the article is longer than the screen"
        assert body.scroll_y == 0
        assert app.focused.id == "back"
        # A See-also article opened from there starts at its top too.
        await press_with_keyboard(pilot, app.screen.query(".related Button").first())
        await pilot.pause(0.5)
        assert isinstance(app.screen, ArticleScreen) and len(app.screen_stack) == 7
        assert app.screen.query_one("#body").scroll_y == 0


# ---- 7: smaller things ----------------------------------------------------------------------


async def test_a_too_long_paste_is_shortened_and_says_so(assistant):
    from textual import events

    from kiosk import MAX_QUESTION

    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        question = app.screen.query_one("#question", Input)
        app.screen.query_one("#key-help").focus()  # a paste on a button goes to the box too
        await pilot.pause()
        app.post_message(events.Paste("visit " * 50 + "\nline two"))
        await pilot.pause()
        assert question.value == ("visit " * 50 + "line two").strip()
        last = app.screen.query(TextBubble).last()
        assert "too long" not in str(last.query_one(".text").render())
        question.value = ""
        app.post_message(events.Paste("where can i book a visit " * 40))  # 1000 characters
        await pilot.pause()
        assert len(question.value) == MAX_QUESTION
        assert question.value.startswith("where can i book a visit where")
        note = str(app.screen.query(TextBubble).last().query_one(".text").render())
        assert "too long" in note and str(MAX_QUESTION) in note


# ---- 4: arrow keys move between buttons in Topics and article lists --------------------------


@pytest.mark.slow
async def test_arrow_keys_move_between_topics_and_articles(assistant):
    from kiosk.ui.screens.topics import ArticleListScreen

    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        await pilot.press("f2")
        await pilot.pause()
        topics = list(app.screen.query("#body Button"))
        assert app.focused is topics[0]
        await pilot.press("right")
        assert app.focused is topics[1]
        await pilot.press("down")  # the grid has three columns
        assert app.focused is topics[4]
        await pilot.press("left", "up")
        assert app.focused is topics[0]
        await pilot.press("up")  # stays on the first
        assert app.focused is topics[0]
        await pilot.press("right", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleListScreen)
        articles = list(app.screen.query("#body Button"))
        assert app.focused is articles[0] and len(articles) > 2
        await pilot.press("down", "down")
        assert app.focused is articles[2]
        await pilot.press("up")
        assert app.focused is articles[1]
        for _ in articles:
            await pilot.press("down")
        assert app.focused.id == "back"  # below the last article: Back
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TopicsScreen)


async def test_the_header_names_the_kiosks_own_unit(assistant):
    from kiosk.config import KioskConfig

    for settings, name in (
        ({"unit": "remand"}, "Avdeling R"),
        ({"unit": "high"}, "Avdeling A"),
        ({"unit": "remand", "unit_name": "Unit 7"}, "Unit 7"),
    ):
        app = make_app(assistant, **settings)
        async with app.run_test(size=(80, 24)) as pilot:
            assert f"Fjordheim fengsel · {name}" in str(app.screen.query_one("#place").render())
            await pick(pilot)
            assert f"· {name}" in str(app.screen.query_one("#place").render())
    # `kiosk run --unit remand` overrides the type only: the name follows it.
    assert KioskConfig().with_overrides(unit="remand").shown_unit_name == "Avdeling R"


@pytest.mark.slow
async def test_ok_is_small_talk_with_a_way_on(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        await ask(pilot, "how do I book a visit")
        await ask(pilot, "ok")
        bubble = app.screen.query(TextBubble).last()
        assert "All right." in str(bubble.query_one(".text").render())
        assert [str(b.label) for b in bubble.query(Button)] == ["Topics"]
        assert app.unanswered_count == 0


@pytest.mark.slow
async def test_f4_changes_the_language_and_keeps_the_conversation(assistant):
    from kiosk.ui.screens.picker import LanguageScreen
    from kiosk.ui.widgets.messages import UserBubble

    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        await ask(pilot, "how do I book a visit")
        chat = app.screen
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, LanguageScreen)
        assert app.focused.id == "lang-en"  # the language in use
        await pilot.press("escape")  # Escape: back, nothing changed
        await pilot.pause()
        assert app.screen is chat and app.lang == "en"
        await pilot.press("f2", "f4")  # from Topics too
        await pilot.pause()
        await pilot.click("#lang-nb")
        await pilot.pause()
        assert app.screen is chat and app.lang == "nb" and chat.lang == "nb"
        assert [b.text for b in chat.query(UserBubble)] == ["how do I book a visit"]
        assert chat.query(AnswerBubble).last().answer.id == "visits.booking"
        question = chat.query_one("#question", Input)
        assert app.focused is question
        assert "Skriv spørsmålet ditt her" in question.placeholder
        assert "Norsk" in str(chat.query_one("#language").render())
        assert "Avslutt" in str(chat.query_one("#key-end_session").label)
        assert str(chat.query_one("#clock").render())  # the clock is there at once
        await ask(pilot, "hvordan bestiller jeg besøk")
        assert len(chat.query(UserBubble)) == 2
        assert app.screen.query(AnswerBubble).last().answer.title == "Bestille besøk"


@pytest.mark.slow
async def test_f3_continues_new_here_where_the_person_left_it(assistant):
    from kiosk.ui.screens.orientation import OrientationScreen

    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OrientationScreen) and screen.index == 0
        for _ in range(2):
            await pilot.pause(0.4)  # past the double-tap guard
            await pilot.click("#next")
            await pilot.pause()
        assert screen.index == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, OrientationScreen) and app.screen.index == 2
        assert "Step 3 of" in str(app.screen.query_one("#step").render())
        await pilot.press("f3")  # once is enough: no second copy on top
        await pilot.pause()
        assert sum(isinstance(s, OrientationScreen) for s in app.screen_stack) == 1
        # A new session starts at the first step.
        from tests.ui_helpers import end_session

        await end_session(pilot)
        await pick(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen.index == 0


# ---- 6: small screens and wide screens --------------------------------------------------------


@pytest.mark.slow
async def test_notices_take_one_line_with_a_visible_more_at_80x24(assistant):
    import datetime as dt

    app = make_app(assistant)
    app.now = lambda: dt.datetime(2026, 12, 5, 10, 0)  # the gym and Christmas notices
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot)
        banner = app.screen.query_one("NoticesBanner")
        text = banner.query_one(".text")
        more = banner.query_one(".more", Button)
        assert banner.count == 2
        assert text.region.height == 1 and banner.region.height == 1
        assert more.display and more.region.width > 0 and str(more.label) == "Read more"
        await pilot.click(more)
        await pilot.pause()
        assert text.region.height >= 4  # both notices, whole
        assert "Christmas visits" in str(text.render())
        assert str(more.label) == "Show less"
        await pilot.pause(0.6)  # not a double click
        await pilot.click(more)
        await pilot.pause()
        assert text.region.height == 1
    # One short notice that fits the line needs no "more".
    async with make_app(assistant).run_test(size=(160, 40)) as pilot:
        await pick(pilot)
        assert not pilot.app.screen.query_one("NoticesBanner .more").display


@pytest.mark.slow
async def test_reading_width_is_capped_on_a_wide_screen(assistant):
    from kiosk.ui.screens.topics import ArticleScreen

    app = make_app(assistant)
    async with app.run_test(size=(160, 40)) as pilot:
        await pick(pilot)
        await ask(pilot, "how do I book a visit")
        bubble = app.screen.query(AnswerBubble).last()
        summary = bubble.query_one(".summary")
        assert 70 <= summary.content_region.width <= 90
        app.show_article("visits.booking")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ArticleScreen)
        title = app.screen.query_one("ArticleView .title")
        assert 70 <= title.content_region.width <= 90


# ---- 5: Arabic with rtl: reorder ---------------------------------------------------------------

QUESTION_AR = "كيف أحجز زيارة"


@pytest.mark.slow
async def test_arabic_in_the_question_box_is_shaped_and_in_reading_order(assistant):
    from kiosk.ui import bidi

    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "ar")
        question = app.screen.query_one("#question", Input)
        await pilot.press(*QUESTION_AR)  # typed, letter by letter
        assert question.value == QUESTION_AR  # what is asked is unchanged
        shown = question.render_line(0).text
        assert shown.strip() == bidi.visual_line(QUESTION_AR)  # shaped and reordered
        assert any("\ufe70" <= ch <= "\ufeff" for ch in shown)  # joined letter forms
        first_word = bidi.visual_line(QUESTION_AR.split()[0])
        assert shown.rstrip().endswith(first_word)  # the first word at the right
        # The cursor, at the end of the question, is at the left of the text.
        cursor = shown.index(bidi.visual_line(QUESTION_AR)) - 1
        assert shown[cursor] == " " and shown[:cursor].strip() == ""
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query(AnswerBubble).last().answer.id == "visits.booking"


async def test_a_wrapped_arabic_button_label_keeps_its_word_order(assistant):
    from kiosk.ui import bidi
    from kiosk.ui.actions import AskQuestion

    label = "كيف أحجز زيارة لأطفالي في عطلة نهاية الأسبوع القادم"
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "ar")
        button = ActionButton(label, AskQuestion(label), compact=False)
        button.styles.width = 24
        await app.screen.query_one("#log").mount(button)
        await pilot.pause()
        lines = str(button.render()).split("\n")
        width = button.content_region.width
        assert len(lines) > 1 and button.content_region.height == len(lines)
        assert lines == bidi.visual_lines(label, width)
        assert lines[0].endswith(bidi.visual_line("كيف"))  # the first word: first line, right


def feedback_row(row) -> tuple:
    """ "Did this help?", Yes and No, whatever their order on screen."""
    buttons = {b.does.helpful: b for b in row.query(ActionButton)}
    return row.query_one(".label"), buttons[True], buttons[False]


@pytest.mark.slow
async def test_button_rows_run_right_to_left_on_an_arabic_screen(assistant):
    app = make_app(assistant)
    async with app.run_test(size=(120, 40)) as pilot:
        await pick(pilot, "ar")
        await ask(pilot, QUESTION_AR)
        bubble = app.screen.query(AnswerBubble).last()
        feedback = bubble.query_one(".feedback")
        label, yes, no = feedback_row(feedback)
        assert feedback.has_class("-rtl")
        assert label.region.x > yes.region.x > no.region.x  # "Did this help?" at the right
        read_more = bubble.query_one(".read-more")
        row = read_more.parent
        assert read_more.region.right >= row.content_region.right - 1  # Read more: right
        related = list(bubble.query(".related Button"))
        ids = [b.does.article_id for b in related]
        first = related[ids.index(bubble.answer.related[0][0])]
        assert first.region.x == max(b.region.x for b in related if b.region.y == first.region.y)
        assert first.region.y == min(b.region.y for b in related)
    # An English screen keeps its rows left to right.
    app = make_app(assistant)
    async with app.run_test(size=(120, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        feedback = app.screen.query(AnswerBubble).last().query_one(".feedback")
        label, yes, no = feedback_row(feedback)
        assert label.region.x < yes.region.x < no.region.x


async def test_see_also_offers_what_the_question_may_also_mean_first(assistant):
    """Under an answer: the search's next answers for this question, then the article's
    related ones; one tap to the kiosk's language keeps the same buttons, translated."""
    app = make_app(assistant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "nb")
        await ask(pilot, "what can i bring when i arrive")
        bubble = app.screen.query(AnswerBubble).last()
        reply = bubble.reply
        # Answered with the rules of a visit; "What to bring" is the search's next answer.
        assert reply.top.id == "visits.rules" and bubble.also == reply.see_also
        assert reply.see_also[0][0] == "orientation.bring"
        assert "orientation.bring" not in {rid for rid, _t in reply.top.related}
        labels = [str(b.label) for b in bubble.query(".related Button")]
        assert labels == [title for _rid, title in reply.see_also]
        await pilot.click(".switch-language")
        await pilot.pause()
        switched = app.screen.query(AnswerBubble).last()
        assert [rid for rid, _t in switched.also] == [rid for rid, _t in bubble.also]
        titles = [title for _rid, title in switched.also]
        assert titles == [assistant.answer(rid, "nb").title for rid, _t in switched.also]
