"""Characters that no font of the PDF can show.

Typst prints a character that none of its fonts has as an empty box ("tofu") and says nothing; the
text would be lost to a reader of the printed page. So the build renders each distinct character
of the documents once, on a page of its own, as a small PNG with the edition's fonts, and compares
it with the rendering of a code point no font has (U+10FFFD, private use): identical images mean
the character is a box too. One extra compilation of a few hundred tiny pages per build, no font
parsing of our own (the bundled fonts live inside the typst binary and have no files to read).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import typst

from edition.diagnostics import Diagnostic, warning

NO_GLYPH = "\U0010fffd"  # private use: in no font

PROBE = """#import "/book.typ": settings
#set page(width: auto, height: auto, margin: 1pt)
#set text(font: settings.fonts, size: 10pt)
#for (i, c) in json("/glyphs.json").enumerate() { if i > 0 { pagebreak() }; c }
"""


def characters(tree) -> dict[str, int]:
    """The characters of a document worth checking -> the line where each first occurs.

    ASCII (every font has it), spaces, controls and combining marks (drawn on their base) are left out.
    """
    found: dict[str, int] = {}
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for text in (element.text, element.tail, element.get("n")):
            if not text or text.isascii():  # most text: nothing to check, skipped at C speed
                continue
            for c in text:
                if c.isascii() or c in found or unicodedata.category(c)[0] in "ZMC" and unicodedata.category(c) != "Co":
                    continue
                found[c] = element.sourceline or 0
    return found


def missing(compiler: "typst.Compiler", work: Path, chars: list[str]) -> set[str]:
    """Those of `chars` that the fonts of the edition (work/book.typ's settings) print as a box."""
    if not chars:
        return set()
    (work / "glyphs.json").write_text(json.dumps([NO_GLYPH] + chars), encoding="utf-8")
    probe = work / "glyphs.typ"
    probe.write_text(PROBE, encoding="utf-8")
    pages = compiler.compile(input=str(probe), format="png", ppi=72)
    tofu = pages[0]
    return {c for c, page in zip(chars, pages[1:]) if page == tofu}


def report(path, chars: dict[str, int], absent: set[str]) -> Diagnostic | None:
    lost = sorted((line, c) for c, line in chars.items() if c in absent)
    if not lost:
        return None
    listed = ", ".join(f"{c} (U+{ord(c):04X}, line {line})" for line, c in lost[:12])
    more = f" and {len(lost) - 12} more" if len(lost) > 12 else ""
    return warning(path, f"{len(lost)} character(s) have no glyph in the PDF's fonts and print as empty boxes: "
                         f"{listed}{more}", "pdf.missing-glyph", line=lost[0][0],
                   hint="add a font that has them: [pdf] fonts and font_paths in edition.toml")
