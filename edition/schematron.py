"""ISO Schematron in time proportional to the document, with each finding's node itself.

lxml's isoschematron compiles a schema to XSLT 1.0 with the ISO skeleton. The stylesheet it makes
writes, for every failed assert and successful report, an XPath to the node (@location) that it builds
by counting, for each ancestor, the preceding siblings of the same name, and that a caller must
evaluate again to find the node: for a finding inside the 20,000th <sp> of a <div>, 20,000 siblings
twice over. With thousands of findings (the importer's warnings in a long transcript) that is
quadratic. It also writes an svrl:fired-rule for every node a rule matches and walks the whole document
once more per pattern in the default mode, producing nothing.

So the compiled stylesheet is changed before use: the location is a number, the index of the node in
a list that an extension function fills as the findings are written (the caller gets the node back
whatever it is: an element, an attribute, a processing instruction, which an XPath location cannot
point to); fired-rule elements and the empty walks are dropped; one walk applies all the patterns,
each at the nodes its rules can match. The rules themselves, and so what
they find, are untouched: XML editors run the same .sch with their own skeleton.
"""

from __future__ import annotations

import re
import threading

from lxml import etree, isoschematron

XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
LOCATOR = "urn:x-edition:schematron-locator"  # the extension function's namespace
PATH_MODES = ("schematron-get-full-path", "schematron-get-full-path-2", "schematron-get-full-path-3")


class Finding:
    """One failed assert or successful report: its SVRL element and the node it is about."""

    __slots__ = ("result", "node")

    def __init__(self, result, node):
        self.result, self.node = result, node

    def get(self, name: str) -> str | None:
        return self.result.get(name)

    @property
    def text(self) -> str:
        return " ".join("".join(self.result.findtext(SVRL + "text") or "").split())


class Schematron:
    """A compiled ISO Schematron schema (queryBinding xslt), run by libxslt."""

    def __init__(self, document: etree._ElementTree, phase: str | None = None):
        schema = isoschematron.iso_abstract_expand(isoschematron.iso_dsdl_include(document))
        if isoschematron.schematron_schema_valid_supported and not isoschematron.schematron_schema_valid(schema):
            raise etree.SchematronParseError(
                f"invalid schematron schema: {isoschematron.schematron_schema_valid.error_log}")
        params = {"only-child-elements": "'false'"}  # visit comments and processing instructions too
        if phase:
            params["phase"] = phase
        stylesheet = isoschematron.iso_svrl_for_xslt1(schema, **isoschematron.stylesheet_params(**params))
        _lighten(stylesheet.getroot())
        self._nodes: list = []
        self._lock = threading.Lock()  # the node list belongs to one run at a time
        self._transform = etree.XSLT(stylesheet, extensions={(LOCATOR, "node"): self._remember})

    def _remember(self, _context, nodes) -> str:
        self._nodes.append(nodes[0] if nodes else None)
        return str(len(self._nodes) - 1)

    def findings(self, tree: etree._ElementTree) -> list[Finding]:
        """Every failed assert and successful report, in document order of the patterns."""
        with self._lock:
            self._nodes = []
            report = self._transform(tree)
            nodes, self._nodes = self._nodes, []
        found = []
        for result in report.getroot().iter(SVRL + "failed-assert", SVRL + "successful-report"):
            index = result.get("location") or ""
            found.append(Finding(result, nodes[int(index)] if index.isdigit() and int(index) < len(nodes) else None))
        found.sort(key=lambda finding: int(finding.get(PATTERN) or 0))  # stable: each pattern's walk order
        return found


def _lighten(stylesheet: etree._Element) -> None:
    """Locations by the extension function; no fired-rule output; no default-mode walks."""
    for template in stylesheet.findall(f"{{{XSL}}}template"):
        if template.get("mode") in PATH_MODES:
            stylesheet.remove(template)
    for mode in PATH_MODES:
        template = etree.SubElement(stylesheet, f"{{{XSL}}}template", {"match": "node() | @*", "mode": mode},
                                    nsmap={"locator": LOCATOR})
        etree.SubElement(template, f"{{{XSL}}}value-of", {"select": "locator:node(.)"})
    for fired in list(stylesheet.iter(SVRL + "fired-rule")):
        _remove(fired)
    for pattern in stylesheet.iter(SVRL + "active-pattern"):
        for walk in pattern.findall(f"{{{XSL}}}apply-templates"):
            if walk.get("select") is None and walk.get("mode") is None:
                _remove(walk)
    _narrow_walks(stylesheet)
    _one_walk(stylesheet)


PATTERN = "pattern-index"  # on each finding: which pattern (in the order they run) wrote it


def _one_walk(stylesheet: etree._Element) -> None:
    """One walk of the document for all the patterns instead of one walk per pattern: at each node
    the walk applies every pattern's rules to that node only (each pattern's mode keeps its
    first-match rule choice, without walking on), then goes on to the attributes the patterns name
    and to the children. A pattern sees the nodes in the order its own walk visited them, so sorting
    the findings by pattern (`pattern-index` on each, a stable sort in `findings`) gives the order of
    the skeleton's walks. Nine patterns walked the document nine times: most of the time of the rules."""
    root_template = next((t for t in stylesheet.findall(f"{{{XSL}}}template") if t.get("match") == "/"
                          and not t.get("mode")), None)
    if root_template is None:
        return
    starts = [a for a in root_template.iter(f"{{{XSL}}}apply-templates") if a.get("select") == "/" and a.get("mode")]
    modes = [a.get("mode") for a in starts]
    if len(modes) < 2 or len(set(modes)) != len(modes):
        return
    walks: dict[str, str] = {}
    pattern_templates = [t for t in stylesheet.findall(f"{{{XSL}}}template") if t.get("mode") in modes]
    for template in pattern_templates:
        mode = template.get("mode")
        for walk in template.iter(f"{{{XSL}}}apply-templates"):
            if walk.get("mode") == mode and walks.setdefault(mode, walk.get("select") or "") != walk.get("select"):
                return  # a pattern walking in two ways: not the skeleton's walk, leave it alone
    for template in pattern_templates:
        mode = template.get("mode")
        for walk in list(template.iter(f"{{{XSL}}}apply-templates")):
            if walk.get("mode") == mode:
                _remove(walk)
        for finding in template.iter(SVRL + "failed-assert", SVRL + "successful-report"):
            finding.set(PATTERN, str(modes.index(mode)))
    for mode in modes:  # the document node, unless a rule is about it: not XSLT's built-in rule, which walks on
        etree.SubElement(stylesheet, f"{{{XSL}}}template", {"match": "/", "mode": mode, "priority": "-3"})
    # which attributes each pattern's walk visits: a set of names, or None for all (@*)
    attributes: dict[str, set[str] | None] = {}
    for mode in modes:
        steps = [step.strip() for step in walks.get(mode, "").split("|")]
        if "@*" in steps:
            attributes[mode] = None
        else:
            attributes[mode] = {step for step in steps if step.startswith("@")}
    named = sorted({name for names in attributes.values() if names for name in names})
    elements = {mode: _element_names([t for t in pattern_templates if t.get("mode") == mode], stylesheet.nsmap)
                for mode in modes}

    def template(match: str, for_modes: list[str], walk_on: bool, priority: str | None = None) -> None:
        attrs = {"match": match, "mode": "edition-one-walk"}
        if priority:
            attrs["priority"] = priority
        element = etree.SubElement(stylesheet, f"{{{XSL}}}template", attrs)
        for mode in for_modes:
            etree.SubElement(element, f"{{{XSL}}}apply-templates", {"select": ".", "mode": mode})
        if walk_on:  # "@*" and then node() (text included) took less time than a union of the named ones
            if named or any(names is None for names in attributes.values()):
                etree.SubElement(element, f"{{{XSL}}}apply-templates", {"select": "@*", "mode": "edition-one-walk"})
            etree.SubElement(element, f"{{{XSL}}}apply-templates", {"mode": "edition-one-walk"})

    # Each element gets only the patterns whose rules name it (or may match any element): applying
    # every pattern's mode at every element, though most have no rule for it, was half the time of the
    # rules (0.38 -> 0.18 ms for a generated 10 KB document). XPath selections of each pattern's
    # candidates instead of the walk ("//tei:sp | //tei:said") took longer: libxml2 merges the sets of
    # a union in time that grows with the product of their sizes, and "//*[self::tei:sp or ...]"
    # evaluates its predicate at every node once per pattern.
    template("/ | comment() | processing-instruction()", modes, True)
    template("*", [m for m in modes if elements[m] is None], True)
    shown = {}  # one template per expanded name, with the first prefix that names it
    for mode in modes:
        for expanded, prefixed in (elements[mode] or {}).items():
            shown.setdefault(expanded, prefixed)
    for expanded, prefixed in sorted(shown.items(), key=lambda item: item[1]):
        template(prefixed, [m for m in modes if elements[m] is None or expanded in elements[m]], True)
    template("text()", [], False)
    for name in named:
        template(name, [m for m in modes if attributes[m] is None or name in attributes[m]], False)
    template("@*", [m for m in modes if attributes[m] is None], False, priority="-1")
    first = starts[0]
    first.set("mode", "edition-one-walk")
    for start in starts[1:]:
        _remove(start)


ELEMENT_NAME = re.compile(r"(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)")
NOT_ELEMENTS = ("text()", "comment()", "processing-instruction()", "")  # "": the document node, "/"


def _element_names(templates: list[etree._Element], nsmap: dict) -> dict[tuple[str, str], str] | None:
    """The elements a pattern's rules can match, by expanded name ((namespace, local name) -> the
    name as the rules write it), or None when a rule may match any element (*, node(), tei:*, an
    axis, a function) or names one with a prefix that the stylesheet's own element does not bind
    alike (the one walk's templates, made there, would read it otherwise)."""
    names: dict[tuple[str, str], str] = {}
    for template in templates:
        if template.get("priority") in ("-1", "-2"):  # the skeleton's own: text() and the walk
            continue
        for step in _last_steps(template.get("match") or ""):
            if step.startswith("@") or step.startswith("attribute::") or step in NOT_ELEMENTS:
                continue
            name = ELEMENT_NAME.fullmatch(step)
            if name is None:
                return None
            prefix, local = name.groups()
            if prefix is not None and (prefix not in nsmap or template.nsmap.get(prefix) != nsmap[prefix]):
                return None
            names.setdefault((nsmap[prefix] if prefix else "", local), step)
    return names


WALK = "@*|*|comment()|processing-instruction()"  # what the skeleton's walk of a pattern visits
NAMED_ATTRIBUTE = re.compile(r"@[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?")


def _narrow_walks(stylesheet: etree._Element) -> None:
    """Each pattern walks the document visiting every attribute of every element, but an attribute
    that none of the pattern's rules can match is visited for nothing (its default template applies
    templates to its children: none). So a pattern's walk visits only the attributes its rules name
    (`@when | @from`), none when no rule is about attributes, all (`@*`) only when a rule's context
    could match any. The findings, and their order (attributes come before children in document
    order, as before), are the same; the walks took half the time of the rules."""
    templates: dict[str, list[etree._Element]] = {}
    for template in stylesheet.findall(f"{{{XSL}}}template"):
        mode = template.get("mode") or ""
        if mode and mode not in PATH_MODES and not mode.startswith("generate-id") and not mode.startswith("schematron"):
            templates.setdefault(mode, []).append(template)
    for mode, found in templates.items():
        names: set[str] | None = set()
        for template in found:
            if template.get("priority") in ("-1", "-2"):  # the skeleton's own: text() and the walk
                continue
            for step in _last_steps(template.get("match") or ""):
                if "@" not in step and "attribute::" not in step:
                    continue
                named = NAMED_ATTRIBUTE.fullmatch(step)
                if named is None:  # @*, attribute::x, @tei:* ...: any attribute may match
                    names = None
                    break
                names.add(step)
            if names is None:
                break
        if names is None:
            continue
        narrowed = "|".join(sorted(names) + ["*", "comment()", "processing-instruction()"])
        for walk in stylesheet.iter(f"{{{XSL}}}apply-templates"):
            if walk.get("mode") == mode and walk.get("select") == WALK:
                walk.set("select", narrowed)


def _last_steps(pattern: str) -> list[str]:
    """The last step of each alternative of a match pattern, predicates and arguments left out:
    "a//b[@x] | @when[. = 'y'] | processing-instruction('x')" -> ["b", "@when", "processing-instruction()"]."""
    outside, depth, quote = [], 0, ""
    for char in pattern:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            if char == "(" and depth == 0:
                outside.append("()")  # a kind test or a function stays one: node(), key(), not a name
            depth += 1
        elif char in "])":
            depth -= 1
        elif depth == 0:
            outside.append(char)
    return [alternative.strip().rsplit("/", 1)[-1].strip() for alternative in "".join(outside).split("|")]


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
