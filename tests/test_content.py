"""Loading and checking content: the sample is clean; damage is reported with file:line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kiosk import LANGUAGES
from kiosk.check import check_content
from kiosk.cli import main
from kiosk.content.load import load_rulebook
from tests.conftest import RULEBOOK

REQUIRED_IDS = """canteen.ordering canteen.spending-limit canteen.money visits.booking
visits.approval visits.children visits.rules visits.remand phone.calls mail.letters-parcels
healthcare.appointment healthcare.emergency healthcare.dental healthcare.mental-health
healthcare.addiction healthcare.medication education.enrolment education.courses
education.exams work.assignments complaints.how-to complaints.appeal complaints.health
complaints.staff daily.routine daily.room daily.food daily.faith daily.laundry rights.lawyer
release.progression security.levels orientation.first-days""".split()  # noqa: SIM905


@pytest.mark.slow
def test_sample_content_is_clean_and_complete_in_nb_and_en(capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "0 errors" in out
    report = check_content(Path("content"))
    assert report.ok, [str(p) for p in report.errors]
    articles = report.rulebook.articles
    assert set(REQUIRED_IDS) <= set(articles)
    for article in articles.values():
        for lang in ("nb", "en"):
            tr = article.translations[lang]
            assert tr.title and tr.summary and tr.body
            assert len(tr.questions) >= 4
    assert articles["visits.remand"].units == ("remand",)
    assert all(len(report.rulebook.synonyms[lang]) >= 10 for lang in ("nb", "en"))
    assert report.rulebook.notices
    assert set(report.rulebook.orientation) == {"high", "low", "open", "remand"}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_damaged_copy_lists_every_problem_with_file_and_line(content_copy, capsys):
    booking = content_copy / "articles/visits/booking.yaml"
    text = booking.read_text()
    text = text.replace("related: [visits.approval,", "related: [visits.nowhere,")
    text = text.replace("units: [high, low, open]", "units: [high, lowe, open]")
    text += "location: x\n"
    text = text.replace("reviewed: 2026-10-01", "reviewed: 2026-13-45")
    booking.write_text(text)
    _write(content_copy / "articles/visits/broken.yaml", "id: visits.broken\n\tbad: tab\n")
    lawyer = content_copy / "articles/rights/lawyer.yaml"
    lawyer.write_text(lawyer.read_text().replace("id: rights.lawyer", "id: rights.counsel"))

    assert main(["check", "--content", str(content_copy)]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()

    def line_of(fragment: str) -> str:
        found = [x for x in lines if fragment in x]
        assert found, f"no problem mentions {fragment!r}:\n{out}"
        return found[0]

    assert "booking.yaml:5:" in line_of("unknown article 'visits.nowhere'")
    assert "booking.yaml:3:" in line_of("unknown unit type 'lowe'")
    assert "booking.yaml:4:" in line_of("YYYY-MM-DD")
    assert "booking.yaml:" in line_of("unknown key 'location'")
    assert "broken.yaml:2:1:" in line_of("YAML syntax error")
    assert "tabs" in line_of("YAML syntax error")
    assert "lawyer.yaml:1:" in line_of("does not match the file's place")


def test_the_fixture_rulebook_is_clean_in_every_language():
    """The tiny rulebook that other tests damage is sound to begin with."""
    report = check_content(RULEBOOK, today=dt.date(2026, 11, 24))
    assert [str(p) for p in report.problems] == []
    assert report.coverage == dict.fromkeys(LANGUAGES, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty"),
        ("id: [unclosed\n", "YAML syntax error"),
        ("a: &x [1]\nb: *x\n", "aliases"),
        ("!!python/object/apply:os.system ['echo hacked > /tmp/kiosk-hacked']\n", "not allowed"),
        ("id: a\nid: b\n", "appears twice"),
        ("- just\n- a list\n", "must be a mapping"),
        ("id: visits.bad\ntopic: visits\ntranslations:\n  en: 7\n", "must be a mapping"),
    ],
)
def test_hostile_or_broken_yaml_is_reported_not_run(rulebook_copy, text, expected):
    bad = rulebook_copy / "articles/visits/bad.yaml"
    _write(bad, text)
    report = check_content(rulebook_copy)
    mine = [str(p) for p in report.errors if "bad.yaml" in p.path]
    assert mine and any(expected in m for m in mine), mine
    assert not Path("/tmp/kiosk-hacked").exists()
    # The rest of the rulebook still loads: one bad file takes nothing else away.
    assert "visits.booking" in report.rulebook.articles


def test_not_utf8_gives_line_and_column(rulebook_copy):
    bad = rulebook_copy / "articles/visits/latin1.yaml"
    bad.write_bytes("id: visits.latin1\ntopic: visits\n# bes\xf8k\n".encode("latin-1"))
    problems = [str(p) for p in check_content(rulebook_copy).errors if "latin1" in p.path]
    assert any(":3:6:" in p and "UTF-8" in p for p in problems), problems


@pytest.mark.slow
def test_markup_links_and_control_characters_in_text_are_flagged(content_copy):
    path = content_copy / "articles/visits/booking.yaml"
    text = path.read_text()
    text = text.replace("title: Booking a visit", "title: Booking [@click=app.quit]a visit")
    text = text.replace(
        "**How to book a visit**", "**How to book a visit** see https://example.org"
    )
    text = text.replace("Are children coming?", "Are children \x07coming?")
    path.write_text(text)
    report = check_content(content_copy)
    problems = [str(p) for p in report.errors]
    assert any("square brackets" in p and "booking.yaml:" in p for p in problems), problems
    assert any("links are not allowed" in p for p in problems), problems
    assert any("control character (U+0007)" in p for p in problems), problems
    # Loaded text is cleaned of the control character even before it is fixed.
    en = report.rulebook.articles["visits.booking"].translations["en"]
    assert "\x07" not in en.body


@pytest.mark.slow
def test_body_problem_line_points_inside_a_literal_block(content_copy):
    path = content_copy / "articles/visits/booking.yaml"
    lines = path.read_text().splitlines()
    english = lines.index("  en:")  # the English body: its summary names the days too
    body = next(i for i, line in enumerate(lines) if line.strip() == "body: |" and i > english)
    target = next(i for i in range(body, len(lines)) if "Tuesday and Thursday" in lines[i])
    lines[target] += " <b>bold</b>"
    path.write_text("\n".join(lines) + "\n")
    problems = [str(p) for p in check_content(content_copy).errors]
    assert any(f"booking.yaml:{target + 1}:" in p and "HTML" in p for p in problems), problems


def test_missing_translation_and_too_few_questions(rulebook_copy):
    path = rulebook_copy / "articles/daily/laundry.yaml"
    data = path.read_text()
    cut = data.index("\n  en:")
    path.write_text(data[:cut] + "\n")
    booking = rulebook_copy / "articles/visits/booking.yaml"
    text = booking.read_text()
    start = text.index("    questions:", text.index("\n  en:"))
    end = text.index("    keywords:", start)
    booking.write_text(text[:start] + "    questions: [visits]\n" + text[end:])
    report = check_content(rulebook_copy)
    problems = [str(p) for p in report.errors]
    assert any("laundry.yaml" in p and "missing translation: en" in p for p in problems)
    assert any("booking.yaml" in p and "1 questions; write at least 4" in p for p in problems)
    assert report.coverage["en"] == len(report.rulebook.articles) - 1


def test_check_json_for_machines(rulebook_copy, capsys):
    (rulebook_copy / "articles/visits/booking.yaml").write_text("id: [\n")
    assert main(["check", "--json", "--content", str(rulebook_copy)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    problem = report["problems"][0]
    assert problem["path"].endswith("booking.yaml") and problem["line"] == 2
    assert set(problem) == {"path", "line", "column", "severity", "message"}


def test_duplicate_article_ids_name_both_files(rulebook_copy):
    booking = rulebook_copy / "articles/visits/booking.yaml"
    (rulebook_copy / "articles/visits/booking.yml").write_text(booking.read_text())
    (rulebook_copy / "articles/visits/copy.yaml").write_text(booking.read_text())
    _, problems = load_rulebook(rulebook_copy)
    texts = [str(p) for p in problems]
    assert any("booking.yml:1:" in t and "already used by" in t for t in texts), texts
    assert any("copy.yaml:1:" in t and "expected 'visits.copy'" in t for t in texts), texts


@pytest.mark.slow
def test_placeholders_are_formatted_for_each_language(content_copy):
    report = check_content(content_copy)
    limit = report.rulebook.articles["canteen.spending-limit"]
    assert "NOK\u00a0900 a week" in limit.translations["en"].summary  # no-break space
    assert "900\u00a0kr i uka" in limit.translations["nb"].summary
    gym = next(n for n in report.rulebook.notices if n.id == "gym-closed-december")
    assert "10 January 2027" in gym.texts["en"] and "10. januar 2027" in gym.texts["nb"]
    assert "10 stycznia 2027" in gym.texts["pl"]


@pytest.mark.slow
@pytest.mark.parametrize("bad", ["nine hundred", "inf", "nan", "-infinity", "1e300"])
def test_bad_placeholder_is_reported_with_its_line(content_copy, bad):
    """Not a number, or a float that is not one (inf, nan) or cannot be an amount."""
    path = content_copy / "articles/canteen/spending-limit.yaml"
    path.write_text(path.read_text().replace("{nok:900} a week", f"{{nok:{bad}}} a week"))
    lines = path.read_text().splitlines()
    at = next(i for i, text in enumerate(lines) if f"{{nok:{bad}}}" in text)
    line = max(i for i in range(at + 1) if "summary:" in lines[i]) + 1  # the field's line
    problems = [str(p) for p in check_content(content_copy).errors]
    assert any(
        f"spending-limit.yaml:{line}:" in p and f"{{nok:{bad}}} is not valid" in p for p in problems
    ), problems


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("body", "|\n" + "      para\n\n" * 30_000, "'en' body has 59999 lines, at most 400"),
        ("body", "|\n      " + "word " * 5_000 + "\n", "'en' body is 24999 characters long"),
        ("summary", "'" + "word " * 300 + "'", "summary is 1499 characters long, at most 1000"),
    ],
)
def test_an_article_over_the_size_limits_is_an_error_at_its_line(
    rulebook_copy, field, value, expected
):
    """A 560 KB article of 30,000 short paragraphs passed check, then took the kiosk 39 s
    and 1.5 GB to show; the loader also keeps only what fits, for unchecked content."""
    from kiosk.content import load

    path = rulebook_copy / "articles/visits/booking.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index("  en:")
    at = next(i for i in range(start, len(lines)) if lines[i].startswith(f"    {field}:"))
    end = next(i for i in range(at + 1, len(lines)) if lines[i][:6].strip())  # next key
    lines[at:end] = [f"    {field}: {value}"]
    path.write_text("\n".join(lines), encoding="utf-8")
    report = check_content(rulebook_copy)
    problems = [str(p) for p in report.errors]
    assert any(f"booking.yaml:{at + 1}:" in p and expected in p for p in problems), problems
    text = getattr(report.rulebook.articles["visits.booking"].translations["en"], field)
    assert len(text) <= load.MAX_BODY_CHARS and text.count("\n") < load.MAX_BODY_LINES


def test_coverage_table_marks_each_missing_translation(rulebook_copy, capsys):
    path = rulebook_copy / "articles/daily/laundry.yaml"
    text = path.read_text()
    start = text.index("\n  pl:")
    end = text.index("\n  lt:")
    path.write_text(text[:start] + text[end:])
    assert main(["check", "--content", str(rulebook_copy)]) == 1
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("article "))
    row = next(line for line in out.splitlines() if line.startswith("daily.laundry "))
    cells = dict(zip(header.split()[1:], row.split()[1:], strict=True))
    assert cells == {"nb": "ok", "en": "ok", "pl": "--", "lt": "ok", "ro": "ok", "ar": "ok"}
    assert "missing translation: pl" in out


FULL_BABEL = """
import datetime as dt, json, sys
from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal
out = {}
for lang in sys.argv[1:]:
    loc = {"en": "en_GB"}.get(lang, lang)
    out[lang] = [
        Locale.parse(lang).get_display_name(lang),
        Locale.parse(lang).character_order,
        format_date(dt.date(2026, 12, 6), format="long", locale=loc),
        format_time(dt.time(21, 5), format="short", locale=loc),
        format_currency(12.5, "NOK", locale=loc, currency_digits=False),
        format_decimal(3000, locale=loc),
    ]
print(json.dumps(out))
"""


def test_lean_locale_data_formats_as_all_of_babel_does():
    """The kiosk drops the CLDR sections it never reads (kiosk.formats.UNUSED_LOCALE_DATA,
    6.5 MB of the UI's memory): dates, times, amounts and language names come out as
    Babel writes them with all of its data, read in a process without the kiosk."""
    import datetime as dt
    import json
    import subprocess
    import sys

    from babel import localedata
    from babel.numbers import format_currency, format_decimal

    from kiosk.formats import UNUSED_LOCALE_DATA, format_locale
    from kiosk.i18n import Translator, language_name

    langs = ["nb", "en", "pl", "lt", "ro", "ar", "uk"]
    full = subprocess.run(
        [sys.executable, "-c", FULL_BABEL, *langs], capture_output=True, text=True, check=True
    )
    lean = {}
    for lang in langs:
        loc = format_locale(lang)
        lean[lang] = [
            language_name(lang, capitalised=False),
            "right-to-left" if Translator(lang).right_to_left else "left-to-right",
            Translator(lang).date(dt.date(2026, 12, 6)),
            Translator(lang).time(dt.time(21, 5)),
            format_currency(12.5, "NOK", locale=loc, currency_digits=False),
            format_decimal(3000, locale=loc),
        ]
    assert lean == json.loads(full.stdout)
    assert not UNUSED_LOCALE_DATA & set(localedata.load("nb")), "the unused data is kept"
