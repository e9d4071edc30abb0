"""Diagnostics: one format for every problem the tool reports.

    tei/x.xml:48:17: error: <persName> has no @ref [sch.persname-ref]

Paths are shown relative to the current folder when they lie below it. A `Reporter` collects
diagnostics across a whole run so that every problem is reported before the run fails
(like Sphinx's `-W`, which finishes the build and then fails).
"""

from __future__ import annotations

import functools
import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @classmethod
    def from_role(cls, role: str | None) -> "Severity":
        """Map a Schematron @role ("error", "fatal", "warning", "warn", "info") to a severity."""
        role = (role or "error").strip().lower()
        if role in ("warning", "warn"):
            return cls.WARNING
        if role in ("info", "information", "note"):
            return cls.INFO
        return cls.ERROR


def display_path(path: str | os.PathLike | None) -> str:
    if path is None:
        return "<input>"
    try:
        cwd = os.getcwd()
    except OSError:  # the working folder was removed
        return str(Path(path))
    return _display_path(os.fspath(path), cwd)


@functools.lru_cache(maxsize=4096)
def _display_path(path: str, cwd: str) -> str:
    """(Remembered per path and working folder: resolving both costs a system call per folder of
    each, and a build shows each document's path several times.)"""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except (ValueError, OSError):
        return str(p)


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: Severity
    message: str
    code: str
    hint: str = field(default="", compare=False)

    def format(self) -> str:
        where = display_path(self.path)
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.severity.value}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_dict(self, display: bool = True) -> dict:
        """Plain data (JSON output, worker results, the cache); `display`: the path as shown to the
        reader (relative to the current folder), else as it is (what `from_dict` reads back)."""
        data = asdict(self)
        data["severity"] = self.severity.value
        if display:
            data["path"] = display_path(self.path)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Diagnostic":
        return cls(**{**data, "severity": Severity(data["severity"])})


def error(path, message: str, code: str, line: int = 0, column: int = 0, hint: str = "") -> Diagnostic:
    return Diagnostic(str(path), line or 0, column or 0, Severity.ERROR, message, code, hint)


def warning(path, message: str, code: str, line: int = 0, column: int = 0, hint: str = "") -> Diagnostic:
    return Diagnostic(str(path), line or 0, column or 0, Severity.WARNING, message, code, hint)


class Reporter:
    """Collects diagnostics for a run; counts them; renders them as text or JSON."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.diagnostics.append(diagnostic)

    def extend(self, diagnostics) -> None:
        for d in diagnostics:
            self.add(d)

    @property
    def counts(self) -> Counter:
        return Counter(d.severity for d in self.diagnostics)

    @property
    def errors(self) -> int:
        return self.counts[Severity.ERROR]

    @property
    def warnings(self) -> int:
        return self.counts[Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=lambda d: (display_path(d.path), d.line, d.column, d.code))

    def to_text(self) -> str:
        return "\n".join(d.format() for d in self.sorted())

    def to_json(self, **extra) -> str:
        return json.dumps(
            {**extra, "errors": self.errors, "warnings": self.warnings,
             "diagnostics": [d.as_dict() for d in self.sorted()]},
            ensure_ascii=False, indent=2,
        )


class EditionError(Exception):
    """A problem that stops a command (bad configuration, missing file): shown without a traceback.

    `diagnostics` carries every problem found, so that all of them are shown at once. `exit_code`:
    the command's exit status, the same for every verb: 2 for usage or configuration.
    """

    exit_code = 2

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None, hint: str = ""):
        super().__init__(message)
        self.diagnostics = diagnostics or []
        self.hint = hint


class DocumentErrors(EditionError):
    """The documents have errors (reported before): a command stops with exit status 1, as
    `edition validate` does for an invalid document."""

    exit_code = 1
