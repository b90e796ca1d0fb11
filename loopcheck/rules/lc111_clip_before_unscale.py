"""LC111 clip-before-unscale: gradients clipped while still multiplied by the loss scale."""
from __future__ import annotations

from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.static.notes import PatternMatch


class ClipBeforeUnscale(PatternRule):
    code = "LC111"

    def message(self, match: PatternMatch) -> str:
        return (f"{match.detail}() runs on gradients still multiplied by {match.subject}'s loss scale "
                f"(65536 by default): the threshold is compared with scaled gradients, so clipping shrinks "
                "every update by the scale factor")

    def fix(self, match: PatternMatch) -> str:
        return f"call {match.subject}.unscale_(optimizer) right before clipping"
