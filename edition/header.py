"""The teiHeader of a new document: one builder, which `edition new` and `edition import` both fill.

The header is laid out as in the hand-encoded reference document (tei/1941-12-18_stalin-eden.xml).
A field is given (a string, written as the element's text), left out (None), or still to be filled
in (`Todo`): `edition new` keeps every field of the encoding model, and a field the editor did not
give holds `<?edition-todo what to write?>`, which edition.sch reports as a warning until it is
filled in. A processing instruction rather than a note, because many header fields may hold text
only and the outputs show header fields as metadata (a note's text would be published as the value).
`edition import` leaves out what the transcript does not say and lists it in its report instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from edition.documents import TEI_NS, XML_ID

T = f"{{{TEI_NS}}}"


@dataclass(frozen=True)
class Todo:
    """A field the editor must still fill in: `what` says what belongs there."""

    what: str


Value = str | Todo | None


@dataclass
class Responsibility:
    """A respStmt of the titleStmt: who did what ("recorded by" I. M. Maisky)."""

    id: str  # its xml:id ("recorder", "importer")
    resp: str
    name: str
    name_tag: str = "persName"  # or "orgName"
    ref: str | None = None  # "persons.xml#maisky"


@dataclass
class Archive:
    """The msDesc: where the original is kept."""

    repository: Value
    item_title: str  # msItem/title
    settlement: Value = None
    abbreviation: Value = None  # idno type="archive" ("AP RF")
    levels: dict[str, Value] = field(default_factory=dict)  # fond, opis, papka, delo (in that order)
    folios: tuple[str, str, str] | Todo | None = None  # (from, to, as written: "L. 115–122")
    wording: Wording | None = None  # the citation as the transcript gives it ("Ap rf. F. 45. …")


@dataclass
class Publication:
    """A bibl of the listBibl type="publications"."""

    type: str  # "first-publication", "translation"
    title: Value = None  # title level="m"; None for a bibl of text only
    text: str = ""  # the bibl's text, when it has no title
    scopes: list[tuple[str, str, str, str]] = field(default_factory=list)  # (unit, text, from, to)
    wording: Wording | None = None  # the line as the transcript gives it ("Publ .: Soviet-English …")


@dataclass
class Wording:
    """A line of the source that the header holds as data, in the source's own words: kept as
    <note type="source-wording"> beside the data (the outputs cite the data; the line is not printed
    again in the text). `todos`: the importer's questions about the line."""

    text: str
    todos: list[str] = field(default_factory=list)


@dataclass
class Header:
    """Every field of the header, in the order of the reference document."""

    doc_id: str
    title: str
    editor: Value
    publisher: Value
    year: str
    short_title: str | None = None
    responsibilities: list[Responsibility] = field(default_factory=list)
    licence: Value = None  # None: no availability
    archive: Archive | None = None
    publications: list[Publication] = field(default_factory=list)
    source_note: str | None = None  # sourceDesc/p, when it would otherwise be empty
    editorial: list[tuple[str | None, dict, Value]] = field(default_factory=list)  # (part or None for a p, attrs, p)
    date: tuple[dict, str] | None = None  # creation/date: (when or from/to, as shown)
    place: tuple[str, str] | Todo | None = None  # (ref, name) of creation/placeName
    language: tuple[str, str] = ("en", "English")  # (ident, name)
    participants: list[tuple[str, str]] = field(default_factory=list)  # (sameAs, role)
    doc_type: str = "document"
    classifications: list[str] = field(default_factory=list)
    revision: tuple[str | None, str, str, str] = ("", "", "", "")  # (status, when, who, text of the change)


def _add(parent, tag: str, value: Value = None, **attrs) -> etree._Element:
    """<tag attrs>value</tag>; a Todo as <?edition-todo ...?> inside it. Empty attributes are left out."""
    element = etree.SubElement(parent, T + tag, {XML_ID if k == "xml_id" else k: v for k, v in attrs.items() if v})
    if isinstance(value, Todo):
        element.append(etree.ProcessingInstruction("edition-todo", value.what))
    elif value:
        element.text = value
    return element


def _maybe(parent, tag: str, value: Value, **attrs) -> None:
    if value is not None:
        _add(parent, tag, value, **attrs)


def build_header(h: Header) -> etree._Element:
    header = etree.Element(T + "teiHeader")
    file_desc = _add(header, "fileDesc")
    title_stmt = _add(file_desc, "titleStmt")
    _add(title_stmt, "title", h.title, type="main")
    _maybe(title_stmt, "title", h.short_title, type="short")
    _maybe(title_stmt, "editor", h.editor, xml_id="ed", role="encoder")
    for r in h.responsibilities:
        statement = _add(title_stmt, "respStmt", xml_id=r.id)
        _add(statement, "resp", r.resp)
        _add(statement, r.name_tag, r.name, ref=r.ref)

    publication = _add(file_desc, "publicationStmt")
    _add(publication, "publisher", h.publisher)
    _add(publication, "date", h.year, when=h.year)
    _add(publication, "idno", h.doc_id, type="edition")
    if h.licence is not None:
        _add(_add(publication, "availability"), "licence", h.licence)

    source_desc = _add(file_desc, "sourceDesc")
    if h.archive:
        _archive(source_desc, h.archive)
    if h.publications:
        bibls = _add(source_desc, "listBibl", type="publications")
        for p in h.publications:
            bibl = _add(bibls, "bibl", None if p.title is not None else p.text, type=p.type)
            _maybe(bibl, "title", p.title, level="m")
            for unit, text, start, end in p.scopes:
                _add(bibl, "biblScope", text, unit=unit, **{"from": start, "to": end})
            _wording(bibl, p.wording)
    if not len(source_desc) and h.source_note:
        _add(source_desc, "p", h.source_note)

    decl = _add(_add(header, "encodingDesc"), "editorialDecl")
    for part, attrs, text in h.editorial:
        _add(_add(decl, part, **attrs) if part else decl, "p", text)

    _profile(_add(header, "profileDesc"), h)
    status, when, who, text = h.revision
    _add(_add(header, "revisionDesc", status=status), "change", text, when=when, who=who)
    return header


def _archive(source_desc, a: Archive) -> None:
    ms = _add(source_desc, "msDesc")
    ident = _add(ms, "msIdentifier")
    _maybe(ident, "settlement", a.settlement)
    _add(ident, "repository", a.repository)
    _maybe(ident, "idno", a.abbreviation, type="archive")
    for level, value in a.levels.items():
        _maybe(ident, "idno", value, type=level)
    item = _add(_add(ms, "msContents"), "msItem")
    if isinstance(a.folios, Todo):
        _add(item, "locus", a.folios)
    elif a.folios:
        start, end, written = a.folios
        _add(item, "locus", written, **{"from": start, "to": end})
    _add(item, "title", a.item_title)
    _wording(item, a.wording)


def _wording(parent, wording: Wording | None) -> None:
    if wording is None:
        return
    note = _add(parent, "note", wording.text, type="source-wording")
    for todo in wording.todos:
        _add(note, "note", todo, type="todo", resp="#importer")


def _profile(profile, h: Header) -> None:
    if h.date:
        creation = _add(profile, "creation")
        attrs, shown = h.date
        _add(creation, "date", shown, **attrs)
        if isinstance(h.place, Todo):  # creation holds only date and placeName: a todo goes beside them
            creation.append(etree.ProcessingInstruction("edition-todo", h.place.what))
        elif h.place:
            creation[-1].tail = ", "
            _add(creation, "placeName", h.place[1], ref=h.place[0])
    _add(_add(profile, "langUsage"), "language", h.language[1], ident=h.language[0])
    if h.participants:
        listing = _add(_add(profile, "particDesc"), "listPerson", type="participants")
        for ref, role in h.participants:
            _add(listing, "person", sameAs=ref, role=role)
    keywords = _add(_add(profile, "textClass"), "keywords")
    _add(keywords, "term", h.doc_type, type="document-type")
    for text in h.classifications:
        _add(keywords, "term", text, type="classification")
