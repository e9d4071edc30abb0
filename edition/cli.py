"""The `edition` command: each verb is a thin wrapper around one library call.

Errors that stop a command (`EditionError`, and the system's: a full disk, a folder one may not
write) are printed as `edition: error: ...` with a hint; Ctrl-C and `kill` end a command with 130
and 143, after it cleaned up. No traceback reaches the editor. Exit status, the same for every
verb: 0 clean, 1 problems in the documents, 2 usage or configuration.
"""

from __future__ import annotations

import errno
import functools
import signal
import sys
from pathlib import Path

import click

from edition import __version__
from edition.diagnostics import EditionError, Reporter, display_path


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`), raised like Ctrl-C so that the command cleans up on its way out."""


def _terminate(signum, frame) -> None:
    raise Terminated


# What to do about the system's errors, by errno.
OS_HINTS = {
    errno.ENOSPC: "the disk is full: free some space and run the command again (the previous output is intact)",
    errno.EDQUOT: "the disk quota is used up: free some space and run the command again",
    errno.EACCES: "check the folder's permissions (`ls -ld`), or choose another folder",
    errno.EPERM: "check the folder's permissions (`ls -ld`), or choose another folder",
    errno.EROFS: "the file system is read-only: choose another folder",
    errno.EEXIST: "a file stands where a folder is needed: move it, or choose another path",
    errno.ENOTDIR: "a file stands where a folder is needed: move it, or choose another path",
    errno.ENOENT: "check that the file or folder exists",
}


def os_error_message(exc: OSError) -> str:
    where = " ".join(display_path(name) for name in (exc.filename, exc.filename2) if name)
    return f"{exc.strerror or exc}" + (f": {where}" if where else "")


def _fail(message: str, hint: str = "", code: int = 2):
    click.echo(f"edition: error: {message}", err=True)
    if hint:
        click.echo(f"  hint: {hint}", err=True)
    sys.exit(code)


def handle_errors(func):
    """Turn EditionError and the system's errors into a clear message and their exit status (2, or 1
    for errors in documents); Ctrl-C into 130 and SIGTERM into 143."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        previous = None
        try:
            previous = signal.signal(signal.SIGTERM, _terminate)
        except ValueError:  # not the main thread (a test calling the command): leave signals alone
            pass
        try:
            return func(*args, **kwargs)
        except EditionError as exc:
            for d in exc.diagnostics:
                click.echo(d.format(), err=True)
            _fail(str(exc), exc.hint, exc.exit_code)
        except OSError as exc:
            _fail(os_error_message(exc), OS_HINTS.get(exc.errno, "check the path and try again"))
        except Terminated:
            _fail("terminated", "the previous output is intact", 143)
        except KeyboardInterrupt:
            _fail("interrupted", "the previous output is intact", 130)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

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
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes for validating and transforming documents (default: all cores).")
@click.option("--clean", is_flag=True, help="Ignore and clear the build cache (.edition-cache): redo everything.")
@click.option("-v", "--verbose", is_flag=True, help="Say which documents are redone, and why.")
@click.option("-q", "--quiet", is_flag=True, help="No progress, only problems and the summary.")
@click.option("--force", is_flag=True, help="Build even though the output folders hold files the build did not "
                                            "write (they are kept: copied into the new output).")
@click.option("--strict", is_flag=True, help="Documents with warnings count as documents with errors (a draft's "
                                             "completeness rules become errors again).")
@click.pass_context
@handle_errors
def build(ctx: click.Context, only: str | None, keep_going: bool, output_format: str, jobs: int | None,
          clean: bool, verbose: bool, quiet: bool, force: bool, strict: bool) -> None:
    """Validate the edition, then write the web edition and the print edition.

    The outputs go to _build/html and _build/pdf (see [edition] output in edition.toml). They
    are replaced only when the whole build succeeds: a failed build leaves the previous ones.
    Results are cached in .edition-cache beside _build: a rebuild redoes only the documents (and
    the indexes, book and search index) whose inputs changed.

    \b
    Examples:
      edition build                  # validate, web edition, PDFs
      edition build --only html      # just the web edition
      edition build --keep-going     # publish what is valid, report the rest
      edition build -v               # say which documents are redone, and why
      edition build --clean -j 4     # from scratch, with 4 worker processes
    """
    from edition.build import build as run_build
    from edition.diagnostics import Reporter
    from edition.progress import Progress

    config = load_config(ctx)
    reporter = Reporter()
    progress = Progress(quiet=quiet or output_format == "json", verbose=verbose)
    try:
        result = run_build(config, reporter, only=only, keep_going=keep_going, jobs=jobs, clean=clean,
                           progress=progress, force=force, strict=strict)
    except EditionError:
        if output_format == "text" and reporter.diagnostics:
            click.echo(reporter.to_text(), err=True)
        raise
    documents = result.documents
    redone = {phase: len(paths) for phase, paths in result.redone.items()}
    if output_format == "json":
        click.echo(reporter.to_json(outputs={k: str(v) for k, v in result.outputs.items()},
                                    timings=result.timings, documents=documents, pages=result.pages,
                                    pdf_pages=result.pdf_pages, redone=redone))
        sys.exit(1 if reporter.errors else 0)
    if reporter.diagnostics:
        click.echo(reporter.to_text(), err=True)
    phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings.items())
    work = ", ".join(f"{n} {phase}" for phase, n in redone.items()) or "nothing"
    click.echo(f"built {documents} document(s), {result.pages} page(s), {result.pdf_pages} PDF page(s): {phases}; "
               f"{reporter.errors} error(s), {reporter.warnings} warning(s); redone: {work}")
    for name, path in result.outputs.items():
        click.echo(f"  {name}: {path}")
    if result.skipped:
        click.echo(f"  left out (errors): {', '.join(p.name for p in result.skipped)}")
    sys.exit(1 if reporter.errors else 0)  # --keep-going published the rest; the errors still count



@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--relaxng", type=click.Path(dir_okay=False, path_type=Path),
              help="Validate against this RELAX NG schema (XML syntax) instead of the edition's.")
@click.option("--schematron", type=click.Path(dir_okay=False, path_type=Path),
              help="Check these ISO Schematron rules instead of the edition's.")
@click.option("--strict", is_flag=True, help="Fail (exit status 1) on warnings too.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="Text for people, JSON for machines.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Processes to check the files in (default: all cores; one for fewer than 200 files).")
@click.pass_context
@handle_errors
def validate(ctx: click.Context, paths: tuple[Path, ...], relaxng: Path | None, schematron: Path | None,
             strict: bool, output_format: str, jobs: int | None) -> None:
    """Check documents against the encoding model and the edition's rules.

    PATHS are files or folders (default: the edition's sources folder). Every problem in every
    file is reported as file:line:column: severity: message [code]: well-formedness (xml.*),
    RELAX NG (rng.*), Schematron (sch.*) and cross-document checks (corpus.*). Exit status: 0
    clean, 1 errors (or warnings with --strict), 2 usage or configuration error. Outside an
    edition, explicit PATHS are checked with the built-in schemas.

    \b
    Examples:
      edition validate                               # the whole edition
      edition validate tei/1941-12-18_stalin-eden.xml
      edition validate --strict --format json tei/
      edition validate --relaxng tei_all.rng tei/    # full TEI conformance (compiling takes ~10 s)
    """
    from edition.config import find_config
    from edition.validate import validate_corpus, validate_paths

    if paths and not ctx.obj.get("directory") and find_config(Path.cwd()) is None:
        config = None  # explicit files outside any edition: the built-in schemas
    else:
        config = load_config(ctx)  # a missing or broken edition.toml stops here (exit status 2)
    if paths:
        result = validate_paths(list(paths), config=config, relaxng=relaxng, schematron=schematron, jobs=jobs)
    elif relaxng or schematron:
        result = validate_paths([config.sources_dir], config=config, relaxng=relaxng, schematron=schematron,
                                jobs=jobs)
    else:
        result = validate_corpus(config, jobs=jobs)
    reporter = Reporter()
    reporter.extend(result.diagnostics)
    if output_format == "json":
        click.echo(reporter.to_json(files=len(result.files), seconds=round(result.seconds, 3),
                                    failed=sorted(display_path(p) for p in result.failed)))
    else:
        if reporter.diagnostics:
            click.echo(reporter.to_text())
        click.echo(result.summary())
    if not result.files:
        raise EditionError("nothing to validate: no XML files in " + ", ".join(str(p) for p in paths or [config.sources_dir]))
    sys.exit(0 if result.ok(strict) else 1)

# --- the editor's workflow: init, new, serve, guidelines (edition/scaffold.py, serve.py, guidelines.py)

def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(value, prompt: str, option: str, required: bool = True, default: str = ""):
    """The option's value; if missing, ask on a terminal, else fail (required) or use the default."""
    if value is not None:
        return value
    if _interactive():
        return click.prompt(prompt, default=default or (None if required else ""), show_default=bool(default))
    if required:
        raise click.UsageError(f"missing option {option} (not asked for: the input is not a terminal)")
    return default


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The edition's title (default: from the folder's name).")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (overwrites files of the "
                                            "same name, deletes nothing).")
@click.option("--model", type=click.Choice(["edition", "tei"]), default="edition", show_default=True,
              help="The encoding model: 'edition' (archival records, with an example document, registers and "
                   "schemas) or 'tei' (TEI P5 documents you already have: copy them into tei/).")
@handle_errors
def init(directory: Path, title: str | None, force: bool, model: str) -> None:
    """Create a new edition project in DIRECTORY.

    Writes edition.toml (every setting listed with its meaning), tei/ with the registers of persons
    and places and one example document, schemas/ for your XML editor, a README for editors,
    .gitignore and a CI workflow that validates and builds the edition on every push.

    \b
    Examples:
      edition init letters --title "Letters of the Embassy, 1941"
      edition init . --force          # add the project files to an existing folder
      edition init plays --model tei  # publish TEI encoded elsewhere: copy it into plays/tei/
    """
    from edition.scaffold import init_project

    written = init_project(directory, title=title, force=force, model=model)
    click.echo(f"created the edition in {directory} ({len(written)} files):")
    for path in written:
        click.echo(f"  {path.relative_to(directory).as_posix()}")
    if model == "tei":
        click.echo(f"next: copy your TEI files into {directory}/tei, then cd {directory} && edition build")
    else:
        click.echo(f"next: cd {directory} && edition validate && edition serve")


def _complete_persons(ctx: click.Context, param, incomplete: str) -> list[str]:
    """Shell completion of register ids (after the last comma) for --participants and --recorder."""
    try:
        from edition.config import discover
        from edition.registers import load_registers
        from edition.diagnostics import Reporter

        ids = sorted(load_registers(discover(ctx.find_root().params.get("directory")), Reporter()).persons)
    except Exception:  # completion must never print a traceback into the editor's shell
        return []
    done, comma, last = incomplete.rpartition(",")
    return [f"{done}{comma}{i}" for i in ids if i.startswith(last)]


@main.command()
@click.option("--title", help="The document's title (titleStmt/title[@type='main'] and the head).")
@click.option("--date", metavar="DATE", help="Date of the document: YYYY-MM-DD (or YYYY-MM, YYYY; a span FROM/TO).")
@click.option("--participants", metavar="IDS", shell_complete=_complete_persons, help="Register ids of the participants, comma-separated; "
                                     "id:silent for one who does not speak.")
@click.option("--recorder", metavar="ID", shell_complete=_complete_persons, help="Register id of who recorded the document (respStmt xml:id='recorder').")
@click.option("--repository", help="The archive holding the original.")
@click.option("--fond", help="Archival fond.")
@click.option("--opis", help="Archival opis (inventory).")
@click.option("--delo", help="Archival delo (file).")
@click.option("--folios", metavar="FROM-TO", help="Folios, e.g. 115-122.")
@click.option("--type", "doc_type", default="record of conversation", show_default=True,
              help="The document type (textClass term type='document-type').")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it (default: <sources>/<date>_<slug>.xml).")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@click.option("--images", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Folder of the document's page images (JPEG, PNG, TIFF; file names in page order): copied into "
                   "the facsimiles folder, the first linked to a page break at the start of the text.")
@click.pass_context
@handle_errors
def new(ctx: click.Context, title, date, participants, recorder, repository, fond, opis, delo, folios, doc_type,
        out, force, images) -> None:
    """Start a new document from the encoding model's template.

    The header has every field of the encoding model. What you do not give is marked for you,
    <?edition-todo ...?> in the header and <note type="todo" resp="#ed"> in the text, and
    `edition validate` lists each as a warning until you fill it in. On a terminal, missing
    options are asked for.

    \b
    Examples:
      edition new --title "Record of the conversation of J. V. Stalin with A. Eden" \\
                  --date 1941-12-20 --participants stalin,eden --recorder maisky \\
                  --repository "Archive of the President of the Russian Federation" \\
                  --fond 45 --opis 1 --delo 279 --folios 123-130
      edition new --title "Telegram" --date 1941-12 --type telegram --out tei/telegram.xml
      edition new --title "Letter" --date 1941-12-21 --folios 12-13 --images scans/letter/
    """
    from edition.scaffold import new_document

    config = load_config(ctx)
    title = _ask(title, "Title", "--title")
    date = _ask(date, "Date (YYYY-MM-DD)", "--date")
    participants = _ask(participants, "Participants (register ids, comma-separated; Enter for none)",
                        "--participants", required=False)
    archive = {name: _ask(value, f"{name.capitalize()} (Enter to leave for later)", f"--{name}", required=False)
               for name, value in (("repository", repository), ("fond", fond), ("opis", opis), ("delo", delo),
                                   ("folios", folios))}
    linked: list[str] = []
    path = new_document(config, title=title, date=date,
                        participants=[p for p in (participants or "").split(",") if p.strip()],
                        recorder=recorder or "", doc_type=doc_type, out=out, force=force, images=images,
                        said=linked, **archive)
    from edition.diagnostics import display_path

    text = path.read_text(encoding="utf-8")
    todos = text.count('type="todo"') + text.count("<?edition-todo")
    click.echo(f"created {display_path(path)}" + (f" ({todos} field(s) marked todo)" if todos else ""))
    if linked:
        click.echo(f"  page images: {linked[0]}")
    if not archive["repository"] or not any(archive[k] for k in ("fond", "opis", "delo")):
        click.echo("  note: `edition validate` reports an error until the header names the archive "
                   "(repository) and a shelfmark (idno)")


@main.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to serve on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default serves this computer only).")
@click.pass_context
@handle_errors
def serve(ctx: click.Context, port: int, host: str) -> None:
    """Preview the web edition, rebuilt and reloaded in the browser whenever a source changes.

    Watches the documents, the registers, edition.toml, templates and stylesheets. A document
    with errors is left out and its diagnostics are shown on every page (and on its own missing
    page) until it is fixed; the server keeps running. The preview is the web edition only
    (`edition build` makes the PDFs). Ctrl-C stops it.

    \b
    Examples:
      edition serve                    # http://127.0.0.1:8000
      edition serve --port 8080
      edition -C ~/letters serve --host 0.0.0.0   # reachable from other computers too
    """
    from edition.serve import serve as run_serve

    load_config(ctx)  # fail at once, with the usual message, outside an edition
    run_serve(ctx.obj.get("directory"), host=host, port=port, echo=click.echo)


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the TEI documents into (default: the edition's sources folder).")
@click.option("--persons", type=click.Path(dir_okay=False, path_type=Path),
              help="The register of persons (default: the edition's; places.xml is taken from the "
                   "edition, else from beside it).")
@click.option("--force", is_flag=True, help="Overwrite documents that exist.")
@click.option("--images", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Folder of the document's page images (JPEG, PNG, TIFF; file names in page order): copied into "
                   "the facsimiles folder and linked to the page breaks (<facsimile>, pb/@facs).")
@click.option("--add-to-register", is_flag=True,
              help="Add the persons the register lacks to it as draft entries (marked for review), so "
                   "that their turns are attributed at once.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="How to print the report.")
@click.pass_context
@handle_errors
def import_(ctx: click.Context, files: tuple[Path, ...], out: Path | None, persons: Path | None, force: bool,
            images: Path | None, add_to_register: bool, output_format: str) -> None:
    """Draft TEI documents from plain-text transcripts (one file per document found).

    Recognises the title, date and classification, speakers, register names (with known
    misspellings), page breaks, the source's notes, the closer, the archival citation and the
    prior publication; drops the website's clutter. The report lists what was recognised and
    what needs the editor, by source line; the same questions are marked
    <note type="todo" resp="#importer"> in the documents.

    \b
    Examples:
      edition import transcript.txt                      # into the edition's tei/ folder
      edition import a.txt b.txt --out drafts/ --force
      edition import t.txt --out /tmp/x --persons tei/persons.xml --format json
      edition import t.txt --images scans/t/              # with its page images, in page order
    """
    from edition.config import find_config, load_config as load_config_file
    from edition.importer import import_transcripts
    from edition.importer.report import to_json, to_text

    start = ctx.obj.get("directory") or Path.cwd()
    found = find_config(Path(start))
    config = load_config_file(found) if found else None
    results = import_transcripts(list(files), out=out, persons=persons, force=force, config=config,
                                 add_to_register=add_to_register, images=images)
    click.echo(to_json(results, written=True) if output_format == "json" else to_text(results, written=True))
    if images is not None and output_format == "text":
        click.echo(f"  page images: {results[0].images}")


@main.command()
@click.option("--format", "output_format", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True, help="Markdown (for a repository) or a standalone HTML page.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of printing.")
@click.pass_context
@handle_errors
def guidelines(ctx: click.Context, output_format: str, out: Path | None) -> None:
    """Print the encoding guidelines, generated from the schemas.

    Every element of the encoding model (schemas/edition.rng): what it is for, where it goes, what
    it contains, its attributes, and an example from the edition's own documents; then every
    Schematron rule with its id, severity and message. Outside an edition, the built-in schemas
    are described, without examples.

    \b
    Examples:
      edition guidelines --out GUIDELINES.md
      edition guidelines --format html --out guidelines.html
      edition guidelines | less
    """
    from edition.guidelines import write_guidelines

    try:
        config = load_config(ctx)
    except EditionError:
        if ctx.obj.get("directory"):
            raise  # -C names an edition: its problems must be shown
        config = None
    text = write_guidelines(config, output_format=output_format, out=out)
    if out is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {out}")
