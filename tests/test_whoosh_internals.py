"""FastSearcher against Whoosh's own search: same hits, same scores, same order.

kiosk/search/whoosh_internals.py reads Whoosh's postings and field lengths through
private attributes of whoosh-reloaded 2.7.5. If an upgrade changes them, these tests
fail instead of the kiosk silently ranking differently.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from whoosh import query, scoring

from kiosk import LANGUAGES, UNIT_TYPES
from kiosk.content.load import load_rulebook
from kiosk.search import build as build_mod
from kiosk.search.build import build_index, update_index
from kiosk.search.schema import TEXT_FIELDS, field_name
from kiosk.search.store import open_index
from kiosk.search.whoosh_internals import FastSearcher, segment_count

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _weighting():
    return scoring.BM25F(
        B=0.75, K1=1.2, **{field_name("questions", lang) + "_B": 0.3 for lang in LANGUAGES}
    )


def _queries(reader, rng: random.Random, count: int) -> list[list[tuple[str, str, float]]]:
    """Random ORs of real terms of the index (and a few absent ones), with boosts."""
    fields = [field_name(kind, lang) for lang in LANGUAGES for kind in TEXT_FIELDS]
    terms = {f: [t for t in reader.field_terms(f)] for f in fields}
    terms = {f: ts for f, ts in terms.items() if ts}
    queries = []
    for _ in range(count):
        chosen = []
        for _ in range(rng.randint(1, 8)):
            field = rng.choice(sorted(terms))
            text = rng.choice(terms[field]) if rng.random() > 0.1 else "zzqxnotthere"
            chosen.append((field, text, rng.choice([0.5, 1.0, 1.7, 3.0])))
        queries.append(chosen)
    return queries


def _compare(index_path: Path, count: int, seed: int) -> int:
    """Every query's hits from both searchers; how many hits were compared."""
    ix = open_index(index_path)
    searcher = ix.searcher(weighting=_weighting())
    reader = searcher.reader()
    fast = FastSearcher(reader, searcher.weighting, index_path)
    rng = random.Random(seed)
    compared = 0
    for terms in _queries(reader, rng, count):
        unit = rng.choice(UNIT_TYPES)
        limit = rng.choice([5, 20, 200])
        ours = fast.search(terms, unit, limit)
        whoosh_query = query.Or([query.Term(f, t, boost=b) for f, t, b in terms])
        theirs = searcher.search(
            whoosh_query, filter=query.Term("units", unit), limit=limit, terms=True
        )
        assert [h.docnum for h in ours] == [h.docnum for h in theirs], terms
        for mine, whoosh_hit in zip(ours, theirs, strict=True):
            assert mine.score == pytest.approx(whoosh_hit.score, rel=1e-9, abs=1e-12)
            assert sorted(mine.matched_terms()) == sorted(
                (f, t.decode() if isinstance(t, bytes) else t)
                for f, t in whoosh_hit.matched_terms()
            )
            assert mine["article"] == whoosh_hit["article"]
        compared += len(ours)
    searcher.close()
    ix.close()
    return compared


def test_fast_searcher_equals_whoosh_on_the_sample_content(tmp_path):
    rulebook, _ = load_rulebook(Path("content"))
    built = build_index(rulebook, tmp_path)
    assert _compare(built.path, count=150, seed=1) > 500


@pytest.mark.slow
def test_fast_searcher_equals_whoosh_on_a_generated_rulebook_in_segments(tmp_path, monkeypatch):
    """A national-size rulebook: two segments from a two-process build, then an update
    that deletes and re-adds documents (deleted postings must not score)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(BENCHMARKS))
    content = tmp_path / "content"
    generate(content, per_topic=12, seed=3)
    rulebook, _ = load_rulebook(content)
    monkeypatch.setattr(build_mod, "PARALLEL_MIN_DOCUMENTS", 1)
    monkeypatch.setenv("KIOSK_BUILD_PROCESSES", "2")
    built = build_index(rulebook, tmp_path / "index")
    ix = open_index(built.path)
    assert segment_count(ix) == 2  # one per group of languages
    ix.close()
    assert _compare(built.path, count=120, seed=2) > 500

    article = sorted(content.glob("articles/*/*.yaml"))[0]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("questions:", "questions:\n      - ekstra ord her", 1))
    edited, _ = load_rulebook(content)
    updated = update_index(edited, tmp_path / "index")
    assert updated.updated
    ix = open_index(updated.path)
    assert segment_count(ix) == 3
    ix.close()
    assert _compare(updated.path, count=120, seed=4) > 500
