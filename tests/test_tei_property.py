"""The no-text-lost property for random trees of TEI elements from every chapter the stylesheets
cover: every word of <text> reaches the web page and the PDF (counted as bench/fidelity.py counts)."""

from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.helpers import TEI, bench_module, render_html, typeset_pdf

FIDELITY = bench_module("fidelity")
html_text, kept, pdf_text, words = FIDELITY.html_text, FIDELITY.kept, FIDELITY.pdf_text, FIDELITY.words

T = f"{{{TEI}}}"
WORDS = st.lists(st.from_regex(r"[A-Za-z]{2,9}", fullmatch=True), min_size=1, max_size=4).map(" ".join)
# inline elements: (name, attributes)
INLINE = [("hi", {"rend": "italic"}), ("hi", {"rend": "bold"}), ("foreign", {"xml:lang": "la"}), ("q", {}),
          ("ref", {"target": "https://example.org/a"}), ("add", {"place": "above"}), ("del", {}),
          ("unclear", {"reason": "faded"}), ("persName", {}), ("placeName", {}), ("date", {"when": "1890"}),
          ("emph", {}), ("term", {}), ("title", {}), ("seg", {}), ("supplied", {}), ("num", {}), ("name", {})]


def inline(depth: int = 0):
    leaf = WORDS.map(lambda t: ("text", t))
    if depth >= 2:
        return leaf
    sub = st.lists(st.deferred(lambda: inline(depth + 1)), min_size=1, max_size=3)
    return st.one_of(
        leaf,
        st.tuples(st.just("el"), st.sampled_from(INLINE), sub),
        st.tuples(st.just("note"), sub),
        st.tuples(st.just("app"), WORDS, WORDS),
        st.tuples(st.just("choice"), WORDS, WORDS),
        st.tuples(st.just("names"), WORDS, WORDS),
        st.tuples(st.just("gap"), WORDS),
        st.tuples(st.just("lb"), st.booleans()),
    )


def _attributes(el, attributes):
    for name, value in attributes.items():
        el.set("{http://www.w3.org/XML/1998/namespace}lang" if name == "xml:lang" else name, value)


def add(parent, item) -> None:
    kind = item[0]
    if kind == "text":
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + " " + item[1] + " "
        else:
            parent.text = (parent.text or "") + " " + item[1] + " "
        return
    if kind == "el":
        el = etree.SubElement(parent, T + item[1][0])
        _attributes(el, item[1][1])
        for child in item[2]:
            add(el, child)
    elif kind == "note":
        el = etree.SubElement(parent, T + "note")
        for child in item[1]:
            add(el, child)
    elif kind == "app":
        app = etree.SubElement(parent, T + "app")
        etree.SubElement(app, T + "lem").text = item[1]
        etree.SubElement(app, T + "rdg", wit="#B").text = item[2]
    elif kind == "choice":
        choice = etree.SubElement(parent, T + "choice")
        etree.SubElement(choice, T + "sic").text = item[1]
        etree.SubElement(choice, T + "corr").text = item[2]
    elif kind == "names":
        name = etree.SubElement(parent, T + "persName")
        etree.SubElement(name, T + "forename").text = item[1]
        etree.SubElement(name, T + "surname").text = item[2]
    elif kind == "gap":
        etree.SubElement(etree.SubElement(parent, T + "gap", reason="illegible"), T + "desc").text = item[1]
    elif kind == "lb":
        etree.SubElement(parent, T + "lb", **({"break": "no"} if item[1] else {}))
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + " "


CONTENT = st.lists(inline(), min_size=1, max_size=4)
BLOCKS = st.lists(st.one_of(
    st.tuples(st.sampled_from(["p", "ab", "head", "stage", "l"]), CONTENT),
    st.tuples(st.just("sp"), st.sampled_from(["p", "lg", "l", "stage", "ab"]), st.booleans(), CONTENT),
    st.tuples(st.just("lg"), st.lists(CONTENT, min_size=1, max_size=3)),
    st.tuples(st.just("list"), st.lists(CONTENT, min_size=1, max_size=3)),
    st.tuples(st.just("table"), st.lists(st.lists(CONTENT, min_size=1, max_size=2), min_size=1, max_size=2)),
    st.tuples(st.just("figure"), WORDS, WORDS),
    st.tuples(st.just("castList"), WORDS, WORDS),
), min_size=1, max_size=4)


def block(parent, item) -> None:
    kind = item[0]
    if kind in ("p", "ab", "head", "stage", "l"):
        el = etree.SubElement(parent, T + kind)
        for child in item[1]:
            add(el, child)
    elif kind == "sp":
        sp = etree.SubElement(parent, T + "sp", who="#anna")
        if item[2]:
            etree.SubElement(sp, T + "speaker").text = "Anna"
        inner = etree.SubElement(sp, T + item[1])
        target = etree.SubElement(inner, T + "l") if item[1] == "lg" else inner
        for child in item[3]:
            add(target, child)
    elif kind in ("lg", "list"):
        el = etree.SubElement(parent, T + kind)
        for content in item[1]:
            line = etree.SubElement(el, T + ("l" if kind == "lg" else "item"))
            for child in content:
                add(line, child)
    elif kind == "table":
        table = etree.SubElement(parent, T + "table")
        for cells in item[1]:
            row = etree.SubElement(table, T + "row")
            for content in cells:
                cell = etree.SubElement(row, T + "cell")
                for child in content:
                    add(cell, child)
    elif kind == "figure":
        figure = etree.SubElement(parent, T + "figure")
        etree.SubElement(figure, T + "head").text = item[1]
        etree.SubElement(figure, T + "figDesc").text = item[2]
    elif kind == "castList":
        item_el = etree.SubElement(etree.SubElement(parent, T + "castList"), T + "castItem")
        etree.SubElement(item_el, T + "role").text = item[1]
        etree.SubElement(item_el, T + "roleDesc").text = item[2]


def document(blocks) -> etree._ElementTree:
    root = etree.fromstring(
        f'<TEI xmlns="{TEI}" xml:id="random"><teiHeader><fileDesc><titleStmt><title>Random</title></titleStmt>'
        "<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc><profileDesc>"
        '<particDesc><listPerson><person xml:id="anna"><persName>Anna</persName></person></listPerson>'
        "</particDesc></profileDesc></teiHeader><text><body><div/></body></text></TEI>")
    div = root.find(f".//{T}div")
    for item in blocks:
        block(div, item)
    return etree.ElementTree(root)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("typst")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blocks=BLOCKS)
def test_random_tei_keeps_every_word_in_page_and_pdf(tmp_path, work, blocks):
    tree = document(blocks)
    source = words(" ".join(tree.getroot().find(f"{T}text").itertext()))
    path = tmp_path / "random.xml"
    path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    _, _, page, _ = render_html(path)
    page_file = tmp_path / "page.html"
    page_file.write_text(page, encoding="utf-8")
    assert kept(source, html_text(page_file)) == 1.0
    typeset, _ = typeset_pdf(tree, work=work)
    pdf_file = tmp_path / "random.pdf"
    pdf_file.write_bytes(typeset.pdf)
    assert kept(source, pdf_text(pdf_file)) == 1.0
