"""XSLT 3.0 through saxonche: the only module that imports it.

One Saxon processor per process and each stylesheet compiled once (compiling html.xsl costs far
more than running it on a document). Source documents reach Saxon only as text serialised from a
tree that lxml parsed with entities and network access off, so Saxon never sees a DTD.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from saxonche import PySaxonApiError, PySaxonProcessor

from edition.diagnostics import EditionError


class JsonParameter(str):
    """A stylesheet parameter given as JSON text that the stylesheet receives as the XDM map or array
    it denotes, parsed once per process and text: the registers' pointer map is ~100 KB of JSON for a
    few hundred persons, and parse-json in the stylesheet cost more than the rest of a document's
    transformation."""


@dataclass
class TransformResult:
    output: str
    messages: list[str] = field(default_factory=list)


class Stylesheet:
    """A compiled stylesheet. `transform()` takes the document's XML text and string parameters."""

    def __init__(self, engine: "XsltEngine", path: Path, executable) -> None:
        self.engine = engine
        self.path = path
        self._executable = executable
        self._lock = threading.Lock()

    def transform(self, xml_text: str, base_uri: str | None = None, **params: Any) -> TransformResult:
        with self._lock:
            executable = self._executable
            executable.clear_parameters()
            executable.clear_xsl_messages()
            executable.set_save_xsl_message(True)
            for name, value in params.items():
                executable.set_parameter(name, self.engine.value(value))
            node = self.engine.parse(xml_text, base_uri)
            try:
                output = executable.transform_to_string(xdm_node=node)
            except PySaxonApiError as exc:
                raise EditionError(f"{self.path.name}: transformation failed: {str(exc).strip()}") from None
            messages = executable.get_xsl_messages()
            texts = [str(m) for m in messages] if messages is not None else []
        return TransformResult(output or "", texts)


class XsltEngine:
    def __init__(self) -> None:
        self.processor = PySaxonProcessor(license=False)
        self._compiler = self.processor.new_xslt30_processor()
        self._builder = self.processor.new_document_builder()
        self._compiled: dict[Path, Stylesheet] = {}
        self._json: dict[str, Any] = {}

    def stylesheet(self, path: Path) -> Stylesheet:
        """The compiled stylesheet at `path`, compiled on first use only."""
        path = Path(path).resolve()
        if path not in self._compiled:
            if not path.is_file():
                raise EditionError(f"{path}: stylesheet not found")
            try:
                executable = self._compiler.compile_stylesheet(stylesheet_file=str(path))
            except PySaxonApiError as exc:
                raise EditionError(f"{path}: the stylesheet does not compile: {str(exc).strip()}") from None
            self._compiled[path] = Stylesheet(self, path, executable)
        return self._compiled[path]

    def stylesheet_from_text(self, text: str, origin: Path) -> Stylesheet:
        """A stylesheet generated in memory (a Schematron schema compiled by edition/schematron3.py)."""
        try:
            executable = self._compiler.compile_stylesheet(stylesheet_text=text)
        except PySaxonApiError as exc:
            raise EditionError(f"{origin}: its rules do not compile to XSLT 3.0: {str(exc).strip()}") from None
        return Stylesheet(self, Path(origin), executable)

    def forget(self) -> None:
        """Drop the compiled stylesheets, so that edited ones are compiled again (used by `serve`)."""
        self._compiled.clear()

    def parse(self, xml_text: str, base_uri: str | None = None):
        if base_uri:
            self._builder.set_base_uri(base_uri)
        try:
            return self._builder.parse_xml(xml_text=xml_text, encoding="UTF-8")
        except PySaxonApiError as exc:
            raise EditionError(f"Saxon could not parse the document: {str(exc).strip()}") from None

    def json(self, text: str):
        """The XDM value of a JSON text (by parse-json, as the stylesheet would), parsed on first use."""
        if text not in self._json:
            if len(self._json) > 8:  # a long `serve` session: registers edited many times
                self._json.clear()
            xpath = self.processor.new_xpath_processor()
            xpath.set_parameter("json", self.processor.make_string_value(str(text)))
            try:
                self._json[text] = xpath.evaluate_single("parse-json($json)")
            except PySaxonApiError as exc:
                raise EditionError(f"a stylesheet parameter is not JSON: {str(exc).strip()}") from None
        return self._json[text]

    def value(self, value: Any):
        p = self.processor
        if isinstance(value, JsonParameter):
            return self.json(value)
        if isinstance(value, bool):
            return p.make_boolean_value(value)
        if isinstance(value, int):
            return p.make_integer_value(value)
        if isinstance(value, Path):
            return p.make_string_value(value.as_uri())
        return p.make_string_value(str(value))


@lru_cache(maxsize=1)
def engine() -> XsltEngine:
    """The process's one Saxon processor."""
    return XsltEngine()
