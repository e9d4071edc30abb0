"""Shared fixtures: the repository's own edition, its seed document, and the bundled edition built
once per session by `build()` (the web and the print edition), for the tests that only read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import REPO, SEED_TEI, SEED_TRANSCRIPT, TEI_ALL, build_edition, copy_bundled


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seed_tei() -> Path:
    return SEED_TEI


@pytest.fixture(scope="session")
def seed_transcript() -> Path:
    if not SEED_TRANSCRIPT.is_file():
        pytest.skip(f"the seed transcript is not at {SEED_TRANSCRIPT} (../shared/ is absent)")
    return SEED_TRANSCRIPT


@pytest.fixture(scope="session")
def tei_all_path() -> Path:
    if not TEI_ALL.is_file():
        pytest.skip(f"the full TEI schema is not at {TEI_ALL} (../shared/ is absent); conformance not checked")
    return TEI_ALL


@pytest.fixture(scope="session")
def config():
    from edition.config import load_config

    return load_config(REPO / "edition.toml")


@pytest.fixture(scope="session")
def bundled(tmp_path_factory):
    """The bundled edition built once (web and print): (its _build folder, the reporter). Read it only."""
    folder = copy_bundled(tmp_path_factory.mktemp("bundled") / "edition")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        _, reporter = build_edition(folder)
    return folder / "_build", reporter


@pytest.fixture(scope="session")
def site(bundled) -> Path:
    return bundled[0] / "html"
