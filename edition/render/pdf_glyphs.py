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
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import typst

from edition.diagnostics import Diagnostic, warning

NO_GLYPH = "\U0010fffd"  # private use: in no font

# Chinese, Japanese and Korean: none of the bundled fonts has them. The optional extra
# `edition[cjk]` installs Noto Sans CJK (SIL OFL 1.1; one OpenType collection of 19 MB with the
# Simplified and Traditional Chinese, Japanese and Korean faces, each covering all of CJK), which
# becomes the last fallback font when, and only when, a document has such characters: the font is
# 30 times the size of the tool, and Typst takes about 50 ms more per compiler to read it.
CJK_PACKAGE, CJK_DISTRIBUTION, CJK_FAMILY = "noto_cjk_sans_otc", "noto-cjk-sans-otc", "Noto Sans CJK SC"
CJK_RANGES = ((0x1100, 0x11FF), (0x2E80, 0x2FFF), (0x3000, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
              (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
              (0x20000, 0x3FFFF))
CJK_HINT = "pip install 'edition[cjk]' adds a font for Chinese, Japanese and Korean (Noto Sans CJK)"


@dataclass(frozen=True)
class Fallback:
    """A font folder the build adds for the documents' scripts, with the families it brings."""
    folder: Path
    families: tuple[str, ...]
    version: str  # what the cache keys hold instead of the font's 19 MB


def is_cjk(c: str) -> bool:
    code = ord(c)
    return any(low <= code <= high for low, high in CJK_RANGES)


def fallback(chars) -> Fallback | None:
    """The CJK font, when some of `chars` are CJK and `edition[cjk]` is installed."""
    if not any(is_cjk(c) for c in chars):
        return None
    try:
        import importlib

        package = importlib.import_module(CJK_PACKAGE)
    except ImportError:
        return None
    return Fallback(Path(str(package.FONT_PATH)).parent, (CJK_FAMILY,),
                    f"{CJK_DISTRIBUTION} {metadata.version(CJK_DISTRIBUTION)}")

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
    hint = "add a font that has them: [pdf] fonts and font_paths in edition.toml"
    if any(is_cjk(c) for _, c in lost) and fallback("\u4e00") is None:
        hint = f"{CJK_HINT}; or {hint}"
    return warning(path, f"{len(lost)} character(s) have no glyph in the PDF's fonts and print as empty boxes: "
                         f"{listed}{more}", "pdf.missing-glyph", line=lost[0][0], hint=hint)
