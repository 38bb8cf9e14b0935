"""Build what a content needs in a process of its own, so the kiosk's never grows by it.

The search index, the phrasing tables, the urgent model and the rulebook's words are made
once per content and kept in the data folder. Making them takes a few seconds and about
90 MB more memory than using them, and a Python process does not give that memory back:
a kiosk that built them itself at its first start, or for a new publication, stayed at
about 215 MB for the rest of its life, against 150 with them made elsewhere.

So the kiosk has them made by a short-lived child process (a plain subprocess, as the
index build's parts: multiprocessing cannot start from a thread of a running Textual
app), then reads them. If the child cannot start or fails, the kiosk makes them itself,
as before: slower to free memory, never without answers.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import subprocess
import sys
from pathlib import Path

from kiosk.config import KioskConfig

TIMEOUT = 600.0
"""Seconds a build may take before the kiosk stops waiting and makes it itself (a
national-size rulebook builds in about a minute on two cores)."""


def build_apart(config: KioskConfig, timeout: float = TIMEOUT) -> bool:
    """Make everything ``config``'s content needs in a child process; whether it did."""
    try:
        done = subprocess.run(
            _child(config, "kiosk.assistant.apart"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_child_env(config),
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _child(config: KioskConfig, module: str) -> list[str]:
    """The command that runs ``module`` on the configured content."""
    return [sys.executable, "-m", module, str(config.content_dir)]


def _child_env(config: KioskConfig) -> dict[str, str]:
    """A child's environment: this kiosk package first, and the configured data folder."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    env["KIOSK_DATA_DIR"] = str(config.resolved_data_dir)
    return env


def make_meaning_apart(config: KioskConfig) -> subprocess.Popen | None:
    """Start a child process that makes the content's meaning table (kiosk.search.meaning:
    minutes on two cores, at low priority), and do not wait for it: the kiosk answers from
    the words alone meanwhile, and looks for the table now and then. None if it could not
    start."""
    try:
        return subprocess.Popen(
            _child(config, "kiosk.search.meaning"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_child_env(config),
        )
    except (OSError, subprocess.SubprocessError):
        return None


M_ARENA_MAX = -8  # glibc's mallopt parameter


def one_malloc_arena() -> None:
    """Have every thread of this process allocate from one C heap.

    glibc gives each thread that allocates at the same time another heap ("arena"), and
    each keeps what was freed in it. The kiosk answers in worker threads, and the meaning
    signal embeds in a thread of its own: with one arena, the UI after 20 questions on
    the sample was 151.4 MB instead of 153.3 (benchmarks/meaning_memory.py 20 --kiosk;
    without the meaning, 130.8 and 130.9). Python's own small objects do not use these
    heaps. Takes effect for threads that start afterwards; elsewhere nothing happens."""
    with contextlib.suppress(OSError, AttributeError, TypeError, ValueError):
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1)


def give_back_memory() -> None:
    """Hand memory freed by Python back to the system, after an old assistant is closed.

    Freed memory stays in the C library's heap, counted as the kiosk's, until it is
    trimmed: after a new publication was opened beside the old one, the old one's memory
    stayed (182 MB measured, 141 after trimming). glibc's ``malloc_trim``; elsewhere
    nothing happens."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError, TypeError, ValueError):
        ctypes.CDLL(None).malloc_trim(0)


def main(argv: list[str]) -> int:
    """The child: make and keep everything for the content folder ``argv[0]``."""
    from kiosk.assistant import Assistant

    assistant = Assistant(KioskConfig(content=Path(argv[0])))
    assistant.warm()
    assistant.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
