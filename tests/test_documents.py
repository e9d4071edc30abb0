"""Safe parsing: every kind of bad input gets one clear diagnostic; nothing is fetched or expanded."""

from __future__ import annotations

import shutil
import subprocess


import pytest

from edition.documents import SourceLines, find_xml_files, parse_bytes, parse_file, serialise


def codes(problems):
    return [p.code for p in problems]


def test_seed_parses_cleanly(seed_tei):
    tree, problems = parse_file(seed_tei)
    assert tree is not None and problems == []
    assert "<!DOCTYPE" not in serialise(tree)


@pytest.mark.parametrize("data, code, words", [
    (b"", "xml.empty", "empty"),
    (b"   \n\n", "xml.empty", "empty"),
    (b"\x00\x01\x02binary\x00", "xml.binary", "binary"),
    ("<TEI>Добрый день, товарищ. Это документ на русском языке.</TEI>".encode("cp1251"), "xml.encoding", "cp1251"),
    ("<TEI>Café société, élève à Genève</TEI>".encode("latin-1"), "xml.encoding", "cp1252"),
    (b"<a>\n  <b>\n</a>", "xml.syntax", "not well-formed"),
    (b"plain text, not XML", "xml.syntax", "not well-formed"),
])
def test_bad_input(data, code, words):
    tree, problems = parse_bytes(data, "x.xml")
    assert tree is None
    assert codes(problems) == [code]
    assert words in problems[0].message
    assert "Traceback" not in problems[0].format()


def test_syntax_error_has_line_and_column():
    _, problems = parse_bytes(b"<a>\n  <b>\n</a>", "x.xml")
    assert (problems[0].line, problems[0].column) == (3, 5)


def test_external_entity_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    data = f'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n<a>&x;</a>'.encode()
    tree, problems = parse_bytes(data, "x.xml")
    assert tree is None
    assert codes(problems) == ["xml.external-entity"]
    assert "XXE" in problems[0].message and problems[0].line == 2
    assert "TOP-SECRET-CONTENT" not in problems[0].format()


def test_billion_laughs_is_refused_where_the_entity_is_used():
    """libxml2 gives up at a position of its own (line 1, column 4 or 7); the diagnostic points at the
    reference that would expand and names it, with the line of its declaration."""
    lol = '<!ENTITY a "lol">' + "".join(f'\n<!ENTITY {c} "{("&" + p + ";") * 10}">'
                                        for p, c in zip("abcdefgh", "bcdefghi"))
    data = f'<?xml version="1.0"?>\n<!DOCTYPE a [{lol}]>\n<a>\n  <b>&i;</b></a>'.encode()
    tree, problems = parse_bytes(data, "x.xml")
    assert tree is None
    assert set(codes(problems)) == {"xml.entity"}
    assert "billion laughs" in problems[0].message and "&i; (declared at line 10)" in problems[0].message
    assert (problems[0].line, problems[0].column) == (12, 6)


def test_a_duplicate_id_is_reported_and_the_document_still_checked():
    """libxml2 stopped the whole parse at a repeated xml:id, so nothing else in the file was checked:
    the tree is kept now, and the duplicate reported with the lines of both."""
    tree, problems = parse_bytes(b'<a>\n<b xml:id="p1"/>\n  <c xml:id="p1"/></a>', "x.xml")
    assert tree is not None and codes(problems) == ["xml.duplicate-id"]
    assert (problems[0].line, problems[0].column) == (3, 3)
    assert problems[0].message == 'xml:id="p1" is used twice: also at line 2'


def test_nesting_beyond_the_limit_is_said_plainly():
    data = b"<TEI>\n" + b"<div>" * 10_000 + b"</div>" * 10_000 + b"</TEI>"
    tree, problems = parse_bytes(data, "x.xml")
    assert tree is None and codes(problems) == ["xml.too-deep"]
    text = problems[0].format()
    assert "nested more than 256 levels" in text and "XML_PARSE_HUGE" not in text and "unclosed" not in text
    assert problems[0].line == 2


@pytest.mark.parametrize("text, codec, name", [
    ("Café société, élève à Genève", "latin-1", "CP1252"),
    ("Добрый день, товарищ. Это документ на русском языке.", "cp1251", "CP1251"),
])
def test_the_encoding_hint_is_a_command_that_works(tmp_path, monkeypatch, text, codec, name):
    """The hint for a file that is not UTF-8 is a command one can paste: run in a shell, it converts the
    file, which then parses (it read `iconv -f cp1252 (Windows Latin-1) -t UTF-8`)."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "my letter.xml"
    path.write_bytes(f"<TEI>{text}</TEI>".encode(codec))
    _, problems = parse_file(path)
    assert codes(problems) == ["xml.encoding"]
    command = problems[0].hint.removeprefix("convert it: ").split(" (or declare")[0]
    assert f"iconv -f {name} -t UTF-8 'my letter.xml' > 'my letter.utf-8.xml'" in command
    if shutil.which("iconv") is None:
        pytest.skip("iconv is not installed")
    subprocess.run(command, shell=True, check=True)
    tree, problems = parse_file(path)
    assert problems == [] and tree.getroot().text == text


def test_bounded_internal_entities_are_expanded():
    data = (b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY mdash "&#8212;"><!ENTITY dash2 "&mdash;&mdash;">'
            b'<!ENTITY sig "<hi>Ed.</hi>">]>\n<TEI><p>a&mdash;b&dash2;c &sig;</p></TEI>')
    tree, problems = parse_bytes(data, "x.xml")
    assert problems == []
    assert "".join(tree.getroot().itertext()) == "a\u2014b\u2014\u2014c Ed."
    assert tree.getroot().find("p/hi").text == "Ed."


def test_recursive_or_too_large_internal_entities_are_refused():
    recursive = b'<!DOCTYPE a [<!ENTITY x "1&y;"><!ENTITY y "2&x;">]><a>&x;</a>'
    tree, problems = parse_bytes(recursive, "x.xml")
    assert tree is None and codes(problems) == ["xml.entity"] and "billion laughs" in problems[0].message
    wide = b'<!DOCTYPE a [<!ENTITY x "' + b"y" * 2000 + b'">]><a>' + b"&x;" * 1000 + b"</a>"
    tree, problems = parse_bytes(wide, "x.xml")
    assert tree is None and codes(problems) == ["xml.entity"] and "billion laughs" in problems[0].message


def test_declared_non_utf8_encoding_is_respected():
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><p>société</p>'.encode("latin-1")
    tree, problems = parse_bytes(data, "x.xml")
    assert problems == [] and tree.getroot().text == "société"


def test_missing_file_and_folder(tmp_path):
    _, problems = parse_file(tmp_path / "nope.xml")
    assert codes(problems) == ["io.missing"]
    _, problems = parse_file(tmp_path)
    assert codes(problems) == ["io.folder"]


def test_find_xml_files(tmp_path):
    (tmp_path / "a.xml").write_text("<a/>")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.xml").write_text("<b/>")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.xml").write_text("<c/>")
    (tmp_path / "notes.txt").write_text("x")
    files, problems = find_xml_files([tmp_path, tmp_path / "missing.xml"])
    assert [f.name for f in files] == ["a.xml", "b.xml"]
    assert codes(problems) == ["io.missing"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert codes(find_xml_files([empty])[1]) == ["io.no-xml"]


def test_find_xml_files_in_path_order_with_links_resolved(tmp_path):
    """Below a folder: in the order Paths sort in (by parts: "a/x.xml" before "a-c.xml"), a link to a
    file listed (resolved, when asked), a link to a folder not followed, hidden files left out; with
    `resolve`, each path as Path.resolve() gives it."""
    sources, elsewhere = tmp_path / "sources", tmp_path / "elsewhere"
    (sources / "a" / "b.xml").mkdir(parents=True)  # a folder named like a file: walked, not listed
    elsewhere.mkdir()
    for name in ("a-c.xml", "a/x.xml", "a/b.xml/in.xml", ".h.xml", "plain.txt"):
        (sources / name).write_text("<a/>")
    (elsewhere / "e.xml").write_text("<e/>")
    (sources / "linked.xml").symlink_to(elsewhere / "e.xml")
    (sources / "folder").symlink_to(elsewhere)
    (sources / "broken.xml").symlink_to(tmp_path / "nothing")
    files, _ = find_xml_files([sources])
    assert [f.relative_to(sources).as_posix() for f in files] == ["a/b.xml/in.xml", "a/x.xml", "a-c.xml", "linked.xml"]
    assert files == sorted(p for p in sources.rglob("*.xml") if p.is_file() and not p.name.startswith("."))
    resolved, _ = find_xml_files([sources, sources / "linked.xml"], resolve=True)
    assert resolved == [f.resolve() for f in files] + [(elsewhere / "e.xml").resolve()]


def test_source_lines_end_where_xml_lines_end(tmp_path):
    """SourceLines (the text diagnostics take their columns from) splits at "\\n" as libxml2 counts
    lines, not at every character str.splitlines() takes for a line end; it reads the file only when
    a line is asked for."""
    path = tmp_path / "doc.xml"
    path.write_bytes("<a>\r\n<b>x\u2028y\x85z</b>\n<c/>".encode("utf-8"))
    lines = SourceLines(path)
    path.write_bytes("<a>\r\n<b>x\u2028y\x85z</b>\n<c/>\n".encode("utf-8"))  # changed before the first use
    assert len(lines) == 3 and list(lines) == ["<a>", "<b>x\u2028y\x85z</b>", "<c/>"]
    assert lines[-1] == "<c/>"
    with pytest.raises(IndexError):
        lines[3]
    assert len(SourceLines(tmp_path / "missing.xml")) == 0
