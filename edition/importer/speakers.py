"""Whose turn each paragraph reports: the rules, in the order they are tried.

1. "name-stop": the paragraph opens with a name and a full stop or colon ("Cripps. In order to…").
2. "subject": the first sentence's subject is a person (a register name, an unknown name, a role
   standing for a party, or "I" in a first-person document), after at most an adverbial opening
   ("Then", "However,", "For his part,") and a title ("comrade", "Mr.").
3. "passive" / "verb": the first speech verb of the first sentence ("said", "replied", "objected"…)
   and the person before it (not an object: "visited Halifax and handed"; not a possessive), or
   after it in the passive ("was accepted by comrade Stalin").
4. "subject-2": the second sentence's subject ("Nevertheless, if comrade Stalin considers it
   necessary. Eden is ready…").
5. "continues": no speaker found, and the paragraph continues the previous turn (it follows a
   detached footnote line at the foot of a page, or opens with a verb: "Will endeavor to…").
Otherwise the paragraph is narration.
"""

from __future__ import annotations

import re
import unicodedata

from edition.importer.names import PASSIVE_BY, SPEECH_VERB, Mention

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


def speaker_of(text: str, mentions: list[Mention]) -> tuple[str | None, str]:
    """Whose turn a paragraph reports, and by which rule (see the module docstring of names.py)."""
    speakers = [m for m in mentions if m.who]
    if not speakers:
        return None, ""
    first = speakers[0]
    if first.start < 3 and re.match(r"\s*[.:]\s", text[first.end:first.end + 2] + " "):
        return first.who, "name-stop"          # "Cripps. In order to clarify ..."
    sentences = _sentences(text)

    def subject(a: int, b: int):
        for m in speakers:
            if m.start - a > 120 or m.start >= b:
                break   # a subject stands near the start of its sentence
            if a <= m.start and SUBJECT_PREFIX.match(text[a:m.start]) and not _possessive(text, m.end):
                return m
        return None

    a, b = sentences[0]
    if m := subject(a, b):
        return m.who, "subject"
    if verb := SPEECH_VERB.search(text, a, b):
        if PASSIVE_BY.search(text[a:verb.end()] + " by ") and (m := _after_by(text, verb.end(), speakers)):
            return m.who, "passive"
        before = [m for m in speakers if a <= m.start and m.end <= verb.start() and verb.start() - m.end < 40
                  and not _possessive(text, m.end) and not _object_of_verb(text, a, m.start)
                  and not re.search(r"\b(?:to|with|of|from|for|by|at|about|on|against|if|than)\s+(?:comrade\s+|mr\.?\s+)?$",
                                    text[max(a, m.start - 20):m.start], re.I)]
        if before:
            return before[-1].who, "verb"
    if len(sentences) > 1 and (m := subject(*sentences[1])):
        return m.who, "subject-2"
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


def attribute_speakers(draft) -> None:
    """Set each body paragraph's `speaker` and `rule` (see the module docstring)."""
    previous = None   # the last body paragraph (a recognise.Part)
    after_detached_note = False
    for p in draft.parts:
        if p.kind == "note":
            after_detached_note = True
            continue
        if p.kind != "p":
            if p.kind not in ("item",):
                previous = None
            continue
        p.speaker, p.rule = speaker_of(p.text, p.mentions)
        if p.speaker is None and previous is not None and previous.speaker and (
                after_detached_note or CONTINUES.match(p.text)):
            p.speaker, p.rule = previous.speaker, "continues"
        if p.speaker and p.speaker.startswith("name:"):
            name = p.speaker[5:]
            p.todos.append(f"speaker “{name}” is not in the register: add the person, then put this paragraph "
                           f"in <sp who=\"persons.xml#{_slug(name)}\">")
        previous = p
        after_detached_note = False
