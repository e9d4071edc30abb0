"""Benchmark: time each phase of `edition` on generated editions, and the standard toolchain beside it.

    python bench/run.py                           # N = 100 and 1,000 (all phases), validation of 10,000
    python bench/run.py --sizes 100 --validate 0  # quicker
    python bench/run.py --jobs 2 --out /tmp/bench # keep the generated editions
    python bench/run.py --sizes 2 --validate 0 --phases validate html   # seconds: the test suite's smoke run
    python bench/run.py --sizes --validate 0 --large 1 10 50 --import-mb 5   # large documents only

Phases, each a separate process as an editor would run it (so times include starting Python,
compiling schemas and stylesheets):

    validate     edition validate                          (one process, as the command works)
    html         edition build --only html --clean         (validate + web edition + search index)
    pdf          edition build --only pdf --clean          (validate + every PDF and the book)
    full         edition build --clean                     (everything, nothing cached)
    no-change    edition build                             (again, nothing changed)
    one-doc      edition build                             (after changing one document's text)

Large documents (bench/large.py), one document each, by `edition validate`:

    validate N MB         the bundled record's body repeated to N MB (--large, default 10 and 50)
    import N MB           `edition import` of the record as a plain-text transcript of N MB, into an
                          edition made by `edition init` (whose small register leaves the importer's
                          warnings), then `edition validate` of the document it wrote (--import-mb)

For each: seconds, documents per second, milliseconds per document and the peak memory: the
largest total resident memory of the command's processes (worker processes included), sampled
from /proc, beside getrusage(RUSAGE_CHILDREN).ru_maxrss (the largest single process waited for). The standard toolchain is timed on the same files when installed,
never downloaded: jing with the edition's RELAX NG schema (structure only: no Schematron, no
pointer checks), and the TEI Consortium's TEI-to-HTML stylesheets run by Saxon-HE (java -jar).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402
from large import large_document, transcript  # noqa: E402

REPO = HERE.parent
RNG = REPO / "schemas" / "edition.rng"
SAXON_JARS = [Path("/usr/share/java/Saxon-HE.jar"), Path("/usr/share/java/saxon9he.jar")]
# The TEI Stylesheets: Debian's tei-xsl where packaged (not in Debian 12), or a checkout of
# TEIC/Stylesheets named by --tei-stylesheets or $TEI_STYLESHEETS (never downloaded here).
TEI_HTML = [Path("/usr/share/xml/tei/stylesheet/html/html.xsl"), Path("/usr/share/xml/tei/stylesheet/html5/html5.xsl")]

# Runs a command and reports its time and its peak memory as JSON on stdout: the largest sum of the
# resident memory of the command and all its descendants (worker processes included), sampled every
# 50 ms from /proc, and ru_maxrss of the children (getrusage RUSAGE_CHILDREN: the largest single
# process that the command waited for; worker processes started by a fork server are not among them).
WRAPPER = """
import json, os, resource, subprocess, sys, tempfile, time
PAGE = os.sysconf("SC_PAGE_SIZE")

TICK = os.sysconf("SC_CLK_TCK")
cpu_seen = {}  # pid -> its user + system seconds when last sampled (its own, not its children's)

def tree_rss(root):
    parents, rss, cpu = {}, {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents[int(pid)] = int(fields[1])
            cpu[int(pid)] = (int(fields[11]) + int(fields[12])) / TICK
            with open(f"/proc/{pid}/statm") as f:
                rss[int(pid)] = int(f.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            pass
    family, grew = {root}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    for p in family:
        if p in cpu:
            cpu_seen[p] = max(cpu_seen.get(p, 0), cpu[p])
    return sum(rss.get(p, 0) for p in family)

started = time.perf_counter()
# Output into files, not pipes: a command that prints more than a pipe holds (edition import's report
# of a large transcript) would block until read, and it is read only after it ends.
with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
    child = subprocess.Popen(sys.argv[1:], stdout=out_file, stderr=err_file, text=True)
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss(child.pid))
        time.sleep(0.05)
    out_file.seek(0)
    err_file.seek(0)
    out, err = out_file.read(), err_file.read()
seconds = time.perf_counter() - started
lines = (out.strip().splitlines() or err.strip().splitlines() or [""])
summary = next((line for line in lines if line.startswith("built ")), lines[-1])
print(json.dumps({"rc": child.returncode, "seconds": seconds, "last": summary[:200], "stderr": err[-2000:],
                  "peak_kb": peak // 1024, "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "cpu": max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
                             + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime, sum(cpu_seen.values()))}))
"""


def measure(command: list[str], ok=(0,)) -> dict:
    done = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True)
    result = json.loads(done.stdout)
    if result["rc"] not in ok:
        sys.exit(f"{' '.join(command)} failed (exit {result['rc']}):\n{result['stderr']}")
    return result


def row(table: list, phase: str, docs: int, result: dict, note: str = "") -> None:
    seconds = result["seconds"]
    table.append((phase, docs, seconds, docs / seconds if seconds else 0, 1000 * seconds / docs,
                  result["peak_kb"] / 1024, result["maxrss_kb"] / 1024, result["cpu"], note))
    print(f"  {phase:<22} {docs:>6} docs {seconds:8.2f} s   ({result['last']})", flush=True)


def change_one_document(folder: Path) -> None:
    document = sorted(p for p in (folder / "tei").glob("*.xml") if p.name not in ("persons.xml", "places.xml"))[0]
    text = document.read_text(encoding="utf-8")
    document.write_text(text.replace("<head>", f"<head>Revised {time.time_ns()}: ", 1), encoding="utf-8")


def standard_toolchain(table: list, folder: Path, docs: int, html: bool = True) -> list[str]:
    """jing and the TEI stylesheets on the same files, if installed (the stylesheets only with `html`:
    beside the sizes whose web edition is timed)."""
    notes = []
    files = [str(p) for p in sorted((folder / "tei").glob("*.xml"))]
    jing = shutil.which("jing")
    if jing:
        result = measure([jing, str(RNG), *files], ok=(0, 1))
        row(table, "jing (RELAX NG only)", docs, result, "standard")
    else:
        notes.append("jing: not installed")
    saxon = next((j for j in SAXON_JARS if j.is_file()), None)
    tei_html = next((x for x in TEI_HTML if x.is_file()), None)
    java = shutil.which("java")
    if not html:
        pass
    elif saxon and tei_html and java:
        out = folder / "tei-html"
        out.mkdir(exist_ok=True)
        # Saxon's batch mode: a folder in, a folder out, the stylesheet compiled once.
        result = measure([java, "-jar", str(saxon), f"-s:{folder / 'tei'}", f"-o:{out}", f"-xsl:{tei_html}"], ok=(0, 2))
        row(table, "TEI XSL + Saxon-HE", docs, result, "standard")
    else:
        missing = [name for name, found in (("Saxon-HE", saxon), ("TEI Stylesheets", tei_html), ("java", java))
                   if not found]
        notes.append(f"TEI-to-HTML with Saxon-HE: not installed ({', '.join(missing)} missing)")
    return notes


PHASES = ["validate", "html", "pdf", "full", "no-change", "one-doc", "one-doc-html"]


def bench_size(table: list, root: Path, docs: int, jobs: list[str], full: bool, seed: int,
               phases: list[str] = PHASES) -> list[str]:
    folder = root / f"gen{docs}"
    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    generate(docs, folder, seed)
    size = sum(p.stat().st_size for p in (folder / "tei").glob("*.xml")) / docs / 1024
    print(f"N = {docs}: generated in {time.perf_counter() - started:.1f} s, {size:.1f} KB per document", flush=True)
    edition = [sys.executable, "-m", "edition", "-C", str(folder)]
    notes = []
    if "validate" in phases:
        row(table, "validate", docs, measure(edition + ["validate"]))
        notes = standard_toolchain(table, folder, docs, html=full)
    if not full:
        return notes
    if "html" in phases:
        row(table, "html (build --only html)", docs, measure(edition + ["build", "--only", "html", "--clean", "-q", *jobs]))
    if "pdf" in phases:
        row(table, "pdf (build --only pdf)", docs, measure(edition + ["build", "--only", "pdf", "--clean", "-q", *jobs]))
    if "full" in phases:
        row(table, "full build", docs, measure(edition + ["build", "--clean", "-q", *jobs]))
    if "no-change" in phases:
        row(table, "no-change rebuild", docs, measure(edition + ["build", "-q", *jobs]))
    if "one-doc" in phases:
        change_one_document(folder)
        row(table, "one-document rebuild", docs, measure(edition + ["build", "-q", *jobs]))
    if "one-doc-html" in phases:
        change_one_document(folder)
        row(table, "one-doc rebuild, html", docs, measure(edition + ["build", "--only", "html", "-q", *jobs]))
    return notes


def bench_large(table: list, root: Path, megabytes: float) -> None:
    folder = root / f"large{megabytes:g}"
    if folder.exists():
        shutil.rmtree(folder)
    document = large_document(megabytes, folder)
    size = document.stat().st_size / 1e6
    result = measure([sys.executable, "-m", "edition", "-C", str(folder), "validate"])
    row(table, f"validate {size:.1f} MB", 1, result, "large")


def bench_import(table: list, root: Path, megabytes: float) -> None:
    folder = root / f"import{megabytes:g}"
    if folder.exists():
        shutil.rmtree(folder)
    edition = [sys.executable, "-m", "edition"]
    subprocess.run(edition + ["init", str(folder), "--title", "Large import"], check=True, capture_output=True)
    for example in (folder / "tei").glob("*excerpt*.xml"):
        example.unlink()  # only the imported document
    text = transcript(megabytes, root / f"transcript-{megabytes:g}mb.txt")
    row(table, f"import {megabytes:g} MB", 1, measure(edition + ["-C", str(folder), "import", str(text)]), "large")
    size = sum(p.stat().st_size for p in (folder / "tei").glob("*.xml")) / 1e6
    result = measure(edition + ["-C", str(folder), "validate"], ok=(0, 1))  # 1: the importer wrote errors, counted in the summary
    row(table, f"validate it ({size:.1f} MB)", 1, result, "large")


def machine() -> str:
    import os

    memory = ""
    try:
        total = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory = f", {int(total.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return f"{platform.machine()}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000], help="editions to time every phase on")
    parser.add_argument("--validate", type=int, default=10000, help="edition to time validation on (0: none)")
    parser.add_argument("--large", type=float, nargs="*", default=[10, 50],
                        help="sizes in MB of single large documents to validate")
    parser.add_argument("--import-mb", type=float, default=5, help="size of the transcript to import (0: none)")
    parser.add_argument("--jobs", type=int, help="worker processes for edition build (default: all cores)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="folder for the generated editions (default: a temporary one)")
    parser.add_argument("--tei-stylesheets", type=Path, default=os.environ.get("TEI_STYLESHEETS") or None,
                        help="a checkout of the TEI Stylesheets (TEIC/Stylesheets), to time its html/html.xsl "
                             "in Saxon-HE beside the edition (default: $TEI_STYLESHEETS, else Debian's tei-xsl)")
    parser.add_argument("--phases", nargs="*", choices=PHASES, default=PHASES,
                        help="the phases to time (default: all; a rebuild after a build it follows)")
    args = parser.parse_args()
    if args.tei_stylesheets:
        TEI_HTML.insert(0, args.tei_stylesheets.resolve() / "html" / "html.xsl")
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    table: list = []
    notes: list[str] = []
    print(f"machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as temporary:
        root = args.out or Path(temporary)
        root.mkdir(parents=True, exist_ok=True)
        for docs in args.sizes:
            notes += bench_size(table, root, docs, jobs, True, args.seed, args.phases)
        if args.validate:
            notes += bench_size(table, root, args.validate, jobs, False, args.seed)
        for megabytes in args.large:
            bench_large(table, root, megabytes)
        if args.import_mb:
            bench_import(table, root, args.import_mb)
    print()
    print(f"{'phase':<26} {'N':>6} {'seconds':>9} {'docs/s':>9} {'ms/doc':>8} {'peak MB':>8} {'maxrss MB':>9} "
          f"{'cpu s':>7}")
    for phase, docs, seconds, rate, per_doc, peak, maxrss, cpu, note in table:
        print(f"{phase:<26} {docs:>6} {seconds:>9.2f} {rate:>9.1f} {per_doc:>8.2f} {peak:>8.0f} {maxrss:>9.0f} "
              f"{cpu:>7.2f}")
    print("peak MB: all processes of the command together (sampled every 50 ms); "
          "maxrss MB: getrusage(RUSAGE_CHILDREN).ru_maxrss, the largest single process waited for; "
          "cpu s: user + system time of all the command's processes (worker processes too: sampled from /proc "
          "with the memory, so a process's last 50 ms may be missed; at least getrusage's), on a busy machine "
          "steadier than seconds")
    for note in dict.fromkeys(notes):
        print(note)
    side_by_side(table)


# The targets (issue 13), each as (edition's phase, the standard toolchain's rows it is set against,
# how many times faster the edition is to be: 1 = no slower).
TARGETS = [
    ("validate", ["jing (RELAX NG only)"], 1.0, "validation (all rules) vs jing (RELAX NG only)"),
    ("html (build --only html)", ["jing (RELAX NG only)", "TEI XSL + Saxon-HE"], 3.0,
     "web edition, cold vs jing + TEI html.xsl"),
    ("full build", ["jing (RELAX NG only)", "TEI XSL + Saxon-HE"], 1.0,
     "full build (web, search, PDFs) vs jing + TEI html.xsl"),
]


# Seconds, by the number of documents: issue 13 sets the one-document rebuild's at 1,000 and 10,000.
LIMITS = [("no-change rebuild", {1000: 1.0}), ("one-document rebuild", {1000: 2.0, 10000: 3.0})]


def side_by_side(table: list) -> None:
    """The edition beside the standard toolchain on the same files, measured in this run: the ratio
    (the toolchain's time / the edition's, so > 1 means the edition is faster), by wall-clock seconds
    and by CPU seconds (steadier on a shared machine, but blind to how well both cores are used)."""
    by = {(phase, docs): (seconds, cpu) for phase, docs, seconds, _, _, _, _, cpu, _ in table}
    lines = []
    for phase, standard, wanted, label in TARGETS:
        for docs in sorted({d for p, d in by if p == phase}):
            if not all((s, docs) in by for s in standard):
                continue
            seconds, cpu = by[(phase, docs)]
            their_seconds = sum(by[(s, docs)][0] for s in standard)
            their_cpu = sum(by[(s, docs)][1] for s in standard)
            ratio = their_seconds / seconds if seconds else 0
            met = "met" if ratio >= wanted else "NOT met"
            lines.append(f"{label:<56} {docs:>6} {seconds:>8.2f} {their_seconds:>9.2f} {ratio:>6.2f}x "
                         f"{cpu:>7.2f} {their_cpu:>8.2f} {their_cpu / cpu if cpu else 0:>6.2f}x  "
                         f">= {wanted:g}x: {met}")
    for phase, limits in LIMITS:
        for docs in sorted({d for p, d in by if p == phase and d in limits}):
            seconds, cpu = by[(phase, docs)]
            limit = limits[docs]
            met = "met" if seconds < limit else "NOT met"
            lines.append(f"{phase:<56} {docs:>6} {seconds:>8.2f} {'':>9} {'':>7} {cpu:>7.2f} {'':>8} {'':>7}  "
                         f"< {limit:g} s: {met}")
    if lines:
        print()
        print(f"{'side by side (ratio: standard / edition, > 1: edition faster)':<56} {'N':>6} {'edition':>8} "
              f"{'standard':>9} {'ratio':>7} {'cpu s':>7} {'std cpu':>8} {'cpu x':>7}  target")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
