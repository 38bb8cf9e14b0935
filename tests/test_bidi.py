"""Right-to-left display: shaped, reordered per line, numbers whole, brackets mirrored."""

from __future__ import annotations

import arabic_reshaper
import pytest

from kiosk.ui import bidi

SENTENCE = "اتصل بمكتب الزيارات (besøkskontoret) على الرقم 55 12 34 00 قبل الزيارة."


@pytest.fixture(autouse=True)
def reorder_mode():
    bidi.set_mode("reorder")
    yield
    bidi.set_mode("reorder")


def test_first_word_is_shown_at_the_right():
    line = bidi.visual_line("زيارة العائلة")
    first = arabic_reshaper.reshape("زيارة")
    assert line.endswith(first[::-1])


def test_numbers_stay_whole_and_in_order():
    lines = bidi.visual_lines(SENTENCE, 30)
    joined = "\n".join(lines)
    assert "55\u00a012\u00a034\u00a000" in joined  # never "00 34 12 55", never split


def test_brackets_around_latin_text_are_mirrored_correctly():
    line = bidi.visual_line(SENTENCE)
    assert "(besøkskontoret)" in line  # not ")besøkskontoret("


def test_lines_fit_the_width_and_keep_every_word():
    lines = bidi.visual_lines(SENTENCE, 24)
    assert len(lines) > 2 and all(len(line) <= 24 for line in lines)
    words_in = len(SENTENCE.replace("55 12 34 00", "number").split())
    assert sum(len(line.split(" ")) for line in lines) == words_in  # NBSP joins the number


def test_letters_are_joined_into_their_shaped_forms():
    line = bidi.visual_line("العربية")
    assert all("\ufe70" <= ch <= "\ufeff" for ch in line)  # presentation forms


def test_terminal_mode_passes_logical_text_through():
    bidi.set_mode("terminal")
    assert bidi.visual_line(SENTENCE) == SENTENCE


def test_left_to_right_text_is_untouched():
    assert bidi.visual_line("Booking a visit (NOK 900)") == "Booking a visit (NOK 900)"
    assert bidi.visual_lines("Booking a visit today", 10) == ["Booking a", "visit", "today"]
