"""LC105 accumulation-discarded: a clear that runs every iteration wipes backward passes
whose step runs only every k iterations."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterator

from loopcheck.events import Kind, Stream
from loopcheck.findings import Finding, Location
from loopcheck.rules.base import Rule
from loopcheck.rules.gradients import (
    following, is_any_step, is_backward, is_clear, is_opaque, is_step, optimizers_in, previous,
)


class AccumulationDiscarded(Rule):
    """A clear site is reported when some of its windows (events since the previous clear)
    discard a backward with no step of any optimizer surely after it, while other windows (or the same one,
    when the step is conditional) do contain the step: the step is rarer than the clear."""

    code = "LC105"

    def check(self, stream: Stream) -> Iterator[Finding]:
        events = stream.events
        # Loops are walked (and run) more than once: a backward seen once is setup code before
        # the loop (reference gradients, a sanity check), which the loop's first clear discards
        # on purpose, not an accumulation window.
        repeated = {location for location, count in
                    Counter(e.location for e in events if e.kind is Kind.BACKWARD).items() if count > 1}
        for optimizer in optimizers_in(events):
            discards: dict[Location, int] = defaultdict(int)
            with_step: set[Location] = set()
            first_index: dict[Location, int] = {}
            for index, event in enumerate(events):
                # Clears inside step(closure) (LBFGS) feed that same step: never a discard.
                if not is_clear(event, optimizer) or event.facts.get("in_step"):
                    continue
                # A clear under its own per-iteration condition (`if step % k == 0`) is the
                # accumulation pattern itself, not a clear that runs every iteration.
                if not event.unconditional:
                    continue
                nxt = following(events, index, optimizer, lambda e, o: is_step(e, o) or is_backward(e, o))
                # A step follows at once (LC102/LC103 territory), or nothing follows: the
                # last clear of a run discards nothing that a later step would have used.
                if nxt is None or is_step(events[nxt], optimizer):
                    continue
                # Since the previous clear, and never before the optimizer existed: backwards of
                # code that ran before its construction were not meant for it.
                start = max((i for i in (previous(events, index, optimizer, is_clear),
                                         previous(events, index, optimizer, _created)) if i is not None),
                            default=-1)
                window = events[start + 1:index]
                if any(is_opaque(e, optimizer) for e in window):
                    continue
                first_index.setdefault(event.location, index)
                if any(is_step(e, optimizer) for e in window):
                    with_step.add(event.location)
                last_backward = max(
                    (i for i, e in enumerate(window) if is_backward(e, optimizer) and e.certain_given(event)),
                    default=None,
                )
                if last_backward is None or window[last_backward].location not in repeated:
                    continue
                # A backward followed by another optimizer's step was meant for that one (GANs).
                feeds = window[last_backward]
                if any(is_any_step(e, optimizer) and e.certain_given(event) and feeds.concerns(e.target)
                       for e in window[last_backward + 1:]):
                    continue
                # ... also when that step comes right after this clear: the clear only drops
                # the side gradients the other optimizer's loss left on this one's parameters
                # (a GAN clearing D after G's backward, before G's step).
                if _other_step_follows(events, index, optimizer):
                    continue
                discards[event.location] += 1
            for location in sorted(discards, key=first_index.__getitem__):
                if location not in with_step:
                    continue
                event = events[first_index[location]]
                yield self.finding(
                    event,
                    f"{event.facts.get('call', 'zero_grad()')} runs every iteration but the optimizer "
                    "steps only on some iterations: the gradients accumulated since the last step are "
                    "discarded, so gradient accumulation silently does nothing",
                    fix="move zero_grad() into the same `if` block as step(), right after it",
                )


def _created(event, optimizer: str) -> bool:  # noqa: ANN001
    return event.kind is Kind.OPTIMIZER_CREATED and event.target == optimizer


def _other_step_follows(events, index: int, optimizer: str) -> bool:  # noqa: ANN001
    """A step of another optimizer surely runs after events[index] before any backward."""
    clear = events[index]
    for event in events[index + 1:]:
        if is_backward(event, optimizer):
            return False
        if event.kind is Kind.STEP:
            return event.target != optimizer and clear.certain_given(event) and event.certain_given(clear)
    return False
