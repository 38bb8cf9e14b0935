"""Read one YAML file safely, keeping line numbers for every value.

This is ``yaml.safe_load`` taken apart into its two steps: the document is first
composed into nodes (parsed by libyaml when present; composing builds no objects), the
nodes are checked, and only then are plain values built from them by PyYAML's
``SafeConstructor``, the constructor ``safe_load`` uses. The node tree lets every problem
name a line, and aliases, non-standard tags (``!!python/...``), duplicate keys and runaway
nesting are refused before any value is built.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from kiosk.content.model import Problem

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 12
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

Key = str | int


@dataclass(frozen=True)
class Located:
    """A file's data and the node tree that knows where each value stands."""

    data: object
    root: yaml.Node | None
    path: str

    def line(self, keys: Sequence[Key] = ()) -> int | None:
        """1-based line of the value at ``keys``, or of the nearest parent that exists."""
        node = self.node(keys)
        return node.start_mark.line + 1 if node is not None else None

    def node(self, keys: Sequence[Key]) -> yaml.Node | None:
        node = self.root
        for key in keys:
            child = _child(node, key)
            if child is None:
                return node
            node = child
        return node

    def key_line(self, keys: Sequence[Key]) -> int | None:
        """1-based line of the key itself (for 'unknown key' style problems)."""
        parent = self.node(keys[:-1])
        if isinstance(parent, yaml.MappingNode):
            for knode, _ in parent.value:
                if knode.value == keys[-1]:
                    return knode.start_mark.line + 1
        return self.line(keys)

    def text_line(self, keys: Sequence[Key], offset: int) -> int | None:
        """Line of character ``offset`` inside a string value (exact for literal blocks)."""
        node = self.node(keys)
        if node is None:
            return None
        line = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode) and node.style == "|":
            return line + 1 + node.value[:offset].count("\n")
        return line

    def column(self, keys: Sequence[Key] = ()) -> int | None:
        """1-based column of the value at ``keys`` (or of the nearest parent that exists)."""
        node = self.node(keys)
        return node.start_mark.column + 1 if node is not None else None

    def problem(
        self, keys: Sequence[Key], message: str, severity: str = "error", *, at_key: bool = False
    ) -> Problem:
        """A problem at the value at ``keys`` (line and column), or at its key's line."""
        if at_key and keys:
            return Problem(self.path, self.key_line(keys), message, severity=severity)
        return Problem(
            self.path, self.line(keys), message, column=self.column(keys), severity=severity
        )


def _child(node: yaml.Node | None, key: Key) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for knode, vnode in node.value:
            if knode.value == key or (isinstance(key, int) and knode.value == str(key)):
                return vnode
    elif (
        isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value)
    ):
        return node.value[key]
    return None


def display_path(path: Path) -> str:
    """A path as a person would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def read_yaml(path: Path) -> tuple[Located | None, list[Problem]]:
    """The file's data with its locations, or the problems that stopped it loading."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, None, f"cannot read the file: {exc.strerror or exc}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Problem(shown, None, f"file is too large ({len(raw)} bytes, at most {MAX_FILE_BYTES})")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(shown, line, "is not valid UTF-8 text (save it as UTF-8)", column=column)
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return None, [Problem(shown, 1, "the file is empty")]
    # Control characters are reported and removed, so the rest of the file still loads.
    text, problems = _strip_controls(shown, text)
    try:
        if too_deep := _too_deep(text):
            line, column = too_deep
            return None, [
                *problems,
                Problem(shown, line, "the YAML is nested too deeply", column=column),
            ]
        root = _compose(text)
    except yaml.YAMLError as exc:
        return None, [*problems, _syntax_problem(shown, exc, text)]
    except RecursionError:
        return None, [*problems, Problem(shown, None, "the YAML is nested too deeply")]
    structural = _structural_problems(shown, root)
    if structural:
        return None, problems + structural
    for _ in range(100):
        try:
            data = _construct(root)
            break
        except yaml.YAMLError as exc:
            return None, [*problems, _syntax_problem(shown, exc, text)]
        except (ValueError, TypeError, OverflowError) as exc:
            # PyYAML raises these for a value that looks like a date but is none
            # (2026-13-45). Quote it, so it loads as text and the field's own check
            # names it, instead of losing the whole file.
            node = _bad_timestamp(root)
            if node is None:
                return None, [*problems, Problem(shown, None, f"a value cannot be read: {exc}")]
            start, end = node.start_mark.index, node.end_mark.index
            text = f'{text[:start]}"{node.value}"{text[end:]}'
            root = _compose(text)
    else:
        return None, [*problems, Problem(shown, None, "too many values cannot be read")]
    return Located(data, root, shown), problems


_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=_COMPOSER)


def _too_deep(text: str) -> tuple[int, int] | None:
    """Line and column where ``text`` nests deeper than MAX_DEPTH, if it does.

    libyaml composes nodes recursively in C: some 20,000 ``[`` crash the process
    (a segmentation fault, not an exception). Its event parser keeps its own stack, so
    the depth is measured on events first, for any text that could be that deep.
    """
    # Each level needs a bracket (two levels for "[a: [..."), a dash, a "?" or a line.
    bound = 2 * text.count("[") + sum(text.count(c) for c in "{-?\n")
    if bound <= 1000:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_COMPOSER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:
                return event.start_mark.line + 1, event.start_mark.column + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _construct(root: yaml.Node | None) -> object:
    """Plain values from checked nodes, built by safe_load's own constructor."""
    if root is None:
        return None
    return yaml.constructor.SafeConstructor().construct_document(root)


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _strip_controls(shown: str, text: str) -> tuple[str, list[Problem]]:
    problems = []
    for m in _CONTROL_CHARS.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        problems.append(
            Problem(
                shown,
                line,
                f"control character (U+{ord(m.group()):04X}) is not allowed; it was removed",
                column=column,
            )
        )
    return (_CONTROL_CHARS.sub("", text), problems) if problems else (text, [])


def _bad_timestamp(root: yaml.Node | None) -> yaml.Node | None:
    """The first date-like value that is not a real date."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop(0)
        if isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in node.value for v in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif node.tag.endswith(":timestamp"):
            try:
                yaml.constructor.SafeConstructor().construct_yaml_timestamp(node)
            except (ValueError, TypeError, OverflowError):
                return node
    return None


def _syntax_problem(shown: str, exc: yaml.YAMLError, text: str = "") -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if isinstance(exc, yaml.reader.ReaderError):
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return Problem(
            shown, line, f"character U+{exc.character:04X} is not allowed", column=column
        )
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {what}"
    if context and context not in what:
        message += f" ({context})"
    if "\\t" in what or "\t" in what or "tab character" in what:
        message = "YAML syntax error: a tab character; use spaces, not tabs, to indent"
    if mark is None:
        return Problem(shown, None, message)
    return Problem(shown, mark.line + 1, message, column=mark.column + 1)


def _structural_problems(shown: str, root: yaml.Node | None) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[int] = set()

    def where(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def walk(node: yaml.Node, depth: int) -> None:
        if id(node) in seen:
            line, col = where(node)
            problems.append(
                Problem(shown, line, "anchors and aliases (& and *) are not allowed", column=col)
            )
            return
        seen.add(id(node))
        if depth > MAX_DEPTH:
            line, col = where(node)
            problems.append(Problem(shown, line, "the YAML is nested too deeply", column=col))
            return
        if node.tag not in _STANDARD_TAGS:
            line, col = where(node)
            problems.append(Problem(shown, line, f"tag '{node.tag}' is not allowed", column=col))
            return
        if isinstance(node, yaml.MappingNode):
            keys: dict[object, int] = {}
            for knode, vnode in node.value:
                if knode.value == "<<":
                    line, col = where(knode)
                    problems.append(
                        Problem(shown, line, "merge keys (<<) are not allowed", column=col)
                    )
                    continue
                if isinstance(knode, yaml.ScalarNode):
                    if knode.value in keys:
                        line, col = where(knode)
                        problems.append(
                            Problem(
                                shown,
                                line,
                                f"key '{knode.value}' appears twice "
                                f"(first on line {keys[knode.value]})",
                                column=col,
                            )
                        )
                    else:
                        keys[knode.value] = knode.start_mark.line + 1
                else:
                    walk(knode, depth + 1)
                walk(vnode, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, depth + 1)

    if root is not None:
        walk(root, 0)
    return problems
