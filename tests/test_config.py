"""edition.toml: typed loading, every problem at once, discovery upward, -C."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from edition.cli import main
from edition.config import describe, discover, find_config, load_config
from edition.diagnostics import EditionError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "edition.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_config_loads(config, repo):
    assert config.edition.title.startswith("Soviet Records")
    assert config.sources_dir == repo / "tei"
    assert config.output_dir == repo / "_build"
    assert config.relaxng_path.name == "edition.rng"


def test_defaults_fill_missing_keys(tmp_path):
    config = load_config(write(tmp_path, '[edition]\ntitle = "T"\n'))
    assert config.edition.sources == "tei"
    assert config.pdf.paper == "a4"
    assert config.html.search is True
    assert config.edition.editors == []


def test_every_problem_reported_at_once_with_lines_and_suggestions(tmp_path):
    path = write(tmp_path, '[edition]\ntitel = "x"\neditors = "A. Editor"\n\n[htm]\nfoo = 1\n')
    with pytest.raises(EditionError) as info:
        load_config(path)
    problems = {(d.code, d.line, d.hint) for d in info.value.diagnostics}
    assert ("config.unknown-key", 2, "did you mean 'edition.title'?") in problems
    assert ("config.unknown-key", 5, "did you mean 'html'?") in problems
    assert any(code == "config.type" and line == 3 for code, line, _ in problems)
    assert any(code == "config.missing-key" for code, _, _ in problems)
    assert len(info.value.diagnostics) == 4


def test_broken_toml_is_a_clear_error(tmp_path):
    with pytest.raises(EditionError, match=r"not valid TOML.*line 2"):
        load_config(write(tmp_path, '[edition]\ntitle = "unclosed\n'))


def test_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "edition.toml"
    path.write_bytes('[edition]\ntitle = "Édition"\n'.encode("latin-1"))
    with pytest.raises(EditionError, match="not UTF-8"):
        load_config(path)


def test_found_upward_from_a_subfolder(tmp_path):
    write(tmp_path, '[edition]\ntitle = "T"\n')
    deep = tmp_path / "tei" / "drafts"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "edition.toml"
    assert discover(deep).root == tmp_path.resolve()


def test_no_config_anywhere(tmp_path):
    with pytest.raises(EditionError, match="no edition.toml"):
        discover(tmp_path)


def test_cli_reports_config_problems_without_traceback(tmp_path):
    write(tmp_path, '[edition]\ntitle = 3\n')
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "build"])
    assert result.exit_code == 2
    assert "'edition.title' must be a string" in result.output
    assert "Traceback" not in result.output


def test_describe_documents_every_key():
    text = describe()
    for key in ("title", "sources", "output", "paper", "templates", "relaxng"):
        assert f"# {key} = " in text


def test_readme_documents_every_key(repo):
    """The README's edition.toml section lists every key of every section, so it cannot fall behind."""
    import re
    from dataclasses import fields

    from edition.config import SECTIONS

    readme = (repo / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## edition\.toml\n(.*?)(?=^## )", readme, re.M | re.S).group(1)
    for name, cls in SECTIONS.items():
        block = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|^```)", section, re.M | re.S)
        assert block, f"README has no [{name}] block"
        for f in fields(cls):
            assert re.search(rf"^{f.name} = ", block.group(1), re.M), f"README does not document {name}.{f.name}"
