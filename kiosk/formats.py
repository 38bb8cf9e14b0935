"""Dates, times, numbers and NOK amounts formatted with Babel for a language.

Also the content placeholders that use them: {nok:900}, {date:2026-12-14},
{time:09:00}, {number:3000}, filled in for the language of the text they stand in.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from babel import Locale, localedata
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal

UNUSED_LOCALE_DATA = frozenset(
    {
        "compact_currency_formats",
        "compact_decimal_formats",
        "compound_unit_patterns",
        "currency_unit_patterns",
        "date_fields",
        "datetime_skeletons",
        "interval_formats",
        "meta_zones",
        "scripts",
        "time_zones",
        "unit_display_names",
        "unit_patterns",
        "variants",
    }
)
"""Sections of Babel's CLDR data that the kiosk never reads: units, time zones, relative
dates, intervals, compact numbers, script names. The kiosk formats dates, times, numbers
and NOK amounts and names languages, in every language a person picks; each locale's data
is read whole, and these sections are most of it. Dropped as a locale is read, the UI is
6.5 MB smaller after 20 questions (142.0 against 148.5 MB, benchmarks/ui_memory.py's run,
both measured in one run)."""


def _lean(load: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Babel's ``localedata.load``, dropping UNUSED_LOCALE_DATA from what it keeps."""

    @functools.wraps(load)
    def lean_load(name: Any, merge_inherited: bool = True) -> dict[str, Any]:
        data = load(name, merge_inherited)
        for section in UNUSED_LOCALE_DATA.intersection(data):
            del data[section]
        return data

    lean_load.kiosk_lean = True  # type: ignore[attr-defined]
    return lean_load


# Babel reads a locale's parents through the module's ``load`` too, so they are lean as well.
if not getattr(localedata.load, "kiosk_lean", False):
    localedata.load = _lean(localedata.load)

# English on a Norwegian kiosk writes dates and times the British way (1 October 2026,
# 15:30), not the American way.
_FORMAT_LOCALE = {"en": "en_GB"}


_BIDI_MARKS = dict.fromkeys([0x200E, 0x200F, 0x061C])


def format_locale(lang: str) -> str:
    """The Babel locale whose formats a language uses."""
    return _FORMAT_LOCALE.get(lang, lang)


def format_money(amount: float, locale: str, currency: str = "NOK") -> str:
    """``amount`` in ``currency`` for ``locale`` ("900 kr", "NOK 900", "900 NOK")."""
    pattern = None
    if amount == int(amount):
        standard = Locale.parse(locale).currency_formats["standard"].pattern
        pattern = re.sub(r"0[.,]0+", "0", standard)
    text = format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)
    # "NOK900" reads as one word: keep a (no-break) space after a letter code.
    return re.sub(r"^([A-Z]{3})(?=\d)", "\\1\u00a0", text)


PLACEHOLDER = re.compile(r"\{(nok|date|time|number):([^{}]*)\}")
"""Content placeholders, formatted for the text's language: {nok:900}, {date:2026-12-14},
{time:09:00}, {number:3000}."""


MAX_NUMBER = 1e12
"""Largest amount or number a placeholder may hold: anything above is a typing mistake,
and Python reads 'inf' and 'nan' as floats that Babel cannot format."""


def placeholder_error(kind: str, value: str) -> str | None:
    """Why a placeholder's value is not valid, or None."""
    value = value.strip()
    try:
        if kind in ("nok", "number"):
            if not abs(float(value)) <= MAX_NUMBER:  # also false for nan
                raise ValueError(value)
        elif kind == "date":
            dt.date.fromisoformat(value)
        elif kind == "time":
            dt.time.fromisoformat(value)
    except ValueError:
        examples = {"nok": "900", "number": "3000", "date": "2026-12-14", "time": "09:00"}
        return f"{{{kind}:{value}}} is not valid (write it like {{{kind}:{examples[kind]}}})"
    return None


def fill_placeholders(text: str, lang: str) -> str:
    """``text`` with its placeholders formatted for ``lang``; invalid ones left as written."""
    if "{" not in text:
        return text
    locale = format_locale(lang)

    def one(match: re.Match) -> str:
        kind, value = match.group(1), match.group(2).strip()
        if placeholder_error(kind, value):
            return match.group(0)
        if kind == "nok":
            return format_money(float(value), locale)
        if kind == "number":
            number = float(value)
            return format_decimal(int(number) if number.is_integer() else number, locale=locale)
        if kind == "date":
            return format_date(dt.date.fromisoformat(value), format="long", locale=locale)
        return format_time(dt.time.fromisoformat(value), format="short", locale=locale)

    # Babel marks Arabic numbers with bidi control characters; the display adds its own.
    return PLACEHOLDER.sub(one, text).translate(_BIDI_MARKS)
