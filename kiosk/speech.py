"""Read aloud: speak an answer with espeak-ng, in its language, without blocking.

Only where espeak-ng is installed; elsewhere ``Speaker.available`` is false and the UI
shows no button. The text goes to espeak-ng on standard input, never on its command
line, and speaking is stopped when a session ends.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
from pathlib import Path

VOICES = {"nb": "nb", "en": "en-gb", "pl": "pl", "lt": "lt", "ro": "ro", "ar": "ar"}
_MARKDOWN = re.compile(r"\*\*|__|^\s*[-*+]\s+|^\s*\d+\.\s+", re.M)


def speakable(*parts: str) -> str:
    """Text for the voice: Markdown marks removed, parts as separate sentences."""
    return "\n".join(_MARKDOWN.sub("", part).strip() for part in parts if part.strip())


class Speaker:
    """One voice at a time; a new request stops the one before."""

    def __init__(self, binary: str | None = None) -> None:
        self.binary = binary if binary is not None else shutil.which("espeak-ng")
        self._process: subprocess.Popen | None = None

    @property
    def available(self) -> bool:
        return bool(self.binary)

    @property
    def speaking(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _command(self, lang: str, *extra: str) -> list[str]:
        return [self.binary, "-v", VOICES.get(lang, "en-gb"), "-s", "150", *extra, "--stdin"]

    def speak(self, text: str, lang: str) -> None:
        """Start speaking ``text``; returns at once."""
        if not self.available:
            return
        self.stop()
        try:
            self._process = subprocess.Popen(
                self._command(lang),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self._process.stdin.write(text.encode("utf-8"))
            self._process.stdin.close()
        except OSError:
            self._process = None  # no sound is better than a broken kiosk

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=1)

    def synthesize(self, text: str, lang: str, wav: Path) -> None:
        """Write the speech to a WAV file instead of the speakers (for checks and tests)."""
        subprocess.run(
            self._command(lang, "-w", str(wav)),
            input=text.encode("utf-8"),
            check=True,
            capture_output=True,
            timeout=60,
        )
