"""`edition import --add-to-register`: the persons a transcript names that the register lacks become
draft entries of persons.xml, so that a first import already attributes their turns.

Only names the importer found as persons (a title's party, a speaker, "comrade X", "Mr. X",
"ambassador X", an initialled name) are added; each entry carries a `note type="todo"` naming the
transcript and the lines it came from, which `edition validate` lists until an editor checks the
entry (and removes the note). The file is rewritten atomically; nothing else in it changes.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition.diagnostics import EditionError
from edition.importer.emit import slug

TEI = "http://www.tei-c.org/ns/1.0"
T = f"{{{TEI}}}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@dataclass
class NewPerson:
    name: str                  # as written: "G. A. Astakhov", "Apaydin"
    source: str                # the transcript's file name
    lines: list[int]
    id: str = ""


def collect(results) -> list[NewPerson]:
    """The unregistered persons of every imported document, once each (the fullest spelling)."""
    found: dict[str, NewPerson] = {}
    for result in results:
        for doc in result.documents:
            for name, lines in doc.draft.unresolved.items():
                key = name.split()[-1].casefold()
                if key in found:
                    if len(name) > len(found[key].name):
                        found[key].name = name
                    continue
                found[key] = NewPerson(name, result.source.name, sorted(set(lines)))
    return list(found.values())


def add(persons_path: Path, people: list[NewPerson]) -> list[NewPerson]:
    """Append the draft entries to the register's listPerson; returns them with their ids."""
    if not people:
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    try:
        tree = etree.parse(str(persons_path), parser)
    except (OSError, etree.XMLSyntaxError) as exc:
        raise EditionError(f"{persons_path}: cannot add the new persons ({exc})",
                           hint="check that the register is well-formed XML") from None
    listing = next(tree.getroot().iter(f"{T}listPerson"), None)
    if listing is None:
        raise EditionError(f"{persons_path}: no <listPerson> to add the new persons to",
                           hint="the register of persons needs standOff/listPerson")
    taken = set(tree.getroot().xpath("//@xml:id"))
    indent = (listing[-1].tail if len(listing) else "\n      ") or "\n      "
    for person in people:
        base = slug(person.name.split()[-1]) or "person"
        person.id, n = base, 2
        while person.id in taken:
            person.id, n = f"{base}-{n}", n + 1
        taken.add(person.id)
        el = etree.SubElement(listing, f"{T}person", {XML_ID: person.id})
        name = etree.SubElement(el, f"{T}persName", {"type": "main"})
        initials, surname = _split(person.name)
        if initials:
            etree.SubElement(name, f"{T}forename").text = initials
            etree.SubElement(name, f"{T}surname").text = surname
            name[0].tail = " "
        else:
            etree.SubElement(name, f"{T}surname").text = surname
        note = etree.SubElement(el, f"{T}note", {"type": "todo"})
        lines = ", ".join(str(n) for n in person.lines[:10])
        note.text = (f"Draft entry added by edition import from {person.source} (line {lines}): check the name, "
                     "add dates and offices, then remove this note.")
        el.text, name.tail, note.tail = "\n        ", "\n        ", "\n      "
        el.tail = indent
    if len(listing):
        listing[-1].tail = "\n    "
    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n"
    fd, tmp = tempfile.mkstemp(dir=persons_path.parent, prefix=".persons-", suffix=".xml")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, persons_path)
    return people


def _split(name: str) -> tuple[str, str]:
    m = re.match(r"((?:[A-Z][a-z]?\.\s?)+)\s*(.+)$", name)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    words = name.split()
    return (" ".join(words[:-1]), words[-1]) if len(words) > 1 else ("", name)
