"""Threads that read and write files beside the build's own work.

Opening a file costs a system call or several that take longer than rendering a small page (0.2-0.5
ms each on a virtual machine's disk, measured), and release the GIL: so the web build reads the
cached parts of the next pages and writes the files of the last ones while it renders a page.

    with Writes() as writes:                      # waits for them all at the end; raises the first error
        writes.submit(function, *args) ...
    for result in read_ahead(function, items):    # function(item) for each item, in order
        ...
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Iterator


class Writes:
    """At most `pending` tasks wait at a time, so memory does not grow with the number of pages."""

    def __init__(self, threads: int = 2, pending: int = 64) -> None:
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="edition-write")
        self._futures: deque = deque()
        self._pending = pending

    def submit(self, function: Callable, *args) -> None:
        while len(self._futures) >= self._pending:
            self._futures.popleft().result()
        self._futures.append(self._executor.submit(function, *args))

    def __enter__(self) -> "Writes":
        return self

    def __exit__(self, kind, exc, traceback) -> None:
        try:
            while self._futures and kind is None:
                self._futures.popleft().result()
        finally:
            for future in self._futures:  # after an error: the rest is not wanted
                future.cancel()
            self._executor.shutdown(wait=True)


def read_ahead(function: Callable, items: Iterable, threads: int = 2, ahead: int = 32) -> Iterator:
    """function(item) for each item, in the order of `items`, computed by threads at most `ahead`
    items before the one the caller is at."""
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="edition-read") as executor:
        futures: deque = deque()
        try:
            for item in items:
                futures.append(executor.submit(function, item))
                if len(futures) >= ahead:
                    yield futures.popleft().result()
            while futures:
                yield futures.popleft().result()
        finally:
            for future in futures:  # the caller stopped (an error): the rest is not wanted
                future.cancel()
