"""Each TEI construct the print stylesheet handles, in one fixture document typeset alone."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from lxml import etree

from tests.conftest import FIXTURES, REPO


@pytest.fixture(scope="module")
def printed(config):
    from edition.corpus import Corpus, load_corpus, load_document
    from edition.diagnostics import Reporter
    from edition.render.pdf import Typesetter

    reporter = Reporter()
    base = load_corpus(config, reporter)
    tree = etree.parse(str(FIXTURES / "pdf" / "constructs.xml"))
    # placed beside the registers (never written there) so that "persons.xml#..." resolves
    doc = load_document(REPO / "tei" / "constructs.xml", tree)
    with Typesetter(Corpus(config=config, registers=base.registers, documents=[doc]), reporter) as typesetter:
        typesetter.add_document(7, doc)
        source = (typesetter.work / "docs" / "007.typ").read_text(encoding="utf-8")
        pdf = typesetter.document_pdf(7)
    text = "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split()), source, reporter


def test_heading_numbers_and_source_note(printed):
    text, _, _ = printed
    assert "NO. 7" in text or "No. 7" in text
    assert "20 December 1941, London" in text
    assert ("Archive of Foreign Policy of the Russian Federation (AVP RF), Moscow. F. 06. Op. 3. P. 1. D. 5. L. 12."
            in text)


def test_speakers_of_a_shared_turn(printed):
    text, source, _ = printed
    assert '#speaker[Stalin and Molotov]' in source
    assert re.search(r"(?i)stalin and molotov Both said", text)


def test_quotations_nest_and_highlighting_keeps_the_words(printed):
    text, source, _ = printed
    assert "“the words ‘inside’ here”" in text
    assert "#strong[bold words]" in source and "#emph[italic words]" in source


def test_folio_gap_and_regularisations(printed):
    text, _, _ = printed
    assert "L. 13" in text
    assert "[…]" in text
    assert "color" in text and "Government" in text
    assert "color] colour in the source" in text
    assert "Government] Gov. abbreviated in the source" in text
    assert "lemma reading] variant reading copy2" in text


def test_notes(printed):
    text, source, _ = printed
    assert '#marked-note("**")' in source
    assert re.search(r"\*\*\s*A note with its own marker\. Note in the source\.", text)
    assert "First paragraph of the note." in text and "Second paragraph." in text


def test_lists_tables_verse_deletions(printed):
    text, _, _ = printed
    for words in ("First item", "Second item", "Ordered one", "Cell A", "Cell B", "Wide cell", "Line one",
                  "Line two", "struck words", "Signed Maisky"):
        assert words in text, words


def test_unknown_pointer_is_indexed_under_its_id(printed):
    _, source, _ = printed
    assert '#mention("person", "nobody-known")' in source


def test_element_without_a_rule_keeps_its_text_and_is_reported(printed):
    text, _, reporter = printed
    assert "three apples" in text
    fallback = [d for d in reporter.diagnostics if d.code == "pdf.fallback"]
    assert len(fallback) == 1 and "<num>" in fallback[0].message
    assert fallback[0].line == 40


def test_unknown_paper_is_a_clear_error(config):
    import dataclasses

    from edition.diagnostics import EditionError, Reporter
    from edition.render.pdf import settings

    bad = dataclasses.replace(config, pdf=dataclasses.replace(config.pdf, paper="a44"))
    with pytest.raises(EditionError, match="a44"):
        settings(bad, Reporter(), [])


def test_no_text_is_lost(printed):
    """Every word of <text> is somewhere in the PDF: the readings not shown in the running text are
    in the apparatus, notes at the foot of the page, labels before the items."""
    from tests.test_pdf import same_word, words

    text, _, _ = printed
    tree = etree.parse(str(FIXTURES / "pdf" / "constructs.xml"))
    body = " ".join(tree.xpath("//tei:text//text()", namespaces={"tei": "http://www.tei-c.org/ns/1.0"}))
    printed_words = words(text)
    missing = [w for w in set(words(body)) if not any(same_word(p, w) for p in printed_words)]
    assert not missing


def test_a_book_of_two_documents(config):
    """Numbers in date order, both in the contents, an unresolved pointer indexed under its id.

    The build never typesets constructs.xml (it does not validate: an unresolved pointer is an
    error), so the book's main file is made here as the build makes it (book_main) and compiled in
    the Typesetter's project."""
    from edition.corpus import Corpus, load_corpus, load_document
    from edition.diagnostics import Reporter
    from edition.render.pdf import Typesetter, _compile, book_main
    from tests.conftest import SEED_TEI

    reporter = Reporter()
    base = load_corpus(config, reporter)
    docs = [load_document(REPO / "tei" / "seed.xml", etree.parse(str(SEED_TEI))),
            load_document(REPO / "tei" / "constructs.xml", etree.parse(str(FIXTURES / "pdf" / "constructs.xml")))]
    with Typesetter(Corpus(config=config, registers=base.registers, documents=docs), reporter) as typesetter:
        names = [typesetter.add_document(number, doc) for number, doc in enumerate(docs, start=1)]
        main = typesetter.work / "main.typ"
        main.write_text(book_main(names, []), encoding="utf-8")
        typesetter._write_data()  # data.json with both titles
        pdf = _compile(typesetter.compiler, main, None, reporter)
    pages = [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    contents = next(p for p in pages if p.startswith("Contents"))
    assert "1. Record of the conversation" in contents and "2. Telegram with every construct" in contents
    persons = next(p for p in pages if "Index of persons" in p and "Eden, Anthony" in p)
    assert re.search(r"nobody-known \(not in the register\) \d+", persons)
    index = next(i for i, p in enumerate(pages) if p.startswith("Index of places"))
    london = re.search(r"London \(settlement\) ((?:\d+, )*\d+)", pages[index])
    for number in map(int, london.group(1).split(", ")):
        assert number - 1 < index and "London" in pages[number - 1]  # no running head names London


def test_characters_without_a_glyph_are_reported(config):
    from edition.corpus import Corpus, load_corpus, load_document
    from edition.diagnostics import Reporter
    from edition.render.pdf import Typesetter
    from tests.conftest import SEED_TEI

    reporter = Reporter()
    base = load_corpus(config, reporter)
    tree = etree.parse(str(FIXTURES / "pdf" / "minimal.xml"))
    tree.xpath("//*[@xml:id='probe']")[0].text = "Cyrillic Жук, Greek Ωμέγα, € and ﬁ are there; 中文 and ঀ are not"
    docs = [load_document(REPO / "tei" / "glyphs.xml", tree),
            load_document(REPO / "tei" / "seed.xml", etree.parse(str(SEED_TEI)))]
    with Typesetter(Corpus(config=config, registers=base.registers, documents=docs), reporter) as typesetter:
        typesetter.check_glyphs(docs)
    found = [d for d in reporter.diagnostics if d.code == "pdf.missing-glyph"]
    assert len(found) == 1 and found[0].path.endswith("glyphs.xml")
    assert "中 (U+4E2D" in found[0].message and "ঀ (U+0980" in found[0].message
    assert found[0].message.startswith("3 character(s)")
    assert found[0].line == 19  # the probe paragraph of minimal.xml
