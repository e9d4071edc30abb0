"""`edition init` and `edition new`: a project that works at once, documents that follow the model."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from edition.cli import main
from edition.config import SECTIONS, load_config
from edition.diagnostics import EditionError
from edition.scaffold import config_text, init_project, new_document, parse_date, slugify
from tests.helpers import SEED_TEI

TEI = "{http://www.tei-c.org/ns/1.0}"
EDITION = Path(sys.executable).with_name("edition")


@pytest.fixture
def project(tmp_path) -> Path:
    init_project(tmp_path / "letters", title="Letters of the Embassy, 1941")
    return tmp_path / "letters"


def invoke(*args, cwd: Path | None = None):
    old = Path.cwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(old)


# ------------------------------------------------------------------------------------- init

def test_config_lists_every_key_with_its_documentation():
    text = config_text('The "Quoted" Edition')
    for name, section in SECTIONS.items():
        assert f"[{name}]" in text
        for f in fields(section):
            assert f"# {f.metadata['doc']}" in text
            assert f"{f.name} = " in text
    data = tomllib.loads(text)
    assert data["edition"]["title"] == 'The "Quoted" Edition' and data["edition"]["sources"] == "tei"


def test_init_writes_a_complete_project(project):
    files = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    assert {"edition.toml", "README.md", ".gitignore", ".github/workflows/edition.yml", "tei/persons.xml",
            "tei/places.xml", "tei/1941-12-18_stalin-eden-excerpt.xml", "schemas/edition.rng"} <= files
    config = load_config(project / "edition.toml")
    assert config.edition.title == "Letters of the Embassy, 1941"
    assert config.persons_path == (project / "tei" / "persons.xml").resolve()
    workflow = (project / ".github/workflows/edition.yml").read_text()
    for step in ("pip install edition", "edition validate", "edition build"):
        assert f"run: {step}" in workflow
    assert "_build/" in (project / ".gitignore").read_text()
    assert (project / "README.md").read_text().startswith("# Letters of the Embassy, 1941\n")


def test_skeleton_documents_are_valid_against_the_encoding_model(project):
    rng_path = project / "schemas" / "edition.rng"
    relaxng = etree.RelaxNG(etree.parse(str(rng_path)))
    for path in sorted((project / "tei").glob("*.xml")):
        tree = etree.parse(str(path))
        assert relaxng.validate(tree), f"{path.name}: {relaxng.error_log}"
        # The xml-model PIs lead an XML editor to the project's copy of the schemas.
        assert 'href="../schemas/edition.rng"' in path.read_text()


def test_example_document_points_only_at_register_entries(project):
    ids = set()
    for register in ("persons.xml", "places.xml"):
        ids |= {f"{register}#{i}" for i in etree.parse(str(project / "tei" / register)).xpath("//@xml:id")}
    example = etree.parse(str(project / "tei/1941-12-18_stalin-eden-excerpt.xml"))
    pointers = {p for p in example.xpath("//@ref | //@who | //@sameAs") if not p.startswith("#")}
    assert pointers and pointers <= ids, pointers - ids


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = invoke("init", target)
    assert result.exit_code == 2
    assert "not empty" in result.output and "--force" in result.output
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_init_force_overwrites_its_own_files_and_deletes_nothing(tmp_path):
    target = tmp_path / "busy"
    (target / "tei").mkdir(parents=True)
    (target / "notes.txt").write_text("mine")
    (target / "tei" / "persons.xml").write_text("old")
    result = invoke("init", target, "--force", "--title", "Busy")
    assert result.exit_code == 0, result.output
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "tei" / "persons.xml").read_text().startswith("<?xml")
    assert load_config(target / "edition.toml").edition.title == "Busy"


def test_init_on_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("x")
    result = invoke("init", tmp_path / "file")
    assert result.exit_code == 2 and "is a file" in result.output


# -------------------------------------------------------------------------------------- new

def _paths(element, prefix="") -> list[str]:
    """Element paths below `element` (local names), notes left out."""
    found = []
    for child in element:
        if isinstance(child.tag, str) and child.tag != f"{TEI}note":
            path = f"{prefix}/{etree.QName(child).localname}"
            found.append(path)
            found += _paths(child, path)
    return found


def test_new_document_has_the_reference_header_layout(project):
    path = new_document(load_config(project / "edition.toml"), "Record of the conversation of Stalin with Eden",
                        "1941-12-20", ["stalin", "eden"], recorder="maisky", repository="AP RF",
                        fond="45", opis="1", delo="279", folios="123-130")
    assert path == (project / "tei" / "1941-12-20_stalin-eden.xml").resolve()
    new = etree.parse(str(path))
    reference = etree.parse(str(SEED_TEI))
    new_header = _paths(new.getroot().find(f"{TEI}teiHeader"))
    reference_header = set(_paths(reference.getroot().find(f"{TEI}teiHeader")))
    assert set(new_header) - {"/encodingDesc/editorialDecl/p"} <= reference_header
    top = [etree.QName(e).localname for e in new.getroot().find(f"{TEI}teiHeader")]
    assert top == [etree.QName(e).localname for e in reference.getroot().find(f"{TEI}teiHeader")]
    root = new.getroot()
    assert root.get("{http://www.w3.org/XML/1998/namespace}id") == "stalin-eden-1941-12-20"
    assert root.xpath("//tei:particDesc//tei:person/@sameAs", namespaces={"tei": TEI[1:-1]}) == [
        "persons.xml#stalin", "persons.xml#eden", "persons.xml#maisky"]
    assert root.xpath("//tei:person[@sameAs='persons.xml#maisky']/@role", namespaces={"tei": TEI[1:-1]}) == ["silent"]
    recorder = root.find(f".//{TEI}respStmt[@{{http://www.w3.org/XML/1998/namespace}}id='recorder']/{TEI}persName")
    assert (recorder.get("ref"), recorder.text) == ("persons.xml#maisky", "I. M. Maisky")
    locus = root.find(f".//{TEI}locus")
    assert (locus.get("from"), locus.get("to"), locus.text) == ("123", "130", "L. 123–130")
    assert root.find(f".//{TEI}creation/{TEI}date").get("when") == "1941-12-20"
    assert root.find(f".//{TEI}dateline/{TEI}date").get("when") == "1941-12-20"
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model href="../schemas/edition.rng"')
    relaxng = etree.RelaxNG(etree.parse(str(project / "schemas" / "edition.rng")))
    assert relaxng.validate(new), relaxng.error_log


def test_new_marks_every_missing_field(project):
    path = new_document(load_config(project / "edition.toml"), "A telegram", "1941-12", [], doc_type="telegram")
    assert path.name == "1941-12_a-telegram.xml"
    tree = etree.parse(str(path))
    todos = tree.xpath("//tei:note[@type='todo']", namespaces={"tei": TEI[1:-1]})
    pis = tree.xpath("//processing-instruction('edition-todo')")
    # In the text a note; in the header, where the outputs show fields as metadata, a processing instruction.
    assert [n.getparent().tag.removeprefix(TEI) for n in todos] == ["p"] and todos[0].get("resp") == "#ed"
    assert "participants" in todos[0].text and "recorder" in todos[0].text
    assert {p.getparent().tag.removeprefix(TEI) for p in pis} == {
        "repository", "idno", "locus", "creation", "settlement", "licence", "publisher", "editor", "title", "p"}
    assert all(p.text.strip() and "?>" not in p.text for p in pis)
    relaxng = etree.RelaxNG(etree.parse(str(project / "schemas" / "edition.rng")))
    assert relaxng.validate(tree), relaxng.error_log


def test_new_date_spans_and_bad_dates():
    assert parse_date("1941-12-18") == ("1941-12-18", "")
    assert parse_date("1941-12-18/1941-12-20") == ("1941-12-18", "1941-12-20")
    assert parse_date("1941") == ("1941", "")
    for bad in ("18.12.1941", "1941-13", "1941-02-30", "1941-12-20/1941-12-18", "soon"):
        with pytest.raises(EditionError):
            parse_date(bad)
    assert slugify("Записка № 5: Über die Lage") == "no-5-uber-die-lage"


def test_new_suggests_a_participant_that_exists(project):
    result = invoke("new", "--title", "T", "--date", "1941-12-20", "--participants", "stalin,Edn", cwd=project)
    assert result.exit_code == 2
    assert "'Edn' is not in persons.xml; did you mean 'eden'?" in result.output
    assert not list((project / "tei").glob("1941-12-20*"))


def test_new_never_overwrites_without_force(project):
    args = ["new", "--title", "T", "--date", "1941-12-20", "--participants", "stalin", "--repository", "AP RF",
            "--fond", "45"]
    assert invoke(*args, cwd=project).exit_code == 0
    target = project / "tei" / "1941-12-20_stalin.xml"
    target.write_text("edited by hand")
    result = invoke(*args, cwd=project)
    assert result.exit_code == 2 and "already exists" in result.output
    assert target.read_text() == "edited by hand"
    assert invoke(*args, "--force", cwd=project).exit_code == 0
    assert target.read_text().startswith("<?xml")


def test_new_without_a_terminal_requires_title_and_date(project):
    result = invoke("new", "--date", "1941-12-20", cwd=project)
    assert result.exit_code == 2 and "missing option --title" in result.output


def test_new_prompts_on_a_terminal(project, monkeypatch):
    monkeypatch.setattr("edition.cli._interactive", lambda: True)
    answers = "Record of a talk\n1941-12-21\nstalin,eden\nAP RF\n45\n\n\n\n"
    old = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["new"], input=answers)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(project / "tei" / "1941-12-21_stalin-eden.xml"))
    assert tree.find(f".//{TEI}title").text == "Record of a talk"
    assert tree.find(f".//{TEI}repository").text == "AP RF"
    assert tree.find(f".//{TEI}idno[@type='fond']").text == "45"


def test_new_out_option_points_the_schemas_from_there(project):
    out = project / "drafts" / "deep" / "x.xml"
    result = invoke("new", "--title", "T", "--date", "1941", "--out", out, cwd=project)
    assert result.exit_code == 0, result.output
    assert '<?xml-model href="../../schemas/edition.rng"' in out.read_text()


# ------------------------------------------------------------------ validation and the build

def _needs(*modules: str) -> None:
    for module in modules:
        pytest.importorskip(module, reason=f"{module} has not landed yet")
    if "validate" not in main.commands:
        pytest.skip("the validate command has not landed yet")


def test_new_document_validates_with_one_warning_per_todo(project):
    _needs("edition.validate")
    from edition.diagnostics import Reporter
    from edition.validate import validate_corpus

    path = new_document(load_config(project / "edition.toml"), "Record", "1941-12-20", ["stalin", "eden"],
                        repository="AP RF", fond="45")
    reporter = Reporter()
    result = validate_corpus(load_config(project / "edition.toml"), reporter)
    mine = [d for d in reporter.diagnostics if Path(d.path).resolve() == path]
    assert not result.failed and not [d for d in mine if d.severity.value == "error"], reporter.to_text()
    tree = etree.parse(str(path))
    expected = len(tree.xpath("//tei:note[@type='todo']", namespaces={"tei": TEI[1:-1]})) + len(
        tree.xpath("//processing-instruction('edition-todo')"))
    todo_warnings = [d for d in mine if d.code in ("sch.todo", "sch.todo-pi")]
    assert len(todo_warnings) == expected, reporter.to_text()


def test_init_new_validate_build_end_to_end(tmp_path):
    """The README's tour, with the installed command: init, new, validate, build."""
    _needs("edition.validate", "edition.render.html", "edition.render.pdf")

    def run(*args, cwd=tmp_path):
        done = subprocess.run([str(EDITION), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, f"edition {' '.join(map(str, args))}:\n{done.stdout}\n{done.stderr}"
        return done

    run("init", "x", "--title", "Letters of the Embassy")
    project = tmp_path / "x"
    run("validate", cwd=project)
    run("new", "--title", "Record of the conversation of J. V. Stalin with A. Eden", "--date", "1941-12-20",
        "--participants", "stalin,eden", "--recorder", "maisky", "--repository",
        "Archive of the President of the Russian Federation", "--fond", "45", "--opis", "1", "--delo", "279",
        "--folios", "123-130", cwd=project)
    run("validate", cwd=project)
    run("build", cwd=project)
    site = project / "_build" / "html"
    pages = {p.name for p in (site / "documents").glob("*.html")}
    assert {"stalin-eden-1941-12-18-excerpt.html", "stalin-eden-1941-12-20.html"} <= pages
    assert (project / "_build" / "pdf").is_dir()


def test_shell_completion_offers_register_ids(project):
    env = {**os.environ, "_EDITION_COMPLETE": "bash_complete", "COMP_WORDS": "edition new --participants stalin,e",
           "COMP_CWORD": "3"}
    done = subprocess.run([str(EDITION)], cwd=project, env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["plain,stalin,eden"], done.stderr
