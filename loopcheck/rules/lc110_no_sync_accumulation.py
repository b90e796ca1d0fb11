"""LC110 no-sync-accumulation: DDP all-reduces gradients on every accumulation micro-batch."""
from __future__ import annotations

from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.static.notes import PatternMatch


class NoSyncAccumulation(PatternRule):
    code = "LC110"

    def message(self, match: PatternMatch) -> str:
        return (f"{match.subject}.backward() runs on every micro-batch of gradient accumulation while "
                f"{match.detail} steps only every few batches: under DistributedDataParallel each of these "
                "backwards all-reduces the gradients across processes, though only the last one before "
                "the step needs to")

    def fix(self, match: PatternMatch) -> str:
        return ("run the backwards of non-step iterations inside `with model.no_sync():` "
                "(or use accelerate's `accelerator.accumulate(model)`)")
