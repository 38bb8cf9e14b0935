"""The rulebook cache: the same rulebook without parsing YAML, and never trusted blindly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.content import cache
from kiosk.content.load import load_rulebook


def test_round_trip_is_exact():
    rulebook, problems = load_rulebook(Path("content"))
    again, again_problems = cache.from_json(cache.to_json(rulebook, problems), rulebook.root)
    assert again == rulebook
    assert again_problems == problems


def test_second_load_skips_yaml_and_an_edit_invalidates(rulebook_copy, tmp_path, monkeypatch):
    first, _ = cache.load_cached(rulebook_copy, tmp_path)

    def no_yaml(root):
        raise AssertionError("YAML was parsed again")

    with monkeypatch.context() as mp:
        mp.setattr(cache, "load_rulebook", no_yaml)
        second, _ = cache.load_cached(rulebook_copy, tmp_path)
    assert second == first

    laundry = rulebook_copy / "articles/daily/laundry.yaml"
    laundry.write_text(laundry.read_text().replace("title: Laundry", "title: Washing"))
    third, _ = cache.load_cached(rulebook_copy, tmp_path)
    assert third.articles["daily.laundry"].translations["en"].title == "Washing"


@pytest.mark.parametrize("damage", ["", "{not json", '{"version": 1}', '{"version": 99}'])
def test_damaged_cache_falls_back_to_the_yaml(rulebook_copy, tmp_path, damage):
    rulebook, _ = cache.load_cached(rulebook_copy, tmp_path)
    for path in [*tmp_path.glob("*.json"), *tmp_path.glob("*.rulebook")]:
        path.write_text(damage)
    again, _ = cache.load_cached(rulebook_copy, tmp_path)
    assert again == rulebook


@pytest.mark.parametrize("where", ["head", "texts", "cut"])
def test_a_damaged_byte_in_the_cache_is_found_at_load(rulebook_copy, tmp_path, where):
    rulebook, _ = cache.load_cached(rulebook_copy, tmp_path)
    (path,) = tmp_path.glob("*.rulebook")
    raw = bytearray(path.read_bytes())
    if where == "cut":
        raw = raw[: len(raw) - 100]
    else:
        head = raw.index(b"\n", len(cache.MAGIC)) + 1
        i = head + 200 if where == "head" else raw.index(b"\n", head) + 500
        raw[i] ^= 0x01  # one bit: the JSON stays readable, a letter changes
    path.write_bytes(bytes(raw))
    parsed = []
    real = cache.load_rulebook
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cache, "load_rulebook", lambda root: parsed.append(root) or real(root))
        again, _ = cache.load_cached(rulebook_copy, tmp_path)
    assert parsed, "the damage was not noticed"
    assert again == rulebook


def test_only_the_most_recent_contents_keep_their_cached_files(tmp_path):
    for i in range(cache.KEEP_CONTENTS + 3):
        for name in (f"f{i:02d}.rulebook", f"f{i:02d}.urgent", f"f{i:02d}-x.words.json"):
            (tmp_path / name).write_text("x")
            os.utime(tmp_path / name, (1000 + i, 1000 + i))
    (tmp_path / "fingerprints.json").write_text("{}")
    cache._prune(tmp_path)
    kept = sorted(p.name for p in tmp_path.glob("*.rulebook"))
    assert kept == [f"f{i:02d}.rulebook" for i in range(3, cache.KEEP_CONTENTS + 3)]
    assert not list(tmp_path.glob("f00*")) and (tmp_path / "fingerprints.json").exists()
    assert len(list(tmp_path.glob("*.words.json"))) == cache.KEEP_CONTENTS


def test_the_rulebooks_folded_words_are_kept_and_read_back(tmp_path, monkeypatch):
    from kiosk.assistant import Assistant
    from kiosk.config import KioskConfig

    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    first = Assistant(KioskConfig())
    words = first._words()
    assert list((tmp_path / "rulebooks").glob("*.words.json"))

    again = Assistant(KioskConfig())
    monkeypatch.setattr(again, "_fold_words", lambda: pytest.fail("folded again"))
    assert again._words() == words and "besok" in words
