"""The work done per document, in a worker process (or in the build's own process with --jobs 1).

Each function takes paths and text and returns plain data (dicts of str, lists, numbers), so that
nothing but small values crosses between processes; large results (PDFs) are written into the
cache by the worker itself. A worker holds one Saxon processor, each stylesheet compiled once, the
schemas compiled once, and one Typst compiler per project folder.

    analyse(path)              parse, validate, read the header: everything later phases need
    html_fragments(...)        html.xsl -> the fragments of the document's page
    typst_body(...)            print.xsl -> the document's Typst markup and editorial principles
    compile_pdf(...)           a Typst main file -> a PDF in the cache
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from urllib.parse import unquote

from edition.cache import atomic_write
from edition.corpus import (Document, DocumentInfo, document_entities, document_tree, documents_in, is_register,
                            read_info)
from edition.diagnostics import EditionError, Reporter
from edition.documents import NS, XML_ID, parse_file

_settings: dict = {}
_compilers: dict = {}
_registers = None


def initialise(settings: dict) -> None:
    """Per process: the schemas to validate with (compiled on first use)."""
    global _registers
    _settings.clear()
    _settings.update(settings)
    if settings.get("source_date_epoch"):
        os.environ["SOURCE_DATE_EPOCH"] = settings["source_date_epoch"]
    else:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    _compilers.clear()
    _registers = None


def _failure(exc: EditionError) -> dict:
    return {"error": str(exc), "hint": exc.hint,
            "diagnostics": [d.as_dict(display=False) for d in exc.diagnostics]}


# ------------------------------------------------------------------------------- analyse

def _pointer_files(tree, path: Path) -> list[str]:
    """The files this document's pointers lead into: its validation depends on their ids."""
    from edition.validate import URI_SCHEME

    parts = set()
    for element in tree.xpath("//*[@ref or @who or @sameAs or @resp]"):
        for attribute in ("ref", "who", "sameAs", "resp"):
            value = (element.get(attribute) or "").strip()
            if value and not value.startswith("#"):
                parts.add(value.partition("#")[0])
    return sorted({str((path.parent / unquote(part)).resolve()) for part in parts
                   if part and not URI_SCHEME.match(part)})


def _linked_names(tree) -> list[str]:
    """The file names (decoded, without folders) of the *.xml files any attribute points to: the
    documents this one can link to."""
    names = set()
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for value in element.attrib.values():
            if ".xml" in value:
                for token in value.split():
                    name = unquote(token.partition("#")[0].rsplit("/", 1)[-1])
                    if name.endswith(".xml"):
                        names.add(name)
    return sorted(names)


def analyse(path: str) -> dict:
    """Validate one file (as `edition validate` does) and read what the outputs need from it."""
    from edition.guidelines import element_names
    from edition.render.pdf_glyphs import characters
    from edition.validate import Registers, check_tree, corpus_ids, load_relaxng, load_schematron

    global _registers
    file = Path(path)
    record = {"path": path, "kind": "unreadable", "deps": [], "ids": [], "id": "", "root": "", "info": None,
              "chars": {}, "elements": [[], []]}
    try:
        tree, problems = parse_file(file)
        diagnostics = list(problems)
        if tree is not None:
            rng_path = Path(_settings["relaxng"]) if _settings["relaxng"] else None  # model "tei": maybe none
            rng = load_relaxng(rng_path) if rng_path else None
            sch = load_schematron(Path(_settings["schematron"])) if _settings["schematron"] else None
            if _registers is None:
                _registers = Registers({})  # register files parsed once per process, on demand
            source = file.read_text(encoding="utf-8", errors="replace").splitlines()
            diagnostics.extend(check_tree(tree, file, source, rng, rng_path, sch, _registers, _settings.get("model", "edition")))
            record["deps"] = _pointer_files(tree, file)
            record["links"] = _linked_names(tree)
            root = tree.getroot()
            record["root"] = root.tag
            record["id"] = root.get(XML_ID) or file.stem
            record["ids"] = corpus_ids(tree)
            record["elements"] = element_names(tree)
            if is_register(tree):
                record["kind"] = "register"
            elif parts := documents_in(tree, file):  # one <TEI>, or each <TEI> of a teiCorpus
                record["kind"] = "document"
                record["parts"] = []
                for doc_id, element in parts:
                    # its own persons and places (the registers of TEI from elsewhere, if it has none)
                    entities = document_entities(element, doc_id, file.resolve().as_uri()) \
                        if _settings.get("model") == "tei" else []
                    info = read_info(element, {e.local: e.id for e in entities})
                    record["parts"].append({"id": doc_id, "info": info.as_dict(),
                                            "entities": [dataclasses.asdict(e) for e in entities]})
                record["id"], record["info"] = record["parts"][0]["id"], record["parts"][0]["info"]
                record["chars"] = characters(tree)
            else:
                record["kind"] = "other"
        record["diagnostics"] = [d.as_dict(display=False) for d in diagnostics]
    except EditionError as exc:  # a schema that does not compile: the build stops with its message
        return _failure(exc)
    return record


# ------------------------------------------------------------------------------- transformations

def _document(path: str, doc_id: str) -> Document:
    tree, problems = parse_file(Path(path))
    if tree is None:  # changed since it was validated in this build
        raise EditionError(f"{path}: could not be read again: {problems[0].message if problems else ''}")
    tree = document_tree(tree, Path(path), doc_id)  # in a teiCorpus: its <TEI> of that id
    if tree is None:
        raise EditionError(f"{path}: has no document '{doc_id}' any more (changed since it was validated)")
    return Document(path=Path(path), tree=tree, id=doc_id, info=DocumentInfo())


def _found_in(doc: Document) -> dict[str, str]:
    """The date and authors the headings show, wherever in the document they are (edition/corpus.py)."""
    info = read_info(doc.tree)
    return {"doc-date": info.date_display, "doc-author": info.author}


def html_fragments(path: str, doc_id: str, stylesheet: str, params: dict) -> dict:
    """The page's fragments and the stylesheet's messages as diagnostics (each unknown element with
    its name, so that the build reports it once, for the first document in date order)."""
    from edition.render.fragments import UNKNOWN, render_document, report_messages
    from edition.xslt import engine

    try:
        doc = _document(path, doc_id)
        fragments = render_document(engine().stylesheet(Path(stylesheet)), doc, {**params, **_found_in(doc)})
        reporter = Reporter()
        report_messages(doc, fragments.messages, reporter, set())
        messages = []
        for d in reporter.diagnostics:
            match = UNKNOWN.search(d.message) if d.code == "html.unknown-element" else None
            messages.append([match.group(1) if match else "", d.as_dict(display=False)])
        data = dataclasses.asdict(fragments)
        data["messages"] = messages
        return data
    except EditionError as exc:
        return _failure(exc)


def typst_body(path: str, doc_id: str, number: int, entities: str) -> dict:
    from edition.render.pdf import typst_body

    try:
        doc = _document(path, doc_id)
        reporter = Reporter()
        body, principles = typst_body(doc, number, entities, reporter, {"doc-id": doc_id, **_found_in(doc)})
        return {"body": body, "principles": principles,
                "diagnostics": [d.as_dict(display=False) for d in reporter.diagnostics]}
    except EditionError as exc:
        return _failure(exc)


def compile_pdf(work: str, main: str, font_paths: list[str], target: str, name: str) -> dict:
    """Compile `work/main` with Typst and write the PDF to `target` (atomically)."""
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
        return _failure(exc)
    atomic_write(Path(target), pdf)
    # compile_main names the main file in its warnings when it writes no output file: name the PDF instead
    warnings = [dataclasses.replace(d, path=name, message=d.message) for d in reporter.diagnostics]
    return {"diagnostics": [d.as_dict(display=False) for d in warnings]}


def glyph_check(work: str, font_paths: list[str], chars: list[str]) -> dict:
    import typst

    from edition.render import pdf_glyphs

    compiler = typst.Compiler(root=work, font_paths=font_paths, ignore_system_fonts=True)
    try:
        return {"absent": sorted(pdf_glyphs.missing(compiler, Path(work), chars))}
    except typst.TypstError as exc:
        return {"failed": str(exc)}
