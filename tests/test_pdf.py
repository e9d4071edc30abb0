"""The print edition: the book and the per-document PDFs of the repository's own edition (tei/).

The PDFs are built once per session, by the build itself (`build()`, as `edition build` runs it, in this
process), into a temporary folder; the checks read their text with pypdf.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pypdf
import pytest
from lxml import etree

from tests.helpers import SEED_ID, SEED_TEI, same_word, words

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture(scope="session")
def built(bundled):
    """The print edition of the bundled edition (built once for the session): (its folder, the reporter)."""
    out, reporter = bundled
    return out / "pdf", reporter


def pages_text(path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def contains_in_order(haystack: list[str], needle: list[str]) -> bool:
    """Each word of `needle` matches a later word of `haystack`, in order."""
    position = 0
    for word in needle:
        while position < len(haystack) and not same_word(haystack[position], word):
            position += 1
        if position == len(haystack):
            return False
        position += 1
    return True


def remove_keeping_tail(element) -> None:
    tail, parent, previous = element.tail or "", element.getparent(), element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def edited_paragraphs(tree) -> list[str]:
    """The edited reading of each block of <text>: corrections not errors, no notes (they are footnotes)."""
    tree = etree.ElementTree(etree.fromstring(etree.tostring(tree)))
    for element in tree.xpath("//tei:text//tei:note | //tei:text//tei:sic | //tei:text//tei:orig", namespaces=TEI):
        remove_keeping_tail(element)
    blocks = tree.xpath("//tei:text//tei:p | //tei:text//tei:head | //tei:text//tei:dateline"
                        " | //tei:text//tei:seg | //tei:text//tei:signed", namespaces=TEI)
    return [" ".join("".join(b.itertext()).split()) for b in blocks]


def test_the_book_and_each_document_are_written(built):
    out, reporter = built
    assert (out / "edition.pdf").is_file()
    assert (out / f"{SEED_ID}.pdf").is_file()
    assert reporter.errors == 0, reporter.to_text()
    assert not [d for d in reporter.diagnostics if d.code == "pdf.fallback"], reporter.to_text()


@pytest.mark.parametrize("name", ["edition.pdf", f"{SEED_ID}.pdf"])
def test_all_the_text_of_the_seed_is_printed(built, name):
    out, _ = built
    printed = words(" ".join(pages_text(out / name)))
    tree = etree.parse(str(SEED_TEI))
    for paragraph in edited_paragraphs(tree):
        assert contains_in_order(printed, words(paragraph)), paragraph[:120]


def test_the_source_note_and_the_footnote_are_printed(built):
    out, _ = built
    text = " ".join(" ".join(pages_text(out / "edition.pdf")).split())
    assert "Article 4 is mistakenly indicated in the original." in text
    assert "The sentence continues in the next paragraph of the source" in text
    assert "Archive of the President of the Russian Federation (AP RF), Moscow. F. 45. Op. 1. D. 279. L. 115–122." in text
    assert "Soviet-English relations during the Great Patriotic War, 1941–1945, vol. 1, pp. 192–197" in text
    assert "Recorded by I. M. Maisky." in text


def test_the_source_lines_are_printed_once_from_the_header(built):
    """The source note under the heading cites the archive and the publication from the header; the
    source's own wording of those lines ("Ap rf. F. 45. On. 1.d. 279 …") is not printed again."""
    out, _ = built
    text = " ".join(" ".join(pages_text(out / f"{SEED_ID}.pdf")).split())
    assert text.count("F. 45. Op. 1. D. 279. L. 115–122.") == 1 and text.count("pp. 192–197") == 1
    assert "Ap rf" not in text and "Publ .:" not in text


def test_an_old_source_note_in_back_is_still_printed():
    """A document that still has its source's lines in back/div type="source-note" loses no text."""
    from tests.helpers import pdf_pages_text, seed_with_old_source_note, typeset_pdf

    typeset, _ = typeset_pdf(seed_with_old_source_note())
    text = " ".join(" ".join(pdf_pages_text(typeset.pdf)).split())
    assert "Ap rf. F. 45. On. 1.d. 279. L. 115-122." in text
    assert "Publ .: Soviet-English relations ... - t. I. - s. 192-197" in text
    assert text.count("F. 45. Op. 1. D. 279. L. 115–122.") == 1   # and the edition's note, once


def test_the_footnote_keeps_the_sources_marker(built):
    out, _ = built
    pages = pages_text(out / "edition.pdf")
    page = next(p for p in pages if "Article 4 is mistakenly indicated" in p)
    assert re.search(r"\*\s*Article 4 is mistakenly indicated", page)


def test_the_apparatus_records_the_corrections(built):
    out, _ = built
    text = " ".join(" ".join(pages_text(out / "edition.pdf")).split())
    assert re.search(r"Apparatus|APPARATUS|apparatus", text)
    assert "Eden] Ideia in the source" in text
    assert "Nye] Ney in the source" in text
    assert "[inexpedient] supplied by the editors" in text
    assert "21 hours 00 minutes] 21:00. 00 minutes in the source" in text


def test_the_contents_list_the_document_with_its_page(built):
    out, _ = built
    pages = pages_text(out / "edition.pdf")
    contents = next(i for i, p in enumerate(pages) if "Contents" in p)
    # the title, then the date and place, then the page
    entry = re.search(r"Great\s+Britain\s+A\.\s+Eden\s+18 December 1941, Moscow[\s.]*?(\d+)\s*$", pages[contents], re.M)
    assert entry, pages[contents]
    number = int(entry.group(1))
    assert "Recording of the conversation" in pages[number - 1]


def test_the_person_index_points_at_pages_where_the_person_occurs(built):
    out, _ = built
    pages = pages_text(out / "edition.pdf")
    index = next(i for i, p in enumerate(pages) if "Index of persons" in p and "Eden, Anthony" in p)
    line = re.search(r"Eden, Anthony.*?((?:\d+,\s*)*\d+)\s*$", pages[index], re.M | re.S)
    numbers = [int(n) for n in re.findall(r"\d+", line.group(1))]
    assert numbers, pages[index]
    for number in numbers:
        assert number - 1 < index, "the index lists a page after itself"
        body = pages[number - 1].split("\n", 1)[1]  # without the running head, which may name Eden
        assert "Eden" in body, f"page {number} does not mention Eden"
    # every page of the document that has Eden in its running text is listed
    document_pages = [i + 1 for i, p in enumerate(pages[:index]) if "Eden objected" in p or "Eden replied" in p]
    assert set(document_pages) <= set(numbers)


def test_running_heads(built):
    out, _ = built
    pages = pages_text(out / "edition.pdf")
    assert "Soviet Records of Diplomatic Conversations" in pages[0]  # the title page: title, no head
    # a document's continuation pages (its first page has its heading instead of a running head)
    continued = [(i + 1, p) for i, p in enumerate(pages) if "Comrade Stalin" in p and "NO. 1" not in p]
    odd = [p for n, p in continued if n % 2 == 1]
    even = [p for n, p in continued if n % 2 == 0]
    assert odd and even
    assert all(p.lstrip().startswith("No. 1 · Stalin and Eden on the treaties") for p in odd)
    assert all(p.lstrip().startswith("Soviet Records of Diplomatic Conversations, 1941") for p in even)
    opening = next(p for p in pages if "NO. 1" in p)
    assert not opening.lstrip().startswith(("No. 1 ·", "Soviet Records"))


def test_folio_marker_in_the_margin(built):
    out, _ = built
    text = " ".join(pages_text(out / "edition.pdf"))
    assert "‖" in text and "p. [2]" in text  # the seed's break, unnumbered: the source's second page


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
@pytest.mark.parametrize("name", ["edition.pdf", f"{SEED_ID}.pdf"])
def test_every_font_is_embedded(built, name):
    out, _ = built
    listing = subprocess.run(["pdffonts", str(out / name)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows
    for row in rows:
        # name, type (may contain spaces), encoding, emb, sub, uni, object, generation
        emb = row.split()[-5]
        assert emb == "yes", row


def test_speaker_turns_are_labelled_with_the_registers_name(built):
    out, _ = built
    text = " ".join(" ".join(pages_text(out / f"{SEED_ID}.pdf")).split())
    assert "Stalin Comrade Stalin proposed to Eden" in text
    assert "Eden Eden said that he had also worked out" in text
    assert "Cripps Cripps. In order to clarify" in text
    # narration has no label
    assert "draft. Since the translation into English" in text
