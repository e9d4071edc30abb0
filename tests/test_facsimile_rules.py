"""The facsimile rules of `edition validate`: every @facs resolves, every image is a readable JPEG,
PNG or TIFF, and the page breaks and the surfaces are as many (edition/facsimile.py)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from edition.cli import main
from tests.helpers import FACSIMILE_DOC, facsimile_edition

DOC = f"tei/{FACSIMILE_DOC.name}"


def validate(folder, *args):
    result = CliRunner().invoke(main, ["-C", str(folder), "validate", *args], catch_exceptions=False)
    return result.exit_code, result.output


def edit(folder, old: str, new: str) -> int:
    """Replace `old` by `new` in the fixture document; the line where `new` now stands."""
    path = folder / DOC
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text[:text.index(new)].count("\n") + 1


def test_the_fixture_validates_clean(tmp_path):
    folder = facsimile_edition(tmp_path)
    status, output = validate(folder)
    assert status == 0 and "0 errors, 0 warnings" in output, output


def test_a_pointer_to_no_surface_is_an_error_at_the_attribute(tmp_path):
    folder = facsimile_edition(tmp_path)
    line = edit(folder, '<pb n="21" facs="#f21"/>', '<pb n="21" facs="#f12"/>')
    status, output = validate(folder)
    assert status == 1
    found = re.search(rf"{re.escape(DOC)}:{line}:(\d+): error: <pb facs=\"#f12\"> points to no surface of this "
                      r"document: no <surface xml:id=\"f12\"> \[sch\.facs-resolves\]\n\s+hint: did you mean \"#f2\d\"\?",
                      output)
    assert found, output
    column = int(found.group(1))
    assert (folder / DOC).read_text().splitlines()[line - 1][column - 1:].startswith('facs="#f12"')


def test_a_pointer_to_an_element_that_is_not_a_surface(tmp_path):
    folder = facsimile_edition(tmp_path)
    edit(folder, 'facs="#f22"', 'facs="#p3"')
    status, output = validate(folder)
    assert status == 1 and 'no surface of this document: is a <p>, not a <surface> [sch.facs-resolves]' in output


def test_a_missing_image_is_an_error_with_its_path(tmp_path):
    folder = facsimile_edition(tmp_path)
    (folder / "facsimiles" / "molotov-eden" / "021.png").unlink()
    status, output = validate(folder)
    assert status == 1
    assert ('error: <graphic url="../facsimiles/molotov-eden/021.png">: ../facsimiles/molotov-eden/021.png '
            'no such file [sch.facs-image]') in output.replace(str(folder.resolve()), "..") or \
        "021.png no such file [sch.facs-image]" in output, output


def test_files_that_are_not_page_images(tmp_path):
    from PIL import Image

    folder = facsimile_edition(tmp_path)
    images = folder / "facsimiles" / "molotov-eden"
    (images / "021.png").write_text("not an image at all", encoding="utf-8")
    Image.new("RGB", (40, 60), "white").save(images / "022.tif", format="GIF")  # a GIF under a TIFF's name
    jpeg = (images / "020.jpg").read_bytes()
    status, output = validate(folder)
    assert status == 1
    assert "021.png is not an image (JPEG, PNG or TIFF) that can be read [sch.facs-image]" in output, output
    assert "022.tif is a GIF image; page images must be JPEG, PNG or TIFF [sch.facs-image]" in output, output
    assert output.count("[sch.facs-image]") == 2
    (images / "020.jpg").write_bytes(jpeg[:200])  # cut off: a damaged JPEG
    assert "020.jpg is " in validate(folder)[1]


def test_a_pointer_straight_at_an_image_file(tmp_path):
    folder = facsimile_edition(tmp_path)
    edit(folder, 'facs="#f21"', 'facs="../facsimiles/molotov-eden/021.png"')
    assert validate(folder)[0] == 0
    edit(folder, 'facs="../facsimiles/molotov-eden/021.png"', 'facs="../facsimiles/molotov-eden/21.png"')
    status, output = validate(folder)
    assert status == 1 and '<pb facs="../facsimiles/molotov-eden/21.png">' in output and "no such file" in output


def test_pages_and_surfaces_that_differ_in_number_are_a_warning(tmp_path):
    folder = facsimile_edition(tmp_path)
    line = edit(folder, "  <facsimile>\n", "  <facsimile>\n    <surface xml:id=\"f19\"><graphic url=\"../facsimiles/molotov-eden/020.jpg\"/></surface>\n")
    status, output = validate(folder)
    assert status == 0
    assert (f"{DOC}:{line - 0}:3: warning: the text has 3 page(s) (3 page break(s)) and <facsimile> has 4 surface(s): "
            "the images may be off by 1 page(s) [sch.facs-count]") in output, output
    assert validate(folder, "--strict")[0] == 1

    # a first page without its <pb>: the text before the first page break is a page too
    folder = facsimile_edition(tmp_path / "first-page")
    edit(folder, '        <pb n="20" facs="#f20"/>\n', "")
    assert "[sch.facs-count]" not in validate(folder)[1]
    edit(folder, '<pb n="22" facs="#f22"/>', "")
    assert "the text has 2 page(s) (1 page break(s), and the text before the first) and <facsimile> has 3 " \
        "surface(s)" in validate(folder)[1]


def test_links_outside_the_edition_and_tei_from_elsewhere(tmp_path):
    """A facs with a scheme (an image server) is not checked; with the model "tei", a pointer that
    leads nowhere is a warning (projects keep their images elsewhere), coded tei.*."""
    folder = facsimile_edition(tmp_path)
    edit(folder, 'url="../facsimiles/molotov-eden/021.png"', 'url="https://images.example.org/iiif/021/full/max/0/default.jpg"')
    assert validate(folder)[0] == 0
    (folder / "edition.toml").write_text('[edition]\ntitle = "T"\n[validation]\nmodel = "tei"\n', encoding="utf-8")
    (folder / "facsimiles" / "molotov-eden" / "022.tif").unlink()
    edit(folder, 'facs="#f20"', 'facs="#f2"')
    status, output = validate(folder)
    assert status == 0, output
    assert "warning: <pb facs=\"#f2\"> points to no surface of this document" in output and "[tei.facs-resolves]" in output
    assert "022.tif no such file [tei.facs-image]" in output


def test_the_schematron_for_xml_editors_finds_the_same_bad_surface_pointers(tmp_path):
    """edition.sch with every pattern (as an XML editor runs it) reports the page breaks whose @facs
    names no surface at the same lines, under the same code, as `edition validate`."""
    from lxml import etree

    from edition.resources import data_dir
    from edition.schematron import Schematron
    from edition.validate import validate_paths

    folder = facsimile_edition(tmp_path)
    wrong = [edit(folder, '<pb n="21" facs="#f21"/>', '<pb n="21" facs="#f12"/>'),
             edit(folder, 'facs="#f22"', 'facs="#p3"')]
    path = (folder / DOC).resolve()
    schema = Schematron(etree.parse(str(data_dir("schemas") / "edition.sch")))
    by_editor = sorted((f"sch.{f.get('id')}", f.node.getparent().sourceline)
                       for f in schema.findings(etree.parse(str(path))) if f.get("id") == "facs-resolves")
    by_tool = sorted((d.code, d.line) for d in validate_paths([path]).files[path] if d.code == "sch.facs-resolves")
    assert by_editor == by_tool == [("sch.facs-resolves", line) for line in sorted(wrong)]
