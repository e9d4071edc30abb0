"""`edition import` as a command: defaults from edition.toml, no overwriting, clear errors for bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from edition.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
PERSONS = REPO / "tei" / "persons.xml"
TELEGRAM = FIXTURES / "02_telegram_first_person.txt"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture()
def edition(tmp_path):
    """A minimal edition: edition.toml, the registers and the schemas in their usual places."""
    (tmp_path / "edition.toml").write_text('[edition]\ntitle = "Test edition"\neditors = ["A. Editor"]\n')
    (tmp_path / "tei").mkdir()
    (tmp_path / "schemas").mkdir()
    for name in ("persons.xml", "places.xml"):
        shutil.copy(FIXTURES / "tei" / name, tmp_path / "tei" / name)
    for name in ("edition.rng", "edition.sch"):
        (tmp_path / "schemas" / name).write_text("<placeholder/>")
    return tmp_path


def test_defaults_come_from_the_edition(edition):
    result = run("-C", edition, "import", TELEGRAM)
    assert result.exit_code == 0, result.output
    written = edition / "tei" / "1940-06-26_maisky.xml"
    text = written.read_text(encoding="utf-8")
    assert 'href="../schemas/edition.rng"' in text and 'href="../schemas/edition.sch"' in text
    assert 'ref="persons.xml#halifax"' in text and 'who="persons.xml#maisky"' in text
    assert '<editor xml:id="ed" role="encoder">A. Editor</editor>' in text


def test_never_overwrites_without_force(edition):
    assert run("-C", edition, "import", TELEGRAM).exit_code == 0
    target = edition / "tei" / "1940-06-26_maisky.xml"
    target.write_text("edited by hand")
    result = run("-C", edition, "import", TELEGRAM)
    assert result.exit_code == 2
    assert "1940-06-26_maisky.xml exists; not overwritten" in result.output and "--force" in result.output
    assert target.read_text() == "edited by hand"
    assert run("-C", edition, "import", TELEGRAM, "--force").exit_code == 0
    assert target.read_text().startswith("<?xml")


def test_outside_an_edition_out_and_persons_are_required(tmp_path):
    result = run("-C", tmp_path, "import", TELEGRAM)
    assert result.exit_code == 2
    assert "--out and --persons required outside an edition" in result.output


def test_deterministic(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = sorted(FIXTURES.glob("*.txt"))
    for out in ("a", "b"):
        assert run("import", *files, "--out", tmp_path / out, "--persons", FIXTURES / "tei" / "persons.xml").exit_code == 0
    a = sorted((tmp_path / "a").glob("*.xml"))
    assert len(a) == 19
    for path in a:
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
    assert 'when="2023-11-14"' in a[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["cp1252", "cp1251", "utf-16", "utf-16-le", "utf-8-sig"])
def test_any_detectable_encoding_is_read_and_named(tmp_path, encoding):
    text = ("Record of the conversation of comrade Molotov with the ambassador of Great Britain Cripps\n\n"
            "10 July 1940\n\nCripps said that the British government wished to improve relations, "
            f"the {'кафе' if encoding == 'cp1251' else 'caf' + chr(0xe9)} \u2014 “neutral” ground \u2014 being closed." +
            (" Запись беседы тов. Молотова с послом." if encoding != "cp1252" else "") + "\n")
    source = tmp_path / "t.txt"
    source.write_bytes(text.encode(encoding))
    result = run("import", source, "--out", tmp_path / "out", "--persons", PERSONS, "--format", "json")
    assert result.exit_code == 0, result.output
    import json
    report = json.loads(result.output)["files"][0]
    named = report["encoding"].replace("_", "").replace("-", "").lower()
    assert {"cp1252": "125", "cp1251": "1251", "utf-16": "utf16", "utf-16-le": "utf16", "utf-8-sig": "utf8"}[encoding] \
        in named, report["encoding"]
    (doc,) = (tmp_path / "out").glob("*.xml")
    cafe = "кафе" if encoding == "cp1251" else "café"
    assert f"the {cafe} — “neutral” ground — being closed" in doc.read_text(encoding="utf-8")


@pytest.mark.parametrize("content, expected", [
    (b"", "the file is empty"),
    (b"  \n\n \n", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file, not a plain-text transcript"),
    (b"Record " + b"x" * 1_100_000 + b"\n", ":1: a line of more than 1 MB"),
    (b"Record of conversation\x07 with bell", "character U+0007 in the text"),
    ("Record \ufffe".encode(), "character U+FFFE in the text"),
    ("Selected Secret Documents from Soviet Foreign Policy Documents Archives - 1919 to 1941\n\nDownload PDF\n"
     .encode(), "nothing but website clutter"),
])
def test_bad_input_gets_a_clear_error(tmp_path, content, expected):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run("import", bad, "--out", tmp_path / "out", "--persons", PERSONS)
    assert result.exit_code == 2
    assert "edition: error:" in result.output and expected in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_missing_file_and_folder(tmp_path):
    result = run("import", tmp_path / "nope.txt", "--out", tmp_path / "out", "--persons", PERSONS)
    assert result.exit_code == 2 and "no such file" in result.output
    result = run("import", tmp_path, "--out", tmp_path / "out", "--persons", PERSONS)
    assert result.exit_code == 2


def test_nothing_written_when_one_file_fails(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = run("import", TELEGRAM, bad, "--out", tmp_path / "out", "--persons", PERSONS)
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_json_report(tmp_path):
    import json

    result = run("import", FIXTURES / "03_diary_unknown_names.txt", "--out", tmp_path, "--persons",
                 FIXTURES / "tei" / "persons.xml", "--format", "json")
    report = json.loads(result.output)
    (doc,) = report["files"][0]["documents"]
    assert doc["unresolved_names"][0]["name"] == "Schulenburg"
    codes = {d["code"] for d in report["files"][0]["diagnostics"]}
    assert codes == {"import.todo", "import.unresolved-name"}


def test_a_long_paragraph_is_not_quadratic(tmp_path):
    import time

    long = tmp_path / "long.txt"
    long.write_text("Record of conversation of Stalin with Eden\n\nDecember 18, 1941\n\n"
                    + "Comrade Schulenburg said that the treaty, " * 6000 + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = run("import", long, "--out", tmp_path / "out", "--persons", PERSONS, "--format", "json")
    assert result.exit_code == 0
    assert time.perf_counter() - started < 20    # ~0.5 s; quadratic code took minutes


def test_places_come_from_beside_the_persons_given(tmp_path, monkeypatch):
    # Run from inside the repository's edition: --persons wins over edition.toml, and so do the
    # places beside it (the edition's own places.xml has no Berlin).
    monkeypatch.chdir(REPO)
    result = run("import", FIXTURES / "03_diary_unknown_names.txt", "--out", tmp_path, "--persons",
                 FIXTURES / "tei" / "persons.xml")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "1940-11-13_molotov-schulenburg.xml").read_text(encoding="utf-8")
    assert "fixtures/import/tei/places.xml#berlin" in text
