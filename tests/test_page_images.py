"""`edition import --images DIR` and `edition new --images DIR`: the page images, in page order,
copied into the edition and linked to the page breaks (edition/page_images.py)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from lxml import etree

from edition.cli import main
from edition.page_images import page_images
from tests.helpers import FIXTURES, REPO, draw_page

TEI = "{http://www.tei-c.org/ns/1.0}"


@pytest.fixture
def edition(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ed"), "--title", "Letters"])
    assert result.exit_code == 0, result.output
    for name in ("persons.xml", "places.xml"):
        shutil.copyfile(REPO / "tei" / name, tmp_path / "ed" / "tei" / name)
    return tmp_path / "ed"


def run(edition, *args):
    result = CliRunner().invoke(main, ["-C", str(edition), *args], catch_exceptions=False)
    return result.exit_code, result.output


def scans(folder, count: int, names=None):
    names = names or [f"{n}.jpg" for n in range(1, count + 1)]
    for n, name in enumerate(names, 1):
        draw_page(folder / name, 114 + n, range(n * 10, n * 10 + 3), (600, 900))
    return folder


def test_import_links_the_images_to_the_page_breaks(edition, tmp_path, seed_transcript):
    """(That the document is valid TEI is checked in test_schema_conformance.py, where tei_all is compiled.)"""
    status, output = run(edition, "import", str(seed_transcript), "--images", str(scans(tmp_path / "scans", 2)))
    assert status == 0, output
    assert "page images: 2 of 2 page image(s) linked to the page breaks (a <pb> added at the start of the text " \
           "for its first page)" in output
    document = edition / "tei" / "1941-12-18_stalin-eden.xml"
    tree = etree.parse(str(document))
    urls = [g.get("url") for g in tree.iter(f"{TEI}graphic")]
    assert urls == [f"../facsimiles/{document.stem}/1.jpg", f"../facsimiles/{document.stem}/2.jpg"]
    assert all((document.parent / url).is_file() for url in urls)  # copied into the edition
    assert [g.get("width") for g in tree.iter(f"{TEI}graphic")] == ["600px", "600px"]
    breaks = list(tree.find(f"{TEI}text").iter(f"{TEI}pb"))
    assert [pb.get("facs") for pb in breaks] == ["#f1", "#f2"]
    assert breaks[0].getparent().tag == f"{TEI}body" and breaks[0].getparent().index(breaks[0]) == 0
    # the transcript's page break (inside a paragraph, at "comrade Stalin") is the second page
    assert (breaks[1].tail or "").startswith(" comrade")
    status, output = run(edition, "validate")
    assert status == 0 and " 0 errors" in output and "[sch.facs" not in output, output


def test_more_images_than_pages_are_said_not_guessed(edition, tmp_path, seed_transcript):
    status, output = run(edition, "import", str(seed_transcript), "--images", str(scans(tmp_path / "scans", 3)))
    assert status == 0
    assert "2 of 3 page image(s) linked" in output and "1 image(s) have no page break yet" in output
    assert "the text has 2 page(s) (2 page break(s)) and <facsimile> has 3 surface(s)" in run(edition, "validate")[1]


def test_images_are_taken_in_the_order_of_their_numbers(tmp_path):
    folder = scans(tmp_path / "scans", 3, ["page-10.png", "page-2.tif", "page-1.jpg"])
    (folder / "notes.txt").write_text("not a page", encoding="utf-8")
    assert [p.name for p in page_images(folder)] == ["page-1.jpg", "page-2.tif", "page-10.png"]


def test_a_file_that_is_not_an_image_stops_before_anything_is_written(edition, tmp_path, seed_transcript):
    folder = scans(tmp_path / "scans", 2)
    (folder / "3.jpg").write_text("not a JPEG", encoding="utf-8")
    status, output = run(edition, "import", str(seed_transcript), "--images", str(folder))
    assert status == 2 and "3.jpg: is not an image (JPEG, PNG or TIFF) that can be read" in output, output
    assert not (edition / "tei" / "1941-12-18_stalin-eden.xml").exists() and not (edition / "facsimiles").exists()


def test_a_transcript_of_several_documents_is_refused(edition, tmp_path):
    status, output = run(edition, "import", str(FIXTURES / "import" / "01_two_documents.txt"),
                         "--images", str(scans(tmp_path / "scans", 2)))
    assert status == 2 and "--images links page images to one document; the transcript(s) hold 2" in output


def test_new_with_images(edition, tmp_path):
    status, output = run(edition, "new", "--title", "Letter", "--date", "1941-12-21", "--participants", "stalin",
                         "--repository", "AP RF", "--fond", "45", "--opis", "1", "--delo", "279", "--folios", "12-13",
                         "--images", str(scans(tmp_path / "scans", 2)))
    assert status == 0, output
    assert "1 of 2 page image(s) linked" in output and "1 image(s) have no page break yet" in output
    (document,) = (edition / "tei").glob("1941-12-21_*.xml")
    tree = etree.parse(str(document))
    (pb,) = tree.find(f"{TEI}text").iter(f"{TEI}pb")
    assert (pb.get("n"), pb.get("facs")) == ("12", "#f12")
    assert len(list((edition / "facsimiles" / document.stem).iterdir())) == 2
    assert "[sch.facs-count]" in run(edition, "validate")[1]
