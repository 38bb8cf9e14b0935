"""The index: built atomically, keyed by content, rebuilt when content changes or breaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.assistant import Assistant
from kiosk.cli import main
from kiosk.config import KioskConfig
from kiosk.content.load import load_rulebook
from kiosk.search import build as build_mod
from kiosk.search import documents as documents_mod
from kiosk.search.schema import index_key


@pytest.mark.slow
def test_index_command_reports_time_and_leaves_no_temporary_folders(tmp_path, capsys):
    data = tmp_path / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KIOSK_DATA_DIR", str(data))
        assert main(["index"]) == 0
    out = capsys.readouterr().out
    assert "index built in" in out and " s:" in out
    built = [p.name for p in (data / "index").iterdir()]
    assert len(built) == 1 and not built[0].startswith(".")
    assert (data / "index" / built[0] / "COMPLETE").is_file()
    # Synonyms are stemmed once at build time, not at every start.
    assert (data / "index" / built[0] / "synonyms.json").is_file()


def test_editing_content_rebuilds_automatically(rulebook_copy, tmp_path):
    config = KioskConfig(content=rulebook_copy, data_dir=tmp_path / "d")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("KIOSK_DATA_DIR")
        first = Assistant(config)
        assert first.ask("what is the zebra password", "en").status == "no_match"
        path = rulebook_copy / "articles/daily/laundry.yaml"
        text = path.read_text()
        marker = "\n  en:"
        head, tail = text.split(marker, 1)
        tail = tail.replace(
            "    questions:\n", "    questions:\n      - what is the zebra password\n", 1
        )
        path.write_text(head + marker + tail)
        second = Assistant(config)
        assert second.index.path != first.index.path
        reply = second.ask("what is the zebra password", "en")
        assert reply.top and reply.top.id == "daily.laundry"


def test_two_contents_never_share_an_index(content_copy):
    a, _ = load_rulebook(Path("content"))
    (content_copy / "articles/daily/food.yaml").write_text(
        (content_copy / "articles/daily/food.yaml").read_text() + "\n# edited\n"
    )
    b, _ = load_rulebook(content_copy)
    assert index_key(a) != index_key(b)


def test_failed_build_leaves_no_partial_index(tmp_path, monkeypatch):
    rulebook, _ = load_rulebook(Path("content"))

    real_documents = documents_mod.documents

    def broken_documents(rb):
        yield from list(real_documents(rb))[:3]
        raise OSError("disk full")

    monkeypatch.setattr(build_mod, "documents", broken_documents)
    with pytest.raises(OSError):
        build_mod.build_index(rulebook, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_damaged_index_is_rebuilt(tmp_path):
    rulebook, _ = load_rulebook(Path("content"))
    built = build_mod.ensure_index(rulebook, tmp_path)
    for segment in built.path.glob("*.seg"):
        segment.write_bytes(b"garbage")
    for toc in built.path.glob("*.toc"):
        toc.write_bytes(b"garbage")
    again = build_mod.ensure_index(rulebook, tmp_path)
    assert again.built
    from kiosk.search.engine import Engine

    engine = Engine(again.path, rulebook)
    assert engine.search("book a visit", "high", "en").matches[0].article == "visits.booking"


def test_an_index_read_into_memory_is_held_once(assistant):
    # Whoosh's own RamStorage held the segment three times: its bytes, the copy BytesIO
    # makes of the memoryview it is given, and the parts cut from that (18 MB traced for
    # the sample's 6 MB).
    import gc
    import tracemalloc

    from kiosk.search.store import open_index

    path = assistant.engine.index_path
    segment = sum(f.stat().st_size for f in path.glob("MAIN_*.seg"))
    assert segment > 0
    open_index(path).searcher().reader()  # Whoosh's lazy imports done
    gc.collect()
    tracemalloc.start()
    try:
        index = open_index(path)
        reader = index.searcher().reader()
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert reader.doc_count() > 0
    assert held < 1.5 * segment, (held, segment)


@given(
    data=st.binary(max_size=600).map(lambda b: b.replace(b"\x00", b"\n")),
    ops=st.lists(
        st.tuples(
            st.sampled_from(["read", "readline", "seek", "readinto", "tell"]),
            st.integers(-5, 5000),
            st.integers(0, 2),
        ),
        max_size=30,
    ),
)
def test_an_index_file_read_from_memory_reads_as_bytesio(data, ops):
    # What Whoosh reads an index through (pickle, arrays, lines) sees what BytesIO shows.
    from unittest import mock

    from kiosk.search import store
    from kiosk.search.store import _View

    with mock.patch.object(store, "LINE_CHUNK", 7):  # lines longer than a chunk, often
        _reads_as_bytesio(_View, data, ops)


def _reads_as_bytesio(view_class, data: bytes, ops) -> None:
    import io

    _View = view_class
    view, bio = _View(memoryview(data)), io.BytesIO(data)
    for op, n, whence in ops:
        if op == "read":
            assert view.read(n) == bio.read(n)
        elif op == "readline":
            assert view.readline(n) == bio.readline(n)
        elif op == "seek":
            position = abs(n) if whence == 0 else n
            if whence != 0 and bio.tell() + n < 0:
                continue  # BytesIO refuses a seek before the start; Whoosh never asks one
            assert view.seek(position, whence) == bio.seek(position, whence)
        elif op == "readinto":
            a, b = bytearray(abs(n) % 64), bytearray(abs(n) % 64)
            assert (view.readinto(a), a) == (bio.readinto(b), b)
        assert view.tell() == bio.tell()
    assert list(_View(memoryview(data))) == list(io.BytesIO(data))
