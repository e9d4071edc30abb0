"""What a build is doing, on stderr: a progress bar per phase on a terminal, plain lines otherwise.

    validate  [####################################]  1000/1000
    html: 1000 document(s), 12 transformed, 1.2 s        (not a terminal)

`--quiet` keeps only the final summary; `--verbose` adds one line per document that is redone and
why ("changed", "stylesheet changed", ...).
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

import click


class Progress:
    def __init__(self, quiet: bool = False, verbose: bool = False, terminal: bool | None = None) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.terminal = sys.stderr.isatty() if terminal is None else terminal

    def note(self, text: str) -> None:
        """A line shown with --verbose (why a document is redone)."""
        if self.verbose and not self.quiet:
            click.echo(text, err=True)

    def notice(self, text: str) -> None:
        """A line shown even with --quiet: the build is waiting, not working."""
        click.echo(text, err=True)

    def line(self, text: str) -> None:
        if not self.quiet:
            click.echo(text, err=True)

    @contextmanager
    def phase(self, name: str, total: int):
        """Yields a function advance(n=1); on a terminal it moves a bar, otherwise one line at the end."""
        started = time.perf_counter()
        if self.quiet or total == 0:
            yield lambda n=1: None
            return
        if self.terminal and not self.verbose:  # verbose lines would break a bar in the middle
            with click.progressbar(length=total, label=f"{name:<9}", file=sys.stderr, show_pos=True,
                                   show_eta=total > 20) as bar:
                yield lambda n=1: bar.update(n)
            return
        done = [0]

        def advance(n: int = 1) -> None:
            done[0] += n

        yield advance
        click.echo(f"{name}: {done[0]}/{total} in {time.perf_counter() - started:.1f} s", err=True)
