"""The web edition's font: the same Libertinus Serif that the book is set in, taken at build time
from the fonts the `typst` package ships (embedded in its library, as Typst's own default fonts), so
that the site and the book share one typographic identity without a font file in the repository.

The fonts are found by their OpenType table directory ("OTTO", the tables, each within the file) and
their `name` table (family "Libertinus Serif"); the licence (SIL Open Font License 1.1) is read from
the same `name` table and written beside them as OFL.txt with the licence's full text (OFL-1.1.txt
beside this module), as the licence requires. If a future typst
package no longer holds them, the site falls back to the system's serif fonts (edition.css lists
them after Libertinus) and the build says so.
"""

from __future__ import annotations

import functools
import re
import struct
from pathlib import Path

FAMILY = "Libertinus Serif"
# The styles the site uses, by their PostScript names (name id 6); each is written as NAME.otf.
STYLES = ("LibertinusSerif-Regular", "LibertinusSerif-Italic", "LibertinusSerif-Semibold", "LibertinusSerif-Bold")
LICENCE = "OFL.txt"


def _library() -> Path | None:
    try:
        import typst
    except ImportError:
        return None
    found = sorted(Path(typst.__file__).parent.glob("_typst*"))
    return found[0] if found else None


def _names(font: bytes, tables: dict[bytes, tuple[int, int]]) -> dict[int, str]:
    """The `name` table's English (Windows, Unicode BMP) strings by name id."""
    offset, _ = tables[b"name"]
    _, count, strings = struct.unpack(">HHH", font[offset:offset + 6])
    names: dict[int, str] = {}
    for i in range(count):
        platform, encoding, language, name_id, length, start = struct.unpack(
            ">HHHHHH", font[offset + 6 + 12 * i:offset + 18 + 12 * i])
        if platform == 3 and encoding == 1 and language == 0x409:
            raw = font[offset + strings + start:offset + strings + start + length]
            names[name_id] = raw.decode("utf-16-be", "replace")
    return names


def _fonts_in(blob: bytes):
    """(names, font bytes) of every CFF OpenType font whose table directory is whole in `blob`."""
    for match in re.finditer(rb"OTTO", blob):
        start = match.start()
        count, search_range = struct.unpack(">HH", blob[start + 4:start + 8])
        if not 4 <= count <= 64 or search_range != (1 << (count.bit_length() - 1)) * 16:
            continue
        tables, end = {}, 0
        for i in range(count):
            tag, _, offset, length = struct.unpack(">4sIII", blob[start + 12 + 16 * i:start + 28 + 16 * i])
            if not re.fullmatch(rb"[A-Za-z0-9/ _]{4}", tag):
                break
            tables[tag], end = (offset, length), max(end, offset + length)
        else:
            if b"name" not in tables or start + end > len(blob):
                continue
            font = blob[start:start + end]
            try:
                yield _names(font, tables), font
            except struct.error:
                continue


@functools.lru_cache(maxsize=1)
def libertinus() -> tuple[dict[str, bytes], str]:
    """The Libertinus Serif files the site uses (file name -> bytes) and the licence's text; empty
    when the typst package does not hold them."""
    library = _library()
    if library is None:
        return {}, ""
    found: dict[str, bytes] = {}
    licence = ""
    for names, font in _fonts_in(library.read_bytes()):
        if names.get(6) in STYLES:
            found.setdefault(names[6] + ".otf", font)
            if not licence and names.get(13):
                licence = "\n\n".join(filter(None, (names.get(0, ""), names[13])))
    if len(found) < len(STYLES) or "Open Font License, Version 1.1" not in licence:
        return {}, ""
    # The font's own notice (copyright, licence statement), then the licence's full text.
    full_text = (Path(__file__).parent / "OFL-1.1.txt").read_text(encoding="utf-8")
    return found, f"{FAMILY}\n\n{licence}\n\n{'-' * 72}\n\n{full_text}"


def copy_fonts(folder: Path) -> bool:
    """Libertinus Serif and its licence into `folder` (the site's static/fonts/); False if the
    typst package does not hold the fonts."""
    fonts, licence = libertinus()
    if not fonts:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in fonts.items():
        (folder / name).write_bytes(data)
    (folder / LICENCE).write_text(licence, encoding="utf-8")
    return True
