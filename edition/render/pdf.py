"""The print edition: TEI -> Typst markup (xslt/print.xsl) -> PDF, compiled in process by `typst`.

The pieces that edition/render/pdf_builder.py (the build) puts together: the main files of a
volume (`book_main`) and of a document alone (`preamble`), the settings and title-page data, the
checks of ids and paper, the transformation and the compilation with their diagnostics. The print
edition is written into a Typst project folder (Typst cannot read outside its root):

    book.typ        the layout library (edition/typst/book.typ)
    data.json       what Python knows: settings, title page, volumes, registers. Typst shows these
                    values as strings, so nothing from Python is ever evaluated as markup and needs
                    no escaping.
    docs/NNN.typ    each document's body from print.xsl, whose text is escaped there (print/typst.xsl)
    main.typ        the book (one volume); volume-NN.typ: a volume; single-NNN.typ: one document alone

`typeset_document` typesets one document alone, in a project of its own, with the same pieces: what
the build makes of a document that it would not publish (one that does not validate), for checks.

No system fonts are used (the bundled Libertinus Serif, New Computer Modern and DejaVu Sans Mono,
plus [pdf] font_paths), so a build looks the same on every machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import typst

from edition.corpus import Document
from edition.diagnostics import Diagnostic, EditionError, Reporter, warning
from edition.registers import pointer_map
from edition.render.messages import diagnostic, parse
from edition.render.pdf_glyphs import Fallback, characters, fallback
from edition.render.pdf_registers import register_data
from edition.resources import PACKAGE_DIR, xslt_path
from edition.xslt import JsonParameter, engine

TEMPLATE = PACKAGE_DIR / "typst" / "book.typ"


def project_data(config, registers, documents: list[Document], reporter: Reporter, font_paths: list[Path],
                 check_paper: bool = True, first: int = 1, fallback: Fallback | None = None) -> tuple[dict, str]:
    """data.json of a Typst project (without its volumes), the documents numbered from `first`; and
    the registers' pointer map for print.xsl. `fallback`: fonts for scripts the bundled ones lack."""
    persons, places = register_data(registers)
    entities = json.dumps(pointer_map(config, registers), ensure_ascii=False)
    data = {"settings": settings(config, reporter, font_paths, check_paper=check_paper, fallback=fallback),
            "edition": edition_data(config), "persons": persons, "places": places,
            "titles": {str(n): doc.info.title or doc.id for n, doc in enumerate(documents, start=first)},
            # the licences of the documents, for the back of the title page
            "licences": sorted({doc.info.licence for doc in documents if doc.info.licence})}
    return data, entities


def start_project(work: Path, data: dict) -> None:
    """The files every main file of a project needs: the layout library and data.json."""
    shutil.copyfile(TEMPLATE, work / "book.typ")
    (work / "docs").mkdir(exist_ok=True)
    write_data(work, data)


def write_data(work: Path, data: dict) -> None:
    (work / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@dataclass
class Typeset:
    pdf: bytes
    body: str  # the document's Typst markup (docs/NNN.typ)


def typeset_document(config, registers, doc: Document, reporter: Reporter, number: int = 1,
                     work: Path | None = None) -> Typeset:
    """Document `doc` alone, as number `number`, typeset by the build's own steps (print.xsl in
    `typst_body`, its main file, the workers' compilation) in a Typst project of its own: in `work`
    when given (a folder to reuse across calls, whose compiler is kept), else a temporary one. For
    what the build would not publish: a document that does not validate."""
    if work is None:
        with tempfile.TemporaryDirectory(prefix="edition-typst-") as folder:
            return typeset_document(config, registers, doc, reporter, number, Path(folder))
    from edition.render import worker

    font_paths = [config.resolve(p) for p in config.pdf.font_paths]
    extra = fallback(characters(doc.tree))
    if extra:
        font_paths.append(extra.folder)
    data, entities = project_data(config, registers, [doc], reporter, font_paths, first=number, fallback=extra)
    start_project(work, data)
    body, _ = typst_body(doc, number, entities, reporter,
                         {"doc-id": doc.id, "reading": config.pdf.reading, **worker.found_in(doc)})
    (work / f"docs/{number:03d}.typ").write_text(body, encoding="utf-8")
    main = f"single-{number:03d}.typ"
    (work / main).write_text(single_main(number), encoding="utf-8")
    target = work / f"single-{number:03d}.pdf"
    result = worker.compile_pdf(str(work), main, [str(p) for p in font_paths if p.is_dir()], str(target),
                                f"{doc.id}.pdf")
    if "error" in result:
        raise EditionError(result["error"], hint=result["hint"])
    reporter.extend(Diagnostic.from_dict(d) for d in result["diagnostics"])
    return Typeset(pdf=target.read_bytes(), body=body)


def preamble(title: str = "none") -> str:
    """The start of a main file; `title` is a Typst expression for the PDF's title (read from data.json)."""
    return f'#import "/book.typ": *\n#show: edition-style.with(title: {title})\n'


def book_main(files: list[str], principle_files: list[tuple[list[int], str]], volume: int | None = None) -> str:
    """A volume's main file (the book's, when there is one volume): only fixed markup and includes of
    files this module named. `volume`: its index in data.volumes when there are several."""
    if volume is None:
        lines = [preamble(), "#title-page()"]
    else:
        lines = [preamble(f"data.volumes.at({volume}).title"), f"#title-page(volume: data.volumes.at({volume}))"]
    lines.append("#contents()")
    if principle_files:
        lines.append("#section([Editorial principles])")
        for numbers, name in principle_files:
            if len(principle_files) > 1:
                label = "Document" + ("s" if len(numbers) > 1 else "") + " " + ", ".join(map(str, numbers))
                lines.append(f"#principles-for[{label}]")
            lines.append(f'#include "/{name}"')
    lines += [f'#include "/{name}"' for name in files]
    lines += ['#section([Index of persons and organisations], running: [Index of persons])',
              '#index(data.persons, ("person", "org"), legend: [Page numbers in bold: the person speaks there.])',
              "#section([Index of places])",
              '#index(data.places, ("place",))']
    return "\n".join(lines) + "\n"


def write_principles(work: Path, principles: dict[str, list[int]], prefix: str = "principles") -> list[tuple[list[int], str]]:
    """Identical editorialDecls are printed once, naming the documents they apply to when they differ."""
    written = []
    for index, (text, numbers) in enumerate(principles.items(), start=1):
        name = f"{prefix}-{index}.typ"
        (work / name).write_text(text, encoding="utf-8")
        written.append((numbers, name))
    return written


def settings(config, reporter: Reporter, font_paths: list[Path], check_paper: bool = True,
             fallback: Fallback | None = None) -> dict:
    pdf, edition = config.pdf, config.edition
    where = config.path or config.root / "edition.toml"
    for folder in font_paths:
        if not folder.is_dir():
            reporter.add(warning(where, f"[pdf] font_paths: {folder} is not a folder", "pdf.font-path"))
    available = set(typst.Fonts(include_system_fonts=False,
                                font_paths=[str(p) for p in font_paths if p.is_dir()]).families())
    fonts = [f for f in pdf.fonts if f in available]
    if not fonts:
        reporter.add(warning(where, f"[pdf] fonts: none of {', '.join(pdf.fonts) or '(none)'} is available; "
                                    "using Libertinus Serif", "pdf.fonts",
                             hint=f"available: {', '.join(sorted(available))}; add folders with [pdf] font_paths"))
    if check_paper:  # a Typst compilation: the incremental build skips it for a paper it has checked
        verify_paper(pdf.paper, where)
    return {
        "title": edition.title or "Edition",
        "running-head": pdf.running_head or edition.title,
        "paper": pdf.paper,
        # The bundled fonts stay as fallbacks after the chosen ones: Latin, Cyrillic and Greek are always
        # covered; then the fonts for other scripts the documents need (pdf_glyphs.fallback).
        "fonts": fonts + [f for f in ("Libertinus Serif", "New Computer Modern") if f not in fonts]
                 + [f for f in (fallback.families if fallback else ()) if f not in fonts],
        "lang": (edition.language or "en").split("-")[0].lower(),
    }


def verify_paper(paper: str, where) -> None:
    try:
        typst.compile(b'#set page(paper: sys.inputs.paper)', sys_inputs={"paper": paper}, ignore_system_fonts=True)
    except typst.TypstError:
        raise EditionError(f"{where}: [pdf] paper = {paper!r} is not a paper size Typst knows",
                           hint="use a Typst paper name such as 'a4', 'us-letter', 'a5', 'iso-b5'") from None


def edition_data(config) -> dict:
    e = config.edition
    return {"title": e.title, "subtitle": e.subtitle, "editors": list(e.editors),
            "publisher": e.publisher, "year": e.year, "url": e.url}


def check_ids(documents: list[Document]) -> None:
    seen: dict[str, Path] = {}
    for doc in documents:
        if not re.fullmatch(r"[^/\\:\x00-\x1f]+", doc.id) or doc.id.startswith(".") or doc.id == "edition":
            raise EditionError(f"{doc.path}: the document id {doc.id!r} cannot name a PDF file",
                               hint="give the TEI root an xml:id of letters, digits, '-', '_' and '.'")
        if doc.id in seen:
            raise EditionError(f"{doc.path}: the document id {doc.id!r} is also the id of {seen[doc.id]}",
                               hint="each document needs its own xml:id on the TEI root")
        seen[doc.id] = doc.path


def transform(stylesheet, doc: Document, reporter: Reporter, **params) -> str:
    result = stylesheet.transform(doc.xml_text, base_uri=doc.uri, **params)
    for message in result.messages:
        reporter.add(diagnostic(doc, parse(message), "pdf"))
    return result.output


def typst_body(doc: Document, number: int, entities: str, reporter: Reporter,
               heading: dict[str, str] | None = None) -> tuple[str, str]:
    """print.xsl on one document: (its Typst markup, its editorial principles in Typst). `heading`:
    what the heading shows that may be anywhere in the document (doc-id, doc-date, doc-author).
    `entities`: the registers' pointer map as JSON, which print.xsl receives as an XDM map, parsed
    once per process (JsonParameter), not by parse-json in each of the two transformations."""
    stylesheet = engine().stylesheet(xslt_path("print.xsl"))
    entities = JsonParameter(entities)
    body = transform(stylesheet, doc, reporter, part="document", number=str(number), entities=entities,
                     **(heading or {}))
    principles = transform(stylesheet, doc, reporter, part="principles", number=str(number), entities=entities)
    return body, principles


def single_main(number: int) -> str:
    """The main file of document `number` alone (its own PDF)."""
    return preamble(f'data.titles.at("{number}")') + f'#include "/docs/{number:03d}.typ"\n#imprint()\n'


def compile_main(compiler: "typst.Compiler", main: Path, output: Path | None, reporter: Reporter) -> bytes:
    timestamp = int(os.environ["SOURCE_DATE_EPOCH"]) if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit() else None
    try:
        pdf, warnings = compiler.compile_with_warnings(input=str(main), format="pdf", timestamp=timestamp)
    except typst.TypstError as exc:
        detail = "; ".join(filter(None, [getattr(exc, "message", str(exc))] + list(getattr(exc, "hints", []) or [])))
        raise EditionError(f"the PDF {(output or main).name} could not be typeset: {detail}",
                           hint="this is a fault of the print stylesheets or book.typ; please report it "
                                "with the document") from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a panic inside Typst arrives as pyo3's PanicException (a BaseException)
        raise EditionError(f"the PDF {(output or main).name} could not be typeset: Typst failed: {exc}",
                           hint="this is a fault in Typst; please report it with the document") from None
    for w in warnings:
        reporter.add(warning((output or main).name, f"typst: {getattr(w, 'message', w)}", "pdf.typst"))
    if output is not None:
        output.write_bytes(pdf)
    return pdf
