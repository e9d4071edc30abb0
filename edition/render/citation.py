"""How to cite a document: Chicago style, BibTeX and CSL-JSON, plus the `citation_*` meta tags
that Zotero and Google Scholar read. Each format is escaped for its own syntax here; the HTML
escaping is jinja2's."""

from __future__ import annotations

import json
import re

from edition.config import Config
from edition.corpus import Document

BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
                  "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def bibtex_escape(text: str) -> str:
    return "".join(BIBTEX_SPECIAL.get(c, c) for c in " ".join(text.split()))


def page_url(config: Config, relative: str) -> str:
    """The published URL of a page, when the edition declares where it is published ([edition] url)."""
    base = config.edition.url.strip()
    return f"{base.rstrip('/')}/{relative}" if base else ""


def citation(config: Config, doc: Document, page: str, source: str, number: int | None = None) -> dict:
    """Everything the "Cite this document" box and the meta tags need; `number`: the document's
    number in the edition ("No. 1"), as the print edition has it."""
    ed = config.edition
    info = doc.info
    url = page_url(config, page)
    editors = list(ed.editors)
    editors_text = " and ".join(editors) if len(editors) <= 2 else ", ".join(editors[:-1]) + ", and " + editors[-1]
    key = re.sub(r"[^A-Za-z0-9_:-]", "", doc.id) or "document"
    bib_fields = [
        ("title", info.title),
        ("booktitle", ed.title),
        ("editor", " and ".join("{" + bibtex_escape(e) + "}" for e in editors)),
        ("publisher", ed.publisher),
        ("year", ed.year),
        ("note", ". ".join(filter(None, (info.date_display, source)))),
        ("number", f"{number}" if number else ""),
        ("url", url),
    ]
    lines = [f"@incollection{{{key},"]
    for name, value in bib_fields:
        if value:
            escaped = value if name == "editor" else bibtex_escape(value) if name != "url" else value.replace("}", "%7D").replace("{", "%7B")
            lines.append(f"  {name} = {{{escaped}}},")
    lines.append("}")
    csl = {
        "id": doc.id,
        "type": "manuscript",
        "title": info.title,
        "container-title": ed.title,
        "editor": [{"literal": e} for e in editors],
        "publisher": ed.publisher,
        "issued": {"date-parts": [[int(p) for p in info.date.split("-") if p.isdigit()]]} if info.date else None,
        "archive": info.source.get("repository", "") if info.source else "",
        "archive_location": source,
        "number": f"{number}" if number else "",
        "language": info.language or ed.language,
        "URL": url,
    }
    csl = {k: v for k, v in csl.items() if v}
    return {
        "title": info.title,
        "number": number,
        "date": info.date_display,
        "source": source,
        "container": ed.title,
        "editors": editors,
        "editors_text": editors_text,
        "publisher": ed.publisher,
        "year": ed.year,
        "url": url,
        "key": key,
        "bibtex": "\n".join(lines),
        "csl_json": json.dumps([csl], ensure_ascii=False, indent=2),
        "meta": meta_tags(config, doc, url),
    }


def meta_tags(config: Config, doc: Document, url: str) -> list[tuple[str, str]]:
    ed = config.edition
    tags = [("citation_title", doc.info.title)]
    tags += [("citation_author", e) for e in ed.editors]
    if doc.info.date:
        tags.append(("citation_date", doc.info.date.replace("-", "/")))
    tags += [("citation_publisher", ed.publisher), ("citation_inbook_title", ed.title),
             ("citation_language", doc.info.language or ed.language)]
    if url:
        tags.append(("citation_public_url", url))
        tags.append(("citation_abstract_html_url", url))
    return [(name, value) for name, value in tags if value]
