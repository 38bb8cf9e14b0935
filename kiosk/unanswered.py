"""The unanswered-question log: what the rulebook could not answer, without who asked.

Off unless ``unanswered_log: true`` in kiosk.yaml; when off, no file is ever written.
When on, one JSON file, ``<data dir>/logs/unanswered.json``, holds per day (YYYY-MM-DD):

- ``asked``: per question language, how many questions were asked and how many of them
  found no answer (counts only: the no-match rate);
- ``unanswered``: questions that found no answer (``no_match``), the page a person then
  opened from "These pages may help" (``page_opened``, with the article: where the
  answer was, to add the question's words there), or whose answer got "did not help"
  (``not_helpful``, with the article), each stored as masked text with
  its languages and a count: cleaned, lowercased, at most 200 characters, and only the
  words of the rulebook or of its languages' small words kept; anything else (a name,
  a number in digits or in words, a code) becomes ``…``. Identical questions of a day
  share one entry; entries are kept sorted by text, so nothing shows the order they
  were asked in;
- ``feedback``: "did this help?" answers per article: helpful and not helpful counts;
- ``urgent``: how many urgent replies (self-harm, violence, ...) were given, per kind.
  Never the words: what a person in crisis typed is not kept anywhere.

Nothing else: no time of day, no session, no kiosk user, no order. The file is rewritten
whole, atomically, after each change (its and its folder's times set to the day's
midnight), and capped: days older than ``MAX_DAYS`` are dropped and, when the file grows past
``MAX_ENTRIES`` entries or ``MAX_BYTES``, the oldest days go first. A full disk or an
unwritable folder never disturbs the kiosk: the change is lost, and the fault log gets
one note naming the error's kind (never the text).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from kiosk import NO_MATCH
from kiosk.numberwords import number_words
from kiosk.sanitize import clean_question

log = logging.getLogger(__name__)

FILE_NAME = "unanswered.json"
FORMAT = 1
MAX_TEXT = 200
"""Characters of a question kept; the rest is cut."""
MAX_DAYS = 180
"""Days kept; older days are dropped."""
MAX_ENTRIES = 2000
"""Distinct unanswered questions kept over all days; oldest days are dropped first."""
MAX_BYTES = 1_000_000
"""Size of the file at most; oldest days are dropped first."""
NOT_HELPFUL = "not_helpful"
PAGE_OPENED = "page_opened"
CHECK_IN_COUNT = "check_in"
"""Counted beside the urgent kinds: replies with the check-in line (a question that may
hide a crisis), whose words are never kept either."""


HIDDEN = "…"
"""What stands in the log for words it does not keep (one for a run of them)."""
_WORD = re.compile(r"[\w\u064b-\u065f\u0670]+(?:['’][\w\u064b-\u065f\u0670]+)*")
"""A word: letters and digits (and Arabic vowel marks), with inner apostrophes."""

WordTest = Callable[[str], bool]
"""Whether a word (as typed, lowercase) is one the log may keep."""


def mask(text: str, lang: str, known: WordTest) -> str:
    """``text`` as the log keeps it: one clean line, lowercase, cut short, its words that
    ``known`` accepts and that are no number (in ``lang`` or English) kept, each run of
    other words (names, numbers in digits or words, codes) one ``…``; punctuation goes."""
    text = clean_question(text, MAX_TEXT * 2).lower()
    numbers = number_words(lang)
    kept: list[str] = []
    for word in _WORD.findall(text):
        hidden = any(ch.isnumeric() for ch in word) or word in numbers or not known(word)
        if not hidden:
            kept.append(word)
        elif not kept or kept[-1] != HIDDEN:
            kept.append(HIDDEN)
    masked = " ".join(kept)
    if len(masked) > MAX_TEXT:
        masked = masked[:MAX_TEXT].rsplit(" ", 1)[0] + " " + HIDDEN
    return "" if masked == HIDDEN else masked


def log_path(data_dir: Path) -> Path:
    return Path(data_dir) / "logs" / FILE_NAME


def empty() -> dict:
    return {"format": FORMAT, "days": {}}


def read_log(path: Path) -> dict:
    """The log's data; an empty log when the file is missing.

    Raises OSError when it cannot be read and ValueError when it is not a log.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return empty()
    data = json.loads(raw)
    if not isinstance(data, dict) or not isinstance(data.get("days"), dict):
        raise ValueError("not an unanswered-question log")
    return data


def _day(data: dict, day: dt.date) -> dict:
    entry = data["days"].setdefault(day.isoformat(), {})
    entry.setdefault("asked", {})
    entry.setdefault("unanswered", [])
    entry.setdefault("feedback", {})
    return entry


def _entry_count(data: dict) -> int:
    return sum(len(d.get("unanswered", ())) for d in data["days"].values())


def _trim(data: dict, today: dt.date) -> dict:
    """Drop days too old, then the oldest days while the log is too big."""
    oldest = (today - dt.timedelta(days=MAX_DAYS)).isoformat()
    days = data["days"]
    for key in [k for k in days if k < oldest]:
        del days[key]
    while len(days) > 1 and (
        _entry_count(data) > MAX_ENTRIES or len(_dump(data).encode()) > MAX_BYTES
    ):
        del days[min(days)]
    # Still too many in one day (the only day left): keep the most asked ones.
    if _entry_count(data) > MAX_ENTRIES:
        (only,) = days.values()
        kept = sorted(only["unanswered"], key=lambda e: -e["count"])[:MAX_ENTRIES]
        only["unanswered"] = sorted(kept, key=_entry_key)
    return data


def _entry_key(entry: dict) -> tuple:
    return (entry["text"], entry["lang"], entry["ui"], entry["kind"], entry.get("article") or "")


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)


class UnansweredLog:
    """Counts and masked unanswered questions, written to one JSON file per data folder.

    Every public method swallows its own failures: the kiosk keeps answering whatever
    happens to the disk.
    """

    def __init__(self, path: Path, known: WordTest, fault_log: Path | None = None) -> None:
        self.path = Path(path)
        self.known = known
        self.fault_log = fault_log or self.path.parent / "faults.log"
        self._lock = threading.Lock()
        self._faults_noted: set[str] = set()

    # ---- recording -----------------------------------------------------------------------

    def asked(
        self, question: str, query_lang: str, ui_lang: str, status: str, day: dt.date
    ) -> None:
        """Count one question; keep its masked text when nothing answered it."""
        if not clean_question(question):
            return
        # The masked text ("" when no word of it is kept), for a question not answered.
        text = mask(question, query_lang, self.known) if status == NO_MATCH else ""

        def change(data: dict) -> None:
            entry = _day(data, day)
            counts = entry["asked"].setdefault(query_lang, {"questions": 0, "no_match": 0})
            counts["questions"] += 1
            if status == NO_MATCH:
                counts["no_match"] += 1
            if text:
                self._add(entry, text, query_lang, ui_lang, NO_MATCH, None)

        self._update(change, day)

    def feedback(
        self,
        article_id: str,
        helpful: bool,
        day: dt.date,
        question: str | None = None,
        query_lang: str | None = None,
        ui_lang: str | None = None,
    ) -> None:
        """Count a "did this help?" answer; keep the masked question of a "no"."""
        lang = query_lang or ui_lang or ""
        text = mask(question, lang, self.known) if question and not helpful else ""

        def change(data: dict) -> None:
            entry = _day(data, day)
            counts = entry["feedback"].setdefault(article_id, {"helpful": 0, "not_helpful": 0})
            counts["helpful" if helpful else "not_helpful"] += 1
            if text:
                self._add(entry, text, lang, ui_lang or lang, NOT_HELPFUL, article_id)

        self._update(change, day)

    def page_opened(
        self, article_id: str, day: dt.date, question: str, query_lang: str, ui_lang: str
    ) -> None:
        """Keep the masked question an "I don't know" was given for, with the page the
        person then opened from the pages to try."""
        text = mask(question, query_lang, self.known)

        def change(data: dict) -> None:
            if text:
                self._add(_day(data, day), text, query_lang, ui_lang, PAGE_OPENED, article_id)

        self._update(change, day)

    def urgent(self, kind: str, day: dt.date) -> None:
        """Count one urgent reply of ``kind``: a number per day, never the question."""

        def change(data: dict) -> None:
            counts = _day(data, day).setdefault("urgent", {})
            counts[kind] = counts.get(kind, 0) + 1

        self._update(change, day)

    @staticmethod
    def _add(
        day_entry: dict, text: str, lang: str, ui: str, kind: str, article: str | None
    ) -> None:
        new = {"text": text, "lang": lang, "ui": ui, "kind": kind, "article": article}
        key = _entry_key(new)
        items = day_entry["unanswered"]
        for item in items:
            if _entry_key(item) == key:
                item["count"] += 1
                return
        items.append({**new, "count": 1})
        items.sort(key=_entry_key)  # sorted by text: no trace of the order of asking

    # ---- the file --------------------------------------------------------------------------

    def _update(self, change, today: dt.date) -> None:
        try:
            with self._lock, self._file_lock():
                try:
                    data = read_log(self.path)
                except ValueError as exc:
                    # A damaged log is set aside (for a person to look at) and started anew.
                    self._note(exc)
                    os.replace(self.path, self.path.with_suffix(".json.bad"))
                    data = empty()
                change(data)
                self._write(_trim(data, today), today)
        except Exception as exc:  # never let the log break the kiosk
            self._note(exc)

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        """Hold a lock file, so two kiosk processes on one data folder never lose counts."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # not POSIX: the thread lock is all there is
            yield
            return
        with open(self.path.with_suffix(".lock"), "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _write(self, data: dict, today: dt.date) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".unanswered-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(_dump(data))
                fh.flush()
                os.fsync(fh.fileno())
            # The file's and its folder's times say the day only, not when the last
            # question was asked.
            midnight = dt.datetime.combine(today, dt.time()).timestamp()
            os.utime(tmp, (midnight, midnight))
            os.replace(tmp, self.path)
            os.utime(self.path.parent, (midnight, midnight))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def _note(self, exc: BaseException) -> None:
        """One fault-log note per kind of failure: the error's kind, never any text."""
        kind = f"{type(exc).__name__}:{getattr(exc, 'errno', '')}"
        log.warning("unanswered log not written (%s)", kind)
        if kind in self._faults_noted:
            return
        self._faults_noted.add(kind)
        from kiosk.faults import record_fault

        record_fault(exc, self.fault_log)


class _Off:
    """The log when it is switched off: records nothing, writes nothing."""

    path = None

    def asked(self, *args: object, **kwargs: object) -> None:
        pass

    def feedback(self, *args: object, **kwargs: object) -> None:
        pass

    def page_opened(self, *args: object, **kwargs: object) -> None:
        pass

    def urgent(self, *args: object, **kwargs: object) -> None:
        pass


def open_log(enabled: bool, data_dir: Path, known: WordTest) -> UnansweredLog | _Off:
    """The log of a kiosk: a real one when ``unanswered_log`` is on, else one that does
    nothing. ``known``: the words it may keep (the rulebook's, its languages' small words)."""
    return UnansweredLog(log_path(data_dir), known) if enabled else _Off()
