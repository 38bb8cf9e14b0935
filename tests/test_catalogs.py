"""UI catalogs: complete in every language, plural forms right, template up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from kiosk import LANGUAGES
from kiosk.i18n import Translator

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def catalog(lang: str):
    with open(LOCALES / lang / "LC_MESSAGES" / "kiosk.po", "rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_is_translated_and_not_fuzzy(lang):
    cat = catalog(lang)
    problems = []
    for message in cat:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated or fuzzy: {message.id!r}")
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            if s and set(PLACEHOLDER.findall(s)) != wanted:
                problems.append(f"placeholders differ: {message.id!r} -> {s!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_plural_forms_match_the_language(lang):
    cat = catalog(lang)
    # gettext's plural rules as Babel knows them (from CLDR): ar 6, pl/lt/ro 3, nb 2.
    assert cat.num_plurals == get_plural(lang).num_plurals
    for message in cat:
        if isinstance(message.id, tuple):
            assert len(message.string) == cat.num_plurals, message.id


def test_arabic_uses_six_plural_forms():
    tr = Translator("ar")
    numbers = (0, 1, 2, 5, 11, 100)
    forms = [tr._t.plural(n) for n in numbers]  # which msgstr[i] gettext picks
    assert sorted(forms) == [0, 1, 2, 3, 4, 5]  # zero, one, two, few, many, other
    for n in numbers:
        assert str(n) in tr.ngettext("Clearing in {n} second", "Clearing in {n} seconds", n).format(
            n=n
        )


def test_catalogs_load_without_a_compile_step():
    assert not list(LOCALES.rglob("*.mo"))
    assert Translator("nb").gettext("Back") == "Tilbake"
    assert Translator("pl").gettext("Back") != "Back"
    assert Translator("en").gettext("Back") == "Back"


def test_template_is_up_to_date():
    method_map = [("kiosk/**.py", "python")]
    extracted = {
        (msg if isinstance(msg, str) else msg[0])
        for _file, _line, msg, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map
        )
    }
    with open(LOCALES / "kiosk.pot", "rb") as fh:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert extracted == template, (
        "locales/kiosk.pot is stale: run the pybabel extract and update commands in the README"
    )


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalog_matches_the_template(lang):
    with open(LOCALES / "kiosk.pot", "rb") as fh:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(lang) if m.id}
    assert ids == template, f"run pybabel update for {lang}"
