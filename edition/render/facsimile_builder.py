"""The facsimiles' builder: each page image as a static IIIF tile pyramid, made once per image.

    tiles      per image, key: the image's bytes, the tiler's version (render/tiles.py); a folder of
               tiles in the cache, with its sizes ("tiles-meta") written last to mark it complete
    info.json  per image and build: the IIIF image service, whose id names the site's address

Phases, as build.py calls them: `plan` (which images each published document shows, and which have
no pyramid in the cache: hashing only), `make` (the missing pyramids, in the workers: one image per
task, so a 1,000-page edition is tiled in parallel and a changed image re-tiles only itself), `write`
(the pyramids hard-linked into the site's `iiif/<document>/<page>/`, each with its info.json; the
IIIF manifests and the DTS files, render/iiif.py and render/dts.py), `finish` (nothing runs on).

It runs before the other builders: the web pages show what it made (`viewer(doc)`), and the print
edition's plates are its reduced sizes (`plates(doc)`).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from edition.cache import atomic_write, digest
from edition.corpus import Corpus, Document
from edition.diagnostics import EditionError, Reporter, display_path, warning
from edition.facsimile import Page
from edition.progress import Progress
from edition.render import tiles
from edition.render.fragments import page_name
from edition.render.pool import Pool
from edition.state import BuildState

THUMBNAIL = 160  # pixels wide, at least: the strip under the viewer


def link_pyramid(source: Path, target: Path) -> None:
    """Hard-link a cached pyramid into the site. A pyramid is about 130 files in 400 folders (every
    tile has a path of its own: region/size/rotation/quality), so this walks it with os.scandir and
    makes the folders plainly, without shutil.copytree's copying of each folder's metadata."""
    os.makedirs(target, exist_ok=True)
    for entry in os.scandir(source):
        if entry.is_dir(follow_symlinks=False):
            link_pyramid(Path(entry.path), target / entry.name)
        else:
            try:
                os.link(entry.path, target / entry.name)
            except OSError:  # another file system, or no hard links: a copy
                shutil.copyfile(entry.path, target / entry.name)


def _first_file(folder: Path) -> Path | None:
    """A tile of a pyramid (the first found), or None for an empty or missing folder."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return None
    for entry in entries:
        if entry.is_file(follow_symlinks=False) and entry.name != "info.json":
            return Path(entry.path)
        if entry.is_dir(follow_symlinks=False) and (found := _first_file(Path(entry.path))) is not None:
            return found
    return None


@dataclass
class Image:
    """A page image of a published document, where it goes in the site, and its pyramid."""
    page: Page
    number: int  # its place among the document's page images, from 1
    key: str
    folder: str  # in the site, relative to its root: "iiif/<document>/<number>"
    meta: dict | None = None  # sizes and tiles, once made


class FacsimileBuilder:
    name = "facsimiles"

    def __init__(self, state: BuildState, corpus: Corpus, records: dict, out_dir: Path | None, *, pool: Pool,
                 reporter: Reporter, progress: Progress) -> None:
        """`out_dir`: the web edition's staging folder, or None when only the print edition is built
        (the pyramids are then made for its plates, and nothing is written)."""
        self.state, self.corpus, self.records, self.out_dir = state, corpus, records, out_dir
        self.pool, self.reporter, self.progress = pool, reporter, progress
        self.pages_written = 0  # (images written into the site)
        self.images: dict[str, list[Image]] = {}  # document id -> its page images, in order
        # Pyramids moved from the published site into the staging folder (see `_carry`): (published
        # folder, staging folder, the published info.json), put back by `restore` if the build fails.
        self.carried: list[tuple[Path, Path, bytes]] = []

    def cancel(self) -> None:
        """Nothing runs on after a failed build."""

    def restore(self) -> None:
        """After a failed build: the pyramids `write` carried out of the published site go back, so
        that the previous output is as it was."""
        for published, staged, info in reversed(self.carried):
            try:
                if staged.is_dir() and published.parent.is_dir() and not published.exists():
                    os.rename(staged, published)
                    atomic_write(published / "info.json", info)
            except OSError:
                pass  # the published site itself is gone (a failure within the swap): nothing to put back
        self.carried.clear()

    # ----------------------------------------------------------------------------------- plan

    def _pages(self, doc: Document) -> list[Page]:
        record = self.records.get(doc.path) or {}
        for part in record.get("parts") or []:
            if part["id"] == doc.id or len(record["parts"]) == 1:
                return [Page.from_dict(p) for p in part.get("pages", [])]
        return []

    def plan(self) -> None:
        state, cache = self.state, self.state.cache
        self.todo: dict[str, Image] = {}  # key -> the first image with that content
        seen: set[str] = set()
        self._refuse_images_outside()
        for doc in self.corpus.documents:
            if page_name(doc) in seen:  # a repeated id: the html builder publishes the first only
                continue
            seen.add(page_name(doc))
            found = []
            for number, page in enumerate(self._pages(doc), 1):
                key = digest(state.tool, tiles.FORMAT_VERSION, tiles.TILE, state.hashes.file(Path(page.image)))
                image = Image(page, number, key, f"iiif/{page_name(doc)}/{number}")
                image.meta = cache.get_json("tiles-meta", key)
                cache.keep("tiles", key)
                if image.meta is None or cache.get_tree("tiles", key) is None:
                    image.meta = None
                    if key not in self.todo:
                        self.todo[key] = image
                        self.progress.note(f"facsimiles: {display_path(page.image)}: new or changed")
                found.append(image)
            if found:
                self.images[doc.id] = found
        if self.todo:
            self.state.redone["facsimiles"] = {image.page.image: "new or changed" for image in self.todo.values()}

    def _refuse_images_outside(self) -> None:
        """Only images of the edition are published: below its folder or [edition] facsimiles. A document's
        URLs are untrusted (TEI from elsewhere): <graphic url="../../../home/me/id-card.jpg"> must not put
        a file of the machine on the web. Nothing is built when one points elsewhere."""
        config = self.corpus.config
        allowed = (config.root.resolve(), config.facsimiles_dir.resolve())
        outside = [(doc, page.image) for doc in self.corpus.documents for page in self._pages(doc)
                   if not any(Path(page.image).is_relative_to(folder) for folder in allowed)]
        if outside:
            doc, image = outside[0]
            raise EditionError(
                f"{display_path(doc.path)}: the page image {image} is outside the edition's folder"
                + (f" (and {len(outside) - 1} more)" if len(outside) > 1 else "") + "; nothing was built",
                hint=f"copy the images into {display_path(config.facsimiles_dir)} and point to the copies, "
                     "or set [edition] facsimiles to the folder that holds them")

    # ----------------------------------------------------------------------------------- make

    def make(self) -> None:
        """The missing pyramids, one image per task, written into the cache by the workers."""
        cache = self.state.cache
        todo = list(self.todo.values())
        total = sum(len(images) for images in self.images.values())
        made: dict[str, dict] = {}
        with self.progress.phase("facsimiles", total) as advance:
            advance(total - len(todo))
            tasks = [(image.page.image, str(cache.path("tiles", image.key))) for image in todo]
            for image, meta in self.pool.run(tiles.tile_image, tasks, todo):
                if "error" in meta:
                    raise EditionError(meta["error"], hint="replace the image with one that opens in an image "
                                                           "viewer (JPEG, PNG or TIFF)")
                cache.put_json("tiles-meta", image.key, meta)  # after the tiles: it marks the entry complete
                made[image.key] = meta
                advance()
        for images in self.images.values():
            for image in images:
                if image.meta is None:
                    image.meta = made[image.key]

    # ----------------------------------------------------------------------------------- write

    def base_url(self) -> str:
        url = self.corpus.config.edition.url.strip()
        return url if not url or url.endswith("/") else url + "/"

    def write(self) -> None:
        """The pyramids into the site, each with its info.json; then the manifests and DTS files."""
        if self.out_dir is None or not self.images:
            return
        base = self.base_url()
        if not base:
            self.reporter.add(warning(self.corpus.config.path or self.corpus.config.root / "edition.toml",
                                      "the edition has page images but no address ([edition] url): their IIIF "
                                      "services name themselves by a relative id, which only this site's viewer "
                                      "follows, and no IIIF manifests or DTS files are written", "iiif.no-url",
                                      hint='set url = "https://…/" under [edition] (for a local test: '
                                           '"http://localhost:8000/")'))
        published = self.state.config.output_dir / "html"
        for images in self.images.values():
            for image in images:
                target = self.out_dir / image.folder
                source = self.state.cache.path("tiles", image.key)
                if not self._carry(published / image.folder, source, target):
                    link_pyramid(source, target)
                info = tiles.info_json(base + image.folder, image.meta)
                atomic_write(target / "info.json", json.dumps(info, indent=1).encode("utf-8"))
                self.pages_written += 1
        if base:
            from edition.render import iiif

            iiif.write_manifests(self, base)

    def _carry(self, published: Path, source: Path, target: Path) -> bool:
        """Move an unchanged pyramid from the published site into the staging folder (one rename)
        instead of making its ~400 folders again: a no-change build of an edition with 100 scans
        otherwise spent most of its time linking 13,000 tiles and removing the old ones. Unchanged
        means the published tiles are the cached ones (hard links of the same files); where the cache
        could not hard-link (another file system), the pyramid is linked anew."""
        first = _first_file(source)
        if first is None or not published.is_dir():
            return False
        try:
            if not os.path.samefile(first, published / first.relative_to(source)):
                return False
            info = (published / "info.json").read_bytes()
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(published, target)
        except OSError:
            return False
        self.carried.append((published, target, info))
        return True

    def finish(self) -> None:
        """Nothing runs beside the rest."""

    # ----------------------------------------------------------------------------------- for the others

    def viewer(self, doc: Document) -> list[dict]:
        """What a document's page needs to show its images (document.html, edition.js): per image,
        the page breaks that show it, its service, sizes and alternative text."""
        images = self.images.get(doc.id, [])
        title = doc.info.short_title or doc.info.title or doc.id
        manifest = ""
        if self.base_url() and images:
            from edition.render.iiif import manifest_path

            manifest = manifest_path(doc)
        shown = []
        for image in images:
            meta = image.meta
            thumb = tiles.size_at_least(meta, THUMBNAIL)
            label = image.page.label or f"Page {image.number}"
            alt = image.page.desc or f"Page {image.number} of {len(images)} of “{title}”" + (
                f" ({label})" if image.page.label else "")
            shown.append({"breaks": image.page.breaks, "label": label, "alt": alt, "service": image.folder,
                          "width": meta["width"], "height": meta["height"], "tile": meta["tile"],
                          "scaleFactors": meta["scale_factors"],
                          "thumb": f"{image.folder}/full/{thumb[0]},{thumb[1]}/0/default.jpg",
                          "thumbSize": thumb, "largest": max(meta["sizes"]), "manifest": manifest})
        return shown

    def plates(self, doc: Document, width: int) -> list[dict]:
        """The print edition's plates of a document: per image, the cached file of its smallest size
        at least `width` pixels wide (or its largest reduced size), and its caption."""
        images = self.images.get(doc.id, [])
        found = []
        for image in images:
            size = tiles.size_at_least(image.meta, width)
            file = self.state.cache.path("tiles", image.key) / "full" / f"{size[0]},{size[1]}" / "0" / "default.jpg"
            caption = image.page.label or f"Page {image.number}"
            found.append({"file": str(file), "caption": caption, "desc": image.page.desc,
                          "number": image.number, "of": len(images), "size": size})
        return found
