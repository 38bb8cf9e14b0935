"""The phrasing similarity: letter pieces of a question against an article's phrasings."""

from __future__ import annotations

import dataclasses
import json
from array import array

import pytest

from kiosk.assistant import Assistant
from kiosk.config import KioskConfig
from kiosk.search.engine import Engine
from kiosk.search.params import DEFAULT
from kiosk.search.phrasings import ExactPhrasings, PhrasingIndex, rulebook_phrasings

SMALL = [
    ("mail.parcels", "pl", "czy rodzina może wysłać mi paczkę"),
    ("mail.parcels", "pl", "paczka od mamy"),
    ("canteen.limit", "pl", "ile mogę wydać w kantynie"),
    ("canteen.limit", "pl", "limit zakupów w kantynie"),
    ("visits.booking", "en", "how do I book a visit"),
    ("visits.booking", "en", "visiting times"),
    ("phone.calls", "en", "how often can I phone home"),
]


def test_an_inflected_word_is_like_its_article_s_phrasings():
    index = PhrasingIndex.build(SMALL)
    # "paczki" (parcels) shares letters, not a word, with "paczkę" and "paczka".
    sims = index.similarities("czy więźniowie mogą dostawać paczki", "pl")
    assert max(sims, key=sims.get) == "mail.parcels"
    sims = index.similarities("can my family visit me, what are the visiting hours", "en")
    assert max(sims, key=sims.get) == "visits.booking"
    assert all(0.0 <= s <= 1.0 + 1e-6 for s in sims.values())


def test_letters_no_phrasing_has_make_a_question_less_like_all_of_them():
    index = PhrasingIndex.build(SMALL)
    plain = index.similarities("visiting times", "en")["visits.booking"]
    padded = index.similarities("visiting times zyxwq qqxyz", "en")["visits.booking"]
    assert padded < plain
    assert index.similarities("", "en") == {}
    assert index.similarities("visiting times", "lt") == {}  # no phrasings in that language


def test_the_tables_survive_bytes_and_refuse_damage():
    index = PhrasingIndex.build(SMALL)
    data = index.to_bytes()
    again = PhrasingIndex.from_bytes(data)
    for q, lang in (("paczki", "pl"), ("book a visit", "en")):
        assert again.similarities(q, lang) == index.similarities(q, lang)
    with pytest.raises(ValueError):
        PhrasingIndex.from_bytes(data[:-3])  # cut short
    with pytest.raises(ValueError):
        PhrasingIndex.from_bytes(b"XXXX" + data[4:])  # not one of ours
    # A phrasing number past the end would fail at search time: refused when read.
    table = index._tables["en"]
    table.docs[0] = 10_000
    with pytest.raises(ValueError):
        PhrasingIndex.from_bytes(index.to_bytes())
    table.docs = array("I")  # offsets now point past the postings
    with pytest.raises(ValueError):
        PhrasingIndex.from_bytes(index.to_bytes())


def test_a_damaged_cached_table_is_rebuilt_and_the_kiosk_answers(assistant, seeded_data_dir):
    question = "hur skickar man pengar till en intagen"
    expected = assistant.ask(question, "nb")
    fingerprint = assistant.rulebook.fingerprint
    cached = list((seeded_data_dir / "rulebooks").glob(f"{fingerprint}-phrasings*.bin"))
    assert len(cached) == 1
    cached[0].write_bytes(cached[0].read_bytes()[:1000])  # a torn write
    again = Assistant(KioskConfig())
    try:
        reply = again.ask(question, "nb")
    finally:
        again.close()
    assert reply.status == expected.status
    assert [a.id for a in reply.answers] == [a.id for a in expected.answers]
    # ...and it was written again whole.
    PhrasingIndex.from_bytes(cached[0].read_bytes())


def test_the_similarity_reorders_candidates_but_keeps_the_score_scale(assistant):
    engine = assistant.engine
    plain = Engine(
        engine.index_path,
        assistant.rulebook,
        dataclasses.replace(DEFAULT, phrasing_weight=0.0),
        lambda: engine.phrasings,
    )
    try:
        question = "hur skickar man pengar till en intagen"  # Swedish, to the nb kiosk
        blended = engine.search(question, unit="high", ui_lang="nb")
        lexical = plain.search(question, unit="high", ui_lang="nb")
        assert blended.matches[0].article == "canteen.money"
        assert blended.matches[0].similarity > 0.2
        # The best candidate keeps at least its share of the top lexical score.
        top = lexical.matches[0].score
        assert blended.matches[0].score >= (1 - DEFAULT.phrasing_weight) * top - 1e-3
    finally:
        plain.close()


def test_every_title_phrasing_and_keyword_is_in_the_tables(assistant):
    texts = list(rulebook_phrasings(assistant.rulebook))
    article = assistant.rulebook.articles["visits.booking"]
    assert ("visits.booking", "en", article.translations["en"].title) in texts
    assert sum(1 for a, lang, _ in texts if a == "visits.booking" and lang == "ar") >= 10


def test_the_exact_phrasings_are_kept_with_the_tables_and_a_file_without_them_is_made_again(
    assistant, seeded_data_dir
):
    # The articles that have a question word for word are worked out once per content and
    # kept with the tables (not folded again by every process), so a kiosk that reads
    # them from the file still puts "When do I get out?" to its own article.
    index = PhrasingIndex.for_rulebook(assistant.rulebook)
    assert index.exact["when do i get out"] == ["release.progression"]
    again = PhrasingIndex.from_bytes(index.to_bytes())
    assert again.exact == index.exact
    # A file written before the exact phrasings were kept (no "exact" in its header) is
    # refused, so it is made again rather than read as "no phrasing is exact".
    older = _without_exact(index.to_bytes())
    assert PhrasingIndex.from_bytes(_without_exact(index.to_bytes(), keep=True)).exact
    with pytest.raises(ValueError):
        PhrasingIndex.from_bytes(older)
    fingerprint = assistant.rulebook.fingerprint
    (cached,) = (seeded_data_dir / "rulebooks").glob(f"{fingerprint}-phrasings*.bin")
    cached.write_bytes(older)
    fresh = Assistant(KioskConfig())
    try:
        reply = fresh.ask("When do I get out?", "en")
    finally:
        fresh.close()
    assert [a.id for a in reply.answers] == ["release.progression"]
    assert PhrasingIndex.from_bytes(cached.read_bytes()).exact == index.exact


def _without_exact(data: bytes, keep: bool = False) -> bytes:
    """A phrasing file whose header lacks the exact phrasings, as version 1 wrote it
    (``keep``: rewritten the same way, with them, to show the rewriting is sound)."""
    size = int.from_bytes(data[4:8], "little")
    header = json.loads(data[8 : 8 + size])
    if not keep:
        del header["exact"]
    head = json.dumps(header).encode()
    return data[:4] + len(head).to_bytes(4, "little") + head + data[8 + size :]


def test_a_phrasing_two_articles_share_is_no_ones_exact_phrasing():
    exact = ExactPhrasings.of({"when do i get out": ["release"], "visits": ["a", "b"]})
    assert exact.get("when do i get out") == ["release"]
    assert exact.get("visits") is None and exact.get("something else") is None
    assert len(exact) == 1


def test_phrasing_numbers_past_16_bits_are_kept_whole():
    """A rulebook with more than 65,535 phrasings in a language numbers them in 32 bits,
    and its file reads back the same."""
    many = [("a" if i % 2 else "b", "en", f"word{i} visit") for i in range(70_000)]
    index = PhrasingIndex.build(many, {})
    assert index._tables["en"].docs.typecode == "I"
    again = PhrasingIndex.from_bytes(index.to_bytes())
    found = index.similarities("word69999 visit", "en")
    assert again.similarities("word69999 visit", "en") == found
    assert max(found, key=found.get) == "a"  # phrasing 69,999 is article a's
    small = PhrasingIndex.build(many[:10], {})
    assert small._tables["en"].docs.typecode == "H"
