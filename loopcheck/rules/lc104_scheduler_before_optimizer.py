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
        # One pass each way instead of slicing the stream around every scheduler step:
        # the last position of a step per optimizer (and of any step) answers "does a
        # step follow", running sets of what came before answer "did one precede".
        last_step: dict[str, int] = {}
        last_any_step = -1
        for index, event in enumerate(events):
            if event.kind is Kind.STEP:
                last_step[event.target] = index
                last_any_step = index
        reported: set[str] = set()
        steps_before: set[str] = set()   # targets of the STEP events before `index`
        opaque_before = False            # some OPAQUE event before `index`
        opaque_unknown = False           # ... one that may touch any optimizer
        opaque_optimizers: set[str] = set()
        for index, event in enumerate(events):
            kind = event.kind
            if kind is Kind.STEP:
                steps_before.add(event.target)
                continue
            if kind is Kind.OPAQUE:
                opaque_before = True
                if event.optimizers is None:
                    opaque_unknown = True
                else:
                    opaque_optimizers |= event.optimizers
                continue
            if kind is not Kind.SCHEDULER_STEP or event.target in reported:
                continue
            if event.facts.get("fast_forward"):
                continue   # resuming: the schedule is advanced past the epochs already trained, on purpose
            optimizers = event.optimizers
            if optimizers is None:
                if steps_before:
                    continue
                if opaque_before:
                    continue
                if last_any_step <= index:
                    continue
            else:
                if not steps_before.isdisjoint(optimizers):
                    continue
                if opaque_unknown or not opaque_optimizers.isdisjoint(optimizers):
                    continue
                if not any(last_step.get(target, -1) > index for target in optimizers):
                    continue
            reported.add(event.target)
            name = event.label or event.target
            yield self.finding(
                event,
                f"{name}.step() runs before the optimizer's first step(): the first value of the "
                "learning-rate schedule is skipped (PyTorch >= 1.1 expects optimizer.step() first)",
                fix=f"call {name}.step() after optimizer.step() (per batch) or at the end of the epoch",
            )
