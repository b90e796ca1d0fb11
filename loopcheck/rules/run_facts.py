"""What the runtime watcher attaches to the END event about the whole run (static streams
carry none of it, so the rules reading it stay silent there)."""
from __future__ import annotations

from typing import Any

from loopcheck.events import Kind, Stream
from loopcheck.findings import Location


def run_fact(stream: Stream, key: str) -> tuple[Any, ...]:
    for event in reversed(stream.events):
        if event.kind is Kind.END:
            return event.facts.get(key) or ()
    return ()


def plain(location: Location) -> Location:
    """The location without its stored position: a finding on it counts once, not as often as
    the event it is anchored at was repeated."""
    return Location(location.path, location.line, location.column, location.end_line, location.end_column,
                    location.cell)
