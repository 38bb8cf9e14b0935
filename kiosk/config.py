"""kiosk.yaml -> KioskConfig.

Settings come in layers, later ones winning: the defaults below (they serve the bundled
sample content), then kiosk.yaml (given with ``--config``, or ``$KIOSK_CONFIG``), then the
environment (``KIOSK_DATA_DIR``), then command-line options.

Keys of kiosk.yaml (all optional):

    facility: Fjordheim fengsel      # shown in the header
    unit_name: Avdeling A            # shown in the header (default: the sample's name
                                     # for the unit type, e.g. Avdeling R for remand)
    unit: high                       # unit type: high, low, open or remand
    languages: [nb, en, pl, lt, ro, ar]   # enabled, in picker order (default: all present)
    default_language: nb             # preselected in the picker
    idle_timeout: 120                # seconds without input before the warning
    idle_warning: 20                 # seconds of visible countdown before the wipe
    rtl: reorder                     # reorder (shape and reorder Arabic) or terminal
    theme: default                   # default or high-contrast
    content: /srv/kiosk/content      # content folder (default: the bundled sample)
    data_dir: /var/lib/kiosk         # index, logs, installed publications
    kiosk_mode: true                 # false: staff preview, ctrl+q quits
    unanswered_log: false            # keep unanswered questions (masked, day only)
    publication_key: /etc/kiosk/publish.pub   # sync installs only publications signed by it
    allow_unsigned: false            # true: sync installs unsigned publications (see below)

Without ``publication_key`` a kiosk cannot tell who made a publication, so ``kiosk sync``
refuses every publication unless ``allow_unsigned: true``. The risk of that setting:
anyone who can write to the publication folder or its server, or sit between it and the
kiosk, decides what every kiosk shows. Code never comes with a publication either way:
the search index is always built on the kiosk itself.

An unknown key or a bad value is an error that names the key and the file.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from kiosk import LANGUAGES, UNIT_TYPES
from kiosk.content.model import Problem
from kiosk.content.yamlfile import read_yaml
from kiosk.errors import KioskError

PACKAGE_ROOT = Path(__file__).resolve().parent
BUNDLED_CONTENT = PACKAGE_ROOT.parent / "content"
BUNDLED_LOCALES = PACKAGE_ROOT.parent / "locales"
SAMPLE_UNIT_NAMES = {
    "high": "Avdeling A",
    "remand": "Avdeling R",
    "low": "Avdeling C",
    "open": "Åpen avdeling",
}
"""The bundled sample facility's name for a unit of each type (content/FACILITY.md): with
no ``unit_name``, a kiosk started with ``--unit remand`` says it is on the remand unit."""


@dataclass(frozen=True)
class KioskConfig:
    """Settings of one kiosk."""

    facility: str = "Fjordheim fengsel"
    unit_name: str | None = None
    unit: str = "high"
    languages: tuple[str, ...] = ()
    default_language: str | None = None
    idle_timeout: float = 120.0
    idle_warning: float = 20.0
    rtl: str = "reorder"
    theme: str = "default"
    content: Path | None = None
    data_dir: Path | None = None
    publication_key: Path | None = None
    allow_unsigned: bool = False
    kiosk_mode: bool = True
    unanswered_log: bool = False
    source: str = field(default="(defaults)", compare=False)

    @property
    def shown_unit_name(self) -> str:
        """The unit's name for the header: ``unit_name``, else the sample's for ``unit``."""
        return self.unit_name or SAMPLE_UNIT_NAMES.get(self.unit, "")

    @property
    def content_dir(self) -> Path:
        """``content`` (option or kiosk.yaml), else the publication installed by
        ``kiosk sync`` in the data folder, else the bundled sample."""
        if self.content:
            return self.content
        from kiosk.publication import installed_content

        return installed_content(self.resolved_data_dir) or BUNDLED_CONTENT

    @property
    def resolved_data_dir(self) -> Path:
        env = os.environ.get("KIOSK_DATA_DIR")
        if env:
            return Path(env)
        if self.data_dir:
            return self.data_dir
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("kiosk", appauthor=False))

    def with_overrides(self, **changes: object) -> KioskConfig:
        """A copy with the given settings changed (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_KEYS = [
    "facility",
    "unit_name",
    "unit",
    "languages",
    "default_language",
    "idle_timeout",
    "idle_warning",
    "rtl",
    "theme",
    "content",
    "data_dir",
    "kiosk_mode",
    "unanswered_log",
    "publication_key",
    "allow_unsigned",
]


_KEY_AT_START = re.compile(r"\s*([A-Za-z_][\w-]*)\s*:")


def _naming_the_key(problem: Problem, path: Path) -> str:
    """A problem the YAML reader found, with the key of its line named, like the checks
    of each value do ("kiosk.yaml:2:7: rtl: control character ... removed")."""
    if problem.line is None:
        return str(problem)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return str(problem)
    found = _KEY_AT_START.match(lines[problem.line - 1]) if problem.line <= len(lines) else None
    if found is None:
        return str(problem)
    return str(replace(problem, message=f"{found.group(1)}: {problem.message}"))


def load_config(path: Path | None) -> KioskConfig:
    """The configuration from ``path`` (or the defaults); raises KioskError when it is bad."""
    if path is None:
        env = os.environ.get("KIOSK_CONFIG")
        if not env:
            return KioskConfig()
        path = Path(env)
    if not path.is_file():
        raise KioskError(f"{path}: config file not found")
    doc, problems = read_yaml(path)
    if problems:
        raise KioskError(_naming_the_key(problems[0], path))
    data = doc.data
    if data is None:
        return KioskConfig(source=doc.path)
    if not isinstance(data, dict):
        raise KioskError(f"{doc.path}:1: the config must be 'key: value' lines")

    def fail(key: str, message: str) -> KioskError:
        return KioskError(f"{doc.path}:{doc.line([key])}: {key}: {message}")

    values: dict[str, object] = {}
    for key, value in data.items():
        if key not in _KEYS:
            close = difflib.get_close_matches(str(key), _KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise KioskError(f"{doc.path}:{doc.key_line([key])}: unknown key '{key}'{hint}")
        if key in ("facility", "unit_name"):
            if not isinstance(value, str) or not value.strip():
                raise fail(key, "must be text")
            values[key] = value.strip()
        elif key == "unit":
            if value not in UNIT_TYPES:
                raise fail(key, f"must be one of {', '.join(UNIT_TYPES)}, not {value!r}")
            values[key] = value
        elif key == "languages":
            if not isinstance(value, list) or not value:
                raise fail(key, f"must be a list of language codes from {', '.join(LANGUAGES)}")
            for lang in value:
                if lang not in LANGUAGES:
                    raise fail(key, f"unknown language {lang!r} (use {', '.join(LANGUAGES)})")
            values[key] = tuple(dict.fromkeys(value))
        elif key == "default_language":
            if value not in LANGUAGES:
                raise fail(key, f"unknown language {value!r} (use {', '.join(LANGUAGES)})")
            values[key] = value
        elif key in ("idle_timeout", "idle_warning"):
            # "not > 0" also refuses .nan, which compares false with everything: an idle
            # session would never have ended.
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise fail(key, f"must be a number of seconds above 0, not {value!r}")
            if value > 86400:
                raise fail(key, "must be at most 86400 seconds (one day)")
            values[key] = float(value)
        elif key == "rtl":
            if value not in ("reorder", "terminal"):
                raise fail(key, f"must be 'reorder' or 'terminal', not {value!r}")
            values[key] = value
        elif key == "theme":
            if value not in ("default", "high-contrast"):
                raise fail(key, f"must be 'default' or 'high-contrast', not {value!r}")
            values[key] = value
        elif key in ("content", "data_dir", "publication_key"):
            if not isinstance(value, str) or not value.strip():
                raise fail(key, "must be a path")
            try:
                folder = Path(value).expanduser()
            except RuntimeError:  # "~someone/x" where no user 'someone' exists
                user = value.strip().split("/", 1)[0]
                raise fail(key, f"{user!r}: no such user on this machine") from None
            if not folder.is_absolute():
                folder = path.parent / folder
            values[key] = folder
        elif key in ("kiosk_mode", "unanswered_log", "allow_unsigned"):
            if not isinstance(value, bool):
                raise fail(key, f"must be true or false, not {value!r}")
            values[key] = value
    config = KioskConfig(source=doc.path, **values)
    if (
        config.default_language
        and config.languages
        and (config.default_language not in config.languages)
    ):
        raise fail("default_language", "is not one of the enabled 'languages'")
    return config
