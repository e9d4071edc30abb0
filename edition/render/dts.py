"""The text as DTS (Distributed Text Services, 1-alpha): static JSON and TEI files that DTS clients
cite and fetch passages from.

    dts/index.json                          the entry point (URI templates of the three endpoints)
    dts/collection.json                     the edition: every document, with its citation trees
    dts/collection/<id>.json                one document (a Resource)
    dts/navigation/<id>/page.json           its pages (tree "page": the page breaks' @n, or numbers; "0"
                                            for the text before the first page break, if any)
    dts/navigation/<id>/paragraph.json      its paragraphs (tree "paragraph": @n, else xml:id, else numbers)
    dts/document/<id>.xml                   the whole TEI document
    dts/document/<id>/page/<ref>.xml        a passage: the text from one page break to the next
    dts/document/<id>/paragraph/<ref>.xml   a passage: one paragraph

A DTS server answers queries (`navigation?resource=…&tree=page`); a static site answers them when
the web server maps each query to its file (README: "Serving IIIF and DTS"). The ids are absolute
URIs under `[edition] url`. Per document, the files are made in a worker and cached under the
document's bytes (`DtsBuilder`, the same phases as the other builders).
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from edition.cache import atomic_write, digest, link_tree
from edition.facsimile import text_before_first_break
from edition.render.fragments import page_name

CONTEXT = "https://distributed-text-services.github.io/specifications/context/1-alpha1.json"
VERSION = "1-alpha"
TEI = "http://www.tei-c.org/ns/1.0"
DTS_NS = "https://w3id.org/dts/api#"
FORMAT_VERSION = "2"


def _refs(elements, attribute: str | None) -> list[str]:
    """Identifiers for citable units: their attribute when every one has a distinct one, else numbers."""
    values = [" ".join((e.get(attribute) or "").split()) for e in elements] if attribute else []
    if values and all(values) and len(set(values)) == len(values) and all(re.fullmatch(r"[\w.\-]+", v) for v in values):
        return values
    return [str(n) for n in range(1, len(elements) + 1)]


def _wrapped(nodes) -> bytes:
    tei = etree.Element(f"{{{TEI}}}TEI", nsmap={None: TEI, "dts": DTS_NS})
    wrapper = etree.SubElement(tei, f"{{{DTS_NS}}}wrapper")
    for node in nodes:
        wrapper.append(node)
    return etree.tostring(tei, xml_declaration=True, encoding="UTF-8")


def _between(scope, start, end):
    """A copy of `scope` holding only what lies between the milestones `start` and `end` (None: to
    the end), with the elements that contain them kept around it, so that the passage stays TEI."""
    def path(node) -> list[int]:
        indices = []
        while node is not scope:
            parent = node.getparent()
            indices.append(parent.index(node))
            node = parent
        return indices[::-1]

    start_path = path(start) if start is not None else None
    end_path = path(end) if end is not None else None
    result = copy.deepcopy(scope)

    def at(indices):
        node = result
        for i in indices:
            node = node[i]
        return node

    if end_path is not None:  # first what follows the end: the indices before it stay valid
        node = at(end_path)
        parent = node.getparent()
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        parent.remove(node)  # the next page break goes, with the text after it (its tail)
        node = parent
        while node is not result:
            parent = node.getparent()
            for sibling in list(node.itersiblings()):
                parent.remove(sibling)
            node.tail = None
            if not len(node) and not (node.text or "").strip():  # a paragraph that begins with the next page
                parent.remove(node)
            node = parent
    node = at(start_path) if start_path is not None else result
    while node is not result:
        parent = node.getparent()
        for sibling in list(node.itersiblings(preceding=True)):
            parent.remove(sibling)
        parent.text = None
        node = parent
    return result


def dts_files(path: str, doc_id: str, base: str, target: str) -> dict:
    """The navigation trees and passages of one document, into the folder `target` (which appears
    complete or not at all). Returns the citation trees' sizes."""
    from edition.documents import parse_file
    from edition.corpus import document_tree

    tree, _ = parse_file(Path(path))
    tree = document_tree(tree, Path(path), doc_id) if tree is not None else None
    if tree is None:
        return {"error": f"{path}: could not be read again (changed since it was validated)"}
    name = page_name_of(doc_id)
    resource = name  # a document's DTS id is its page name: what the web server maps to its files
    final = Path(target)
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
    try:
        text = tree.getroot().find(f"{{{TEI}}}text")
        body = text.find(f"{{{TEI}}}body") if text is not None else None
        scope = body if body is not None else text
        breaks = list(scope.iter(f"{{{TEI}}}pb")) if scope is not None else []
        paragraphs = list(scope.iter(f"{{{TEI}}}p")) if scope is not None else []
        page_refs = _refs(breaks, "n")
        if scope is not None and text_before_first_break(scope):
            # a first page without its <pb>: the text before the first page break is page "0"
            breaks, page_refs = [None, *breaks], ["0", *page_refs]
        # a paragraph's @n (its number in the source) when every one has a distinct one, else its xml:id
        by_n = _refs(paragraphs, "n")
        numbered = all(" ".join((p.get("n") or "").split()) for p in paragraphs)
        paragraph_refs = by_n if numbered else _refs(paragraphs, "{http://www.w3.org/XML/1998/namespace}id")
        trees = {"page": page_refs, "paragraph": paragraph_refs}
        for kind, refs in trees.items():
            navigation = {"@context": CONTEXT, "dtsVersion": VERSION, "@type": "Navigation",
                          "@id": f"{base}dts/navigation/{quote(name)}/{kind}.json", "resource": resource,
                          "member": [{"@type": "CitableUnit", "identifier": ref, "level": 1, "parent": None,
                                      "citeType": kind} for ref in refs]}
            (work / "navigation" / name).mkdir(parents=True, exist_ok=True)
            (work / "navigation" / name / f"{kind}.json").write_text(json.dumps(navigation, ensure_ascii=False, indent=1),
                                                                    encoding="utf-8")
        for ref, element in zip(paragraph_refs, paragraphs):
            passage = copy.deepcopy(element)
            passage.tail = None
            _write(work / "document" / name / "paragraph" / f"{ref}.xml", _wrapped([passage]))
        for n, (ref, start) in enumerate(zip(page_refs, breaks)):  # (start None: the text's beginning)
            end = breaks[n + 1] if n + 1 < len(breaks) else None
            _write(work / "document" / name / "page" / f"{ref}.xml", _wrapped([_between(scope, start, end)]))
        _write(work / "document" / f"{name}.xml", etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
        if final.exists():
            shutil.rmtree(work, ignore_errors=True)
        else:
            os.replace(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return {"page": len(page_refs), "paragraph": len(paragraph_refs)}


def page_name_of(doc_id: str) -> str:
    from edition.corpus import page_name

    return page_name(doc_id)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def entry_point(base: str) -> dict:
    return {"@context": CONTEXT, "dtsVersion": VERSION, "@id": f"{base}dts/index.json", "@type": "EntryPoint",
            "collection": f"{base}dts/collection{{?id,page,nav}}",
            "navigation": f"{base}dts/navigation{{?resource,ref,start,end,down,tree,page}}",
            "document": f"{base}dts/document{{?resource,ref,start,end,tree,mediaType}}"}


def resource(doc, base: str, sizes: dict, collection: str) -> dict:
    name = page_name(doc)
    info = doc.info
    found = {"@id": name, "@type": "Resource",
             "title": info.title or info.short_title or doc.id, "totalParents": 1, "totalChildren": 0,
             "collection": f"{base}dts/collection{{?id,page,nav}}",
             "navigation": f"{base}dts/navigation{{?resource,ref,start,end,down,tree,page}}",
             "document": f"{base}dts/document{{?resource,ref,start,end,tree,mediaType}}",
             "mediaTypes": ["application/xml"],
             "citationTrees": [{"@type": "CitationTree", "identifier": kind,
                                "citeStructure": [{"@type": "CiteStructure", "citeType": kind}],
                                "description": f"{sizes.get(kind, 0)} {kind}s"} for kind in ("page", "paragraph")],
             "dublinCore": {k: v for k, v in (("title", info.title), ("date", info.date), ("creator", info.author),
                                               ("type", info.doc_type)) if v}}
    if info.short_title and info.short_title != found["title"]:
        found["description"] = info.short_title
    found["parent"] = collection
    return found


class DtsBuilder:
    """Plan (a key per document: its bytes, the address), make (the missing files, in the workers),
    write (hard-linked into the site's dts/, with the entry point and the collections)."""
    name = "dts"

    def __init__(self, state, corpus, records, out_dir: Path, *, pool, reporter, progress) -> None:
        self.state, self.corpus, self.out_dir, self.pool, self.progress = state, corpus, Path(out_dir), pool, progress
        self.pages_written = 0

    def cancel(self) -> None:
        """Nothing runs on after a failed build."""

    def base(self) -> str:
        url = self.corpus.config.edition.url.strip()
        return url if url.endswith("/") else url + "/"

    def plan(self) -> None:
        state, base = self.state, self.base()
        self.keys, self.todo, seen = {}, [], set()
        self.documents = []
        for doc in self.corpus.documents:
            if page_name(doc) in seen:
                continue
            seen.add(page_name(doc))
            self.documents.append(doc)
            key = digest(state.tool, FORMAT_VERSION, base, doc.id, state.hashes.file(doc.path))
            self.keys[doc.id] = key
            state.cache.keep("dts", key)
            if state.cache.get_json("dts-meta", key) is None or state.cache.get_tree("dts", key) is None:
                self.todo.append(doc)

    def make(self) -> None:
        cache, base = self.state.cache, self.base()
        with self.progress.phase("dts", len(self.documents)) as advance:
            advance(len(self.documents) - len(self.todo))
            tasks = [(str(doc.path), doc.id, base, str(cache.path("dts", self.keys[doc.id]))) for doc in self.todo]
            for doc, sizes in self.pool.run(dts_files, tasks, self.todo):
                if "error" in sizes:
                    from edition.diagnostics import EditionError

                    raise EditionError(sizes["error"])
                cache.put_json("dts-meta", self.keys[doc.id], sizes)
                advance()

    def write(self) -> None:
        cache, base, out = self.state.cache, self.base(), self.out_dir / "dts"
        root = f"{base}dts/collection.json"
        members = []
        for doc in self.documents:
            link_tree(cache.path("dts", self.keys[doc.id]), out)
            item = resource(doc, base, cache.get_json("dts-meta", self.keys[doc.id]), root)
            atomic_write(out / "collection" / f"{page_name(doc)}.json",
                         json.dumps({"@context": CONTEXT, "dtsVersion": VERSION, **item}, ensure_ascii=False,
                                    indent=1).encode("utf-8"))
            members.append(item)
            self.pages_written += 1
        collection = {"@context": CONTEXT, "dtsVersion": VERSION, "@id": root, "@type": "Collection",
                      "title": self.corpus.config.edition.title, "totalParents": 0, "totalChildren": len(members),
                      "collection": f"{base}dts/collection{{?id,page,nav}}", "member": members}
        atomic_write(out / "collection.json", json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8"))
        atomic_write(out / "index.json", json.dumps(entry_point(base), indent=1).encode("utf-8"))

    def finish(self) -> None:
        """Nothing runs beside the rest."""
