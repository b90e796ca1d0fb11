"""LC107 optimizer-in-loop: a new optimizer is built for every step, resetting its state."""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Kind, Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule


class OptimizerInLoop(Rule):
    """Two constructions at the same site with at most one step of theirs in between:
    the optimizer lives for a single step. Recreating it per stage or per epoch
    (many steps apart) is a legitimate schedule and stays silent."""

    code = "LC107"

    def check(self, stream: Stream) -> Iterator[Finding]:
        events = stream.events
        last_at: dict[object, int] = {}
        reported: set[object] = set()
        for index, event in enumerate(events):
            if event.kind is not Kind.OPTIMIZER_CREATED:
                continue
            site = event.location
            before = last_at.get(site)
            last_at[site] = index
            if before is None or site in reported or not event.unconditional:
                continue
            made_here = {events[before].target, event.target}
            steps = sum(1 for e in events[before + 1:index] if e.kind is Kind.STEP and e.target in made_here)
            if steps > 1:
                continue
            reported.add(site)
            yield self.finding(
                event,
                "the optimizer is constructed inside the training loop: every iteration starts "
                "from a fresh optimizer, so momentum, Adam moments and LR-schedule state are lost",
                fix="construct the optimizer once, before the loop",
            )
