"""The print edition's builder: the volumes and a PDF per document, from cached parts where their
inputs are unchanged.

    typst      per document, key: its bytes, every file of the stylesheets, the pointer map of the
               registers, its number in the series (typst-meta: its diagnostics and principles alone)
    volume     per volume (edition/render/volumes.py; the book when there is one), key: its
               documents' Typst markup and titles, its title page, book.typ, the settings, the registers
    pdf        per document, cut out of its volume (render/pdf_cut.py), key: its volume's, its number
               and title (pages: the same cut, by what its pages show and where they are in the
               volume, kept for the next time the volume is typeset)
    glyphs     the characters no font has, key: the characters of the corpus and the settings

Every page is typeset once, in its volume: a document's PDF is its pages of the volume, with the
volume's page numbers (so that a page cited from it is the page of the volume).

Phases, as build.py calls them: `plan` (every key and target: hashing only), `make` (the missing
Typst markup in the workers, and the Typst project), `write` (the volumes started, each in a fresh
process that ends after it, because Typst keeps what it has typeset in memory, and that cuts its
documents' PDFs out of it; the PDFs that are done, hard-linked from the cache into the output),
`finish` (waits for the volumes). The volumes start in `write`, once the workers have ended (the
build ends them after every builder's `make`: a volume's process beside two workers holding Saxon
is what made the peak of memory), or at once in `make` when no workers run (after a correction,
whose few documents are transformed in the build's own process): then the volume, the longest
task, is typeset while the web edition is written. A correction re-typesets its volume, no other,
and cuts again the documents of that volume whose pages changed. PDFs are written into the cache by
the workers.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from edition.cache import digest, link_or_copy
from edition.corpus import Corpus, Document
from edition.diagnostics import Diagnostic, EditionError, Reporter, display_path, warning
from edition.progress import Progress
from edition.render import pdf_cut, pdf_glyphs, volumes, worker
from edition.render.pdf import TEMPLATE, book_main, check_ids, project_data, start_project, write_principles
from edition.render.pool import Pool
from edition.resources import xslt_path
from edition.state import VOLUME, BuildState

PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")
# Volumes typeset at once, each in its own process: one per job. The documents' PDFs are cut out
# of the volumes, so the volumes are all the typesetting there is, and with one at a time a print
# build used one core (measured on 1,000 generated documents of ~10 KB, 2 cores: `build --only pdf`
# spent 325 s of 467 waiting for the volumes one after another, on a loaded machine). A volume of 50
# documents peaks at about 200 MB in its process.

# The inputs of a document's Typst markup and of its PDF, with what `-v` says when one changed.
TYPST_INPUTS = {"file": "changed", "print-xslt": "stylesheet changed", "print-registers": "registers changed",
                "number": "position in the book changed", "plates": "page images changed",
                "reading": "config changed"}
# Plates are printed from the smallest reduced size at least this wide (render/tiles.py): the text
# width of an A4 or letter page (about 150 mm) at 300 dpi.
PLATE_PIXELS = 1800
PDF_INPUTS = {"file": "changed", "print-registers": "registers changed", "pdf-config": "config changed",
              "book-template": "template changed"}


@dataclass
class Target:
    """A PDF to make: a volume (the book, when there is one) or one document alone."""
    file: str  # its name in the output folder
    key: str  # its cache key
    main: str  # its Typst main file
    volume: volumes.Volume | None = None
    index: int = 0  # the volume's place in the plan
    number: int = 0  # the document's number in the series, for a document alone
    doc: Document | None = None
    cut_from: "Target | None" = None  # a document's PDF: the volume it is cut out of
    pages: str = ""  # a document's PDF: the digest of what its pages show, but where they begin (pdf_cut.py)

    @property
    def numbers(self) -> range:
        """The numbers of the documents it includes."""
        if self.volume is not None:
            return range(self.volume.first, self.volume.last + 1)
        return range(self.number, self.number + 1)


class PdfBuilder:
    name = "pdf"

    def __init__(self, state: BuildState, corpus: Corpus, records: dict, out_dir: Path, *, work: Path, pool: Pool,
                 reporter: Reporter, progress: Progress, facsimiles=None, site_copy: Path | None = None) -> None:
        """`work`: a new folder for the Typst project, inside the build's staging folder so that it
        goes away with it whatever happens. `facsimiles`: the FacsimileBuilder (the plates), if any.
        `site_copy`: a second folder each PDF is linked into as it is done (the web edition's pdf/)."""
        self.state, self.corpus, self.records, self.out_dir, self.work = state, corpus, records, Path(out_dir), work
        self.facsimiles, self.site_copy = facsimiles, site_copy
        self.pool, self.reporter, self.progress = pool, reporter, progress
        self.pages_written = 0  # pages of the volumes
        self.books: list[Target] = []  # the volumes to typeset (make)
        self.started: list[Future] = []
        self._when_nearly_done: list[Callable[[], None]] = []  # (when_nearly_done)

    def cancel(self) -> None:
        """Nothing runs on after a failed build: the pool ends the volumes' processes."""

    # ----------------------------------------------------------------------------------- plan

    def plan(self) -> None:
        state, corpus, config, cache = self.state, self.corpus, self.corpus.config, self.state.cache
        check_ids(corpus.documents)
        font_paths = [config.resolve(p) for p in config.pdf.font_paths]
        fonts = [str(p) for p in font_paths if p.is_dir()]
        font_keys = [state.hashes.folder(Path(p)) for p in fonts]
        # A font for scripts the bundled fonts lack (CJK), only when the documents have them.
        extra = pdf_glyphs.fallback(set().union(*(self.records[d.path]["chars"] for d in corpus.documents)))
        if extra:
            font_paths.append(extra.folder)
            fonts.append(str(extra.folder))
            font_keys.append(extra.version)
        self.fonts = fonts
        paper_checked = cache.get_json("paper", digest(state.tool, config.pdf.paper)) is not None
        self.volumes = plan = volumes.plan(corpus)
        several = len(plan) > 1
        data, self.entities = project_data(config, corpus.registers, corpus.documents, self.reporter, font_paths,
                                           check_paper=not paper_checked, fallback=extra)
        data["volumes"] = [{**v.data(), "title": f"{data['settings']['title']}, Volume {v.number}"} for v in plan]
        self.data = data
        # What every PDF depends on; the titles and the volumes are in the keys of those that show them.
        self.common = common = digest(state.tool, state.hashes.file(TEMPLATE),
                                      {k: v for k, v in data.items() if k not in ("titles", "volumes")},
                                      font_keys)
        if not paper_checked:  # settings() raised if Typst does not know the paper
            cache.put_json("paper", digest(state.tool, config.pdf.paper), True)
        self._plan_bodies()
        keys = self.body_keys
        self.pdf_inputs = {"pdf-config": digest(data["settings"], data["edition"], fonts),
                           "book-template": state.hashes.file(TEMPLATE),
                           "print-registers": digest(data["persons"], data["places"])}
        for doc in corpus.documents:
            state.inputs(doc.path, **self.pdf_inputs)

        # What to compile: each volume (the book, when there is one), then each document alone.
        # A volume's key: its documents' Typst markup (which has their numbers) and titles, what its
        # title page says, the common settings; so a correction re-typesets only its own volume.
        self.targets, self.volume_inputs = [], {}
        for index, volume in enumerate(plan):
            numbers = range(volume.first, volume.last + 1)
            shown = data["volumes"][index] if several else None
            key = digest(common, "volume", shown, [keys[n - 1] for n in numbers],
                         [data["titles"][str(n)] for n in numbers])
            main = f"volume-{volume.number:02d}.typ" if several else "main.typ"
            self.targets.append(Target(volume.file, key, main, volume=volume, index=index))
            self.volume_inputs[volume.file] = {**self.pdf_inputs, "plan": digest(shown, [d.id for d in volume.documents]),
                                               **{f"No. {n}": keys[n - 1] for n in numbers}}
        books = self.targets[:]
        book_of = {n: book for book in books for n in book.numbers}
        for number, doc in enumerate(corpus.documents, start=1):
            book, title = book_of[number], data["titles"][str(number)]
            self.targets.append(Target(f"{doc.id}.pdf", digest(book.key, "cut", number, title), "", number=number,
                                       doc=doc, cut_from=book, pages=digest(common, "pages", keys[number - 1], title)))
        missing = [t for t in self.targets if cache.has_file("pdf", t.key, ".json") is None]
        # A volume to typeset: one not in the cache, or (after a cache was pruned by hand) one of
        # whose documents' PDFs is not, cut again when it is typeset.
        self.todo = [b for b in books if any(t is b or t.cut_from is b for t in missing)]
        self.cuts = [t for t in self.targets if t.cut_from is not None and t.cut_from in self.todo]

    def _plan_bodies(self) -> None:
        """Each document's key of its Typst markup, and those not in the cache."""
        state = self.state
        xslt = state.hashes.folder(xslt_path("print.xsl").parent)
        self.body_keys, self.body_todo = [], []
        registers = digest(self.entities)
        for number, doc in enumerate(self.corpus.documents, start=1):
            inputs = {"file": state.hashes.file(doc.path), "print-xslt": xslt,
                      "print-registers": registers, "number": str(number),
                      "plates": digest(self._plates(doc)),
                      "reading": self.corpus.config.pdf.reading}
            self.body_keys.append(digest(state.tool, doc.id, *inputs.values()))
            state.inputs(doc.path, **inputs)
            if state.cache.has_file("typst", self.body_keys[-1], ".json") is None:
                reason = state.redo("typst", doc.path, TYPST_INPUTS, **inputs)
                self.progress.note(f"typst: {display_path(doc.path)}: {reason}")
                self.body_todo.append((number, doc))

    def _plates(self, doc: Document) -> list[dict]:
        """The page images printed after the document ([pdf] facsimiles = "plates"): the cached
        reduced size of each (FacsimileBuilder.plates) and its caption."""
        if self.facsimiles is None or self.corpus.config.pdf.facsimiles != "plates":
            return []
        found = []
        for plate in self.facsimiles.plates(doc, PLATE_PIXELS):
            caption = f"{plate['caption']} (page {plate['number']} of {plate['of']})"
            found.append({"source": plate["file"], "caption": caption + (f". {plate['desc']}" if plate["desc"] else "")})
        return found

    def _write_plates(self, number: int, doc: Document) -> str:
        """The plates' images and captions into the Typst project; the markup that prints them."""
        plates = self._plates(doc)
        if not plates:
            return ""
        shown = []
        for k, plate in enumerate(plates, start=1):
            name = f"plates/{number:03d}-{k:03d}.jpg"
            link_or_copy(Path(plate["source"]), self.work / name)
            shown.append({"file": f"/{name}", "caption": plate["caption"]})
        (self.work / f"plates/{number:03d}.json").write_text(json.dumps(shown, ensure_ascii=False), encoding="utf-8")
        return f'\n#plates(json("/plates/{number:03d}.json"))\n'

    # ----------------------------------------------------------------------------------- make

    def make(self) -> None:
        self._make_bodies()
        glyphs_done = self._glyphs(None)
        work, todo = self.work, self.todo
        work.mkdir(parents=True)  # the Typst project: written only when something is to be compiled
        if todo or not glyphs_done:
            start_project(work, self.data)
        # The documents the PDFs to make include (after one correction: its volume's, not all of them):
        # their markup into the project. Of the others only the small meta entries are read (their
        # diagnostics and principles): at 10,000 documents their markup is 85 MB of JSON.
        included = {n for target in todo for n in target.numbers}
        principles: dict[str, list[int]] = {}
        metas = []
        for number, key in enumerate(self.body_keys, start=1):
            if number in included:  # (its markup is read below; its meta stays, for the next build)
                self.state.cache.keep("typst-meta", key)
                meta = None
            else:
                meta = self.state.cache.get_json("typst-meta", key)
            if meta is None:
                meta = self.state.cache.get_json("typst", key)
                if number not in included:  # (an entry of an earlier version, or of a build killed between
                    # the worker's two writes: its meta, for the next build)
                    self.state.cache.put_json("typst-meta", key, worker.typst_meta(meta))
            if number in included:
                plates = self._write_plates(number, self.corpus.documents[number - 1])
                (work / f"docs/{number:03d}.typ").write_text(meta.pop("body") + plates, encoding="utf-8")
            metas.append(meta)
            if meta["principles"].split("\n", 1)[-1].strip():
                principles.setdefault(meta["principles"], []).append(number)
        self.state.cache.let_go("typst-meta")
        if not glyphs_done:
            self._glyphs(work)
        for target in todo:
            (work / target.main).write_text(self._main_file(target, principles), encoding="utf-8")
        for name, inputs in self.volume_inputs.items():
            self.state.manifest[VOLUME + name] = inputs
        self.books = list(todo)
        if not self.pool.working:  # (else in `write`, once the workers have ended)
            self._compile()
        fallbacks: set[str] = set()  # an element without a print rule is reported once, at its first use
        for meta in metas:
            for d in meta["diagnostics"]:
                if d["code"] == "pdf.fallback":
                    name = d["message"].split(">", 1)[0]
                    if name in fallbacks:
                        continue
                    fallbacks.add(name)
                self.reporter.add(Diagnostic.from_dict(d))

    def _make_bodies(self) -> None:
        """The missing Typst markup, which the workers write into the cache (as the web builder's
        fragments: the markup does not cross to the build's process)."""
        keys, todo, cache = self.body_keys, self.body_todo, self.state.cache
        with self.progress.phase("typst", len(keys)) as advance:
            advance(len(keys) - len(todo))
            reading = self.corpus.config.pdf.reading
            tasks = [(str(doc.path), doc.id, number, self.entities, worker.shown(doc.info), reading,
                      [str(cache.path(kind, keys[number - 1], ".json")) for kind in ("typst", "typst-meta")])
                     for number, doc in todo]
            for number, data in self.pool.run(worker.typst_body, tasks, [n for n, _ in todo]):
                if "error" in data:
                    raise EditionError(data["error"], hint=data["hint"])
                advance()

    def _glyphs(self, work: Path | None) -> bool:
        """Warn about characters that no font has. Without a Typst project (`work` None) only a
        cached answer is used: False means the project is needed."""
        corpus, cache = self.corpus, self.state.cache
        per_document = {doc.path: self.records[doc.path]["chars"] for doc in corpus.documents}
        chars = sorted(set().union(*per_document.values())) if per_document else []
        key = digest(self.common, chars)
        found = cache.get_json("glyphs", key) if work is None else None
        if found is None:
            if work is None:
                return False
            found = worker.glyph_check(str(work), self.fonts, chars)
            if "failed" in found:
                self.reporter.add(warning(corpus.documents[0].path, f"the glyph check failed: {found['failed']}",
                                          "pdf.glyph-check"))
                return True
            cache.put_json("glyphs", key, found)
        absent = set(found["absent"])
        for path, chars_of in per_document.items():
            diagnostic = pdf_glyphs.report(path, {c: int(line) for c, line in chars_of.items()}, absent)
            if diagnostic:
                self.reporter.add(diagnostic)
        return True

    def _note_cut(self, target: Target) -> None:
        """Why a document's PDF is cut again (what -v prints), once its volume is typeset: its own
        inputs changed, or only its volume's (another of its documents changed, and its own pages
        are not as they were)."""
        state, doc = self.state, target.doc
        reason = state.redo("pdf", doc.path, PDF_INPUTS, file=state.hashes.file(doc.path), **self.pdf_inputs)
        if reason == "not in the cache" and target.cut_from is not None:
            reason = state.redone["pdf"][str(doc.path)] = f"cut again from {target.cut_from.file}"
        self.progress.note(f"pdf: {display_path(doc.path)}: {reason}")

    def _main_file(self, target: Target, principles: dict[str, list[int]]) -> str:
        """The main file of a volume to typeset, and why it is typeset (what -v prints)."""
        state = self.state
        inside = set(target.numbers)
        # the editorial principles of its own documents only
        own = {text: [n for n in numbers if n in inside] for text, numbers in principles.items()}
        files = [f"docs/{n:03d}.typ" for n in sorted(inside)]
        text = book_main(files, write_principles(self.work, {t: n for t, n in own.items() if n},
                                                 prefix=f"principles-{target.volume.number:02d}"),
                         target.index if len(self.volumes) > 1 else None)
        reason = volume_reason(state.previous.get(VOLUME + target.file), self.volume_inputs[target.file])
        state.redone.setdefault("volume", {})[target.file] = reason
        self.progress.note(f"volume: {target.file}: {reason}")
        return text

    def _task(self, target: Target) -> tuple:
        cache = self.state.cache
        cuts = [(t.doc.id, self.data["titles"][str(t.number)], cache.name("pdf", t.key, ".pdf"), t.pages)
                for t in self._cuts_of(target)]
        return (str(self.work), target.main, self.fonts, cache.name("pdf", target.key, ".pdf"),
                target.file, cuts, str(cache.folder))

    def _cuts_of(self, target: Target) -> list[Target]:
        return [t for t in self.targets if t.cut_from is target]

    def _store(self, target: Target, result: dict) -> None:
        """A typeset volume's entry, and those of the documents' PDFs cut out of it."""
        if "error" in result:
            raise EditionError(result["error"], hint=result["hint"])
        cache = self.state.cache
        ranges, kept = result["ranges"], set(result["kept"])
        for cut in self._cuts_of(target):
            first, last = ranges[cut.doc.id]
            cache.put_json("pdf", cut.key, {"diagnostics": [], "pages": last - first + 1, "from": [first, last],
                                            "kept": pdf_cut.kept_key(cut.pages, [first, last])})
            if cut.doc.id not in kept:
                self._note_cut(cut)
        pdf = cache.path("pdf", target.key, ".pdf").read_bytes()
        cache.put_json("pdf", target.key, {"diagnostics": result["diagnostics"], "pages": len(PAGE.findall(pdf)),
                                           "ranges": ranges})

    def _compile(self) -> None:
        """Start the volumes (the longest tasks), each in a fresh process that ends after it (Typst
        gives its memory back only then) and cuts its documents' PDFs out of it; the web edition is
        written beside them."""
        self.started = self.pool.fresh(worker.compile_pdf, [self._task(t) for t in self.books], self.pool.jobs)

    # ----------------------------------------------------------------------------------- write

    def _put(self, target: Target) -> None:
        meta = self.state.cache.get_json("pdf", target.key)
        self.reporter.extend(Diagnostic.from_dict(d) for d in meta["diagnostics"])
        if "kept" in meta:  # (the same pages, for the next time the volume is typeset: not pruned)
            self.state.cache.keep("pages", meta["kept"], ".pdf")
        if target.volume is not None:
            self.pages_written += meta["pages"]
        cached = self.state.cache.path("pdf", target.key, ".pdf")
        link_or_copy(cached, self.out_dir / target.file)
        if self.site_copy is not None:
            link_or_copy(cached, self.site_copy / target.file)

    def write(self) -> None:
        """The volumes started (if `make` did not), then the PDFs that are done into the output
        folder, while the volumes are typeset."""
        if self.books and not self.started:
            self._compile()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        waiting = {t.file for t in self.books} | {t.file for t in self.cuts}
        for target in self.targets:
            if target.file not in waiting:
                self._put(target)

    # ----------------------------------------------------------------------------------- finish

    def when_nearly_done(self, function: Callable[[], None]) -> None:
        """Call `function()` in `finish`, as soon as fewer volumes are left to typeset than run at
        once: from then on a process's worth of memory is free (the web builder's search index)."""
        self._when_nearly_done.append(function)

    def _nearly_done(self) -> None:
        while self._when_nearly_done:
            self._when_nearly_done.pop(0)()

    def finish(self) -> None:
        """Wait for the volumes and put them into the output folder."""
        if not self.books:
            self._nearly_done()
            return
        with self.progress.phase("volumes", len(self.books)) as advance:
            for done, (target, future) in enumerate(zip(self.books, self.started), start=1):
                try:
                    result = future.result()
                except BrokenProcessPool:
                    raise EditionError(f"the process typesetting {target.file} ended unexpectedly",
                                       hint="it may have run out of memory: a smaller [pdf] volume_size "
                                            "needs less") from None
                self._store(target, result)
                self._put(target)
                for cut in self._cuts_of(target):
                    self._put(cut)
                advance()
                if len(self.books) - done < self.pool.jobs:  # (those left: fewer than run at once)
                    self._nearly_done()


def volume_reason(before: dict | None, now: dict) -> str:
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
