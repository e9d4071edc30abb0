"""`edition build`: validate, then write the web edition and the print edition — redoing only what changed.

    gather:  validate every file and read its header (in worker processes; cached per file)
    write:   each output into a fresh staging folder beside the old one, from cached results where
             their inputs are unchanged (edition/cache.py), transforming only the rest
    publish: swap the staging folders in only when everything succeeded

A failed or interrupted build therefore leaves the previous `_build/html` and `_build/pdf` as they
were, and the cache holds only complete entries. Documents with errors stop the build, unless
`keep_going` leaves them out of it. The output phases are in
render/html_incremental.py and render/pdf_incremental.py.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from edition.cache import Cache, Hashes, atomic_write, digest, link_tree, tool_version
from edition.config import Config, check_paths
from edition.corpus import Corpus, Document, DocumentInfo, Entity, load_registers
from edition.diagnostics import Diagnostic, DocumentErrors, EditionError, Reporter, Severity, display_path, warning
from edition.documents import find_xml_files
from edition.output import build_lock, check_ownership, publish, remove_stale, staging
from edition.progress import Progress
from edition.render import worker
from edition.render.pool import Pool
from edition.validate import corpus_paths, duplicate_ids, page_name_collisions

OUTPUTS = ("html", "pdf")


@dataclass
class BuildResult:
    corpus: Corpus | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: list[Path] = field(default_factory=list)
    redone: dict[str, dict[str, str]] = field(default_factory=dict)  # phase -> {path: reason}
    pages: int = 0  # web pages written
    pdf_pages: int = 0  # pages of the print volumes (the book)
    cache: Cache | None = None


@contextmanager
def _phase(result: BuildResult, name: str):
    start = time.perf_counter()
    yield
    result.timings[name] = time.perf_counter() - start


def selected_outputs(config: Config, only: str | None) -> list[str]:
    if only is not None and only not in OUTPUTS:
        raise EditionError(f"unknown output '{only}'", hint=f"choose one of: {', '.join(OUTPUTS)}")
    wanted = [only] if only else [o for o in OUTPUTS if o != "pdf" or config.pdf.enabled]
    return wanted


def cache_folder(config: Config) -> Path:
    return config.cache_dir


class Context:
    """What the phases of one build share: cache, file digests, workers, progress, the last build's inputs."""

    def __init__(self, config: Config, reporter: Reporter, result: BuildResult, pool: Pool, progress: Progress,
                 clean: bool) -> None:
        self.config, self.reporter, self.result, self.pool, self.progress = config, reporter, result, pool, progress
        self.cache = Cache(cache_folder(config))
        if clean:  # nothing from earlier builds is used; this build's results are stored for the next
            self.cache.clear()
        self.hashes = Hashes()
        self.tool = tool_version()
        self.previous = {} if clean else self._load_manifest()
        self.manifest: dict[str, dict[str, str]] = {}  # path -> {input name: digest}, for the next build
        self.cleanup: list = []  # what to stop if the build fails (a search indexer still running)
        self.with_pdf = False  # whether the web edition links (and carries) the PDFs

    @property
    def manifest_path(self) -> Path:
        return self.cache.folder / "manifest.json"

    def _load_manifest(self) -> dict:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def save_manifest(self) -> None:
        merged = {**self.previous, **self.manifest}
        atomic_write(self.manifest_path, json.dumps(merged, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def inputs(self, path: Path, **digests: str) -> None:
        self.manifest.setdefault(str(path), {}).update(digests)

    def redo(self, phase: str, path: Path, **digests: str) -> str:
        """Record that `path` is redone in `phase` and say why, comparing with the last build's inputs."""
        before = self.previous.get(str(path))
        if before is None:
            reason = "new"
        else:
            names = {"file": "changed", "schema": "schema changed", "deps": "registers changed",
                     "xslt": "stylesheet changed", "registers": "registers changed", "config": "config changed",
                     "print-xslt": "stylesheet changed", "print-registers": "registers changed",
                     "pdf-config": "config changed", "book-template": "template changed",
                     "documents": "documents added or removed", "number": "position in the book changed",
                     "template": "template changed", "neighbours": "neighbours changed"}
            reason = next((why for name, why in names.items()
                           if name in digests and name in before and before[name] != digests[name]),
                          "not in the cache")
        self.result.redone.setdefault(phase, {})[str(path)] = reason
        self.progress.note(f"{phase}: {display_path(path)}: {reason}")
        return reason


# ------------------------------------------------------------------------------- validate

def _validate(ctx: Context) -> tuple[dict[Path, dict], set[Path]]:
    """Every file's validation record (from the cache or a worker); the files with errors."""
    config = ctx.config
    files, problems = find_xml_files(corpus_paths(config))
    ctx.reporter.extend(problems)
    files = list(dict.fromkeys(f.resolve() for f in files))
    schema = digest(ctx.tool, config.validation.model,
                    *(ctx.hashes.file(p) if p else "none" for p in (config.relaxng_path, config.schematron_path)))
    records: dict[Path, dict] = {}
    todo = []
    for path in files:
        record = ctx.cache.get_json("validate", digest(schema, ctx.hashes.file(path)))
        if record is not None and all(ctx.hashes.file(Path(p)) == h for p, h in record["deps"].items()):
            records[path] = record
            ctx.inputs(path, file=ctx.hashes.file(path), schema=schema, deps=digest(sorted(record["deps"].items())))
        else:
            todo.append(path)
    if todo:
        ctx.pool.prepare()  # documents changed: processes will be needed (a volume at least)
    with ctx.progress.phase("validate", len(files)) as advance:
        advance(len(files) - len(todo))
        for path, record in ctx.pool.run(worker.analyse, [(str(p),) for p in todo], todo):
            if "error" in record:
                raise EditionError(record["error"], hint=record["hint"])
            record["deps"] = {p: ctx.hashes.file(Path(p)) for p in record["deps"]}
            ctx.cache.put_json("validate", digest(schema, ctx.hashes.file(path)), record)
            inputs = {"file": ctx.hashes.file(path), "schema": schema, "deps": digest(sorted(record["deps"].items()))}
            ctx.redo("validate", path, **inputs)
            ctx.inputs(path, **inputs)
            records[path] = record
            advance()
    records = {p: records[p] for p in files}  # file order, whatever order the workers finished in
    failed = set()
    for path, record in records.items():
        diagnostics = [Diagnostic.from_dict(d) for d in record["diagnostics"]]
        ctx.reporter.extend(diagnostics)
        if any(d.severity is Severity.ERROR for d in diagnostics):
            failed.add(path)
    documents = {path: record["id"] for path, record in records.items() if record["kind"] == "document"}
    for d in duplicate_ids({path: record["ids"] for path, record in records.items()}) + page_name_collisions(documents):
        ctx.reporter.add(d)
        failed.add(Path(d.path))
    return records, failed


def _corpus(ctx: Context, records: dict[Path, dict], exclude: set[Path]) -> Corpus:
    """The corpus from the validation records (as edition.corpus.load_corpus reads it from trees)."""
    config = ctx.config
    registers = load_registers(config, ctx.reporter)
    # TEI from elsewhere with no registers: the persons and places the documents declare themselves
    own_entries = config.validation.model == "tei" and not registers.persons and not registers.places
    documents = []
    registers_paths, sources_dir = (config.persons_path, config.places_path), config.sources_dir
    for path, record in records.items():
        if path in exclude or path in registers_paths:
            continue
        if sources_dir not in path.parents or record["kind"] in ("unreadable", "register"):
            continue
        if record["kind"] == "other":
            tag = record["root"]
            ctx.reporter.add(warning(path, f"the root element is <{tag}>, not <TEI>; not published", "corpus.not-tei"))
            continue
        for part in record.get("parts") or [{"id": record["id"], "info": record["info"]}]:  # a teiCorpus: several
            documents.append(Document(path=path, tree=None, id=part["id"], info=DocumentInfo.from_dict(part["info"])))
            if own_entries:
                for data in part.get("entities", []):
                    entity = Entity(**data)
                    (registers.places if entity.kind == "place" else registers.persons)[entity.id] = entity
    # A document without xml:id is named after its file: test.xml in two folders would give two
    # documents the same page and PDF, so the later ones are named after their folders too.
    taken = {doc.id for doc in documents if doc.id != doc.path.stem}
    for doc in documents:
        if doc.id == doc.path.stem and (doc.id in taken):
            relative = doc.path.relative_to(sources_dir).with_suffix("")
            doc.id = "-".join(relative.parts)
        taken.add(doc.id)
    documents.sort(key=lambda d: d.info.sort_key)
    return Corpus(config=config, registers=registers, documents=documents)


# ------------------------------------------------------------------------------- the build

def _with_pdf(ctx: Context, corpus: Corpus, outputs: list[str]) -> bool:
    """Whether the web edition links the PDFs: when they are built now, or when the last print
    edition has every one of them (an older one, after new documents or other volumes, has not:
    its links would be broken, so the site goes without them and says why)."""
    if "pdf" in outputs:
        return True
    folder = ctx.config.output_dir / "pdf"
    if not folder.is_dir():
        return False
    from edition.render import volumes

    expected = [v.file for v in volumes.plan(corpus)] + [f"{doc.id}.pdf" for doc in corpus.documents]
    missing = [name for name in expected if not (folder / name).is_file()]
    if missing:
        message = (f"the web edition links no PDFs: {len(missing)} of the print edition's files are not in "
                   f"this folder (the first: {missing[0]})")
        ctx.reporter.add(warning(folder, message, "html.pdf-outdated", hint="build both (`edition build`), "
                                 "or the print edition (`edition build --only pdf`)"))
    return not missing


def _write(ctx: Context, corpus: Corpus, records: dict[Path, dict], outputs: list[str], stage: Path) -> None:
    """Both outputs into `stage`. What runs on its own (the print volumes in Typst, Pagefind) is
    started first and waited for last, so that it overlaps the rest."""
    from edition.render.html_incremental import write_html
    from edition.render.pdf_incremental import write_pdf

    result = ctx.result
    finish_pdf = finish_html = None
    if "pdf" in outputs:
        with _phase(result, "pdf"):
            finish_pdf = write_pdf(ctx, corpus, records, stage / "pdf", work=stage / "typst")
    if "html" in outputs:
        with _phase(result, "html"):
            ctx.with_pdf = _with_pdf(ctx, corpus, outputs)
            finish_html = write_html(ctx, corpus, records, stage / "html", with_pdf=ctx.with_pdf)
    if finish_pdf is not None:
        with _phase(result, "volumes"):  # waiting for the volumes typeset in their own processes
            finish_pdf()
    if finish_html is not None:
        with _phase(result, "search"):
            finish_html()


def build(config: Config, reporter: Reporter, only: str | None = None, keep_going: bool = False,
          jobs: int | None = None, clean: bool = False, progress: Progress | None = None,
          force: bool = False) -> BuildResult:
    """Validate, write, publish. `force`: files of the editor's in the output folders are carried
    into the new output instead of stopping the build (they are never deleted either way)."""
    outputs = selected_outputs(config, only)
    check_paths(config)  # every path of edition.toml, and an output folder of the build's own
    progress = progress or Progress(quiet=True)
    with build_lock(config.cache_dir, progress.notice):
        remove_stale(config.output_dir)
        keep = check_ownership(config.output_dir, outputs, force)
        return _build(config, reporter, outputs, keep_going, jobs, clean, progress, keep)


def _build(config: Config, reporter: Reporter, outputs: list[str], keep_going: bool, jobs: int | None,
           clean: bool, progress: Progress, keep: dict[str, list[str]]) -> BuildResult:
    result = BuildResult()
    # The workers come from a fork server that may have started before this build, with another
    # environment: the reproducible-build date travels with the settings instead.
    settings = {"relaxng": str(config.relaxng_path or ""), "schematron": str(config.schematron_path or ""),
                "model": config.validation.model,
                "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH")}
    with Pool(jobs or os.cpu_count() or 1, settings) as pool:
        ctx = Context(config, reporter, result, pool, progress, clean)
        result.cache = ctx.cache
        with _phase(result, "validate"):
            records, failed = _validate(ctx)
        if failed and not keep_going:
            raise DocumentErrors(f"{len(failed)} document(s) have errors; nothing was written",
                               hint="fix the errors above, or pass --keep-going to build without those documents")
        result.skipped = sorted(failed)
        result.corpus = corpus = _corpus(ctx, records, failed)
        if not corpus.documents:
            raise EditionError(f"no documents to publish in {config.sources_dir}")

        output_dir = config.output_dir
        with staging(output_dir) as stage:
            try:
                _write(ctx, corpus, records, outputs, stage)
            finally:
                for stop in ctx.cleanup:
                    stop()
            pdf_dir = stage / "pdf" if "pdf" in outputs else output_dir / "pdf"
            if "html" in outputs and ctx.with_pdf:
                # The site carries its PDFs so that it can be published (or opened) on its own.
                link_tree(pdf_dir, stage / "html" / "pdf")
            result.outputs.update(publish(stage, output_dir, outputs, keep))
        ctx.save_manifest()
        ctx.cache.prune()
    return result
