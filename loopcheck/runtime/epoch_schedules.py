"""LC114 at runtime: a schedule counted in epochs that runs out within one epoch of per-batch steps.

An epoch is the stretch between two starts of the same DataLoader (`DataLoader.__iter__`,
patched at class level while the watcher is active: one call per epoch). When a loader starts
again, each watched scheduler is judged over the epoch that just ended. It is reported when

* it stepped at least twice, exactly as often as its optimizer (once per optimizer step), and
* it is one of the epoch schedulers of the static table (loopcheck.static.idioms:
  EPOCH_SCHEDULERS, with the same limits on lengths and decay factors), and
* its schedule is shorter than that one epoch of steps: StepLR's step_size, CosineAnnealingLR's
  T_max, MultiStepLR's last milestone, or the steps ExponentialLR needs to divide the
  learning rate by 10.

A schedule counted in steps (`T_max=len(loader) * epochs`, milestones in thousands, a gamma
near 1) is longer than an epoch, or beyond the table's limits, and stays silent; so do the
schedulers designed per step (OneCycleLR, CyclicLR, LambdaLR), a scheduler an installed
framework steps (configured per step), a run that never restarts a loader (an iteration-based
loop over an endless iterator), and schedules a loop steps per epoch. Only counters and the
schedulers' Python attributes are read.
"""
from __future__ import annotations

import functools
import math
import weakref
from typing import Any, Callable, Optional

from torch.utils.data import DataLoader

from loopcheck.findings import Location
from loopcheck.runtime.locate import installed
from loopcheck.runtime.observer import Observer
from loopcheck.runtime.patches import Patches
from loopcheck.static.idioms import EPOCH_GAMMA_LIMIT, EPOCH_LENGTH_LIMIT, EPOCH_SCHEDULERS
from loopcheck.static.notes import PatternMatch

_TENFOLD = math.log(0.1)


def epoch_schedule(scheduler: Any) -> Optional[tuple[str, int, str]]:
    """(class name, length of its schedule in steps, the setting as shown) of a scheduler whose
    schedule is counted in epochs by the static table's conventions; None for any other."""
    name = next((c.__name__ for c in type(scheduler).__mro__ if c.__name__ in EPOCH_SCHEDULERS
                 and c.__module__.startswith("torch.optim")), None)
    if name is None:
        return None
    argument = EPOCH_SCHEDULERS[name]
    value = getattr(scheduler, argument, None)
    if name == "ExponentialLR":
        if not isinstance(value, float) or not 0 < value <= EPOCH_GAMMA_LIMIT:
            return None
        return name, math.ceil(_TENFOLD / math.log(value)), f"gamma={value}"
    gamma = getattr(scheduler, "gamma", None)
    if isinstance(gamma, float) and gamma > EPOCH_GAMMA_LIMIT:
        return None
    lengths = sorted(value) if name == "MultiStepLR" and value is not None else [value]
    if not lengths or not all(isinstance(n, int) and 0 < n < EPOCH_LENGTH_LIMIT for n in lengths):
        return None
    shown = f"milestones={lengths}" if name == "MultiStepLR" else f"{argument}={lengths[0]}"
    return name, lengths[-1], shown


class _Epoch:
    """The counters of the run when a loader started."""

    def __init__(self, loader: Any, obs: Observer) -> None:
        self.ref = weakref.ref(loader)
        self.scheduler_steps = dict(obs.sched_steps)
        self.optimizer_steps = {token: stats.steps for token, stats in obs.opt_stats.items()}


class EpochScheduleCheck:
    def __init__(self, obs: Observer, safe: Callable[..., Any]) -> None:
        self.obs = obs
        self.safe = safe
        self._epochs: dict[int, _Epoch] = {}                 # id(loader) -> its current epoch
        self._schedules: dict[str, Optional[tuple[str, int, str]]] = {}
        self._sites: dict[str, Location] = {}                # scheduler token -> its last step()
        self._found: dict[str, PatternMatch] = {}

    def install(self, patches: Patches) -> "EpochScheduleCheck":
        patches.before_call(DataLoader, "__iter__", functools.partial(self.safe, self.started))
        self.obs.on_scheduler_step = self.stepped
        return self

    def stepped(self, token: str, scheduler: Any, location: Location) -> None:
        if token not in self._schedules:
            self._schedules[token] = epoch_schedule(scheduler)
        if installed(location.path):
            # A framework steps it (Lightning's `"interval": "step"`): stepping per batch was asked for.
            self._schedules[token] = None
        self._sites[token] = location

    def started(self, loader: Any) -> None:
        previous = self._epochs.get(id(loader))
        if previous is not None and previous.ref() is loader:
            self._judge(previous)
        self._epochs[id(loader)] = _Epoch(loader, self.obs)

    def _judge(self, epoch: _Epoch) -> None:
        obs = self.obs
        for token, schedule in self._schedules.items():
            if schedule is None or token in self._found:
                continue
            steps = obs.sched_steps[token] - epoch.scheduler_steps.get(token, 0)
            optimizer = obs.sched_optimizer.get(token)
            stats = obs.opt_stats.get(optimizer) if optimizer else None
            if steps < 2 or stats is None or stats.steps - epoch.optimizer_steps.get(optimizer, 0) != steps:
                continue
            name, length, shown = schedule
            if length < steps:
                self._found[token] = PatternMatch(
                    "LC114", self._sites[token], f"{{{token}}}", name,
                    evidence=f"it stepped {steps} times in one epoch, with {shown}")

    def matches(self) -> list[PatternMatch]:
        return list(self._found.values())
