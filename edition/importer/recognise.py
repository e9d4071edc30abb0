"""One document's paragraphs → a `Draft`: what each paragraph is, who speaks, where notes belong.

The order of decisions: the title (and its continuation lines), the front matter (date,
classification, place), the tail read backwards (archival citation, prior publication, the
source's notes, distribution, the recorder's or signer's line), then the body. Names are found
with the register; speakers by the rules in `speakers.speaker_of` (each decision records its rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from edition.importer import fields
from edition.importer.names import Mention, MentionFinder, role_map, unresolved_candidates
from edition.importer.register import Register
from edition.importer.segment import Block, title_kind
from edition.importer.speakers import attribute_speakers
from edition.registers import Entity

FIRST_PERSON_TYPES = {"telegram", "letter", "diary", "memorandum", "note"}
NOTE_TEXT = re.compile(r"^(\*{1,5}|\[\d{1,3}\])\s*(?=\S)")
MARKER = re.compile(r"(?<=\S)(\s?)(\*{1,5}|\[\d{1,3}\])(?=[\s,.;:?!)”’\"]|$)")
# A note number glued to its word ("assistance255", "us’21"), and a note line that begins with it.
GLUED_MARKER = re.compile(r"(?:(?<=[a-zà-ÿ]{3})|(?<=[a-z]{2}’))()(\d{1,3})(?=[\s,.;:?!)”’\"]|$)")
# A note number standing alone before a comma or full stop ("food products 1 , as"): a marker only
# where the transcript has a note line with that number.
SPACED_MARKER = re.compile(r"(?<=[a-z])(\s)(\d{1,3})(?=\s?[,.;:])")
NUMERIC_NOTE = re.compile(r"^(\d{1,3})\s+(?=[A-Za-z“\"])")
LIST_ITEM = re.compile(r"^(\d{1,2}[.)]|[a-z][)])\s+(?=\S)")
DISTRIBUTION = re.compile(r"^(?:sent to|sent:|distributed to|dispatched to|copies? (?:to|sent to)|copy to|to:|"
                          r"distribution:|mailing list:)", re.I)
RECORDER = re.compile(r"^(?:translated|recorded|written down|compiled|drawn up|prepared|noted down|taken down|"
                      r"record made|interpreted)(?:\s+by)?\s*:?\s+(?P<name>.{2,80})$", re.I)
OFFICE = re.compile(r"^(?:(?:the\s+)?(?:USSR|Soviet|British|German|French)\s+)?(?:plenipotentiary|polpred|"
                    r"charg[eé] d[’']affaires|ambassador|envoy|people[’']s commissar|deputy people[’']s commissar|"
                    r"counsellor|first secretary|military attach[eé])\b.{0,100}$", re.I)
BARE_NAME = re.compile(r"^(?:[A-Z]\.\s?){0,3}[A-Z][a-zà-ÿ’'-]+(?:\s+[A-Z][a-zà-ÿ’'-]+){0,2}\.?$")
CONNECTIVE_END = re.compile(r"(?:\b(?:of|the|with|and|to|from|between|by|in|on)|,)\s*$", re.I)
EDITORIAL = re.compile(r"\b(?:in the original|mistaken|erroneous|so in the|should read|apparently|evidently|"
                       r"not found|not published|not printed|see\b|is meant|refers? to|here and below|"
                       r"omitted|illegible|not identified|not established|the text of|typographical)", re.I)
@dataclass
class Todo:
    line: int
    message: str


@dataclass
class Part:
    kind: str            # preamble head dateline classification place p item note closer distribution archival publication
    blocks: list[Block]
    mentions: list[Mention] = field(default_factory=list)
    speaker: str | None = None       # entity id, or "name:<Name>" for an unresolved name
    rule: str = ""                   # which rule decided the speaker
    data: object = None              # DateLine / classification spans / Archival / Publication / list label
    markers: list["Marker"] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.blocks)

    @property
    def styles(self) -> list[tuple[int, int, str]]:
        """The emphasised runs of its blocks (from a web page or Word), as offsets in `text`."""
        found, offset = [], 0
        for block in self.blocks:
            found.extend((offset + a, offset + b, rend) for a, b, rend in block.styles)
            offset += len(block.text) + 1
        return found

    @property
    def line(self) -> int:
        return self.blocks[0].first


@dataclass
class Marker:
    part: Part
    start: int           # span in part.text, including a space before the marker
    end: int
    symbol: str
    note: Part | None = None


@dataclass
class Draft:
    source: Path
    doc_type: str | None
    parts: list[Part]
    date: fields.DateFound | None = None
    date_line: int = 0
    date_in_head: bool = False
    place: Entity | None = None
    parties: list[Entity] = field(default_factory=list)
    author: Entity | None = None          # the first person: the author of a letter or telegram, a record's recorder
    addressees: list[Entity] = field(default_factory=list)   # whom a letter or telegram is sent to (never a speaker)
    recorder: tuple[str, Entity | None, int] | None = None   # (name as written, entity, line)
    archival: tuple[fields.Archival, int] | None = None
    publication: tuple[fields.Publication, int] | None = None
    unresolved: dict[str, list[int]] = field(default_factory=dict)   # name → lines where met
    todos: list[Todo] = field(default_factory=list)   # about the document as a whole (no title, no date)

    @property
    def all_todos(self) -> list[Todo]:
        """Everything the editor must decide: the document's, then each part's, in source order."""
        return self.todos + sorted((Todo(p.line, t) for p in self.parts for t in p.todos), key=lambda t: t.line)

    def party_labels(self) -> list[str]:
        """The title's parties as short names, persons (also those not in the register) first."""
        head = self.head
        persons, others = [], []
        for m in head.mentions if head else []:
            if m.kind == "person" and m.entity:
                persons.append(m.entity.surname or m.entity.name)
            elif m.kind == "unresolved":
                persons.append(m.text.split()[-1])
            elif m.kind == "org" and m.entity:
                others.append(m.text if len(m.text) <= 12 else m.entity.name)
        return list(dict.fromkeys(persons or others))

    def of(self, kind: str) -> list[Part]:
        return [p for p in self.parts if p.kind == kind]

    @property
    def head(self) -> Part | None:
        return next((p for p in self.parts if p.kind == "head"), None)

    @property
    def classifications(self) -> list[tuple[str, int]]:
        found = []
        for p in self.parts:
            if p.kind in ("classification", "dateline") and p.data:
                spans = p.data if p.kind == "classification" else p.data.classifications
                found.extend((p.text[a:b], p.line) for a, b in spans)
        return found


def _front_kind(text: str, register: Register):
    if dl := fields.parse_date_line(text):
        return "dateline", dl
    if spans := fields.classifications_in(text):
        return "classification", spans
    if DISTRIBUTION.match(text):   # "Sent to comrade Stalin, …": who received it, never a participant
        return "distribution", "front"
    forms = register.lookup(text.strip(" .,"))
    if forms and forms[0].entity.kind == "place":
        return "place", forms[0].entity
    return None, None


# A letter's greeting and closing formula (TEI salute): the form of the letter, not a turn.
SALUTE = re.compile(r"^[“\"]?(?:(?:mr|mrs|messrs)\.?(?=\s)|(?:mr|mrs|dear|lord|sir|madam|monsieur|comrade|my dear|"
                    r"your excellency|excellency|esteemed|respected)\b)[^.!?]{0,60},\s*$", re.I)   # "Mr. Ambassador,"
CLOSING = re.compile(r"^(?:please accept|accept,|with (?:\w+\s+)?(?:greetings|respect|regards)|yours (?:sincerely|"
                     r"faithfully|truly)|i remain\b|respectfully)", re.I)


def _tail_kind(text: str, register: Register):
    if CLOSING.match(text) and len(text) < 250:
        return "salute", "close"
    if a := fields.parse_archival(text):
        return "archival", a
    if pub := fields.parse_publication(text):
        return "publication", pub
    if NOTE_TEXT.match(text):
        return "note", NOTE_TEXT.match(text).group(1)
    if DISTRIBUTION.match(text):
        return "distribution", None
    if RECORDER.match(text) or OFFICE.match(text) and len(text) < 120:
        return "closer", None
    if BARE_NAME.match(text) and len(text) < 50:
        words = re.findall(r"[A-Z][a-zà-ÿ’'-]+", text)
        if any(register.lookup(w) for w in words) or (words and words[-1] not in _COMMON_ENDINGS):
            return "closer", None
    return None, None


_COMMON_ENDINGS = {"Agreed", "Yes", "No", "End", "Signature", "Approved", "Attachment", "Appendix", "Enclosure"}


INITIAL_END = re.compile(r"(?:^|\s)(?:[A-Z][a-z]?\.\s?){1,3}$")   # "… in Turkey L." / "Zalkind."


def _continues_title(title: str, blocks: list[Block], i: int, register: Register) -> bool:
    """Whether paragraph i is the rest of a title broken over paragraphs: the title ends in "of the",
    "with" or a person's initials, the paragraph begins in lower case, or it is a short line (an
    addressee's name, a subtitle) just above the date or classification."""
    text = blocks[i].text
    kind = _front_kind(text, register)[0]
    if kind in ("dateline", "classification", "distribution"):
        return False
    if CONNECTIVE_END.search(title) or INITIAL_END.search(title):
        return len(text) < 200
    if kind is not None:
        return False
    return text[:1].islower() or _subtitle(blocks, i, register)


def _subtitle(blocks: list[Block], i: int, register: Register) -> bool:
    """A short line between the title and the date ("Reception of the German ambassador X")."""
    short_name = len(blocks[i].text) < 40 and BARE_NAME.match(blocks[i].text.replace(". ", ".").replace(".", ". ").strip())
    return (i + 1 < len(blocks) and len(blocks[i].text) < 250 and (not blocks[i].text.rstrip().endswith(".") or short_name)
            and _front_kind(blocks[i + 1].text, register)[0] in ("dateline", "classification"))


def analyse(blocks: list[Block], register: Register, source: Path) -> Draft:
    blocks[0].pb_before = None   # a new web page before a document's first line is no break inside it
    title_at = next((i for i, b in enumerate(blocks) if title_kind(b.text)), None)
    parts: list[Part] = []
    draft = Draft(source, title_kind(blocks[title_at].text) if title_at is not None else None, parts)
    start = 0
    if title_at is not None:
        for b in blocks[:title_at]:
            kind, data = _front_kind(b.text, register)
            parts.append(Part(kind or "preamble", [b], data=data))
        head = [blocks[title_at]]
        i = title_at + 1
        while i < len(blocks) and len(head) < 3 and _continues_title(head[-1].text, blocks, i, register):
            head.append(blocks[i])
            i += 1
        parts.append(Part("head", head))
        while i < len(blocks):
            kind, data = _front_kind(blocks[i].text, register)
            if kind is None:
                break
            parts.append(Part(kind, [blocks[i]], data=data))
            i += 1
        start = i
    else:
        draft.todos.append(Todo(blocks[0].first, "no title line recognised (\"Record of conversation …\", "
                                                 "\"Telegram …\"): add a <head> and the header's title"))
    end = len(blocks)
    tail: list[Part] = []
    if end > start and (cut := _run_on_citation(blocks[end - 1].text)):
        # "… by a European power. Publ .: foreign policy of the USSR … s. 145-146.": the source runs on
        last = blocks[end - 1]
        blocks = blocks[:end - 1] + [Block(last.lines, last.text[:cut].rstrip(), last.breaks, last.pb_before),
                                     Block(last.lines, last.text[cut:])]
        end += 1
    while end > start:
        kind, data = _tail_kind(blocks[end - 1].text, register)
        if kind is None:
            break
        block = blocks[end - 1]
        if kind == "archival" and (cut := fields.split_signer(block.text)):
            # "Mikhailov avp rf, f.059, …": the signature and the citation, kept apart
            citation = Block(block.lines, block.text[cut:])
            tail.insert(0, Part(kind, [citation], data=fields.parse_archival(citation.text)))
            tail.insert(0, Part("closer", [Block(block.lines, block.text[:cut].rstrip())]))
        else:
            tail.insert(0, Part(kind, [block], data=data))
        end -= 1
    if start < end and title_at is not None and SALUTE.match(blocks[start].text):
        parts.append(Part("salute", [blocks[start]], data="front"))
        start += 1
    numbers: set[str] = set()   # note numbers met so far in the text (glued or spaced markers)
    for b in blocks[start:end]:
        if m := NOTE_TEXT.match(b.text):
            parts.append(Part("note", [b], data=m.group(1)))
        elif (m := NUMERIC_NOTE.match(b.text)) and m.group(1) in numbers:
            parts.append(Part("note", [b], data=m.group(1)))
        elif m := LIST_ITEM.match(b.text):
            parts.append(Part("item", [b], data=m.group(1)))
        else:
            parts.append(Part("p", [b]))
        numbers.update(x.group(2) for x in (*GLUED_MARKER.finditer(b.text), *SPACED_MARKER.finditer(b.text)))
    parts.extend(tail)

    # Date: the front's date line, else a date inside the title.
    for p in parts:
        if p.kind == "dateline" and draft.date is None:
            draft.date, draft.date_line = p.data.date, p.line
            if p.data.place:
                forms = register.lookup(p.text[slice(*p.data.place)])
                draft.place = forms[0].entity if forms and forms[0].entity.kind == "place" else None
        elif p.kind == "place" and draft.place is None:
            draft.place = p.data
    head = draft.head
    if draft.date is None and head is not None and (d := fields.find_date(head.text)):
        draft.date, draft.date_line, draft.date_in_head = d, head.line, True
    elif draft.date is not None and len(draft.date.iso) == 7 and head is not None and \
            (d := fields.find_date(head.text)) and d.iso.startswith(draft.date.iso):
        # "June 1937" below a title dated June 11, 1937: the title's day
        draft.date = fields.DateFound(draft.date.start, draft.date.end, d.when, d.from_, d.to)
        next(p for p in parts if p.kind == "dateline").data.date = draft.date
    if draft.place is None and head is not None:
        # "Telegram of … Litvinov from London, May 14, 1937", "… Molotov from Berlin to J. V. Stalin"
        for m in head.mentions if head.mentions else plain_places(head.text, register):
            if m.kind == "place" and m.entity and re.search(r"\bfrom\s+$", head.text[max(0, m.start - 6):m.start]):
                draft.place = m.entity
                break
    if draft.date is None:
        draft.todos.append(Todo(head.line if head else blocks[0].first,
                                "no date recognised: add profileDesc/creation/date and the dateline"))
    iso = draft.date.iso if draft.date else None

    # Unknown names, collected over the whole document first so that every occurrence is marked.
    texts = [(p, p.text) for p in parts if p.kind in ("head", "p", "item", "note", "closer", "distribution", "preamble")]
    for p, text in texts:
        for offset, name in unresolved_candidates(text, register, title=p.kind == "head"):
            line = _line_at(p, offset)
            draft.unresolved.setdefault(name, []).append(line)

    # The parties (from the title), the author of a first-person document, the roles.
    plain = MentionFinder(register, {}, None, list(draft.unresolved))
    if head is not None:
        head.mentions = plain.find(head.text, first_person=False)
        draft.parties = _unique([m.entity for m in head.mentions if m.kind in ("person", "org") and m.entity])
        draft.author, draft.addressees = _author(draft, head)
        roles = role_map(head.text, head.mentions, register, iso)
    else:
        roles = role_map("", [], register, iso)
    if draft.author is None and (signer := _signer(parts, register)) is not None:
        draft.author = signer     # the signature names the author of a note or telegram, the recorder of a record
    finder = MentionFinder(register, roles, draft.author, list(draft.unresolved))
    for p, text in texts:
        if p.kind != "head":
            p.mentions = finder.find(text, first_person=p.kind in ("p", "item"))
    _count_unresolved(draft, texts)

    _anchor_notes(draft)
    attribute_speakers(draft)
    _recorder(draft, finder)
    for p in parts:
        if p.kind == "archival" and draft.archival is None:
            draft.archival = (p.data, p.line)
        elif p.kind == "publication" and draft.publication is None:
            draft.publication = (p.data, p.line)
        for m in p.mentions:
            if m.kind == "ambiguous":
                ids = ", ".join(sorted({f.entity.id for f in register.lookup(m.text)}))
                p.todos.append(f"“{m.text}” may be any of {ids}: set @ref")
    if draft.archival is None:
        draft.todos.append(Todo(parts[-1].line, "no archival citation recognised (such as \"AP RF. F. 45. Op. 1. "
                                                 "D. 279. L. 115-122.\"): fill in sourceDesc/msDesc"))
    return draft


RUN_ON = re.compile(r"(?<=[.!?”])\s+(?=publ(?:ished)?\s*\.?\s*(?:in)?\s*:|first published\b|(?:AVP\s*RF|AP\s*RF|RGASPI|GARF)\b)", re.I)


def _run_on_citation(text: str) -> int:
    """Where a publication or archival citation run on at the end of a paragraph begins (0: none)."""
    for m in RUN_ON.finditer(text):
        rest = text[m.end():]
        if fields.parse_publication(rest) or fields.parse_archival(rest):
            return m.end()
    return 0


def plain_places(text: str, register: Register) -> list[Mention]:
    return [Mention(a, b, forms[0].entity.kind, forms[0].entity, forms[0], text[a:b])
            for a, b, forms in register.find(text) if len({f.entity.id for f in forms}) == 1]


def _author(draft: Draft, head: Part) -> tuple[Entity | None, list[Entity]]:
    """The first person and the addressees, from the title: the person named before " to " (a letter,
    note or telegram) or before " with " (a record of conversation: its recorder, the Soviet side);
    a quoted reply's author after "from". A party not in the register stands for itself by name."""
    text = head.text
    persons = [m for m in head.mentions if m.kind in ("person", "unresolved")]

    def entity(m: Mention) -> Entity:
        return m.entity if m.kind == "person" else Entity("name:" + m.text.split()[-1], "person", m.text)

    if re.match(r"the following \w+ was received", text, re.I):
        after = re.search(r"\bfrom\b", text)
        found = next((m for m in persons if after and m.start > after.end()), None)
        return (entity(found) if found else None), []
    if draft.doc_type == "record of conversation":
        cut = re.search(r"\s(?:with|and)\s", text)
    elif draft.doc_type in FIRST_PERSON_TYPES:
        cut = re.search(r"\sto\s", text)
    else:
        return None, []
    before = [m for m in persons if cut is None or m.end <= cut.start()]
    addressees = [m.entity for m in persons if cut is not None and m.start >= cut.end() and m.kind == "person"] \
        if draft.doc_type in FIRST_PERSON_TYPES else []
    if not before or draft.doc_type == "record of conversation" and cut is None:
        return None, addressees
    return entity(before[0]), addressees


def _signer(parts: list[Part], register: Register) -> Entity | None:
    """A bare signature in the register below the text ("Chicherin", "L. Zalkind")."""
    for p in parts:
        if p.kind == "closer" and BARE_NAME.match(p.text) and not OFFICE.match(p.text):
            forms = register.lookup(p.text.strip(" ."))
            if forms and len({f.entity.id for f in forms}) == 1 and forms[0].entity.kind == "person":
                return forms[0].entity
    return None


def _unique(items):
    seen, out = set(), []
    for x in items:
        if x.id not in seen:
            seen.add(x.id)
            out.append(x)
    return out


def _line_at(part: Part, offset: int) -> int:
    """The source line of a character offset in a part's text (blocks are joined by one space)."""
    position = 0
    for block in part.blocks:
        if offset <= position + len(block.text):
            line = block.first
            for (at, pb_line), nxt in zip(block.breaks, block.lines[1:]):
                if offset - position >= at:
                    line = pb_line + 1
            return line
        position += len(block.text) + 1
    return part.blocks[-1].last


def _count_unresolved(draft: Draft, texts) -> None:
    """Every line where an unresolved name occurs (not only where it was first noticed)."""
    # "Aktay" after "A. Haydar Aktay" is the same person: counted under the fuller name.
    names = sorted(draft.unresolved, key=len, reverse=True)
    canonical = {n: next((full for full in names if full != n and full.split()[-1] == n), n) for n in names}
    lines: dict[str, list[int]] = {}
    for p, _ in texts:
        for m in p.mentions:
            if m.kind == "unresolved":
                lines.setdefault(canonical.get(m.text, m.text), []).append(_line_at(p, m.start))
    draft.unresolved = {name: sorted(lines.get(name, found)) for name, found in draft.unresolved.items()
                        if canonical[name] == name}


def _anchor_notes(draft: Draft) -> None:
    """Attach the source's note texts to their markers: a marked note text to the nearest unmatched
    earlier marker with the same symbol; an unmarked detached line (the foot of a page) to a
    marker that has no note text, when it looks like an editorial note."""
    markers: list[Marker] = []
    order = {id(p): i for i, p in enumerate(draft.parts)}
    numbered = {n.data for n in draft.of("note")}
    for p in draft.parts:
        if p.kind in ("head", "p", "item", "closer"):
            found = [*MARKER.finditer(p.text), *GLUED_MARKER.finditer(p.text),
                     *(m for m in SPACED_MARKER.finditer(p.text) if m.group(2) in numbered)]
            for m in sorted(found, key=lambda m: m.start()):
                if p.kind == "item" and m.start() < len(p.data or ""):
                    continue
                p.markers.append(Marker(p, m.start(), m.end(), m.group(2)))
            markers.extend(p.markers)
    for note in draft.of("note"):
        candidates = [m for m in markers if m.note is None and m.symbol == note.data and order[id(m.part)] < order[id(note)]]
        if candidates:
            candidates[0].note = note
        else:
            note.todos.append(f"the source’s note {note.data} has no marker in the text: anchor it where it belongs")
    for marker in markers:
        if marker.note is not None:
            continue
        context = set(re.findall(r"[a-z]{4,}", marker.part.text[max(0, marker.start - 60):marker.end].lower()))
        index = order[id(marker.part)]
        # A page holds a few paragraphs: the note text stands at the foot of the marker's page.
        for distance, p in enumerate(draft.parts[index + 1:index + 13], 1):
            if p.kind != "p" or len(p.text) > 250 or any(m.who for m in p.mentions):
                continue
            words = set(re.findall(r"[a-z]{4,}", p.text.lower()))
            if EDITORIAL.search(p.text) or (distance <= 4 and words & context):
                p.kind, p.data = "note", marker.symbol
                p.todos.append(f"this line has no note marker; taken as the source’s note {marker.symbol} "
                               f"(line {_line_at(marker.part, marker.start)}) and anchored there: check")
                marker.note = p
                break
        # else: anchored without a text (the note element says so: see emit.source_note)


def _recorder(draft: Draft, finder: MentionFinder) -> None:
    """The recorder ("Translated by X", "Recorded by X") or the signer (a bare name; not an office)."""
    candidates = []
    for p in draft.of("closer"):
        m = RECORDER.match(p.text)
        name = m.group("name").strip(" .") if m else p.text.strip(" .") \
            if BARE_NAME.match(p.text) and not OFFICE.match(p.text) else None
        if name is not None:
            entity = next((x.entity for x in p.mentions if x.kind == "person" and x.entity), None)
            candidates.append((entity is None, p.line, name, entity, p))
    if candidates:
        _, line, name, entity, p = min(candidates, key=lambda c: (c[0], c[1]))
        draft.recorder = (name, entity, line)
        if entity is None:
            p.todos.append(f"the recorder/signer “{name}” is not in the register")
