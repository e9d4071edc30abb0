"""The facsimiles' builder: a static IIIF Image API level 0 pyramid per page image, complete and
correct (info.json, every tile a viewer may ask for, each of the size it must have), cached by the
image's content, so that a changed image re-tiles only itself."""

from __future__ import annotations

import json
import math

import pytest
from PIL import Image

from edition.render.tiles import scale_factors, tile_image, tile_regions
from tests.helpers import build_edition, draw_page, facsimile_edition, snapshot

SITE_IMAGES = "iiif/fixture-facsimile-1942-05-22"


def expected_tiles(width: int, height: int, tile: int = 512) -> dict[str, tuple[int, int]]:
    """Every tile URI path a IIIF client computes from info.json, with the size it must have (written
    out here from the Image API's rules, not with the builder's own functions)."""
    found = {}
    factor = 1
    while True:
        step = tile * factor
        for y in range(0, height, step):
            for x in range(0, width, step):
                w, h = min(step, width - x), min(step, height - y)
                region = "full" if (w, h) == (width, height) else f"{x},{y},{w},{h}"
                size = (math.ceil(w / factor), math.ceil(h / factor))
                found[f"{region}/{size[0]},{size[1]}/0/default.jpg"] = size
        if math.ceil(width / factor) <= tile and math.ceil(height / factor) <= tile:
            return found
        factor *= 2


@pytest.mark.parametrize("size", [(1200, 1800), (513, 512), (300, 200), (2049, 1025)])
def test_the_pyramid_has_every_tile_at_its_size(tmp_path, size):
    source = draw_page(tmp_path / "page.png", 7, range(1, 4), size)
    meta = tile_image(str(source), str(tmp_path / "tiles"))
    width, height = size
    assert (meta["width"], meta["height"]) == size
    expected = expected_tiles(width, height)
    written = {p.relative_to(tmp_path / "tiles").as_posix(): p for p in (tmp_path / "tiles").rglob("*.jpg")}
    tiles_written = {name: path for name, path in written.items() if not name.startswith("full/") or name in expected}
    assert set(tiles_written) == set(expected)
    for name, path in tiles_written.items():
        with Image.open(path) as tile:
            assert tile.size == expected[name], name
    # the whole image at each reduced size, as info.json's "sizes" lists them
    for w, h in meta["sizes"]:
        with Image.open(tmp_path / "tiles" / "full" / f"{w},{h}" / "0" / "default.jpg") as full:
            assert full.size == (w, h)
    assert meta["tiles"] == len(expected)
    assert meta["scale_factors"] == scale_factors(width, height)


def test_a_tile_shows_its_region_of_the_page(tmp_path):
    """The tile at a region holds the pixels of that region (scaled): a red square drawn at a known
    place of a large page is red in the tile that covers it, at every scale."""
    image = Image.new("RGB", (3000, 2000), "white")
    image.paste((255, 0, 0), (1600, 1100, 1700, 1200))
    image.save(tmp_path / "page.jpg", quality=95)
    meta = tile_image(str(tmp_path / "page.jpg"), str(tmp_path / "tiles"))
    for factor in meta["scale_factors"]:
        for region, size, _ in tile_regions(3000, 2000, factor):
            x, y, w, h = (0, 0, 3000, 2000) if region == "full" else map(int, region.split(","))
            if x <= 1650 < x + w and y <= 1150 < y + h:
                with Image.open(tmp_path / "tiles" / region / f"{size[0]},{size[1]}" / "0" / "default.jpg") as tile:
                    r, g, b = tile.convert("RGB").getpixel(((1650 - x) // factor, (1150 - y) // factor))
                    assert r > 200 and g < 60 and b < 60, (factor, region)


def test_modes_scanners_write(tmp_path):
    """Greyscale, 16-bit greyscale TIFF, palette and RGBA images tile (as JPEG) without error."""
    for mode, value in (("L", 128), ("I;16", 40000), ("P", 3), ("RGBA", (10, 20, 30, 128)), ("1", 1)):
        path = tmp_path / f"{mode.replace(';', '')}.tif"
        Image.new(mode, (600, 700), value).save(path)
        meta = tile_image(str(path), str(tmp_path / f"tiles-{mode.replace(';', '')}"))
        assert "error" not in meta and meta["tiles"] == len(expected_tiles(600, 700)), mode


def test_an_image_that_cannot_be_decoded_is_an_error_not_a_traceback(tmp_path):
    good = draw_page(tmp_path / "page.jpg", 1, [1])
    (tmp_path / "cut.jpg").write_bytes(good.read_bytes()[:600])
    meta = tile_image(str(tmp_path / "cut.jpg"), str(tmp_path / "tiles"))
    assert "could not be decoded" in meta["error"] and not (tmp_path / "tiles").exists()
    assert not list(tmp_path.glob(".tmp-*"))  # nothing half-written is left


def test_the_build_publishes_the_pyramids_with_their_info_json(tmp_path):
    folder = facsimile_edition(tmp_path / "edition")
    result, reporter = build_edition(folder, only="html", jobs=2)
    site = result.outputs["html"]
    for number, (width, height) in enumerate([(1200, 1800)] * 3, 1):
        service = site / SITE_IMAGES / str(number)
        info = json.loads((service / "info.json").read_text())
        assert info["id"] == f"https://example.org/ed/{SITE_IMAGES}/{number}"
        assert info["type"] == "ImageService3" and info["profile"] == "level0"
        assert (info["width"], info["height"]) == (width, height)
        assert info["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2, 4]}]
        assert info["sizes"] == [{"width": 300, "height": 450}, {"width": 600, "height": 900}]
        names = {p.relative_to(service).as_posix() for p in service.rglob("*.jpg")}
        assert set(expected_tiles(width, height)) <= names
        assert all(f"full/{s['width']},{s['height']}/0/default.jpg" in names for s in info["sizes"])
    assert result.redone["facsimiles"] and len(result.redone["facsimiles"]) == 3
    assert (site / "static" / "leaflet" / "leaflet.js").is_file()


def test_a_changed_image_re_tiles_only_itself(tmp_path):
    folder = facsimile_edition(tmp_path / "edition")
    build_edition(folder, only="html")
    second, _ = build_edition(folder, only="html")
    assert "facsimiles" not in second.redone
    draw_page(folder / "facsimiles" / "molotov-eden" / "021.png", 21, range(5, 10))
    third, _ = build_edition(folder, only="html")
    assert list(third.redone["facsimiles"]) == [str((folder / "facsimiles" / "molotov-eden" / "021.png").resolve())]
    # the old pyramid is pruned from the cache; the site has the new one
    assert len(list((folder / ".edition-cache" / "tiles").glob("*/*"))) == 3
    with Image.open(third.outputs["html"] / SITE_IMAGES / "2" / "full" / "300,450" / "0" / "default.jpg") as image:
        assert image.size == (300, 450)


def test_an_edition_without_an_address_gets_relative_ids_and_a_warning(tmp_path):
    folder = facsimile_edition(tmp_path / "edition")
    toml = folder / "edition.toml"
    toml.write_text(toml.read_text().replace('url = "https://example.org/ed/"\n', ""))
    result, reporter = build_edition(folder, only="html")
    assert [d.code for d in reporter.diagnostics] == ["iiif.no-url"]
    info = json.loads((result.outputs["html"] / SITE_IMAGES / "1" / "info.json").read_text())
    assert info["id"] == f"{SITE_IMAGES}/1"


def test_an_image_outside_the_edition_is_never_published(tmp_path):
    """A document's URLs are untrusted: one that names a file elsewhere on the machine stops the build
    with the file named, and nothing of it reaches the site (the previous output stays as it was)."""
    from edition.diagnostics import EditionError

    folder = facsimile_edition(tmp_path / "edition")
    build_edition(folder, only="html")
    before = snapshot(folder)
    draw_page(tmp_path / "private" / "id-card.jpg", 1, [1])
    doc = folder / "tei" / "1942-05-22_molotov-eden.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        "../facsimiles/molotov-eden/021.png", "../../private/id-card.jpg"), encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        build_edition(folder, only="html", check=False)
    assert "id-card.jpg is outside the edition's folder" in str(caught.value)
    assert "nothing was built" in str(caught.value) and "facsimiles" in caught.value.hint
    assert snapshot(folder) == before
    # a folder the editor names in [edition] facsimiles is the edition's, wherever it is
    (folder / "edition.toml").write_text((folder / "edition.toml").read_text() + 'facsimiles = "../private"\n')
    build_edition(folder, only="html")


def test_a_no_change_build_keeps_the_published_pyramids_and_a_failed_one_puts_them_back(tmp_path, monkeypatch):
    """An unchanged pyramid moves from the published site into the new one (one rename, not its ~400
    folders made again); when the build then fails, it goes back: the previous output is intact."""
    from edition.render.html_builder import HtmlBuilder

    folder = facsimile_edition(tmp_path / "edition")
    first, _ = build_edition(folder, only="html")
    service = first.outputs["html"] / SITE_IMAGES / "1"
    inode = service.stat().st_ino
    from edition.config import discover

    # each build below goes through every step (without the last build's record of its inputs and
    # outputs, edition/unchanged.py, a build with nothing changed would stop before any)
    record = discover(folder).cache_dir / "unchanged.json"
    record.unlink()
    second, _ = build_edition(folder, only="html")
    assert (second.outputs["html"] / SITE_IMAGES / "1").stat().st_ino == inode
    assert json.loads((service / "info.json").read_text())["width"] == 1200
    before = snapshot(folder)

    def fail(self):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(HtmlBuilder, "finish", fail)
    record.unlink()
    with pytest.raises(OSError):
        build_edition(folder, only="html", check=False)
    assert snapshot(folder) == before
    assert (folder / "_build" / "html" / SITE_IMAGES / "1").stat().st_ino == inode
