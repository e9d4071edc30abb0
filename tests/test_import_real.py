"""`edition import` on the layouts of the collection's real pages (tests/fixtures/import_real/: our own
fixtures in their shapes, each with a hand-written expected result), measured by bench/import_eval.py,
and what an editor does next: build the drafts, import again, add the new persons to the register."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from edition.cli import main

REPO = Path(__file__).resolve().parent.parent
REAL = Path(__file__).resolve().parent / "fixtures" / "import_real"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(scope="module")
def evaluation():
    spec = importlib.util.spec_from_file_location("import_eval", REPO / "bench" / "import_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.evaluate(REAL)


def test_the_fixtures_are_many_and_each_has_its_expected_result():
    fixtures = sorted(REAL.glob("*.txt"))
    assert len(fixtures) >= 40
    assert all(f.with_name(f.stem + ".expected.json").is_file() for f in fixtures)


def test_the_targets_on_our_fixtures(evaluation):
    rows, total = evaluation
    agree, paragraphs = total["speakers"]
    assert paragraphs >= 150
    assert agree / paragraphs >= 0.95                       # speakers >= 95 %
    assert total["wrong"] / paragraphs <= 0.01              # wrong speakers <= 1 %
    assert total["documents split"][0] == total["documents split"][1] == len(rows)
    assert total["valid drafts"][0] == total["valid drafts"][1]
    for key in ("titles", "dates", "classifications", "notes anchored", "archive fields"):
        assert total[key][0] >= 0.95 * total[key][1], (key, total[key])


def test_names_the_register_lacks_give_todos_not_wrong_speakers():
    """With the bundled registers (most of the collection's persons missing) a speaker is the right
    person, named for the editor to add, or none; wrong attributions stay at most 1 %."""
    spec = importlib.util.spec_from_file_location("import_eval", REPO / "bench" / "import_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    _, total = module.evaluate(REAL, REPO / "tei")
    paragraphs = total["speakers"][1]
    assert total["wrong"] <= 0.01 * paragraphs, total["wrong list"]
    assert total["speakers"][0] + total["unregistered"] >= 0.9 * paragraphs


@pytest.fixture()
def edition(tmp_path):
    """An edition whose registers are the fixtures' (the bundled ones plus the collection's persons)."""
    (tmp_path / "edition.toml").write_text('[edition]\ntitle = "Drafts"\neditors = ["A. Editor"]\n')
    (tmp_path / "tei").mkdir()
    for name in ("persons.xml", "places.xml"):
        shutil.copy(REAL / "tei" / name, tmp_path / "tei" / name)
    return tmp_path


def test_drafts_build_at_once_and_say_they_are_drafts(edition):
    """Most transcripts name no archive: the draft still builds (a warning), labelled "draft"."""
    result = run("-C", edition, "import", REAL / "r31_telegram_addressee_name_stop.txt",
                 REAL / "r03_note_with_reply.txt")
    assert result.exit_code == 0, result.output
    drafts = sorted((edition / "tei").glob("19*.xml"))
    assert len(drafts) == 3
    assert all(etree.parse(str(d)).xpath("string(//t:revisionDesc/@status)", namespaces=NS) == "draft" for d in drafts)
    built = run("-C", edition, "build")
    assert built.exit_code == 0, built.output
    page = next((edition / "_build" / "html" / "documents").glob("*1940-11-13.html"))
    assert "draft-label" in page.read_text(encoding="utf-8")


def test_a_second_import_never_collides_and_the_same_one_keeps_its_name(edition):
    first = run("-C", edition, "import", REAL / "r10_telegram_points_spacers.txt")
    assert first.exit_code == 0
    (written,) = (edition / "tei").glob("1937-06-02_*.xml")
    again = run("-C", edition, "import", REAL / "r10_telegram_points_spacers.txt")
    assert again.exit_code != 0 and "exists" in again.output          # the same document: --force to redo
    other = edition / "other.txt"   # another transcript whose document gets the same name
    other.write_text((REAL / "r10_telegram_points_spacers.txt").read_text(encoding="utf-8")
                     .replace("Ataturk", "Atatürk and the president"), encoding="utf-8")
    assert run("-C", edition, "import", other).exit_code == 0
    assert {p.name for p in (edition / "tei").glob("1937-06-02_*.xml")} == {written.name, written.stem + "-2.xml"}


def test_undated_documents_are_named_from_their_title(edition):
    text = "Telegram of the plenipotentiary representative of the RSFSR in Bukhara\n\nAll is quiet.\n"
    (edition / "t.txt").write_text(text, encoding="utf-8")
    assert run("-C", edition, "import", edition / "t.txt").exit_code == 0
    assert [p.name for p in (edition / "tei").glob("undated_*.xml")] == \
        ["undated_telegram-plenipotentiary-representative-rsfsr-bukhara.xml"]


def test_add_to_register_attributes_new_persons_on_the_first_import(edition):
    source = REAL / "r35_title_over_two_lines.txt"   # Astakhov and Weizsacker are in no register
    result = run("-C", edition, "import", source, "--add-to-register")
    assert result.exit_code == 0, result.output
    assert "added to the register as drafts" in result.output
    persons = etree.parse(str(edition / "tei" / "persons.xml"))
    added = persons.xpath("//t:person[t:note[@type='todo']]/@xml:id", namespaces=NS)
    assert added == ["astakhov", "weizsacker"]
    (doc,) = (edition / "tei").glob("1939-05-20_*.xml")
    whos = etree.parse(str(doc)).xpath("//t:sp/@who", namespaces=NS)
    assert [w.split("#")[1] for w in whos] == ["weizsacker", "astakhov"]
    assert run("-C", edition, "validate").exit_code == 0      # the draft entries are valid, with todo warnings


def test_junk_is_never_proposed_as_a_name(tmp_path):
    from edition.importer.names import unresolved_candidates
    from edition.importer.register import Register

    register = Register.load(REAL / "tei" / "persons.xml", None)
    text = ("Print. By srh. Pgchat. About arch. Everyone agreed. The Commissioner said so. "
            "Please tell Aras. Comrade Sobolov’s answer came.")
    assert [name for _, name in unresolved_candidates(text, register)] == ["Sobolov"]


@pytest.mark.parametrize("name", ["r45_word_html_footnote_pagebreak.html", "r46_word_docx_footnote.docx"])
def test_web_pages_and_word_documents(tmp_path, name):
    """A saved web page and a Word document: their paragraphs, footnotes anchored at their
    references, page breaks; the page's navigation, scripts and styles are not text."""
    tei = tmp_path / "tei"
    result = run("import", REAL / name, "--out", tei, "--persons", REAL / "tei" / "persons.xml", "--format", "json")
    assert result.exit_code == 0, result.output
    import json
    report = json.loads(result.output)["files"][0]
    # positions an editor can find: the page source's lines, the Word document's paragraph numbers
    html = name.endswith(".html")
    assert report["encoding"] == ("web page (HTML; line numbers are those of the page's source)" if html
                                  else "Word document (.docx; line numbers are paragraph numbers)")
    if html:
        source = (REAL / name).read_text(encoding="utf-8").splitlines()
        title_line = next(n for n, line in enumerate(source, 1) if "<b>Record of the conversation" in line)
    else:
        title_line = 1
    assert report["documents"][0]["title"]["line"] == title_line
    assert report["documents"][0]["date"]["line"] == title_line + 1
    (doc,) = tei.glob("*.xml")
    root = etree.parse(str(doc)).getroot()
    text = "".join(root.find("{http://www.tei-c.org/ns/1.0}text").itertext())
    assert "tracker" not in text and "Marx-Engels" not in text and "MsoNormal" not in text
    notes = root.xpath("//t:p/t:note[@type='source']", namespaces=NS)
    assert len(notes) == 1 and notes[0].get("n") == "[1]" and "".join(notes[0].itertext()).startswith(("Turkey", "The Franco"))
    assert len(root.xpath("//t:body//t:pb", namespaces=NS)) == 1
    # the italics of the page and of Word, as <hi rend="italic">, and nothing else emphasised
    italic = {"r45_word_html_footnote_pagebreak.html": "non-belligerent", "r46_word_docx_footnote.docx": "Czechoslovak question"}
    assert [hi.text for hi in root.xpath("//t:body//t:hi", namespaces=NS)] == [italic[name]]
    assert root.xpath("//t:body//t:hi/@rend", namespaces=NS) == ["italic"]


@pytest.mark.parametrize("source, expected", [
    ("interests of the USSR. \u02ba to this, I pointed", "interests of the USSR. ” to this, I pointed"),
    ("the words: \u02baboth parties.\u02ba the mention of \u02baacquisitions\u02ba", "the words: “both parties.” the mention of “acquisitions”"),
    ("he said: \u201cthe gift of the workers\u02ba.", "he said: “the gift of the workers”."),
    ("not \u02bajointly consult\u02ba, but \u02baact\u02ba", "not “jointly consult”, but “act”"),
])
def test_double_primes_open_or_close_by_their_position(source, expected):
    from edition.importer.source import normalise

    assert normalise(source) == expected


@pytest.mark.parametrize("title, kind", [
    ("Recording the conversation of the counsellor of the embassy with the minister Kowalski", "record of conversation"),
    ("Recording of the conversation of the counsellor with the minister", "record of conversation"),
    ("Notes the talk went well", None),   # "the" without "of" only after "Recording"
])
def test_the_translations_gerund_title_is_a_record_of_conversation(title, kind):
    from edition.importer.segment import title_kind

    assert title_kind(title) == kind


@pytest.mark.parametrize("text, salute", [("Mr. Ambassador,", True), ("Mr Minister,", True), ("Dear comrade,", True),
                                          ("Mr. Eden asked about the treaty. He said,", False)])
def test_a_greeting_with_an_abbreviated_title_is_a_salute(text, salute):
    from edition.importer.recognise import SALUTE

    assert bool(SALUTE.match(text)) == salute
