"""`edition validate`: every rule has a fixture that breaks it, at a known line.

tests/fixtures/validate/
  edition.toml, tei/       a small valid edition (the kitchen-sink document uses nearly every element)
  invalid/                 one document per rule (with its own copy of the registers)
  bad/                     inputs that are not usable XML at all
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner
from lxml import etree

from tests.helpers import FIXTURES, REPO
from edition.cli import main
from edition.config import load_config
from edition.diagnostics import Reporter, Severity
from edition.schematron import Schematron
from edition.validate import validate_corpus, validate_paths

HERE = FIXTURES / "validate"
INVALID = HERE / "invalid"
BAD = HERE / "bad"

# fixture file -> every (code, line) `edition validate` must report for it, and nothing else.
EXPECTED = {
    "rng-structure.xml": [("rng.not-allowed", 41), ("rng.attribute", 42), ("sch.date-iso", 45), ("rng.not-allowed", 46)],
    "sch-dates.xml": [("sch.dateline-date", 38), ("sch.date-iso", 41), ("sch.date-iso", 42)],
    "sch-editorial.xml": [("sch.choice-pair", 42), ("sch.choice-pair", 43), ("sch.note-empty", 43)],
    "sch-names.xml": [("sch.persname-ref", 41), ("sch.placename-ref", 41), ("sch.orgname-ref", 42),
                      ("sch.rs-ref", 42)],
    "sch-pointers.xml": [("sch.sameas-resolves", 29), ("sch.ref-resolves", 42), ("sch.ref-resolves", 42),
                         ("sch.resp-resolves", 45), ("sch.speaker-declared", 47), ("sch.who-resolves", 47),
                         ("sch.ref-resolves", 50)],
    "sch-source.xml": [("sch.source-idno", 13), ("sch.source-repository", 13)],
    "sch-source-lines.xml": [("sch.source-note-in-back", 49)],
    "sch-speakers.xml": [("sch.participant-silent", 29), ("sch.speaker-declared", 44),
                         ("sch.speaker-declared", 45)],
    "sch-todo.xml": [("sch.todo-uncertain", 42), ("sch.todo-pi", 44), ("sch.todo", 45)],
    "corpus-duplicate-a.xml": [],
    "corpus-duplicate-b.xml": [("corpus.duplicate-id", 2), ("sch.edition-idno", 11)],
    "sch-identity.xml": [("sch.document-id", 2), ("sch.edition-idno", 11)],
    "sch-facsimile.xml": [("sch.facs-resolves", 48)],
    "persons.xml": [("sch.register-main-name", 114), ("sch.register-id", 118)],
    "places.xml": [("corpus.duplicate-id", 25)],
}
WARNINGS = {"sch.edition-idno", "sch.persname-ref", "sch.placename-ref", "sch.orgname-ref", "sch.rs-ref", "sch.participant-silent",
            "sch.todo", "sch.todo-uncertain", "sch.todo-pi", "sch.source-note-in-back"}


@pytest.fixture(scope="module")
def invalid_result():
    return validate_paths([INVALID])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reports_exactly_the_expected_problems(invalid_result, name):
    found = sorted((d.code, d.line) for d in invalid_result.files[(INVALID / name).resolve()])
    assert found == sorted(EXPECTED[name])


def test_every_fixture_in_invalid_is_in_the_table():
    assert sorted(p.name for p in INVALID.glob("*.xml")) == sorted(EXPECTED)


def test_every_schematron_rule_has_a_fixture():
    ids = etree.parse(str(REPO / "schemas" / "edition.sch")).xpath(
        "//sch:assert/@id | //sch:report/@id", namespaces={"sch": "http://purl.oclc.org/dsdl/schematron"})
    covered = {code for expected in EXPECTED.values() for code, _ in expected}
    # The document() rules are run in Python under the same codes (see test_register_rules_agree...);
    # a rule's variant for drafts is reported under the rule's code (test_xml_editors_see_a_drafts_severities...).
    missing = {f"sch.{i.removesuffix('-draft')}" for i in ids if not i.endswith("-register")} - covered
    assert missing == set()


def test_severities_follow_the_schematron_roles(invalid_result):
    for d in invalid_result.diagnostics:
        assert d.severity is (Severity.WARNING if d.code in WARNINGS else Severity.ERROR), d.format()


def test_messages_are_plain_language(invalid_result):
    by_code = {}
    for d in invalid_result.diagnostics:
        by_code.setdefault(d.code, d)
    assert by_code["rng.not-allowed"].message.startswith("<head> is not allowed inside <sp>; allowed there: ab,")
    assert by_code["sch.persname-ref"].message.startswith(
        "<persName> has no @ref; every name must point into tei/persons.xml")
    assert "52 of its 92 volumes" in by_code["sch.source-repository"].message
    pointer = [d for d in invalid_result.diagnostics if "stallin" in d.message][0]
    assert pointer.hint == 'did you mean "persons.xml#stalin"?'
    assert by_code["sch.todo"].message == 'to do: speaker not recognised: "Comrade Edem"'


def test_columns_point_at_the_start_tag(invalid_result):
    path = (INVALID / "sch-names.xml").resolve()
    lines = path.read_text(encoding="utf-8").splitlines()
    for d in invalid_result.files[path]:
        assert d.column > 0
        assert lines[d.line - 1][d.column - 1:].startswith("<" + d.message[1:d.message.index(">")])


def test_follow_up_errors_are_dropped(invalid_result):
    """libxml2's 'failed to validate content', 'has extra content' and 'Expecting an element persName,
    got nothing' cascades are not shown when a specific error explains them; a bad date is reported once."""
    codes = [d.code for d in invalid_result.files[(INVALID / "rng-structure.xml").resolve()]]
    assert "rng.content" not in codes and "rng.missing" not in codes and "rng.value" not in codes


def _editor_pointer_findings(tmp_path, ids):
    """edition.sch with every pattern (phase #ALL, as XML editors run it) on sch-pointers.xml: (code, line,
    message) of the failed asserts with these ids. (libxslt stops at a missing file, so the pointer into
    a register that does not exist is left out.)"""
    for register in ("persons.xml", "places.xml"):
        shutil.copy(INVALID / register, tmp_path)
    path = tmp_path / "sch-pointers.xml"
    path.write_text("".join(line for line in (INVALID / path.name).read_text(encoding="utf-8").splitlines(True)
                            if "people.xml" not in line), encoding="utf-8")
    tree = etree.parse(str(path))
    findings = Schematron(etree.parse(str(REPO / "schemas" / "edition.sch"))).findings(tree)
    return path, sorted((f"sch.{f.get('id').removesuffix('-register')}", f.node.getparent().sourceline, f.text)
                        for f in findings if f.get("id") in ids)


def test_register_rules_agree_with_the_schematron_for_xml_editors(tmp_path):
    """edition.sch's document() rules (run by XML editors, phase #ALL) find the same bad pointers as
    the Python implementation the tool runs."""
    path, by_editor = _editor_pointer_findings(tmp_path, {"ref-resolves-register", "sameas-resolves-register",
                                                          "who-resolves-register"})
    by_tool = sorted((d.code, d.line) for d in validate_paths([path]).files[path.resolve()]
                     if d.code.endswith("-resolves") and "points to no element" not in d.message)
    assert [(code, line) for code, line, _ in by_editor] == by_tool == [
        ("sch.ref-resolves", 42), ("sch.ref-resolves", 42), ("sch.sameas-resolves", 29)]


def test_local_pointers_agree_with_the_schematron_for_xml_editors(tmp_path):
    """The same-document pointer rules (pattern local-pointers, which XML editors run) and the tool's
    Python pass find the same pointers, with the same messages."""
    path, by_editor = _editor_pointer_findings(tmp_path, {"ref-resolves", "who-resolves", "resp-resolves",
                                                          "sameas-resolves"})
    by_tool = sorted((d.code, d.line, d.message) for d in validate_paths([path]).files[path.resolve()]
                     if "points to no element" in d.message)
    assert by_editor == by_tool and len(by_tool) == 2


def test_valid_edition_validates_clean():
    config = load_config(HERE / "edition.toml")
    reporter = Reporter()
    result = validate_corpus(config, reporter)
    assert result.diagnostics == [] and reporter.diagnostics == []
    assert len(result.files) == 3 and result.failed == set() and result.ok(strict=True)
    assert result.trees == {}  # streamed: no tree is kept unless asked for
    assert set(validate_corpus(config, keep_trees=True).trees) == set(result.files)


def test_the_bundled_edition_validates_clean(config):
    result = validate_corpus(config)
    assert [d.format() for d in result.diagnostics] == []


def test_failed_lists_the_documents_with_errors(invalid_result):
    assert {p.name for p in invalid_result.failed} == {n for n, e in EXPECTED.items()
                                                       if any(c not in WARNINGS for c, _ in e)}


# ------------------------------------------------------------------------------- the command

def run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_clean_edition_exits_0():
    result = run("-C", str(HERE), "validate")
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("3 files, 0 errors, 0 warnings in ")


def test_cli_errors_exit_1_and_every_file_is_reported():
    result = run("validate", str(INVALID))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert sum(": error: " in line for line in lines) == sum(
        c not in WARNINGS for e in EXPECTED.values() for c, _ in e)
    assert any(line.endswith("[sch.persname-ref]") and ":41:22: warning: " in line for line in lines)
    assert lines[-1].startswith(f"{len(EXPECTED)} files, ")


def test_cli_warnings_fail_only_with_strict():
    names = str(INVALID / "sch-names.xml")
    assert run("validate", names).exit_code == 0
    assert run("validate", "--strict", names).exit_code == 1


def test_cli_json():
    result = run("validate", "--format", "json", str(INVALID / "sch-source.xml"))
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert data["errors"] == 2 and data["warnings"] == 0 and data["files"] == 1
    assert {d["code"] for d in data["diagnostics"]} == {"sch.source-repository", "sch.source-idno"}
    assert data["diagnostics"][0]["line"] == 13 and data["failed"][0].endswith("sch-source.xml")


def test_cli_without_edition_uses_built_in_schemas(tmp_path, monkeypatch):
    shutil.copy(INVALID / "sch-names.xml", tmp_path)
    for register in ("persons.xml", "places.xml"):
        shutil.copy(INVALID / register, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("validate", "sch-names.xml")
    assert result.exit_code == 0, result.output
    assert "sch.persname-ref" in result.output


def test_cli_usage_errors_exit_2(tmp_path):
    assert run("-C", str(tmp_path), "validate").exit_code == 2  # no edition.toml
    result = run("validate", "--relaxng", str(tmp_path / "nope.rng"), str(INVALID / "sch-names.xml"))
    assert result.exit_code == 2 and "no such RELAX NG schema" in result.output
    broken = tmp_path / "broken.sch"
    broken.write_text("<schema xmlns='http://purl.oclc.org/dsdl/schematron'><rule context='x'/></schema>")
    result = run("validate", "--schematron", str(broken), str(INVALID / "sch-names.xml"))
    assert result.exit_code == 2 and "not a usable ISO Schematron schema" in result.output
    (tmp_path / "empty").mkdir()
    result = run("validate", str(tmp_path / "empty"))
    assert result.exit_code == 2 and "no .xml files" in result.output


def test_cli_other_schemas(tmp_path):
    """--relaxng and --schematron replace the edition's schemas."""
    rng = tmp_path / "only-tei-root.rng"
    rng.write_text('<element name="TEI" ns="http://www.tei-c.org/ns/1.0" xmlns="http://relaxng.org/ns/structure/1.0">'
                   '<attribute name="xml:id"/><empty/></element>')
    sch = tmp_path / "one-rule.sch"
    sch.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">'
                   '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/><pattern><rule context="tei:TEI">'
                   '<report id="always" role="warning" test="true()">hello</report></rule></pattern></schema>')
    result = run("validate", "--relaxng", str(rng), "--schematron", str(sch), str(INVALID / "sch-names.xml"))
    assert result.exit_code == 1
    assert "[rng.text]" in result.output or "[rng.not-allowed]" in result.output
    assert "warning: hello [sch.always]" in result.output
    assert "sch.persname-ref" not in result.output


# ------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("name, code, words", [
    ("not-xml.xml", "xml.syntax", "not well-formed XML"),
    ("unclosed.xml", "xml.syntax", "Opening and ending tag mismatch"),
    ("empty.xml", "xml.empty", "the file is empty"),
    ("latin1.xml", "xml.encoding", "not UTF-8"),
    ("xxe.xml", "xml.external-entity", "not resolved (XXE"),
    ("billion-laughs.xml", "xml.entity", "billion laughs"),
])
def test_bad_input_is_one_clear_error_and_the_rest_is_still_validated(name, code, words):
    result = run("validate", str(BAD / name), str(INVALID / "sch-source.xml"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    bad = [line for line in result.output.splitlines() if name in line and not line.startswith(" ")]  # not hints
    assert bad and all(f"[{code}]" in line for line in bad) and words in bad[0]
    assert "[sch.source-repository]" in result.output  # the other file was validated too


def test_external_entity_is_never_fetched():
    result = validate_paths([BAD / "xxe.xml"])
    assert "root:" not in json.dumps([d.message for d in result.diagnostics])
    assert result.trees == {}


def test_missing_file_and_folder_without_xml(tmp_path):
    (tmp_path / "nothing-here").mkdir()
    result = run("validate", str(tmp_path / "missing.xml"), str(tmp_path / "nothing-here"),
                 str(INVALID / "sch-names.xml"))
    assert result.exit_code == 1
    assert "missing.xml: error: no such file or folder [io.missing]" in result.output
    assert "nothing-here: warning: the folder contains no .xml files [io.no-xml]" in result.output
    assert "[sch.persname-ref]" in result.output


# ------------------------------------------------------------------------------- RELAX NG in plain words

KITCHEN_SINK = HERE / "tei" / "1942-05-21_molotov-churchill.xml"


@pytest.mark.parametrize("old, new, code, message, hint", [
    ('<sp who="persons.xml#eden">', "<sp>", "rng.missing-attribute", "<sp> lacks the required attribute @who", ""),
    ('<ab type="summary">A block that is not a paragraph.</ab>', "Loose text.", "rng.text",
     "text is not allowed directly inside <div>", "put it inside one of: "),
    ('<p xml:id="p2">', '<p xml:id="p2"><p>nested</p>', "rng.not-allowed", "<p> is not allowed inside <p>; allowed there:", ""),
    ('<persName ref="persons.xml#churchill">Churchill</persName> welcomed',
     '<persname ref="persons.xml#churchill">Churchill</persname> welcomed', "rng.not-allowed",
     "<persname> is not allowed inside <p>", "did you mean <persName>?"),
    ('cert="high">Churchill', 'cert="sure">Churchill', "rng.value", '<corr> has cert="sure", which is not a valid value',
     "cert must be high, medium, low or unknown"),
    ("<body>", "<bod>", "rng.not-allowed", "<bod> is not allowed inside <text>; allowed there: back, body, front", ""),
    ('<p xml:id="p4">', '<p xml:id="p4" type="speech">', "rng.attribute", "@type is not allowed on <p>; allowed: @ana,", ""),
    ('xmlns="http://www.tei-c.org/ns/1.0" ', "", "rng.namespace", "<TEI> is not in the TEI namespace", "xmlns="),
])
def test_relaxng_errors_in_plain_words(tmp_path, old, new, code, message, hint):
    for register in ("persons.xml", "places.xml"):
        shutil.copy(HERE / "tei" / register, tmp_path)
    shutil.copytree(HERE / "tei" / "images", tmp_path / "images")  # the page image its <pb facs> names
    text = KITCHEN_SINK.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "doc.xml"
    text = text.replace(old, new, 1)
    if old == "<body>":
        text = text.replace("</body>", "</bod>")  # keep it well-formed: only the name is wrong
    path.write_text(text, encoding="utf-8")
    found = [d for d in validate_paths([path]).files[path.resolve()] if d.code.startswith("rng.")]
    assert len(found) == 1, [d.format() for d in found]  # one error, no cascade
    assert found[0].code == code and found[0].message.startswith(message) and hint in found[0].hint
    assert found[0].line > 0


def test_missing_required_element_is_named(tmp_path):
    path = tmp_path / "minimal.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="m"><teiHeader/></TEI>', encoding="utf-8")
    messages = [d.message for d in validate_paths([path]).files[path.resolve()] if d.code == "rng.missing"]
    assert "<teiHeader> is incomplete: <fileDesc> is missing" in messages


def test_registers_outside_the_sources_folder_are_validated_too(tmp_path):
    (tmp_path / "tei").mkdir()
    (tmp_path / "registers").mkdir()
    for register in ("persons.xml", "places.xml"):
        shutil.copy(INVALID / register, tmp_path / "registers")  # "eden" is a person and a place
    shutil.copy(INVALID / "sch-names.xml", tmp_path / "tei")
    (tmp_path / "edition.toml").write_text('[edition]\ntitle = "t"\npersons = "registers/persons.xml"\n'
                                           'places = "registers/places.xml"\n', encoding="utf-8")
    result = validate_corpus(load_config(tmp_path / "edition.toml"))
    assert (tmp_path / "registers" / "places.xml").resolve() in result.files
    assert "corpus.duplicate-id" in {d.code for d in result.diagnostics}


# ------------------------------------------------------------------------------- robustness

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_broken_document_gives_diagnostics_not_a_traceback(tmp_path_factory, data):
    """Delete, rename or move an element of the kitchen-sink document at random: validation reports
    problems with a line each (or none, if the change happens to be valid) and never crashes."""
    folder = tmp_path_factory.mktemp("mutant")
    for register in ("persons.xml", "places.xml"):
        shutil.copy(HERE / "tei" / register, folder)
    tree = etree.parse(str(KITCHEN_SINK))
    elements = [e for e in tree.getroot().iter(etree.Element) if e.getparent() is not None]
    victim = data.draw(st.sampled_from(elements))
    action = data.draw(st.sampled_from(["delete", "rename", "move", "attribute"]))
    parent = victim.getparent()
    if action == "delete":
        parent.remove(victim)
    elif action == "rename":
        victim.tag = "{http://www.tei-c.org/ns/1.0}" + data.draw(st.sampled_from(["p", "sp", "head", "note", "div", "x"]))
    elif action == "move":
        target = data.draw(st.sampled_from(elements))
        if victim not in target.iterancestors() and victim is not target:
            target.append(victim)
    else:
        victim.set(data.draw(st.sampled_from(["when", "ref", "who", "type", "cert", "bogus"])),
                   data.draw(st.sampled_from(["", "1941-13-40", "#nowhere", "persons.xml#nobody", "x y"])))
    path = folder / "mutant.xml"
    tree.write(str(path), encoding="utf-8", xml_declaration=True)
    result = validate_paths([path])
    for d in result.diagnostics:
        assert d.message and d.code.split(".")[0] in ("xml", "rng", "sch", "corpus"), d.format()
        assert d.line > 0 or d.code.startswith("xml."), d.format()
        assert "<?>" not in d.message and "Expecting an element ," not in d.message, d.format()


def test_a_start_tag_over_several_lines_is_located_where_it_starts(tmp_path):
    """libxml2 gives the line where a start tag ends; the diagnostic points where it starts."""
    for register in ("persons.xml", "places.xml"):
        shutil.copy(HERE / "tei" / register, tmp_path)
    shutil.copytree(HERE / "tei" / "images", tmp_path / "images")  # the page image its <pb facs> names
    text = KITCHEN_SINK.read_text(encoding="utf-8")
    old = '<note type="source" place="foot" n="1"\n'
    assert old in text  # the fixture's note starts on one line and ends on the next
    path = tmp_path / "doc.xml"
    path.write_text(text.replace(old, old.replace('n="1"', 'n="1" bogus="x"')), encoding="utf-8")
    (found,) = validate_paths([path]).files[path.resolve()]
    line = path.read_text(encoding="utf-8").splitlines()[found.line - 1]
    assert found.code == "rng.attribute" and line[found.column - 1:].startswith('<note type="source"')


def test_cli_broken_edition_toml_is_not_ignored(tmp_path, monkeypatch):
    shutil.copy(INVALID / "sch-names.xml", tmp_path)
    (tmp_path / "edition.toml").write_text("[edition]\ntitle = 'x'\nbogus = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "sch-names.xml")
    assert result.exit_code == 2 and "unknown key 'edition.bogus'" in result.output


def test_a_second_mistake_in_the_same_element_is_reported_too(invalid_result):
    """libxml2 stops at the first error inside an element; the validator repairs it in a copy and
    validates again, so that the @type on the <p> after the misplaced <head> is reported in the same run."""
    messages = [d.message for d in invalid_result.files[(INVALID / "rng-structure.xml").resolve()]]
    assert any(m.startswith("@type is not allowed on <p>") for m in messages)


@pytest.mark.parametrize("binding, test, message", [
    ("xslt", "matches(string(.), 'a')", "the Schematron rules could not be run on"),
])
def test_schematron_beyond_xpath_1_is_a_clear_error(tmp_path, binding, test, message):
    """lxml runs Schematron as XSLT 1.0: an XPath 2.0 function in a rule of a queryBinding="xslt"
    schema is refused with the reason and what to do (it was a traceback). (queryBinding="xslt2"
    schemas run in Saxon: tests/test_tei_model.py.)"""
    rules = tmp_path / "rules.sch"
    rules.write_text(f'<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="{binding}">'
                     '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>'
                     f'<pattern><rule context="tei:p"><assert test="{test}">no</assert></rule></pattern></schema>',
                     encoding="utf-8")
    result = run("validate", "--schematron", str(rules), str(REPO / "tei" / "1941-12-18_stalin-eden.xml"))
    assert result.exit_code == 2, result.output
    assert message in result.output and 'use queryBinding="xslt"' in result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------------------- large documents
# Times are measured by the benchmark (bench/run.py --large); these tests check the causes.

SCH_NS = {"sch": "http://purl.oclc.org/dsdl/schematron"}
WILDCARD_PREDICATE = re.compile(r"(?:^|[/|(\s])(?:[\w.-]+:)?\*\[")


def test_no_rule_context_puts_a_predicate_on_a_wildcard():
    """libxslt tests a predicate on "*" in a match pattern by counting the node's siblings, again for
    each node (its cache holds one parent, and the descendants visited in between replace it):
    `tei:*[starts-with(@ref, '#')]` made validation quadratic in the number of <sp> of a <div> (a
    10 MB document: 85 s; 50 MB: more than 25 minutes). The rules match attributes or named elements."""
    contexts = etree.parse(str(REPO / "schemas" / "edition.sch")).xpath("//sch:rule/@context", namespaces=SCH_NS)
    assert len(contexts) > 10
    assert [c for c in contexts if WILDCARD_PREDICATE.search(c)] == []
    assert WILDCARD_PREDICATE.search("tei:*[@ref]") and not WILDCARD_PREDICATE.search("tei:note[@type = 'todo']")


def test_the_tools_phase_calls_no_key():
    """libxslt's key() table overwrites the line numbers libxml2 keeps for lines after 65,535, so
    the patterns the tool runs use none (same-document pointers are resolved in Python)."""
    schema = etree.parse(str(REPO / "schemas" / "edition.sch"))
    active = schema.xpath("//sch:phase[@id = 'in-document']/sch:active/@pattern", namespaces=SCH_NS)
    assert "speakers" in active and "local-pointers" not in active
    for name in active:
        (pattern,) = schema.xpath("//sch:pattern[@id = $n]", n=name, namespaces=SCH_NS)
        assert "key(" not in etree.tostring(pattern, encoding="unicode"), name


def test_lines_after_65535_are_reported_where_they_are(tmp_path):
    """A long document (an imported transcript of 20 MB has 100,000 lines): a name without @ref and a
    same-document pointer that resolves to nothing, both after line 70,000, are reported at their lines
    (they were at 65535: libxml2 keeps larger numbers beside the node, where libxslt's key() wrote)."""
    for register in ("persons.xml", "places.xml"):
        shutil.copy(REPO / "tei" / register, tmp_path)
    text = (REPO / "tei" / "1941-12-18_stalin-eden.xml").read_text(encoding="utf-8")
    old = '<persName ref="persons.xml#stalin">J. V. Stalin</persName>'
    assert old in text
    text = text.replace(old, "\n" * 70_000 + '<persName>J. V. Stalin</persName>', 1)
    text = text.replace('<corr resp="#ed"', '<corr resp="#nobody"', 1)
    path = tmp_path / "long.xml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    found = {d.code: d for d in validate_paths([path]).files[path.resolve()]}
    assert set(found) == {"sch.persname-ref", "sch.resp-resolves"}, [d.format() for d in found.values()]
    for code, marker in (("sch.persname-ref", "<persName>J. V."), ("sch.resp-resolves", 'resp="#nobody"')):
        d = found[code]
        assert d.line > 70_000 and marker in lines[d.line - 1], d.format()


def test_a_line_separator_in_the_text_does_not_shift_the_columns(tmp_path):
    """U+2028 ends a line for Python's str.splitlines, not for XML: the columns of the errors after
    it were looked up on the wrong line."""
    for register in ("persons.xml", "places.xml"):
        shutil.copy(HERE / "tei" / register, tmp_path)
    shutil.copytree(HERE / "tei" / "images", tmp_path / "images")  # the page image its <pb facs> names
    text = KITCHEN_SINK.read_text(encoding="utf-8")
    old = '<p xml:id="p4">'
    assert old in text
    text = text.replace('<p xml:id="p2">', '<p xml:id="p2">\u2028', 1).replace(old, '<p xml:id="p4" type="x">', 1)
    path = tmp_path / "doc.xml"
    path.write_text(text, encoding="utf-8")
    (found,) = validate_paths([path]).files[path.resolve()]
    line = text.split("\n")[found.line - 1]
    assert found.code == "rng.attribute" and line[found.column - 1:].startswith('<p xml:id="p4"'), found.format()


def test_schematron_findings_come_with_their_nodes():
    """edition/schematron.py hands back the node of each finding (an element, an attribute, a processing
    instruction) instead of an XPath that is built and evaluated by counting siblings; it writes no
    svrl:fired-rule for the nodes that pass."""
    schema = etree.fromstring(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">'
        '<ns prefix="t" uri="urn:t"/><pattern>'
        '<rule context="t:p"><report id="p" test="@n = 2">p</report></rule>'
        '<rule context="@when"><assert id="when" test=". = \'1941\'">when</assert></rule>'
        '<rule context="processing-instruction(\'todo\')"><report id="pi" test="true()">pi</report></rule>'
        '</pattern></schema>')
    tree = etree.ElementTree(etree.fromstring(
        '<d xmlns="urn:t">\n<p n="1"/>\n<p n="2"/>\n<p when="1942"/>\n<?todo check?>\n</d>'))
    report_nodes = Schematron(etree.ElementTree(schema)).findings(tree)
    found = {f.get("id"): f.node for f in report_nodes}
    assert set(found) == {"p", "when", "pi"}
    assert found["p"].get("n") == "2" and found["p"].sourceline == 3
    assert found["when"] == "1942" and found["when"].getparent().sourceline == 4
    assert found["pi"].target == "todo" and found["pi"].sourceline == 5
    assert [f.result.getparent().tag for f in report_nodes] == ["{http://purl.oclc.org/dsdl/svrl}schematron-output"] * 3
    assert not list(report_nodes[0].result.getroottree().iter("{http://purl.oclc.org/dsdl/svrl}fired-rule"))


def test_schematron_findings_are_the_iso_skeletons_in_its_order():
    """The one walk applies each pattern only at the elements its rules name; rules that may match any
    element (a wildcard, node(), an axis), a name under another prefix of the same namespace, an
    unprefixed name and rules on attributes, comments and processing instructions find what lxml's
    own ISO skeleton finds, in the same order (patterns in turn, each in document order)."""
    from lxml import isoschematron

    schema = etree.ElementTree(etree.fromstring(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">'
        '<ns prefix="t" uri="urn:t"/><ns prefix="u" uri="urn:t"/>'
        '<pattern><rule context="t:p[@n = 2]"><report id="p2" test="true()">p2</report></rule>'
        '<rule context="u:p"><report id="p-other" test="@when">p</report></rule>'
        '<rule context="@when"><report id="when" test="true()">w</report></rule></pattern>'
        '<pattern><rule context="*[@n]"><report id="any-n" test="true()">n</report></rule></pattern>'
        '<pattern><rule context="t:d//node()[self::t:q]"><report id="q" test="true()">q</report></rule>'
        '<rule context="comment()"><report id="comment" test="true()">c</report></rule>'
        '<rule context="processing-instruction(\'todo\')"><report id="pi" test="true()">pi</report></rule></pattern>'
        '<pattern><rule context="plain"><report id="plain" test="true()">x</report></rule>'
        '<rule context="child::t:q"><report id="axis" test="true()">a</report></rule></pattern>'
        '</schema>'))
    tree = etree.ElementTree(etree.fromstring(
        '<d xmlns="urn:t">\n<p n="1"/><q n="3"><!-- c --><p n="2" when="1941"/></q>\n<?todo x?>'
        '<plain xmlns=""><p xmlns="urn:t" when="1942"/></plain><q/>\n</d>'))
    skeleton = isoschematron.Schematron(schema, compile_params={"only-child-elements": "'false'"}, store_report=True)
    skeleton.validate(tree)
    expected = [e.get("id") for e in skeleton.validation_report.iter(
        "{http://purl.oclc.org/dsdl/svrl}failed-assert", "{http://purl.oclc.org/dsdl/svrl}successful-report")]
    found = Schematron(schema).findings(tree)
    assert [f.get("id") for f in found] == expected
    assert expected == ["p2", "when", "p-other", "when", "any-n", "any-n", "any-n", "q", "comment", "pi", "q",
                        "axis", "plain", "axis"]
    assert found[0].node.get("n") == "2" and found[1].node == "1941" and found[2].node.getparent().tag == "plain"


# ------------------------------------------------------------------------------- messages that name the problem
# Mutations of the bundled document whose messages misled (found by comparing with jing, which agreed
# on the verdicts): each must name the real problem, at its line.

BUNDLED = REPO / "tei" / "1941-12-18_stalin-eden.xml"


def _header_element(text: str, name: str) -> str:
    return text[text.index(f"<{name}>"):text.index(f"</{name}>") + len(f"</{name}>")]


@pytest.mark.parametrize("mutations, expected", [
    # A duplicate xml:id stopped the parse: 1 error reported where there are 3 (as jing reports).
    ([('xml:id="p2"', 'xml:id="p1"'), ('<p xml:id="p4">', '<p xml:id="p4" type="x">'), ("<head>", "<head><bogus/>")],
     [("rng.not-allowed", '<head><bogus/>', "<bogus> is not allowed inside <head>"),
      ("xml.duplicate-id", '<p xml:id="p1">', 'xml:id="p1" is used twice: also at line '),
      ("rng.attribute", 'type="x"', "@type is not allowed on <p>")]),
    # The value was the problem, not the attribute.
    ([('xml:lang="en"', 'xml:lang="english language"')],
     [("rng.value", 'xml:lang="english language"', '<TEI> has xml:lang="english language", which is not a valid value')]),
    # Python's None showed instead of the empty value.
    ([('<p xml:id="p4">', '<p xml:id="p4" rend="">')],
     [("rng.value", 'rend=""', '<p> has rend="", which is not a valid value')]),
    # Was "<textClass> has content the encoding model does not allow", at the line of <textClass>.
    ([('<term type="classification">Top secret', '<term type="classi fication">Top secret')],
     [("rng.value", 'type="classi fication"', '<term> has type="classi fication", which is not a valid value')]),
])
def test_messages_name_the_real_problem_at_its_line(tmp_path, mutations, expected):
    for register in ("persons.xml", "places.xml"):
        shutil.copy(REPO / "tei" / register, tmp_path)
    text = BUNDLED.read_text(encoding="utf-8")
    for old, new in mutations:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "doc.xml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", "--format", "json", str(path))
    found = [d for d in json.loads(result.output)["diagnostics"] if d["severity"] == "error"]
    assert len(found) == len(expected), result.output
    lines = text.split("\n")
    for d, (code, marker, message) in zip(sorted(found, key=lambda d: d["line"]), expected):
        assert d["code"] == code and d["message"].startswith(message), d
        assert marker in lines[d["line"] - 1], (d, lines[d["line"] - 1])
        if code == "rng.value":  # the column is the attribute's
            assert lines[d["line"] - 1][d["column"] - 1:].startswith(marker.split("=")[0] + "="), d


@pytest.mark.parametrize("element, message", [
    ("publicationStmt", "<fileDesc> is incomplete: <publicationStmt> is missing (found <sourceDesc> instead)"),
    ("text", "<TEI> is incomplete: <standOff> or <text> is missing"),
])
def test_a_missing_element_is_named(tmp_path, element, message):
    """It said "<sourceDesc> is not allowed at this position" (for a missing <publicationStmt>) and
    "a required element is missing" (for a missing <text>)."""
    for register in ("persons.xml", "places.xml"):
        shutil.copy(REPO / "tei" / register, tmp_path)
    text = BUNDLED.read_text(encoding="utf-8")
    path = tmp_path / "doc.xml"
    path.write_text(text.replace(_header_element(text, element), "", 1), encoding="utf-8")
    found = [d for d in validate_paths([path]).files[path.resolve()] if d.code.startswith("rng.")]
    assert [(d.code, d.message) for d in found] == [("rng.missing", message)]


@pytest.mark.parametrize("status", ["draft", "published"])
def test_xml_editors_see_a_drafts_severities_as_the_tool_does(tmp_path, status):
    """A draft without its archive and with a speaker not yet a participant: warnings for the tool
    and for an XML editor running edition.sch (every pattern, phase #ALL), errors once published."""
    for register in ("persons.xml", "places.xml"):
        shutil.copy(REPO / "tei" / register, tmp_path)
    text = (REPO / "tei" / "1941-12-18_stalin-eden.xml").read_text(encoding="utf-8")
    text = re.sub(r"<repository>[^<]*</repository>\s*(<idno [^>]*>[^<]*</idno>\s*)*", "", text)
    text = text.replace('<person sameAs="persons.xml#eden" role="speaker"/>', "")
    text = text.replace("<revisionDesc>", f'<revisionDesc status="{status}">')
    path = tmp_path / "record.xml"
    path.write_text(text, encoding="utf-8")
    codes = {"sch.source-repository", "sch.source-idno", "sch.speaker-declared"}
    by_tool = sorted({(d.code, d.severity.value, d.line) for d in validate_paths([path]).files[path.resolve()]
                      if d.code in codes})
    findings = Schematron(etree.parse(str(REPO / "schemas" / "edition.sch"))).findings(etree.parse(str(path)))
    by_editor = sorted({("sch." + f.get("id").removesuffix("-draft"), Severity.from_role(f.get("role")).value,
                         f.node.sourceline) for f in findings if "sch." + f.get("id").removesuffix("-draft") in codes})
    severity = "warning" if status == "draft" else "error"
    assert by_tool == by_editor
    assert {code for code, _, _ in by_tool} == codes and {s for _, s, _ in by_tool} == {severity}
