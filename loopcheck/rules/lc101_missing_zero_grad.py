"""LC101 missing-zero-grad: a step applies gradients that an earlier step already used."""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.rules.gradients import (
    any_between, is_backward, is_opaque, is_step, models_cleared_between, optimizers_in, previous, resets_gradients,
)


class MissingZeroGrad(Rule):
    code = "LC101"

    def check(self, stream: Stream) -> Iterator[Finding]:
        events = stream.events
        for optimizer in optimizers_in(events):
            for index, event in enumerate(events):
                if not is_step(event, optimizer):
                    continue
                before = previous(events, index, optimizer, is_step)
                if before is None:
                    continue
                if any_between(events, before, index, optimizer, resets_gradients):
                    continue
                if any_between(events, before, index, optimizer, is_opaque):
                    continue
                models = event.facts.get("models")
                if models and models <= models_cleared_between(events, before, index):
                    continue
                if not any_between(events, before, index, optimizer, is_backward):
                    continue
                name = event.label or optimizer
                yield self.finding(
                    event,
                    f"{event.facts.get('call', name + '.step()')} applies gradients accumulated over every "
                    f"previous batch: {name}.zero_grad() is never called between two steps, so each "
                    "backward() adds to the gradients the last step already used",
                    fix=f"call {name}.zero_grad() once per step, before loss.backward() "
                    "(or after step())",
                )
