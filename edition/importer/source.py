"""Reading a transcript: bytes → numbered lines, the normalisation policy and the website clutter.

Everything downstream works on `Line(number, text)` so that every report can name the source line.
The normalisation policy is ONE table (`NORMALISATION`); the importer applies it and declares it
in the output's `editorialDecl`, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from edition.diagnostics import EditionError, error

MAX_LINE_BYTES = 1_000_000  # a "line" longer than this is not a transcript (minified HTML, a binary)

# (character(s), replacement, what the editorialDecl says about it). The double prime is special:
# it stands for both opening and closing quotation marks, so it is paired (see `normalise`).
NORMALISATION: list[tuple[str, str, str]] = [
    ("\u02b9", "\u2019", "U+02B9 MODIFIER LETTER PRIME used as an apostrophe → U+2019 (’)"),
    ("\u02ba", "\u201c\u201d", "U+02BA MODIFIER LETTER DOUBLE PRIME used as quotation marks → “ or ”, by "
                               "position (before a word opening, after one closing; between spaces it closes "
                               "an open quotation)"),
    ("\u2010", "-", "U+2010 HYPHEN → U+002D (-)"),
    ("\u00a0", " ", "U+00A0 NO-BREAK SPACE → space"),
    ("\ufeff", "", "U+FEFF BYTE ORDER MARK / zero-width no-break space → removed"),
]
_SIMPLE = {src: dst for src, dst, _ in NORMALISATION if len(dst) <= 1}
_SIMPLE_RE = re.compile("|".join(re.escape(k) for k in _SIMPLE))


def normalise(text: str) -> str:
    """Apply the declared normalisation to one paragraph (double primes become quotation marks by
    their position: see `_pair_quotes`)."""
    text = _SIMPLE_RE.sub(lambda m: _SIMPLE[m.group(0)], text)
    if "\u02ba" in text:
        text = _pair_quotes(text)
    return text


def _pair_quotes(text: str) -> str:
    """ʺ before a word is an opening mark, after one a closing mark; between spaces it closes a
    sentence's quotation ("… of the USSR. ʺ to this") or one that is open, else opens one."""
    out, depth = [], 0
    for i, ch in enumerate(text):
        if ch == "\u201c":
            depth += 1
        elif ch == "\u201d":
            depth = max(0, depth - 1)
        elif ch == "\u02ba":
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            opening_place = before.isspace() or before in "([{—–-/"
            word_after = after.isalnum() or after in "([‘'\u2026.…"
            if opening_place and word_after:
                ch = "\u201c"
            elif not before.isspace() and not word_after:
                ch = "\u201d"
            elif before.isspace() and after.isspace() and text[:i].rstrip()[-1:] in tuple(".!?;,…"):
                ch = "\u201d"   # ". ʺ to this": a quotation ends with its sentence, then a space crept in
            else:
                ch = "\u201d" if depth else "\u201c"
            depth = depth + 1 if ch == "\u201c" else max(0, depth - 1)
        out.append(ch)
    return "".join(out)


# Lines of the website around every page of the transcripts. Matched after normalisation and
# with runs of spaces collapsed, case-insensitively, against the WHOLE line.
CLUTTER: list[tuple[str, re.Pattern]] = [
    ("collection banner", re.compile(
        r"selected secret documents from soviet foreign policy documents archives\s*[-–—]?\s*1919 to 1941\.?"
        # the compact variant of the page runs the description on: "…1919 to 1941Concentrated on …"
        r"(?:\s*concentrated on 1st and 2nd ww\b.*)?", re.I)),
    ("navigation bar", re.compile(r"marx\s*-\s*engels\s*\|\s*lenin\s*\|\s*stalin\s*\|\s*home\s*page", re.I)),
    ("collection description", re.compile(r"concentrated on 1st and 2nd ww\b.*", re.I)),
    ("download link", re.compile(r"download (?:pdf|this document|as pdf)\.?", re.I)),
]


# Emphasis in a web page or a Word document (<i>, <em>, <b>, font-style: italic ...), which the
# importer carries into the TEI as <hi rend="...">: formats.py puts these marks around the emphasised
# text of a line, and segment.py takes them out of each paragraph's text, keeping where they were.
# They are Unicode noncharacters, reserved for a program's internal use, so no transcript has them
# (a plain-text transcript that does is refused, as one with a control character is).
STYLE_MARKS = {"italic": ("\ufdd0", "\ufdd1"), "bold": ("\ufdd2", "\ufdd3"), "underline": ("\ufdd4", "\ufdd5")}
_MARK = {mark: (rend, i == 0) for rend, marks in STYLE_MARKS.items() for i, mark in enumerate(marks)}
_MARKS_RE = re.compile("[\ufdd0-\ufdd5]")


def unstyle(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """`text` without its emphasis marks, and the emphasised runs as (start, end, rend) in it
    ("italic", "bold", "italic bold" ...), in order and not overlapping."""
    if not _MARKS_RE.search(text):
        return text, []
    out: list[str] = []
    active: dict[str, int] = {}   # rend -> depth (<i><i>x</i></i>)
    runs: list[tuple[int, int, str]] = []
    start, current = 0, ""
    for ch in text:
        if ch in _MARK:
            rend, opening = _MARK[ch]
            active[rend] = max(0, active.get(rend, 0) + (1 if opening else -1))
            now = " ".join(r for r in STYLE_MARKS if active.get(r))
            if now != current:
                if current and len(out) > start:
                    runs.append((start, len(out), current))
                start, current = len(out), now
        else:
            out.append(ch)
    if current and len(out) > start:
        runs.append((start, len(out), current))
    return "".join(out), runs


def plain(text: str) -> str:
    return _MARKS_RE.sub("", text)


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the source file
    text: str    # as in the source (not yet normalised: quotes are paired per paragraph)

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def artefact(self) -> bool:
        """A line of nothing but white space (a no-break space, a form feed): a page-break artefact."""
        return bool(self.text) and not self.text.strip()


def clutter_kind(text: str) -> str | None:
    """The kind of website clutter this line is, or None."""
    squashed = " ".join(normalise(plain(text)).split())
    if not squashed:
        return None
    for kind, pattern in CLUTTER:
        if pattern.fullmatch(squashed):
            return kind
    return None


def _guess_encoding(data: bytes) -> str:
    """Name the likeliest encoding of bytes that are not UTF-8 (for the error message only)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 (it has a UTF-16 byte order mark)"
    head = data[:2000]
    odd, even = head[1::2], head[0::2]
    if len(head) >= 8 and max(odd.count(0) / max(len(odd), 1), even.count(0) / max(len(even), 1)) > 0.8:
        return "UTF-16 without a byte order mark (every other byte is NUL)"
    high = [b for b in data if b >= 0x80]
    if high and sum(0xC0 <= b <= 0xFF for b in high) > len(high) * 0.6:
        return "windows-1251 or KOI8-R (Cyrillic single-byte)"
    return "windows-1252 or latin-1"


def read_lines(path: Path) -> list[Line]:
    return read_source(path)[0]


def read_source(path: Path) -> tuple[list[Line], str]:
    """Decode a transcript (plain text in a detected encoding, a saved web page, a Word document)
    and split it into numbered lines; (lines, what it was read as). Clear errors for bad input."""
    from edition.importer import formats

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise EditionError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise EditionError(f"{path}: is a folder, not a transcript",
                           hint="give the transcript files, e.g. transcripts/*.txt") from None
    except OSError as exc:
        raise EditionError(f"{path}: cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise EditionError(f"{path}: the file is empty", [error(path, "empty transcript", "import.empty")])
    suffix = path.suffix.lower()
    if suffix == ".docx" or data.startswith(b"PK\x03\x04") and suffix not in (".txt", ".html", ".htm"):
        return _numbered(path, *_by_paragraph(formats.docx_lines(path)), styled=True), \
            "Word document (.docx; line numbers are paragraph numbers)"
    if suffix in (".html", ".htm", ".xhtml"):
        found = formats.html_lines(data, path)
        numbers = [n for text, n in found if text.strip()]   # not a page break's artefact line
        if numbers and numbers[0] > 0 and all(a < b for a, b in zip(numbers, numbers[1:])):
            return _numbered(path, [t for t, _ in found], [n for _, n in found], styled=True), \
                "web page (HTML; line numbers are those of the page's source)"
        # paragraphs that share a line of the source (a page saved on one line): counted instead
        return _numbered(path, *_by_paragraph(found), styled=True), \
            "web page (HTML; line numbers are paragraph numbers)"
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and \
            not _guess_encoding(data).startswith("UTF-16"):
        raise EditionError(f"{path}: this is a binary file, not a plain-text transcript",
                           [error(path, "binary content (NUL bytes)", "import.binary")],
                           hint="export the transcript as plain text (UTF-8), or give the .docx or .html itself")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = b"\xff\xfe" + data if data[1:2] == b"\x00" else b"\xfe\xff" + data   # UTF-16 without its BOM
    text, encoding = formats.decode_text(data, path)
    return _numbered(path, text.split("\n")), encoding


def _by_paragraph(found: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    """The lines of a page or Word document numbered by paragraph: the nth with text is n, the blank
    line after it (which only separates) has its number too."""
    numbers, count = [], 0
    for text, _ in found:
        count += bool(text.strip())
        numbers.append(max(count, 1))
    return [t for t, _ in found], numbers


def _numbered(path: Path, raw_lines: list[str], numbers: list[int] | None = None,
              styled: bool = False) -> list[Line]:
    """`numbers`: the line numbers to report (a page's source lines, a document's paragraphs), else
    1, 2, 3 …; `styled`: lines from a web page or Word document, which may hold the emphasis marks."""
    # Split on newlines only (str.splitlines would also split on form feeds and U+2028, and the
    # line numbers would no longer be those an editor's text editor shows).
    raw_lines = [raw.removesuffix("\r") for raw in raw_lines]
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    for number, raw in enumerate(raw_lines, 1):
        if len(raw.encode("utf-8")) > MAX_LINE_BYTES:
            raise EditionError(f"{path}:{number}: a line of more than 1 MB; this is not a transcript",
                               [error(path, "line longer than 1 MB", "import.line-too-long", number)],
                               hint="check that the file is the plain-text transcript, not HTML or data")
    # not allowed in XML; and, in plain text, the noncharacters that are the emphasis marks
    controls = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]" if styled else
                          r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ufdd0-\ufdd5]")
    lines = []
    for index, raw in enumerate(raw_lines):
        number = numbers[index] if numbers else index + 1
        if (m := controls.search(raw)) and not (m.group(0) == "\x0c" and not raw.strip()):
            raise EditionError(f"{path}:{number}: character U+{ord(m.group(0)):04X} in the text (not allowed in XML)",
                               [error(path, "control character", "import.control-char", number, m.start() + 1)],
                               hint="remove it: control characters and U+FFFE/U+FFFF cannot be encoded in XML "
                                    "(and U+FDD0-U+FDD5 are noncharacters, for a program's internal use)")
        lines.append(Line(number, raw))
    return lines
