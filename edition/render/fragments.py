"""One TEI document through html.xsl: the HTML fragments of its page, and the stylesheet's diagnostics.

The stylesheet writes one XML tree (`<edition-document>` with `meta`, `text`, `notes`, `editorial`);
each part is serialised here as HTML (so that an empty `<a id="x"/>` becomes `<a id="x"></a>`, which a
browser reads correctly). The fragments reach the page through jinja2 as `Markup` only after a last
safety pass: the stylesheet never copies markup or attributes from the document, but a project's own
stylesheet might, so event-handler attributes, scripts and non-http(s) links are removed here too.
"""

from __future__ import annotations

import re
from html import escape
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.corpus import Corpus, Document
from edition.corpus import page_name as corpus_page_name
from edition.diagnostics import EditionError
from edition.xslt import Stylesheet

SAFE_URL = re.compile(r"^(https?:|mailto:|#|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
FORBIDDEN_ELEMENTS = {"script", "style", "iframe", "object", "embed", "form", "input", "button", "link", "meta",
                      "base", "frame", "frameset", "svg", "math", "template"}
XHTML = "{http://www.w3.org/1999/xhtml}"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data"}


@dataclass
class Fragments:
    meta: str = ""
    text: str = ""
    notes: str = ""
    editorial: str = ""
    source_citation: str = ""  # the metadata block's archival citation, as plain text
    messages: list[str] = field(default_factory=list)


def page_name(doc: Document) -> str:
    """The file name of a document's page and of its TEI copy (without extension)."""
    return corpus_page_name(doc.id)


def document_map(corpus: Corpus) -> dict[str, str]:
    return {doc.path.resolve().as_uri(): f"documents/{page_name(doc)}.html" for doc in corpus.documents}


def sanitise(element: etree._Element) -> None:
    """Remove whatever could run code: forbidden elements (text kept), on* attributes, unsafe URLs."""
    for el in list(element.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag.startswith(XHTML):  # a project stylesheet may write XHTML-namespaced elements
            el.tag = el.tag[len(XHTML):]
        if el.tag.lower() in FORBIDDEN_ELEMENTS or el.tag.startswith("{"):
            el.tag = "span"
            el.attrib.clear()
            el.set("class", "removed")
            continue
        for name in list(el.attrib):
            value = el.get(name, "")
            if name.lower().startswith("on") or name.lower() == "srcdoc":
                del el.attrib[name]
            elif name.lower() in URL_ATTRIBUTES and not SAFE_URL.match(re.sub(r"[\x00-\x20]", "", value)):
                del el.attrib[name]
            elif name.lower() == "style" and re.search(r"url\(|expression|@import", value, re.I):
                del el.attrib[name]


def safe_html(element: etree._Element | None) -> str:
    if element is None:
        return ""
    sanitise(element)
    etree.cleanup_namespaces(element)
    head = element.text or ""
    return escape(head, quote=False) + "".join(etree.tostring(child, method="html", encoding="unicode")
                                               for child in element)


def render_document(stylesheet: Stylesheet, doc: Document, params: dict[str, str]) -> Fragments:
    result = stylesheet.transform(doc.xml_text, base_uri=doc.uri, **params)
    try:
        tree = etree.fromstring(result.output.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise EditionError(f"{stylesheet.path.name}: its output for {doc.path.name} is not well-formed: {exc}") from None
    parts = {child.tag: child for child in tree}
    source = tree.find("meta//dd[@class='source']")
    return Fragments(
        meta=safe_html(parts.get("meta")),
        text=safe_html(parts.get("text")),
        notes=safe_html(parts.get("notes")),
        editorial=safe_html(parts.get("editorial")),
        source_citation=" ".join("".join(source.itertext()).split()) if source is not None else "",
        messages=result.messages,
    )


def builtin_stylesheet() -> Path:
    from edition.resources import xslt_path

    return xslt_path("html.xsl")
