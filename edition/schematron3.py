"""ISO Schematron with queryBinding="xslt2" or "xslt3" (what TEI's ODD tools generate), compiled to
an XSLT 3.0 stylesheet and run in saxonche, which the build already has.

Why this and not pyschematron: pyschematron (XPath 3.1 through elementpath) needs Python 3.12 from
its version 1.0 on (pip on 3.11 finds only 0.1.0), and the project supports 3.11; Saxon is the
reference XPath 2/3 processor, fast, already loaded in every worker, and evaluates the rules exactly
as an XML editor running the same schema with Saxon does. lxml's Schematron (XSLT 1.0, libxslt)
keeps running queryBinding "xslt" schemas, the edition's own among them.

The compiled stylesheet has one mode per active pattern; every node of the document (the document
node, elements, attributes, comments, processing instructions) is visited in each mode, and the
first rule whose context matches (rules in document order, as ISO Schematron says) checks its
asserts and reports. Supported: ns, let (schema, pattern and rule level), phase (the tool's phase
"in-document" if the schema has one, else @defaultPhase, else all), abstract rules with extends,
abstract patterns with is-a and param, name, value-of, emph/dir/span (their text), and XSLT
elements at the top level (xsl:key, xsl:function). Each failed assert or successful report becomes
<r id role location>message</r>; edition/validate.py turns them into diagnostics.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from edition.diagnostics import EditionError

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
S = f"{{{SCH}}}"
X = f"{{{XSL}}}"
BINDINGS = ("xslt2", "xslt3", "xpath2", "xpath3", "xpath31")
TOOL_PHASE = "in-document"


def needs_xslt3(schema: etree._ElementTree) -> bool:
    return (schema.getroot().get("queryBinding") or "xslt").strip().lower() in BINDINGS


def _xsl(tag: str, parent=None, **attributes) -> etree._Element:
    element = etree.Element(X + tag) if parent is None else etree.SubElement(parent, X + tag)
    for name, value in attributes.items():
        element.set(name.rstrip("_").replace("__", "-"), value)
    return element


def _substitute(text: str | None, params: dict[str, str]) -> str | None:
    """$name of an abstract pattern's parameter -> its value (longest names first)."""
    if text is None or not params:
        return text
    for name in sorted(params, key=len, reverse=True):
        text = re.sub(rf"\${re.escape(name)}(?![\w.-])", lambda _m, v=params[name]: v, text)
    return text


def _message(target, node, params) -> None:
    """The text of an assert or report, with name and value-of evaluated."""
    if node.text:
        _xsl("text", target).text = node.text
    for child in node:
        if child.tag == S + "name":
            _xsl("value-of", target, select=f"name({_substitute(child.get('path'), params) or '.'})")
        elif child.tag == S + "value-of":
            _xsl("value-of", target, select=_substitute(child.get("select"), params) or "''")
        elif isinstance(child.tag, str):
            _message(target, child, params)  # emph, dir, span, foreign elements: their content
        if child.tail:
            _xsl("text", target).text = child.tail


def _lets(parent, lets, params) -> None:
    for let in lets:
        variable = _xsl("variable", parent, name=let.get("name"))
        if let.get("value") is not None:
            variable.set("select", _substitute(let.get("value"), params))
        else:  # a let with content: the content as a tree
            for child in let:
                variable.append(child.__copy__())


def _active_patterns(root) -> list:
    patterns = [p for p in root.iter(S + "pattern") if p.get("abstract") != "true"]
    phases = {p.get("id"): p for p in root.iter(S + "phase")}
    wanted = TOOL_PHASE if TOOL_PHASE in phases else root.get("defaultPhase")
    if wanted and wanted != "#ALL" and wanted in phases:
        active = {a.get("pattern") for a in phases[wanted].iter(S + "active")}
        patterns = [p for p in patterns if p.get("id") in active]
    return patterns


def compile_schema(schema: etree._ElementTree, path: Path) -> str:
    """The XSLT 3.0 stylesheet (as text) that checks documents against `schema`."""
    root = schema.getroot()
    if root.tag != S + "schema":
        raise EditionError(f"{path}: not an ISO Schematron schema (the root is <{etree.QName(root).localname}>)")
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in root.iter(S + "ns")}
    nsmap = {"xsl": XSL, **{p: u for p, u in namespaces.items() if p and u}}
    out = etree.Element(X + "stylesheet", nsmap=nsmap, version="3.0")
    out.set("exclude-result-prefixes", "#all")
    _xsl("output", out, method="xml", indent="no")
    for child in root:  # xsl:key, xsl:function ... of the schema, as they are
        if isinstance(child.tag, str) and child.tag.startswith(X):
            out.append(child.__copy__())
    _lets(out, root.findall(S + "let"), {})
    abstract_rules = {r.get("id"): r for r in root.iter(S + "rule") if r.get("abstract") == "true"}
    abstract_patterns = {p.get("id"): p for p in root.iter(S + "pattern") if p.get("abstract") == "true"}
    main = _xsl("template", out, match="/")
    results = etree.SubElement(main, "results")
    patterns = _active_patterns(root)
    for number, pattern in enumerate(patterns, 1):
        mode = f"p{number}"
        params = {p.get("name"): p.get("value") for p in pattern.findall(S + "param")}
        source = abstract_patterns.get(pattern.get("is-a"), pattern)
        _xsl("apply-templates", results, select="(/, //node(), //@*)", mode=mode)
        _xsl("template", out, match="node() | @*", mode=mode, priority="-1000")
        rules = [r for r in source.findall(S + "rule") if r.get("abstract") != "true"]
        for order, rule in enumerate(rules):
            template = _xsl("template", out, match=_substitute(rule.get("context"), params) or "/", mode=mode,
                            priority=str(len(rules) - order))
            _lets(template, source.findall(S + "let"), params)
            _lets(template, rule.findall(S + "let"), params)
            checks = []
            for item in rule:
                if item.tag == S + "extends" and item.get("rule") in abstract_rules:
                    base = abstract_rules[item.get("rule")]
                    _lets(template, base.findall(S + "let"), params)
                    checks += [c for c in base if c.tag in (S + "assert", S + "report")]
                elif item.tag in (S + "assert", S + "report"):
                    checks.append(item)
            for check in checks:
                test = _substitute(check.get("test"), params) or "true()"
                condition = f"not({test})" if check.tag == S + "assert" else f"({test})"
                when = _xsl("if", template, test=condition)
                r = etree.SubElement(when, "r")
                # the assert's id, else its pattern's (TEI's generated rules have ids on patterns only)
                if check.get("id") or pattern.get("id"):
                    r.set("id", check.get("id") or pattern.get("id"))
                if check.get("role"):
                    r.set("role", check.get("role"))
                location = _xsl("attribute", r, name="location")
                _xsl("value-of", location, select="path(.)")
                _message(r, check, params)
    return etree.tostring(out, encoding="unicode")


class Schematron3:
    """A queryBinding xslt2/xslt3 schema compiled once; `results(xml_text)` checks one document."""

    def __init__(self, schema: etree._ElementTree, path: Path) -> None:
        from edition.xslt import engine

        self.path = path
        self.text = compile_schema(schema, path)
        self.stylesheet = engine().stylesheet_from_text(self.text, path)

    def results(self, xml_text: str, base_uri: str | None = None) -> list[tuple[str, str, str, str]]:
        """(id, role, Saxon path of the node, message) for each failed assert and successful report."""
        output = self.stylesheet.transform(xml_text, base_uri).output
        found = []
        for r in etree.fromstring(output.encode("utf-8")).iter("r"):
            found.append((r.get("id") or "rule", r.get("role") or "error", r.get("location") or "",
                          " ".join("".join(r.itertext()).split())))
        return found


def lxml_path(saxon_path: str) -> str:
    """Saxon's path() ("/Q{ns}TEI[1]/Q{ns}text[1]/@when") as an XPath 1.0 that lxml evaluates."""
    def step(match) -> str:
        uri, name = match.group(1), match.group(2)
        return f"*[local-name()='{name}' and namespace-uri()='{uri}']"
    return re.sub(r"Q\{([^}]*)\}([\w.-]+)", step, saxon_path) or "/"
