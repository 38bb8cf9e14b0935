"""Faults a kiosk meets in months of running: a damaged or vanished index, content it
cannot read, a full disk, systemd stopping it. Each ends in answers that keep coming, or
the out-of-service screen and a recovery of its own once the cause is gone."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input

import kiosk.ui.app as app_module
from kiosk.assistant import Assistant
from kiosk.cli import main
from kiosk.config import KioskConfig
from kiosk.ui.screens.chat import ChatScreen
from kiosk.ui.screens.fault import FaultScreen
from kiosk.ui.screens.picker import LanguageScreen
from kiosk.ui.widgets.messages import AnswerBubble
from tests.tmux import Terminal, in_tmux, kiosk_command
from tests.ui_helpers import ask, make_app, pick, screen_text

QUESTIONS = {
    "how do I book a visit": "visits.booking",
    "how do i order from the canteen": "canteen.ordering",
    "I want to see a dentist": "healthcare.dental",
}


@pytest.fixture
def private_data(seeded_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder of this test's own (with the sample's index), and quick retries."""
    monkeypatch.setattr(app_module, "FAULT_RETRY_SECONDS", 0.3)
    return seeded_data_dir


def tops(assistant: Assistant) -> dict[str, str | None]:
    replies = {q: assistant.ask(q, "en") for q in QUESTIONS}
    return {q: r.top.id if r.top and r.status != "no_match" else None for q, r in replies.items()}


# ---- a damaged index ---------------------------------------------------------------------


def truncate_segments(path: Path) -> None:
    for seg in path.glob("*.seg"):
        with open(seg, "r+b") as fh:
            fh.truncate(seg.stat().st_size // 2)


def overwrite_middle(path: Path) -> None:
    biggest = max((p for p in path.iterdir() if p.is_file()), key=lambda p: p.stat().st_size)
    with open(biggest, "r+b") as fh:
        fh.seek(biggest.stat().st_size // 2)
        fh.write(os.urandom(4096))


def garbage_toc(path: Path) -> None:
    for toc in path.glob("*.toc"):
        toc.write_bytes(b"\x00garbage" * 10)


def delete_files(path: Path) -> None:
    for file in path.iterdir():
        file.unlink()


def delete_folder(path: Path) -> None:
    shutil.rmtree(path)


DAMAGE = [truncate_segments, overwrite_middle, garbage_toc, delete_files, delete_folder]


@pytest.mark.slow
@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_index_damaged_while_answering_keeps_answering_then_is_rebuilt(private_data, damage):
    running = Assistant(KioskConfig())
    expected = tops(running)
    assert all(expected[q] == want for q, want in QUESTIONS.items()), expected
    path = running.index.path
    damage(path)
    # The running kiosk still answers: its index was read into memory when it opened.
    assert tops(running) == expected
    # The next start finds the damage and builds the index again.
    fresh = Assistant(KioskConfig())
    assert fresh.index.built
    assert tops(fresh) == expected
    running.close()
    fresh.close()


@pytest.mark.slow
def test_an_index_left_alone_is_not_rebuilt(private_data):
    first = Assistant(KioskConfig())
    first.warm()
    again = Assistant(KioskConfig())
    assert not again.index.built
    assert (private_data / "index" / ".sums" / f"{again.index.path.name}.json").is_file()
    first.close()
    again.close()


@pytest.mark.slow
async def test_index_deleted_under_a_running_kiosk_it_keeps_answering(private_data):
    assistant = Assistant(KioskConfig())
    app = make_app(assistant)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        shutil.rmtree(assistant.index.path)
        await ask(pilot, "how do i order from the canteen")
        assert isinstance(app.screen, ChatScreen)
        titles = [str(b.query_one(".title").render()) for b in app.screen.query(AnswerBubble)]
        assert titles[-1] == "Ordering from the canteen"
    assistant.close()


# ---- content the kiosk cannot read -----------------------------------------------------


def make_unreadable(folder: Path, monkeypatch) -> Callable[[], None]:
    """Make ``folder`` unreadable for the kiosk; returns what makes it readable again."""
    if os.geteuid() != 0:
        folder.chmod(0)
        return lambda: folder.chmod(0o755)
    # Root reads every folder: give the loader the error a kiosk user would get.
    from kiosk.content import load

    real = load.content_files
    blocked = [True]

    def content_files(root: Path) -> list[Path]:
        if blocked[0] and Path(root).resolve().is_relative_to(folder.resolve()):
            raise PermissionError(errno.EACCES, "Permission denied", str(root))
        return real(root)

    monkeypatch.setattr(load, "content_files", content_files)
    return lambda: blocked.__setitem__(0, False)


async def wait_for(pilot, condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still on {type(pilot.app.screen).__name__}"
        await pilot.pause(0.1)


async def settled_on_picker(pilot) -> None:
    """Wait until the kiosk is back on the language picker with no retry still running."""
    app = pilot.app
    for _ in range(3):
        await wait_for(pilot, lambda: isinstance(app.screen, LanguageScreen))
        await app.workers.wait_for_complete()
        await pilot.pause(0.4)  # longer than a retry: a failing one would show by now
        if isinstance(app.screen, LanguageScreen):
            return
    raise AssertionError(f"the kiosk did not recover: {type(app.screen).__name__}")


@pytest.mark.slow
async def test_unreadable_content_is_out_of_service_until_it_can_be_read(
    private_data, content_copy, monkeypatch
):
    readable_again = make_unreadable(content_copy, monkeypatch)
    config = KioskConfig(content=content_copy)
    app = app_module.kiosk_app(config)  # what `kiosk run` starts
    assert app.assistant is None
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FaultScreen))
        assert "Out of service" in screen_text(app)
        first_code = app.screen.code
        await wait_for(pilot, lambda: app.screen.code != first_code)  # retried, still out
        assert isinstance(app.screen, FaultScreen) and app.return_code is None
        readable_again()
        await settled_on_picker(pilot)
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        bubble = app.screen.query(AnswerBubble).last()
        assert str(bubble.query_one(".title").render()) == "Booking a visit"
    log = (private_data / "logs" / "faults.log").read_text()
    assert "PermissionError" in log


def test_unreadable_content_on_the_command_line_is_one_line(
    private_data, content_copy, monkeypatch, capsys
):
    make_unreadable(content_copy, monkeypatch)
    code = main(["ask", "how do I book a visit", "--content", str(content_copy)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "Permission denied" in err and str(content_copy) in err, err


# ---- a full disk ---------------------------------------------------------------------------


@pytest.mark.slow
async def test_index_that_cannot_be_written_is_out_of_service_until_there_is_room(
    private_data,
):
    seeded = private_data.parent / "seeded-index"
    (private_data / "index").rename(seeded)
    (private_data / "index").write_text("in the way: no folder can be made here")
    assistant = Assistant(KioskConfig())
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FaultScreen))
        assert app.screen.code in screen_text(app)
        (private_data / "index").unlink()
        seeded.rename(private_data / "index")
        await settled_on_picker(pilot)
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        bubble = app.screen.query(AnswerBubble).last()
        assert str(bubble.query_one(".title").render()) == "Booking a visit"
    log = (private_data / "logs" / "faults.log").read_text()
    assert "cannot write the index" not in log  # the message is not logged, its kind is
    assert "KioskError" in log


@pytest.mark.slow
async def test_a_fault_while_the_log_disk_is_full_still_shows_out_of_service(
    private_data, monkeypatch
):
    import kiosk.faults as faults

    # The retry succeeds at once here (only asking is broken), so the fault screen
    # stays up for one retry period: long enough to be seen on a loaded machine.
    monkeypatch.setattr(app_module, "FAULT_RETRY_SECONDS", 3.0)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    assistant = Assistant(KioskConfig())
    app = make_app(assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "en")
        with pytest.MonkeyPatch.context() as cause:
            cause.setattr(faults, "open", disk_full, raising=False)
            cause.setattr(assistant, "ask", broken)
            app.screen.query_one("#question", Input).value = "anything"
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, FaultScreen))
            assert app.screen.code in screen_text(app)
            assert app.is_running and app.return_code is None
        # The cause goes away (space freed, the error gone): the kiosk comes back.
        await settled_on_picker(pilot)
        await pick(pilot, "en")
        await ask(pilot, "how do I book a visit")
        bubble = app.screen.query(AnswerBubble).last()
        assert str(bubble.query_one(".title").render()) == "Booking a visit"
    assert not (private_data / "logs" / "faults.log").exists()


# ---- systemd stops the kiosk ---------------------------------------------------------------


@in_tmux
def test_sigterm_ends_kiosk_run_cleanly(data_dir, assistant, tmp_path):
    assistant.warm()
    kiosk = kiosk_command(data_dir, "run", "--lang", "en")
    term = Terminal(f"{kiosk}; echo kiosk exit status $?")
    raw = tmp_path / "terminal.bin"
    term("pipe-pane", "-o", f"cat > {raw}")  # every byte the kiosk writes
    try:
        term.wait_for("Choose your language")
        # The kiosk has taken over the terminal: alternate screen, mouse, no cursor.
        assert term.flag("alternate_on") == "1"
        assert term.flag("mouse_any_flag") == "1" or term.flag("mouse_all_flag") == "1"
        shell = term.flag("pane_pid")
        pid = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout
        os.kill(int(pid.split()[0]), signal.SIGTERM)
        term.wait(lambda: "kiosk exit status" in term.screen(100), "the exit")
        assert "kiosk exit status 0" in term.screen(100), term.screen(100)
        # ... and given it back as it was: main screen, no mouse reports, cursor shown.
        assert term.flag("alternate_on") == "0"
        assert term.flag("mouse_any_flag") == "0" and term.flag("mouse_all_flag") == "0"
        written = raw.read_bytes()
        assert written.rfind(b"\x1b[?25h") > written.rfind(b"\x1b[?25l") >= 0
        assert "Traceback" not in term.screen(100)
    finally:
        term.close()


def test_the_fault_log_is_capped(tmp_path, monkeypatch):
    """A fault repeating every 10 s for weeks fills a bounded space, newest kept."""
    from kiosk import faults

    monkeypatch.setattr(faults, "MAX_LOG_BYTES", 4096)
    log = tmp_path / "logs" / "faults.log"
    codes = []
    for _ in range(200):
        try:
            raise OverflowError("cannot convert float infinity to integer")
        except OverflowError as exc:
            codes.append(faults.record_fault(exc, log))
    kept = sorted(p.name for p in log.parent.iterdir())
    assert kept == ["faults.log", "faults.log.1"]
    assert sum(p.stat().st_size for p in log.parent.iterdir()) < 3 * 4096
    assert f"code {codes[-1]}" in log.read_text()
