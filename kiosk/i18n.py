"""UI language: gettext catalogs (Babel), native language names, dates and numbers.

Catalogs are the ``.po`` files in ``locales/<lang>/LC_MESSAGES/kiosk.po``, compiled in
memory on first use, so staff never need a compile step. English is the source language.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
import io
import logging
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.config import BUNDLED_LOCALES
from kiosk.formats import format_locale

log = logging.getLogger(__name__)
DOMAIN = "kiosk"


@functools.cache
def translations(lang: str, locales: Path = BUNDLED_LOCALES) -> _gettext.NullTranslations:
    """The compiled catalog for ``lang`` (English source strings when there is none)."""
    po = locales / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not po.is_file():
        return _gettext.NullTranslations()
    try:
        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=lang, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        return _gettext.GNUTranslations(buffer)
    except Exception:  # a broken catalog must not stop the kiosk: fall back to English
        log.exception("cannot load the %s catalog", lang)
        return _gettext.NullTranslations()


class Translator:
    """Translation functions for one UI language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._t = translations(lang)

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    @property
    def locale(self) -> str:
        return format_locale(self.lang)

    @property
    def right_to_left(self) -> bool:
        """Whether the language is written right to left (Arabic): rows of buttons then
        start at the right."""
        try:
            return Locale.parse(self.lang).character_order == "right-to-left"
        except (ValueError, LookupError):
            return False

    def date(self, day: dt.date, format: str = "long") -> str:
        return format_date(day, format=format, locale=self.locale)

    def time(self, moment: dt.datetime | dt.time, format: str = "short") -> str:
        return format_time(moment, format=format, locale=self.locale)


def language_name(lang: str, capitalised: bool = True) -> str:
    """The language's own name for itself: "Norsk bokmål", "Polski" (or "norsk bokmål")."""
    try:
        name = Locale.parse(lang).get_display_name(lang) or lang
    except (ValueError, LookupError):
        return lang
    return name[:1].upper() + name[1:] if capitalised else name


# A module-level translator for the running UI (one person at a time per kiosk).
_current = Translator("en")


def set_language(lang: str) -> Translator:
    """Make ``lang`` the UI language; returns its translator."""
    global _current
    _current = Translator(lang)
    return _current


def current() -> Translator:
    return _current


def _(message: str) -> str:
    """The current UI language's translation of ``message``."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)
