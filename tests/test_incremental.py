"""The index after an edit: updated in place of a full build, with the same answers.

Also: analysing each word once (the build's shortcut) gives exactly the analyzers'
terms, and a build split over two processes answers like one built in one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import LANGUAGES
from kiosk.assistant import Assistant
from kiosk.config import BUNDLED_CONTENT, KioskConfig
from kiosk.content.load import load_rulebook
from kiosk.search import build as build_mod
from kiosk.search.analysis import plain_analyzer, stemmed_analyzer, terms, words
from kiosk.search.engine import Engine
from kiosk.search.schema import Analysed, read_pairs, read_vocabulary
from kiosk.search.store import open_index
from kiosk.search.whoosh_internals import segment_count

ROOT = Path(__file__).resolve().parent.parent

QUESTIONS = [
    ("how do I book a visit", "en", None),
    ("hvordan bestiller jeg besøk", "nb", None),
    ("jak umówić widzenie", "nb", None),
    ("can i get a visit while on remand", "en", "remand"),
    ("how much can i spend in the canteen", "en", None),
    ("money from mum", "en", None),
    ("vistis times weekend", "en", None),
    ("kiedy mogę zadzwonić do adwokata", "pl", None),
    ("kaip užsisakyti pasimatymą", "lt", None),
    ("cum programez o vizită", "ro", None),
    ("كيف احجز زيارة", "ar", None),
    ("what's the weather tomorrow", "en", None),
    ("i have a toothache", "en", None),
    ("hvor mye lønn får jeg", "nb", None),
]
ZEBRA = "what is the zebra crossing rule"


def test_each_word_analysed_once_gives_the_analyzers_terms():
    rulebook, _ = load_rulebook(BUNDLED_CONTENT)
    plain = Analysed(plain_analyzer())
    checked = 0
    for lang in LANGUAGES:
        stemmed = Analysed(stemmed_analyzer(lang))
        for article in rulebook.articles.values():
            tr = article.translations.get(lang)
            if tr is None:
                continue
            for text in [tr.title, tr.summary, tr.body, *tr.questions, *tr.keywords]:
                assert stemmed(text) == terms(text, lang), (article.id, lang, text)
                assert plain(text) == words(text), (article.id, lang, text)
                checked += 1
    assert checked > 1000


def _replies(assistant: Assistant) -> list[tuple[str, list[str]]]:
    out = []
    for q, ui, unit in [*QUESTIONS, (ZEBRA, "en", None)]:
        reply = assistant.ask(q, ui, unit)
        out.append((reply.status, [a.id for a in reply.answers]))
    return out


def _edit(content: Path) -> None:
    """Give daily.leisure a new English question; delete the article visits.children."""
    path = content / "articles/daily/leisure.yaml"
    head, tail = path.read_text(encoding="utf-8").split("\n  en:", 1)
    tail = tail.replace("    questions:\n", f"    questions:\n      - {ZEBRA}\n", 1)
    path.write_text(head + "\n  en:" + tail, encoding="utf-8")
    (content / "articles/visits/children.yaml").unlink()


@pytest.mark.slow
def test_an_edit_updates_the_previous_index_and_answers_like_a_full_build(
    content_copy, tmp_path, monkeypatch
):
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    kiosk = KioskConfig(content=content_copy, data_dir=tmp_path / "kiosk")
    before = Assistant(kiosk)
    assert before.index.built and not before.index.updated
    assert before.ask(ZEBRA, "en").status == "no_match"
    children = before.ask("can my children visit me", "en")
    assert "visits.children" in [a.id for a in children.answers]
    before.close()

    _edit(content_copy)
    after = Assistant(kiosk)
    result = after.index
    # Only what changed was indexed: the edited English text (and a Norwegian one whose
    # compound words split otherwise without the deleted article's words), of 200 or so.
    assert result.updated and 1 <= result.documents <= 3
    assert result.path != before.index.path and (result.path / "COMPLETE").is_file()
    zebra = after.ask(ZEBRA, "en")
    assert zebra.status in ("answered", "clarify") and zebra.top.id == "daily.leisure"
    assert "visits.children" not in [a.id for a in after.ask("can my children visit me").answers]
    # No temporary folder is left behind.
    assert not [p for p in (tmp_path / "kiosk" / "index").iterdir() if p.name.startswith(".b")]

    fresh = Assistant(KioskConfig(content=content_copy, data_dir=tmp_path / "fresh"))
    assert fresh.index.built and not fresh.index.updated
    assert _replies(after) == _replies(fresh)
    after.close()
    fresh.close()


def test_same_content_again_reuses_the_index_without_building(content_copy, tmp_path):
    rulebook, _ = load_rulebook(content_copy)
    first = build_mod.ensure_index(rulebook, tmp_path)
    again = build_mod.ensure_index(rulebook, tmp_path)
    assert first.built and not again.built and again.path == first.path


@pytest.mark.slow
def test_many_changes_build_in_full(content_copy, tmp_path):
    rulebook, _ = load_rulebook(content_copy)
    build_mod.ensure_index(rulebook, tmp_path)
    paths = sorted((content_copy / "articles").rglob("*.yaml"))
    for path in paths[: len(paths) // 3 + 1]:  # a third
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("    title: ", "    title: Edited "), encoding="utf-8")
    changed, _ = load_rulebook(content_copy)
    result = build_mod.ensure_index(changed, tmp_path)
    assert result.built and not result.updated
    assert result.documents == sum(len(a.translations) for a in changed.articles.values())


class _CapturedStderr:
    """What a running Textual app puts in sys.stderr: no real file behind it."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return -1


@pytest.mark.slow
def test_a_build_split_over_two_processes_answers_like_one_process(tmp_path, monkeypatch):
    rulebook, _ = load_rulebook(BUNDLED_CONTENT)
    monkeypatch.setattr(build_mod, "PARALLEL_MIN_DOCUMENTS", 1)
    monkeypatch.setenv("KIOSK_BUILD_PROCESSES", "2")
    # As inside the kiosk UI (a rebuild after new content), where multiprocessing fails.
    monkeypatch.setattr("sys.stderr", _CapturedStderr())
    started = []
    real_start = build_mod._start_part
    monkeypatch.setattr(build_mod, "_start_part", lambda *a: started.append(1) or real_start(*a))
    here = []  # the share of the other process, indexed here only if that process failed
    real_part = build_mod._write_part
    monkeypatch.setattr(build_mod, "_write_part", lambda *a: here.append(1) or real_part(*a))
    split = build_mod.build_index(rulebook, tmp_path / "two")
    monkeypatch.undo()
    assert started and not here
    monkeypatch.setenv("KIOSK_BUILD_PROCESSES", "1")
    single = build_mod.build_index(rulebook, tmp_path / "one")
    assert not list((split.path).glob("*.pickle")) and not (split.path / "part").exists()
    ix = open_index(split.path)
    assert segment_count(ix) == 2  # one segment per group of languages
    ix.close()
    two, one = Engine(split.path, rulebook), Engine(single.path, rulebook)
    for q, ui, unit in QUESTIONS:
        a = two.search(q, unit or "high", ui).matches
        b = one.search(q, unit or "high", ui).matches
        assert [(m.article, m.lang, pytest.approx(m.score)) for m in a] == [
            (m.article, m.lang, m.score) for m in b
        ], q
    two.close()
    one.close()


def test_an_edit_is_seen_even_when_size_and_time_are_kept(content_copy, tmp_path, monkeypatch):
    """The loaded rulebook's cache is found by the files' sizes and times; an edit that
    keeps both (a same-length change, the time set back) must still be seen."""
    import os

    from kiosk.content import cache

    monkeypatch.setattr(cache, "SETTLED_SECONDS", 0.0)  # remember at once, in a test
    first, _ = cache.load_cached(content_copy, tmp_path)
    path = content_copy / "articles/visits/booking.yaml"
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    assert "Booking a visit" in text
    path.write_text(text.replace("Booking a visit", "Booking a viZit"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    second, _ = cache.load_cached(content_copy, tmp_path)
    assert second.fingerprint != first.fingerprint
    assert second.articles["visits.booking"].translations["en"].title == "Booking a viZit"
    third, _ = cache.load_cached(content_copy, tmp_path)  # remembered: same answer
    assert third.fingerprint == second.fingerprint


@pytest.mark.slow
def test_words_and_pairs_kept_beside_the_index_are_what_the_engine_would_compute(tmp_path):
    """The build counts each language's plain words (no Whoosh field) and stores each
    document's word pairs; both must be exactly what the engine would work out itself."""
    rulebook, _ = load_rulebook(BUNDLED_CONTENT)
    built = build_mod.build_index(rulebook, tmp_path)
    vocabulary = read_vocabulary(built.path)
    for lang in LANGUAGES:
        counts: dict[str, int] = {}
        for article in rulebook.articles.values():
            tr = article.translations.get(lang)
            if tr is not None:
                texts = [tr.title, *tr.questions, *tr.keywords, tr.summary, tr.body]
                for word in {w for t in texts for w in words(t)}:
                    counts[word] = counts.get(word, 0) + 1
        assert vocabulary[lang] == counts, lang
    engine = Engine(built.path, rulebook)
    reader = engine._reader
    stored = {(f["article"], f["lang"]): read_pairs(f["pairs"]) for f in reader.all_stored_fields()}
    assert len(stored) == sum(len(a.translations) for a in rulebook.articles.values())
    engine._fast.stored_pairs = lambda article, lang: None  # the engine's own way
    for (article, lang), pairs in stored.items():
        assert pairs == engine._article_pairs(article, lang), (article, lang)
    assert sum(len(p) for p in stored.values()) > 1000
    engine.close()
