"""LC115 backward-without-step: gradients are computed every batch and no optimizer uses them."""
from __future__ import annotations

from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.static.notes import PatternMatch


class BackwardWithoutStep(PatternRule):
    code = "LC115"

    def message(self, match: PatternMatch) -> str:
        return (f"{match.subject}.backward() computes gradients in a loop, but {match.detail} never "
                "steps: the weights never change and the model does not train")

    def fix(self, match: PatternMatch) -> str:
        return "call optimizer.step() after backward() in each iteration"
