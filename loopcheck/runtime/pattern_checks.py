"""The runtime counterparts of pattern rules: each observes one bug while the watcher is active
and hands its matches to the rule of the same code (through the END event, evaluate.py).

A check is built with the observer and the watcher's error guard, installs its patches into
the watcher's `Patches` (removed with the others on exit) and answers `matches()`."""
from __future__ import annotations

from typing import Any, Callable

from loopcheck.runtime.ddp_accumulation import NoSyncAccumulationCheck
from loopcheck.runtime.epoch_schedules import EpochScheduleCheck
from loopcheck.runtime.functional_dropout import FunctionalDropoutCheck
from loopcheck.runtime.observer import Observer
from loopcheck.runtime.patches import Patches
from loopcheck.runtime.sampler_epochs import SamplerEpochCheck
from loopcheck.runtime.softmax_losses import SoftmaxLossCheck

CHECKS = (SamplerEpochCheck, NoSyncAccumulationCheck, FunctionalDropoutCheck, EpochScheduleCheck, SoftmaxLossCheck)
# LC108, LC110, LC113, LC114, LC109


def install(obs: Observer, safe: Callable[..., Any], patches: Patches) -> None:
    for check in CHECKS:
        obs.pattern_checks.append(check(obs, safe).install(patches))
