"""The web edition is set in the book's font: Libertinus Serif from the typst package, copied into
the site at build time (never kept in the repository), with its licence beside it."""

from __future__ import annotations

import re

from edition.resources import PACKAGE_DIR
from edition.render import webfont


def test_the_site_ships_the_books_font_with_its_licence(site):
    fonts = site / "static" / "fonts"
    for name in webfont.STYLES:
        data = (fonts / f"{name}.otf").read_bytes()
        assert data[:4] == b"OTTO" and len(data) > 100_000
    licence = (fonts / "OFL.txt").read_text(encoding="utf-8")
    assert "The Libertinus Project Authors" in licence and "SIL OPEN FONT LICENSE" in licence
    css = (site / "static" / "edition.css").read_text(encoding="utf-8")
    for url in re.findall(r'url\("([^"]+)"\)', css):
        assert (site / "static" / url).is_file(), url
    assert re.search(r'body \{[^}]*font-family: "Libertinus Serif"', css)


def test_the_fonts_are_not_in_the_repository():
    assert not list(PACKAGE_DIR.rglob("*.otf")) and not list(PACKAGE_DIR.rglob("*.woff*"))


def test_the_fonts_are_those_typst_sets_the_book_in():
    import typst

    fonts, _ = webfont.libertinus()
    assert "Libertinus Serif" in typst.Fonts(include_system_fonts=False).families()
    assert set(fonts) == {f"{name}.otf" for name in webfont.STYLES}
