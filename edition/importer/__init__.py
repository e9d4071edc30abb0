"""`edition import`: plain-text transcripts → draft TEI documents, one per document found.

Stages (one module each): `source` (bytes → numbered lines; normalisation; clutter), `segment`
(paragraphs, page breaks, documents), `register` + `names` (who and what is named), `fields`
(dates, classifications, archival citations, publications), `recognise` (a `Draft`: what each
paragraph is, where notes belong), `speakers` (whose turn each paragraph reports), `emit` +
`header` (the TEI, with lxml), `textcheck` (the proof that no text was lost), `report` (what was
recognised, by source line).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from edition.diagnostics import EditionError, display_path, error
from edition.importer import addnames, textcheck
from edition.importer.emit import TEI_NS, XML_NS, Context, Emitter, document_id
from edition.importer.header import header
from edition.importer.recognise import Draft, analyse
from edition.importer.register import Register
from edition.importer.segment import Dropped, segment
from edition.importer.fields import classifications_in, find_date, parse_date_line
from edition.importer.source import read_source

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"


@dataclass
class Imported:
    """One document drafted from a transcript."""
    draft: Draft
    id: str
    path: Path                     # where it is (or would be) written
    tree: etree._ElementTree
    seconds: float


@dataclass
class FileImport:
    source: Path
    dropped: list[Dropped]
    documents: list[Imported] = field(default_factory=list)
    added: list = field(default_factory=list)   # addnames.NewPerson entries this run added to the register
    encoding: str = "utf-8"                     # as detected (see source.read_lines)
    images: str = ""                            # with --images: what was linked (page_images.Linked.summary)


def _today() -> str:
    """The import date; SOURCE_DATE_EPOCH fixes it for reproducible output (as in reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return moment.date().isoformat()


def _href(target: Path, out_dir: Path) -> str:
    return Path(os.path.relpath(Path(target).resolve(), Path(out_dir).resolve())).as_posix()


def _is_date_block(text: str, anywhere: bool = False) -> bool:
    return bool(find_date(text) if anywhere else parse_date_line(text))


def import_file(path: Path, register: Register, out: Path, persons: Path, places: Path | None,
                rng: Path, sch: Path, editor: str = "The edition project",
                publisher: str = "The edition project") -> FileImport:
    """Draft the TEI of every document in one transcript (nothing is written)."""
    path = Path(path)
    lines, encoding = read_source(path)
    segmented = segment(lines, _is_date_block,
                        lambda text: _is_date_block(text) or classifications_in(text) is not None)
    result = FileImport(path, segmented.dropped, encoding=encoding)
    if not any(doc for doc in segmented.documents):
        raise EditionError(f"{path}: nothing but website clutter and blank lines; no document to import",
                           [error(path, "no text", "import.empty")])
    ctx = Context(persons_href=_href(persons, out), places_href=_href(places, out) if places else "places.xml",
                  rng_href=_href(rng, out), sch_href=_href(sch, out), source_label=path.name, today=_today(),
                  editor=editor, publisher=publisher,
                  from_website=any(d.kind == "collection banner" for d in segmented.dropped))
    for blocks in segmented.documents:
        if not blocks:
            continue
        started = time.perf_counter()
        try:
            draft = analyse(blocks, register, path)
            doc_id, stem = document_id(draft)
            tree = _tree(draft, ctx, doc_id)
        except (ValueError, LookupError, TypeError, AttributeError, etree.LxmlError) as exc:
            # Never a traceback for the editor; the message says where, and that it is our fault.
            raise EditionError(f"{path}:{blocks[0].first}: the document starting here could not be drafted "
                               f"({type(exc).__name__}: {exc}); this is a bug in edition import",
                               [error(path, "import failed", "import.internal", blocks[0].first)],
                               hint="please report it with the transcript") from None
        _check_text(path, draft, tree)
        result.documents.append(Imported(draft, doc_id, out / f"{stem}.xml", tree, time.perf_counter() - started))
    return result


def _tree(draft: Draft, ctx: Context, doc_id: str) -> etree._ElementTree:
    root = etree.Element(f"{{{TEI_NS}}}TEI", {f"{{{XML_NS}}}id": doc_id, f"{{{XML_NS}}}lang": "en"},
                         nsmap={None: TEI_NS})
    root.append(header(draft, ctx, doc_id))
    etree.SubElement(root, f"{{{TEI_NS}}}text").append(Emitter(draft, ctx).body())
    root.addprevious(etree.ProcessingInstruction(
        "xml-model", f'href="{ctx.rng_href}" type="application/xml" schematypens="{RNG_NS}"'))
    root.addprevious(etree.ProcessingInstruction(
        "xml-model", f'href="{ctx.sch_href}" type="application/xml" schematypens="{SCH_NS}"'))
    return root.getroottree()


def _check_text(path: Path, draft: Draft, tree) -> None:
    """The guarantee, checked on every import: the TEI holds exactly the text of the paragraphs
    found (every line that is neither clutter nor blank is in one of them, see segment.blocks_of);
    the source's notes are moved to their markers, its archival and publication lines to the header
    (see textcheck for the equivalence)."""
    expected = textcheck.Streams()
    main: list[str] = []
    anchored = {id(m.note) for p in draft.parts for m in p.markers}
    for part in draft.parts:
        if part.kind in ("archival", "publication"):
            expected.header.append(part.text)
            continue
        if part.kind != "note":
            main.append(part.text)
            continue
        symbol = part.data if isinstance(part.data, str) and part.text.startswith(part.data) else None
        if id(part) not in anchored and symbol:
            main.append(symbol)
        expected.notes.append(part.text[len(symbol):] if symbol else part.text)
    expected.main = " ".join(main)
    actual = textcheck.tei_text(tree.getroot())
    if not textcheck.same_text(expected, actual):
        where = textcheck.first_difference(expected.main, actual.main) if \
            textcheck.squash(expected.main) != textcheck.squash(actual.main) else "in the notes or the source lines of the header"
        raise EditionError(f"{path}: the draft would not hold the transcript's text exactly ({where}); "
                           "this is a bug in edition import",
                           [error(path, "text would be lost", "import.text-lost", draft.parts[0].line)],
                           hint="please report it with the transcript")


def import_transcripts(files: list[Path], out: Path | None = None, persons: Path | None = None,
                       places: Path | None = None, force: bool = False, config=None,
                       write: bool = True, add_to_register: bool = False,
                       images: Path | None = None) -> list[FileImport]:
    """Import every transcript; write one TEI file per document found into `out`.

    Inside an edition (`config`), `out`, `persons` and `places` default to its sources folder and
    registers, and the documents point at its schemas. Nothing is written unless every file
    imports; an existing file is never overwritten without `force`. `images`: a folder of page
    images in page order, linked to the page breaks of the one document found (edition/page_images.py).
    """
    from edition.resources import schema_path

    if not files:
        raise EditionError("no transcript given", hint="edition import transcript.txt [more.txt ...]")
    if persons is not None and places is None and (Path(persons).parent / "places.xml").is_file():
        places = Path(persons).parent / "places.xml"   # the register of places beside the persons given
    if config is not None:
        out = out or config.sources_dir
        persons = persons or config.persons_path
        places = places or config.places_path
    if out is None or persons is None:
        missing = " and ".join(o for o, v in (("--out", out), ("--persons", persons)) if v is None)
        raise EditionError(f"{missing} required outside an edition",
                           hint="run inside an edition (edition.toml), use -C DIR, or give --out and --persons")
    out, persons = Path(out), Path(persons)
    if places is None and (persons.parent / "places.xml").is_file():
        places = persons.parent / "places.xml"
    register = Register.load(persons, places if places and Path(places).is_file() else None)
    rng, sch = schema_path("edition.rng"), schema_path("edition.sch")
    if config is not None:
        # The edition's own schemas (as configured, else the copies `edition init` puts in schemas/).
        local = config.root / "schemas"
        # (an edition of model "tei" without schemas of its own: the importer's drafts are checked
        # against the edition model they are written in)
        rng = (config.relaxng_path or rng) if config.validation.relaxng or not (local / "edition.rng").is_file() \
            else local / "edition.rng"
        sch = (config.schematron_path or sch) if config.validation.schematron or not (local / "edition.sch").is_file() \
            else local / "edition.sch"
    editor = ", ".join(config.edition.editors) if config is not None and config.edition.editors else "The edition project"
    publisher = config.edition.publisher if config is not None and config.edition.publisher else editor
    results = [import_file(Path(f), register, out, persons, places, rng, sch, editor, publisher) for f in files]
    if add_to_register and write and (people := addnames.collect(results)):
        # The register gains draft entries, and the transcripts are read again with them.
        addnames.add(persons, people)
        register = Register.load(persons, places if places and Path(places).is_file() else None)
        results = [import_file(Path(f), register, out, persons, places, rng, sch, editor, publisher) for f in files]
        for result in results:
            result.added = [p for p in people if p.source == result.source.name]
    taken: set[Path] = set()
    for result in results:
        for doc in result.documents:
            candidate, n = doc.path, 2
            # Two documents of the same parties on the same day, or a file of that name drafted from
            # another transcript (or other lines of it): the next free name. The same document
            # imported again keeps its name (and is only overwritten with --force).
            while candidate in taken or candidate.exists() and not _same_origin(candidate, doc.tree):
                candidate = doc.path.with_name(f"{doc.path.stem}-{n}.xml")
                doc.id = f"{doc.id}-{n}"
                n += 1
            if candidate != doc.path:
                doc.tree.getroot().set(f"{{{XML_NS}}}id", doc.id)
                doc.tree.getroot().find(f".//{{{TEI_NS}}}idno[@type='edition']").text = doc.id
            doc.path = candidate
            taken.add(candidate)
    linked = None
    if images is not None:
        from edition.page_images import attach, page_images

        found = [doc for result in results for doc in result.documents]
        if len(found) != 1:
            raise EditionError(f"--images links page images to one document; the transcript(s) hold {len(found)}",
                               hint="import each document on its own with the folder of its images")
        facsimiles = config.facsimiles_dir if config is not None else out.resolve().parent / "facsimiles"
        linked = attach(found[0].tree, found[0].path, page_images(images), facsimiles)
        results[0].images = linked.summary()
    existing = sorted(p for p in taken if p.exists())
    if existing and not force and write:
        raise EditionError(f"{display_path(existing[0])} exists; not overwritten" + (f" (and {len(existing) - 1} more)"
                                                                       if len(existing) > 1 else ""),
                           [error(p, "output file exists", "import.exists") for p in existing],
                           hint="pass --force to overwrite, or --out to write elsewhere")
    if write:
        out.mkdir(parents=True, exist_ok=True)
        for result in results:
            for doc in result.documents:
                doc.path.write_bytes(serialise(doc.tree))
        if linked is not None:
            from edition.page_images import copy_images

            copy_images(linked)
    return results


def _origin(tree) -> str:
    change = tree.getroot().find(f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}revisionDesc/{{{TEI_NS}}}change")
    return "".join(change.itertext()) if change is not None else ""


def _same_origin(path: Path, tree) -> bool:
    """Whether the file at `path` was drafted from the same transcript lines as `tree`."""
    try:
        existing = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError):
        return True   # unreadable: never silently named around; the exists check reports it
    mine = _origin(tree)
    for change in existing.getroot().iterfind(f".//{{{TEI_NS}}}revisionDesc/{{{TEI_NS}}}change"):
        if "".join(change.itertext()) == mine:
            return True
    return False


# Elements whose children are indented when serialised. Mixed content (p, head, signed …) is never
# touched: an added line break there would be a space in the text.
STRUCTURAL = {f"{{{TEI_NS}}}{name}" for name in (
    "TEI teiHeader fileDesc titleStmt respStmt publicationStmt sourceDesc msDesc msIdentifier msContents msItem "
    "listBibl bibl encodingDesc editorialDecl correction normalization quotation hyphenation segmentation "
    "interpretation profileDesc langUsage particDesc listPerson textClass keywords revisionDesc text body back "
    "div sp opener closer list").split()}


def _indent(el: etree._Element, level: int = 0) -> None:
    children = list(el)
    if el.tag in STRUCTURAL and children and not (el.text or "").strip() and \
            not any((c.tail or "").strip() for c in children):
        el.text = "\n" + "  " * (level + 1)
        for c in children:
            c.tail = "\n" + "  " * (level + 1)
        children[-1].tail = "\n" + "  " * level
    for c in children:
        if isinstance(c.tag, str):
            _indent(c, level + 1)


def serialise(tree: etree._ElementTree) -> bytes:
    root = tree.getroot()
    _indent(root)
    pis = [pi for pi in root.itersiblings(preceding=True)][::-1]   # the xml-model PIs, one a line
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + b"".join(etree.tostring(pi, encoding="UTF-8") + b"\n" for pi in pis)
            + etree.tostring(root, encoding="UTF-8") + b"\n")
