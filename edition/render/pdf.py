"""The print edition: TEI -> Typst markup (xslt/print.xsl) -> PDF, compiled in process by `typst`.

The pieces that edition/render/pdf_incremental.py (the build) puts together: the main files of a
volume (`book_main`) and of a document alone (`preamble`), the settings and title-page data, the
checks of ids and paper, the transformation and the compilation with their diagnostics. The print
edition is written into a Typst project folder (Typst cannot read outside its root):

    book.typ        the layout library (edition/typst/book.typ)
    data.json       what Python knows: settings, title page, volumes, registers. Typst shows these
                    values as strings, so nothing from Python is ever evaluated as markup and needs
                    no escaping.
    docs/NNN.typ    each document's body from print.xsl, whose text is escaped there (print/typst.xsl)
    main.typ        the book (one volume); volume-NN.typ: a volume; single-NNN.typ: one document alone

`Typesetter` typesets single documents in a temporary project of its own, without the build and its
cache: for checking what print.xsl and book.typ make of one document.

No system fonts are used (the bundled Libertinus Serif, New Computer Modern and DejaVu Sans Mono,
plus [pdf] font_paths), so a build looks the same on every machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import typst

from edition.corpus import Corpus, Document
from edition.diagnostics import EditionError, Reporter, warning
from edition.render import pdf_glyphs
from edition.render.pdf_registers import register_data
from edition.resources import PACKAGE_DIR, xslt_path
from edition.xslt import engine

TEMPLATE = PACKAGE_DIR / "typst" / "book.typ"


class Typesetter:
    """A Typst project in a temporary folder for one corpus: documents go in, PDFs come out."""

    def __init__(self, corpus: Corpus, reporter: Reporter) -> None:
        self.corpus, self.reporter = corpus, reporter
        config = corpus.config
        self.font_paths = [config.resolve(p) for p in config.pdf.font_paths]
        self._tmp = tempfile.TemporaryDirectory(prefix="edition-typst-")
        self.work = work = Path(self._tmp.name)
        shutil.copyfile(TEMPLATE, work / "book.typ")
        persons, places, self.entities = register_data(corpus.registers, config.persons_path, config.places_path)
        self.data = {"settings": settings(config, reporter, self.font_paths), "edition": edition_data(config),
                     "persons": persons, "places": places, "titles": {}}
        (work / "docs").mkdir()
        self.stylesheet = engine().stylesheet(xslt_path("print.xsl"))
        self.compiler = typst.Compiler(root=str(work), font_paths=[str(p) for p in self.font_paths if p.is_dir()],
                                       ignore_system_fonts=True)

    def __enter__(self) -> "Typesetter":
        return self

    def __exit__(self, *exc) -> None:
        self._tmp.cleanup()

    def add_document(self, number: int, doc: Document) -> str:
        """Transform a document into docs/NNN.typ."""
        body = _transform(self.stylesheet, doc, self.reporter, part="document", number=str(number),
                          entities=self.entities)
        name = f"docs/{number:03d}.typ"
        (self.work / name).write_text(body, encoding="utf-8")
        self.data["titles"][str(number)] = doc.info.title or doc.id
        return name

    def check_glyphs(self, documents: list[Document]) -> None:
        """Warn about characters that no font has (they would print as empty boxes)."""
        per_document = {doc.path: pdf_glyphs.characters(doc.tree) for doc in documents}
        chars = sorted(set().union(*per_document.values())) if per_document else []
        self._write_data()
        try:
            absent = pdf_glyphs.missing(self.compiler, self.work, chars)
        except typst.TypstError as exc:  # the check must not stop a build that would succeed
            self.reporter.add(warning(documents[0].path, f"the glyph check failed: {exc}", "pdf.glyph-check"))
            return
        for path, found in per_document.items():
            diagnostic = pdf_glyphs.report(path, found, absent)
            if diagnostic:
                self.reporter.add(diagnostic)

    def _write_data(self) -> None:
        (self.work / "data.json").write_text(json.dumps(self.data, ensure_ascii=False), encoding="utf-8")

    def document_pdf(self, number: int, output: Path | None = None) -> bytes:
        """Document `number` alone (as added), written to `output` if given."""
        main = self.work / f"single-{number:03d}.typ"
        main.write_text(preamble(f'data.titles.at("{number}")') + f'#include "/docs/{number:03d}.typ"\n#imprint()\n',
                        encoding="utf-8")
        self._write_data()
        return _compile(self.compiler, main, output, self.reporter)


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


def _write_principles(work: Path, principles: dict[str, list[int]], prefix: str = "principles") -> list[tuple[list[int], str]]:
    """Identical editorialDecls are printed once, naming the documents they apply to when they differ."""
    written = []
    for index, (text, numbers) in enumerate(principles.items(), start=1):
        name = f"{prefix}-{index}.typ"
        (work / name).write_text(text, encoding="utf-8")
        written.append((numbers, name))
    return written


def settings(config, reporter: Reporter, font_paths: list[Path], check_paper: bool = True) -> dict:
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
        _check_paper(pdf.paper, where)
    return {
        "title": edition.title or "Edition",
        "running-head": pdf.running_head or edition.title,
        "paper": pdf.paper,
        # The bundled fonts stay as fallbacks after the chosen ones: Latin, Cyrillic and Greek are always covered.
        "fonts": fonts + [f for f in ("Libertinus Serif", "New Computer Modern") if f not in fonts],
        "lang": (edition.language or "en").split("-")[0].lower(),
    }


def _check_paper(paper: str, where) -> None:
    try:
        typst.compile(b'#set page(paper: sys.inputs.paper)', sys_inputs={"paper": paper}, ignore_system_fonts=True)
    except typst.TypstError:
        raise EditionError(f"{where}: [pdf] paper = {paper!r} is not a paper size Typst knows",
                           hint="use a Typst paper name such as 'a4', 'us-letter', 'a5', 'iso-b5'") from None


def edition_data(config) -> dict:
    e = config.edition
    return {"title": e.title, "subtitle": e.subtitle, "editors": list(e.editors),
            "publisher": e.publisher, "year": e.year}


def _check_ids(documents: list[Document]) -> None:
    seen: dict[str, Path] = {}
    for doc in documents:
        if not re.fullmatch(r"[^/\\:\x00-\x1f]+", doc.id) or doc.id.startswith(".") or doc.id == "edition":
            raise EditionError(f"{doc.path}: the document id {doc.id!r} cannot name a PDF file",
                               hint="give the TEI root an xml:id of letters, digits, '-', '_' and '.'")
        if doc.id in seen:
            raise EditionError(f"{doc.path}: the document id {doc.id!r} is also the id of {seen[doc.id]}",
                               hint="each document needs its own xml:id on the TEI root")
        seen[doc.id] = doc.path


def _transform(stylesheet, doc: Document, reporter: Reporter, **params) -> str:
    result = stylesheet.transform(doc.xml_text, base_uri=doc.uri, **params)
    for message in result.messages:
        reporter.add(_message_diagnostic(doc, message))
    return result.output


def _message_diagnostic(doc: Document, message: str):
    """'fallback|/Q{ns}TEI[1]/Q{ns}text[1]/...|name|behaviour' -> a warning at the element's line."""
    parts = message.strip().split("|")
    if len(parts) == 4 and parts[0] == "fallback":
        _, path, name, behaviour = parts
        line = 0
        xpath = re.sub(r"Q\{http://www\.tei-c\.org/ns/1\.0\}", "tei:", path)
        try:
            found = doc.tree.xpath(xpath, namespaces={"tei": "http://www.tei-c.org/ns/1.0"})
            line = found[0].sourceline if found else 0
        except Exception:  # a path lxml cannot evaluate (foreign namespaces): report without a line
            line = 0
        return warning(doc.path, f"<{name}> has no print rule; printed as {behaviour}, its text kept",
                       "pdf.fallback", line=line, hint="add a template for it to xslt/print/ (or report it)")
    return warning(doc.path, f"print.xsl: {message.strip()}", "pdf.xslt-message")


def _compile(compiler: "typst.Compiler", main: Path, output: Path | None, reporter: Reporter) -> bytes:
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
