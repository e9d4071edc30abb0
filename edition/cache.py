"""The build cache: results of expensive work, stored under a hash of everything they depend on.

    <output folder's parent>/.edition-cache/<kind>/<2 hex>/<key><suffix>

A key is the SHA-256 of the inputs that matter (a document's bytes, every stylesheet file, the
registers, the relevant settings, the tool's version), so a stale entry is never found: a changed
input gives another key. Entries are written to a temporary file and renamed into place
(`os.replace`), and folders likewise, so a build interrupted at any moment leaves only complete
entries. Nothing is ever modified in place, which lets the build hard-link cached files into its
output instead of copying them.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import tempfile
import threading
from collections import Counter
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import edition

FORMAT = "3"  # bump when the layout or the meaning of cached values changes


@lru_cache(maxsize=1)
def tool_version() -> str:
    """This tool's version and the versions of the engines whose output is cached."""
    versions = [f"edition {edition.__version__}", f"cache {FORMAT}"]
    for package in ("saxonche", "typst", "pagefind", "lxml", "jinja2"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} -")
    return "; ".join(versions)


def digest(*parts) -> str:
    """SHA-256 over the parts (bytes, str, or anything JSON can write), each length-prefixed so
    that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, str):
            data = part.encode("utf-8")
        elif isinstance(part, (bytes, bytearray)):
            data = bytes(part)
        else:
            data = json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class Hashes:
    """File and folder digests, each computed once per build."""

    def __init__(self) -> None:
        self._files: dict[str, str] = {}

    def file(self, path: Path | str) -> str:
        # Keyed by the name as given (a build asks for thousands: no Path objects once known)
        name = os.fspath(path)
        found = self._files.get(name)
        if found is not None:
            return found
        if not os.path.isabs(name):
            name = os.fspath(Path(name).resolve())
            if name in self._files:
                return self._files[name]
        try:
            with open(name, "rb") as handle:
                found = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            found = "missing"
        self._files[name] = self._files[os.fspath(path)] = found
        return found

    def folder(self, folder: Path) -> str:
        """Every file below `folder`: relative names and contents (a file added, removed or changed
        changes the digest)."""
        folder = Path(folder)
        if not folder.is_dir():
            return "missing"
        files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        return digest(*[f"{p.relative_to(folder).as_posix()}={self.file(p)}" for p in files])


_temporary_names = itertools.count()  # with the pid: a temporary name no other writer uses
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _create_temporary(folder: str) -> tuple[int, str]:
    """A new file beside the target, opened for writing. Mode 0o666 lets the umask apply, as for
    any new file: outputs are hard-linked into the published site, which a web server must be able
    to read (mkstemp's 0600 needed a chmod after it). The folder is made only when it is missing:
    a build writes thousands of entries into folders that exist."""
    while True:
        temporary = f"{folder}/.tmp-{os.getpid()}-{next(_temporary_names)}"
        try:
            return os.open(temporary, _CREATE, 0o666), temporary
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
            return os.open(temporary, _CREATE, 0o666), temporary
        except FileExistsError:  # left by a killed process that had this pid: take the next name
            continue


def atomic_write(path: Path | str, data: bytes) -> None:
    """Write `data` to a temporary file and rename it to `path`: a reader finds the whole file
    or none. (Leftover temporary files of an interrupted build are named .tmp-*: prune removes
    them from the cache.)"""
    name = os.fspath(path)
    fd, temporary = _create_temporary(os.path.dirname(name) or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, name)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def json_bytes(value) -> bytes:
    """A JSON entry's bytes (Cache.put_json; a worker writing an entry itself, with atomic_write)."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """Put `source` at `target`: a hard link when possible (cached files are never modified)."""
    try:
        os.link(source, target)
    except FileNotFoundError:  # the folder is not there yet (or the source is not: then copyfile says so)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    except OSError:
        shutil.copyfile(source, target)


def link_tree(source: Path | str, target: Path | str) -> None:
    """Every file below `source` linked (or copied) to the same place below `target`, folders made as
    needed (with the source folders' permissions), files already there replaced, symbolic links
    followed: what shutil.copytree(copy_function=link_or_copy, dirs_exist_ok=True) does, without
    its Path objects for each of a site's thousands of files."""
    source, target = os.fspath(source), os.fspath(target)
    os.makedirs(target, exist_ok=True)
    with os.scandir(source) as entries:
        for entry in entries:
            into = os.path.join(target, entry.name)
            if entry.is_dir():  # (a link to a folder too: followed)
                link_tree(entry.path, into)
            else:
                link_or_copy(entry.path, into)
    shutil.copystat(source, target)


def _entries(folder: str):
    """The entries two levels below `folder` (<kind>/<2 hex>/<entry>), as os.DirEntry: a cache holds
    thousands, listed after every build."""
    try:
        buckets = [entry.path for entry in os.scandir(folder) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for bucket in buckets:
        try:
            with os.scandir(bucket) as entries:
                yield from list(entries)
        except OSError:
            continue


def entry_name(folder: str, kind: str, key: str, suffix: str = "") -> str:
    """Where an entry of the cache in `folder` is (for a worker, which has no Cache: a str, not a Path)."""
    return f"{folder}/{kind}/{key[:2]}/{key}{suffix}"


# The small JSON entries a build reads for every document, unchanged or not (a validation record, the
# meta of a page's fragments and of a document's Typst markup) are also kept together, one line each,
# in one file that the next build reads instead of a file per entry: at 10,000 documents that is
# 30,000 files, and a file not read for a while costs 0.1-0.2 ms to read (from the disk, not the page
# cache), the one file of 30-50 MB about 0.1 s. Entries never change, so the file needs no
# invalidation: a key it lacks is read from its own file. Each kind is held in memory only while the
# phase that reads it runs (`let_go`), as bytes: the build's peak of memory comes later.
GATHERED = ("validate", "html-meta", "typst-meta")


class Cache:
    """Content-addressed entries by kind ("validate", "html", "pdf", ...), with hit/miss counts."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._root = str(self.folder)
        self.hits: Counter = Counter()
        self.misses: Counter = Counter()
        self.used: dict[str, set[str]] = {}  # kind -> the keys this build looked up or stored
        self._counting = threading.Lock()
        self._gathered: dict[str, dict[str, bytes]] | None = None  # kind -> key -> JSON; None: not read
        self._reading = threading.Lock()  # (the web build's reader threads ask for the pages' meta)

    @property
    def _gathered_file(self) -> str:
        return f"{self._root}/gathered/entries.txt"  # (in a folder: `clear` removes it with the rest)

    def _gathered_lines(self):
        """(kind, key, the entry's JSON, the whole line) of each line of the file of GATHERED entries."""
        try:
            with open(self._gathered_file, "rb") as handle:
                for line in handle:
                    kind, _, rest = line.partition(b" ")
                    key, _, text = rest.partition(b" ")
                    yield kind.decode("ascii", "replace"), key.decode("ascii", "replace"), text, line
        except OSError:
            return

    def read_gathered(self) -> None:
        """Look GATHERED entries up in their one file from now on (each kind read when first asked for)."""
        self._gathered = {}

    def let_go(self, kind: str) -> None:
        """The phase reading this kind is over: its entries from the one file are not kept in memory."""
        if self._gathered is not None:
            self._gathered[kind] = {}

    def _looked_up(self, kind: str) -> dict[str, bytes] | None:
        if self._gathered is None or kind not in GATHERED:
            return None
        with self._reading:
            if kind not in self._gathered:
                found: dict[str, bytes] = {}
                for line_kind, key, text, _ in self._gathered_lines():
                    if line_kind == kind:
                        found[key] = text
                self._gathered[kind] = found
            return self._gathered[kind]

    def write_gathered(self) -> None:
        """After a successful build: the GATHERED entries it used, into their one file: those of the
        last build's file still used, the others read from their own files (after a correction, a
        few; after a build from scratch, all). Of a kind it did not use (`--only html`: the Typst
        meta), the last build's."""
        used = {kind: self.used[kind] for kind in GATHERED if kind in self.used}
        lines: list[bytes] = []
        found: dict[str, set[str]] = {kind: set() for kind in GATHERED}
        for kind, key, _, line in self._gathered_lines():
            if kind in found and (kind not in used or key in used[kind]) and key not in found[kind] \
                    and line.endswith(b"\n"):
                lines.append(line)
                found[kind].add(key)
        for kind, keys in used.items():
            for key in sorted(keys - found[kind]):
                try:  # (not by `name`, which adds to `used`: `prune` reads it meanwhile, in its thread)
                    with open(entry_name(self._root, kind, key, ".json"), "rb") as handle:
                        data = handle.read()
                except OSError:
                    continue
                if b"\n" not in data:  # (json_bytes writes one line)
                    lines.append(f"{kind} {key} ".encode("ascii") + data + b"\n")
        os.makedirs(os.path.dirname(self._gathered_file), exist_ok=True)
        atomic_write(self._gathered_file, b"".join(lines))

    def path(self, kind: str, key: str, suffix: str = "") -> Path:
        return Path(self.name(kind, key, suffix))

    def name(self, kind: str, key: str, suffix: str = "") -> str:
        """The entry's file name as a str: the look-ups of a build (thousands) make no Path objects."""
        self.used.setdefault(kind, set()).add(key)
        return entry_name(self._root, kind, key, suffix)

    def keep(self, kind: str, key: str, suffix: str = "") -> None:
        """Mark an entry as used without reading it (its partner was read: a page's fragments)."""
        self.used.setdefault(kind, set()).add(key)

    def prune(self) -> int:
        """After a successful build: remove the entries of each kind it used that it did not use
        (a corrected document's old pages and PDFs, the previous book), and leftovers of interrupted
        writes, so that the cache does not grow with every correction. Kinds a build did not touch
        (the PDFs, in `--only html`) stay. Returns the number of entries removed."""
        removed = 0
        for kind, keys in self.used.items():
            for entry in _entries(os.path.join(self._root, kind)):
                key = entry.name.split(".", 1)[0]
                if key in keys and not entry.name.startswith(".tmp-"):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    try:
                        os.unlink(entry.path)
                    except FileNotFoundError:
                        pass
                removed += 1
        return removed

    def clear(self) -> None:
        """Remove every cached result (the wrapper stylesheets html.py keeps here stay)."""
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)

    def _count(self, kind: str, found: bool) -> bool:
        with self._counting:  # (the web build looks entries up from reader threads too: edition/background.py)
            (self.hits if found else self.misses)[kind] += 1
        return found

    def get_bytes(self, kind: str, key: str, suffix: str = "") -> bytes | None:
        try:
            with open(self.name(kind, key, suffix), "rb") as handle:
                data = handle.read()
        except OSError:
            data = None
        self._count(kind, data is not None)
        return data

    def put_bytes(self, kind: str, key: str, data: bytes, suffix: str = "") -> Path:
        name = self.name(kind, key, suffix)
        atomic_write(name, data)
        return Path(name)

    def get_json(self, kind: str, key: str):
        known = self._looked_up(kind)
        line = known.get(key) if known else None
        if line is not None:
            try:
                value = json.loads(line)
            except ValueError:  # (a damaged line: the entry's own file instead)
                pass
            else:
                self.keep(kind, key)
                self._count(kind, True)
                return value
        data = self.get_bytes(kind, key, ".json")
        if data is None:
            return None
        try:
            return json.loads(data)
        except ValueError:  # cannot happen with atomic writes, but a damaged disk must not stop a build
            return None

    def put_json(self, kind: str, key: str, value) -> Path:
        return self.put_bytes(kind, key, json_bytes(value), ".json")

    def has_file(self, kind: str, key: str, suffix: str = "") -> Path | None:
        """The cached file (counted as a hit) or None (a miss)."""
        name = self.name(kind, key, suffix)
        found = os.path.isfile(name)
        self._count(kind, found)
        return Path(name) if found else None

    def get_tree(self, kind: str, key: str) -> Path | None:
        name = self.name(kind, key)
        found = os.path.isdir(name)
        self._count(kind, found)
        return Path(name) if found else None

    def move_tree(self, kind: str, key: str, source: Path) -> Path:
        """Store the folder `source` itself (a folder the build made for this): renamed into place,
        without linking each of its files into a copy and removing them after. On another file
        system, copied as put_tree does, then removed."""
        target = self.path(kind, key)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(source, target)  # (not os.replace: a folder stored meanwhile is not replaced)
        except OSError:  # another file system, or another build stored the same thing meanwhile
            if not target.exists():
                self.put_tree(kind, key, source)
            shutil.rmtree(source, ignore_errors=True)
        return target

    def put_tree(self, kind: str, key: str, source: Path) -> Path:
        """Store a copy of the folder `source`; it appears under its key complete or not at all."""
        target = self.path(kind, key)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
        try:
            link_tree(source, temporary)
            if target.exists():  # another build stored the same thing meanwhile: identical by construction
                shutil.rmtree(temporary, ignore_errors=True)
            else:
                os.replace(temporary, target)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        return target
