"""`edition guidelines`: generated from the schemas, with examples from the corpus, never drifting."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from lxml import etree

from edition.cli import main
from edition.guidelines import (ANN, RNG, SCH, SchemaReader, collect, find_examples, guidelines_html,
                                markdown_to_html, read_rules, to_markdown, write_guidelines)
from tests.helpers import FIXTURES, REPO

MINI = FIXTURES / "guidelines"


@pytest.fixture(scope="module")
def mini():
    reader = SchemaReader(etree.parse(str(MINI / "mini.rng")))
    find_examples(reader.elements, [MINI / "mini-doc.xml"])
    return reader


def test_parents_children_and_attributes_follow_the_refs(mini):
    elements = mini.elements
    assert set(elements) == {"TEI", "sp", "p", "persName", "hi"}
    # p is reached from TEI directly and from sp; persName through a model define and mixed content.
    assert elements["p"].parents == {"TEI", "sp"}
    assert elements["persName"].parents == {"p", "hi"}
    assert elements["hi"].parents == {"p", "hi"}
    assert elements["TEI"].parents == set()
    assert elements["TEI"].children == {"p", "sp"}
    assert elements["p"].text and elements["persName"].text and not elements["TEI"].text
    who, rend = elements["sp"].attributes["who"], elements["sp"].attributes["rend"]
    assert who.required and not rend.required and rend.values == ["plain", "bold"]
    assert elements["p"].classes == ["tei_att.global"]
    assert "xml:id" not in elements["p"].attributes  # listed under its class, once
    assert [a.name for a in mini.classes["tei_att.global"][1]] == ["xml:id"]
    # Documentation on the define, or on the element itself.
    assert elements["sp"].documentation == ["A speaker's turn."]
    assert elements["hi"].documentation == ["Highlighted."]


def test_examples_are_first_occurrences_shortened(mini):
    p = mini.elements["p"]
    assert p.example.startswith('<p xml:id="p1">First <persName ref="persons.xml#stalin">Stalin</persName>')
    assert "xmlns" not in p.example
    assert "…" in p.example and "made of, long enough to be cut short in the example" not in p.example
    assert p.example_source == "mini-doc.xml, line 3"
    assert mini.elements["sp"].example.startswith('<sp who="persons.xml#eden">')


def test_rules_have_id_severity_and_message():
    rules = read_rules(etree.parse(str(MINI / "mini.sch")))
    assert [(r.id, r.severity, r.context) for r in rules] == [
        ("persname-ref", "warning", "tei:persName"), ("sp-empty", "error", "tei:sp")]
    assert rules[0].message == "<ELEMENT> has an empty ref (“{normalize-space(.)}”)"


def test_markdown_and_html_are_inert_and_linked(mini):
    from edition.guidelines import Guidelines

    guidelines = Guidelines(mini.elements, mini.classes, read_rules(etree.parse(str(MINI / "mini.sch"))),
                            MINI / "mini.rng", MINI / "mini.sch")
    markdown = to_markdown(guidelines)
    assert "| `sch.sp-empty` | error | a turn without a paragraph \\| nothing said |" in markdown
    assert "\n### names\n" in markdown  # a pattern without a title goes by its id
    html = markdown_to_html(markdown)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    ids, links = _anchors(html)
    assert links and links <= ids, f"links to missing headings: {links - ids}"
    assert 'id="sp"' in html and 'href="#attglobal"' in html


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.add(attrs["href"][1:])


def _anchors(html: str) -> tuple[set[str], set[str]]:
    parser = _Anchors()
    parser.feed(html)
    return parser.ids, parser.links


# ---------------------------------------------------------------- the edition's own schemas

@pytest.fixture(scope="module")
def edition_guidelines(config):
    if not config.relaxng_path.is_file():
        pytest.skip("schemas/edition.rng is not there yet")
    return collect(config)


def test_every_documented_element_and_every_rule_is_in_the_guidelines(edition_guidelines, config):
    markdown = to_markdown(edition_guidelines)
    rng = etree.parse(str(config.relaxng_path))
    for element in rng.iter(f"{{{RNG}}}element"):
        name = element.get("name")
        assert f"\n### {name}\n" in markdown, f"<{name}> is missing from the guidelines"
        define = element.getparent()
        documentation = define.find(f"{{{ANN}}}documentation") if define.tag == f"{{{RNG}}}define" else None
        if documentation is not None:
            first_words = " ".join("".join(documentation.itertext()).split()[:4])
            assert re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", first_words) in markdown
    if config.schematron_path.is_file():
        sch = etree.parse(str(config.schematron_path))
        ids = [t.get("id") for t in sch.iter(f"{{{SCH}}}assert", f"{{{SCH}}}report")]
        assert ids
        for rule_id in ids:
            assert f"`sch.{rule_id}`" in markdown


def test_examples_come_from_the_reference_document(edition_guidelines):
    sp = edition_guidelines.elements["sp"]
    assert sp.example.startswith('<sp who="persons.xml#stalin">')
    assert sp.example_source.startswith("1941-12-18_stalin-eden.xml, line ")
    # An element used in both the header and the text is shown from the text.
    assert 'xml:id="p1"' in edition_guidelines.elements["p"].example
    # Register elements are found in the registers.
    assert edition_guidelines.elements["occupation"].example_source.startswith("persons.xml, line ")
    assert edition_guidelines.elements["geo"].example_source.startswith("places.xml, line ")


def test_guidelines_html_for_the_web_builder(config):
    if not config.relaxng_path.is_file():
        pytest.skip("schemas/edition.rng is not there yet")
    html = guidelines_html(config, level=2)
    assert html.startswith('<h2 id="encoding-guidelines">')
    ids, links = _anchors(html)
    assert links <= ids, f"links to missing headings: {sorted(links - ids)[:5]}"


def test_the_parts_render_as_the_whole_and_rendered_parts_are_reused(config, edition_guidelines):
    """The web page is rendered by parts (a build renders again only the parts that changed): their
    HTML joined is the whole Markdown's, and a part given as rendered before is not rendered again."""
    from edition.cache import digest
    from edition.guidelines import to_sections

    whole = markdown_to_html(to_markdown(edition_guidelines))
    rendered: dict[str, str] = {}
    assert guidelines_html(config, rendered=rendered) == whole
    parts = to_sections(edition_guidelines)
    assert len(parts) > 50 and set(rendered) == {digest(p) for p in parts}
    sp = next(p for p in parts if p.startswith("### sp\n"))
    rendered[digest(sp)] = "<p>as rendered before</p>\n"
    again = guidelines_html(config, rendered=rendered)
    assert again == whole.replace(markdown_to_html(sp), "<p>as rendered before</p>\n", 1)
    # the generic guidelines of TEI from elsewhere (no schema): one part
    generic = collect(None, None, [])
    generic.relaxng = None
    assert len(to_sections(generic)) == 1


def test_an_example_with_backticks_stays_inside_its_code_block(mini):
    from edition.guidelines import Guidelines

    mini.elements["p"].example = "<p>```\n# not a heading</p>"
    try:
        guidelines = Guidelines(mini.elements, mini.classes, [], MINI / "mini.rng", None)
        html = markdown_to_html(to_markdown(guidelines))
    finally:
        find_examples(mini.elements, [MINI / "mini-doc.xml"])
    assert "<h1>not a heading</h1>" not in html and "# not a heading" in html


def test_cli_writes_markdown_and_html(tmp_path):
    runner = CliRunner()
    out = tmp_path / "g.md"
    result = runner.invoke(main, ["-C", str(REPO), "guidelines", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# Encoding guidelines")
    result = runner.invoke(main, ["-C", str(REPO), "guidelines", "--format", "html"])
    assert result.exit_code == 0
    assert result.output.startswith("<!DOCTYPE html>") and "<h3 id=\"persname\">" in result.output


def test_outside_an_edition_the_builtin_schemas_are_described(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = write_guidelines(None)
    assert "### persName" in text and "Run `edition guidelines` inside an edition" in text
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "guidelines"])
    assert result.exit_code == 2 and "no edition.toml" in result.output


def test_the_web_edition_has_a_guidelines_page(tmp_path, repo):
    """The guidelines are a page of the site, linked from every page, made from the schemas."""
    import shutil

    from click.testing import CliRunner

    from edition.cli import main as cli

    shutil.copytree(repo / "tei", tmp_path / "tei")
    shutil.copy(repo / "edition.toml", tmp_path / "edition.toml")
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "build", "--only", "html", "-q", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "_build" / "html" / "guidelines.html").read_text(encoding="utf-8")
    # the guidelines' own title is the page's one heading of that name (not the page's and a section's)
    assert len(re.findall(r"<h\d[^>]*>Encoding guidelines</h\d>", page)) == 1
    assert re.search(r'<h1 id="encoding-guidelines">Encoding guidelines</h1>', page)
    assert "sch.speaker-declared" in page  # a Schematron rule, with its id
    assert "&lt;sp" in page and "persons.xml#" in page  # an element, with an example from the documents
    index = (tmp_path / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="guidelines.html"' in index
