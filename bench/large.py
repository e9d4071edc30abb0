"""Large single documents for the benchmark, made from the bundled record of conversation.

    python bench/large.py --mb 50 --out /tmp/large50                # an edition with one 50 MB document
    python bench/large.py --transcript-mb 5 --out /tmp/t5/t.txt     # a 5 MB plain-text transcript to import

The document repeats the body of tei/1941-12-18_stalin-eden.xml (its speeches, notes, corrections and
page break) inside the one <div> until the file has the size asked for, with the xml:ids renamed per
copy, so that it stays valid: one <div> with tens of thousands of children, as a long diary or a
volume of minutes has. The transcript is the same record as plain text (each paragraph a line, as
the website gives it), its paragraphs repeated: `edition import` turns 5 MB of it into a document of
about 20 MB, with the importer's warnings (names not in the register, notes to check) that a real
import leaves.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "tei" / "1941-12-18_stalin-eden.xml"
TEI = "{http://www.tei-c.org/ns/1.0}"
ID = re.compile(r'xml:id="([^"]+)"')


def large_document(megabytes: float, out: Path) -> Path:
    """An edition in `out` (edition.toml, the bundled registers) with one document of about `megabytes` MB."""
    source = BUNDLED.read_text(encoding="utf-8")
    start = source.index("</opener>") + len("</opener>")
    end = source.index("<closer>")
    head, body, tail = source[:start], source[start:end], source[end:]
    target = int(megabytes * 1_000_000)
    parts, size, copy = [head], len(head) + len(tail), 0
    while size < target:
        copy += 1
        chunk = ID.sub(lambda m, c=copy: f'xml:id="{m.group(1)}-{c}"', body)
        parts.append(chunk)
        size += len(chunk.encode("utf-8"))
    parts.append(tail)
    tei = out / "tei"
    tei.mkdir(parents=True, exist_ok=True)
    for register in ("persons.xml", "places.xml"):
        shutil.copy(REPO / "tei" / register, tei / register)
    document = tei / f"large-{megabytes:g}mb.xml"
    document.write_text("".join(parts), encoding="utf-8")
    (out / "edition.toml").write_text(f'''# Written by bench/large.py --mb {megabytes:g}
[edition]
title = "One large document ({megabytes:g} MB)"
sources = "tei"
persons = "tei/persons.xml"
places = "tei/places.xml"
output = "_build"
''', encoding="utf-8")
    return document


def _text(element) -> str:
    """An element's text as the website shows it: notes left out (they follow the text), one line."""
    pieces = [element.text or ""]
    for child in element:
        if child.tag != TEI + "note":
            pieces.append(_text(child))
        pieces.append(child.tail or "")
    return " ".join("".join(pieces).split())


def transcript(megabytes: float, path: Path) -> Path:
    """The bundled record as a plain-text transcript of about `megabytes` MB (its paragraphs repeated)."""
    tree = etree.parse(str(BUNDLED))
    div = tree.find(f"{TEI}text/{TEI}body/{TEI}div")
    head = [_text(div.find(TEI + "head")), *(_text(e) for e in div.find(TEI + "opener"))]
    paragraphs = [_text(p) for p in div.iter(TEI + "p")]
    # the source's archival and publication lines, which the header keeps in the source's words
    closer = [_text(e) for e in div.find(TEI + "closer")] + [
        " ".join(note.text.split()) for note in tree.iter(TEI + "note") if note.get("type") == "source-wording"]
    lines, size = list(head), sum(len(x) for x in head + closer)
    while size < megabytes * 1_000_000:
        for paragraph in paragraphs:
            lines.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 2
    lines += closer
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, help="size of the one document, in MB")
    parser.add_argument("--transcript-mb", type=float, help="size of the plain-text transcript, in MB")
    parser.add_argument("--out", type=Path, required=True, help="the edition's folder (--mb) or the transcript's file")
    args = parser.parse_args()
    if args.mb:
        print(f"wrote {large_document(args.mb, args.out)}")
    if args.transcript_mb:
        print(f"wrote {transcript(args.transcript_mb, args.out)}")


if __name__ == "__main__":
    main()
