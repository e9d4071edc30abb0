"""The print edition, rebuilt incrementally: the same PDFs as `build_pdf`, from cached parts.

    typst      per document, key: its bytes, every file of the stylesheets, the pointer map of the
               registers, its number in the book
    pdf        per document, key: its Typst markup, book.typ, the settings, the registers, its title
    book       key: every document's Typst markup and title, book.typ, the settings, the registers
    glyphs     the characters no font has, key: the characters of the corpus and the settings

Missing parts are made in the worker processes (the book first: it takes longest); PDFs are
written into the cache by the workers and hard-linked into the output.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Callable

from edition.cache import digest, link_or_copy
from edition.corpus import Corpus
from edition.diagnostics import EditionError, warning
from edition.render import pdf_glyphs, worker
from edition.render.pdf import TEMPLATE, _check_ids, _write_principles, book_main, edition_data, preamble, settings
from edition.render.pdf_registers import register_data
from edition.resources import xslt_path

PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


def _bodies(ctx, corpus: Corpus, entities: str) -> list[str]:
    """Each document's key of its Typst markup (made by the workers where it is not cached)."""
    xslt = ctx.hashes.folder(xslt_path("print.xsl").parent)
    keys, todo = [], []
    for number, doc in enumerate(corpus.documents, start=1):
        inputs = {"file": ctx.hashes.file(doc.path), "xslt": xslt, "registers": digest(entities),
                  "number": str(number)}
        keys.append(digest(ctx.tool, doc.id, *inputs.values()))
        named = {f"print-{k}" if k in ("xslt", "registers") else k: v for k, v in inputs.items()}
        ctx.inputs(doc.path, **named)
        if ctx.cache.has_file("typst", keys[-1], ".json") is None:
            ctx.redo("typst", doc.path, **named)
            todo.append((number, doc))
    with ctx.progress.phase("typst", len(keys)) as advance:
        advance(len(keys) - len(todo))
        tasks = [(str(doc.path), doc.id, number, entities) for number, doc in todo]
        for number, data in ctx.pool.run(worker.typst_body, tasks, [n for n, _ in todo]):
            if "error" in data:
                raise EditionError(data["error"], hint=data["hint"])
            ctx.cache.put_json("typst", keys[number - 1], data)
            advance()
    return keys


def _glyphs(ctx, corpus: Corpus, records: dict, work: Path | None, fonts: list[str], common: str) -> bool:
    """Warn about characters that no font has (as Typesetter.check_glyphs does). Without a Typst
    project (`work` None) only a cached answer is used: False means the project is needed."""
    per_document = {doc.path: records[doc.path]["chars"] for doc in corpus.documents}
    chars = sorted(set().union(*per_document.values())) if per_document else []
    key = digest(common, chars)
    found = ctx.cache.get_json("glyphs", key) if work is None else None
    if found is None:
        if work is None:
            return False
        found = worker.glyph_check(str(work), fonts, chars)
        if "failed" in found:
            ctx.reporter.add(warning(corpus.documents[0].path, f"the glyph check failed: {found['failed']}",
                                     "pdf.glyph-check"))
            return True
        ctx.cache.put_json("glyphs", key, found)
    absent = set(found["absent"])
    for path, chars_of in per_document.items():
        diagnostic = pdf_glyphs.report(path, {c: int(line) for c, line in chars_of.items()}, absent)
        if diagnostic:
            ctx.reporter.add(diagnostic)
    return True


def write_pdf(ctx, corpus: Corpus, records: dict, out_dir: Path, work: Path) -> Callable[[], None]:
    """Make what is missing and start the book; returns `finish()`, which waits for the book and puts
    every PDF into `out_dir` (the web edition is built meanwhile). `work`: a new folder for the Typst
    project, inside the build's staging folder so that it goes away with it whatever happens."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    config, reporter, cache = corpus.config, ctx.reporter, ctx.cache
    _check_ids(corpus.documents)
    font_paths = [config.resolve(p) for p in config.pdf.font_paths]
    fonts = [str(p) for p in font_paths if p.is_dir()]
    persons, places, entities = register_data(corpus.registers, config.persons_path, config.places_path)
    paper_checked = cache.get_json("paper", digest(ctx.tool, config.pdf.paper)) is not None
    data = {"settings": settings(config, reporter, font_paths, check_paper=not paper_checked),
            "edition": edition_data(config),
            "persons": persons, "places": places,
            "titles": {str(n): doc.info.title or doc.id for n, doc in enumerate(corpus.documents, start=1)}}
    common = digest(ctx.tool, ctx.hashes.file(TEMPLATE), {k: v for k, v in data.items() if k != "titles"},
                    [ctx.hashes.folder(Path(p)) for p in fonts])
    if not paper_checked:  # settings() raised if Typst does not know the paper
        cache.put_json("paper", digest(ctx.tool, config.pdf.paper), True)
    keys = _bodies(ctx, corpus, entities)
    pdf_inputs = {"pdf-config": digest(data["settings"], data["edition"], fonts),
                  "book-template": ctx.hashes.file(TEMPLATE), "print-registers": digest(persons, places)}
    for doc in corpus.documents:
        ctx.inputs(doc.path, **pdf_inputs)

    # What to compile: the book, then each document alone (both as build_pdf writes them).
    targets = [("edition.pdf", digest(common, "book", keys, data["titles"]), "main.typ", None)]
    for number, (doc, key) in enumerate(zip(corpus.documents, keys), start=1):
        targets.append((f"{doc.id}.pdf", digest(common, "single", key, number, data["titles"][str(number)]),
                        f"single-{number:03d}.typ", (number, doc)))
    todo = [t for t in targets if cache.has_file("pdf", t[1], ".json") is None]
    glyphs_done = _glyphs(ctx, corpus, records, None, fonts, common)

    work.mkdir(parents=True)  # the Typst project: written only when something is to be compiled
    needed = bool(todo) or not glyphs_done
    if needed:
        shutil.copyfile(TEMPLATE, work / "book.typ")
        (work / "docs").mkdir()
    names, principles = [], {}
    for number, key in enumerate(keys, start=1):
        body = cache.get_json("typst", key)
        reporter.extend(worker.diagnostic_from_dict(d) for d in body["diagnostics"])
        name = f"docs/{number:03d}.typ"
        names.append(name)
        if needed:
            (work / name).write_text(body["body"], encoding="utf-8")
        if body["principles"].split("\n", 1)[-1].strip():
            principles.setdefault(body["principles"], []).append(number)
    if needed:
        (work / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if not glyphs_done:
        _glyphs(ctx, corpus, records, work, fonts, common)

    for name, _, main, which in todo:
        if which is None:
            text = book_main(names, _write_principles(work, principles))
        else:
            text = preamble(f'data.titles.at("{which[0]}")') + f'#include "/docs/{which[0]:03d}.typ"\n#imprint()\n'
            ctx.redo("pdf", which[1].path, file=ctx.hashes.file(which[1].path), **pdf_inputs)
        (work / main).write_text(text, encoding="utf-8")

    def store(name: str, key: str, result: dict) -> None:
        if "error" in result:
            raise EditionError(result["error"], hint=result["hint"])
        pdf = cache.path("pdf", key, ".pdf").read_bytes()
        cache.put_json("pdf", key, {"diagnostics": result["diagnostics"], "pages": len(PAGE.findall(pdf))})

    def task(name, key, main, _):
        return (str(work), main, fonts, str(cache.path("pdf", key, ".pdf")), name)

    book = [t for t in todo if t[0] == "edition.pdf"]
    singles = [t for t in todo if t[0] != "edition.pdf"]
    with ctx.progress.phase("pdf", len(targets) - 1) as advance:
        advance(len(targets) - 1 - len(singles))
        # The book (the longest task) in a process of its own, started first; the documents beside it.
        book_result = ctx.pool.alone(worker.compile_pdf, *task(*book[0])) if book else None
        for (name, key, _, _), result in ctx.pool.run(worker.compile_pdf, [task(*t) for t in singles], singles):
            store(name, key, result)
            advance()

    def finish() -> None:
        if book_result is not None:
            with ctx.progress.phase("book", 1) as advance:
                store(book[0][0], book[0][1], book_result.result())
                advance()
        for name, key, _, _ in targets:
            meta = cache.get_json("pdf", key)
            reporter.extend(worker.diagnostic_from_dict(d) for d in meta["diagnostics"])
            if name == "edition.pdf":
                ctx.result.pdf_pages = meta["pages"]
            link_or_copy(cache.path("pdf", key, ".pdf"), out_dir / name)

    return finish
