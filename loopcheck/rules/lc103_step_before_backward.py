"""LC103 step-before-backward: the step runs before backward, on gradients already cleared."""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.rules.gradients import following, is_backward, is_clear, starved_steps


class StepBeforeBackward(Rule):
    code = "LC103"

    def check(self, stream: Stream) -> Iterator[Finding]:
        events = stream.events
        for optimizer, step, _clear, step_came_first in starved_steps(events):
            if not step_came_first:
                continue
            backward = following(events, step, optimizer, is_backward)
            if backward is None:
                continue
            next_clear = following(events, step, optimizer, is_clear)
            if next_clear is not None and next_clear < backward:
                continue
            event = events[step]
            name = event.label or optimizer
            yield self.finding(
                event,
                f"{event.facts.get('call', name + '.step()')} runs before loss.backward() in the "
                "iteration: it steps on gradients that were just cleared, and the gradients "
                "backward() computes are cleared before any step uses them",
                fix="order each iteration as zero_grad() -> forward -> loss.backward() -> step()",
            )
