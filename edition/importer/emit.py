"""A `Draft` → a TEI document, built with lxml (never by string concatenation).

The header follows the hand-encoded reference document: what the transcript allows to derive is
filled in; what it does not is reported (and, in the text, marked `note[@type='todo']`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

from edition.importer.names import Mention
from edition.importer.recognise import Draft, Part

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
T = f"{{{TEI_NS}}}"
GAP = re.compile(r"\[(?:\.\.\.|…)\]")
SUPPLIED = re.compile(r"\[([^\[\]\d.…][^\[\]]{0,60})\]")
DOC_TYPE_SHORT = {"record of conversation": "conversation", "telegram": "telegram", "diary": "diary",
                  "letter": "letter", "memorandum": "memorandum", "note": "note"}


@dataclass
class Context:
    persons_href: str          # @ref prefix for persons and organisations, e.g. "persons.xml"
    places_href: str
    rng_href: str
    sch_href: str
    source_label: str          # the transcript's file name, for the revisionDesc
    today: str                 # ISO date of the import (SOURCE_DATE_EPOCH for reproducible output)
    editor: str = "The edition project"
    publisher: str = "The edition project"
    from_website: bool = False  # the website's banner was met: say so in listBibl


def E(tag: str, attrib: dict | None = None, text: str | None = None, *children) -> etree._Element:
    el = etree.Element(T + tag, {k: v for k, v in (attrib or {}).items() if v is not None})
    if text:
        el.text = text
    for c in children:
        if c is not None:
            el.append(c)
    return el


def sub(parent, tag: str, attrib: dict | None = None, text: str | None = None) -> etree._Element:
    el = E(tag, attrib, text)
    parent.append(el)
    return el


def _append_text(el: etree._Element, text: str) -> None:
    if not text:
        return
    try:
        last = el[-1]        # O(1) in lxml, where len(el) counts every child
    except IndexError:
        el.text = (el.text or "") + text
    else:
        last.tail = (last.tail or "") + text


UNSTYLED = {T + "note", T + "pb"}  # not inside an emphasis: a note's text is its own, a page break is none


def _append_styled(el: etree._Element, text: str, at: int, styles: list[tuple[int, int, str]]) -> None:
    """`text`, which starts at offset `at` of the styled text, with its emphasised runs as <hi rend>."""
    position = 0
    for a, b, rend in styles:
        a, b = max(a - at, position), min(b - at, len(text))
        if a >= b:
            continue
        _append_text(el, text[position:a])
        el.append(E("hi", {"rend": rend}, text[a:b]))
        position = b
    _append_text(el, text[position:])


def _join_hi(el: etree._Element) -> None:
    """One <hi> where emphasis ran on over a name: <hi>the speech of </hi><hi><persName>…</persName></hi>."""
    previous = None
    for child in list(el):
        if (previous is not None and child.tag == previous.tag == T + "hi" and not previous.tail
                and child.get("rend") == previous.get("rend")):
            _append_text(previous, child.text or "")
            for grandchild in list(child):
                previous.append(grandchild)
            previous.tail = child.tail
            el.remove(child)
            continue
        previous = child


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


STOP_WORDS = set("of the a an to with from in on and for by at this that was were".split())


def document_id(draft: Draft) -> tuple[str, str]:
    """(xml:id, file stem): 'stalin-eden-1941-12-18' and '1941-12-18_stalin-eden'. An undated
    document without named parties is named from its title's words ('undated_note-plenipotentiary-rsfsr-turkey')."""
    short = "-".join(slug(label) for label in draft.party_labels()[:3])
    if not short and draft.head is not None:
        words = [w for w in slug(draft.head.text).split("-") if w not in STOP_WORDS and not w.isdigit()]
        short = "-".join(words[:5])
    short = short or slug(DOC_TYPE_SHORT.get(draft.doc_type, "")) or "document"
    date = draft.date.iso if draft.date else "undated"
    return f"{short}-{date}" if short[0].isalpha() else f"d-{short}-{date}", f"{date}_{short}"


class Emitter:
    def __init__(self, draft: Draft, ctx: Context):
        self.draft, self.ctx = draft, ctx
        self.p_count = 0

    # -- inline content -------------------------------------------------------------------------
    def ref(self, entity) -> str | None:
        if entity.id.startswith("name:"):
            return None   # a party not in the register (see names.role_map)
        return f"{self.ctx.places_href if entity.kind == 'place' else self.ctx.persons_href}#{entity.id}"

    def mention_element(self, m: Mention, text: str) -> etree._Element | None:
        if m.kind == "self":
            return None
        if m.kind in ("person", "unresolved") or (m.kind == "ambiguous" and m.form.entity.kind == "person"):
            el = E("persName", {"ref": self.ref(m.entity) if m.entity else None})
            if m.form is not None and m.form.type == "misspelling" and m.entity is not None:
                el.append(E("choice", None, None, E("sic", None, text),
                            E("corr", {"resp": "#importer", "cert": "medium"}, m.entity.label)))
                return el
        elif m.kind == "role":
            el = E("rs", {"type": "person", "ref": self.ref(m.entity)})
        else:
            kind = m.form.entity.kind if m.form is not None else m.kind
            el = E("placeName" if kind == "place" else "orgName" if kind == "org" else "persName",
                   {"ref": self.ref(m.entity) if m.entity else None})
        el.text = text
        return el

    def fill(self, el: etree._Element, part: Part, text: str | None = None, extra=(), base: int = 0) -> None:
        """Put `part`'s text (from offset `base` on) into `el`, with names, note anchors, page breaks,
        gaps and supplied words."""
        text = part.text if text is None else text
        spans = []   # (start, end, priority, builder), offsets in `text`
        for m in part.markers:
            spans.append((m.start, m.end, 0, lambda s, m=m: self.source_note(m.note, m.symbol)))
        for g in GAP.finditer(text):
            spans.append((g.start(), g.end(), 0, lambda s: E("gap", {"reason": "omitted-in-source"})))
        for g in SUPPLIED.finditer(text):
            spans.append((g.start(), g.end(), 1, lambda s: E("supplied", {"reason": "omitted-in-source",
                                                                            "resp": "#source-editors"}, s[1:-1])))
        offset = 0
        for block in part.blocks:
            for at, _line in block.breaks:
                spans.append((offset + at, offset + at, 0, lambda s: E("pb")))
            offset += len(block.text) + 1
        spans.extend(extra)
        for m in part.mentions:
            spans.append((m.start, m.end, 2, lambda s, m=m: self.mention_element(m, s)))
        if base:
            inner = [(a, b) for a, b in ((g.start(), g.end()) for g in (*GAP.finditer(text), *SUPPLIED.finditer(text)))]
            spans = [(a - base, b - base, pr, build) for a, b, pr, build in spans
                     if a >= base and (a, b) not in inner]
            text = text[base:]
            spans += [(g.start(), g.end(), 0, lambda s: E("gap", {"reason": "omitted-in-source"}))
                      for g in GAP.finditer(text)]
            spans += [(g.start(), g.end(), 1, lambda s: E("supplied", {"reason": "omitted-in-source",
                                                                         "resp": "#source-editors"}, s[1:-1]))
                      for g in SUPPLIED.finditer(text)]
        # emphasis from a web page or Word (<hi rend>): around the text and the names it covers
        styles = [(a - base, b - base, rend) for a, b, rend in part.styles if b - base > 0 and a - base < len(text)]
        if part.kind == "head":  # a title set in bold as a whole is a heading's typography, not emphasis
            styles = [(a, b, r) for a, b, r in styles if text[:a].strip() or text[b:].strip()]
        position = 0
        for start, end, _, build in sorted(spans, key=lambda s: (s[0], s[2], -(s[1] - s[0]))):
            if start < position:
                continue  # overlaps a span already placed (kept: the one placed first)
            child = build(text[start:end])
            if child is None:
                continue
            _append_styled(el, text[position:start], position, styles)
            rend = next((r for a, b, r in styles if a <= start and end <= b), None) if end > start else None
            el.append(E("hi", {"rend": rend}, None, child) if rend and child.tag not in UNSTYLED else child)
            position = end
        _append_styled(el, text[position:], position, styles)
        if styles:
            _join_hi(el)

    def source_note(self, note: Part | None, symbol: str) -> etree._Element:
        el = E("note", {"type": "source", "n": symbol, "place": "foot", "resp": "#source-editors"})
        if note is None:   # the marker is in the text, the note's text is not in the transcript
            el.append(E("note", {"type": "todo", "resp": "#importer"},
                        f"the source’s note {symbol} has no text in the transcript: add it from the publication, "
                        "or remove the note"))
            return el
        self.todos(el, note)
        prefix = re.match(re.escape(symbol) + r"\s*", note.text) if note.text.startswith(symbol) else None
        self.fill(el, note, base=prefix.end() if prefix else 0)
        return el

    def todos(self, el: etree._Element, part: Part) -> None:
        for message in part.todos:
            el.append(E("note", {"type": "todo", "resp": "#importer"}, message))

    # -- the text ---------------------------------------------------------------------------------
    def body(self) -> etree._Element:
        draft = self.draft
        div = E("div", {"type": "record"})
        opener = closer = list_el = sp = None
        anchored = {id(m.note) for p in draft.parts for m in p.markers}
        head_done = False
        for part in draft.parts:
            front = part.kind in ("dateline", "classification", "place", "preamble") or \
                part.kind in ("distribution", "salute") and part.data == "front"
            if not front:
                opener = None
            if part.kind not in ("closer", "distribution", "salute"):
                closer = None
            if part.kind != "item":
                list_el = None
            if part.kind != "p" or part.rule != "continues":
                if not (part.kind == "note" and id(part) in anchored):
                    sp = None
            if part.kind in ("archival", "publication"):
                continue  # the header holds it, as data and in the source's words (importer/header.py)
            if part.blocks[0].pb_before is not None:
                (sp if sp is not None and part.rule == "continues" else div).append(E("pb"))
            if part.kind == "head":
                el = sub(div, "head")
                self.fill(el, part, extra=self.date_span(part) if draft.date_in_head else ())
                self.todos(el, part)
                head_done = True
                if draft.todos:
                    for todo in draft.todos:
                        div.append(E("note", {"type": "todo", "resp": "#importer"}, todo.message))
            elif front:
                if opener is None:
                    opener = sub(div, "opener")
                self.front(opener, part)
            elif part.kind == "p":
                self.p_count += 1
                p = E("p", {f"{{{XML_NS}}}id": f"p{self.p_count}"})
                self.todos(p, part)
                self.fill(p, part)
                if part.speaker is None or part.speaker.startswith("name:"):
                    div.append(p)  # a speaker not in the register: a todo asks the editor to add an sp
                    continue
                if sp is None:
                    sp = sub(div, "sp", {"who": f"{self.ctx.persons_href}#{part.speaker}"})
                sp.append(p)
            elif part.kind == "item":
                who = part.speaker if part.speaker and not part.speaker.startswith("name:") else None
                if list_el is not None and list_el.getparent().get("who") != (f"{self.ctx.persons_href}#{who}" if who else None):
                    list_el = None
                if list_el is None:
                    # A point of a turn ("1. Cripps asked …") is in the speaker's sp; the list goes on
                    # in the same sp while the points are the same person's.
                    parent = sub(div, "sp", {"who": f"{self.ctx.persons_href}#{who}"}) if who else div
                    list_el = sub(parent, "list", {"type": "ordered"})
                item = sub(list_el, "item", {"n": part.data})  # the number as the source has it ("1.")
                self.todos(item, part)
                rest = part.text[len(part.data):]
                self.fill(item, part, base=len(part.data) + len(rest) - len(rest.lstrip()))
            elif part.kind == "note":
                if id(part) not in anchored:
                    el = self.source_note(part, part.data)
                    div.append(el)
            elif part.kind in ("closer", "distribution", "salute"):
                if closer is None:
                    closer = sub(div, "closer")
                el = sub(closer, {"closer": "signed", "salute": "salute"}.get(part.kind, "note"),
                         {"type": "distribution"} if part.kind == "distribution" else None)
                self.todos(el, part)
                self.fill(el, part)
        if not any(part.kind in ("p", "item") for part in draft.parts):
            # A title with nothing after it (the page was cut): the draft says so, and stays valid.
            sub(div, "p").append(E("note", {"type": "todo", "resp": "#importer"},
                                   "the transcript ends after the title: the text of this document is not in it"))
        if not head_done and draft.todos:
            for i, todo in enumerate(draft.todos):
                div.insert(i, E("note", {"type": "todo", "resp": "#importer"}, todo.message))
        return E("body", None, None, div)

    def date_span(self, part: Part):
        d = self.draft.date
        attrs = {"when": d.when, "from": d.from_, "to": d.to}
        return [(d.start, d.end, 1, lambda s: E("date", attrs, s))]

    def front(self, opener: etree._Element, part: Part) -> None:
        self.todos(opener, part)
        text = part.text
        if part.kind == "dateline":
            dl = part.data
            extra = [(dl.date.start, dl.date.end, 1,
                      lambda s: E("date", {"when": dl.date.when, "from": dl.date.from_, "to": dl.date.to}, s))]
            if dl.place:
                place = self.draft.place
                extra.append((*dl.place, 1, lambda s: E("placeName", {"ref": self.ref(place) if place else None}, s)))
            if dl.number:
                extra.append((*dl.number, 1, lambda s: E("idno", {"type": "registry"}, s)))
            core = [(a, b) for a, b, _, _ in extra]
            start, end = min(a for a, _ in core), max(b for _, b in core)
            before = [c for c in dl.classifications if c[1] <= start]
            after = [c for c in dl.classifications if c[0] >= end]
            self._segs(opener, text, before, until=start)
            cut = after[0][0] if after else len(text)
            dateline = sub(opener, "dateline")
            self.fill(dateline, Part("dateline", part.blocks), text[:cut].rstrip(), extra, base=start if before else 0)
            if after:
                dateline.tail = text[len(text[:cut].rstrip()):cut] or None
                self._segs(opener, text, after, until=len(text))
        elif part.kind == "classification":
            self._segs(opener, text, part.data, until=len(text), lead=True)
        elif part.kind in ("distribution", "salute"):
            el = sub(opener, "note" if part.kind == "distribution" else "salute",
                     {"type": "distribution"} if part.kind == "distribution" else None)
            self.fill(el, part)
        elif part.kind == "place":
            dateline = sub(opener, "dateline")
            sub(dateline, "placeName", {"ref": self.ref(part.data)}, part.text)
        else:  # text before the title that is not a date or a classification
            seg = sub(opener, "seg")
            self.fill(seg, part)

    def _segs(self, opener: etree._Element, text: str, spans, until: int, lead: bool = False) -> None:
        """Classification segments; the punctuation between them stays inside them (an opener
        holds no bare text), white space between them is their tail."""
        for i, (a, b) in enumerate(spans):
            if i == 0 and lead and text[:a].strip():
                seg = sub(opener, "seg")
                seg.text = text[:a].rstrip()
            nxt = spans[i + 1][0] if i + 1 < len(spans) else until
            piece = text[a:nxt]
            seg = sub(opener, "seg", {"type": "classification"}, piece.rstrip())
            seg.tail = piece[len(piece.rstrip()):] or None
