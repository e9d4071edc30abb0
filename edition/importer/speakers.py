"""Whose turn each paragraph reports: a small grammar of reported speech, tried in this order.

1. "name-stop": the paragraph opens with a name and a full stop or colon ("Cripps. In order to…"),
   unless the name is the document's addressee ("Stalin. Today we had a conversation…" in a
   telegram *to* Stalin: a salutation, not a turn).
2. "inverted": the speech verb stands before its subject inside commas ("The first question, said
   comrade Molotov, concerns Turkey.").
3. Per sentence (at most three): "subject", the sentence's subject is a person (a register name, an
   unknown name, a role standing for a party, or "I"/"we" for the author or recorder) after an
   opening phrase ("Then", "In response to your letter of the 20th,", "Today, November 13,") and a
   title ("comrade", "Mr."); a subject whose verb only narrates a meeting ("received me",
   "visited", "came") makes the sentence narration unless a speech verb follows it. "passive" /
   "verb": the person before the sentence's speech verb ("said", "replied", "wrote"…) who is not
   its object, a possessive or after a preposition, or after it in the passive ("was accepted by
   comrade Stalin").
4. "imperative": in a telegram or letter, an instruction ("Tell Eden…", "Please continue…") is
   the author's.
5. "list": a numbered point belongs to whoever introduced the list ("…asked him two questions:").
6. "pronoun" / "latter": "He …" continues the last speaker other than the recorder (or, after the
   recorder, the one other party); "the latter" is the other party of a two-party conversation.
7. "continues": the paragraph continues the previous turn (after a detached footnote line, or it
   opens with a verb: "Will endeavor to…").
Otherwise the paragraph is narration; where a rule cannot decide between persons it adds a todo.
"""

from __future__ import annotations

import re
import unicodedata

from edition.importer.names import PASSIVE_BY, SPEECH_VERB, SPEECH_VERBS, Mention

CONTINUES = re.compile(r"^(?:Will|Would|Could|Should|Can|May|Must|Might|Shall|Also|And|But)\b")
SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z“\"])")
# A full stop after these is not the end of a sentence ("comrade. Stalin" is a typo of the translation).
ABBREVIATIONS = {"mr", "mrs", "dr", "st", "no", "vol", "pp", "cf", "etc", "comrade", "gen", "col", "t", "p", "s"}
SUBJECT_PREFIX = re.compile(
    r"^(?:(?:then|however|further(?:more)?|thereupon|next|finally|later|afterwards|after that|in (?:response|reply|"
    r"turn|conclusion|addition|the end)|for (?:his|her|their|its|our) part|on (?:his|her|their|our) part|"
    r"at (?:the end|this point|the same time|that)|nevertheless|moreover|also|besides|first(?:ly)?|second(?:ly)?|"
    r"in this connection|to this|here|now|again|once more|at once|immediately|subsequently|today|yesterday|"
    r"this (?:morning|evening|afternoon)|in the (?:morning|evening|afternoon)|on (?:monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday))[ ,]+)*"
    r"(?:(?:comrade|mr|mrs|herr|monsieur|sir|lord|general|marshal|admiral|ambassador|minister|dr|count|baron|the|"
    r"british|german|french|polish|turkish|american|japanese|italian|soviet)\.?\s+)*$", re.I)


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name.split()[-1]).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "person"


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        word = re.search(r"(\w+)$", text[start:m.start()])
        if word and (word.group(1).lower() in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
            continue  # an abbreviation or an initial ("J. V. Stalin")
        spans.append((start, m.start() + 1))
        start = m.end()
    spans.append((start, len(text)))
    return spans


# An opening phrase before the subject: "In response to your letter of the 20th of this month,",
# "At the reception on the occasion of …,", "Today, November 13,".
OPENING = re.compile(r"^(?:(?:in|at|on|after|during|with|for|following|according to|referring to|speaking of|"
                     r"returning to|in connection with)\b[^,.;:“”\"]{0,120},\s*"
                     r"|(?:today|yesterday|this morning|this evening),\s*(?:[A-Z][a-z]+\s+\d{1,2},\s*)?)", re.I)
NARRATIVE_VERB = re.compile(r"^\s*(?:(?:then|also|today|again|later|soon|first|himself|personally)\s+)*"
                            r"(?:received|visited|came|arrived|met|invited|paid|approached|returned|left|went|called on|"
                            r"entered|joined|sat|stood|drove|flew|travel(?:l)?ed|passed)\b", re.I)
WE_SUBJECT = re.compile(r"\bwe\b", re.I)
IMPERATIVE = re.compile(r"^(?:please|tell|inform|ask|convey|hand|transmit|report|instruct|let us|do not|"
                        r"explain|insist|answer|reply)\b", re.I)
INVERTED = re.compile(r",\s*(?:" + SPEECH_VERBS + r")\s+(?:(?:comrade|mr|herr|the)\.?\s+)?$", re.I)


def _opening(text: str, a: int) -> int:
    """Where a sentence's subject may begin: after its opening phrase, if any."""
    m = OPENING.match(text[a:])
    return a + m.end() if m else a


def speaker_of(text: str, mentions: list[Mention], addressees: frozenset = frozenset(),
               author: str | None = None, first_person_doc: bool = False, start: int = 0) -> tuple[str | None, str]:
    """Whose turn a paragraph reports (from offset `start`: after a point's number), and by which rule."""
    speakers = [m for m in mentions if m.who and m.start >= start]
    offset = start
    if speakers:
        first = speakers[0]
        if first.start < start + 3 and re.match(r"\s*[.:]\s", text[first.end:first.end + 2] + " "):
            if first.who not in addressees:
                return first.who, "name-stop"          # "Cripps. In order to clarify ..."
            offset = first.end + 1                      # "Stalin. Today …": the addressee, then the text
            speakers = speakers[1:]
    sentences = [(max(a, offset), b) for a, b in _sentences(text) if b > offset]

    def subject(a: int, b: int):
        a = _opening(text, a)
        for m in speakers:
            if m.start - a > 120 or m.start >= b:
                break   # a subject stands near the start of its sentence
            if a <= m.start and SUBJECT_PREFIX.match(text[a:m.start]) and not _possessive(text, m.end):
                return m
        return None

    if sentences:
        a, b = sentences[0]
        for m in speakers:
            if m.start - a > 200 or m.start >= b:
                break   # the inverted clause stands in the sentence's first words
            if a <= m.start and INVERTED.search(text, max(a, m.start - 60), m.start) and re.match(r"\s*,", text[m.end:m.end + 3]):
                return m.who, "inverted"
    narrated = None   # the author's own first sentence that only narrates ("I received your message")
    doubt = False     # a later sentence may report someone the register does not know
    for n, (a, b) in enumerate(sentences[:3]):
        rule = "subject" if n == 0 else f"subject-{n + 1}"
        if (m := subject(a, b)) and n and m.kind == "unresolved":
            m, doubt = None, True   # an unknown name deep in a paragraph: talked about, or speaking?
        if m:
            rest = text[m.end:b]
            if NARRATIVE_VERB.match(rest) and not SPEECH_VERB.search(rest) and not text[:b].rstrip().endswith(":"):
                if narrated is None and m.kind == "self" and first_person_doc:
                    narrated = m
                continue   # "Saracoglu received me at his office.": the next sentence may say who spoke
            return m.who, rule
        if first_person_doc and author and (we := WE_SUBJECT.search(text, _opening(text, a), b)) and \
                we.start() - a < 60 and SUBJECT_PREFIX.match(text[_opening(text, a):we.start()]):
            return author, rule   # "Today, November 13, we had a conversation with Hitler" (the author's party)
        if verb := SPEECH_VERB.search(text, a, b):
            if PASSIVE_BY.search(text[a:verb.end()] + " by ") and (m := _after_by(text, verb.end(), speakers)):
                return m.who, "passive"
            before = [m for m in speakers if a <= m.start and m.end <= verb.start() and verb.start() - m.end < 40
                      and not (n and m.kind == "unresolved")
                      and not _possessive(text, m.end) and not _object_of_verb(text, a, m.start)
                      and not re.search(r"\b(?:to|with|of|from|for|by|at|about|on|against|if|than)\s+(?:comrade\s+|mr\.?\s+)?$",
                                        text[max(a, m.start - 20):m.start], re.I)]
            if before:
                return before[-1].who, "verb"
            doubt = doubt or bool(n) and any(a <= m.start < verb.start() and m.kind == "unresolved" for m in speakers)
    if first_person_doc and author and IMPERATIVE.match(text[offset:].lstrip()):
        return author, "imperative"
    if narrated is not None and not doubt:
        return narrated.who, "subject"   # in a letter or diary, the author's own account
    return None, ""


def _object_of_verb(text: str, a: int, start: int) -> bool:
    """"visited Halifax and handed": a name right after a past-tense verb is its object, not a subject."""
    before = re.sub(r"(?:(?:comrade|mr|mrs|herr|general|the|ambassador|minister)\.?\s+)*$", "", text[max(a, start - 80):start],
                    flags=re.I).rstrip()
    word = re.search(r"(\w+)$", before)
    return bool(word) and (word.group(1).endswith("ed") or word.group(1) in ("told", "met", "saw", "gave", "sent"))


def _possessive(text: str, end: int) -> bool:
    return bool(re.match(r"[’']s?\b", text[end:end + 2]))


def _after_by(text: str, at: int, speakers: list[Mention]) -> Mention | None:
    m = re.match(r"\s+by\s+(?:(?:comrade|mr|herr|the)\.?\s+)?", text[at:], re.I)
    if not m:
        return None
    return next((s for s in speakers if s.start == at + m.end()), None)


PRONOUN = re.compile(r"^(?:(?:then|later|further|also|in (?:reply|response|turn))[ ,]+)?(?:he|she)\b(?!\s+(?:was|is|had been)\s+"
                     r"(?:told|asked|informed|handed|given|received))", re.I)
LATTER = re.compile(r"^(?:(?:then|in (?:reply|response))[ ,]+)?the latter\b", re.I)


def attribute_speakers(draft) -> None:
    """Set each body paragraph's `speaker` and `rule` (see the module docstring)."""
    author = draft.author.id if draft.author else None
    addressees = frozenset(e.id for e in draft.addressees)
    persons = [e.id for e in draft.parties if e.kind == "person"]
    if author and author not in persons:
        persons.append(author)
    others = [x for x in persons if x != author]
    first_person_doc = draft.doc_type in ("telegram", "letter", "note", "diary", "memorandum")
    previous = None   # the last body paragraph (a recognise.Part)
    intro = None      # the paragraph that introduced a numbered list ("…the following questions:")
    after_detached_note = False
    for p in draft.parts:
        if p.kind == "note":
            # A line taken from the foot of a page (it has no marker of its own) interrupts a turn;
            # so does a marked note line inside an open quotation. A marked note line between
            # paragraphs (a page saved with its notes among the lines) does not.
            marked = isinstance(p.data, str) and p.text.startswith(p.data)
            open_quote = previous is not None and previous.text.count("“") > previous.text.count("”")
            after_detached_note = after_detached_note or not marked or open_quote
            continue
        if p.kind not in ("p", "item"):
            previous = intro = None
            continue
        if p.kind == "item" and intro is not None:
            p.speaker, p.rule = intro.speaker, "list"
        else:
            start = len(p.data) + len(p.text[len(p.data):]) - len(p.text[len(p.data):].lstrip()) if p.kind == "item" else 0
            p.speaker, p.rule = speaker_of(p.text, p.mentions, addressees, author, first_person_doc, start)
        if p.speaker is None and p.kind == "p":
            last = previous.speaker if previous is not None else None
            if PRONOUN.match(p.text):
                if last and last != author:
                    p.speaker, p.rule = last, "pronoun"
                elif last and len(others) == 1:
                    p.speaker, p.rule = others[0], "pronoun"
                elif last:
                    p.todos.append("who is “he”? the paragraph may continue a turn: put it in <sp who=…>")
            elif LATTER.match(p.text):
                if last in persons and len(persons) == 2:
                    p.speaker, p.rule = next(x for x in persons if x != last), "latter"
                else:
                    p.todos.append("who is “the latter”? put the paragraph in <sp who=…>")
            elif previous is not None and last and (after_detached_note or CONTINUES.match(p.text)):
                p.speaker, p.rule = last, "continues"
        if p.speaker and p.speaker.startswith("name:"):
            name = p.speaker[5:]
            p.todos.append(f"speaker “{name}” is not in the register: add the person, then put this paragraph "
                           f"in <sp who=\"persons.xml#{_slug(name)}\">")
        if p.kind == "p" and p.text.rstrip().endswith(":"):
            intro = p
        previous = p
        after_detached_note = False
