"""bench/generate.py writes a valid edition, the same for the same seed."""

from __future__ import annotations

import importlib.util
import filecmp

from tests.helpers import REPO
from edition.config import load_config
from edition.validate import validate_corpus


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_edition_is_valid_and_deterministic(tmp_path):
    generate = _generator().generate
    generate(6, tmp_path / "a", seed=7, persons=30, places=12)
    generate(6, tmp_path / "b", seed=7, persons=30, places=12)
    result = validate_corpus(load_config(tmp_path / "a" / "edition.toml"))
    assert [d.format() for d in result.diagnostics] == []
    assert len(result.files) == 8
    names = sorted(p.name for p in (tmp_path / "a" / "tei").iterdir())
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a" / "tei", tmp_path / "b" / "tei", names, shallow=False)
    assert mismatch == [] and errors == [] and len(match) == 8
    sizes = [p.stat().st_size for p in (tmp_path / "a" / "tei").glob("19*.xml")]
    assert all(6_000 < size < 16_000 for size in sizes)
