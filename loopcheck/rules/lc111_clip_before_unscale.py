"""LC111 clip-before-unscale: gradients clipped while still multiplied by the loss scale.

Static: the matches of loopcheck.static.patterns. Runtime: the clips the watcher saw before
an enabled GradScaler stepped their optimizer (loopcheck.runtime.amp_checks), END fact
"clip_before_unscale": (location, clip function, scaler, optimizer, count) tuples.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from loopcheck.events import Stream
from loopcheck.findings import Finding
from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.rules.run_facts import run_fact
from loopcheck.static.notes import PatternMatch


class ClipBeforeUnscale(PatternRule):
    code = "LC111"

    def check(self, stream: Stream) -> Iterator[Finding]:
        yield from super().check(stream)
        for location, function, scaler, optimizer, count in run_fact(stream, "clip_before_unscale"):
            match = PatternMatch(self.code, location, scaler, function)
            message = f"{self.message(match)} ({scaler}.step({optimizer}) follows without {scaler}.unscale_())"
            yield replace(self.finding(location, message, self.fix(match)), count=count)

    def message(self, match: PatternMatch) -> str:
        return (f"{match.detail}() runs on gradients still multiplied by {match.subject}'s loss scale "
                f"(65536 by default): the threshold is compared with scaled gradients, so clipping shrinks "
                "every update by the scale factor")

    def fix(self, match: PatternMatch) -> str:
        return f"call {match.subject}.unscale_(optimizer) right before clipping"
