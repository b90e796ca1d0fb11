"""The rules: one module per code, all evaluated over event streams.

`evaluate` is the single entry point used by both the static checker and the runtime
watcher, so a rule's logic is the same whichever producer recorded the events.
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

from loopcheck.catalogue import matches
from loopcheck.events import Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule
from loopcheck.rules.lc101_missing_zero_grad import MissingZeroGrad
from loopcheck.rules.lc102_zero_grad_between_backward_and_step import ZeroGradBetweenBackwardAndStep
from loopcheck.rules.lc103_step_before_backward import StepBeforeBackward
from loopcheck.rules.lc104_scheduler_before_optimizer import SchedulerBeforeOptimizer
from loopcheck.rules.lc105_accumulation_discarded import AccumulationDiscarded
from loopcheck.rules.lc106_backward_without_grad import BackwardWithoutGrad
from loopcheck.rules.lc107_optimizer_in_loop import OptimizerInLoop
from loopcheck.rules.lc201_eval_without_eval_mode import EvalWithoutEvalMode
from loopcheck.rules.lc202_eval_without_no_grad import EvalWithoutNoGrad
from loopcheck.rules.lc203_train_mode_not_restored import TrainModeNotRestored
from loopcheck.rules.lc301_batch_not_on_device import BatchNotOnDevice
from loopcheck.rules.lc501_params_not_in_optimizer import ParamsNotInOptimizer
from loopcheck.rules.lc502_params_without_grad import ParamsWithoutGrad
from loopcheck.rules.lc601_loss_shape_broadcast import LOSS_SHAPE_BROADCAST

STREAM_RULES: tuple[Rule, ...] = (
    MissingZeroGrad(),
    ZeroGradBetweenBackwardAndStep(),
    StepBeforeBackward(),
    SchedulerBeforeOptimizer(),
    AccumulationDiscarded(),
    BackwardWithoutGrad(),
    OptimizerInLoop(),
    EvalWithoutEvalMode(),
    EvalWithoutNoGrad(),
    TrainModeNotRestored(),
    BatchNotOnDevice(),
    ParamsNotInOptimizer(),
    ParamsWithoutGrad(),
    LOSS_SHAPE_BROADCAST,
)


def evaluate(stream: Stream, rules: Optional[Sequence[Rule]] = None) -> list[Finding]:
    """All findings of `rules` (default: every stream rule) over one stream, one per
    (code, location) with `count` = how often it was seen."""
    found: list[Finding] = []
    for rule in rules if rules is not None else STREAM_RULES:
        found.extend(rule.check(stream))
    return merge(found)


def merge(findings: Iterable[Finding]) -> list[Finding]:
    merged: dict[tuple[str, object], Finding] = {}
    for finding in findings:
        key = (finding.code, finding.location)
        if key in merged:
            previous = merged[key]
            merged[key] = Finding(
                previous.code, previous.name, previous.severity, previous.message,
                previous.location, previous.fix, previous.count + finding.count, previous.extra,
            )
        else:
            merged[key] = finding
    return sorted(merged.values(), key=Finding.sort_key)


def select(findings: Iterable[Finding], include: Sequence[str], exclude: Sequence[str]) -> list[Finding]:
    return [f for f in findings if matches(f.code, include) and not matches(f.code, exclude)]
