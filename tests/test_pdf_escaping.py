"""Document text reaches the PDF verbatim and inert, whatever it contains.

A property test puts arbitrary Unicode text (only what XML cannot hold is left out: surrogates,
control characters other than tab/newline/return, U+FFFE and U+FFFF) into a TEI paragraph, typesets
that document alone, and compares the paragraph with the text pypdf extracts from the PDF.

What the comparison normalises, and why (none of it is about escaping):
  * whitespace is removed on both sides: Typst breaks lines at break opportunities that are not
    spaces (after a hyphen or a slash, between CJK characters), and pypdf reports each line end as
    a newline; XML whitespace is also collapsed by design;
  * format characters (Unicode category Cf: zero-width joiners, soft hyphens, bidi controls, tags)
    (a soft hyphen where a line breaks is printed as "-", which the comparison allows there)
    and the other default-ignorable code points are removed on both sides: they are invisible, and
    extraction drops them; so are control characters, which the input never has but pypdf sometimes
    reports next to a mark that has no base (a lone U+0900 comes out as U+0900 U+0002);
  * a run of non-ASCII characters (with the ASCII character before it, which may be its base) is
    matched leniently, as a run of its own characters or U+0000: pypdf repeats the text of a cluster
    once per glyph ("x̃" -> "x̃x̃"), and extracts characters that no bundled font has (CJK, emoji,
    Bengali) as U+0000 or not at all, although the PDF carries their text (poppler's pdftotext
    reads it; a text that pypdf reads otherwise is read again by pdftotext, see the examples). No
    non-ASCII character is markup to Typst, so this leniency does not weaken the
    check of the escaping: every other ASCII character - and all of Typst's markup is ASCII - must
    come out exactly, in order. Latin, Cyrillic and Greek are checked exactly by
    test_bundled_fonts_cover_latin_cyrillic_greek;
  * text with right-to-left characters or bidi overrides is reordered visually by the extraction,
    so there only the count of each ASCII punctuation character is compared.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.helpers import FIXTURES, pdf_pages_text, typeset_pdf

START, END = "QQSTARTQQ", "QQENDQQ"
MARKUP = ['#', '$', '*', '_', '`', '<', '>', '@', '[', ']', '\\', '/', '~', '=', "'", '"', '-', '+', '.', ':',
          '//', '/*', '*/', 'http://x.org', '- ', '+ ', '1. ', '= ', '/ t: ', '---', '...', '-1', '\\u{41}',
          '#read("/etc/passwd")', '$x$', '*bold*', '_it_', '<label>', '@ref', '#set text(red)', '\n\n',
          '#{', '}', '(', ')', ' ']
RTL_CLASSES = {"R", "AL", "AN", "RLE", "RLO", "RLI", "FSI"}


def xml_characters() -> st.SearchStrategy[str]:
    return st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") \
        | st.sampled_from("\t\n\r")


TEXT = st.lists(st.one_of(st.text(xml_characters(), max_size=30), st.sampled_from(MARKUP)),
                max_size=12).map("".join)


# Unicode's Default_Ignorable_Code_Point ranges: not rendered, so not extracted (DerivedCoreProperties.txt).
IGNORABLE = [(0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
             (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
             (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
             (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF)]


def invisible(c: str) -> bool:
    return (c.isspace() or unicodedata.category(c) in ("Cf", "Cc")
            or any(low <= ord(c) <= high for low, high in IGNORABLE))


def normalise(text: str) -> str:
    return "".join(c for c in text if not invisible(c))


def _pattern(text: str) -> str:
    units = re.findall(r"[\x00-\x7f](?![^\x00-\x7f])|[\x00-\x7f]?[^\x00-\x7f]+", normalise(text))
    return "".join(re.escape(u) if len(u) == 1 and u.isascii()
                   else "[" + "".join(re.escape(c) for c in sorted(set(u))) + "\\x00]*" for u in units)


def expected_pattern(text: str) -> re.Pattern:
    # A soft hyphen is invisible, unless a line breaks there: then it is printed, and extracted, as "-".
    return re.compile(re.escape(START) + "-?".join(_pattern(part) for part in text.split("\xad"))
                      + re.escape(END), re.S)


@pytest.fixture(scope="module")
def typeset(tmp_path_factory):
    """text -> the text pypdf extracts from a one-document PDF whose paragraph holds it (typeset by
    the build's steps, in one Typst project reused by every example)."""
    from edition.diagnostics import EditionError

    template = etree.parse(str(FIXTURES / "pdf" / "minimal.xml"))
    work = tmp_path_factory.mktemp("typst")

    # Each example gets a new document number, hence a new file: Typst 0.15.1 panics when it reparses
    # an edited file incrementally in some cases ("a \u0900 b" edited to "a \u0100 b": "byte range
    # starts at 2 but ends at 1"); a build writes each file once and never meets that.
    numbers = iter(range(1, 10_000))

    def run(text: str) -> str:
        tree = etree.ElementTree(etree.fromstring(etree.tostring(template)))
        tree.xpath("//*[@xml:id='probe']")[0].text = f"{START} {text} {END}"
        try:
            result, _ = typeset_pdf(tree, number=next(numbers), work=work)
        except EditionError as exc:
            raise AssertionError(f"typesetting failed: {exc}") from None
        run.pdf = result.pdf
        return "".join(pdf_pages_text(result.pdf))
    return run


def poppler_text(pdf) -> str:
    """The PDF's text as poppler's pdftotext reads it (in the order it is drawn), with the
    /ActualText that pypdf ignores."""
    source = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=source, capture_output=True, check=True).stdout.decode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
@example(text='#read("/etc/passwd")')
@example(text="$x$ *bold* _it_ `raw` <l> @ref // c /* c */ http://a.org")
@example(text="- list\n+ enum\n1. one\n= Head\n/ term: d\n\n#set page(width: 1cm)")
@example(text="it's \"q\" -- --- ... ~ -1 -? a\\b \\u{41} #{1+1} ]")
@example(text="Eden’s x̃ ﬁ Привет Αλφα 中文 שלום 😀")
# A line that breaks at a soft hyphen shows it as "-" (found by hypothesis).
@example(text="0-00000000000000000000000\u3400" + "0" * 22 + "@@0\U00020000" + "0" * 17 + "\xad0")
# A hyphen in a paragraph where a line also breaks at a hyphenation point (found by hypothesis): Typst
# draws both with one glyph, whose ToUnicode is then U+00AD, and gives the real one its "-" in an
# /ActualText. pypdf reads only the former (the "-" comes out invisible); poppler reads the latter.
@example(text=":0-0\xb6" + "0" * 10 + "@@0000M\xc6000000<G" + "0" * 38 + "\xbb\xbc")
def test_paragraph_text_is_printed_verbatim(typeset, text):
    extracted = normalise(typeset(text))
    if any(unicodedata.bidirectional(c) in RTL_CLASSES for c in text):
        region = extracted[extracted.index(START) + len(START):extracted.rindex(END)]
        for mark in set(c for c in text if c.isascii() and not c.isalnum() and not c.isspace()):
            assert region.count(mark) >= text.count(mark), (mark, text, region)
    elif not expected_pattern(text).search(extracted):
        read_by_poppler = normalise(poppler_text(typeset.pdf))
        assert expected_pattern(text).search(read_by_poppler), (text, extracted, read_by_poppler)


def test_markup_in_text_is_not_executed(typeset):
    """The famous cases, exactly: nothing read from disk, no bold, no maths, no list."""
    text = '#read("/etc/passwd") $x$ *bold* = Heading'
    extracted = typeset(text)
    assert " ".join(text.split()) in " ".join(extracted.split())
    assert "root:" not in extracted


def test_bundled_fonts_cover_latin_cyrillic_greek(typeset):
    text = "Ľudovít Łódź Ærø façade Straße Привет, мир! Ёж Їжак Ђорђе Ἀθῆναι Ωμέγα ΣΦΧΨ"
    assert normalise(text) in normalise(typeset(text))
