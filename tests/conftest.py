"""Shared fixtures: the repository's own edition and its seed document."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_TEI = REPO / "tei" / "1941-12-18_stalin-eden.xml"
SEED_TRANSCRIPT = REPO.parent / "shared" / "seeds" / "000_0215c096726144f6.txt"
TEI_ALL = REPO.parent / "shared" / "tei" / "tei_all.rng"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
