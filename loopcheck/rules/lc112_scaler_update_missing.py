"""LC112 scaler-update-missing: a GradScaler steps but its scale is never updated.

Static: the matches of loopcheck.static.patterns. Runtime: steps of an enabled GradScaler
with no update() before its next step of the same optimizer, or before the end of a run that
never called it (loopcheck.runtime.amp_checks), END fact "scaler_update_missing":
(location, scaler, optimizer, count) tuples.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from loopcheck.events import Stream
from loopcheck.findings import Finding
from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.rules.run_facts import run_fact
from loopcheck.static.notes import PatternMatch


class ScalerUpdateMissing(PatternRule):
    code = "LC112"

    def check(self, stream: Stream) -> Iterator[Finding]:
        yield from super().check(stream)
        for location, scaler, optimizer, count in run_fact(stream, "scaler_update_missing"):
            message = (f"{scaler}.step({optimizer}) is not followed by {scaler}.update() before its next step "
                       f"or the end of the run: the next {scaler}.step() raises \"step() has already been called "
                       "since the last update()\", and the loss scale never adapts")
            match = PatternMatch(self.code, location, scaler)
            yield replace(self.finding(location, message, self.fix(match)), count=count)

    def message(self, match: PatternMatch) -> str:
        return (f"{match.subject}.step() is never followed by {match.subject}.update(): once the scaler is "
                "enabled the second iteration raises \"step() has already been called since the last "
                "update()\", and the loss scale never adapts")

    def fix(self, match: PatternMatch) -> str:
        return f"call {match.subject}.update() after {match.subject}.step(optimizer) in every iteration"
