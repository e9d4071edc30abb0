"""The registers as the print edition needs them: index entries and the pointer map for print.xsl.

Index entries ("Eden, Anthony (1897–1977), Secretary of State for Foreign Affairs of Great Britain
(1940–1945)") are sorted here, persons by surname; the Typst side lists those that occur in the book.
The pointer map lets print.xsl look a pointer up by its absolute URI instead of fetching the register
with doc() (a document's pointers are untrusted).
"""

from __future__ import annotations

import json
from pathlib import Path

from edition.corpus import Entity, Registers
from edition.documents import NS, XML_ID, parse_file


def _years(start: str, end: str) -> str:
    start, end = start[:4], end[:4]
    if start and end:
        return start if start == end else f"{start}–{end}"
    return f"from {start}" if start else (f"until {end}" if end else "")


def _names(registers: Registers) -> dict[str, tuple[str, str]]:
    """id -> (surname, forename) of every person whose main name is split into them."""
    names = {}
    for path in registers.files.values():
        tree, _ = parse_file(path)  # problems were reported when the corpus was loaded
        if tree is None:
            continue
        for person in tree.xpath("//tei:person[@xml:id]", namespaces=NS):
            main = (person.xpath("tei:persName[@type='main']", namespaces=NS)
                    or person.xpath("tei:persName", namespaces=NS) or [None])[0]
            if main is None:
                continue
            surname = " ".join(" ".join(main.xpath("tei:surname//text()", namespaces=NS)).split())
            forename = " ".join(" ".join(main.xpath("tei:forename//text()", namespaces=NS)).split())
            if surname:
                names[person.get(XML_ID)] = (surname, forename)
    return names


def _detail(entity: Entity) -> str:
    parts = []
    life = _years(entity.birth, entity.death)
    if life and entity.kind == "person":
        parts.append(f"({life})" if entity.birth and entity.death else life)
    for office, start, end in entity.offices:
        years = _years(start, end)
        parts.append(f"{office} ({years})" if years else office)
    if entity.kind == "place" and entity.type:
        parts.append(f"({entity.type})")
    if entity.kind == "org" and not parts:
        parts.append("(organisation)")
    # "(1897–1977), Secretary of State ..." follows the name after a space; offices alone after a comma
    return ", ".join(p for p in parts if p)


def register_data(registers: Registers, persons_path: Path, places_path: Path) -> tuple[list[dict], list[dict], str]:
    """(person and organisation entries, place entries, the pointer map as JSON for print.xsl)."""
    names = _names(registers)
    tables = []
    pointers = {}
    for table, path in ((registers.persons, persons_path), (registers.places, places_path)):
        entries = []
        for entity in table.values():
            surname, forename = names.get(entity.id, ("", ""))
            heading = f"{surname}, {forename}" if surname and forename else (surname or entity.name)
            entries.append({"id": entity.id, "kind": entity.kind, "heading": heading,
                            "detail": _detail(entity), "sort": entity.sort_key})
            uri = f"{entity.source}#{entity.local}" if entity.source else f"{Path(path).resolve().as_uri()}#{entity.id}"
            pointers[uri] = {
                "id": entity.id, "kind": entity.kind, "name": entity.name, "label": surname or entity.name}
        entries.sort(key=lambda e: (e["sort"], e["id"]))
        tables.append(entries)
    return tables[0], tables[1], json.dumps(pointers, ensure_ascii=False)
