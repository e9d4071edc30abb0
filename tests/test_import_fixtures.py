"""`edition import` on transcripts of the genre written for the tests (tests/fixtures/import/).

Each fixture exercises one shape of the genre; each test asserts what was recognised in it.
The fixtures use `fixtures/import/tei/persons.xml`, the repository's register plus a few persons.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import lxml.html
from lxml import etree

from edition.importer import import_transcripts
from edition.importer.report import describe

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture(scope="session")
def edition_folder(tmp_path_factory):
    """Every fixture imported into one edition folder (registers copied next to the documents)."""
    tei = tmp_path_factory.mktemp("fixtures-import") / "tei"
    tei.mkdir()
    for name in ("persons.xml", "places.xml"):
        shutil.copy(FIXTURES / "tei" / name, tei / name)
    results = import_transcripts(sorted(FIXTURES.glob("*.txt")), out=tei, persons=tei / "persons.xml")
    return tei, {r.source.name: r for r in results}


def docs(edition_folder, name):
    return edition_folder[1][name].documents


def root(doc):
    return etree.parse(str(doc.path)).getroot()


def x(doc, path):
    return root(doc).xpath(path, namespaces=NS)


def speakers(doc):
    """Each body paragraph's speaker id (None for narration), in order."""
    out = []
    for p in root(doc).iterfind(".//t:body//t:p", NS):
        sp = p.getparent()
        out.append(sp.get("who").split("#")[1] if sp.tag.endswith("}sp") else None)
    return out


def test_every_draft_is_valid(edition_folder, tmp_path):
    from edition.validate import validate_paths

    tei, _ = edition_folder
    result = validate_paths([tei])
    errors = [d.format() for d in result.diagnostics if d.severity.value == "error"]
    assert errors == []
    # The fragment without title, date or archival line cannot name its archive: for a draft that is
    # a warning (an error once the editor sets revisionDesc/@status="published").
    drafts = [d for d in result.diagnostics if d.code == "sch.source-repository"]
    assert drafts and all(d.severity.value == "warning" and "undated" in str(d.path) for d in drafts)
    published = tmp_path / Path(drafts[0].path).name
    published.write_text(Path(drafts[0].path).read_text(encoding="utf-8").replace('status="draft"', 'status="published"'),
                         encoding="utf-8")
    assert any(d.code == "sch.source-repository" and d.severity.value == "error"
               for d in validate_paths([published]).diagnostics)


def test_two_documents_in_one_file(edition_folder):
    first, second = docs(edition_folder, "01_two_documents.txt")
    assert first.path.name == "1940-07-10_molotov-cripps.xml"
    assert second.path.name == "1939-10-01_molotov-saracoglu.xml"
    # "Comrade Molotov received Cripps at his request." only narrates a meeting: no turn
    assert speakers(first) == [None, "cripps", "molotov", None]
    assert speakers(second) == ["saracoglu", "molotov", "saracoglu"]
    assert x(first, "string(//t:idno[@type='papka'])") == "14"
    assert x(second, "string(//t:idno[@type='delo'])") == "2154"
    assert describe(first)["title"]["line"] == 12 and describe(second)["title"]["line"] == 30
    assert x(first, "string(//t:respStmt[@xml:id='recorder']/t:persName/@ref)") == "persons.xml#molotov"


def test_first_person_telegram(edition_folder):
    (doc,) = docs(edition_folder, "02_telegram_first_person.txt")
    assert doc.draft.doc_type == "telegram" and doc.draft.author.id == "maisky"
    assert speakers(doc) == ["maisky", "halifax", "maisky"]   # "Today I visited Halifax", "Halifax said", "I replied"
    assert x(doc, "string(//t:respStmt[@xml:id='recorder']/t:resp)") == "signed by"
    assert x(doc, "string(//t:closer/t:signed)") == "Maisky"
    assert x(doc, "//t:keywords/t:term/text()") == ["telegram", "Out of line"]
    assert x(doc, "string(//t:head/t:orgName/@ref)") == "persons.xml#nkid"


def test_diary_with_names_not_in_the_register(edition_folder):
    (doc,) = docs(edition_folder, "03_diary_unknown_names.txt")
    info = describe(doc)
    assert info["title"]["line"] == 12 and info["title"]["last_line"] == 14    # the subtitle belongs to the title
    unresolved = {u["name"]: u for u in info["unresolved_names"]}
    assert set(unresolved) == {"Schulenburg", "Hilger"}
    assert unresolved["Schulenburg"]["count"] == 4 and unresolved["Schulenburg"]["first_line"] == 14
    assert unresolved["Hilger"]["suggestion"] == \
        '<person xml:id="hilger"><persName type="main"><surname>Hilger</surname></persName></person>'
    assert x(doc, "count(//t:body//t:persName[not(@ref)][. = 'Schulenburg'])") == 4
    assert speakers(doc) == [None, "molotov", None]          # Schulenburg's turns wait for his register entry
    todos = x(doc, "//t:body//t:p/t:note[@type='todo']/text()")
    assert len(todos) == 2 and all("Schulenburg" in t for t in todos)
    assert doc.path.name == "1940-11-13_molotov-schulenburg.xml"


def test_date_range_with_classification_on_the_same_line(edition_folder):
    (doc,) = docs(edition_folder, "04_date_range_classification.txt")
    date = x(doc, "//t:opener/t:dateline/t:date")[0]
    assert (date.get("from"), date.get("to"), date.text) == ("1939-08-20", "1939-08-26", "August 20-26, 1939")
    assert x(doc, "//t:opener/t:seg[@type='classification']/text()") == ["top secret"]
    assert x(doc, "string(//t:creation/t:date/@from)") == "1939-08-20"
    bibl = x(doc, "//t:bibl[@type='first-publication']")[0]
    assert bibl.findtext("t:title", namespaces=NS) == "God krizisa"
    assert bibl.find("t:biblScope[@unit='volume']", NS).text == "2"
    assert bibl.find("t:biblScope[@unit='page']", NS).get("to") == "258"


def test_footnote_markers_and_note_texts_at_the_end(edition_folder):
    (doc,) = docs(edition_folder, "05_footnotes.txt")
    notes = x(doc, "//t:body//t:note[@type='source']")
    assert [(n.get("n"), n.text) for n in notes] == [
        ("*", "The message is published in the collection."),
        ("**", "Apparently the proposal of June 25 is meant."),
        ("[1]", "See the record of the conversation of June 28.")]
    assert notes[0].getprevious().text == "Churchill"          # anchored right after "Churchill"
    assert "*" not in "".join(x(doc, "//t:body//t:p/text()"))
    assert describe(doc)["notes"] == [{"marker": "*", "marker_line": 20, "note_line": 26},
                                      {"marker": "**", "marker_line": 20, "note_line": 28},
                                      {"marker": "[1]", "marker_line": 22, "note_line": 30}]


def test_page_breaks_and_repeated_clutter(edition_folder):
    result = edition_folder[1]["06_page_breaks.txt"]
    (doc,) = result.documents
    assert len(result.dropped) == 10                            # the website's lines, twice
    assert describe(doc)["page_breaks"] == [{"line": 20, "joined": True}, {"line": 26, "joined": False},
                                            {"line": 30, "joined": False}, {"line": 43, "joined": True}]
    first = x(doc, "//t:body//t:p")[0]
    assert first.find("t:pb", NS) is not None and first.find("t:pb", NS).tail.startswith(" would give its answer")
    assert len(x(doc, "//t:body//t:p")) == 4
    assert len(x(doc, "//t:body/t:div/t:pb")) == 2              # between paragraphs: a new page begins with one


def test_letter_and_archival_variants(edition_folder):
    (doc,) = docs(edition_folder, "07_letter_archival_variants.txt")
    assert doc.draft.doc_type == "letter" and x(doc, "string(//t:creation/t:date/@when)") == "1941-12-18"
    assert x(doc, "//t:msIdentifier/t:idno/text()") == ["RGASPI", "558", "11", "283"]
    locus = x(doc, "//t:locus")[0]
    assert (locus.get("from"), locus.get("to"), locus.text) == ("45", "47", "L. 45-47 ob.")
    pages = x(doc, "//t:bibl/t:biblScope[@unit='page']")[0]
    assert (pages.get("from"), pages.get("to")) == ("33", "34")
    assert speakers(doc) == ["stalin", "stalin"]


def test_the_source_lines_go_to_the_header_in_their_own_words(edition_folder):
    """The archival and publication lines are the header's data, each with its wording; a second
    archival line (no data of its own) is a bibl of its wording; a signature below them stays text."""
    from tests.helpers import render_html

    (doc,) = docs(edition_folder, "17_two_archival_lines.txt")
    assert x(doc, "//t:msItem/t:note[@type='source-wording']/text()") == ["AVP RF. F. 06. Op. 3. P. 1. D. 5. L. 12-14."]
    assert x(doc, "//t:bibl[@type='first-publication']/t:note[@type='source-wording']/text()") == \
        ["Publ.: God krizisa. T. II. S. 240-258."]
    assert x(doc, "//t:bibl[@type='source-citation']/t:note[@type='source-wording']/text()") == \
        ["AP RF. F. 3. Op. 64. D. 675. L. 20-22."]
    assert not x(doc, "//t:back") and x(doc, "string(//t:body//t:closer/t:signed)") == "Molotov"
    _, fragments, _, _ = render_html(doc.path, page=False)
    headnote = " ".join(lxml.html.fragment_fromstring(fragments.meta, create_parent="div")
                        .xpath("string(.//p[@class='headnote'])").split())
    assert "Source: Foreign Policy Archive of the Russian Federation (AVP RF)" in headnote
    assert "Source citation: AP RF. F. 3. Op. 64. D. 675. L. 20-22." in headnote   # as written: no data for it
    assert "God krizisa, vol. 2, pp. 240–258" in headnote and "Publ.:" not in headnote


def test_numbered_points_gap_and_supplied(edition_folder):
    (doc,) = docs(edition_folder, "08_list_gap_supplied.txt")
    items = x(doc, "//t:list[@type='ordered']/t:item")
    assert [i.get("n") for i in items] == ["1.", "2.", "3."]
    assert "".join(items[0].itertext()).startswith("The Soviet government")
    assert x(doc, "count(//t:item/t:gap)") == 1
    assert x(doc, "//t:supplied/text()") == ["nkara"]
    assert "non-Black Sea" in "".join(items[1].itertext())       # U+2010 normalised
    assert doc.path.name == "1938-11-24_nkid.xml"


def test_office_signature_and_distribution(edition_folder):
    (doc,) = docs(edition_folder, "09_closer_distribution.txt")
    assert x(doc, "//t:closer/t:signed/text()") == ["Plenipotentiary"]
    assert x(doc, "string(//t:closer/t:signed[2]/t:persName/@ref)") == "persons.xml#terentyev"
    assert x(doc, "string(//t:closer/t:note[@type='distribution'])").startswith("Sent to comrade Stalin")
    assert doc.draft.recorder[1].id == "terentyev"
    assert speakers(doc) == ["saracoglu", "terentyev"]          # "Saracoglu told me", "I said"


def test_misspellings_and_quotation_marks(edition_folder):
    (doc,) = docs(edition_folder, "10_misspellings_quotes.txt")
    sics = x(doc, "//t:persName/t:choice/t:sic/text()")
    corrs = x(doc, "//t:persName/t:choice/t:corr/text()")
    assert list(zip(sics, corrs)) == [("Ribbentropp", "Ribbentrop"), ("Ribbentropp", "Ribbentrop"), ("Ideia", "Eden")]
    text = "".join(x(doc, "//t:body//t:p")[0].itertext())
    assert "“a turning point”" in text
    assert speakers(doc) == ["ribbentrop", "molotov", "molotov"]


def test_roles_stand_for_the_title_party(edition_folder):
    (doc,) = docs(edition_folder, "11_memorandum_roles.txt")
    assert x(doc, "//t:body//t:rs[@type='person']/@ref") == ["persons.xml#cripps", "persons.xml#cripps"]
    assert speakers(doc) == ["cripps", "molotov", None]
    assert x(doc, "string(//t:opener/t:dateline/t:placeName/@ref)") == "places.xml#moscow"
    assert x(doc, "string(//t:creation/t:placeName)") == "Moscow"
    assert doc.draft.doc_type == "record of conversation"


def test_from_conversation_and_name_stop_speaker(edition_folder):
    (doc,) = docs(edition_folder, "12_from_conversation.txt")
    assert doc.draft.doc_type == "record of conversation"
    rules = [(p.speaker, p.rule) for p in doc.draft.of("p")]
    assert rules == [("name:Aktay", "subject"), ("molotov", "subject"), ("name:Aktay", "subject"),
                     ("name:Aktay", "name-stop")]
    # "the ambassador" stands for the party of the title (not in the register: rs without @ref),
    # "the people's commissar" for the register's holder of that office on the document's date.
    assert [(r.text, r.get("ref")) for r in x(doc, "//t:body//t:rs")] == [
        ("ambassador", None), ("people’s commissar", "persons.xml#molotov")]
    assert doc.draft.recorder[0] == "Pavlov" and doc.draft.recorder[1] is None
    assert doc.path.name == "1940-04-12_molotov-aktay.xml"


def test_hard_wrapped_lines_make_one_paragraph(edition_folder):
    (doc,) = docs(edition_folder, "13_hard_wrapped.txt")
    info = describe(doc)
    assert (info["title"]["line"], info["title"]["last_line"]) == (1, 2)
    assert info["dropped"] if "dropped" in info else True
    assert speakers(doc) == ["stalin", "eden"]
    assert "treaty could be signed tomorrow, if the British" in "".join(x(doc, "//t:body//t:p")[0].itertext())


def test_fragment_without_title_date_or_archive(edition_folder):
    (doc,) = docs(edition_folder, "14_no_title.txt")
    assert doc.path.name == "undated_document.xml"
    messages = [t.message for t in doc.draft.all_todos]
    assert any(m.startswith("no title line") for m in messages)
    assert any(m.startswith("no date recognised") for m in messages)
    assert any(m.startswith("no archival citation") for m in messages)
    assert x(doc, "count(//t:body/t:div/t:note[@type='todo'][@resp='#importer'])") == 3


def test_initialled_names_not_in_the_register(edition_folder):
    (doc,) = docs(edition_folder, "15_initialled_names.txt")
    unresolved = {u["name"]: (u["count"], u["first_line"]) for u in describe(doc)["unresolved_names"]}
    # "Aktay" later in the text is counted under "A. Haydar Aktay"; "U. S. Army" is no person.
    assert unresolved == {"A. Haydar Aktay": (2, 1), "F. W. Schulenburg": (1, 7)}
    assert doc.path.name == "1940-06-05_molotov-aktay.xml"
    assert x(doc, "string(//t:head/t:persName[not(@ref)])") == "A. Haydar Aktay"


def test_date_and_classification_above_the_title(edition_folder):
    first, second = docs(edition_folder, "16_date_above_title.txt")
    assert speakers(first) == ["eden"]                          # the lines above the next title are not its body
    assert x(first, "count(//t:body//t:p)") == 1
    info = describe(second)
    assert (info["title"]["line"], info["date"]["line"], info["classifications"]) == \
        (13, 11, [{"line": 9, "text": "Top secret"}])
    assert x(second, "local-name(//t:div[@type='record']/*[1])") == "opener"   # in the order of the source
