"""`[validation] model = "tei"`: TEI written elsewhere validates with the generic checks only, through
the commands editors run (`edition init --model tei`, `edition validate`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO

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
    assert any('target="#nowhere"' in line and "warning" in line for line in lines)
    assert any("p4.xml" in line and "<TEI> is in no namespace" in line and "[tei.namespace]" in line for line in lines)


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
