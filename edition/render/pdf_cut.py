"""Each document's PDF, cut out of its typeset volume (the book, when there is one): every page of
the print edition is typeset once.

A document begins on a new page of its volume (book.typ's `document-heading`) and ends before the
next section begins (the next document, or the indexes), so its pages are a range of the volume's,
found by asking the compiled volume where each `<ed-section>` is (worker.SECTION_PAGES). pypdf
copies those pages with what they use (the fonts, the images), the links among them and the
bookmarks that point into them; links to pages outside them (none in a document's text: the
contents and the indexes link into it) are left out. The PDF keeps the volume's page numbers, so a
page cited from a document's PDF is the same page in the volume.

    ranges = cut_volume(volume_pdf, sections, [(doc_id, title, target), ...], name)
    cut_pdf(volume_pdf, [(range, title, target), ...])       from a volume typeset in an earlier build
"""

from __future__ import annotations

import io
from pathlib import Path

from edition.cache import atomic_write
from edition.diagnostics import EditionError


def document_pages(sections: list, total: int) -> dict[str, list[int]]:
    """Each document's first and last page (1-based) from where the sections begin, in page order."""
    ranges = {}
    for index, (doc_id, first) in enumerate(sections):
        if not doc_id:  # the contents, the principles, the indexes
            continue
        following = [page for _, page in sections[index + 1:] if page > first]
        ranges[doc_id] = [first, (following[0] - 1) if following else total]
    return ranges


def cut_volume(pdf: bytes, sections: list, cuts: list, name: str) -> dict[str, list[int]]:
    """Write the PDF of each document of `cuts` (its id, its title, the file to write) out of the
    volume `pdf` (named `name`, for the message); return every document's pages."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    ranges = document_pages(sections, len(reader.pages))
    missing = [doc_id for doc_id, _, _ in cuts if doc_id not in ranges]
    if missing:
        raise EditionError(f"{name}: the pages of document {missing[0]} were not found in it",
                           hint="this is a fault of book.typ (each document's heading marks where it "
                                "begins); please report it with the documents")
    _cut(reader, [(ranges[doc_id], title, target) for doc_id, title, target in cuts])
    return ranges


def cut_pdf(pdf: Path, cuts: list) -> None:
    """The PDFs of `cuts` ((first, last), title, target) out of a volume written earlier."""
    import pypdf

    _cut(pypdf.PdfReader(pdf), cuts)


def _cut(reader, cuts: list) -> None:
    import pypdf
    from pypdf.generic import NameObject

    info = dict(reader.metadata or {})
    language = reader.trailer["/Root"].get("/Lang")
    for (first, last), title, target in cuts:
        writer = pypdf.PdfWriter()
        writer.append(reader, pages=(first - 1, last))
        writer.add_metadata({**info, "/Title": title})
        if language is not None:
            writer.root_object[NameObject("/Lang")] = language
        buffer = io.BytesIO()
        writer.write(buffer)
        atomic_write(Path(target), buffer.getvalue())
