"""deploy/: the kiosk's systemd units and console lockdown hold what deploy/README.md
promises, and systemd itself accepts them (`systemd-analyze verify`, where installed)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
ANALYZE = shutil.which("systemd-analyze")


def parse(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd-style INI file: section -> key -> every value given (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = sections.setdefault("main", {})  # foot.ini's keys before any section
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if m := re.fullmatch(r"\[(.+)\]", line):
            current = sections.setdefault(m.group(1), {})
            continue
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: not 'key=value': {raw!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def one(section: dict[str, list[str]], key: str) -> str:
    values = section.get(key, [])
    assert values, f"{key} is not set"
    return values[-1]


LOCKDOWN = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateNetwork": "yes",
    "Restart": "always",
    "CapabilityBoundingSet": "",
    "RestrictSUIDSGID": "yes",
    "ProtectKernelModules": "yes",
    "ProtectKernelTunables": "yes",
}


@pytest.mark.parametrize("unit", ["kiosk.service", "kiosk-cage.service"])
def test_kiosk_units_are_locked_down(unit):
    parsed = parse(DEPLOY / unit)
    service = parsed["Service"]
    for key, value in LOCKDOWN.items():
        assert one(service, key) == value, key
    assert one(service, "User") == "kiosk"
    assert service["ReadWritePaths"] == ["/var/lib/kiosk"]
    assert one(service, "Environment") and "KIOSK_DATA_DIR=/var/lib/kiosk" in service["Environment"]
    assert "kiosk run --config /etc/kiosk/kiosk.yaml" in one(service, "ExecStart")
    assert one(service, "TTYPath") == "/dev/tty1"
    unit_section = parsed["Unit"]
    assert one(unit_section, "Conflicts") == "getty@tty1.service"  # no login prompt there
    assert one(unit_section, "StartLimitIntervalSec") == "0"  # never stops restarting


def test_the_console_unit_draws_on_the_console():
    service = parse(DEPLOY / "kiosk.service")["Service"]
    # Textual writes the screen to standard error: it must reach tty1, not the journal.
    assert one(service, "StandardError") == "tty"
    assert one(service, "StandardOutput") == "tty"
    assert one(service, "StandardInput").startswith("tty")
    # SIGTERM ends the kiosk cleanly; a stuck one is killed soon after.
    assert int(one(service, "TimeoutStopSec")) <= 30


def test_only_the_sync_unit_has_network():
    for path in DEPLOY.glob("*.service"):
        service = parse(path)["Service"]
        if path.name.startswith("kiosk-sync"):
            continue
        assert one(service, "PrivateNetwork") == "yes", path.name


def test_cage_starts_without_console_switching_and_foot_without_its_ways_out():
    exec_start = one(parse(DEPLOY / "kiosk-cage.service")["Service"], "ExecStart").split()
    cage_options = exec_start[1 : exec_start.index("--")]
    assert "-s" not in cage_options  # -s would allow Ctrl+Alt+Fn console switching
    assert "--config=/etc/kiosk/foot.ini" in exec_start
    foot = parse(DEPLOY / "foot.ini")
    keys = foot["key-bindings"]
    for action in ("spawn-terminal", "show-urls-launch", "clipboard-paste", "clipboard-copy",
                   "pipe-visible", "pipe-scrollback", "search-start"):  # fmt: skip
        assert one(keys, action) == "none", action
    assert one(foot["scrollback"], "lines") == "0"
    assert one(foot["mouse-bindings"], "primary-paste") == "none"


def test_autologin_gives_no_prompt_and_the_shell_is_the_kiosk():
    dropin = parse(DEPLOY / "getty@tty1.service.d" / "autologin.conf")["Service"]
    assert dropin["ExecStart"][0] == ""  # clears getty's own command first
    assert "--autologin kiosk" in dropin["ExecStart"][1]
    shell = DEPLOY / "kiosk-shell"
    assert os.access(shell, os.X_OK)
    lines = [x for x in shell.read_text().splitlines() if x and not x.startswith("#")]
    assert lines[-1].startswith("exec ") and "kiosk run" in lines[-1]


def test_other_consoles_reboot_keys_and_sysrq_are_off():
    login = parse(DEPLOY / "logind.conf.d" / "kiosk.conf")["Login"]
    assert one(login, "NAutoVTs") == "0" and one(login, "ReserveVT") == "0"
    assert one(login, "HandlePowerKey") == "ignore"
    manager = parse(DEPLOY / "system.conf.d" / "kiosk.conf")["Manager"]
    assert one(manager, "CtrlAltDelBurstAction") == "none"
    sysctl = dict(
        (k.strip(), v.strip())
        for k, _, v in (
            line.partition("=")
            for line in (DEPLOY / "sysctl.d" / "90-kiosk.conf").read_text().splitlines()
            if line.strip() and not line.startswith("#")
        )
    )
    assert sysctl["kernel.sysrq"] == "0"
    readme = (DEPLOY / "README.md").read_text()
    assert "systemctl mask ctrl-alt-del.target" in readme
    for name in [p.name for p in DEPLOY.iterdir() if p.name != "README.md"]:
        assert f"`{name}" in readme, f"deploy/README.md does not mention {name}"


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    units = ["kiosk.service", "kiosk-cage.service"]
    for unit in units:
        text = (DEPLOY / unit).read_text(encoding="utf-8")
        # The programs are not installed here: verify copies that run /bin/true instead.
        for program in ("/opt/kiosk/venv/bin/kiosk", "/usr/bin/cage", "/usr/bin/foot"):
            text = text.replace(program, "/bin/true")
        (tmp_path / unit).write_text(text)
    getty = Path("/lib/systemd/system/getty@.service")
    if getty.is_file() and Path("/sbin/agetty").exists():
        shutil.copy(getty, tmp_path / "getty@.service")
        shutil.copytree(DEPLOY / "getty@tty1.service.d", tmp_path / "getty@tty1.service.d")
        units.append("getty@tty1.service")  # with the autologin drop-in
    proc = subprocess.run(
        [ANALYZE, "verify", "--man=no", *units],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    ours = [line for line in proc.stderr.splitlines() if str(tmp_path) in line]
    assert ours == [], proc.stderr
