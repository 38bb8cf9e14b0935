"""Hostile input, generated (hypothesis): any text to the Assistant, damaged content to
`kiosk check`, damaged kiosk.yaml. Each ends in a calm reply or one clear error that names
the file; never a traceback, never code run, never a stall."""

from __future__ import annotations

import json
import re
import shutil
import string
import time
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk import LANGUAGES, UNIT_TYPES
from kiosk.cli import main
from kiosk.config import _KEYS
from tests.conftest import RULEBOOK

QUICK = settings(
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def quick(examples: int) -> settings:
    return settings(QUICK, max_examples=examples)


STATUSES = {"answered", "clarify", "no_match"}
SECONDS_PER_QUESTION = 2.0
"""CPU seconds one question may take, however hostile (CPU time: other work on the
machine does not count against it)."""

# ---- questions ----------------------------------------------------------------------

ESCAPES = [
    "\x1b]0;pwned title\x07",  # OSC 0: window title
    "\x1b]2;pwned\x1b\\",  # OSC 2, ST-terminated
    "\x1b]52;c;cHduZWQ=\x07",  # OSC 52: set the clipboard
    "\x1b]8;;file:///etc/passwd\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1b[2J\x1b[H",  # clear screen, home
    "\x1b[?1049l",  # leave the alternate screen
    "\x1b[31;1m",  # colour
    "\x9b6n",  # 8-bit CSI: cursor report request
    "\x9d0;x\x9c",  # 8-bit OSC
    "\x1bP+q544e\x1b\\",  # DCS: terminfo query
    "\x1b",  # a lone ESC
    "\x07\x08\x7f\x00",
]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u061c"]
WHOOSH_SYNTAX = ["title:visit*", "AND", "OR", "NOT", '"unclosed', "(((", ")", "*", "?",
                 "~2", "^3", "[a TO z]", "{a TO}", "body_en:", "\\", "<>", "!", "+-",
                 "a*b?c"]  # fmt: skip
SCRIPTS = [
    string.ascii_letters,
    "aąbcćdeęfghijklłmnńoóprsśtuwyzźż",
    "æøåabcdefghijklmnoprstuvy",
    "ėįųūčšžaeiou",
    "ăâîșțşţaeiou",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى",
    "אבגדהוזחטיכלמנסעפצקרשת",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "一二三四五六七八九十口田中日月",
    "कखगघङचछजझञटठडढणतथदधनपफबभम",
    "กขฃคฅฆงจฉชซฌญฎฏ",
    "😀🙏🔥🇳🇴👩‍👩‍👧‍👦",
    "\u0301\u0308\u0336\u200b\u200c\u200d\ufeff",  # combining marks, zero-width
]
REAL_WORDS = ["visit", "besøk", "canteen", "kantine", "widzenie", "lekarz", "telefon",
              "زيارة", "complaint", "klage", "work", "skole", "money", "penger"]  # fmt: skip

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=20_000)
surrogates = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=50)
script_word = st.sampled_from(SCRIPTS).flatmap(
    lambda alphabet: st.text(st.sampled_from(alphabet), min_size=1, max_size=16)
)
piece = st.one_of(
    st.sampled_from(ESCAPES),
    st.sampled_from(BIDI),
    st.sampled_from(WHOOSH_SYNTAX),
    st.sampled_from(REAL_WORDS),
    script_word,
    surrogates,
    st.text(max_size=40),
)
hostile_question = st.one_of(
    any_text,
    st.lists(piece, max_size=200).map(" ".join),
    st.lists(piece, max_size=60).map("".join),
)
# The costliest text for the search: many long words it does not know, each one a
# spelling-correction search in up to two languages.
word_salad = st.sampled_from(SCRIPTS[:6]).flatmap(
    lambda alphabet: st.lists(
        st.text(st.sampled_from(alphabet), min_size=6, max_size=16), min_size=20, max_size=150
    ).map(" ".join)
)


def check_reply(assistant, question: str, ui_lang: str, unit: str) -> None:
    assistant.warm()  # the index is built once, not inside the first question's time
    started = time.thread_time()
    reply = assistant.ask(question, ui_lang=ui_lang, unit=unit)
    spent = time.thread_time() - started
    assert spent < SECONDS_PER_QUESTION, f"{spent:.2f} s of CPU for one question"
    assert reply.status in STATUSES
    assert len(reply.answers) <= 5
    assert all(a.id in assistant.rulebook.articles for a in reply.answers)
    if reply.status != "no_match":
        assert reply.answers or reply.message  # an answer, or small talk's own words
    # What the person typed comes back only as clean text: nothing a terminal would act on.
    shown = reply.query + (reply.suggestion or "")
    assert len(reply.query) <= 500
    assert not any(unicodedata.category(ch) in ("Cc", "Cs", "Co") for ch in shown)
    assert not set(shown) & set(BIDI)
    json.dumps(reply.to_json(), ensure_ascii=False).encode("utf-8")  # printable as JSON


@quick(150)
@given(
    question=hostile_question,
    ui_lang=st.sampled_from(LANGUAGES),
    unit=st.sampled_from(UNIT_TYPES),
)
@pytest.mark.slow
@example(question="\x1b]52;c;" + "A" * 19_990 + "\x07", ui_lang="en", unit="high")
@example(question="\ud800\udfff\ud83d how do I book a visit", ui_lang="nb", unit="remand")
@example(question='title:visit* AND (body_en:"phone OR', ui_lang="en", unit="high")
@example(question="\u202ekisab a koob I od woh", ui_lang="ar", unit="open")
def test_any_text_gets_a_calm_reply_in_bounded_time(assistant, question, ui_lang, unit):
    check_reply(assistant, question, ui_lang, unit)


@pytest.mark.slow
@quick(20)
@given(question=word_salad, ui_lang=st.sampled_from(LANGUAGES))
def test_long_unknown_words_do_not_stall_the_search(assistant, question, ui_lang):
    check_reply(assistant, question, ui_lang, "high")


@pytest.mark.slow
@quick(8)
@given(question=hostile_question)
@example(question="how do I book a visit \udcff\udcfe")  # undecodable bytes in argv
def test_kiosk_ask_prints_json_for_any_text(capsys, question):
    capsys.readouterr()
    assert main(["ask", question, "--json", "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    reply = json.loads(out)
    assert reply["status"] in STATUSES
    assert err == ""


# ---- damaged content files ------------------------------------------------------------

ARTICLE = "articles/visits/booking.yaml"
LISTS_AND_MAPS = ["topics.yaml", "synonyms.yaml", "notices.yaml", "orientation.yaml"]
SENTINEL_NAME = "code-ran"


@pytest.fixture(scope="module")
def mini_content(tmp_path_factory) -> Path:
    """A copy of the tiny fixture rulebook: `kiosk check` stays quick. (Each test undoes
    its damage, so the module shares one copy.)"""
    root = tmp_path_factory.mktemp("hostile") / "content"
    shutil.copytree(RULEBOOK, root)
    return root


def run_check(capsys, root: Path) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["check", "--content", str(root)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_the_small_content_is_clean(capsys, mini_content):
    code, out = run_check(capsys, mini_content)
    assert code == 0, out


def assert_named_error(capsys, root: Path, rel: str, damaged: bytes) -> None:
    path = root / rel
    original = path.read_bytes()
    path.write_bytes(damaged)
    try:
        code, out = run_check(capsys, root)
    finally:
        path.write_bytes(original)
    assert code == 1, out
    errors = [line for line in out.splitlines() if line.startswith(f"{path}:")]
    assert any(": warning: " not in line for line in errors), out
    assert not (root / SENTINEL_NAME).exists(), "a YAML tag ran code"


def original(root: Path, rel: str) -> str:
    """The file as it is in the clean small content (every damage is undone after use)."""
    return (root / rel).read_text(encoding="utf-8")


def key_lines(text: str, whole_values: bool = True) -> list[int]:
    """0-based lines starting with a key of a block mapping (holding its whole value)."""
    lines = text.split("\n")
    found = []
    stack = [yaml.compose(text)]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for knode, vnode in node.value:
                stack.append(vnode)
                row = knode.start_mark.line
                line = lines[row]
                if (
                    isinstance(knode, yaml.ScalarNode)
                    and knode.start_mark.column == len(line) - len(line.lstrip())
                    and (
                        not whole_values
                        or (vnode.end_mark.line == row and not isinstance(vnode, yaml.MappingNode))
                    )
                ):
                    found.append(row)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(found)


def last_translation_start(text: str) -> int:
    return max(m.start() for m in re.finditer(r"(?m)^  [a-z]{2}:$", text))


@pytest.mark.slow
@quick(25)
@given(data=st.data())
def test_truncated_article_is_an_error_naming_it(capsys, mini_content, data):
    text = original(mini_content, ARTICLE)
    cut = data.draw(st.integers(0, last_translation_start(text)), label="cut")
    assert_named_error(capsys, mini_content, ARTICLE, text[:cut].encode())


@pytest.mark.slow
@quick(25)
@given(data=st.data(), rel=st.sampled_from([ARTICLE, *LISTS_AND_MAPS]))
def test_tab_indentation_is_an_error_naming_the_file(capsys, mini_content, data, rel):
    lines = original(mini_content, rel).split("\n")
    indented = [i for i, x in enumerate(lines) if x.startswith(" ") and x.strip()[:1] not in "#"]
    row = data.draw(st.sampled_from(indented), label="line")
    lines[row] = "\t" + lines[row][1:]
    assert_named_error(capsys, mini_content, rel, "\n".join(lines).encode())


BAD_BYTES = [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80", b"\x80"]


@quick(25)
@given(
    data=st.data(),
    rel=st.sampled_from([ARTICLE, *LISTS_AND_MAPS]),
    how=st.sampled_from(["bytes", "utf-16", "utf-16-le", "cp1252", "latin-1"]),
)
@pytest.mark.slow
def test_bad_encoding_is_an_error_naming_the_file(capsys, mini_content, data, rel, how):
    text = original(mini_content, rel)
    if how == "bytes":
        raw = text.encode()
        at = data.draw(st.integers(0, len(raw)), label="at")
        bad = data.draw(st.sampled_from(BAD_BYTES), label="bad")
        damaged = raw[:at] + bad + raw[at:]
    else:
        damaged = text.encode(how, errors="replace")
    assert_named_error(capsys, mini_content, rel, damaged)


def billion_laughs(levels: int, fan_out: int, as_list: bool) -> str:
    rows = [f"a0: &a0 [{', '.join(['lol'] * fan_out)}]"]
    for n in range(1, levels):
        rows.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * fan_out)}]")
    return "\n".join(f"- {r}" if as_list else r for r in rows) + "\n"


@quick(20)
@given(
    rel=st.sampled_from([ARTICLE, *LISTS_AND_MAPS]),
    levels=st.integers(2, 12),
    fan_out=st.integers(2, 12),
    as_list=st.booleans(),
)
@pytest.mark.slow
def test_anchor_and_alias_fan_out_is_refused(capsys, mini_content, rel, levels, fan_out, as_list):
    started = time.monotonic()
    laughs = billion_laughs(levels, fan_out, as_list)
    assert_named_error(capsys, mini_content, rel, laughs.encode())
    assert time.monotonic() - started < 5, "aliases were expanded"


@quick(20)
@given(
    rel=st.sampled_from([ARTICLE, *LISTS_AND_MAPS]),
    depth=st.integers(14, 200_000),
    kind=st.sampled_from(["[", "{a: ", "[a: ", "- ", "? ", "block"]),
)
@pytest.mark.slow
@example(rel=ARTICLE, depth=100_000, kind="[")  # crashed libyaml (a segfault) before
def test_deep_nesting_is_an_error_not_a_crash(capsys, mini_content, rel, depth, kind):
    if kind == "block":
        depth = min(depth, 1200)  # indentation grows with the square of the depth
        text = "".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "b\n"
    else:
        closing = {"[": "]", "{a: ": "}", "[a: ": "]"}.get(kind, "")
        text = kind * depth + "x" + closing * depth
    assert_named_error(capsys, mini_content, rel, text[:990_000].encode())


TAGS = [
    '!!python/object/apply:os.system ["touch {s}"]',
    "!!python/object/apply:subprocess.call [[touch, {s}]]",
    "!!python/object/apply:builtins.open [{s}, w]",
    "!!python/object/new:pathlib.PosixPath [{s}]",
    "!!python/name:os.system",
    "!!python/module:os",
    '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {s}"]',
    "!!binary aGk=",
    "!!set {{a, b}}",
    "!custom x",
]


@pytest.mark.slow
@quick(30)
@given(data=st.data(), rel=st.sampled_from([ARTICLE, *LISTS_AND_MAPS]), tag=st.sampled_from(TAGS))
def test_python_and_other_tags_are_refused_and_never_run(capsys, mini_content, data, rel, tag):
    lines = original(mini_content, rel).split("\n")
    value = tag.format(s=mini_content / SENTINEL_NAME)
    rows = key_lines(original(mini_content, rel))
    if rows and data.draw(st.booleans(), label="in a value"):
        row = data.draw(st.sampled_from(rows), label="line")
        key = lines[row].split(":", 1)[0]
        lines[row] = f"{key}: {value}"
        text = "\n".join(lines)
    else:
        text = value + "\n"
    assert_named_error(capsys, mini_content, rel, text.encode())


WRONG = [True, {"wrong": [1]}, [[1]]]


def paths_in(data: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += paths_in(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += paths_in(value, (*prefix, i))
    return out


def replaced(data: object, path: tuple, value: object) -> object:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {k: replaced(v, rest, value) if k == head else v for k, v in data.items()}
    return [replaced(v, rest, value) if i == head else v for i, v in enumerate(data)]


@pytest.mark.slow
@quick(40)
@given(data=st.data(), rel=st.sampled_from([ARTICLE, *LISTS_AND_MAPS]))
def test_a_value_of_the_wrong_type_is_an_error_naming_the_file(capsys, mini_content, data, rel):
    doc = yaml.safe_load(original(mini_content, rel))
    where = data.draw(st.sampled_from(paths_in(doc)), label="where")
    wrong = data.draw(st.sampled_from(WRONG), label="wrong")
    text = yaml.safe_dump(replaced(doc, where, wrong), allow_unicode=True, sort_keys=False)
    assert_named_error(capsys, mini_content, rel, text.encode())


@pytest.mark.slow
@quick(25)
@given(data=st.data(), rel=st.sampled_from([ARTICLE, *LISTS_AND_MAPS]))
def test_a_key_written_twice_is_an_error_naming_the_file(capsys, mini_content, data, rel):
    text = original(mini_content, rel)
    lines = text.split("\n")
    rows = key_lines(text, whole_values=False)
    row = data.draw(st.sampled_from(rows), label="line")
    lines.insert(row + 1, lines[row])
    assert_named_error(capsys, mini_content, rel, "\n".join(lines).encode())


@pytest.mark.parametrize("rel", [ARTICLE, "topics.yaml", "synonyms.yaml", "orientation.yaml"])
@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff", "# nothing here\n", "---\n", "~\n"])
def test_an_empty_file_is_an_error_naming_it(capsys, mini_content, rel, text):
    assert_named_error(capsys, mini_content, rel, text.encode())


def test_an_empty_notices_file_is_an_error_but_an_empty_list_is_fine(capsys, mini_content):
    assert_named_error(capsys, mini_content, "notices.yaml", b"")
    path = mini_content / "notices.yaml"
    saved = path.read_bytes()
    path.write_text("# No notices at the moment.\n[]\n")
    try:
        code, out = run_check(capsys, mini_content)
    finally:
        path.write_bytes(saved)
    assert code == 0, out


# ---- damaged kiosk.yaml -------------------------------------------------------------------

BAD_VALUES: dict[str, st.SearchStrategy] = {
    "facility": st.sampled_from([[1], {"a": 1}, True, "", "   ", 5, None]),
    "unit_name": st.sampled_from([[1], {"a": 1}, False, "", 7.5, None]),
    "unit": st.one_of(st.text(max_size=10).filter(lambda u: u not in UNIT_TYPES), st.integers()),
    "languages": st.sampled_from([[], "en", [1], ["xx"], {"en": 1}, None, [["en"]]]),
    "default_language": st.one_of(
        st.text(max_size=5).filter(lambda x: x not in LANGUAGES), st.just([])
    ),
    "idle_timeout": st.one_of(
        st.floats().filter(lambda x: not 0 < x <= 86400), st.sampled_from([True, "120", []])
    ),
    "idle_warning": st.one_of(
        st.integers().filter(lambda x: not 0 < x <= 86400), st.sampled_from([False, "20", {}])
    ),
    "rtl": st.one_of(st.text(max_size=10).filter(lambda x: x not in ("reorder", "terminal"))),
    "theme": st.one_of(
        st.text(max_size=10).filter(lambda x: x not in ("default", "high-contrast"))
    ),
    "content": st.sampled_from([5, [], {}, "", "  ", True]),
    "data_dir": st.sampled_from([5, ["/tmp"], {"a": 1}, "", False]),
    "kiosk_mode": st.sampled_from(["maybe", 1, 0, [], "kiosk", None]),
    "unanswered_log": st.sampled_from(["sometimes", 2, {}, None]),
}


def run_with_config(capsys, tmp_path: Path, content: Path, raw: bytes) -> tuple[int, str]:
    config = tmp_path / "kiosk.yaml"
    config.write_bytes(raw)
    capsys.readouterr()
    code = main(["check", "--config", str(config), "--content", str(content)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


@pytest.mark.slow
@quick(60)
@given(data=st.data(), key=st.sampled_from(sorted(BAD_VALUES)))
@example(data=None, key="idle_timeout")  # .nan once passed: an idle session never ended
def test_a_bad_config_value_is_exit_2_naming_the_key(
    capsys, tmp_path, mini_content, data, key
) -> None:
    value = float("nan") if data is None else data.draw(BAD_VALUES[key], label="value")
    good = {"facility": "Test", "unit": "low"}
    good.pop(key, None)
    raw = yaml.safe_dump({**good, key: value}, allow_unicode=True).encode()
    code, err = run_with_config(capsys, tmp_path, mini_content, raw)
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert "kiosk.yaml:" in err and f"{key}:" in err, err


def test_a_control_character_in_a_config_value_names_the_key(capsys, tmp_path, mini_content):
    # Found by the property test above: the YAML reader's own error named only the place.
    raw = yaml.safe_dump({"unit": "low", "rtl": "\x85"}, allow_unicode=True).encode()
    code, err = run_with_config(capsys, tmp_path, mini_content, raw)
    assert code == 2 and "kiosk.yaml:" in err and "rtl: control character (U+0085)" in err, err


@pytest.mark.slow
@quick(30)
@given(key=st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_-]{0,24}\Z").filter(lambda k: k not in _KEYS))
def test_an_unknown_config_key_is_exit_2_naming_it(capsys, tmp_path, mini_content, key):
    if yaml.safe_load(f"{key}: 1") != {key: 1}:  # 'yes', 'null', '1e3': not a text key
        return
    code, err = run_with_config(capsys, tmp_path, mini_content, f"unit: low\n{key}: 1\n".encode())
    assert code == 2
    assert f"unknown key '{key}'" in err and "kiosk.yaml:2:" in err, err


@pytest.mark.slow
@quick(40)
@given(raw=st.binary(max_size=2000) | st.text(max_size=300).map(str.encode))
@example(raw=b"idle_timeout: .nan\n")
@example(raw=b"languages: &l [en]\ndefault_language: *l\n")
@example(raw=b"facility: !!python/object/apply:os.system [true]\n")
def test_garbage_config_is_refused_in_one_line(capsys, tmp_path, mini_content, raw):
    code, err = run_with_config(capsys, tmp_path, mini_content, raw)
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and "kiosk.yaml" in err, err
    else:  # the bytes happened to be a valid kiosk.yaml (empty, a comment, {})
        assert code == 0 and err == ""


@pytest.mark.parametrize("name", ["x\x1b]0;pwned\x07.yaml", "y\x1b[2J\x1b[H\x9b31m.yaml"])
def test_file_names_are_printed_without_control_characters(capsys, tmp_path, name):
    """A file named to retitle or clear the staff terminal is named, harmlessly."""
    root = tmp_path / "content"
    shutil.copytree(RULEBOOK, root)
    bad = root / "articles" / "visits" / name
    bad.write_text("id: visits.stray\n", encoding="utf-8")  # an error naming the file
    for argv in (["check", "--content", str(root)], ["index", "--content", str(bad)]):
        capsys.readouterr()
        code = main(argv)
        out, err = capsys.readouterr()
        assert code in (1, 2), out + err
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out + err), repr(out + err)
        visible = name.translate(dict.fromkeys([*range(32), *range(0x7F, 0xA0)]))
        assert visible in out + err
