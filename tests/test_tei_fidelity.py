"""No text lost, for any TEI: one small document per TEI chapter (tests/fixtures/tei/, valid against
tei_all.rng) and the four documents written by other projects (../shared/corpus/tei/), each edition
built through `edition build` with `[validation] model = "tei"`. Every word of each document's
<text> is in its web page and in its PDF (bench/fidelity.py counts them); the pages match golden
files; what the print edition does with drama, verse, transcription and links is checked in its text.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from tests.helpers import FIXTURES, REPO, bench_module

FIDELITY = bench_module("fidelity")
html_text, kept, pdf_text, source_words = FIDELITY.html_text, FIDELITY.kept, FIDELITY.pdf_text, FIDELITY.source_words

from edition.cli import main

CHAPTERS = FIXTURES / "tei"
FOREIGN = REPO.parent / "shared" / "corpus" / "tei"
GOLDEN = Path(__file__).resolve().parent / "golden" / "tei"


def build_edition(folder: Path, sources: list[Path]) -> tuple[Path, str]:
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(folder), "--model", "tei", "--title", "TEI from elsewhere"])
    assert result.exit_code == 0, result.output
    for path in sources:
        shutil.copy(path, folder / "tei" / path.name)
    result = runner.invoke(main, ["-C", str(folder), "build", "-q", "-j", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder / "_build", result.output


def documents(sources: list[Path]) -> list[tuple[Path, str, Counter]]:
    return [(path, doc_id, words) for path in sources for doc_id, words in source_words(path).items()]


def page_of(build: Path, doc_id: str) -> Path:
    name = re.sub(r"[^\w.-]+", "-", doc_id).strip("-.")  # as edition/render/fragments.page_name
    return build / "html" / "documents" / f"{name}.html"


@pytest.fixture(scope="module")
def chapters(tmp_path_factory):
    sources = sorted(CHAPTERS.glob("*.xml"))
    build, output = build_edition(tmp_path_factory.mktemp("chapters") / "edition", sources)
    return build, output, documents(sources)


@pytest.fixture(scope="module")
def chapters_pdf_text(chapters):
    build, _, docs = chapters
    return {doc_id: " ".join(pdf_text(build / "pdf" / f"{doc_id}.pdf").split()) for _, doc_id, _ in docs}


def test_every_chapter_and_each_document_of_the_corpus_is_built(chapters):
    _, _, docs = chapters
    ids = {doc_id for _, doc_id, _ in docs}
    assert {"core", "drama", "verse", "namesdates", "msdescription", "textcrit", "transcr", "figures", "tables",
            "linking", "corpus-letter-1", "corpus-letter-2"} <= ids


def test_every_word_of_the_text_is_in_the_page_and_in_the_pdf(chapters):
    build, _, docs = chapters
    for path, doc_id, words in docs:
        assert sum(words.values()) > 5, doc_id
        assert kept(words, html_text(page_of(build, doc_id))) == 1.0, f"{path.name}: words missing in HTML"
        assert kept(words, pdf_text(build / "pdf" / f"{doc_id}.pdf")) == 1.0, f"{path.name}: words missing in PDF"


def test_an_element_without_a_print_rule_is_reported_once(chapters):
    _, output, _ = chapters
    names = re.findall(r"warning: <(\w+)> has no print rule", output)
    assert len(names) == len(set(names)), output


def test_print_keeps_what_the_web_keeps(chapters_pdf_text):
    drama, verse, tables = chapters_pdf_text["drama"], chapters_pdf_text["verse"], chapters_pdf_text["tables"]
    # every turn has its speaker, whatever the turn holds
    assert re.search(r"ANNA\s*Who knocks", drama, re.I) and re.search(r"BORIS\s*Your neighbour", drama, re.I)
    assert re.search(r"THE CROWD\s*Shouting", drama, re.I) and re.search(r"BOTH\s*Enough", drama, re.I)
    assert re.search(r"CHORUS\s*Sing the chorus", verse, re.I) and re.search(r"CHORUS\s*A turn in a stanza", verse, re.I)
    assert re.search(r"THE CHAIRMAN\s*The meeting is open", tables, re.I) and re.search(r"CLERK\s*Noted", tables, re.I)
    assert "a young widow" in drama and "He bows." in drama
    transcr = chapters_pdf_text["transcr"]
    assert "weighing of the grain" in transcr and "hyphenated word" in transcr
    assert "(a drawing of a mill)" in transcr and "(illegible; 2 word)" in transcr
    names = chapters_pdf_text["namesdates"]
    assert "Nancy Ide" in names and "Lou van Burnard Jr" in names
    linking = chapters_pdf_text["linking"]
    assert "https://tei-c.org/guidelines/" in linking and "https://example.org/ptr-only" in linking
    figures = chapters_pdf_text["figures"]
    assert "Figure: The old mill — A watermill with a wooden wheel." in figures
    assert "Sentence NounPhrase Nancy VerbPhrase writes" in figures
    textcrit = chapters_pdf_text["textcrit"]
    assert "quick] swift B" in textcrit
    core = chapters_pdf_text["core"]
    assert "Ada Quill" in core and "Quill, Ada. Notes." in core


def test_document_metadata_comes_from_the_documents(chapters):
    build, _, _ = chapters
    index = lxml.html.parse(str(build / "html" / "index.html")).getroot().text_content()
    order = [index.index(t) for t in ("First letter of a corpus", "Second letter of a corpus")]
    assert order[0] < order[1]  # dated 1850 before the undated
    core = lxml.html.parse(str(page_of(build, "core"))).getroot()
    assert "Ada Quill" in core.xpath("string(//dd[@class = 'author'])")
    assert "4 May 1902" in core.xpath("string(//dd[@class = 'date-place'])")


def _normalised(page: Path) -> str:
    body = lxml.html.parse(str(page)).getroot().xpath("//div[contains(@class, 'doc-body')]")[0]
    for el in body.iter():
        if isinstance(el.tag, str):
            el.text = re.sub(r"\s+", " ", el.text) if el.text else el.text
        el.tail = re.sub(r"\s+", " ", el.tail) if el.tail else el.tail
    etree.indent(body, space=" ")
    return etree.tostring(body, encoding="unicode", method="html")


def test_pages_match_their_golden_files(chapters):
    build, _, docs = chapters
    changed = []
    for _, doc_id, _ in docs:
        golden = GOLDEN / f"{doc_id}.html"
        actual = _normalised(page_of(build, doc_id))
        if os.environ.get("UPDATE_GOLDEN") == "1":
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(actual, encoding="utf-8")
        elif not golden.exists() or golden.read_text(encoding="utf-8") != actual:
            changed.append(doc_id)
    assert not changed, f"pages changed: {changed}; check them and regenerate with UPDATE_GOLDEN=1"


@pytest.mark.skipif(not FOREIGN.is_dir(), reason=f"the shared TEI sample is not at {FOREIGN}")
def test_tei_written_elsewhere_keeps_every_word(tmp_path):
    sources = sorted(FOREIGN.glob("*.xml"))
    build, _ = build_edition(tmp_path / "edition", sources)
    docs = documents(sources)
    assert len(docs) == 4
    for path, doc_id, words in docs:
        assert kept(words, html_text(page_of(build, doc_id))) == 1.0, path.name
        assert kept(words, pdf_text(build / "pdf" / f"{doc_id}.pdf")) >= 0.999, path.name
    play = " ".join(pdf_text(build / "pdf" / "rus000017.pdf").split())
    assert play.count("Альбер") >= 40  # the speaker of most of the play's 102 turns
