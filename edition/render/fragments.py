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
    return {doc.uri: f"documents/{page_name(doc)}.html" for doc in corpus.documents}


CONTROLS = re.compile(r"[\x00-\x20]")
STYLE_CODE = re.compile(r"url\(|expression|@import", re.I)


def sanitise(element: etree._Element) -> None:
    """Remove whatever could run code: forbidden elements (text kept), on* attributes, unsafe URLs.
    (Each name lowered once, the patterns compiled once: this pass took a quarter of the time of
    html.xsl itself.)"""
    for el in list(element.iter(etree.Element)):
        tag = el.tag
        if tag.startswith(XHTML):  # a project stylesheet may write XHTML-namespaced elements
            tag = el.tag = tag[len(XHTML):]
        if tag.startswith("{") or tag.lower() in FORBIDDEN_ELEMENTS:
            el.tag = "span"
            el.attrib.clear()
            el.set("class", "removed")
            continue
        attributes = el.attrib
        if not attributes:
            continue
        for name, value in list(attributes.items()):
            lower = name.lower()
            if lower.startswith("on") or lower == "srcdoc":
                del attributes[name]
            elif lower in URL_ATTRIBUTES and not SAFE_URL.match(CONTROLS.sub("", value)):
                del attributes[name]
            elif lower == "style" and STYLE_CODE.search(value):
                del attributes[name]


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
    source = tree.find("meta//*[@class='source']")  # the headnote's archival citation
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
