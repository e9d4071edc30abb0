"""The facsimile beside the text in a real browser (Debian's chromium, as tests/test_browser.py
runs it): the image follows the text as it scrolls, zooms with the keyboard, and on a phone opens
from the page marker. Screenshots go to tests/artifacts/ for a human to look at."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from tests.helpers import build_edition, facsimile_edition, serving

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DOC = "documents/fixture-facsimile-1942-05-22.html"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = facsimile_edition(tmp_path_factory.mktemp("facsimiles") / "edition", size=(2400, 3600))
    result, _ = build_edition(folder, only="html", jobs=2)
    with serving(result.outputs["html"]) as url:
        yield url


@contextlib.contextmanager
def opened(browser, url, **context):
    context = browser.new_context(**context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_function("document.querySelector('.facsimile-viewer').hasAttribute('data-page')")
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


def shown(page) -> int:
    return int(page.get_attribute(".facsimile-viewer", "data-page"))


def tiles_loaded(page) -> int:
    """Tiles of the image that arrived and were decoded (a failed URL is never counted)."""
    page.wait_for_function("document.querySelectorAll('.facsimile-viewer img.leaflet-tile-loaded').length > 0")
    return page.evaluate("Array.from(document.querySelectorAll('.facsimile-viewer img.leaflet-tile-loaded'))"
                         ".filter(i => i.complete && i.naturalWidth > 0).length")


def test_the_image_follows_the_text(browser, served):
    with opened(browser, served + DOC, viewport={"width": 1400, "height": 900}) as page:
        assert shown(page) == 0 and tiles_loaded(page) > 0
        assert page.get_attribute(".facsimile-viewer", "aria-label") == \
            "First leaf of the typescript, with the stamp of the secretariat"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "facsimile-desktop.png"))
        for number, folio in ((1, 21), (2, 22)):
            marker = page.locator(f".break[data-facs='#f{folio}']")
            marker.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 100)")
            page.wait_for_function(f"document.querySelector('.facsimile-viewer').dataset.page === '{number}'")
            assert page.inner_text(".facsimile-label") == f"{'L. 22' if folio == 22 else '21'} ({number + 1}/3)"
            assert page.locator(".facsimile-strip a[aria-current='true']").get_attribute("data-page") == str(number)
        assert page.get_attribute(".facsimile-viewer", "aria-label") == "Page 3 of 3 of “Molotov and Churchill” (L. 22)"
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_function("document.querySelector('.facsimile-viewer').dataset.page === '0'")
        # clicking a page marker shows its page; a thumbnail too
        page.locator(".break[data-facs='#f21'] .break-marker").click()
        page.wait_for_function("document.querySelector('.facsimile-viewer').dataset.page === '1'")
        page.locator(".facsimile-strip a[data-page='2']").click()
        page.wait_for_function("document.querySelector('.facsimile-viewer').dataset.page === '2'")
        assert tiles_loaded(page) > 0


def test_the_image_zooms_and_pans_with_the_keyboard(browser, served):
    with opened(browser, served + DOC, viewport={"width": 1400, "height": 900}) as page:
        viewer = page.locator(".facsimile-viewer")
        viewer.focus()
        before = float(viewer.get_attribute("data-zoom"))
        # One key at a time, each waited for until Leaflet's zoom animation has ended: a key pressed
        # while it runs is dropped (three quick presses gave one step in CI). data-zoom alone is not
        # enough: Leaflet reports the new zoom as the animation starts, and the page may write
        # it then (chromium 156.0.8078.114: data-zoom was written 6 ms after the key, the animation
        # ended 250 ms later, and a second key pressed in between was lost).
        settled = ("!document.querySelector('.facsimile-viewer .leaflet-map-pane').classList"
                   ".contains('leaflet-zoom-anim')")
        for _ in range(3):
            level = float(viewer.get_attribute("data-zoom"))
            page.keyboard.press("+")
            page.wait_for_function(f"Number(document.querySelector('.facsimile-viewer').dataset.zoom) > {level}"
                                   f" && {settled}")
        zoomed = float(viewer.get_attribute("data-zoom"))
        assert zoomed >= before + 1
        # zoomed in, the tiles come from a finer level of the pyramid (scale factor 1 or 2)
        page.wait_for_function("Array.from(document.querySelectorAll('.facsimile-viewer img.leaflet-tile-loaded'))"
                               ".some(i => /\\/(512|1024),(512|1024)\\/0\\//.test(i.src) || /\\/512,\\d+\\/0\\//.test(i.src))")
        transform = lambda: page.evaluate("document.querySelector('.facsimile-viewer .leaflet-map-pane').style.transform")
        moved_from = transform()
        page.keyboard.press("ArrowDown")
        page.wait_for_function(f"document.querySelector('.facsimile-viewer .leaflet-map-pane').style.transform !== {moved_from!r}")
        page.keyboard.press("-")
        page.wait_for_function(f"Number(document.querySelector('.facsimile-viewer').dataset.zoom) < {zoomed}")


def test_on_a_phone_the_image_opens_from_the_page_marker(browser, served):
    with opened(browser, served + DOC, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                is_mobile=True, has_touch=True) as page:
        pane = page.locator("#ed-facsimile")
        assert not pane.is_visible()  # the text alone
        page.screenshot(path=str(ARTIFACTS / "facsimile-phone-text.png"))
        marker = page.locator(".break[data-facs='#f21'] .break-marker")
        marker.scroll_into_view_if_needed()
        marker.tap()
        page.wait_for_function("document.querySelector('#ed-facsimile').classList.contains('open')")
        assert pane.is_visible() and shown(page) == 1
        box = page.locator(".facsimile-viewer").bounding_box()
        assert box["width"] > 300 and box["height"] > 300  # over the text, not a sliver
        assert tiles_loaded(page) > 0
        page.screenshot(path=str(ARTIFACTS / "facsimile-phone.png"))
        page.keyboard.press("Escape")
        page.wait_for_function("!document.querySelector('#ed-facsimile').classList.contains('open')")
        assert not pane.is_visible()
        page.locator(".break[data-facs='#f22'] .break-marker").tap()
        page.wait_for_function("document.querySelector('.facsimile-viewer').dataset.page === '2'")
        page.locator(".facsimile-close").tap()
        assert not pane.is_visible()
