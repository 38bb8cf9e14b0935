"""Recording unexpected errors: a short code for people, details in a log file."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import traceback
from pathlib import Path

MAX_LOG_BYTES = 512 * 1024
"""Size at which faults.log is moved to faults.log.1 (replacing the one before), so a
fault that repeats for weeks fills at most twice this, not the disk (about 500 entries)."""


def fault_log_path() -> Path:
    from kiosk.config import KioskConfig

    return KioskConfig().resolved_data_dir / "logs" / "faults.log"


def record_fault(exc: BaseException, log_path: Path | None = None) -> str:
    """Write the error's details to the fault log; return a short code to show people."""
    code = secrets.token_hex(3).upper()
    path = log_path or fault_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _rotate_if_full(path)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"=== {dt.datetime.now().isoformat(timespec='seconds')} code {code} ")
            fh.write(f"pid {os.getpid()}\n")
            # The stack and the error's kind, not its message: a message can hold text
            # a person typed, and nothing typed is stored.
            for error in _chain(exc):
                stack = traceback.extract_tb(error.__traceback__)
                fh.write("".join(traceback.format_list(stack)))
                fh.write(f"{type(error).__module__}.{type(error).__qualname__}\n")
    except OSError:
        pass  # a full or read-only disk must not turn a fault into a crash
    return code


def _rotate_if_full(path: Path) -> None:
    try:
        full = path.stat().st_size >= MAX_LOG_BYTES
    except OSError:
        return
    if full:
        os.replace(path, path.with_name(path.name + ".1"))


def _chain(exc: BaseException) -> list[BaseException]:
    """The error and what caused it, innermost first (a worker's wrapped error too)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 8:
        chain.append(current)
        wrapped = getattr(current, "error", None)  # e.g. a failed background worker
        current = (
            wrapped
            if isinstance(wrapped, BaseException)
            else current.__cause__ or current.__context__
        )
    return chain[::-1]
