"""LC113 functional-dropout-always-on: F.dropout without training= ignores eval()."""
from __future__ import annotations

from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.static.idioms import FUNCTIONAL_DROPOUTS
from loopcheck.static.notes import PatternMatch


class FunctionalDropoutAlwaysOn(PatternRule):
    code = "LC113"

    def message(self, match: PatternMatch) -> str:
        if not FUNCTIONAL_DROPOUTS[match.detail][1]:
            return (f"F.{match.detail}() defaults to training=False and does not follow the module's mode: "
                    "it never drops, not even in training, so the model trains without the regularisation "
                    "it asks for")
        return (f"F.{match.detail}() defaults to training=True and does not follow the module's mode: "
                "dropout stays on after model.eval(), so validation and inference are noisy and worse")

    def fix(self, match: PatternMatch) -> str:
        return f"pass training=self.training (or use an nn.{FUNCTIONAL_DROPOUTS[match.detail][0]} layer)"
