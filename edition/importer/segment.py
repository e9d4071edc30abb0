"""Lines → paragraphs (blocks) → documents.

A block is a run of non-blank lines (one paragraph of the source). Website clutter is dropped
and remembered; a page-break artefact (a lone line of white space between blank lines, or clutter
in the middle of a text) becomes a page break: when the next paragraph continues in lower case it
is joined to the previous one with the break inside, otherwise the break stands between them.
A file holds one document per title line (a title followed by a date within a few paragraphs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from edition.importer.source import Line, clutter_kind, normalise, plain, unstyle

# The kinds of record, at the start of a title line; `doc_type` names them for the keywords.
TITLE_KINDS: list[tuple[str, re.Pattern]] = [
    ("record of conversation", re.compile(
        r"(?:(?:excerpt|extract) from (?:the )?)?(?:recording|record|records|minutes|transcript|memorandum|notes?)s? "
        # "Recording of the conversation …", and the translation's gerund "Recording the conversation …"
        r"(?:of (?:the |a )?|(?<=recording )the )(?:conversation|talk|meeting|negotiations?)"
        r"|from:?\s+(?:the\s+)?(?:conversation|record of (?:the )?conversation)|conversation (?:of|between|with)", re.I)),
    ("diary", re.compile(r"from:?\s+(?:the\s+)?diary|diary (?:of|entry)|(?:extract|excerpt) from the diary", re.I)),
    ("telegram", re.compile(r"(?:cipher(?:ed)?\s+|coded\s+|urgent\s+)?(?:telegram|cable|cipher telegram)s?\b", re.I)),
    ("letter", re.compile(r"(?:personal\s+|private\s+)?letter\b"
                          # an editor's line introducing a reply quoted below it: a document of its own
                          r"|the following (?:reply|answer|response|letter|note|telegram) was received\b", re.I)),
    ("memorandum", re.compile(r"memorandum\b|aide-m[ée]moire\b|memo\b", re.I)),
    ("note", re.compile(r"(?:verbal\s+)?note (?:of|from|by|to)\b|report (?:of|from|by|to)\b|message (?:of|from)\b"
                        r"|directive (?:of|from|to)\b|instruction (?:of|from|to)\b|statement (?:of|by)\b", re.I)),
    ("decision", re.compile(r"(?:resolution|decision|decree) of\b|protocol (?:of|no\.?)\b|communiqu[eé]\b", re.I)),
]


# "From: telegrams of …", "From; recording of …", "From a conversation of …", "Extract from the letter …"
FROM = re.compile(r"(?:(?:excerpt|extract)s?\s+)?from\s*[:;]?\s+(?:the\s+|a\s+|an\s+)?", re.I)


def title_kind(text: str) -> str | None:
    text = text.strip().lstrip("*").strip()
    for kind, pattern in TITLE_KINDS:
        if pattern.match(text):
            return kind
    if m := FROM.match(text):
        rest = text[m.end():]
        for kind, pattern in TITLE_KINDS:
            if pattern.match(rest) or kind == "record of conversation" and re.match(
                    r"(?:record|recording|minutes|transcript)s? of\b", rest, re.I):
                return kind
    return None


@dataclass
class Block:
    lines: list[Line]
    text: str                                               # normalised; lines joined by a space
    breaks: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, source line) of joined page breaks
    pb_before: int | None = None                            # source line of a page break before this block
    styles: list[tuple[int, int, str]] = field(default_factory=list)  # emphasised runs in text (source.unstyle)

    @property
    def first(self) -> int:
        return self.lines[0].number

    @property
    def last(self) -> int:
        return self.lines[-1].number


@dataclass
class Dropped:
    line: int
    kind: str
    text: str


@dataclass
class Segmented:
    documents: list[list[Block]]   # each document's blocks, its title block first when found
    dropped: list[Dropped]
    titled: list[bool]             # whether each document begins with a recognised title


def _starts_lower(text: str) -> bool:
    m = re.search(r"[^\W\d_]", text)
    return bool(m) and m.group(0).islower() and m.start() < 3


WRAP_WIDTH = 100   # a hard-wrapped transcript breaks its lines before this; a paragraph line runs longer


def one_per_line(run: list[Line]) -> bool:
    """Whether a run of lines without blank lines between them is one paragraph per line (a page
    saved with its paragraphs as lines) rather than one hard-wrapped paragraph: decided from its
    shape. A wrapped paragraph's lines are all short; a line longer than any wrap width, or every
    line of three or more ending a sentence, means each line is a paragraph."""
    body = [" ".join(line.text.split()) for line in run[:-1]]
    return any(len(text) > WRAP_WIDTH for text in body) or \
        len(body) >= 2 and all(re.search(r"[.!?:;”\"]$", t) for t in body)


def blocks_of(lines: list[Line]) -> tuple[list[Block], list[Dropped]]:
    dropped: list[Dropped] = []
    blocks: list[Block] = []
    current: list[Line] = []
    boundary: int | None = None   # a page-break artefact seen since the last block

    def flush():
        nonlocal current, boundary
        if not current:
            return
        if len(current) > 1 and one_per_line(current):
            run, current = current, []
            for line in run:       # each line is a paragraph of its own
                current = [line]
                flush()
            return
        text, styles = unstyle(normalise(" ".join(line.text.strip() for line in current)))
        if boundary is not None and blocks and _starts_lower(text):
            previous = blocks[-1]
            previous.breaks.append((len(previous.text), boundary))
            shift = len(previous.text) + 1
            previous.styles.extend((a + shift, b + shift, rend) for a, b, rend in styles)
            previous.text = previous.text + " " + text
            previous.lines.extend(current)
        else:
            blocks.append(Block(list(current), text, pb_before=boundary if blocks else None, styles=styles))
        current, boundary = [], None

    for line in lines:
        kind = clutter_kind(line.text)
        if kind:
            flush()
            dropped.append(Dropped(line.number, kind, " ".join(normalise(plain(line.text)).split())))
            if blocks:
                boundary = line.number if boundary is None else boundary
        elif line.artefact:
            flush()
            boundary = line.number if boundary is None else boundary
        elif line.blank:
            flush()
        else:
            current.append(line)
    flush()
    return blocks, dropped


def segment(lines: list[Line], is_date_block, is_front_block=None) -> Segmented:
    """Split into documents; `is_date_block(text)` tells whether a paragraph is a date line,
    `is_front_block(text)` whether it is a date or classification line (which may stand above a
    title: they then begin the document)."""
    blocks, dropped = blocks_of(lines)
    is_front_block = is_front_block or is_date_block
    starts: list[int] = []
    for i, block in enumerate(blocks):
        if title_kind(block.text) is None or len(block.text) > 600:
            continue
        # A title counts if a date follows within three paragraphs, stands just above it, or is in
        # the title itself; or if it is the first thing in the file.
        follows = any(is_date_block(b.text) for b in blocks[i + 1:i + 4])
        above = i > 0 and is_date_block(blocks[i - 1].text)
        # A title at the very end of the page, cut off ("… in Turkey to the"): the next document's beginning.
        cut_off = i == len(blocks) - 1 and i > 0 and not block.text.rstrip().endswith((".", "!", "?", ":", "”"))
        if follows or above or cut_off or is_date_block(block.text, anywhere=True) or not starts and i == 0:
            if starts and i - starts[-1] < 2:
                continue  # a second title-like line right after a title is its continuation
            start = i
            # Date and classification lines above the title belong to its document (not to the
            # previous document's last paragraphs), up to three of them.
            while starts and start - 1 > starts[-1] + 1 and i - start < 3 and is_front_block(blocks[start - 1].text):
                start -= 1
            starts.append(start)
    if not starts:
        return Segmented([blocks], dropped, [False])
    documents = []
    bounds = starts + [len(blocks)]
    for n, (a, b) in enumerate(zip(bounds, bounds[1:])):
        documents.append(blocks[(0 if n == 0 else a):b])
    titled = [True] * len(documents)
    return Segmented(documents, dropped, titled)
