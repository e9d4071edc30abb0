"""`edition validate`: every problem in every file, in one run.

Each file is parsed once (edition.documents), then checked in three layers, all of which run even when
an earlier one fails, so that the editor sees everything at once:

1. RELAX NG (schemas/edition.rng, or --relaxng): libxml2's terse messages are translated into plain
   language and follow-up errors ("failed to validate content") are dropped when a more specific one
   explains them (edition/schema_messages.py).
2. Schematron (schemas/edition.sch, or --schematron), phase "in-document", run by edition/schematron.py,
   which hands back each finding with its node (and so its line), in time proportional to the document.
3. Pointer and cross-document checks in Python: pointers into the registers and into the document
   itself resolve (the registers are parsed once for the whole run, not once per document as
   Schematron's document() would), and ids that must be unique across the corpus are (root
   TEI/@xml:id, register entries).
"""

from __future__ import annotations


import difflib
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from edition import facsimile
from edition.config import Config, check_paths
from edition.diagnostics import Diagnostic, EditionError, Reporter, Severity, error, warning
from edition.documents import NS, XML_ID, XML_PARSER, SourceLines, find_xml_files, parse_file, serialise
from edition.resources import schema_path
from edition.schema_messages import attribute_position, relaxng_diagnostics, source_position
from edition.schematron import Schematron
from edition.schematron3 import Schematron3, lxml_path, needs_xslt3
from edition.tei_model import generic_diagnostics

BIG_SCHEMA = 1_000_000  # bytes; libxml2 needs seconds to compile tei_all.rng (1.1 MB)
TOOL_PHASE = "in-document"  # edition.sch: every pattern except the pointer ones, done here in Python
POINTER_CODES = {"ref": "sch.ref-resolves", "who": "sch.who-resolves", "sameAs": "sch.sameas-resolves",
                 "resp": "sch.resp-resolves"}
POINTER_ITEMS = tuple(POINTER_CODES.items())
NO_POINTERS = (None,) * len(POINTER_ITEMS)
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
LOCAL_RESP_HINT = ' (declare it in the header as <editor xml:id="…"> or <respStmt xml:id="…">)'


@dataclass
class ValidationResult:
    """What a run found: diagnostics per file (and for the run as a whole), and the parsed trees."""

    files: dict[Path, list[Diagnostic]] = field(default_factory=dict)
    general: list[Diagnostic] = field(default_factory=list)  # not tied to one validated file
    trees: dict[Path, etree._ElementTree] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for ds in self.files.values() for d in ds] + self.general

    def count(self, severity: Severity) -> int:
        return sum(d.severity is severity for d in self.diagnostics)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def failed(self) -> set[Path]:
        """Files with at least one error: the build leaves them out under --keep-going."""
        return {p for p, ds in self.files.items() if any(d.severity is Severity.ERROR for d in ds)}

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def summary(self) -> str:
        n = len(self.files)
        return (f"{n} file{'s' if n != 1 else ''}, {self.errors} error{'s' if self.errors != 1 else ''}, "
                f"{self.warnings} warning{'s' if self.warnings != 1 else ''} in {self.seconds:.{2 if self.seconds < 10 else 1}f} s")


# ------------------------------------------------------------------------------- schemas

_compiled: dict[tuple[str, Path, float], object] = {}
SCHEMATRON_HINT = ('rules run as XSLT 1.0 (lxml): use queryBinding="xslt" (or none) and XPath 1.0 in tests, '
                   'e.g. contains() instead of matches(); or declare queryBinding="xslt2" for XPath 2.0 (run by Saxon)')


def _announce(path: Path) -> None:
    if path.stat().st_size > BIG_SCHEMA:
        print(f"compiling {path.name} (this takes about 10 seconds)…", file=sys.stderr, flush=True)


def _compile_once(kind: str, path: Path, what: str, hint: str, compile_schema):
    """`compile_schema(parsed schema)` once per process and version of the file; a broken schema stops the run."""
    path = Path(path).resolve()
    if not path.is_file():
        raise EditionError(f"{path}: no such {what}", hint=hint)
    key = (kind, path, path.stat().st_mtime)
    if key not in _compiled:
        from edition.render import worker

        if not worker.settings.get("quiet_compile"):  # the workers of a run: announced once by the run
            _announce(path)
        try:
            _compiled[key] = compile_schema(etree.parse(str(path), XML_PARSER))
        except (etree.XMLSyntaxError, etree.RelaxNGParseError, etree.SchematronParseError, etree.XSLTParseError,
                etree.XSLTApplyError) as exc:  # XSLTApplyError: lxml's Schematron compiler refusing the schema
            raise EditionError(f"{path}: not a usable {what}: {' '.join(str(exc).split())}",
                               hint=SCHEMATRON_HINT if kind == "sch" else hint) from None
    return _compiled[key]


def load_relaxng(path: Path) -> etree.RelaxNG:
    """Compile a RELAX NG schema (XML syntax) once per process."""
    return _compile_once("rng", path, "RELAX NG schema (XML syntax)", "check [validation] relaxng or --relaxng",
                         etree.RelaxNG)


def load_schematron(path: Path) -> Schematron:
    """Compile an ISO Schematron schema once per process, in the tool's phase when it has one."""
    def compile_schematron(document):
        if needs_xslt3(document):  # XPath 2/3 rules (TEI's ODD-generated Schematron): Saxon runs them
            return Schematron3(document, Path(path))
        phases = document.xpath("//sch:phase/@id", namespaces={"sch": "http://purl.oclc.org/dsdl/schematron"})
        return Schematron(document, phase=TOOL_PHASE if TOOL_PHASE in phases else None)

    return _compile_once("sch", path, "ISO Schematron schema", "check [validation] schematron or --schematron",
                         compile_schematron)


def rule_code(rule_id: str | None) -> str:
    """[sch.<id>]; a rule's variant for drafts (id "source-repository-draft", edition.sch) is reported
    under the rule's own id, so that a draft and a published document name the same rule."""
    return "sch." + (rule_id or "rule").removesuffix("-draft")


def schematron_diagnostics(schematron: Schematron | Schematron3, tree, path: Path, source: Sequence[str]) -> list[Diagnostic]:
    """Run Schematron; one diagnostic per failed assert or successful report, at its node's line."""
    if isinstance(schematron, Schematron3):
        return _schematron3_diagnostics(schematron, tree, path, source)
    try:
        findings = schematron.findings(tree)
    except etree.XSLTApplyError as exc:  # a rule that XPath 1.0 cannot run (an XPath 2.0 function)
        raise EditionError(f"the Schematron rules could not be run on {path}: {' '.join(str(exc).split())}",
                           hint=SCHEMATRON_HINT) from None
    found = []
    for finding in findings:
        node = finding.node
        if isinstance(node, etree._ElementUnicodeResult) and node.is_attribute:  # at the attribute itself
            name = etree.QName(node.attrname)
            shown = ("xml:" if name.namespace == NS["xml"] else "") + name.localname
            line, column = attribute_position(node.getparent(), shown, source)
        else:
            if isinstance(node, etree._ElementUnicodeResult):  # a text node: its element
                node = node.getparent()
            line, column = source_position(node, source) if node is not None else (0, 0)
        make = warning if Severity.from_role(finding.get("role")) is Severity.WARNING else error
        found.append(make(path, finding.text, rule_code(finding.get("id")), line, column))
    return found


def _schematron3_diagnostics(schematron: Schematron3, tree, path: Path, source: Sequence[str]) -> list[Diagnostic]:
    found = []
    for rule_id, role, location, message in schematron.results(serialise(tree), Path(path).resolve().as_uri()):
        node = _locate(tree, lxml_path(location), "", {})
        line, column = source_position(node, source) if node is not None else (0, 0)
        make = warning if Severity.from_role(role) is Severity.WARNING else error
        found.append(make(path, message, rule_code(rule_id), line, column))
    return found


def _locate(tree, location: str | None, context: str, unlocated: dict[str, list]):
    """The node an SVRL @location points to; for a processing instruction (which the XSLT 1 skeleton
    cannot locate), the next one in document order that the rule's context matches."""
    try:
        if location:
            nodes = tree.xpath(location, namespaces=NS)
            node = nodes[0] if nodes else None
            return node.getparent() if isinstance(node, etree._ElementUnicodeResult) else node
        if context.startswith("processing-instruction("):
            if context not in unlocated:
                unlocated[context] = list(tree.xpath("//" + context))
            return unlocated[context].pop(0) if unlocated[context] else None
    except etree.XPathError:
        pass
    return None


# ------------------------------------------------------------------------------- pointers

class PointerTargets:
    """The xml:ids of every file that pointers lead into, each file parsed once per run."""

    def __init__(self, trees: dict[Path, etree._ElementTree]):
        self.trees = trees
        self.ids: dict[Path, set[str] | None] = {}
        self.targets: dict[tuple[Path, str], Path] = {}

    def target(self, folder: Path, file_part: str) -> Path:
        """The file a relative pointer leads to, resolved once per (folder, file name)."""
        key = (folder, file_part)
        if key not in self.targets:
            self.targets[key] = (folder / unquote(file_part)).resolve()
        return self.targets[key]

    def ids_of(self, path: Path) -> set[str] | None:
        if path not in self.ids:
            tree = self.trees.get(path)
            if tree is None and path.is_file():
                tree, _ = parse_file(path)  # its own problems are reported when it is validated itself
            self.ids[path] = None if tree is None else {e.get(XML_ID) for e in tree.iter() if e.get(XML_ID)}
        return self.ids[path]


POINTER_VALUES = [etree.XPath(f"//@{attribute}", smart_strings=False) for attribute, _ in POINTER_ITEMS]
LOCAL_IDS = etree.XPath("//@xml:id", smart_strings=False)


class DocumentPointers:
    """Whether one document's pointer values resolve, each value decided once (most are repeated)."""

    def __init__(self, tree, path: Path, registers: PointerTargets):
        self.tree, self.path, self.registers = tree, path, registers
        self.ids_by_file: dict = {}  # this document's registers, looked up once each
        self.resolved: set[str] = set()
        self._local_ids: set[str] | None = None

    @property
    def local_ids(self) -> set[str]:
        if self._local_ids is None:
            self._local_ids = set(LOCAL_IDS(self.tree))
        return self._local_ids

    def resolves(self, value: str) -> bool:
        """Nothing to report about this value (empty, or every pointer in it leads to an element)."""
        if value in self.resolved:
            return True
        stripped = value.strip()
        if not stripped:
            ok = True
        elif stripped[0] == "#":  # who="#anna #boris": each pointer of the list
            ok = all(token[1:] in self.local_ids for token in stripped.split() if token.startswith("#"))
        else:
            file_part, _, wanted = stripped.partition("#")
            ok = False
            if wanted and not (":" in stripped and URI_SCHEME.match(stripped)):
                if file_part not in self.ids_by_file:
                    self.ids_by_file[file_part] = self.registers.ids_of(self.registers.target(self.path.parent, file_part))
                ids = self.ids_by_file[file_part]
                ok = ids is not None and wanted in ids
        if ok:
            self.resolved.add(value)
        return ok


def pointer_diagnostics(tree, path: Path, registers: PointerTargets, source: Sequence[str]) -> list[Diagnostic]:
    """Pointers lead to an element with that xml:id: into other files ("persons.xml#stalin") or into
    this document ("#ed").

    The same rules are in edition.sch (patterns register-pointers, local-pointers) for XML editors;
    here the registers are read once for the whole corpus instead of once per document, and this
    document's ids are collected in one pass (see edition.sch on why not with libxslt's key()).
    Most documents have nothing to report: the distinct values of the four attributes are checked
    first, each attribute by one XPath ("//@ref": a walk in C, no union of node sets, which libxml2
    merges in time that grows with the product of their sizes), and only when one does not resolve
    are the elements visited, with iter(), to report each problem at its element in document order
    ("//*[@ref or …]" took 37 s for a 10 MB document, iter() 0.1 s). 0.15 -> 0.08 ms for a generated
    10 KB document.
    """
    pointers = DocumentPointers(tree, path, registers)
    if all(pointers.resolves(value) for values in POINTER_VALUES for value in set(values(tree))):
        return []
    found = []
    for element in tree.iter(etree.Element):
        get = element.get
        values = (get("ref"), get("who"), get("sameAs"), get("resp"))  # each attribute read once
        if values == NO_POINTERS:
            continue
        for (attribute, code), value in zip(POINTER_ITEMS, values):
            if value is None or pointers.resolves(value):
                continue
            value = value.strip()
            if value[0] == "#":
                for token in value.split():
                    if token.startswith("#") and token[1:] not in pointers.local_ids:
                        found.append(error(path, f'<{etree.QName(element).localname} {attribute}="{value}"> points '
                                                 f'to no element of this document: no xml:id="{token[1:]}"'
                                                 + (LOCAL_RESP_HINT if attribute == "resp" else ""),
                                           code, *source_position(element, source)))
                continue
            file_part, _, wanted = value.partition("#")
            if wanted and not URI_SCHEME.match(value) and pointers.ids_by_file.get(file_part, ()) is None:
                if ("broken", file_part) in pointers.ids_by_file:
                    continue  # an unusable register is reported once per document, not once per pointer
                pointers.ids_by_file[("broken", file_part)] = None
            problem = _pointer_problem(value, file_part, wanted, registers, path)
            shown = f'<{etree.QName(element).localname} {attribute}="{value}">'
            make = warning if URI_SCHEME.match(value) else error
            found.append(make(path, f"{shown} {problem[0]}", code, *source_position(element, source), problem[1]))
    return found


def _pointer_problem(value: str, file_part: str, wanted: str, registers: PointerTargets, path: Path) -> tuple[str, str]:
    """(what is wrong, hint) for a pointer that does not resolve."""
    if URI_SCHEME.match(value):
        return "points outside the edition; it cannot be checked", \
            'point into a register of the edition, e.g. "persons.xml#id"'
    if not wanted:
        return 'names no entry: a pointer is "register.xml#id" or "#id"', ""
    ids = registers.ids_of(registers.target(path.parent, file_part))
    if ids is None:
        return f"does not resolve: {file_part} does not exist or is not well-formed XML", \
            f"further pointers into {file_part} are not checked until it can be read"
    close = difflib.get_close_matches(wanted, ids, n=1)
    return f'does not resolve: no entry with xml:id="{wanted}" in {file_part}', \
        f'did you mean "{file_part}#{close[0]}"?' if close else f"add the entry to {file_part}, or correct the pointer"


def corpus_ids(tree: etree._ElementTree) -> list[tuple[str, int]]:
    """The ids that must be unique across the corpus: the document's (TEI/@xml:id) and its register
    entries'. Local ids ("ed", "p1", "n1") repeat across files legitimately and are not compared."""
    root = tree.getroot()
    candidates = [root] + root.xpath("tei:standOff//tei:person | tei:standOff//tei:org | tei:standOff//tei:place"
                                     " | self::tei:teiCorpus//tei:TEI", namespaces=NS)  # a teiCorpus's documents
    return [(e.get(XML_ID), e.sourceline or 0) for e in candidates if e.get(XML_ID)]


def page_name_collisions(document_ids: dict[Path, str]) -> list[Diagnostic]:
    """Documents whose different ids give one page name: one page would silently replace the other.
    Names that differ only in case collide too, on the file systems of Windows and macOS."""
    from edition.corpus import page_name

    seen: dict[str, tuple[Path, str]] = {}
    found = []
    for path in sorted(document_ids):
        doc_id = document_ids[path]
        name = page_name(doc_id)
        if name.casefold() in seen and seen[name.casefold()][1] != doc_id:  # the same id twice: corpus.duplicate-id
            first, first_id = seen[name.casefold()]
            found.append(error(path, f'xml:id="{doc_id}" gives the same page name (documents/{name}.html) as '
                                     f'xml:id="{first_id}" in {first.name}; one would replace the other',
                               "corpus.page-name",
                               hint="page names keep letters, digits, '.', '_' and '-', and some file systems "
                                    "ignore case: give one of the two documents an id that differs in those"))
        else:
            seen.setdefault(name.casefold(), (path, doc_id))
    return found


def duplicate_ids(ids_by_file: dict[Path, list[tuple[str, int]]]) -> list[Diagnostic]:
    """Each corpus id used a second time (files compared in path order), as an error at the second use."""
    seen: dict[str, tuple[Path, int]] = {}
    found = []
    for path in sorted(ids_by_file):
        for value, line in ids_by_file[path]:
            if value in seen:
                first, first_line = seen[value]
                found.append(error(path, f'xml:id="{value}" is already used in {first.name} (line {first_line}); '
                                         "document and register ids must be unique across the edition",
                                   "corpus.duplicate-id", line))
            else:
                seen[value] = (path, line)
    return found


def check_tree(tree: etree._ElementTree, file: Path, source: Sequence[str], rng, rng_path: Path | None, sch,
               registers: PointerTargets, model: str = "edition") -> list[Diagnostic]:
    """Every check of one parsed document: RELAX NG, Schematron, pointers into other files; for the
    "tei" model the generic checks (edition/tei_model.py) and only the schemas the editor named."""
    if model == "tei":
        generic = generic_diagnostics(tree, file, source)
        if any(d.code == "tei.namespace" for d in generic):
            return generic  # nothing else can apply to it
    else:
        generic = []
    structural = relaxng_diagnostics(rng, tree, file, source, rng_path) if rng is not None else []
    rules = schematron_diagnostics(sch, tree, file, source) if sch is not None else []
    # A bad date is reported once, in the Schematron's words (which say what an ISO date is).
    bad_dates = {(d.line, d.column) for d in rules + generic if d.code in ("sch.date-iso", "tei.date-iso")}
    pointers = pointer_diagnostics(tree, file, registers, source)
    if model == "tei":  # links to the web are the norm in TEI from elsewhere, not a problem to report;
        # same-document pointers are checked by the generic rules (tei.pointer-resolves)
        pointers = [d for d in pointers if "points outside the edition" not in d.message
                    and "points to no element of this document" not in d.message]
    return generic + [d for d in structural if not (d.code == "rng.value" and (d.line, d.column) in bad_dates)] \
        + rules + pointers + facsimile.diagnostics(tree, file, source, model)


# ------------------------------------------------------------------------------- the run

def validate_paths(paths, config: Config | None = None, relaxng: Path | None = None,
                   schematron: Path | None = None, reporter: Reporter | None = None,
                   keep_trees: bool = False, jobs: int | None = None) -> ValidationResult:
    """Validate files and folders (folders: every *.xml below them) and report every problem.

    Schemas: `relaxng`/`schematron` if given, else the edition's configured ones, else the built-in
    ones. Diagnostics go to `reporter` (if given) as well as into the result; the parsed trees are
    kept in `result.trees` only with `keep_trees`. `jobs`: processes to check the files in (default:
    one per core; one process for a few files, or with `keep_trees`).
    """
    started = time.perf_counter()
    rng_path = relaxng or (config.relaxng_path if config else schema_path("edition.rng"))
    rng_path = Path(rng_path).resolve() if rng_path else None  # model "tei" without a schema: none
    sch_path = schematron or (config.schematron_path if config else schema_path("edition.sch"))
    model = config.validation.model if config else "edition"
    result = ValidationResult()
    files, problems = find_xml_files([Path(p) for p in paths], resolve=True)
    result.general.extend(problems)
    ids: dict[Path, list[tuple[str, int]]] = {}
    document_ids: dict[Path, str] = {}
    files = list(dict.fromkeys(files))
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(files) >= PARALLEL_FILES and not keep_trees:
        _check_in_workers(files, rng_path, sch_path, model, jobs, result, ids, document_ids)
    else:
        _check_here(files, rng_path, sch_path, model, keep_trees, result, ids, document_ids)
    for d in duplicate_ids(ids) + page_name_collisions(document_ids):
        result.files[Path(d.path)].append(d)
    result.seconds = time.perf_counter() - started
    if reporter is not None:
        reporter.extend(result.diagnostics)
    return result


# Below this many files one process does the work: starting the workers and compiling the schemas
# in each costs about half a second.
PARALLEL_FILES = 200
CHUNK = 50  # files per task sent to a worker (one task per file would cost more in messages than a check)


def _check_here(files: list[Path], rng_path: Path | None, sch_path, model: str, keep_trees: bool,
                result: ValidationResult, ids: dict, document_ids: dict) -> None:
    rng = load_relaxng(rng_path) if rng_path else None
    sch = load_schematron(sch_path) if sch_path else None
    registers = PointerTargets({})  # files that pointers lead into, parsed once each for the whole run
    # One file at a time, so that memory does not grow with the corpus (unless the caller keeps trees).
    for file in files:
        tree, problems = parse_file(file)
        result.files[file] = list(problems)
        if tree is None:
            continue
        result.files[file].extend(check_tree(tree, file, SourceLines(file), rng, rng_path, sch, registers, model))
        ids[file] = corpus_ids(tree)
        if tree.getroot().tag == f"{{{NS['tei']}}}TEI":
            document_ids[file] = tree.getroot().get(XML_ID) or file.stem
        if keep_trees:
            result.trees[file] = tree


def _check_in_workers(files: list[Path], rng_path: Path | None, sch_path, model: str, jobs: int,
                      result: ValidationResult, ids: dict, document_ids: dict) -> None:
    """The same checks on every core (edition/render/pool.py's workers, each compiling the schemas
    once and parsing the registers once), the results put back in file order."""
    from edition.render.pool import Pool

    for path in (rng_path, sch_path):
        if path and Path(path).is_file():
            _announce(Path(path))  # once here, not once per worker
    settings = {"relaxng": str(rng_path or ""), "schematron": str(sch_path or ""), "model": model,
                "quiet_compile": True}
    chunks = [files[start:start + CHUNK] for start in range(0, len(files), CHUNK)]
    found: dict[int, list[dict]] = {}
    with Pool(jobs, settings) as pool:
        for index, checked in pool.run(check_files, [([str(f) for f in chunk],) for chunk in chunks], range(len(chunks))):
            if "error" in checked:
                raise EditionError(checked["error"], hint=checked["hint"])
            found[index] = checked["files"]
    for index in range(len(chunks)):
        for file, record in zip(chunks[index], found[index]):
            result.files[file] = [Diagnostic.from_dict(d) for d in record["diagnostics"]]
            if record["ids"] is not None:
                ids[file] = [tuple(pair) for pair in record["ids"]]
            if record["document"] is not None:
                document_ids[file] = record["document"]


_worker_registers: PointerTargets | None = None  # in a worker: the registers, parsed once per process


def check_files(paths: list[str]) -> dict:
    """In a worker (edition/render/worker.py's settings): what `_check_here` finds for each file."""
    from edition.render import worker

    global _worker_registers
    settings = worker.settings
    if _worker_registers is None:
        _worker_registers = PointerTargets({})
    try:
        rng_path = Path(settings["relaxng"]) if settings["relaxng"] else None
        rng = load_relaxng(rng_path) if rng_path else None
        sch = load_schematron(Path(settings["schematron"])) if settings["schematron"] else None
        checked = []
        for path in paths:
            file = Path(path)
            tree, problems = parse_file(file)
            record = {"diagnostics": [d.as_dict(display=False) for d in problems], "ids": None, "document": None}
            if tree is not None:
                found = check_tree(tree, file, SourceLines(file), rng, rng_path, sch, _worker_registers,
                                   settings.get("model", "edition"))
                record["diagnostics"] += [d.as_dict(display=False) for d in found]
                record["ids"] = corpus_ids(tree)
                if tree.getroot().tag == f"{{{NS['tei']}}}TEI":
                    record["document"] = tree.getroot().get(XML_ID) or file.stem
            checked.append(record)
    except EditionError as exc:  # a schema that does not compile
        return worker.failure(exc)
    return {"files": checked}


def corpus_paths(config: Config) -> list[Path]:
    """What an edition consists of: its sources folder and its registers, wherever they are kept."""
    if not config.sources_dir.is_dir():
        raise EditionError(f"{config.sources_dir}: the sources folder does not exist",
                           hint="check [edition] sources in edition.toml")
    paths = [config.sources_dir]
    for register in (config.persons_path, config.places_path):  # registers kept outside the sources folder
        if register.is_file() and config.sources_dir not in register.parents:
            paths.append(register)
    return paths


def validate_corpus(config: Config, reporter: Reporter | None = None, keep_trees: bool = False,
                    jobs: int | None = None) -> ValidationResult:
    """Validate the edition's sources and registers with its configured schemas."""
    check_paths(config, output=False)  # a missing register or schema is a configuration error, before any work
    return validate_paths(corpus_paths(config), config=config, reporter=reporter, keep_trees=keep_trees, jobs=jobs)

