"""The generic checks of `[validation] model = "tei"`: what any TEI P5 document must satisfy to be
published, whoever encoded it.

The edition model's rules (an archival source, declared participants, names pointing into the
registers: schemas/edition.sch) express one project's editorial choices, and documents from DraCor,
ELTeC, FRUS or a TEI Publisher project rightly have none of them. What every document needs, so that
its pages and its book are complete and its links work, is checked here:

- the TEI namespace on <TEI> or <teiCorpus> (a missing xmlns is the commonest slip, and without it
  no stylesheet rule matches);
- same-document pointers ("#id" in @ref, @target, @corresp, ...) lead to an element of the document
  (a warning), and speakers (<sp who="#Alber">) to a person of its particDesc or a listPerson (an
  error: the speaker's name is what labels the turn);
- dates (@when, @notBefore, @notAfter, @from, @to) are W3C dates as TEI defines them
  (data.temporal.w3c: 1890, 1890-09, 1890-09-23, 1890-09-23T10:15:00, --09-23, -0044-03-15 ...).

Ids unique: libxml2 refuses a document whose xml:ids repeat when it parses it (xml.duplicate-id).
The edition model has the same checks in Schematron (edition.sch, patterns local-pointers and dates).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from edition.diagnostics import Diagnostic, error, warning
from edition.documents import TEI_NS, XML_ID
from edition.schema_messages import source_position

T = f"{{{TEI_NS}}}"
# Attributes whose "#id" tokens are pointers into the same document (TEI's data.pointer attributes
# that documents use most; others, such as @facs, usually name images).
POINTERS = ("who", "ref", "target", "corresp", "sameAs", "resp", "hand", "wit", "source", "ana", "spanTo",
            "next", "prev", "synch", "copyOf", "start", "end", "rendition", "decls")
# @from/@to are dates only on datable elements: on these they are pointers, folio numbers or pages.
NOT_DATES = {"locus", "locusGrp", "biblScope", "citedRange", "span", "spanGrp", "arc", "relation",
             "link", "alt", "join", "timeline", "when", "measure", "ptr", "ref", "idno", "dimensions"}
DATE_ATTRIBUTES = ("when", "notBefore", "notAfter", "from", "to")
# xs:date, xs:gYear, xs:gYearMonth, xs:dateTime, xs:time, xs:gMonthDay, xs:gMonth, xs:gDay, with an
# optional time zone: the types of TEI's data.temporal.w3c.
_ZONE = r"(Z|[+-]\d{2}:\d{2})?"
_TIME = r"\d{2}:\d{2}:\d{2}(\.\d+)?"
W3C_DATE = re.compile(rf"^(-?\d{{4,}}(-\d{{2}}(-\d{{2}}(T{_TIME})?)?)?|{_TIME}|--\d{{2}}(-\d{{2}})?|---\d{{2}}){_ZONE}$")
EXAMPLES = 3  # unresolved pointers a warning names
SPEAKER_LISTS = (f".//{T}particDesc//*[@{XML_ID}]", f".//{T}listPerson//*[@{XML_ID}]")


def _real_date(value: str) -> bool:
    """A W3C date whose month and day exist (1890-02-30 does not)."""
    if not W3C_DATE.match(value):
        return False
    if m := re.match(r"^(-?\d{4,})-(\d{2})(?:-(\d{2}))?", value):
        year, month, day = int(m[1]), int(m[2]), m[3]
    elif m := re.match(r"^--(\d{2})(?:-(\d{2}))?", value):  # --MM-DD: any year, so February has 29
        year, month, day = 2000, int(m[1]), m[2]
    else:
        return True  # a year, a time of day, ---DD
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return not day or 1 <= int(day) <= days


def namespace_diagnostics(tree: etree._ElementTree, path: Path) -> list[Diagnostic]:
    root = tree.getroot()
    name = etree.QName(root)
    if name.localname in ("TEI", "teiCorpus") and name.namespace != TEI_NS:
        found = f'in the namespace "{name.namespace}"' if name.namespace else "in no namespace"
        return [error(path, f"<{name.localname}> is {found}, not in TEI's; no rule of the stylesheets applies to it",
                      "tei.namespace", root.sourceline or 0,
                      hint=f'write <{name.localname} xmlns="{TEI_NS}"> (TEI P5; a TEI P4 document needs converting)')]
    return []


def generic_diagnostics(tree: etree._ElementTree, path: Path, source: list[str]) -> list[Diagnostic]:
    """Every generic check of one document of the "tei" model."""
    found = namespace_diagnostics(tree, path)
    if found:
        return found
    ids = {e.get(XML_ID) for e in tree.iter() if isinstance(e.tag, str) and e.get(XML_ID)}
    # Speakers, per TEI document (a teiCorpus holds several, each with its own particDesc).
    documents = tree.getroot().iter(f"{T}TEI")
    for document in documents:
        people = {e.get(XML_ID) for xpath in SPEAKER_LISTS for e in document.iterfind(xpath)}
        for sp in document.iter(f"{T}sp", f"{T}said"):
            for token in (sp.get("who") or "").split():
                if token.startswith("#") and token[1:] not in people:
                    near = "" if token[1:] not in ids else " (an element has that xml:id, but it is no person)"
                    found.append(error(path, f'<{etree.QName(sp).localname} who="{sp.get("who")}"> names no person of '
                                             f"this document: no person with xml:id=\"{token[1:]}\" in particDesc or a "
                                             f"listPerson{near}", "tei.speaker-resolves", *source_position(sp, source),
                                       hint=f'declare <person xml:id="{token[1:]}"> in profileDesc/particDesc/listPerson'))
    unresolved: dict[tuple[str, str], list[tuple[etree._Element, str]]] = {}  # (element, attribute) -> uses
    for element in tree.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(T):
            continue
        local = element.tag[len(T):]
        for attribute in POINTERS:
            value = element.get(attribute)
            if not value or "#" not in value or (attribute == "who" and local in ("sp", "said")):
                continue
            for token in value.split():
                if token.startswith("#") and token[1:] not in ids:
                    unresolved.setdefault((local, attribute), []).append((element, token))
                    break
        if local in NOT_DATES:
            continue
        for attribute in DATE_ATTRIBUTES:
            value = element.get(attribute)
            if attribute in ("from", "to") and value is not None and value.strip().startswith("#"):
                continue  # a pointer (<app from="#w1">, <span from="#a1">), not a date
            if value is not None and not _real_date(value.strip()):
                found.append(error(path, f'<{local}> has {attribute}="{value}", which is not a W3C date; write e.g. '
                                         "1890, 1890-09, 1890-09-23 or 1890-09-23T10:15:00 (with a real month and "
                                         "day)", "tei.date-iso", *source_position(element, source),
                                   hint="a date in another form goes in the element's text, or in @when-custom"))
    found.extend(pointer_warnings(unresolved, path, source))
    return found


def pointer_warnings(unresolved: dict, path: Path, source: list[str]) -> list[Diagnostic]:
    """One warning per kind of pointer (element and attribute) that leads nowhere, at its first use,
    with the count and the first examples: TEI from elsewhere often points into its project's
    registers with a bare "#id" (schnitzler-tagebuch's <rs ref="#pmb91270">), thousands of times in a
    corpus; one warning per pointer would bury every other message, and the text is published all
    the same."""
    found = []
    for (local, attribute), uses in unresolved.items():
        shown = ", ".join(f'"{token}" (line {element.sourceline})' for element, token in uses[:EXAMPLES])
        more = f" and {len(uses) - EXAMPLES} more" if len(uses) > EXAMPLES else ""
        pointers = f"{len(uses)} pointers" if len(uses) > 1 else "1 pointer"
        found.append(warning(path, f"<{local} {attribute}>: {pointers} to no element of this document: no "
                                   f"xml:id for {shown}{more}", "tei.pointer-resolves",
                             *source_position(uses[0][0], source),
                             hint="correct the pointers, or give the elements they mean those xml:ids (pointers "
                                  "into registers kept elsewhere may stay: the text is published all the same)"))
    return found
