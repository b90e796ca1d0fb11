"""What happened to the gradients, read from the gradients themselves.

`zero_grad` has no hook and users also write `p.grad = None`, so clears and the effect of
a backward are inferred from metadata only: whether `.grad` is None, the identity of the
gradient tensor and its in-place version counter. Nothing here reads a tensor's values,
so nothing synchronises with the device, and only ids (never tensors) are kept.

Reading `p.grad` and `grad._version` costs ~0.15 us each, and this runs three times per
training step, so the common cases are answered from the list of gradients alone (built
by a C-level map, its None-pattern by another): after `zero_grad()` every gradient is None,
after a backward none is. Identities and versions are read only when the gradients
before a backward were not all None (gradient accumulation, `set_to_none=False`).
"""
from __future__ import annotations

import weakref
from itertools import repeat
from operator import attrgetter, is_
from typing import Any, Iterator, Optional

# The None-pattern of the gradients: one bool per parameter (in param_groups order),
# True where p.grad is None. Clear detection needs nothing more.
Mask = tuple
# Identities before a backward: None (every gradient was None) or one entry per parameter,
# None or (id(grad), grad._version).
Before = Optional[list]

_grad = attrgetter("grad")
_NONE = repeat(None)          # shared infinite iterator: map(is_, grads, _NONE)


def params_of(optimizer) -> Iterator:  # noqa: ANN001
    for group in optimizer.param_groups:
        yield from group["params"]


def grads_of(optimizer) -> list:  # noqa: ANN001
    """The gradients (or None) of the optimizer's parameters. The list holds tensors:
    use it inside one handler and drop it, never store it."""
    groups = optimizer.param_groups
    if len(groups) == 1:
        return list(map(_grad, groups[0]["params"]))
    return [p.grad for group in groups for p in group["params"]]


def mask_of(grads: list) -> Mask:
    """The None-pattern of `grads` (C-level: `list.count(None)` would call Tensor.__eq__)."""
    return tuple(map(is_, grads, _NONE))


def before_of(grads: list, nones: int) -> Before:
    if nones == len(grads):
        return None
    return [None if g is None else (id(g), g._version) for g in grads]


def changed(before: Before, n_before: int, grads: list, nones: int) -> bool:
    """Some gradient was created, replaced or accumulated into between `before` (taken
    before a backward over `n_before` parameters) and `grads`."""
    if n_before != len(grads):
        return True
    if before is None:  # no gradient before: changed iff one exists now
        return nones < n_before
    for b, g in zip(before, grads):
        if g is not None and (b is None or b[0] != id(g) or b[1] != g._version):
            return True
    return False


def snapshot(optimizer) -> Mask:  # noqa: ANN001
    return mask_of(grads_of(optimizer))


class OptimizerGrads:
    """Gradient bookkeeping of one watched optimizer."""

    def __init__(self, optimizer) -> None:  # noqa: ANN001
        self.ref = weakref.ref(optimizer)
        # Kept for after the optimizer is freed: its parameters may outlive it (a model held
        # by a module global, its Trainer gone) and must not then look unoptimized (LC501).
        self.param_ids = frozenset(map(id, params_of(optimizer)))
        self.last: Mask = snapshot(optimizer)
        # Which parameters ever held a gradient (LC502); None once all of them did.
        self.seen: Optional[list[bool]] = [not none for none in self.last]
        if all(self.seen):
            self.seen = None
        self.fed = 0  # backward passes that reached this optimizer's parameters
        # After an explicit clear `last` is stale; the next observation refreshes it without
        # inferring another clear (saves a snapshot per zero_grad()).
        self.stale = False
        self.stats: Any = None  # the optimizer's OptimizerStats (observer.py), set by its owner

    def take(self) -> Optional[Mask]:
        optimizer = self.ref()
        return None if optimizer is None else snapshot(optimizer)

    def cleared_since_last(self, now: Mask) -> bool:
        """Every gradient that existed at the last observation is gone now (`p.grad = None`
        over all parameters). Partial clears are not clears: some code deliberately drops
        the gradients of a few parameters to skip their update."""
        if self.stale:
            self.stale = False
            return False
        had = False
        for before_none, now_none in zip(self.last, now):
            if not before_none:
                if not now_none:
                    return False
                had = True
        return had

    def mark_seen(self, now: Mask) -> None:
        seen = self.seen
        if seen is None:
            return
        if len(seen) < len(now):  # add_param_group()
            seen.extend([False] * (len(now) - len(seen)))
        for i, none in enumerate(now):
            if not none:
                seen[i] = True
        if all(seen):
            self.seen = None

    def never_seen(self) -> list[int]:
        """Indexes (in param_groups order) of parameters that never held a gradient."""
        if self.seen is None:
            return []
        return [i for i, s in enumerate(self.seen) if not s]
