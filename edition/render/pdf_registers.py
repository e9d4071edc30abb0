"""The registers as the print edition needs them: the entries of its indexes.

Index entries ("Eden, Anthony (1897–1977), Secretary of State for Foreign Affairs of Great Britain
(1940–1945)") are sorted here, persons by surname; the Typst side lists those that occur in the book.
"""

from __future__ import annotations

from edition.registers import Entity, Registers


def _years(start: str, end: str) -> str:
    start, end = start[:4], end[:4]
    if start and end:
        return start if start == end else f"{start}–{end}"
    return f"from {start}" if start else (f"until {end}" if end else "")


def identification(entity: Entity) -> str:
    parts = []
    life = _years(entity.birth, entity.death)
    if life and entity.kind == "person":
        parts.append(f"({life})" if entity.birth and entity.death else life)
    for office, start, end in entity.offices:
        years = _years(start, end)
        parts.append(f"{office} ({years})" if years else office)
    # a place's kind only where it tells places apart: "Prussia (region)", not "Moscow (settlement)"
    if entity.kind == "place" and entity.type and entity.type not in ("settlement", "city", "town", "village"):
        parts.append(f"({entity.type})")
    if entity.kind == "org" and not parts:
        parts.append("(organisation)")
    if entity.declared_in:  # an entry of one document of TEI from elsewhere: which one
        parts.append(f"({entity.declared_in})")
    # "(1897–1977), Secretary of State ..." follows the name after a space; offices alone after a comma
    return ", ".join(p for p in parts if p)


def heading(entity: Entity) -> str:
    """The entry's heading as the indexes file it: "Chamberlain, Neville" (surname first)."""
    return f"{entity.surname}, {entity.forename}" if entity.surname and entity.forename else (entity.surname or entity.name)


def register_data(registers: Registers) -> tuple[list[dict], list[dict]]:
    """(person and organisation entries, place entries) for the book's indexes."""
    tables = []
    for table in (registers.persons, registers.places):
        entries = []
        for entity in table.values():
            entries.append({"id": entity.id, "kind": entity.kind, "heading": heading(entity),
                            "detail": identification(entity), "sort": entity.sort_key})
        entries.sort(key=lambda e: (e["sort"], e["id"]))
        tables.append(entries)
    return tables[0], tables[1]
