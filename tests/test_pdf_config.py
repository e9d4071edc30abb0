"""[pdf] settings (paper, fonts, font folders, running head) and hostile header values."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from lxml import etree

from tests.helpers import FIXTURES, REPO, SEED_TEI, typeset_pdf

MM = 72 / 25.4  # PDF points per millimetre


def typeset(config, tree, number: int = 1):
    """(PDF bytes of the document alone, reporter) with `config`, by the build's steps."""
    typeset, reporter = typeset_pdf(tree, config=config, number=number)
    return typeset.pdf, reporter


def with_pdf(config, **changes):
    return dataclasses.replace(config, pdf=dataclasses.replace(config.pdf, **changes))


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.parametrize("paper, size_mm", [("a5", (148, 210)), ("us-letter", (215.9, 279.4))])
def test_paper(config, paper, size_mm):
    pdf, _ = typeset(with_pdf(config, paper=paper), etree.parse(str(SEED_TEI)))
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == tuple(round(x) for x in size_mm)


def test_a_diplomatic_print_edition_prints_the_sources_readings(config):
    """[pdf] reading = "source": the source's readings in the text, the editors' in the apparatus."""
    edited = text_of(typeset(config, etree.parse(str(SEED_TEI)))[0])
    source = text_of(typeset(with_pdf(config, reading="source"), etree.parse(str(SEED_TEI)))[0])
    assert "Stalin agreed to accept Ideia" in source and "Stalin agreed to accept Eden" in edited
    assert "Ideia] corrected to Eden" in source and "Eden] Ideia in the source" in edited
    assert "21:00. 00 minutes] corrected to 21 hours 00 minutes" in source
    assert "[inexpedient] supplied by the editors" in source  # what the source lacks stays supplied


def test_the_reading_must_be_edited_or_source(tmp_path):
    from edition.config import load_config
    from edition.diagnostics import EditionError
    from tests.helpers import write_edition

    write_edition(tmp_path, toml='[pdf]\nreading = "diplomatic"\n')
    with pytest.raises(EditionError) as info:
        load_config(tmp_path / "edition.toml")
    assert any(d.code == "config.value" or "'pdf.reading' must be one of 'edited', 'source'" in d.message
               for d in info.value.diagnostics), [d.message for d in info.value.diagnostics]


def test_running_head_from_the_config(config):
    pdf, _ = typeset(with_pdf(config, running_head="Conversations · #not-code"), etree.parse(str(SEED_TEI)))
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert pages[1].lstrip().startswith("Conversations · #not-code")


def test_a_font_that_is_not_there_is_reported_and_the_bundled_one_used(config):
    pdf, reporter = typeset(with_pdf(config, fonts=["No Such Font"]), etree.parse(str(SEED_TEI)))
    assert [d for d in reporter.diagnostics if d.code == "pdf.fonts"]
    assert "Comrade Stalin proposed" in text_of(pdf)


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.mark.skipif(not DEJAVU.is_dir() or shutil.which("pdffonts") is None,
                    reason="needs /usr/share/fonts/truetype/dejavu and pdffonts")
def test_fonts_from_a_font_folder_are_used_and_embedded(config):
    pdf, reporter = typeset(with_pdf(config, fonts=["DejaVu Serif"], font_paths=[str(DEJAVU)]),
                            etree.parse(str(SEED_TEI)))
    assert not [d for d in reporter.diagnostics if d.code.startswith("pdf.font")], reporter.to_text()
    listing = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "DejaVuSerif" in listing
    assert all(row.split()[-5] == "yes" for row in listing.splitlines()[2:])


def test_header_values_are_inert(config):
    tree = etree.parse(str(FIXTURES / "pdf" / "minimal.xml"))
    ns = {"tei": "http://www.tei-c.org/ns/1.0"}
    hostile = '#read("/etc/passwd") $x$ ] ) "'
    tree.xpath("//tei:title[@type='main']", namespaces=ns)[0].text = "Title " + hostile
    tree.xpath("//tei:title[@type='short']", namespaces=ns)[0].text = "Short " + hostile
    p = tree.xpath("//*[@xml:id='probe']")[0]
    p.text = "Text"
    note = etree.SubElement(p, "{http://www.tei-c.org/ns/1.0}note", n='*") #panic("x', ref="x")
    note.text = "Note " + hostile
    name = etree.SubElement(p, "{http://www.tei-c.org/ns/1.0}persName", ref='persons.xml#a" b\\')
    name.text = "Name " + hostile
    etree.SubElement(p, "{http://www.tei-c.org/ns/1.0}pb", n="#sys.version ]")
    pdf, _ = typeset(config, tree)
    text = text_of(pdf)
    # (a page of a source that is no manuscript: "p.", as xslt/common/breaks.xsl calls it on the web too)
    for value in ("Title " + hostile, "Note " + hostile, "Name " + hostile, 'p. #sys.version ]'):
        assert value in text, value
    assert '*") #panic("x' in text  # the source's marker, verbatim
    assert "root:" not in text



def test_two_documents_with_one_id_are_a_clear_error(config, tmp_path):
    """The build stops at validation (both files named); the print edition's own check stays as a
    guard for a corpus assembled without validation."""
    from edition.build import build
    from edition.config import load_config
    from edition.corpus import Corpus, load_corpus, load_document
    from edition.diagnostics import EditionError, Reporter
    from edition.render.pdf import check_ids

    (tmp_path / "tei").mkdir()
    for source in (REPO / "tei").glob("*.xml"):
        shutil.copyfile(source, tmp_path / "tei" / source.name)
    shutil.copyfile(SEED_TEI, tmp_path / "tei" / "copy.xml")
    shutil.copyfile(REPO / "edition.toml", tmp_path / "edition.toml")
    reporter = Reporter()
    with pytest.raises(EditionError, match="have errors: .*; nothing was built"):
        build(load_config(tmp_path / "edition.toml"), reporter, only="pdf", jobs=1)
    duplicate = [d for d in reporter.diagnostics if d.code == "corpus.duplicate-id"]
    assert len(duplicate) == 1 and SEED_TEI.name in duplicate[0].message
    assert not (tmp_path / "_build" / "pdf").exists()

    base = load_corpus(config, Reporter())
    tree = etree.parse(str(SEED_TEI))
    docs = [load_document(REPO / "tei" / name, tree) for name in ("a.xml", "b.xml")]
    with pytest.raises(EditionError, match="also the id of"):
        check_ids(Corpus(config=config, registers=base.registers, documents=docs).documents)
