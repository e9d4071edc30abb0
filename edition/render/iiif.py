"""IIIF Presentation API 3.0: a manifest per document with page images, and a collection of them.

    iiif/<document>/manifest.json     canvases in page order, each with its image (and its level 0
                                      image service), its label and the text it holds (a link to the
                                      page break in the web page, and the paragraphs that begin on it)
    iiif/collection.json              every manifest of the edition, in the order of the documents

Any IIIF viewer (Mirador, Universal Viewer, Clover) opens them from the site's address: the ids are
absolute URIs under `[edition] url`, which the Presentation API requires (so without it, none are
written: FacsimileBuilder.write says so). Written as JSON by hand rather than with iiif-prezi3
(which the tests use to check them): the structure is small and fixed, and the build does not need
pydantic's models for it.
"""

from __future__ import annotations

import json
from pathlib import Path

from edition.cache import atomic_write
from edition.render import tiles
from edition.render.fragments import page_name

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
COLLECTION = "iiif/collection.json"


def manifest_path(doc) -> str:
    return f"iiif/{page_name(doc)}/manifest.json"


def _language(corpus) -> str:
    return (corpus.config.edition.language or "none").split("-")[0] or "none"


def _text(language: str, value: str) -> dict:
    return {language: [value]}


def manifest(builder, doc, base: str) -> dict:
    corpus = builder.corpus
    language = _language(corpus)
    info = doc.info
    page = f"documents/{page_name(doc)}.html"
    manifest_id = base + manifest_path(doc)
    metadata = [(label, value) for label, value in (("Date", info.date_display), ("Type", info.doc_type),
                                                   ("Author", info.author)) if value]
    canvases = []
    for image in builder.images[doc.id]:
        meta = image.meta
        canvas_id = f"{base}{image.folder}/canvas"
        largest = max(meta["sizes"])
        thumb = tiles.size_at_least(meta, 160)
        label = image.page.label or f"Page {image.number}"
        canvas = {
            "id": canvas_id,
            "type": "Canvas",
            "label": _text("none", label),
            "width": meta["width"],
            "height": meta["height"],
            "thumbnail": [{"id": f"{base}{image.folder}/full/{thumb[0]},{thumb[1]}/0/default.jpg", "type": "Image",
                           "format": "image/jpeg", "width": thumb[0], "height": thumb[1]}],
            "items": [{
                "id": f"{canvas_id}/page",
                "type": "AnnotationPage",
                "items": [{
                    "id": f"{canvas_id}/page/image",
                    "type": "Annotation",
                    "motivation": "painting",
                    "target": canvas_id,
                    "body": {
                        "id": f"{base}{image.folder}/full/{largest[0]},{largest[1]}/0/default.jpg",
                        "type": "Image",
                        "format": "image/jpeg",
                        "width": largest[0],
                        "height": largest[1],
                        "service": [{"id": base + image.folder, "type": "ImageService3", "profile": "level0"}],
                    },
                }],
            }],
        }
        if image.page.desc:
            canvas["summary"] = _text(language, image.page.desc)
        paragraphs = image.page.paragraphs
        if paragraphs or image.page.anchor:
            what = (f"¶ {paragraphs[0]}" if len(paragraphs) == 1 else f"¶ {paragraphs[0]}–{paragraphs[-1]}") \
                if paragraphs else "the text"
            canvas["rendering"] = [{"id": base + page + (f"#{image.page.anchor}" if image.page.anchor else ""),
                                    "type": "Text", "format": "text/html",
                                    "label": _text(language, f"Transcription of {label}: {what}")}]
        canvases.append(canvas)
    found = {
        "@context": CONTEXT,
        "id": manifest_id,
        "type": "Manifest",
        "label": _text(language, info.title or info.short_title or doc.id),
        "metadata": [{"label": _text(language, k), "value": _text(language, v)} for k, v in metadata],
        "homepage": [{"id": base + page, "type": "Text", "format": "text/html",
                      "label": _text(language, info.short_title or info.title or doc.id)}],
        "seeAlso": [{"id": f"{base}tei/{page_name(doc)}.xml", "type": "Dataset", "format": "application/tei+xml",
                     "profile": "http://www.tei-c.org/ns/1.0"}],
        "partOf": [{"id": base + COLLECTION, "type": "Collection"}],
        "items": canvases,
    }
    if info.short_title and info.short_title != info.title:
        found["summary"] = _text(language, info.short_title)
    if corpus.config.edition.publisher:
        found["provider"] = [{"id": base, "type": "Agent", "label": _text(language, corpus.config.edition.publisher),
                              "homepage": [{"id": base, "type": "Text", "format": "text/html",
                                            "label": _text(language, corpus.config.edition.title)}]}]
    return found


def write_manifests(builder, base: str) -> list[str]:
    """Every document's manifest and the collection, into the site; their paths."""
    corpus, out_dir = builder.corpus, Path(builder.out_dir)
    language = _language(corpus)
    items, written = [], []
    for doc in corpus.documents:
        if doc.id not in builder.images:
            continue
        data = manifest(builder, doc, base)
        atomic_write(out_dir / manifest_path(doc), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        written.append(manifest_path(doc))
        items.append({"id": data["id"], "type": "Manifest", "label": data["label"],
                      "thumbnail": data["items"][0]["thumbnail"]})
    collection = {"@context": CONTEXT, "id": base + COLLECTION, "type": "Collection",
                  "label": _text(language, corpus.config.edition.title), "items": items}
    atomic_write(out_dir / COLLECTION, json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8"))
    return written + [COLLECTION]
