"""The encoding model is a strict subset of TEI P5.

Two checks: (1) statically, every element of edition.rng allows only attributes and child elements
that tei_all allows on that element (cheap, covers the whole grammar, not just the examples);
(2) dynamically, every file of the bundled edition and every valid fixture is valid against both
edition.rng and tei_all (tei_all is compiled once per test session: ~6-12 s).
"""

from __future__ import annotations


import pytest
from lxml import etree

from tests.helpers import FIXTURES, REPO, draw_page, generate
from edition.schema_messages import Grammar

R = "{http://relaxng.org/ns/structure/1.0}"
EDITION_RNG = REPO / "schemas" / "edition.rng"
VALID_FIXTURES = sorted((FIXTURES / "validate" / "tei").glob("*.xml")) + sorted((FIXTURES / "facsimile").glob("*.xml"))
BUNDLED = sorted((REPO / "tei").glob("*.xml"))


@pytest.fixture(scope="session")
def tei_grammar(tei_all_path) -> Grammar:
    return Grammar(tei_all_path)


@pytest.fixture(scope="session")
def tei_all_schema(tei_all_path) -> etree.RelaxNG:
    """Compiled once per test session, through the validator's own cache (so `--relaxng tei_all.rng`
    in the same session costs nothing more)."""
    from edition.validate import load_relaxng

    return load_relaxng(tei_all_path)


@pytest.fixture(scope="session")
def edition_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(EDITION_RNG)))


def test_every_define_is_documented():
    tree = etree.parse(str(EDITION_RNG))
    undocumented = [d.get("name") for d in tree.iter(R + "define")
                    if not d.findall("{http://relaxng.org/ns/compatibility/annotations/1.0}documentation")
                    and not any(e.findall("{http://relaxng.org/ns/compatibility/annotations/1.0}documentation")
                                for e in d.iter(R + "element"))]
    assert undocumented == []


def test_every_element_allows_only_what_tei_allows(tei_grammar):
    ours = Grammar(EDITION_RNG)
    problems = []
    for name, definitions in sorted(ours.by_name.items()):
        assert name in tei_grammar.by_name, f"<{name}> is not a TEI element"
        tei_attributes, _, tei_children, _ = tei_grammar.summary(name)
        for definition in definitions:
            attributes, _, children, _ = ours.allowed(definition)
            problems += [f"@{extra} on <{name}>" for extra in sorted(attributes - tei_attributes)]
            problems += [f"<{extra}> inside <{name}>" for extra in sorted(children - tei_children)]
    assert problems == [], "edition.rng allows what TEI does not: " + "; ".join(problems)


def test_static_check_detects_a_non_tei_attribute(tei_grammar, tmp_path):
    """The static check is not vacuous: @type on <p> is not TEI and must be found."""
    broken = tmp_path / "broken.rng"
    broken.write_text(EDITION_RNG.read_text(encoding="utf-8").replace(
        '<element name="p">\n      <ref name="tei_att.global"/>',
        '<element name="p">\n      <ref name="tei_att.global"/>\n      <ref name="tei_att.typed"/>', 1),
        encoding="utf-8")
    attributes = Grammar(broken).summary("p")[0]
    assert "type" in attributes - tei_grammar.summary("p")[0]


@pytest.mark.slow
@pytest.mark.parametrize("path", BUNDLED + VALID_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_valid_documents_are_valid_tei(path, edition_schema, tei_all_schema):
    document = etree.parse(str(path))
    assert edition_schema.validate(document), str(edition_schema.error_log)
    assert tei_all_schema.validate(document), str(tei_all_schema.error_log)


@pytest.mark.slow
def test_an_import_with_page_images_is_valid_tei(tmp_path, seed_transcript, tei_all_schema):
    """`edition import --images` adds <facsimile>, <graphic> and pb/@facs: still TEI."""
    from click.testing import CliRunner

    from edition.cli import main

    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path / "ed"), "--title", "Letters"]).exit_code == 0
    for n in (1, 2):
        draw_page(tmp_path / "scans" / f"{n}.jpg", 114 + n, range(3), (300, 450))
    result = runner.invoke(main, ["-C", str(tmp_path / "ed"), "import", str(seed_transcript),
                                  "--images", str(tmp_path / "scans")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    document = etree.parse(str(tmp_path / "ed" / "tei" / "1941-12-18_stalin-eden.xml"))
    assert document.find(".//{http://www.tei-c.org/ns/1.0}graphic") is not None
    assert tei_all_schema.validate(document), str(tei_all_schema.error_log)


@pytest.mark.slow
def test_validate_against_tei_all(tei_all_path, tei_all_schema):
    """`edition validate --relaxng tei_all.rng` (the schema is already compiled by the fixture)."""
    from edition.validate import validate_paths

    result = validate_paths([REPO / "tei"], relaxng=tei_all_path)
    assert result.errors == 0 and len(result.files) == 3


def test_big_schemas_are_announced(tmp_path, monkeypatch, capsys):
    """A schema larger than BIG_SCHEMA bytes is announced on stderr before compiling (never a silent
    hang); the threshold is lowered here so that the small built-in schema stands in for tei_all."""
    import shutil

    from edition import validate

    monkeypatch.setattr(validate, "BIG_SCHEMA", 1000)
    copy = tmp_path / "tei_all.rng"
    shutil.copy(EDITION_RNG, copy)
    validate.load_relaxng(copy)
    validate.load_relaxng(copy)  # compiled once per process: announced once
    assert capsys.readouterr().err == "compiling tei_all.rng (this takes about 10 seconds)…\n"


@pytest.mark.slow
def test_generated_benchmark_documents_are_valid_tei(tmp_path, edition_schema, tei_all_schema):
    """bench/generate.py's documents use the encoding model broadly; they must be TEI too."""
    generate(4, tmp_path, seed=3)
    for path in sorted((tmp_path / "tei").glob("*.xml")):
        document = etree.parse(str(path))
        assert edition_schema.validate(document), str(edition_schema.error_log)
        assert tei_all_schema.validate(document), f"{path.name}: {tei_all_schema.error_log}"


@pytest.mark.slow
def test_a_registry_number_is_an_idno_of_the_dateline_valid_in_both(tmp_path, edition_schema, tei_all_schema):
    """The importer's registry number ("April 8, 1921 no. 11/568") is <idno type="registry"> in the
    dateline, which edition.rng and tei_all both allow."""
    from edition.importer import import_transcripts, serialise

    source = FIXTURES / "import_real" / "r01_note_number_greeting.txt"
    (result,) = import_transcripts([source], out=tmp_path, persons=REPO / "tei" / "persons.xml", write=False)
    document = etree.fromstring(serialise(result.documents[0].tree)).getroottree()
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert document.xpath("//t:dateline/t:idno[@type='registry']/text()", namespaces=ns) == ["11/568"]
    assert not document.xpath("//t:num", namespaces=ns)
    assert edition_schema.validate(document), str(edition_schema.error_log)
    assert tei_all_schema.validate(document), str(tei_all_schema.error_log)
