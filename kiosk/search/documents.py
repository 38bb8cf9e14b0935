"""The documents of an index: one per article and language, as text, with a digest each."""

from __future__ import annotations

import hashlib

from kiosk.content.model import Rulebook
from kiosk.search.analysis import (
    COMPOUNDING,
    plain_analyzer,
    split_compound,
)
from kiosk.search.schema import Analysed, field_name


def article_texts(tr) -> list[str]:
    return [tr.title, *tr.questions, *tr.keywords, tr.summary, tr.body]


def documents(rulebook: Rulebook):
    """The documents of the index (one per article and language), as text."""
    plain = Analysed(plain_analyzer())
    # Compound words ("besokstid" = "besok" + "tid") split by the rulebook's own words.
    words_of: dict[tuple[str, str], list[list[str]]] = {}
    compounds: dict[str, dict[str, str]] = {}
    for lang in COMPOUNDING:
        vocabulary: set[str] = set()
        for article in rulebook.articles.values():
            if lang in article.translations:
                found = [plain(t) for t in article_texts(article.translations[lang])]
                words_of[(article.id, lang)] = found
                for ws in found:
                    vocabulary.update(ws)
        parts = {}
        for word in vocabulary:
            split = split_compound(word, vocabulary.__contains__)
            if split:
                parts[word] = " ".join(split)
        compounds[lang] = parts
    for article in rulebook.articles.values():
        for lang, tr in article.translations.items():
            splits = compounds.get(lang)
            texts = article_texts(tr)
            parts = ""
            if splits:
                found = words_of[(article.id, lang)]
                parts = " ".join(splits[w] for ws in found for w in ws if w in splits)
            yield {
                "key": f"{article.id}:{lang}",
                "article": article.id,
                "lang": lang,
                "topic": article.topic,
                "units": " ".join(article.units),
                field_name("title", lang): tr.title,
                field_name("questions", lang): "\n".join(tr.questions),
                field_name("keywords", lang): "\n".join(tr.keywords),
                field_name("summary", lang): tr.summary,
                field_name("body", lang): tr.body,
                field_name("plain", lang): "\n".join(texts),
                field_name("parts", lang): parts,
            }


def _digest(doc: dict) -> str:
    """What a document says, in 16 hex digits: equal digests, equal documents."""
    text = "\x00".join(f"{k}\x01{v}" for k, v in sorted(doc.items()))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def document_digests(docs: list[dict]) -> dict[str, str]:
    return {doc["key"]: _digest(doc) for doc in docs}
