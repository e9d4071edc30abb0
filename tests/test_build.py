"""Incremental builds: after a change, exactly the affected outputs change, and nothing else is redone.

Small generated editions (bench/generate.py) in temporary folders. "Not redone" is checked two
ways: the build's own record of what it redid (`result.redone`, what -v prints), and by making the
transformations raise, so that a build which tried to redo them would fail.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
import typst
from click.testing import CliRunner

from edition.build import build, cache_folder
from edition.config import discover
from edition.diagnostics import EditionError, Reporter, display_path
from edition import gather
from edition.render import html_builder, search, worker
from tests.helpers import REPO, changed, documents, generate, snapshot


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("generated") / "edition"
    generate(6, folder, seed=3)
    return folder


@pytest.fixture
def edition(generated, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "edition"
    shutil.copytree(generated, folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # PDFs carry this creation date, not the time of the build
    return folder


def run(folder: Path, **options):
    reporter = Reporter()
    result = build(discover(folder), reporter, jobs=options.pop("jobs", 1), **options)
    assert reporter.errors == 0, reporter.to_text()
    return result


def forbid_transformations(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a transformation ran although nothing it depends on changed")

    monkeypatch.setattr(gather, "analyse", refuse)
    for name in ("html_fragments", "typst_body", "compile_pdf", "glyph_check"):
        monkeypatch.setattr(worker, name, refuse)
    monkeypatch.setattr(search, "start", refuse)
    monkeypatch.setattr(typst, "compile", refuse)  # the paper size check
    monkeypatch.setattr(typst.Compiler, "compile", refuse)
    monkeypatch.setattr(typst.Compiler, "compile_with_warnings", refuse)


def test_nothing_changed_nothing_redone(edition, monkeypatch):
    first = run(edition)
    assert set(first.redone) >= {"validate", "html", "typst", "pdf"}
    before = snapshot(edition)
    forbid_transformations(monkeypatch)
    # Without the last build's record (edition/unchanged.py) the build goes through every step, finding
    # everything in the cache.
    (cache_folder(discover(edition)) / "unchanged.json").unlink()
    second = run(edition)
    assert second.redone == {} and "check" not in second.timings
    assert snapshot(edition) == before  # Pagefind's index included: it comes from the cache
    assert second.pages == first.pages > 6 and second.pdf_pages == first.pdf_pages > 6


def test_a_rebuild_with_nothing_changed_stops_before_any_work(edition, monkeypatch):
    """No pool, no XSLT processor: what the last build said (its warnings too), its output as it is.
    A changed source, a removed output file, a file the editor put into the output, a changed setting:
    the build runs again as always."""
    from edition.render.pool import Pool

    target = documents(edition)[0]
    target.write_text(target.read_text(encoding="utf-8").replace("<p xml:id=\"p1\">", "<p xml:id=\"p1\"><persName>Nobody</persName> ", 1),
                      encoding="utf-8")
    first_reporter = Reporter()
    first = build(discover(edition), first_reporter, jobs=1)
    assert "[sch.persname-ref]" in first_reporter.to_text()
    before = snapshot(edition)

    def refuse(*args, **kwargs):
        raise AssertionError("a worker pool was started although nothing changed")

    with monkeypatch.context() as patch:
        patch.setattr(Pool, "__enter__", refuse)
        forbid_transformations(patch)
        reporter = Reporter()
        again = build(discover(edition), reporter, jobs=1)
    assert again.redone == {} and set(again.timings) == {"check"}
    assert reporter.to_text() == first_reporter.to_text()  # the same warnings
    assert (again.documents, again.pages, again.pdf_pages, again.outputs) == (
        6, first.pages, first.pdf_pages, first.outputs)
    assert snapshot(edition) == before

    script = ("import sys\nfrom edition.cli import main\ntry:\n    main(['-C', sys.argv[1], 'build', '-q'])\n"
              "except SystemExit:\n    pass\nprint('saxonche' in sys.modules, 'typst' in sys.modules, 'lxml' in sys.modules)")
    import subprocess

    shown = subprocess.run([sys.executable, "-c", script, str(edition)], capture_output=True, text=True, check=True)
    assert shown.stdout.strip().endswith("False False False"), shown.stdout + shown.stderr
    assert "redone: nothing" in shown.stdout and "check" in shown.stdout

    site = edition / "_build" / "html"
    (site / "index.html").unlink()
    result = run(edition)
    assert "check" not in result.timings and (site / "index.html").is_file()
    assert run(edition).timings.keys() == {"check"}
    (site / "notes.txt").write_text("the editor's", encoding="utf-8")
    with pytest.raises(EditionError, match="did not write"):
        run(edition)
    (site / "notes.txt").unlink()
    assert run(edition).timings.keys() == {"check"}
    second = documents(edition)[1]
    second.write_text(second.read_text(encoding="utf-8").replace("<head>", "<head>Changed: ", 1), encoding="utf-8")
    assert run(edition).redone["html"] == {str(second): "changed"}
    toml = edition / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "', 'title = "New: ', 1), encoding="utf-8")
    assert "check" not in run(edition).timings
    assert run(edition, only="html").timings.keys() != {"check"}  # other options, another build


def test_one_document_changed(edition):
    run(edition)
    before = snapshot(edition)
    target = documents(edition)[2]
    target.write_text(target.read_text(encoding="utf-8").replace("<head>", "<head>Revised: ", 1), encoding="utf-8")
    result = run(edition)
    assert result.redone["html"] == {str(target): "changed"}
    assert result.redone["typst"] == {str(target): "changed"}
    assert set(result.redone["validate"]) == {str(target)}
    doc_id = next(p.stem for p in (edition / "_build/html/documents").glob("*.html") if p.stem in target.name)
    expected = {f"html/documents/{doc_id}.html", f"html/tei/{doc_id}.xml", f"pdf/{doc_id}.pdf", "pdf/edition.pdf",
                f"html/pdf/{doc_id}.pdf", "html/pdf/edition.pdf"}
    assert changed(before, snapshot(edition)) == expected
    assert "Revised:" in (edition / f"_build/html/documents/{doc_id}.html").read_text(encoding="utf-8")


def test_settings_change_after_a_correction_renders_every_page(edition):
    """A page is rendered again from its document's cached fragments, which the correction of another
    document must not have pruned (it did: the title changed after one edit ended in a traceback)."""
    run(edition, only="html")
    target = documents(edition)[1]
    target.write_text(target.read_text(encoding="utf-8").replace("<head>", "<head>Revised: ", 1), encoding="utf-8")
    run(edition, only="html")
    toml = edition / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "', 'title = "Renamed ', 1), encoding="utf-8")
    result = run(edition, only="html")
    assert "html" not in result.redone  # the fragments came from the cache
    pages = sorted((edition / "_build/html/documents").glob("*.html"))
    assert len(pages) == 6 and all("Renamed " in p.read_text(encoding="utf-8") for p in pages)


def test_guidelines_examples_come_from_the_files_that_supply_them(edition):
    """The guidelines page reads only the files whose elements give the examples (what the build
    knows from validation), and gives the same page as reading every file."""
    from edition.guidelines import guidelines_html

    result = run(edition, only="html")
    page = (edition / "_build/html/guidelines.html").read_text(encoding="utf-8")
    assert guidelines_html(discover(edition), result.corpus, level=1) in page
    # A correction that adds no element anywhere leaves the page (and its cache entry) alone ...
    last = documents(edition)[-1]
    last.write_text(last.read_text(encoding="utf-8").replace("<head>", "<head>Revised: ", 1), encoding="utf-8")
    again = run(edition, only="html")
    assert again.cache.misses["guidelines"] == 0
    # ... and an element that no file had before makes that file a supplier.
    text = last.read_text(encoding="utf-8")
    last.write_text(text.replace("<head>Revised: ", "<head>Revised: <foreign xml:lang=\"ru\">Da</foreign> ", 1),
                    encoding="utf-8")
    third = run(edition, only="html")
    assert third.cache.misses["guidelines"] == 1
    page = (edition / "_build/html/guidelines.html").read_text(encoding="utf-8")
    assert guidelines_html(discover(edition), third.corpus, level=1) in page and last.name in page


def test_register_entry_changed(edition):
    import re

    run(edition, only="html")
    before = snapshot(edition)
    person = re.search(r'persName ref="persons.xml#([^"]+)"', documents(edition)[0].read_text(encoding="utf-8")).group(1)
    persons = edition / "tei" / "persons.xml"
    text = persons.read_text(encoding="utf-8")
    entry = re.search(rf'<person xml:id="{person}">.*?</person>', text, re.S).group(0)
    persons.write_text(text.replace(entry, re.sub(r"<surname>[^<]*</surname>", "<surname>Renamed</surname>", entry)),
                       encoding="utf-8")
    result = run(edition, only="html")
    assert set(result.redone["html"].values()) == {"registers changed"}
    assert str(persons) in result.redone["validate"]
    differ = changed(before, snapshot(edition))
    assert f"html/persons/{person}.html" in differ and "html/persons.html" in differ
    # Document pages change only where the person occurs; no place page changes.
    pages = {n for n in differ if n.startswith("html/documents/")}
    doc_id = re.compile(r'<TEI [^>]*xml:id="([^"]+)"')
    mentioning = {"html/documents/" + doc_id.search(text).group(1) + ".html"
                  for text in (p.read_text(encoding="utf-8") for p in documents(edition))
                  if f'#{person}"' in text}
    assert pages and pages <= mentioning
    assert not any(n.startswith("html/places/") or n.startswith("html/tei/") for n in differ)


def test_template_changed(edition, monkeypatch):
    run(edition, only="html")
    before = snapshot(edition)
    templates = edition / "templates"
    templates.mkdir()
    original = (REPO / "edition" / "templates" / "person.html").read_text(encoding="utf-8")
    (templates / "person.html").write_text(original.replace("{% block main %}", "{% block main %}<!-- ours -->", 1),
                                           encoding="utf-8")
    toml = edition / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[html]\ntemplates = "templates"\n', encoding="utf-8")
    for name in ("html_fragments", "typst_body", "compile_pdf"):  # a template is not a stylesheet
        monkeypatch.setattr(worker, name, lambda *a, **k: (_ for _ in ()).throw(AssertionError("transformed")))
    result = run(edition, only="html")
    assert "html" not in result.redone
    differ = changed(before, snapshot(edition))
    assert differ and all(n.startswith("html/persons/") for n in differ)


def test_jobs_do_not_change_the_output(edition, monkeypatch):
    """One process, or two workers started by spawn (the only way on Windows; elsewhere the build
    uses a fork server, as the other tests do): the same output."""
    run(edition, jobs=1)
    one = snapshot(edition)
    shutil.rmtree(edition / "_build")
    monkeypatch.setenv("EDITION_START_METHOD", "spawn")
    result = run(edition, jobs=2, clean=True)
    assert len(result.redone["html"]) == 6
    # Pagefind's index is left out: Pagefind itself names its filter files differently on every run.
    assert changed(one, snapshot(edition)) == set()


def test_interrupted_build_leaves_the_old_output_and_a_usable_cache(edition, monkeypatch):
    run(edition)
    before = snapshot(edition)
    target = documents(edition)[0]
    target.write_text(target.read_text(encoding="utf-8").replace("<head>", "<head>Interrupted: ", 1), encoding="utf-8")

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(html_builder, "document_page", interrupt)  # after the fragments were made
        with pytest.raises(KeyboardInterrupt):
            run(edition)
    assert snapshot(edition) == before
    assert not [p for p in (edition / "_build").iterdir() if p.name.startswith(".") and p.is_dir()]  # no staging left

    def fail(*args, **kwargs):
        raise EditionError("the renderer failed")

    second = documents(edition)[1]
    second.write_text(second.read_text(encoding="utf-8").replace("<head>", "<head>Failed: ", 1), encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(worker, "typst_body", fail)
        with pytest.raises(EditionError, match="the renderer failed"):
            run(edition)
    assert snapshot(edition) == before

    result = run(edition)  # what was made before the interruptions is reused: the first document's fragments
    assert result.redone["html"] == {str(second): "changed"} and result.redone["typst"] == {str(second): "changed"}
    # the documents' PDFs are cut out of the book, typeset again: the second changed document's is new;
    # the first one's too, unless the interrupted build's book was done before the interruption (then
    # its pages there are the same: kept); the others are cut again or kept (their pages as they were)
    assert result.redone["pdf"][str(second)] == "changed"
    assert result.redone["pdf"].get(str(target), "changed") == "changed"
    assert set(result.redone["pdf"].values()) <= {"changed", "cut again from edition.pdf"}
    differ = changed(before, snapshot(edition))
    pages = sorted(n for n in differ if n.startswith("html/documents/"))
    assert len(pages) == 2
    texts = [(edition / "_build" / n).read_text(encoding="utf-8") for n in pages]
    assert any("Interrupted:" in t for t in texts) and any("Failed:" in t for t in texts)


def test_clean_redoes_everything(edition):
    run(edition, only="html")
    assert (cache_folder(discover(edition)) / "manifest.json").is_file()
    result = run(edition, only="html", clean=True)
    assert len(result.redone["validate"]) == 8 and len(result.redone["html"]) == 6
    assert set(result.redone["html"].values()) == {"new"}


def test_the_manifest_keeps_each_file_s_inputs_and_forgets_files_gone(edition):
    """The record of each file's inputs (from which -v says why something is redone): a build of the
    web edition alone keeps a document's print inputs from the last full build; a renamed document
    is recorded under its new name only (the manifest does not grow with every rename)."""
    import json

    run(edition)
    manifest = cache_folder(discover(edition)) / "manifest.json"
    target = documents(edition)[0]
    full = json.loads(manifest.read_text(encoding="utf-8"))[str(target.resolve())]
    assert {"print-xslt", "pdf-config", "xslt", "schema"} <= set(full)
    run(edition, only="html")
    assert json.loads(manifest.read_text(encoding="utf-8"))[str(target.resolve())] == full
    renamed = target.with_name("renamed-" + target.name)
    target.rename(renamed)
    run(edition, only="html")
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    assert str(target.resolve()) not in recorded and "xslt" in recorded[str(renamed.resolve())]
    assert any(key.startswith("volume ") for key in recorded)  # the full build's, kept


def test_cli_verbose_says_why_and_summary(edition):
    from edition.cli import main

    runner = CliRunner()
    first = runner.invoke(main, ["-C", str(edition), "build", "--only", "html", "-j", "1", "--quiet"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("built 6 document(s), ")
    target = documents(edition)[1]
    target.write_text(target.read_text(encoding="utf-8").replace("<head>", "<head>Again: ", 1), encoding="utf-8")
    second = runner.invoke(main, ["-C", str(edition), "build", "--only", "html", "-j", "1", "-v"])
    assert second.exit_code == 0, second.output
    assert f"html: {target.relative_to(Path.cwd()) if Path.cwd() in target.parents else target}: changed" in second.output
    assert "redone: 1 validate, 1 html" in second.output
    assert "html: 6/6 in" in second.output  # not a terminal: a plain line per phase


def test_exit_status_is_1_for_errors_in_documents_and_2_for_configuration(edition):
    """The same codes as `edition validate`: 1 when a document has errors (with --keep-going too,
    which publishes the others), 2 for a usage or configuration problem."""
    from edition.cli import main

    runner = CliRunner()
    target = documents(edition)[0]
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('ref="persons.xml#', 'ref="persons.xml#nobody-', 1), encoding="utf-8")
    stopped = runner.invoke(main, ["-C", str(edition), "build", "--only", "html", "-j", "1"])
    assert stopped.exit_code == 1, stopped.output
    assert f"1 of 8 file(s) have errors: {display_path(target)}; nothing was built (" in stopped.output
    assert "or pass --keep-going to publish the other 7 file(s) without them" in stopped.output
    kept = runner.invoke(main, ["-C", str(edition), "build", "--only", "html", "-j", "1", "-q", "--keep-going"])
    assert kept.exit_code == 1, kept.output
    assert "built 5 document(s)" in kept.output and f"left out (errors): {target.name}" in kept.output
    (edition / "edition.toml").write_text("[html]\nnot_a_key = 1\n", encoding="utf-8")
    broken = runner.invoke(main, ["-C", str(edition), "build", "-q"])
    assert broken.exit_code == 2, broken.output
    target.write_text(text, encoding="utf-8")


def test_progress_bar_and_plain_lines(capsys):
    from edition.progress import Progress

    for terminal in (True, False):
        with Progress(terminal=terminal).phase("html", 3) as advance:
            advance()
            advance(2)
    err = capsys.readouterr().err
    assert "3/3" in err and "html: 3/3 in" in err
    with Progress(quiet=True).phase("html", 3) as advance:
        advance(3)
    assert capsys.readouterr().err == ""


def test_print_settings_redo_only_the_pdfs(edition):
    run(edition)
    before = snapshot(edition)
    toml = edition / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[pdf]\npaper = "a5"\n', encoding="utf-8")
    result = run(edition)
    assert set(result.redone) == {"pdf", "volume"}  # no validation, no XSLT: only Typst runs again
    assert len(result.redone["pdf"]) == 6 and set(result.redone["pdf"].values()) == {"config changed"}
    assert result.redone["volume"] == {"edition.pdf": "config changed"}  # 6 documents: one volume, the book
    pdfs = {n for n in before if n.endswith(".pdf")}
    assert changed(before, snapshot(edition)) == pdfs


def test_cache_keeps_only_what_the_last_build_used(edition):
    run(edition)
    cache = cache_folder(discover(edition))
    books = lambda: [p for p in (cache / "pdf").glob("*/*.pdf")]  # noqa: E731
    count = len(books())
    assert count == 7  # six documents and the book
    for n in range(2):
        target = documents(edition)[n]
        target.write_text(target.read_text(encoding="utf-8").replace("<head>", f"<head>Pass {n}: ", 1),
                          encoding="utf-8")
        run(edition)
    assert len(books()) == count  # the old book and the old PDFs of the changed documents are gone
    assert not list(cache.rglob(".tmp-*"))
    run(edition, only="html")  # a build of the web edition leaves the cached PDFs alone
    assert len(books()) == count


def test_the_small_entries_of_every_document_are_read_from_one_file(edition, monkeypatch):
    """Each document's validation record and the meta of its page and of its Typst markup are kept in
    one file too, which the next build reads instead of a file each: a rebuild after a correction
    opens none of the unchanged documents' own entries; a damaged line is read from its own file;
    --clean forgets the file with the rest of the cache."""
    from edition.cache import GATHERED, Cache

    run(edition)
    cache = cache_folder(discover(edition))
    gathered = cache / "gathered" / "entries.txt"
    lines = gathered.read_bytes().split(b"\n")[:-1]
    kinds = [line.split(b" ", 1)[0].decode() for line in lines]
    assert {kind: kinds.count(kind) for kind in GATHERED} == {"validate": 8, "html-meta": 6, "typst-meta": 6}
    for line in lines:  # each line: the entry as its own file has it
        kind, key, text = line.split(b" ", 2)
        assert (cache / kind.decode() / key[:2].decode() / f"{key.decode()}.json").read_bytes() == text
    target = documents(edition)[0]
    target.write_text(target.read_text(encoding="utf-8").replace("<head>", "<head>Again: ", 1), encoding="utf-8")
    # a damaged line: that entry from its own file
    damaged = next(line for line in lines if line.startswith(b"validate "))
    gathered.write_bytes(gathered.read_bytes().replace(damaged, damaged[:-5]))
    opened = []
    get_bytes = Cache.get_bytes

    def recording(self, kind, key, suffix=""):
        opened.append(kind)
        return get_bytes(self, kind, key, suffix)

    monkeypatch.setattr(Cache, "get_bytes", recording)
    result = run(edition)
    assert result.redone["validate"] == {str(target.resolve()): "changed"}
    # from their own files: the damaged line's record, and the changed document's new record (looked
    # for before it is made) and its page's new meta; no entry of an unchanged document
    assert sorted(kind for kind in opened if kind in GATHERED) == ["html-meta", "validate", "validate"]
    assert any("Again:" in page.read_text(encoding="utf-8")
               for page in (edition / "_build" / "html" / "documents").glob("*.html"))
    run(edition, clean=True)
    assert gathered.is_file()  # written again by the build from scratch, from the entries' own files
    assert len(gathered.read_bytes().split(b"\n")) - 1 == 20


PROJECT_XSL = """<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">
  <xsl:template match="tei:persName">
    <span class="{CLASS}"><xsl:next-match/></span>
  </xsl:template>
</xsl:stylesheet>
"""


def test_stylesheet_changed(edition):
    (edition / "project.xsl").write_text(PROJECT_XSL.replace("{CLASS}", "first"), encoding="utf-8")
    toml = edition / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[html]\nstylesheet = "project.xsl"\n', encoding="utf-8")
    run(edition)
    before = snapshot(edition)
    (edition / "project.xsl").write_text(PROJECT_XSL.replace("{CLASS}", "second"), encoding="utf-8")
    result = run(edition)
    assert len(result.redone["html"]) == 6 and set(result.redone["html"].values()) == {"stylesheet changed"}
    assert set(result.redone) == {"html"}  # the print edition has its own stylesheets: nothing redone there
    differ = changed(before, snapshot(edition))
    assert differ == {n for n in before if n.startswith("html/documents/") and n.endswith(".html")}  # not the citation files
    assert all('class="second"' in (edition / "_build" / n).read_text(encoding="utf-8") for n in differ)


def test_outputs_are_readable_by_everyone(edition):
    """Cached files are written privately first (mkstemp); the published site must still be world-readable
    (under the usual umask), or a web server could not serve it."""
    old = os.umask(0o022)
    try:
        run(edition)
    finally:
        os.umask(old)
    private = [p for p in (edition / "_build").rglob("*") if p.is_file() and not p.stat().st_mode & 0o004]
    assert private == []


def test_search_index_failure_is_reported_and_not_cached(edition, monkeypatch):
    failing = [sys.executable, "-c", "import sys; print('no space left'); sys.exit(3)"]
    monkeypatch.setattr(search, "start", lambda site, language, bundle: search.Indexing(site, failing, bundle))
    reporter = Reporter()
    result = build(discover(edition), reporter, only="html", jobs=1)
    assert reporter.errors == 1 and "Pagefind failed to index the site: no space left" in reporter.to_text()
    assert "search" not in result.cache.used or not any((cache_folder(discover(edition)) / "search").glob("*/*"))


def test_a_failed_build_stops_the_search_indexer(edition, monkeypatch):
    started = []

    def slow(site, language, bundle):
        started.append(search.Indexing(site, [sys.executable, "-c", "import time; time.sleep(60)"], bundle))
        return started[-1]

    def broken(*args, **kwargs):
        raise RuntimeError("the guidelines broke")

    monkeypatch.setattr(search, "start", slow)
    monkeypatch.setattr(html_builder, "guidelines_page", broken)
    with pytest.raises(RuntimeError, match="the guidelines broke"):
        build(discover(edition), Reporter(), only="html", jobs=1)
    assert started and started[0]._process.poll() is not None  # killed, not left running
    assert not (edition / "_build" / "html").exists()


def test_a_correction_reindexes_one_search_shard(edition, monkeypatch):
    monkeypatch.setattr(search, "DOCUMENTS_PER_SHARD", 2)
    started = []
    real_start = search.start
    monkeypatch.setattr(search, "start", lambda *args: started.append(args) or real_start(*args))
    run(edition, only="html")
    shards = len(started)
    assert shards >= 2 and len(list((edition / "_build/html").glob("pagefind*"))) == shards
    before = snapshot(edition)
    target = documents(edition)[3]
    target.write_text(target.read_text(encoding="utf-8").replace("<head>", "<head>Revised: ", 1), encoding="utf-8")
    started.clear()
    run(edition, only="html")
    assert len(started) == 1  # the shard of the corrected document
    redone = {n.split("/")[1] for n in changed(before, snapshot(edition), ignore="html/documents") if "pagefind" in n}
    assert redone == {started[0][2].name}


def test_web_edition_alone_links_no_pdfs_that_the_last_print_edition_lacks(edition):
    run(edition)
    assert 'href="../pdf/' in next((edition / "_build/html/documents").glob("*.html")).read_text(encoding="utf-8")
    # A new document, built into the web edition only: the print edition has no PDF for it.
    source = documents(edition)[0]
    text = source.read_text(encoding="utf-8")
    doc_id = __import__("re").search(r'<TEI [^>]*xml:id="([^"]+)"', text).group(1)
    (edition / "tei" / "2000-01-01_new.xml").write_text(text.replace(doc_id, "new-document"), encoding="utf-8")
    reporter = Reporter()
    build(discover(edition), reporter, only="html", jobs=1)
    assert reporter.errors == 0 and "[html.pdf-outdated]" in reporter.to_text()
    assert "new-document.pdf" in reporter.to_text()
    site = edition / "_build/html"
    assert not (site / "pdf").exists()
    assert not any('pdf/' in p.read_text(encoding="utf-8") for p in site.glob("documents/*.html"))
    # Building both links them again.
    run(edition)
    assert (site / "pdf" / "new-document.pdf").is_file()


def test_each_documents_pdf_is_its_pages_of_the_book(edition):
    """Each page is typeset once: a document's PDF is cut out of the book, page for page, with its
    title, its fonts and the links among its pages (none into pages it does not have); the same with
    one process or two workers."""
    import pypdf

    from edition.corpus import load_corpus

    run(edition, only="pdf", jobs=1)
    one = snapshot(edition)
    run(edition, only="pdf", jobs=2, clean=True)
    assert changed(one, snapshot(edition)) == set()
    pdf = edition / "_build" / "pdf"
    book = [page.extract_text() for page in pypdf.PdfReader(pdf / "edition.pdf").pages]
    corpus = load_corpus(discover(edition), Reporter())
    first_pages = []
    for number, doc in enumerate(corpus.documents, start=1):
        reader = pypdf.PdfReader(pdf / f"{doc.id}.pdf")
        own = [page.extract_text() for page in reader.pages]
        assert f"No. {number}".upper() in own[0].upper()
        start = book.index(own[0])
        assert book[start:start + len(own)] == own  # the same pages, whole
        first_pages.append(start)
        assert reader.metadata.title == doc.info.title
        pages = {page.indirect_reference.idnum for page in reader.pages}
        for page in reader.pages:
            for annotation in page.get("/Annots", []):
                link = annotation.get_object()
                target = link.get("/Dest") or (link.get("/A") or {}).get("/D")
                if isinstance(target, list):
                    assert target[0].idnum in pages
            fonts = page["/Resources"].get("/Font", {})
            assert fonts and all("/FontFile" in str(f.get_object().get("/DescendantFonts", [f])[0].get_object()["/FontDescriptor"].get_object().keys())
                                 for f in fonts.values())
    assert first_pages == sorted(first_pages)  # in the order of the book, none twice


def test_search_shards_are_indexed_a_few_at_a_time(tmp_path, monkeypatch):
    running, most = [], []

    class Fake:
        def __init__(self, site, language, bundle):
            running.append(self)
            most.append(len(running))

        def wait(self, reporter):
            running.remove(self)
            return True

        def cancel(self):
            pass

    monkeypatch.setattr(search, "start", Fake)
    shards = search.Shards("en", at_once=2)
    for n in range(5):
        shards.add(tmp_path / f"s{n}", tmp_path / f"b{n}")
    assert len(running) == 2 and len(shards) == 5
    done = []
    shards.wait(Reporter(), lambda: done.append(1))
    assert len(done) == 5 and max(most) == 2 and not running


def test_a_cached_record_without_parts_still_gives_its_document():
    """A validation record cached by an earlier version (a header, no parts) is a document still:
    the build's process keeps records slimmed (edition/gather.py), and must not drop it."""
    from edition.gather import _Kept

    kept = _Kept()
    old = kept.arrived({"kind": "document", "id": "doc-1", "info": {"title": "A record"}, "elements": [["p"], ["p"]]})
    assert old["parts"] == [{"id": "doc-1", "info": {"title": "A record"}, "pages": []}] and "info" not in old
    other = kept.arrived({"kind": "document", "id": "doc-2", "parts": [{"id": "doc-2", "info": {}, "pages": []}],
                          "elements": [["p"], ["p"]]})
    assert other["elements"] is old["elements"]  # one copy of the same names


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_header_digest_from_the_worker_is_the_headers_own(edition, jobs):
    """The validation record carries each header's digest (DocumentInfo.key, in the page and site
    keys), computed where the header was read: it must be the digest of the header the build holds,
    in its own process or a worker's, and read back from the cache."""
    from edition.cache import digest

    first = run(edition, jobs=jobs)
    (cache_folder(discover(edition)) / "unchanged.json").unlink()  # (else the second stops at once)
    for result in (first, run(edition, jobs=jobs)):  # the records made, then read back from the cache
        assert result.corpus.documents
        for doc in result.corpus.documents:
            assert doc.info.key == digest(doc.info.as_dict()) and "key" in vars(doc.info)
