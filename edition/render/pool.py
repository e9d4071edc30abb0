"""Worker processes for the per-document work of a build (edition/render/worker.py).

    with Pool(jobs, settings) as pool:
        for key, result in pool.run(gather.analyse, [(path,), ...], keys): ...

With one job, or a single task, the work runs in the build's own process (no start-up cost). The
processes start only when there is work for them, so a build with nothing to redo starts none.
They are never forked from the build (which may hold a Saxon processor): a fork server starts them
where the platform has one (Linux, macOS), else (Windows) each is a fresh interpreter (`spawn`);
either way a worker imports what it needs and inherits nothing but its settings. Each holds its
own Saxon processor and compiled stylesheets for the whole build. EDITION_START_METHOD=spawn (or
forkserver) chooses the method; the test suite runs a build with spawn to prove it works. Results come
back in the order the workers finish; the caller puts them in document order.

    futures = pool.fresh(worker.compile_pdf, [task, ...], processes)

runs big tasks (the volumes of the print edition) each in a new process that ends after it, beside
the workers: Typst gives the memory of what it typeset back only when its process ends.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any, Callable, Iterable, Iterator

from edition.diagnostics import EditionError
from edition.render import worker


def start_worker(settings: dict) -> None:
    """A worker's initializer: it ends with the build. Killed with `kill -9`, the build cannot stop
    its workers, and each holds hundreds of MB (Saxon, Typst); nor does the fork server that started
    them end while they live. So a thread in each worker looks once a second whether the build's
    process still exists, and ends the worker when it does not. (Windows has no fork server: there
    a worker's pipes to the build break when it goes, which ends the worker.)"""
    # Ctrl-C in a terminal reaches every process of the build: the build's own process stops the
    # workers (Pool.__exit__); each worker printing its own KeyboardInterrupt would only add noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    build = settings.get("build_pid")
    if build and os.name == "posix":
        def watch() -> None:
            while not threading.Event().wait(1.0):
                try:
                    os.kill(build, 0)  # signal 0: only asks whether the process exists
                except ProcessLookupError:
                    os._exit(1)
                except PermissionError:  # exists (under another user: a reused pid; keep working)
                    pass
        threading.Thread(target=watch, name="edition-build-watch", daemon=True).start()
    worker.initialise(settings)


def start_method() -> str:
    """How worker processes start: EDITION_START_METHOD if set, else forkserver where it exists,
    else spawn. Never fork: the build's own process may hold a Saxon processor and its threads."""
    available = multiprocessing.get_all_start_methods()
    wanted = os.environ.get("EDITION_START_METHOD", "")
    if wanted:
        if wanted not in available or wanted == "fork":
            choices = ", ".join(m for m in available if m != "fork")
            raise EditionError(f"EDITION_START_METHOD={wanted} is not a way to start workers here",
                               hint=f"use one of: {choices}, or unset it")
        return wanted
    return "forkserver" if "forkserver" in available else "spawn"


class Pool:
    def __init__(self, jobs: int, settings: dict) -> None:
        self.jobs = max(1, int(jobs))
        self.settings = {**settings, "build_pid": os.getpid()}
        self._executor: ProcessPoolExecutor | None = None
        self._fresh: list[ProcessPoolExecutor] = []
        self._local_ready = False
        self.method = start_method()

    def __enter__(self) -> "Pool":
        return self

    def prepare(self) -> None:
        """Start the fork server now, with the workers' modules imported in it, so that a process
        started later (a volume of the print edition, after a correction) is ready at once instead
        of importing them first. Called when work is known to come; the server boots meanwhile.
        (With spawn, every process imports them itself.)"""
        if self.method != "forkserver":
            return
        from multiprocessing import forkserver

        multiprocessing.get_context("forkserver").set_forkserver_preload([worker.__name__, "edition.gather"])
        forkserver.ensure_running()

    def __exit__(self, kind, exc, traceback) -> None:
        if kind is not None:
            # An error, Ctrl-C or kill: the workers' work is not wanted; end them now rather than
            # after their tasks, and before this process goes (a worker still starting up would
            # otherwise fail to find this process's semaphores, with a traceback of its own).
            executors = [*self._fresh, *([self._executor] if self._executor else [])]
            # shutdown(wait=False) forgets each executor's manager thread without joining it; still
            # running when Python exits, it races concurrent.futures' exit handler, which then
            # prints "Exception ignored ... Bad file descriptor" with a traceback (CPython before
            # 3.12.8, gh-125451). So the threads are kept here and joined once the workers are gone.
            managers = [getattr(executor, "_executor_manager_thread", None) for executor in executors]
            for executor in executors:
                executor.shutdown(wait=False, cancel_futures=True)
            for process in multiprocessing.active_children():
                process.terminate()
            for process in multiprocessing.active_children():
                process.join(timeout=10)
            for thread in managers:
                if thread is not None:
                    thread.join(timeout=10)
        for executor in self._fresh:
            executor.shutdown(wait=True, cancel_futures=kind is not None)
        self._fresh.clear()
        if self._executor is not None:
            # On an error or Ctrl-C, queued tasks are dropped instead of finished first.
            self._executor.shutdown(wait=True, cancel_futures=kind is not None)
            self._executor = None

    def _local(self) -> None:
        if not self._local_ready:
            worker.initialise(self.settings)
            self._local_ready = True

    def executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=multiprocessing.get_context(self.method),
                initializer=start_worker, initargs=(self.settings,))
        return self._executor

    @property
    def working(self) -> bool:
        """Whether worker processes are running (they hold their Saxon processors until `recycle`)."""
        return self._executor is not None

    def recycle(self) -> None:
        """End the workers (after their tasks), so that the next tasks start new ones: the build
        does when every builder has made its part, so that the memory of their Saxon processors,
        stylesheets and schemas is not held beside the volumes being typeset."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    def fresh(self, function: Callable, tasks: list[tuple], processes: int) -> list[Future]:
        """Start big tasks (the volumes), each in a new process that ends after it: Typst keeps what
        it typesets in memory until its process ends. At most `processes` run at once, beside the
        other workers. Returns the futures in the order of `tasks`. Even with one job (on a one-core
        machine, by default) several tasks get processes of their own, for the memory; one task, with
        one job, runs here before this returns."""
        if not tasks:
            return []
        if self.jobs == 1 and len(tasks) == 1:
            self._local()
            future: Future = Future()
            future.set_result(function(*tasks[0]))
            return [future]
        executor = ProcessPoolExecutor(max_workers=max(1, min(processes, len(tasks))),
                                       mp_context=multiprocessing.get_context(self.method),
                                       # 1, not more: with 1 < max_tasks_per_child < tasks, Python
                                       # 3.11-3.14 hang when a process is to be replaced (gh-115634)
                                       max_tasks_per_child=1, initializer=start_worker,
                                       initargs=(self.settings,))
        self._fresh.append(executor)
        return [executor.submit(function, *task) for task in tasks]

    def run(self, function: Callable, tasks: list[tuple], keys: Iterable[Any],
            here: bool = True) -> Iterator[tuple[Any, Any]]:
        """(key, function(*task)) for each task, as each finishes. `here=False`: in a worker even
        with one job (work whose memory the build's own process would keep: Typst's caches)."""
        keys = list(keys)
        if len(tasks) <= 1 or (self.jobs == 1 and here):
            self._local()
            for key, task in zip(keys, tasks):
                yield key, function(*task)
            return
        executor = self.executor()
        pending = {executor.submit(function, *task): key for key, task in zip(keys, tasks)}
        try:
            # as_completed waits on each future once; wait(FIRST_COMPLETED) in a loop set a waiter
            # on every pending future at each call (a thousand tasks: half a million)
            for future in as_completed(list(pending)):
                yield pending.pop(future), future.result()
        finally:
            for future in pending:
                future.cancel()
