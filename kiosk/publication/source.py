"""Where `kiosk sync` reads a publication from: a folder, or an http(s) URL.

Both are read the same way: small files (LATEST, the manifest, the signature) whole with a
size cap, listed files streamed to disk while their size and SHA-256 are checked. An http
source is read with the standard library only (urllib), with timeouts on every request,
and ``deadline`` bounds a whole sync (a server dripping a byte at a time). A folder
source reads regular files only: a FIFO or a device named ``LATEST`` would block for ever.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import stat
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kiosk import __version__
from kiosk.errors import KioskError
from kiosk.publication.manifest import FileEntry, PublicationError

TIMEOUT = 30.0
"""Seconds any one network operation may take."""
DEADLINE = 30 * 60.0
"""Seconds a whole sync may take before it gives up (a server dripping bytes)."""
CHUNK = 1 << 16


class Source:
    """A publication folder, read by relative paths such as ``LATEST``."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + DEADLINE

    def describe(self, rel: str) -> str:
        raise NotImplementedError

    @contextlib.contextmanager
    def open(self, rel: str) -> Iterator[BinaryIO | None]:
        """The file's byte stream, or None when it does not exist."""
        raise NotImplementedError
        yield None

    def listing(self, version: str) -> set[str] | None:
        """Every file of a version's folder, when the source can list it (folders can)."""
        return None

    def read_small(self, rel: str, limit: int) -> bytes | None:
        """The whole file (None when missing); PublicationError when above ``limit``."""
        data = b""
        with self.open(rel) as stream:
            if stream is None:
                return None
            while len(data) <= limit and (chunk := self._read(stream, limit + 1, rel)):
                data += chunk
        if len(data) > limit:
            raise PublicationError(f"{self.describe(rel)}: larger than {limit} bytes; refused")
        return data

    def fetch(self, entry: FileEntry, version: str, dest: Path) -> None:
        """Copy one listed file to ``dest``, checking its size and SHA-256 on the way."""
        rel = f"{version}/{entry.path}"
        where = self.describe(rel)
        digest = hashlib.sha256()
        size = 0
        with self.open(rel) as stream:
            if stream is None:
                raise PublicationError(f"{where}: missing (a partial publication); not installed")
            fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as out:
                while True:
                    chunk = self._read(stream, CHUNK, rel)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > entry.size:
                        raise PublicationError(
                            f"{where}: longer than the {entry.size} bytes the manifest lists "
                            "(changed or tampered); not installed"
                        )
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        if size < entry.size:
            raise PublicationError(
                f"{where}: truncated ({size} of {entry.size} bytes); not installed"
            )
        if digest.hexdigest() != entry.sha256:
            raise PublicationError(
                f"{where}: its SHA-256 does not match the manifest (changed or tampered); "
                "not installed"
            )

    def _read(self, stream: BinaryIO, n: int, rel: str) -> bytes:
        if time.monotonic() > self.deadline:
            raise KioskError(f"{self.describe(rel)}: took too long (over {DEADLINE:.0f} s)")
        try:
            # read1: what has arrived (at most one read below), so the deadline is
            # checked between the bytes of a dripping server too.
            return getattr(stream, "read1", stream.read)(n)
        except TimeoutError:
            raise KioskError(f"{self.describe(rel)}: timed out") from None
        except OSError as exc:
            raise KioskError(f"{self.describe(rel)}: cannot read: {exc}") from None


class FolderSource(Source):
    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        if not root.is_dir():
            raise KioskError(f"{root}: publication folder not found")

    def describe(self, rel: str) -> str:
        return str(self.root / rel)

    @contextlib.contextmanager
    def open(self, rel: str) -> Iterator[BinaryIO | None]:
        try:
            # Non-blocking, so that opening a FIFO returns at once and is refused below.
            fd = os.open(self.root / rel, os.O_RDONLY | os.O_NONBLOCK)
        except FileNotFoundError:
            yield None
            return
        except OSError as exc:
            raise KioskError(f"{self.describe(rel)}: cannot read: {exc.strerror}") from None
        try:
            regular = stat.S_ISREG(os.fstat(fd).st_mode)
            if regular:
                os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
        if not regular:
            os.close(fd)
            raise PublicationError(
                f"{self.describe(rel)}: not a regular file (a FIFO, device or folder); refused"
            )
        with os.fdopen(fd, "rb") as stream:
            yield stream

    def listing(self, version: str) -> set[str] | None:
        top = self.root / version
        found = set()
        for folder, dirs, files in os.walk(top):
            for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
                found.add(Path(folder, name).relative_to(top).as_posix())
        return found


class HttpSource(Source):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.base = url if url.endswith("/") else url + "/"

    def describe(self, rel: str) -> str:
        return self.base + rel

    @contextlib.contextmanager
    def open(self, rel: str) -> Iterator[BinaryIO | None]:
        url = self.base + urllib.parse.quote(rel)
        request = urllib.request.Request(
            url, headers={"User-Agent": f"kiosk/{__version__}", "Cache-Control": "no-cache"}
        )
        try:
            response = urllib.request.urlopen(request, timeout=TIMEOUT)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code in (404, 410):
                yield None
                return
            raise KioskError(f"{url}: the server answered {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise KioskError(f"{url}: cannot reach the server ({reason})") from None
        with response:
            yield response


@contextlib.contextmanager
def deadline(what: str, seconds: float | None = None) -> Iterator[None]:
    """Raise KioskError in the code inside when it takes longer than ``seconds`` in all
    (default DEADLINE), even while it waits in one read or open (SIGALRM; only where it
    can be used: the main thread on Unix, elsewhere each read checks the time)."""
    seconds = DEADLINE if seconds is None else seconds
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise KioskError(f"{what}: took too long (over {seconds:.0f} s); nothing installed")

    before = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def open_source(source: str) -> Source:
    """A Source for a folder path, a file:// URL or an http(s):// URL."""
    parsed = urllib.parse.urlparse(source)
    if parsed.scheme in ("http", "https"):
        if not parsed.netloc:
            raise KioskError(f"{source}: not a URL (no server name)")
        return HttpSource(source)
    if parsed.scheme == "file":
        return FolderSource(Path(urllib.parse.unquote(parsed.path)))
    if parsed.scheme and len(parsed.scheme) > 1:
        raise KioskError(f"{source}: use a folder, or an http:// or https:// URL")
    return FolderSource(Path(source).expanduser())
