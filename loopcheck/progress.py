"""A progress bar for long runs, on a terminal only: never in pipes, files or CI logs."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterable, Iterator, TypeVar

import click

T = TypeVar("T")
THRESHOLD = 300     # below this many files a run takes a second or two: a bar would only flicker


def _stderr_isatty() -> bool:
    return sys.stderr.isatty()


def wanted(files: int) -> bool:
    if files <= THRESHOLD or not _stderr_isatty():
        return False
    # CI runners often allocate a pseudo-terminal; a bar there turns into thousands of log lines.
    return not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


@contextmanager
def track(items: Iterable[T], length: int) -> Iterator[Iterable[T]]:
    if not wanted(length):
        yield items
        return
    with click.progressbar(items, length=length, label="Checking", file=sys.stderr,
                           show_pos=True, show_eta=False) as bar:
        yield bar
