"""`[pdf] facsimiles = "plates"`: each document of the print edition followed by its page images,
downscaled to what the page needs, with captions."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.helpers import build_edition, facsimile_edition

pypdf = pytest.importorskip("pypdf")
DOC = "fixture-facsimile-1942-05-22.pdf"


def pages_and_images(path):
    reader = pypdf.PdfReader(str(path))
    images = [Image.open(io.BytesIO(image.data)).size for page in reader.pages for image in page.images]
    return reader.pages, images


@pytest.mark.slow
def test_plates_follow_the_document(tmp_path):
    folder = facsimile_edition(tmp_path / "none", size=(4000, 6000))
    without, _ = build_edition(folder, only="pdf")
    pages_without, images_without = pages_and_images(without.outputs["pdf"] / DOC)
    assert images_without == []
    folder = facsimile_edition(tmp_path / "plates", toml='[pdf]\nfacsimiles = "plates"\n', size=(4000, 6000))
    result, _ = build_edition(folder, only="pdf")
    pages, images = pages_and_images(result.outputs["pdf"] / DOC)
    assert len(pages) == len(pages_without) + 3  # a page per image
    assert images == [(2000, 3000)] * 3  # the reduced size a page needs (not the 4,000-pixel scan)
    text = [" ".join(page.extract_text().split()) for page in pages[-3:]]
    assert "L. 20 (page 1 of 3). First leaf of the typescript, with the stamp of the secretariat" in text[0]
    assert "21 (page 2 of 3)" in text[1] and "L. 22 (page 3 of 3)" in text[2]
    book_pages, book_images = pages_and_images(result.outputs["pdf"] / "edition.pdf")
    assert len(book_images) == 3
