"""What the tests share: small editions written into a folder, built by the code `edition build`
runs, and the one-document renderings (web page, PDF) for documents the build would not publish.

    folder = write_edition(tmp_path, [SEED_TEI], toml='[html]\nsearch = false\n')
    result, reporter = build_edition(folder, only="html")
    doc, fragments, page, reporter = render_html(FIXTURES / "html" / "play.xml")
    typeset, reporter = typeset_pdf(tree)

No test imports another test module; the benchmark's generator is run as the command it is.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SEED_TEI = REPO / "tei" / "1941-12-18_stalin-eden.xml"
SEED_ID = "stalin-eden-1941-12-18"
SEED_TRANSCRIPT = REPO.parent / "shared" / "seeds" / "000_0215c096726144f6.txt"
TEI_ALL = REPO.parent / "shared" / "tei" / "tei_all.rng"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEI = "http://www.tei-c.org/ns/1.0"


# Editions -------------------------------------------------------------------------------------------

def write_edition(folder: Path, documents=(SEED_TEI,), toml: str = "", title: str = "A test edition",
                  edition: str = "") -> Path:
    """An edition in `folder`: the given documents and the repository's registers in tei/, and an
    edition.toml of a few lines (`edition`: more [edition] keys; `toml`: more sections). Returns `folder`."""
    (folder / "tei").mkdir(parents=True, exist_ok=True)
    for source in (REPO / "tei" / "persons.xml", REPO / "tei" / "places.xml", *documents):
        shutil.copyfile(source, folder / "tei" / Path(source).name)
    title = title.replace("\\", "\\\\").replace('"', '\\"')
    (folder / "edition.toml").write_text(
        f'[edition]\ntitle = "{title}"\neditors = ["Ed & {{Co}}"]\npublisher = "P"\nyear = "2026"\n'
        f'sources = "tei"\npersons = "tei/persons.xml"\nplaces = "tei/places.xml"\n{edition}\n{toml}',
        encoding="utf-8")
    return folder


def copy_bundled(folder: Path) -> Path:
    """The repository's own edition (edition.toml and tei/) in `folder`."""
    shutil.copytree(REPO / "tei", folder / "tei")
    shutil.copyfile(REPO / "edition.toml", folder / "edition.toml")
    return folder


def generate(docs: int, folder: Path, seed: int = 1) -> Path:
    """A synthetic edition of `docs` documents, by `python bench/generate.py`."""
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--docs", str(docs), "--out", str(folder),
                    "--seed", str(seed)], check=True, capture_output=True)
    return folder


def build_edition(folder: Path, reporter=None, check: bool = True, **options):
    """`edition build` of the edition in `folder` (the same `build()` the command calls; one job unless
    `jobs` is given): (the result, the reporter). `check`: no errors are allowed."""
    from edition.build import build
    from edition.config import discover
    from edition.diagnostics import Reporter

    reporter = reporter if reporter is not None else Reporter()
    result = build(discover(folder), reporter, jobs=options.pop("jobs", 1), **options)
    if check:
        assert reporter.errors == 0, reporter.to_text()
    return result, reporter


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of the edition's output -> the SHA-256 of its content (not the build's record of the
    files it wrote, which lists Pagefind's file names: they vary from run to run)."""
    out = folder / "_build"
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != ".edition-output.json"}


def changed(before: dict[str, str], after: dict[str, str], ignore: str = "html/pagefind/") -> set[str]:
    names = set(before) | set(after)
    return {n for n in names if before.get(n) != after.get(n) and not n.startswith(ignore)}


def documents(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "tei").glob("*.xml") if p.name not in ("persons.xml", "places.xml"))


# One document, outside a build ----------------------------------------------------------------------

OLD_SOURCE_NOTE = ('<back><div type="source-note"><p>Ap rf. F. 45. On. 1.d. 279. L. 115-122.</p>'
                   '<p>Publ .: Soviet-English relations ... - t. I. - s. 192-197</p></div></back>')


def seed_with_old_source_note() -> etree._ElementTree:
    """The seed as documents were encoded before the header kept the source's archival and publication
    lines: no note type="source-wording", the lines in back/div type="source-note"."""
    tree = etree.parse(str(SEED_TEI))
    for note in tree.iterfind(".//{*}note[@type='source-wording']"):
        note.getparent().remove(note)
    tree.find("{*}text").append(etree.fromstring(OLD_SOURCE_NOTE.replace("<back>", f'<back xmlns="{TEI}">', 1)))
    return tree


def one_document_corpus(path: Path, tree=None, config=None, place: Path | None = None):
    """A corpus of the document at `path` (or `tree`, placed at `place`: beside the registers, so
    that "persons.xml#..." resolves) with the registers of `config` (default: the bundled edition)."""
    from edition.config import load_config
    from edition.corpus import Corpus, load_document
    from edition.registers import load_registers
    from edition.diagnostics import Reporter
    from edition.documents import parse_file

    config = config or load_config(REPO / "edition.toml")
    if tree is None:
        tree, problems = parse_file(path)
        assert tree is not None, problems
    doc = load_document(place or path, tree)
    key = (config.persons_path, config.places_path)
    if key not in _REGISTERS:  # read once per session: the hypothesis tests typeset many documents
        _REGISTERS[key] = load_registers(config, Reporter())
    return Corpus(config=config, registers=_REGISTERS[key], documents=[doc]), doc


_REGISTERS: dict = {}


def render_html(path: Path, config=None, page: bool = True):
    """The document's page as the build renders it (render.html.render_page): (the document, its
    fragments from html.xsl, the page, the reporter with the stylesheet's messages). `page=False`:
    the fragments only (render_fragments), the page None."""
    from edition.diagnostics import Reporter
    from edition.render.html import render_fragments, render_page

    corpus, doc = one_document_corpus(path, config=config)
    reporter = Reporter()
    if not page:
        return doc, render_fragments(corpus, doc, reporter), None, reporter
    html, fragments = render_page(corpus, doc, reporter)
    return doc, fragments, html, reporter


def typeset_pdf(tree, config=None, number: int = 1, work: Path | None = None, place: Path | None = None):
    """The document `tree` typeset alone by the build's steps (render.pdf.typeset_document):
    (Typeset with .pdf and .body, the reporter). `work`: a Typst project folder to reuse."""
    from edition.diagnostics import Reporter
    from edition.render.pdf import typeset_document

    corpus, doc = one_document_corpus(None, tree=tree, config=config, place=place or REPO / "tei" / "_probe.xml")
    reporter = Reporter()
    return typeset_document(corpus.config, corpus.registers, doc, reporter, number=number, work=work), reporter


# Reading what was written ---------------------------------------------------------------------------

def text_of(fragment_html: str, drop_source: bool = True) -> str:
    """The visible text of an HTML fragment (the source readings of corrections left out)."""
    root = lxml.html.fragment_fromstring(fragment_html or "<div></div>", create_parent="div")
    if drop_source:
        for el in root.xpath("//*[contains(concat(' ', @class, ' '), ' source ')]"):
            el.drop_tree()
    return " ".join("".join(root.itertext()).split())


def tei_text_nodes(tree: etree._ElementTree) -> list[str]:
    """Every text node of <text> (notes included), whitespace-normalised, the source side of choices
    (sic, orig, abbr) left out, as the default reading of the web edition does."""
    found = []
    for text in tree.iter(f"{{{TEI}}}text"):
        for node in text.xpath(".//text()"):
            parent = node.getparent()
            owner = parent if node.is_text else parent.getparent()
            if owner is None or not isinstance(owner.tag, str):
                continue
            if owner.xpath("ancestor-or-self::*[local-name()='sic' or local-name()='orig' or local-name()='abbr']"
                           "[parent::*[local-name()='choice']]"):
                continue
            if isinstance(parent.tag, str) is False:  # comments, processing instructions
                continue
            value = " ".join(str(node).split())
            if value:
                found.append(value)
    return found


def check_links(site: Path) -> int:
    """Every relative href/src points at a file of the site, and every #fragment at an id in it;
    no page has an id twice."""
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            root = lxml.html.parse(str(path)).getroot()
            ids[path] = {el.get("id") for el in root.xpath("//*[@id]")} | {a.get("name") for a in root.xpath("//a[@name]")}
        return ids[path]

    broken = []
    pages = [p for p in sorted(site.rglob("*.html")) if "pagefind" not in p.relative_to(site).parts]
    for page in pages:
        root = lxml.html.parse(str(page)).getroot()
        all_ids = root.xpath("//@id")
        if len(all_ids) != len(set(all_ids)):
            broken.append(f"{page.relative_to(site)}: duplicate ids {sorted({i for i in all_ids if all_ids.count(i) > 1})}")
        for el in root.xpath("//*[@href or @src]"):
            url = el.get("href") or el.get("src")
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme, f"{page.name}: unexpected scheme in {url!r}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url} (no such file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_of(target):
                broken.append(f"{page.relative_to(site)}: {url} (no such id)")
    assert not broken, "\n".join(broken)
    return len(pages)


def pdf_pages_text(source) -> list[str]:
    """The text of each page of a PDF (a path or bytes)."""
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
    return [page.extract_text() or "" for page in reader.pages]


def words(text: str) -> list[str]:
    """Words for comparing the TEI with the extracted text: NFKC (ligatures), no quotation marks or
    apparatus letters attached, whitespace (line breaks) ignored."""
    import re
    import unicodedata

    # A word hyphenated at a line's end is one word ("recog-\nnizing", or with a soft hyphen): since the
    # text cannot tell that hyphen from a word's own ("post-\nwar"), hyphens inside words are dropped
    # on both sides of the comparison ("postwar").
    text = re.sub(r"(?<=\w)[-\u00ad]\s*(?=\w)", "", text)
    text = unicodedata.normalize("NFKC", text)
    return re.findall(r"[\w’'-]+", text)


def same_word(printed: str, word: str) -> bool:
    """`printed` is `word`, perhaps followed by an apparatus letter, or with one inside it ("Edena’s")."""
    return printed.startswith(word) or any((printed[:i] + printed[i + 1:]).startswith(word)
                                           for i in range(1, len(printed)))


# Facsimiles -----------------------------------------------------------------------------------------

FACSIMILE_DOC = FIXTURES / "facsimile" / "1942-05-22_molotov-eden.xml"
# The fixture's three leaves: file name, folio, its paragraphs (the numbers drawn on the image)
FACSIMILE_PAGES = [("020.jpg", 20, range(1, 5)), ("021.png", 21, range(5, 9)), ("022.tif", 22, range(9, 13))]


def draw_page(path: Path, folio: int, paragraphs, size: tuple[int, int] = (1200, 1800)) -> Path:
    """A page image as a scan would be: paper, lines of 'text', the folio number at the top right and
    the number of each paragraph in the margin, large enough to read when zoomed out."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    image = Image.new("RGB", size, (236, 228, 208))
    draw = ImageDraw.Draw(image)
    big = ImageFont.load_default(size=max(12, width // 12))
    small = ImageFont.load_default(size=max(10, width // 30))
    draw.text((width * 0.78, height * 0.03), str(folio), fill=(40, 30, 20), font=big)
    paragraphs = list(paragraphs)
    block = (height * 0.85) / max(1, len(paragraphs))
    for k, number in enumerate(paragraphs):
        top = height * 0.12 + k * block
        draw.text((width * 0.04, top), f"({number})", fill=(120, 20, 20), font=small)
        for line in range(int(block // (height * 0.025)) - 1):
            y = top + line * height * 0.025 + height * 0.01
            draw.line((width * 0.16, y, width * (0.92 if line % 5 != 4 else 0.6), y), fill=(70, 60, 50),
                      width=max(1, height // 400))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def facsimile_edition(folder: Path, toml: str = "", size: tuple[int, int] = (1200, 1800)) -> Path:
    """An edition of the facsimile fixture (three leaves, JPEG, PNG, TIFF, drawn here) with the
    registers of tests/fixtures/validate."""
    (folder / "tei").mkdir(parents=True, exist_ok=True)
    for name in ("persons.xml", "places.xml"):
        shutil.copyfile(FIXTURES / "validate" / "tei" / name, folder / "tei" / name)
    shutil.copyfile(FACSIMILE_DOC, folder / "tei" / FACSIMILE_DOC.name)
    for name, folio, paragraphs in FACSIMILE_PAGES:
        draw_page(folder / "facsimiles" / "molotov-eden" / name, folio, paragraphs, size)
    (folder / "edition.toml").write_text(f'[edition]\ntitle = "Facsimiles"\nurl = "https://example.org/ed/"\n{toml}',
                                         encoding="utf-8")
    return folder


# The bundled document's page in the web edition, and a page of each type.
DOC = "documents/stalin-eden-1941-12-18.html"
PAGE_TYPES = ["index.html", DOC, "persons.html", "persons/eden.html", "places.html", "places/moscow.html",
              "timeline.html", "principles.html", "guidelines.html", "search.html"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@contextlib.contextmanager
def serving(site: Path):
    """`site` served over http on a free port of 127.0.0.1 (Pagefind's search needs http): its URL."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def bench_module(name: str):
    """bench/NAME.py loaded from its file (bench/ is a folder of scripts, not a package), so that tests
    measure with the benchmark's own functions without putting bench/ on sys.path."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
