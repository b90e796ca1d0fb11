"""LC601 loss-shape-broadcast: a regression loss whose input and target broadcast to a bigger shape.

Static: the matches of loopcheck.static.patterns, an (N, 1) prediction against a 1-D target or
the reverse, where both shapes are in view (detail: "input" or "target", the (N, 1) side).
Runtime: the watcher attaches the calls it saw to the END event (facts["loss_broadcasts"], see
loopcheck.runtime.loss_shapes.LossShapes.facts).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator, Optional

from loopcheck.events import Kind, Stream
from loopcheck.findings import Finding
from loopcheck.rules.pattern_rule import PatternRule
from loopcheck.static.notes import PatternMatch


def _shape(shape: "tuple[int, ...]") -> str:
    return f"({shape[0]},)" if len(shape) == 1 else f"({', '.join(map(str, shape))})"


def _message(loss: str, given: str, target: str, shape: str) -> str:
    return (f"{loss}() gets a prediction of shape {given} and a target of shape {target}: they broadcast "
            f"to {shape}, so each prediction is also compared with the targets of other samples and the "
            "loss averages that matrix: training silently optimises the wrong objective")


def _fix(column: Optional[str], pred: str, target: str) -> str:
    """`column`: "input" or "target", the side with the extra trailing dimension of size 1."""
    if column == "input":
        return f"squeeze the prediction ({pred}.squeeze(-1)) or reshape the target ({target}.view_as({pred}))"
    if column == "target":
        return f"squeeze the target ({target}.squeeze(-1)) or reshape the prediction ({pred}.view_as({target}))"
    return f"give both the same shape, e.g. {target}.view_as({pred})"


class LossShapeBroadcast(PatternRule):
    code = "LC601"

    def message(self, match: PatternMatch) -> str:
        column, vector = "(N, 1)", "(N,)"
        given, target = (column, vector) if match.detail == "input" else (vector, column)
        return _message(match.subject, given, target, "(N, N)")

    def fix(self, match: PatternMatch) -> Optional[str]:
        return _fix(match.detail, "pred", "target")

    def check(self, stream: Stream) -> Iterator[Finding]:
        end = next((e for e in reversed(stream.events) if e.kind is Kind.END), None)
        for site, loss, given, target, shape, calls, written in end.facts.get("loss_broadcasts", ()) if end else ():
            pred, truth = (tuple(written) + (None, None))[:2]
            column = "input" if given == target + (1,) else "target" if target == given + (1,) else None
            finding = self.finding(site, _message(loss, _shape(given), _shape(target), _shape(shape)),
                                   _fix(column, pred or "pred", truth or "target"))
            yield replace(finding, count=calls)


# Both a stream rule (runtime) and a source rule (static): one instance in both lists.
LOSS_SHAPE_BROADCAST = LossShapeBroadcast()
