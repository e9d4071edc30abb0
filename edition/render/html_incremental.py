"""The web edition, rebuilt incrementally from cached parts: every page of the static site.

    fragments  per document, key: the document's bytes, every file of the stylesheets, the register
               entries' names and links, the pages of the documents it links to
    page       per document, key: its fragments, the templates, [edition]/[html] settings, the
               registers, its header and its neighbours' (previous/next links)
    site       the index pages (home, persons, places, timeline, principles), key: every document's
               header, the templates, settings and registers
    search     the Pagefind index, key: the content of the document pages

Only missing fragments are transformed (in the worker processes); pages whose key is cached are
hard-linked from the cache; each fragment is read back when its page is rendered, so memory does
not grow with the number of documents.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import OrderedDict
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from edition.cache import digest, link_or_copy, link_tree
from edition.corpus import Corpus
from edition.diagnostics import Diagnostic, EditionError, warning
from edition.documents import published_copy
from edition.guidelines import example_files
from edition.render import search, site, worker
from edition.render.fragments import Fragments, document_map, entity_map, page_name
from edition.render.html import (GUIDELINES, common_context, copy_static, document_page, fragment_params,
                                  guidelines_page, render_site, stylesheet_path)
from edition.resources import templates_dir, xslt_path


def linked_documents(names: list[str], by_name: dict[str, dict[str, str]], own_uri: str) -> dict[str, str]:
    """The entries of the documents map this document can reach: those of the files it names.

    html.xsl looks a pointer up by the absolute URI it resolves to, and a pointer names its file, so
    passing only these gives the same output, while a new document elsewhere leaves this one's key
    alone. `names`: the *.xml file names in the document's attributes (worker.analyse found them);
    `by_name`: file name -> {uri: page} of the documents with that name.
    """
    found = {}
    for name in names:
        found.update(by_name.get(name, {}))
    own = by_name.get(unquote(own_uri.rsplit("/", 1)[-1]), {})
    if own_uri in own:
        found[own_uri] = own[own_uri]
    return found


def documents_by_name(documents: dict[str, str]) -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for uri, page in documents.items():
        table.setdefault(unquote(uri.rsplit("/", 1)[-1]), {})[uri] = page
    return table


def _xslt_digest(ctx, corpus: Corpus, stylesheet: Path) -> str:
    parts = [ctx.hashes.folder(xslt_path("html.xsl").parent), ctx.hashes.file(stylesheet)]
    if corpus.config.html.stylesheet:
        parts.append(ctx.hashes.file(corpus.config.resolve(corpus.config.html.stylesheet)))
    return digest(*parts)


def _site_digest(ctx, corpus: Corpus, with_pdf: bool, custom_css: bool) -> str:
    config = corpus.config
    templates = [ctx.hashes.folder(templates_dir())]
    if config.html.templates:
        templates.append(ctx.hashes.folder(config.resolve(config.html.templates)))
    return digest(ctx.tool, templates, dataclasses.asdict(config.edition), dataclasses.asdict(config.html),
                  ctx.hashes.file(config.persons_path), ctx.hashes.file(config.places_path), with_pdf, custom_css)


def write_html(ctx, corpus: Corpus, records: dict, out_dir: Path, with_pdf: bool = False) -> Callable[[], None]:
    """Write the web edition into `out_dir`; returns `finish()`, which waits for the search index."""
    out_dir = Path(out_dir)
    config = corpus.config
    reporter, cache = ctx.reporter, ctx.cache
    env = site.environment(config)
    stylesheet = stylesheet_path(corpus)
    xslt = _xslt_digest(ctx, corpus, stylesheet)
    entities = json.dumps(entity_map(corpus), ensure_ascii=False)
    documents = documents_by_name(document_map(corpus))
    common = common_context(corpus, with_pdf, copy_static(corpus, out_dir))
    site_digest = _site_digest(ctx, corpus, with_pdf, common["custom_css"])
    config_digest = digest(dataclasses.asdict(config.edition), dataclasses.asdict(config.html))
    pages = {doc.id: f"documents/{page_name(doc)}.html" for doc in corpus.documents}

    # Which documents are published (the first of several with one id) and their fragments' keys.
    published, keys, todo, seen = [], {}, [], set()
    for doc in corpus.documents:
        if pages[doc.id] in seen:
            reporter.add(warning(doc.path, f"another document has the id '{doc.id}'; this one is not published",
                                 "html.duplicate-id", hint="give each document a unique TEI/@xml:id"))
            continue
        seen.add(pages[doc.id])
        published.append(doc)
        linked = json.dumps(linked_documents(records[doc.path]["links"], documents, doc.path.resolve().as_uri()),
                            ensure_ascii=False, sort_keys=True)
        inputs = {"file": ctx.hashes.file(doc.path), "xslt": xslt, "registers": digest(entities),
                  "documents": digest(linked)}
        keys[doc.id] = digest(ctx.tool, doc.id, *inputs.values())
        ctx.inputs(doc.path, **inputs, template=site_digest, config=config_digest)
        # The fragments are read only when a page is rendered again, but must survive the pruning of
        # this build: a later template or settings change renders every page from them.
        cache.keep("html", keys[doc.id], ".json")
        if cache.has_file("html-meta", keys[doc.id], ".json") is None:
            ctx.redo("html", doc.path, **inputs)
            todo.append((doc, fragment_params(entities, linked)))

    with ctx.progress.phase("html", len(published)) as advance:
        advance(len(published) - len(todo))
        tasks = [(str(doc.path), doc.id, str(stylesheet), params) for doc, params in todo]
        for doc, data in ctx.pool.run(worker.html_fragments, tasks, [doc for doc, _ in todo]):
            if "error" in data:
                raise EditionError(data["error"], hint=data["hint"])
            cache.put_json("html", keys[doc.id], data)  # the fragments first: meta marks the entry complete
            cache.put_json("html-meta", keys[doc.id], {"messages": data["messages"], "editorial": data["editorial"]})
            advance()

    editorial: OrderedDict[str, list] = OrderedDict()
    unknown: set[str] = set()
    page_keys = []
    documents_in_order = corpus.documents
    position = {id(doc): n for n, doc in enumerate(documents_in_order)}
    for doc in published:
        n = position[id(doc)]  # corpus.previous/next would search the list for each document
        previous = documents_in_order[n - 1] if n > 0 else None
        following = documents_in_order[n + 1] if n + 1 < len(documents_in_order) else None
        meta = cache.get_json("html-meta", keys[doc.id])
        for name, d in meta["messages"]:  # an unknown element is reported once, for the first document
            if name and name in unknown:
                continue
            unknown.add(name)
            reporter.add(Diagnostic.from_dict(d))
        if meta["editorial"].strip():
            editorial.setdefault(meta["editorial"], []).append((doc, pages[doc.id]))
        # The TEI source beside the page: a copy kept in the cache, hard-linked like the pages (a
        # link to the editor's own file would let an edit of the output change the source).
        tei_key = digest(ctx.hashes.file(doc.path), "published copy")
        tei = cache.has_file("tei", tei_key, ".xml")
        if tei is None:
            tei = cache.put_bytes("tei", tei_key, published_copy(doc.path.read_bytes()), ".xml")
        link_or_copy(tei, out_dir / f"tei/{page_name(doc)}.xml")
        neighbours = [(x.id, pages[x.id], x.info.date_display, x.info.short_title) if x else None
                      for x in (previous, following)]
        page_key = digest(keys[doc.id], site_digest, doc.info.as_dict(), pages[doc.id], neighbours)
        page_keys.append((pages[doc.id], page_key))
        cached = cache.has_file("page", page_key, ".html")
        if cached is None:
            data = cache.get_json("html", keys[doc.id])
            data.pop("messages", None)
            html = document_page(corpus, env, common, pages, doc, Fragments(**data), (previous, following))
            cached = cache.put_bytes("page", page_key, html.encode("utf-8"), ".html")
        link_or_copy(cached, out_dir / pages[doc.id])

    # Pagefind indexes only the document pages, so it starts now, while the other pages are written
    # (and the print edition is typeset): `finish` waits for it. A process per shard not cached, as
    # many at a time as there are jobs.
    bundles: list[tuple[Path, str, Path | None]] = []  # (bundle folder, key, cached tree)
    indexing = search.Shards(config.edition.language, at_once=ctx.pool.jobs)
    ctx.cleanup.append(indexing.cancel)
    if common["with_search"]:
        page_key_of = dict(page_keys)
        for number, shard in enumerate(search.shards([page for page, _ in page_keys])):
            bundle = out_dir / search.bundle_name(number)
            key = digest(ctx.tool, config.edition.language, [(page, page_key_of[page]) for page in shard])
            cached_index = cache.get_tree("search", key)
            bundles.append((bundle, key, cached_index))
            if cached_index is None:
                shard_site = out_dir.parent / f"search-{number + 1}"
                for page in shard:  # the shard's pages alone, at their places in the site
                    link_or_copy(out_dir / page, shard_site / page)
                indexing.add(shard_site, bundle)
    common["search_bundles"] = [bundle.name for bundle, _, _ in bundles[1:]]

    site_key = digest(site_digest, [(d.id, pages[d.id], d.info.as_dict()) for d in corpus.documents],
                      [(html, [d.id for d, _ in docs]) for html, docs in editorial.items()],
                      [(v.file, v.label) for v in common["volumes"]],
                      ctx.hashes.file(config.resolve(config.edition.introduction)) if config.edition.introduction else "",
                      common["search_bundles"])
    cached_site = cache.get_tree("site", site_key)
    if cached_site is None:
        rendered = out_dir.parent / "site"
        render_site(corpus, env, common, pages, editorial, rendered)
        cached_site = cache.put_tree("site", site_key, rendered)
        shutil.rmtree(rendered, ignore_errors=True)
    link_tree(cached_site, out_dir)

    # The guidelines take their content from the schemas and each element's example from the first
    # file that has it: their key names only those files, so a correction elsewhere leaves them alone.
    files = [d.path for d in corpus.documents] + [config.persons_path, config.places_path]
    suppliers = example_files({p: records[p]["elements"] for p in files if p in records})  # a missing register: none
    guidelines_key = digest(site_digest, [(str(p), ctx.hashes.file(p)) for p in suppliers],
                            [ctx.hashes.file(p) if p else "none" for p in (config.relaxng_path, config.schematron_path)])
    cached_guidelines = cache.has_file("guidelines", guidelines_key, ".html")
    if cached_guidelines is None:
        page = guidelines_page(corpus, env, common, files=suppliers)
        cached_guidelines = cache.put_bytes("guidelines", guidelines_key, page.encode("utf-8"), ".html")
    link_or_copy(cached_guidelines, out_dir / GUIDELINES)
    # (Counted without walking out_dir, where Pagefind may be writing.)
    ctx.result.pages = len(published) + 1 + sum(1 for _ in cached_site.rglob("*.html"))

    def finish() -> None:
        if len(indexing):
            with ctx.progress.phase("search", len(indexing)) as advance:
                indexing.wait(reporter, advance)
        for bundle, key, cached_index in bundles:
            if cached_index is not None:
                link_tree(cached_index, bundle)
            elif (bundle / "pagefind-entry.json").is_file():  # an index that failed is not kept
                cache.put_tree("search", key, bundle)

    return finish
