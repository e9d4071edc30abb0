"""PNGs of every page type of the web edition (desktop and phone) and of every page of the book, for
a person to look at before calling a change of the outputs done (`make screenshots`).

    python tools/screenshots.py [--out DIR] [--docs N]

Builds the bundled edition and a generated one of N documents (the home page, volumes and search of a
larger edition) in a temporary folder with `edition build`, serves each over http on 127.0.0.1 (the
search needs it), and writes into DIR (default: edition-screenshots in the system's temporary folder,
outside the repository):

    web-<page>-desktop.png   1280 px wide, the whole page
    web-<page>-phone.png     390 px wide (an iPhone 12-15), the whole page
    web-<page>-<...>-screen.png  the first screen of each (1280x900, 390x844)
    book-<n>.png             each page of the bundled edition's book (pdftoppm, 60 dpi)

Needs Debian's chromium (driven by Playwright) and poppler-utils, as the browser and PDF tests do.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
# One page of each type; the document page of the seed, the home page of both editions.
SEED_PAGES = {"home": "index.html", "document": "documents/stalin-eden-1941-12-18.html",
              "persons": "persons.html", "person": "persons/stalin.html", "places": "places.html",
              "place": "places/moscow.html", "timeline": "timeline.html", "principles": "principles.html",
              "guidelines": "guidelines.html", "search": "search.html?q=Petsamo",
              # the reading text at a page break, and the apparatus: one screen each
              "document-text": "documents/stalin-eden-1941-12-18.html#p10",
              "document-apparatus": "documents/stalin-eden-1941-12-18.html#ed-apparatus-heading"}
LARGE_PAGES = {"large-home": "index.html", "large-search": "search.html?q=treaty"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "edition", "-C", str(folder), "build", "-q"], check=True)
    return folder / "_build"


def shoot(browser, url: str, pages: dict[str, str], out: Path) -> list[Path]:
    written = []
    for viewport, (width, height) in VIEWPORTS.items():
        context = browser.new_context(viewport={"width": width, "height": height},
                                      device_scale_factor=1, is_mobile=viewport == "phone",
                                      has_touch=viewport == "phone")
        page = context.new_page()
        for name, path in pages.items():
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            if "search.html" in path:
                with contextlib.suppress(Exception):
                    page.locator(".pagefind-ui__result").first.wait_for(timeout=10000)
            first = out / f"web-{name}-{viewport}-screen.png"  # what a reader sees first (or at the #anchor)
            page.screenshot(path=str(first))
            written.append(first)
            if "#" not in path:
                target = out / f"web-{name}-{viewport}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
        context.close()
    return written


def book_pages(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / "book")], check=True)
    return sorted(out.glob("book-*.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "edition-screenshots")
    parser.add_argument("--docs", type=int, default=60, help="documents of the generated edition (0: none)")
    args = parser.parse_args()
    if not CHROMIUM.exists() or shutil.which("pdftoppm") is None:
        print("screenshots: needs /usr/bin/chromium and pdftoppm (apt-get install chromium poppler-utils)",
              file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed"
        shutil.copytree(REPO / "tei", seed / "tei")
        shutil.copyfile(REPO / "edition.toml", seed / "edition.toml")
        sites = [(build(seed), SEED_PAGES)]
        if args.docs:
            large = Path(tmp) / "large"
            subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--docs", str(args.docs),
                            "--out", str(large)], check=True, capture_output=True)
            sites.append((build(large), LARGE_PAGES))
        written = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            for output, pages in sites:
                with serving(output / "html") as url:
                    written += shoot(browser, url, pages, args.out)
            browser.close()
        written += book_pages(sites[0][0] / "pdf" / "edition.pdf", args.out)
    print(f"wrote {len(written)} PNGs into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
