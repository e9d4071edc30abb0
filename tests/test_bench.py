"""bench/run.py runs on a tiny generated edition and prints the table (two phases: seconds; `make
bench` times them all)."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO


def test_benchmark_runs_and_prints_the_table(tmp_path):
    run = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "2", "--validate", "0",
                          "--phases", "validate", "html", "--large", "0.2", "--import-mb", "0.1", "--jobs", "1",
                          "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    table = run.stdout.split("phase ", 1)[1].splitlines()
    rows = [line for line in table[1:] if line[:1].isalpha() and not line.startswith("peak")]
    phases = [line.split("  ")[0] for line in rows]
    assert "validate" in phases and "html (build --only html)" in phases, run.stdout
    html = next(line for line in rows if line.startswith("html (build --only html)"))
    assert float(html.split()[5]) > 0  # seconds
    assert any(line.startswith("validate 0.2 MB") for line in table), run.stdout  # one large document
    assert any(line.startswith("import 0.1 MB") for line in table), run.stdout  # a transcript imported ...
    assert any(line.startswith("validate it (") for line in table), run.stdout  # ... and its TEI validated
    assert "not installed" in run.stdout or "jing" in run.stdout  # the standard toolchain, or why it is absent


def test_the_tiling_benchmark_runs(tmp_path, seed_transcript):
    """bench/facsimiles.py on three small scans: the three builds, and only the changed image tiled."""
    run = subprocess.run([sys.executable, str(REPO / "bench" / "facsimiles.py"), "--images", "3", "--size", "600", "900",
                          "--jobs", "1", "--images-dir", str(tmp_path / "scans")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    rows = {line.split()[0]: line for line in run.stdout.splitlines() if line.split()[:1] in (["tile"], ["no-change"],
                                                                                            ["one-image"])}
    assert "redone: " in rows["tile"] and "3 facsimiles" in rows["tile"]
    assert "redone: nothing" in rows["no-change"]
    assert "1 facsimiles" in rows["one-image"]
    assert float(rows["tile"].split()[1]) > 0
