"""`edition.toml`: one declared schema, a docstring per key, every problem reported at once.

The file is found upward from the current folder (like git finds `.git`), or given with
`edition -C DIR`. Paths in it are relative to the folder that holds it.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from edition.diagnostics import Diagnostic, EditionError, display_path, error
from edition.resources import schema_path

CONFIG_NAME = "edition.toml"


def doc(text: str, default: Any = None, **kw) -> Any:
    """A config key: its default and the docstring the README and `edition init`'s edition.toml show."""
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata={"doc": text, **kw})
    return field(default=default, metadata={"doc": text, **kw})


@dataclass
class EditionSection:
    title: str = doc("The edition's title, shown on every page and on the book's title page.", "")
    subtitle: str = doc("A subtitle under the title.", "")
    editors: list[str] = doc("The editors' names, in the order they are credited.", [])
    publisher: str = doc("Who publishes the edition (shown in citations).", "")
    year: str = doc("Year of publication of the edition (shown in citations).", "")
    url: str = doc("Where the web edition is published (used for citations and permalinks).", "")
    language: str = doc("The edition's language as a BCP 47 tag (e.g. 'en', 'ru').", "en")
    sources: str = doc("Folder of the TEI documents, relative to edition.toml.", "tei")
    persons: str = doc("The personography (register of persons), relative to edition.toml.", "tei/persons.xml")
    places: str = doc("The register of places, relative to edition.toml.", "tei/places.xml")
    facsimiles: str = doc("Folder of the page images (JPEG, PNG, TIFF), relative to edition.toml; "
                          "`edition import --images` and `edition new --images` copy them here.", "facsimiles")
    output: str = doc("Folder the build writes into (html/ and pdf/ inside it).", "_build")
    introduction: str = doc("Optional Markdown file with the edition's introduction.", "")


MODELS = ("edition", "tei")


@dataclass
class ValidationSection:
    # Why two models: documents encoded elsewhere (DraCor, ELTeC, FRUS, a TEI Publisher project) are
    # valid TEI without an archival source, participants or registers; the edition's own rules would
    # refuse every one of them.
    model: str = doc("'edition' (the built-in rules for archival records) or 'tei' (any TEI P5 document).",
                     "edition", choices=MODELS)
    relaxng: str = doc("RELAX NG schema (XML syntax); empty for the built-in encoding model "
                       "(with model 'tei': no schema).", "")
    schematron: str = doc("ISO Schematron rules; empty for the built-in edition rules (with model 'tei': none).", "")


@dataclass
class HtmlSection:
    templates: str = doc("Folder whose jinja2 templates override the built-in ones by file name.", "")
    css: str = doc("Extra CSS file appended after the built-in stylesheet.", "")
    stylesheet: str = doc("Project XSLT that imports the built-in html.xsl and overrides templates.", "")
    search: bool = doc("Build the Pagefind full-text search index.", True)


@dataclass
class PdfSection:
    paper: str = doc("Page size: a Typst paper name such as 'a4', 'us-letter', 'a5', 'iso-b5'.", "a4")
    fonts: list[str] = doc("Font families for the text, first match wins.", ["Libertinus Serif", "New Computer Modern"])
    font_paths: list[str] = doc("Extra folders with font files, relative to edition.toml.", [])
    running_head: str = doc("Text of the left running head; empty for the edition's title.", "")
    reading: str = doc("The reading the text is printed in: 'edited' (the editors' corrections, the source's "
                       "readings in the apparatus) or 'source' (a diplomatic transcription: the source's readings, "
                       "the corrections in the apparatus).", "edited", choices=("edited", "source"))
    enabled: bool = doc("Build the print edition (PDF).", True)
    # Why 50: Typst holds a whole volume in memory while typesetting it (about 3 MB per document of
    # 10 KB; the memory goes back only when its process ends) and re-typesets all of it after a
    # correction: volumes of 50 take about 200 MB and 0.7 s (measured on generated documents of 10 KB,
    # 2 cores), so that a build of 1,000 documents stays under 1 GB and a correction is rebuilt in
    # about 2 s. Records of conversations of about 5 pages make volumes of about 250 pages.
    volume_size: int = doc("Documents per volume of the print edition, in date order (each volume with its own "
                           "contents and indexes; documents keep their numbers); 0 for one book whatever the size.",
                           50, minimum=0)
    facsimiles: str = doc("Page images in the print edition: 'none', or 'plates' (each document followed by its page "
                          "images, a page each, at print resolution, with captions).", "none", choices=("none", "plates"))


SECTIONS = {
    "edition": EditionSection,
    "validation": ValidationSection,
    "html": HtmlSection,
    "pdf": PdfSection,
}


@dataclass
class Config:
    root: Path
    path: Path | None
    edition: EditionSection = field(default_factory=EditionSection)
    validation: ValidationSection = field(default_factory=ValidationSection)
    html: HtmlSection = field(default_factory=HtmlSection)
    pdf: PdfSection = field(default_factory=PdfSection)
    # Not keys of edition.toml: where each key stands in it (for messages), and a cache folder of
    # the caller's choosing (`edition serve` keeps its own, so that it can run beside a build).
    lines: dict = field(default_factory=dict, repr=False)
    cache_override: Path | None = None

    def resolve(self, relative: str) -> Path:
        return (self.root / relative).resolve()

    @property
    def sources_dir(self) -> Path:
        return self.resolve(self.edition.sources)

    @property
    def output_dir(self) -> Path:
        return self.resolve(self.edition.output)

    @property
    def persons_path(self) -> Path:
        return self.resolve(self.edition.persons)

    @property
    def places_path(self) -> Path:
        return self.resolve(self.edition.places)

    @property
    def facsimiles_dir(self) -> Path:
        return self.resolve(self.edition.facsimiles)

    @property
    def cache_dir(self) -> Path:
        """`.edition-cache` beside the output folder when that is inside the edition, else in the
        edition's own folder: the build never writes outside the edition and its output."""
        if self.cache_override is not None:
            return self.cache_override
        parent = self.output_dir.parent
        return parent / ".edition-cache" if _within(parent, self.root) else self.root / ".edition-cache"

    @property
    def relaxng_path(self) -> Path | None:
        """The RELAX NG schema documents are validated with; None for model "tei" without one."""
        v = self.validation.relaxng
        return self.resolve(v) if v else None if self.validation.model == "tei" else schema_path("edition.rng")

    @property
    def schematron_path(self) -> Path | None:
        """The Schematron rules documents are checked with; None for model "tei" without any."""
        v = self.validation.schematron
        return self.resolve(v) if v else None if self.validation.model == "tei" else schema_path("edition.sch")


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_paths(config: Config, output: bool = True) -> None:
    """Every path in edition.toml, before any work: the files and folders it names exist, and the
    output folder is the build's own (not the sources, the registers or edition.toml, nor a folder
    holding them, nor one inside them: publishing replaces the output folder's html/ and pdf/).
    Every problem is reported at once, at the line of its key."""
    where = config.path or config.root / CONFIG_NAME
    problems: list[Diagnostic] = []

    def problem(section: str, key: str, message: str, hint: str, code: str = "config.path") -> None:
        problems.append(error(where, f"'{section}.{key}': {message}", code,
                              line=config.lines.get((section, key), 0), hint=hint))

    def must_exist(section: str, key: str, value: str, folder: bool = False) -> None:
        if not value:
            return
        path = config.resolve(value)
        kind = "folder" if folder else "file"
        if not path.exists():
            problem(section, key, f"no such {kind}: {display_path(path)}",
                    "create it, or correct the path (paths are relative to the folder of edition.toml)")
        elif folder != path.is_dir():
            problem(section, key, f"{display_path(path)} is a {'file' if folder else 'folder'}, not a {kind}",
                    f"give the path of a {kind}")

    must_exist("edition", "sources", config.edition.sources, folder=True)
    for key in ("persons", "places", "introduction"):
        if key != "introduction" and config.validation.model == "tei" and ("edition", key) not in config.lines:
            continue  # TEI from elsewhere: registers only if the editor names them
        must_exist("edition", key, getattr(config.edition, key))
    if ("edition", "facsimiles") in config.lines:  # the default folder exists only in editions with images
        must_exist("edition", "facsimiles", config.edition.facsimiles, folder=True)
    must_exist("validation", "relaxng", config.validation.relaxng)
    must_exist("validation", "schematron", config.validation.schematron)
    must_exist("html", "templates", config.html.templates, folder=True)
    must_exist("html", "css", config.html.css)
    must_exist("html", "stylesheet", config.html.stylesheet)
    for value in config.pdf.font_paths:
        must_exist("pdf", "font_paths", value, folder=True)
    if output:
        out = config.output_dir
        if out.exists() and not out.is_dir():
            problem("edition", "output", f"{display_path(out)} is a file, not a folder",
                    "give a folder of its own for the build's output (default: _build)", "config.output")
        owned = [("the sources folder", config.sources_dir), ("edition.toml", where),
                 ("the facsimiles folder", config.facsimiles_dir)]
        registers = {key: getattr(config.edition, key) for key in ("persons", "places")}
        owned += [(f"the register {value}", config.resolve(value)) for value in registers.values() if value]
        for name, path in owned:
            if _within(out, path) or _within(path, out):
                relation = "is" if out == path else "is inside" if _within(out, path) else "contains"
                problem("edition", "output", f"the output folder {display_path(out)} {relation} {name}; "
                        "a build replaces its html/ and pdf/ and would overwrite the editor's files",
                        "give a folder of its own for the build's output (default: _build)", "config.output")
                break
    if problems:
        raise EditionError(f"{len(problems)} problem(s) in {display_path(where)}", problems)


def find_config(start: Path) -> Path | None:
    """The nearest edition.toml in `start` or any folder above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _type_ok(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, str)


def _type_name(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    return "a list of strings" if isinstance(default, list) else "a string"


def _unknown(path: Path, key: str, known: list[str], line: int) -> Diagnostic:
    close = difflib.get_close_matches(key.rsplit(".", 1)[-1], known, n=1)
    hint = f"did you mean '{key.rsplit('.', 1)[0] + '.' if '.' in key else ''}{close[0]}'?" if close else \
        f"known keys: {', '.join(known)}"
    return error(path, f"unknown key '{key}'", "config.unknown-key", line=line, hint=hint)


def key_lines(text: str) -> dict[tuple[str, str | None], int]:
    """Line numbers of `[section]` headers and `key =` lines, so problems point at their line."""
    found: dict[tuple[str, str | None], int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), 1):
        if m := re.match(r"\s*\[\s*([A-Za-z0-9_.-]+)\s*\]", line):
            section = m.group(1)
            found.setdefault((section, None), number)
        elif m := re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line):
            found.setdefault((section, m.group(1)), number)
    return found


def parse_config(data: dict, root: Path, path: Path | None, text: str = "") -> Config:
    """Turn the TOML table into a Config, collecting every problem before raising."""
    where = path or root / CONFIG_NAME
    lines = key_lines(text)
    problems: list[Diagnostic] = []
    config = Config(root=root, path=path, lines=lines)
    for name, value in data.items():
        if name not in SECTIONS:
            problems.append(_unknown(where, name, list(SECTIONS), lines.get((name, None), 0)))
            continue
        if not isinstance(value, dict):
            problems.append(error(where, f"'{name}' must be a table ([{name}])", "config.type"))
            continue
        section = SECTIONS[name]()
        known = {f.name: f for f in fields(section)}
        for key, item in value.items():
            if key not in known:
                problems.append(_unknown(where, f"{name}.{key}", list(known), lines.get((name, key), 0)))
            elif not _type_ok(item, getattr(section, key)):
                problems.append(error(where, f"'{name}.{key}' must be {_type_name(getattr(section, key))}, "
                                      f"not {type(item).__name__}", "config.type", line=lines.get((name, key), 0)))
            elif "choices" in known[key].metadata and item not in known[key].metadata["choices"]:
                choices = known[key].metadata["choices"]
                close = [c for c in choices if c == item.casefold()] or difflib.get_close_matches(item, choices, n=1)
                problems.append(error(where, f"'{name}.{key}' must be one of {', '.join(map(repr, choices))}, "
                                      f"not {item!r}", "config.value", line=lines.get((name, key), 0),
                                      hint=f"did you mean {close[0]!r}?" if close else ""))
            elif "minimum" in known[key].metadata and item < known[key].metadata["minimum"]:
                minimum = known[key].metadata["minimum"]
                problems.append(error(where, f"'{name}.{key}' must be {minimum} or more, not {item}", "config.value",
                                      line=lines.get((name, key), 0)))
            else:
                setattr(section, key, item)
        setattr(config, name, section)
    if not config.edition.title:
        problems.append(error(where, "'edition.title' is required", "config.missing-key",
                              hint='add title = "..." under [edition]'))
    if problems:
        raise EditionError(f"{len(problems)} problem(s) in {display_path(where)}", problems)
    return config


def load_config(path: Path) -> Config:
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise EditionError(f"{path}: no such file", hint="run `edition init` to create an edition") from None
    except UnicodeDecodeError as exc:
        raise EditionError(f"{path}: not UTF-8 (byte {exc.start})", hint="save edition.toml as UTF-8") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts "(at line L, column C)" at the end of its message.
        raise EditionError(f"{path}: not valid TOML: {exc}", hint="check quotes and brackets on that line") from None
    return parse_config(data, path.parent.resolve(), path.resolve(), raw)


def discover(directory: Path | None = None) -> Config:
    """Load the edition.toml that governs `directory` (default: the current folder)."""
    start = Path(directory) if directory else Path.cwd()
    if directory is not None and not start.is_dir():
        raise EditionError(f"{start}: no such folder")
    found = find_config(start)
    if found is None:
        raise EditionError(f"no {CONFIG_NAME} in {start.resolve()} or any folder above it",
                           hint="run the command inside an edition, pass -C DIR, or run `edition init DIR`")
    return load_config(found)


def describe() -> str:
    """Every key with its default and docstring, as TOML comments (for docs and `edition init`)."""
    lines = []
    for name, section in SECTIONS.items():
        lines.append(f"[{name}]")
        for f in fields(section):
            default = getattr(section(), f.name)
            lines.append(f"# {f.metadata['doc']}")
            lines.append(f"# {f.name} = {_toml(default)}")
        lines.append("")
    return "\n".join(lines)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
