"""RELAX NG errors in plain language, one per element, at the right line and column.

libxml2 reports what its validator saw ("Element p has extra content: persName", "Invalid attribute
when for element date" when only the value is wrong) and follows each real error with consequences
("Element div failed to validate content"). This module reads the grammar itself (the schema's XML
syntax) to say what IS allowed, and drops a follow-up whenever a more specific error on the same
element or inside it explains it.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from lxml import etree

from edition.diagnostics import Diagnostic, error

R = "{http://relaxng.org/ns/structure/1.0}"
TEI_NS = "http://www.tei-c.org/ns/1.0"
FOLLOW_UPS = {"RELAXNG_ERR_CONTENTVALID", "RELAXNG_ERR_ATTRVALID", "RELAXNG_ERR_INTERSEQ",
              "RELAXNG_ERR_EXTRACONTENT", "RELAXNG_ERR_NOELEM"}
VALUE_HINTS = {
    "when": "an ISO date: YYYY, YYYY-MM or YYYY-MM-DD", "from": "an ISO date: YYYY, YYYY-MM or YYYY-MM-DD",
    "to": "an ISO date: YYYY, YYYY-MM or YYYY-MM-DD", "notBefore": "an ISO date", "notAfter": "an ISO date",
    "cert": "high, medium, low or unknown", "direct": "true or false", "type": "one word, no spaces",
    "subtype": "one word, no spaces", "rend": "one or more words separated by spaces",
    "xml:lang": "a language tag such as en, ru or de-AT (letters and hyphens, no spaces)",
    "xml:id": "a name: a letter or _ first, then letters, digits, - . or _",
}
XML_NAMESPACE = "{http://www.w3.org/XML/1998/namespace}"
MAX_LISTED = 14


class Grammar:
    """What each element of a RELAX NG grammar (XML syntax, one file) allows, read from the grammar."""

    def __init__(self, path: Path):
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        self.defines = {d.get("name"): d for d in tree.iter(R + "define")}
        self.by_name: dict[str, list] = {}
        for element in tree.iter(R + "element"):
            if element.get("name"):
                self.by_name.setdefault(element.get("name").split(":")[-1], []).append(element)

    def _element_of(self, define):
        children = [c for c in define if isinstance(c.tag, str) and c.tag.startswith(R)]
        return children[0] if len(children) == 1 and children[0].tag == R + "element" else None

    def allowed(self, element) -> tuple[set[str], set[str], set[str], set[str]]:
        """(attribute names, required attribute names, child element names, required child element names)
        of one element pattern."""
        attributes, required, children, required_children, seen = set(), set(), set(), set(), set()

        def walk(node, optional: bool):
            for child in node:
                if not isinstance(child.tag, str) or not child.tag.startswith(R):
                    continue
                tag = child.tag[len(R):]
                if tag == "attribute":
                    attributes.add(child.get("name") or "*")
                    if not optional:
                        required.add(child.get("name") or "*")
                elif tag == "element":
                    children.add(child.get("name") or "*")
                    if not optional:
                        required_children.add(child.get("name") or "*")
                elif tag == "ref":
                    target = self.defines.get(child.get("name"))
                    if target is None:
                        continue
                    inner = self._element_of(target)
                    if inner is not None:
                        children.add(inner.get("name"))
                        if not optional:
                            required_children.add(inner.get("name"))
                    elif (child.get("name"), optional) not in seen:
                        seen.add((child.get("name"), optional))
                        walk(target, optional)
                else:
                    walk(child, optional or tag in ("optional", "zeroOrMore", "choice"))

        walk(element, False)
        return attributes, required, children, required_children

    def required_choices(self, name: str) -> list[frozenset]:
        """The choices of child elements that element `name` requires, one of each (<TEI> needs <text> or
        <standOff>): the alternatives of each <choice> that is not optional and holds elements only."""
        found: list[frozenset] = []

        def walk(node, seen):
            for child in node:
                if not isinstance(child.tag, str) or not child.tag.startswith(R):
                    continue
                tag = child.tag[len(R):]
                if tag == "choice":
                    names = [self._name_of(alternative) for alternative in child
                             if isinstance(alternative.tag, str) and alternative.tag.startswith(R)]
                    if names and None not in names:
                        found.append(frozenset(names))
                elif tag == "ref" and child.get("name") not in seen:
                    target = self.defines.get(child.get("name"))
                    if target is not None and self._element_of(target) is None:
                        walk(target, seen | {child.get("name")})
                elif tag in ("group", "interleave", "oneOrMore"):
                    walk(child, seen)

        definitions = self.by_name.get(name, [])
        if len(definitions) == 1:
            walk(definitions[0], frozenset())
        return found

    def _name_of(self, pattern) -> str | None:
        """The element name a pattern (<element> or <ref> to a define of one element) stands for."""
        if pattern.tag == R + "element":
            return pattern.get("name")
        if pattern.tag == R + "ref" and (target := self.defines.get(pattern.get("name"))) is not None:
            inner = self._element_of(target)
            return inner.get("name") if inner is not None else None
        return None

    @lru_cache(maxsize=None)
    def summary(self, name: str) -> tuple[frozenset, frozenset, frozenset, frozenset]:
        """What the definitions of element `name` allow (the union) and require (what all require):
        (attributes, required attributes, children, required children)."""
        attributes, children, required, required_children = set(), set(), None, None
        for definition in self.by_name.get(name, []):
            a, r, c, rc = self.allowed(definition)
            attributes |= a
            children |= c
            required = r if required is None else required & r
            required_children = rc if required_children is None else required_children & rc
        return frozenset(attributes), frozenset(required or ()), frozenset(children), frozenset(required_children or ())


@lru_cache(maxsize=8)
def grammar(path: str) -> Grammar | None:
    try:
        return Grammar(Path(path))
    except (OSError, etree.XMLSyntaxError):
        return None


def _listed(names) -> str:
    names = sorted(n for n in names if n != "*")
    return ", ".join(names[:MAX_LISTED]) + (", …" if len(names) > MAX_LISTED else "")


def source_position(node, source: Sequence[str]) -> tuple[int, int]:
    """(line, 1-based column) of `node`'s start tag. libxml2 keeps only the line on which the start tag
    ENDS, so a tag whose attributes run over several lines is looked for on the lines above too."""
    line = getattr(node, "sourceline", None) or 0
    if not line or line > len(source):
        return line, 0
    if isinstance(node, etree._ProcessingInstruction):
        return line, source[line - 1].find("<?" + node.target) + 1
    if not isinstance(getattr(node, "tag", None), str):
        return line, 0
    pattern = re.compile(rf"<(?:[\w.-]+:)?{re.escape(etree.QName(node).localname)}(?=[\s/>]|$)")
    nth = sum(other.tag == node.tag for other in _earlier_on_line(node, line))
    matches = list(pattern.finditer(source[line - 1]))
    if nth < len(matches):
        return line, matches[nth].start() + 1
    for earlier in range(line - 1, max(line - 12, 0), -1):
        matches = list(pattern.finditer(source[earlier - 1]))
        if matches:
            return earlier, matches[-1].start() + 1
    return line, 0


def _attribute_name(node, reported: str) -> str:
    """The attribute as written: libxml2 names xml:lang "lang" and xml:id "id"."""
    if node is not None and ":" not in reported and node.get(reported) is None \
            and node.get(XML_NAMESPACE + reported) is not None:
        return "xml:" + reported
    return reported


def _clark(attribute: str) -> str:
    return XML_NAMESPACE + attribute[4:] if attribute.startswith("xml:") else attribute


def _invalid_value(node, attribute: str) -> tuple[str, str, str]:
    """(code, message, hint) for an attribute whose name is allowed but whose value is not."""
    value = node.get(_clark(attribute))
    if attribute == "xml:id" and value is not None and _repeated_id(node, value):
        return "xml.duplicate-id", "", ""  # reported by edition.documents.duplicate_ids, with both lines
    hint = f"{attribute} must be {VALUE_HINTS[attribute]}" if attribute in VALUE_HINTS else ""
    if value is not None and not value.strip():
        hint = f"an empty {attribute} is not allowed: give it a value or remove it" + (f" ({hint})" if hint else "")
    return "rng.value", f'<{_name(node)}> has {attribute}="{value}", which is not a valid value', hint


def _repeated_id(node, value: str) -> bool:
    return sum(e.get(XML_NAMESPACE + "id") == value for e in node.getroottree().iter(etree.Element)) > 1


def _missing_children(name: str, node, rules: Grammar | None) -> str:
    """What element `name` (here `node`) lacks of the children it requires, as "<x> is missing" or
    "<x> or <y> is missing"; "" when it lacks none (or the grammar is not known)."""
    if rules is None or node is None:
        return ""
    present = {_name(c) for c in node}
    missing = [f"<{x}>" for x in sorted(set(rules.summary(name)[3]) - present)]
    missing += [" or ".join(f"<{x}>" for x in sorted(group)) for group in rules.required_choices(name)
                if not group & present]
    if not missing:
        return ""
    return f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing"


def attribute_position(node, attribute: str, source: Sequence[str]) -> tuple[int, int]:
    """(line, column) of attribute `attribute` ("type", "xml:lang") in `node`'s start tag, which may run
    over several lines; the start tag's position if it cannot be found."""
    line, column = source_position(node, source)
    pattern = re.compile(rf"(?<![\w:.-]){re.escape(attribute)}\s*=")
    for number in range(line, min(line + 20, len(source)) + 1):
        text = source[number - 1]
        start = column if number == line else 0
        end = text.find(">", start)
        if m := pattern.search(text, max(start - 1, 0), end if end >= 0 else len(text)):
            return number, m.start() + 1
        if end >= 0:
            break
    return line, column


def _earlier_on_line(node, line: int):
    """The nodes before `node` in document order whose start tags are on `line`, nearest first.

    Walks back one node at a time and stops at the first on an earlier line (start tags come in
    document order, so their lines never decrease): the cost is the length of the line, not the
    size of the document, however many diagnostics a large document has."""
    current = node
    while True:
        previous = current.getprevious()
        if previous is not None:
            while len(previous):
                previous = previous[-1]
            current = previous
        else:
            current = current.getparent()
            if current is None:
                return
        if (current.sourceline or 0) < line:
            return
        if current.sourceline == line:
            yield current


def _inside(node, ancestor) -> bool:
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _name(node) -> str:
    return etree.QName(node).localname if isinstance(getattr(node, "tag", None), str) else "?"


def _translate(entry, node, rules: Grammar | None) -> tuple[str, str, str]:
    """(code, message, hint) for one libxml2 RELAX NG error."""
    message, kind = entry.message, entry.type_name
    parent = node.getparent() if node is not None else None
    summary = (lambda n: rules.summary(n)) if rules else (lambda n: (frozenset(),) * 4)
    if m := re.match(r"Did not expect element (\S+) there", message):
        where = _name(parent) if parent is not None else "the document"
        allowed = summary(where)[2]
        if m.group(1) in allowed:
            if missing := _missing_children(where, parent, rules):
                return "rng.missing", f"<{where}> is incomplete: {missing} (found <{m.group(1)}> instead)", ""
            return "rng.order", f"<{m.group(1)}> is not allowed at this position inside <{where}>", \
                f"the elements allowed inside <{where}> are {_listed(allowed)}; check their order" if allowed else ""
        close = difflib.get_close_matches(m.group(1), allowed, n=1, cutoff=0.75)
        return "rng.not-allowed", f"<{m.group(1)}> is not allowed inside <{where}>" + \
            (f"; allowed there: {_listed(allowed)}" if allowed else ""), \
            f"did you mean <{close[0]}>? (element names are case-sensitive)" if close else ""
    if m := re.match(r"Element (\S+) has extra content: (\S+)", message):
        allowed = summary(m.group(1))[2]
        what = "text" if m.group(2) == "text" else f"<{m.group(2)}>"
        return "rng.not-allowed", f"{what} is not allowed at this position inside <{m.group(1)}>" + \
            (f"; allowed there: {_listed(allowed)}" if allowed else ""), ""
    if m := re.match(r"Expecting element (\S+), got (\S+)", message):
        return "rng.expected", f"<{m.group(2)}> found where <{m.group(1)}> is expected", ""
    if m := re.match(r"Expecting an element (\S*), got nothing", message):
        missing = _missing_children(_name(node), node, rules) or (f"<{m.group(1)}> is missing" if m.group(1) else "")
        if missing:
            return "rng.missing", f"<{_name(node)}> is incomplete: {missing}", ""
        return "rng.missing", f"<{_name(node)}> is incomplete: a required element is missing", \
            f"<{_name(node)}> may contain: {_listed(summary(_name(node))[2])}"
    if m := re.match(r"Invalid attribute (\S+) for element (\S+)", message):
        attribute, element = _attribute_name(node, m.group(1)), m.group(2)
        allowed = summary(element)[0]
        if attribute in allowed and node is not None:
            return _invalid_value(node, attribute)
        return "rng.attribute", f"@{attribute} is not allowed on <{element}>" + \
            (f"; allowed: {_listed('@' + a for a in allowed)}" if allowed else ""), ""
    if m := re.match(r"Did not expect text in element (\S+) content", message):
        allowed = summary(m.group(1))[2]
        return "rng.text", f"text is not allowed directly inside <{m.group(1)}>", \
            f"put it inside one of: {_listed(allowed)}" if allowed else ""
    if m := re.match(r"Expecting a namespace for element (\S+)|Element (\S+) has wrong namespace", message):
        return "rng.namespace", f"<{m.group(1) or m.group(2)}> is not in the TEI namespace", \
            f'the root element must be <TEI xmlns="{TEI_NS}">'
    if m := re.match(r"Element (\S+) failed to validate attributes", message):
        missing = sorted(a for a in summary(m.group(1))[1] if node is not None and node.get(a) is None
                         and ":" not in a)
        if missing:
            return "rng.missing-attribute", f"<{m.group(1)}> lacks the required attribute {', '.join('@' + a for a in missing)}", ""
        return "rng.attribute", f"<{m.group(1)}> has an attribute that is not allowed or has an invalid value", ""
    if m := re.match(r"Element (\S+) failed to validate content", message):
        allowed = summary(m.group(1))[2]
        return "rng.content", f"<{m.group(1)}> has content the encoding model does not allow", \
            f"allowed inside <{m.group(1)}>: {_listed(allowed)}" if allowed else ""
    if (m := re.match(r"Extra element (\S+) in interleave", message)) and node is not None and parent is not None:
        name, where = m.group(1), _name(parent)
        if sum(_name(c) == name for c in parent) > 1:
            return "rng.repeated", f"<{name}> may appear only once inside <{where}>", ""
        missing = sorted(set(summary(name)[3]) - {_name(c) for c in node})
        if missing:
            return "rng.missing", f"<{name}> is incomplete: {', '.join(f'<{x}>' for x in missing)} " \
                f"{'is' if len(missing) == 1 else 'are'} missing", ""
        return "rng.content", f"<{name}> has content the encoding model does not allow", \
            f"allowed inside <{name}>: {_listed(summary(name)[2])}"
    if kind in ("RELAXNG_ERR_INTERSEQ", "RELAXNG_ERR_INTEREXTRA"):
        return "rng.content", f"<{_name(node)}>: {message[0].lower()}{message[1:]}", ""
    return "rng.invalid", message, ""


MAX_ROUNDS = 8
LATER_ROUNDS = {"rng.not-allowed", "rng.attribute", "rng.value", "rng.text", "rng.missing-attribute", "rng.namespace"}


def relaxng_diagnostics(schema, tree, path: Path, source: Sequence[str], grammar_path: Path | None = None) -> list[Diagnostic]:
    """Validate `tree`; one plain-language diagnostic per element, follow-up errors dropped.

    libxml2 stops checking an element's content at its first error, so a second mistake in the same
    element would only show after the first is fixed. To report both at once, the first is undone in a
    copy of the tree (the element not allowed there is removed, the bad attribute dropped) and the copy
    validated again, a few rounds at most. Later rounds report only errors that such a repair cannot
    have caused (not "missing" or "expected" ones).
    """
    if schema.validate(tree):
        return []
    rules = grammar(str(grammar_path)) if grammar_path else None
    work = copy.deepcopy(tree)  # keeps each element's sourceline
    kept: list[Diagnostic] = []
    budget: list[int] = []  # validations left for _culprit in this document
    for round_number in range(MAX_ROUNDS):
        if round_number and schema.validate(work):
            break
        repairs = []
        for diagnostic, entry, node in _round(schema.error_log, work, path, source, rules):
            if diagnostic.code == "rng.content" and node is not None:
                if not budget:  # each try validates the whole document again: not for a large one
                    budget.append(MAX_TRIES if sum(1 for _ in work.iter()) <= MAX_ELEMENTS_FOR_TRIES else 0)
                diagnostic = _culprit(schema, work, node, path, source, budget) or diagnostic
            if round_number and diagnostic.code not in LATER_ROUNDS:
                continue
            if diagnostic not in kept:
                kept.append(diagnostic)
            repairs.append((entry, node))
        if not any(_repair(entry, node) for entry, node in repairs):
            break
    return kept


MAX_TRIES = 40  # validations per document, for all its vague errors together
MAX_ELEMENTS_FOR_TRIES = 50_000


def _culprit(schema, work, node, path: Path, source: Sequence[str], budget: list[int]) -> Diagnostic | None:
    """What inside `node` libxml2 rejected when it said only that `node`'s content is wrong (an element
    in an interleave whose content failed: "Extra element textClass in interleave" for a bad @type on
    a <term> inside it): the attribute, or else the element, without which the error goes, found by
    taking each out of the working copy in turn (a few dozen validations at most). It stays out, so
    that the next round looks further."""
    name = _name(node)

    def explained() -> bool:
        schema.validate(work)
        return not any(re.search(rf"\b(element|Element) {re.escape(name)}\b", e.message) for e in schema.error_log)

    for element in node.iter(etree.Element):
        for attribute, value in list(element.attrib.items()):
            if budget[0] <= 0:
                return None
            budget[0] -= 1
            del element.attrib[attribute]
            if explained():
                shown = "xml:" + attribute[len(XML_NAMESPACE):] if attribute.startswith(XML_NAMESPACE) else attribute
                element.set(attribute, value)
                code, message, hint = _invalid_value(element, shown)
                del element.attrib[attribute]
                return error(path, message, code, *attribute_position(element, shown, source), hint)
            element.set(attribute, value)
    for element in reversed(list(node.iter(etree.Element))[1:]):
        if budget[0] <= 0:
            return None
        budget[0] -= 1
        parent, index, position = element.getparent(), element.getparent().index(element), source_position(element, source)
        parent.remove(element)
        if explained():
            return error(path, f"<{_name(element)}> is not allowed here inside <{_name(parent)}>", "rng.not-allowed",
                         *position)
        parent.insert(index, element)
    return None


def _repair(entry, node) -> bool:
    """Undo one reported error in the working copy; False if it cannot be undone safely."""
    if node is None or node.getparent() is None and entry.type_name != "RELAXNG_ERR_INVALIDATTR":
        return False
    if entry.type_name == "RELAXNG_ERR_ELEMWRONG":
        _remove_keeping_tail(node)
        return True
    if (m := re.match(r"Invalid attribute (\S+) for element", entry.message)) and entry.type_name == "RELAXNG_ERR_INVALIDATTR":
        name = m.group(1)
        key = "{http://www.w3.org/XML/1998/namespace}" + name[4:] if name.startswith("xml:") else name
        return node.attrib.pop(key, None) is not None
    if entry.type_name == "RELAXNG_ERR_TEXTWRONG":
        node.text = None
        for child in node:
            child.tail = None
        return True
    return False


def _remove_keeping_tail(node) -> None:
    parent, tail = node.getparent(), node.tail
    if tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def _round(error_log, tree, path: Path, source: Sequence[str], rules: Grammar | None):
    """One validation's errors as (diagnostic, libxml2 entry, node), cascades cut."""
    entries = []
    for entry in error_log:
        try:
            found = tree.xpath(entry.path) if entry.path else []
        except etree.XPathError:
            found = []
        node = found[0] if found and isinstance(getattr(found[0], "tag", None), str) else None
        entries.append((entry, node))
    # "Extra element X in interleave" comes without a location; the next located error is about the
    # element holding the interleave (e.g. profileDesc): X is its child of that name.
    for i, (entry, node) in enumerate(entries):
        if entry.type_name == "RELAXNG_ERR_INTEREXTRA" and node is None:
            m = re.match(r"Extra element (\S+) in interleave", entry.message)
            holder = next((n for _, n in entries[i + 1:] if n is not None), None)
            if m and holder is not None:
                node = holder if _name(holder) == m.group(1) else next(
                    (c for c in holder if _name(c) == m.group(1)), None)
                entries[i] = (entry, node)
    specific = [(e, n) for e, n in entries if e.type_name not in FOLLOW_UPS]
    kept, seen = [], set()
    for entry, node in entries:
        if entry.type_name in FOLLOW_UPS:
            subject = node
            if m := re.match(r"Element (\S+)", entry.message):
                if node is not None and _name(node) != m.group(1) and node.getparent() is not None:
                    subject = node.getparent()
            if entry.type_name == "RELAXNG_ERR_NOELEM":
                # libxml2 names the first alternative of a choice it could not match ("Expecting an element
                # persName, got nothing") next to the real error on the same element: keep only the latter.
                if any(n is node and e is not entry for e, n in entries):
                    continue
            elif subject is not None and any(n is not None and _inside(n, subject) for _, n in specific):
                continue
            elif subject is None and specific:
                continue
        key = id(node) if node is not None else (entry.line, entry.message)
        if key in seen:
            continue
        seen.add(key)
        code, message, hint = _translate(entry, node, rules)
        if code == "xml.duplicate-id":
            continue  # reported while parsing, with the lines of both
        if code == "rng.value" and (m := re.search(r" has (\S+)=", message)):
            line, column = attribute_position(node, m.group(1), source)  # the value, not the element
        else:
            line, column = source_position(node, source) if node is not None else (entry.line, 0)
        kept.append((error(path, message, code, line or entry.line, column, hint), entry, node))
    return kept
