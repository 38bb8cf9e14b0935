"""`kiosk doctor`: one line per check of a kiosk's set-up, what to fix, exit 1 on a failure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import kiosk.doctor as doctor
from kiosk.assistant import Assistant
from kiosk.cli import main
from kiosk.config import KioskConfig
from kiosk.content.load import load_rulebook
from kiosk.search.build import build_index
from kiosk.search.schema import index_key

NAMES = ["config", "publication", "content", "index", "meaning", "data folder", "fault log",
         "terminal", "espeak-ng"]  # fmt: skip


def statuses(report: doctor.Report) -> dict[str, str]:
    return {c.name: c.status for c in report.checks}


def detail(report: doctor.Report, name: str) -> str:
    return next(c.detail for c in report.checks if c.name == name)


def healthy(**kwargs) -> doctor.Report:
    kwargs.setdefault("terminal", lambda: (80, 24))
    kwargs.setdefault("espeak", "/usr/bin/espeak-ng")
    return doctor.diagnose(**kwargs)


@pytest.mark.slow
def test_a_sound_kiosk_passes_every_check(seeded_data_dir, tmp_path):
    config = tmp_path / "kiosk.yaml"
    config.write_text(f"content: {Path('content').resolve()}\nunit: low\n")
    report = healthy(config_path=config)
    assert list(statuses(report)) == NAMES
    assert set(statuses(report).values()) == {"OK"}, doctor.report_text(report)
    assert "matches the content" in detail(report, "index")
    assert "switched off" in detail(report, "meaning")  # KIOSK_NO_MEANING in the tests
    assert report.ok


def test_the_meaning_check_says_what_answers_come_from(monkeypatch, tmp_path):
    from kiosk.search import meaning

    monkeypatch.delenv("KIOSK_NO_MEANING", raising=False)
    monkeypatch.setattr(meaning, "find_engine", lambda: None)
    check = doctor._meaning(doctor.KioskConfig(), None)  # the rulebook is not looked at
    assert (check.status, "not installed") == ("OK", check.detail.split(":")[0])
    files = meaning.EngineFiles(tmp_path / "engine.so", tmp_path / "model.bin")
    monkeypatch.setattr(meaning, "find_engine", lambda: files)
    monkeypatch.setattr(meaning, "engine_digest", lambda f: "0" * 16)
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))

    class Book:
        fingerprint = "f" * 16

    check = doctor._meaning(doctor.KioskConfig(), Book())
    assert check.status == "WARN" and "background" in check.detail


@pytest.mark.slow
def test_the_command_prints_one_line_per_check_and_json(seeded_data_dir, capsys, monkeypatch):
    monkeypatch.setattr(doctor, "terminal_size", lambda: (100, 30))
    assert main(["doctor", "--content", "content"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(line.split()[0] in ("OK", "WARN") for line in lines[:-1]), lines
    assert lines[-1].startswith("ready: 0 failed")
    assert main(["doctor", "--content", "content", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True
    assert {c["name"] for c in data["checks"]} >= set(NAMES) - {"espeak-ng"}


@pytest.mark.slow
def test_a_bad_config_fails_and_names_the_key(seeded_data_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(doctor, "terminal_size", lambda: (80, 24))
    config = tmp_path / "kiosk.yaml"
    config.write_text("idle_timout: 30\n")
    assert main(["doctor", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("FAIL") and "config" in x)
    assert "unknown key 'idle_timout'" in line and "kiosk.yaml:1" in line
    assert "not ready: 1 failed" in out.splitlines()[-1]


@pytest.mark.slow
def test_broken_content_fails_and_names_the_file(seeded_data_dir, content_copy):
    (content_copy / "articles/visits/booking.yaml").write_text("id: [unclosed\n")
    report = healthy(content=content_copy)
    assert statuses(report)["content"] == "FAIL"
    assert "booking.yaml" in detail(report, "content") and "kiosk check" in detail(
        report, "content"
    )
    assert not report.ok


@pytest.mark.slow
def test_a_missing_or_damaged_index_is_a_warning_it_will_be_rebuilt(seeded_data_dir):
    key = index_key(load_rulebook(Path("content"))[0])
    path = seeded_data_dir / "index" / key
    for seg in path.glob("*.seg"):
        seg.write_bytes(seg.read_bytes()[:1000])
    report = healthy(content=Path("content"))
    assert statuses(report)["index"] == "WARN" and "damaged" in detail(report, "index")
    shutil.rmtree(path)
    report = healthy(content=Path("content"))
    assert statuses(report)["index"] == "WARN" and "kiosk index" in detail(report, "index")
    assert report.ok  # the kiosk builds it itself


@pytest.mark.slow
def test_an_index_of_other_content_under_this_name_fails(seeded_data_dir, content_copy, tmp_path):
    (content_copy / "articles/visits/booking.yaml").unlink()
    smaller, _ = load_rulebook(content_copy)
    built = build_index(smaller, tmp_path / "other")
    key = index_key(load_rulebook(Path("content"))[0])
    target = seeded_data_dir / "index" / key
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(built.path, target)
    report = healthy(content=Path("content"))
    assert statuses(report)["index"] == "FAIL"
    assert "kiosk index" in detail(report, "index")


@pytest.mark.slow
def test_unwritable_data_folder_and_fault_log_fail(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(blocker / "data"))
    report = healthy(content=Path("content"))
    assert statuses(report)["data folder"] == "FAIL"
    assert "ReadWritePaths" in detail(report, "data folder")
    assert statuses(report)["fault log"] == "FAIL"
    data = tmp_path / "data"
    (data / "logs" / "faults.log").mkdir(parents=True)  # in the way: a folder
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data))
    report = healthy(content=Path("content"))
    assert statuses(report)["data folder"] == "OK"
    assert statuses(report)["fault log"] == "FAIL"


@pytest.mark.slow
def test_small_terminal_fails_no_terminal_and_no_espeak_are_warnings(seeded_data_dir):
    report = healthy(content=Path("content"), terminal=lambda: (79, 24), espeak="")
    assert statuses(report)["terminal"] == "FAIL" and "80x24" in detail(report, "terminal")
    assert statuses(report)["espeak-ng"] == "WARN"
    report = healthy(content=Path("content"), terminal=lambda: None)
    assert statuses(report)["terminal"] == "WARN"


@pytest.mark.slow
def test_a_publication_whose_folder_vanished_fails(seeded_data_dir):
    pubs = seeded_data_dir / "publications"
    pubs.mkdir()
    (pubs / "current").write_text("20261124T013800Z-0123abcd\n")
    report = healthy()
    assert statuses(report)["publication"] == "FAIL"
    assert "kiosk rollback" in detail(report, "publication")
    shutil.rmtree(pubs)
    report = healthy()
    assert statuses(report)["publication"] == "WARN"
    assert "bundled sample" in detail(report, "publication")


@pytest.mark.slow
def test_staff_mode_is_pointed_out(seeded_data_dir, tmp_path):
    config = tmp_path / "kiosk.yaml"
    config.write_text("kiosk_mode: false\n")
    report = healthy(config_path=config, content=Path("content"))
    assert statuses(report)["kiosk mode"] == "WARN"


@pytest.mark.slow
def test_doctor_agrees_with_a_running_kiosk(seeded_data_dir):
    # After the kiosk has run once, everything it needs is in place.
    Assistant(KioskConfig(content=Path("content").resolve())).warm()
    report = healthy(content=Path("content").resolve())
    assert statuses(report)["index"] == "OK"
