"""The print edition, rebuilt incrementally from cached parts: the volumes and a PDF per document.

    typst      per document, key: its bytes, every file of the stylesheets, the pointer map of the
               registers, its number in the series
    pdf        per document, key: its Typst markup, book.typ, the settings, the registers, its title
    volume     per volume (edition/render/volumes.py; the book when there is one), key: its
               documents' Typst markup and titles, its title page, book.typ, the settings, the registers
    glyphs     the characters no font has, key: the characters of the corpus and the settings

A correction re-typesets its document's PDF and its volume, no other. Missing parts are made in
worker processes: the volumes first (they take longest), each in a fresh process that ends after
it, because Typst keeps what it has typeset in memory; the per-document PDFs beside them in the
build's workers. PDFs are written into the cache by the workers and hard-linked into the output.
"""

from __future__ import annotations

import re
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

from edition.cache import digest, link_or_copy
from edition.corpus import Corpus
from edition.diagnostics import Diagnostic, EditionError, warning
from edition.render import pdf_glyphs, volumes, worker
from edition.render.pdf import (TEMPLATE, book_main, check_ids, project_data, single_main, start_project,
                                write_principles)
from edition.resources import xslt_path

PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")
# Volumes typeset at once, each in its own process. Measured on 1,000 generated documents of ~10 KB,
# 2 cores (bench/run.py; the build's processes summed): with volumes of 100, a volume's process
# peaks at 350-420 MB and the build with one at a time at 880-910 MB; the volumes are done before
# the web edition is, so a second one at a time would only add memory on two cores.
VOLUME_PROCESSES = 1
SINGLES_PER_WORKER = 250  # documents' PDFs a worker typesets before it is replaced (see write_pdf)


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
    """Warn about characters that no font has. Without a Typst
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


def _volume_reason(before: dict | None, now: dict) -> str:
    """Why a volume is typeset again, from its inputs in the last build and in this one."""
    if before is None:
        return "new"
    for name, why in (("pdf-config", "config changed"), ("book-template", "template changed"),
                      ("print-registers", "registers changed"), ("plan", "its documents or their numbers changed")):
        if before.get(name) != now.get(name):
            return why
    numbers = [name for name in now if name.startswith("No. ") and before.get(name) != now[name]]
    if numbers:
        return ("Nos. " + ", ".join(n[4:] for n in numbers) if len(numbers) > 1 else numbers[0]) + " changed"
    return "not in the cache"


def write_pdf(ctx, corpus: Corpus, records: dict, out_dir: Path, work: Path) -> Callable[[], None]:
    """Make what is missing and start the volumes; returns `finish()`, which waits for the volumes and
    puts every PDF into `out_dir` (the web edition is built meanwhile). `work`: a new folder for the
    Typst project, inside the build's staging folder so that it goes away with it whatever happens."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    config, reporter, cache = corpus.config, ctx.reporter, ctx.cache
    check_ids(corpus.documents)
    font_paths = [config.resolve(p) for p in config.pdf.font_paths]
    fonts = [str(p) for p in font_paths if p.is_dir()]
    paper_checked = cache.get_json("paper", digest(ctx.tool, config.pdf.paper)) is not None
    plan = volumes.plan(corpus)
    several = len(plan) > 1
    data, entities = project_data(config, corpus.registers, corpus.documents, reporter, font_paths,
                                  check_paper=not paper_checked)
    data["volumes"] = [{**v.data(), "title": f"{data['settings']['title']}, Volume {v.number}"} for v in plan]
    # What every PDF depends on; the titles and the volumes are in the keys of those that show them.
    common = digest(ctx.tool, ctx.hashes.file(TEMPLATE),
                    {k: v for k, v in data.items() if k not in ("titles", "volumes")},
                    [ctx.hashes.folder(Path(p)) for p in fonts])
    if not paper_checked:  # settings() raised if Typst does not know the paper
        cache.put_json("paper", digest(ctx.tool, config.pdf.paper), True)
    keys = _bodies(ctx, corpus, entities)
    pdf_inputs = {"pdf-config": digest(data["settings"], data["edition"], fonts),
                  "book-template": ctx.hashes.file(TEMPLATE), "print-registers": digest(data["persons"], data["places"])}
    for doc in corpus.documents:
        ctx.inputs(doc.path, **pdf_inputs)

    # What to compile: each volume (the book, when there is one), then each document alone.
    # A volume's key: its documents' Typst markup (which has their numbers) and titles, what its
    # title page says, the common settings; so a correction re-typesets only its own volume.
    targets, volume_inputs = [], {}
    for index, volume in enumerate(plan):
        numbers = range(volume.first, volume.last + 1)
        shown = data["volumes"][index] if several else None
        key = digest(common, "volume", shown, [keys[n - 1] for n in numbers], [data["titles"][str(n)] for n in numbers])
        main = f"volume-{volume.number:02d}.typ" if several else "main.typ"
        targets.append((volume.file, key, main, ("volume", index)))
        volume_inputs[volume.file] = {**pdf_inputs, "plan": digest(shown, [d.id for d in volume.documents]),
                                      **{f"No. {n}": keys[n - 1] for n in numbers}}
    for number, (doc, key) in enumerate(zip(corpus.documents, keys), start=1):
        targets.append((f"{doc.id}.pdf", digest(common, "single", key, number, data["titles"][str(number)]),
                        f"single-{number:03d}.typ", ("single", number, doc)))
    todo = [t for t in targets if cache.has_file("pdf", t[1], ".json") is None]
    glyphs_done = _glyphs(ctx, corpus, records, None, fonts, common)

    work.mkdir(parents=True)  # the Typst project: written only when something is to be compiled
    needed = bool(todo) or not glyphs_done
    if needed:
        start_project(work, data)
    # The documents the PDFs to make include (after one correction: its volume's, not all of them).
    included = {n for _, _, _, which in todo for n in
                (range(plan[which[1]].first, plan[which[1]].last + 1) if which[0] == "volume" else [which[1]])}
    principles: dict[str, list[int]] = {}
    fallbacks: set[str] = set()  # an element without a print rule is reported once, at its first use
    for number, key in enumerate(keys, start=1):
        body = cache.get_json("typst", key)
        for d in body["diagnostics"]:
            if d["code"] == "pdf.fallback":
                name = d["message"].split(">", 1)[0]
                if name in fallbacks:
                    continue
                fallbacks.add(name)
            reporter.add(Diagnostic.from_dict(d))
        if number in included:
            (work / f"docs/{number:03d}.typ").write_text(body["body"], encoding="utf-8")
        if body["principles"].split("\n", 1)[-1].strip():
            principles.setdefault(body["principles"], []).append(number)
    if not glyphs_done:
        _glyphs(ctx, corpus, records, work, fonts, common)

    for name, _, main, which in todo:
        if which[0] == "volume":
            volume = plan[which[1]]
            inside = set(range(volume.first, volume.last + 1))
            # the editorial principles of its own documents only
            own = {text: [n for n in numbers if n in inside] for text, numbers in principles.items()}
            files = [f"docs/{n:03d}.typ" for n in sorted(inside)]
            text = book_main(files, write_principles(work, {t: n for t, n in own.items() if n},
                                                      prefix=f"principles-{volume.number:02d}"),
                             which[1] if several else None)
            reason = _volume_reason(ctx.previous.get(f"volume {name}"), volume_inputs[name])
            ctx.result.redone.setdefault("volume", {})[name] = reason
            ctx.progress.note(f"volume: {name}: {reason}")
        else:
            number, doc = which[1], which[2]
            text = single_main(number)
            ctx.redo("pdf", doc.path, file=ctx.hashes.file(doc.path), **pdf_inputs)
        (work / main).write_text(text, encoding="utf-8")
    for name, inputs in volume_inputs.items():
        ctx.manifest[f"volume {name}"] = inputs

    def store(name: str, key: str, result: dict) -> None:
        if "error" in result:
            raise EditionError(result["error"], hint=result["hint"])
        pdf = cache.path("pdf", key, ".pdf").read_bytes()
        cache.put_json("pdf", key, {"diagnostics": result["diagnostics"], "pages": len(PAGE.findall(pdf))})

    def task(name, key, main, _):
        return (str(work), main, fonts, str(cache.path("pdf", key, ".pdf")), name)

    books = [t for t in todo if t[3][0] == "volume"]
    singles = [t for t in todo if t[3][0] == "single"]
    with ctx.progress.phase("pdf", len(corpus.documents)) as advance:
        advance(len(corpus.documents) - len(singles))
        # The volumes (the longest tasks) first, each in a fresh process that ends after it (Typst
        # gives its memory back only then); the documents beside them in the workers.
        started = ctx.pool.fresh(worker.compile_pdf, [task(*t) for t in books], VOLUME_PROCESSES)
        # In batches, with new workers for each: Typst's caches grow in a worker with every document
        # it typesets (about 100 MB per 500), which would make memory grow with the edition. With
        # one job too, in a worker when there is more than one batch (the build's own process would
        # keep them all).
        batch = SINGLES_PER_WORKER * ctx.pool.jobs
        for start in range(0, len(singles), batch):
            if start:
                ctx.pool.recycle()
            part = singles[start:start + batch]
            for (name, key, _, _), result in ctx.pool.run(worker.compile_pdf, [task(*t) for t in part], part,
                                                          here=len(singles) <= batch):
                store(name, key, result)
                advance()
    if len(singles) > 1:
        # Typst's caches stay in the workers that typeset the documents (about 100 MB each for 500
        # documents), while the web edition is built beside a volume: new workers for that.
        ctx.pool.recycle()

    def put(name: str, key: str, which: tuple) -> None:
        meta = cache.get_json("pdf", key)
        reporter.extend(Diagnostic.from_dict(d) for d in meta["diagnostics"])
        if which[0] == "volume":
            ctx.result.pdf_pages += meta["pages"]
        link_or_copy(cache.path("pdf", key, ".pdf"), out_dir / name)

    def finish() -> None:
        ctx.result.pdf_pages = 0
        waiting = {name for name, _, _, _ in books}
        for name, key, _, which in targets:  # what is done already, while the volumes are typeset
            if name not in waiting:
                put(name, key, which)
        if books:
            with ctx.progress.phase("volumes", len(books)) as advance:
                for (name, key, _, _), future in zip(books, started):
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        raise EditionError(f"the process typesetting {name} ended unexpectedly",
                                           hint="it may have run out of memory: a smaller [pdf] volume_size "
                                                "needs less") from None
                    store(name, key, result)
                    put(name, key, ("volume",))
                    advance()

    return finish

