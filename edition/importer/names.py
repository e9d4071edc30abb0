"""Names in running text: register names, role phrases, first person, and unknown names.

A `Mention` is a span of a paragraph that names somebody or something. Register names come from
`Register.find`; "the prime minister" is a role that stands for a party of the title (or for the
register person who held that office on the document's date); "I"/"me" stand for the author of
a first-person document; capitalised names after a title word ("comrade", "Mr.", "Herr",
"general" …) or in speaker position that the register does not know are *unresolved*.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from edition.importer.register import NameForm, Register
from edition.registers import Entity

TITLE_WORDS = (r"comrade|comrades|mr|mrs|messrs|herr|frau|monsieur|mme|madame|sir|lord|lady|dr|count|baron|prince|"
               r"general|marshal|admiral|colonel|major|captain|ambassador|minister|envoy|president|chancellor|"
               r"premier|king|queen|senator|secretary|consul|attache|attaché|counsellor|professor")
_NAME = r"(?:[A-Z]\.\s?){0,3}(?:(?:von|van|de|du|der|la|le|di|del)\s+)?[A-Z][a-zà-ÿ’'-]+(?:[- ][A-Z][a-zà-ÿ’'-]+){0,2}"
# Initials before a capitalised word mark a person anywhere: "A. Haydar Aktay", "F. W. Schulenburg".
INITIALLED_NAME = re.compile(r"(?<![\w.])((?:[A-Z]\.\s?){1,3}[A-Z][a-zà-ÿ’'-]+(?:\s[A-Z][a-zà-ÿ’'-]+)?)")
TITLED_NAME = re.compile(r"(?<![\w])(?i:" + TITLE_WORDS + r")\.?\s+(" + _NAME + r")")
# Words that follow a title word but are not names (the Minister of Foreign Affairs, General Staff).
NOT_NAMES = set("""Government Staff Affairs Commissar Commissariat Council Committee Ministry Embassy Secretary
Minister Ambassador Office State States Army Navy Headquarters Department Republic Union Party Assembly Forces
Plenipotentiary Chairman President People Peoples Soviet British German French English Japanese Polish
Italian American Turkish Iranian Finnish Romanian Hungarian Bulgarian Yugoslav Greek Chinese The This That
January February March April May June July August September October November December Monday Tuesday Wednesday
Thursday Friday Saturday Sunday Yes No Then Thus However Here There He She It We They I You Our His Her Their
Its After Before When If As Since In On At For To From With By Nevertheless Finally Further Also So Therefore
Moreover Besides Later Next Now Today Yesterday Tomorrow Article Point Paragraph Both All Each Such These Those
Comrade Mr Some Many Most What Why How Which Who Whom Where Only Even Still Yet And But Or Nor Not Will Would
Could Should Can May Must Was Were Is Are Has Had Have Did Does Do Being Been Agreed Added Asked Said Replied
Translated Recorded Sent Top Secret Special Folder Copy Telegram Letter Record Recording Memorandum Note From
Diary Meeting Conversation Treaty Pact Agreement Protocol Charter Reich Kremlin Great Publ Page Print Printed
Everyone Everybody Nobody Somebody Someone Commissioner Commission Countries Country Government Delegation
Embassy Legation Consulate Press Newspaper Radio Continuation Copy Copies Extract Excerpt Archive Source
Translation Translated About Answer Question Reply Request Instructions Note Notes Statement Please Tell Inform
Ask Let Dear Yours Accept Kindly Sincerely Respectfully""".split())

SPEECH_VERBS = (r"said|says|replied|replies|answered|answers|asked|asks|objected|objects|proposed|proposes|noted|notes|"
                r"remarked|remarks|agreed|agrees|declared|declares|stated|states|emphasi[sz]ed|emphasi[sz]es|"
                r"confirmed|confirms|promised|promises|expressed|expresses|insisted|insists|continued|continues|"
                r"explained|explains|pointed out|points out|observed|observes|added|adds|suggested|suggests|"
                r"informed|informs|told|tells|rejected|rejects|opposed|opposes|accepted|accepts|raised|raises|"
                r"handed|hands|presented|presents|responded|responds|repeated|repeats|stressed|stresses|"
                r"mentioned|mentions|recalled|recalls|reported|reports|announced|announces|thanked|thanks|"
                r"welcomed|welcomes|refused|refuses|tried|tries|complained|complains|requested|requests|"
                r"inquired|inquires|enquired|enquires|hoped|hopes|believed|believes|thinks|thought|"
                r"considered|considers|read|reads|spoke|speaks|began|begins|concluded|concludes|assured|assures|"
                r"doubted|doubts|warned|warns|protested|protests|admitted|admits|denied|denies|argued|argues|"
                r"claimed|claims|interrupted|interrupts|summed up|sums up|made|makes|gave|gives|put|puts|wrote|writes")
SPEECH_VERB = re.compile(r"\b(?:" + SPEECH_VERBS + r")\b")
PASSIVE_BY = re.compile(r"\b(?:was|were|has been|had been|is)\s+(?:" + SPEECH_VERBS + r")\s+by\s+(?:(?:comrade|mr|"
                        r"herr|the)\.?\s+)?$", re.I)
ROLE_WORDS = ["people’s commissar", "prime minister", "foreign minister", "foreign secretary",
              "secretary of state", "chargé d’affaires", "charge d’affaires", "plenipotentiary", "ambassador",
              "minister", "chairman", "president", "chancellor", "premier", "king", "envoy", "counsellor",
              "commissar", "secretary", "polpred", "führer", "fuhrer", "duce", "marshal", "general"]
ROLE = re.compile(r"\bthe\s+(" + "|".join(re.escape(r).replace("’", "[’']") for r in ROLE_WORDS)
                  + r")\b(?!\s+of\b)", re.I)
# "I" and "me", not an initial ("I. M. Maisky") nor a fragment of a garbled word ("tur-I").
FIRST_PERSON = re.compile(r"(?<![\w-])(?:I(?!\.\s?[A-Z])|me)(?![\w-])")
QUOTED = re.compile(r"[“\"][^“”\"]*(?:[”\"]|$)")
DIRECT = re.compile(r"\b(?:" + SPEECH_VERBS + r"|wrote)\s*:\s*[^.!?]*")


def direct_speech(text: str) -> list[tuple[int, int]]:
    """Spans of quoted or direct speech, where "I" is the one quoted, not the author: “…”, and
    what follows "said:" to the end of its sentence."""
    return [(m.start(), m.end()) for m in QUOTED.finditer(text)] + [(m.start(), m.end()) for m in DIRECT.finditer(text)]


@dataclass
class Mention:
    start: int
    end: int
    kind: str                       # 'person' | 'org' | 'place' | 'role' | 'self' | 'unresolved' | 'ambiguous'
    entity: Entity | None = None
    form: NameForm | None = None    # the register form met (its type may be 'misspelling')
    text: str = ""

    @property
    def who(self) -> str | None:
        """Who this mention can make a speaker: an entity id, or 'name:<Name>' for an unresolved person."""
        if self.kind in ("person", "role", "self") and self.entity is not None:
            return self.entity.id
        if self.kind == "unresolved":
            return "name:" + self.text
        return None


# A title's party: the name that ends its segment, after the office ("the ambassador of Turkey in the USSR Apaydin").
TITLE_PARTY = re.compile(r"(?<!\bin)(?<!\bof)(?<!\bat)(?<!\bfrom)(?<!\bfor)(?:^|\s)((?:[A-Z]\.\s?){0,3}[A-Z][a-zà-ÿ’'-]{2,})\s*[*.,]*\s*$")


def title_party_names(title: str, register: Register) -> list[tuple[int, str]]:
    found = []
    position = 0
    for segment in re.split(r"(\s(?:with|to|and|from)\s)", title):
        m = TITLE_PARTY.search(segment)
        if m and not segment.isspace() and re.search("|".join(ROLE_WORDS), segment.lower().replace("'", "’")):
            name = _trim_name(m.group(1))
            if name and not register.lookup(name) and not register.lookup(name.split()[-1]):
                found.append((position + m.start(1), name))
        position += len(segment)
    return found


def unresolved_candidates(text: str, register: Register, title: bool = False) -> list[tuple[int, str]]:
    """(offset, name) of capitalised names after a title word or in speaker position, not in the register."""
    found = []
    known_spans = [(s, e) for s, e, _ in register.find(text)]   # sorted, not overlapping
    starts = [a for a, _ in known_spans]

    def known(s: int, e: int) -> bool:
        i = bisect.bisect_left(starts, e) - 1       # the last register name starting before e
        return i >= 0 and known_spans[i][1] > s

    for m in TITLED_NAME.finditer(text):
        name = _trim_name(m.group(1))
        if name and not known(m.start(1), m.start(1) + len(name)):
            found.append((m.start(1), name))
    for m in INITIALLED_NAME.finditer(text):
        name = _trim_name(m.group(1))
        if name and not known(m.start(1), m.start(1) + len(name)):
            found.append((m.start(1), name))
    # Speaker position: "Schulenburg replied ...", "Schulenburg, in response, said ...", "Cripps. In order ..."
    for m in re.finditer(r"(?:^|(?<=[.!?]\s))(?:(?:Then|However|Further|Thereupon)[ ,]+)?([A-Z][a-zà-ÿ’'-]+)"
                         r"(?=\s*(?:,[^,]{1,40},\s*)?(?:" + SPEECH_VERBS + r")\b)", text):
        name = m.group(1)
        if name not in NOT_NAMES and not known(m.start(1), m.end(1)):
            found.append((m.start(1), name))
    if m := re.match(r"\s*([A-Z][a-zà-ÿ’'-]{2,})\.\s+[A-Z]", text):
        # "Cripps. In order to …" — but "Print. By srh.", "Pgchat. About arch." are a page's junk: a
        # name standing alone at a paragraph's start counts only if the paragraph names it again.
        if m.group(1) not in NOT_NAMES and not known(m.start(1), m.end(1)) and \
                re.search(r"(?<![\w])" + re.escape(m.group(1)) + r"(?![\w])", text[m.end(1):]):
            found.append((m.start(1), m.group(1)))
    if title:
        found += [(at, name) for at, name in title_party_names(text, register) if not known(at, at + len(name))]
    return found


def _trim_name(name: str) -> str:
    words = name.split(" ")
    while words and words[-1].strip(".") in NOT_NAMES:
        words.pop()
    if not words or words[0].strip(".") in NOT_NAMES or not re.search(r"[a-zà-ÿ]{2}", words[-1]):
        return ""
    return re.sub(r"[’']s$", "", " ".join(words)).rstrip("’'-")   # "Sobolov’s" is Sobolov


class MentionFinder:
    """Finds the mentions in the paragraphs of one document."""

    def __init__(self, register: Register, roles: dict[str, Entity], author: Entity | None,
                 unresolved: list[str]):
        self.register = register
        self.roles = roles
        self.author = author
        names = sorted(set(unresolved), key=len, reverse=True)
        self.unresolved = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])") \
            if names else None

    def find(self, text: str, first_person: bool = True) -> list[Mention]:
        mentions: list[Mention] = []
        for start, end, forms in self.register.find(text):
            entity_ids = {f.entity.id for f in forms}
            if len(entity_ids) > 1:
                mentions.append(Mention(start, end, "ambiguous", None, forms[0], text[start:end]))
            else:
                mentions.append(Mention(start, end, forms[0].entity.kind, forms[0].entity, forms[0], text[start:end]))
        if self.unresolved:
            for m in self.unresolved.finditer(text):
                mentions.append(Mention(m.start(), m.end(), "unresolved", None, None, m.group(0)))
        for m in ROLE.finditer(text):
            entity = self.roles.get(m.group(1).lower().replace("'", "’"))
            if entity is not None:
                mentions.append(Mention(m.start(1), m.end(1), "role", entity, None, m.group(1)))
        if first_person and self.author is not None:
            quoted = direct_speech(text)
            for m in FIRST_PERSON.finditer(text):
                if any(a <= m.start() < b for a, b in quoted):
                    continue
                mentions.append(Mention(m.start(), m.end(), "self", self.author, None, m.group(0)))
        return _without_overlaps(mentions)


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the earliest, then longest, of overlapping mentions (register names before unresolved ones)."""
    rank = {"person": 0, "org": 0, "place": 0, "ambiguous": 1, "role": 1, "unresolved": 2, "self": 3}
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), rank[m.kind])):
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def role_map(title: str, title_mentions: list[Mention], register: Register, date: str | None) -> dict[str, Entity]:
    """Role words → the party they stand for: from the title ("the British ambassador Cripps"), else
    from the register's offices held on the document's date (unique, preferring the parties' countries)."""
    roles: dict[str, Entity] = {}
    previous_end = 0
    for m in title_mentions:
        if m.kind == "unresolved":
            # A party not in the register: its role still makes it the speaker (reported as a todo).
            m = Mention(m.start, m.end, "person", Entity("name:" + m.text, "person", m.text), None, m.text)
        if m.kind != "person" or m.entity is None:
            continue  # "the minister of foreign affairs of Great Britain Eden": the role reaches over places
        segment = title[previous_end:m.start].lower().replace("'", "’")
        for role in ROLE_WORDS:
            if re.search(r"\b" + re.escape(role) + r"\b", segment):
                roles.setdefault(role, m.entity)
        previous_end = m.end
    # A role the title names without a person the register knows ("the ambassador of Turkey Apaydin"):
    # the register's holder of such an office would be a guess, and a wrong speaker.
    named_in_title = {role for role in ROLE_WORDS if re.search(r"\b" + re.escape(role) + r"\b", title.lower().replace("'", "’"))}
    parties = [m.entity for m in title_mentions if m.kind == "person" and m.entity is not None]
    party_offices = " ".join(o for p in parties for o in p.offices_at(date)).lower()
    for role in ROLE_WORDS:
        if role in roles or role in named_in_title:
            continue
        holders = [e for e in register.entities.values() if e.kind == "person"
                   and any(o.lower().replace("'", "’").startswith(role) for o in e.offices_at(date))]
        if date is None or not holders:
            continue
        if len(holders) > 1:
            def shared(e: Entity) -> int:
                words = set(re.findall(r"[A-Z][a-z]+", " ".join(e.offices_at(date)))) - {w.capitalize() for w in role.split()}
                return sum(w.lower() in party_offices for w in words)
            scores = sorted(((shared(e), e.id, e) for e in holders), reverse=True)
            if scores[0][0] == scores[1][0]:
                continue
            holders = [scores[0][2]]
        roles[role] = holders[0]
    return roles
