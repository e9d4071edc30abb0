"""The web edition: every page of the static site, written into a fresh folder.

    build_html(corpus, out_dir, reporter, with_pdf)

Documents go through html.xsl (or the project's stylesheet that imports it) once each; jinja2 wraps
the fragments into pages and renders the index pages; Pagefind indexes the document pages last.

Site layout (all links relative, so it also works opened from disk):
    index.html  documents/<id>.html  tei/<id>.xml  persons.html  persons/<id>.html  places.html
    places/<id>.html  timeline.html  principles.html  search.html  static/  pagefind/  pdf/ (by build.py)
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import OrderedDict
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.sax.saxutils import quoteattr

from lxml import etree
from markupsafe import Markup

from edition.corpus import Corpus
from edition.diagnostics import EditionError, Reporter, warning
from edition.documents import XML_PARSER
from edition.render import citation as cite
from edition.render import search, site, volumes
from edition.render.fragments import builtin_stylesheet, page_name, render_document, report_messages, stylesheet_params
from edition.resources import static_dir
from edition.xslt import engine

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


def copy_static(corpus: Corpus, out_dir: Path) -> bool:
    """The built-in CSS and JS, plus the edition's own CSS ([html] css) as static/custom.css."""
    shutil.copytree(static_dir(), out_dir / "static", dirs_exist_ok=True)
    css = corpus.config.html.css
    if not css:
        return False
    path = corpus.config.resolve(css)
    if not path.is_file():
        raise EditionError(f"{path}: the [html] css file does not exist", hint="fix 'html.css' in edition.toml")
    shutil.copyfile(path, out_dir / "static" / "custom.css")
    return True


def build_html(corpus: Corpus, out_dir: Path, reporter: Reporter, with_pdf: bool = False) -> None:
    out_dir = Path(out_dir)
    config = corpus.config
    env = site.environment(config)
    stylesheet = engine().stylesheet(stylesheet_path(corpus))
    params = stylesheet_params(corpus)
    with_search = config.html.search
    common = {"edition": config.edition, "with_search": with_search, "with_pdf": with_pdf,
              "custom_css": copy_static(corpus, out_dir), "volumes": volumes.plan(corpus)}

    pages = {doc.id: f"documents/{page_name(doc)}.html" for doc in corpus.documents}

    editorial: OrderedDict[str, list] = OrderedDict()
    unknown: set[str] = set()
    rendered = set()
    for doc in corpus.documents:
        page = pages[doc.id]
        if page in rendered:
            reporter.add(warning(doc.path, f"another document has the id '{doc.id}'; this one is not published",
                                 "html.duplicate-id", hint="give each document a unique TEI/@xml:id"))
            continue
        rendered.add(page)
        fragments = render_document(stylesheet, doc, params)
        report_messages(doc, fragments.messages, reporter, unknown)
        if fragments.editorial.strip():
            editorial.setdefault(fragments.editorial, []).append((doc, page))
        copy_tei(doc, out_dir)
        site.write(out_dir / page, document_page(corpus, env, common, pages, doc, fragments))

    render_site(corpus, env, common, pages, editorial, out_dir)
    site.write(out_dir / GUIDELINES, guidelines_page(corpus, env, common))
    if with_search:
        search.index(out_dir, config.edition.language, reporter)


def copy_tei(doc, out_dir: Path) -> None:
    """The document's TEI source, published beside its page."""
    (out_dir / "tei").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(doc.path, out_dir / f"tei/{page_name(doc)}.xml")


def document_page(corpus: Corpus, env, common: dict, pages: dict[str, str], doc, fragments,
                  neighbours: tuple | None = None) -> str:
    """A document's page: its fragments from html.xsl inside document.html. `neighbours`: the
    (previous, next) documents, when the caller knows them (else looked up in the corpus)."""
    config = corpus.config
    page = pages[doc.id]
    with_pdf = common["with_pdf"]
    tei_copy = f"tei/{page_name(doc)}.xml"
    citation = cite.citation(config, doc, page, fragments.source_citation)
    pdf = f"pdf/{doc.id}.pdf" if with_pdf else ""  # the name the print edition gives it
    if with_pdf and citation["url"]:
        citation["meta"].append(("citation_pdf_url", cite.page_url(config, pdf)))
    previous, following = neighbours or (corpus.previous(doc), corpus.next(doc))
    return env.get_template("document.html").render(
        **common, root="../", page=page, doc=doc, info=doc.info, registers=corpus.registers,
        meta=Markup(fragments.meta), text=Markup(fragments.text), notes=Markup(fragments.notes),
        citation=citation, tei_copy=tei_copy, pdf=pdf,
        previous=(previous, pages[previous.id]) if previous else None,
        next=(following, pages[following.id]) if following else None,
        has_choices=bool(re.search(r'class="choice (correction|regularisation|expansion)', fragments.text)))


GUIDELINES = "guidelines.html"


def guidelines_page(corpus: Corpus, env, common: dict, files: list[Path] | None = None) -> str:
    """The encoding guidelines (schemas' documentation, rules, examples from the documents) as a page.
    `files`: those that supply the examples, when known (else every document and register is read)."""
    from edition.guidelines import guidelines_html

    html = guidelines_html(corpus.config, corpus, level=2, files=files)
    return env.get_template("guidelines.html").render(**common, root="", page=GUIDELINES, guidelines=Markup(html))


def render_site(corpus: Corpus, env, common: dict, pages: dict[str, str], editorial, out_dir: Path) -> None:
    registers = corpus.registers
    found = site.appearances(corpus, pages)

    def page(template: str, target: str, root: str, **context) -> None:
        site.write(out_dir / target, env.get_template(template).render(**common, root=root, page=target, **context))

    page("index.html", "index.html", "", documents=corpus.documents, pages=pages, registers=registers,
         introduction=site.introduction_html(corpus))
    for kind, table, folder in (("persons", registers.persons, "persons"), ("places", registers.places, "places")):
        page(f"{kind}.html", f"{kind}.html", "", groups=site.alphabetical(table), found=found)
        for entity in table.values():
            page(f"{kind[:-1]}.html", f"{folder}/{entity.id}.html", "../", entity=entity,
                 appearances=found.get(entity.id, []))
    bars, by_month = site.timeline(corpus)
    page("timeline.html", "timeline.html", "", bars=bars, by_month=by_month, pages=pages, registers=registers)
    page("principles.html", "principles.html", "", sections=[(Markup(html), docs) for html, docs in editorial.items()],
         total=len(corpus.documents))
    if common["with_search"]:
        page("search.html", "search.html", "")
