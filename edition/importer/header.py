"""The teiHeader of a drafted document, modelled on the hand-encoded reference document."""

from __future__ import annotations

import re

from lxml import etree

from edition.importer.emit import XML_NS, Context, E, sub
from edition.importer.recognise import Draft
from edition.importer.source import NORMALISATION

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
WEBSITE = "Selected Secret Documents from Soviet Foreign Policy Documents Archives – 1919 to 1941"


def display_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{d} {MONTH_NAMES[m - 1]} {y}"


def short_title(draft: Draft) -> str:
    names = draft.party_labels()[:3]
    who = " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]
    kind = draft.doc_type or "document"
    if draft.doc_type in ("telegram", "letter", "memorandum", "note") and len(names) >= 1:
        who = names[0] + (" to " + names[1] if len(names) > 1 else "")
    return f"{who}: {kind}" if who else kind.capitalize()


def _without_markers(part) -> str:
    """The title without its note markers ("… Saracoglu *": the note is anchored in the head)."""
    text = part.text
    for m in sorted(part.markers, key=lambda m: m.start, reverse=True):
        text = text[:m.start] + text[m.end:]
    return text


def header(draft: Draft, ctx: Context, doc_id: str) -> etree._Element:
    head = draft.head
    title_text = " ".join(_without_markers(head).split()) if head else "Untitled document"
    tei_header = E("teiHeader")
    file_desc = sub(tei_header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", {"type": "main"}, title_text)
    sub(title_stmt, "title", {"type": "short"}, short_title(draft))
    sub(title_stmt, "editor", {f"{{{XML_NS}}}id": "ed", "role": "encoder"}, ctx.editor)
    importer = sub(title_stmt, "respStmt", {f"{{{XML_NS}}}id": "importer"})
    sub(importer, "resp", None, "drafted by edition import")
    sub(importer, "orgName", None, "edition import (software)")
    if draft.recorder:
        name, entity, _ = draft.recorder
        recorder = sub(title_stmt, "respStmt", {f"{{{XML_NS}}}id": "recorder"})
        sub(recorder, "resp", None, "signed by" if draft.doc_type in ("telegram", "letter", "memorandum", "note")
            else "recorded by")
        sub(recorder, "persName", {"ref": f"{ctx.persons_href}#{entity.id}" if entity else None},
            entity.name if entity else name)
    editors = sub(title_stmt, "respStmt", {f"{{{XML_NS}}}id": "source-editors"})
    sub(editors, "resp", None, "editors of the first publication, authors of its notes")
    pub_title = draft.publication[0].title if draft.publication else ""
    sub(editors, "orgName", None, f"Editors of “{pub_title}”" if pub_title else "Editors of the source publication")

    publication = sub(file_desc, "publicationStmt")
    sub(publication, "publisher", None, ctx.publisher)
    sub(publication, "date", {"when": ctx.today[:4]}, ctx.today[:4])
    sub(publication, "idno", {"type": "edition"}, doc_id)

    source_desc = sub(file_desc, "sourceDesc")
    if draft.archival:
        a, _ = draft.archival
        ms = sub(source_desc, "msDesc")
        ident = sub(ms, "msIdentifier")
        if a.settlement:
            sub(ident, "settlement", None, a.settlement)
        sub(ident, "repository", None, a.repository)
        sub(ident, "idno", {"type": "archive"}, a.archive)
        for key in ("fond", "opis", "papka", "delo"):
            if key in a.parts:
                sub(ident, "idno", {"type": key}, a.parts[key])
        item = sub(sub(ms, "msContents"), "msItem")
        if "folios" in a.parts:
            sub(item, "locus", {"from": a.folio_from, "to": a.folio_to}, "L. " + a.parts["folios"])
        sub(item, "title", None, title_text + (f", {display_date(draft.date.iso)}" if draft.date else ""))
    if draft.publication or ctx.from_website:
        bibls = sub(source_desc, "listBibl", {"type": "publications"})
        if draft.publication:
            pub, _ = draft.publication
            bibl = sub(bibls, "bibl", {"type": "first-publication"})
            sub(bibl, "title", {"level": "m"}, pub.title)
            if pub.volume:
                sub(bibl, "biblScope", {"unit": "volume"}, pub.volume)
            if pub.book:
                sub(bibl, "biblScope", {"unit": "book"}, pub.book)
            if pub.page_from:
                pages = pub.page_from if pub.page_from == pub.page_to else f"{pub.page_from}–{pub.page_to}"
                sub(bibl, "biblScope", {"unit": "page", "from": pub.page_from, "to": pub.page_to}, pages)
        if ctx.from_website:
            sub(bibls, "bibl", {"type": "translation"},
                f"English translation as published on the website “{WEBSITE}”, the transcript this edition is made from.")
    if not len(source_desc):
        sub(source_desc, "p", None, f"Transcript {ctx.source_label}; no archival citation was recognised.")

    tei_header.append(encoding_desc())
    tei_header.append(profile_desc(draft, ctx))
    revision = sub(tei_header, "revisionDesc", {"status": "draft"})   # see validate.DRAFT_WARNINGS
    lines = [b.first for p in draft.parts for b in p.blocks] + [b.last for p in draft.parts for b in p.blocks]
    sub(revision, "change", {"when": ctx.today, "who": "#importer"},
        f"Drafted by edition import from {ctx.source_label} (lines {min(lines)}–{max(lines)}).")
    return tei_header


def encoding_desc() -> etree._Element:
    decl = E("editorialDecl")
    correction = sub(decl, "correction", {"method": "markup"})
    sub(correction, "p", None, "Names the register lists as known misspellings are corrected with choice, sic and corr "
                               "(resp=\"#importer\", cert=\"medium\"); other errors are left for the editors.")
    normalization = sub(decl, "normalization", {"method": "silent"})
    sub(normalization, "p", None, "Characters of the translation normalised on import: "
        + "; ".join(description for _, _, description in NORMALISATION) + ".")
    quotation = sub(decl, "quotation", {"marks": "all"})
    sub(quotation, "p", None, "The source’s quotation marks are kept as characters (“ ”); quotations are not yet "
                              "encoded with q.")
    hyphenation = sub(decl, "hyphenation", {"eol": "none"})
    sub(hyphenation, "p", None, "The transcript has no line-end hyphenation.")
    segmentation = sub(decl, "segmentation")
    sub(segmentation, "p", None, "Paragraphs are those of the source. A paragraph divided by a page break is joined, "
                                 "and the break is marked with pb where it stood; the website's repeated banner and "
                                 "navigation lines are omitted.")
    interpretation = sub(decl, "interpretation")
    sub(interpretation, "p", None, "Each paragraph that reports a person's turn is attributed to that person (sp with "
                                   "who) by the importer, from the paragraph's grammatical subject; narration belongs "
                                   "to no speaker. The attribution is a draft for the editors to check.")
    return E("encodingDesc", None, None, decl)


def profile_desc(draft: Draft, ctx: Context) -> etree._Element:
    profile = E("profileDesc")
    if draft.date:
        creation = sub(profile, "creation")
        d = draft.date
        text = display_date(d.when) if d.when else f"{display_date(d.from_)} – {display_date(d.to)}"
        sub(creation, "date", {"when": d.when, "from": d.from_, "to": d.to}, text)
        if draft.place:
            creation[-1].tail = ", "
            sub(creation, "placeName", {"ref": f"{ctx.places_href}#{draft.place.id}"}, draft.place.name)
    usage = sub(profile, "langUsage")
    sub(usage, "language", {"ident": "en"}, "English (translation from the Russian)")
    speakers: dict[str, int] = {}
    for p in draft.parts:
        if p.speaker and not p.speaker.startswith("name:"):
            speakers[p.speaker] = speakers.get(p.speaker, 0) + 1
    participants = [e.id for e in draft.parties if e.kind == "person"]
    participants += [s for s in speakers if s not in participants]
    if draft.recorder and draft.recorder[1] is not None and draft.recorder[1].id not in participants:
        participants.append(draft.recorder[1].id)
    if participants:
        listing = sub(sub(profile, "particDesc"), "listPerson", {"type": "participants"})
        for pid in participants:
            sub(listing, "person", {"sameAs": f"{ctx.persons_href}#{pid}",
                                    "role": "speaker" if pid in speakers else "silent"})
    keywords = sub(sub(profile, "textClass"), "keywords")
    sub(keywords, "term", {"type": "document-type"}, draft.doc_type or "document")
    for text, _ in draft.classifications:
        sub(keywords, "term", {"type": "classification"}, re.sub(r"\s+", " ", text).strip().capitalize())
    return profile
