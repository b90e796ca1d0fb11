"""The recorded stream: what really happened, stored compactly enough for a long run.

A training loop repeats the same few events thousands of times. Storing each one would
make memory and rule evaluation grow with the run, so the recorder keeps

* interned events: an event that recurs (same kind, site, target and facts) is one object;
* run-length compression of identical consecutive forwards (an evaluation loop): at most
  two copies are stored, the second with a multiplier;
* folding of repeated iterations: the stream is cut into segments after every optimizer
  step; once a block of 1-4 segments has been stored twice in a row, further repeats of
  it add to the multipliers of the second copy instead of being stored.

Every rule looks at most one or two iterations back or ahead (the previous step, the last
clear, the next backward), and the stored stream keeps at least two copies of each
repeated block, so rules see the same neighbourhood around every stored event as in the
full stream. A finding on a stored event counts as often as the event's multiplier.
"""
from __future__ import annotations

from collections import deque
from operator import add, is_
from dataclasses import dataclass, field
from typing import Any, Optional

from loopcheck.events import Event, Kind
from loopcheck.findings import Location

# Enum attribute access costs ~170 ns on Python 3.11; the hot paths use these.
_FORWARD = Kind.FORWARD
_STEP = Kind.STEP


MAX_PERIOD = 4          # longest repeated block (in segments) that is folded
OPEN_SEGMENT_CAP = 2048  # cut a segment without steps (inference) so it can fold too
MAX_STORED = 20_000      # hard cap (rule evaluation is superlinear): beyond it events are counted, not stored
LOG_HEAD = 200
LOG_TAIL = 200


@dataclass(frozen=True)
class SeqLocation(Location):
    """A Location that also knows the stored position of its event.

    `seq` is excluded from comparison and hashing, so rules keying by location behave
    exactly as with plain locations; the watcher reads it back to weight each finding
    by the multiplier of the event it was reported on.
    """

    seq: int = field(default=-1, compare=False)


@dataclass
class _Segment:
    sig: tuple[int, ...]
    events: list[Event]
    mult: list[int]


class Recorder:
    def __init__(self, compress: bool = True) -> None:
        self.compress = compress  # False only in tests: store every event, for comparison
        self._intern: dict[tuple, Event] = {}
        self._segments: list[_Segment] = []
        self._open_events: list[Event] = []
        self._open_mult: list[int] = []
        self._pending: list[_Segment] = []
        self._period = 0          # p while folding a block of p segments, else 0
        self._base = 0            # index of the block's first stored segment
        self._stored = 0
        self.truncated = False
        self.total = 0
        # The log keeps events only: the head holds positions 1..len(head), the tail the
        # last len(tail) positions (no tuple per event).
        self._head: list[Event] = []
        self._tail: deque[Event] = deque(maxlen=LOG_TAIL)

    # -- recording ---------------------------------------------------------------------

    def event(self, kind: Kind, location: Location, target: str = "",
              optimizers: Optional[frozenset[str]] = None, facts: tuple = ()) -> Event:
        """The interned event for these values; `facts` is a tuple of (key, value) pairs
        with hashable values so that the lookup needs no dict construction."""
        key = (kind, id(location), target, optimizers, facts)
        event = self._intern.get(key)
        if event is None:
            event = Event(kind, location, target=target, optimizers=optimizers, facts=dict(facts))
            self._intern[key] = event
        return event

    def record(self, kind: Kind, location: Location, target: str = "",
               optimizers: Optional[frozenset[str]] = None, facts: tuple = ()) -> Event:
        """event() + append() in one call (the hot path: append is inlined)."""
        key = (kind, id(location), target, optimizers, facts)
        event = self._intern.get(key)
        if event is None:
            event = Event(kind, location, target=target, optimizers=optimizers, facts=dict(facts))
            self._intern[key] = event
        self.total = total = self.total + 1
        if total > LOG_HEAD:
            self._tail.append(event)
        else:
            self._head.append(event)
        if self.truncated:
            return event
        events = self._open_events
        if (kind is _FORWARD and len(events) >= 2 and events[-1] is event
                and events[-2] is event and self.compress):
            self._open_mult[-1] += 1
            return event
        events.append(event)
        self._open_mult.append(1)
        self._stored = stored = self._stored + 1
        if kind is _STEP or len(events) >= OPEN_SEGMENT_CAP:
            self._close()
            stored = self._stored
        if stored >= MAX_STORED:
            self.truncated = True
        return event

    def append(self, event: Event) -> None:
        self.total = total = self.total + 1
        if total <= LOG_HEAD:
            self._head.append(event)
        else:
            self._tail.append(event)
        if self.truncated:
            return
        events, mult = self._open_events, self._open_mult
        if (self.compress and event.kind is _FORWARD and len(events) >= 2
                and events[-1] is event and events[-2] is event):
            mult[-1] += 1
            return
        events.append(event)
        mult.append(1)
        self._stored += 1
        if event.kind is _STEP or len(events) >= OPEN_SEGMENT_CAP:
            self._close()
        if self._stored >= MAX_STORED:
            self.truncated = True

    def _close(self) -> None:
        events, mult = self._open_events, self._open_mult
        if self._period == 1:
            # The steady state of a simple loop: the closed segment repeats the block's
            # only segment. Fold it in place (as _fold would) and reuse the open lists.
            expected = self._segments[self._base]
            if len(events) == len(expected.events) and all(map(is_, events, expected.events)):
                expected.mult[:] = map(add, expected.mult, mult)
                self._stored -= len(events)
                events.clear()
                mult.clear()
                return
        self._open_events, self._open_mult = [], []
        segment = _Segment(tuple(map(id, events)), events, mult)
        if self._period:
            expected = self._segments[self._base + len(self._pending)]
            if segment.sig == expected.sig:
                self._pending.append(segment)
                if len(self._pending) == self._period:
                    self._fold()
                return
            self._flush_pending()
        self._start_or_store(segment)

    def _start_or_store(self, segment: _Segment) -> None:
        segments = self._segments
        for period in range(1, (MAX_PERIOD if self.compress else 0) + 1):
            if len(segments) < 2 * period:
                break
            if segment.sig != segments[-period].sig:
                continue
            if all(segments[-i].sig == segments[-i - period].sig for i in range(1, period + 1)):
                self._period, self._base = period, len(segments) - period
                self._pending = [segment]
                if period == 1:
                    self._fold()
                return
        segments.append(segment)

    def _fold(self) -> None:
        for offset, segment in enumerate(self._pending):
            target = self._segments[self._base + offset]
            for i, count in enumerate(segment.mult):
                target.mult[i] += count
        self._stored -= sum(len(s.events) for s in self._pending)
        self._pending = []

    def _flush_pending(self) -> None:
        self._segments.extend(self._pending)
        self._pending = []
        self._period = 0

    # -- reading -----------------------------------------------------------------------

    def stored(self) -> tuple[list[Event], list[int]]:
        """The stored stream and the multiplier of each event (a snapshot: recording
        may continue afterwards)."""
        events: list[Event] = []
        mult: list[int] = []
        for segment in self._segments + self._pending:
            events.extend(segment.events)
            mult.extend(segment.mult)
        events.extend(self._open_events)
        mult.extend(self._open_mult)
        return events, mult

    def log(self) -> list[tuple[int, Event]]:
        """The first and last events in recording order, with their 1-based position."""
        head = [(i, event) for i, event in enumerate(self._head, 1)]
        first = self.total - len(self._tail) + 1
        return head + [(i, event) for i, event in enumerate(self._tail, first)]

    def distinct(self) -> int:
        return len(self._intern)


def describe(event: Event) -> dict[str, Any]:
    """A JSON-friendly copy of an event (for the report's timeline)."""
    loc = event.location
    return {
        "kind": event.kind.value,
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "target": event.target,
        "label": event.label,
        "optimizers": sorted(event.optimizers) if event.optimizers is not None else None,
        "facts": {k: (list(v) if isinstance(v, tuple) else v) for k, v in event.facts.items()},
    }
