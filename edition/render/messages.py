"""The stylesheets' messages, turned into diagnostics in one place.

html.xsl and print.xsl report through xslt/common/messages.xsl: an xsl:message whose content is
`<ed:diagnostic code="..." name="..." path="..." detail="..."/>` (Saxon hands it over serialised).
Here each becomes a Diagnostic with its wording, the line of the element it is about and a hint.
Any other message (a project stylesheet's own xsl:message) is reported as it is, under the
output's `*.xslt-message` code.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import unescape

from lxml import etree

from edition.corpus import Document
from edition.diagnostics import Diagnostic, warning

ED = "https://edition.example/ns"
TEI = "http://www.tei-c.org/ns/1.0"


@dataclass(frozen=True)
class Message:
    code: str  # "" for a message outside the protocol
    name: str = ""  # the element's name ("tei:metamark", "frus:attachment", "num")
    path: str = ""  # its XPath path(), when the stylesheet knows the element
    detail: str = ""  # what the code needs besides ("inline": how an element without a rule is printed)
    text: str = ""  # a message outside the protocol


def parse(message: str) -> Message:
    text = message.strip()
    if text.startswith("<"):
        try:
            element = etree.fromstring(text)
        except etree.XMLSyntaxError:
            element = None
        if element is not None and element.tag == f"{{{ED}}}diagnostic":
            return Message(code=element.get("code", ""), name=element.get("name", ""), path=element.get("path", ""),
                           detail=element.get("detail", ""))
    return Message(code="", text=unescape(text))


def unknown_name(message: Message) -> str:
    """The name an element without a template is reported under once per build ("metamark", "frus:attachment")."""
    return message.name[4:] if message.name.startswith("tei:") else message.name


def _line(doc: Document, message: Message) -> int:
    """The line of the element: by its path, else the first element of its name in the text."""
    try:
        if message.path:
            found = doc.tree.xpath(message.path.replace(f"Q{{{TEI}}}", "tei:"), namespaces={"tei": TEI})
        else:
            local = message.name.rsplit(":", 1)[-1]
            found = doc.tree.xpath("/*/*[local-name() != 'teiHeader']//*[local-name() = $n]", n=local)
    except etree.XPathError:  # a path lxml cannot evaluate (foreign namespaces): no line
        return 0
    return found[0].sourceline or 0 if found else 0


def diagnostic(doc: Document, message: Message, output: str) -> Diagnostic:
    """The diagnostic of one message of `output`'s stylesheet ("html" or "pdf")."""
    if message.code == "html.unknown-element":
        return warning(doc.path, f"no template for <{message.name}>; its text was copied through", message.code,
                       line=_line(doc, message), hint="add a template for it to a project stylesheet ([html] stylesheet)")
    if message.code == "pdf.fallback":
        return warning(doc.path, f"<{message.name}> has no print rule; printed as {message.detail}, its text kept",
                       message.code, line=_line(doc, message),
                       hint="add a template for it to xslt/print/ (or report it)")
    if message.code:
        return warning(doc.path, f"{message.code}: <{message.name}> {message.detail}".strip(), message.code,
                       line=_line(doc, message))
    if output == "html":
        return warning(doc.path, f"stylesheet message: {message.text}", "html.xslt-message")
    return warning(doc.path, f"print.xsl: {message.text}", "pdf.xslt-message")
