"""The registers of persons, organisations and places: one model, read once, used everywhere.

Validation (do pointers resolve), both outputs (index pages and entries, name links, speaker labels)
and the importer (which names to recognise in a transcript) all read `persons.xml` and `places.xml`
through `read_entities`, into `Entity`. The stylesheets get the registers as one pointer map
(`pointer_map`), looked up by xslt/common/registers.xsl: pointers in documents are untrusted, so no
stylesheet ever fetches a register with doc().
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.diagnostics import Reporter
from edition.documents import NS, XML_ID, first_of, parse_file, text_of

NAME_TAGS = {"person": "persName", "org": "orgName", "place": "placeName"}
# every entry, in document order (the importer's ambiguous names keep the register's order)
REGISTER_ENTRIES = "//tei:person[@xml:id] | //tei:org[@xml:id] | //tei:place[@xml:id]"


@dataclass
class Entity:
    """A register entry: a person, an organisation or a place."""

    id: str
    kind: str  # "person", "org" or "place"
    name: str  # the main name, as written ("J. V. Stalin")
    sort_key: str = ""
    named: bool = True  # False for an entry with no name of its own (its name is then its id)
    surname: str = ""  # of the main name, when it is split into parts
    forename: str = ""
    other_names: list[tuple[str, str]] = field(default_factory=list)  # (name, its @type or "") besides the main
    offices: list[tuple[str, str, str]] = field(default_factory=list)  # (office, from, to)
    authority: dict[str, str] = field(default_factory=dict)  # idno type -> value (Wikidata, VIAF ...)
    birth: str = ""
    death: str = ""
    type: str = ""
    geo: str = ""
    note: str = ""
    # An entry kept in a document rather than a register (TEI from elsewhere: a play's particDesc):
    # the document's file URI and the entry's xml:id there; its `id` is then "<document id>.<xml:id>".
    source: str = ""
    local: str = ""
    # ... and the title of that document, which the indexes show beside the name ("Alber (The Miserly
    # Knight)"): characters of different plays are different persons, even with the same name, and
    # nothing in the documents says otherwise.
    declared_in: str = ""

    @property
    def variants(self) -> list[str]:
        """The other names with a type ("variant", "birth", "misspelling" ...)."""
        return [name for name, kind in self.other_names if kind and kind != "main"]

    @property
    def misspellings(self) -> list[str]:
        """Names of type "misspelling": errors of a source, which the importer corrects with choice/sic/corr."""
        return [name for name, kind in self.other_names if kind == "misspelling"]

    @property
    def label(self) -> str:
        """The short form a speaker label and an index heading use: the surname, else the name."""
        return self.surname or self.name

    @property
    def register(self) -> str:
        """The register file a pointer to this entry names: "persons" or "places"."""
        return "places" if self.kind == "place" else "persons"

    def offices_at(self, date: str | None) -> list[str]:
        """The offices held on `date` (an ISO date; every office when None)."""
        return [text for text, start, end in self.offices
                if not date or ((not start or start[:10] <= date) and (not end or date <= end[:10]))]


def name_of(element) -> str:
    """A name's text, its parts spaced even where the encoding runs them together
    (<forename>Nancy</forename><surname>Ide</surname> is "Nancy Ide", as print.xsl spaces them)."""
    def spaced(el) -> str:
        out, adjacent = el.text or "", False
        for child in el:
            if isinstance(child.tag, str):
                if adjacent and out and not out[-1].isspace():
                    out += " "
                out += spaced(child)
            out += child.tail or ""
            adjacent = isinstance(child.tag, str) and not child.tail
        return out
    return " ".join(spaced(element).split()) if element is not None else ""


def entity_from(element, kind: str) -> Entity:
    """The Entity an element of a register (or of a document's own lists) describes."""
    name_tag = NAME_TAGS[kind]
    main = first_of(element, f"tei:{name_tag}[@type='main']", f"tei:{name_tag}")
    name = name_of(main) or element.get(XML_ID)
    # every part ("García" "Márquez"), in order
    surname = " ".join(text_of(x) for x in main.xpath("tei:surname", namespaces=NS)) if main is not None else ""
    forename = " ".join(text_of(x) for x in main.xpath("tei:forename", namespaces=NS)) if main is not None else ""
    others = [n for n in element.xpath(f"tei:{name_tag}", namespaces=NS) if n is not main]
    return Entity(
        id=element.get(XML_ID),
        kind=kind,
        name=name,
        sort_key=(f"{surname}, {forename}" if surname else name).casefold(),
        named=main is not None,
        surname=surname,
        forename=forename,
        other_names=[(text_of(n), n.get("type", "")) for n in others if text_of(n)],
        offices=[(text_of(o), o.get("from", o.get("when", "")), o.get("to", ""))
                 for o in element.xpath("tei:occupation", namespaces=NS)],
        authority={i.get("type", "id"): text_of(i) for i in element.xpath("tei:idno", namespaces=NS)},
        birth=(first_of(element, "tei:birth/@when") or ""),
        death=(first_of(element, "tei:death/@when") or ""),
        type=element.get("type", ""),
        geo=text_of(first_of(element, "tei:location/tei:geo")),
        note=text_of(first_of(element, "tei:note")),
    )


def read_entities(tree) -> list[Entity]:
    """Every person, organisation and place with an xml:id in a parsed register."""
    return [entity_from(element, etree.QName(element).localname)
            for element in tree.xpath(REGISTER_ENTRIES, namespaces=NS)]


@dataclass
class Registers:
    persons: dict[str, Entity] = field(default_factory=dict)  # persons and organisations
    places: dict[str, Entity] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # file name -> path, to resolve "persons.xml#x"

    def resolve(self, pointer: str) -> Entity | None:
        """The entry `persons.xml#stalin` (or a bare `#stalin`) points at, if any."""
        target = pointer.rsplit("#", 1)[-1]
        return self.persons.get(target) or self.places.get(target)


def load_registers(config, reporter: Reporter) -> Registers:
    """The edition's registers (problems reading them go to `reporter`)."""
    registers = Registers()
    for path, table in ((config.persons_path, registers.persons), (config.places_path, registers.places)):
        if config.validation.model == "tei" and not path.exists():
            continue  # TEI from elsewhere: its persons and places are in the documents, if anywhere
        tree, problems = parse_file(path)
        reporter.extend(problems)
        if tree is None:
            continue
        registers.files[path.name] = path
        for entity in read_entities(tree):
            table[entity.id] = entity
    return registers


# Persons, organisations and places a document declares itself (particDesc, settingDesc, listPerson,
# listPlace, standOff), for an edition of TEI from elsewhere without registers of its own.
LOCAL_ENTRIES = {"person": ".//tei:person[@xml:id] | .//tei:personGrp[@xml:id]", "org": ".//tei:org[@xml:id]",
                 "place": ".//tei:place[@xml:id]"}


def document_entities(element, doc_id: str, uri: str) -> list[Entity]:
    """The entries a document declares, with ids made unique across the edition ("rus000017.Alber")."""
    found = []
    for kind, xpath in LOCAL_ENTRIES.items():
        for entry in element.xpath(xpath, namespaces=NS):
            if entry.xpath("ancestor::tei:text", namespaces=NS) and not entry.xpath(
                    "ancestor::tei:listPerson | ancestor::tei:listPlace | ancestor::tei:listOrg", namespaces=NS):
                continue
            entity = entity_from(entry, kind)
            if not entity.name or entity.name == entry.get(XML_ID):
                entity.name = text_of(first_of(entry, "tei:name", "tei:persName", "tei:placeName")) or entity.name
                entity.sort_key = entity.name.casefold()
            entity.local, entity.source, entity.id = entry.get(XML_ID), uri, f"{doc_id}.{entry.get(XML_ID)}"
            found.append(entity)
    return found


def pointer_map(config, registers: Registers) -> dict[str, dict[str, str]]:
    """Pointer -> {id, kind, name, label, href} for every entry: the stylesheets' `entities`, keyed by the
    register's absolute URI ("file:///.../persons.xml#stalin") and by its file name ("persons.xml#stalin");
    an entry of a document itself ("#Alber" in a play) by that document's URI."""
    table = {}
    for register_path, entries, folder in ((config.persons_path, registers.persons, "persons"),
                                           (config.places_path, registers.places, "places")):
        base = Path(register_path).resolve().as_uri()
        for entity in entries.values():
            value = {"id": entity.id, "kind": entity.kind, "name": entity.name, "label": entity.label,
                     "href": f"{folder}/{entity.id}.html"}
            if entity.source:
                table[f"{entity.source}#{entity.local}"] = value
                continue
            table[f"{base}#{entity.id}"] = value
            table.setdefault(f"{Path(register_path).name}#{entity.id}", value)
    return table
