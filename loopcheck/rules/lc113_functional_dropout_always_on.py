"""LC113 functional-dropout-always-on: F.dropout without training= ignores eval()."""
from __future__ import annotations

from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.static.notes import PatternMatch


class FunctionalDropoutAlwaysOn(PatternRule):
    code = "LC113"

    def message(self, match: PatternMatch) -> str:
        return (f"F.{match.detail}() defaults to training=True and does not follow the module's mode: "
                "dropout stays on after model.eval(), so validation and inference are noisy and worse")

    def fix(self, match: PatternMatch) -> str:
        return f"pass training=self.training (or use an nn.{match.detail.capitalize()} layer)"
