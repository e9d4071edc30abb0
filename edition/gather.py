"""The build's first phase: validate every file and read what the builders need from it, once.

    records, failed = gather(state, pool, reporter, progress)   # in the workers; cached per file
    corpus = read_corpus(config, records, failed, reporter)

`analyse` validates one file as `edition validate` does (edition/validate.py's checks) and returns
its record: the diagnostics, the files its pointers lead into (its validation depends on their
ids), the files it links to, its ids, its header (DocumentInfo) and what the print edition's glyph
check and the guidelines' examples need. A record is cached under the file's and the schemas'
digests, so each document is parsed once per change, in a worker.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from edition import facsimile
from edition.cache import Hashes, atomic_write, digest, json_bytes
from edition.config import Config
from edition.corpus import Corpus, Document, DocumentInfo, documents_in, is_register, read_info
from edition.diagnostics import Diagnostic, EditionError, Reporter, Severity, display_path, warning
from edition.documents import XML_ID, SourceLines, find_xml_files, parse_file
from edition.progress import Progress
from edition.registers import Entity, document_entities, load_registers
from edition.render import worker
from edition.render.pool import Pool
from edition.state import VALIDATE_INPUTS, BuildState
from edition.validate import (URI_SCHEME, PointerTargets, check_tree, corpus_ids, corpus_paths, duplicate_ids,
                              load_relaxng, load_schematron, page_name_collisions)

_registers = None  # per process: the register files, parsed once, on demand


_hashes = Hashes()  # per process and build: the digests of the files records depend on (the registers)


def forget() -> None:
    """A new build in this process: the registers are read and hashed again."""
    global _registers, _hashes
    _registers = None
    _hashes = Hashes()
    _resolved.clear()


POINTER_ATTRIBUTES = ("ref", "who", "sameAs", "resp")
_resolved: dict[tuple[Path, str], str] = {}  # per process: (folder, file part) -> the file it names


def _pointer_files(tree, path: Path) -> list[str]:
    """The files this document's pointers lead into: its validation depends on their ids. (The
    elements visited with iter(), not XPath: see validate.pointer_diagnostics; each file name
    resolved once per process, not once per document: the same two registers, mostly.)"""
    parts = set()
    for element in tree.iter(etree.Element):
        if not element.attrib:
            continue
        get = element.get
        for attribute in POINTER_ATTRIBUTES:
            value = get(attribute)
            if value is None:
                continue
            value = value.strip()
            if value and not value.startswith("#"):
                parts.add(value.partition("#")[0])
    folder = path.parent
    found = set()
    for part in parts:
        if not part or URI_SCHEME.match(part):
            continue
        key = (folder, part)
        if key not in _resolved:
            _resolved[key] = str((folder / unquote(part)).resolve())
        found.add(_resolved[key])
    return sorted(found)


def _linked_names(tree) -> list[str]:
    """The file names (decoded, without folders) of the *.xml files any attribute points to: the
    documents this one can link to."""
    names = set()
    for element in tree.iter(etree.Element):
        if not element.attrib:
            continue
        for value in element.values():
            if ".xml" in value:
                for token in value.split():
                    name = unquote(token.partition("#")[0].rsplit("/", 1)[-1])
                    if name.endswith(".xml"):
                        names.add(name)
    return sorted(names)


def analyse(path: str, entry: str | None = None) -> dict:
    """Validate one file (as `edition validate` does) and read what the outputs need from it.

    Its "deps": {file: digest}. `entry`: the build's cache file for the record, which the worker
    writes itself (the build's own process would otherwise write a thousand entries one after
    another while the workers wait for it)."""
    from edition.guidelines import element_names
    from edition.render.pdf_glyphs import characters

    global _registers
    settings = worker.settings
    file = Path(path)
    record = {"path": path, "kind": "unreadable", "deps": [], "ids": [], "id": "", "root": "",
              "chars": {}, "elements": [[], []]}
    try:
        tree, problems = parse_file(file)
        diagnostics = list(problems)
        if tree is not None:
            rng_path = Path(settings["relaxng"]) if settings["relaxng"] else None  # model "tei": maybe none
            rng = load_relaxng(rng_path) if rng_path else None
            sch = load_schematron(Path(settings["schematron"])) if settings["schematron"] else None
            if _registers is None:
                _registers = PointerTargets({})  # register files parsed once per process, on demand
            source = SourceLines(file)  # read only when a diagnostic needs a column, as `edition validate` does
            diagnostics.extend(check_tree(tree, file, source, rng, rng_path, sch, _registers,
                                          settings.get("model", "edition")))
            # the page images too: a replaced or removed image is checked again
            record["deps"] = _pointer_files(tree, file) + facsimile.image_files(tree, file)
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
                        if settings.get("model") == "tei" else []
                    info = read_info(element, {e.local: e.id for e in entities})
                    record["parts"].append({"id": doc_id, "info": info.as_dict(), "key": info.key,
                                            "pages": [p.as_dict() for p in facsimile.pages(element, file)],
                                            "entities": [dataclasses.asdict(e) for e in entities]})
                record["id"] = record["parts"][0]["id"]
                record["chars"] = characters(tree)
            else:
                record["kind"] = "other"
        record["diagnostics"] = [d.as_dict(display=False) for d in diagnostics]
    except EditionError as exc:  # a schema that does not compile: the build stops with its message
        return worker.failure(exc)
    record["deps"] = {p: _hashes.file(p) for p in record["deps"]}
    if entry is not None:
        atomic_write(entry, json_bytes(record))
    return record


CHUNK = 25  # files per task sent to a worker: one task per file cost more in messages than the check


def analyse_files(paths: list[str], entries: list[str]) -> list[dict]:
    """`analyse` of each file, each record written to its cache file (`entries`, in the same order)."""
    return [analyse(path, entry) for path, entry in zip(paths, entries)]


class _Kept:
    """What the build's process keeps of each record, made as small as it can be as each arrives (at
    10,000 documents the records were a fifth of the process: freed after all of them are loaded,
    CPython would keep the space). The element names of most files are the same few lists: one copy
    of each is kept. `done` drops what only gather itself reads (the ids, the dependencies, the
    diagnostics, once reported)."""

    def __init__(self) -> None:
        self._elements: dict[tuple, list] = {}

    def arrived(self, record: dict) -> dict:
        info = record.pop("info", None)  # (in entries of earlier versions: the first part's, again)
        if record["kind"] == "document" and not record.get("parts"):  # (older still: no parts)
            record["parts"] = [{"id": record["id"], "info": info, "pages": []}]
        elements = record["elements"]
        record["elements"] = self._elements.setdefault(tuple(map(tuple, elements)), elements)
        return record

    @staticmethod
    def done(record: dict) -> None:
        for name in ("ids", "deps", "diagnostics"):
            record.pop(name, None)


def gather(state: BuildState, pool: Pool, reporter: Reporter, progress: Progress) -> tuple[dict[Path, dict], set[Path]]:
    """Every file's record (from the cache or a worker), in file order; the files with errors."""
    config = state.config
    files, problems = find_xml_files(corpus_paths(config), resolve=True)
    reporter.extend(problems)
    files = list(dict.fromkeys(files))
    hashes, cache = state.hashes, state.cache
    schema = digest(state.tool, config.validation.model,
                    *(hashes.file(p) if p else "none" for p in (config.relaxng_path, config.schematron_path)))
    records: dict[Path, dict] = {}
    todo = []
    kept = _Kept()
    for path in files:
        record = cache.get_json("validate", digest(schema, hashes.file(path)))
        if record is not None and all(hashes.file(p) == h for p, h in record["deps"].items()):
            records[path] = kept.arrived(record)
            state.inputs(path, file=hashes.file(path), schema=schema, deps=digest(sorted(record["deps"].items())))
        else:
            todo.append(path)
    if todo:
        pool.prepare()  # documents changed: processes will be needed (a volume at least)
    with progress.phase("validate", len(files)) as advance:
        advance(len(files) - len(todo))
        chunks = [todo[start:start + CHUNK] for start in range(0, len(todo), CHUNK)]
        tasks = [([str(p) for p in chunk], [str(cache.path("validate", digest(schema, hashes.file(p)), ".json"))
                                            for p in chunk]) for chunk in chunks]
        for chunk, found in pool.run(analyse_files, tasks, chunks):
            for path, record in zip(chunk, found):
                if "error" in record:
                    raise EditionError(record["error"], hint=record["hint"])
                inputs = {"file": hashes.file(path), "schema": schema, "deps": digest(sorted(record["deps"].items()))}
                reason = state.redo("validate", path, VALIDATE_INPUTS, **inputs)
                if progress.verbose:  # (display_path resolves the path: not for nothing, a thousand times)
                    progress.note(f"validate: {display_path(path)}: {reason}")
                state.inputs(path, **inputs)
                records[path] = kept.arrived(record)
                advance()
    records = {p: records[p] for p in files}  # file order, whatever order the workers finished in
    failed = set()
    for path, record in records.items():
        diagnostics = [Diagnostic.from_dict(d) for d in record["diagnostics"]]
        reporter.extend(diagnostics)
        if any(d.severity is Severity.ERROR for d in diagnostics):
            failed.add(path)
    documents = {path: record["id"] for path, record in records.items() if record["kind"] == "document"}
    for d in duplicate_ids({path: record["ids"] for path, record in records.items()}) + page_name_collisions(documents):
        reporter.add(d)
        failed.add(Path(d.path))
    for record in records.values():
        kept.done(record)
    cache.let_go("validate")
    return records, failed


def read_corpus(config: Config, records: dict[Path, dict], exclude: set[Path], reporter: Reporter) -> Corpus:
    """The corpus from the records (as edition.corpus.load_corpus reads it from trees), in date order."""
    registers = load_registers(config, reporter)
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
            reporter.add(warning(path, f"the root element is <{tag}>, not <TEI>; not published", "corpus.not-tei"))
            continue
        for part in record["parts"]:  # a teiCorpus: several
            # (the builders read the DocumentInfo: the record keeps only the page images of a part)
            info = DocumentInfo.from_dict(part.pop("info"))
            if "key" in part:  # (its digest, as the worker computed it: else computed when needed)
                info.key = part.pop("key")
            doc = Document(path=path, tree=None, id=part["id"], info=info)
            doc.uri = path.as_uri()  # (gather resolved the path)
            documents.append(doc)
            entities = part.pop("entities", [])
            if own_entries:
                for data in entities:
                    # Each document's entries stay its own: "Anna" of one play is not "Anna" of
                    # another, and the indexes say whose she is (Entity.declared_in).
                    entity = Entity(**data)
                    entity.declared_in = info.short_title or info.title or part["id"]
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

