"""`edition init` (a new edition project) and `edition new` (a new document from the encoding model).

`init` copies `edition/skeleton/` (files named `dot-x` become `.x`, so that packaging keeps them),
writes an `edition.toml` whose comments are generated from the config schema itself, and copies the
encoding model into `schemas/` for the editor's XML editor.

`new` fills the header builder (edition/header.py) with what the editor gave: a header field the
editor did not give is kept, holding `<?edition-todo what to write?>`, and the text holds a
`<note type="todo" resp="#ed">`; the validator reports each as a warning, so nothing goes missing
silently.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import unicodedata
from pathlib import Path

from lxml import etree

from edition.config import CONFIG_NAME, Config, describe
from edition.diagnostics import EditionError, Reporter, display_path
from edition.documents import TEI_NS, XML_ID
from edition.header import Archive, Header, Publication, Responsibility, Todo, build_header
from edition.resources import PACKAGE_DIR, data_dir

SKELETON_DIR = PACKAGE_DIR / "skeleton"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
T = f"{{{TEI_NS}}}"
LANGUAGES = {"en": "English", "ru": "Russian", "de": "German", "fr": "French", "uk": "Ukrainian", "pl": "Polish"}


# ---------------------------------------------------------------------------------------- init

def config_text(title: str, model: str = "edition") -> str:
    """edition.toml: the keys `init` sets, then every other key commented out with its docstring."""
    values = {("edition", "title"): title, ("edition", "sources"): "tei",
              ("edition", "persons"): "tei/persons.xml", ("edition", "places"): "tei/places.xml",
              ("edition", "output"): "_build"}
    if model != "edition":  # TEI from elsewhere: registers only if the editor names some
        values[("validation", "model")] = model
        del values[("edition", "persons")], values[("edition", "places")]
    lines = ["# The settings of this edition. Every key the tool knows is listed under its section with",
             "# its meaning and default; uncomment a line to change it. Paths are relative to this file.", ""]
    section = ""
    for line in describe().splitlines():
        if m := re.fullmatch(r"\[(\w+)\]", line):
            section = m.group(1)
        elif (m := re.fullmatch(r"# (\w+) = .*", line)) and (section, m.group(1)) in values:
            # TOML basic strings take JSON's escapes, so json.dumps quotes the value safely.
            line = f"{m.group(1)} = {json.dumps(values[section, m.group(1)], ensure_ascii=False)}"
        lines.append(line)
    return "\n".join(lines).rstrip() + "\n"


def _skeleton_files() -> list[tuple[Path, Path]]:
    """(source in the skeleton, path relative to the new project) for every file to copy."""
    pairs = []
    for source in sorted(SKELETON_DIR.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            relative = Path(*("." + p[4:] if p.startswith("dot-") else p
                              for p in source.relative_to(SKELETON_DIR).parts))
            pairs.append((source, relative))
    return pairs


def init_project(directory: Path, title: str | None = None, force: bool = False,
                 model: str = "edition") -> list[Path]:
    """Create an edition project in `directory`; return the files written.

    Refuses a folder that is not empty unless `force`; with `force` it writes its own files over
    files of the same name and never deletes anything. With `model="tei"` (TEI the editor already
    has) the edition gets no example document, registers or schemas: an empty tei/ for their files.
    """
    from edition.config import MODELS

    if model not in MODELS:
        raise EditionError(f"unknown model '{model}'", hint=f"choose one of: {', '.join(MODELS)}")
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise EditionError(f"{directory}: exists and is not a folder")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise EditionError(f"{directory}: the folder is not empty; nothing was written",
                           hint="choose a new folder, or pass --force to write the project's files into it "
                                "(files of the same name are overwritten; nothing is deleted)")
    title = (title or "").strip() or directory.resolve().name.replace("-", " ").replace("_", " ").strip().title() \
        or "My Edition"
    written: list[Path] = []

    def write(relative: Path, content: bytes) -> None:
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)

    directory.mkdir(parents=True, exist_ok=True)
    write(Path(CONFIG_NAME), config_text(title, model).encode("utf-8"))
    for source, relative in _skeleton_files():
        if model == "tei" and relative.parts[0] == "tei":
            continue  # the editor's own documents go there
        content = source.read_bytes()
        if relative.name == "README.md":
            content = content.replace(b"{{title}}", title.encode("utf-8"))
        write(relative, content)
    (directory / "tei").mkdir(exist_ok=True)
    for schema in sorted(data_dir("schemas").glob("*")) if model == "edition" else []:
        if schema.is_file():
            write(Path("schemas") / schema.name, schema.read_bytes())
    return written


# ----------------------------------------------------------------------------------------- new

DATE_RE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def parse_date(value: str) -> tuple[str, str]:
    """'1941-12-18' -> ('1941-12-18', ''); '1941-12-18/1941-12-20' -> (from, to). ISO 8601 only."""
    parts = [p.strip() for p in value.strip().split("/")]
    if len(parts) > 2 or not all(DATE_RE.fullmatch(p) for p in parts):
        raise EditionError(f"'{value}' is not a date in the form YYYY-MM-DD (or YYYY-MM, YYYY)",
                           hint="e.g. --date 1941-12-18, or a span: --date 1941-12-18/1941-12-20")
    for p in parts:
        try:
            dt.date.fromisoformat(p if len(p) == 10 else (p + "-01-01")[:10] if len(p) == 4 else p + "-01")
        except ValueError:
            raise EditionError(f"'{p}' is not a real date", hint="check the month and the day") from None
    if len(parts) == 2 and parts[1] < parts[0]:
        raise EditionError(f"the span '{value}' ends before it begins")
    return parts[0], parts[1] if len(parts) == 2 else ""


def slugify(text: str, words: int = 6) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text)[:words])


def check_participants(config: Config, participants: list[str]) -> list[tuple[str, str]]:
    """[(register id, role)] for 'id' or 'id:silent' items; unknown ids are an error with a suggestion."""
    from edition.registers import load_registers

    reporter = Reporter()
    persons = load_registers(config, reporter).persons
    if reporter.errors and participants:
        raise EditionError(f"the register {config.persons_path.name} cannot be read", reporter.diagnostics)
    by_folded = {key.casefold(): key for key in persons}
    checked, problems = [], []
    for item in participants:
        ident, _, role = item.strip().partition(":")
        role = role.strip() or "speaker"
        if role not in ("speaker", "silent"):
            problems.append(f"'{item}': the role must be 'speaker' or 'silent'")
        if ident.casefold() in by_folded:
            checked.append((by_folded[ident.casefold()], role))
            continue
        close = [by_folded[c] for c in difflib.get_close_matches(ident.casefold(), list(by_folded), n=3)] or [
            e.id for e in persons.values() if ident.casefold() in e.name.casefold()]
        problems.append(f"'{ident}' is not in {config.persons_path.name}"
                        + (f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""))
    if problems:
        raise EditionError("; ".join(problems), hint=f"add the person to {display_path(config.persons_path)} first, "
                                                     "or give the id of an existing entry")
    return checked


def _register_name(config: Config, person: str) -> str:
    """The register's main name of `person` in the form "I. M. Maisky" when it has one, as the reference has."""
    from edition.registers import load_registers

    entity = load_registers(config, Reporter()).persons[person]
    return next((v for v in entity.variants if re.match(r"^(\w\. )+\w", v)), entity.name)


def schema_href(config: Config, name: str, folder: Path) -> str:
    """The xml-model href of schema `name` for a file in `folder`: the edition's own schema if it
    names one, else the project's copy in schemas/ (written by init), else the tool's built-in one."""
    custom = getattr(config.validation, "relaxng" if name.endswith(".rng") else "schematron")
    candidates = [config.resolve(custom)] if custom else [config.root / "schemas" / name, data_dir("schemas") / name]
    target = next((c for c in candidates if c.is_file()), candidates[-1])
    return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()


def _el(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, T + tag, {k.replace("xml_id", XML_ID): v for k, v in attrs.items() if v})
    if text:
        element.text = text
    return element


def document_tree(config: Config, title: str, date: str, participants: list[tuple[str, str]], doc_id: str,
                  repository: str = "", fond: str = "", opis: str = "", delo: str = "", folios: str = "",
                  doc_type: str = "", recorder: tuple[str, str] | None = None, today: str = "") -> etree._Element:
    """The TEI document: the header by the builder `edition import` uses too (edition/header.py), and a text
    that says what to write."""
    from edition.corpus import format_date

    when, until = parse_date(date)
    dates = {"when": when} if not until else {"from": when, "to": until}
    shown = format_date(when) + (f" – {format_date(until)}" if until else "")
    today = today or dt.date.today().isoformat()
    tei = etree.Element(T + "TEI", nsmap={None: TEI_NS})
    tei.set(XML_ID, doc_id)
    tei.set("{http://www.w3.org/XML/1998/namespace}lang", config.edition.language or "en")
    editor = (config.edition.editors or [""])[0]
    first, _, last = folios.strip().partition("-")
    language = config.edition.language or "en"
    tei.append(build_header(Header(
        doc_id=doc_id, title=title, editor=editor.strip() or Todo("the encoder's name"),
        responsibilities=[Responsibility("recorder", "recorded by", recorder[1],
                                         ref=f"{config.persons_path.name}#{recorder[0]}")] if recorder else [],
        publisher=(config.edition.publisher or editor).strip() or Todo("the publisher"),
        year=config.edition.year or today[:4], licence=Todo("the licence, e.g. CC BY 4.0 with @target"),
        archive=Archive(
            settlement=Todo("the city of the archive"),
            repository=repository.strip() or Todo("the archive holding the original"),
            abbreviation=Todo("the archive's abbreviation, e.g. AP RF"),
            levels={kind: value.strip() or Todo(f"the {kind} (or delete this idno)")
                    for kind, value in (("fond", fond), ("opis", opis), ("delo", delo))},
            folios=(first.strip(), last.strip() or first.strip(),
                    f"L. {first.strip()}" + (f"–{last.strip()}" if last.strip() else "")) if first.strip()
            else Todo('the folios, as from="115" to="122" and as written: L. 115–122'),
            item_title=title),
        publications=[Publication("first-publication", Todo(
            "where the document was first published (or delete this listBibl)"))],
        editorial=[(None, {}, Todo("the editorial principles: how errors are corrected, what is normalised "
                                   "(see the example document)"))],
        date=(dates, shown),
        place=Todo('where the document was written: , <placeName ref="places.xml#…">…</placeName>'),
        language=(language, LANGUAGES.get(language.split("-")[0], language)),
        participants=[(f"{config.persons_path.name}#{person}", role) for person, role in participants],
        doc_type=doc_type.strip() or "document",
        revision=(None, today, "#ed", "Created with edition new."))))
    record = _el(_el(_el(tei, "text"), "body"), "div", type="record")
    _el(record, "head", title)
    _el(_el(_el(record, "opener"), "dateline"), "date", shown, **dates)
    todo = ("the text of the document: one <p> per paragraph of the source; a speaker's turn in "
            "<sp who=\"persons.xml#id\">")
    if not recorder:
        todo += ('; if someone recorded the document, say who in titleStmt: <respStmt xml:id="recorder">'
                 '<resp>recorded by</resp><persName ref="persons.xml#id">…</persName></respStmt>')
    if not participants:
        todo += ("; list the participants in profileDesc: <particDesc><listPerson type=\"participants\">"
                 "<person sameAs=\"persons.xml#id\" role=\"speaker\"/>")
    _el(_el(record, "p"), "note", todo, type="todo", resp="#ed")
    return tei


def new_document(config: Config, title: str, date: str, participants: list[str] | None = None,
                 repository: str = "", fond: str = "", opis: str = "", delo: str = "", folios: str = "",
                 doc_type: str = "record of conversation", recorder: str = "", out: Path | None = None,
                 force: bool = False, images: Path | None = None, said: list[str] | None = None) -> Path:
    """Write a new document from the encoding model's template; return its path. `images`: a folder
    of its page images, in page order (edition/page_images.py); what was linked goes into `said`."""
    if not title.strip():
        raise EditionError("the title is empty", hint='give one with --title "Record of ..."')
    when, _ = parse_date(date)
    checked = check_participants(config, participants or [])
    recorded_by = None
    if recorder.strip():
        recorder_id = check_participants(config, [recorder])[0][0]
        recorded_by = (recorder_id, _register_name(config, recorder_id))
        if recorder_id not in [p for p, _ in checked]:
            checked.append((recorder_id, "silent"))  # the recorder was present, as Maisky in the reference
    # Named after the speakers, as tei/1941-12-18_stalin-eden.xml is (the silent recorder is left out).
    named = [p for p, role in checked if role == "speaker"] or [p for p, _ in checked]
    slug = "-".join(named[:3]) if named else slugify(title)
    slug = slug or "document"
    doc_id = slug if slug[0].isalpha() else f"doc-{slug}"
    doc_id = f"{doc_id}-{when}"
    path = Path(out) if out else config.sources_dir / f"{when}_{slug}.xml"
    if path.exists() and not force:
        raise EditionError(f"{path}: already exists; nothing was written",
                           hint="choose another name with --out, or pass --force to overwrite it")
    tree = document_tree(config, title.strip(), date.strip(), checked, doc_id, repository, fond, opis, delo,
                         folios, doc_type, recorded_by)
    etree.indent(tree, space="  ")
    for note in tree.iter(T + "note", etree.ProcessingInstruction):
        if (note.tag is etree.ProcessingInstruction or note.get("type") == "todo") and len(note.getparent()) == 1:
            # Keep `<field><note type="todo">…</note></field>` on one line: no whitespace enters the field.
            note.getparent().text = note.tail = None
    linked = None
    if images is not None:
        from edition.page_images import attach, page_images

        linked = attach(tree, path, page_images(images), config.facsimiles_dir,
                        first_folio=folios.split("-")[0].strip() if folios else "")
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    models = [etree.ProcessingInstruction(
        "xml-model", f'href="{schema_href(config, name, folder)}" type="application/xml" schematypens="{ns}"')
        for name, ns in (("edition.rng", RNG_NS), ("edition.sch", SCH_NS))]
    # The prolog is written piece by piece because lxml drops line breaks between top-level nodes.
    path.write_bytes(b"\n".join([b'<?xml version="1.0" encoding="UTF-8"?>',
                                  *(etree.tostring(m, encoding="UTF-8") for m in models),
                                  etree.tostring(tree, encoding="UTF-8"), b""]))
    if linked is not None:
        from edition.page_images import copy_images

        copy_images(linked)
        if said is not None:
            said.append(linked.summary())
    return path
