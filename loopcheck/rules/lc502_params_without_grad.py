"""LC502 params-without-grad: optimizer parameters that never receive a gradient.

Runtime only: the watcher attaches, per optimizer that stepped, the parameters that
require grad but never held one to the END event (facts["params_without_grad"]:
(optimizer token, optimizer label, parameter names) triples). Parameters frozen with
requires_grad=False are never listed.
"""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Kind, Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule


class ParamsWithoutGrad(Rule):
    code = "LC502"

    def check(self, stream: Stream) -> Iterator[Finding]:
        events = stream.events
        end = next((e for e in reversed(events) if e.kind is Kind.END), None)
        if end is None or not end.facts.get("params_without_grad"):
            return
        for token, label, names in end.facts["params_without_grad"]:
            # Reported at the optimizer's first step: the update that skips those parameters.
            anchor = next((e for e in events if e.kind is Kind.STEP and e.target == token), None) \
                or next((e for e in events if e.kind is Kind.OPTIMIZER_CREATED and e.target == token), end)
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            yield self.finding(
                anchor,
                f"{len(names)} parameter{'s' if len(names) != 1 else ''} in {label} never received a "
                f"gradient although {'they require' if len(names) != 1 else 'it requires'} one ({shown}): "
                "a layer unused in forward, a detached branch, or a dead head",
                fix="use the layer in the loss, remove it from the optimizer, or freeze it with requires_grad_(False)",
            )
