"""What the builders of one build share: the cache, the file digests, and the inputs of each output
file in this build and in the last one (to say why something is redone).

    state = BuildState.start(config, cache, clean)
    state.inputs(path, file=digest, xslt=digest)              # recorded for the next build
    reason = state.redo("html", path, HTML_INPUTS, **digests)  # "stylesheet changed", "new", ...

The worker pool, the reporter and the progress display are not in here: each builder is given them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from edition.cache import Cache, Hashes, atomic_write, tool_version
from edition.config import Config

# The inputs of the validation records, with what `-v` says when one of them changed.
VALIDATE_INPUTS = {"file": "changed", "schema": "schema changed", "deps": "registers changed"}
VOLUME = "volume "  # the manifest's key of a volume's inputs: "volume edition-volume-01.pdf"


@dataclass
class BuildState:
    config: Config
    cache: Cache
    hashes: Hashes = field(default_factory=Hashes)
    tool: str = field(default_factory=tool_version)
    previous: dict[str, dict[str, str]] = field(default_factory=dict)  # the last build's inputs, by path
    manifest: dict[str, dict[str, str]] = field(default_factory=dict)  # this build's, for the next
    redone: dict[str, dict[str, str]] = field(default_factory=dict)  # phase -> {path: reason}

    @classmethod
    def start(cls, config: Config, cache: Cache, clean: bool) -> "BuildState":
        state = cls(config=config, cache=cache)
        if clean:  # nothing from earlier builds is used; this build's results are stored for the next
            cache.clear()
        else:
            state.previous = state._load_manifest()
            cache.read_gathered()
        return state

    @property
    def manifest_path(self) -> Path:
        return self.cache.folder / "manifest.json"

    def _load_manifest(self) -> dict:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def save_manifest(self) -> None:
        """This build's inputs, for the next: each file's merged with what the last build recorded of
        it (after `build --only html`, a document's print inputs are still the last print build's);
        the volumes' as the last build left them when no print edition was built. A file this build
        did not read (a document renamed or removed, or the edition moved) is left out: kept, the
        manifest grew with every such change, and every build reads it whole."""
        previous = self.previous
        merged = {key: {**previous[key], **inputs} if key in previous else inputs
                  for key, inputs in self.manifest.items()}
        if not any(key.startswith(VOLUME) for key in self.manifest):
            merged.update((key, inputs) for key, inputs in previous.items() if key.startswith(VOLUME))
        atomic_write(self.manifest_path, json.dumps(merged, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def inputs(self, path: Path | str, **digests: str) -> None:
        self.manifest.setdefault(str(path), {}).update(digests)

    def redo(self, phase: str, path: Path | str, reasons: dict[str, str], **digests: str) -> str:
        """Record that `path` is redone in `phase` and say why: the first of `reasons` (input name ->
        what -v prints) whose digest differs from the last build's."""
        before = self.previous.get(str(path))
        if before is None:
            reason = "new"
        else:
            reason = next((why for name, why in reasons.items()
                           if name in digests and name in before and before[name] != digests[name]),
                          "not in the cache")
        self.redone.setdefault(phase, {})[str(path)] = reason
        return reason
