"""The web edition: every page of the static site, written into a fresh folder.

The pages of the web edition, which render/html_builder.py (the build) writes: the stylesheet
to run, a document's page around its fragments from html.xsl, the index pages, the guidelines.
`render_page` renders one document's page by the same steps, outside a build (`render_fragments`:
only what html.xsl makes of it).

Site layout (all links relative, so it also works opened from disk):
    index.html  documents/<id>.html  tei/<id>.xml  persons.html  persons/<id>.html  places.html
    places/<id>.html  timeline.html  principles.html  search.html  static/  pagefind/  pdf/ (by build.py)
"""

from __future__ import annotations

import hashlib
from collections import Counter
from functools import lru_cache
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.sax.saxutils import quoteattr

from lxml import etree
from markupsafe import Markup

from edition.background import Writes
from edition.cache import Cache, digest, link_tree, tool_version
from edition.corpus import Corpus
from edition.diagnostics import Diagnostic, EditionError, Reporter, warning
from edition.documents import XML_PARSER
from edition.registers import pointer_map
from edition.render import citation as cite
from edition.render import pdf_registers, site, volumes, webfont
from edition.render.fragments import Fragments, builtin_stylesheet, document_map, page_name
from edition.resources import static_dir
from edition.xslt import JsonParameter

XSL = "http://www.w3.org/1999/XSL/Transform"


def stylesheet_path(corpus: Corpus) -> Path:
    """The stylesheet to run: the built-in html.xsl, or the project's ([html] stylesheet).

    A project stylesheet may import the built-in one itself (by its absolute URI) and use
    xsl:apply-imports; or it may hold only its own templates, in which case a small wrapper imports
    the built-in stylesheet first and the project's second, so that the project's templates win and
    reach the built-in ones with xsl:next-match.
    """
    custom = corpus.config.html.stylesheet
    if not custom:
        return builtin_stylesheet()
    path = corpus.config.resolve(custom)
    if not path.is_file():
        raise EditionError(f"{path}: the [html] stylesheet does not exist",
                           hint="fix 'html.stylesheet' in edition.toml")
    if imports_builtin(path):
        return path
    return wrapper_stylesheet(corpus.config.root / ".edition-cache", path)


def imports_builtin(path: Path) -> bool:
    """Does the project stylesheet xsl:import the built-in html.xsl itself?"""
    try:
        tree = etree.parse(str(path), XML_PARSER)
    except etree.XMLSyntaxError:
        return True  # let Saxon report the error against the project's own file
    builtin = builtin_stylesheet().resolve()
    for href in tree.xpath("/*/xsl:import/@href", namespaces={"xsl": XSL}):
        target = urljoin(path.resolve().as_uri(), href)
        if target.startswith("file:") and Path(unquote(urlsplit(target).path)).resolve() == builtin:
            return True
    return False


def wrapper_stylesheet(folder: Path, project: Path) -> Path:
    """A stylesheet importing the built-in html.xsl, then the project's (named by the project's
    content, so that a changed project stylesheet is compiled afresh)."""
    digest = hashlib.sha256(project.read_bytes() + str(project.resolve()).encode()).hexdigest()[:16]
    wrapper = folder / f"html-{digest}.xsl"
    if not wrapper.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        wrapper.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            "<!-- Written by edition: the built-in stylesheet, then the project's, whose templates win. -->\n"
            f'<xsl:stylesheet version="3.0" xmlns:xsl="{XSL}">\n'
            f"  <xsl:import href={quoteattr(builtin_stylesheet().resolve().as_uri())}/>\n"
            f"  <xsl:import href={quoteattr(project.resolve().as_uri())}/>\n"
            "</xsl:stylesheet>\n", encoding="utf-8")
    return wrapper


def custom_css(corpus: Corpus) -> Path | None:
    """The edition's own CSS ([html] css), if it has one; an error if it names no file."""
    css = corpus.config.html.css
    if not css:
        return None
    path = corpus.config.resolve(css)
    if not path.is_file():
        raise EditionError(f"{path}: the [html] css file does not exist", hint="fix 'html.css' in edition.toml")
    return path


def _fonts(folder: Path, cache: Cache | None) -> bool:
    """The site's fonts into `folder`: from the cache, by the typst package's version (tool_version)."""
    if cache is None:
        return webfont.copy_fonts(folder)
    key = digest(tool_version(), "webfont")
    cached = cache.get_tree("webfont", key)
    if cached is None:
        extracted = folder.parent / ".fonts-extracted"
        if not webfont.copy_fonts(extracted):
            return False
        cached = cache.move_tree("webfont", key, extracted)
    link_tree(cached, folder)
    return True


def leaflet_dir() -> Path:
    """Leaflet (the facsimile viewer), as the PyPI package xstatic-leaflet installs it."""
    import xstatic.pkg.leaflet

    return Path(xstatic.pkg.leaflet.BASE_DIR)


def copy_static(corpus: Corpus, out_dir: Path, leaflet: bool = False, reporter: Reporter | None = None,
                cache: Cache | None = None) -> bool:
    """The built-in CSS and JS, the book's font (static/fonts/, with its licence), plus the edition's
    own CSS ([html] css) as static/custom.css; with `leaflet` (documents with page images), Leaflet's
    script, stylesheet and images, copied from its package at each build (never kept in the
    repository, never loaded from a CDN). `cache`: where the fonts are kept once taken out of the
    typst package (reading it takes a tenth of a second)."""
    shutil.copytree(static_dir(), out_dir / "static", dirs_exist_ok=True)
    if not _fonts(out_dir / "static" / "fonts", cache) and reporter is not None:
        reporter.add(warning(corpus.config.path or "edition.toml", "the typst package holds no Libertinus Serif: "
                             "the site uses the system's serif fonts", "html.webfont",
                             hint="install the typst version pyproject.toml names"))
    if leaflet:
        source = leaflet_dir()
        target = out_dir / "static" / "leaflet"
        target.mkdir(parents=True, exist_ok=True)
        for name in ("leaflet.js", "leaflet.css"):
            shutil.copyfile(source / name, target / name)
        shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)
    path = custom_css(corpus)
    if path is not None:
        shutil.copyfile(path, out_dir / "static" / "custom.css")
    return path is not None


def common_context(corpus: Corpus, with_pdf: bool, custom_css: bool) -> dict:
    """What every page's template is given."""
    config = corpus.config
    # Documents are numbered in date order, as the print edition numbers them ("No. 1").
    return {"edition": config.edition, "with_search": config.html.search, "with_pdf": with_pdf,
            "custom_css": custom_css, "volumes": volumes.plan(corpus),
            "numbers": {doc.id: n for n, doc in enumerate(corpus.documents, start=1)}}


def fragment_params(entities: str, linked: str) -> dict[str, str]:
    """html.xsl's parameters: the registers' pointer map and the documents it may link to (JSON)."""
    return {"root": "../", "entities": _json_parameter(entities), "documents": linked}


@lru_cache(maxsize=4)
def _json_parameter(text: str) -> JsonParameter:
    """One JsonParameter per text: the build's plan keeps the parameters of every document to redo,
    all with the same pointer map, and each JsonParameter(text) is a copy of it (~50 KB for the
    generated registers: 1 GB of the build's memory at 10,000 documents)."""
    return JsonParameter(text)


def render_fragments(corpus: Corpus, doc, reporter: Reporter) -> Fragments:
    """Document `doc`'s fragments by the build's own step (the worker's html.xsl), its stylesheet's
    messages reported. The corpus gives the registers and the documents it may link to."""
    from edition.render import worker

    params = fragment_params(json.dumps(pointer_map(corpus.config, corpus.registers), ensure_ascii=False),
                             json.dumps(document_map(corpus), ensure_ascii=False, sort_keys=True))
    data = worker.html_fragments(str(doc.path), doc.id, str(stylesheet_path(corpus)), params)
    if "error" in data:
        raise EditionError(data["error"], hint=data["hint"])
    reporter.extend(Diagnostic.from_dict(d) for _, d in data.pop("messages"))
    return Fragments(**data)


def render_page(corpus: Corpus, doc, reporter: Reporter) -> tuple[str, Fragments]:
    """Document `doc` as its page, by the build's own steps (`render_fragments`, document.html): for
    what the build would not publish (a document that does not validate), for checks."""
    pages = {d.id: f"documents/{page_name(d)}.html" for d in corpus.documents}
    fragments = render_fragments(corpus, doc, reporter)
    common = common_context(corpus, with_pdf=False, custom_css=custom_css(corpus) is not None)
    return document_page(corpus, site.environment(corpus.config), common, pages, doc, fragments), fragments


def citation_files(corpus: Corpus, common: dict, pages: dict[str, str], doc, fragments) -> dict[str, str]:
    """The document's citation as the files its page offers for download: ".bib" and ".json" (CSL-JSON)."""
    citation = cite.citation(corpus.config, doc, pages[doc.id], fragments.source_citation, common["numbers"].get(doc.id))
    return {".bib": citation["bibtex"] + "\n", ".json": citation["csl_json"] + "\n"}


def document_page(corpus: Corpus, env, common: dict, pages: dict[str, str], doc, fragments,
                  neighbours: tuple | None = None, facsimiles: list[dict] | None = None) -> str:
    """A document's page: its fragments from html.xsl inside document.html. `neighbours`: the
    (previous, next) documents, when the caller knows them (else looked up in the corpus);
    `facsimiles`: its page images (FacsimileBuilder.viewer), shown beside the text."""
    config = corpus.config
    page = pages[doc.id]
    with_pdf = common["with_pdf"]
    tei_copy = f"tei/{page_name(doc)}.xml"
    number = common["numbers"].get(doc.id)
    citation = cite.citation(config, doc, page, fragments.source_citation, number)
    pdf = f"pdf/{doc.id}.pdf" if with_pdf else ""  # the name the print edition gives it
    if with_pdf and citation["url"]:
        citation["meta"].append(("citation_pdf_url", cite.page_url(config, pdf)))
    previous, following = neighbours or (corpus.previous(doc), corpus.next(doc))
    return env.get_template("document.html").render(
        **common, root="../", page=page, doc=doc, info=doc.info, registers=corpus.registers, number=number,
        downloads={suffix: page.replace(".html", suffix) for suffix in (".bib", ".json")},
        meta=Markup(fragments.meta), text=Markup(fragments.text), notes=Markup(fragments.notes),
        citation=citation, tei_copy=tei_copy, pdf=pdf,
        previous=(previous, pages[previous.id]) if previous else None,
        next=(following, pages[following.id]) if following else None,
        has_choices=bool(re.search(r'class="choice (correction|regularisation|expansion)', fragments.text)),
        facsimiles=facsimiles or [], iiif_manifest=(facsimiles or [{}])[0].get("manifest", ""),
        facsimiles_json=Markup(json.dumps(facsimiles or [], ensure_ascii=True).replace("<", "\\u003c")))


GUIDELINES = "guidelines.html"


def guidelines_page(corpus: Corpus, env, common: dict, files: list[Path] | None = None,
                    rendered: dict[str, str] | None = None) -> str:
    """The encoding guidelines (schemas' documentation, rules, examples from the documents) as a page.
    `files`: those that supply the examples, when known (else every document and register is read);
    `rendered`: the parts rendered before (edition.guidelines.guidelines_html)."""
    from edition.guidelines import guidelines_html

    html = guidelines_html(corpus.config, corpus, level=1, files=files, rendered=rendered)
    return env.get_template("guidelines.html").render(**common, root="", page=GUIDELINES, guidelines=Markup(html))


def render_site(corpus: Corpus, env, common: dict, pages: dict[str, str], editorial, out_dir: Path,
                writes: Writes | None = None) -> None:
    """The index pages into `out_dir` (a new folder); `writes`: the threads that write the files, as
    the next page is rendered (else written here)."""
    registers = corpus.registers
    found = site.appearances(corpus, pages)

    def page(template: str, target: str, root: str, **context) -> None:
        text = env.get_template(template).render(**common, root=root, page=target, **context)
        if writes is None:
            site.write(out_dir / target, text)
        else:
            writes.submit(site.write, out_dir / target, text)

    page("index.html", "index.html", "", documents=corpus.documents, pages=pages, registers=registers,
         introduction=site.introduction_html(corpus))
    for kind, table, folder in (("persons", registers.persons, "persons"), ("places", registers.places, "places")):
        # the index lists only the entries that occur in the documents' text; every entry keeps its page
        # (a document's header may link to it: the place where it was written)
        mentioned = {k: e for k, e in table.items() if found.get(k)}
        page(f"{kind}.html", f"{kind}.html", "", groups=site.alphabetical(mentioned), found=found,
             headings={k: pdf_registers.heading(e) for k, e in table.items()},
             identifications={k: pdf_registers.identification(e) for k, e in table.items()})
        for entity in table.values():
            page(f"{kind[:-1]}.html", f"{folder}/{entity.id}.html", "../", entity=entity,
                 appearances=found.get(entity.id, []))
    bars, by_month = site.timeline(corpus)
    page("timeline.html", "timeline.html", "", bars=bars, by_month=by_month, width=site.chart_width(len(bars)),
         pages=pages, registers=registers)
    dated = [d for d in corpus.documents if d.info.date]
    repositories = Counter(d.info.source.get("repository", "") for d in corpus.documents if d.info.source)
    page("principles.html", "principles.html", "", sections=[(Markup(html), docs) for html, docs in editorial.items()],
         repositories=sorted(((r, n) for r, n in repositories.items() if r), key=lambda x: (-x[1], x[0])),
         first=dated[0] if dated else None, last=dated[-1] if dated else None, has_choices=True,
         total=len(corpus.documents))
    if common["with_search"]:
        page("search.html", "search.html", "")
