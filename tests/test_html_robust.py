"""The web edition with documents it was not written for: hostile content, other projects' TEI,
generated documents (hypothesis), and an edition's overrides of templates, CSS and XSLT."""

from __future__ import annotations

import re

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.helpers import (FIXTURES, SEED_TEI, build_edition, check_links, render_html, tei_text_nodes,
                           text_of, write_edition)

HTML_FIXTURES = FIXTURES / "html"
TEI = "http://www.tei-c.org/ns/1.0"


WILD = ["hostile.xml", "play.xml", "frus.xml", "header-note.xml"]


@pytest.fixture(scope="module")
def wild():
    """The hostile fixture and two other projects' documents (a play, a FRUS document), each as its
    page (the edition's schema rejects them, so `edition build` would leave them out): name ->
    (document, fragments, page, reporter)."""
    return {name: render_html(HTML_FIXTURES / name) for name in WILD}


def test_hostile_content_stays_inert(wild):
    _, _, html, _ = wild["hostile.xml"]
    page = lxml.html.fromstring(html)
    scripts = page.xpath("//script")
    assert [s.get("src") for s in scripts] == ["../static/edition.js"] and not any(s.text for s in scripts)
    for el in page.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in ("img", "iframe", "object", "embed", "b", "i")
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"<{el.tag} {name}={value!r}>"
            if name in ("href", "src"):
                assert not re.match(r"\s*(javascript|data|vbscript)", value.replace("\t", ""), re.I), value
    text = " ".join(page.text_content().split())
    assert "Text with <script>alert(1)</script> and <img src=x onerror=alert(2)> as text." in text
    assert '<script>alert("title")</script> A hostile record' in page.xpath("string(//title)")
    assert "a note with a </div> in it" in text
    links = {a.text_content(): a.get("href") for a in page.xpath("//a")}
    assert links["ok link"] == 'https://example.org/?a="><b>x'
    assert links["mail"] == "mailto:editor@example.org"
    assert "js link" not in links and "spaced" not in links and "tab" not in links and "data" not in links


def test_a_hostile_edition_title_stays_inert(tmp_path):
    folder = write_edition(tmp_path, [SEED_TEI], title='Hostile "<b>edition</b>" & <script>x</script>',
                           toml="[html]\nsearch = false\n")
    build_edition(folder, only="html")
    home = (folder / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "<b>edition</b>" not in home and "&lt;b&gt;edition&lt;/b&gt;" in home
    assert "<script>x</script>" not in home


def test_other_projects_tei_loses_no_text(wild):
    from edition.documents import parse_file

    for name in ("play.xml", "frus.xml", "header-note.xml"):
        tree, _ = parse_file(HTML_FIXTURES / name)
        root = lxml.html.fromstring(wild[name][2])
        body = root.xpath("//*[@data-pagefind-body]")[0]
        shown = text_of(lxml.html.tostring(body, encoding="unicode"))
        missing = [t for t in tei_text_nodes(tree) if t not in shown]
        assert not missing, f"{name}: {missing}"
        # the header is metadata, not running text
        assert "Printed" not in shown
    frus = lxml.html.fromstring(wild["frus.xml"][2])
    assert frus.xpath("//span[@class='tei-metamark' or @class='tei-attachment']")
    assert frus.xpath("//ol[contains(@class, 'tei-list')]/li/span[@class='item-n']/text()") == ["(a)", "(b)"]
    assert "[...]" in frus.text_content()
    assert frus.xpath("//a[@href='#d123fn1']") and frus.get_element_by_id("d123fn1") is not None
    assert frus.xpath("//a[@href='https://history.state.gov/']")


def test_unknown_elements_reported_with_name_and_line(wild):
    unknown = {name: [d for d in wild[name][3].diagnostics if d.code == "html.unknown-element"] for name in WILD}
    for found in unknown.values():  # within a document, once per element name
        assert len({d.message for d in found}) == len(found)
    metamark = next(d for d in unknown["play.xml"] if "metamark" in d.message)
    assert metamark.message == "no template for <tei:metamark>; its text was copied through"
    assert metamark.path.endswith("play.xml") and metamark.line == 28
    attachment = next(d for d in unknown["frus.xml"] if "attachment" in d.message)
    assert attachment.message == "no template for <frus:attachment>; its text was copied through"
    assert attachment.path.endswith("frus.xml") and attachment.line == 19


def test_links_within_other_projects_pages_resolve(wild):
    """Every in-page link of the wild pages reaches an id of the page; no id twice."""
    for name in WILD:
        page = lxml.html.fromstring(wild[name][2])
        ids = page.xpath("//@id")
        assert len(ids) == len(set(ids)), name
        for href in page.xpath("//a[starts-with(@href, '#')]/@href"):
            assert href[1:] in ids, (name, href)


# Generated documents: whatever the text, it all reaches the page ---------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")), min_size=1, max_size=12)


def inline(depth: int = 0):
    leaf = TEXT.map(lambda t: ("text", t))
    if depth >= 2:
        return leaf
    sub = st.lists(st.deferred(lambda: inline(depth + 1)), min_size=1, max_size=3)
    return st.one_of(
        leaf,
        st.tuples(st.sampled_from(["persName", "q", "hi", "metamark", "said", "supplied", "ref", "list"]), sub),
        st.tuples(st.just("note"), sub),
        st.tuples(st.sampled_from(["sic-corr", "orig-reg"]), TEXT, TEXT),
        st.tuples(st.sampled_from(["pb", "gap", "lb"]), st.just([])),
    )


def add(parent: etree._Element, item) -> None:
    kind = item[0]
    if kind == "text":
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + item[1]
        else:
            parent.text = (parent.text or "") + item[1]
    elif kind in ("sic-corr", "orig-reg"):
        source, edited = kind.split("-")
        choice = etree.SubElement(parent, f"{{{TEI}}}choice")
        etree.SubElement(choice, f"{{{TEI}}}{source}").text = item[1]
        etree.SubElement(choice, f"{{{TEI}}}{edited}").text = item[2]
    else:
        el = etree.SubElement(parent, f"{{{TEI}}}{kind}")
        if kind == "persName":
            el.set("ref", "persons.xml#stalin")
        if kind == "ref":
            el.set("target", ["https://example.org/", "javascript:alert(1)", "#nowhere", "other.xml"][len(item[1]) % 4])
        for child in item[1]:
            add(etree.SubElement(el, f"{{{TEI}}}item") if kind == "list" else el, child)


PARAGRAPHS = st.lists(st.tuples(st.sampled_from(["p", "sp"]), st.lists(inline(), min_size=1, max_size=4)),
                      min_size=1, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=PARAGRAPHS)
def test_generated_documents_keep_all_their_text(tmp_path, paragraphs):
    root = etree.fromstring(f'<TEI xmlns="{TEI}" xml:id="gen"><teiHeader><fileDesc><titleStmt><title>G</title>'
                            '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc>'
                            '</fileDesc></teiHeader><text><body/></text></TEI>')
    body = root.find(f".//{{{TEI}}}body")
    for kind, items in paragraphs:
        parent = body if kind == "p" else etree.SubElement(body, f"{{{TEI}}}sp", who="persons.xml#eden")
        p = etree.SubElement(parent, f"{{{TEI}}}p")
        for item in items:
            add(p, item)
    path = tmp_path / "gen.xml"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    doc, fragments, _, _ = render_html(path, page=False)
    shown = text_of(fragments.text + fragments.notes)
    missing = [t for t in tei_text_nodes(doc.tree) if t not in shown]
    assert not missing
    html = lxml.html.fragment_fromstring(fragments.text, create_parent="div")
    assert not html.xpath("//a//a"), "links must not nest"
    assert not html.xpath("//p//p | //p//div | //p//ul"), "no block inside a paragraph"
    assert not html.xpath("//a[starts-with(@href, 'javascript')]")


def test_seed_text_property_holds_for_the_fragment():
    doc, fragments, _, _ = render_html(SEED_TEI)
    shown = text_of(fragments.text + fragments.notes)
    assert [t for t in tei_text_nodes(doc.tree) if t not in shown] == []
    # the source's readings are in the page too, for the switch
    assert "Ideia" in text_of(fragments.text, drop_source=False)


# An edition's own templates, CSS and XSLT --------------------------------------------------------

PROJECT_XSL = {
    # imports the built-in stylesheet itself, by its absolute URI
    "imports": """<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">
  <xsl:import href="{builtin}"/>
  <xsl:template match="tei:persName">
    <span class="project-person"><xsl:apply-imports/></span>
  </xsl:template>
</xsl:stylesheet>
""",
    # only its own templates: edition imports the built-in one before it
    "bare": """<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">
  <xsl:template match="tei:persName">
    <span class="project-person"><xsl:next-match/></span>
  </xsl:template>
</xsl:stylesheet>
""",
}


@pytest.mark.parametrize("style", sorted(PROJECT_XSL))
def test_overrides_of_templates_css_and_stylesheet(tmp_path, style):
    from edition.render.fragments import builtin_stylesheet

    write_edition(tmp_path, [SEED_TEI], toml='[html]\nsearch = false\ntemplates = "templates"\ncss = "extra.css"\n'
                                              'stylesheet = "project.xsl"\n')
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "index.html").write_text(
        '{% extends "base.html" %}{% block main %}<p id="project-home">{{ edition.title }} at home</p>{% endblock %}',
        encoding="utf-8")
    (tmp_path / "extra.css").write_text(".sp { border-left-width: 9px; }", encoding="utf-8")
    (tmp_path / "project.xsl").write_text(PROJECT_XSL[style].format(builtin=builtin_stylesheet().as_uri()), encoding="utf-8")
    build_edition(tmp_path, only="html")
    site = tmp_path / "_build" / "html"
    home = lxml.html.parse(str(site / "index.html")).getroot()
    assert home.get_element_by_id("project-home").text == "A test edition at home"
    page = lxml.html.parse(str(site / "documents" / "stalin-eden-1941-12-18.html")).getroot()
    css = page.xpath("//link[@rel='stylesheet']/@href")
    assert css == ["../static/edition.css", "../static/custom.css"]
    assert page.xpath("//link[@rel='icon']/@href") == ["../static/favicon.svg"]
    assert "9px" in (site / "static" / "custom.css").read_text()
    wrapped = page.xpath("//span[@class='project-person']/a[contains(@class, 'tei-persName')]")
    assert len(wrapped) > 50 and "../persons/stalin.html" in {a.get("href") for a in wrapped}
    # templates that were not overridden are the built-in ones
    assert lxml.html.parse(str(site / "persons.html")).getroot().xpath("//ul[@class='register']")


def test_missing_override_files_are_clear_errors(tmp_path):
    from edition.diagnostics import EditionError

    write_edition(tmp_path, [SEED_TEI], toml='[html]\nsearch = false\nstylesheet = "nope.xsl"\n')
    with pytest.raises(EditionError, match="problem") as raised:  # before any work, at the key's line
        build_edition(tmp_path, only="html")
    [problem] = raised.value.diagnostics
    assert problem.code == "config.path" and "'html.stylesheet': no such file" in problem.message and problem.line


def test_introduction_markdown_url_and_neighbours(tmp_path):
    """The Markdown introduction (raw HTML off), permalinks from [edition] url, previous/next links."""
    write_edition(tmp_path, [SEED_TEI], edition='introduction = "intro.md"\nurl = "https://example.org/ed/"\n',
                  toml="[html]\nsearch = false\n")
    # a second document, two days later
    later = SEED_TEI.read_text(encoding="utf-8").replace('xml:id="stalin-eden-1941-12-18"', 'xml:id="later"', 1)
    (tmp_path / "tei" / "1941-12-20_later.xml").write_text(later.replace('when="1941-12-18"', 'when="1941-12-20"'),
                                                          encoding="utf-8")
    (tmp_path / "intro.md").write_text(
        "## About\n\nRecords *of* talks. <script>alert(1)</script> [bad](javascript:alert(2)) [good](https://example.org/)\n",
        encoding="utf-8")
    build_edition(tmp_path, only="html")
    site = tmp_path / "_build" / "html"
    home = lxml.html.parse(str(site / "index.html")).getroot()
    intro = home.xpath("//section[@class='introduction']")[0]
    assert intro.xpath("h2/text()") == ["About"] and intro.xpath("p/em/text()") == ["of"]
    assert not home.xpath("//script[not(@src)]") and "<script>alert(1)</script>" in intro.text_content()
    assert [a.get("href") for a in intro.xpath(".//a")] == ["https://example.org/"]
    page = lxml.html.parse(str(site / "documents" / "stalin-eden-1941-12-18.html")).getroot()
    meta = {m.get("name"): m.get("content") for m in page.xpath("//meta[@name]")}
    assert meta["citation_public_url"] == "https://example.org/ed/documents/stalin-eden-1941-12-18.html"
    assert page.xpath("//link[@rel='canonical']/@href") == [meta["citation_public_url"]]
    assert "https://example.org/ed/documents/stalin-eden-1941-12-18.html" in page.xpath("string(//pre[@class='bibtex'])")
    chicago = " ".join(page.xpath("string(//p[@class='chicago'])").split())
    assert chicago.endswith("No. 1 in A test edition, edited by Ed & {Co}. P, 2026. "
                            "https://example.org/ed/documents/stalin-eden-1941-12-18.html.")
    # the permalink is [edition] url's, fixed (the script leaves it)
    assert page.xpath("//a[@data-cite-url]/@href") == [meta["citation_public_url"]]
    assert page.xpath("//a[@data-cite-url]/@data-fixed") == [""]
    # date order: the later document comes after the seed
    assert page.xpath("//a[@rel='next']/@href") == ["../documents/later.html"]
    later_page = lxml.html.parse(str(site / "documents" / "later.html")).getroot()
    assert later_page.xpath("//a[@rel='prev']/@href") == ["../documents/stalin-eden-1941-12-18.html"]
    check_links(site)


@pytest.mark.parametrize("source_desc, breaks, expected", [
    ("<msDesc><msIdentifier><repository>R</repository><idno type='delo'>1</idno></msIdentifier></msDesc>",
     "<pb n='116'/>text<pb/>", ["L. 116", "p. [3]"]),
    ("<p>printed</p>", "<pb n='12'/>text<cb n='2'/><milestone unit='section' n='3'/>", ["p. 12", "col. 2", "section 3"]),
])
def test_break_markers(tmp_path, source_desc, breaks, expected):
    path = tmp_path / "breaks.xml"
    path.write_text(f"<TEI xmlns='{TEI}'><teiHeader><fileDesc><titleStmt><title>B</title></titleStmt><publicationStmt>"
                    f"<p/></publicationStmt><sourceDesc>{source_desc}</sourceDesc></fileDesc></teiHeader>"
                    f"<text><body><p>{breaks}</p></body></text></TEI>", encoding="utf-8")
    _, fragments, _, _ = render_html(path)
    html = lxml.html.fragment_fromstring(fragments.text, create_parent="div")
    markers = html.xpath("//span[contains(@class, 'break')]")
    assert [m.xpath("string(a)") for m in markers] == expected
    assert [m.get("id") for m in markers] == [f"pb-{i}" for i in range(1, len(expected) + 1)]
    assert [m.xpath("a/@href")[0] for m in markers] == [f"#pb-{i}" for i in range(1, len(expected) + 1)]


def test_tei_corpus_members_keep_their_text_and_headers_stay_metadata():
    doc, fragments, _, reporter = render_html(HTML_FIXTURES / "corpus.xml")
    shown = text_of(fragments.text + fragments.notes)
    assert "First text" in shown and "Second text" in shown and "n1" in shown
    page = lxml.html.fragment_fromstring(fragments.meta + fragments.text, create_parent="div")
    assert len(page.xpath("//h1")) == 1 and page.xpath("//article[@class='tei-TEI']/header/h2/text()") == ["One", "Two"]
    assert not fragments.messages and not reporter.diagnostics


def test_sanitiser_catches_what_a_project_stylesheet_might_emit():
    from edition.render.fragments import safe_html

    part = etree.fromstring(
        '<text xmlns:x="http://www.w3.org/1999/xhtml"><x:p onclick="alert(1)" class="k">a<script>alert(2)</script>'
        '<a href=" javascript:alert(3)">b</a><a href="../persons/x.html#y">c</a><img src="data:image/png;base64,AA"/>'
        '<span style="background: url(https://evil.example/x.png)">d</span><foo:bar xmlns:foo="urn:x">e</foo:bar></x:p></text>')
    html = safe_html(part)
    assert html == ('<p class="k">a<span class="removed">alert(2)</span><a>b</a><a href="../persons/x.html#y">c</a>'
                    '<img><span>d</span><span class="removed">e</span></p>')


def test_speaker_names_from_the_documents_own_list_of_persons():
    _, fragments, _, _ = render_html(HTML_FIXTURES / "local-speakers.xml")
    html = lxml.html.fragment_fromstring(fragments.text, create_parent="div")
    assert html.xpath("//section[@data-who='hull']/div[contains(@class, 'speaker-label')]/text()") == ["Cordell Hull"]
    assert html.xpath("//span[contains(@class, 'tei-said')]/@title") == ["Words of Cordell Hull"]
    # an id that points nowhere is shown as it is, not dropped
    assert html.xpath("//section[@data-who='nobody']/div/text()") == ["nobody"]


def test_generated_ids_never_clash_with_the_documents_own():
    _, fragments, _, _ = render_html(HTML_FIXTURES / "id-clash.xml")
    html = lxml.html.fragment_fromstring(fragments.text + fragments.notes, create_parent="div")
    ids = html.xpath("//@id")
    assert len(ids) == len(set(ids)) and {"p-2", "fn-1", "pb-1"} <= set(ids)
    # the links still reach their targets
    for href in html.xpath("//a[starts-with(@href, '#')]/@href"):
        assert href[1:] in ids
