"""LC115 backward-without-step: gradients are computed every batch and no optimizer uses them.

Static: the matches of loopcheck.static.patterns. Runtime: optimizers whose parameters
backward passes fed in a run that ended normally with no optimizer step at all
(loopcheck.runtime.no_step), END fact "backward_without_step": (optimizer token, label,
backward passes) triples; reported at the first backward that fed the optimizer, and only
when the models trained through ran in train mode (backward through a model in eval mode is
attribution or an adversarial example, not training).
"""
from __future__ import annotations

from typing import Iterator

from loopcheck.events import Kind, Stream
from loopcheck.findings import Finding
from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.rules.phases import forwards
from loopcheck.rules.run_facts import plain, run_fact
from loopcheck.static.notes import PatternMatch


class BackwardWithoutStep(PatternRule):
    code = "LC115"

    def check(self, stream: Stream) -> Iterator[Finding]:
        yield from super().check(stream)
        found = run_fact(stream, "backward_without_step")
        if not found:
            return
        events = stream.events
        modes = {view.training for view in forwards(events) if view.trained}
        if modes != {True}:
            return  # no model seen training, or one trained through in eval mode (or unknown)
        for token, optimizer, backwards in found:
            anchor = next((e for e in events if e.kind is Kind.BACKWARD and e.optimizers
                           and token in e.optimizers), None)
            if anchor is None:
                continue
            yield self.finding(
                plain(anchor.location),
                f"{backwards} backward passes put gradients into the parameters of {optimizer}, but no "
                "optimizer stepped while the loop ran: the weights never changed and the model did not train",
                fix="call optimizer.step() after backward() in each iteration (or every k backward passes "
                "with gradient accumulation)",
            )

    def message(self, match: PatternMatch) -> str:
        return (f"{match.subject}.backward() computes gradients in a loop, but {match.detail} never "
                "steps: the weights never change and the model does not train")

    def fix(self, match: PatternMatch) -> str:
        return "call optimizer.step() after backward() in each iteration"
