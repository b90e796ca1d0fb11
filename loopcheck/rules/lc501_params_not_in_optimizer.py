"""LC501 params-not-in-optimizer: parameters receive gradients but no optimizer updates them.

Runtime only: the watcher attaches the offending parameters to the END event
(facts["params_not_in_optimizer"]: (model label, parameter names) pairs).
"""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Kind, Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule


def _shown(names: "tuple[str, ...]") -> str:
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


class ParamsNotInOptimizer(Rule):
    code = "LC501"

    def check(self, stream: Stream) -> Iterator[Finding]:
        events = stream.events
        end = next((e for e in reversed(events) if e.kind is Kind.END), None)
        if end is None or not end.facts.get("params_not_in_optimizer"):
            return
        # Reported where gradients are produced: the first backward of the run.
        anchor = next((e for e in events if e.kind is Kind.BACKWARD and not e.facts.get("graphless")), end)
        for model, names in end.facts["params_not_in_optimizer"]:
            yield self.finding(
                anchor,
                f"{len(names)} parameter{'s' if len(names) != 1 else ''} of {model} receive gradients "
                f"but belong to no optimizer ({_shown(tuple(f'{model}.{n}' for n in names))}): they are "
                "never updated, and their gradients are never cleared and keep accumulating",
                fix="build the optimizer from model.parameters() (or add_param_group() the missing ones), "
                "or freeze them with requires_grad_(False)",
            )
