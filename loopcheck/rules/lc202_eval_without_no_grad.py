"""LC202 eval-without-no-grad: an evaluation forward builds an autograd graph nobody uses."""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.rules.phases import forwards


class EvalWithoutNoGrad(Rule):
    """Silent on one-off forwards (outside any loop, or in a loop that stops after its first
    batch): a shape check or a single prediction builds one small graph, freed at once.

    A model in eval mode says "evaluation"; so does a loop over validation or test data
    that uses no gradient (the `evaluation_data` fact), whatever mode the model is in.
    Silent on a module without parameters (hand-written gradients on plain tensors)."""

    code = "LC202"

    def check(self, stream: Stream) -> Iterator[Finding]:
        for view in forwards(stream.events):
            if not view.evaluation:
                continue
            if view.training is not False and not view.event.facts.get("evaluation_data"):
                continue
            # Under an explicit torch.enable_grad() the graph is wanted (classifier guidance,
            # input gradients through autograd.grad).
            if view.event.facts.get("grad_enabled") is not True or view.event.facts.get("one_off") \
                    or view.event.facts.get("parameterless") or view.event.facts.get("grad_asked_for"):
                continue
            label = view.event.label or view.model
            yield self.finding(
                view.event,
                f"{label} runs an evaluation forward with grad enabled: autograd records a graph "
                "for every batch that is never used, costing memory and time",
                fix="wrap the evaluation in `with torch.no_grad():` (or decorate the function with @torch.no_grad())",
            )
