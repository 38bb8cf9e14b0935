"""What a new content needs is made by a child process, so the kiosk's own memory never
holds the build (kiosk.assistant.apart)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import KioskConfig


def _fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: Path):
    from kiosk.assistant import Assistant

    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    return Assistant(KioskConfig(content=content))


def _nothing_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Making an index, phrasing tables or an urgent model in this process fails."""
    import kiosk.search.build
    from kiosk.assistant.urgent_model import UrgentModel
    from kiosk.search.phrasings import PhrasingIndex

    def refuse(*args, **kwargs):
        raise AssertionError("made in the kiosk's own process")

    monkeypatch.setattr(kiosk.search.build, "update_index", refuse)
    monkeypatch.setattr(kiosk.search.build, "build_index", refuse)
    monkeypatch.setattr(UrgentModel, "learn", classmethod(refuse))
    monkeypatch.setattr(PhrasingIndex, "build", classmethod(refuse))


@pytest.mark.slow
def test_warming_apart_makes_everything_in_a_child_process(tmp_path, monkeypatch, rulebook_copy):
    assistant = _fresh(tmp_path, monkeypatch, rulebook_copy)
    assert not assistant.built()
    _nothing_made_here(monkeypatch)
    assistant.warm(apart=True)
    assert assistant.built()
    reply = assistant.ask("how do I book a visit", "en")
    assert reply.status != "no_match" and reply.answers


@pytest.mark.slow
def test_the_kiosk_makes_it_itself_when_no_child_can_start(tmp_path, monkeypatch, rulebook_copy):
    import kiosk.assistant.apart

    def no_process(*args, **kwargs):
        raise OSError("no more processes")

    assistant = _fresh(tmp_path, monkeypatch, rulebook_copy)
    monkeypatch.setattr(kiosk.assistant.apart.subprocess, "run", no_process)
    assistant.warm(apart=True)
    assert assistant.built()
    assert assistant.ask("how do I book a visit", "en").answers


def test_nothing_is_started_when_everything_is_made(assistant, monkeypatch):
    import kiosk.assistant.apart

    assistant.warm()
    assert assistant.built()

    def started(*args, **kwargs):
        raise AssertionError("a child process was started")

    monkeypatch.setattr(kiosk.assistant.apart.subprocess, "run", started)
    assistant.warm(apart=True)


def test_a_failed_child_is_told(monkeypatch, rulebook_copy):
    from kiosk.assistant.apart import build_apart

    # A content folder the child cannot read: it fails, and says so by its exit code.
    assert not build_apart(KioskConfig(content=rulebook_copy / "missing"), timeout=60)


def test_freed_memory_is_handed_back_where_the_c_library_can(monkeypatch):
    import ctypes

    from kiosk.assistant import apart

    trimmed = []

    class Libc:
        def malloc_trim(self, pad):
            trimmed.append(pad)

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    apart.give_back_memory()
    assert trimmed == [0]

    class Musl:  # no malloc_trim: nothing happens, nothing fails
        pass

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Musl())
    apart.give_back_memory()


@pytest.mark.slow
def test_a_damaged_index_is_built_again_apart(tmp_path, monkeypatch, rulebook_copy):
    assistant = _fresh(tmp_path, monkeypatch, rulebook_copy)
    assistant.warm(apart=True)
    index = assistant.index.path
    assistant.close()
    segment = max(index.glob("*.seg"), key=lambda f: f.stat().st_size)
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])  # truncated

    again = _fresh(tmp_path, monkeypatch, rulebook_copy)
    assert not again.built()
    _nothing_made_here(monkeypatch)
    again.warm(apart=True)
    assert again.built()
    assert again.ask("how do I book a visit", "en").answers
