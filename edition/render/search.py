"""Full-text search: Pagefind indexes the document pages of the built site.

Only `documents/*.html` are indexed, and within them only the element marked `data-pagefind-body`
(the text and notes, not the navigation). Filters (person, year, type) are `data-pagefind-filter`
attributes in the document template. Pagefind writes its index and its UI (pagefind-ui.js/.css)
into `pagefind/` inside the site: nothing is loaded from a CDN.

A large edition is indexed in shards: `pagefind/` and `pagefind-2/` … `pagefind-N/`, each a complete
Pagefind bundle of some of the documents, which the search page merges (Pagefind's `mergeIndex`).
A correction then re-indexes one shard instead of every page (1,000 pages take Pagefind about 2 s,
250 about 0.5 s). A document's shard follows from a hash of its page's name, so adding a document
changes one shard only; the number of shards grows with the edition but stays at most MAX_SHARDS,
since the browser loads every shard's index files for each search.

Pagefind runs as a process of its own (`start`), so that the build writes the other pages, and
Typst typesets, while it indexes; `Indexing.wait` collects its result.
"""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from edition.diagnostics import Reporter, error

HINT = "install it with `pip install 'pagefind[bin]'` or set [html] search = false"
DOCUMENTS_PER_SHARD = 250
MAX_SHARDS = 8


def bundle_name(shard: int) -> str:
    """The folder of a shard's bundle in the site; the first holds the UI as well."""
    return "pagefind" if shard == 0 else f"pagefind-{shard + 1}"


def shards(pages: list[str]) -> list[list[str]]:
    """The document pages (site-relative paths) of each shard, in the given order within each."""
    count = min(MAX_SHARDS, max(1, math.ceil(len(pages) / DOCUMENTS_PER_SHARD)))
    groups: list[list[str]] = [[] for _ in range(count)]
    for page in pages:
        groups[int(hashlib.sha256(page.encode("utf-8")).hexdigest(), 16) % count].append(page)
    return [group for group in groups if group]  # Pagefind refuses to index nothing


class Indexing:
    """A running Pagefind: `wait()` once for its result, or `cancel()` it (a build that fails)."""

    def __init__(self, site: Path, command: list[str], bundle: Path | None = None) -> None:
        self.site = site
        self.bundle = bundle or site / "pagefind"
        # Its output goes to a file, not a pipe: nobody reads a pipe while the build works meanwhile.
        self._log = tempfile.TemporaryFile()
        self.failure = ""
        try:
            self._process: subprocess.Popen | None = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        except OSError as exc:
            self._process, self.failure = None, f"Pagefind could not run: {exc}"
            return
        # Below the build's other work: after a correction, the volume being typeset beside it is
        # what the editor waits for, and Pagefind (on every core) would slow it down.
        try:
            os.setpriority(os.PRIO_PROCESS, self._process.pid, 10)
        except (AttributeError, OSError):  # not on this system, or the process has ended already
            pass

    def wait(self, reporter: Reporter, timeout: float = 600) -> bool:
        """Wait for Pagefind; report a failure as an error. True when the index was written."""
        try:
            if self._process is not None:
                try:
                    self._process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.cancel()
                    self.failure = f"Pagefind could not run: it took more than {timeout:.0f} s"
                else:
                    if self._process.returncode != 0 or not (self.bundle / "pagefind-entry.json").is_file():
                        self._log.seek(0)
                        detail = self._log.read().decode("utf-8", "replace").strip().splitlines()[-5:]
                        self.failure = "Pagefind failed to index the site: " + " | ".join(detail)
            if self.failure:
                reporter.add(error(self.bundle.parent, self.failure, "html.search", hint=HINT))
            return not self.failure
        finally:
            self._log.close()

    def cancel(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()


class Shards:
    """The shards to index, at most `at_once` Pagefind processes at a time (each holds its shard's
    index in memory: a fixed number keeps the build's memory from growing with the edition)."""

    def __init__(self, language: str, at_once: int = 2) -> None:
        self.language, self.at_once = language, max(1, at_once)
        self.held = False  # none started until `release` (or `wait`)
        self._waiting: list[tuple[Path, Path]] = []
        self._running: list[Indexing] = []

    def __len__(self) -> int:
        return len(self._waiting) + len(self._running)

    def add(self, site: Path, bundle: Path) -> None:
        self._waiting.append((site, bundle))
        self._start()

    def _start(self) -> None:
        while not self.held and self._waiting and len(self._running) < self.at_once:
            site, bundle = self._waiting.pop(0)
            self._running.append(start(site, self.language, bundle))

    def release(self, at_once: int | None = None) -> None:
        """Start the shards held back, from now on `at_once` at a time (if given)."""
        self.held = False
        if at_once is not None:
            self.at_once = max(1, at_once)
        self._start()

    def wait(self, reporter: Reporter, advance=lambda: None) -> None:
        """Index every shard (reporting failures); `advance()` after each."""
        self.release()
        while self._running:
            self._running.pop(0).wait(reporter)
            advance()
            self._start()

    def cancel(self) -> None:
        self._waiting.clear()
        for running in self._running:
            running.cancel()


def start(site: Path, language: str, bundle: Path | None = None) -> Indexing:
    """Start indexing `site/documents/*.html` into `bundle` (default `site/pagefind/`). Result URLs
    are relative to `site`, which may be a folder holding only some of the pages (a shard)."""
    bundle = bundle or site / "pagefind"
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", "documents/*.html",
               "--output-path", str(bundle)]
    if language:
        command += ["--force-language", language.split("-")[0]]
    return Indexing(site, command, bundle)
