"""A rebuild with nothing to do, answered before any work: no worker pool, no XSLT processor, no
Typst, no staging folder, no Pagefind.

    fingerprint = inputs(config, options)          before the build: everything it reads
    record = check(config, fingerprint)            the last build's answer, if still true
    remember(config, fingerprint, result, reporter)  after a build that published its outputs

The last successful build leaves `unchanged.json` in the cache folder: the fingerprint of its
inputs, the listing of the output folder as it left it (every file's size and modification time)
and what it said (its summary and diagnostics). A build whose inputs have the same fingerprint and
finds the output folder as listed would redo nothing and write the same files, so it says what the
last one said and stops. Anything else, and the build runs as always (and checks every document).

The inputs: edition.toml and the options that change the output (not the number of jobs); every
file below the sources folder and each file or folder named in edition.toml (content for XML,
Markdown, CSS, XSLT, RELAX NG, Schematron; size and time for images and fonts, which are large);
the tool itself (its version, those of the engines, and the size and time of every file of its
package, stylesheets and schemas: an edited checkout counts as another tool); the reproducible-build
date. The fingerprint is taken before the build reads anything, so a file changed while a build
runs makes the next one run.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from edition.cache import atomic_write, tool_version
from edition.resources import PACKAGE_DIR, data_dir

NAME = "unchanged.json"
CONTENT = (".xml", ".md", ".css", ".xsl", ".xslt", ".rng", ".sch", ".toml", ".html", ".j2", ".txt", ".json")


def _walk(path: str, found: list[tuple[str, os.stat_result]]) -> None:
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=True):
                    _walk(entry.path, found)
                elif entry.is_file(follow_symlinks=True):
                    found.append((entry.path, entry.stat()))
    except NotADirectoryError:
        found.append((path, os.stat(path)))
    except FileNotFoundError:
        pass


def _add_tree(h, path: Path, contents: bool) -> None:
    """Every file below `path` (or the file `path`): its name and its content, or its size and time."""
    found: list[tuple[str, os.stat_result]] = []
    _walk(os.fspath(path), found)
    h.update(f"\0{path}\0{len(found)}".encode())
    for name, stat in sorted(found, key=lambda item: item[0]):
        h.update(f"\0{name}\0{stat.st_size}".encode())
        if contents and name.lower().endswith(CONTENT):
            with open(name, "rb") as handle:
                h.update(hashlib.sha256(handle.read()).digest())
        else:
            h.update(f"\0{stat.st_mtime_ns}".encode())


def inputs(config, options: dict) -> str:
    """The fingerprint of everything a build of `config` with `options` reads."""
    from importlib import metadata

    h = hashlib.sha256()
    extra = []
    for package in ("pypdf", "noto-cjk-sans-otc", "Pillow"):
        try:
            extra.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            extra.append(f"{package} -")
    h.update(json.dumps([tool_version(), extra, options, os.environ.get("SOURCE_DATE_EPOCH"),
                         sorted((k, v) for k, v in os.environ.items() if k.startswith("EDITION_"))]).encode())
    for folder in (PACKAGE_DIR, data_dir("xslt"), data_dir("schemas")):
        _add_tree(h, folder, contents=False)
    where = config.path or config.root / "edition.toml"
    _add_tree(h, Path(where), contents=True)
    named = [config.sources_dir, config.persons_path, config.places_path, config.facsimiles_dir]
    for value in (config.edition.introduction, config.validation.relaxng, config.validation.schematron,
                  config.html.templates, config.html.css, config.html.stylesheet, *config.pdf.font_paths):
        if value:
            named.append(config.resolve(value))
    if config.html.stylesheet:  # a project stylesheet imports its neighbours
        named.append(config.resolve(config.html.stylesheet).parent)
    for path in named:
        _add_tree(h, path, contents=True)
    return h.hexdigest()


def listing(output_dir: Path) -> str:
    """The output folder as it is: every file of html/ and pdf/ and the build's record of them."""
    h = hashlib.sha256()
    for name in ("html", "pdf", ".edition-output.json"):
        found: list[tuple[str, os.stat_result]] = []
        _walk(os.fspath(output_dir / name), found)
        h.update(f"\0{name}\0{len(found)}".encode())
        for path, stat in sorted(found, key=lambda item: item[0]):
            h.update(f"\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}".encode())
    return h.hexdigest()


def _path(config) -> Path:
    return config.cache_dir / NAME


def check(config, fingerprint: str) -> dict | None:
    """What the last build said, when this build would do exactly what it did; else None."""
    try:
        record = json.loads(_path(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("inputs") != fingerprint:
        return None
    if record.get("outputs") != listing(config.output_dir):
        return None
    return record


def forget(config) -> None:
    """Before a build runs: its record goes (it is written again when the build succeeds)."""
    try:
        os.unlink(_path(config))
    except FileNotFoundError:
        pass


def remember(config, fingerprint: str, result, reporter) -> None:
    record = {"inputs": fingerprint, "outputs": listing(config.output_dir),
              "documents": result.documents, "pages": result.pages, "pdf_pages": result.pdf_pages,
              "outputs_written": {name: str(path) for name, path in result.outputs.items()},
              "skipped": [str(p) for p in result.skipped],
              "diagnostics": [d.as_dict(display=False) for d in reporter.diagnostics]}
    atomic_write(_path(config), json.dumps(record, ensure_ascii=False).encode("utf-8"))
