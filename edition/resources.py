"""Where the files that ship with the tool live: stylesheets, schemas, templates.

In a wheel, `xslt/` and `schemas/` are copied into `edition/_data/` by the build backend; in a
source checkout (or an editable install) they are found at the top level of the repository.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder `name` ("xslt" or "schemas") wherever this installation keeps it."""
    for candidate in (PACKAGE_DIR / "_data" / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the tool's {name}/ folder is missing from this installation")


def xslt_path(filename: str) -> Path:
    return data_dir("xslt") / filename


def schema_path(filename: str) -> Path:
    return data_dir("schemas") / filename


def templates_dir() -> Path:
    return PACKAGE_DIR / "templates"


def static_dir() -> Path:
    return PACKAGE_DIR / "static"
