"""Helpers that walk an event stream from the point of view of one optimizer.

The ordering rules (LC101-LC105) share these so that each rule is a few lines of logic
over the same notions: the last clear before an event, the previous step, the window of
events between two points.
"""
from __future__ import annotations

from typing import Iterator, Optional, Sequence

from loopcheck.events import Event, Kind


def is_clear(event: Event, optimizer: str) -> bool:
    """Gradients discarded (zero_grad(), `p.grad = None`); not a write of given values, which the
    step is meant to use (`p.grad.copy_(g)`: see resets_gradients)."""
    return event.kind is Kind.CLEAR and not event.facts.get("overwrite") and event.concerns(optimizer)


def resets_gradients(event: Event, optimizer: str) -> bool:
    """What backward() accumulated before is gone: a clear, or gradients replaced with given values."""
    return event.kind is Kind.CLEAR and event.concerns(optimizer)


def is_any_step(event: Event, optimizer: str) -> bool:
    """A step of any optimizer: a backward it follows was meant for that optimizer."""
    return event.kind is Kind.STEP


def is_step(event: Event, optimizer: str) -> bool:
    return event.kind is Kind.STEP and event.target == optimizer


def is_backward(event: Event, optimizer: str) -> bool:
    """A backward that feeds a step: one that trains nothing (saliency maps) concerns no optimizer."""
    return event.kind is Kind.BACKWARD and event.concerns(optimizer) and event.facts.get("trains") is not False


def is_opaque(event: Event, optimizer: str) -> bool:
    return event.kind is Kind.OPAQUE and event.concerns(optimizer)


def previous(events: Sequence[Event], index: int, optimizer: str, pred) -> Optional[int]:  # noqa: ANN001
    for i in range(index - 1, -1, -1):
        if pred(events[i], optimizer):
            return i
    return None


def following(events: Sequence[Event], index: int, optimizer: str, pred) -> Optional[int]:  # noqa: ANN001
    for i in range(index + 1, len(events)):
        if pred(events[i], optimizer):
            return i
    return None


def last_certain_clear(events: Sequence[Event], index: int, optimizer: str) -> Optional[int]:
    """The latest clear before `index` that surely ran whenever events[index] runs."""
    anchor = events[index]
    for i in range(index - 1, -1, -1):
        if is_clear(events[i], optimizer) and events[i].certain_given(anchor):
            return i
    return None


def any_between(events: Sequence[Event], start: int, stop: int, optimizer: str, pred) -> bool:  # noqa: ANN001
    return any(pred(events[i], optimizer) for i in range(start + 1, stop))


def models_cleared_between(events: Sequence[Event], start: int, stop: int) -> frozenset[str]:
    """The modules whose gradients some clear between two points resets, whichever optimizer (or
    model) it was called on: an optimizer over the parameters of several modules (infoGAN's
    `Adam(chain(G.parameters(), D.parameters()))`) is cleared by the clears of the others."""
    cleared: set[str] = set()
    for i in range(start + 1, stop):
        if events[i].kind is Kind.CLEAR:
            cleared.update(events[i].facts.get("models") or ())
    return frozenset(cleared)


def optimizers_in(events: Sequence[Event]) -> list[str]:
    seen: dict[str, None] = {}
    for event in events:
        if event.kind is Kind.STEP and event.target:
            seen.setdefault(event.target, None)
    return list(seen)


def starved_steps(events: Sequence[Event]) -> Iterator[tuple[str, int, int, bool]]:
    """Yield (optimizer, step index, clear index, step_came_first) for every step whose
    gradients were surely cleared with no backward since.

    LC102 and LC103 both produce such steps (clear, step and backward in some rotation of
    one cycle); they differ in whether the run's first step came before any backward.
    """
    for optimizer in optimizers_in(events):
        first_step = next(i for i, e in enumerate(events) if is_step(e, optimizer))
        step_came_first = not any(is_backward(e, optimizer) for e in events[:first_step])
        for index, event in enumerate(events):
            if not is_step(event, optimizer):
                continue
            clear = last_certain_clear(events, index, optimizer)
            if clear is None:
                continue
            if any_between(events, clear, index, optimizer, is_backward):
                continue
            if any_between(events, clear, index, optimizer, is_opaque):
                continue
            yield optimizer, index, clear, step_came_first


def backward_before(events: Sequence[Event], clear: int, optimizer: str) -> bool:
    """A backward surely ran after the previous step and before `clear`."""
    prior_step = previous(events, clear, optimizer, is_step)
    start = -1 if prior_step is None else prior_step
    return any(
        is_backward(events[i], optimizer) and events[i].certain_given(events[clear])
        for i in range(start + 1, clear)
    )
