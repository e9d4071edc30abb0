"""Reading TEI files safely: one parser, one place for every kind of bad input.

Documents come from editors, websites and other projects, so parsing is defensive: no DTD is
loaded, nothing is fetched from the network, and no external entity is resolved (a DOCTYPE that
declares one is refused with a message that names the risk). Internal entities (`<!ENTITY mdash
"&#8212;">`, common in TEI from elsewhere) are expanded only when none refers to itself and their
expansion stays under MAX_ENTITY_EXPANSION characters; otherwise the file is refused. Every failure becomes a `Diagnostic` with a line and column; the caller goes on with the
rest of the corpus.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
import shlex
import unicodedata
from array import array
from collections.abc import Sequence
from pathlib import Path

from charset_normalizer import from_bytes
from lxml import etree

from edition.diagnostics import Diagnostic, display_path, error, warning
from edition.schema_messages import source_position

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI_NS, "xml": "http://www.w3.org/XML/1998/namespace"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

# Largest file accepted; a documentary record is rarely above a few MB.
MAX_BYTES = 64 * 1024 * 1024

# Internal entities (<!ENTITY mdash "&#8212;">) are expanded when their expansion is bounded: no
# entity refers to itself, and what they expand to stays under these many characters in all.
MAX_ENTITY_EXPANSION = 1_000_000

XML_PARSER = etree.XMLParser(
    resolve_entities=False,  # no entity expansion: neither XXE nor "billion laughs"
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,  # libxml2's limits stay: MAX_DEPTH levels, 10 MB in one text node
    remove_comments=False,
    remove_pis=False,
    # No table of xml:ids: libxml2 stops the whole parse at a duplicate, which hid every other
    # problem of the file; duplicates are reported by duplicate_ids() and the document still checked.
    collect_ids=False,
)
MAX_DEPTH = 256  # libxml2's nesting limit without huge_tree


def guess_encoding(data: bytes) -> str:
    """A human name for the encoding bytes that are not UTF-8 seem to be in."""
    sample = data[:65536]
    try:
        # Western European text is the commonest case and statistical detectors often take it for a
        # Baltic or Central European code page; prefer Windows-1252 when it reads as Latin letters.
        text = sample.decode("cp1252")
        letters = [c for c in text if c.isalpha()]
        accented = [c for c in letters if ord(c) > 127]
        # Western text is mostly plain ASCII letters; Cyrillic or Greek read as cp1252 is nearly all accents.
        if accented and len(accented) < 0.3 * len(letters) and all("LATIN" in unicodedata.name(c, "") for c in accented):
            return "cp1252 (Windows Latin-1)"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample).best()
    return best.encoding if best is not None else "unknown (binary?)"


def iconv_name(codec: str) -> str:
    """The name iconv (and an XML declaration) knows a Python codec by: cp1252 -> CP1252, koi8_r -> KOI8-R."""
    try:
        name = codecs.lookup(codec).name.upper().replace("_", "-")
    except LookupError:
        return codec.upper()
    return re.sub(r"^UTF-(16|32)-([LB]E)$", r"UTF-\1\2", name.replace("ISO8859-", "ISO-8859-"))


def _declared_encoding(data: bytes) -> str | None:
    head = data[:200].decode("ascii", "replace")
    if head.startswith("<?xml") and "encoding=" in head.split("?>", 1)[0]:
        decl = head.split("?>", 1)[0]
        quote_start = decl.index("encoding=") + len("encoding=")
        return decl[quote_start + 1:].split(decl[quote_start], 1)[0].strip().lower()
    return None


def _check_encoding(path: Path, data: bytes) -> Diagnostic | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with a byte order mark: XML allows it and lxml reads it.
    declared = _declared_encoding(data)
    if declared not in (None, "utf-8", "utf8"):
        return None  # The document declares its encoding; libxml2 decodes it and reports errors itself.
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        seems = guess_encoding(data)
        if seems.startswith("unknown"):
            hint = "convert it to UTF-8, or declare its encoding in <?xml version=\"1.0\" encoding=\"...\"?>"
        else:
            name = iconv_name(seems.split()[0])
            shown = shlex.quote(display_path(path))
            converted = shlex.quote(display_path(path.with_name(path.stem + ".utf-8" + path.suffix)))
            hint = (f"convert it: iconv -f {name} -t UTF-8 {shown} > {converted} && mv {converted} {shown}"
                    f" (or declare the encoding: <?xml version=\"1.0\" encoding=\"{name}\"?>)")
        return error(path, f"not UTF-8 (byte 0x{data[exc.start]:02X} cannot be decoded); it seems to be {seems}",
                     "xml.encoding", line, column, hint=hint)
    return None


# Internal entities only, and only those whose references are expanded one by one (lxml >= 5).
INTERNAL_ENTITIES_PARSER = etree.XMLParser(resolve_entities="internal", no_network=True, load_dtd=False,
                                           dtd_validation=False, huge_tree=False, remove_comments=False,
                                           remove_pis=False, collect_ids=False)
ENTITY_REFERENCE = re.compile(r"&([A-Za-z_][\w.-]*);")


def _expansion_problem(entities: dict[str, str], data: bytes) -> str:
    """Why the internal entities may not be expanded ("" when they may): one refers to itself, or
    the document would grow by more than MAX_ENTITY_EXPANSION characters."""
    sizes: dict[str, int] = {}

    def size(name: str, seen: tuple[str, ...]) -> int:
        if name in seen:
            raise RecursionError(" -> ".join((*seen, name)))
        if name not in sizes:
            text = entities.get(name, "")
            nested = ENTITY_REFERENCE.findall(text)
            sizes[name] = min(len(ENTITY_REFERENCE.sub("", text)) + sum(
                size(n, (*seen, name)) for n in nested if n in entities), MAX_ENTITY_EXPANSION + 1)
        return sizes[name]

    try:
        uses = ENTITY_REFERENCE.findall(data.decode("utf-8", "replace").split("]>", 1)[-1])
        total = sum(size(n, ()) for n in uses if n in entities)
    except RecursionError as exc:
        return f"the entities refer to themselves ({exc})"
    if total > MAX_ENTITY_EXPANSION:
        return f"the entities would expand to more than {MAX_ENTITY_EXPANSION:,} characters"
    return ""


def _check_doctype(path: Path, tree: etree._ElementTree, line: int, data: bytes = b"") -> list[Diagnostic]:
    dtd = tree.docinfo.internalDTD
    problems: list[Diagnostic] = []
    if dtd is not None:
        internal = {}
        for entity in dtd.iterentities():
            if entity.system_url:
                problems.append(error(
                    path, f"the DOCTYPE declares the external entity '{entity.name}' ({entity.system_url}); "
                          "it was not resolved (XXE: external entities can read local files or the network)",
                    "xml.external-entity", line, hint="remove the DOCTYPE; TEI documents need none"))
            else:
                internal[entity.name] = entity.orig or entity.content or ""
        if internal and (why := _expansion_problem(internal, data)):
            use = _entity_use(data, internal)
            where = f"&{use[0]}; (declared at line {use[3]}) is not expanded: " if use else ""
            problems.append(error(
                path, f"{where}the DOCTYPE declares entities that were not expanded: {why} (entity expansion "
                      "can blow up memory: the 'billion laughs' attack)",
                "xml.entity", *(use[1:3] if use else (line, 0)),
                hint="write the characters themselves instead of entities; remove the DOCTYPE"))
    if tree.docinfo.system_url and not problems:
        problems.append(warning(path, f"the external DTD {tree.docinfo.system_url} was not loaded",
                                "xml.external-dtd", line, hint="TEI documents need no DOCTYPE"))
    return problems


def _entity_use(data: bytes, declared) -> tuple[str, int, int, int] | None:
    """The first use after the DOCTYPE of an entity it declares: (name, line, column, line of the
    declaration); libxml2 reports the DOCTYPE, or the position where it gave up."""
    names = {name.encode("utf-8") for name in declared}
    starts = {m.group(1): m.start() for m in reversed(list(ENTITY_DECLARATION.finditer(data)))}
    subset_end = data.find(b"]>", max(starts.values(), default=0))
    for m in ENTITY_USE.finditer(data, subset_end + 2 if subset_end >= 0 else 0):
        if m.group(1) in names:
            line = data.count(b"\n", 0, m.start()) + 1
            column = m.start() - (data.rfind(b"\n", 0, m.start()) + 1) + 1
            return (m.group(1).decode("utf-8", "replace"), line, column,
                    data.count(b"\n", 0, starts.get(m.group(1), 0)) + 1)
    return None


ENTITY_DECLARATION = re.compile(rb"<!ENTITY\s+([^\s%]+)")
ENTITY_USE = re.compile(rb"&([A-Za-z_][\w.-]*);")


def _unusable(path: Path, data: bytes) -> Diagnostic | None:
    """Why `data` cannot be parsed as XML at all (empty, binary, not in its encoding), or None."""
    if not data.strip():
        return error(path, "the file is empty", "xml.empty", hint="a TEI document starts with <TEI>")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return error(path, "this is a binary file, not XML", "xml.binary")
    return _check_encoding(path, data)


def _doctype_line(data: bytes) -> int:
    doctype_at = data.find(b"<!DOCTYPE")
    return data[:doctype_at].count(b"\n") + 1 if doctype_at >= 0 else 1


def _parse(path: Path, build, doctype_line: int, read,
           source: SourceLines) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    """`build()` (libxml2 parsing the file or its bytes) with its failures as diagnostics; `read()` gives
    the bytes again, for a document with a DOCTYPE only."""
    try:
        tree = etree.ElementTree(build())
    except etree.XMLSyntaxError as exc:
        return None, [_syntax_problem(path, exc, read)]
    dtd = tree.docinfo.internalDTD
    data = read() if dtd is not None else b""
    problems = _check_doctype(path, tree, doctype_line, data)
    if any(p.severity.value == "error" for p in problems):
        return None, problems
    if dtd is not None and any(True for _ in dtd.iterentities()):
        # bounded internal entities (checked above): parsed again with them expanded
        tree = etree.ElementTree(etree.fromstring(data, INTERNAL_ENTITIES_PARSER, base_url=path.resolve().as_uri()))
    return tree, problems + duplicate_ids(path, tree, source)


def _syntax_problem(path: Path, exc: etree.XMLSyntaxError, read) -> Diagnostic:
    line, column = exc.position if exc.position else (exc.lineno or 0, 0)
    message = (exc.msg or str(exc)).split(", line ")[0]
    if "amplification" in message or "entity reference loop" in message:
        data = read()
        use = _entity_use(data, {m.group(1).decode("utf-8", "replace") for m in ENTITY_DECLARATION.finditer(data)})
        where = f"&{use[0]}; (declared at line {use[3]})" if use else "an entity"
        return error(path, f"{where} expands without bound: the DOCTYPE declares entities made of other entities; "
                           "refused (entity expansion can blow up memory: the 'billion laughs' attack)",
                     "xml.entity", *(use[1:3] if use else (line, column)), hint="remove the DOCTYPE; TEI documents need none")
    if message.startswith("Excessive depth in document"):
        return error(path, f"the elements are nested more than {MAX_DEPTH} levels deep here, more than edition "
                           f"reads (libxml2's limit for a document)", "xml.too-deep", line, column,
                     hint="a TEI document needs a few dozen levels at most: nest the elements less deeply")
    return error(path, f"not well-formed XML: {message}", "xml.syntax", line, column,
                 hint="fix the markup at that position (an unclosed or misspelt tag, a stray '&' or '<')")


def duplicate_ids(path: Path, tree: etree._ElementTree, source: Sequence[str]) -> list[Diagnostic]:
    """Each xml:id used a second time in the document, at the element that repeats it."""
    first: dict[str, int] = {}
    found = []
    for element in tree.iter(etree.Element):
        value = element.get(XML_ID)
        if value is None:
            continue
        if value not in first:
            first[value] = element.sourceline or 0
            continue
        found.append(error(path, f'xml:id="{value}" is used twice: also at line {first[value]}', "xml.duplicate-id",
                           *source_position(element, source),
                           hint="each xml:id must be unique within the document; rename one of them"))
    return found


def parse_bytes(data: bytes, path: Path | str) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    """Parse `data` (the content of `path`) safely. Returns the tree (None when unusable) and the problems."""
    path = Path(path)
    if problem := _unusable(path, data):
        return None, [problem]
    return _parse(path, lambda: etree.fromstring(data, XML_PARSER, base_url=path.resolve().as_uri()),
                  _doctype_line(data), lambda: data, SourceLines(path, data))


def parse_file(path: Path | str) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    """Parse `path` safely. Returns the tree (None when unusable) and the problems found.

    The bytes are read for the checks; a small file is parsed from them (a second open and read cost
    a sixth of the parse), while for a large one they are let go before libxml2 reads the file itself:
    its tree (about 7 times its size) is then not built beside a copy of the file."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, [error(path, f"the file is larger than {MAX_BYTES // 2**20} MB", "xml.too-large")]
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [error(path, "no such file", "io.missing", hint="check the path")]
    except IsADirectoryError:
        return None, [error(path, "is a folder, not a file", "io.folder")]
    except OSError as exc:
        return None, [error(path, f"cannot be read: {exc.strerror}", "io.unreadable")]
    if problem := _unusable(path, data):
        return None, [problem]
    doctype_line = _doctype_line(data)
    base_url = path.resolve().as_uri()
    if len(data) <= PARSED_IN_MEMORY:
        return _parse(path, lambda: etree.fromstring(data, XML_PARSER, base_url=base_url), doctype_line,
                      lambda: data, SourceLines(path, data))
    del data
    return _parse(path, lambda: etree.parse(str(path), XML_PARSER, base_url=base_url).getroot(),
                  doctype_line, path.read_bytes, SourceLines(path))


PARSED_IN_MEMORY = 1 << 20  # bytes: up to this size a file is parsed from the bytes read for the checks


class SourceLines(Sequence):
    """A file's lines as text, for diagnostics' columns: read when a diagnostic first needs one (a clean
    document costs nothing) and kept as bytes with the offsets of the line starts, not as one str per
    line (which took 36 MB more for a 10 MB document). Lines end at "\n" only, as libxml2 counts them."""

    def __init__(self, path: Path | str, data: bytes | None = None):
        self.path = Path(path)
        self._data = data
        self._starts: array | None = None

    @property
    def data(self) -> bytes:
        return self._load()

    def _load(self) -> bytes:
        if self._starts is None:
            if self._data is None:
                try:
                    self._data = self.path.read_bytes()
                except OSError:
                    self._data = b""
            self._starts = array("q", [0])
            self._starts.extend(m.end() for m in re.finditer(b"\n", self._data))
            if self._starts[-1] == len(self._data):
                self._starts.pop()  # no line after the last newline (str.splitlines neither)
        return self._data

    def __len__(self) -> int:
        self._load()
        return len(self._starts)

    def __getitem__(self, index: int) -> str:
        data = self._load()
        if not isinstance(index, int):
            raise TypeError("SourceLines takes one line number at a time")
        if index < 0:
            index += len(self._starts)
        if not 0 <= index < len(self._starts):
            raise IndexError(index)
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(data)
        return data[self._starts[index]:end].decode("utf-8", "replace").removesuffix("\n").removesuffix("\r")


def text_of(element) -> str:
    """The element's text with whitespace collapsed ("" for None)."""
    if element is None:
        return ""
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


@functools.lru_cache(maxsize=256)
def compiled_xpath(expression: str) -> etree.XPath:
    """An XPath with the TEI prefixes, compiled once per process: `element.xpath(text)` compiles it
    at every call, which for the few dozen expressions read per document cost more than running them."""
    return etree.XPath(expression, namespaces=NS)


def first_of(tree, *xpaths: str):
    """The first node found by the first of `xpaths` that finds any (None if none does)."""
    for xpath in xpaths:
        found = compiled_xpath(xpath)(tree)
        if found:
            return found[0]
    return None


def serialise(tree: etree._ElementTree) -> str:
    """The document as text for Saxon: the root element only, so no DOCTYPE travels with it."""
    return etree.tostring(tree.getroot(), encoding="unicode")


def find_xml_files(paths: list[Path], resolve: bool = False) -> tuple[list[Path], list[Diagnostic]]:
    """Expand folders into their *.xml files (sorted); report paths that do not exist. `resolve`:
    each file's path as Path.resolve() gives it."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = _xml_files_below(p, resolve)
            if not found:
                problems.append(warning(p, "the folder contains no .xml files", "io.no-xml"))
            files.extend(found)
        elif p.exists():
            files.append(p.resolve() if resolve else p)
        else:
            problems.append(error(p, "no such file or folder", "io.missing", hint="check the path"))
    return files, problems


def _xml_files_below(folder: Path, resolve: bool) -> list[Path]:
    """The *.xml files (or links to files) below `folder`, in Path order, none hidden or in a hidden
    folder; links to folders are not followed (as Path.rglob). By os.scandir, whose entries know
    whether they are files and links: rglob, a stat of each file and resolving each took 0.25 s for
    10,000 documents, at the start of every build; now 0.03-0.05 s. Resolved, a file's path is the
    folder's resolved once and its parts below (the folders walked are no links), or, for a link
    itself, resolved."""
    found: list[tuple[tuple[str, ...], str | None]] = []

    def walk(directory: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except PermissionError:  # (skipped, as rglob does)
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, parts + (name,))
            elif os.path.normcase(name).endswith(".xml") and entry.is_file():  # (".XML" too on Windows)
                found.append((parts + (name,), entry.path if resolve and entry.is_symlink() else None))

    walk(str(folder), ())
    found.sort(key=lambda item: [os.path.normcase(part) for part in item[0]])  # (as Paths sort)
    if not resolve:
        return [folder.joinpath(*parts) for parts, _ in found]
    base = folder.resolve()
    return [Path(link).resolve() if link else base.joinpath(*parts) for parts, link in found]


# What may stand before the root element: space, a processing instruction, a comment, the DOCTYPE.
_PROLOG_TOKEN = re.compile(rb"\s+|<\?(?P<target>[^\s?]+).*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.S)


def published_copy(data: bytes) -> bytes:
    """The TEI file as the web edition offers it for download: the same bytes, less the processing
    instructions before the root element other than the XML declaration and `xml-model`. An
    `<?xml-stylesheet href="javascript:…"?>` there would make a browser that opens the copy fetch or
    run what the document names; `xml-model` only tells XML editors which schema applies. (Browsers
    act on no instruction inside the root element, so those stay, as the editor wrote them.)"""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # a UTF-8 byte-order mark
    position, kept = start, [data[:start]]
    dropped = False
    while (token := _PROLOG_TOKEN.match(data, position)) is not None:
        target = token.group("target")
        if target is not None and target not in (b"xml", b"xml-model"):
            dropped = True  # and the line break after it
        elif not (dropped and token.group().isspace()):
            kept.append(token.group())
            dropped = False
        position = token.end()
    if len(b"".join(kept)) == position:  # nothing removed
        return data
    return b"".join(kept) + data[position:]
