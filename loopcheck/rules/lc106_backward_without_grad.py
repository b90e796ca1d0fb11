"""LC106 backward-without-grad: backward() on a value with no path to any parameter."""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Kind, Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule


class BackwardWithoutGrad(Rule):
    code = "LC106"

    def check(self, stream: Stream) -> Iterator[Finding]:
        for event in stream.events:
            if event.kind is not Kind.BACKWARD or not event.facts.get("graphless"):
                continue
            if event.facts.get("trains") is False:
                continue   # gradients for their own sake (saliency, adversarial inputs): not training
            why = event.facts.get("why", "it was computed under no_grad() or from detached values")
            yield self.finding(
                event,
                f"backward() on a tensor with no autograd graph: {why}; no parameter can receive "
                "a gradient (PyTorch raises 'element 0 of tensors does not require grad')",
                fix="compute the loss outside torch.no_grad()/inference_mode() and without .detach()",
            )
