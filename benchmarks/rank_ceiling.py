"""Where the right article stands in the engine's ranking, and what the decision made of it.

    python benchmarks/rank_ceiling.py real_holdout real_holdout2 real_holdout3
    python benchmarks/rank_ceiling.py real --show rank0-no_match   # those cases, with the odds

For each covered question of the named sets in tests/eval/: the rank of its first
expected article among the engine's matches (after the meaning signal, where the kiosk
has it) and the decision (answered, clarify, no_match); for each off-topic question, the
decision. Right first can never be above the share ranked first: this is the ceiling any
decision has on these sets. Urgent questions and small talk (answered before any search)
are counted apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.assistant import Assistant  # noqa: E402
from kiosk.assistant.confidence import decide  # noqa: E402
from kiosk.assistant.evaluate import load_cases  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", help="names of sets in tests/eval/ (no .yaml)")
    parser.add_argument("--show", default="", help="print the cases whose kind contains this")
    args = parser.parse_args()
    assistant = Assistant(KioskConfig())
    assistant.open_meaning()
    today = dt.date.today()
    kinds: Counter[str] = Counter()
    for name in args.sets:
        for case in load_cases(ROOT / "tests" / "eval" / f"{name}.yaml"):
            if case.intent:
                continue
            reply = assistant.ask(case.q, ui_lang=case.ui, unit=case.unit)
            if reply.intent:
                kinds["before any search (" + reply.intent + ")"] += 1
                continue
            unit = case.unit or assistant.config.unit
            result = assistant.searched(reply.query, unit, case.ui, today)
            status = decide(result).status
            ids = [m.article for m in result.matches]
            if case.out_of_scope:
                kind = f"off-topic {status}"
            else:
                rank = next((i for i, a in enumerate(ids) if a in case.expect), None)
                where = "none" if rank is None else ("3+" if rank >= 3 else str(rank))
                kind = f"covered rank{where}-{status}"
            kinds[kind] += 1
            if args.show and args.show in kind:
                print(f"{kind:28s} {case.q[:80]!r} -> {ids[:3]}, expected {list(case.expect)}")
    covered = sum(v for k, v in kinds.items() if k.startswith("covered"))
    first = sum(v for k, v in kinds.items() if k.startswith("covered rank0"))
    top3 = sum(
        v
        for k, v in kinds.items()
        if k.startswith(("covered rank0", "covered rank1", "covered rank2"))
    )
    for kind, n in sorted(kinds.items()):
        print(f"{kind:32s} {n:5d}")
    if covered:
        print(
            f"covered {covered}: ranked first {first} ({100 * first / covered:.1f}%), "
            f"in the top three {top3} ({100 * top3 / covered:.1f}%)"
        )


if __name__ == "__main__":
    main()
