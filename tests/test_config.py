"""kiosk.yaml: defaults, and a bad key or value named with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import BUNDLED_CONTENT, KioskConfig, load_config
from kiosk.errors import KioskError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_serve_the_bundled_sample():
    config = load_config(None)
    assert config == KioskConfig()
    assert config.content_dir == BUNDLED_CONTENT
    assert config.idle_timeout == 120 and config.idle_warning == 20
    assert config.kiosk_mode is True and config.unanswered_log is False


def test_full_config_is_read(tmp_path):
    path = write(
        tmp_path,
        "facility: Test\nunit: remand\nlanguages: [en, nb]\ndefault_language: nb\n"
        "idle_timeout: 60\nkiosk_mode: false\ncontent: ./c\ndata_dir: /tmp/x\n",
    )
    config = load_config(path)
    assert config.unit == "remand" and config.languages == ("en", "nb")
    assert config.idle_timeout == 60.0 and config.kiosk_mode is False
    assert config.content == tmp_path / "c"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("facility: X\nidle_timout: 30\n",
         ":2: unknown key 'idle_timout' (did you mean 'idle_timeout'?)"),
        ("unit: castle\n", ":1: unit: must be one of high, low, open, remand"),
        ("idle_timeout: -5\n", ":1: idle_timeout: must be a number of seconds"),
        ("languages: [en, xx]\n", ":1: languages: unknown language 'xx'"),
        ("kiosk_mode: maybe\n", ":1: kiosk_mode: must be true or false"),
        ("rtl: sideways\n", ":1: rtl: must be 'reorder' or 'terminal'"),
        ("- a\n- b\n", ":1: the config must be 'key: value' lines"),
        ("facility: [unclosed\n", "YAML syntax error"),
        ("languages: [en]\ndefault_language: nb\n", "default_language: is not one of"),
        ("facility: X\ndata_dir: \"~nonexistentuser/x\"\n",
         ":2: data_dir: '~nonexistentuser': no such user"),
        ("allow_unsigned: yes please\n", ":1: allow_unsigned: must be true or false"),
    ],
)  # fmt: skip
def test_bad_config_names_key_file_and_line(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(KioskError) as err:
        load_config(path)
    assert "kiosk.yaml" in str(err.value)
    assert expected in str(err.value)


def test_bad_config_on_the_command_line_is_exit_2(tmp_path, capsys):
    path = write(tmp_path, "idle_timout: 30\n")
    assert main(["check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'idle_timout'" in err and len(err.strip().splitlines()) == 1
