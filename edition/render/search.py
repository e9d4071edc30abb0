"""Full-text search: Pagefind indexes the document pages of the built site.

Only `documents/*.html` are indexed, and within them only the element marked `data-pagefind-body`
(the text and notes, not the navigation). Filters (person, year, type) are `data-pagefind-filter`
attributes in the document template. Pagefind writes its index and its UI (pagefind-ui.js/.css)
into `pagefind/` inside the site: nothing is loaded from a CDN.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from edition.diagnostics import Reporter, error


def index(site: Path, language: str, reporter: Reporter) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", "documents/*.html",
               "--output-subdir", "pagefind"]
    if language:
        command += ["--force-language", language.split("-")[0]]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        reporter.add(error(site, f"Pagefind could not run: {exc}", "html.search",
                           hint="install it with `pip install 'pagefind[bin]'` or set [html] search = false"))
        return
    if run.returncode != 0 or not (site / "pagefind" / "pagefind-ui.js").is_file():
        detail = (run.stderr or run.stdout).strip().splitlines()[-5:]
        reporter.add(error(site, "Pagefind failed to index the site: " + " | ".join(detail), "html.search",
                           hint="install it with `pip install 'pagefind[bin]'` or set [html] search = false"))
