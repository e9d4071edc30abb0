"""`--images DIR` of `edition import` and `edition new`: a document's page images, linked to its pages.

    images = page_images(Path("scans/"))                 # JPEG, PNG, TIFF files in page order
    linked = attach(tree, document_path, images, config.facsimiles_dir)

The files of DIR are the pages in order: their names sorted as a person would ("2.jpg" before
"10.jpg"). `attach` writes `<facsimile>` after the header, a `<surface>` per image (with its
`<graphic url width height mimeType>`), and points each page break to its surface (`@facs`). The text
before the first page break is the first page: a `<pb>` is put at the start of the body for it. The
images are copied into the edition's facsimiles folder (`facsimiles/<document>/`), unless they are in
it already, and the URLs are relative to the document, as every XML tool resolves them. What does not
match (more images than pages, or fewer) is said, not guessed: the extra images are surfaces with no
page break yet, and `edition validate` warns until the editor has placed them.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.diagnostics import EditionError
from edition.facsimile import SUFFIXES, text_before_first_break, image_problem

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
MEDIA = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff"}


@dataclass
class Linked:
    """What `attach` did: the images, the page breaks they were linked to, the files copied."""
    images: int = 0
    pages: int = 0
    linked: int = 0
    added_first_break: bool = False
    copied: list[tuple[Path, Path]] = field(default_factory=list)  # (from, to), copied when the document is written

    def summary(self) -> str:
        said = f"{self.linked} of {self.images} page image(s) linked to the page breaks"
        if self.added_first_break:
            said += " (a <pb> added at the start of the text for its first page)"
        if self.images != self.pages:
            said += (f"; the text has {self.pages} page(s): " + (
                f"{self.images - self.pages} image(s) have no page break yet (put <pb facs=\"#…\"/> where their "
                "pages begin)" if self.images > self.pages else
                f"{self.pages - self.images} page break(s) have no image"))
        return said


def _natural(path: Path):
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", path.name)]


def page_images(folder: Path) -> list[Path]:
    """The page images of `folder`, in page order; an error naming any file that is not a usable image."""
    folder = Path(folder)
    if not folder.is_dir():
        raise EditionError(f"{folder}: no such folder (--images)", hint="give the folder that holds the page images")
    files = sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES), key=_natural)
    if not files:
        raise EditionError(f"{folder}: no page images (.jpg, .jpeg, .png, .tif, .tiff) in this folder",
                           hint="put the scans of the document's pages there, named in page order (001.jpg, 002.jpg …)")
    for file in files:
        problem = image_problem(file)
        if problem:
            raise EditionError(f"{file}: {problem}", hint="convert it to JPEG, PNG or TIFF, or take it out of the folder")
    return files


def _size(file: Path) -> tuple[int, int, str]:
    from PIL import Image

    with Image.open(file) as image:
        return image.width, image.height, MEDIA.get(image.format, "")


def attach(tree, document: Path, images: list[Path], facsimiles_dir: Path, first_folio: str = "") -> Linked:
    """Link `images` (in page order) to the page breaks of `tree`, the document to be written at
    `document`; the images go into `facsimiles_dir/<document's name>/`. `first_folio`: the @n of a
    page break added at the start (`edition new --folios 115-122`)."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    if root.find(f"{TEI}facsimile") is not None:
        raise EditionError(f"{document}: the document has a <facsimile> already; --images adds one only to a "
                           "document without", hint="link further images by hand, or remove the <facsimile> first")
    text = root.find(f"{TEI}text")
    body = text.find(f"{TEI}body") if text is not None else None
    if body is None:
        raise EditionError(f"{document}: the document has no <text><body> to link page images to")
    found = Linked(images=len(images))
    breaks = list(body.iter(f"{TEI}pb"))
    if text_before_first_break(body):  # (or no page break at all)
        first = etree.Element(f"{TEI}pb")
        if first_folio:
            first.set("n", first_folio)
        # what stood before the body's first child now follows the new page break (indentation, or words)
        first.tail, body.text = body.text, (body.text if not (body.text or "").strip() else None)
        body.insert(0, first)
        breaks.insert(0, first)
        found.added_first_break = True
    found.pages = len(breaks)
    name = document.stem
    inside = _within(images[0].parent.resolve(), facsimiles_dir.resolve())
    target_folder = images[0].parent.resolve() if inside else facsimiles_dir.resolve() / name
    facsimile = etree.Element(f"{TEI}facsimile")
    numbers = [" ".join((pb.get("n") or "").split()) for pb in breaks]
    distinct = all(numbers) and len(set(numbers)) == len(numbers) and all(re.fullmatch(r"[\w.-]+", n) for n in numbers)
    taken = {e.get(XML_ID) for e in root.iter() if isinstance(e.tag, str) and e.get(XML_ID)}
    for index, image in enumerate(images):
        surface_id = _free(f"f{numbers[index]}" if distinct and index < len(breaks) else f"f{index + 1}", taken)
        taken.add(surface_id)
        width, height, media = _size(image)
        destination = target_folder / image.name
        if not inside:
            found.copied.append((image, destination))
        surface = etree.SubElement(facsimile, f"{TEI}surface", {XML_ID: surface_id})
        graphic = etree.SubElement(surface, f"{TEI}graphic",
                                   url=Path(os.path.relpath(destination, document.resolve().parent)).as_posix(),
                                   width=f"{width}px", height=f"{height}px")
        if media:
            graphic.set("mimeType", media)
        if index < len(breaks):
            breaks[index].set("facs", f"#{surface_id}")
            found.linked += 1
    header = root.find(f"{TEI}teiHeader")
    header.addnext(facsimile)
    etree.indent(facsimile, space="  ", level=1)
    facsimile.tail = header.tail
    return found


def copy_images(linked: Linked) -> None:
    """Copy the images into the facsimiles folder (after the document is written); an image of the
    same name there already must be the same file."""
    for source, target in linked.copied:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            if target.read_bytes() != source.read_bytes():
                raise EditionError(f"{target}: exists and is another image; not overwritten",
                                   hint="move it away, or give the new images other names")
            continue
        shutil.copyfile(source, target)


def _free(candidate: str, taken: set) -> str:
    name, n = candidate, 2
    while name in taken:
        name, n = f"{candidate}-{n}", n + 1
    return name


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
