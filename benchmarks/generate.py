"""Generate a synthetic rulebook of national size in the real content schema.

N articles per topic (default 100) for every topic of the bundled sample, in all six
languages, each with a title, a one- or two-sentence summary, an 80-250 word Markdown
body, 4-8 questions and keywords. The words are real words of each language, taken
from the bundled sample's own articles (per topic and overall, weighted by how often
they occur there), so the stemmers, stopword lists, synonyms, accent folding and
compound splitting meet the same words they meet in life. The text is not grammatical:
it is shaped for measuring speed, not for reading.

In the folder, ``eval.yaml`` (and ``questions.json``) is written: per article one clean
question, one misspelt question and one cross-language question (question in one
language, kiosk in another), plus out-of-scope questions in every language. Each case's
kind is in a trailing comment; :func:`generate` also returns the cases with their kinds.

Everything is deterministic for a given seed. The result passes ``kiosk check``:

    python benchmarks/generate.py /tmp/national --per-topic 100
    kiosk check --content /tmp/national
    kiosk eval /tmp/national/eval.yaml --content /tmp/national
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import itertools
import json
import random
import re
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # runnable from a fresh clone without installing
    sys.path.insert(0, str(ROOT))

from kiosk import LANGUAGES, UNIT_TYPES  # noqa: E402
from kiosk.content.load import load_rulebook  # noqa: E402
from kiosk.wordlists import STOPWORDS  # noqa: E402

BUNDLED = ROOT / "content"
KINDS = ("clean", "typo", "cross", "oos")
QUESTIONS_FILE = "questions.json"
"""The eval cases with their kinds, beside eval.yaml (which has them in comments)."""

# Questions about things no rulebook covers, as people type them (lowercase, few accents).
OUT_OF_SCOPE = {
    "en": [
        "what is the weather tomorrow", "who won the football match last night",
        "pancake recipe", "how much is a bitcoin now", "tell me a joke",
        "what is the capital of france", "how tall is mount everest",
        "who sings the song on the radio", "best pizza topping", "how do volcanoes work",
        "when is the next solar eclipse", "how fast can a cheetah run",
    ],
    "nb": [
        "hva blir været i morgen", "hvem vant kampen i går", "oppskrift på lapskaus",
        "hva koster en bitcoin nå", "fortell en vits", "hva er hovedstaden i frankrike",
        "hvor høyt er mount everest", "hvem synger sangen på radioen", "beste pizza",
        "hvordan virker en vulkan", "når er neste solformørkelse", "hvor fort løper en gepard",
    ],
    "pl": [
        "jaka będzie jutro pogoda", "kto wygrał mecz legii", "przepis na pierogi",
        "ile kosztuje bitcoin", "opowiedz kawał", "jaka jest stolica francji",
        "jak wysoki jest everest", "kto śpiewa tę piosenkę w radiu", "najlepsza pizza",
        "jak działa wulkan", "kiedy będzie zaćmienie słońca", "jak szybko biega gepard",
    ],
    "lt": [
        "koks oras bus rytoj", "kas laimėjo žalgirio rungtynes", "cepelinų receptas",
        "kiek kainuoja bitkoinas", "papasakok anekdotą", "kokia prancūzijos sostinė",
        "koks aukštas everestas", "kas dainuoja dainą per radiją", "geriausia pica",
        "kaip veikia ugnikalnis", "kada bus saulės užtemimas", "kaip greitai bėga gepardas",
    ],
    "ro": [
        "cum e vremea mâine", "cine a câștigat meciul stelei", "rețetă de sarmale",
        "cât costă un bitcoin", "spune-mi o glumă", "care e capitala franței",
        "cât de înalt e everestul", "cine cântă melodia de la radio", "cea mai bună pizza",
        "cum funcționează un vulcan", "când e următoarea eclipsă de soare",
        "cât de repede aleargă un ghepard",
    ],
    "ar": [
        "كيف الطقس بكرا", "مين ربح مباراة ريال مدريد", "طريقة عمل المقلوبة",
        "كم سعر البيتكوين", "احكيلي نكتة", "ما هي عاصمة فرنسا", "كم ارتفاع جبل ايفرست",
        "مين بيغني الاغنية بالراديو", "احسن بيتزا", "كيف يشتغل البركان",
        "متى الكسوف الجاي", "قديش سرعة الفهد",
    ],
}  # fmt: skip

_HARAKAT = re.compile("[\u064b-\u0652\u0670\u0640]")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Case:
    """One generated question: its kind (clean, typo, cross, oos) and eval fields."""

    kind: str
    q: str
    ui: str
    lang: str
    unit: str | None = None
    expect: tuple[str, ...] = ()

    def to_yaml(self) -> str:
        fields = [f"q: {json.dumps(self.q, ensure_ascii=False)}", f"ui: {self.ui}"]
        fields.append(f"lang: {self.lang}")
        if self.unit:
            fields.append(f"unit: {self.unit}")
        if self.expect:
            fields.append(f"expect: [{', '.join(self.expect)}]")
        else:
            fields.append("out_of_scope: true")
        return "- {" + ", ".join(fields) + "}  # " + self.kind


class _Pools:
    """Real words of one language: overall, per topic, and its function words."""

    def __init__(self, lang: str, texts_by_topic: dict[str, list[str]]) -> None:
        stops = STOPWORDS.get(lang, frozenset())
        self.lang = lang
        self.topic: dict[str, tuple[list[str], list[float]]] = {}
        overall: Counter[str] = Counter()
        function: Counter[str] = Counter()
        for topic, texts in texts_by_topic.items():
            counts: Counter[str] = Counter()
            for text in texts:
                for w in _WORD.findall(_HARAKAT.sub("", _PLACEHOLDER.sub(" ", text)).lower()):
                    if w in stops:
                        function[w] += 1
                    elif len(w) >= 3:
                        counts[w] += 1
            overall.update(counts)
            self.topic[topic] = _weighted(counts)
        self.overall = _weighted(overall)
        self.function = _weighted(function, power=1.0)
        self.vocabulary = frozenset(overall) | frozenset(function)


def _weighted(counts: Counter[str], power: float = 0.5) -> tuple[list[str], list[float]]:
    """Words in a stable order with their cumulative weights (for ``random.choices``)."""
    words = sorted(counts)
    return words, list(itertools.accumulate(counts[w] ** power for w in words))


def _typo(word: str, rng: random.Random, vocabulary: frozenset[str]) -> str:
    """A plausible misspelling of ``word`` (a letter dropped, doubled, swapped or wrong)."""
    for _ in range(20):
        i = rng.randrange(1, len(word) - 1)
        op = rng.choice(("drop", "double", "swap", "vowel"))
        if op == "drop":
            out = word[:i] + word[i + 1 :]
        elif op == "double":
            out = word[:i] + word[i] + word[i:]
        elif op == "swap":
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            vowels = "ايو" if "\u0600" <= word[0] <= "\u06ff" else "aeiou"
            out = word[:i] + rng.choice(vowels) + word[i + 1 :]
        if out != word and out not in vocabulary:
            return out
    return word[:-1]


class Generator:
    def __init__(self, source: Path, seed: int) -> None:
        rulebook, problems = load_rulebook(source)
        if not rulebook.articles:
            raise SystemExit(f"{source}: no articles to take words from ({problems[:1]})")
        self.source = source
        self.rulebook = rulebook
        self.topics = [t.id for t in rulebook.topics]
        self.rng = random.Random(seed)
        self.pools: dict[str, _Pools] = {}
        for lang in LANGUAGES:
            by_topic: dict[str, list[str]] = {t: [] for t in self.topics}
            for article in rulebook.articles.values():
                tr = article.translations.get(lang)
                if tr is not None:
                    by_topic[article.topic].extend(
                        [tr.title, tr.summary, tr.body, *tr.questions, *tr.keywords]
                    )
            self.pools[lang] = _Pools(lang, by_topic)

    # ---- words and sentences -----------------------------------------------------------

    def _pick(self, pool: tuple[list[str], list[float]], k: int = 1) -> list[str]:
        words, cumulative = pool
        return self.rng.choices(words, cum_weights=cumulative, k=k)

    def _sentence(self, p: _Pools, topic: str, anchors: list[str], n: int) -> str:
        """``n`` words: function words, the article's anchors, topic words, any words."""
        rng = self.rng
        kinds = [rng.random() for _ in range(n)]
        function = iter(self._pick(p.function, n))
        local = iter(self._pick(p.topic[topic], n))
        overall = iter(self._pick(p.overall, n))
        words = [
            next(function) if r < 0.38
            else rng.choice(anchors) if r < 0.40
            else next(local) if r < 0.72
            else next(overall)
            for r in kinds
        ]  # fmt: skip
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "."

    def _translation(self, p: _Pools, topic: str, anchors: list[str]) -> dict[str, object]:
        rng = self.rng
        title_words = [*anchors[:2], *self._pick(p.topic[topic], rng.randint(0, 2))]
        title = " ".join(dict.fromkeys(title_words))
        summary = " ".join(
            self._sentence(p, topic, anchors, rng.randint(8, 18)) for _ in range(rng.randint(1, 2))
        )
        target = rng.randint(80, 250)
        lines: list[str] = []
        count = 0
        while count < target:
            heading = " ".join(self._pick(p.topic[topic], rng.randint(1, 3)))
            lines.append(f"**{heading[:1].upper() + heading[1:]}**")
            lines.append("")
            if rng.random() < 0.4:
                for _ in range(rng.randint(2, 4)):
                    n = rng.randint(3, 8)
                    lines.append("- " + self._sentence(p, topic, anchors, n))
                    count += n
            else:
                sentences = []
                for _ in range(rng.randint(2, 4)):
                    n = rng.randint(6, 16)
                    sentences.append(self._sentence(p, topic, anchors, n))
                    count += n
                lines.append(" ".join(sentences))
            lines.append("")
        questions: dict[str, None] = {}
        wanted = rng.randint(4, 8)
        while len(questions) < wanted:
            words = [rng.choice(anchors), *self._pick(p.function, rng.randint(1, 3))]
            words += self._pick(p.topic[topic], rng.randint(0, 2))
            rng.shuffle(words)
            questions[" ".join(words)] = None
        keywords = list(dict.fromkeys([*anchors, *self._pick(p.topic[topic], rng.randint(0, 2))]))
        return {
            "title": title[:1].upper() + title[1:],
            "summary": summary,
            "body": "\n".join(lines).strip() + "\n",
            "questions": list(questions),
            "keywords": keywords,
        }

    def _question(self, p: _Pools, topic: str, anchors: list[str]) -> list[str]:
        """A question as a person asks it: two of the article's words, some glue."""
        rng = self.rng
        words = rng.sample(anchors, 2)
        words += self._pick(p.function, rng.randint(1, 3))
        if rng.random() < 0.5:
            words += self._pick(p.topic[topic])
        rng.shuffle(words)
        return words

    # ---- the corpus --------------------------------------------------------------------

    def generate(self, out: Path, per_topic: int) -> list[Case]:
        rng = self.rng
        if out.exists():
            shutil.rmtree(out)
        (out / "articles").mkdir(parents=True)
        for name in ("topics.yaml", "synonyms.yaml", "notices.yaml"):
            if (self.source / name).is_file():
                shutil.copyfile(self.source / name, out / name)
        cases: list[Case] = []
        ids: dict[str, list[str]] = {}
        anchors_of: dict[tuple[str, str], list[str]] = {}
        units_of: dict[str, tuple[str, ...]] = {}
        for topic in self.topics:
            ids[topic] = [f"{topic}.a{i:03d}" for i in range(per_topic)]
            used: dict[str, set[tuple[str, ...]]] = {lang: set() for lang in LANGUAGES}
            (out / "articles" / topic).mkdir()
            for n, aid in enumerate(ids[topic]):
                units = tuple(UNIT_TYPES)
                if rng.random() < 0.3:
                    units = tuple(sorted(rng.sample(UNIT_TYPES, rng.randint(2, 3))))
                units_of[aid] = units
                translations = {}
                for lang in LANGUAGES:
                    p = self.pools[lang]
                    words = p.topic[topic][0]
                    for _ in range(50):
                        anchors = sorted(rng.sample(words, 3))
                        if tuple(anchors) not in used[lang]:
                            break
                    used[lang].add(tuple(anchors))
                    rng.shuffle(anchors)
                    anchors_of[(aid, lang)] = anchors
                    translations[lang] = self._translation(p, topic, anchors)
                others = [x for x in ids[topic] if x != aid]
                related = rng.sample(others, min(len(others), rng.randint(0, 3)))
                reviewed = dt.date(2026, 10, 1) - dt.timedelta(days=rng.randint(0, 300))
                path = out / "articles" / topic / f"a{n:03d}.yaml"
                path.write_text(
                    _article_yaml(aid, topic, units, reviewed, related, translations),
                    encoding="utf-8",
                )
        all_ids = [aid for topic in self.topics for aid in ids[topic]]
        orientation = {unit: [] for unit in UNIT_TYPES}
        for unit in UNIT_TYPES:
            fitting = [aid for aid in all_ids if unit in units_of[aid]]
            orientation[unit] = rng.sample(fitting, min(8, len(fitting)))
        (out / "orientation.yaml").write_text(
            "".join(
                f"{unit}:\n" + "".join(f"  - {aid}\n" for aid in steps)
                for unit, steps in orientation.items()
            ),
            encoding="utf-8",
        )
        for i, aid in enumerate(all_ids):
            topic = aid.split(".")[0]
            unit = None if "high" in units_of[aid] else units_of[aid][0]
            langs = list(LANGUAGES)
            lang = langs[i % len(langs)]
            p = self.pools[lang]
            q = " ".join(self._question(p, topic, anchors_of[(aid, lang)]))
            cases.append(Case("clean", q, lang, lang, unit, (aid,)))
            lang = langs[(i + 1) % len(langs)]
            p = self.pools[lang]
            words = self._question(p, topic, anchors_of[(aid, lang)])
            long = [j for j, w in enumerate(words) if len(w) >= 5 and w not in p.function[0]]
            for j in rng.sample(long, min(len(long), rng.randint(1, 2))):
                words[j] = _typo(words[j], rng, p.vocabulary)
            cases.append(Case("typo", " ".join(words), lang, lang, unit, (aid,)))
            lang = langs[(i + 2) % len(langs)]
            ui = rng.choice([x for x in langs if x != lang])
            p = self.pools[lang]
            q = " ".join(self._question(p, topic, anchors_of[(aid, lang)]))
            cases.append(Case("cross", q, ui, lang, unit, (aid,)))
        for lang, questions in OUT_OF_SCOPE.items():
            for q in questions:
                cases.append(Case("oos", q, rng.choice(LANGUAGES), lang))
        (out / "eval.yaml").write_text(
            "# Generated by benchmarks/generate.py: kind of each case in its trailing comment.\n"
            + "\n".join(c.to_yaml() for c in cases)
            + "\n",
            encoding="utf-8",
        )
        (out / QUESTIONS_FILE).write_text(
            json.dumps([dataclasses.asdict(c) for c in cases], ensure_ascii=False, indent=0),
            encoding="utf-8",
        )
        return cases


def _article_yaml(aid, topic, units, reviewed, related, translations) -> str:
    def s(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    out = [f"id: {aid}", f"topic: {topic}"]
    if tuple(units) != tuple(UNIT_TYPES):
        out.append(f"units: [{', '.join(units)}]")
    out.append(f"reviewed: {reviewed.isoformat()}")
    if related:
        out.append(f"related: [{', '.join(related)}]")
    out.append("translations:")
    for lang, tr in translations.items():
        out.append(f"  {lang}:")
        out.append(f"    title: {s(tr['title'])}")
        out.append(f"    summary: {s(tr['summary'])}")
        out.append("    body: |")
        out.extend(f"      {line}" if line else "" for line in tr["body"].rstrip("\n").split("\n"))
        out.append("    questions:")
        out.extend(f"      - {s(q)}" for q in tr["questions"])
        out.append(f"    keywords: [{', '.join(s(k) for k in tr['keywords'])}]")
    return "\n".join(out) + "\n"


def read_cases(path: Path) -> list[Case]:
    """The cases :func:`generate` wrote (``questions.json`` in the generated folder)."""
    if path.is_dir():
        path = path / QUESTIONS_FILE
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [Case(**{**c, "expect": tuple(c["expect"])}) for c in raw]


def generate(out: Path, per_topic: int = 100, seed: int = 7, source: Path = BUNDLED) -> list[Case]:
    """Write a synthetic rulebook (and its eval.yaml) to ``out``; return the eval cases."""
    return Generator(source, seed).generate(out, per_topic)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--per-topic", type=int, default=100, help="articles per topic")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--source", type=Path, default=BUNDLED, help="content to take words from")
    args = parser.parse_args()
    started = time.perf_counter()
    cases = generate(args.out, args.per_topic, args.seed, args.source)
    kinds = Counter(c.kind for c in cases)
    articles = sum(1 for _ in (args.out / "articles").rglob("*.yaml"))
    print(
        f"{args.out}: {articles} articles x {len(LANGUAGES)} languages, "
        f"{len(cases)} eval cases ({', '.join(f'{k} {kinds[k]}' for k in KINDS)}) "
        f"in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
