"""The print edition reads like a published volume: justified text hyphenated by its language, no
closer alone at the top of a page, the apparatus on one page where it fits, no page holding a single
line of the contents, the contents with each document's date and place, a back of the title page."""

from __future__ import annotations

import copy
import re

import pytest
from lxml import etree

from tests.helpers import SEED_TEI, build_edition, generate, pdf_pages_text, typeset_pdf

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
pytestmark = pytest.mark.slow


def lines_of(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def test_the_seeds_book_hyphenates_words_at_line_ends(bundled):
    pages = pdf_pages_text(bundled[0] / "pdf" / "edition.pdf")
    seed_words = set(re.findall(r"\w+", " ".join(etree.parse(str(SEED_TEI)).getroot().itertext())))
    hyphenated = []
    for page in pages:
        lines = lines_of(page)
        for line, following in zip(lines, lines[1:]):
            found = re.search(r"(\w+)-$", line)
            rest = re.match(r"(\w+)", following)
            # a word divided by the hyphenation, not a compound that had its hyphen in the source
            if found and rest and rest.group(1)[0].islower() and found.group(1) + rest.group(1) in seed_words:
                hyphenated.append(found.group(1) + "-" + rest.group(1))
    assert hyphenated, "no word of the seed is hyphenated at a line's end"


def closer_page(tree) -> tuple[list[str], int]:
    pages = pdf_pages_text(typeset_pdf(tree)[0].pdf)
    return pages, next(i for i, text in enumerate(pages) if "Translated by Maisky" in text)


def lengthened(base, sentences: int):
    """The seed with its last turn longer by `sentences` sentences (about a line each)."""
    tree = copy.deepcopy(base)
    last = tree.find(f".//{TEI}p[@{XML_ID}='p42']")
    last[-1].tail = (last[-1].tail or "") + " The delegation noted this point once more for the record." * sentences
    return tree


def goes_over(base, page_of) -> tuple[int, int, int]:
    """By bisection, the number of sentences added to the text (lengthened) at which what `page_of`
    finds goes over to the next page: (the last length that keeps it, the first that moves it, its page
    in the text as it is)."""
    first_page = page_of(base)[1]
    low, high = 0, 120
    while high - low > 1:
        middle = (low + high) // 2
        if page_of(lengthened(base, middle))[1] > first_page:
            high = middle
        else:
            low = middle
    return low, high, first_page


def test_a_closer_never_stands_alone_at_the_top_of_a_page():
    """The text is lengthened until the closer goes over to the next page (found by bisection, so that
    the test follows any change of the layout); there, the last lines of the text go with it."""
    base = etree.parse(str(SEED_TEI))
    low, high, first_page = goes_over(base, closer_page)
    pages, index = closer_page(lengthened(base, high))
    assert index == first_page + 1
    body = [line for line in lines_of(pages[index]) if not line.startswith("No. 1 ·")]  # the running head
    assert not body[0].startswith("Translated by"), body[:3]
    assert "The meeting ended" in pages[index]  # the text's last paragraph came with it


APPARATUS = ["a Eden] Ideia in the source", "b Nye] Ney in the source", "d [inexpedient] supplied by the editors",
             "h 21 hours 00 minutes] 21:00. 00 minutes in the source"]


def apparatus_pages(tree) -> tuple[list[str], int]:
    """The pages of the seed typeset alone, and the page with the apparatus's heading."""
    pages = pdf_pages_text(typeset_pdf(tree)[0].pdf)
    return pages, next(i for i, text in enumerate(pages) if re.search(r"^Apparatus$", text, re.M))


def test_the_apparatus_is_kept_on_one_page_where_it_fits():
    """The seed's apparatus (eight entries, well under half a page) is never split: the text is
    lengthened until the apparatus goes over to the next page (by bisection, as for the closer), and
    both just before and at that point every entry is on the page of its heading."""
    base = etree.parse(str(SEED_TEI))
    low, high, first_page = goes_over(base, apparatus_pages)
    for sentences in (low, high):   # the last length that keeps it on the text's page, the first that does not
        pages, index = apparatus_pages(lengthened(base, sentences))
        flat = [" ".join(page.split()) for page in pages]
        for entry in APPARATUS:
            assert entry in flat[index], (sentences, entry, pages[index][-800:])
            assert not any(entry in page for i, page in enumerate(flat) if i != index)
    assert index == first_page + 1 and "Translated by Maisky" in pages[index - 1]


@pytest.fixture(scope="module")
def forty(tmp_path_factory):
    """A generated edition of 40 documents printed as one book: contents over more than one page."""
    folder = generate(40, tmp_path_factory.mktemp("forty") / "edition")
    toml = folder / "edition.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[pdf]", "[pdf]\nvolume_size = 0") if "[pdf]" in text
                    else text + "\n[pdf]\nvolume_size = 0\n", encoding="utf-8")
    build_edition(folder, only="pdf")
    return folder, pdf_pages_text(folder / "_build" / "pdf" / "edition.pdf")


def test_no_page_holds_a_single_line_of_the_contents(forty):
    _, pages = forty
    contents = [i for i, page in enumerate(pages) if page.startswith("Contents")]
    assert contents, "no contents"
    # the contents run from their heading to the page before the first document or section
    end = next(i for i in range(contents[0] + 1, len(pages)) if re.match(r"(NO\. 1\b|Editorial principles)", pages[i]))
    assert end - contents[0] >= 2, "the contents fit on one page: the test needs more documents"
    for page in pages[contents[0]:end]:
        entries = re.findall(r"^\d+\.\s", page, re.M) + re.findall(r"^(Editorial principles|Index of)", page, re.M)
        assert len(entries) >= 2, page


def test_the_contents_give_each_documents_date_and_place(forty):
    from edition.config import discover
    from edition.corpus import load_corpus
    from edition.diagnostics import Reporter

    folder, pages = forty
    text = " ".join(" ".join(page.split()) for page in pages[:6])
    corpus = load_corpus(discover(folder), Reporter())
    for doc in corpus.documents[:5]:
        line = ", ".join(filter(None, (doc.info.date_display, doc.info.place)))
        assert line in text, line


def test_the_back_of_the_title_page_has_the_imprint_licence_and_citation(bundled):
    pages = pdf_pages_text(bundled[0] / "pdf" / "edition.pdf")
    back = " ".join(pages[1].split())
    assert "Published by The edition project, 2026" in back
    assert "CC BY 4.0" in back and "https://creativecommons.org/licenses/by/4.0/" in back.replace("/ ", "/")
    assert "How to cite this edition" in back


def test_the_source_note_comes_before_the_text_and_the_apparatus_speaks_plainly(bundled):
    pages = pdf_pages_text(bundled[0] / "pdf" / "edition.pdf")
    text = " ".join(" ".join(page.split()) for page in pages)
    assert text.index("Source: Archive of the President") < text.index("Comrade Stalin proposed to Eden")
    assert "certainty:" not in text and "I wanted to leave the idea" in text
    assert re.search(r"in the source; conjecture", text)
    places = next(page for page in pages if page.startswith("Index of places"))
    assert "(settlement)" not in places and "Moscow" in places
