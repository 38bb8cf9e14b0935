"""Read aloud: every language has a voice; the UI button speaks and stops, never blocks."""

from __future__ import annotations

import os
import shutil
import wave

import pytest
from textual.widgets import Button

from kiosk import LANGUAGES
from kiosk.speech import Speaker, speakable
from kiosk.ui.widgets.messages import AnswerBubble
from tests.ui_helpers import ask, end_session, make_app, pick

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None and not os.environ.get("CI"),
    reason="espeak-ng is not installed",
)


@needs_espeak
@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_is_spoken_to_a_file(assistant, lang, tmp_path):
    answer = assistant.answer("visits.booking", lang)
    assert answer.lang == lang
    wav = tmp_path / f"{lang}.wav"
    Speaker().synthesize(speakable(answer.title, answer.summary), lang, wav)
    with wave.open(str(wav)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert seconds > 2.0, f"{lang}: only {seconds:.1f} s of speech"


def test_markdown_marks_are_not_read_out():
    assert speakable("Title", "**Bold** text\n- item\n2. step") == "Title\nBold text\nitem\nstep"


class FakeSpeaker(Speaker):
    def __init__(self) -> None:
        super().__init__(binary="espeak-ng")
        self.said: list[tuple[str, str]] = []
        self.stopped = 0
        self._on = False

    @property
    def speaking(self) -> bool:
        return self._on

    def speak(self, text: str, lang: str) -> None:
        self.said.append((text, lang))
        self._on = True

    def stop(self) -> None:
        self.stopped += 1
        self._on = False


@pytest.mark.slow
async def test_read_aloud_button_speaks_and_stops(assistant):
    speaker = FakeSpeaker()
    app = make_app(assistant, speaker=speaker)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "pl")
        await ask(pilot, "jak umówić widzenie")
        bubble = app.screen.query(AnswerBubble).last()
        button = bubble.query_one(".speak", Button)
        await pilot.click(button)
        await pilot.pause()
        text, lang = speaker.said[-1]
        assert lang == bubble.answer.lang == "pl"
        assert bubble.answer.title in text and "**" not in text
        assert str(button.label) != "Read aloud"
        await pilot.pause(0.3)
        await pilot.click(button)
        await pilot.pause()
        assert not speaker.speaking
        await pilot.click(button)
        await pilot.pause()
        await end_session(pilot)  # ending the session silences the kiosk
        assert not speaker.speaking


async def test_no_button_without_espeak(assistant):
    app = make_app(assistant, speaker=Speaker(binary=""))
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        assert not app.screen.query(".speak")


@pytest.mark.slow
async def test_an_i_dont_know_and_its_pages_can_be_heard(assistant):
    # A person who reads little hears that there is no answer and which pages to try.
    speaker = FakeSpeaker()
    app = make_app(assistant, speaker=speaker)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "Can my loved ones visit me in prison?")
        await pilot.click(".no-match .speak")
        await pilot.pause()
    text, lang = speaker.said[-1]
    assert lang == "en" and text.startswith("Sorry, I don't know the answer to that.")
    assert "These pages may help:\nBooking a visit\n" in text
