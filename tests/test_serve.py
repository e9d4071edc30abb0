"""`edition serve`: a real HTTP server on a free port, real file changes, real rebuilds."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from edition.diagnostics import EditionError, error, warning
from edition.config import load_config
from edition.scaffold import init_project, new_document
from edition.serve import BuildState, PreviewServer, diagnostics_html, inject

EXAMPLE = "tei/1941-12-18_stalin-eden-excerpt.xml"
PAGE = "documents/stalin-eden-1941-12-18-excerpt.html"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def wait_for(predicate, timeout: float = 20.0, what: str = "the change"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(f"{what} did not show within {timeout} s")


# ------------------------------------------------------------------------ page decoration

def test_inject_adds_banner_script_and_stylesheet():
    state = BuildState(number=7, diagnostics=[error("tei/a.xml", "<b> broke & failed", "x.y", line=3)])
    page = inject("<!DOCTYPE html><html><head><title>t</title></head><body class='x'><p>text</p></body></html>", state)
    assert '<link rel="stylesheet" href="/__edition__/preview.css"></head>' in page
    assert page.index("edition-preview failed") < page.index("<p>text</p>")
    assert '<script src="/__edition__/reload.js" data-build="7"></script></body>' in page
    assert "&lt;b&gt; broke &amp; failed" in page and "<b> broke" not in page  # diagnostics stay inert
    bare = inject("<p>fragment</p>", BuildState(number=1))
    assert bare.startswith('<link rel="stylesheet"') and bare.endswith('data-build="1"></script>')


def test_banner_lists_errors_and_folds_warnings():
    assert diagnostics_html(BuildState()) == ""
    state = BuildState(diagnostics=[warning("a.xml", "to do: x", "sch.todo")], skipped=[Path("/x/b.xml")])
    banner = diagnostics_html(state)
    assert "Left out of the preview because of errors:</strong> b.xml" in banner
    assert "<details><summary>1 warning(s)</summary>" in banner


def test_a_busy_port_is_a_clear_error(tmp_path):
    init_project(tmp_path / "e")
    first = PreviewServer(tmp_path / "e", port=0)
    try:
        with pytest.raises(EditionError, match="cannot serve on 127.0.0.1"):
            PreviewServer(tmp_path / "e", port=first.httpd.server_address[1])
    finally:
        first.stop()
    assert not first.workdir.exists()


# --------------------------------------------------------------------------- live preview

@pytest.fixture
def preview(tmp_path):
    pytest.importorskip("edition.validate", reason="edition/validate.py has not landed yet")
    pytest.importorskip("edition.render.html", reason="edition/render/html.py has not landed yet")
    project = tmp_path / "letters"
    init_project(project, title="Letters")
    # The search index is not what this test is about, and pagefind costs a second per build.
    config = project / "edition.toml"
    config.write_text(config.read_text().replace("# search = true", "search = false"))
    # A second document, so that the site still has one when the example breaks.
    new_document(load_config(config), "Record of a talk", "1941-12-20", ["stalin", "eden"], repository="AP RF",
                 fond="45")
    server = PreviewServer(project, port=0, interval=0.2, watch_tool=False)
    server.start()
    yield server, project
    server.stop()
    assert not server.workdir.exists()


def test_serves_the_site_and_reloads_after_an_edit(preview):
    server, project = preview
    assert server.state.failure == "" and server.state.number == 1
    status, page = get(server.url + PAGE)
    assert status == 200 and "thirty-seven" in page
    assert 'src="/__edition__/reload.js" data-build="1"' in page
    status, index = get(server.url)
    assert status == 200 and "Letters" in index
    assert "setInterval" in get(server.url + "__edition__/reload.js")[1]

    source = project / EXAMPLE
    source.write_text(source.read_text(encoding="utf-8").replace("thirty-seven", "thirty-eight"), encoding="utf-8")
    page = wait_for(lambda: (p := get(server.url + PAGE)[1]) and "thirty-eight" in p and p, timeout=10)
    assert "thirty-seven" not in page
    version = json.loads(get(server.url + "__edition__/version")[1])
    assert version == {"build": server.state.number, "errors": 0, "failure": ""} and version["build"] >= 2


def test_a_broken_document_shows_its_diagnostics_and_the_server_keeps_going(preview):
    server, project = preview
    source = project / EXAMPLE
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("<closer>", "<closer><unknownElement/>", 1), encoding="utf-8")
    status, page = wait_for(lambda: (r := get(server.url + PAGE))[0] == 404 and r, what="the error page")
    assert "1941-12-18_stalin-eden-excerpt.xml" in page and "error" in page
    assert "thirty-seven" not in page  # not the old content
    status, other = get(server.url + "documents/stalin-eden-1941-12-20.html")
    assert status == 200 and "Left out of the preview because of errors:</strong> 1941-12-18_stalin-eden" in other
    assert json.loads(get(server.url + "__edition__/version")[1])["errors"] >= 1

    source.write_text(good, encoding="utf-8")
    status, page = wait_for(lambda: (r := get(server.url + PAGE))[0] == 200 and r, what="the repaired page")
    assert "thirty-seven" in page and "edition-preview failed" not in page


def test_a_broken_configuration_serves_an_error_page_until_fixed(preview):
    server, project = preview
    config = project / "edition.toml"
    good = config.read_text()
    config.write_text(good.replace('title = "Letters"', 'titel = "Letters"'))
    # Until the edit is written whole, the preview may show what it saw between the truncation and
    # the write (an empty edition.toml): wait for the page of the edit itself.
    status, page = wait_for(lambda: (r := get(server.url + PAGE))[0] == 503 and "unknown key" in r[1] and r,
                            what="the error page")
    assert "did you mean" in page
    config.write_text(good)
    wait_for(lambda: get(server.url + PAGE)[0] == 200, what="the site again")


def test_each_edit_of_a_broken_configuration_is_built_again(preview):
    """A second edit of a still-broken edition.toml shows its own problem (a save caught between the
    truncation and the write broke it first)."""
    server, project = preview
    config = project / "edition.toml"
    good = config.read_text()
    config.write_text("")
    wait_for(lambda: "edition.title" in get(server.url + PAGE)[1], what="the first error page")
    config.write_text(good.replace('title = "Letters"', 'titel = "Letters"'))
    wait_for(lambda: "unknown key" in get(server.url + PAGE)[1], what="the second error page")
    config.write_text(good)
    wait_for(lambda: get(server.url + PAGE)[0] == 200, what="the site again")


PROJECT_XSL = """<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">
  <xsl:template match="tei:persName">
    <span class="{marker}"><xsl:next-match/></span>
  </xsl:template>
</xsl:stylesheet>
"""


def test_an_edited_project_stylesheet_is_compiled_again(tmp_path):
    pytest.importorskip("edition.validate", reason="edition/validate.py has not landed yet")
    pytest.importorskip("edition.render.html", reason="edition/render/html.py has not landed yet")
    project = tmp_path / "styled"
    init_project(project, title="Styled")
    config = project / "edition.toml"
    config.write_text(config.read_text().replace("# search = true", "search = false")
                      .replace('# stylesheet = ""', 'stylesheet = "project.xsl"'))
    (project / "project.xsl").write_text(PROJECT_XSL.format(marker="first-style"), encoding="utf-8")
    # A swap file of the editor is no edit: it must not start a build. (watch_tool=False: in a shared
    # checkout, someone editing the tool's own stylesheets would start one.)
    server = PreviewServer(project, port=0, interval=0.2, watch_tool=False)
    server.start()
    try:
        assert 'class="first-style"' in get(server.url + PAGE)[1], server.state.failure
        (project / "tei" / ".example.xml.swp").write_text("scratch")
        time.sleep(0.6)
        assert server.state.number == 1
        (project / "project.xsl").write_text(PROJECT_XSL.format(marker="second-style"), encoding="utf-8")
        page = wait_for(lambda: (p := get(server.url + PAGE)[1]) and "second-style" in p and p, timeout=10)
        assert "first-style" not in page
    finally:
        server.stop()


def test_watched_files_cover_the_sources_and_skip_scratch_files(tmp_path):
    from edition.serve import watched_files

    init_project(tmp_path / "w")
    (tmp_path / "w" / "tei" / "draft.xml~").write_text("backup")
    (tmp_path / "w" / "tei" / ".#lock").write_text("emacs")
    config = load_config(tmp_path / "w" / "edition.toml")
    mine = {p.relative_to(tmp_path / "w").as_posix() for p in watched_files(config, tool=False)}
    assert mine == {"edition.toml", "tei/persons.xml", "tei/places.xml", "tei/1941-12-18_stalin-eden-excerpt.xml"}
    from edition.resources import xslt_path

    assert xslt_path("html.xsl") in watched_files(config, tool=True)


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_the_command_serves_and_stops_cleanly(tmp_path, signal_name):
    """`edition serve` as the editor runs it: Ctrl-C (or kill) stops it and removes its folder."""
    import re
    import signal
    import subprocess
    import sys

    pytest.importorskip("edition.validate", reason="edition/validate.py has not landed yet")
    pytest.importorskip("edition.render.html", reason="edition/render/html.py has not landed yet")
    init_project(tmp_path / "e", title="Served")
    edition = Path(sys.executable).with_name("edition")
    # A shell's background jobs ignore SIGINT; the editor's terminal does not.
    process = subprocess.Popen([str(edition), "serve", "--port", "0"], cwd=tmp_path / "e", text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        lines = []
        while not (match := re.search(r"serving (http://\S+)", "".join(lines))):
            line = process.stdout.readline()
            assert line, f"the server stopped: {''.join(lines)}"
            lines.append(line)
        workdir = Path(re.search(r"building the preview in (\S+) \.\.\.", lines[0]).group(1))
        status, page = get(match.group(1))
        assert status == 200 and "Served" in page and workdir.is_dir()
        process.send_signal(getattr(signal, signal_name))
        rest, _ = process.communicate(timeout=30)
        assert process.returncode == 0, rest
        assert "stopping" in rest and not workdir.exists()
    finally:
        if process.poll() is None:
            process.kill()


def test_the_preview_keeps_its_build_cache_in_its_own_folder(tmp_path):
    """The build cache lives beside the output folder; for the preview both are inside its temporary
    folder, so that nothing is left behind (a cache beside a folder in /tmp would be /tmp/.edition-cache)."""
    import shutil

    from tests.helpers import REPO

    project = tmp_path / "project"
    shutil.copytree(REPO / "tei", project / "tei")
    shutil.copy(REPO / "edition.toml", project / "edition.toml")
    preview = PreviewServer(project, port=0)
    try:
        preview.rebuild()
        assert (preview.site / "index.html").is_file()
        assert (preview.workdir / ".edition-cache").is_dir()
        assert not (preview.workdir.parent / ".edition-cache").exists()
    finally:
        preview.stop()
    assert not preview.workdir.exists()


def test_an_idle_preview_does_not_poll_the_files(preview, monkeypatch):
    """Between edits the preview waits for the system's file events instead of looking at every
    file of the edition a few times a second."""
    import edition.serve as serve_module

    server, project = preview
    calls = []
    real = serve_module.watched_files
    monkeypatch.setattr(serve_module, "watched_files", lambda *a, **k: calls.append(1) or real(*a, **k))
    time.sleep(3)
    assert len(calls) <= 2, f"{len(calls)} looks at the files in 3 s of no edits"
    source = project / EXAMPLE
    source.write_text(source.read_text(encoding="utf-8").replace("thirty-seven", "thirty-nine"), encoding="utf-8")
    wait_for(lambda: "thirty-nine" in get(server.url + PAGE)[1], timeout=10)
