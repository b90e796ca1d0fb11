"""LC112 scaler-update-missing: a GradScaler steps but its scale is never updated."""
from __future__ import annotations

from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.static.notes import PatternMatch


class ScalerUpdateMissing(PatternRule):
    code = "LC112"

    def message(self, match: PatternMatch) -> str:
        return (f"{match.subject}.step() is never followed by {match.subject}.update(): once the scaler is "
                "enabled the second iteration raises \"step() has already been called since the last "
                "update()\", and the loss scale never adapts")

    def fix(self, match: PatternMatch) -> str:
        return f"call {match.subject}.update() after {match.subject}.step(optimizer) in every iteration"
