"""“No text is lost”: the text of a TEI document, and what counts as the same text as a transcript.

`tei_text(root)` reads the `<text>` of a document as two streams:

* **main** — every character in document order, except: `note[@type='todo']` (the importer's own
  questions to the editor) is skipped; of `choice` only `sic`/`orig` count (the `corr`/`reg` is an
  addition); `gap` counts as "[...]" and `supplied` as "[" + its text + "]" (how the outputs render
  them); an `item` with `@n` begins with its number as the source has it ("1."); a
  `note[@type='source']` counts as its marker `@n` where it stands, and its text goes to
  the *notes* stream (the source prints its notes at the foot of the page or the end; the edition
  anchors them at their markers, so their text moves).
* **notes** — the texts of the source's notes, in document order.
* **header** — the lines of the source that the header holds as data (the archival citation, the
  first publication), in the source's words: the header's `note[@type='source-wording']`.

The transcript side (`source_text`) is the normalised lines that are not website clutter, with
the lines that became notes taken out (their leading marker dropped: it is in `@n`).

`same_text(a, b)` compares after deleting all white space (line breaks, indentation, the space
before a footnote marker, the join at a page break) and folding “ ” to one character (the double
prime is paired into opening/closing marks per paragraph; a paragraph joined across a page break
pairs differently than its two halves would).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from edition.importer.source import Line, normalise, plain

TEI = "{http://www.tei-c.org/ns/1.0}"
NOTE_MARKER = re.compile(r"^\s*(\*{1,5}|\[\d{1,3}\]|\d{1,3}(?=\s))\s*")


@dataclass
class Streams:
    main: str = ""
    notes: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def tei_text(root: etree._Element) -> Streams:
    text_el = root.find(f"{TEI}text") if root.tag != f"{TEI}text" else root
    streams = Streams()
    parts: list[str] = []

    def walk(el, out: list[str]) -> None:
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag is None:  # comment or processing instruction: not text
                pass
            elif tag in (f"{TEI}corr", f"{TEI}reg") or (tag == f"{TEI}note" and child.get("type") == "todo"):
                pass
            elif tag == f"{TEI}item" and child.get("n"):
                out.append(child.get("n") + (child.text or ""))
                walk(child, out)
            elif tag == f"{TEI}gap":
                out.append("[...]")
            elif tag == f"{TEI}supplied":
                out.append("[" + "".join(_flat(child)) + "]")
            elif tag == f"{TEI}note" and child.get("type") == "source":
                out.append(child.get("n", ""))
                inner: list[str] = []
                inner.append(child.text or "")
                walk(child, inner)
                if "".join(inner).strip():   # a marker whose note text the transcript lacks adds none
                    streams.notes.append("".join(inner))
            else:
                out.append(child.text or "")
                walk(child, out)
            out.append(child.tail or "")

    if text_el is not None:
        parts.append(text_el.text or "")
        walk(text_el, parts)
    streams.main = "".join(parts)
    for note in root.iterfind(f"{TEI}teiHeader//{TEI}note[@type='source-wording']"):
        wording: list[str] = [note.text or ""]
        walk(note, wording)   # its todo notes are skipped
        streams.header.append("".join(wording))
    return streams


def _flat(el) -> list[str]:
    out = [el.text or ""]
    for c in el:
        if isinstance(c.tag, str) and c.tag not in (f"{TEI}corr", f"{TEI}reg"):
            out.extend(_flat(c))
        out.append(c.tail or "")
    return out


def source_text(lines: list[Line], dropped: set[int], note_lines: set[int],
                unanchored: frozenset[int] = frozenset(), header_lines: frozenset[int] = frozenset()) -> Streams:
    """The transcript's text as it must reappear: `dropped` are clutter lines, `note_lines` the
    first lines of the paragraphs that became the source's notes (a note is one paragraph),
    `header_lines` the one-line paragraphs the header holds (archival citation, publication).

    A note anchored at a marker in the text takes that marker as its `@n`, so the note line's own
    marker is redundant; a note found nowhere to anchor (`unanchored`) stays where it stands, and
    its own marker is its `@n` there."""
    streams = Streams()
    main: list[str] = []
    in_note: list[str] | None = None
    for line in lines:
        if line.number in dropped:
            continue
        if line.blank:
            if in_note is not None:
                streams.notes.append(" ".join(in_note))
                in_note = None
            continue
        if line.number in header_lines:
            streams.header.append(normalise(plain(line.text)))
        elif line.number in note_lines:
            text = normalise(plain(line.text))
            if line.number in unanchored and (m := NOTE_MARKER.match(text)):
                main.append(m.group(1))
            in_note = [NOTE_MARKER.sub("", text, count=1)]
        elif in_note is not None:
            in_note.append(normalise(plain(line.text)))
        else:
            main.append(normalise(plain(line.text)))
    if in_note is not None:
        streams.notes.append(" ".join(in_note))
    streams.main = " ".join(main)
    return streams


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("“", "\"").replace("”", "\"")


def same_text(expected: Streams, actual: Streams) -> bool:
    return squash(expected.main) == squash(actual.main) and \
        sorted(squash(n) for n in expected.notes) == sorted(squash(n) for n in actual.notes) and \
        sorted(squash(n) for n in expected.header) == sorted(squash(n) for n in actual.header)


def first_difference(a: str, b: str, context: int = 30) -> str:
    """Where two squashed texts part, for error messages."""
    a, b = squash(a), squash(b)
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"…{a[max(0, i - context):i + context]}… ≠ …{b[max(0, i - context):i + context]}…"
