"""A page image as a static IIIF Image API 3.0 level 0 tile pyramid, written with Pillow.

    <image>/<x>,<y>,<w>,<h>/<tw>,<th>/0/default.jpg     the tiles of every scale factor (canonical URIs)
    <image>/full/<w>,<h>/0/default.jpg                 the whole image at each reduced size (thumbnails,
                                                       the print edition's plates)
    <image>/info.json                                  written by the builder (its id names the site)

Level 0 means that a viewer asks only for what info.json lists (its `tiles` and `sizes`), which is
why static files can serve it. The regions and sizes are those a IIIF client computes: at scale
factor s, the tile at column c and row r covers x = c·t·s, y = r·t·s, w = min(t·s, width − x) of the
full image, and is ceil(w / s) pixels wide (Leaflet's viewer, edition.js, asks for the same).

Memory: one image at a time per process, decoded once at full size (72 MB for 4,000 × 6,000 RGB);
each smaller scale is made from the one before (`reduce(2)`, a box filter) and the larger is let go,
so a process holds at most one level and the next (about 1.25 times the image), never several images.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from pathlib import Path

TILE = 512  # pixels; what IIIF viewers request by default for level 0 (256 gives four times the files)
QUALITY = 82  # JPEG quality of tiles and sizes: close to the scans' own, a third of their size
FORMAT_VERSION = "1"  # bump when the layout or the encoding of the tiles changes (it is in the cache key)


def scale_factors(width: int, height: int, tile: int = TILE) -> list[int]:
    """1, 2, 4, … until the whole image fits in one tile."""
    factors = [1]
    while max(math.ceil(width / factors[-1]), math.ceil(height / factors[-1])) > tile:
        factors.append(factors[-1] * 2)
    return factors


def tile_regions(width: int, height: int, factor: int, tile: int = TILE):
    """(region, size) of every tile at one scale factor, as IIIF URI segments."""
    step = tile * factor
    for y in range(0, height, step):
        for x in range(0, width, step):
            w, h = min(step, width - x), min(step, height - y)
            region = "full" if (w, h) == (width, height) else f"{x},{y},{w},{h}"
            yield region, (math.ceil(w / factor), math.ceil(h / factor)), (x // factor, y // factor)


def _ready(image):
    """The image upright (EXIF orientation of camera scans) in a mode JPEG can hold."""
    from PIL import ImageOps

    if image.getexif().get(0x0112, 1) != 1:
        image = ImageOps.exif_transpose(image)
    if image.mode in ("L", "RGB"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):  # 16-bit and float greyscale scans
        return image.convert("L") if image.mode == "F" else image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode in ("1", "LA") or (image.mode == "P" and image.palette and image.palette.mode == "L"):
        return image.convert("L")
    return image.convert("RGB")


def _save(image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=QUALITY)


def tile_image(source: str, target: str) -> dict:
    """The pyramid of the image `source`, into the folder `target` (which appears complete or not at
    all: written beside it and renamed). Returns its sizes, or {"error": …} for an image that cannot
    be decoded (validation checked the header only)."""
    from PIL import Image

    from edition.facsimile import MAX_PIXELS

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    final = Path(target)
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
    try:
        with Image.open(source) as opened:
            level = _ready(opened)
            level.load()
            width, height = level.size
            factors = scale_factors(width, height)
            sizes, count = [], 0
            for factor in factors:
                if factor > 1:
                    level = level.reduce(2)  # from the level before: a box filter over 2 × 2 pixels
                for region, size, (left, top) in tile_regions(width, height, factor):
                    path = work / region / f"{size[0]},{size[1]}" / "0" / "default.jpg"
                    if not path.exists():  # (a 1-pixel corner can have the same URI at two scales)
                        _save(level.crop((left, top, left + size[0], top + size[1])), path)
                        count += 1
                if factor > 1 or len(factors) == 1:  # the whole image at this size
                    sizes.append(list(level.size))
                    full = work / "full" / f"{level.size[0]},{level.size[1]}" / "0" / "default.jpg"
                    if not full.exists():  # (the one-tile level is also its own "full" tile)
                        _save(level, full)
            del level
        if final.exists():  # another build tiled the same image meanwhile: identical by construction
            shutil.rmtree(work, ignore_errors=True)
        else:
            os.replace(work, final)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        shutil.rmtree(work, ignore_errors=True)
        return {"error": f"{source}: the image could not be decoded: {' '.join(str(exc).split())}"}
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return {"width": width, "height": height, "tile": TILE, "scale_factors": factors,
            "sizes": sorted(sizes), "tiles": count}


def info_json(image_id: str, meta: dict) -> dict:
    """The image's info.json (IIIF Image API 3.0, level 0): what a viewer may ask for."""
    return {
        "@context": "http://iiif.io/api/image/3/context.json",
        "id": image_id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level0",
        "width": meta["width"],
        "height": meta["height"],
        "sizes": [{"width": w, "height": h} for w, h in meta["sizes"]],
        "tiles": [{"width": meta["tile"], "height": meta["tile"], "scaleFactors": meta["scale_factors"]}],
    }


def size_at_least(meta: dict, width: int) -> list[int]:
    """The smallest of the image's sizes at least `width` pixels wide (else the largest)."""
    sizes = sorted(meta["sizes"])
    return next((s for s in sizes if s[0] >= width), sizes[-1])
