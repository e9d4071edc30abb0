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


@main.command()
@click.option("--only", type=click.Choice(["html", "pdf"]), help="Build only the web or only the print edition.")
@click.option("--keep-going", is_flag=True, help="Leave out documents with errors instead of stopping.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="How to print the diagnostics and the summary.")
@click.pass_context
@handle_errors
def build(ctx: click.Context, only: str | None, keep_going: bool, output_format: str) -> None:
    """Validate the edition, then write the web edition and the print edition.

    The outputs go to _build/html and _build/pdf (see [edition] output in edition.toml). They
    are replaced only when the whole build succeeds: a failed build leaves the previous ones.

    \b
    Examples:
      edition build                  # validate, web edition, PDFs
      edition build --only html      # just the web edition
      edition build --keep-going     # publish what is valid, report the rest
    """
    from edition.build import build as run_build
    from edition.diagnostics import Reporter

    config = load_config(ctx)
    reporter = Reporter()
    try:
        result = run_build(config, reporter, only=only, keep_going=keep_going)
    except EditionError:
        if output_format == "text" and reporter.diagnostics:
            click.echo(reporter.to_text(), err=True)
        raise
    if output_format == "json":
        click.echo(reporter.to_json(outputs={k: str(v) for k, v in result.outputs.items()},
                                    timings=result.timings))
        return
    if reporter.diagnostics:
        click.echo(reporter.to_text(), err=True)
    documents = len(result.corpus.documents) if result.corpus else 0
    phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings.items())
    click.echo(f"built {documents} document(s): {phases}; "
               f"{reporter.errors} error(s), {reporter.warnings} warning(s)")
    for name, path in result.outputs.items():
        click.echo(f"  {name}: {path}")
    if result.skipped:
        click.echo(f"  left out (errors): {', '.join(p.name for p in result.skipped)}")
