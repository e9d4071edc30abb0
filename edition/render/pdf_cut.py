"""Each document's PDF, cut out of its typeset volume (the book, when there is one): every page of
the print edition is typeset once.

A document begins on a new page of its volume (book.typ's `document-heading`) and ends before the
next section begins (the next document, or the indexes), so its pages are a range of the volume's,
found by asking the compiled volume where each `<ed-section>` is (worker.SECTION_PAGES). pypdf
copies those pages with what they use (the fonts, the images), the links among them and the
bookmarks that point into them; links to pages outside them (none in a document's text: the
contents and the indexes link into it) are left out. The PDF keeps the volume's page numbers, so a
page cited from a document's PDF is the same page in the volume.

    ranges, kept = cut_volume(volume_pdf, sections, [(doc_id, title, target, pages), ...], name, cache)

A correction typesets its volume again, but the other documents' pages are most often as they were:
what a document's pages show is decided by its own Typst markup, the book's settings and template
(`pages`, the builder's digest of them) and where in the volume it begins (its first page: the page
numbers, the inner and outer margins). So each cut is kept in the cache by that and its page range
("pages" entries), and a document whose pages are the same as in a volume cut before is linked from
there instead of cut again (cutting costs ~8 ms a document, half a second a volume, after the
typesetting). Nothing else in a volume reaches into a document's pages: the footnotes are numbered
per document, the running head names the document itself or the edition, and links to other pages
are left out of a cut.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from edition.cache import atomic_write, digest, entry_name
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


def cut_volume(pdf: bytes, sections: list, cuts: list, name: str, cache: str) -> tuple[dict[str, list[int]], list[str]]:
    """Write the PDF of each document of `cuts` (its id, its title, the file to write, the digest of
    what its pages show) out of the volume `pdf` (named `name`, for the message), or link it from the
    cache (the folder `cache`) where the same pages were cut before; return every document's pages
    and the ids of the documents linked."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    ranges = document_pages(sections, len(reader.pages))
    missing = [doc_id for doc_id, _, _, _ in cuts if doc_id not in ranges]
    if missing:
        raise EditionError(f"{name}: the pages of document {missing[0]} were not found in it",
                           hint="this is a fault of book.typ (each document's heading marks where it "
                                "begins); please report it with the documents")
    todo, kept = [], []
    for doc_id, title, target, pages in cuts:
        same = entry_name(cache, "pages", kept_key(pages, ranges[doc_id]), ".pdf")
        if os.path.isfile(same) and _link(same, target):
            kept.append(doc_id)
        else:
            todo.append((ranges[doc_id], title, target, same))  # (kept once cut)
    _cut(reader, [(page_range, title, target) for page_range, title, target, _ in todo])
    for _, _, target, same in todo:
        _link(target, same)
    return ranges, kept


def kept_key(pages: str, page_range: list[int]) -> str:
    """The key of a cut in the "pages" entries: what its pages show, and which pages of the volume."""
    return digest(pages, page_range)


def _link(source: str, target: str) -> bool:
    """`target` made a hard link of `source` (cache entries are never modified); False where the
    file system has none (then the document is cut, or its cut not kept)."""
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(source, target)
    except FileExistsError:  # (another build stored it meanwhile: the same by construction)
        pass
    except OSError:
        return False
    return True


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
