"""The web edition's builder: every page of the static site, from cached parts where their inputs
are unchanged.

    fragments  per document, key: the document's bytes, every file of the stylesheets, the register
               entries' names and links, the pages of the documents it links to
    page       per document, key: its fragments, the templates, [edition]/[html] settings, the
               registers, its header and its neighbours' (previous/next links)
    site       the index pages (home, persons, places, timeline, principles), key: every document's
               header, the templates, settings and registers
    search     the Pagefind index, key: the content of the document pages

Phases, as build.py calls them: `plan` (which documents are published, every key: hashing only),
`make` (the missing fragments, which the workers write into the cache), `write` (the pages,
hard-linked from the cache or rendered; Pagefind started on the document pages), `finish` (waits
for Pagefind). Each fragment is read back when its page is rendered, so memory does not grow with
the number of documents.
"""

from __future__ import annotations

import dataclasses
import json
from collections import OrderedDict
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote

from edition.background import Writes, read_ahead
from edition.cache import digest, link_or_copy, link_tree
from edition.corpus import Corpus
from edition.diagnostics import Diagnostic, EditionError, Reporter, display_path, warning
from edition.documents import published_copy
from edition.guidelines import example_files
from edition.progress import Progress
from edition.registers import pointer_map
from edition.render import search, site, worker
from edition.render.fragments import Fragments, document_map, page_name
from edition.render.html import (GUIDELINES, citation_files, common_context, copy_static, custom_css, document_page,
                                  fragment_params, guidelines_page, leaflet_dir, render_site, stylesheet_path)
from edition.render.pool import Pool
from edition.resources import templates_dir, xslt_path
from edition.state import BuildState

# The inputs of a document's fragments, with what `-v` says when one of them changed.
INPUTS = {"file": "changed", "xslt": "stylesheet changed", "registers": "registers changed",
          "documents": "documents added or removed"}


def linked_documents(names: list[str], by_name: dict[str, dict[str, str]], own_uri: str) -> dict[str, str]:
    """The entries of the documents map this document can reach: those of the files it names.

    html.xsl looks a pointer up by the absolute URI it resolves to, and a pointer names its file, so
    passing only these gives the same output, while a new document elsewhere leaves this one's key
    alone. `names`: the *.xml file names in the document's attributes (the gather phase found them);
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


def _now(function, *args) -> None:
    """Writes.submit's counterpart for work not worth a thread: done at once."""
    function(*args)


@dataclasses.dataclass
class Shard:
    """A bundle of the search index: its folder in the site, its key, its cached copy if any."""
    bundle: Path
    key: str
    cached: Path | None


class HtmlBuilder:
    name = "html"

    def __init__(self, state: BuildState, corpus: Corpus, records: dict, out_dir: Path, *, pool: Pool,
                 reporter: Reporter, progress: Progress, with_pdf: bool, facsimiles=None, printing=None) -> None:
        """`facsimiles`: the FacsimileBuilder, when documents have page images (their viewer);
        `printing`: the PdfBuilder of this build, if any (its volumes are typeset beside the search index)."""
        self.state, self.corpus, self.records, self.out_dir = state, corpus, records, Path(out_dir)
        self.facsimiles, self.printing = facsimiles, printing
        self.pool, self.reporter, self.progress, self.with_pdf = pool, reporter, progress, with_pdf
        self.pages_written = 0
        self.shards: list[Shard] = []
        self.indexing = search.Shards(corpus.config.edition.language, at_once=pool.jobs)

    def cancel(self) -> None:
        """Stop what runs in the background (a failed build)."""
        self.indexing.cancel()

    # ----------------------------------------------------------------------------------- plan

    def _xslt_digest(self) -> str:
        hashes, config = self.state.hashes, self.corpus.config
        parts = [hashes.folder(xslt_path("html.xsl").parent), hashes.file(self.stylesheet)]
        if config.html.stylesheet:
            parts.append(hashes.file(config.resolve(config.html.stylesheet)))
        return digest(*parts)

    def _site_digest(self, custom: bool) -> str:
        hashes, config = self.state.hashes, self.corpus.config
        templates = [hashes.folder(templates_dir())]
        if config.html.templates:
            templates.append(hashes.folder(config.resolve(config.html.templates)))
        return digest(self.state.tool, templates, dataclasses.asdict(config.edition), dataclasses.asdict(config.html),
                      hashes.file(config.persons_path), hashes.file(config.places_path), self.with_pdf, custom)

    def plan(self) -> None:
        """Which documents are published (the first of several with one id), each one's keys, and
        which fragments are missing."""
        state, corpus, config = self.state, self.corpus, self.corpus.config
        self.env = site.environment(config)
        self.stylesheet = stylesheet_path(corpus)
        xslt = self._xslt_digest()
        self.entities = json.dumps(pointer_map(corpus.config, corpus.registers), ensure_ascii=False)
        documents = documents_by_name(document_map(corpus))
        self.common = common_context(corpus, self.with_pdf, custom_css(corpus) is not None)
        self.site_digest = self._site_digest(self.common["custom_css"])
        config_digest = digest(dataclasses.asdict(config.edition), dataclasses.asdict(config.html))
        self.pages = {doc.id: f"documents/{page_name(doc)}.html" for doc in corpus.documents}
        registers = digest(self.entities)
        self.published, self.keys, self.todo = [], {}, []
        seen = set()
        for doc in corpus.documents:
            if self.pages[doc.id] in seen:
                self.reporter.add(warning(doc.path, f"another document has the id '{doc.id}'; this one is not "
                                          "published", "html.duplicate-id", hint="give each document a unique TEI/@xml:id"))
                continue
            seen.add(self.pages[doc.id])
            self.published.append(doc)
            linked = json.dumps(linked_documents(self.records[doc.path]["links"], documents, doc.uri),
                                ensure_ascii=False, sort_keys=True)
            inputs = {"file": state.hashes.file(doc.path), "xslt": xslt, "registers": registers,
                      "documents": digest(linked)}
            self.keys[doc.id] = digest(state.tool, doc.id, *inputs.values())
            state.inputs(doc.path, **inputs, template=self.site_digest, config=config_digest)
            # The fragments are read only when a page is rendered again, but must survive the pruning of
            # this build: a later template or settings change renders every page from them.
            state.cache.keep("html", self.keys[doc.id], ".json")
            if state.cache.has_file("html-meta", self.keys[doc.id], ".json") is None:
                reason = state.redo("html", doc.path, INPUTS, **inputs)
                if self.progress.verbose:  # (display_path resolves the path)
                    self.progress.note(f"html: {display_path(doc.path)}: {reason}")
                self.todo.append((doc, {**fragment_params(self.entities, linked), **worker.shown(doc.info)}))

    # ----------------------------------------------------------------------------------- make

    def make(self) -> None:
        """The missing fragments, from the workers, into the cache."""
        cache = self.state.cache
        with self.progress.phase("html", len(self.published)) as advance:
            advance(len(self.published) - len(self.todo))
            tasks = [(str(doc.path), doc.id, str(self.stylesheet), params,
                      [str(cache.path(kind, self.keys[doc.id], ".json")) for kind in ("html", "html-meta")])
                     for doc, params in self.todo]
            for doc, data in self.pool.run(worker.html_fragments, tasks, [doc for doc, _ in self.todo]):
                if "error" in data:
                    raise EditionError(data["error"], hint=data["hint"])
                # (the worker wrote the entries; write() reads the meta back, as for a cached document,
                # so that memory does not grow with the number of documents)
                advance()

    # ----------------------------------------------------------------------------------- write

    def write(self) -> None:
        """Every page into the output folder; Pagefind started on the document pages."""
        copy_static(self.corpus, self.out_dir, leaflet=self.facsimiles is not None, reporter=self.reporter,
                    cache=self.state.cache)
        editorial, page_keys = self._document_pages()
        self.state.cache.let_go("html-meta")
        self._start_search(page_keys)
        cached_site = self._site(editorial)
        self._guidelines()
        # (Counted without walking out_dir, where Pagefind may be writing.)
        self.pages_written = len(self.published) + 1 + sum(1 for _ in cached_site.rglob("*.html"))

    def _document_pages(self) -> tuple[OrderedDict, list[tuple[str, str]]]:
        corpus, pages, numbers = self.corpus, self.pages, self.common["numbers"]
        editorial: OrderedDict[str, list] = OrderedDict()
        unknown: set[str] = set()
        page_keys = []
        in_order = corpus.documents
        position = {id(doc): n for n, doc in enumerate(in_order)}
        planned = []
        for doc in self.published:
            n = position[id(doc)]  # corpus.previous/next would search the list for each document
            previous = in_order[n - 1] if n > 0 else None
            following = in_order[n + 1] if n + 1 < len(in_order) else None
            neighbours = [(x.id, pages[x.id], x.info.date_display, x.info.short_title, numbers[x.id]) if x else None
                          for x in (previous, following)]
            viewer = self.facsimiles.viewer(doc) if self.facsimiles is not None else []
            page_key = digest(self.keys[doc.id], self.site_digest, doc.info.key, pages[doc.id], neighbours,
                              viewer, self.state.hashes.folder(leaflet_dir()) if viewer else "", numbers[doc.id])
            page_keys.append((pages[doc.id], page_key))
            planned.append((doc, (previous, following), viewer, page_key))
        with Writes() as writes:  # the files of a page written while the next one is rendered
            for (doc, neighbours, viewer, page_key), (meta, tei, fragments) in zip(planned, read_ahead(self._read, planned)):
                for name, d in meta["messages"]:  # an unknown element is reported once, for the first document
                    if name and name in unknown:
                        continue
                    unknown.add(name)
                    self.reporter.add(Diagnostic.from_dict(d))
                if meta["editorial"].strip():
                    editorial.setdefault(meta["editorial"], []).append((doc, pages[doc.id]))
                # Page and TEI copy both cached: only links to make, made here (at 10,000 documents
                # handing them to the threads took 3 s more than making them: they wait for the GIL)
                put = writes.submit if fragments is not None or not tei[1] else _now
                put(self._put_tei, doc.path, tei, f"{self.out_dir}/tei/{page_name(doc)}.xml")
                files = {}
                if fragments is not None:  # the page is not cached
                    html = document_page(corpus, self.env, self.common, pages, doc, fragments, neighbours,
                                         facsimiles=viewer)
                    # the citation's downloads beside the page (documents/<name>.bib, .json), from the same data
                    files = {suffix: text.encode("utf-8") for suffix, text in
                             citation_files(corpus, self.common, pages, doc, fragments).items()}
                    files[".html"] = html.encode("utf-8")  # last: the .html marks the page's entry complete
                put(self._put_page, page_key, files, pages[doc.id])
        return editorial, page_keys

    def _read(self, planned: tuple) -> tuple[dict, tuple[str, bool], Fragments | None]:
        """(In a reader thread.) A document's cached parts: the meta of its fragments; the key of its
        TEI copy and whether that is cached; its fragments if its page is not cached (else None)."""
        doc, _, _, page_key = planned
        cache = self.state.cache
        meta = cache.get_json("html-meta", self.keys[doc.id])
        # The TEI source beside the page: a copy kept in the cache, hard-linked like the pages (a
        # link to the editor's own file would let an edit of the output change the source).
        tei_key = digest(self.state.hashes.file(doc.path), "published copy")
        tei = (tei_key, cache.has_file("tei", tei_key, ".xml") is not None)
        if cache.has_file("page", page_key, ".html") is not None:
            return meta, tei, None
        data = cache.get_json("html", self.keys[doc.id])
        data.pop("messages", None)
        return meta, tei, Fragments(**data)

    def _put_tei(self, source: Path, tei: tuple[str, bool], target: str) -> None:
        """(In a writer thread.) The document's published copy into the cache unless there (`tei`:
        its key, whether cached), linked into the site."""
        key, cached = tei
        if not cached:
            self.state.cache.put_bytes("tei", key, published_copy(source.read_bytes()), ".xml")
        link_or_copy(self.state.cache.name("tei", key, ".xml"), target)

    def _put_page(self, key: str, files: dict[str, bytes], page: str) -> None:
        """(In a writer thread.) The page's files into the cache (`files`: those not cached yet), then
        linked into the site."""
        cache = self.state.cache
        for suffix, data in files.items():
            cache.put_bytes("page", key, data, suffix)
        cached, target = cache.name("page", key), f"{self.out_dir}/{page[:-len('.html')]}"  # (str: 30,000 of them)
        for suffix in (".html", ".bib", ".json"):
            link_or_copy(cached + suffix, target + suffix)

    def _start_search(self, page_keys: list[tuple[str, str]]) -> None:
        """Pagefind indexes only the document pages, so it starts now, while the other pages are
        written (and the print edition is typeset): `finish` waits for it. A process per shard not
        cached, as many at a time as there are jobs, or one while volumes are typeset (a process per
        job already: at 10,000 documents two shards' Pagefind, ~180 MB each, beside two volumes and
        the build's own process made the peak of memory). When more volumes are to be typeset than
        run at once (a build from scratch), none until the last of them are running: one Pagefind
        beside two volumes (250 MB each) was still the peak, 1,001 MB at 10,000 documents; the cores
        are busy with the volumes meanwhile anyway."""
        if self.printing is not None and self.printing.books:
            self.indexing.at_once = 1
            if len(self.printing.books) > self.pool.jobs:
                self.indexing.held = True
                self.printing.when_nearly_done(self.indexing.release)
        if self.common["with_search"]:
            state, config = self.state, self.corpus.config
            page_key_of = dict(page_keys)
            for number, shard in enumerate(search.shards([page for page, _ in page_keys])):
                bundle = self.out_dir / search.bundle_name(number)
                key = digest(state.tool, config.edition.language, [(page, page_key_of[page]) for page in shard])
                cached_index = state.cache.get_tree("search", key)
                self.shards.append(Shard(bundle, key, cached_index))
                if cached_index is None:
                    shard_site = self.out_dir.parent / f"search-{number + 1}"
                    for page in shard:  # the shard's pages alone, at their places in the site
                        link_or_copy(self.out_dir / page, shard_site / page)
                    self.indexing.add(shard_site, bundle)
        self.common["search_bundles"] = [shard.bundle.name for shard in self.shards[1:]]

    def _site(self, editorial: OrderedDict) -> Path:
        state, corpus, config, common = self.state, self.corpus, self.corpus.config, self.common
        introduction = config.edition.introduction
        site_key = digest(self.site_digest,
                          [(d.id, self.pages[d.id], d.info.key) for d in corpus.documents],
                          [(html, [d.id for d, _ in docs]) for html, docs in editorial.items()],
                          [(v.file, v.label) for v in common["volumes"]],
                          state.hashes.file(config.resolve(introduction)) if introduction else "",
                          common["search_bundles"])
        cached_site = state.cache.get_tree("site", site_key)
        if cached_site is None:
            rendered = self.out_dir.parent / "site"
            with Writes() as writes:
                render_site(corpus, self.env, common, self.pages, editorial, rendered, writes)
            cached_site = state.cache.move_tree("site", site_key, rendered)
        link_tree(cached_site, self.out_dir)
        return cached_site

    def _guidelines(self) -> None:
        """The guidelines take their content from the schemas and each element's example from the
        first file that has it: their key names only those files, so a correction elsewhere leaves
        them alone."""
        state, config = self.state, self.corpus.config
        files = [d.path for d in self.corpus.documents] + [config.persons_path, config.places_path]
        suppliers = example_files({p: self.records[p]["elements"] for p in files if p in self.records})
        guidelines_key = digest(self.site_digest, [(str(p), state.hashes.file(p)) for p in suppliers],
                                [state.hashes.file(p) if p else "none" for p in (config.relaxng_path, config.schematron_path)])
        cached = state.cache.has_file("guidelines", guidelines_key, ".html")
        if cached is None:
            # The parts of the last page rendered are kept: most are the same (only the parts of the
            # elements whose example changed are not). Keyed by the renderer's version.
            parts_key = digest(state.tool, metadata.version("markdown-it-py"))
            rendered = state.cache.get_json("guidelines-parts", parts_key) or {}
            page = guidelines_page(self.corpus, self.env, self.common, files=suppliers, rendered=rendered)
            state.cache.put_json("guidelines-parts", parts_key, rendered)
            cached = state.cache.put_bytes("guidelines", guidelines_key, page.encode("utf-8"), ".html")
        link_or_copy(cached, self.out_dir / GUIDELINES)

    # ----------------------------------------------------------------------------------- finish

    def finish(self) -> None:
        """Wait for the search index; keep the new shards in the cache, link the cached ones."""
        if len(self.indexing):
            self.indexing.release(self.pool.jobs)  # (the volumes are done: a process per job again)
            with self.progress.phase("search", len(self.indexing)) as advance:
                self.indexing.wait(self.reporter, advance)
        for shard in self.shards:
            if shard.cached is not None:
                link_tree(shard.cached, shard.bundle)
            elif (shard.bundle / "pagefind-entry.json").is_file():  # an index that failed is not kept
                self.state.cache.put_tree("search", shard.key, shard.bundle)

