"""The work done per document, in a worker process (or in the build's own process with --jobs 1).

Each function takes paths and text and returns plain data (dicts of str, lists, numbers), so that
nothing but small values crosses between processes; large results (PDFs) are written into the
cache by the worker itself. A worker holds one Saxon processor, each stylesheet compiled once, the
schemas compiled once, and one Typst compiler per project folder. The gather phase's function,
`edition.gather.analyse` (validation), runs in these processes too, with their settings.

    html_fragments(...)        html.xsl -> the fragments of the document's page
    typst_body(...)            print.xsl -> the document's Typst markup and editorial principles
    compile_pdf(...)           a Typst main file -> a PDF in the cache; for a volume, its documents'
                               pages, each document's PDF cut out of it (pdf_cut.py)
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from edition.cache import atomic_write, json_bytes
from edition.corpus import Document, DocumentInfo, document_tree, read_info
from edition.diagnostics import EditionError, Reporter
from edition.documents import parse_file

settings: dict = {}  # this process's: the schemas to validate with, the reproducible-build date
_compilers: dict = {}


def initialise(new: dict) -> None:
    """Per process: the settings of the build (the schemas are compiled on first use)."""
    from edition import gather

    settings.clear()
    settings.update(new)
    if settings.get("source_date_epoch"):
        os.environ["SOURCE_DATE_EPOCH"] = settings["source_date_epoch"]
    else:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    _compilers.clear()
    gather.forget()


def failure(exc: EditionError) -> dict:
    return {"error": str(exc), "hint": exc.hint,
            "diagnostics": [d.as_dict(display=False) for d in exc.diagnostics]}


# ------------------------------------------------------------------------------- transformations

def _document(path: str, doc_id: str) -> Document:
    tree, problems = parse_file(Path(path))
    if tree is None:  # changed since it was validated in this build
        raise EditionError(f"{path}: could not be read again: {problems[0].message if problems else ''}")
    tree = document_tree(tree, Path(path), doc_id)  # in a teiCorpus: its <TEI> of that id
    if tree is None:
        raise EditionError(f"{path}: has no document '{doc_id}' any more (changed since it was validated)")
    return Document(path=Path(path), tree=tree, id=doc_id, info=DocumentInfo())


def found_in(doc: Document) -> dict[str, str]:
    """The date and authors the headings show, wherever in the document they are (edition/corpus.py)."""
    return shown(read_info(doc.tree))


def shown(info: DocumentInfo) -> dict[str, str]:
    """The stylesheets' parameters of the date and authors from a document's header."""
    return {"doc-date": info.date_display, "doc-author": info.author}


def html_fragments(path: str, doc_id: str, stylesheet: str, params: dict, entries: list[str] | None = None) -> dict:
    """The page's fragments and the stylesheet's messages as diagnostics (render/messages.py; each unknown element with
    its name, so that the build reports it once, for the first document in date order).

    `entries`: the build's cache files for them, [fragments, meta]: the worker writes them itself
    (the fragments first: the meta file marks the entry complete) and returns only the meta, so that
    the fragments neither cross to the build's process nor wait for it to write them."""
    from edition.render.fragments import render_document
    from edition.render.messages import diagnostic, parse, unknown_name
    from edition.xslt import engine

    try:
        doc = _document(path, doc_id)
        # the build passes the date and authors it read in the gather phase (not read here again)
        found = {} if "doc-date" in params else found_in(doc)
        fragments = render_document(engine().stylesheet(Path(stylesheet)), doc, {**params, **found})
        messages, seen = [], set()
        for message in map(parse, fragments.messages):
            found = diagnostic(doc, message, "html")
            if found not in seen:
                seen.add(found)
                name = unknown_name(message) if message.code == "html.unknown-element" else ""
                messages.append([name, found.as_dict(display=False)])
        data = dataclasses.asdict(fragments)
        data["messages"] = messages
        if entries is None:
            return data
        return store(entries, data, {"messages": messages, "editorial": data["editorial"]})
    except EditionError as exc:
        return failure(exc)


def store(entries: list[str], data: dict, meta: dict) -> dict:
    """A result written by the worker into the build's cache files `entries` ([the entry, its meta]:
    the entry first), so that it neither crosses to the build's process nor waits for that process
    to write it; returns the meta, which is all the build needs now."""
    atomic_write(entries[0], json_bytes(data))
    atomic_write(entries[1], json_bytes(meta))
    return meta


def typst_meta(data: dict) -> dict:
    """What the print builder reads of a document's Typst entry when its volume is not typeset."""
    return {"diagnostics": data["diagnostics"], "principles": data["principles"]}


def typst_body(path: str, doc_id: str, number: int, entities: str, found: dict | None = None,
               reading: str = "edited", entries: list[str] | None = None) -> dict:
    """`found`: the document's date and authors as the gather phase read them (else read here);
    `reading`: [pdf] reading, the reading the text is printed in; `entries`: the build's cache files
    [typst, typst-meta], which the worker writes itself (`store`)."""
    from edition.render.pdf import typst_body

    try:
        doc = _document(path, doc_id)
        reporter = Reporter()
        body, principles = typst_body(doc, number, entities, reporter,
                                      {"doc-id": doc_id, "reading": reading, **(found or found_in(doc))})
        data = {"body": body, "principles": principles,
                "diagnostics": [d.as_dict(display=False) for d in reporter.diagnostics]}
        return data if entries is None else store(entries, data, typst_meta(data))
    except EditionError as exc:
        return failure(exc)


# Where each section of a typeset book begins: (the document's id, or "" for the contents, the
# principles and the indexes; its page), in page order. Asked of the compiled document (no new layout).
SECTION_PAGES = "query(<ed-section>).map(m => (m.value.id, m.location().page()))"


def compile_pdf(work: str, main: str, font_paths: list[str], target: str, name: str,
                cuts: list | None = None, cache: str = "") -> dict:
    """Compile `work/main` with Typst and write the PDF to `target` (atomically). `cuts`: for a
    volume, [doc id, title, target, digest of its pages' inputs] of each of its documents, whose PDF
    is then cut out of it (each page is typeset once), or linked from the cache folder `cache` where
    its pages are as in a volume cut before (render/pdf_cut.py); the result has the pages of each
    document ("ranges") and the documents linked ("kept")."""
    import typst

    from edition.render.pdf import compile_main

    key = (work, tuple(font_paths))
    if key not in _compilers:
        _compilers.clear()  # one project at a time: a compiler keeps its project's files in memory
        _compilers[key] = typst.Compiler(root=work, font_paths=font_paths, ignore_system_fonts=True)
    reporter = Reporter()
    try:
        pdf = compile_main(_compilers[key], Path(work) / main, None, reporter)
    except EditionError as exc:
        return failure(exc)
    atomic_write(Path(target), pdf)
    # compile_main names the main file in its warnings when it writes no output file: name the PDF instead
    warnings = [dataclasses.replace(d, path=name, message=d.message) for d in reporter.diagnostics]
    found = {"diagnostics": [d.as_dict(display=False) for d in warnings]}
    if cuts is not None:
        import json

        from edition.render.pdf_cut import cut_volume

        sections = json.loads(_compilers[key].eval(SECTION_PAGES, format="json"))
        try:
            found["ranges"], found["kept"] = cut_volume(pdf, sections, cuts, name, cache)
        except EditionError as exc:
            return failure(exc)
    return found


def glyph_check(work: str, font_paths: list[str], chars: list[str]) -> dict:
    import typst

    from edition.render import pdf_glyphs

    compiler = typst.Compiler(root=work, font_paths=font_paths, ignore_system_fonts=True)
    try:
        return {"absent": sorted(pdf_glyphs.missing(compiler, Path(work), chars))}
    except typst.TypstError as exc:
        return {"failed": str(exc)}
