"""Broken content is not silent (issue 15, point 9): `ask` and `eval` say in one stderr line
how many errors and which files were left out, and still answer from the rest; the staff
preview shows the same line as a banner; a kiosk shows people nothing of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main

# Five: the bad indent, the unknown key, and the 'related' of clothes and hygiene naming the
# lost laundry article (those two are left out as well).
EXPECTED = (
    "kiosk: content has 5 errors, left out: {laundry}, {room}, {clothes}, {hygiene}; "
    "run kiosk check\n"
)


def break_content(content: Path) -> dict[str, str]:
    """A bad indent in the laundry article (the whole file is lost) and an unknown key
    ('keyword:', a typo for 'keywords:') in the room article."""
    laundry = content / "articles/daily/laundry.yaml"
    text = laundry.read_text(encoding="utf-8")
    laundry.write_text(text.replace("\n    title: Klesvask", "\n   title: Klesvask", 1), "utf-8")
    room = content / "articles/daily/room.yaml"
    text = room.read_text(encoding="utf-8")
    room.write_text(text.replace("\nrelated:", "\nkeyword: [tv]\nrelated:", 1), "utf-8")
    daily = content / "articles/daily"
    return {
        "laundry": str(laundry),
        "room": str(room),
        "clothes": str(daily / "clothes.yaml"),
        "hygiene": str(daily / "hygiene.yaml"),
    }


@pytest.fixture
def broken(content_copy: Path) -> tuple[Path, dict[str, str]]:
    return content_copy, break_content(content_copy)


@pytest.mark.slow
def test_ask_says_the_content_has_errors_and_still_answers(broken, capsys):
    content, files = broken
    code = main(["ask", "how do I book a visit", "--content", str(content), "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["answers"][0]["id"] == "visits.booking"
    assert err == EXPECTED.format(**files)


def test_eval_says_the_content_has_errors_and_still_scores(broken, capsys, tmp_path):
    content, files = broken
    cases = tmp_path / "cases.yaml"
    cases.write_text("- {q: how do I book a visit, ui: en, expect: [visits.booking]}\n")
    code = main(["eval", str(cases), "--content", str(content), "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["results"][0]["ok"] is True
    assert err == EXPECTED.format(**files)


def test_sound_content_says_nothing(capsys):
    assert main(["ask", "how do I book a visit", "--json"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.slow
@pytest.mark.parametrize("staff", [True, False])
async def test_staff_preview_shows_the_errors_a_kiosk_does_not(broken, tmp_path, staff):
    from kiosk.assistant import Assistant
    from kiosk.config import KioskConfig
    from tests.ui_helpers import make_app, pick, screen_text

    content, files = broken
    assistant = Assistant(KioskConfig(content=content))
    try:
        app = make_app(assistant, content=content, kiosk_mode=not staff)
        async with app.run_test(size=(200, 30)) as pilot:
            await pick(pilot)
            text = screen_text(app)
            line = EXPECTED.format(**files).removeprefix("kiosk: ").strip()
            if staff:
                assert line in text
            else:
                assert "content has" not in text and "kiosk check" not in text
    finally:
        assistant.close()
