"""Benchmark: tiling page images into IIIF pyramids, as `edition build` does it.

    python bench/facsimiles.py                        # 100 images of 4,000 × 6,000 pixels, 2 jobs
    python bench/facsimiles.py --images 10 --jobs 1 --images-dir /tmp/scans   # keep the scans for another run

An edition made by `edition init`, the bundled record imported with `edition import --images` (the
images are surfaces of its <facsimile>; two are linked to its page breaks, the others wait for the
editor, which `edition validate` reports), then, each as its own process and measured like
bench/run.py (seconds; peak resident memory of the build and its workers together, and of its
largest process waited for):

    tile        edition build --only html --clean    (validation, every image tiled, the site)
    no-change   edition build --only html            (nothing changed: no image tiled)
    one-image   edition build --only html            (one image replaced: one tiled)

and, before them, the tiler alone in one process (render/tiles.py on the first --alone images, one
after the other): CPU seconds per image and the process's peak resident memory, which do not depend
on the machine's other load as the builds' seconds do.

The scans are drawn by Pillow (paper, lines of text, the page number), saved as JPEG (quality 85),
as a camera or scanner writes them; drawing them takes longer than tiling them, so --images-dir
keeps them for the next run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import measure  # noqa: E402

REPO = HERE.parent
SEED = REPO.parent / "shared" / "seeds" / "000_0215c096726144f6.txt"
EDITION = [sys.executable, "-m", "edition"]


def draw(path: str, number: int, width: int, height: int) -> str:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), (236, 228, 208))
    draw = ImageDraw.Draw(image)
    draw.text((width * 0.8, height * 0.03), str(number), fill=(40, 30, 20), font=ImageFont.load_default(size=width // 12))
    step = max(4, height // 60)
    for k, y in enumerate(range(int(height * 0.1), int(height * 0.95), step)):
        draw.line((width * 0.1, y, width * (0.9 if k % 7 != 6 else 0.5), y), fill=(70 + k % 30, 60, 50),
                  width=max(1, height // 500))
    image.save(path, "JPEG", quality=85)
    return path


def scans(folder: Path, count: int, width: int, height: int, jobs: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [folder / f"{n:04d}.jpg" for n in range(1, count + 1)]
    missing = [p for p in wanted if not p.is_file()]
    if missing:
        print(f"drawing {len(missing)} scans of {width} × {height} into {folder} …", flush=True)
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(draw, [str(p) for p in missing], [int(p.stem) for p in missing],
                          [width] * len(missing), [height] * len(missing)))
    for extra in set(folder.glob("*.jpg")) - set(wanted):
        extra.unlink()
    return folder


ALONE = """
import resource, sys, tempfile, time
from pathlib import Path
from edition.render.tiles import tile_image
images = sys.argv[1:]
with tempfile.TemporaryDirectory() as out:
    for n, image in enumerate(images):
        meta = tile_image(image, f"{out}/{n}")
usage = resource.getrusage(resource.RUSAGE_SELF)
print((usage.ru_utime + usage.ru_stime) / len(images), usage.ru_maxrss / 1024, meta["tiles"])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--size", type=int, nargs=2, default=(4000, 6000), metavar=("WIDTH", "HEIGHT"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--alone", type=int, default=5, help="images tiled by the tiler alone, in one process")
    parser.add_argument("--images-dir", type=Path, help="where the drawn scans are kept (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="edition-facsimiles-") as tmp:
        root = Path(tmp)
        folder = scans(args.images_dir or root / "scans", args.images, *args.size, args.jobs)
        megabytes = sum(p.stat().st_size for p in folder.glob("*.jpg")) / 1e6
        edition = root / "edition"
        subprocess.run([*EDITION, "init", str(edition), "--title", "Facsimiles"], check=True, capture_output=True)
        toml = edition / "edition.toml"  # the web edition only: no print edition, no search index
        toml.write_text(toml.read_text(encoding="utf-8").replace("# enabled = true", "enabled = false")
                        .replace("# search = true", "search = false"), encoding="utf-8")
        subprocess.run([*EDITION, "-C", str(edition), "import", str(SEED), "--images", str(folder)], check=True,
                       capture_output=True)
        build = [*EDITION, "-C", str(edition), "build", "--only", "html", "-q", "--jobs", str(args.jobs)]
        alone = sorted(folder.glob("*.jpg"))[:max(1, args.alone)]
        done = subprocess.run([sys.executable, "-c", ALONE, *map(str, alone)], check=True, capture_output=True, text=True)
        cpu, peak, count = done.stdout.split()
        print(f"the tiler alone, {len(alone)} image(s) one after the other: {float(cpu):.2f} CPU s per image, "
              f"peak {float(peak):.0f} MB (the process), {count} tiles and sizes per image")
        print(f"{args.images} images of {args.size[0]} × {args.size[1]} ({megabytes:.0f} MB of JPEG), "
              f"{args.jobs} job(s), {os.cpu_count()} core(s)")
        print(f"{'phase':<12} {'seconds':>8} {'s/image':>8} {'peak MB':>8} {'max process MB':>15}")
        for phase, command in (("tile", build + ["--clean"]), ("no-change", build), ("one-image", build)):
            if phase == "one-image":
                first = sorted((edition / "facsimiles").rglob("*.jpg"))[0]
                draw(str(first), 9999, *args.size)
            result = measure(command, ok=(0,))
            per = result["seconds"] / args.images
            print(f"{phase:<12} {result['seconds']:8.1f} {per:8.2f} {result['peak_kb'] / 1024:8.0f} "
                  f"{result['maxrss_kb'] / 1024:15.0f}   {result['last']}", flush=True)
        tiles = sum(1 for _ in (edition / "_build" / "html" / "iiif").rglob("default.jpg"))
        print(f"tiles and sizes in the site: {tiles}")


if __name__ == "__main__":
    main()
