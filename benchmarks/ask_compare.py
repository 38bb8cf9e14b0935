"""`kiosk ask` wall time for several checkouts of this repository, measured in one run.

    git worktree add /tmp/before <commit>
    python benchmarks/ask_compare.py /tmp/before .

Each checkout gets a data folder of its own, made by one untimed `kiosk ask` (index,
phrasing tables, urgent model, words); then the same question is asked ``--runs`` times
per checkout, the checkouts taking turns, so a busy moment of a shared machine falls on
all of them alike. Prints each checkout's median and fastest run, and each median as a
share of the first checkout's: compare within one run, not across runs or machines.
Bytecode is written as on an installed kiosk (PYTHONDONTWRITEBYTECODE is cleared), and
the first, untimed run writes it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--question", default="how do I book a visit")
    args = parser.parse_args()
    roots = [p.resolve() for p in args.checkouts]
    with tempfile.TemporaryDirectory() as work:
        envs = {}
        for i, root in enumerate(roots):
            env = dict(os.environ, KIOSK_DATA_DIR=str(Path(work) / str(i)), PYTHONPATH=str(root))
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env.pop("KIOSK_CONFIG", None)
            envs[root] = env

        def ask(root: Path) -> float:
            cmd = [sys.executable, "-m", "kiosk", "ask", args.question,
                   "--content", str(root / "content"), "--json"]  # fmt: skip
            start = time.perf_counter()
            subprocess.run(cmd, env=envs[root], cwd=root, capture_output=True, check=True)
            return time.perf_counter() - start

        for root in roots:
            ask(root)  # the data folder and the bytecode
        times: dict[Path, list[float]] = {root: [] for root in roots}
        for _ in range(args.runs):
            for root in roots:
                times[root].append(ask(root))
    first = statistics.median(times[roots[0]])
    for root in roots:
        median = statistics.median(times[root])
        print(
            f"{root}: median {median:.3f} s, fastest {min(times[root]):.3f} s, "
            f"{median / first:.2f} of the first ({args.runs} runs)"
        )


if __name__ == "__main__":
    main()
