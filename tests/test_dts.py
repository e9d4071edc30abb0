"""The text as DTS (render/dts.py): the entry point, the collection, navigation by page and by
paragraph, and passages that hold exactly the text of their page or paragraph."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from tests.helpers import SEED_TEI, build_edition, facsimile_edition, write_edition

BASE = "https://example.org/ed/"
TEI = "{http://www.tei-c.org/ns/1.0}"
DTS = "{https://w3id.org/dts/api#}"


def words(element) -> list[str]:
    return " ".join(element.itertext()).split()


def passage(path):
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{TEI}TEI" and root[0].tag == f"{DTS}wrapper"
    return root[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = facsimile_edition(tmp_path_factory.mktemp("dts") / "edition")
    result, _ = build_edition(folder, only="html")
    return result.outputs["html"]


def test_entry_point_and_collection(site):
    entry = json.loads((site / "dts" / "index.json").read_text())
    assert entry["@type"] == "EntryPoint" and entry["dtsVersion"] == "1-alpha"
    assert entry["navigation"] == f"{BASE}dts/navigation{{?resource,ref,start,end,down,tree,page}}"
    collection = json.loads((site / "dts" / "collection.json").read_text())
    assert collection["@type"] == "Collection" and collection["totalChildren"] == 1
    (member,) = collection["member"]
    assert member["@id"] == "fixture-facsimile-1942-05-22"  # the id a client asks for: ?resource=…
    assert [t["identifier"] for t in member["citationTrees"]] == ["page", "paragraph"]
    assert member["dublinCore"]["date"] == "1942-05-22"
    assert json.loads((site / "dts" / "collection" / "fixture-facsimile-1942-05-22.json").read_text())["@id"] == member["@id"]


def test_navigation_by_page_and_by_paragraph(site):
    folder = site / "dts" / "navigation" / "fixture-facsimile-1942-05-22"
    pages = json.loads((folder / "page.json").read_text())
    assert pages["resource"] == "fixture-facsimile-1942-05-22"
    assert [m["identifier"] for m in pages["member"]] == ["20", "21", "22"]
    assert all(m["@type"] == "CitableUnit" and m["citeType"] == "page" and m["level"] == 1 for m in pages["member"])
    paragraphs = json.loads((folder / "paragraph.json").read_text())
    assert [m["identifier"] for m in paragraphs["member"]] == [str(n) for n in range(1, 13)]


def test_passages_hold_their_page_and_nothing_else(site):
    document = etree.parse(str(site / "dts" / "document" / "fixture-facsimile-1942-05-22.xml"))
    paragraphs = {p.get("n"): words(p) for p in document.iter(f"{TEI}p")}
    folder = site / "dts" / "document" / "fixture-facsimile-1942-05-22"
    for folio, numbers in (("20", range(1, 5)), ("21", range(5, 9)), ("22", range(9, 13))):
        wrapper = passage(folder / "page" / f"{folio}.xml")
        assert [p.get("n") for p in wrapper.iter(f"{TEI}p")] == [str(n) for n in numbers]
        assert [pb.get("n") for pb in wrapper.iter(f"{TEI}pb")] == [folio]
    whole = words(document.find(f"{TEI}text/{TEI}body"))
    pieces = [w for folio in ("20", "21", "22") for w in words(passage(folder / "page" / f"{folio}.xml"))]
    assert pieces == whole  # every word of the text in exactly one page, in order
    assert words(passage(folder / "paragraph" / "7.xml")) == paragraphs["7"]


def test_a_page_that_begins_inside_a_paragraph(tmp_path):
    """The bundled record's only page break falls inside a paragraph: each page's passage keeps the
    paragraph around its part of the text, and together they hold the whole text."""
    folder = write_edition(tmp_path / "edition", [SEED_TEI], toml='[html]\nsearch = false\n',
                           edition=f'url = "{BASE}"')
    text = (folder / "tei" / SEED_TEI.name).read_text(encoding="utf-8").replace('<pb type="page"/>', '<pb n="2" type="page"/>')
    text = text.replace("<body>", '<body><pb n="1" type="page"/>', 1)
    (folder / "tei" / SEED_TEI.name).write_text(text, encoding="utf-8")
    result, _ = build_edition(folder, only="html")
    site = result.outputs["html"]
    (name,) = [p.stem for p in (site / "dts" / "collection").glob("*.json")]
    assert [m["identifier"] for m in json.loads((site / "dts" / "navigation" / name / "page.json").read_text())["member"]] \
        == ["1", "2"]
    first = passage(site / "dts" / "document" / name / "page" / "1.xml")
    second = passage(site / "dts" / "document" / name / "page" / "2.xml")
    body = etree.parse(str(site / "dts" / "document" / f"{name}.xml")).find(f"{TEI}text/{TEI}body")
    assert words(first) + words(second) == words(body)
    split = [p for p in second.iter(f"{TEI}p")][0]
    assert split.get("{http://www.w3.org/XML/1998/namespace}id") and words(split)[0] == "comrade"


def test_the_text_before_the_first_page_break_is_page_0(tmp_path):
    """The bundled record as it is: its one page break falls inside a paragraph, and nothing marks
    where its first page begins; the text before the break is page "0", so no word is left out."""
    folder = write_edition(tmp_path / "edition", [SEED_TEI], toml='[html]\nsearch = false\n',
                           edition=f'url = "{BASE}"')
    result, _ = build_edition(folder, only="html")
    site = result.outputs["html"]
    (name,) = [p.stem for p in (site / "dts" / "collection").glob("*.json")]
    assert [m["identifier"] for m in json.loads((site / "dts" / "navigation" / name / "page.json").read_text())["member"]] \
        == ["0", "1"]
    body = etree.parse(str(site / "dts" / "document" / f"{name}.xml")).find(f"{TEI}text/{TEI}body")
    pages = [passage(site / "dts" / "document" / name / "page" / f"{ref}.xml") for ref in ("0", "1")]
    assert words(pages[0]) + words(pages[1]) == words(body)
    assert words(pages[1])[0] == "comrade"
