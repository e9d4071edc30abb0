"""`edition build`: validate, then write the web edition and the print edition — redoing only what changed.

    gather:   validate every file and read what the builders need (edition/gather.py: in worker
              processes, each file once per change, cached)
    builders: for each output (render/pdf_builder.py, render/html_builder.py), in a fresh staging
              folder beside the old output:
                plan    targets and their cache keys (hashing only)
                make    the missing work, in the workers
              then, the workers ended (their work is done, and each holds Saxon), for each:
                write   the output files, hard-linked from the cache or rendered
              then `finish` for each: wait for what runs beside the rest (the volumes, Pagefind)
    publish:  swap the staging folders in only when everything succeeded

Before all of it, a rebuild whose inputs and outputs are as the last build left them stops at once,
saying what that build said (edition/unchanged.py): no pool is started, nothing is imported that
only the work needs.

A failed or interrupted build therefore leaves the previous `_build/html` and `_build/pdf` as they
were, and the cache holds only complete entries. Documents with errors stop the build, unless
`keep_going` leaves them out of it. What the builders share is a BuildState (edition/state.py);
the worker pool, the reporter and the progress display are handed to each.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from edition import unchanged
from edition.cache import Cache, link_tree
from edition.config import Config, check_paths
from edition.diagnostics import Diagnostic, DocumentErrors, EditionError, Reporter, Severity, display_path, warning
from edition.output import build_lock, check_ownership, publish, remove_stale, removing, staging
from edition.progress import Progress

if TYPE_CHECKING:  # the modules of the work itself are imported when there is work (see build)
    from edition.corpus import Corpus
    from edition.render.pool import Pool
    from edition.state import BuildState

OUTPUTS = ("html", "pdf")
FINISHING = {"pdf": "volumes", "html": "search"}  # the timing of each builder's `finish`


@dataclass
class BuildResult:
    corpus: "Corpus | None" = None  # None when nothing had changed (unchanged.py)
    documents: int = 0  # documents published
    outputs: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: list[Path] = field(default_factory=list)
    redone: dict[str, dict[str, str]] = field(default_factory=dict)  # phase -> {path: reason}
    pages: int = 0  # web pages written
    pdf_pages: int = 0  # pages of the print volumes (the book)
    cache: Cache | None = None


@contextmanager
def _phase(result: BuildResult, name: str):
    """Time a phase; a builder's parts (plan and make, then write) add up to its time."""
    start = time.perf_counter()
    yield
    result.timings[name] = result.timings.get(name, 0.0) + time.perf_counter() - start


def selected_outputs(config: Config, only: str | None) -> list[str]:
    if only is not None and only not in OUTPUTS:
        raise EditionError(f"unknown output '{only}'", hint=f"choose one of: {', '.join(OUTPUTS)}")
    wanted = [only] if only else [o for o in OUTPUTS if o != "pdf" or config.pdf.enabled]
    return wanted


def cache_folder(config: Config) -> Path:
    return config.cache_dir


# ------------------------------------------------------------------------------- the build

def _with_pdf(config: Config, reporter: Reporter, corpus: Corpus, outputs: list[str]) -> bool:
    """Whether the web edition links the PDFs: when they are built now, or when the last print
    edition has every one of them (an older one, after new documents or other volumes, has not:
    its links would be broken, so the site goes without them and says why)."""
    if "pdf" in outputs:
        return True
    folder = config.output_dir / "pdf"
    if not folder.is_dir():
        return False
    from edition.render import volumes

    expected = [v.file for v in volumes.plan(corpus)] + [f"{doc.id}.pdf" for doc in corpus.documents]
    missing = [name for name in expected if not (folder / name).is_file()]
    if missing:
        message = (f"the web edition links no PDFs: {len(missing)} of the print edition's files are not in "
                   f"this folder (the first: {missing[0]})")
        reporter.add(warning(folder, message, "html.pdf-outdated", hint="build both (`edition build`), "
                                 "or the print edition (`edition build --only pdf`)"))
    return not missing


def builders(state: "BuildState", corpus: "Corpus", records: dict[Path, dict], outputs: list[str], stage: Path,
             pool: "Pool", reporter: Reporter, progress: Progress) -> list:
    """The output builders: the facsimiles first, when documents have page images (the others show
    them), then print: its volumes are typeset beside the web edition's pages."""
    from edition.render.facsimile_builder import FacsimileBuilder
    from edition.render.html_builder import HtmlBuilder
    from edition.render.pdf_builder import PdfBuilder

    found: list = []
    facsimiles = None
    if any(part.get("pages") for record in records.values() for part in record.get("parts") or []):
        facsimiles = FacsimileBuilder(state, corpus, records, stage / "html" if "html" in outputs else None,
                                      pool=pool, reporter=reporter, progress=progress)
        found.append(facsimiles)
    if "pdf" in outputs:
        # the site carries the PDFs when they are built now (_with_pdf)
        site_copy = stage / "html" / "pdf" if "html" in outputs else None
        printing = PdfBuilder(state, corpus, records, stage / "pdf", work=stage / "typst", pool=pool,
                              reporter=reporter, progress=progress, facsimiles=facsimiles, site_copy=site_copy)
        found.append(printing)
    else:
        printing = None
    if "html" in outputs and state.config.edition.url.strip():  # DTS ids are URIs under the edition's address
        from edition.render.dts import DtsBuilder

        found.append(DtsBuilder(state, corpus, records, stage / "html", pool=pool, reporter=reporter,
                                progress=progress))
    if "html" in outputs:
        found.append(HtmlBuilder(state, corpus, records, stage / "html", pool=pool, reporter=reporter,
                                 progress=progress, with_pdf=_with_pdf(state.config, reporter, corpus, outputs),
                                 facsimiles=facsimiles, printing=printing))
    return found


def _warned(reporter: Reporter) -> set[Path]:
    return {Path(d.path).resolve() for d in reporter.diagnostics if d.severity is Severity.WARNING}


def _stopped(config: Config, records: dict[Path, dict], failed: set[Path], strict: bool) -> tuple[str, str]:
    """What an editor is told when documents with errors stop the build: every file was checked (all
    the errors are above), which files they are, that nothing was built and the last edition is
    untouched, and how to publish the others."""
    names = [display_path(p) for p in sorted(failed)]
    listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    what = "errors (or, with --strict, warnings)" if strict else "errors"
    others = len(records) - len(failed)
    message = (f"{len(failed)} of {len(records)} file(s) have {what}: {listed}; nothing was built "
               f"({display_path(config.output_dir)} is as it was)")
    hint = ("fix the errors above and build again" + (f", or pass --keep-going to publish the other {others} "
            "file(s) without them" if others else ""))
    return message, hint


def build(config: Config, reporter: Reporter, only: str | None = None, keep_going: bool = False,
          jobs: int | None = None, clean: bool = False, progress: Progress | None = None,
          force: bool = False, strict: bool = False) -> BuildResult:
    """Validate, write, publish. `force`: files of the editor's in the output folders are carried
    into the new output instead of stopping the build (they are never deleted either way).
    `strict`: a document with warnings counts as one with errors (a draft's completeness rules,
    warnings while it is a draft, are then errors again)."""
    outputs = selected_outputs(config, only)
    check_paths(config)  # every path of edition.toml, and an output folder of the build's own
    progress = progress or Progress(quiet=True)
    with build_lock(config.cache_dir, progress.notice):
        start = time.perf_counter()
        fingerprint = unchanged.inputs(config, {"outputs": outputs, "keep_going": keep_going, "force": force,
                                                "strict": strict})
        record = None if clean else unchanged.check(config, fingerprint)
        if record is not None:
            return _as_before(record, reporter, progress, time.perf_counter() - start)
        remove_stale(config.output_dir)
        keep = check_ownership(config.output_dir, outputs, force)
        unchanged.forget(config)  # (kept when the build refuses to start: nothing was touched)
        return _build(config, reporter, outputs, keep_going, jobs, clean, progress, keep, strict, fingerprint)


def _as_before(record: dict, reporter: Reporter, progress: Progress, seconds: float) -> BuildResult:
    """Nothing changed since the last build: what it said, and its outputs as they are."""
    progress.note("nothing changed since the last build: its inputs and its output folder are as it left them")
    reporter.extend(Diagnostic.from_dict(d) for d in record["diagnostics"])
    return BuildResult(outputs={name: Path(path) for name, path in record["outputs_written"].items()},
                       timings={"check": seconds}, skipped=[Path(p) for p in record["skipped"]],
                       documents=record["documents"], pages=record["pages"], pdf_pages=record["pdf_pages"])


def _build(config: Config, reporter: Reporter, outputs: list[str], keep_going: bool, jobs: int | None,
           clean: bool, progress: Progress, keep: dict[str, list[str]], strict: bool, fingerprint: str) -> BuildResult:
    from edition.gather import gather, read_corpus
    from edition.render.pool import Pool
    from edition.state import BuildState

    result = BuildResult()
    # The workers come from a fork server that may have started before this build, with another
    # environment: the reproducible-build date travels with the settings instead.
    settings = {"relaxng": str(config.relaxng_path or ""), "schematron": str(config.schematron_path or ""),
                "model": config.validation.model,
                "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH")}
    with Pool(jobs or os.cpu_count() or 1, settings) as pool:
        state = BuildState.start(config, Cache(cache_folder(config)), clean)
        result.cache, result.redone = state.cache, state.redone
        with _phase(result, "validate"):
            records, failed = gather(state, pool, reporter, progress)
        if strict:
            failed |= _warned(reporter) & set(records)
        if failed and not keep_going:
            message, hint = _stopped(config, records, failed, strict)
            raise DocumentErrors(message, hint=hint)
        result.skipped = sorted(failed)
        result.corpus = corpus = read_corpus(config, records, failed, reporter)
        if not corpus.documents:
            raise EditionError(f"no documents to publish in {config.sources_dir}")
        result.documents = len(corpus.documents)

        output_dir = config.output_dir
        replaced: list[Path] = []  # the outputs published before, removed while the rest is done
        with staging(output_dir) as stage:
            todo = builders(state, corpus, records, outputs, stage, pool, reporter, progress)
            try:
                _build_and_publish(todo, pool, result, stage, output_dir, outputs, keep, replaced)
            except BaseException:
                for builder in todo:  # what a builder borrowed from the published output goes back
                    if hasattr(builder, "restore"):
                        builder.restore()
                raise
        # (the files of the replaced outputs and the cache entries no longer used are removed
        # meanwhile: thousands of files, more than a second at 10,000 documents)
        with removing(replaced, state.cache.prune):
            state.save_manifest()
            state.cache.write_gathered()
            unchanged.remember(config, fingerprint, result, reporter)
    return result


def _build_and_publish(todo: list, pool: "Pool", result: BuildResult, stage: Path, output_dir: Path,
                       outputs: list[str], keep: dict[str, list[str]], replaced: list[Path]) -> None:
    """Each builder's phases, then the swap of the staging folders into the output. The workers end
    once every builder has made its part: each holds a Saxon processor with the stylesheets and the
    schemas (~250 MB), which nothing after `make` uses, while the volumes are typeset beside the
    rest, each in a process of its own (render/pdf_builder.py: they start now, if the workers ran)."""
    try:
        for builder in todo:
            with _phase(result, builder.name):
                builder.plan()
                builder.make()
        pool.recycle()
        for builder in todo:
            with _phase(result, builder.name):
                builder.write()
        for builder in todo:  # what runs beside the rest: the volumes, the search index
            if builder.name in FINISHING:
                with _phase(result, FINISHING[builder.name]):
                    builder.finish()
    finally:
        for builder in todo:
            builder.cancel()
    for builder in todo:
        if builder.name == "html":
            result.pages = builder.pages_written
        elif builder.name == "pdf":
            result.pdf_pages = builder.pages_written
    if "pdf" not in outputs and any(builder.name == "html" and builder.with_pdf for builder in todo):
        # The site carries its PDFs so that it can be published (or opened) on its own (when they are
        # built now, the print builder links each into the site too: `site_copy`).
        link_tree(output_dir / "pdf", stage / "html" / "pdf")
    result.outputs.update(publish(stage, output_dir, outputs, keep, replaced))
