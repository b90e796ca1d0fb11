"""Checking files in input order: in this process, or on many cores when there are many.

The process pool lives in loopcheck.parallel, imported only when it is used: a run over a few files
does not pay for importing concurrent.futures and multiprocessing.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterator, Optional, Sequence

from loopcheck.checker import FileResult, Settings, check_target
from loopcheck.files import STDIN, Target

if TYPE_CHECKING:
    from loopcheck.cache import Cache
    from loopcheck.checker import Item

# Below this many files a process pool costs more (interpreter + libcst start-up) than it saves.
PARALLEL_THRESHOLD = 16


def worker_count(jobs: Optional[int], files: int) -> int:
    """`-j N`, or one per core; never more workers than files."""
    return max(1, min(jobs if jobs is not None else (os.cpu_count() or 1), files))


def check_in_order(work: "Sequence[tuple[Item, Optional[Settings]]]", jobs: Optional[int],
                   cache: "Optional[Cache]") -> Iterator[FileResult]:
    targets = [item for item, _ in work if isinstance(item, Target)]
    workers = worker_count(jobs, len(targets))
    if workers > 1 and len(targets) >= PARALLEL_THRESHOLD and all(t.path != STDIN for t in targets):
        from loopcheck.parallel import Parallel

        yield from Parallel(workers, cache).run(work)
        return
    for item, settings in work:
        if isinstance(item, Target) and settings is not None:
            yield check_target(item, settings, cache)
        else:
            yield FileResult("", error=str(item))
