"""An accessibility check of every page type of the bundled web edition: axe-core (WCAG 2.1 AA and
best practices) in Debian's chromium through Playwright; `make test` installs axe-core from npm into
tests/a11y/node_modules. (A file of its own: the checks take a while, and the suite's workers take a
file each.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import PAGE_TYPES

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AXE = Path(__file__).resolve().parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.skipif(not AXE.is_file(), reason=f"axe-core is not installed ({AXE}): `make test` installs it with npm")
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_passes_axe(page, served, path):
    page.goto(served + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'], resultTypes: ['violations']})")
    problems = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                for v in result["violations"]]
    assert not problems, "\n".join(problems)
