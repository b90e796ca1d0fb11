"""What happened to the gradients, read from the gradients themselves.

`zero_grad` has no hook and users also write `p.grad = None`, so clears and the effect of
a backward are inferred from metadata only: whether `.grad` is None, the identity of the
gradient tensor and its in-place version counter. Nothing here reads a tensor's values,
so nothing synchronises with the device, and only ids (never tensors) are kept.
"""
from __future__ import annotations

import weakref
from typing import Iterator, Optional

# One entry per parameter: None (no gradient) or (id(grad), grad._version).
Snapshot = list


def params_of(optimizer) -> Iterator:  # noqa: ANN001
    for group in optimizer.param_groups:
        yield from group["params"]


def snapshot(optimizer) -> Snapshot:  # noqa: ANN001
    groups = optimizer.param_groups
    if len(groups) == 1:
        return [None if (g := p.grad) is None else (id(g), g._version) for p in groups[0]["params"]]
    return [None if (g := p.grad) is None else (id(g), g._version)
            for group in groups for p in group["params"]]


class OptimizerGrads:
    """Gradient bookkeeping of one watched optimizer."""

    def __init__(self, optimizer) -> None:  # noqa: ANN001
        self.ref = weakref.ref(optimizer)
        self.last: Snapshot = snapshot(optimizer)
        # Which parameters ever held a gradient (LC502); None once all of them did.
        self.seen: Optional[list[bool]] = [s is not None for s in self.last]
        if all(self.seen):
            self.seen = None
        self.fed = 0  # backward passes that reached this optimizer's parameters
        # After an explicit clear `last` is stale; the next observation refreshes it without
        # inferring another clear (saves a snapshot per zero_grad()).
        self.stale = False

    def take(self) -> Optional[Snapshot]:
        optimizer = self.ref()
        return None if optimizer is None else snapshot(optimizer)

    def cleared_since_last(self, now: Snapshot) -> bool:
        """Every gradient that existed at the last observation is gone now (`p.grad = None`
        over all parameters). Partial clears are not clears: some code deliberately drops
        the gradients of a few parameters to skip their update."""
        if self.stale:
            self.stale = False
            return False
        had = False
        for before, after in zip(self.last, now):
            if before is not None:
                if after is not None:
                    return False
                had = True
        return had

    def changed(self, before: Snapshot, after: Snapshot) -> bool:
        """Some gradient was created, replaced or accumulated into between the two."""
        if len(before) != len(after):
            return True
        return any(b != a for b, a in zip(before, after) if a is not None)

    def mark_seen(self, now: Snapshot) -> None:
        seen = self.seen
        if seen is None:
            return
        if len(seen) < len(now):  # add_param_group()
            seen.extend([False] * (len(now) - len(seen)))
        for i, s in enumerate(now):
            if s is not None:
                seen[i] = True
        if all(seen):
            self.seen = None

    def never_seen(self) -> list[int]:
        """Indexes (in param_groups order) of parameters that never held a gradient."""
        if self.seen is None:
            return []
        return [i for i, s in enumerate(self.seen) if not s]
