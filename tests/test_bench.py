"""bench/run.py runs every phase on a tiny generated edition and prints the table."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO


def test_benchmark_runs_and_prints_the_table(tmp_path):
    run = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "4", "--validate", "0",
                          "--jobs", "2", "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    table = run.stdout.split("phase ", 1)[1].splitlines()
    phases = [line.split("  ")[0] for line in table[1:] if line[:1].isalpha() and not line.startswith("peak")]
    for phase in ("validate", "html (build --only html)", "pdf (build --only pdf)", "full build",
                  "no-change rebuild", "one-document rebuild"):
        assert phase in phases, run.stdout
    no_change = next(line for line in table if line.startswith("no-change rebuild"))
    assert float(no_change.split()[3]) > 0  # seconds
    assert "not installed" in run.stdout or "jing" in run.stdout  # the standard toolchain, or why it is absent
