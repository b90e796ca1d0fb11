"""LC104 scheduler-before-optimizer: the LR scheduler steps before the optimizer's first step."""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Event, Kind, Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule


def _steps_for(event: Event, scheduler: Event) -> bool:
    if event.kind is not Kind.STEP:
        return False
    return scheduler.optimizers is None or event.target in scheduler.optimizers


class SchedulerBeforeOptimizer(Rule):
    code = "LC104"

    def check(self, stream: Stream) -> Iterator[Finding]:
        events = stream.events
        reported: set[str] = set()
        for index, event in enumerate(events):
            if event.kind is not Kind.SCHEDULER_STEP or event.target in reported:
                continue
            earlier = events[:index]
            if any(_steps_for(e, event) for e in earlier):
                continue
            if any(e.kind is Kind.OPAQUE and (event.optimizers is None or bool(e.optimizers is None
                   or e.optimizers & event.optimizers)) for e in earlier):
                continue
            if not any(_steps_for(e, event) for e in events[index + 1:]):
                continue
            reported.add(event.target)
            name = event.label or event.target
            yield self.finding(
                event,
                f"{name}.step() runs before the optimizer's first step(): the first value of the "
                "learning-rate schedule is skipped (PyTorch >= 1.1 expects optimizer.step() first)",
                fix=f"call {name}.step() after optimizer.step() (per batch) or at the end of the epoch",
            )
