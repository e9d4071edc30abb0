"""The registers as the importer needs them: every name form → the entity it names.

Reads `persons.xml` (listPerson, listOrg) and `places.xml` (listPlace) with a safe parser, into the
edition's one register model (edition/registers.py). Each entry is known by its main name, its
surname alone, its variants and its known misspellings (type="misspelling": the importer emits
`choice/sic/corr` for those).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition.diagnostics import EditionError, error
from edition.registers import Entity, read_entities

# No entities, no DTD, no network: registers are data, not programs.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class NameForm:
    entity: Entity
    form: str
    type: str  # 'main' | 'surname' | 'variant' | 'misspelling'


def _load(path: Path) -> etree._ElementTree:
    try:
        return etree.parse(str(path), SAFE_PARSER)
    except OSError:
        raise EditionError(f"{path}: register not found",
                           hint="give --persons (and places.xml next to it), or run inside an edition") from None
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else 0
        raise EditionError(f"{path}: the register is not well-formed XML",
                           [error(path, exc.msg, "import.register", line)]) from None


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


class Register:
    """All name forms of the persons, organisations and places, matched in running text."""

    def __init__(self, entities: list[Entity], forms: list[NameForm]):
        self.entities = {e.id: e for e in entities}
        self.forms: dict[str, list[NameForm]] = {}
        for f in forms:
            self.forms.setdefault(f.form.casefold(), []).append(f)
        alternatives = sorted(self.forms, key=len, reverse=True)
        # Word-bounded, longest form first, case-insensitive ("chamberlain", "united states").
        self.pattern = re.compile(
            r"(?<![\w’'-])(?:" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w-])",
            re.IGNORECASE) if alternatives else None

    @classmethod
    def load(cls, persons_path: Path | None, places_path: Path | None) -> "Register":
        """Every name form of the registers' entries (edition/registers.py reads them, as the build does)."""
        entities: list[Entity] = []
        forms: list[NameForm] = []
        for path in (persons_path, places_path):
            if path is None:
                continue
            for entity in read_entities(_load(path)):
                if not entity.named:
                    continue  # nothing to recognise it by
                entities.append(entity)
                forms.append(NameForm(entity, entity.name, "main"))
                if entity.surname:
                    forms.append(NameForm(entity, entity.surname, "surname"))
                for name, kind in entity.other_names:
                    forms.append(NameForm(entity, name, "misspelling" if kind == "misspelling" else "variant"))
        return cls(entities, forms)

    def lookup(self, text: str) -> list[NameForm]:
        """The forms spelled `text` (case-insensitively, and then without accents: "Sofía" is Sofia);
        more than one entity means ambiguous."""
        found = self.forms.get(text.casefold())
        if found is None:
            if not hasattr(self, "_folded"):
                self._folded: dict[str, list[NameForm]] = {}
                for key, forms in self.forms.items():
                    self._folded.setdefault(_fold(key), []).extend(forms)
            found = self._folded.get(_fold(text), [])
        return found

    def find(self, text: str):
        """Yield (start, end, [NameForm]) for every register name in `text`, left to right."""
        if self.pattern is None:
            return
        for m in self.pattern.finditer(text):
            candidates = self.lookup(m.group(0))
            # A lower-case match of a capitalised one-word person name is a common word ("hull",
            # "king"), unless the register spells it in lower case itself.
            if m.group(0).islower() and " " not in m.group(0) and all(
                    c.entity.kind == "person" and not c.form.islower() for c in candidates) \
                    and not _after_title(text, m.start()):
                continue
            yield m.start(), m.end(), candidates


def _after_title(text: str, start: int) -> bool:
    return bool(re.search(r"(?:comrade|mr|herr|general|the|of)\.?\s+$", text[max(0, start - 12):start], re.I))
