"""`kiosk publish`: check content, then write a versioned publication for the kiosks.

The publication is assembled in a hidden temporary folder, renamed to its version name
when complete, and only then named in ``LATEST`` (written with an atomic rename). A kiosk
reading the folder at any moment sees either the old publication or the whole new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk import __version__
from kiosk.check import CheckReport, check_content
from kiosk.content.load import content_files, fingerprint
from kiosk.errors import KioskError
from kiosk.files import write_atomically
from kiosk.publication import read_pointer
from kiosk.publication.manifest import LATEST, MANIFEST, SIGNATURE, Manifest, file_entry


class ContentRefused(KioskError):
    """The content has errors: nothing was published. ``report`` lists them."""

    def __init__(self, report: CheckReport) -> None:
        super().__init__(
            f"not published: {len(report.errors)} error(s) in {report.rulebook.root} "
            "(fix them; 'kiosk check' lists them too)"
        )
        self.report = report


@dataclass(frozen=True)
class PublishResult:
    version: str
    path: Path
    files: int
    bytes: int
    seconds: float
    signed: bool
    warnings: int


def version_name(when: dt.datetime, content_version: str) -> str:
    return f"{when.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{content_version[:8]}"


def _next_version(out: Path, now: dt.datetime, content_version: str) -> str:
    """A new version name that sorts after every one in ``out`` (kiosks refuse older
    ones), even when two publishes fall in the same second or the clock went back."""
    when = now
    latest = read_pointer(out / LATEST)
    if latest and version_name(when, content_version) <= latest:
        last = dt.datetime.strptime(latest[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        when = max(when, last + dt.timedelta(seconds=1))
    while (out / version_name(when, content_version)).exists():
        when += dt.timedelta(seconds=1)
    return version_name(when, content_version)


def publish(
    content: Path,
    out: Path,
    *,
    languages: Sequence[str] | None = None,
    sign_key: Path | None = None,
) -> PublishResult:
    """Check ``content`` and publish it into ``out``; ContentRefused when it has errors."""
    started = time.perf_counter()
    from kiosk.publication import signing

    private_key = signing.load_private_key(sign_key) if sign_key else None  # fail fast
    report = check_content(content, languages)
    if not report.ok:
        raise ContentRefused(report)
    rulebook = report.rulebook
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        out.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(out)
        tmp = Path(tempfile.mkdtemp(prefix=".incoming-", dir=out))
    except OSError as exc:
        raise KioskError(f"{out}: cannot write the publication: {exc.strerror}") from exc
    try:
        for source in content_files(content):
            dest = tmp / "content" / source.relative_to(content)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
        if fingerprint(tmp / "content") != rulebook.fingerprint:
            raise KioskError(
                f"{content}: a file changed while publishing; nothing published, try again"
            )
        from kiosk.search.schema import index_key

        # No index: a kiosk builds its own from the content (an index holds pickles).
        files = sorted(
            (p for p in (tmp / "content").rglob("*") if p.is_file()),
            key=lambda p: p.relative_to(tmp).as_posix(),
        )
        version = _next_version(out, now, rulebook.fingerprint)
        manifest = Manifest(
            version=version,
            content_version=rulebook.fingerprint,
            built=now.isoformat().replace("+00:00", "Z"),
            tool_version=__version__,
            index_key=index_key(rulebook),
            files=tuple(file_entry(tmp, p) for p in files),
        )
        raw = manifest.to_bytes()
        (tmp / MANIFEST).write_bytes(raw)
        if private_key is not None:
            (tmp / SIGNATURE).write_bytes(signing.sign(private_key, raw))
        _readable_by_all(tmp)  # mkdtemp makes 0700 folders; a web server must read them
        os.rename(tmp, out / version)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise KioskError(f"{out}: cannot write the publication: {exc.strerror}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        write_atomically(out / LATEST, f"{version}\n".encode(), mode=0o644)
    except OSError as exc:
        raise KioskError(f"{out / LATEST}: cannot write: {exc.strerror}") from exc
    return PublishResult(
        version=version,
        path=out / version,
        files=len(manifest.files),
        bytes=manifest.total_bytes,
        seconds=time.perf_counter() - started,
        signed=private_key is not None,
        warnings=len(report.warnings),
    )


def _readable_by_all(root: Path) -> None:
    os.chmod(root, 0o755)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


def _clean_leftovers(out: Path) -> None:
    """Remove temporary folders of publishes that died more than a day ago."""
    day_ago = time.time() - 86400
    for stale in out.glob(".incoming-*"):
        with contextlib.suppress(OSError):
            if stale.stat().st_mtime < day_ago:
                shutil.rmtree(stale, ignore_errors=True)
