"""LC110 at runtime: a DistributedDataParallel model all-reduces gradients on accumulation
micro-batches.

DDP decides in `forward()` whether the coming backward all-reduces: when grad is enabled and
`require_backward_grad_sync` is True (`no_sync()`, accelerate's `accumulate()` and nanoGPT's
manual flag set it False). `DistributedDataParallel.forward` is patched at class level while
the watcher is active; each grad-enabled forward reads that flag and the run's backward and
step counts. A syncing forward whose backward ran and was followed by the next grad-enabled
forward with no optimizer step in between all-reduced for nothing. It is reported only when an
optimizer steps after such a backward: a loop that never steps is LC115's, not accumulation.
A world of one process is reported too: the waste is in the code and appears as soon as it is
launched on more. Only the flag, the run's counters and the world size are read, and the
model is held by a weak reference.
"""
from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass
from typing import Any, Callable, Optional

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from loopcheck.findings import Location
from loopcheck.runtime.functional_dropout import _is_compiling
from loopcheck.runtime.observer import Observer
from loopcheck.runtime.patches import Patches
from loopcheck.static.notes import PatternMatch


@dataclass
class _Model:
    ref: weakref.ref
    synced_at: Optional[tuple[int, int]] = None   # (backwards, steps) at the last syncing forward
    syncing: int = 0                              # grad-enabled forwards that set up an all-reduce
    wasted: int = 0                               # those followed by another backward before a step
    first_waste_steps: int = 0
    location: Optional[Location] = None           # the backward of the first wasted all-reduce
    world_size: int = 1


class NoSyncAccumulationCheck:
    def __init__(self, obs: Observer, safe: Callable[..., Any]) -> None:
        self.obs = obs
        self.safe = safe
        self._models: dict[int, _Model] = {}

    def install(self, patches: Patches) -> "NoSyncAccumulationCheck":
        patches.before_call(DistributedDataParallel, "forward", functools.partial(self.safe, self.forward))
        return self

    def forward(self, module: Any) -> None:
        if not torch.is_grad_enabled() or _is_compiling():
            return  # no backward will follow (DDP sets nothing up), or dynamo is tracing, not running
        state = self._models.get(id(module))
        if state is None or state.ref() is not module:
            state = self._models[id(module)] = _Model(weakref.ref(module), world_size=_world_size(module))
        backwards, steps = self.obs.backwards_total, self.obs.steps_total
        last = state.synced_at
        if last is not None and backwards > last[0] and steps == last[1]:
            if not state.wasted:
                state.first_waste_steps, state.location = steps, self.obs.last_backward
            state.wasted += 1
        sync = getattr(module, "require_backward_grad_sync", True) is not False
        state.synced_at = (backwards, steps) if sync else None
        state.syncing += sync

    def matches(self) -> list[PatternMatch]:
        found = []
        for state in self._models.values():
            if state.wasted and state.location is not None and self.obs.steps_total > state.first_waste_steps:
                found.append(PatternMatch(
                    "LC110", state.location, "loss", "the optimizer",
                    evidence=f"{state.wasted} of {state.syncing} DistributedDataParallel backwards all-reduced "
                             f"gradients with no optimizer step before the next one (world size {state.world_size})"))
        return found


def _world_size(module: Any) -> int:
    group = getattr(module, "process_group", None)
    try:
        return dist.get_world_size(group) if dist.is_initialized() else 1
    except (RuntimeError, ValueError):
        return 1
