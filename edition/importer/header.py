"""The teiHeader of a drafted document: the header builder (edition/header.py) filled from what the
transcript says."""

from __future__ import annotations

import re

from lxml import etree

from edition.corpus import format_date
from edition.header import Archive, Header, Publication, Responsibility, Wording, build_header
from edition.importer.emit import Context
from edition.importer.recognise import Draft
from edition.importer.source import NORMALISATION
WEBSITE = "Selected Secret Documents from Soviet Foreign Policy Documents Archives – 1919 to 1941"


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
    """The draft's header, by the builder `edition new` uses too (edition/header.py)."""
    head = draft.head
    title_text = " ".join(_without_markers(head).split()) if head else "Untitled document"
    responsibilities = [Responsibility("importer", "drafted by edition import", "edition import (software)", "orgName")]
    if draft.recorder:
        name, entity, _ = draft.recorder
        responsibilities.append(Responsibility(
            "recorder", "signed by" if draft.doc_type in ("telegram", "letter", "memorandum", "note") else "recorded by",
            entity.name if entity else name, ref=f"{ctx.persons_href}#{entity.id}" if entity else None))
    pub_title = draft.publication[0].title if draft.publication else ""
    responsibilities.append(Responsibility(
        "source-editors", "editors of the first publication, authors of its notes",
        f"Editors of “{pub_title}”" if pub_title else "Editors of the source publication", "orgName"))
    lines = [b.first for p in draft.parts for b in p.blocks] + [b.last for p in draft.parts for b in p.blocks]
    return build_header(Header(
        doc_id=doc_id, title=title_text, short_title=short_title(draft), editor=ctx.editor,
        responsibilities=responsibilities, publisher=ctx.publisher, year=ctx.today[:4],
        archive=_archive(draft, title_text), publications=_publications(draft, ctx),
        source_note=f"Transcript {ctx.source_label}; no archival citation was recognised.",
        editorial=EDITORIAL, **_profile(draft, ctx),
        revision=("draft", ctx.today, "#importer",  # status: the draft rules of schemas/edition.sch
                  f"Drafted by edition import from {ctx.source_label} (lines {min(lines)}–{max(lines)}).")))


def _wording(draft: Draft, kind: str, data) -> Wording | None:
    """The line `data` was read from, in the transcript's words (the text keeps no copy of it)."""
    part = next((p for p in draft.parts if p.kind == kind and p.data is data), None)
    return Wording(part.text, list(part.todos)) if part else None


def _archive(draft: Draft, title_text: str) -> Archive | None:
    if not draft.archival:
        return None
    a, _ = draft.archival
    folios = (a.folio_from, a.folio_to, "L. " + a.parts["folios"]) if "folios" in a.parts else None
    return Archive(repository=a.repository, settlement=a.settlement or None, abbreviation=a.archive or "",
                   levels={key: a.parts[key] for key in ("fond", "opis", "papka", "delo") if key in a.parts},
                   folios=folios, item_title=title_text + (f", {format_date(draft.date.iso)}" if draft.date else ""),
                   wording=_wording(draft, "archival", a))


def _publications(draft: Draft, ctx: Context) -> list[Publication]:
    found = []
    if draft.publication:
        pub, _ = draft.publication
        scopes = [(unit, value, None, None) for unit, value in (("volume", pub.volume), ("book", pub.book)) if value]
        if pub.page_from:
            pages = pub.page_from if pub.page_from == pub.page_to else f"{pub.page_from}–{pub.page_to}"
            scopes.append(("page", pages, pub.page_from, pub.page_to))
        found.append(Publication("first-publication", pub.title, scopes=scopes,
                                 wording=_wording(draft, "publication", pub)))
    # A second archival or publication line has no data of its own in the header: a bibl of its
    # wording only, which the outputs cite as written.
    described = [read[0] for read in (draft.archival, draft.publication) if read]
    for part in draft.parts:
        if part.kind in ("archival", "publication") and not any(part.data is d for d in described):
            found.append(Publication("source-citation", wording=Wording(part.text, list(part.todos))))
    if ctx.from_website:
        found.append(Publication("translation", text="English translation as published on the website "
                                                     f"“{WEBSITE}”, the transcript this edition is made from."))
    return found


# The editorial principles of every draft: what the importer did, for the editors to check.
EDITORIAL = [
    ("correction", {"method": "markup"}, "Names the register lists as known misspellings are corrected with choice, "
     "sic and corr (resp=\"#importer\", cert=\"medium\"); other errors are left for the editors."),
    ("normalization", {"method": "silent"}, "Characters of the translation normalised on import: "
     + "; ".join(description for _, _, description in NORMALISATION) + "."),
    ("quotation", {"marks": "all"}, "The source’s quotation marks are kept as characters (“ ”); quotations are not "
     "yet encoded with q."),
    ("hyphenation", {"eol": "none"}, "The transcript has no line-end hyphenation."),
    ("segmentation", {}, "Paragraphs are those of the source. A paragraph divided by a page break is joined, and the "
     "break is marked with pb where it stood; the website's repeated banner and navigation lines are omitted. The "
     "archival citation and the publication under the text are data of the header (msDesc, listBibl), each with "
     "its line in the source's words (note type=\"source-wording\"), and are not repeated in the text."),
    ("interpretation", {}, "Each paragraph that reports a person's turn is attributed to that person (sp with who) "
     "by the importer, from the paragraph's grammatical subject; narration belongs to no speaker. The attribution "
     "is a draft for the editors to check."),
]


def _profile(draft: Draft, ctx: Context) -> dict:
    """The profileDesc's fields of the Header: date and place, participants, type and classification."""
    fields = {"language": ("en", "English (translation from the Russian)"), "doc_type": draft.doc_type or "document",
              "classifications": [re.sub(r"\s+", " ", text).strip().capitalize() for text, _ in draft.classifications]}
    if draft.date:
        d = draft.date
        shown = format_date(d.when) if d.when else f"{format_date(d.from_)} – {format_date(d.to)}"
        fields["date"] = ({"when": d.when, "from": d.from_, "to": d.to}, shown)
        if draft.place:
            fields["place"] = (f"{ctx.places_href}#{draft.place.id}", draft.place.name)
    speakers: dict[str, int] = {}
    for p in draft.parts:
        if p.speaker and not p.speaker.startswith("name:"):
            speakers[p.speaker] = speakers.get(p.speaker, 0) + 1
    participants = [e.id for e in draft.parties if e.kind == "person"]
    participants += [s for s in speakers if s not in participants]
    if draft.recorder and draft.recorder[1] is not None and draft.recorder[1].id not in participants:
        participants.append(draft.recorder[1].id)
    fields["participants"] = [(f"{ctx.persons_href}#{pid}", "speaker" if pid in speakers else "silent")
                              for pid in participants]
    return fields
