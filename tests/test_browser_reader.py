"""What a reader does with the web edition, in Chromium (Debian's, driven by Playwright, as in
test_browser.py): the legend and the marks, the citation's copy buttons and downloads, the home page's
filter, the book's font and the phone layout at 390 px (the accessibility check of every page type is
test_accessibility.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import DOC, PAGE_TYPES, build_edition, generate, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def new_page(browser, width=1280, height=900, phone=False, **options):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone,
                                  **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


@pytest.fixture
def page(browser):  # noqa: F811
    context, page, errors = new_page(browser, permissions=["clipboard-read", "clipboard-write"])
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def phone(browser):  # noqa: F811
    context, page, errors = new_page(browser, 390, 844, phone=True)
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_the_apparatus_by_keyboard(page, served):
    page.goto(served + DOC)
    markers = page.locator("a.app-ref")
    entries = page.locator("ol.apparatus > li")
    assert markers.count() == entries.count() == 8  # the book's letters a-h
    assert entries.first.inner_text().split() == ["a", "Eden]", "Ideia", "in", "the", "source"]
    # Tab through the page until the first letter has the focus: its entry shows in a popover
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('app-ref')"):
            break
    assert page.evaluate("document.activeElement.id") == "ref-app-a"
    popover = page.locator(".note-popover")
    assert popover.is_visible() and "Eden] Ideia in the source" in popover.inner_text()
    page.keyboard.press("Enter")  # shows the entry, does not leave the text
    assert popover.is_visible() and page.evaluate("location.hash") == ""
    page.keyboard.press("Escape")
    assert not popover.is_visible()
    # the list's letter leads back to the place in the text
    page.locator("#app-c a.app-back").click()
    page.wait_for_function("location.hash === '#ref-app-c'")


def test_the_apparatus_by_touch(phone, served):
    phone.goto(served + DOC)
    marker = phone.locator("#ref-app-d")
    marker.scroll_into_view_if_needed()
    marker.tap()
    popover = phone.locator(".note-popover")
    assert popover.is_visible() and "supplied by the editors" in popover.inner_text()
    assert phone.evaluate("location.hash") == ""
    box, screen = popover.bounding_box(), phone.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= screen["width"]
    assert marker.bounding_box()["width"] >= 14  # a target a finger can hit
    phone.locator("h1").tap()  # a tap elsewhere closes it
    assert not popover.is_visible()


def test_names_are_quiet_until_the_reader_marks_them(page, served):
    page.goto(served + DOC)
    name = page.locator("#p6 a.name").first
    assert name.evaluate("el => getComputedStyle(el).textDecorationLine") == "none"
    page.get_by_label("names").check()
    assert "underline" in name.evaluate("el => getComputedStyle(el).textDecorationLine")
    said = page.locator(".tei-said.indirect").first
    assert said.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.get_by_label("reported speech").check()
    assert said.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.goto(served + DOC)  # remembered, as the reading switch is
    assert page.get_by_label("names").is_checked()


def test_the_legend_explains_the_marks_and_the_switch(page, served):
    page.goto(served + DOC)
    legend = page.locator("details.legend")
    assert not legend.locator("dl").is_visible()
    legend.locator("summary").focus()
    page.keyboard.press("Enter")
    text = legend.inner_text()
    assert legend.locator("dl").is_visible()
    for words in ("As in the source", "supplied", "page or folio of the source", "note", "Speaker"):
        assert words.lower() in text.lower(), words


def test_the_citation_has_a_permalink_copy_buttons_and_downloads(page, served):
    page.goto(served + DOC + "#p12")
    page.locator("details.cite summary").click()
    link = page.locator("[data-cite-url]")
    assert link.get_attribute("href") == served + DOC  # no [edition] url: the page's own address
    paragraph = page.locator("[data-paragraph-url]")
    assert paragraph.is_visible() and paragraph.get_attribute("href") == served + DOC + "#p12"
    page.get_by_role("button", name="Copy citation").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("“Record of the conversation") and "No. 1 in Soviet Records" in copied
    assert served + DOC in copied
    page.get_by_role("button", name="Copy BibTeX").click()
    assert page.evaluate("navigator.clipboard.readText()").startswith("@incollection{stalin-eden-1941-12-18,")
    for name, suffix in (("Download .bib", ".bib"), ("Download .json", ".json")):
        with page.expect_download() as info:
            page.get_by_role("link", name=name).click()
        download = info.value
        assert download.suggested_filename == "stalin-eden-1941-12-18" + suffix
        text = Path(download.path()).read_text(encoding="utf-8")
        if suffix == ".bib":
            assert text.startswith("@incollection{stalin-eden-1941-12-18,") and "number = {1}" in text
        else:
            csl = json.loads(text)
            assert csl[0]["number"] == "1" and csl[0]["title"].startswith("Record of the conversation")


def test_document_numbers_on_the_page_and_in_its_title(page, served):
    page.goto(served + DOC)
    assert page.title().startswith("No. 1 · Stalin and Eden on the treaties")
    assert page.locator(".doc-number").inner_text() == "No. 1 · Stalin and Eden on the treaties"


def test_the_site_is_set_in_the_books_font(page, served):
    page.goto(served + DOC)
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Libertinus Serif\"')")
    loaded = page.evaluate("Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)")
    assert any("Libertinus Serif" in family for family in loaded)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A generated edition of 30 documents over several years."""
    folder = generate(30, tmp_path_factory.mktemp("large-home") / "edition", seed=3)
    build_edition(folder, only="html")
    with serving(folder / "_build" / "html") as url:
        yield url


def test_the_home_page_groups_by_year_and_filters(page, large):
    page.goto(large + "index.html")
    years = page.locator("section.year")
    assert years.count() >= 2
    assert page.locator(".doc-no").first.inner_text() == "No.\u00a01"  # a no-break space
    total = page.locator("li.doc-item").count()
    assert page.locator("[data-filter-count]").inner_text() == f"{total} documents"
    # a word of the fourth entry that some other entries lack
    texts = [t.lower() for t in page.locator("li.doc-item").all_inner_texts()]
    word = next(w for w in sorted(set(texts[3].split()), key=len, reverse=True)
                if len(w) > 3 and sum(w in t for t in texts) < total)
    page.get_by_label("Filter the documents").fill(word.lower())
    shown = page.locator("li.doc-item:visible")
    assert 1 <= shown.count() < total
    assert all(word.lower() in shown.nth(i).inner_text().lower() for i in range(shown.count()))
    assert page.locator("[data-filter-count]").inner_text() == f"{shown.count()} of {total} documents"
    page.get_by_label("Filter the documents").fill("zzzz no such thing")
    assert page.locator("[data-filter-none]").is_visible() and page.locator("section.year:visible").count() == 0


def test_the_timeline_says_each_date_once(page, large):
    """In what a screen reader reads of the timeline (its accessibility tree), each month is named
    once by the chart (its bar's link) and once by the list (its heading, not also a region's name),
    and a document's date under its month's heading gives only the day."""
    import re

    page.goto(large + "timeline.html")
    chart = page.locator("figure.timeline svg").aria_snapshot()
    links = re.findall(r'link "([A-Z][a-z]+ \d{4}): (\d+) documents?"', chart)
    assert len(links) >= 3 and len({month for month, _ in links}) == len(links), chart
    bars = chart.split("\n", 1)[1]   # under the chart's name (its range: "October 1939 – May 1945")
    for month, _ in links:
        assert bars.count(month) == 1, (month, chart)
    assert "text:" not in chart   # the axis labels ("Dec 1941", "1942") and the counts are for the eye
    assert page.locator("figure.timeline svg text.month").count() >= 2
    assert "region" not in page.locator("main").aria_snapshot()
    for month, count in links:
        section = page.locator(f"section.month:has(h2:text-is('{month}'))")
        assert section.aria_snapshot().count(month) == 1, (month, section.aria_snapshot())   # its heading
        items = section.locator("li")
        assert items.count() == int(count)
        for text in items.all_inner_texts():
            assert month not in text
            assert re.match(r"No\.\s\d+ · (\d{1,2} [A-Z][a-z]+: |.* – .*: )?\S", text), text


def test_the_timeline_of_a_few_months_is_seen_whole_on_a_phone(phone, served):
    """The bundled edition's one month: its bar and label on the phone's screen, at a readable size
    (a chart 720 wide, scrolled sideways, had its single bar off the screen)."""
    phone.goto(served + "timeline.html")
    bar = phone.locator("figure.timeline rect.bar").bounding_box()
    label = phone.locator("figure.timeline text.month").bounding_box()
    assert bar["x"] >= 0 and bar["x"] + bar["width"] <= 390, bar
    assert label["x"] >= 0 and label["x"] + label["width"] <= 390 and label["height"] >= 10, label


def test_search_results_in_date_order(page, large):
    from datetime import datetime

    page.goto(large + "search.html?q=conversation")
    page.locator(".pagefind-ui__result").first.wait_for(timeout=15000)
    page.get_by_label("Order the results").select_option("date-desc")
    page.wait_for_url("**sort=date-desc*")
    page.locator(".pagefind-ui__result").first.wait_for(timeout=15000)
    page.wait_for_timeout(500)
    tags = page.locator(".pagefind-ui__result-tag").all_inner_texts()
    dates = [datetime.strptime(t.split(":", 1)[1].strip(), "%d %B %Y") for t in tags if t.startswith("Date:")]
    assert len(dates) >= 3 and dates == sorted(dates, reverse=True), dates
    assert page.get_by_label("Order the results").input_value() == "date-desc"


def test_the_phone_layout(phone, served):
    phone.goto(served + DOC)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # the text starts within the first two screens, and a page break reads "‖ p. [2] comrade"
    top = phone.locator("#p1").evaluate("el => el.getBoundingClientRect().top + scrollY")
    assert top < 2 * 844, top
    marker = phone.locator(".break-marker").first
    assert marker.is_visible()
    box = marker.bounding_box()
    following = phone.evaluate("""() => { const m = document.querySelector('.break-marker');
        const r = document.createRange(); const t = m.parentElement.nextSibling; r.setStart(t, 0); r.setEnd(t, 1);
        return r.getBoundingClientRect().left; }""")
    assert following >= box["x"] + box["width"] + 2  # a space between the label and the next word
    for path in PAGE_TYPES:
        phone.goto(served + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
