"""Benchmark: generate a synthetic edition and time `edition validate` (and optionally `edition build`).

    python bench/run.py                     # 1,000 documents: generate, then validate (3 runs)
    python bench/run.py --docs 200 --build  # also time a full build of the web and print editions

Each command runs as a separate process, as an editor would run it, so the times include starting
Python and compiling the schemas. The corpus is written to a temporary folder (or --out DIR).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    last = (done.stdout.strip().splitlines() or done.stderr.strip().splitlines() or [""])[-1]
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed (exit {done.returncode}):\n{done.stderr}")
    return seconds, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="folder for the generated edition (default: a temporary one)")
    parser.add_argument("--build", action="store_true", help="also time `edition build`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as temporary:
        out = args.out or Path(temporary) / f"gen{args.docs}"
        started = time.perf_counter()
        generate(args.docs, out, args.seed)
        print(f"generated {args.docs} documents in {time.perf_counter() - started:.1f} s: {out}")
        edition = [sys.executable, "-m", "edition", "-C", str(out)]
        commands = [("validate", edition + ["validate"])]
        if args.build:
            commands.append(("build", edition + ["build"]))
        for name, command in commands:
            times = []
            for _ in range(args.runs):
                seconds, last = timed(command)
                times.append(seconds)
            print(f"edition {name}: best {min(times):.2f} s, median {sorted(times)[len(times) // 2]:.2f} s "
                  f"over {args.runs} runs ({last})")


if __name__ == "__main__":
    main()
