"""The kiosk app: a locked-down Textual App over the Assistant.

Lockdown in kiosk mode: bindings are not inherited (no ctrl+q, no ctrl+c), the command
palette is off, text selection and the system clipboard are off, ``open_url`` does
nothing, and an unexpected error shows the out-of-service screen instead of exiting.
SIGTERM (systemd stopping the kiosk) and SIGHUP end it cleanly: exit 0, terminal restored.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import signal
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen

from kiosk import FALLBACK_LANGUAGES, NO_MATCH, i18n
from kiosk.assistant import URGENT, Assistant, Reply
from kiosk.config import KioskConfig
from kiosk.faults import record_fault
from kiosk.publication import installed_version
from kiosk.speech import Speaker
from kiosk.ui import bidi
from kiosk.ui.screens.fault import FaultScreen
from kiosk.ui.screens.idle import IdleWarning
from kiosk.ui.screens.picker import LanguageScreen
from kiosk.ui.terminal import KioskDriver
from kiosk.ui.text import forget_rendered_text
from kiosk.unanswered import CHECK_IN_COUNT, open_log

if TYPE_CHECKING:
    from kiosk.ui.widgets.messages import AssistantBubble

log = logging.getLogger(__name__)

ACTIVITY_EVENTS = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp,
                   events.Paste)  # fmt: skip
FAULT_RETRY_SECONDS = 10.0
STOP_GRACE_SECONDS = 3.0
"""After SIGTERM, how long a thread still at work (an index build) may hold the exit."""
RELOAD_CHECK_SECONDS = 5.0
"""How often a kiosk looks for a publication newly installed by ``kiosk sync``."""


class KioskApp(App, inherit_bindings=False):
    """The kiosk UI. One person at a time; everything of theirs is wiped at the end."""

    CSS_PATH = "kiosk.tcss"
    TITLE = "Kiosk"
    ENABLE_COMMAND_PALETTE = False
    cursor_blink = True
    """Whether the question line's cursor blinks (snapshot tests turn it off)."""
    ALLOW_SELECT = False
    BINDINGS = [
        Binding("f1", "help", show=False),
        Binding("f2", "topics", show=False),
        Binding("f3", "orientation", show=False),
        Binding("f4", "language", show=False),
        Binding("f10", "end_session", show=False),
    ]

    def __init__(
        self,
        config: KioskConfig,
        assistant: Assistant | None = None,
        speaker: Speaker | None = None,
    ) -> None:
        super().__init__(driver_class=KioskDriver if os.name == "posix" else None)
        from kiosk.assistant.apart import one_malloc_arena

        one_malloc_arena()  # before the worker threads start
        self.speaker = speaker or Speaker()
        self.speaking: AssistantBubble | None = None  # the reply being read aloud
        self.config = config
        self.assistant = assistant
        self.lang: str | None = None
        self.last_input = time.monotonic()
        self.feedback: Counter[tuple[str, bool]] = Counter()
        self.now = dt.datetime.now  # replaceable, so tests and snapshots see a fixed time
        self.unanswered_count = 0
        self.orientation_step = 0  # where this person is in New here (F3 continues there)
        self.content_version: str | None = None  # the installed publication answering now
        self._reloading: str | None = None
        self.unanswered_log = open_log(
            config.unanswered_log, config.resolved_data_dir, known=self._known_word
        )
        bidi.set_mode(config.rtl)
        if not config.kiosk_mode:
            self._bindings.bind("ctrl+q", "quit", "Quit", show=False, priority=True)
        if config.theme == "high-contrast":
            self.theme = "textual-light"
            self.add_class("-high-contrast")

    # ---- start-up and sessions -----------------------------------------------------------

    def on_mount(self) -> None:
        self._handle_stop_signals(True)
        self.set_interval(1.0, self._tick_idle)
        if self.config.content is None:  # answering from what `kiosk sync` installs
            self.content_version = installed_version(self.config.resolved_data_dir)
            self.set_interval(RELOAD_CHECK_SECONDS, self.check_publication)
        if self.assistant is None:
            self.recover()
        else:
            self._show_picker()
            self.call_after_refresh(self._warm)  # the picker first, then the engine

    # ---- hot reload ------------------------------------------------------------------

    def check_publication(self) -> None:
        """Load a newly installed publication in the background, if there is one."""
        version = installed_version(self.config.resolved_data_dir)
        if version is None or version in (self.content_version, self._reloading):
            return
        if self.assistant is None:
            return  # out of service: recovery opens whatever is installed
        self._reloading = version
        self.run_worker(
            lambda: self._load_publication(version), thread=True, group="reload", exclusive=True
        )

    def _load_publication(self, version: str) -> None:
        try:
            fresh = Assistant(self.config)
            fresh.warm(apart=True)  # made by a child process: this one only reads it
        except Exception as exc:  # a broken publication: keep answering from the old one
            record_fault(exc)
            self.call_from_thread(self._keep_old_publication, version)
            return
        self.call_from_thread(self._swap_assistant, fresh, version)

    def _keep_old_publication(self, version: str) -> None:
        log.warning("publication %s could not be opened; the kiosk keeps the one it has", version)
        self.content_version, self._reloading = version, None  # not retried

    def _swap_assistant(self, fresh: Assistant, version: str) -> None:
        """Switch to the new content between answers; the conversation on screen stays."""
        if any(w.group == "ask" and w.is_running for w in self.workers):
            self.set_timer(0.2, lambda: self._swap_assistant(fresh, version))
            return
        old, self.assistant = self.assistant, fresh
        self.content_version, self._reloading = version, None
        if old is not None:
            old.close()
            del old
            from kiosk.assistant.apart import give_back_memory

            give_back_memory()

    def _warm(self) -> None:
        # Open the search engine (building the index if needed) while people choose a
        # language, not before the picker shows.
        assistant = self.assistant

        def warm() -> None:
            # The screens after the picker are imported here, off the start-up path.
            import kiosk.ui.screens.chat
            import kiosk.ui.screens.help
            import kiosk.ui.screens.orientation
            import kiosk.ui.screens.topics  # noqa: F401

            assistant.warm(apart=True)  # made by a child process: this one only reads it

        self.run_worker(warm, thread=True, group="warm", exclusive=True)

    @property
    def languages(self) -> tuple[str, ...]:
        return self.assistant.enabled_languages(self.config.languages)

    def content_errors(self) -> str | None:
        """Staff preview only: the content's errors in one line. People at a kiosk see none."""
        if self.config.kiosk_mode or self.assistant is None:
            return None
        from kiosk.check import errors_line

        return errors_line([*self.assistant.problems, *self.assistant.smalltalk.problems])

    def today(self) -> dt.date:
        """The kiosk's date: what is in force today is shown (tests fix ``now``)."""
        return self.now().date()

    def _show_picker(self) -> None:
        i18n.set_language(self.config.default_language or self.languages[0])
        picker = LanguageScreen(
            self.languages,
            self.config.facility,
            self.config.shown_unit_name,
            preselect=self.config.default_language,
        )
        self.push_screen(picker)

    def start_session(self, lang: str) -> None:
        """A person picked a language: open the chat in it."""
        from kiosk.ui.screens.chat import ChatScreen  # imported after the picker shows

        self.lang = lang
        i18n.set_language(lang)
        self.push_screen(ChatScreen(lang))

    def switch_language(self, lang: str, message: str | None = None) -> None:
        """A person asked for another language by its name: the chat starts again in it."""
        self.speaker.stop()
        self.speaking = None
        from kiosk.ui.screens.chat import ChatScreen

        self.lang = lang
        i18n.set_language(lang)
        self.switch_screen(ChatScreen(lang, greeting=message))

    def end_session(self) -> None:
        """Wipe everything of this person and show a fresh language picker."""
        self.lang = None
        self.orientation_step = 0
        self.speaker.stop()
        self.speaking = None
        self._clipboard = ""
        if self.assistant is not None:
            self.assistant.forget()  # a question prepared while typing
        self.clear_notifications()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        forget_rendered_text()
        self._show_picker()
        self._repaint_from_scratch()

    def _repaint_from_scratch(self) -> None:
        """Clear the terminal and draw the whole screen again at the terminal's real size:
        nothing of the last person may stay, even if the screen was drawn at a wrong size."""
        if isinstance(self._driver, KioskDriver):
            self._driver.repaint_from_scratch()
        self.call_after_refresh(self.refresh, layout=True)

    def recover(self) -> None:
        """Leave the out-of-service state when the kiosk can answer again."""
        if self.assistant is None:
            try:
                self.assistant = Assistant(self.config)
            except Exception as exc:  # content or index not usable yet: stay out of service
                self._show_fault(exc)
                return
        self.end_session()
        self._warm()

    # ---- actions (keys and the key bar) ----------------------------------------------------

    def _in_session(self) -> bool:
        return self.lang is not None and self.assistant is not None

    def _free(self) -> bool:
        """In a session, and no question (end the session?) or warning is open."""
        return self._in_session() and not isinstance(self.screen, ModalScreen)

    def action_help(self) -> None:
        from kiosk.ui.screens.help import HelpScreen

        if self._free():
            self.push_screen(HelpScreen(self.lang))

    def action_topics(self) -> None:
        from kiosk.ui.screens.topics import TopicsScreen

        if self._free():
            self.push_screen(TopicsScreen(self.lang))

    def action_orientation(self) -> None:
        """New here, from the step the person left it at (until the session ends)."""
        from kiosk.ui.screens.orientation import OrientationScreen

        if not self._free() or isinstance(self.screen, OrientationScreen):
            return
        unit = self.config.unit
        day = self.today()
        steps = [
            self.assistant.answer(a, self.lang, unit=unit, day=day)
            for a in self.assistant.orientation(unit, day)
        ]
        if steps:
            self.push_screen(OrientationScreen(self.lang, steps, self.orientation_step))

    def action_language(self) -> None:
        """Choose another language; the conversation on screen stays."""
        if not self._free() or isinstance(self.screen, LanguageScreen):
            return
        choice = LanguageScreen(
            self.languages,
            self.config.facility,
            self.config.shown_unit_name,
            preselect=self.lang,
            in_session=True,
        )
        self.push_screen(choice, self._language_chosen)

    async def _language_chosen(self, lang: str | None) -> None:
        from kiosk.ui.screens.chat import ChatScreen

        if lang is None or not self._in_session():
            return
        chat = next((s for s in self.screen_stack if isinstance(s, ChatScreen)), None)
        if chat is None:
            return
        while self.screen is not chat:  # back to the conversation, in the new language
            self.pop_screen()
        if lang != self.lang:
            self.speaker.stop()
            self.speaking = None
            self.lang = lang
            i18n.set_language(lang)
            await chat.set_language(lang)

    def action_end_session(self) -> None:
        """A person asked to end: ask first. (The idle timeout ends without asking.)"""
        from kiosk.ui.screens.confirm import ConfirmEnd

        if not self._in_session() or isinstance(self.screen, ModalScreen):
            return

        def answered(end: bool | None) -> None:
            if end and self._in_session():
                self.end_session()

        self.push_screen(ConfirmEnd(), answered)

    def open_topic(self, topic_id: str) -> None:
        topic = self.assistant.rulebook.topic(topic_id)
        title = topic.title(self.lang, FALLBACK_LANGUAGES) if topic else topic_id
        from kiosk.ui.screens.topics import ArticleListScreen

        self.push_screen(ArticleListScreen(self.lang, topic_id, title))

    def show_article(self, article_id: str) -> None:
        if article_id in self.assistant.rulebook.articles:
            answer = self.assistant.answer(
                article_id, self.lang, unit=self.config.unit, day=self.today()
            )
            from kiosk.ui.screens.topics import ArticleScreen

            self.push_screen(ArticleScreen(self.lang, answer))

    def record_feedback(self, article_id: str, helpful: bool, reply: Reply | None = None) -> None:
        """Which article, helpful or not: nothing about the person. With the log on, the
        counts are kept, and so is the masked question (``reply``) of a "did not help"."""
        self.feedback[(article_id, helpful)] += 1
        # Not the words of a question that may hide a crisis (the check-in line).
        kept = reply is not None and not reply.check_in
        self.unanswered_log.feedback(
            article_id,
            helpful,
            self.today(),
            question=reply.query if kept else None,
            query_lang=reply.query_lang if kept else None,
            ui_lang=self.lang,
        )

    def record_page_opened(self, article_id: str, reply: Reply) -> None:
        """After an "I don't know", the person opened one of the pages to try: with the
        log on, the masked question is kept with that page (where its answer was), unless
        it may hide a crisis (the check-in line: its words are never kept)."""
        if reply.check_in:
            return
        self.unanswered_log.page_opened(
            article_id, self.today(), reply.query, reply.query_lang, self.lang
        )

    def _known_word(self, word: str) -> bool:
        """A word the unanswered log may keep: the rulebook's, or a small word of its
        languages (the assistant answering now; none while out of service)."""
        assistant = self.assistant
        return assistant is not None and assistant.knows_word(word)

    def note_reply(self, reply: Reply) -> None:
        """A question was answered or not: with the log on, it is counted, and kept (masked)
        when nothing answered it. Small talk is not counted; an urgent reply is counted
        by its kind only, and a reply with the check-in line as "check_in" only."""
        if reply.intent == URGENT and reply.urgent_kind:
            # A crisis is counted by kind and day, and its words are never kept.
            self.unanswered_log.urgent(reply.urgent_kind, self.today())
            return
        if reply.intent:
            return
        if reply.status == NO_MATCH:
            self.unanswered_count += 1
        if reply.check_in:
            # It may hide a crisis: counted like one ("check_in"), its words never kept.
            self.unanswered_log.urgent(CHECK_IN_COUNT, self.today())
            return
        today = self.today()
        self.unanswered_log.asked(reply.query, reply.query_lang, reply.ui_lang, reply.status, today)

    # ---- idle and privacy -----------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ACTIVITY_EVENTS):
            self.last_input = time.monotonic()
            if isinstance(self.screen, IdleWarning):
                self.screen.dismiss()
                if isinstance(event, events.Key):
                    return  # the key that wakes the kiosk does nothing else
        await super().on_event(event)

    def _tick_idle(self) -> None:
        if not self._in_session():
            return
        screen = self.screen
        if isinstance(screen, IdleWarning):
            if screen.tick() <= 0:
                self.end_session()
            return
        if time.monotonic() - self.last_input >= self.config.idle_timeout:
            self.push_screen(IdleWarning(int(self.config.idle_warning)))

    def copy_to_clipboard(self, text: str) -> None:
        """Copying stays inside the app: never the terminal's clipboard (OSC 52)."""
        self._clipboard = text

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Nothing is ever opened from the kiosk."""

    # ---- stopping -----------------------------------------------------------------------

    STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)

    def _handle_stop_signals(self, install: bool) -> None:
        """SIGTERM and SIGHUP end the app the normal way (terminal restored, exit 0)."""
        with contextlib.suppress(RuntimeError, ValueError, NotImplementedError):
            loop = asyncio.get_running_loop()  # only the main thread may have handlers
            for sig in self.STOP_SIGNALS:
                if install:
                    loop.add_signal_handler(sig, self.stop_for_system)
                else:
                    loop.remove_signal_handler(sig)

    def stop_for_system(self) -> None:
        """End the app now (SIGTERM, SIGHUP, the terminal gone); the process ends after a
        grace period even if something holds it."""
        self.speaker.stop()
        # The terminal is given back at once; a thread still at work (an index being
        # built aside, renamed into place only when complete) would hold the process
        # until it ends, so the exit is forced after a grace period.
        timer = threading.Timer(STOP_GRACE_SECONDS, os._exit, args=(0,))
        timer.daemon = True
        timer.start()
        self.exit(0)

    def on_unmount(self) -> None:
        self._handle_stop_signals(False)

    # ---- faults ----------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Any unexpected error: log it, show the out-of-service screen, keep running."""
        self._show_fault(error)

    def note_input_fault(self, error: Exception) -> None:
        """Input the terminal driver could not read was dropped: noted, nothing else (any
        thread)."""
        record_fault(error, self.config.resolved_data_dir / "logs" / "faults.log")

    def _show_fault(self, error: BaseException) -> None:
        code = record_fault(error, self.config.resolved_data_dir / "logs" / "faults.log")
        log.error("fault %s: %s", code, type(error).__name__)
        self.lang = None
        try:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.push_screen(FaultScreen(code, FAULT_RETRY_SECONDS))
        except Exception:  # the screen stack itself is broken: nothing better to do
            log.exception("cannot show the fault screen")


def kiosk_app(config: KioskConfig) -> KioskApp:
    """The kiosk app for ``config``; out of service (retrying) when content cannot load."""
    try:
        assistant: Assistant | None = Assistant(config)
    except Exception:  # unreadable content, a full disk...: never a dead screen
        if not config.kiosk_mode:
            raise
        assistant = None  # the app shows out-of-service and keeps retrying
    return KioskApp(config, assistant)


def run_kiosk(config: KioskConfig) -> int:
    """Run the kiosk UI until it is quit (staff mode) or the process is stopped."""
    app = kiosk_app(config)
    app.run()
    return app.return_code or 0


__all__ = ["KioskApp", "kiosk_app", "run_kiosk"]
