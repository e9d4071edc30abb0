"""`[validation] model = "tei"`: TEI written elsewhere validates with the generic checks only, through
the commands editors run (`edition init --model tei`, `edition validate`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import REPO

from edition.cli import main
from edition.config import load_config

FOREIGN = REPO.parent / "shared" / "corpus" / "tei"
TEI = "http://www.tei-c.org/ns/1.0"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def tei_edition(tmp_path) -> Path:
    folder = tmp_path / "foreign"
    result = run("init", str(folder), "--model", "tei", "--title", "Foreign TEI")
    assert result.exit_code == 0, result.output
    return folder


def write(folder: Path, name: str, body: str, header: str = "") -> Path:
    path = folder / "tei" / name
    path.write_text(f'<TEI xmlns="{TEI}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
                    f"<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc>"
                    f"{header}</teiHeader><text><body>{body}</body></text></TEI>", encoding="utf-8")
    return path


def test_init_writes_the_model_and_no_example_documents(tei_edition):
    config = load_config(tei_edition / "edition.toml")
    assert config.validation.model == "tei"
    assert config.relaxng_path is None and config.schematron_path is None
    assert (tei_edition / "tei").is_dir() and not any((tei_edition / "tei").iterdir())
    assert not (tei_edition / "schemas").exists()


def test_an_unknown_model_is_a_config_error(tmp_path):
    (tmp_path / "edition.toml").write_text('[edition]\ntitle = "x"\n[validation]\nmodel = "TEI"\n')
    result = run("-C", str(tmp_path), "validate")
    assert result.exit_code == 2
    assert "edition.toml:4: error: 'validation.model' must be one of 'edition', 'tei', not 'TEI'" in result.output
    assert "did you mean 'tei'?" in result.output


@pytest.mark.skipif(not FOREIGN.is_dir(), reason=f"the shared TEI sample is not at {FOREIGN}")
def test_tei_from_elsewhere_passes_the_tei_model_and_not_the_edition_model(tei_edition, tmp_path):
    for path in FOREIGN.glob("*.xml"):
        shutil.copy(path, tei_edition / "tei")
    result = run("-C", str(tei_edition), "validate")
    assert result.exit_code == 0, result.output
    assert "4 files, 0 errors" in result.output
    # the DraCor play's 102 turns point to persons of its particDesc: no "not a declared participant"
    assert "speaker" not in result.output
    strict = tmp_path / "strict"
    run("init", str(strict), "--title", "Strict")
    result = run("-C", str(strict), "validate", *map(str, FOREIGN.glob("*.xml")))
    assert result.exit_code == 1 and "[sch.source-repository]" in result.output


def test_the_generic_checks(tei_edition):
    write(tei_edition, "speakers.xml", '<sp who="#ghost"><p>Boo.</p></sp><sp who="#alber"><p>Hi.</p></sp>'
          '<p><date when="1890-02-30">a</date><date when="1890-09-23T10:15:00">b</date>'
          '<ref target="#nowhere">c</ref><locus from="12r" to="13v">d</locus></p>',
          '<profileDesc><particDesc><listPerson><person xml:id="alber"><persName>Alber</persName></person>'
          "</listPerson></particDesc></profileDesc>")
    (tei_edition / "tei" / "p4.xml").write_text("<TEI><text><body><p>x</p></body></text></TEI>")
    result = run("-C", str(tei_edition), "validate")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any('<sp who="#ghost"> names no person' in line and "error" in line and "[tei.speaker-resolves]" in line
               for line in lines)
    assert not any('"#alber"' in line for line in lines)
    assert any('when="1890-02-30"' in line and "[tei.date-iso]" in line for line in lines)
    assert not any('when="1890-09-23T10:15:00"' in line or "12r" in line for line in lines)
    assert any('<ref target>: 1 pointer to no element of this document: no xml:id for "#nowhere" (line' in line
               and "warning" in line and "[tei.pointer-resolves]" in line for line in lines)
    assert any("p4.xml" in line and "<TEI> is in no namespace" in line and "[tei.namespace]" in line for line in lines)


def test_pointers_that_lead_nowhere_are_one_warning_per_kind_at_the_first(tei_edition):
    """Thousands of "#id" pointers into a register kept elsewhere (a diary's persons) are one warning
    per element and attribute, at the first, with the count and the first three."""
    body = "".join(f'<p><rs ref="#pmb{n}">name {n}</rs> and <placeName ref="#place{n % 2}">x</placeName></p>\n'
                   for n in range(40))
    write(tei_edition, "diary.xml", body + '<p><ref target="#note1 #nowhere">n</ref><note xml:id="note1">y</note></p>')
    result = run("-C", str(tei_edition), "validate")
    found = [line for line in result.output.splitlines() if "[tei.pointer-resolves]" in line]
    assert len(found) == 3, result.output
    rs = next(line for line in found if "<rs ref>" in line)
    first = int(rs.split(":")[1])
    assert ('40 pointers to no element of this document: no xml:id for "#pmb0" (line %d), "#pmb1" (line %d), '
            '"#pmb2" (line %d) and 37 more' % (first, first + 1, first + 2)) in rs
    assert any("<placeName ref>: 40 pointers to no element of this document" in line for line in found)
    assert any('<ref target>: 1 pointer to no element of this document: no xml:id for "#nowhere"' in line
               for line in found)


def test_the_editors_schema_and_schematron_apply(tei_edition):
    (tei_edition / "rules.sch").write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt"><ns prefix="tei" uri="' + TEI
        + '"/><pattern><rule context="tei:p"><assert id="no-x" role="error" test="not(contains(., \'x\'))">'
          "no x</assert></rule></pattern></schema>")
    text = (tei_edition / "edition.toml").read_text(encoding="utf-8")
    (tei_edition / "edition.toml").write_text(text.replace('model = "tei"', 'model = "tei"\nschematron = "rules.sch"'),
                                              encoding="utf-8")
    write(tei_edition, "a.xml", "<p>x</p>")
    result = run("-C", str(tei_edition), "validate")
    assert result.exit_code == 1 and "error: no x [sch.no-x]" in result.output


TEI_ALL = REPO.parent / "shared" / "tei" / "tei_all.rng"
SCH = "http://purl.oclc.org/dsdl/schematron"


def test_an_xslt2_schematron_runs_in_saxon(tei_edition):
    (tei_edition / "rules.sch").write_text(
        f'<schema xmlns="{SCH}" queryBinding="xslt2"><ns prefix="tei" uri="{TEI}"/>'
        '<let name="banned" value="(\'foo\', \'bar\')"/>'
        '<pattern id="words"><rule context="tei:p[matches(., \'\\d{4}\')]"><let name="n" value="count(tokenize(., \'\\s+\'))"/>'
        '<report id="year" role="warning" test="true()">a <name/> of <value-of select="$n"/> words names a year</report></rule>'
        '<rule context="tei:p"><assert id="no-banned" test="not(tokenize(., \'\\s+\') = $banned)">'
        'no <value-of select="string-join($banned, \' or \')"/></assert></rule></pattern></schema>')
    text = (tei_edition / "edition.toml").read_text(encoding="utf-8")
    (tei_edition / "edition.toml").write_text(text.replace('model = "tei"', 'model = "tei"\nschematron = "rules.sch"'),
                                              encoding="utf-8")
    write(tei_edition, "a.xml", "<p>In 1890 it rained.</p>\n<p>foo and more</p>")
    result = run("-C", str(tei_edition), "validate")
    assert result.exit_code == 1, result.output
    assert "a.xml:1:" in result.output and "warning: a p of 4 words names a year [sch.year]" in result.output
    assert "error: no foo or bar [sch.no-banned]" in result.output


def tei_schematron(path: Path) -> Path:
    """TEI's own Schematron, as its ODD tools generate it: the rules of tei_all.rng, queryBinding xslt2."""
    import copy

    from lxml import etree

    rng = etree.parse(str(TEI_ALL))
    out = etree.Element(f"{{{SCH}}}schema", nsmap={"sch": SCH}, queryBinding="xslt2")
    prefixes = set()
    for ns in rng.iter(f"{{{SCH}}}ns"):
        if ns.get("prefix") not in prefixes:
            prefixes.add(ns.get("prefix"))
            etree.SubElement(out, f"{{{SCH}}}ns", prefix=ns.get("prefix"), uri=ns.get("uri"))
    for pattern in rng.iter(f"{{{SCH}}}pattern"):
        out.append(copy.deepcopy(pattern))
    etree.ElementTree(out).write(str(path), xml_declaration=True, encoding="utf-8")
    return path


@pytest.mark.skipif(not TEI_ALL.is_file(), reason=f"the full TEI schema is not at {TEI_ALL}")
def test_teis_own_schematron_runs_and_finds_what_it_should(tei_edition):
    tei_schematron(tei_edition / "tei_all.sch")
    text = (tei_edition / "edition.toml").read_text(encoding="utf-8")
    (tei_edition / "edition.toml").write_text(text.replace('model = "tei"', 'model = "tei"\nschematron = "tei_all.sch"'),
                                              encoding="utf-8")
    for path in sorted((REPO / "tests" / "fixtures" / "tei").glob("*.xml")) + sorted(FOREIGN.glob("*.xml")):
        shutil.copy(path, tei_edition / "tei")
    result = run("-C", str(tei_edition), "validate")
    assert result.exit_code == 0 and " 0 errors" in result.output, result.output  # all of them valid TEI
    write(tei_edition, "bad.xml", '<p>A <ptr target="#x" cRef="y"/> and <date calendar="#julian"/>.</p>'
                                  '<p xml:id="x"><l>verse <l>in verse</l></l></p>')
    result = run("-C", str(tei_edition), "validate", str(tei_edition / "tei" / "bad.xml"))
    assert result.exit_code == 1
    found = [line for line in result.output.splitlines() if "bad.xml:1:" in line]
    assert any("Only one of the attributes @target and @cRef may be supplied on <ptr>" in line for line in found), found
    assert any("calendar" in line and "no textual content" in line for line in found), found
    assert any("Metrical lines (<l> elements) may not contain <l> or <lg> elements" in line for line in found), found
    assert all("[sch.tei_all-" in line for line in found), found  # the codes: TEI's pattern ids


def test_same_named_characters_of_two_plays_are_two_persons_and_the_index_says_whose(tei_edition):
    """Nothing in two plays says that their "Anna"s are one person: two entries, each named with its play."""
    import lxml.html

    for number, title in ((1, "The First Play"), (2, "The Second Play")):
        path = write(tei_edition, f"play{number}.xml", f'<sp who="#anna"><speaker>Anna</speaker><p>Line {number}.</p></sp>',
                     '<profileDesc><particDesc><listPerson><person xml:id="anna"><persName>Anna</persName></person>'
                     "</listPerson></particDesc></profileDesc>")
        path.write_text(path.read_text(encoding="utf-8").replace("<title>T</title>", f"<title>{title}</title>"),
                        encoding="utf-8")
    result = run("-C", str(tei_edition), "build", "--only", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    index = lxml.html.parse(str(tei_edition / "_build" / "html" / "persons.html")).getroot()
    entries = sorted(" ".join(a.getparent().text_content().split()) for a in index.xpath("//a[starts-with(@href, 'persons/')]"))
    assert [e.removesuffix(" 1 document") for e in entries] == ["Anna (The First Play)", "Anna (The Second Play)"]

    from edition.registers import Entity
    from edition.render.pdf_registers import identification

    assert identification(Entity(id="play1.anna", kind="person", name="Anna", declared_in="The First Play")) == "(The First Play)"
