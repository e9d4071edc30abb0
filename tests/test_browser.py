"""The web edition in a real browser (Debian's chromium driven by Playwright): the reading switch,
footnote links, the Pagefind search, and a screenshot of the document page for a human to look at."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import DOC, build_edition, generate, serving

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_switch_shows_the_source_reading_and_is_remembered(page, served):
    page.goto(served + DOC)
    p6 = page.locator("#p6")
    assert "Eden’s" in p6.inner_text() and "Ideia" not in p6.inner_text()
    page.get_by_label("as in the source").check()
    assert "Ideia’s" in p6.inner_text() and "agreed to accept Eden" not in p6.inner_text()
    # remembered across pages (localStorage)
    page.goto(served + DOC)
    assert "Ideia" in page.locator("#p6").inner_text()
    assert page.get_by_label("as in the source").is_checked()
    # keyboard: focus the radio group and move with the arrow keys
    page.get_by_label("as in the source").focus()
    page.keyboard.press("ArrowLeft")
    assert page.get_by_label("edited").is_checked()
    assert "Ideia" not in page.locator("#p6").inner_text()


def test_footnote_link_jumps_to_the_note_and_back(page, served):
    page.goto(served + DOC)
    marker = page.locator("#p17 a.note-ref")
    marker.hover()
    popover = page.locator(".note-popover")
    assert "Article 4 is mistakenly indicated" in popover.inner_text()
    marker.click()
    note_id = marker.get_attribute("href")[1:]
    page.wait_for_function(f"location.hash === '#{note_id}'")
    note = page.locator(f"[id='{note_id}']")
    assert note.is_visible() and note.evaluate("el => el.matches(':target')")
    note.locator("a.note-back").click()
    page.wait_for_function(f"location.hash === '#ref-{note_id}'")
    assert page.locator(f"[id='ref-{note_id}']").evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")


def test_search_finds_petsamo(page, served):
    page.goto(served + "search.html")
    search_input = page.locator("#search input")
    search_input.wait_for(timeout=15000)
    search_input.fill("Petsamo")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=15000)
    assert result.get_attribute("href").endswith(DOC)
    assert page.locator(".pagefind-ui__filter-panel, .pagefind-ui__filter-name").count() > 0
    result.click()
    page.wait_for_url("**/" + DOC + "*")


def test_document_page_screenshot(page, served):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(served + DOC)
    page.screenshot(path=str(ARTIFACTS / "document-page.png"), full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(served + DOC + "#p6")
    page.screenshot(path=str(ARTIFACTS / "document-page-phone.png"), full_page=False)
    assert (ARTIFACTS / "document-page.png").stat().st_size > 10_000
    # nothing wider than a phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_site_works_opened_from_disk(page, site):
    """Without a server (file://): the switch, the popovers and the relative links still work."""
    page.goto((site / DOC).as_uri())
    page.get_by_label("as in the source").check()
    assert "Ideia" in page.locator("#p6").inner_text()
    page.locator("#p17 a.note-ref").hover()
    assert page.locator(".note-popover").is_visible()
    page.locator("ul.participants a", has_text="Anthony Eden").click()
    page.wait_for_url("**/persons/eden.html")
    assert "Secretary of State for Foreign Affairs" in page.locator("main").inner_text()
    page.locator("main a", has_text="Stalin and Eden on the treaties").click()
    page.wait_for_url("**/" + DOC)
    page.goto((site / "search.html").as_uri())
    assert page.locator("[data-file-note]").is_visible()


def test_browser_builds_the_structure_the_stylesheet_wrote(page, served, site):
    """The HTML parser of a browser re-nests invalid markup (a list inside <p>, a link inside a link);
    here it must keep every permalink inside the paragraph it names and every note marker outside links."""
    import lxml.html

    page.goto(served + DOC)
    misplaced = page.evaluate("""() => Array.from(document.querySelectorAll('a.permalink'))
        .filter(a => a.parentElement.id !== a.getAttribute('href').slice(1)).length""")
    assert misplaced == 0
    assert page.evaluate("document.querySelectorAll('a a').length") == 0
    written = lxml.html.parse(str(site / DOC)).getroot()
    assert page.locator("[id]").count() == len(written.xpath("//*[@id]"))


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory) -> tuple[Path, list[Path]]:
    """A generated edition whose search index comes in shards (three documents per shard)."""
    from edition.render import search

    folder = generate(12, tmp_path_factory.mktemp("sharded") / "edition", seed=5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "DOCUMENTS_PER_SHARD", 3)
        build_edition(folder, only="html")
    return folder / "_build" / "html", sorted((folder / "tei").glob("*.xml"))


def test_search_merges_the_shards_of_a_large_index(page, sharded_site):
    site, sources = sharded_site
    bundles = sorted(p.name for p in site.glob("pagefind*"))
    assert len(bundles) >= 2 and bundles[0] == "pagefind"
    assert f'data-merge="{" ".join(bundles[1:])}"' in (site / "search.html").read_text(encoding="utf-8")
    # A name that several documents, in different shards, have: each of them is one result.
    names = Counter(name for p in sources if p.name not in ("persons.xml", "places.xml")
                    for name in set(re.findall(r'<persName ref="[^"]+">([A-Z][a-z]+)</persName>', p.read_text())))
    word, count = names.most_common(1)[0]
    assert count >= 3
    with serving(site) as url:
        page.goto(f"{url}search.html?q={word}")
        message = page.locator(".pagefind-ui__message")
        page.wait_for_function("document.querySelector('.pagefind-ui__message') && "
                               "/result/.test(document.querySelector('.pagefind-ui__message').textContent)",
                               timeout=15000)
        assert message.text_content().startswith(f"{count} result")
        # The results' fragments still load: the server stops only after them (else each fetch cut
        # off is a JavaScript error, "Failed to fetch", seen on a busy machine)
        page.wait_for_load_state("networkidle")
