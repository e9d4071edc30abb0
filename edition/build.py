"""`edition build`: validate, then write the web edition and the print edition.

    gather:  validate every document (parsing each once) and read the corpus from those trees
    write:   each output into a fresh staging folder beside the old one
    publish: swap the staging folders in only when everything succeeded

A failed or interrupted build therefore leaves the previous `_build/html` and `_build/pdf` as they
were. Documents with errors stop the build, unless `keep_going` leaves them out of it.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from edition.config import Config
from edition.corpus import Corpus, load_corpus
from edition.diagnostics import EditionError, Reporter

OUTPUTS = ("html", "pdf")


@dataclass
class BuildResult:
    corpus: Corpus | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: list[Path] = field(default_factory=list)


@contextmanager
def _phase(result: BuildResult, name: str):
    start = time.perf_counter()
    yield
    result.timings[name] = time.perf_counter() - start


@contextmanager
def staging(output_dir: Path):
    """A fresh folder next to the output, removed unless its contents were published."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=output_dir))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish(stage: Path, output_dir: Path, name: str) -> Path:
    """Replace `output_dir/name` by `stage/name` with renames, so readers never see half an output."""
    target = output_dir / name
    old = output_dir / f".old-{name}-{time.time_ns()}"
    if target.exists():
        target.rename(old)
    (stage / name).rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def selected_outputs(config: Config, only: str | None) -> list[str]:
    if only is not None and only not in OUTPUTS:
        raise EditionError(f"unknown output '{only}'", hint=f"choose one of: {', '.join(OUTPUTS)}")
    wanted = [only] if only else [o for o in OUTPUTS if o != "pdf" or config.pdf.enabled]
    return wanted


def build(config: Config, reporter: Reporter, only: str | None = None, keep_going: bool = False) -> BuildResult:
    from edition.validate import validate_corpus

    result = BuildResult()
    outputs = selected_outputs(config, only)

    with _phase(result, "validate"):
        validation = validate_corpus(config, reporter)
    if validation.failed and not keep_going:
        raise EditionError(f"{len(validation.failed)} document(s) have errors; nothing was written",
                           hint="fix the errors above, or pass --keep-going to build without those documents")
    result.skipped = sorted(validation.failed)
    result.corpus = corpus = load_corpus(config, reporter, trees=validation.trees, exclude=set(validation.failed))
    if not corpus.documents:
        raise EditionError(f"no documents to publish in {config.sources_dir}")

    output_dir = config.output_dir
    with staging(output_dir) as stage:
        if "pdf" in outputs:
            from edition.render.pdf import build_pdf

            with _phase(result, "pdf"):
                build_pdf(corpus, stage / "pdf", reporter)
        if "html" in outputs:
            from edition.render.html import build_html

            pdf_dir = stage / "pdf" if "pdf" in outputs else output_dir / "pdf"
            with _phase(result, "html"):
                build_html(corpus, stage / "html", reporter, with_pdf=pdf_dir.is_dir())
                if pdf_dir.is_dir():
                    # The site carries its PDFs so that it can be published (or opened) on its own.
                    shutil.copytree(pdf_dir, stage / "html" / "pdf")
        for name in outputs:
            result.outputs[name] = publish(stage, output_dir, name)
    return result
