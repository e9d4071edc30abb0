"""The web edition: the seed document's page, the site around it, safety, any TEI, overrides."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from tests.helpers import SEED_TEI, check_links, render_html, tei_text_nodes, text_of

GOLDEN = Path(__file__).resolve().parent / "golden" / "html-seed-fragment.html"


@pytest.fixture(scope="session")
def seed_page(site) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site / "documents" / "stalin-eden-1941-12-18.html")).getroot()


def squash(el) -> str:
    return " ".join(el.text_content().split())


# The seed document ---------------------------------------------------------------------------------

def normalised(fragments) -> str:
    """A stable, readable form of the fragments for the golden file: parsed, indented, whitespace-collapsed."""
    root = lxml.html.fragment_fromstring(
        f"<div><header>{fragments.meta}</header><main>{fragments.text}</main><aside>{fragments.notes}</aside></div>")
    for el in root.iter():
        if el.text:
            el.text = re.sub(r"\s+", " ", el.text)
        if el.tail:
            el.tail = re.sub(r"\s+", " ", el.tail)
    etree.indent(root, space=" ")
    return etree.tostring(root, encoding="unicode", method="html")


def test_seed_fragment_matches_golden_file():
    """The seed's fragments as the build renders them (with the bundled edition's registers)."""
    _, fragments, _, _ = render_html(SEED_TEI)
    actual = normalised(fragments)
    if os.environ.get("UPDATE_GOLDEN") == "1" or not GOLDEN.exists():
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8")
        if os.environ.get("UPDATE_GOLDEN") != "1":
            pytest.fail(f"{GOLDEN} did not exist; written now (run again; regenerate with UPDATE_GOLDEN=1)")
    assert actual == GOLDEN.read_text(encoding="utf-8"), \
        "the seed's HTML changed; check the difference and regenerate with UPDATE_GOLDEN=1 pytest tests/test_html.py"


def test_seed_text_is_all_in_the_page(seed_page):
    from edition.documents import parse_file

    tree, _ = parse_file(SEED_TEI)
    body = seed_page.xpath("//*[@data-pagefind-body]")[0]
    page_text = text_of(lxml.html.tostring(body, encoding="unicode"))
    missing = [t for t in tei_text_nodes(tree) if t not in page_text]
    assert not missing


def test_metadata_block(seed_page):
    meta = " | ".join(" ".join(el.text_content().split()) for el in seed_page.xpath("//dl[@class='doc-meta']/*"))
    # the headnote first, under the title: source, first publication, translation, recorder; said once
    headnote = " ".join(seed_page.xpath("string(//p[@class='headnote'])").split())
    assert headnote.startswith("Source: Archive of the President of the Russian Federation (AP RF), f. 45, op. 1, "
                               "d. 279, l. 115–122. First published: Soviet-English relations during the Great "
                               "Patriotic War, 1941–1945, vol. 1, pp. 192–197. Translation: English translation")
    assert headnote.endswith("Recorded by I. M. Maisky.")
    assert "Archive of the President" not in meta and "Recorded by" not in meta
    assert "Top secret; Special folder" in meta
    participants = seed_page.xpath("//ul[@class='participants']//a")
    assert [a.get("href") for a in participants][:3] == ["../persons/stalin.html", "../persons/molotov.html",
                                                         "../persons/eden.html"]
    assert seed_page.xpath("string(//h1)").startswith("Record of the conversation")
    assert seed_page.get("lang") == "en"
    assert seed_page.xpath("//header") and seed_page.xpath("//nav") and seed_page.xpath("//main") \
        and seed_page.xpath("//footer")
    # the header is never dumped as running text
    assert "Encoded by hand from the web transcript" not in seed_page.text_content()


def test_speaker_turns_have_label_and_a_colour_per_person(seed_page):
    from edition.render.site import hue

    turns = seed_page.xpath("//section[contains(@class, 'sp')]")
    assert len(turns) > 30
    by_person: dict[str, set[str]] = {}
    for sp in turns:
        by_person.setdefault(sp.get("data-who"), set()).add(sp.get("style"))
    assert all(len(styles) == 1 for styles in by_person.values())
    assert by_person["stalin"] == {f"--speaker-hue: {hue('stalin')}"}
    assert by_person["stalin"] != by_person["eden"]
    first = turns[0].xpath("string(.//div[contains(@class, 'speaker-label')])")
    assert first == "Joseph Stalin"


def test_names_quotes_corrections_supplied_and_breaks(seed_page):
    p6 = seed_page.get_element_by_id("p6")
    corr = p6.xpath(".//span[contains(@class, 'choice')]/span[@class='edited']")[0]
    assert corr.text_content().strip() == "Eden" and corr.get("title").startswith("in the source: Ideia")
    assert p6.xpath(".//a[@href='../places/petsamo.html']")
    p15 = seed_page.get_element_by_id("p15")
    assert "“both contracting parties undertake to jointly consult" in squash(p15)
    p12 = seed_page.get_element_by_id("p12")
    assert "[inexpedient]" in p12.text_content()
    breaks = seed_page.xpath("//span[contains(@class, 'tei-pb')]")
    assert len(breaks) == 1 and breaks[0].get("id") == "pb-1"
    # the seed's break has no number: the source's second page, counted by the editors
    assert breaks[0].xpath("string(a)") == "p. [2]" and breaks[0].xpath("a/@href") == ["#pb-1"]
    assert breaks[0].xpath("string(a/@title)").startswith("page 2 of the source begins here")
    p13 = seed_page.get_element_by_id("p13")
    said = p13.xpath(".//span[contains(@class, 'tei-said')]")[0]
    assert said.get("data-who") == "stalin" and "“" not in said.text_content()


def test_paragraph_anchors_and_permalinks(seed_page):
    for n in (1, 17, 43):
        p = seed_page.get_element_by_id(f"p{n}")
        assert p.xpath("a[@class='permalink']/@href") == [f"#p{n}"]
    assert not seed_page.xpath("//div[@class='tei-back']")   # the seed's source lines are in its header


def test_the_source_lines_are_cited_once_from_the_header(seed_page):
    """The archival and publication lines of the source are the header's data: the headnote cites them,
    and neither their wording nor a second copy is in the text."""
    headnote = " ".join(seed_page.xpath("string(//p[@class='headnote'])").split())
    assert "f. 45, op. 1, d. 279, l. 115–122" in headnote and "vol. 1, pp. 192–197" in headnote
    text = " ".join(seed_page.xpath("string(//*[@data-pagefind-body])").split())   # the document's text
    assert not re.search(r"(?i)F\. 45|192.197", text)
    page = " ".join(seed_page.xpath("string(//main)").split())
    assert "Ap rf" not in page and "Publ .:" not in page


def test_an_old_source_note_in_back_is_still_shown(tmp_path):
    """A document encoded before (the lines in back/div type="source-note") loses no text: the div is
    shown after the text as before (its paragraphs, without xml:id, get positional ids), and edition
    validate says where the lines belong now."""
    from tests.helpers import seed_with_old_source_note

    path = tmp_path / "tei" / "old.xml"
    path.parent.mkdir()
    seed_with_old_source_note().write(str(path), encoding="UTF-8", xml_declaration=True)
    _, fragments, html, _ = render_html(path)
    page = lxml.html.fromstring(html)
    back = page.xpath("//div[@class='tei-back']//p")
    assert [p.get("id") for p in back] == ["p-44", "p-45"]
    assert " ".join(back[0].text_content().split()).startswith("Ap rf. F. 45. On. 1.d. 279. L. 115-122.")
    from edition.validate import validate_paths

    codes = [d.code for d in validate_paths([path]).diagnostics]
    assert "sch.source-note-in-back" in codes


def test_notes_link_both_ways_and_keep_the_source_marker(seed_page):
    refs = seed_page.xpath("//a[contains(@class, 'note-ref')]")
    assert [r.text_content() for r in refs] == ["*", "1"]
    for ref in refs:
        note = seed_page.get_element_by_id(ref.get("href")[1:])
        back = note.xpath(".//a[@class='note-back']")[0]
        assert back.get("href") == "#" + ref.get("id")
    source_note = seed_page.get_element_by_id(refs[0].get("href")[1:])
    assert "Article 4 is mistakenly indicated in the original." in squash(source_note)
    assert "note of the source" in squash(source_note)


def test_citation_and_meta_tags(seed_page):
    meta = {m.get("name"): m.get("content") for m in seed_page.xpath("//meta[starts-with(@name, 'citation_')]")}
    assert meta["citation_title"].startswith("Record of the conversation")
    assert meta["citation_date"] == "1941/12/18"
    assert meta["citation_author"] == "The edition project"
    assert meta["citation_publisher"] == "The edition project"
    csl = json.loads(seed_page.xpath("string(//pre[@class='csl-json'])"))
    assert csl[0]["issued"] == {"date-parts": [[1941, 12, 18]]}
    assert "f. 45, op. 1, d. 279" in csl[0]["archive_location"]
    assert seed_page.xpath("string(//pre[@class='bibtex'])").startswith("@incollection{stalin-eden-1941-12-18,")
    assert seed_page.xpath("//a[@href='../tei/stalin-eden-1941-12-18.xml']")


def test_citation_escapes_each_syntax(config):
    from edition.corpus import Document, DocumentInfo
    from edition.render.citation import bibtex_escape, citation

    hostile = 'A {brace} & 50% $x$ #1 "quote" </code><script>'
    doc = Document(path=SEED_TEI, tree=None, id="x", info=DocumentInfo(title=hostile, date="1941-12-18"))
    c = citation(config, doc, "documents/x.html", "f. 1")
    assert r"A \{brace\} \& 50\% \$x\$ \#1" in c["bibtex"]
    assert json.loads(c["csl_json"])[0]["title"] == hostile
    assert bibtex_escape("a\\b_c^d~") == r"a\textbackslash{}b\_c\^{}d\~{}"


def test_pdf_links_when_the_pdf_is_built(site):
    page = (site / "documents" / "stalin-eden-1941-12-18.html").read_text(encoding="utf-8")
    assert 'href="../pdf/stalin-eden-1941-12-18.pdf"' in page
    assert 'href="pdf/edition.pdf"' in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "pdf" / "stalin-eden-1941-12-18.pdf").is_file()


# The site ------------------------------------------------------------------------------------------

def test_internal_links_all_resolve(site):
    assert check_links(site) > 30


def test_home_lists_documents_and_registers_have_pages(site):
    home = lxml.html.parse(str(site / "index.html")).getroot()
    # grouped by year, each document with its number, date, place and participants
    (year,) = home.xpath("//section[@class='year']")
    assert year.get("id") == "y-1941" and year.xpath("string(h3)").startswith("1941")
    row = " ".join(year.xpath("ol/li")[0].text_content().split())
    assert row.startswith("No. 1 Record of the conversation")
    assert "18 December 1941, Moscow" in row and "Joseph Stalin" in row
    assert home.xpath("//input[@data-filter]")
    stalin = lxml.html.parse(str(site / "persons" / "stalin.html")).getroot()
    text = " ".join(stalin.text_content().split())
    assert "speaks (" in text and "mentioned (" in text and "takes part" in text
    assert stalin.xpath("//a[@href='https://www.wikidata.org/wiki/Q855']")
    assert "Chairman of the Council of People’s Commissars of the USSR (6 May 1941–15 March 1946)" in text
    index = lxml.html.parse(str(site / "persons.html")).getroot()
    # filed by surname, identified by life and offices, as the book's index has them
    entries = [" ".join(li.text_content().split()) for li in index.xpath("//ul[@class='register']/li")]
    names = [a.text_content() for a in index.xpath("//ul[@class='register']/li/a")]
    assert [n for n in names if n in ("Eden, Anthony", "Stalin, Joseph", "Churchill, Winston")] == \
        ["Churchill, Winston", "Eden, Anthony", "Stalin, Joseph"]
    assert any(e.startswith("Chamberlain, Neville (1869–1940), Prime Minister of Great Britain") for e in entries)
    eden = " ".join(lxml.html.parse(str(site / "persons" / "eden.html")).getroot().text_content().split())
    assert "Ideia" not in eden  # a misspelling of the source is the register's data, not a name
    # each occurrence is linked to its paragraph
    assert stalin.xpath("//a[@href='../documents/stalin-eden-1941-12-18.html#p6']")
    # an entry no document names is not listed
    places = lxml.html.parse(str(site / "places.html")).getroot().text_content()
    assert "Prussia" not in places
    assert "(settlement)" not in places
    petsamo = lxml.html.parse(str(site / "places" / "petsamo.html")).getroot()
    assert petsamo.xpath("//a[@href='../documents/stalin-eden-1941-12-18.html']")


def test_timeline_bars_link_to_month_lists(site):
    page = lxml.html.parse(str(site / "timeline.html")).getroot()
    svg_links = [a.get("href") for a in page.xpath("//*[local-name()='svg']//*[local-name()='a']")]
    assert svg_links == ["#m-1941-12"]
    assert page.get_element_by_id("m-1941-12").xpath(".//a/@href") == ["documents/stalin-eden-1941-12-18.html"]
    # the month once: the chart's title has no range of one month, the list's item gives only the day
    assert page.xpath("string(//*[local-name()='svg']/*[local-name()='title'])") == "Documents per month, December 1941"
    assert " ".join(page.get_element_by_id("m-1941-12").xpath("string(.//li)").split()).startswith("No. 1 · 18 December: Record")


def test_principles_page_comes_from_editorial_decl(site):
    page = " ".join(lxml.html.parse(str(site / "principles.html")).getroot().text_content().split())
    # for readers first (the sources, the text, the marks), the encoders' terms after them
    assert page.index("The documents and their sources") < page.index("What the marks mean") \
        < page.index("The editors’ decisions, as encoded")
    assert "The edition publishes 1 document, dated 18 December 1941, numbered in date order" in page
    assert "kept in Archive of the President of the Russian Federation (1 document)" in page
    assert page.index("What the marks mean") < page.index("Evident errors of the English translation are corrected with <choice>")


def test_search_index_only_documents_with_filters(site):
    assert (site / "pagefind" / "pagefind-ui.js").is_file() and (site / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 1
    page = (site / "documents" / "stalin-eden-1941-12-18.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="person:Joseph Stalin"' in page
    assert 'data-pagefind-filter="year:1941"' in page and 'data-pagefind-filter="type:record of conversation"' in page
    search = (site / "search.html").read_text(encoding="utf-8")
    assert "pagefind/pagefind-ui.js" in search and "//cdn" not in search and "https://" not in search


def test_no_remote_assets(site):
    for page in site.rglob("*.html"):
        root = lxml.html.parse(str(page)).getroot()
        for url in root.xpath("//script/@src | //link/@href | //img/@src"):
            assert not re.match(r"^(https?:)?//", url), f"{page}: remote asset {url}"
