"""LC109 softmax-before-cross-entropy: probabilities given to a loss that wants logits or log-probabilities."""
from __future__ import annotations

from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.static.notes import PatternMatch


class SoftmaxBeforeCrossEntropy(PatternRule):
    code = "LC109"

    def message(self, match: PatternMatch) -> str:
        if match.subject in ("NLLLoss", "nll_loss"):
            return (f"{match.subject} expects log-probabilities, but its input comes out of softmax: the loss "
                    "is -p instead of -log p, and its gradients are far too weak to train the classifier")
        return (f"{match.subject} applies log_softmax itself, but its input already comes out of softmax: "
                "softmax is applied twice, the loss barely moves and the gradients vanish")

    def fix(self, match: PatternMatch) -> str:
        if match.subject in ("NLLLoss", "nll_loss"):
            return "use log_softmax (or give the logits to CrossEntropyLoss)"
        return "give the raw logits to the loss; apply softmax only for predictions and metrics"
