"""Publishing content to the kiosks: `kiosk publish`, `kiosk sync`, `kiosk rollback`.

Two publications are built once for the module (the sample, then the sample with the
English visit-booking article changed) into one publication folder; each test copies that
folder before damaging it, and installs into its own data folder.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import stat
import threading
import time
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import BUNDLED_CONTENT
from kiosk.publication import installed_content, installed_version

QUESTION = ["ask", "how do I book a visit", "--lang", "en", "--json"]
OLD_TITLE = "Booking a visit"
NEW_TITLE = "Booking a visit by phone"
BOOKING = "content/articles/visits/booking.yaml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def answer_title(capsys, *extra: str) -> str:
    code, out, err = run(capsys, *QUESTION, *extra)
    assert code == 0, err
    reply = json.loads(out)
    assert reply["answers"][0]["id"] == "visits.booking"
    return reply["answers"][0]["title"]


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A publication folder holding two signed versions: the sample, then a changed one."""
    root = tmp_path_factory.mktemp("published")
    keys = root / "keys"
    assert main(["keygen", "--out", str(keys)]) == 0
    sample = root / "sample"
    shutil.copytree(BUNDLED_CONTENT, sample)
    changed = root / "changed"
    shutil.copytree(BUNDLED_CONTENT, changed)
    booking = changed / "articles" / "visits" / "booking.yaml"
    text = booking.read_text(encoding="utf-8")
    assert f"    title: {OLD_TITLE}\n" in text
    booking.write_text(text.replace(f"    title: {OLD_TITLE}\n", f"    title: {NEW_TITLE}\n"))

    out = root / "pub"
    versions = []
    for content in (sample, changed):
        argv = ["publish", "--out", str(out), "--content", str(content)]
        assert main([*argv, "--sign", str(keys / "publish.key")]) == 0
        versions.append((out / "LATEST").read_text().strip())
    assert versions[0] < versions[1]
    return {"out": out, "old": versions[0], "new": versions[1], "keys": keys}


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample's index, built once for the module."""
    from kiosk.content.load import load_rulebook
    from kiosk.search.build import build_index

    root = tmp_path_factory.mktemp("sample-index")
    build_index(load_rulebook(BUNDLED_CONTENT)[0], root / "index")
    return root / "index"


@pytest.fixture
def kiosk_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, published: dict, sample_index: Path
) -> Path:
    """This test's own data folder: what it installs never reaches another test.

    It starts with the bundled sample's index, so asking the sample does not build one
    again, and its kiosk.yaml ($KIOSK_CONFIG) names the facility's publication key.
    """
    path = tmp_path / "kiosk-data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(path))
    shutil.copytree(sample_index, path / "index", copy_function=os.link)
    config = signed_config(tmp_path / "kiosk-data-config", published["keys"] / "publish.pub")
    monkeypatch.setenv("KIOSK_CONFIG", str(config))
    return path


@pytest.fixture
def pub(published: dict, tmp_path: Path) -> Path:
    """A private copy of the publication folder, LATEST naming the changed version."""
    dest = tmp_path / "pub"
    shutil.copytree(published["out"], dest)
    return dest


def point_latest(pub: Path, version: str) -> None:
    (pub / "LATEST").write_text(version + "\n")


def signed_config(tmp_path: Path, key: Path) -> Path:
    tmp_path.mkdir(exist_ok=True)
    config = tmp_path / "kiosk.yaml"
    config.write_text(f"publication_key: {key}\n", encoding="utf-8")
    return config


def unsigned_config(tmp_path: Path) -> Path:
    """A kiosk.yaml without a key that accepts unsigned publications (checksums only)."""
    config = tmp_path / "unsigned.yaml"
    config.write_text("allow_unsigned: true\n", encoding="utf-8")
    return config


def leftovers(data: Path) -> list[str]:
    return sorted(p.name for p in (data / "publications").iterdir() if p.name.startswith("."))


# ---- publish ---------------------------------------------------------------------------


def test_publish_refuses_content_that_check_rejects(capsys, content_copy, tmp_path):
    article = content_copy / "articles" / "visits" / "booking.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace("topic: visits", "topic: 12"))
    out = tmp_path / "pub"
    code, stdout, err = run(capsys, "publish", "--out", str(out), "--content", str(content_copy))
    assert code == 1
    assert "booking.yaml" in stdout  # the problem, with its file
    assert "not published" in one_line(err)
    assert not out.exists()  # not even the folder


@pytest.mark.slow
def test_publication_is_plain_files_with_a_complete_manifest(published):
    out, version = published["out"], published["new"]
    assert (out / "LATEST").read_text() == version + "\n"
    folder = out / version
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["version"] == version
    assert version.endswith("-" + manifest["content_version"][:8])
    assert manifest["tool_version"] and manifest["built"].endswith("Z")
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert on_disk - listed == {"manifest.json", "manifest.sig"}
    assert BOOKING in listed
    assert all(p.startswith("content/") for p in listed)  # no index: kiosks build their own
    # Readable by a web server running as another user.
    assert all(p.stat().st_mode & stat.S_IROTH for p in folder.rglob("*"))
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary folder


def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites(capsys, published):
    keys = published["keys"]
    assert stat.S_IMODE((keys / "publish.key").stat().st_mode) == 0o600
    assert b"PUBLIC KEY" in (keys / "publish.pub").read_bytes()
    before = (keys / "publish.key").read_bytes()
    code, _, err = run(capsys, "keygen", "--out", str(keys))
    assert code == 2 and "already exists" in one_line(err)
    assert (keys / "publish.key").read_bytes() == before


# ---- sync: the good paths ------------------------------------------------------------


@pytest.mark.slow
def test_sync_from_a_folder_then_ask_answers_from_the_publication(capsys, kiosk_data, pub):
    assert answer_title(capsys) == OLD_TITLE  # nothing installed: the bundled sample
    assert installed_version(kiosk_data) is None
    code, out, err = run(capsys, "sync", str(pub))
    assert code == 0, err
    version = (pub / "LATEST").read_text().strip()
    assert f"installed {version}" in out and "index built" in out
    assert installed_version(kiosk_data) == version
    assert installed_content(kiosk_data) == kiosk_data / "publications" / version / "content"
    assert answer_title(capsys) == NEW_TITLE
    # Sync built the index: the kiosk does not build one.
    from kiosk.assistant import Assistant
    from kiosk.config import KioskConfig

    assistant = Assistant(KioskConfig())
    try:
        assert assistant.content_dir == installed_content(kiosk_data)
        assert assistant.index.built is False
    finally:
        assistant.close()
    # Explicit content always wins over the installed publication.
    assert answer_title(capsys, "--content", str(BUNDLED_CONTENT)) == OLD_TITLE

    code, out, _ = run(capsys, "sync", str(pub))
    assert code == 0 and out.strip() == f"already up to date: {version}"


@pytest.mark.slow
def test_config_content_wins_over_the_installed_publication(capsys, kiosk_data, pub, tmp_path):
    assert run(capsys, "sync", str(pub))[0] == 0
    config = tmp_path / "kiosk.yaml"
    config.write_text(f"content: {BUNDLED_CONTENT}\n", encoding="utf-8")
    assert answer_title(capsys, "--config", str(config)) == OLD_TITLE
    assert answer_title(capsys) == NEW_TITLE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def serve():
    """Serve a folder over http on localhost (what `python -m http.server` does)."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_sync_over_http_then_a_tampered_one_is_refused(
    capsys, kiosk_data, pub, serve, published, tmp_path, monkeypatch
):
    monkeypatch.setenv("KIOSK_CONFIG", str(unsigned_config(tmp_path)))  # checksums alone
    url = serve(pub)
    code, out, err = run(capsys, "sync", url)
    assert code == 0, err
    assert out.startswith(f"installed {published['new']}")
    assert installed_version(kiosk_data) == published["new"]
    assert answer_title(capsys) == NEW_TITLE

    # A newer "publication" whose article was changed after publishing.
    forged = published["new"][:-8] + "ffffffff"
    (pub / published["new"]).rename(pub / forged)
    manifest = json.loads((pub / forged / "manifest.json").read_text())
    manifest["version"] = forged
    (pub / forged / "manifest.json").write_text(json.dumps(manifest))
    (pub / forged / BOOKING).write_text("id: visits.booking\n")
    point_latest(pub, forged)
    code, _, err = run(capsys, "sync", url)
    assert code == 2
    line = one_line(err)
    assert f"{url}{forged}/{BOOKING}" in line and "not installed" in line
    assert installed_version(kiosk_data) == published["new"]
    assert answer_title(capsys) == NEW_TITLE


def test_unreachable_server_is_one_line(capsys, kiosk_data, serve, tmp_path):
    url = serve(tmp_path)  # serves an empty folder: no LATEST
    code, _, err = run(capsys, "sync", url)
    assert code == 2 and "LATEST: not found" in one_line(err)
    code, _, err = run(capsys, "sync", "http://127.0.0.1:9/pub/")
    assert code == 2 and "cannot reach" in one_line(err)
    assert installed_version(kiosk_data) is None


class _DripHandler(http.server.BaseHTTPRequestHandler):
    """A server that sends one byte every 0.2 s: each read gets something in time."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(100):
                self.wfile.write(b"2")
                self.wfile.flush()
                time.sleep(0.2)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.slow
def test_a_dripping_server_is_given_up_at_the_deadline(capsys, kiosk_data, monkeypatch):
    from kiosk.publication import source

    monkeypatch.setattr(source, "DEADLINE", 2.0)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _DripHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        code, _, err = run(capsys, "sync", f"http://127.0.0.1:{server.server_address[1]}/")
        assert time.monotonic() - started < 8  # not the 20 s the drip would take
    finally:
        server.shutdown()
        server.server_close()
    assert code == 2 and "took too long" in one_line(err)
    assert installed_version(kiosk_data) is None


@pytest.mark.parametrize("target", ["LATEST", BOOKING])
def test_a_fifo_in_a_folder_source_is_refused_not_waited_on(kiosk_data, pub, published, target):
    """A FIFO (or a device) where a file should be would block sync, and then rollback
    (it waits for the lock), for ever."""
    import subprocess
    import sys

    path = pub / (target if target == "LATEST" else f"{published['new']}/{target}")
    path.unlink()
    os.mkfifo(path)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    for argv, expected in (("sync", str(pub)), "not a regular file"), (("rollback",), "nothing"):
        proc = subprocess.run(
            [sys.executable, "-m", "kiosk", *argv], env=env, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        assert proc.returncode == 2 and expected in one_line(proc.stderr), proc.stderr
    assert installed_version(kiosk_data) is None


# ---- sync: damaged publications are refused, the old content keeps answering --------


def _install_old(capsys, pub: Path, published: dict) -> None:
    point_latest(pub, published["old"])
    assert run(capsys, "sync", str(pub))[0] == 0
    point_latest(pub, published["new"])
    assert answer_title(capsys) == OLD_TITLE


def _damage_truncate(path: Path) -> str:
    path.write_bytes(path.read_bytes()[:100])
    return "truncated"


def _damage_flip(path: Path) -> str:
    data = bytearray(path.read_bytes())
    data[-3] = ord("X") if data[-3] != ord("X") else ord("Y")  # same size, other bytes
    path.write_bytes(bytes(data))
    return "SHA-256 does not match"


def _damage_delete(path: Path) -> str:
    path.unlink()
    return "missing"


@pytest.mark.slow
@pytest.mark.parametrize("damage", [_damage_flip, _damage_truncate, _damage_delete])
def test_damaged_publication_is_refused_and_old_content_still_answers(
    capsys, kiosk_data, pub, published, damage
):
    _install_old(capsys, pub, published)
    path = pub / published["new"] / BOOKING
    expected = damage(path)
    code, _, err = run(capsys, "sync", str(pub))
    assert code == 2
    line = one_line(err)
    assert str(path) in line and expected in line
    assert installed_version(kiosk_data) == published["old"]
    assert answer_title(capsys) == OLD_TITLE
    assert leftovers(kiosk_data) == [".lock"]  # no half-installed folder left behind
    assert not (kiosk_data / "publications" / published["new"]).exists()


def test_extra_file_is_refused(capsys, kiosk_data, pub, published):
    (pub / published["new"] / "content" / "articles" / "visits" / "extra.yaml").write_text(
        "id: visits.extra\n"
    )
    code, _, err = run(capsys, "sync", str(pub))
    assert code == 2 and "extra.yaml: not in the manifest" in one_line(err)
    assert installed_version(kiosk_data) is None


@pytest.mark.parametrize("bad_path", ["../outside.yaml", "/etc/kiosk-evil", "content/../../x"])
def test_paths_leaving_the_publication_are_refused(capsys, kiosk_data, pub, published, bad_path):
    folder = pub / published["new"]
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"].append({"path": bad_path, "size": 1, "sha256": "0" * 64})
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "manifest.sig").unlink()
    code, _, err = run(capsys, "sync", str(pub), "--config", str(unsigned_config(pub)))
    assert code == 2
    assert repr(bad_path) in one_line(err)
    assert installed_version(kiosk_data) is None
    assert not (kiosk_data / "outside.yaml").exists()


def test_half_written_latest_or_manifest_is_refused(capsys, kiosk_data, pub, published):
    manifest = pub / published["new"] / "manifest.json"
    manifest.write_bytes(manifest.read_bytes()[:200])
    code, _, err = run(capsys, "sync", str(pub), "--config", str(unsigned_config(pub)))
    assert code == 2 and "manifest.json: not a readable manifest" in one_line(err)
    point_latest(pub, "garbage")
    code, _, err = run(capsys, "sync", str(pub))
    assert code == 2 and "does not name a publication" in one_line(err)
    assert installed_version(kiosk_data) is None


# ---- signatures ------------------------------------------------------------------------


@pytest.mark.slow
def test_signed_publication_installs_with_the_right_key(
    capsys, kiosk_data, pub, published, tmp_path
):
    config = signed_config(tmp_path, published["keys"] / "publish.pub")
    code, out, err = run(capsys, "sync", str(pub), "--config", str(config))
    assert code == 0, err
    assert ", signature verified," in out
    assert answer_title(capsys) == NEW_TITLE


@pytest.mark.slow
def test_wrong_key_refuses_the_publication(capsys, kiosk_data, pub, published, tmp_path):
    _install_old(capsys, pub, published)
    assert main(["keygen", "--out", str(tmp_path / "other")]) == 0
    config = signed_config(tmp_path, tmp_path / "other" / "publish.pub")
    capsys.readouterr()
    code, _, err = run(capsys, "sync", str(pub), "--config", str(config))
    assert code == 2
    assert "signature does not match" in one_line(err)
    assert installed_version(kiosk_data) == published["old"]
    assert answer_title(capsys) == OLD_TITLE


@pytest.mark.slow
def test_unsigned_publication_refused_when_a_key_is_configured(
    capsys, kiosk_data, pub, published, tmp_path
):
    (pub / published["new"] / "manifest.sig").unlink()
    config = signed_config(tmp_path, published["keys"] / "publish.pub")
    code, _, err = run(capsys, "sync", str(pub), "--config", str(config))
    assert code == 2
    line = one_line(err)
    assert "manifest.sig: missing" in line and "only signed publications" in line
    assert installed_version(kiosk_data) is None
    assert answer_title(capsys) == OLD_TITLE  # still the bundled sample


def test_manifest_rewritten_to_match_a_changed_file_fails_the_signature(
    capsys, kiosk_data, pub, published, tmp_path
):
    import hashlib

    folder = pub / published["new"]
    article = folder / BOOKING
    article.write_bytes(article.read_bytes().replace(b"by phone", b"by fax!!"))
    manifest = json.loads((folder / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["path"] == BOOKING:
            entry["sha256"] = hashlib.sha256(article.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    config = signed_config(tmp_path, published["keys"] / "publish.pub")
    code, _, err = run(capsys, "sync", str(pub), "--config", str(config))
    assert code == 2 and "signature does not match" in one_line(err)
    assert installed_version(kiosk_data) is None


@pytest.mark.slow
def test_without_a_key_a_publication_is_refused_unless_allow_unsigned(
    capsys, kiosk_data, pub, tmp_path, monkeypatch
):
    monkeypatch.delenv("KIOSK_CONFIG")
    code, _, err = run(capsys, "sync", str(pub))
    assert code == 2
    line = one_line(err)
    assert "no publication_key" in line and "allow_unsigned: true" in line
    assert installed_version(kiosk_data) is None
    code, out, err = run(capsys, "sync", str(pub), "--config", str(unsigned_config(tmp_path)))
    assert code == 0, err
    assert "UNSIGNED" in out
    assert answer_title(capsys) == NEW_TITLE


class _RunsCode:
    """Unpickling this opens (creates) a file: what a hostile pickle could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.slow
@pytest.mark.parametrize("signed", [True, False])
def test_an_index_shipped_in_a_publication_is_never_unpickled(
    capsys, kiosk_data, pub, published, tmp_path, signed
):
    """A publication made the old way, with index/<key>/ whose TOC holds a pickle that
    runs code, listed in the manifest with the right checksums: the kiosk builds its own
    index and the pickle never runs, at sync, at 'kiosk ask' or anywhere else."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    from kiosk.content.load import load_rulebook
    from kiosk.publication import signing
    from kiosk.publication.manifest import Manifest, file_entry
    from kiosk.search.build import build_index

    folder = pub / published["new"]
    built = build_index(load_rulebook(folder / "content")[0], folder / "index")
    storage = FileStorage(str(built.path))
    toc = TOC.read(storage, "MAIN")
    marker = tmp_path / "code-ran"
    toc.segments = [_RunsCode(marker)]
    for old_toc in built.path.glob("_MAIN_*.toc"):
        old_toc.unlink()
    toc.write(storage, "MAIN")
    old = Manifest.from_bytes((folder / "manifest.json").read_bytes(), "manifest.json")
    files = sorted(
        (p for p in folder.rglob("*") if p.is_file() and p.parent != folder),
        key=lambda p: p.relative_to(folder).as_posix(),
    )
    manifest = Manifest(
        version=old.version,
        content_version=old.content_version,
        built=old.built,
        tool_version=old.tool_version,
        index_key=built.path.name,
        files=tuple(file_entry(folder, p) for p in files),
    )
    raw = manifest.to_bytes()
    (folder / "manifest.json").write_bytes(raw)
    if signed:
        key = signing.load_private_key(published["keys"] / "publish.key")
        (folder / "manifest.sig").write_bytes(signing.sign(key, raw))
        config = []
    else:
        (folder / "manifest.sig").unlink()
        config = ["--config", str(unsigned_config(tmp_path))]

    code, out, err = run(capsys, "sync", str(pub), *config)
    assert code == 0, err
    assert answer_title(capsys) == NEW_TITLE
    assert not marker.exists()
    assert "index built" in out
    installed = kiosk_data / "publications" / published["new"]
    assert not (installed / "index").exists()  # not even downloaded


def test_publish_with_a_file_that_is_not_a_key_says_so(capsys, content_copy, tmp_path):
    bogus = tmp_path / "key.pem"
    bogus.write_text("not a key\n")
    out = tmp_path / "pub"
    argv = ["publish", "--out", str(out), "--content", str(content_copy), "--sign", str(bogus)]
    code, _, err = run(capsys, *argv)
    assert code == 2 and "not a signing key" in one_line(err)
    assert not (out / "LATEST").exists()


# ---- rollback --------------------------------------------------------------------------


@pytest.mark.slow
def test_rollback_returns_to_the_previous_content_and_sync_respects_it(
    capsys, kiosk_data, pub, published
):
    code, _, err = run(capsys, "rollback")
    assert code == 2 and "nothing to roll back" in one_line(err)
    _install_old(capsys, pub, published)
    code, _, err = run(capsys, "rollback")
    assert code == 2 and "no previous publication" in one_line(err)

    assert run(capsys, "sync", str(pub))[0] == 0
    assert answer_title(capsys) == NEW_TITLE
    code, out, err = run(capsys, "rollback")
    assert code == 0, err
    assert f"rolled back from {published['new']} to {published['old']}" in out
    assert installed_version(kiosk_data) == published["old"]
    assert answer_title(capsys) == OLD_TITLE

    # The timer's next sync does not undo the rollback ...
    code, out, _ = run(capsys, "sync", str(pub))
    assert code == 0 and "was rolled back on this kiosk" in out
    assert answer_title(capsys) == OLD_TITLE
    # ... until staff force it (or publish a newer version).
    code, out, err = run(capsys, "sync", str(pub), "--force")
    assert code == 0, err
    assert answer_title(capsys) == NEW_TITLE


@pytest.mark.slow
def test_a_second_rollback_refuses_and_keeps_the_hold(capsys, kiosk_data, pub, published):
    """Issue 15, point 10: rolling back twice reinstalled the version just rolled back from,
    and lifted the hold that keeps sync from reinstalling it."""
    old, new = published["old"], published["new"]
    _install_old(capsys, pub, published)
    assert run(capsys, "sync", str(pub))[0] == 0
    code, out, err = run(capsys, "rollback")
    assert code == 0, err
    assert f"{old} is live now" in out
    code, out, err = run(capsys, "rollback")
    assert code == 2 and out == ""
    line = one_line(err)
    assert f"{old} is live now" in line and f"already rolled back from {new}" in line
    assert installed_version(kiosk_data) == old
    assert answer_title(capsys) == OLD_TITLE
    # Sync still holds the rolled-back version back, however often it runs.
    for _ in range(2):
        code, out, _ = run(capsys, "sync", str(pub))
        assert code == 0 and "was rolled back on this kiosk" in out
    assert installed_version(kiosk_data) == old


def test_an_older_publication_is_not_installed_over_a_newer_one(capsys, kiosk_data, pub, published):
    assert run(capsys, "sync", str(pub))[0] == 0
    point_latest(pub, published["old"])
    code, _, err = run(capsys, "sync", str(pub))
    assert code == 2 and "older than the installed" in one_line(err)
    assert installed_version(kiosk_data) == published["new"]


@pytest.mark.slow
def test_only_current_and_previous_are_kept(capsys, kiosk_data, pub, published, tmp_path):
    _install_old(capsys, pub, published)
    assert run(capsys, "sync", str(pub))[0] == 0
    # A third publication, into the same folder.
    content = tmp_path / "third"
    shutil.copytree(BUNDLED_CONTENT, content)
    (content / "synonyms.yaml").write_text(
        (content / "synonyms.yaml").read_text(encoding="utf-8") + "\n# third\n", encoding="utf-8"
    )
    key = published["keys"] / "publish.key"
    assert main(["publish", "--out", str(pub), "--content", str(content), "--sign", str(key)]) == 0
    third = (pub / "LATEST").read_text().strip()
    assert third > published["new"]
    assert run(capsys, "sync", str(pub))[0] == 0
    kept = sorted(p.name for p in (kiosk_data / "publications").iterdir() if p.is_dir())
    assert kept == [published["new"], third]
    assert (kiosk_data / "publications" / "previous").read_text().strip() == published["new"]


@pytest.mark.slow
def test_index_of_another_kiosk_version_is_rebuilt_during_sync(
    capsys, kiosk_data, pub, monkeypatch
):
    from kiosk.search import build as search_build

    real = search_build.index_key
    monkeypatch.setattr(search_build, "index_key", lambda rb: real(rb) + "x")
    code, out, err = run(capsys, "sync", str(pub))
    assert code == 0, err
    assert "index built" in out
    assert answer_title(capsys) == NEW_TITLE


def test_installed_version_is_cheap_and_none_without_a_publication(kiosk_data, tmp_path):
    assert installed_version(kiosk_data) is None
    assert installed_content(kiosk_data) is None
    pointer = kiosk_data / "publications" / "current"
    pointer.parent.mkdir(parents=True)
    pointer.write_text("../../etc\n")  # not a version name: ignored
    assert installed_version(kiosk_data) is None
    os.remove(pointer)


# ---- deploy/ ---------------------------------------------------------------------------

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def _unit(name: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_sync_timer_and_service_are_valid_systemd_units(tmp_path):
    service, timer = _unit("kiosk-sync.service"), _unit("kiosk-sync.timer")
    assert service["Type"] == ["oneshot"] and service["User"] == ["kiosk"]
    assert service["ExecStart"][0].split()[1:] == ["sync", "${KIOSK_SYNC_SOURCE}"]
    assert service["ProtectSystem"] == ["strict"] and service["NoNewPrivileges"] == ["yes"]
    assert timer["OnUnitActiveSec"] == ["15min"] and "RandomizedDelaySec" in timer
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    import subprocess

    # The kiosk's own path does not exist here: verify a copy that runs /bin/true.
    text = (DEPLOY / "kiosk-sync.service").read_text(encoding="utf-8")
    exe = service["ExecStart"][0].split()[0]
    (tmp_path / "kiosk-sync.service").write_text(text.replace(exe, "/bin/true"))
    shutil.copy(DEPLOY / "kiosk-sync.timer", tmp_path / "kiosk-sync.timer")
    proc = subprocess.run(
        [analyze, "verify", "--man=no", "kiosk-sync.service", "kiosk-sync.timer"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == ""


@pytest.mark.slow
def test_a_refused_forced_reinstall_keeps_the_previous_publication(
    capsys, kiosk_data, pub, published
):
    _install_old(capsys, pub, published)
    assert run(capsys, "sync", str(pub))[0] == 0  # new installed, old is previous
    point_latest(pub, published["old"])
    _damage_truncate(pub / published["old"] / BOOKING)
    code, _, err = run(capsys, "sync", str(pub), "--force")
    assert code == 2 and "truncated" in one_line(err)
    assert installed_version(kiosk_data) == published["new"]
    code, out, err = run(capsys, "rollback")
    assert code == 0, err
    assert f"to {published['old']}" in out
    assert answer_title(capsys) == OLD_TITLE


# ---- hot reload: a running kiosk takes up what sync installed -------------------------------


def _kiosk_on(version: str, capsys, pub: Path):
    """The kiosk app answering from ``version``, installed by sync."""
    from kiosk.assistant import Assistant
    from kiosk.config import KioskConfig
    from tests.ui_helpers import make_app

    point_latest(pub, version)
    assert run(capsys, "sync", str(pub))[0] == 0
    return make_app(Assistant(KioskConfig()))


async def _install_while_running(app, pilot, capsys, pub: Path, version: str, damage=None):
    point_latest(pub, version)
    assert run(capsys, "sync", str(pub))[0] == 0
    if damage:
        damage()
    app.check_publication()  # what the kiosk does every few seconds
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.slow
async def test_a_running_kiosk_switches_to_a_new_publication_between_answers(
    capsys, kiosk_data, pub, published
):
    from tests.ui_helpers import ask, pick, screen_text

    app = _kiosk_on(published["old"], capsys, pub)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        assert OLD_TITLE in screen_text(app)

        await _install_while_running(app, pilot, capsys, pub, published["new"])
        assert app.content_version == published["new"]

        await ask(pilot, "how do I book a visit")
        shown = screen_text(app)
        assert NEW_TITLE in shown
        assert OLD_TITLE in shown  # the conversation on screen was not disturbed


@pytest.mark.slow
async def test_a_publication_that_cannot_be_opened_leaves_the_kiosk_answering(
    capsys, kiosk_data, pub, published
):
    from tests.ui_helpers import ask, pick, screen_text

    def damage():  # the publication is damaged after it was installed
        shutil.rmtree(installed_content(kiosk_data))

    app = _kiosk_on(published["old"], capsys, pub)
    async with app.run_test(size=(100, 40)) as pilot:
        await pick(pilot, "en")
        await _install_while_running(app, pilot, capsys, pub, published["new"], damage)
        await ask(pilot, "how do I book a visit")
        assert OLD_TITLE in screen_text(app)
        assert app.screen.__class__.__name__ == "ChatScreen"
