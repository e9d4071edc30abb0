"""Property: `edition import` loses no text, whatever it makes of a transcript.

Transcripts of the genre are generated with their ground truth (which lines are website clutter,
which are the source's notes); the TEI text of the drafts must equal the transcript's text minus
the clutter, with the notes moved to their markers — the equivalence that
`edition.importer.textcheck` documents (white space ignored, “ ” folded, markers in note/@n,
gap as [...], supplied as [word], item/@n as the item's number).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from edition.importer import import_transcripts, serialise, textcheck
from edition.importer.source import read_lines

REPO = Path(__file__).resolve().parent.parent
PERSONS = REPO / "tei" / "persons.xml"
NBSP, PRIME, DPRIME, HYPHEN = "\u00a0", "\u02b9", "\u02ba", "\u2010"

CLUTTER = ["Selected Secret Documents from Soviet Foreign Policy Documents Archives - 1919 to 1941",
           f"Marx-Engels |{NBSP} Lenin {NBSP}| Stalin |{NBSP} Home Page",
           f"{NBSP} Selected Secret Documents from Soviet Foreign Policy Documents Archives - 1919 to 1941",
           "Concentrated on 1st and 2nd WW Correspondence and Meetings related to Turkey, Balkans and Iran.",
           "Download PDF"]
NAMES = ["Stalin", "Eden", "Molotov", "Cripps", "Ideia", "Ney", "Schulenburg", "Hilger", "Churchill", "Maisky"]
PLACES = ["Moscow", "London", "Great Britain", "USSR", "Turkey", "the British government", "parliament"]
WORDS = ["the", "treaty", "question", "border", "agreement", "that", "would", "consider", "proposal", "of",
         "and", "in", "to", "military", "fleet", "operation", "front", "1941", "6", "weeks", "prime", "minister",
         "ambassador", "king", "I", "me", f"people{PRIME}s", f"post{HYPHEN}war", f"{DPRIME}jointly consult{DPRIME}",
         f"Anglo{HYPHEN}Soviet", f"north{NBSP}front", "[...]", "A [lkend]", "(text attached.)", "comrade.",
         "21:00.", "etc.", "J. V.", "Mr.", "general", "Herr", "&", "<tag>", "a&b", "\"quoted\""]
VERBS = ["said", "replied", "objected", "asked", "noted", "agreed", "proposed", "remarked"]
TITLES = ["Record of the conversation of comrade {a} with {b}", "Recording of the conversation of the\n\n"
          "chairman {a} with the minister {b}", "Telegram of {a} to {b}", "From the diary of {a}",
          "Letter from {a} to {b}", "Memorandum of {a}", "From: conversation of {a} with {b}"]
DATES = ["December 18, 1941", "10 July 1940", "24 November 1938", f"August 20{HYPHEN}26, 1939",
         "July 8, 1939 top secret", "18.12.1941", "Moscow, 22 October 1940"]
SYMBOLS = ["*", "**", "[1]", "[2]"]


@st.composite
def sentence(draw) -> str:
    subject = draw(st.sampled_from(NAMES + ["Comrade " + n for n in NAMES] + ["The ambassador", "I", "He"]))
    words = draw(st.lists(st.sampled_from(WORDS + NAMES + PLACES), min_size=1, max_size=12))
    return f"{subject} {draw(st.sampled_from(VERBS))} {' '.join(words)}{draw(st.sampled_from(['.', '?', ':', '']))}"


@st.composite
def document(draw, symbols_used: list[str]):
    """(blocks, notes): blocks are lists of lines separated by blank lines; a block may be tagged."""
    a, b = draw(st.sampled_from(NAMES)), draw(st.sampled_from(NAMES + ["Aktay"]))
    blocks: list[tuple[str, list[str]]] = []
    blocks.append(("text", draw(st.sampled_from(TITLES)).format(a=a, b=b).split("\n")))
    blocks.append(("text", [draw(st.sampled_from(DATES))]))
    for c in draw(st.lists(st.sampled_from(["Top secret", "Special folder", "Secret", "Out of line"]), max_size=2)):
        blocks.append(("text", [c]))
    notes = []
    for _ in range(draw(st.integers(1, 6))):
        text = " ".join(draw(st.lists(sentence(), min_size=1, max_size=3)))
        if draw(st.booleans()) and len(symbols_used) < len(SYMBOLS):
            symbol = SYMBOLS[len(symbols_used)]
            symbols_used.append(symbol)
            words = text.split(" ")
            at = draw(st.integers(1, len(words)))
            text = " ".join(words[:at] + [symbol] + words[at:])
            notes.append(f"{symbol} " + draw(sentence()))
        kind = draw(st.sampled_from(["plain", "plain", "list", "pagebreak", "clutter-after", "wrapped"]))
        if kind == "list":
            text = f"{draw(st.integers(1, 9))}. {text}"
        if kind == "pagebreak":
            blocks.append(("text", [text + " and it"]))
            blocks.append(("artefact", [draw(st.sampled_from([NBSP, " ", NBSP + " "]))]))
            blocks.append(("text", ["would " + draw(sentence())]))
        elif kind == "wrapped":
            # Hard-wrapped as an editor's text editor does: lines shorter than any wrap width
            # (segment.WRAP_WIDTH), a note marker kept with the word it follows.
            lines, line = [], ""
            for word in text.split(" "):
                if line and len(line) + 1 + len(word) > 60 and word not in SYMBOLS:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
            lines.append(line)
            if len(lines) == 1:
                words = text.split(" ")
                lines = [" ".join(words[:max(1, len(words) // 2)]), " ".join(words[max(1, len(words) // 2):]) or "end."]
                if lines[1].split(" ")[0] in SYMBOLS:
                    first, _, rest = lines[1].partition(" ")
                    lines = [lines[0] + " " + first, rest or "end."]
            blocks.append(("text", lines))
        else:
            blocks.append(("text", [text]))
        if kind == "clutter-after":
            blocks.extend(("clutter", [line]) for line in CLUTTER)
    if draw(st.booleans()):
        blocks.append(("text", [draw(st.sampled_from(["Translated by Maisky", "Maisky", "Recorded by Pavlov",
                                                       "Plenipotentiary"]))]))
    if draw(st.booleans()):
        blocks.append(("header", [f"Ap rf. F. 45. On. 1.d. 279. L. 115{HYPHEN}122."]))
    for note in notes:
        blocks.append(("note", [note]))
    if draw(st.booleans()):
        blocks.append(("header", [f"Publ .: Soviet{HYPHEN}English relations ... {HYPHEN} t. I. {HYPHEN} s. 192{HYPHEN}197"]))
    return blocks


@st.composite
def transcript(draw):
    blocks: list[tuple[str, list[str]]] = []
    if draw(st.booleans()):
        blocks.extend(("clutter", [line]) for line in CLUTTER)
    used: list[str] = []
    for _ in range(draw(st.integers(1, 2))):
        blocks.extend(draw(document(used)))
    lines, clutter, note_lines, header_lines = [], set(), set(), set()
    for kind, block_lines in blocks:
        for line in block_lines:
            lines.append(line)
            if kind == "clutter":
                clutter.add(len(lines))
            if kind == "note" and line is block_lines[0]:
                note_lines.add(len(lines))
            if kind == "header":   # the archival and publication lines: the header keeps them
                header_lines.add(len(lines))
        lines.append("")
    return "\n".join(lines), clutter, note_lines, frozenset(header_lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcript())
def test_no_text_is_lost(generated):
    text, clutter, note_lines, header_lines = generated
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.txt"
        path.write_text(text, encoding="utf-8")
        results = import_transcripts([path], out=Path(folder) / "tei", persons=PERSONS, write=False)
        (result,) = results
        assert {d.line for d in result.dropped} == clutter
        actual = textcheck.Streams()
        for doc in result.documents:
            streams = textcheck.tei_text(etree.fromstring(serialise(doc.tree)))
            actual.main += streams.main
            actual.notes += streams.notes
            actual.header += streams.header
        expected = textcheck.source_text(read_lines(path), clutter, note_lines, header_lines=header_lines)
        assert textcheck.squash(expected.main) == textcheck.squash(actual.main), \
            textcheck.first_difference(expected.main, actual.main)
        assert sorted(map(textcheck.squash, expected.notes)) == sorted(map(textcheck.squash, actual.notes))
        assert sorted(map(textcheck.squash, expected.header)) == sorted(map(textcheck.squash, actual.header))
        # Every generated note has its own marker before it: each must be anchored there.
        for doc in result.documents:
            anchored = {id(m.note) for p in doc.draft.parts for m in p.markers}
            assert all(id(n) in anchored for n in doc.draft.of("note"))


LINES = st.lists(st.one_of(
    st.sampled_from(CLUTTER + DATES + ["", "", NBSP, "Top secret", "* note", "[1] note", "1. point", "Maisky",
                                       "Translated by Maisky", f"Ap rf. F. 45. On. 1.d. 279. L. 115{HYPHEN}122.",
                                       "Publ.: t. I. s. 5", "Record of the conversation of Stalin with Eden",
                                       "Telegram of Maisky to Molotov", "Eden said [...] *", "Comrade Stalin."]),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\n", NBSP, "*", "[", "]", ".", "\ufffe", "\x07", "\u2028"]),
            max_size=80)), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_any_text_imports_or_fails_cleanly(lines):
    """Whatever the lines, the import succeeds (and its self-check holds) or stops with an EditionError."""
    from edition.diagnostics import EditionError

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            results = import_transcripts([path], out=Path(folder) / "tei", persons=PERSONS, write=False)
        except EditionError as exc:
            assert "bug in edition import" not in str(exc), str(exc)
            return
        for doc in results[0].documents:
            etree.fromstring(serialise(doc.tree))   # well-formed


@st.composite
def emphasised_page(draw):
    """A saved web page of a record (title, date, paragraphs), some words of its paragraphs in <i>,
    <em>, <b> or a span styled italic; with the words emphasised."""
    from html import escape

    a, b = draw(st.sampled_from(NAMES)), draw(st.sampled_from(NAMES))
    paragraphs, emphasised = [], []
    for _ in range(draw(st.integers(1, 5))):
        words = " ".join(draw(st.lists(sentence(), min_size=1, max_size=2))).split(" ")
        html = []
        i = 0
        while i < len(words):
            n = draw(st.integers(1, 3))
            chunk = " ".join(words[i:i + n])
            tag = draw(st.sampled_from([None, None, None, "i", "em", "b", "span"]))
            if tag is None:
                html.append(escape(chunk))
            else:
                emphasised.extend(chunk.split())
                opening = '<span style="font-style: italic">' if tag == "span" else f"<{tag}>"
                html.append(f"{opening}{escape(chunk)}</{tag}>")
            i += n
        paragraphs.append((" ".join(words), " ".join(html)))
    page = (f"<html><body><p><b>Record of the conversation of comrade {a} with {b}</b></p><p>December 18, 1941</p>"
            + "".join(f"<p>{markup}</p>" for _, markup in paragraphs) + "</body></html>")
    return page, [text for text, _ in paragraphs], emphasised


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(emphasised_page())
def test_emphasis_of_a_web_page_is_carried_and_no_text_is_lost(generated):
    """Italics and bold from HTML become <hi rend>, around words that were emphasised and no others,
    and the text of the paragraphs is all there."""
    from edition.importer.source import normalise

    page, paragraphs, emphasised = generated
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(page, encoding="utf-8")
        (result,) = import_transcripts([path], out=Path(folder) / "tei", persons=PERSONS, write=False)
        root = etree.fromstring(serialise(result.documents[0].tree)) if len(result.documents) == 1 else None
        if root is None:
            return  # a paragraph read as a second document's title: the split is another property
        ns = {"t": "http://www.tei-c.org/ns/1.0"}
        body = root.find(".//t:body", ns)
        text = textcheck.squash(textcheck.tei_text(root).main)
        for paragraph in paragraphs:
            assert textcheck.squash(normalise(paragraph)) in text
        allowed = set(re.findall(r"\w+", normalise(" ".join(emphasised))))
        for hi in body.iterfind(".//t:hi", ns):
            assert hi.get("rend") in ("italic", "bold")
            shown = "".join(hi.xpath(".//text()[not(ancestor::t:corr)]", namespaces=ns))  # the source's words
            assert set(re.findall(r"\w+", shown)) <= allowed
