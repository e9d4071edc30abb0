"""`edition guidelines`: the encoding guidelines, generated from the schemas so they never drift.

Each element of schemas/edition.rng is described by its `a:documentation`, where it may stand (its
parents, derived by following the RELAX NG patterns), what it may contain, its attributes, and an
example: its first occurrence in the edition's own documents, pretty-printed and shortened. The
Schematron rules follow, each with its id, severity and message. Markdown is the source format; HTML
is rendered from it with markdown-it (raw HTML off, so nothing from the schema or the documents can
inject markup).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.diagnostics import EditionError, Severity
from edition.documents import NS, parse_file
from edition.resources import schema_path

RNG = "http://relaxng.org/ns/structure/1.0"
ANN = "http://relaxng.org/ns/compatibility/annotations/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"
R = {"rng": RNG, "a": ANN, "sch": SCH}
# Patterns whose content is walked to find an element's children and attributes.
CONTAINERS = {"group", "choice", "optional", "zeroOrMore", "oneOrMore", "interleave", "mixed", "list"}


@dataclass
class Attribute:
    name: str
    required: bool
    values: list[str] = field(default_factory=list)
    documentation: str = ""


@dataclass
class ElementDoc:
    name: str
    documentation: list[str] = field(default_factory=list)
    parents: set[str] = field(default_factory=set)
    children: set[str] = field(default_factory=set)
    attributes: dict[str, Attribute] = field(default_factory=dict)
    classes: list[str] = field(default_factory=list)  # attribute groups (defines named *att.*) it uses
    text: bool = False  # may contain text
    example: str = ""
    example_source: str = ""


@dataclass
class RuleDoc:
    id: str
    severity: str
    context: str
    message: str
    pattern: str = ""  # the title of its Schematron pattern (or the pattern's id)


@dataclass
class Guidelines:
    elements: dict[str, ElementDoc]
    classes: dict[str, tuple[str, list[Attribute]]]  # attribute group -> (documentation, attributes)
    rules: list[RuleDoc]
    relaxng: Path | None  # None: model "tei" without a schema
    schematron: Path | None


def _doc(node) -> str:
    """The node's own a:documentation, whitespace collapsed."""
    found = node.find(f"{{{ANN}}}documentation")
    return re.sub(r"\s+", " ", "".join(found.itertext())).strip() if found is not None else ""


def _name(node) -> str:
    if node.get("name"):
        return node.get("name").strip()
    name = node.find(f"{{{RNG}}}name")
    return name.text.strip() if name is not None and name.text else ""


class SchemaReader:
    """Walks a RELAX NG grammar (XML syntax, one file with defines) element by element."""

    def __init__(self, tree: etree._ElementTree) -> None:
        self.defines: dict[str, list] = {}
        for define in tree.iter(f"{{{RNG}}}define"):
            self.defines.setdefault(define.get("name"), []).append(define)
        self.elements: dict[str, ElementDoc] = {}
        self.classes: dict[str, tuple[str, list[Attribute]]] = {}
        for element in tree.iter(f"{{{RNG}}}element"):
            name = _name(element)
            if not name:
                continue  # anyName / nsName: no element to document
            entry = self.elements.setdefault(name, ElementDoc(name))
            parent = element.getparent()
            documentation = _doc(element) or (_doc(parent) if parent.tag == f"{{{RNG}}}define" else "")
            if documentation and documentation not in entry.documentation:
                entry.documentation.append(documentation)
            self._content(element, entry, required=True, seen=set())
        for entry in self.elements.values():
            for child in entry.children:
                if child in self.elements:
                    self.elements[child].parents.add(entry.name)

    def _content(self, node, entry: ElementDoc, required: bool, seen: set[str], via: str = "") -> None:
        for child in node:
            if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{RNG}}}"):
                continue  # annotations and comments
            kind = etree.QName(child).localname
            if kind == "element":
                if _name(child):
                    entry.children.add(_name(child))
            elif kind == "attribute":
                if via:
                    continue  # listed once, under its attribute class
                name = _name(child)
                values = [v.text or "" for v in child.iter(f"{{{RNG}}}value")]
                entry.attributes.setdefault(name, Attribute(name, required, values, _doc(child)))
            elif kind in ("text", "data", "value", "mixed"):
                entry.text = True
                if kind == "mixed":
                    self._content(child, entry, False, seen, via)
            elif kind == "ref":
                target = child.get("name")
                if target in seen:
                    continue
                seen.add(target)
                if "att." in target and not via:
                    self._attribute_class(target)
                    if target not in entry.classes:
                        entry.classes.append(target)
                    continue
                for define in self.defines.get(target, []):
                    self._content(define, entry, required, seen, via)
            elif kind in CONTAINERS:
                self._content(child, entry, required and kind in ("group", "oneOrMore", "interleave"), seen, via)

    def _attribute_class(self, name: str) -> None:
        if name in self.classes:
            return
        attributes: list[Attribute] = []
        documentation = []
        for define in self.defines.get(name, []):
            documentation.append(_doc(define))
            for attribute in define.iter(f"{{{RNG}}}attribute"):
                between = []
                for ancestor in attribute.iterancestors():
                    if ancestor is define:
                        break
                    between.append(etree.QName(ancestor).localname)
                optional = any(kind in ("optional", "zeroOrMore", "choice") for kind in between)
                attributes.append(Attribute(_name(attribute), not optional,
                                            [v.text or "" for v in attribute.iter(f"{{{RNG}}}value")],
                                            _doc(attribute)))
        self.classes[name] = (" ".join(filter(None, documentation)), attributes)


def read_rules(tree: etree._ElementTree) -> list[RuleDoc]:
    """Every assert and report of a Schematron schema, with its id, severity and message."""
    rules = []
    for pattern in tree.iter(f"{{{SCH}}}pattern"):
        for rule in pattern.iter(f"{{{SCH}}}rule"):
            for test in rule:
                if etree.QName(test).localname not in ("assert", "report"):
                    continue
                rules.append(RuleDoc(
                    id=test.get("id") or rule.get("id") or pattern.get("id") or "",
                    severity=Severity.from_role(test.get("role") or rule.get("role")).value,
                    context=rule.get("context", ""),
                    message=_message(test),
                    pattern=_title(pattern) or pattern.get("id", ""),
                ))
    return rules


def _title(pattern) -> str:
    title = pattern.find(f"{{{SCH}}}title")
    return re.sub(r"\s+", " ", "".join(title.itertext())).strip() if title is not None else ""


def _message(test) -> str:
    """The message text, with <name/> and <value-of/> shown as placeholders."""
    parts = [test.text or ""]
    for child in test:
        local = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if local == "name":
            parts.append("ELEMENT")
        elif local == "value-of":
            parts.append("{" + child.get("select", "") + "}")
        elif local:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


# ------------------------------------------------------------------------------------ examples

def shorten(element: etree._Element, max_children: int = 3, max_depth: int = 3, max_text: int = 90) -> etree._Element:
    """A copy of `element` cut down for display: few children, shallow, short text runs."""
    element = copy.deepcopy(element)
    element.tail = None

    def cut(text: str | None) -> str | None:
        if text is None:
            return None
        text = re.sub(r"\s+", " ", text)
        if not text.strip():
            return None
        if len(text) <= max_text:
            return text
        cut_at = text.rfind(" ", 0, max_text)  # at a word's end, so no word is shown cut in two
        return text[:cut_at if cut_at > max_text // 2 else max_text].rstrip() + "…"

    def walk(node, depth: int) -> None:
        node.text = cut(node.text)
        children = [c for c in node if isinstance(c.tag, str)]
        for comment in [c for c in node if not isinstance(c.tag, str)]:
            node.remove(comment)
        if depth >= max_depth and children:
            for c in children:
                node.remove(c)
            node.append(etree.Comment(f" … {len(children)} element(s) "))
            return
        for c in children[max_children:]:
            node.remove(c)
        if len(children) > max_children:
            children[max_children - 1].tail = None
            node.append(etree.Comment(f" … {len(children) - max_children} more "))
        for c in children[:max_children]:
            c.tail = cut(c.tail)
            walk(c, depth + 1)

    walk(element, 1)
    return element


def example_text(element: etree._Element) -> str:
    for max_children, max_depth in ((3, 3), (2, 2), (1, 1)):
        short = shorten(element, max_children, max_depth)
        etree.indent(short, space="  ")
        text = etree.tostring(short, encoding="unicode")
        text = re.sub(r' xmlns(:\w+)?="[^"]*"', "", text)  # the TEI namespace is implied in the guidelines
        if len(text) <= 700:
            break
    return text


EXAMPLE_SCOPES = ("tei:text//tei:*", "descendant-or-self::tei:*")


def element_names(tree) -> list[list[str]]:
    """The TEI element names of a document, per scope of `find_examples` (in its text; anywhere).
    The build keeps them per file, so it knows which files supply the examples without parsing all.
    (By lxml's iterators over the tags, which give what the two scopes' XPath finds, without making a
    Python object of each element's QName: a third of the build's validation time went here.)"""
    root = tree.getroot()
    tei = "{" + NS["tei"] + "}"
    skip = len(tei)
    anywhere = {element.tag[skip:] for element in root.iter(tei + "*")}
    in_text = {element.tag[skip:] for text in root.iterchildren(tei + "text") for element in text.iterdescendants(tei + "*")}
    return [sorted(in_text), sorted(anywhere)]


def example_files(names: dict[Path, list[list[str]]]) -> list[Path]:
    """The files (in the given order) that `find_examples` takes an example from, given each file's
    `element_names`: those alone give the same examples as all the files."""
    found: dict[str, Path] = {}
    for scope in range(len(EXAMPLE_SCOPES)):
        for path, per_scope in names.items():
            for name in per_scope[scope]:
                found.setdefault(name, path)
    chosen = set(found.values())
    return [path for path in names if path in chosen]


def find_examples(elements: dict[str, ElementDoc], files: list[Path]) -> None:
    """Fill each element's example with its first occurrence in `files` (in that order), preferring an
    occurrence in a document's text (a paragraph of the record says more than one of the header)."""
    trees = [(path, tree) for path, (tree, _) in ((p, parse_file(p)) for p in files) if tree is not None]
    wanted = set(elements)
    for scope in EXAMPLE_SCOPES:
        for path, tree in trees:
            for node in tree.getroot().xpath(scope, namespaces=NS):
                name = etree.QName(node).localname
                if name in wanted:
                    wanted.discard(name)
                    elements[name].example = example_text(node)
                    elements[name].example_source = f"{path.name}, line {node.sourceline}"


# ------------------------------------------------------------------------------------- collect

def collect(config=None, corpus=None, files: list[Path] | None = None) -> Guidelines:
    """Read the edition's schemas (or the built-in ones) and its documents for examples (from
    `files`, when the caller knows which files supply them: see `example_files`)."""
    rng = config.relaxng_path if config else schema_path("edition.rng")
    sch = config.schematron_path if config else schema_path("edition.sch")
    rules: list[RuleDoc] = []
    if rng is None:  # model "tei" without a schema: the generic checks only, no elements to document
        if sch is not None and sch.is_file():
            sch_tree, problems = parse_file(sch)
            rules = read_rules(sch_tree) if sch_tree is not None else []
        return Guidelines({}, {}, rules, None, sch if sch is not None and sch.is_file() else None)
    tree, problems = parse_file(rng)
    if tree is None:
        raise EditionError(f"cannot read the RELAX NG schema {rng}", problems)
    reader = SchemaReader(tree)
    if sch is not None and sch.is_file():
        sch_tree, problems = parse_file(sch)
        if sch_tree is None:
            raise EditionError(f"cannot read the Schematron rules {sch}", problems)
        rules = read_rules(sch_tree)
    if files is not None:
        pass
    elif corpus is not None:
        files = [d.path for d in corpus.documents] + [corpus.config.persons_path, corpus.config.places_path]
    elif config is not None:
        from edition.documents import find_xml_files

        found, _ = find_xml_files([config.sources_dir])
        registers = [config.persons_path, config.places_path]
        files = sorted(p for p in found if p.resolve() not in registers) + registers
    else:
        files = []
    find_examples(reader.elements, [f for f in files if f.is_file()])
    return Guidelines(reader.elements, reader.classes, rules, rng, sch if sch is not None and sch.is_file() else None)


# ------------------------------------------------------------------------------------- render

def anchor(text: str) -> str:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _md(text: str) -> str:
    """Escape Markdown's punctuation so schema text is shown as written."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


def _class(define: str) -> str:
    """'tei_att.global' -> 'att.global': the TEI name of an attribute class."""
    return define.removeprefix("tei_")


def _element_link(name: str) -> str:
    return f"[`<{name}>`](#{anchor(name)})"


def _attribute_line(attribute: Attribute) -> str:
    line = f"`{attribute.name}`" + (" (required)" if attribute.required else "")
    if attribute.values:
        line += ": " + " \\| ".join(f"`{v}`" for v in attribute.values)
    if attribute.documentation:
        line += " — " + _md(attribute.documentation)
    return line


GENERIC = ("This edition publishes TEI P5 documents as they are (`[validation] model = \"tei\"`) and names no "
           "schema of its own. `edition validate` checks that each document is well-formed XML with `<TEI>` or "
           "`<teiCorpus>` in the TEI namespace, that its `xml:id`s are unique, that its same-document pointers "
           "(`#id`) lead to an element and its speakers (`<sp who=\"#id\">`) to a person of its `particDesc` or "
           "a `listPerson`, and that its dates are W3C dates (`1890`, `1890-09`, `1890-09-23`, ...).")


def to_markdown(guidelines: Guidelines, title: str = "Encoding guidelines", level: int = 1) -> str:
    return "\n".join(to_sections(guidelines, title, level))


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in `text`, so that an example cannot end it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def to_sections(guidelines: Guidelines, title: str = "Encoding guidelines", level: int = 1) -> list[str]:
    """The guidelines' Markdown in parts, each beginning with a heading (so that each part renders
    to the same HTML alone as in the whole: see `guidelines_html`); joined by newlines, the whole."""
    h = "#" * level
    if guidelines.relaxng is None:
        out = [f"{h} {title}", "", GENERIC, ""]
        if guidelines.schematron is not None:
            out += [f"It also checks the rules of `{guidelines.schematron.name}`:", ""]
            out += [f"- `sch.{r.id}` ({r.severity}): {_md(r.message)}" for r in guidelines.rules] + [""]
        return ["\n".join(out)]
    sections: list[str] = []

    def section(lines: list[str]) -> list[str]:
        sections.append("\n".join(lines))
        return []

    rng = guidelines.relaxng.name
    sch = guidelines.schematron.name if guidelines.schematron else None
    out = [f"{h} {title}", "",
           f"Generated by `edition guidelines` from `{rng}`" + (f" and `{sch}`" if sch else "")
           + ": the documentation of each element and rule is the schema's own, so these guidelines say "
             "what `edition validate` checks. "
           + ("Examples are the first occurrence of each element in the edition's documents, shortened."
              if any(e.example for e in guidelines.elements.values())
              else "Run `edition guidelines` inside an edition to see examples from its documents."), "",
           "Elements: " + ", ".join(_element_link(n) for n in sorted(guidelines.elements, key=str.lower)), ""]
    out = section(out)
    out += [f"{h}# Elements", ""]
    for element in guidelines.elements.values():
        out = section(out)
        out += [f"{h}## {element.name}", ""]
        out += [_md(d) + "\n" for d in element.documentation] or ["(No documentation in the schema.)", ""]
        parents = sorted(element.parents, key=str.lower)
        out.append("- **Where:** " + (("inside " + ", ".join(_element_link(p) for p in parents)) if parents
                                      else "the root of a document"))
        children = sorted(element.children, key=str.lower)
        contains = [", ".join(_element_link(c) for c in children)] if children else []
        contains += ["text"] if element.text else []
        out.append("- **Contains:** " + (" and ".join(contains) if contains else "nothing (empty element)"))
        if element.attributes:
            out.append("- **Attributes:** " + "; ".join(_attribute_line(a) for a in element.attributes.values()))
        if element.classes:
            out.append("- **Attribute classes:** " + ", ".join(f"[{_class(c)}](#{anchor(_class(c))})"
                                                                for c in element.classes))
        out.append("")
        if element.example:
            fence = _fence(element.example)
            out += [f"Example ({_md(element.example_source)}):", "", fence + "xml", element.example, fence, ""]
    if guidelines.classes:
        out = section(out)
        out += [f"{h}# Attribute classes", ""]
        for name, (documentation, attributes) in guidelines.classes.items():
            out = section(out)
            out += [f"{h}## {_class(name)}", "", _md(documentation), ""]
            out += [f"- {_attribute_line(a)}" for a in attributes] + [""]
    if guidelines.rules:
        out = section(out)
        out += [f"{h}# Rules", "", f"The rules of `{sch}`, checked by `edition validate` in addition to the "
                "schema, by theme. An error stops the build; a warning is reported only. In messages, ELEMENT "
                "stands for the element's name and {…} for a value taken from the document.", ""]
        themes: dict[str, list[RuleDoc]] = {}
        for rule in guidelines.rules:
            themes.setdefault(rule.pattern, []).append(rule)
        for theme, rules in themes.items():
            out = section(out)
            out += [f"{h}## {_md(theme)}", "", "| Rule | Severity | Message |", "| --- | --- | --- |"]
            out += [f"| `sch.{r.id}` | {r.severity} | {_md(r.message)} |" for r in rules] + [""]
    section(out)
    return sections


def _heading_ids(state) -> None:
    """Give headings the ids GitHub gives them, so the in-page links work in HTML too."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            token.attrSet("id", anchor(tokens[i + 1].content))


def markdown_to_html(text: str) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.core.ruler.push("heading_ids", _heading_ids)
    return md.render(text)


def guidelines_html(config=None, corpus=None, level: int = 1, files: list[Path] | None = None,
                    rendered: dict[str, str] | None = None) -> str:
    """The guidelines as an HTML fragment (no <html>/<body>), for the web edition's guidelines page.

    `level` is the rank of the top heading (2 to nest it under the page's own <h1>). `rendered`:
    the HTML of parts rendered before, by the digest of their Markdown; on return, that of this
    page's parts.
    (Rendering the whole took half a second, redone by a build whenever a document that supplies an
    example changed: by parts, only the changed element's part is.) Each part begins with a heading,
    which ends whatever block came before it in CommonMark, so the parts' HTML joined is the whole's.
    """
    from edition.cache import digest

    known = rendered or {}
    used: dict[str, str] = {}
    for part in to_sections(collect(config, corpus, files), level=level):
        key = digest(part)
        used[key] = known[key] if key in known else markdown_to_html(part)
    if rendered is not None:
        rendered.clear()
        rendered.update(used)
    return "".join(used.values())


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Encoding guidelines</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
pre{{background:#f5f5f5;padding:.6rem;overflow:auto}}table{{border-collapse:collapse;display:block;overflow-x:auto}}
td:first-child{{white-space:nowrap}}
td,th{{border:1px solid #ccc;padding:.2rem .4rem;vertical-align:top}}</style></head>
<body>
{body}</body></html>
"""


def write_guidelines(config=None, output_format: str = "markdown", out: Path | None = None) -> str:
    """The guidelines as Markdown or as a standalone HTML page; written to `out` when given."""
    if output_format not in ("markdown", "html"):
        raise EditionError(f"unknown format '{output_format}'", hint="choose markdown or html")
    text = to_markdown(collect(config))
    if output_format == "html":
        text = PAGE.format(body=markdown_to_html(text))
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
    return text
