"""LC108 sampler-set-epoch-missing: a DistributedSampler never told which epoch it is."""
from __future__ import annotations

from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.static.notes import PatternMatch


class SamplerSetEpochMissing(PatternRule):
    code = "LC108"

    def message(self, match: PatternMatch) -> str:
        # detail: why its epoch never changes (static: no set_epoch() call in view)
        why = match.detail or "nothing in this file calls set_epoch()"
        return (f"this DistributedSampler shuffles with a seed derived from its epoch, and {why}: "
                "every epoch visits the data in the same order")

    def fix(self, match: PatternMatch) -> str:
        return "call sampler.set_epoch(epoch) at the start of each epoch, before iterating the loader"
