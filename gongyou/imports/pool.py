"""Preparing import batches in other processes while this one writes.

Validating, normalising, hashing and encrypting a row depend on that row alone (and on
reference data cached in memory), so batches are prepared in parallel by forked worker
processes. Everything that touches the database stays in the importing process, in file
order: duplicate checks against earlier rows, the writes and the checkpoint, in one transaction
per batch. A resumed import therefore still never does half a batch or a row twice; a killed
preparer breaks the pool and fails the run, which then resumes from its checkpoint.

The preparers are forked after the reference-data caches are warm and have their database
connections taken away: any database use there raises instead of sharing the parent's socket.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections

Batch = list[tuple[int, dict[str, Any]]]
Item = TypeVar("Item")
Prepare = Callable[[Any, Batch], list[Any]]
PR_SET_PDEATHSIG = 1

# What a forked preparer works with: set in the parent just before the fork.
_STATE: dict[str, Any] = {}
# The parent's connection objects, kept alive in the child so they are never closed from it.
_INHERITED: list[Any] = []


def import_processes() -> int:
    """How many preparer processes an import uses: settings.IMPORT_PROCESSES
    (GONGYOU_IMPORT_PROCESSES), 0 meaning one per CPU; 1 prepares in the importing process."""
    configured = int(getattr(settings, "IMPORT_PROCESSES", 0) or 0)
    return configured if configured > 0 else (os.cpu_count() or 1)


def pool_min_rows() -> int:
    """Below this many rows to go, forking is not worth it."""
    return int(getattr(settings, "IMPORT_POOL_MIN_ROWS", 20_000))


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class DatabaseUseInPreparer(RuntimeError):
    pass


def _no_database(*args: Any, **kwargs: Any) -> None:
    raise DatabaseUseInPreparer("an import preparer must not use the database")


def _die_with_parent() -> None:
    """Linux: the kernel kills this preparer when the importing process dies (even by SIGKILL),
    so no preparer outlives it holding a copy of its database socket."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still applies
        pass


def _child_init(parent: int) -> None:
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    for conn in connections.all(initialized_only=True):
        raw = conn.connection
        if raw is not None and conn.vendor == "postgresql":
            # Close only this process's copy of the socket: nothing is sent on it, and the
            # server sees the session end when the importing process ends, not when we do.
            os.close(raw.fileno())
        _INHERITED.append(raw)  # never collected here, so never "closed" from this process
        conn.connection = None
        conn.connect = _no_database  # type: ignore[method-assign]


def _child_prepare(batch: Batch) -> list[Any]:
    return _STATE["prepare"](_STATE["ctx"], batch)


class Preparer:
    """`map` yields `(item, prepared)` in input order, preparing up to `ahead` batches at once.

    Use as a context manager: leaving it (normally or on an error) stops the processes."""

    def __init__(self, *, prepare: Prepare, ctx: Any, processes: int) -> None:
        self.prepare = prepare
        self.ctx = ctx
        self.processes = processes
        self.executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> Preparer:
        if self.processes > 1 and fork_available():
            _STATE.update(prepare=self.prepare, ctx=self.ctx)
            self.executor = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_child_init,
                initargs=(os.getpid(),),
            )
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        _STATE.clear()

    def map(
        self, items: Iterable[Item], batch_of: Callable[[Item], Batch]
    ) -> Iterator[tuple[Item, list[Any]]]:
        if self.executor is None:
            for item in items:
                yield item, self.prepare(self.ctx, batch_of(item))
            return
        ahead = 2 * self.processes  # bounded: memory stays flat whatever the file size
        pending: deque[tuple[Item, Future[list[Any]]]] = deque()
        for item in items:
            pending.append((item, self.executor.submit(_child_prepare, batch_of(item))))
            if len(pending) >= ahead:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
