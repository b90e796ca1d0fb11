"""LC102 zero-grad-between-backward-and-step: gradients are wiped between backward and step."""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.rules.gradients import backward_before, starved_steps


class ZeroGradBetweenBackwardAndStep(Rule):
    code = "LC102"

    def check(self, stream: Stream) -> Iterator[Finding]:
        events = stream.events
        for optimizer, step, clear, step_came_first in starved_steps(events):
            if step_came_first or not backward_before(events, clear, optimizer):
                continue
            event = events[clear]
            name = events[step].label or optimizer
            yield self.finding(
                event,
                f"{event.facts.get('call', 'zero_grad()')} runs after backward() and before "
                f"{name}.step(): the gradients are wiped before the step can use them, so the "
                "model never learns",
                fix="clear gradients before loss.backward() (or after optimizer.step()), never between them",
            )
