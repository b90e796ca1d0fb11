"""LC114 epoch-scheduler-per-batch: a schedule counted in epochs stepped every batch."""
from __future__ import annotations

from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.static.notes import PatternMatch


class EpochSchedulerPerBatch(PatternRule):
    code = "LC114"

    def message(self, match: PatternMatch) -> str:
        return (f"{match.subject} is a {match.detail} whose schedule is counted in epochs, but it steps "
                "once per batch: the whole schedule runs out within the first epochs (the learning rate "
                "decays to almost nothing, or cycles every few batches)")

    def fix(self, match: PatternMatch) -> str:
        return (f"call {match.subject}.step() once per epoch, after the batch loop (or count the schedule "
                "in steps: len(loader) * epochs)")
