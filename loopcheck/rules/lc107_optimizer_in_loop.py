"""LC107 optimizer-in-loop: a new optimizer is built for every step, resetting its state."""
from __future__ import annotations

from typing import Iterator, Sequence

from loopcheck.events import Event, Kind, Stream
from loopcheck.findings import Finding
from loopcheck.rules.base import Rule


class OptimizerInLoop(Rule):
    """Two constructions at the same site, in two iterations of one loop, with a backward and
    at most one step of theirs in between: the optimizer lives for a single step.

    Silent on legitimate re-creations: per stage or per epoch (many steps apart), one per
    independent run (a helper called by several tests, trials or folds: no loop joins the
    two constructions, or the model is rebuilt between them), one per sub-module (no
    backward between them), training we cannot see (an opaque call takes the optimizer), or
    an optimizer with no state to lose (plain SGD, no LR schedule stepping; parameters created
    afresh in the same iteration)."""

    code = "LC107"

    def check(self, stream: Stream) -> Iterator[Finding]:
        events = stream.events
        last_at: dict[object, int] = {}
        reported: set[object] = set()
        for index, event in enumerate(events):
            if event.kind is not Kind.OPTIMIZER_CREATED:
                continue
            site = event.location
            before = last_at.get(site)
            last_at[site] = index
            if before is None or site in reported or not event.unconditional:
                continue
            if not _one_step_apart(events[before], event, events[before + 1:index]):
                continue
            reported.add(site)
            yield self.finding(
                event,
                "the optimizer is constructed inside the training loop: every iteration starts "
                "from a fresh optimizer, so momentum, Adam moments and LR-schedule state are lost",
                fix="construct the optimizer once, before the loop",
            )


def _one_step_apart(first: Event, second: Event, between: Sequence[Event]) -> bool:
    loops, other_loops = first.facts.get("loops"), second.facts.get("loops")
    if loops is not None and other_loops is not None and not set(loops) & set(other_loops):
        return False
    made_here = {first.target, second.target}
    models = second.facts.get("models") or frozenset()
    steps = 0
    backward = False
    for event in between:
        if event.kind is Kind.STEP and event.target in made_here:
            steps += 1
        elif event.kind is Kind.BACKWARD:
            backward = True
        elif event.kind is Kind.OPAQUE and (event.optimizers is None or made_here & event.optimizers):
            return False
        elif event.kind is Kind.MODE and event.facts.get("implicit") and event.facts.get("model") in models:
            return False
    if second.facts.get("fresh_params"):
        return False   # its parameters are new tensors of this iteration: no state to carry over
    if second.facts.get("stateless") and not any(e.kind is Kind.SCHEDULER_STEP for e in between):
        return False
    return backward and steps <= 1
