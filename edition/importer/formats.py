"""The formats editors receive transcripts in, read as text lines: plain text in any encoding that
can be detected, a saved web page (.html, with lxml), a Word document (.docx, with mammoth).

A web page or a Word document becomes one line per paragraph with a blank line between them, so
that the rest of the importer sees the shape it reads best. Footnotes become note lines at the
end ("[1] The text of the note.", their references "[1]" stay in the text where they stood), so
that they are anchored at their markers as in a transcript; navigation, scripts and styles are
dropped. Each line keeps the line of the page's source where its paragraph starts, which the
report gives for a web page; for a Word document it gives the number of the paragraph.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree, html

from edition.diagnostics import EditionError, error
from edition.importer.source import STYLE_MARKS

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd", "td", "th",
          "caption", "address"}
SKIPPED = {"script", "style", "nav", "noscript", "template", "head", "title", "button", "form", "select",
           "iframe", "object", "svg"}
PAGE_BREAK = re.compile(r"page-break-(?:before|after)\s*:\s*always|break-(?:before|after)\s*:\s*page", re.I)
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
BACKLINK = re.compile(r"\s*[↑^]\s*$")
SOURCE_MARKS = re.compile("[\ufdd0-\ufdd5]")


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding name): UTF-8 (with or without BOM), UTF-16 with a BOM, else what
    charset-normalizer detects (Windows-1251, -1252, KOI8-R, UTF-16 without BOM …)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8 (with byte order mark)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise EditionError(f"{path}: the text's encoding cannot be detected",
                           [error(path, "unknown encoding", "import.encoding")],
                           hint=f"convert it to UTF-8, e.g. iconv -f CP1251 -t UTF-8 {path.name} > fixed.txt")
    return str(best), best.encoding


def html_lines(markup: str | bytes, path: Path) -> list[tuple[str, int]]:
    """A web page's paragraphs as lines, blank lines between them; each with the line of the page's
    source where its element starts (what an editor finds in a text editor)."""
    if isinstance(markup, bytes) and not re.search(rb"charset\s*=", markup[:4096], re.I):
        # no declared encoding: libxml2 would read the bytes as Latin-1 ("peopleÊ¹s"); detect it as for text
        markup, _ = decode_text(markup, path)
    try:
        root = html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise EditionError(f"{path}: cannot be read as HTML ({exc})",
                           [error(path, "not HTML", "import.html")],
                           hint="save the page again from the browser (File > Save Page As, HTML only)") from None
    body = root.find("body") if root.find("body") is not None else root
    lines: list[tuple[str, int]] = []   # (text, the line of the page's source where it starts)
    notes: list[tuple[str, int]] = []

    def text_of(el) -> str:
        parts = [_unmarked(el.text)]
        for child in el:
            if isinstance(child.tag, str) and child.tag.lower() not in SKIPPED:
                if child.tag.lower() == "br":
                    parts.append(" ")
                else:
                    parts.append(_emphasised(child, text_of(child)))
            parts.append(_unmarked(child.tail))
        return "".join(parts)

    def emit(text: str, into: list[tuple[str, int]], el) -> None:
        text = CONTROLS.sub("", text).strip()   # Word's vertical tabs and the like are no text
        if text:
            into.extend([(text, el.sourceline or 0), ("", el.sourceline or 0)])

    def walk(el) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.lower()
            if tag in SKIPPED or child.get("role") == "navigation":
                continue
            if any(PAGE_BREAK.search(d.get("style") or "") for d in child.iter() if isinstance(d.tag, str)
                   and (d is child or d.tag.lower() == "br")):
                lines.extend([("\x0c", child.sourceline or 0), ("", child.sourceline or 0)])  # the page-break artefact
            note = _footnote_number(child)
            if note is not None:
                body = BACKLINK.sub("", " ".join(text_of(child).split()))
                body = re.sub(r"^\[?" + note + r"\]?[.)]?\s*", "", body)   # Word repeats the number in the note
                emit(f"[{note}] {body}", notes, child)
                continue
            if tag in BLOCKS and not any(isinstance(c.tag, str) and c.tag.lower() in BLOCKS for c in child.iter()
                                         if c is not child):
                emit(" ".join(_emphasised(child, text_of(child)).split()), lines, child)
            elif tag in BLOCKS or len(child):
                if _unmarked(child.text).strip():
                    emit(" ".join(_unmarked(child.text).split()), lines, child)
                walk(child)
            else:
                emit(" ".join(_emphasised(child, text_of(child)).split()), lines, child)
            if _unmarked(child.tail).strip() and el is body:
                emit(" ".join(_unmarked(child.tail).split()), lines, child)

    if _unmarked(body.text).strip():
        emit(_unmarked(body.text), lines, body)
    walk(body)
    return lines + notes


def _rends(el) -> list[str]:
    """How an inline element emphasises its text: by its name (<i>, <em>, <b>, <strong>, <u>; what
    mammoth writes for Word's italics and bold) or by its style (Word's saved HTML: <span
    style="font-style:italic">)."""
    tag, style = el.tag.lower(), (el.get("style") or "").lower().replace(" ", "")
    found = []
    if tag in ("i", "em", "cite", "var", "dfn") or "font-style:italic" in style or "font-style:oblique" in style:
        found.append("italic")
    if tag in ("b", "strong") or re.search(r"font-weight:(bold|bolder|[6-9]00)", style):
        found.append("bold")
    if tag in ("u", "ins") or "text-decoration:underline" in style or "text-decoration-line:underline" in style:
        found.append("underline")
    return found


def _emphasised(el, text: str) -> str:
    """`text` (the element's own) between the marks of its emphasis, white space left outside."""
    rends = _rends(el)
    core = text.strip()
    if not rends or not core:
        return text
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    opening = "".join(STYLE_MARKS[r][0] for r in rends)
    closing = "".join(STYLE_MARKS[r][1] for r in reversed(rends))
    return f"{lead}{opening}{core}{closing}{trail}"


def _unmarked(text: str | None) -> str:
    """A page's own text, without the noncharacters the importer uses as emphasis marks."""
    return SOURCE_MARKS.sub("", text or "")


def _footnote_number(el) -> str | None:
    """The number of a footnote's body: Word's saved HTML (div id="ftn1") or mammoth's (li id="footnote-1")."""
    ident = el.get("id") or ""
    m = re.fullmatch(r"(?:ftn|footnote-|fn|endnote-|edn)(\d+)", ident)
    return m.group(1) if m else None


def _mammoth_refs(markup: str) -> str:
    """mammoth writes a note reference as <sup><a href="#footnote-1">[1]</a></sup>: keep "[1]", and
    drop its list of notes' own numbering (the note lines carry their number)."""
    markup = re.sub(r"<sup>\s*(<a [^>]*href=\"#(?:foot|end)note-\d+\"[^>]*>\[\d+\]</a>)\s*</sup>", r"\1", markup)
    return markup.replace("<hr />", '<br style="page-break-before:always" />')   # Word's page breaks (style map)


def docx_lines(path: Path) -> list[tuple[str, int]]:
    """A Word document's paragraphs as lines, as html_lines gives them (mammoth's HTML is one line:
    source.read_lines numbers them by paragraph)."""
    try:
        import mammoth
    except ImportError:   # pragma: no cover - a dependency of the package
        raise EditionError("reading .docx needs the mammoth package", hint="pip install mammoth") from None
    try:
        with open(path, "rb") as f:
            result = mammoth.convert_to_html(f, style_map="br[type='page'] => hr")
    except (OSError, KeyError, ValueError, etree.LxmlError, Exception) as exc:  # a corrupt file: say so
        if isinstance(exc, EditionError):
            raise
        raise EditionError(f"{path}: cannot be read as a Word document ({type(exc).__name__})",
                           [error(path, "not a .docx", "import.docx")],
                           hint="open it in Word or LibreOffice and save it again as .docx") from None
    markup = _mammoth_refs(result.value)
    return html_lines(f"<html><body>{markup}</body></html>", path)
