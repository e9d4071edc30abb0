"""The corpus: documents with their metadata, and the registers of persons, organisations and places.

Cross-document data (who speaks where, which documents mention a place) is collected here once, from
the parsed trees, so that the web and print builders share one reading of the headers.
"""

from __future__ import annotations

import copy
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from lxml import etree

from edition.cache import digest
from edition.config import Config
from edition.diagnostics import Reporter, warning
from edition.documents import NS, XML_ID, compiled_xpath, find_xml_files, first_of, parse_file, serialise, text_of
from edition.registers import Registers, load_registers

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def page_name(doc_id: str) -> str:
    """The file name of a document's page and of its TEI copy (without extension). Two ids can give
    one name (`copy·doc`, `copy-doc`): validation reports that as an error (`corpus.page-name`)."""
    return re.sub(r"[^\w.-]+", "-", doc_id, flags=re.UNICODE).strip("-.") or "document"


def _interned(value):
    """`value` (JSON data) with each string replaced by the one copy Python keeps of it (a plain str:
    read in the build's own process, lxml's text is a subclass, which cannot be interned)."""
    if isinstance(value, str):
        return sys.intern(str(value))
    if isinstance(value, list):
        return [_interned(v) for v in value]
    if isinstance(value, dict):
        return {sys.intern(str(k)): _interned(v) for k, v in value.items()}
    return value


@dataclass
class DocumentInfo:
    title: str = ""
    short_title: str = ""
    author: str = ""  # the authors in titleStmt, "; " between them
    date: str = ""  # ISO: the @when, or the @from of a range
    date_to: str = ""
    date_display: str = ""
    sort_key: str = ""
    place: str = ""
    doc_type: str = ""
    classifications: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    speakers: Counter = field(default_factory=Counter)  # person id -> number of turns
    persons_mentioned: Counter = field(default_factory=Counter)
    places_mentioned: Counter = field(default_factory=Counter)
    anchors: dict[str, list[str]] = field(default_factory=dict)  # entity id -> the xml:ids of the paragraphs naming it
    source: dict[str, str] = field(default_factory=dict)
    language: str = ""
    status: str = ""   # revisionDesc/@status: "draft" for what `edition import` wrote, until the editor publishes it
    licence: str = ""  # publicationStmt/availability/licence: its text, and " <URL>" when it has a @target

    @cached_property
    def key(self) -> str:
        """The digest of `as_dict()`, which the cache keys of the pages showing this header include.
        (Computed once: a header is not changed once read, and at 10,000 documents writing every
        header as JSON for each key took a second.)"""
        return digest(self.as_dict())

    @property
    def year(self) -> str:
        return self.date[:4]

    def as_dict(self) -> dict:
        """Plain data (worker results, the cache, cache keys); `from_dict` reads it back."""
        # not dataclasses.asdict: it would turn each Counter into a Counter of (key, count) pairs
        return {f.name: (dict(v) if isinstance(v, (Counter, dict)) else list(v) if isinstance(v, list) else v)
                for f in fields(self) for v in [getattr(self, f.name)]}

    @classmethod
    def from_dict(cls, data: dict) -> "DocumentInfo":
        """(Its strings interned: the build keeps every document's header, and across them most are
        the same few: person and place ids, paragraph ids, types, archives. At 10,000 documents that
        halved what the headers take.)"""
        info = cls(**{name: _interned(value) for name, value in data.items()})
        for name in ("speakers", "persons_mentioned", "places_mentioned"):
            setattr(info, name, Counter(getattr(info, name)))
        return info

    @property
    def month(self) -> str:
        return self.date[:7]


def format_date(iso: str) -> str:
    """'1941-12-18' -> '18 December 1941'; '1941-12' -> 'December 1941'; '1941' stays."""
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return iso


def _anchor(info: DocumentInfo, entity_id: str, element) -> None:
    """The paragraph (the nearest element with an xml:id) where `element` names `entity_id`, once."""
    found = compiled_xpath("ancestor-or-self::*[@xml:id][ancestor::tei:text][1]/@xml:id")(element)
    if found:
        anchors = info.anchors.setdefault(entity_id, [])
        if found[0] not in anchors:
            anchors.append(found[0])


def _pointer_id(pointer: str, local: dict[str, str] | None = None) -> str:
    """The entry a pointer names: the id after '#', or for "#x" the id of the document's own entry x."""
    target = pointer.rsplit("#", 1)[-1]
    return local.get(target, target) if local and pointer.startswith("#") else target


ISO = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?$")
# Where a document's date is, in the order asked: the edition model's creation date and dateline,
# then what TEI from elsewhere has (FRUS's publicationStmt date of creation, a diary's or letter's
# date at the head of its text, ELTeC's date of the first edition, DraCor's events in standOff).
DATES = ("tei:teiHeader/tei:profileDesc/tei:creation/tei:date",
         "tei:text//tei:dateline//tei:date",
         "tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:date[@type = 'created']",
         "tei:text/tei:body/*[1]/descendant-or-self::*[self::tei:p or self::tei:ab or self::tei:head][1]"
         "//tei:date[@when]",
         "tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:bibl[@type = 'originalSource' or @type = 'firstEdition' "
         "or @type = 'copyText' or @type = 'printSource']/tei:date[@type = 'written']",
         "tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:bibl[@type = 'originalSource' or @type = 'firstEdition' "
         "or @type = 'copyText' or @type = 'printSource']/tei:date",
         "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:date",
         "tei:standOff/tei:listEvent/tei:event[@type = 'written']",  # DraCor: written, printed, first performed
         "tei:standOff/tei:listEvent/tei:event[@type = 'print']",
         "tei:standOff/tei:listEvent/tei:event")


def _date_of(element) -> tuple[str, str]:
    """(from, to) as ISO dates: the attributes, else the text when it is an ISO date ("1840")."""
    start = element.get("when") or element.get("from") or element.get("notBefore") or ""
    end = element.get("to") or element.get("notAfter") or ""
    if not start and ISO.match(text_of(element)):
        start = text_of(element)
    start, end = start.split("T")[0], end.split("T")[0]
    return (start, end if ISO.match(end) else "") if ISO.match(start) else ("", "")


def documents_in(tree: etree._ElementTree, path: Path) -> list[tuple[str, etree._Element]]:
    """The documents a file holds, with their ids: the <TEI> itself, or each <TEI> of a <teiCorpus>
    (its xml:id, else the file's name and its number: "plays-2")."""
    root = tree.getroot()
    if root.tag == f"{{{NS['tei']}}}TEI":
        return [(root.get(XML_ID) or path.stem, root)]
    if root.tag != f"{{{NS['tei']}}}teiCorpus":
        return []
    return [(tei.get(XML_ID) or f"{path.stem}-{n}", tei)
            for n, tei in enumerate(compiled_xpath("//tei:TEI[not(ancestor::tei:TEI)]")(root), 1)]


def document_tree(tree: etree._ElementTree, path: Path, doc_id: str) -> etree._ElementTree | None:
    """The tree of the document `doc_id` of a file: the file's own, or a copy of its <TEI> in a teiCorpus."""
    found = documents_in(tree, path)
    if len(found) == 1 and found[0][1] is tree.getroot():
        return tree  # (its id may have been made unique by the build: "bare-test")
    for found_id, element in found:
        if found_id == doc_id:
            return etree.ElementTree(copy.deepcopy(element))
    if doc_id == (tree.getroot().get(XML_ID) or path.stem):
        return tree  # the teiCorpus as a whole (a document loaded on its own: load_document)
    return None


def read_info(tree, local: dict[str, str] | None = None) -> DocumentInfo:
    """Everything the outputs need to know about a document, read from its header and text
    (`tree`: a parsed document, or a <TEI> element of a teiCorpus). `local`: the document's own
    entries (xml:id -> edition-wide id), which its "#x" pointers name."""
    h = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    info = DocumentInfo()
    info.title = text_of(first_of(h, "tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[@type='main']",
                              "tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[not(@type = 'sub')]",
                              "tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"))
    info.short_title = text_of(first_of(h, "tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[@type='short']")) \
        or info.title
    info.author = "; ".join(filter(None, (text_of(first_of(a, "tei:persName", "tei:name")) or text_of(a) for a in
                                          compiled_xpath("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:author")(h))))
    for xpath in DATES:
        found = [d for d in compiled_xpath(xpath)(h) if _date_of(d)[0]]
        if found:
            info.date, info.date_to = _date_of(found[0])
            break
    info.date_display = format_date(info.date) + (f" – {format_date(info.date_to)}" if info.date_to else "")
    info.place = text_of(first_of(h, "tei:teiHeader/tei:profileDesc/tei:creation/tei:placeName"))
    info.status = compiled_xpath("string(tei:teiHeader/tei:revisionDesc/@status)")(h)
    licence = (compiled_xpath("tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence")(h) or [None])[0]
    if licence is not None:
        target = (licence.get("target") or "").strip()
        info.licence = " ".join(" ".join(licence.itertext()).split()) + (f" <{target}>" if target.startswith(("http://", "https://")) else "")
    info.doc_type = text_of(first_of(h, ".//tei:textClass//tei:term[@type='document-type']"))
    info.classifications = [text_of(t) for t in compiled_xpath(".//tei:textClass//tei:term[@type='classification']")(h)]
    info.participants = [_pointer_id(p, local) for p in compiled_xpath(".//tei:particDesc//tei:person/@sameAs")(h)]
    for sp in compiled_xpath("tei:text//tei:sp[@who]")(h):
        for who in sp.get("who").split():
            info.speakers[_pointer_id(who, local)] += 1
    for ref in compiled_xpath("tei:text//*[self::tei:persName or self::tei:orgName or self::tei:rs[@type='person']]/@ref")(h):
        info.persons_mentioned[_pointer_id(ref, local)] += 1
        _anchor(info, _pointer_id(ref, local), ref.getparent())
    for ref in compiled_xpath("tei:text//tei:placeName/@ref")(h):
        info.places_mentioned[_pointer_id(ref, local)] += 1
        _anchor(info, _pointer_id(ref, local), ref.getparent())
    ms = first_of(h, ".//tei:sourceDesc/tei:msDesc")
    if ms is not None:
        info.source = {i.get("type", "idno"): text_of(i) for i in compiled_xpath("tei:msIdentifier/tei:idno")(ms)}
        info.source["repository"] = text_of(first_of(ms, "tei:msIdentifier/tei:repository"))
        locus = first_of(ms, ".//tei:locus")
        if locus is not None:
            info.source["folios"] = "–".join(filter(None, (locus.get("from"), locus.get("to")))) or text_of(locus)
    info.language = h.get("{http://www.w3.org/XML/1998/namespace}lang", "")
    info.sort_key = f"{info.date or '9999'}|{info.date_to}|{info.title.casefold()}"
    return info


@dataclass
class Document:
    path: Path
    tree: etree._ElementTree
    id: str
    info: DocumentInfo

    @property
    def xml_text(self) -> str:
        return serialise(self.tree)

    @cached_property
    def uri(self) -> str:
        """(Once per document: the build's plans ask for it several times each, and a document read
        by the build has its path resolved already: read_corpus sets it. Asked for only once the
        path is final: the importer renames a draft before.)"""
        return self.path.resolve().as_uri()


@dataclass
class Corpus:
    config: Config
    registers: Registers
    documents: list[Document]

    def _neighbour(self, doc: Document, step: int) -> Document | None:
        index = self.documents.index(doc) + step
        return self.documents[index] if 0 <= index < len(self.documents) else None

    def previous(self, doc: Document) -> Document | None:
        return self._neighbour(doc, -1)

    def next(self, doc: Document) -> Document | None:
        return self._neighbour(doc, +1)


def is_register(tree: etree._ElementTree) -> bool:
    return tree.getroot().get("type") == "register" or bool(compiled_xpath("/tei:TEI/tei:standOff")(tree)) \
        and not compiled_xpath("/tei:TEI/tei:text")(tree)


def load_document(path: Path, tree: etree._ElementTree) -> Document:
    return Document(path=path, tree=tree, id=tree.getroot().get(XML_ID) or path.stem, info=read_info(tree))


def load_documents(path: Path, tree: etree._ElementTree) -> list[Document]:
    """The documents of a file: one, or each <TEI> of a teiCorpus."""
    return [Document(path=path, tree=document_tree(tree, path, doc_id), id=doc_id, info=read_info(element))
            for doc_id, element in documents_in(tree, path)]


def load_corpus(config: Config, reporter: Reporter, paths: list[Path] | None = None,
                trees: dict[Path, etree._ElementTree] | None = None, exclude: set[Path] = frozenset()) -> Corpus:
    """Read the registers and every document (not registers) of the edition, sorted by date.

    `trees` lets the caller hand over documents it has already parsed (validation parses each file
    once; the build reuses those trees). Files in `exclude` (documents with errors under
    --keep-going) are left out.
    """
    registers = load_registers(config, reporter)
    files, problems = find_xml_files(paths or [config.sources_dir])
    reporter.extend(problems)
    documents = []
    for path in files:
        path = path.resolve()
        if path in exclude or path in (config.persons_path, config.places_path):
            continue
        tree = (trees or {}).get(path)
        if tree is None:
            tree, problems = parse_file(path)
            reporter.extend(problems)
        if tree is None or is_register(tree):
            continue
        if tree.getroot().tag not in (f"{{{NS['tei']}}}TEI", f"{{{NS['tei']}}}teiCorpus"):
            reporter.add(warning(path, f"the root element is <{tree.getroot().tag}>, not <TEI>; not published",
                                 "corpus.not-tei"))
            continue
        documents.extend(load_documents(path, tree))
    documents.sort(key=lambda d: d.info.sort_key)
    return Corpus(config=config, registers=registers, documents=documents)
