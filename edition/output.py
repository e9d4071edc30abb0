"""The output folder: the build owns only what it wrote there.

    <output>/html/, <output>/pdf/      published by renames from a staging folder (atomic for readers)
    <output>/.edition-output.json      the files the build published, per output
    <output>/.staging-*/, .old-*/      a build's work in progress (removed; stale ones by the next build)

Publishing replaces `html/` and `pdf/` as a whole, so before it does, every file in them must be
one the last build wrote (listed in `.edition-output.json`). A file the editor put there is never
deleted: the build stops before any work and names it, or, with `--force`, carries it into the new
output. Builds of one edition take a lock (`build.lock` in the cache folder): a second one waits.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from filelock import FileLock, Timeout

from edition.cache import atomic_write, link_or_copy
from edition.diagnostics import EditionError, display_path

RECORD = ".edition-output.json"
STAGING_MARK = ".edition-staging"  # inside each staging folder, so that only ours are ever removed
_OLD = re.compile(r"\.old-(html|pdf)-\d+")


@contextmanager
def build_lock(cache_dir: Path, say: Callable[[str], None]) -> Iterator[None]:
    """One build of an edition at a time; a second one says so and waits (Ctrl-C gives up)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(cache_dir / "build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        say(f"waiting for another build of this edition to finish (lock: {display_path(lock.lock_file)})")
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _files(folder: Path) -> set[str]:
    """Relative POSIX paths of every file (and link) below `folder`; links are listed, not followed.
    (By os.scandir, not Path.rglob: a site of 1,000 documents has 5,000 files, and each build lists
    its outputs twice.)"""
    found: set[str] = set()

    def walk(directory: str, prefix: str) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_symlink():
                    found.add(name)
                elif entry.is_dir():
                    walk(entry.path, name + "/")
                elif entry.is_file():
                    found.add(name)

    walk(str(folder), "")
    return found


def _record(output_dir: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((output_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _looks_built(name: str, folder: Path, files: set[str]) -> bool:
    """An output written by a version of this tool that kept no record (adopted once, then recorded):
    a site whose home page names this tool as its generator; a print edition of PDFs only."""
    if name == "html":
        try:
            return 'name="generator" content="edition' in (folder / "index.html").read_text(errors="replace")[:4000]
        except OSError:
            return False
    return bool(files) and all(f.endswith(".pdf") for f in files) and any(
        re.fullmatch(r"edition(-volume-\d+)?\.pdf", f) for f in files)


def foreign_files(output_dir: Path, outputs: list[str]) -> dict[str, list[str]]:
    """Per output to be replaced, the files in it that no build of ours wrote."""
    record = _record(output_dir)
    found = {}
    for name in outputs:
        folder = output_dir / name
        if not folder.exists():
            continue
        if not folder.is_dir():
            found[name] = ["(a file, not a folder)"]
            continue
        files = _files(folder)
        if name not in record and _looks_built(name, folder, files):
            continue
        extra = sorted(files - set(record.get(name, [])))
        if extra:
            found[name] = extra
    return found


def check_ownership(output_dir: Path, outputs: list[str], force: bool) -> dict[str, list[str]]:
    """Refuse to replace an output folder holding files the build did not write, unless `force`
    (then they are returned, to be carried into the new output)."""
    found = foreign_files(output_dir, outputs)
    if found and not force:
        lines = []
        for name, files in found.items():
            shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
            lines.append(f"{display_path(output_dir / name)}: {shown}")
        raise EditionError(
            "the output folder holds files that edition build did not write; nothing was built or deleted:\n  "
            + "\n  ".join(lines),
            hint="move them out, or set [edition] output in edition.toml to a folder of the build's own; "
                 "--force keeps them (copied into each new output)")
    return found


def remove_stale(output_dir: Path) -> None:
    """Staging and old output folders that an interrupted or killed build left (called under the lock:
    no other build of this output is running)."""
    if not output_dir.is_dir():
        return
    for entry in output_dir.iterdir():
        ours = (entry.name.startswith(".staging-") and (entry / STAGING_MARK).is_file()) or _OLD.fullmatch(entry.name)
        if ours and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def staging(output_dir: Path) -> Iterator[Path]:
    """A fresh folder next to the output, removed unless its contents were published."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=output_dir))
    try:  # (the mark within: a Ctrl-C while it is written leaves no folder either)
        (stage / STAGING_MARK).write_text(str(os.getpid()), encoding="utf-8")
        yield stage
    finally:
        for _ in range(3):  # (again if a process the same Ctrl-C ends wrote into it meanwhile)
            shutil.rmtree(stage, ignore_errors=True)
            if not stage.exists():
                break
            time.sleep(0.2)


def publish(stage: Path, output_dir: Path, names: list[str], keep: dict[str, list[str]],
            replaced: list[Path] | None = None) -> dict[str, Path]:
    """Replace `output_dir/name` by `stage/name` for each name, with renames, so that readers never see
    half an output; files in `keep` (the editor's, with --force) go into the new output first. The
    record of what was published is written before the renames: a build killed between them leaves
    files that are ours listed as ours (the old and the new), never the editor's. The replaced
    outputs (`.old-*`) are removed here, or, given a list `replaced`, added to it for the caller to
    remove (`removing`) while it does the rest of its work: thousands of files, a second at 10,000
    documents."""
    for name, files in keep.items():
        for relative in files:
            source, target = output_dir / name / relative, stage / name / relative
            if source.is_file() and not target.exists():
                link_or_copy(source, target)
    record = _record(output_dir)
    new = {name: sorted(_files(stage / name) - set(keep.get(name, []))) for name in names}
    _write_record(output_dir, {**record, **{n: sorted(set(record.get(n, [])) | set(new[n])) for n in names}})
    published = {}
    for name in names:
        target = output_dir / name
        old = output_dir / f".old-{name}-{time.time_ns()}"
        if target.exists():
            target.rename(old)
        (stage / name).rename(target)
        if replaced is None:
            shutil.rmtree(old, ignore_errors=True)
        elif old.exists():
            replaced.append(old)
        published[name] = target
    _write_record(output_dir, {**record, **new})
    return published


@contextmanager
def removing(folders: list[Path], *also: Callable[[], object]) -> Iterator[None]:
    """Remove `folders` (replaced outputs: ours), then run `also` (the cache's pruning), in a thread
    while the block runs; done when it ends. Interrupted, what is left is an `.old-*` folder, which the
    next build removes (remove_stale), and cache entries the next build prunes."""
    failed: list[BaseException] = []

    def work() -> None:
        try:
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
            for function in also:
                function()
        except BaseException as exc:  # raised in the build's thread below
            failed.append(exc)

    thread = threading.Thread(target=work, name="edition-remove-old", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if failed:
        raise failed[0]


def _write_record(output_dir: Path, record: dict[str, list[str]]) -> None:
    atomic_write(output_dir / RECORD, json.dumps(record, ensure_ascii=False, indent=0).encode("utf-8"))
