"""Checking many files on many cores, with results streaming back in input order.

The main process walks the files in order, reads each one and answers it from the cache when it
can; the rest go to worker processes. A result is handed on as soon as it and every result before
it are done, so output starts with the first file, not after the last one. At most
WINDOW_PER_WORKER files per worker are in flight, which bounds memory on any tree.

A worker that dies (a segfault in a native parser, the kernel's out-of-memory killer) breaks the
whole process pool. The files that were in flight are then checked again one by one, each in a
fresh process of its own: the one that kills its process again is reported as not checkable, and
the run goes on with a new pool for the rest.

Imported only by a run that uses workers (`loopcheck.pool`): importing concurrent.futures and
multiprocessing costs about 20 ms of CPU, a tenth of a one-file run.
"""
from __future__ import annotations

import signal
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Optional, Sequence

from loopcheck.checker import FileResult, Settings, cache_key, cached, check_data
from loopcheck.files import Target, UnreadableFile, read_bytes

if TYPE_CHECKING:
    from loopcheck.cache import Cache
    from loopcheck.checker import Item

WINDOW_PER_WORKER = 8


@dataclass
class _Slot:
    """One file on its way: a result already known, or a future, with what it needs to run again."""

    target: Optional[Target]
    settings: Optional[Settings]
    data: bytes = b""
    result: Optional[FileResult] = None
    future: "Optional[Future[FileResult]]" = None

    def ready(self) -> bool:
        return self.result is not None or (self.future is not None and self.future.done())


class Parallel:
    """One run's worker processes and the window of files in flight, handed back in input order."""

    def __init__(self, workers: int, cache: "Optional[Cache]") -> None:
        self.workers, self.cache = workers, cache
        self.pool = _new_pool(workers)
        self.window: deque[_Slot] = deque()

    def run(self, work: "Sequence[tuple[Item, Optional[Settings]]]") -> Iterator[FileResult]:
        finished = False
        try:
            for item, settings in work:
                self.window.append(self._start(item, settings))
                while self.window and (self.window[0].ready() or len(self.window) > self.workers * WINDOW_PER_WORKER):
                    yield self._finish(self.window.popleft())
            while self.window:
                yield self._finish(self.window.popleft())
            finished = True
        finally:
            _stop(self.pool, wait=finished)

    def _start(self, item: "Item", settings: Optional[Settings]) -> _Slot:
        if not isinstance(item, Target) or settings is None:
            return _Slot(None, None, result=FileResult("", error=str(item)))
        try:
            data = read_bytes(item)
        except UnreadableFile as error:
            return _Slot(item, settings, result=FileResult(item.display, error=str(error), path=item.path))
        key = cache_key(item, settings, data, self.cache)
        hit = cached(item, self.cache, key)
        if hit is not None:
            return _Slot(item, settings, result=hit)
        slot = _Slot(item, settings, data)
        try:
            slot.future = self.pool.submit(check_data, item, settings, data, self.cache, key)
        except BrokenProcessPool:
            # A worker died while files were still being handed out: a fast machine notices that
            # before the window is full.
            self._recover()
            slot.future = self.pool.submit(check_data, item, settings, data, self.cache, key)
        return slot

    def _finish(self, slot: _Slot) -> FileResult:
        if slot.result is None:
            assert slot.future is not None
            try:
                slot.result = slot.future.result()
            except BrokenProcessPool:
                self._recover(slot)
        assert slot.result is not None
        return slot.result

    def _recover(self, *broken: _Slot) -> None:
        """Check every file that was in flight alone, then carry on with a fresh pool."""
        _stop(self.pool, wait=False)
        for slot in (*broken, *self.window):
            if slot.result is None and slot.future is not None:
                if _succeeded(slot.future):
                    slot.result = slot.future.result()
                else:
                    slot.result = _alone(slot)
        self.pool = _new_pool(self.workers)


def _succeeded(future: "Future[FileResult]") -> bool:
    # Stopping the broken pool cancels the files it had not started, and asking a cancelled
    # future for its exception raises: those files are checked again like the ones that failed.
    return future.done() and not future.cancelled() and future.exception() is None


def _alone(slot: _Slot) -> FileResult:
    assert slot.target is not None and slot.settings is not None
    pool = _new_pool(1)
    try:
        return pool.submit(check_data, slot.target, slot.settings, slot.data).result()
    except BrokenProcessPool:
        return FileResult(slot.target.display, path=slot.target.path,
                          error=f"{slot.target.display}: the analyser crashed on this file "
                                "(its process died); not checked")
    finally:
        _stop(pool, wait=False)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)


def _ignore_interrupts() -> None:
    # Ctrl-C reaches every process of the terminal's group: the main process stops the workers,
    # which must not each print a traceback of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(pool: ProcessPoolExecutor, wait: bool) -> None:
    if wait:
        pool.shutdown(wait=True)
        return
    # Interrupted or broken: do not wait for files in flight. The executor has no public way to
    # end its workers, hence the private `_processes`.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
