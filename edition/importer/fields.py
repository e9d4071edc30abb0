"""One-line parsers: dates, classifications, archival citations, prior publications.

Each returns None when the text is not of its kind, so the caller can try them in turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = r"(?P<month{n}>(?:january|february|march|april|may|june|july|august|september|october|november|december|" \
         r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?)"
_DASH = r"\s*[-–—]\s*"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
DATE_PATTERNS = [
    # August 20-26, 1939 / December 18, 1941 / December 18 1941
    re.compile(_MONTH.format(n=1) + r"\s+(?P<day1>\d{1,2})(?:" + _DASH + r"(?:" + _MONTH.format(n=2) +
               r"\s+)?(?P<day2>\d{1,2}))?,?\s+" + _YEAR, re.I),
    # 20-26 August 1939 / 18 December 1941 / 30 September - 2 October 1939
    re.compile(r"(?P<day1>\d{1,2})(?:\s+" + _MONTH.format(n=1) + r")?(?:" + _DASH + r"(?P<day2>\d{1,2}))?\s+" +
               _MONTH.format(n=2) + r",?\s+" + _YEAR, re.I),
    # 18.12.1941
    re.compile(r"(?P<day1>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>1[89]\d\d)"),
]

CLASSIFICATION = re.compile(
    r"(?:strictly\s+|absolutely\s+|top\s+)?secret|special\s+(?:folder|file)|out\s+of\s+(?:line|turn)"
    r"|(?:very\s+|highly\s+)?(?:urgent|important)|confidential|personal(?:ly)?|not\s+for\s+publication|copy\s+no\.?\s*\d+"
    # garbled by the translation: "Top. Secret", "special stick" (special folder), "Soviet secret" (top secret)
    r"|top\.\s*secret|special\s+stick|soviet\s+secret", re.I)


@dataclass
class DateFound:
    start: int
    end: int
    when: str | None
    from_: str | None = None
    to: str | None = None

    @property
    def iso(self) -> str:
        return self.when or self.from_ or ""


def find_date(text: str) -> DateFound | None:
    best = None
    for pattern in DATE_PATTERNS:
        m = pattern.search(text)
        if not m or (best and m.start() >= best.start):
            continue
        g = m.groupdict()
        year = int(g["year"])
        if g.get("mnum"):
            m1 = m2 = int(g["mnum"])
        else:
            m2 = MONTHS[(g.get("month2") or g.get("month1")).lower().rstrip(".")]
            m1 = MONTHS[g["month1"].lower().rstrip(".")] if g.get("month1") else m2
            if pattern is DATE_PATTERNS[0]:
                m1, m2 = m1, MONTHS[g["month2"].lower().rstrip(".")] if g.get("month2") else m1
        d1 = int(g["day1"])
        d2 = int(g["day2"]) if g.get("day2") else None
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12 and 1 <= d1 <= 31 and (d2 is None or 1 <= d2 <= 31)):
            continue
        if d2 is None:
            best = DateFound(m.start(), m.end(), f"{year:04d}-{m1:02d}-{d1:02d}")
        else:
            best = DateFound(m.start(), m.end(), None, f"{year:04d}-{m1:02d}-{d1:02d}", f"{year:04d}-{m2:02d}-{d2:02d}")
    return best


def classifications_in(text: str) -> list[tuple[int, int]] | None:
    """Spans of the classifications if `text` is nothing but classifications (and separators)."""
    spans = [(m.start(), m.end()) for m in CLASSIFICATION.finditer(text)]
    rest = CLASSIFICATION.sub("", text)
    if spans and not re.sub(r"[\s.,;:!()\[\]/-]", "", rest):
        return spans
    return None


@dataclass
class DateLine:
    date: DateFound
    place: tuple[int, int] | None = None                         # span of a place before the date
    classifications: list[tuple[int, int]] = field(default_factory=list)
    number: tuple[int, int] | None = None                        # span of a registry number ("no. 11/568")


# A registry or letter number after the date: "no. 11/568", "No 863-a", "m 12" (№ misread), "№ 317".
_NUMBER = re.compile(r"\s*,?\s*(?:no\.?|nr\.?|№|m|n)\s*(?P<number>\d[\w/-]*)\b\.?", re.I)
# The translation's garbled Russian word order: "1937 g on May 14.", "1937 g 25 on May." (14 May 1937 g.)
_GARBLED = re.compile(r"^\s*" + _YEAR + r"\s*g\.?\s+(?:(?P<day1>\d{1,2})\s+)?on\s+" + _MONTH.format(n=1)
                      + r"(?:\s+(?P<day2>\d{1,2}))?\s*\.?\s*$", re.I)
# A month and year only: "June 1937".
_MONTH_YEAR = re.compile(r"^\s*" + _MONTH.format(n=1) + r",?\s+" + _YEAR + r"\s*\.?\s*$", re.I)


def _other_date_line(text: str) -> DateLine | None:
    if (m := _GARBLED.match(text)) and (m.group("day1") or m.group("day2")):
        day = int(m.group("day1") or m.group("day2"))
        month = MONTHS[m.group("month1").lower().rstrip(".")]
        if 1 <= day <= 31:
            return DateLine(DateFound(m.start(), len(text.rstrip()), f"{int(m.group('year')):04d}-{month:02d}-{day:02d}"))
    if m := _MONTH_YEAR.match(text):
        month = MONTHS[m.group("month1").lower().rstrip(".")]
        return DateLine(DateFound(m.start("month1"), m.end("year"), f"{int(m.group('year')):04d}-{month:02d}"))
    return None


def parse_date_line(text: str) -> DateLine | None:
    """'December 18, 1941', 'Moscow, 10 July 1940', 'July 8, 1939 top secret' — a line that IS a date."""
    found = find_date(text)
    if not found:
        return _other_date_line(text)
    before, after = text[:found.start], text[found.end:]
    place = None
    classifications = []
    if before.strip():
        m = re.fullmatch(r"\s*([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)\s*[,.]?\s*", before)
        spans = classifications_in(before)
        if spans:   # "Out of line 24 November 1938"
            classifications = spans
        elif not m:
            return None
        else:
            place = (m.start(1), m.end(1))
    number = None
    if n := _NUMBER.match(after):
        number = (found.end + n.start("number"), found.end + n.end("number"))
        after = " " * n.end() + after[n.end():]
    year_word = re.match(r"\s*(?:g|y|yr|year)\b\.?", after)   # "18 December 1941 g." (Russian "goda")
    if year_word:
        after = after[year_word.end():]
    if re.sub(r"[\s.,;]", "", after):
        spans = classifications_in(after)
        if spans is None:
            return None
        shift = found.end + (year_word.end() if year_word else 0)
        classifications += [(shift + a, shift + b) for a, b in spans]
    return DateLine(found, place, classifications, number)


ARCHIVES = {
    "AP RF": ("Archive of the President of the Russian Federation", "Moscow"),
    "APRF": ("Archive of the President of the Russian Federation", "Moscow"),
    "AVP RF": ("Foreign Policy Archive of the Russian Federation", "Moscow"),
    "AVPRF": ("Foreign Policy Archive of the Russian Federation", "Moscow"),
    "AVP SSSR": ("Foreign Policy Archive of the USSR", "Moscow"),
    "RGASPI": ("Russian State Archive of Socio-Political History", "Moscow"),
    "GARF": ("State Archive of the Russian Federation", "Moscow"),
    "RGVA": ("Russian State Military Archive", "Moscow"),
    "RGAE": ("Russian State Archive of the Economy", "Moscow"),
    "TSAMO": ("Central Archive of the Ministry of Defence of the Russian Federation", "Podolsk"),
    "TSA FSB": ("Central Archive of the Federal Security Service", "Moscow"),
}
_ARCHIVE = re.compile(r"^\s*(" + "|".join(sorted((re.escape(k).replace(r"\ ", r"\s*") for k in ARCHIVES),
                                                   key=len, reverse=True)) + r")\b\.?", re.I)
# The parts of a citation: F(ond), On./Op. (opis), P(apka), D(elo), L./Ll. (folios, list/listy).
_PART = re.compile(r"(?<![^\W\d_])(f|on|op|p|d|ll|l)\s*\.\s*(\d[\w]*(?:\s*[-–]\s*\d+\w*)?(?:\s*,\s*\d+\w*(?:\s*[-–]\s*\d+\w*)?)*(?:\s*ob\.?)?)",
                   re.I)
_PART_NAMES = {"f": "fond", "on": "opis", "op": "opis", "p": "papka", "d": "delo", "l": "folios", "ll": "folios"}


@dataclass
class Archival:
    archive: str                    # normalised abbreviation, e.g. "AP RF"
    repository: str
    settlement: str
    parts: dict[str, str]           # fond, opis, papka, delo, folios (as written)
    folio_from: str | None = None
    folio_to: str | None = None


# A signature run on into the archive line: "Mikhailov avp rf, f.059, ..."
_SIGNER = re.compile(r"^\s*((?:[A-Z]\.\s?){0,3}[A-Z][a-zà-ÿ’'-]+)\s+(?=(?:" + "|".join(
    sorted((re.escape(k).replace(r"\ ", r"\s*") for k in ARCHIVES), key=len, reverse=True)) + r")\b)", re.I)


def split_signer(text: str) -> int:
    """Where the archival citation begins after a signer's name on the same line (0 if none)."""
    m = _SIGNER.match(text)
    return m.end() if m and m.group(1)[0].isupper() and parse_archival(text[m.end():]) else 0


def parse_archival(text: str) -> Archival | None:
    m = _ARCHIVE.match(text)
    if m:
        key = next(k for k in ARCHIVES if re.sub(r"\s", "", k).lower() == re.sub(r"\s", "", m.group(1)).lower())
        repository, settlement = ARCHIVES[key]
        start = m.end()
    else:
        # An archive spelled out or not in the table ("Archive of the President of the Russian
        # Federation. F. 45 ..."): its name is what precedes the fond.
        fond = re.search(r"(?<![^\W\d_])f\s*\.\s*\d", text, re.I)
        if not fond or len(text) > 300 or not re.match(r"\s*[A-Z]", text) or fond.start() < 2:
            return None
        key = repository = text[:fond.start()].strip(" ,.;:")
        settlement, start = "", fond.start()
    parts: dict[str, str] = {}
    for p in _PART.finditer(text, start):
        parts.setdefault(_PART_NAMES[p.group(1).lower()], " ".join(p.group(2).split()))
    if not parts or (not m and not ({"fond"} < set(parts))):
        return None
    archival = Archival(key, repository, settlement, parts)
    if folios := parts.get("folios"):
        numbers = re.findall(r"\d+", folios)
        archival.folio_from, archival.folio_to = numbers[0], numbers[-1]
    return archival


_PUBL = re.compile(r"^\s*(?:publ(?:ished)?\s*\.?\s*(?:in)?\s*:|first published(?: in)?\s*:?|published in\s*:?|"
                   r"printed in\s*:?|source\s*:)\s*", re.I)
_VOLUME = re.compile(r"(?<![^\W\d_])(?:t|vol|tom|v)\s*\.\s*([IVXLC]+|\d+)\b\.?", re.I)
_BOOK = re.compile(r"(?<![^\W\d_])(?:book|kn|pt|part)\s*\.?\s*(\d+|[IVXLC]+)\b\.?", re.I)
_PAGES = re.compile(r"(?<![^\W\d_])(?:s|p|pp|c)\s*\.\s*(\d+)(?:\s*[-–]\s*(\d+))?", re.I)


@dataclass
class Publication:
    title: str
    volume: str | None = None
    book: str | None = None
    page_from: str | None = None
    page_to: str | None = None


def _roman(value: str) -> str:
    """'XXII' → '22' (volumes are often in Roman numerals); Arabic numbers are returned as they are."""
    if value.isdigit():
        return value
    numerals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(value.upper(), value.upper()[1:] + " "):
        total += -numerals[a] if numerals.get(b, 0) > numerals[a] else numerals[a]
    return str(total)


def parse_publication(text: str) -> Publication | None:
    m = _PUBL.match(text)
    if not m:
        return None
    rest = text[m.end():]
    cut = min([x.start() for x in (_VOLUME.search(rest), _BOOK.search(rest), _PAGES.search(rest)) if x] or [len(rest)])
    title = rest[:cut].strip(" -–—.,;:")
    pub = Publication(title or rest.strip())
    if v := _VOLUME.search(rest):
        pub.volume = _roman(v.group(1))
    if b := _BOOK.search(rest):
        pub.book = _roman(b.group(1))
    if p := _PAGES.search(rest, cut):
        pub.page_from, pub.page_to = p.group(1), p.group(2) or p.group(1)
    return pub
