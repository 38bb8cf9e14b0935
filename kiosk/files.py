"""Small file-system helpers shared by the index builds, the publications and the files
kept beside the rulebook cache."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def discard(path: Path) -> None:
    """Remove a folder: renamed aside first (atomic), then deleted."""
    if not path.exists():
        return
    trash = path.with_name(f".trash-{path.name}-{os.getpid()}-{time.monotonic_ns()}")
    with contextlib.suppress(OSError):
        os.rename(path, trash)
        path = trash
    shutil.rmtree(path, ignore_errors=True)


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` in one rename: a reader sees the old or the new bytes."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def kept(
    path: Path, read: Callable[[bytes], T], make: Callable[[], T], write: Callable[[T], bytes]
) -> T:
    """What ``read`` makes of the file at ``path``; when it is missing, or unreadable or
    damaged (``read`` raises), what ``make`` returns, written there for next time. A
    read-only data folder only costs the time of making it again."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return read(path.read_bytes())
    value = make()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, write(value))
    return value
