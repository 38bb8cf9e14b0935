"""The README says what staff need (issue 15, point 11), and nothing outside the repository."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from kiosk.config import _KEYS, KioskConfig

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_kiosk_yaml_key_is_documented_with_its_default():
    rows = dict(re.findall(r"(?m)^\| `(\w+)` \| (.+?) \|", README))
    assert set(rows) == set(_KEYS)
    fields = {f.name: f.default for f in dataclasses.fields(KioskConfig)}
    for key in ("facility", "unit", "idle_timeout", "idle_warning", "rtl", "theme"):
        default = fields[key]
        shown = f"{default:g}" if isinstance(default, float) else str(default)
        assert f"`{shown}`" in rows[key], key
    assert "`true`" in rows["kiosk_mode"] and "`false`" in rows["unanswered_log"]


def test_staff_commands_are_listed():
    assert "kiosk run --staff" in README
    assert "kiosk report [--config F]" in README
    assert re.search(r"`kiosk\s+report` reads the `unanswered_log` setting", README)


def test_no_link_leaves_the_repository():
    assert "../" not in README
