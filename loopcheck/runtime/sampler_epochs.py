"""LC108 at runtime: a shuffling DistributedSampler trained on twice in the same order.

`DistributedSampler.__iter__` is patched at class level while the watcher is active (one call
per epoch). Its order is a function of `seed + epoch`: each pass records that pair, the user's
line that iterates it, and the optimizer step count. A pass is a training pass when some
optimizer stepped before the sampler was iterated again (or before the report): two training
passes with the same pair saw the same order, which is what a missing `set_epoch(epoch)` does.
An extra pass within an epoch (accuracy on the training set, after set_epoch) trains nothing,
so it is never one of the two. Only the sampler's integer attributes are read.
"""
from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from torch.utils.data.distributed import DistributedSampler

from loopcheck.findings import Location
from loopcheck.runtime.locate import UNKNOWN
from loopcheck.runtime.observer import Observer
from loopcheck.runtime.patches import Patches
from loopcheck.static.idioms import DISTRIBUTED_SAMPLER
from loopcheck.static.notes import PatternMatch


@dataclass
class _Pass:
    order: tuple[int, int]   # (epoch, seed): the shuffle's generator seed is their sum
    steps: int               # optimizer steps of the run when the pass started
    location: Location       # the user's line that iterates the loader


@dataclass
class _Sampler:
    ref: weakref.ref
    trained: set[tuple[int, int]] = field(default_factory=set)   # orders of finished training passes
    current: Optional[_Pass] = None
    repeated: Optional[_Pass] = None   # the first training pass over an order already trained on


class SamplerEpochCheck:
    def __init__(self, obs: Observer, safe: Callable[..., Any]) -> None:
        self.obs = obs
        self.safe = safe
        self._samplers: dict[int, _Sampler] = {}

    def install(self, patches: Patches) -> "SamplerEpochCheck":
        patches.before_call(DistributedSampler, "__iter__", functools.partial(self.safe, self.started))
        return self

    def started(self, sampler: Any) -> None:
        if getattr(sampler, "shuffle", False) is not True:
            return  # a fixed order (evaluation) is meant to repeat
        epoch, seed = getattr(sampler, "epoch", None), getattr(sampler, "seed", None)
        if not isinstance(epoch, int) or not isinstance(seed, int):
            return
        state = self._samplers.get(id(sampler))
        if state is None or state.ref() is not sampler:
            state = self._samplers[id(sampler)] = _Sampler(weakref.ref(sampler))
        self._finish(state)
        frame = self.obs.loc.script_frame()
        location = self.obs.loc.location(frame) if frame is not None else UNKNOWN
        state.current = _Pass((epoch, seed), self.obs.steps_total, location)

    def _finish(self, state: _Sampler) -> None:
        done, state.current = state.current, None
        if done is None or self.obs.steps_total == done.steps:
            return  # not a training pass
        if done.order in state.trained and state.repeated is None:
            state.repeated = done
        state.trained.add(done.order)

    def matches(self) -> list[PatternMatch]:
        found = []
        for state in self._samplers.values():
            repeated, current = state.repeated, state.current
            if repeated is None and current is not None and current.order in state.trained \
                    and self.obs.steps_total > current.steps:
                repeated = current  # the pass in progress (or the last one) trains on a known order
            if repeated is not None:
                found.append(PatternMatch(
                    "LC108", repeated.location, DISTRIBUTED_SAMPLER,
                    "its epoch stays the same from one epoch to the next",
                    evidence=f"two training passes over it started at epoch {repeated.order[0]}"))
        return found
