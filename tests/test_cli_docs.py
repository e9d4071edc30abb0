"""The CLI documents itself: every command has examples in --help, and README.md's "CLI reference"
names every command and every one of its options, so the README cannot fall behind the code.

README.md is expected to have a section headed `## CLI reference`, with one subsection per command
headed `### edition NAME` (backticks allowed), whose text mentions each of the command's options
(`--title`, `-C` ...). Options of the `edition` group itself belong to the section's own text, before
the first subsection.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from edition.cli import main
from tests.helpers import REPO

README = REPO / "README.md"


def _commands() -> dict[str, click.Command]:
    return dict(sorted(main.commands.items()))


def _options(command: click.Command) -> list[str]:
    """Each option's spellings that an editor types, --help left out (click adds it everywhere)."""
    found = []
    for param in command.params:
        if isinstance(param, click.Option) and "--help" not in param.opts:
            found.append(max(param.opts + param.secondary_opts, key=len))
    return found


def cli_reference() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## CLI reference[^\n]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, 'README.md has no section headed "## CLI reference"'
    return match.group(1)


def _subsections(reference: str) -> tuple[str, dict[str, str]]:
    parts = re.split(r"^###\s+`?edition\s+([\w-]+)[^\n]*\n", reference, flags=re.M)
    return parts[0], {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_every_command_has_an_examples_block_in_its_help():
    runner = CliRunner()
    for name in ["", *_commands()]:
        result = runner.invoke(main, [*([name] if name else []), "--help"], prog_name="edition")
        assert result.exit_code == 0, result.output
        assert re.search(r"Examples:\n\s+edition ", result.output), f"`edition {name} --help` has no Examples: block"


@pytest.mark.parametrize("name", list(_commands()))
def test_every_command_and_option_is_in_the_readme(name):
    _, sections = _subsections(cli_reference())
    assert name in sections, f"README.md's CLI reference has no '### edition {name}' subsection"
    missing = [o for o in _options(main.commands[name]) if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])",
                                                                           sections[name])]
    assert not missing, f"README.md's section on `edition {name}` does not mention {', '.join(missing)}"


def test_the_group_options_are_in_the_readme():
    intro, _ = _subsections(cli_reference())
    for option in _options(main):
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", intro), \
            f"README.md's CLI reference does not mention `edition {option}`"


def test_shell_completion_is_documented():
    assert "_EDITION_COMPLETE=bash_source edition" in cli_reference()
