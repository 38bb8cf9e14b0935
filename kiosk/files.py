"""Small file-system helpers shared by the index builds and the publications."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path


def discard(path: Path) -> None:
    """Remove a folder: renamed aside first (atomic), then deleted."""
    if not path.exists():
        return
    trash = path.with_name(f".trash-{path.name}-{os.getpid()}-{time.monotonic_ns()}")
    with contextlib.suppress(OSError):
        os.rename(path, trash)
        path = trash
    shutil.rmtree(path, ignore_errors=True)
