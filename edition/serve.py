"""`edition serve`: a live preview of the web edition while the editor works.

One thread watches the sources (documents, registers, edition.toml, the project's templates and
stylesheets, and the tool's own) by polling modification times, and rebuilds into a temporary folder
when anything changed. Another serves that folder over HTTP. Every HTML page gets a small script
that polls `/__edition__/version` and reloads the page when the build number changes, and a banner
listing the diagnostics of the last build. A document that stopped validating is left out of the
build (keep_going), so its page shows the diagnostics instead of stale content; a build that fails
as a whole serves an error page in place of the site. The server itself never stops on bad input.
"""

from __future__ import annotations

import dataclasses
import errno
import html
import json
import re
import shutil
import signal
import tempfile
import threading
import traceback
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from edition.config import Config, discover, find_config
from edition.diagnostics import Diagnostic, EditionError, Reporter, Severity
from edition.resources import data_dir, static_dir, templates_dir

ENDPOINT = "/__edition__/"
# Served as files (not inline) so that a Content-Security-Policy of 'self' in the pages lets them run.
RELOAD_JS = """(function () {
  var script = document.currentScript, build = script.getAttribute("data-build");
  setInterval(function () {
    fetch("/__edition__/version", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (state) { if (String(state.build) !== build) { location.reload(); } })
      .catch(function () {});
  }, 500);
})();
"""
PREVIEW_CSS = """.edition-preview{position:sticky;top:0;z-index:1000;margin:0;padding:.6em 1em;
font:14px/1.4 system-ui,sans-serif;background:#fff3cd;color:#3d2c00;border-bottom:2px solid #c9a227;max-height:40vh;overflow:auto}
.edition-preview.failed{background:#f8d7da;color:#58151c;border-color:#b02a37}
.edition-preview ul{margin:.3em 0;padding-left:1.2em}.edition-preview code{white-space:pre-wrap}
"""


@dataclass
class BuildState:
    number: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failure: str = ""  # why nothing could be built ("" when the site was built)
    skipped: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]


def watched_files(config: Config, tool: bool = True) -> dict[Path, tuple[int, int]]:
    """(mtime, size) of every file whose change should rebuild the preview; with `tool`, the tool's own
    stylesheets, templates and static files too (they change only while someone develops the tool)."""
    roots = [config.path, config.sources_dir, config.persons_path, config.places_path]
    if tool:
        roots += [data_dir("xslt"), templates_dir(), static_dir()]
    for key in (config.html.templates, config.html.css, config.html.stylesheet, config.edition.introduction):
        if key:
            roots.append(config.resolve(key))
    if config.html.stylesheet:  # a project stylesheet may include others beside it
        roots.append(config.resolve(config.html.stylesheet).parent)
    found: dict[Path, tuple[int, int]] = {}
    for root in filter(None, roots):
        paths = root.rglob("*") if root.is_dir() else [root]
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue  # deleted while we looked: the next poll sees it gone
            if path.is_file() and not (root.is_dir() and _scratch(path.relative_to(root))):
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def _scratch(relative: Path) -> bool:
    """Editors' swap and backup files, caches and hidden folders: their changes are not edits."""
    return any(part.startswith((".", "#")) or part == "__pycache__" for part in relative.parts) \
        or relative.name.endswith(("~", ".swp", ".swx", ".tmp"))


def diagnostics_html(state: BuildState) -> str:
    """The banner (or the body of the error page) listing what the last build reported."""
    def items(diagnostics: list[Diagnostic]) -> str:
        return "".join(f"<li><code>{html.escape(d.format())}</code></li>" for d in diagnostics)

    warnings = [d for d in state.diagnostics if d.severity != Severity.ERROR]
    parts = []
    if state.failure:
        parts.append(f"<p><strong>The edition could not be built:</strong> {html.escape(state.failure)}</p>")
    if state.skipped:
        names = ", ".join(html.escape(p.name) for p in state.skipped)
        parts.append(f"<p><strong>Left out of the preview because of errors:</strong> {names}</p>")
    if state.errors:
        parts.append(f"<p>{len(state.errors)} error(s):</p><ul>{items(state.errors)}</ul>")
    if warnings:
        parts.append(f"<details><summary>{len(warnings)} warning(s)</summary><ul>{items(warnings)}</ul></details>")
    if not parts:
        return ""
    kind = "failed" if state.failure or state.errors else "warned"
    return f'<aside class="edition-preview {kind}" role="status">{"".join(parts)}</aside>'


def inject(page: str, state: BuildState) -> str:
    """The page with the preview's stylesheet, banner and reload script added."""
    head = f'<link rel="stylesheet" href="{ENDPOINT}preview.css">'
    tail = f'<script src="{ENDPOINT}reload.js" data-build="{state.number}"></script>'
    banner = diagnostics_html(state)
    if re.search(r"</head\s*>", page, re.I):
        page = re.sub(r"</head\s*>", lambda m: head + m.group(0), page, count=1, flags=re.I)
    else:
        banner = head + banner
    if m := re.search(r"<body\b[^>]*>", page, re.I):
        page = page[:m.end()] + banner + page[m.end():]
    else:
        page = banner + page
    if m := list(re.finditer(r"</body\s*>", page, re.I)):
        return page[:m[-1].start()] + tail + page[m[-1].start():]
    return page + tail


def error_page(state: BuildState, title: str) -> str:
    return inject(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
                  f"<body><main style='padding:1em'><h1>{html.escape(title)}</h1></main></body></html>", state)


class PreviewServer:
    """Build, serve, watch, rebuild. `start()` returns once the first build is served; `stop()` ends it all."""

    def __init__(self, directory: Path | None = None, host: str = "127.0.0.1", port: int = 8000,
                 interval: float = 0.5, watch_tool: bool = True) -> None:
        self.directory = directory
        self.interval = interval
        self.watch_tool = watch_tool
        self.state = BuildState()
        self.idle = threading.Event()  # clear while a build runs: pages wait for it, never see half a site
        self.idle.set()
        self._stop = threading.Event()
        self._snapshot: dict[Path, tuple[int, int]] = {}
        self.workdir = Path(tempfile.mkdtemp(prefix="edition-serve-"))
        # The build's cache lives beside its output folder: both inside the preview's own folder, so
        # that stopping the server removes everything it wrote (and nothing is left in /tmp).
        self.output = self.workdir / "build"
        self.site = self.output / "html"
        handler = partial(PreviewHandler, preview=self, directory=str(self.site))
        try:
            self.httpd = ThreadingHTTPServer((host, port), handler)
        except OSError as exc:
            shutil.rmtree(self.workdir, ignore_errors=True)
            if exc.errno == errno.EADDRINUSE:
                hint = "another program (or another preview) uses that port; pass --port N"
            elif exc.errno in (errno.EACCES, errno.EPERM):
                hint = "ports below 1024 need administrator rights; pass --port 8000 or another above 1023"
            else:  # no such address on this computer (a mistyped --host, or one of another machine)
                hint = "pass --host with an address of this computer (127.0.0.1, the default, or 0.0.0.0 for all)"
            raise EditionError(f"cannot serve on {host}:{port}: {exc.strerror or exc}", hint=hint) from None
        self.httpd.daemon_threads = True
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def rebuild(self) -> BuildState:
        """Build the web edition into the work folder; never raises."""
        from edition.build import build

        reporter = Reporter()
        state = BuildState(number=self.state.number + 1)
        self.idle.clear()
        try:
            config = discover(self.directory)
            self._snapshot = watched_files(config, self.watch_tool)
            config.edition = dataclasses.replace(config.edition, output=str(self.output))
            config.cache_override = self.workdir / ".edition-cache"  # its own: it runs beside `edition build`
            result = build(config, reporter, only="html", keep_going=True)
            state.skipped = result.skipped
        except EditionError as exc:
            state.failure = str(exc) + (f" (hint: {exc.hint})" if exc.hint else "")
            reporter.extend(exc.diagnostics)
        except Exception as exc:  # a bug in a builder must not end the preview; show it like any problem
            state.failure = f"internal error: {exc!r}\n{traceback.format_exc(limit=-3)}"
        finally:
            state.diagnostics = reporter.sorted()
            self.state = state
            self.idle.set()
        return state

    def changed(self) -> bool:
        try:
            current = watched_files(discover(self.directory), self.watch_tool)
        except EditionError:  # a broken edition.toml: another edit of it is a change too (an editor
            current = {}      # saving twice, or a check that ran between the truncation and the write)
            found = find_config(Path(self.directory or Path.cwd()))
            if found is not None:
                stat = found.stat()
                current[found] = (stat.st_mtime_ns, stat.st_size)
        if current == self._snapshot:
            return False
        if any(p.suffix in (".xsl", ".xslt") for p in set(current) ^ set(self._snapshot)) or any(
                p.suffix in (".xsl", ".xslt") and self._snapshot.get(p) != s for p, s in current.items()):
            _forget_compiled_stylesheets()
        self._snapshot = current  # an unreadable edition.toml is not rebuilt again until it changes
        return True

    def _watch(self) -> None:
        """Rebuild when a watched file changes. The operating system's file events (watchfiles:
        inotify, FSEvents, ReadDirectoryChangesW) wake the check instead of a timer, so an edition
        of thousands of files is not stat'ed twice a second; what changed is then decided by
        comparing the watched files' (mtime, size) with the last build's. A check also runs every
        few seconds without an event, for file systems that send none (network shares)."""
        import watchfiles

        while not self._stop.is_set():
            roots = self._roots()
            if self.changed():  # edits made while the watcher (re)started
                self.rebuild()
            for _events in watchfiles.watch(*roots, watch_filter=self._relevant, debounce=int(self.interval * 1000),
                                            step=100, stop_event=self._stop, rust_timeout=5000,
                                            yield_on_timeout=True, raise_interrupt=False):
                if self.changed():
                    self.rebuild()
                if self._roots() != roots:  # edition.toml named other folders: watch those
                    break

    def _roots(self) -> list[Path]:
        """The folders to watch: those of the watched files (an editor saving by rename replaces a
        file, which a watch on the file itself would lose), each once."""
        try:
            config = discover(self.directory)
            files = watched_files(config, self.watch_tool)
            folders = {config.root} | {path.parent for path in files}
        except EditionError:
            folders = {Path(self.directory or Path.cwd()).resolve()}
        folders = {f for f in folders if f.is_dir()}
        return sorted(f for f in folders if not any(other in f.parents for other in folders))

    def _relevant(self, change, path: str) -> bool:
        """Events worth a check: not the preview's own output, the cache or an editor's scratch file."""
        relative = Path(path)
        return not (self.workdir in relative.parents or ".edition-cache" in relative.parts
                    or relative.name.endswith(("~", ".swp", ".swx", ".tmp")))

    def start(self) -> None:
        self.rebuild()
        for target in (self.httpd.serve_forever, self._watch):
            thread = threading.Thread(target=target, name=f"edition-serve-{target.__name__}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        if self._threads:  # shutdown() waits for serve_forever(), so only once it was started
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=30)
        shutil.rmtree(self.workdir, ignore_errors=True)


def _forget_compiled_stylesheets() -> None:
    """Stylesheets are compiled once per process; after an edit they must be compiled again."""
    from edition.xslt import engine

    engine().forget()


class PreviewHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args, preview: PreviewServer, **kwargs) -> None:
        self.preview = preview
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's signature
        pass  # the terminal is for diagnostics, not for a line per request

    def _send(self, status: int, body: str, content_type: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        state = self.preview.state
        path = unquote(urlsplit(self.path).path)
        if path.startswith(ENDPOINT):
            name = path[len(ENDPOINT):]
            if name == "version":
                return self._send(200, json.dumps({"build": state.number, "errors": len(state.errors),
                                                   "failure": state.failure}), "application/json")
            if name == "reload.js":
                return self._send(200, RELOAD_JS, "text/javascript")
            if name == "preview.css":
                return self._send(200, PREVIEW_CSS, "text/css")
        self.preview.idle.wait(timeout=120)
        state = self.preview.state
        if state.failure:
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, error_page(state, "The edition could not be built"),
                              "text/html")
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            if not path.endswith("/"):
                return super().do_GET()  # the standard redirect to the folder with a slash
            file = file / "index.html"
        if not file.is_file():
            title = f"Not found: {path}" + (" (a document left out because of errors would be here: its "
                                             "errors are listed above)" if state.skipped else "")
            return self._send(HTTPStatus.NOT_FOUND, error_page(state, title), "text/html")
        if file.suffix in (".html", ".htm"):
            return self._send(200, inject(file.read_text(encoding="utf-8", errors="replace"), state), "text/html")
        return super().do_GET()


def serve(directory: Path | None = None, host: str = "127.0.0.1", port: int = 8000, echo=print) -> None:
    """Run the preview until interrupted (Ctrl-C)."""
    preview = PreviewServer(directory, host=host, port=port)
    echo(f"building the preview in {preview.workdir} ...")
    reported = 0
    previous = None
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) stops the preview as Ctrl-C does: the temporary folder is removed.
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        preview.start()
        echo(f"serving {preview.url} (Ctrl-C to stop); rebuilding when the sources change")
        while not preview._stop.wait(0.5):
            if preview.state.number != reported:
                state, reported = preview.state, preview.state.number
                echo(f"build {state.number}: " + (f"FAILED: {state.failure.splitlines()[0]}" if state.failure else
                     f"{len(state.errors)} error(s), {len(state.diagnostics) - len(state.errors)} warning(s)"
                     + (f"; left out: {', '.join(p.name for p in state.skipped)}" if state.skipped else "")))
                for d in state.errors:
                    echo(d.format())
    except KeyboardInterrupt:
        echo("stopping")
    finally:
        preview.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
