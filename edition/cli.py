"""The `edition` command: each verb is a thin wrapper around one library call.

Errors that stop a command (`EditionError`) are printed as `edition: error: ...` with a hint and
exit status 2; no traceback reaches the editor.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from edition import __version__
from edition.diagnostics import EditionError


def handle_errors(func):
    """Turn EditionError into a clear message and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except EditionError as exc:
            for d in exc.diagnostics:
                click.echo(d.format(), err=True)
            click.echo(f"edition: error: {exc}", err=True)
            if exc.hint:
                click.echo(f"  hint: {exc.hint}", err=True)
            sys.exit(2)

    return wrapper


def load_config(ctx: click.Context):
    from edition.config import discover

    return discover(ctx.obj.get("directory"))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="edition")
@click.option("-C", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="Run as if started in DIR (the edition whose edition.toml is there or above).")
@click.pass_context
def main(ctx: click.Context, directory: Path | None) -> None:
    """Encode, validate and publish scholarly editions of archival documents (TEI P5).

    \b
    Examples:
      edition validate                 # the whole edition, from anywhere inside it
      edition -C ~/my-edition build    # validate, then write _build/html and _build/pdf
      edition import transcript.txt    # draft TEI from a plain-text transcript
    """
    ctx.ensure_object(dict)
    ctx.obj["directory"] = directory
