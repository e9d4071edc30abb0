"""Facsimiles: which page image belongs to which page of a document, and the rules they obey.

TEI's own encoding, as the edition's model allows it:

    <facsimile>
      <surface xml:id="f116"><label>L. 116</label><graphic url="../facsimiles/x/116.jpg" width="4000px" height="6000px"/></surface>
    </facsimile>
    <text> ... <pb n="116" facs="#f116"/> ...

or `<pb facs="../facsimiles/x/116.jpg"/>` straight at an image file. A relative URL is resolved
against the document's folder, as every XML tool resolves it (and as the registers' pointers are);
the edition keeps its images in `[edition] facsimiles` (`facsimiles/` beside `tei/`), where
`edition import --images` copies them.

`pages(element, path)` lists a document's page images in order: the surfaces of its `facsimile`
that have a local image, then the images its page breaks point to directly; each with the page
break that shows it. `diagnostics(...)` are the rules `edition validate` runs on every document:
each @facs resolves (`facs-resolves`), each image exists and is a readable JPEG, PNG or TIFF
(`facs-image`), and the page breaks and the surfaces are as many (`facs-count`, a warning: FRUS
had volumes whose images were off by two pages).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from edition.diagnostics import Diagnostic, error, warning

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
FORMATS = ("JPEG", "PNG", "TIFF")
SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Pillow refuses images above twice its limit as decompression bombs; a scan of a folio at 600 dpi
# has about 100 million pixels, so the limit is raised to what such scans need, and no further.
MAX_PIXELS = 300_000_000
FACSIMILE_TARGETS = {"surface", "zone", "graphic"}
# A document with anything to check: an attribute step and one element's name, each a walk in C (not
# "//@*", whose union over every attribute libxml2 sorts: slow on large files).
HAS_FACSIMILES = etree.XPath("boolean(descendant-or-self::*/@facs | descendant-or-self::tei:facsimile)",
                             namespaces={"tei": TEI[1:-1]})


@dataclass
class Page:
    """One page image of a document, in the order a reader turns the pages."""
    image: str  # absolute path of the local file
    surface: str = ""  # the surface's xml:id, if the image belongs to one
    label: str = ""  # the surface's <label>, or the page break's @n
    desc: str = ""  # the surface's <desc>
    width: int = 0  # as the encoding says (graphic/@width), 0 when not said
    height: int = 0
    breaks: list[str] = field(default_factory=list)  # the @facs values of the page breaks that show it
    n: str = ""  # the first such page break's @n
    anchor: str = ""  # the first such page break's id in the web page (its xml:id, else "pb-N" as html.xsl gives it)
    paragraphs: list[str] = field(default_factory=list)  # the paragraphs that begin on the page (@n, else their number)

    @classmethod
    def from_dict(cls, data: dict) -> "Page":
        return cls(**data)

    def as_dict(self) -> dict:
        return asdict(self)


def local_file(url: str, folder: Path) -> Path | None:
    """The file a relative URL names, resolved against `folder`; None for a URL with a scheme
    (http:, data:, javascript:) or a fragment."""
    url = url.strip()
    if not url or URI_SCHEME.match(url) or url.startswith("#"):
        return None
    return (folder / unquote(urlsplit(url).path)).resolve()


def _pixels(value: str | None) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*(px)?\s*", value or "")
    return int(m.group(1)) if m else 0


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def pages(document, path: Path) -> list[Page]:
    """The page images of `document` (a <TEI> element) in order, each with its page breaks."""
    folder = Path(path).parent
    found: list[Page] = []
    by_surface: dict[str, Page] = {}
    by_file: dict[str, Page] = {}
    for surface in document.iterfind(f"{TEI}facsimile//{TEI}surface"):
        graphic = surface.find(f".//{TEI}graphic")
        image = local_file(graphic.get("url", ""), folder) if graphic is not None else None
        if image is None:
            continue
        page = Page(image=str(image), surface=surface.get(XML_ID, ""), label=_text(surface.find(f"{TEI}label")),
                    desc=_text(surface.find(f"{TEI}desc")), width=_pixels(graphic.get("width")),
                    height=_pixels(graphic.get("height")))
        found.append(page)
        by_surface[page.surface] = page
        by_file.setdefault(str(image), page)
    for graphic in document.iterfind(f"{TEI}facsimile/{TEI}graphic"):  # images without a surface
        image = local_file(graphic.get("url", ""), folder)
        if image is not None and str(image) not in by_file:
            by_file[str(image)] = Page(image=str(image), width=_pixels(graphic.get("width")),
                                       height=_pixels(graphic.get("height")), desc=_text(graphic.find(f"{TEI}desc")))
            found.append(by_file[str(image)])
    breaks = 0  # html.xsl numbers pb, cb, milestone and gb together ("pb-3")
    paragraphs = 0
    current: Page | None = found[0] if found else None  # the text before the first page break: the first page
    waiting = ""  # a paragraph that begins with a page break
    for element in document.iterfind(f"{TEI}text//*"):
        tag = element.tag
        if tag == f"{TEI}p":
            paragraphs += 1
            label = " ".join((element.get("n") or "").split()) or str(paragraphs)
            if not (element.text or "").strip() and len(element) and element[0].tag == f"{TEI}pb":
                waiting = label  # it begins with a page break: on the page that break begins
            elif current is not None:
                current.paragraphs.append(label)
            continue
        if tag not in (f"{TEI}pb", f"{TEI}cb", f"{TEI}milestone", f"{TEI}gb"):
            continue
        breaks += 1
        if tag != f"{TEI}pb" or not element.get("facs"):
            if waiting and current is not None and tag == f"{TEI}pb":
                current.paragraphs.append(waiting)
            waiting = "" if tag == f"{TEI}pb" else waiting
            continue
        value = " ".join(element.get("facs").split())  # as the page's data-facs has it (normalize-space)
        target = value.split()[0] if value else ""
        if target.startswith("#"):
            page = by_surface.get(target[1:])
        else:
            image = local_file(target, folder)
            if image is None:
                continue
            page = by_file.get(str(image))
            if page is None:
                page = by_file[str(image)] = Page(image=str(image))
                found.append(page)
        if page is None:
            waiting = ""
            continue
        current = page
        if waiting:
            page.paragraphs.append(waiting)
            waiting = ""
        page.breaks.append(value)
        if len(page.breaks) == 1:
            page.n = " ".join((element.get("n") or "").split())
            page.label = page.label or page.n
            page.anchor = element.get(XML_ID) or f"pb-{breaks}"
    return found


# ------------------------------------------------------------------------------- the rules

def image_problem(file: Path) -> str | None:
    """Why `file` is not a usable page image, or None. Reads the header and checks the structure
    (Pillow's verify); the pixels are decoded only when the build tiles the image."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    if not file.is_file():
        return "no such file" if not file.exists() else "is a folder, not an image file"
    try:
        with Image.open(file) as image:
            if image.format not in FORMATS:
                return f"is a {image.format} image; page images must be JPEG, PNG or TIFF"
            image.verify()
    except UnidentifiedImageError:
        return "is not an image (JPEG, PNG or TIFF) that can be read"
    except Image.DecompressionBombError as exc:
        return f"is too large to be processed safely ({' '.join(str(exc).split())})"
    except (OSError, SyntaxError, ValueError) as exc:
        return f"is damaged: {' '.join(str(exc).split()) or type(exc).__name__}"
    return None


def diagnostics(document, path: Path, source: Sequence[str], model: str = "edition") -> list[Diagnostic]:
    """The facsimile rules for one document (a <TEI> or a teiCorpus element). With the model "tei"
    (TEI from elsewhere, whose images often live in another repository or behind an image server)
    a pointer that leads nowhere is a warning, as other same-document pointers are there."""
    from edition.schema_messages import attribute_position, source_position

    prefix, unresolved = ("tei.", warning) if model == "tei" else ("sch.", error)
    folder = Path(path).parent
    found: list[Diagnostic] = []
    checked: dict[Path, str | None] = {}
    if not HAS_FACSIMILES(document):  # most documents: 0.03 ms instead of 0.09 for a pass in Python
        return found
    ids = {e.get(XML_ID): e for e in document.iter(etree.Element) if e.get(XML_ID)}
    surfaces = sorted(i for i, e in ids.items() if etree.QName(e).localname == "surface")

    def image_rule(element, attribute: str, value: str, file: Path, make=error) -> None:
        if file not in checked:
            checked[file] = image_problem(file)
        if checked[file]:
            shown = f'<{etree.QName(element).localname} {attribute}="{value}">'
            hint = ("put the image there, or correct the path (it is relative to the document's folder)"
                    if checked[file] == "no such file" else "convert it to JPEG, PNG or TIFF, or replace it")
            found.append(make(path, f"{shown}: {_shown_path(file, folder)} {checked[file]}", prefix + "facs-image",
                              *attribute_position(element, attribute, source), hint))

    for element in document.iter(etree.Element):
        value = element.get("facs")
        if value is None:
            continue
        for token in value.split():
            if token.startswith("#"):
                target = ids.get(token[1:])
                if target is not None and etree.QName(target).localname in FACSIMILE_TARGETS:
                    continue
                close = difflib.get_close_matches(token[1:], surfaces, n=1)
                what = (f"is a <{etree.QName(target).localname}>, not a <surface>" if target is not None
                        else f'no <surface xml:id="{token[1:]}">')
                found.append(unresolved(path, f'<{etree.QName(element).localname} facs="{value}"> points to no '
                                              f"surface of this document: {what}", prefix + "facs-resolves",
                                        *attribute_position(element, "facs", source),
                                        f'did you mean "#{close[0]}"?' if close else
                                        "add the <surface> to <facsimile>, or point straight at the image file"))
            elif (file := local_file(token, folder)) is not None:
                image_rule(element, "facs", value, file, unresolved)
    for graphic in document.iterfind(f".//{TEI}facsimile//{TEI}graphic[@url]"):
        if (file := local_file(graphic.get("url"), folder)) is not None:
            image_rule(graphic, "url", graphic.get("url"), file, unresolved)
    for text_part, facsimile in _pairs(document):
        breaks = len(text_part.findall(f".//{TEI}pb"))
        count = len(facsimile.findall(f".//{TEI}surface"))
        before = 1 if text_before_first_break(text_part) else 0  # a first page that begins without a <pb>
        if count and breaks + before != count:
            pages_said = f"{breaks + before} page(s) ({breaks} page break(s)" + (", and the text before the first)"
                                                                                if before else ")")
            found.append(warning(path, f"the text has {pages_said} and <facsimile> has {count} surface(s): the images "
                                       f"may be off by {abs(count - breaks - before)} page(s)", prefix + "facs-count",
                                 *source_position(facsimile, source),
                                 "give every page of the source its <surface> and its <pb facs=\"#…\"> at the page's start"))
    return found


def _pairs(document):
    """(text, facsimile) of each <TEI> in `document`."""
    root = document.getroot() if hasattr(document, "getroot") else document
    teis = [root] if root.tag == f"{TEI}TEI" else list(root.iter(f"{TEI}TEI"))
    for tei in teis:
        text, facsimile = tei.find(f"{TEI}text"), tei.find(f"{TEI}facsimile")
        if text is not None and facsimile is not None:
            yield text, facsimile


def text_before_first_break(text_part) -> bool:
    """Whether any words of the text come before its first page break (or it has none)."""
    def words_first(element) -> bool | None:  # True: words first; False: a <pb> first; None: neither
        if element.tag == f"{TEI}pb":
            return False
        if (element.text or "").strip() and isinstance(element.tag, str):
            return True
        for child in element:
            if isinstance(child.tag, str):
                found = words_first(child)
                if found is not None:
                    return found
            if (child.tail or "").strip():
                return True
        return None

    return words_first(text_part) is not False


def _shown_path(file: Path, folder: Path) -> str:
    try:
        return file.relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(file)


def image_files(tree, path: Path) -> list[str]:
    """Every local image file a document names (its validation and its tiles depend on them)."""
    folder = Path(path).parent
    files = set()
    values = [e.get("facs") for e in tree.iter(etree.Element) if e.get("facs") is not None]
    values += [g.get("url", "") for g in tree.iter(f"{TEI}graphic") if any(a.tag == f"{TEI}facsimile"
                                                                          for a in g.iterancestors())]
    for value in values:
        for token in str(value).split():
            if (file := local_file(token, folder)) is not None:
                files.add(str(file))
    return sorted(files)
