"""The rulebook cache: the same rulebook without parsing YAML, and never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content import cache
from kiosk.content.load import load_rulebook


def test_round_trip_is_exact():
    rulebook, problems = load_rulebook(Path("content"))
    again, again_problems = cache.from_json(cache.to_json(rulebook, problems), rulebook.root)
    assert again == rulebook
    assert again_problems == problems


def test_second_load_skips_yaml_and_an_edit_invalidates(content_copy, tmp_path, monkeypatch):
    first, _ = cache.load_cached(content_copy, tmp_path)

    def no_yaml(root):
        raise AssertionError("YAML was parsed again")

    with monkeypatch.context() as mp:
        mp.setattr(cache, "load_rulebook", no_yaml)
        second, _ = cache.load_cached(content_copy, tmp_path)
    assert second == first

    food = content_copy / "articles/daily/food.yaml"
    food.write_text(food.read_text().replace("title: Food and meals", "title: Meals"))
    third, _ = cache.load_cached(content_copy, tmp_path)
    assert third.articles["daily.food"].translations["en"].title == "Meals"


@pytest.mark.parametrize("damage", ["", "{not json", '{"version": 1}', '{"version": 99}'])
def test_damaged_cache_falls_back_to_the_yaml(content_copy, tmp_path, damage):
    rulebook, _ = cache.load_cached(content_copy, tmp_path)
    for path in tmp_path.glob("*.json"):
        path.write_text(damage)
    again, _ = cache.load_cached(content_copy, tmp_path)
    assert again == rulebook
