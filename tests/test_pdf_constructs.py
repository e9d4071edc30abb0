"""Each TEI construct the print stylesheet handles, in one fixture document typeset alone."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from tests.helpers import (FIXTURES, REPO, SEED_ID, SEED_TEI, build_edition, pdf_pages_text, same_word, typeset_pdf, words,
                           write_edition)


@pytest.fixture(scope="module")
def printed():
    """constructs.xml typeset alone as No. 7, by the build's steps (it does not validate: an
    unresolved pointer is an error, so the build would leave it out): (text, Typst markup, reporter)."""
    tree = etree.parse(str(FIXTURES / "pdf" / "constructs.xml"))
    # placed beside the registers (never written there) so that "persons.xml#..." resolves
    typeset, reporter = typeset_pdf(tree, number=7, place=REPO / "tei" / "constructs.xml")
    return " ".join("\n".join(pdf_pages_text(typeset.pdf)).split()), typeset.body, reporter


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
    for expected in ("First item", "Second item", "Ordered one", "Cell A", "Cell B", "Wide cell", "Line one",
                  "Line two", "struck words", "Signed Maisky"):
        assert expected in text, expected


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
    text, _, _ = printed
    tree = etree.parse(str(FIXTURES / "pdf" / "constructs.xml"))
    body = " ".join(tree.xpath("//tei:text//text()", namespaces={"tei": "http://www.tei-c.org/ns/1.0"}))
    printed_words = words(text)
    missing = [w for w in set(words(body)) if not any(same_word(p, w) for p in printed_words)]
    assert not missing


def test_a_book_of_two_documents(config, tmp_path):
    """Numbers in date order, both in the contents, an unresolved pointer indexed under its id.

    The build never typesets constructs.xml (it does not validate: an unresolved pointer is an
    error), so the book's main file is made here by the build's own functions (project_data,
    typst_body, book_main) and compiled as the workers compile."""
    from edition.corpus import load_document
    from edition.registers import load_registers
    from edition.diagnostics import Reporter
    from edition.render import worker
    from edition.render.pdf import book_main, project_data, start_project, typst_body

    reporter = Reporter()
    docs = [load_document(REPO / "tei" / "seed.xml", etree.parse(str(SEED_TEI))),
            load_document(REPO / "tei" / "constructs.xml", etree.parse(str(FIXTURES / "pdf" / "constructs.xml")))]
    data, entities = project_data(config, load_registers(config, reporter), docs, reporter, [])
    start_project(tmp_path, data)
    names = []
    for number, doc in enumerate(docs, start=1):
        body, _ = typst_body(doc, number, entities, reporter)
        names.append(f"docs/{number:03d}.typ")
        (tmp_path / names[-1]).write_text(body, encoding="utf-8")
    (tmp_path / "main.typ").write_text(book_main(names, []), encoding="utf-8")
    result = worker.compile_pdf(str(tmp_path), "main.typ", [], str(tmp_path / "book.pdf"), "edition.pdf")
    assert "error" not in result, result
    pages = [" ".join(p.split()) for p in pdf_pages_text((tmp_path / "book.pdf").read_bytes())]
    contents = next(p for p in pages if p.startswith("Contents"))
    assert "1. Record of the conversation" in contents and "2. Telegram with every construct" in contents
    persons = next(p for p in pages if "Index of persons" in p and "Eden, Anthony" in p)
    assert re.search(r"nobody-known \(not in the register\) \d+", persons)
    index = next(i for i, p in enumerate(pages) if p.startswith("Index of places"))
    london = re.search(r"London ((?:\d+, )*\d+)", pages[index])  # no "(settlement)" after every town
    for number in map(int, london.group(1).split(", ")):
        assert number - 1 < index and "London" in pages[number - 1]  # no running head names London


def test_characters_without_a_glyph_are_reported(tmp_path):
    """The build's glyph check: a character no font has is reported at its line, once per document;
    Chinese is printed in the CJK fallback font (edition[cjk]), which the build adds because of it."""
    pytest.importorskip("noto_cjk_sans_otc", reason="the optional CJK font (pip install 'edition[cjk]')")
    text = SEED_TEI.read_text(encoding="utf-8")
    probe = "Cyrillic Жук, Greek Ωμέγα, € and ﬁ are there, Chinese 中文 too; ঀ and ꦄ are not"
    at = text.index(">", text.index("<p", text.index("<body>"))) + 1  # into the first paragraph
    line = text[:at].count("\n") + 1  # reported at its element, the paragraph
    write_edition(tmp_path)
    (tmp_path / "tei" / SEED_TEI.name).write_text(text[:at] + f"\n{probe} " + text[at:], encoding="utf-8")
    _, reporter = build_edition(tmp_path, only="pdf")
    found = [d for d in reporter.diagnostics if d.code == "pdf.missing-glyph"]
    assert len(found) == 1 and found[0].path.endswith(SEED_TEI.name)
    assert "ঀ (U+0980" in found[0].message and "ꦄ (U+A984" in found[0].message
    assert found[0].message.startswith("2 character(s)")
    assert found[0].line == line
    pdf = (tmp_path / "_build" / "pdf" / f"{SEED_ID}.pdf").read_bytes()
    assert "Chinese 中文 too" in " ".join(" ".join(pdf_pages_text(pdf)).split())


def test_the_cjk_font_is_added_only_for_documents_that_need_it():
    from edition.render.pdf_glyphs import CJK_FAMILY, fallback

    assert fallback("Жук Ωμέγα € ﬁ ঀ") is None
    pytest.importorskip("noto_cjk_sans_otc", reason="the optional CJK font (pip install 'edition[cjk]')")
    for text in ("中文", "かな", "한국어"):
        found = fallback(text)
        assert found is not None and found.families == (CJK_FAMILY,) and found.folder.is_dir()
