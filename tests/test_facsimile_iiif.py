"""The IIIF Presentation 3 manifests and collection (render/iiif.py): what the Presentation API
requires of each resource, checked here rule by rule and by iiif-prezi3's models, canvases in page
order, each image's service present in the site."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest

from tests.helpers import FACSIMILE_PAGES, build_edition, facsimile_edition

BASE = "https://example.org/ed/"
DOC = "fixture-facsimile-1942-05-22"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = facsimile_edition(tmp_path_factory.mktemp("iiif") / "edition")
    result, _ = build_edition(folder, only="html")
    return result.outputs["html"]


def local(site, uri: str):
    """The file of the site that an id under the edition's address names."""
    assert uri.startswith(BASE), uri
    return site / uri[len(BASE):].split("#")[0]


def language_map(value) -> bool:
    return isinstance(value, dict) and value and all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(s, str) for s in v) for k, v in value.items())


def check_presentation3(data: dict, site) -> None:
    """The Presentation API 3.0's requirements for a Manifest and what it holds (§3, §4 and §5 of the
    specification): required properties, types, URIs, painting annotations that target their canvas."""
    assert data["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert data["type"] == "Manifest" and re.match(r"https?://", data["id"])
    assert language_map(data["label"])
    assert isinstance(data["items"], list) and data["items"]
    for entry in data.get("metadata", []):
        assert language_map(entry["label"]) and language_map(entry["value"])
    ids = set()
    for canvas in data["items"]:
        assert canvas["type"] == "Canvas" and re.match(r"https?://", canvas["id"]) and "#" not in canvas["id"]
        assert canvas["id"] not in ids
        ids.add(canvas["id"])
        assert isinstance(canvas["width"], int) and isinstance(canvas["height"], int)  # both, positive integers
        assert canvas["width"] > 0 and canvas["height"] > 0 and language_map(canvas["label"])
        (annotation_page,) = canvas["items"]
        assert annotation_page["type"] == "AnnotationPage" and annotation_page["id"]
        (annotation,) = annotation_page["items"]
        assert annotation["type"] == "Annotation" and annotation["motivation"] == "painting"
        assert annotation["target"] == canvas["id"]
        body = annotation["body"]
        assert body["type"] == "Image" and body["format"] == "image/jpeg" and local(site, body["id"]).is_file()
        (service,) = body["service"]
        assert service["type"] == "ImageService3" and service["profile"] == "level0"
        info = json.loads((local(site, service["id"]) / "info.json").read_text())
        assert info["id"] == service["id"] and (info["width"], info["height"]) == (canvas["width"], canvas["height"])
        for thumbnail in canvas["thumbnail"]:
            assert local(site, thumbnail["id"]).is_file()


def test_the_manifest_follows_the_presentation_api(site):
    data = json.loads((site / "iiif" / DOC / "manifest.json").read_text())
    check_presentation3(data, site)
    iiif_prezi3 = pytest.importorskip("iiif_prezi3")
    parsed = iiif_prezi3.Manifest(**data)  # the reference models refuse wrong types and missing properties
    assert [str(c.id) for c in parsed.items] == [c["id"] for c in data["items"]]


def test_the_canvases_are_the_pages_in_order_with_their_text(site):
    data = json.loads((site / "iiif" / DOC / "manifest.json").read_text())
    assert [c["label"]["none"][0] for c in data["items"]] == ["L. 20", "21", "L. 22"]
    assert [c["id"] for c in data["items"]] == [f"{BASE}iiif/{DOC}/{n}/canvas" for n in (1, 2, 3)]
    page = lxml.html.parse(str(site / "documents" / f"{DOC}.html"))
    for canvas, (_, folio, paragraphs) in zip(data["items"], FACSIMILE_PAGES):
        (rendering,) = canvas["rendering"]
        anchor = rendering["id"].split("#")[1]
        (marker,) = page.xpath(f"//*[@id='{anchor}']")
        assert marker.get("data-facs") == f"#f{folio}"  # the link leads to the page break that shows this image
        assert rendering["label"]["en"] == [f"Transcription of {canvas['label']['none'][0]}: "
                                            f"¶ {paragraphs[0]}–{paragraphs[-1]}"]
    assert data["items"][0]["summary"] == {"en": ["First leaf of the typescript, with the stamp of the secretariat"]}
    assert data["homepage"][0]["id"] == f"{BASE}documents/{DOC}.html"
    assert (site / "documents" / f"{DOC}.html").is_file() and local(site, data["seeAlso"][0]["id"]).is_file()


def test_the_collection_lists_the_manifests(site):
    data = json.loads((site / "iiif" / "collection.json").read_text())
    assert data["type"] == "Collection" and data["id"] == f"{BASE}iiif/collection.json"
    assert [item["id"] for item in data["items"]] == [f"{BASE}iiif/{DOC}/manifest.json"]
    assert all(item["type"] == "Manifest" and language_map(item["label"]) for item in data["items"])
    iiif_prezi3 = pytest.importorskip("iiif_prezi3")
    iiif_prezi3.Collection(**data)
    page = lxml.html.parse(str(site / "documents" / f"{DOC}.html"))
    assert page.xpath("//a[text()='IIIF manifest']/@href") == [f"../iiif/{DOC}/manifest.json"]


def test_a_check_that_can_fail(site):
    """The rules above find a manifest that breaks them (a canvas without height, a body without its
    service): they are not vacuous."""
    data = json.loads((site / "iiif" / DOC / "manifest.json").read_text())
    broken = json.loads(json.dumps(data))
    del broken["items"][1]["height"]
    with pytest.raises((AssertionError, KeyError)):
        check_presentation3(broken, site)
    broken = json.loads(json.dumps(data))
    broken["items"][2]["items"][0]["items"][0]["body"]["service"] = []
    with pytest.raises((AssertionError, ValueError)):
        check_presentation3(broken, site)
